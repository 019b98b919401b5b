"""The survey builder on the staff pages: who may build what, every part of a survey,
the refusals that keep answers whole, the preview, copies and the audit trail."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.accounts.models import StaffRole
from osallistu.core.models import AuditEntry
from osallistu.surveys import builder, services
from osallistu.surveys.models import (
    Answer,
    Condition,
    Option,
    Page,
    Question,
    Response,
    Survey,
)
from tests.factories import StaffRoleFactory, sign_in_past_second_factor
from tests.surveys.factories import PageFactory, QuestionFactory, SurveyFactory, options

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return StaffRoleFactory().user


@pytest.fixture
def staff(client, admin):
    return sign_in_past_second_factor(client, admin)


@pytest.fixture
def moderator(helsinki):
    return StaffRoleFactory(role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["eastern"]).user


def url(name, **kwargs):
    return reverse(f"surveys:{name}", kwargs=kwargs)


def settings_data(**overrides):
    opens = timezone.localtime() + datetime.timedelta(days=2)
    data = {
        "title_fi": "Puistokysely",
        "title_sv": "Parkenkät",
        "title_en": "Park survey",
        "description_fi": "Kerro puistoista.",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        "audience": "anyone",
        "anonymous_responses_per_hour": "30",
    }
    data.update(overrides)
    return data


def question_data(**overrides):
    data = {"text_fi": "Kysymys", "text_sv": "Fråga", "text_en": "Question"}
    data.update(overrides)
    return data


def errors_of(response):
    return response.content.decode()


# Who may build


def test_builder_needs_staff_with_a_second_factor_and_a_building_role(client, helsinki):
    assert client.get(url("builder_list")).status_code == 302
    reporter = StaffRoleFactory(role=StaffRole.Role.REPORTER).user
    sign_in_past_second_factor(client, reporter)
    assert client.get(url("builder_list")).status_code == 403
    assert client.post(url("builder_new"), settings_data()).status_code == 403
    assert not Survey.objects.exists()


def test_staff_desk_links_the_builder(staff):
    assert url("builder_list") in staff.get(reverse("core:staff_desk")).content.decode()


def test_staff_survey_list_links_the_builder_to_those_who_may_build(client, staff):
    SurveyFactory(title_en="Ready", published=True)
    SurveyFactory(title_en="Unfinished", published=False)
    with translation.override("en"):
        page = staff.get(reverse("surveys:staff_list")).content.decode()
    assert url("builder_list") in page and "Build and edit surveys" in page
    assert "/admin/" not in page
    assert page.count(">Draft<") == 1
    reporter = StaffRoleFactory(role=StaffRole.Role.REPORTER).user
    sign_in_past_second_factor(client, reporter)
    page = client.get(reverse("surveys:staff_list"))
    assert page.status_code == 200 and url("builder_list") not in page.content.decode()


def test_moderator_builds_only_for_own_districts(client, moderator, helsinki):
    sign_in_past_second_factor(client, moderator)
    mine = SurveyFactory(audience="districts")
    mine.districts.set([helsinki["eastern"]])
    theirs = SurveyFactory(audience="districts")
    theirs.districts.set([helsinki["eastern"], helsinki["central"]])
    citywide = SurveyFactory()
    listing = client.get(url("builder_list")).content.decode()
    assert mine.title_en in listing or mine.title_fi in listing
    assert theirs.title_fi not in listing and citywide.title_fi not in listing
    assert client.get(url("builder", survey_id=mine.pk)).status_code == 200
    assert client.get(url("builder", survey_id=theirs.pk)).status_code == 403
    assert client.get(url("builder", survey_id=citywide.pk)).status_code == 403

    # The form offers only their districts and that audience; tampering is refused.
    page = client.get(url("builder_new"))
    form = page.context["form"]
    assert [value for value, _label in form.fields["audience"].choices] == ["districts"]
    assert list(form.fields["districts"].queryset) == [helsinki["eastern"]]
    refused = client.post(url("builder_new"), settings_data(audience="anyone"))
    assert refused.status_code == 200 and not Survey.objects.filter(title_en="Park survey")
    refused = client.post(
        url("builder_new"),
        settings_data(audience="districts", districts=[helsinki["central"].pk]),
    )
    assert refused.status_code == 200 and not Survey.objects.filter(title_en="Park survey")
    created = client.post(
        url("builder_new"),
        settings_data(audience="districts", districts=[helsinki["eastern"].pk]),
    )
    survey = Survey.objects.get(title_en="Park survey")
    assert created.url == url("builder", survey_id=survey.pk)
    # The service refuses too, whatever calls it.
    with pytest.raises(builder.BuildError) as refusal:
        builder.update_survey(
            survey=survey,
            actor=moderator,
            fields=settings_data(
                audience="anyone", opens_at=survey.opens_at, closes_at=survey.closes_at
            ),
        )
    assert refusal.value.code == "scope"


def test_a_district_id_the_database_cannot_hold_is_not_one_of_the_choices(staff, helsinki):
    for district in (str(2**63), "٣", "1e3"):
        response = staff.post(
            url("builder_new"), settings_data(audience="districts", districts=[district])
        )
        assert response.status_code == 200
        assert "districts" in response.context["form"].errors
    assert not Survey.objects.exists()


# Surveys


def test_create_survey_and_list_it_with_status_and_counts(staff, admin):
    response = staff.post(url("builder_new"), settings_data())
    survey = Survey.objects.get()
    assert response.url == url("builder", survey_id=survey.pk)
    assert (survey.title_fi, survey.title_sv, survey.title_en) == (
        "Puistokysely",
        "Parkenkät",
        "Park survey",
    )
    assert survey.slug == "puistokysely" and survey.audience == "anyone"
    assert list(survey.pages.values_list("position", flat=True)) == [1]
    assert builder.status(survey) == builder.Status.DRAFT
    entry = AuditEntry.objects.get(action="surveys.builder.survey_created")
    assert entry.actor == admin and entry.target_id == str(survey.pk)

    open_one = SurveyFactory(title_en="Open one")
    Response.objects.create(survey=open_one, status="submitted", submitted_at=timezone.now())
    Response.objects.create(survey=open_one)
    closed = SurveyFactory(
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=2),
        results_published=True,
    )
    with translation.override("en"):
        page = staff.get(url("builder_list"))
    rows = {survey.pk: survey for survey in page.context["surveys"]}
    assert rows[survey.pk].status == "draft"
    assert rows[open_one.pk].status == "open"
    assert (rows[open_one.pk].sent, rows[open_one.pk].under_way) == (1, 1)
    assert rows[closed.pk].status == "published"
    assert "Closed, results published" in page.content.decode()


def test_settings_validation_speaks_the_users_language(staff):
    with translation.override("fi"):
        address = url("builder_new")
    opens = timezone.localtime() + datetime.timedelta(days=2)
    page = staff.post(
        address,
        settings_data(
            title_sv="",
            closes_at=(opens - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            audience="districts",
        ),
    )
    html = page.content.decode()
    assert page.status_code == 200 and not Survey.objects.exists()
    assert "Kyselyn on sulkeuduttava avautumisen jälkeen." in html
    assert "Valitse vähintään yksi suurpiiri tai muu vastaajajoukko." in html
    assert "Tämä kenttä vaaditaan." in html


def test_edit_settings_and_audit_the_changed_fields(staff, helsinki):
    survey = SurveyFactory(slug="vanha")
    data = settings_data(
        slug="uusi",
        audience="districts",
        districts=[helsinki["eastern"].pk, helsinki["central"].pk],
        results_published="on",
    )
    assert staff.get(url("builder_settings", survey_id=survey.pk)).status_code == 200
    response = staff.post(url("builder_settings", survey_id=survey.pk), data)
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.slug == "uusi" and survey.results_published
    assert set(survey.districts.all()) == {helsinki["eastern"], helsinki["central"]}
    entry = AuditEntry.objects.get(action="surveys.builder.survey_changed")
    assert {"slug", "districts", "results_published", "title_fi"} <= set(entry.data["fields"])
    # Another survey's address is refused with a message.
    other = SurveyFactory(slug="toinen")
    page = staff.post(url("builder_settings", survey_id=other.pk), settings_data(slug="uusi"))
    assert page.status_code == 200 and "Another survey already has this address." in (
        errors_of(page)
    )


def test_open_close_and_refuse_to_open_an_empty_survey(staff):
    survey = SurveyFactory(
        opens_at=timezone.now() + datetime.timedelta(days=3),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    staff.post(url("builder_action", survey_id=survey.pk, action="open"))
    survey.refresh_from_db()
    assert builder.status(survey) == "scheduled"
    QuestionFactory(page=PageFactory(survey=survey, position=1), position=1)
    staff.post(url("builder_action", survey_id=survey.pk, action="open"))
    survey.refresh_from_db()
    assert survey.is_open()
    staff.post(url("builder_action", survey_id=survey.pk, action="close"))
    survey.refresh_from_db()
    assert survey.has_closed()
    assert (
        staff.post(url("builder_action", survey_id=survey.pk, action="nonsense")).status_code == 302
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"surveys.builder.survey_opened", "surveys.builder.survey_closed"} <= actions


def test_a_new_survey_is_a_draft_until_published(client, staff, admin):
    staff.post(url("builder_new"), settings_data())
    survey = Survey.objects.get()
    assert not survey.published and builder.status(survey) == "draft"
    public = reverse("surveys:detail", kwargs={"slug": survey.slug})
    assert client.get(public).status_code == 404
    assert survey not in Survey.objects.listed()

    with translation.override("en"):
        page = staff.get(url("builder", survey_id=survey.pk)).content.decode()
        assert "Draft, not published" in page and ">Publish<" in page
        assert "Publish and open now" in page and ">Unpublish<" not in page
        refused = staff.post(url("builder_action", survey_id=survey.pk, action="publish"))
        assert "Add at least one before publishing it." in staff.get(refused.url).content.decode()
    survey.refresh_from_db()
    assert not survey.published

    QuestionFactory(page=survey.pages.get(), position=1)
    with translation.override("en"):
        done = staff.post(url("builder_action", survey_id=survey.pk, action="publish"))
        page = staff.get(done.url).content.decode()
    assert "The survey is published. Residents can see it, and answer it from" in page
    assert ">Unpublish<" in page and ">Open now<" in page
    survey.refresh_from_db()
    assert survey.published and builder.status(survey) == "scheduled"
    assert client.get(public).status_code == 200
    assert survey not in Survey.objects.listed()  # listed once it opens

    staff.post(url("builder_action", survey_id=survey.pk, action="unpublish"))
    survey.refresh_from_db()
    assert not survey.published and client.get(public).status_code == 404

    staff.post(url("builder_action", survey_id=survey.pk, action="open"))
    survey.refresh_from_db()
    assert survey.published and survey.is_open() and survey in Survey.objects.listed()
    assert list(
        AuditEntry.objects.filter(action__startswith="surveys.builder.survey_")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "surveys.builder.survey_created",
        "surveys.builder.survey_published",
        "surveys.builder.survey_unpublished",
        "surveys.builder.survey_published",
        "surveys.builder.survey_opened",
    ]


def test_a_survey_with_responses_cannot_be_unpublished(staff, admin, branching_survey):
    survey = branching_survey.survey
    Response.objects.create(survey=survey)
    with translation.override("en"):
        assert ">Unpublish<" not in staff.get(url("builder", survey_id=survey.pk)).content.decode()
        refused = staff.post(url("builder_action", survey_id=survey.pk, action="unpublish"))
        page = staff.get(refused.url).content.decode()
    assert "people have already started answering it" in page
    survey.refresh_from_db()
    assert survey.published
    with pytest.raises(builder.BuildError) as error:
        builder.unpublish_survey(survey=survey, actor=admin)
    assert error.value.code == "answered"


# Pages


def test_pages_add_rename_reorder_and_delete(staff):
    survey = SurveyFactory()
    staff.post(url("builder_page_add", survey_id=survey.pk))
    staff.post(url("builder_page_add", survey_id=survey.pk))
    staff.post(url("builder_page_add", survey_id=survey.pk))
    first, second, third = Page.objects.filter(survey=survey).order_by("position")
    staff.post(
        url("builder_page", survey_id=survey.pk, page_id=second.pk),
        {"title_fi": "Taustatiedot", "title_sv": "Bakgrund", "title_en": "Background"},
    )
    second.refresh_from_db()
    assert second.title_sv == "Bakgrund"

    staff.post(url("builder_page_move", survey_id=survey.pk, page_id=third.pk), {"direction": "up"})
    order = list(
        Page.objects.filter(survey=survey).order_by("position").values_list("pk", flat=True)
    )
    assert order == [first.pk, third.pk, second.pk]
    # Nothing above the first page: nothing moves.
    staff.post(url("builder_page_move", survey_id=survey.pk, page_id=first.pk), {"direction": "up"})
    staff.post(
        url("builder_page_move", survey_id=survey.pk, page_id=first.pk), {"direction": "sideways"}
    )
    assert Page.objects.get(pk=first.pk).position == 1

    confirm = staff.get(url("builder_page_delete", survey_id=survey.pk, page_id=third.pk))
    assert confirm.status_code == 200 and Page.objects.filter(pk=third.pk).exists()
    staff.post(url("builder_page_delete", survey_id=survey.pk, page_id=third.pk))
    assert list(
        Page.objects.filter(survey=survey).order_by("position").values_list("pk", "position")
    ) == [(first.pk, 1), (second.pk, 2)]
    # Another survey's page is not found here.
    other = PageFactory(survey=SurveyFactory(), position=1)
    assert staff.get(url("builder_page", survey_id=survey.pk, page_id=other.pk)).status_code == 404


# Questions of every kind


KIND_SETTINGS = {
    "short_text": ({"max_length": "80"}, {"max_length": 80}),
    "long_text": ({"max_length": "3000"}, {"max_length": 3000}),
    "single_choice": ({"allow_other": "on"}, {"allow_other": True}),
    "multiple_choice": (
        {"min_choices": "1", "max_choices": "2", "allow_other": "on"},
        {"min_choices": 1, "max_choices": 2, "allow_other": True},
    ),
    "ranking": ({"max_ranked": "3"}, {"max_ranked": 3}),
    "scale": ({"scale": "0-10"}, {"min": 0, "max": 10}),
    "matrix": ({}, {}),
    "number": (
        {"number_min": "0", "number_max": "2,5", "integer": ""},
        {"min": 0, "max": 2.5, "integer": False},
    ),
    "date": (
        {"date_min": "2026-01-01", "date_max": "2026-12-31"},
        {"min": "2026-01-01", "max": "2026-12-31"},
    ),
    "map": (
        {"geometry": "area", "bbox": "24.78, 60.10, 25.26, 60.30"},
        {"geometry": "area", "bbox": [24.78, 60.1, 25.26, 60.3]},
    ),
    "info": ({}, {}),
}


@pytest.mark.parametrize("kind", list(KIND_SETTINGS))
def test_add_a_question_of_every_kind(staff, kind):
    survey = SurveyFactory()
    page = PageFactory(survey=survey, position=1)
    address = url("builder_question_add", survey_id=survey.pk, page_id=page.pk) + f"?kind={kind}"
    assert staff.get(address).status_code == 200
    posted, expected = KIND_SETTINGS[kind]
    response = staff.post(address, {**question_data(required="on", help_text_sv="Hjälp"), **posted})
    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get()
    assert question.kind == kind and question.help_text_sv == "Hjälp"
    assert question.required == (kind != "info")
    for key, value in expected.items():
        assert question.settings[key] == value
    assert (
        staff.get(url("builder_question", survey_id=survey.pk, question_id=question.pk)).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("kind", "posted", "message"),
    [
        ("multiple_choice", {"min_choices": "3", "max_choices": "2"}, "fewest first"),
        ("map", {"geometry": "point", "bbox": "25, 60, 24"}, "Give four numbers"),
        ("map", {"geometry": "point", "bbox": "25.3, 60, 24.7, 60.3"}, "west before east"),
        ("map", {"geometry": "point", "bbox": "0, 0, 1e400, 1"}, "Give four numbers"),
        ("map", {"geometry": "point", "bbox": "NaN, 60, 25, 61"}, "Give four numbers"),
        ("map", {"geometry": "point", "bbox": "24, 60, Infinity, 61"}, "Give four numbers"),
        ("map", {"geometry": "point", "bbox": "24, 60, 25, 1e-400"}, "Give four numbers"),
        ("map", {"geometry": "point", "bbox": "24, 95, 25, 96"}, "in degrees"),
        ("number", {"number_min": "5", "number_max": "1", "integer": "on"}, "cannot be larger"),
        ("date", {"date_min": "2026-12-31", "date_max": "2026-01-01"}, "cannot be after"),
        ("scale", {"scale": "2-7"}, "Select a valid choice"),
        ("short_text", {"max_length": "0"}, "greater than or equal to 1"),
    ],
)
def test_question_settings_are_checked(staff, kind, posted, message):
    page = PageFactory(survey=SurveyFactory(), position=1)
    address = (
        url("builder_question_add", survey_id=page.survey_id, page_id=page.pk) + f"?kind={kind}"
    )
    response = staff.post(address, {**question_data(), **posted})
    assert response.status_code == 200 and message in errors_of(response)
    assert not Question.objects.exists()


def test_map_bounds_help_says_empty_means_all_of_helsinki(staff):
    page = PageFactory(survey=SurveyFactory(), position=1)
    with translation.override("fi"):
        address = url("builder_question_add", survey_id=page.survey_id, page_id=page.pk)
        html = staff.get(address + "?kind=map").content.decode()
    assert "Jätä tyhjäksi, jos paikka voi olla missä tahansa Helsingissä." in html
    assert "rajaa ei ole" not in html


def test_unknown_kind_is_refused_with_a_message(staff):
    page = PageFactory(survey=SurveyFactory(), position=1)
    address = url("builder_question_add", survey_id=page.survey_id, page_id=page.pk)
    response = staff.get(address + "?kind=essay", follow=True)
    assert "Choose a kind of question." in response.content.decode()


def test_edit_move_and_delete_questions(staff):
    survey = SurveyFactory()
    first_page = PageFactory(survey=survey, position=1)
    second_page = PageFactory(survey=survey, position=2)
    one, two, three = (QuestionFactory(page=first_page, position=n) for n in (1, 2, 3))
    edit = url("builder_question", survey_id=survey.pk, question_id=two.pk)
    staff.post(edit, question_data(text_en="Fixed wording", page=first_page.pk, max_length="50"))
    two.refresh_from_db()
    assert two.text_en == "Fixed wording" and two.settings["max_length"] == 50

    staff.post(
        url("builder_question_move", survey_id=survey.pk, question_id=three.pk), {"direction": "up"}
    )
    assert list(first_page.questions.order_by("position").values_list("pk", flat=True)) == [
        one.pk,
        three.pk,
        two.pk,
    ]
    # Moving to another page puts it last there and closes the gap it leaves.
    staff.post(edit, question_data(page=second_page.pk, max_length="50"))
    two.refresh_from_db()
    assert (two.page_id, two.position) == (second_page.pk, 1)
    assert list(first_page.questions.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
    ]

    delete = url("builder_question_delete", survey_id=survey.pk, question_id=one.pk)
    assert staff.get(delete).status_code == 200
    staff.post(delete)
    assert not Question.objects.filter(pk=one.pk).exists()
    assert Question.objects.get(pk=three.pk).position == 1


def test_change_kind_keeps_fitting_settings_and_drops_options(staff, admin):
    question = QuestionFactory(kind="multiple_choice", settings={"allow_other": True})
    options(question, "A", "B")
    survey = question.page.survey
    staff.post(
        url("builder_question_kind", survey_id=survey.pk, question_id=question.pk),
        {"kind-kind": "single_choice"},
    )
    question.refresh_from_db()
    assert question.kind == "single_choice" and question.settings == {"allow_other": True}
    assert question.options.count() == 2
    builder.change_kind(question=question, actor=admin, kind="short_text")
    question.refresh_from_db()
    assert question.settings == {"max_length": 200} and not question.options.exists()


# Options


def test_options_in_three_languages_and_matrix_rows(staff):
    question = QuestionFactory(kind="matrix")
    survey = question.page.survey
    add = url("builder_option_add", survey_id=survey.pk, question_id=question.pk)
    staff.post(
        add,
        {
            "option-role": "choice",
            "option-text_fi": "Hyvä",
            "option-text_sv": "Bra",
            "option-text_en": "Good",
        },
    )
    staff.post(
        add,
        {
            "option-role": "choice",
            "option-text_fi": "Huono",
            "option-text_sv": "Dålig",
            "option-text_en": "Bad",
        },
    )
    staff.post(
        add,
        {
            "option-role": "row",
            "option-text_fi": "Kesä",
            "option-text_sv": "Sommar",
            "option-text_en": "Summer",
        },
    )
    missing = staff.post(add, {"option-role": "row", "option-text_fi": "Talvi"})
    assert missing.status_code == 200 and Option.objects.count() == 3
    good, bad = question.options.filter(role="choice").order_by("position")
    assert (good.text_sv, bad.text_en) == ("Bra", "Bad")
    assert question.options.get(role="row").position == 1

    staff.post(
        url("builder_option_move", survey_id=survey.pk, question_id=question.pk, option_id=bad.pk),
        {"direction": "up"},
    )
    assert list(question.options.filter(role="choice").order_by("position")) == [bad, good]
    staff.post(
        url("builder_option", survey_id=survey.pk, question_id=question.pk, option_id=good.pk),
        {"text_fi": "Hyvä", "text_sv": "Bra", "text_en": "Fine"},
    )
    good.refresh_from_db()
    assert good.text_en == "Fine"
    delete = url(
        "builder_option_delete", survey_id=survey.pk, question_id=question.pk, option_id=good.pk
    )
    assert staff.get(delete).status_code == 200
    staff.post(delete)
    assert list(question.options.filter(role="choice").values_list("position", flat=True)) == [1]


def test_questions_without_options_refuse_them(admin):
    question = QuestionFactory(kind="number")
    with pytest.raises(builder.BuildError):
        builder.add_option(question=question, actor=admin, texts={"text_fi": "x"})
    choice = QuestionFactory(kind="single_choice")
    with pytest.raises(builder.BuildError):
        builder.add_option(question=choice, actor=admin, texts={"text_fi": "x"}, role="row")


# Display conditions


def condition_post(client, question, **data):
    survey = question.page.survey
    return client.post(
        url("builder_condition_add", survey_id=survey.pk, question_id=question.pk),
        {f"condition-{key}": value for key, value in data.items()},
    )


def test_conditions_use_only_earlier_pages(staff, branching_survey):
    s = branching_survey
    # The form offers only questions on earlier pages.
    page = staff.get(url("builder_question", survey_id=s.survey.pk, question_id=s.satisfaction.pk))
    offered = [
        value for value, _label in page.context["condition_form"].fields["depends_on"].choices
    ]
    assert set(offered) == {"", s.cycles.pk, s.routes.pk, s.comment.pk}

    ok = condition_post(
        staff, s.satisfaction, depends_on=s.routes.pk, operator="contains", option=s.baana.pk
    )
    assert ok.status_code == 302
    assert Condition.objects.filter(question=s.satisfaction, option=s.baana).exists()

    refusals = [
        (
            s.cycles,
            {"depends_on": s.cycles.pk, "operator": "answered"},
            "cannot depend on its own answer",
        ),
        (s.cycles, {"depends_on": s.age.pk, "operator": "answered"}, "comes after this question"),
        (s.satisfaction, {"depends_on": s.age.pk, "operator": "answered"}, "is on the same page"),
        (
            s.age,
            {"depends_on": s.cycles.pk, "operator": "equals", "option": s.baana.pk},
            "must be one of the choices",
        ),
        (s.age, {"depends_on": s.cycles.pk, "operator": "equals"}, "Choose the option"),
        (
            s.age,
            {"depends_on": s.cycles.pk, "operator": "contains", "option": s.yes.pk},
            "cannot be used with a question",
        ),
        (s.age, {"depends_on": s.comment.pk, "operator": "contains"}, "Write the value"),
        (
            s.age,
            {"depends_on": 999999, "operator": "answered"},
            "Choose a question of this survey.",
        ),
    ]
    before = Condition.objects.count()
    for question, data, message in refusals:
        response = condition_post(staff, question, **data)
        assert response.status_code == 200, data
        assert message in errors_of(response), (message, data)
    assert Condition.objects.count() == before


def test_condition_values_are_checked_and_dates_stored_as_the_engine_compares(admin):
    survey = SurveyFactory()
    first, second = PageFactory(survey=survey, position=1), PageFactory(survey=survey, position=2)
    day = QuestionFactory(page=first, position=1, kind="date")
    scale = QuestionFactory(page=first, position=2, kind="scale")
    later = QuestionFactory(page=second, position=1)
    condition = builder.add_condition(
        question=later, actor=admin, depends_on=day, operator="equals", value="24.6.2026"
    )
    assert condition.value == "2026-06-24"
    with pytest.raises(builder.BuildError, match="scale"):
        builder.add_condition(
            question=later, actor=admin, depends_on=scale, operator="equals", value="7"
        )
    condition = builder.add_condition(
        question=later, actor=admin, depends_on=scale, operator="answered", value="3"
    )
    assert condition.value == "" and condition.option is None
    assert AuditEntry.objects.filter(action="surveys.builder.condition_added").count() == 2


def test_condition_delete_asks_first(staff, branching_survey):
    s = branching_survey
    condition = Condition.objects.filter(question=s.routes).get()
    delete = url(
        "builder_condition_delete",
        survey_id=s.survey.pk,
        question_id=s.routes.pk,
        condition_id=condition.pk,
    )
    assert "Remove the condition" in staff.get(delete).content.decode()
    staff.post(delete)
    assert not Condition.objects.filter(pk=condition.pk).exists()


def test_moves_that_would_break_a_condition_are_refused(staff, admin, branching_survey):
    s = branching_survey
    second_page = s.pages[1]
    response = staff.post(
        url("builder_page_move", survey_id=s.survey.pk, page_id=second_page.pk),
        {"direction": "up"},
        follow=True,
    )
    assert "must stay on an earlier page" in response.content.decode()
    assert list(Page.objects.filter(survey=s.survey).order_by("position")) == list(s.pages)
    with pytest.raises(builder.BuildError):
        builder.update_question(
            question=s.cycles,
            actor=admin,
            fields=question_data(),
            page=s.pages[2],
        )
    s.cycles.refresh_from_db()
    assert s.cycles.page == s.pages[0]
    # A page whose questions others depend on cannot be deleted; nor the question.
    with pytest.raises(builder.BuildError, match="Remove that condition first"):
        builder.delete_page(page=s.pages[0], actor=admin)
    with pytest.raises(builder.BuildError, match="Remove those conditions first"):
        builder.delete_question(question=s.cycles, actor=admin)
    with pytest.raises(builder.BuildError, match="Remove that condition first"):
        builder.delete_option(option=s.yes, actor=admin)
    with pytest.raises(builder.BuildError, match="Remove those conditions first"):
        builder.change_kind(question=s.cycles, actor=admin, kind="short_text")


# Once people have answered


@pytest.fixture
def answered(branching_survey):
    """One sent response: cycles yes, route Baana, satisfaction 4."""
    s = branching_survey
    response = services.start_response(survey=s.survey, user=AnonymousUser(), client_ip="10.0.0.1")
    services.save_page(
        response=response, page_id=s.pages[0].id, data=_data({f"q{s.cycles.id}": s.yes.id})
    )
    services.save_page(
        response=response, page_id=s.pages[1].id, data=_data({f"q{s.routes.id}": s.baana.id})
    )
    services.save_page(
        response=response, page_id=s.pages[2].id, data=_data({f"q{s.satisfaction.id}": "4"})
    )
    services.submit_response(response=response, user=AnonymousUser())
    return s


def _data(values):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({key: [str(value)] for key, value in values.items()})


def test_answers_are_never_corrupted_but_wording_can_be_fixed(staff, admin, answered):
    s = answered
    answers = Answer.objects.count()
    survey_page = staff.get(url("builder", survey_id=s.survey.pk)).content.decode()
    assert "People have already answered." in survey_page

    response = staff.post(
        url("builder_question_delete", survey_id=s.survey.pk, question_id=s.routes.pk), follow=True
    )
    assert "already has 1 answers" in response.content.decode()
    response = staff.post(
        url(
            "builder_option_delete",
            survey_id=s.survey.pk,
            question_id=s.routes.pk,
            option_id=s.baana.pk,
        ),
        follow=True,
    )
    assert "it has been chosen 1 times" in response.content.decode()
    response = staff.post(
        url("builder_question_kind", survey_id=s.survey.pk, question_id=s.satisfaction.pk),
        {"kind-kind": "number"},
    )
    assert response.status_code == 200 and "cannot change" in errors_of(response)
    response = staff.post(
        url("builder_question", survey_id=s.survey.pk, question_id=s.satisfaction.pk),
        question_data(page=s.pages[2].pk, scale="0-10"),
    )
    assert response.status_code == 200 and "The scale cannot change" in errors_of(response)
    with pytest.raises(builder.BuildError, match="already has answers"):
        builder.delete_page(page=s.pages[1], actor=admin)
    assert Answer.objects.count() == answers
    assert Question.objects.get(pk=s.satisfaction.pk).kind == "scale"

    # Wording is always fixable; a question nobody answered can still go.
    staff.post(
        url("builder_question", survey_id=s.survey.pk, question_id=s.satisfaction.pk),
        question_data(text_en="How happy are you?", page=s.pages[2].pk, scale="1-5", required="on"),
    )
    assert Question.objects.get(pk=s.satisfaction.pk).text_en == "How happy are you?"
    staff.post(
        url("builder_option", survey_id=s.survey.pk, question_id=s.routes.pk, option_id=s.baana.pk),
        {"text_fi": "Baana", "text_sv": "Banan", "text_en": "The Baana"},
    )
    assert Option.objects.get(pk=s.baana.pk).text_sv == "Banan"
    builder.delete_question(question=s.age, actor=admin)
    assert not Question.objects.filter(pk=s.age.pk).exists()


def test_other_choice_stays_while_it_has_answers(admin, every_kind_survey):
    question = every_kind_survey.single_choice
    response = Response.objects.create(survey=every_kind_survey.survey)
    Answer.objects.create(
        response=response, question=question, value={"other": "Kirkko"}, text="Kirkko"
    )
    with pytest.raises(builder.BuildError, match="“other” choice cannot be removed"):
        builder.update_question(
            question=question,
            actor=admin,
            fields=question_data(),
            settings_value={"allow_other": False},
        )


# Preview and copies


def test_preview_applies_conditions_and_stores_nothing(staff, branching_survey):
    s = branching_survey
    preview = url("builder_preview", survey_id=s.survey.pk)
    page = staff.get(preview)
    html = page.content.decode()
    assert page.status_code == 200 and s.cycles.text_en in html and "nothing is saved" in html
    refused = staff.post(preview, {"page": s.pages[0].id, "action": "next"})
    assert refused.status_code == 200 and f'id="q{s.cycles.id}_error"' in refused.content.decode()
    staff.post(preview, {"page": s.pages[0].id, f"q{s.cycles.id}": s.no.id})
    html = staff.get(preview).content.decode()
    assert s.satisfaction.text_en in html and s.routes.text_en not in html
    staff.post(preview, {"action": "back"})
    staff.post(preview, {"page": s.pages[0].id, f"q{s.cycles.id}": s.yes.id})
    assert s.routes.text_en in staff.get(preview).content.decode()
    staff.post(preview, {"page": s.pages[1].id, f"q{s.routes.id}": s.baana.id})
    staff.post(preview, {"page": s.pages[2].id, f"q{s.satisfaction.id}": "3"})
    end = staff.get(preview)
    assert "Baana" in end.content.decode() and end.templates[0].name.endswith("preview_end.html")
    staff.post(preview, {"action": "restart"})
    assert s.cycles.text_en in staff.get(preview).content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_duplicate_copies_the_whole_survey_as_a_draft(staff, admin, branching_survey, helsinki):
    s = branching_survey
    s.survey.audience = "districts"
    s.survey.save()
    s.survey.districts.set([helsinki["eastern"]])
    response = staff.post(url("builder_action", survey_id=s.survey.pk, action="duplicate"))
    copy = Survey.objects.exclude(pk=s.survey.pk).get()
    assert response.url == url("builder", survey_id=copy.pk)
    assert copy.slug == "pyoraily-copy" and builder.status(copy) == "draft"
    assert s.survey.published and not copy.published
    assert copy.title_fi.endswith("(kopio)") and copy.title_sv.endswith("(kopia)")
    assert copy.title_en.endswith("(copy)") and not copy.results_published
    assert list(copy.districts.all()) == [helsinki["eastern"]]
    assert copy.pages.count() == 3
    assert Question.objects.filter(page__survey=copy).count() == 5
    copied = Condition.objects.filter(question__page__survey=copy)
    assert copied.count() == 2
    for condition in copied:
        assert (
            condition.depends_on.page.survey == copy
            and condition.option.question.page.survey == copy
        )
        assert condition.option.text_fi == "Kyllä"
    # A second copy gets an address of its own.
    builder.duplicate_survey(survey=s.survey, actor=admin)
    assert Survey.objects.filter(slug="pyoraily-copy-2").exists()


def test_every_builder_page_renders(staff, every_kind_survey, branching_survey):
    s = every_kind_survey
    pages = [
        url("builder_list"),
        url("builder_new"),
        url("builder", survey_id=s.survey.pk),
        url("builder_settings", survey_id=s.survey.pk),
        url("builder_preview", survey_id=s.survey.pk),
        url("builder_page", survey_id=s.survey.pk, page_id=s.page.pk),
    ]
    for question in Question.objects.filter(page__survey=s.survey):
        pages.append(url("builder_question", survey_id=s.survey.pk, question_id=question.pk))
    option = Option.objects.filter(question=s.matrix, role="row").first()
    pages.append(
        url("builder_option", survey_id=s.survey.pk, question_id=s.matrix.pk, option_id=option.pk)
    )
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            for address in pages:
                assert staff.get(address).status_code == 200, address


def test_parts_of_other_surveys_are_not_found(staff, branching_survey):
    s = branching_survey
    other = QuestionFactory(kind="single_choice")
    (other_option,) = options(other, "Muu")
    condition = Condition.objects.filter(question=s.routes).get()
    for address in (
        url("builder_question", survey_id=s.survey.pk, question_id=other.pk),
        url("builder_page", survey_id=s.survey.pk, page_id=other.page_id),
        url(
            "builder_option",
            survey_id=s.survey.pk,
            question_id=s.cycles.pk,
            option_id=other_option.pk,
        ),
        url("builder_option", survey_id=s.survey.pk, question_id=s.routes.pk, option_id=s.yes.pk),
        url(
            "builder_condition_delete",
            survey_id=s.survey.pk,
            question_id=s.comment.pk,
            condition_id=condition.pk,
        ),
    ):
        assert staff.get(address).status_code == 404, address
    assert staff.get(url("builder", survey_id=999999)).status_code == 404


def test_preview_of_a_survey_without_questions(staff):
    survey = SurveyFactory()
    PageFactory(survey=survey, position=1)
    page = staff.get(url("builder_preview", survey_id=survey.pk))
    assert page.status_code == 200 and "This survey has no questions yet." in page.content.decode()


def test_an_information_text_has_a_heading_and_no_required_flag(staff):
    page = PageFactory(survey=SurveyFactory(), position=1)
    with translation.override("fi"):
        address = url("builder_question_add", survey_id=page.survey_id, page_id=page.pk)
        form = staff.get(address + "?kind=info").context["form"]
    assert "required" not in form.fields
    assert str(form.fields["text_sv"].label) == "Otsikko ruotsiksi"


def test_the_survey_page_reads_the_same_few_queries_however_many_questions(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count):
        survey = SurveyFactory()
        first, second = (
            PageFactory(survey=survey, position=1),
            PageFactory(survey=survey, position=2),
        )
        asked = QuestionFactory(page=first, position=1, kind="single_choice")
        (yes,) = options(asked, "Kyllä")
        for position in range(1, count + 1):
            question = QuestionFactory(page=second, position=position, kind="multiple_choice")
            options(question, "A", "B")
            Condition.objects.create(
                question=question, depends_on=asked, operator="equals", option=yes
            )
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url("builder", survey_id=survey.pk)).status_code == 200
        return len(captured)

    assert queries(20) == queries(1)


# On PostgreSQL: people editing and answering at the same time


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_moves_at_once_keep_positions_whole(admin):
    import threading

    from django.db import connection

    page = PageFactory(survey=SurveyFactory(), position=1)
    questions = [QuestionFactory(page=page, position=n) for n in range(1, 11)]
    barrier = threading.Barrier(len(questions))
    failures = []

    def move(question, direction):
        try:
            barrier.wait()
            builder.move_question(question=question, actor=admin, direction=direction)
        except Exception as error:  # any failure at all is what this test looks for
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(question, "up" if index % 2 else "down"))
        for index, question in enumerate(questions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    positions = sorted(page.questions.values_list("position", flat=True))
    assert positions == list(range(1, 11))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_surveys_created_at_once_with_one_address(admin):
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    outcomes = []
    fields = settings_data(slug="sama")
    fields["opens_at"] = timezone.now() + datetime.timedelta(days=1)
    fields["closes_at"] = fields["opens_at"] + datetime.timedelta(days=7)

    def create():
        try:
            barrier.wait()
            outcomes.append(builder.create_survey(actor=admin, fields=fields))
        except builder.BuildError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("slug_taken") == 1
    assert Survey.objects.filter(slug="sama").count() == 1
