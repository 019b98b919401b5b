"""Results, breakdowns, free-text search and exports of sent responses."""

import csv
import io
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from osallistu.core.models import AuditEntry
from osallistu.surveys import exports, results, services
from tests.factories import (
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)

_addresses = (f"192.0.2.{n}" for n in itertools.count(1))


def option(question, index, role="choice"):
    return question.options.filter(role=role).order_by("position")[index].id


def respond(s, user=None, **fields):
    """Send a response to ``every_kind_survey``. ``fields`` are named by kind with an
    optional suffix after a double underscore: ``map__lat="60,17"``."""
    user = user or AnonymousUser()
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        kind, _sep, suffix = key.partition("__")
        name = f"q{getattr(s, kind).id}" + (f"_{suffix}" if suffix else "")
        data.setlist(name, [str(part) for part in value] if isinstance(value, list) else [value])
    response = services.start_response(survey=s.survey, user=user, client_ip=next(_addresses))
    response = services.save_page(response=response, page_id=s.page.id, data=data)
    return services.submit_response(response=response, user=user)


@pytest.fixture
def answered(every_kind_survey, helsinki):
    s = every_kind_survey
    s.eastern = VerifiedResidentFactory(district=helsinki["eastern"])
    s.western = VerifiedResidentFactory(district=helsinki["western"])
    ranking = [option(s.ranking, index) for index in range(3)]
    respond(
        s,
        s.eastern,
        short_text='=HYPERLINK("http://evil.example")',
        single_choice=str(option(s.single_choice, 0)),
        multiple_choice=[option(s.multiple_choice, 0), option(s.multiple_choice, 1)],
        **{f"ranking__{ranking[2]}": "1", f"ranking__{ranking[0]}": "2"},
        scale="8",
        **{
            f"matrix__{option(s.matrix, 0, 'row')}": str(option(s.matrix, 0)),
            f"matrix__{option(s.matrix, 1, 'row')}": str(option(s.matrix, 1)),
        },
        number="-3,5",
        date="2026-06-24",
        map__lat="60,17",
        map__lon="24,94",
        map__address="Kauppatori",
    )
    respond(
        s,
        s.western,
        single_choice="other",
        single_choice__other="+358 40 123",
        multiple_choice=[option(s.multiple_choice, 0)],
        **{f"ranking__{ranking[0]}": "1"},
        scale="10",
        number="10",
    )
    respond(s, single_choice=str(option(s.single_choice, 0)), long_text="Lisää penkkejä puistoon")
    return s


def by_label(bars):
    return {bar.label: (bar.count, bar.percent) for bar in bars}


def test_results_per_question(answered):
    s = answered
    with translation.override("fi"):
        outcome = results.survey_results(s.survey)
    assert outcome.respondents == 3
    found = {result.kind: result for result in outcome.questions}
    assert "info" not in found
    assert by_label(found["single_choice"].bars) == {"Puisto": (2, 66.7), "Tori": (0, 0.0)}
    assert found["single_choice"].other_count == 1
    assert by_label(found["multiple_choice"].bars) == {
        "Kirjasto": (2, 100.0),
        "Uimahalli": (1, 50.0),
        "Nuorisotalo": (0, 0.0),
    }
    scale = by_label(found["scale"].bars)
    assert len(scale) == 11 and scale["8"] == (1, 50.0) and scale["10"] == (1, 50.0)
    assert found["scale"].average == 9
    ranking = found["ranking"].ranking
    assert [
        (item.label, item.average_rank, item.ranked_by, item.first_places) for item in ranking
    ] == [
        ("Saavutettavuus", 1.0, 1, 1),
        ("Turvallisuus", 1.5, 2, 1),
        ("Viihtyisyys", None, 0, 0),
    ]
    summer, winter = found["matrix"].rows
    assert summer.label == "Kesällä" and by_label(summer.bars)["Hyvä"] == (1, 100.0)
    assert by_label(winter.bars)["Huono"] == (1, 100.0)
    number = found["number"]
    assert (number.average, number.minimum, number.maximum) == (3.25, -3.5, 10)
    assert found["map"].points == [[24.94, 60.17]]
    drawing = found["map"].map_drawing()
    assert drawing.map.width == 600 and drawing.map.height > 0
    assert len(drawing.map.districts) == 7
    assert drawing.dots.startswith("M") and drawing.dots.endswith("h0")
    assert drawing.dots.count("M") == 1
    # 24.94, 60.17 is in the city centre: the Southern district.
    assert drawing.by_district == [("Southern", 1, 0)] and drawing.elsewhere is None
    assert found["map"].marked == 1 and found["map"].points_left_out == 0


def test_results_of_one_district(answered, helsinki):
    outcome = results.survey_results(answered.survey, district=helsinki["western"])
    assert outcome.respondents == 1
    single = next(result for result in outcome.questions if result.kind == "single_choice")
    assert single.answered == 1 and single.other_count == 1


def test_results_take_a_fixed_number_of_queries(every_kind_survey):
    s = every_kind_survey

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            results.survey_results(s.survey)
        return len(queries)

    respond(s, scale="1")
    few = count_queries()
    for value in range(2, 8):
        respond(s, scale=str(value), single_choice=str(option(s.single_choice, 1)))
    assert count_queries() == few <= 12


def test_drafts_do_not_count(every_kind_survey):
    s = every_kind_survey
    services.start_response(survey=s.survey, user=AnonymousUser(), client_ip="198.51.100.1")
    assert results.survey_results(s.survey).respondents == 0


def test_breakdown_by_district_and_age_group(answered, helsinki):
    s = answered
    table = results.breakdown(s.survey, by="district")
    keys = [key for key, _label in table.groups]
    counts = dict(table.tables[s.multiple_choice.id])
    kirjasto = counts[s.multiple_choice.options.get(position=1).text]
    assert kirjasto[keys.index(helsinki["eastern"].pk)] == 1
    assert kirjasto[keys.index(helsinki["western"].pk)] == 1
    assert sum(kirjasto) == 2
    assert table.respondents[keys.index(helsinki["eastern"].pk)] == 1
    assert table.respondents[keys.index(None)] == 1  # answered without logging in
    averages = dict(table.averages)
    assert averages[s.scale][keys.index(helsinki["western"].pk)] == (10, 1)
    assert averages[s.number][keys.index(helsinki["eastern"].pk)] == (-3.5, 1)
    assert averages[s.scale][keys.index(helsinki["southern"].pk)] == (None, 0)
    by_age = results.breakdown(s.survey, by="age_group")
    assert len(by_age.groups) == 6
    assert sum(by_age.respondents) == 3


def test_text_search(answered):
    s = answered
    found = results.text_answers(s.survey, search="penkkej")
    assert [answer.text for answer in found] == ["Lisää penkkejä puistoon"]
    addresses = results.text_answers(s.survey, question=s.map)
    assert [answer.text for answer in addresses] == ["Kauppatori"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+358 40", "'+358 40"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Kallio", "Kallio"),
        ("", ""),
        (-3.5, -3.5),
        (7, 7),
    ],
)
def test_formula_injection_protection(value, expected):
    assert exports.safe_cell(value) == expected


def test_export_rows(answered):
    s = answered
    with translation.override("fi"):
        header, first, second, third = exports.rows(s.survey)
    assert header[:4] == ["vastaus", "lähetetty", "suurpiiri", "ikäryhmä"]
    columns = dict(zip(header, first, strict=True))
    assert columns[s.single_choice.text_fi] == "Puisto"
    assert columns[s.multiple_choice.text_fi] == "Kirjasto; Uimahalli"
    assert columns[s.ranking.text_fi] == "Saavutettavuus > Turvallisuus"
    assert columns[f"{s.matrix.text_fi}: Kesällä"] == "Hyvä"
    assert columns[s.number.text_fi] == -3.5
    assert columns[f"{s.map.text_fi}: osoite"] == "Kauppatori"
    assert '"coordinates": [24.94, 60.17]' in columns[f"{s.map.text_fi}: GeoJSON"]
    assert dict(zip(header, second, strict=True))[s.single_choice.text_fi] == "Muu: +358 40 123"
    assert third[2] == ""  # not logged in: no district


def test_csv_streams_in_chunks_and_is_safe(answered, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    text = b"".join(exports.csv_lines(answered.survey)).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 4
    assert '\'=HYPERLINK("http://evil.example")' in table[1]
    assert "-3.5" in table[1]  # a number stays a number


def test_xlsx_is_safe(answered):
    workbook = load_workbook(exports.xlsx_file(answered.survey), read_only=True)
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(isinstance(cell, str) and cell.startswith("=") for cell in cells)
    assert -3.5 in cells


@pytest.fixture
def staff_client(client, db):
    staff = StaffRoleFactory().user
    sign_in_past_second_factor(client, staff)
    return client


def staff_url(name, survey):
    return reverse(f"surveys:{name}", kwargs={"slug": survey.slug})


STAFF_PAGES = ["staff_results", "staff_breakdown", "staff_texts", "export_csv", "export_xlsx"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_need_staff_with_a_second_factor(client, answered, name):
    url = staff_url(name, answered.survey)
    assert client.get(url).status_code == 302  # to log in
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    staff = StaffRoleFactory().user
    client.force_login(staff)
    assert "two-step" in client.get(url).url


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages(staff_client, answered, name):
    response = staff_client.get(staff_url(name, answered.survey))
    assert response.status_code == 200


def test_staff_pages_with_filters(staff_client, answered, helsinki):
    s = answered
    page = staff_client.get(
        staff_url("staff_results", s.survey), {"district": helsinki["western"].pk, "age_group": "x"}
    )
    assert page.context["results"].respondents == 1
    page = staff_client.get(staff_url("staff_breakdown", s.survey), {"by": "age_group"})
    assert page.context["by"] == "age_group"
    page = staff_client.get(
        staff_url("staff_texts", s.survey), {"question": s.long_text.id, "q": "PENKKEJÄ"}
    )
    assert page.context["page_obj"].paginator.count == 1
    assert staff_client.get(reverse("surveys:staff_list")).status_code == 200


def test_free_text_search_that_cannot_be_searched_is_refused_on_the_page(staff_client, answered):
    page = staff_client.get(
        staff_url("staff_texts", answered.survey), {"question": "x", "q": "penkki\x00"}
    )
    assert page.status_code == 200
    assert page.context["search"] == ""
    assert page.context["question"] is None
    assert page.context["search_errors"]


def test_exports_are_audited_and_streamed(staff_client, answered):
    response = staff_client.get(staff_url("export_csv", answered.survey))
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="kaikki-')
    b"".join(response.streaming_content)
    assert AuditEntry.objects.filter(action="surveys.exported").count() == 1


def test_public_results_only_when_published(client, answered):
    survey = answered.survey
    url = reverse("surveys:results", kwargs={"slug": survey.slug})
    assert client.get(url).status_code == 404
    survey.results_published = True
    survey.save()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<table" in html
    assert "Lisää penkkejä" not in html  # free text stays with staff


def test_staff_publish_and_withdraw_results(staff_client, answered):
    survey = answered.survey
    staff_client.post(staff_url("publish", survey), {"published": "1"})
    survey.refresh_from_db()
    assert survey.results_published
    staff_client.post(staff_url("publish", survey), {"published": "1"})
    staff_client.post(staff_url("publish", survey), {"published": "0"})
    survey.refresh_from_db()
    assert not survey.results_published
    assert list(
        AuditEntry.objects.filter(action__startswith="surveys.results")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["surveys.results_published", "surveys.results_withdrawn"]
