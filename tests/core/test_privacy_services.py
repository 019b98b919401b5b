"""Deleting an account of someone with records at city coaches, in volunteering, in
feedback and initiatives: upcoming ones are cancelled as the person would cancel them
(coaches told, the waiting list moving up), past ones stay in the figures without the
person, and what cannot go yet is listed with its reason."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    ContactRequest,
    Event,
    EventSignup,
    RequestMessage,
    RequestStatus,
)
from osallistu.coaches.selectors.activity import activity as coach_activity
from osallistu.core import jobs, privacy
from osallistu.core.models import AuditEntry
from osallistu.feedback.models import Feedback
from osallistu.volunteering import selectors as volunteering
from osallistu.volunteering import services as volunteering_services
from osallistu.volunteering.models import SignUp, Talkoot
from tests.core import privacy_world
from tests.factories import UserFactory
from tests.volunteering.factories import MemberFactory, OpportunityFactory, ShiftFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return privacy_world.build(helsinki)


def figures():
    today = timezone.localdate()
    first, last = today - timedelta(days=400), today + timedelta(days=400)
    vol = volunteering.figures(first_day=first, last_day=last)
    activity = coach_activity(first_day=first, last_day=last)
    return {
        "volunteers": vol.volunteers,
        "signups": vol.signups,
        "hours": vol.hours,
        "by_age": [(row.volunteers, row.hours) for row in vol.by_age_group],
        "coaches": sorted(
            (row.month, row.coach.pk, row.district.pk, row.requests, row.appointments)
            for row in activity.rows
        ),
        "participants": sum(row.participants for row in activity.rows),
        "requests": ContactRequest.objects.count(),
        "appointments": Appointment.objects.count(),
        "feedback": Feedback.objects.count(),
    }


def test_past_records_stay_in_the_figures_without_the_person(world):
    resident, _others = world
    before = figures()

    privacy.delete_account(user=resident)

    assert figures() == before
    appointment = Appointment.objects.get()
    assert appointment.person is None and appointment.name == appointment.email == ""
    assert appointment.details == appointment.accessibility_needs == ""
    request = ContactRequest.objects.get()
    assert request.asker is None and request.question == "" and request.phone == ""
    assert request.status == RequestStatus.CLOSED
    assert not RequestMessage.objects.exists()
    assert not EventSignup.objects.filter(person__isnull=False).exists()
    kept = SignUp.objects.order_by("pk")
    assert [s.volunteer for s in kept] == [None, None]
    assert {s.name for s in kept} == {""} and {s.guardian_email for s in kept} == {""}
    # One key for the person's removed sign-ups, so they are still one volunteer.
    assert len({s.removed_volunteer for s in kept}) == 1
    assert [str(s.hours) for s in kept] == ["3.00", "None"]
    talkoot = Talkoot.objects.get()
    assert talkoot.proposer is None and talkoot.title == "Penkkitalkoot"
    feedback = Feedback.objects.get()
    assert feedback.author is None and feedback.contact_email == ""
    assert feedback.public_title == "Rikki penkki"
    logged = AuditEntry.objects.filter(action__endswith=".person_removed")
    assert sorted(entry.action for entry in logged) == [
        "coaches.person_removed",
        "volunteering.person_removed",
    ]


def test_the_public_pages_show_the_item_without_its_author(world, client):
    resident, _others = world
    feedback = Feedback.objects.get()
    privacy.delete_account(user=resident)
    page = client.get(f"/en/feedback/{feedback.pk}/")
    assert page.status_code == 200 and "Rikki penkki" in page.content.decode()
    from osallistu.initiatives.models import Initiative

    initiative = Initiative.objects.get(title="Aloite")
    page = client.get(f"/en/initiatives/{initiative.pk}/")
    assert page.status_code == 200 and "A removed author" in page.content.decode()


def test_upcoming_meetings_and_sign_ups_are_cancelled_and_others_move_up(world, helsinki):
    resident, others = world
    now = timezone.now()
    past = Appointment.objects.get()
    soon = now + timedelta(days=3)
    meeting = Appointment.objects.create(
        coach=past.coach,
        coach_kind="city",
        district=past.district,
        begins_at=soon,
        ends_at=soon + timedelta(minutes=30),
        place=past.place,
        person=resident,
        name="Aino Virtanen",
        email=resident.email,
        meeting_language="fi",
        topic=past.topic,
        state=AppointmentState.CONFIRMED,
    )
    event = Event.objects.get()
    coming = Event.objects.create(
        kind="workshop",
        title="Työpaja",
        district=event.district,
        organiser=event.organiser,
        begins_at=soon,
        ends_at=soon + timedelta(hours=1),
        place=event.place,
        signup_required=True,
        capacity=5,
        published_at=now,
    )
    from osallistu.coaches.services import events as event_services

    event_services.sign_up(event=coming, person=resident)
    shift = ShiftFactory(opportunity=OpportunityFactory(district=helsinki["eastern"]), capacity=1)
    volunteering_services.sign_up(shift=shift, volunteer=resident, name="Aino Virtanen")
    waiting = volunteering_services.sign_up(shift=shift, volunteer=others[1], name="Toinen")
    assert waiting.status == SignUp.Status.WAITING
    planned = Talkoot.objects.create(
        proposer=resident,
        title="Syystalkoot",
        description="Haravointi",
        district=helsinki["eastern"],
        place_text="Puisto",
        starts_on=timezone.localdate() + timedelta(days=20),
        ends_on=timezone.localdate() + timedelta(days=20),
        expected_participants=5,
        created_at=now,
    )
    mail.outbox.clear()

    with translation.override("en"):
        dry = privacy.delete_account(user=resident, dry_run=True)
    assert dry.blockers == []
    assert any("cancelled (2)" in str(a) for a in dry.actions), dry.actions
    assert Appointment.objects.get(pk=meeting.pk).state == AppointmentState.CONFIRMED

    privacy.delete_account(user=resident)
    jobs.run_pending()

    meeting.refresh_from_db()
    assert meeting.state == AppointmentState.CANCELLED and meeting.person is None
    assert meeting.name == "" and meeting.email == ""
    coming.refresh_from_db()
    assert coming.signup_count == 0
    assert EventSignup.objects.get(event=coming).cancelled_at is not None
    waiting.refresh_from_db()
    assert waiting.status == SignUp.Status.CONFIRMED  # moved up into the freed place
    shift.refresh_from_db()
    assert shift.taken == 1
    cancelled = SignUp.objects.get(shift=shift, status=SignUp.Status.CANCELLED)
    assert cancelled.cancelled_because == SignUp.CancelledBecause.VOLUNTEER
    assert cancelled.volunteer is None and cancelled.name == ""
    # The talkoot was not approved yet: it is cancelled, then deleted with the account.
    assert not Talkoot.objects.filter(pk=planned.pk).exists()
    # The coach is told, as on any cancellation; the one who moved up too.
    assert any(m.to == [past.coach.email] for m in mail.outbox), [m.to for m in mail.outbox]
    assert any(m.to == [others[1].email] for m in mail.outbox)


def test_what_cannot_go_yet_is_listed_in_the_dry_run_with_its_reason(world, helsinki):
    resident, _others = world
    request = ContactRequest.objects.get()
    ContactRequest.objects.filter(pk=request.pk).update(status=RequestStatus.IN_PROGRESS)
    today = timezone.localdate()
    Talkoot.objects.filter(proposer=resident).update(
        starts_on=today, ends_on=today + timedelta(days=1)
    )
    opportunity = OpportunityFactory(district=helsinki["eastern"])
    MemberFactory(organiser=opportunity.organiser, user=resident)
    before = figures()

    with translation.override("fi"):
        result = privacy.delete_account(user=resident, dry_run=True)
        reasons = [str(reason) for reason in result.blockers]
        with pytest.raises(privacy.AccountNotDeletable):
            privacy.delete_account(user=resident)

    assert len(reasons) == 3, reasons
    assert "Osallistuva budjetointi" in reasons[0] and "käsittelyssä" in reasons[0]
    assert "Penkkitalkoot" in " ".join(reasons)
    assert opportunity.organiser.name in " ".join(reasons)
    assert figures() == before
    # A second member lifts the organiser's reason.
    MemberFactory(organiser=opportunity.organiser, user=UserFactory())
    assert len(privacy.deletion_blockers(resident)) == 2
