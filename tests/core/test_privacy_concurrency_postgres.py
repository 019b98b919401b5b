"""Deleting an account on PostgreSQL while the person cancels a sign-up or a meeting at
the same moment: both finish or one is refused with its reason (never a deadlock),
the place is freed once, the waiting list moves up once, and the account is gone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from osallistu.accounts.models import User
from osallistu.coaches.models import Appointment, AppointmentState
from osallistu.coaches.services import appointments
from osallistu.core import privacy
from osallistu.core.errors import DomainError
from osallistu.core.models import AuditEntry
from osallistu.volunteering import services
from osallistu.volunteering.models import SignUp
from tests.coaches.factories import PlaceFactory, TopicFactory, make_coach
from tests.volunteering.conftest import adult
from tests.volunteering.factories import ShiftFactory
from tests.volunteering.test_concurrency_postgres import assert_consistent, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def allowed(outcome):
    return not isinstance(outcome, Exception) or isinstance(outcome, DomainError)


@pytest.mark.parametrize("round", range(4))
def test_deleting_while_cancelling_a_sign_up(helsinki, settings, round):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shift = ShiftFactory(capacity=1)
    person, next_in_line = adult(), adult()
    mine = services.sign_up(shift=shift, volunteer=person, name="Aino Virtanen")
    waiting = services.sign_up(shift=shift, volunteer=next_in_line, name="Toinen")

    cancel = lambda: services.cancel_signup(signup=mine, user=person)  # noqa: E731
    delete = lambda: privacy.delete_account(user=person)  # noqa: E731
    actions = [cancel, delete] if round % 2 else [delete, cancel]
    outcomes = run_together(actions)

    assert all(allowed(outcome) for outcome in outcomes), outcomes
    assert not User.objects.filter(pk=person.pk).exists()
    mine.refresh_from_db()
    assert mine.status == SignUp.Status.CANCELLED and mine.volunteer is None
    waiting.refresh_from_db()
    assert waiting.status == SignUp.Status.CONFIRMED
    assert_consistent(shift)
    cancelled = AuditEntry.objects.filter(
        action="volunteering.signup_cancelled", target_id=str(mine.pk)
    )
    assert cancelled.count() == 1
    moved = AuditEntry.objects.filter(action="volunteering.signup_moved_up")
    assert moved.count() == 1


@pytest.mark.parametrize("round", range(2))
def test_deleting_while_cancelling_a_meeting(helsinki, settings, round):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    coach = make_coach(helsinki["central"])
    person = adult(email="aino@example.fi")
    soon = timezone.now() + timedelta(days=2)
    meeting = Appointment.objects.create(
        coach=coach,
        coach_kind="city",
        district=helsinki["central"],
        begins_at=soon,
        ends_at=soon + timedelta(minutes=30),
        place=PlaceFactory(),
        person=person,
        name="Aino Virtanen",
        email=person.email,
        meeting_language="fi",
        topic=TopicFactory(),
        state=AppointmentState.CONFIRMED,
    )
    cancel = lambda: appointments.cancel_appointment(appointment=meeting, user=person)  # noqa: E731
    delete = lambda: privacy.delete_account(user=person)  # noqa: E731
    outcomes = run_together([cancel, delete] if round else [delete, cancel])

    assert all(allowed(outcome) for outcome in outcomes), outcomes
    assert not User.objects.filter(pk=person.pk).exists()
    meeting.refresh_from_db()
    assert meeting.state == AppointmentState.CANCELLED and meeting.person is None
    assert meeting.name == "" and meeting.email == ""
    assert (
        AuditEntry.objects.filter(
            action="coaches.appointment_cancelled", target_id=str(meeting.pk)
        ).count()
        == 1
    )
