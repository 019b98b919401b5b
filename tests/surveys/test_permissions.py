"""Who may do what on the staff pages of surveys and hearings (``permissions``):
each rule over the pages and the services, for every role, for staff of another
district and for staff without the second factor (issue 12, item 3)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import StaffRole
from osallistu.surveys import builder, permissions, services
from osallistu.surveys.models import Comment, Survey
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor
from tests.surveys.factories import (
    HearingFactory,
    PageFactory,
    PollFactory,
    PollOptionFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
)

Role = StaffRole.Role
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _survey(slug, *districts, results_published=False, published=True):
    survey = SurveyFactory(
        slug=slug,
        audience="districts" if districts else "anyone",
        results_published=results_published,
        published=published,
    )
    survey.districts.set(districts)
    QuestionFactory(page=PageFactory(survey=survey, position=1), kind="short_text")
    return survey


def _hearing(slug, *districts):
    hearing = HearingFactory(slug=slug)
    hearing.districts.set(districts)
    section = SectionFactory(hearing=hearing, position=1)
    PollOptionFactory(poll=PollFactory(section=section, position=1), position=1)
    Comment.objects.create(hearing=hearing, text=f"Kommentti {slug}")
    return hearing


@pytest.fixture
def world(helsinki):
    """Consultations of the Eastern district, of Eastern and Central together, of the
    whole city and of Central, and a member of staff of every kind."""
    eastern, central = helsinki["eastern"], helsinki["central"]

    def staff(role, area=None):
        return StaffRoleFactory(role=role, area=area).user

    return SimpleNamespace(
        eastern_survey=_survey("itainen", eastern),
        shared_survey=_survey("yhteinen", eastern, central),
        city_survey=_survey("koko-kaupunki"),
        central_published=_survey("keskinen-julkaistu", central, results_published=True),
        city_published=_survey("kaupunki-julkaistu", results_published=True),
        draft=_survey("luonnos", eastern, published=False),
        eastern_hearing=_hearing("itainen-kuuleminen", eastern),
        city_hearing=_hearing("kaupungin-kuuleminen"),
        admin=staff(Role.CITY_ADMIN),
        superuser=UserFactory(is_staff=True, is_superuser=True),
        moderator=staff(Role.DISTRICT_MODERATOR, eastern),
        coach=staff(Role.CITY_COACH, eastern),
        other_moderator=staff(Role.DISTRICT_MODERATOR, central),
        city_moderator=staff(Role.DISTRICT_MODERATOR, helsinki["city"]),
        reporter=staff(Role.REPORTER),
        central_reporter=staff(Role.REPORTER, central),
        premises=staff(Role.PREMISES_MANAGER),
        resident=UserFactory(),
    )


# The rules as functions

BUILD = {
    "admin": {"eastern_survey", "shared_survey", "city_survey", "central_published", "draft"},
    "superuser": {"eastern_survey", "shared_survey", "city_survey", "central_published", "draft"},
    "moderator": {"eastern_survey", "draft"},
    "coach": {"eastern_survey", "draft"},
    "other_moderator": {"central_published"},
    "city_moderator": {
        "eastern_survey",
        "shared_survey",
        "city_survey",
        "central_published",
        "draft",
    },
    "reporter": set(),
    "central_reporter": set(),
    "premises": set(),
    "resident": set(),
}
SURVEYS = ("eastern_survey", "shared_survey", "city_survey", "central_published", "draft")


@pytest.mark.parametrize("who", sorted(BUILD))
def test_who_builds_and_publishes_results_of_which_survey(world, who):
    user = getattr(world, who)
    may = {name for name in SURVEYS if permissions.may_build(user, getattr(world, name))}
    assert may == BUILD[who]
    publishes = {
        name for name in SURVEYS if permissions.may_publish_results(user, getattr(world, name))
    }
    assert publishes == BUILD[who]
    assert permissions.may_build(user) == bool(BUILD[who])


READ = {
    **BUILD,
    "admin": BUILD["admin"] | {"city_published"},
    "superuser": BUILD["superuser"] | {"city_published"},
    "city_moderator": BUILD["city_moderator"] | {"city_published"},
    # Reporters read published results only, within their reach.
    "reporter": {"central_published", "city_published"},
    "central_reporter": {"central_published"},
}


@pytest.mark.parametrize("who", sorted(READ))
def test_who_reads_the_results_of_which_survey(world, who):
    user = getattr(world, who)
    names = (*SURVEYS, "city_published")
    may = {name for name in names if permissions.may_read_results(user, getattr(world, name))}
    assert may == READ[who]
    listed = set(permissions.readable_surveys(user).values_list("slug", flat=True))
    assert listed == {getattr(world, name).slug for name in READ[who]}


MODERATE = {
    "admin": {"eastern_hearing", "city_hearing"},
    "superuser": {"eastern_hearing", "city_hearing"},
    "moderator": {"eastern_hearing"},
    "coach": {"eastern_hearing"},
    "other_moderator": set(),
    "city_moderator": {"eastern_hearing", "city_hearing"},
    "reporter": set(),
    "central_reporter": set(),
    "premises": set(),
    "resident": set(),
}


@pytest.mark.parametrize("who", sorted(MODERATE))
def test_who_moderates_which_hearing(world, who):
    user = getattr(world, who)
    names = ("eastern_hearing", "city_hearing")
    assert {name for name in names if permissions.may_moderate(user, getattr(world, name))} == (
        MODERATE[who]
    )
    listed = set(permissions.moderated_hearings(user).values_list("slug", flat=True))
    assert listed == {getattr(world, name).slug for name in MODERATE[who]}


def test_a_survey_reaching_one_more_district_is_not_the_district_staffs(world, helsinki):
    world.eastern_survey.districts.add(helsinki["central"])
    assert not permissions.may_build(world.moderator, world.eastern_survey)
    world.eastern_survey.districts.set([helsinki["eastern"]])
    world.eastern_survey.audience = "anyone"
    world.eastern_survey.save()
    assert not permissions.may_build(world.moderator, world.eastern_survey)


# The services refuse too, whoever calls them


@pytest.mark.parametrize("who", ["premises", "reporter", "other_moderator", "resident"])
def test_services_refuse_those_without_the_right(world, who):
    user = getattr(world, who)
    comment = world.eastern_hearing.comments.get()
    with pytest.raises(PermissionDenied):
        services.hide_comment(comment=comment, actor=user, reason="Asiaton")
    with pytest.raises(PermissionDenied):
        services.answer_officially(comment=comment, actor=user, text="Vastaus")
    with pytest.raises(PermissionDenied):
        services.restore_comment(comment=comment, actor=user)
    with pytest.raises(PermissionDenied):
        services.publish_results(survey=world.eastern_survey, actor=user)
    with pytest.raises(PermissionDenied):
        builder.add_page(survey=world.eastern_survey, actor=user)
    with pytest.raises(PermissionDenied):
        builder.close_now(survey=world.eastern_survey, actor=user)
    # A moderator of another district builds, but only for their own district.
    refusal = builder.BuildError if who == "other_moderator" else PermissionDenied
    with pytest.raises(refusal):
        builder.create_survey(actor=user, fields={"audience": "anyone"})
    comment.refresh_from_db()
    world.eastern_survey.refresh_from_db()
    assert not comment.is_hidden and not comment.replies.exists()
    assert not world.eastern_survey.results_published
    assert world.eastern_survey.pages.count() == 1


def test_district_staff_act_through_the_services_in_their_district(world):
    comment = world.eastern_hearing.comments.get()
    services.hide_comment(comment=comment, actor=world.coach, reason="Asiaton")
    services.restore_comment(comment=comment, actor=world.moderator)
    services.answer_officially(comment=comment, actor=world.coach, text="Kiitos")
    services.publish_results(survey=world.eastern_survey, actor=world.moderator)
    builder.add_page(survey=world.eastern_survey, actor=world.coach)
    with pytest.raises(PermissionDenied):
        services.hide_comment(
            comment=world.city_hearing.comments.get(), actor=world.moderator, reason="Asiaton"
        )
    with pytest.raises(PermissionDenied):
        services.publish_results(survey=world.city_survey, actor=world.coach)


# The pages


def _client(user, second_factor=True):
    client = Client()
    if second_factor:
        sign_in_past_second_factor(client, user)
    else:
        client.force_login(user)
    return client


def _survey_url(name, survey):
    return reverse(f"surveys:{name}", kwargs={"slug": survey.slug})


SURVEY_READS = ("staff_results", "staff_breakdown", "staff_texts", "export_csv", "export_xlsx")


@pytest.mark.parametrize("who", sorted(READ))
def test_survey_staff_pages_answer_by_the_rules(world, who):
    user = getattr(world, who)
    client = _client(user)
    if who == "resident":
        assert client.get(reverse("surveys:staff_list")).status_code == 403
        return
    for name in (*SURVEYS, "city_published"):
        survey = getattr(world, name)
        expected = 200 if name in READ[who] else 403
        for page in SURVEY_READS:
            assert client.get(_survey_url(page, survey)).status_code == expected, (name, page)


@pytest.mark.parametrize("who", sorted(BUILD))
def test_publishing_results_answers_by_the_rules(world, who):
    client = _client(getattr(world, who))
    for name in SURVEYS:
        survey = getattr(world, name)
        before = survey.results_published
        response = client.post(_survey_url("publish", survey), {"published": str(int(not before))})
        survey.refresh_from_db()
        if name in BUILD[who]:
            assert response.status_code == 302 and survey.results_published != before, name
        else:
            assert response.status_code == 403 and survey.results_published == before, name


@pytest.mark.parametrize("who", sorted(MODERATE))
def test_hearing_moderation_answers_by_the_rules(world, who):
    client = _client(getattr(world, who))
    for name in ("eastern_hearing", "city_hearing"):
        hearing = getattr(world, name)
        comment = hearing.comments.get()

        def moderate(action, data=None, hearing=hearing, comment=comment):
            return client.post(
                reverse(
                    "surveys:moderate",
                    kwargs={"slug": hearing.slug, "comment_id": comment.pk, "action": action},
                ),
                data or {},
            )

        page = client.get(reverse("surveys:moderation", kwargs={"slug": hearing.slug}))
        hidden = moderate("hide", {"reason": "Asiaton"})
        comment.refresh_from_db()
        was_hidden = comment.is_hidden
        restored = moderate("restore")
        answered = moderate("answer", {"text": "Kiitos kommentista"})
        comment.refresh_from_db()
        if name in MODERATE[who]:
            assert page.status_code == 200 and "Which option is better?" in page.content.decode()
            assert {hidden.status_code, restored.status_code, answered.status_code} == {302}
            assert was_hidden and not comment.is_hidden and comment.replies.get().is_official
        else:
            assert {page.status_code, hidden.status_code, restored.status_code} == {403}
            assert answered.status_code == 403
            assert not was_hidden and not comment.replies.exists()


def test_staff_lists_show_only_what_the_person_may_act_on(world):
    page = _client(world.moderator).get(reverse("surveys:staff_list")).content.decode()
    assert _survey_url("staff_results", world.eastern_survey) in page
    assert _survey_url("staff_results", world.draft) in page
    for other in (world.shared_survey, world.city_survey, world.central_published):
        assert _survey_url("staff_results", other) not in page
    assert reverse("surveys:moderation", kwargs={"slug": world.eastern_hearing.slug}) in page
    assert reverse("surveys:moderation", kwargs={"slug": world.city_hearing.slug}) not in page

    page = _client(world.central_reporter).get(reverse("surveys:staff_list")).content.decode()
    assert _survey_url("staff_results", world.central_published) in page
    assert _survey_url("staff_results", world.city_published) not in page
    assert "<h2>Hearings</h2>" not in page
    assert reverse("surveys:moderation", kwargs={"slug": world.eastern_hearing.slug}) not in page

    results = _client(world.reporter).get(_survey_url("staff_results", world.city_published))
    assert "Residents can see these results." in results.content.decode()
    assert _survey_url("publish", world.city_published) not in results.content.decode()
    results = _client(world.admin).get(_survey_url("staff_results", world.city_published))
    assert _survey_url("publish", world.city_published) in results.content.decode()


def test_the_staff_desk_offers_only_the_tools_a_person_may_use(world):
    desk = reverse("core:staff_desk")
    staff_list, builder_list = reverse("surveys:staff_list"), reverse("surveys:builder_list")
    page = _client(world.premises).get(desk).content.decode()
    assert staff_list not in page and builder_list not in page
    assert _client(world.premises).get(staff_list).status_code == 403
    page = _client(world.reporter).get(desk).content.decode()
    assert staff_list in page and builder_list not in page
    page = _client(world.coach).get(desk).content.decode()
    assert staff_list in page and builder_list in page


def test_a_coach_builds_the_surveys_of_their_district(world):
    client = _client(world.coach)
    assert client.get(reverse("surveys:builder_list")).status_code == 200
    mine = reverse("surveys:builder", kwargs={"survey_id": world.eastern_survey.pk})
    theirs = reverse("surveys:builder", kwargs={"survey_id": world.shared_survey.pk})
    assert client.get(mine).status_code == 200
    assert client.get(theirs).status_code == 403


STAFF_GETS = [
    ("surveys:staff_list", {}),
    ("surveys:staff_results", {"slug": "itainen"}),
    ("surveys:staff_breakdown", {"slug": "itainen"}),
    ("surveys:staff_texts", {"slug": "itainen"}),
    ("surveys:export_csv", {"slug": "itainen"}),
    ("surveys:export_xlsx", {"slug": "itainen"}),
    ("surveys:moderation", {"slug": "itainen-kuuleminen"}),
    ("surveys:builder_list", {}),
]


@pytest.mark.parametrize("who", ["admin", "moderator", "coach", "reporter"])
def test_staff_without_the_second_factor_are_sent_to_it_and_change_nothing(world, who):
    client = _client(getattr(world, who), second_factor=False)
    verify = reverse("accounts:mfa_verify")
    for name, kwargs in STAFF_GETS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and verify in response.url, name
    comment = world.eastern_hearing.comments.get()
    for action, data in (("hide", {"reason": "Asiaton"}), ("answer", {"text": "Vastaus"})):
        response = client.post(
            reverse(
                "surveys:moderate",
                kwargs={"slug": "itainen-kuuleminen", "comment_id": comment.pk, "action": action},
            ),
            data,
        )
        assert response.status_code == 302 and verify in response.url
    response = client.post(_survey_url("publish", world.eastern_survey), {"published": "1"})
    assert response.status_code == 302 and verify in response.url
    response = client.post(
        reverse("surveys:builder_page_add", kwargs={"survey_id": world.eastern_survey.pk})
    )
    assert response.status_code == 302 and verify in response.url
    comment.refresh_from_db()
    assert not comment.is_hidden and not comment.replies.exists()
    assert not Survey.objects.get(pk=world.eastern_survey.pk).results_published
    assert world.eastern_survey.pages.count() == 1
