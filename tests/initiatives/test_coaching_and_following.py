"""City coaches help authors, and followers get e-mails they asked for and can stop."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.initiatives import selectors, services
from osallistu.initiatives.models import Follower
from tests.factories import UserFactory
from tests.initiatives.conftest import staff, start, supporter
from tests.initiatives.test_drafting import refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def coaches(city):
    return {
        "eastern": staff(StaffRole.Role.CITY_COACH, city["eastern"], email="itainen@example.fi"),
        "eastern2": staff(StaffRole.Role.CITY_COACH, city["eastern"], email="itainen2@example.fi"),
        "western": staff(StaffRole.Role.CITY_COACH, city["western"], email="lantinen@example.fi"),
    }


def test_asking_for_help_assigns_the_districts_least_busy_coach(draft, author, coaches, city):
    refused("no_message", services.request_help, initiative=draft, actor=author, message=" ")
    services.request_help(initiative=draft, actor=author, message="Miten kerään tukea?")
    draft.refresh_from_db()
    assert draft.coach == coaches["eastern"]
    other = start(author, city["eastern"], title="Toinen")
    services.request_help(initiative=other, actor=author, message="Apua")
    other.refresh_from_db()
    assert other.coach == coaches["eastern2"]
    jobs.run_pending()
    assert [m.to for m in mail.outbox] == [[coaches["eastern"].email], [coaches["eastern2"].email]]
    assert "Miten kerään tukea?" in mail.outbox[0].body


def test_a_city_wide_initiative_gets_the_coach_of_the_initiators_home_district(
    author, coaches, city
):
    initiative = start(author, city["city"])  # the author lives in the Eastern district
    services.request_help(initiative=initiative, actor=author, message="Apua")
    initiative.refresh_from_db()
    assert initiative.coach in (coaches["eastern"], coaches["eastern2"])


def test_without_a_coach_the_request_waits_for_the_registry(author, city, registry, coaches):
    initiative = start(author, city["northern"])
    services.request_help(initiative=initiative, actor=author, message="Apua")
    initiative.refresh_from_db()
    assert initiative.coach is None and initiative.help_requested_at is not None
    services.send_initiative(initiative=initiative, actor=author)
    help_queue = list(selectors.staff_queue(registry, show="help"))
    assert [item.pk for item in help_queue] == [initiative.pk]
    services.assign_coach(initiative=initiative, actor=registry, coach=coaches["western"])
    initiative.refresh_from_db()
    assert initiative.coach == coaches["western"]


def test_only_authors_ask_and_only_the_registry_assigns(draft, coaches, registry):
    with pytest.raises(PermissionDenied):
        services.request_help(initiative=draft, actor=UserFactory(), message="Apua")
    with pytest.raises(PermissionDenied):
        services.assign_coach(initiative=draft, actor=coaches["eastern"], coach=coaches["eastern"])
    refused(
        "not_coach",
        services.assign_coach,
        initiative=draft,
        actor=registry,
        coach=UserFactory(is_staff=True),
    )


def test_the_coach_queue_lists_assigned_and_waiting_initiatives(author, coaches, city):
    mine = start(author, city["eastern"])
    services.request_help(initiative=mine, actor=author, message="Apua")
    mine.refresh_from_db()
    coach = mine.coach
    assigned, waiting = selectors.coach_queue(coach)
    assert [item.pk for item in assigned] == [mine.pk]
    assert waiting == []
    lonely = start(author, city["western"])
    services.request_help(initiative=lonely, actor=author, message="Apua")  # western coach
    lonely.refresh_from_db()
    lonely.coach = None
    lonely.save()
    assigned, waiting = selectors.coach_queue(coaches["western"])
    assert assigned == [] and [item.pk for item in waiting] == [lonely.pk]


def test_the_assigned_coach_sees_the_draft(draft, author, coaches, client):
    from tests.factories import sign_in_past_second_factor

    services.request_help(initiative=draft, actor=author, message="Apua")
    draft.refresh_from_db()
    assert client.get(f"/en/initiatives/{draft.pk}/").status_code == 404
    sign_in_past_second_factor(client, draft.coach)
    assert client.get(f"/en/initiatives/{draft.pk}/").status_code == 200
    sign_in_past_second_factor(client, coaches["western"])
    assert client.get(f"/en/initiatives/{draft.pk}/").status_code == 404


def test_a_districts_coach_sees_a_draft_only_once_its_authors_ask_for_help(
    draft, author, coaches, client
):
    """A draft is its authors' until they publish it, send it or ask for help."""
    from tests.factories import sign_in_past_second_factor

    sign_in_past_second_factor(client, coaches["eastern"])
    assert client.get(f"/en/initiatives/{draft.pk}/").status_code == 404
    services.request_help(initiative=draft, actor=author, message="Apua")
    draft.refresh_from_db()
    draft.coach = None  # waiting for the registry to choose a coach
    draft.save(update_fields=["coach"])
    for coach in (coaches["eastern"], coaches["eastern2"]):
        sign_in_past_second_factor(client, coach)
        assert client.get(f"/en/initiatives/{draft.pk}/").status_code == 200


def test_followers_get_state_changes_with_a_link_that_stops_them(collecting, author, client):
    follower = supporter(email="seuraaja@example.fi", preferred_language="sv")
    services.follow(initiative=collecting, user=follower)
    refused("already_following", services.follow, initiative=collecting, user=follower)
    jobs.run_pending()
    mail.outbox.clear()
    services.send_initiative(initiative=collecting, actor=author)
    jobs.run_pending()
    to_follower = [m for m in mail.outbox if m.to == [follower.email]]
    assert len(to_follower) == 1
    body = to_follower[0].body
    assert "Skickat till staden" in body  # in the follower's language
    link = re.search(r"http://[^/]+(/sv/initiatives/unsubscribe/[^/]+/)", body)[1]
    # The author made the change, so the author is not told of it.
    assert not [m for m in mail.outbox if m.to == [author.email]]

    page = client.get(link)
    assert page.status_code == 200 and Follower.objects.filter(user=follower).exists()
    done = client.post(link)
    assert done.status_code == 200
    assert not Follower.objects.filter(user=follower).exists()
    assert client.post(link).status_code == 404


def test_a_draft_cannot_be_followed(draft):
    refused("draft", services.follow, initiative=draft, user=supporter())


def test_unfollowing(collecting):
    person = supporter()
    services.follow(initiative=collecting, user=person)
    assert services.unfollow(initiative=collecting, user=person)
    assert not services.unfollow(initiative=collecting, user=person)
