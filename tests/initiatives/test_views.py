"""Pages of initiatives through the test client: the public list and page, the authors'
forms and their errors, supporting, the registry's pages with role and area, the
council report and its downloads, and a constant number of queries."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from osallistu.accounts.models import StaffRole
from osallistu.initiatives import services
from osallistu.initiatives.models import Category, Initiative, PaperSupportBatch, State
from tests.factories import UserFactory, sign_in_past_second_factor
from tests.initiatives.conftest import born_years_ago, staff, start, supporter
from tests.initiatives.test_handling import PDF

pytestmark = pytest.mark.django_db


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_list_shows_published_initiatives_with_their_progress(client, collecting, author, city):
    hidden = start(author, city["city"], title="Salainen luonnos")
    services.support_initiative(initiative=collecting, user=supporter())
    response = client.get("/en/initiatives/")
    text = page_text(response)
    assert collecting.title in text and hidden.title not in text
    assert "1 support" in text
    assert "2 %: the council takes it up within six months" in text
    assert "1,000 residents entitled to vote" in text and "an estimate" in text


def test_filters(client, author, city, collecting):
    youth_author = supporter(birth_date=born_years_ago(15))
    youth = start(youth_author, city["western"], category=Category.YOUTH, title="Nuorten juttu")
    services.publish_initiative(initiative=youth, actor=youth_author)

    def titles(query):
        return [
            title
            for title in (collecting.title, youth.title)
            if title in page_text(client.get(f"/en/initiatives/?{query}"))
        ]

    assert titles("") == [collecting.title, youth.title]
    assert titles("category=youth") == [youth.title]
    assert titles("area=western") == [youth.title]
    assert titles("q=juttu") == [youth.title]
    assert titles("reached=council") == []
    assert titles("state=sent") == []
    assert titles("order=supports&state=collecting") == [collecting.title, youth.title]
    # A value that is not on the list is ignored, not an error.
    assert client.get("/en/initiatives/?state=bogus&area=nowhere&page=x").status_code == 200


def make_public(author, city, count):
    for number in range(count):
        initiative = start(author, city["eastern"], title=f"Aloite {number}")
        services.publish_initiative(initiative=initiative, actor=author)
        services.support_initiative(initiative=initiative, user=supporter())


def test_the_list_takes_the_same_number_of_queries_for_many_initiatives(client, author, city):
    make_public(author, city, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/initiatives/").status_code == 200
    make_public(author, city, 12)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/en/initiatives/").status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many]
    assert len(few) <= 6


def test_the_page_takes_the_same_number_of_queries_however_supported(
    client, collecting, registry, second_registry, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = f"/en/initiatives/{collecting.pk}/"
    services.support_initiative(initiative=collecting, user=supporter())
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _number in range(15):
        services.support_initiative(initiative=collecting, user=supporter())
    batch = services.enter_paper_batch(
        initiative=collecting, actor=registry, label="L", signatures=3, valid=3
    )
    services.confirm_paper_batch(batch=batch, actor=second_registry, valid_counted=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few), [query["sql"] for query in many]
    assert "19 supports in all" in page_text(response)


def test_a_draft_is_seen_by_its_authors_only(client, draft, author):
    assert client.get(f"/en/initiatives/{draft.pk}/").status_code == 404
    client.force_login(UserFactory())
    assert client.get(f"/en/initiatives/{draft.pk}/").status_code == 404
    client.force_login(author)
    response = client.get(f"/en/initiatives/{draft.pk}/")
    assert response.status_code == 200
    assert "This is a draft" in page_text(response)


def test_starting_an_initiative_shows_errors_next_to_fields(client, author):
    client.force_login(author)
    form = client.get("/fi/initiatives/new/")
    assert form.status_code == 200 and 'value="Aada Aloittaja"' in form.content.decode()
    response = client.post(
        "/en/initiatives/new/",
        {
            "category": "general",
            "title": "",
            "proposal": "x" * 2001,
            "rationale": "Koska.",
            "language": "fi",
            "area": "eastern",
            "latitude": "sixty",
            "longitude": "",
            "kind": "community",
            "organisation": "",
            "public_name": "Aada",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert 'id="id_proposal_error"' in html
    assert "Write the coordinate as a number" in html
    assert "Please name the community or foundation" in html
    assert not Initiative.objects.exists()


def test_starting_a_draft(client, author):
    client.force_login(author)
    response = client.post(
        "/en/initiatives/new/",
        {
            "category": "general",
            "title": "Uimaranta Kivinokkaan",
            "proposal": "Kivinokkaan tehdään uimaranta.",
            "rationale": "Lähin ranta on kaukana.",
            "language": "fi",
            "area": "south-eastern",
            "latitude": "60,1868",
            "longitude": "24,9918",
            "kind": "resident",
            "organisation": "",
            "public_name": "Aada A.",
        },
    )
    initiative = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{initiative.pk}/")
    assert (initiative.state, str(initiative.latitude)) == (State.DRAFT, "60.186800")


def test_an_author_cannot_pass_for_the_city_or_hide_control_characters(client, author):
    client.force_login(author)
    response = client.post(
        "/en/initiatives/new/",
        {
            "category": "general",
            "title": "Uimaranta\u202e Kivinokkaan",
            "proposal": "Kivinokkaan tehdään uimaranta.",
            "rationale": "Lähin ranta on kaukana.",
            "language": "fi",
            "area": "south-eastern",
            "kind": "resident",
            "organisation": "",
            "public_name": "Helsingin kaupunki (virallinen)",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "could be taken for the city" in errors["public_name"][0]
    assert "invisible control characters" in errors["title"][0]
    assert not Initiative.objects.exists()


def test_a_service_refusal_shows_on_the_form(client, author):
    client.force_login(author)
    response = client.post(
        "/en/initiatives/new/",
        {
            "category": "youth",
            "title": "Nuorten aloite",
            "proposal": "Pyyntö.",
            "rationale": "Syy.",
            "language": "fi",
            "area": "eastern",
            "kind": "resident",
            "public_name": "Aada",
        },
    )
    assert response.status_code == 400
    assert "Youth initiatives are made by people aged 13 to 17." in page_text(response)


def test_supporting_asks_the_unidentified_to_prove_who_they_are(client, collecting):
    client.force_login(UserFactory())
    response = client.post(f"/en/initiatives/{collecting.pk}/support/")
    assert response.status_code == 403
    assert "First you need to prove who you are" in page_text(response)
    assert 'href="/en/identity/"' in response.content.decode()


def test_supporting_and_withdrawing_through_the_page(client, collecting):
    person = supporter()
    client.force_login(person)
    response = client.post(f"/en/initiatives/{collecting.pk}/support/", follow=True)
    assert "Thank you! Your support is recorded." in page_text(response)
    assert "Withdraw my support" in page_text(response)
    again = client.post(f"/en/initiatives/{collecting.pk}/support/")
    assert again.status_code == 403 and "already support" in page_text(again)
    client.post(f"/en/initiatives/{collecting.pk}/support/withdraw/")
    assert not collecting.supports.exists()
    assert client.get(f"/en/initiatives/{collecting.pk}/support/").status_code == 405


def test_sending_needs_the_confirmation(client, collecting, author):
    client.force_login(author)
    url = f"/en/initiatives/{collecting.pk}/send/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Please confirm that you want to send the initiative." in page_text(refused)
    assert client.post(url, {"confirm": "on"}).status_code == 302
    collecting.refresh_from_db()
    assert collecting.state == State.SENT
    assert client.get(url).status_code == 403


def test_only_authors_reach_the_authors_pages(client, collecting):
    client.force_login(UserFactory())
    for path in ("send/", "withdraw/", "help/", "edit/"):
        assert client.get(f"/en/initiatives/{collecting.pk}/{path}").status_code == 404
    assert client.post(f"/en/initiatives/{collecting.pk}/publish/").status_code == 404


def test_inviting_with_a_bad_address_keeps_the_page(client, draft, author):
    client.force_login(author)
    response = client.post(f"/en/initiatives/{draft.pk}/invite/", {"email": "not an address"})
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    ok = client.post(f"/en/initiatives/{draft.pk}/invite/", {"email": "co@example.fi"})
    assert ok.status_code == 302 and draft.invitations.count() == 1


def test_editing_a_published_initiative_is_refused_with_the_reason(client, collecting, author):
    client.force_login(author)
    response = client.get(f"/en/initiatives/{collecting.pk}/edit/")
    assert response.status_code == 403
    assert "Only a draft can be edited" in page_text(response)


def test_invitation_page_asks_to_log_in_first(client, draft, author):
    from django.core import mail

    from osallistu.core import jobs

    services.invite_coauthor(initiative=draft, actor=author, email="kalle@example.fi")
    jobs.run_pending()
    path = "/en" + re.search(r"/fi(/initiatives/invitation/[^/]+/)", mail.outbox[-1].body)[1]
    response = client.get(path)
    assert response.status_code == 200 and "Log in to join" in page_text(response)
    assert client.post(path, {}).status_code == 403
    client.force_login(UserFactory(email="kalle@example.fi", full_name="Kalle"))
    bad = client.post(path, {"kind": "community", "public_name": "Kalle"})
    assert bad.status_code == 400
    joined = client.post(path, {"kind": "resident", "public_name": "Kalle"})
    assert joined.status_code == 302 and draft.authors.count() == 2
    assert client.get(path).status_code == 404


# Staff


def test_staff_pages_need_the_second_factor_and_the_role_of_the_area(client, sent, city):
    url = f"/en/initiatives/staff/{sent.pk}/"
    assert client.get(url).status_code == 302  # to the login
    western = staff(StaffRole.Role.REGISTRY, city["western"], email="west@example.fi")
    client.force_login(western)
    assert "/accounts/" in client.get(url)["Location"]  # to the second factor
    sign_in_past_second_factor(client, western)
    assert client.get(url).status_code == 403
    assert client.post(f"{url}register/", {"register-diary_number": "X"}).status_code == 403
    eastern = staff(StaffRole.Role.REGISTRY, city["eastern"], email="east@example.fi")
    sign_in_past_second_factor(client, eastern)
    assert client.get(url).status_code == 200
    queue = client.get("/en/initiatives/staff/")
    assert sent.title in page_text(queue)


def test_a_coach_is_sent_to_their_queue_and_others_are_refused(client, city):
    coach = staff(StaffRole.Role.CITY_COACH, city["eastern"], email="coach@example.fi")
    sign_in_past_second_factor(client, coach)
    assert client.get("/en/initiatives/staff/")["Location"] == "/en/initiatives/staff/coaching/"
    assert client.get("/en/initiatives/staff/coaching/").status_code == 200
    moderator = staff(StaffRole.Role.DISTRICT_MODERATOR, city["eastern"], email="m@example.fi")
    sign_in_past_second_factor(client, moderator)
    assert client.get("/en/initiatives/staff/").status_code == 403
    assert client.get("/en/initiatives/staff/coaching/").status_code == 403


def test_registry_handles_an_initiative_to_its_decision(
    client, sent, registry, division, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    sign_in_past_second_factor(client, registry)
    base = f"/en/initiatives/staff/{sent.pk}/"
    empty = client.post(f"{base}register/", {"register-diary_number": ""})
    assert (
        empty.status_code == 400 and 'id="id_register-diary_number_error"' in empty.content.decode()
    )
    assert client.post(f"{base}register/", {"register-diary_number": "HEL 7"}).status_code == 302
    assert (
        client.post(
            f"{base}prepare/",
            {
                "prepare-division": division.pk,
                "prepare-preparer_name": "Liisa",
                "prepare-preparer_email": "",
            },
        ).status_code
        == 302
    )
    future = client.post(
        f"{base}decide/",
        {
            "decide-decision_maker": "Valtuusto",
            "decide-decision_date": "2999-01-01",
            "decide-answer": "Kyllä.",
            "decide-answer_language": "fi",
        },
    )
    assert future.status_code == 400
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    decided = client.post(
        f"{base}decide/",
        {
            "decide-decision_maker": "Valtuusto",
            "decide-decision_date": timezone.localdate().isoformat(),
            "decide-answer": "Penkit lisätään.",
            "decide-answer_language": "fi",
            "decide-decision_url": "paatokset.hel.fi/fi",
            "decide-attachment": SimpleUploadedFile("p.pdf", PDF, "application/pdf"),
            "decide-attachment_title": "Päätös",
        },
    )
    assert decided.status_code == 302, decided.content.decode()[:2000]
    sent.refresh_from_db()
    assert sent.state == State.DECIDED and sent.decision_url == "https://paatokset.hel.fi/fi"
    public = page_text(client.get(f"/en/initiatives/{sent.pk}/"))
    assert "Penkit lisätään." in public and "Päätös" in public


def test_paper_supports_through_the_pages_need_two_people(
    client, collecting, registry, second_registry
):
    base = f"/en/initiatives/staff/{collecting.pk}/"
    sign_in_past_second_factor(client, registry)
    bad = client.post(
        f"{base}paper/",
        {"paper-label": "L", "paper-signatures": "5", "paper-valid": "7", "paper-notes": ""},
    )
    assert bad.status_code == 400 and "more valid signatures" in page_text(bad)
    client.post(
        f"{base}paper/",
        {"paper-label": "Listat", "paper-signatures": "5", "paper-valid": "5"},
    )
    batch = PaperSupportBatch.objects.get()
    own = client.post(f"{base}paper/{batch.pk}/confirm/", {f"confirm{batch.pk}-valid_counted": "5"})
    assert own.status_code == 400 and "Someone else" in page_text(own)
    sign_in_past_second_factor(client, second_registry)
    wrong = client.post(
        f"{base}paper/{batch.pk}/confirm/", {f"confirm{batch.pk}-valid_counted": "4"}
    )
    assert wrong.status_code == 400 and "Count again" in page_text(wrong)
    client.post(f"{base}paper/{batch.pk}/confirm/", {f"confirm{batch.pk}-valid_counted": "5"})
    batch.refresh_from_db()
    assert batch.confirmed_by == second_registry


def test_the_council_report_page_and_downloads(client, sent, author, registry, city):
    sent.title = '=HYPERLINK("http://evil")'
    sent.save()
    from django.utils import timezone

    today = timezone.localdate()
    half = 1 if today.month <= 6 else 2
    index = client.get("/en/initiatives/report/")
    assert f"/en/initiatives/report/{today.year}/{half}/" in index.content.decode()
    page = client.get(f"/en/initiatives/report/{today.year}/{half}/")
    assert page.status_code == 200 and "1 initiative was handled" in page_text(page)
    response = client.get(f"/en/initiatives/report/{today.year}/{half}/report.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "diary number"
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][5] == "Sent to the city"
    workbook = load_workbook(
        io.BytesIO(client.get(f"/en/initiatives/report/{today.year}/{half}/report.xlsx").content)
    )
    sheet = workbook.active
    assert sheet.cell(row=2, column=2).value.startswith("'=")
    assert client.get(f"/en/initiatives/report/{today.year + 1}/1/").status_code == 404
    assert client.get(f"/en/initiatives/report/{today.year}/3/").status_code == 404


def test_the_report_states_are_those_at_the_end_of_the_period(sent, registry, division):
    import datetime

    from osallistu.initiatives.selectors import Period, council_report

    services.register_initiative(initiative=sent, actor=registry, diary_number="HEL 3")
    services.prepare_initiative(
        initiative=sent, actor=registry, division=division, preparer_name="Liisa"
    )
    transition = sent.transitions.get(to_state=State.PREPARING)
    transition.at = transition.at + datetime.timedelta(days=400)
    transition.save()
    today = sent.sent_at.date()
    [row] = council_report(Period(today.year, 1 if today.month <= 6 else 2))
    assert row.state == State.SENT
