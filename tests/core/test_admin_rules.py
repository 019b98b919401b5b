"""What the admin refused or did through the services, tried as an administrator would:
by submitting the admin's own forms, as a browser does."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from osallistu.accounts.models import StaffRole, User
from osallistu.budgeting.models import Plan, Round
from osallistu.core.models import AuditEntry
from osallistu.surveys import polls
from osallistu.surveys import services as survey_services
from osallistu.surveys.models import Answer, Hearing, Poll, Question, Response
from tests.budgeting.factories import PlanFactory, RoundFactory
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor
from tests.premises.factories import SpaceFactory
from tests.surveys.factories import (
    HearingFactory,
    PollFactory,
    PollOptionFactory,
    QuestionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The fields the admin's change form would submit, with their current values."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_of(client, path):
    page = client.get(path)
    assert page.status_code == 200, path
    fields = FormFields()
    fields.feed(page.content.decode())
    fields.data.pop("csrfmiddlewaretoken", None)
    return fields.data


@pytest.fixture
def administrator(client):
    user = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN, user__is_superuser=True).user
    sign_in_past_second_factor(client, user)
    return user


def test_an_answered_question_is_neither_deleted_nor_changed(client, administrator):
    question = QuestionFactory(kind="short_text")
    response = Response.objects.create(survey=question.page.survey)
    Answer.objects.create(response=response, question=question, value="Enemmän penkkejä")
    path = f"/fi/admin/surveys/question/{question.pk}/"
    assert client.post(path + "delete/", {"post": "yes"}).status_code == 403
    page = client.get(path + "change/").content.decode()
    assert 'name="kind"' not in page and 'name="text_fi"' not in page
    assert client.post(path + "change/", {"kind": "number"}).status_code == 403
    question.refresh_from_db()
    assert question.kind == "short_text" and Answer.objects.count() == 1


def test_round_settings_are_saved_by_the_service_and_rounds_not_deleted(client, administrator):
    voting = RoundFactory(slug="voting-now", counting_rule="greedy")
    path = f"/fi/admin/budgeting/round/{voting.pk}/change/"
    data = form_of(client, path)
    assert "counting_rule" not in data and "slug" not in data  # fixed once voting started
    data.update(name_fi="Uusi nimi", counting_rule="mes", slug="moved")
    assert client.post(path, data).status_code == 302
    voting.refresh_from_db()
    assert (voting.name_fi, voting.counting_rule, voting.slug) == (
        "Uusi nimi",
        "greedy",
        "voting-now",
    )
    entry = AuditEntry.objects.get(action="budgeting.round_changed")
    assert entry.actor == administrator and entry.data == {"fields": ["name_fi"]}
    assert client.post(f"/fi/admin/budgeting/round/{voting.pk}/delete/").status_code == 403
    assert Round.objects.filter(pk=voting.pk).exists()


def test_a_plan_is_edited_by_the_service_and_its_status_only_by_actions(
    client, administrator, helsinki
):
    now = timezone.now()
    future = RoundFactory(
        voting_starts_at=now + timedelta(days=5), voting_ends_at=now + timedelta(days=9)
    )
    plan = PlanFactory(round=future, area=helsinki["eastern"], status="draft", code="I-001")
    path = f"/fi/admin/budgeting/plan/{plan.pk}/change/"
    data = form_of(client, path)
    assert "status" not in data and "round" not in data
    data.update(title_sv="Ny titel", cost_high="150000", status="funded")
    assert client.post(path, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.title_sv, plan.cost_high, plan.status) == ("Ny titel", 150_000, "draft")
    entry = AuditEntry.objects.get(action="budgeting.plan_changed")
    assert entry.data["fields"] == ["cost_high", "title_sv"]
    assert client.post(f"/fi/admin/budgeting/plan/{plan.pk}/delete/").status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_a_hearing_with_comments_or_votes_is_not_deleted(client, administrator):
    hearing = HearingFactory()
    section = SectionFactory(hearing=hearing)
    survey_services.post_comment(
        hearing=hearing, user=UserFactory(), text="Lisää puita", client_ip="192.0.2.1"
    )
    empty = HearingFactory()
    listing = client.get("/fi/admin/surveys/hearing/").content.decode()
    assert "delete_selected" not in listing  # no bulk delete past the checks
    assert client.post(f"/fi/admin/surveys/hearing/{hearing.pk}/delete/").status_code == 403
    assert client.post(f"/fi/admin/surveys/section/{section.pk}/delete/").status_code == 200
    response = client.post(f"/fi/admin/surveys/hearing/{empty.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(Hearing.objects.all()) == [hearing]
    assert AuditEntry.objects.filter(action="admin.deleted", target_id=str(empty.pk)).exists()


def test_a_poll_with_votes_keeps_its_kind_and_options(client, administrator):
    poll = PollFactory(kind="single")
    chosen = PollOptionFactory(poll=poll)
    PollOptionFactory(poll=poll)
    polls.vote(poll=poll, user=UserFactory(), option_ids=[chosen.pk], client_ip="192.0.2.1")
    path = f"/fi/admin/surveys/poll/{poll.pk}/"
    data = form_of(client, path + "change/")
    assert "kind" not in data
    assert not any(name.endswith("-DELETE") for name in data)  # options stay
    assert client.post(path + "delete/").status_code == 403
    assert client.post(f"/fi/admin/surveys/section/{poll.section_id}/delete/").status_code == 403
    data["kind"] = "multiple"
    assert client.post(path + "change/", data).status_code == 302
    assert Poll.objects.get(pk=poll.pk).kind == "single"


def test_a_space_with_bookings_is_not_deleted(client, administrator, helsinki):
    from osallistu.premises import services as premises_services
    from tests.premises.conftest import NOW, at

    space = SpaceFactory()
    premises_services.create_booking(
        space=space,
        booker=UserFactory(),
        begins_at=at(1, 17),
        ends_at=at(1, 19),
        attendees=5,
        now=NOW,
    )
    assert client.post(f"/fi/admin/premises/space/{space.pk}/delete/").status_code == 403
    assert client.post(f"/fi/admin/premises/unit/{space.unit_id}/delete/").status_code == 403


def test_accounts_and_roles_go_through_the_services(client, administrator, helsinki):
    response = client.post(
        "/fi/admin/accounts/user/add/",
        {
            "email": " Uusi.Luotsi@Hel.fi ",
            "password1": "a long phrase for a new coach",
            "password2": "a long phrase for a new coach",
            "_continue": "1",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="uusi.luotsi@hel.fi")
    assert person.check_password("a long phrase for a new coach")
    assert AuditEntry.objects.filter(action="accounts.created", actor=administrator).exists()

    path = f"/fi/admin/accounts/user/{person.pk}/change/"
    data = form_of(client, path)
    assert set(data) >= {"is_active", "roles-TOTAL_FORMS"}
    assert "email" not in data and "full_name" not in data and "is_superuser" not in data
    data.update(
        {
            "roles-TOTAL_FORMS": "1",
            "roles-0-role": "coach",
            "roles-0-area": str(helsinki["eastern"].pk),
            "email": "someone.else@example.fi",
            "is_superuser": "on",
        }
    )
    assert client.post(path, data).status_code == 302
    person.refresh_from_db()
    assert person.email == "uusi.luotsi@hel.fi" and not person.is_superuser
    assert person.is_staff and person.has_role(StaffRole.Role.CITY_COACH, helsinki["eastern"])
    assert AuditEntry.objects.filter(action="accounts.role_granted", target_id=str(person.pk))

    data = form_of(client, path)
    data["roles-0-DELETE"] = "on"
    data.pop("is_active")  # and close the account
    assert client.post(path, data).status_code == 302
    person.refresh_from_db()
    assert not person.is_staff and not person.is_active and not person.roles.exists()
    actions = set(
        AuditEntry.objects.filter(target_id=str(person.pk)).values_list("action", flat=True)
    )
    assert {"accounts.role_revoked", "accounts.closed"} <= actions

    assert client.post(f"/fi/admin/accounts/user/{person.pk}/delete/").status_code == 403
    # No page sets a person's password (then logs in as them, and votes).
    page = client.get(f"/fi/admin/accounts/user/{person.pk}/password/", follow=True)
    assert 'name="password1"' not in page.content.decode()


def test_a_voters_address_is_not_changed_in_the_admin(client, administrator):
    voter = UserFactory(email="aino@example.fi", full_name="Aino")
    path = f"/fi/admin/accounts/user/{voter.pk}/change/"
    data = form_of(client, path)
    data.update(email="attacker@example.fi", full_name="Someone", postal_code="00100")
    assert client.post(path, data).status_code == 302
    voter.refresh_from_db()
    assert (voter.email, voter.full_name, voter.postal_code) == ("aino@example.fi", "Aino", "")
    assert not Question.objects.exists()  # nothing else was touched
