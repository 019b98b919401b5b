"""Writing an initiative: who may start one and as whom, youth initiatives, drafts only
its authors edit, publishing, sending, withdrawing, and co-authors invited by e-mail."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from osallistu.initiatives import services
from osallistu.initiatives.models import (
    Author,
    AuthorKind,
    Category,
    Initiative,
    Invitation,
    State,
    Transition,
)
from osallistu.initiatives.services import AuthorDetails, InitiativeError, Place
from tests.factories import UserFactory, VerifiedResidentFactory
from tests.initiatives.conftest import born_years_ago, staff, start

pytestmark = pytest.mark.django_db


def refused(code, call, *args, **kwargs):
    with pytest.raises(InitiativeError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def test_a_resident_starts_a_draft_as_its_initiator(author, city):
    initiative = start(
        author,
        city["eastern"],
        title="  Penkkejä rantaan  ",
        place=Place(text="Aurinkolahti", latitude=Decimal("60.1987"), longitude=Decimal("25.1489")),
    )
    assert initiative.state == State.DRAFT
    assert initiative.title == "Penkkejä rantaan"
    assert initiative.has_point
    author_row = Author.objects.get(initiative=initiative)
    assert author_row.is_initiator and author_row.user == author
    assert AuditEntry.objects.filter(action="initiatives.started", actor=author).exists()


def test_communities_and_service_users_name_what_they_stand_for(city):
    person = UserFactory()
    refused(
        "organisation",
        start,
        person,
        city["city"],
        details=AuthorDetails(kind=AuthorKind.COMMUNITY, public_name="Aada"),
    )
    initiative = start(
        person,
        city["city"],
        details=AuthorDetails(
            kind=AuthorKind.SERVICE_USER, public_name="Aada", organisation="Itäkeskuksen uimahalli"
        ),
    )
    assert initiative.authors.get().organisation == "Itäkeskuksen uimahalli"


def test_a_person_living_elsewhere_is_not_a_resident_but_may_be_a_service_user(city):
    espoo = VerifiedResidentFactory(municipality_code="049")
    refused("not_resident", start, espoo, city["city"])
    start(
        espoo,
        city["city"],
        details=AuthorDetails(
            kind=AuthorKind.SERVICE_USER, public_name="Sanna", organisation="Helsingin kirjastot"
        ),
    )


def test_a_point_outside_helsinki_is_refused(author, city):
    refused(
        "place",
        start,
        author,
        city["city"],
        place=Place(latitude=Decimal("61.4978"), longitude=Decimal("23.7610")),
    )
    refused("place", start, author, city["city"], place=Place(latitude=Decimal("60.2")))


@pytest.mark.parametrize(("age", "allowed"), [(12, False), (13, True), (17, True), (18, False)])
def test_youth_initiatives_are_made_at_13_to_17(city, age, allowed):
    young = VerifiedResidentFactory(birth_date=born_years_ago(age))
    if allowed:
        assert start(young, city["eastern"], category=Category.YOUTH).category == Category.YOUTH
    else:
        refused("youth_age", start, young, city["eastern"], category=Category.YOUTH)


def test_a_youth_initiative_needs_a_known_age(city):
    refused("youth_age_unknown", start, UserFactory(), city["eastern"], category=Category.YOUTH)


def test_only_authors_edit_and_only_a_draft(draft, author, city):
    fields = {
        "category": Category.GENERAL,
        "title": "Uusi otsikko",
        "proposal": "Uusi ehdotus.",
        "rationale": "Perustelut.",
        "language": "sv",
        "area": city["city"],
    }
    with pytest.raises(PermissionDenied):
        services.update_initiative(initiative=draft, actor=UserFactory(), **fields)
    services.update_initiative(initiative=draft, actor=author, **fields)
    draft.refresh_from_db()
    assert (draft.title, draft.language, draft.area) == ("Uusi otsikko", "sv", city["city"])
    entry = AuditEntry.objects.get(action="initiatives.edited")
    assert {"title", "language", "area"} <= set(entry.data["fields"])

    services.publish_initiative(initiative=draft, actor=author)
    refused("not_draft", services.update_initiative, initiative=draft, actor=author, **fields)


def test_publishing_and_sending_are_public_transitions(draft, author):
    services.publish_initiative(initiative=draft, actor=author)
    refused("not_draft", services.publish_initiative, initiative=draft, actor=author)
    services.send_initiative(initiative=draft, actor=author)
    draft.refresh_from_db()
    assert draft.state == State.SENT and draft.sent_at is not None
    assert draft.deadline is None  # no 2 % support: no deadline from the law
    assert [(t.from_state, t.to_state, t.by_city) for t in draft.transitions.all()] == [
        (State.DRAFT, State.COLLECTING, False),
        (State.COLLECTING, State.SENT, False),
    ]
    assert AuditEntry.objects.filter(action="initiatives.sent", actor=author).exists()
    refused("already_sent", services.send_initiative, initiative=draft, actor=author)


def test_sending_tells_the_registry_of_the_area(draft, author, registry, city):
    other_district = staff(StaffRole.Role.REGISTRY, city["western"], email="west@example.fi")
    services.send_initiative(initiative=draft, actor=author)
    jobs.run_pending()
    registry_mail = [message for message in mail.outbox if "/staff/" in message.body]
    assert [message.to for message in registry_mail] == [[registry.email]]
    assert other_district.email not in {address for m in mail.outbox for address in m.to}
    assert f"/fi/initiatives/staff/{draft.pk}/" in registry_mail[0].body
    assert registry_mail[0].subject == f"Uusi kirjattava aloite: {draft.title}"  # in Finnish


def test_an_initiative_can_be_sent_straight_from_the_draft(draft, author):
    services.send_initiative(initiative=draft, actor=author)
    assert Transition.objects.get(initiative=draft).from_state == State.DRAFT


def test_others_cannot_publish_or_send(draft):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.publish_initiative(initiative=draft, actor=stranger)
    with pytest.raises(PermissionDenied):
        services.send_initiative(initiative=draft, actor=stranger)


def test_withdrawing_ends_it_with_the_reason(collecting, author):
    refused(
        "no_reason", services.withdraw_initiative, initiative=collecting, actor=author, reason=" "
    )
    services.withdraw_initiative(initiative=collecting, actor=author, reason="Ei tarvita enää.")
    collecting.refresh_from_db()
    assert collecting.state == State.ENDED and collecting.end_reason == "Ei tarvita enää."
    assert collecting.transitions.last().reason == "Ei tarvita enää."


def test_only_the_initiator_deletes_a_draft(draft, author):
    coauthor = UserFactory()
    Author.objects.create(initiative=draft, user=coauthor, kind="resident", public_name="Co")
    refused("not_initiator", services.delete_draft, initiative=draft, actor=coauthor)
    services.delete_draft(initiative=draft, actor=author)
    assert not Initiative.objects.exists()


def test_too_many_drafts(author, city, monkeypatch):
    from osallistu.initiatives.services import drafting

    monkeypatch.setattr(drafting, "MAX_DRAFTS_PER_PERSON", 2)
    start(author, city["city"])
    start(author, city["city"])
    refused("too_many_drafts", start, author, city["city"])


def invitation_token():
    jobs.run_pending()
    body = mail.outbox[-1].body
    return re.search(r"/initiatives/invitation/([^/]+)/", body)[1]


def test_a_coauthor_joins_through_the_link_in_the_email(draft, author):
    invitation = services.invite_coauthor(
        initiative=draft, actor=author, email=" Co.Author@Example.fi "
    )
    assert invitation.email == "co.author@example.fi"
    token = invitation_token()
    assert mail.outbox[-1].to == ["co.author@example.fi"]
    assert token not in Invitation.objects.get().token_digest  # only its digest is kept

    coauthor = UserFactory(email="co.author@example.fi")
    details = AuthorDetails(kind=AuthorKind.RESIDENT, public_name="Kalle Kanssa")
    services.accept_invitation(token=token, user=coauthor, details=details)
    assert draft.authors.filter(user=coauthor, is_initiator=False).exists()
    # Used: the link works once.
    refused(
        "invitation_invalid",
        services.accept_invitation,
        token=token,
        user=UserFactory(),
        details=details,
    )
    # The co-author may now send it.
    services.send_initiative(initiative=draft, actor=coauthor)


def test_invitations_are_refused_twice_and_after_sending(draft, author):
    services.invite_coauthor(initiative=draft, actor=author, email="a@example.fi")
    refused(
        "already_invited",
        services.invite_coauthor,
        initiative=draft,
        actor=author,
        email="A@example.fi",
    )
    refused(
        "already_author",
        services.invite_coauthor,
        initiative=draft,
        actor=author,
        email=author.email,
    )
    services.send_initiative(initiative=draft, actor=author)
    refused(
        "already_sent", services.invite_coauthor, initiative=draft, actor=author, email="b@x.fi"
    )


def test_an_old_invitation_is_no_longer_valid(draft, author):
    services.invite_coauthor(initiative=draft, actor=author, email="late@example.fi")
    token = invitation_token()
    Invitation.objects.update(invited_at=timezone.now() - timezone.timedelta(days=31))
    assert services.invitation_for(token) is None
    assert services.invitation_for("not-a-token") is None


def test_an_invitation_can_be_cancelled(draft, author):
    invitation = services.invite_coauthor(initiative=draft, actor=author, email="x@example.fi")
    token = invitation_token()
    services.cancel_invitation(invitation=invitation, actor=author)
    assert services.invitation_for(token) is None


def test_a_youth_initiative_takes_young_coauthors_only(city):
    young = VerifiedResidentFactory(birth_date=born_years_ago(15))
    initiative = start(young, city["eastern"], category=Category.YOUTH)
    services.invite_coauthor(initiative=initiative, actor=young, email="adult@example.fi")
    token = invitation_token()
    adult = VerifiedResidentFactory(email="adult@example.fi", birth_date=born_years_ago(40))
    refused(
        "youth_age",
        services.accept_invitation,
        token=token,
        user=adult,
        details=AuthorDetails(kind=AuthorKind.RESIDENT, public_name="Aikuinen"),
    )
