"""Retention of feedback's, coaches' and volunteering's personal data: a record past its
period loses the person, one inside it is kept, the figures stay equal, and a second
run changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    ContactRequest,
    Event,
    EventSignup,
    RequestMessage,
    RequestStatus,
)
from osallistu.core import privacy
from osallistu.core.models import AuditEntry
from osallistu.feedback.models import Feedback
from osallistu.feedback.models import Status as FeedbackStatus
from osallistu.volunteering.models import SignUp
from tests.core import privacy_world
from tests.core.test_privacy_services import figures
from tests.factories import UserFactory
from tests.feedback.factories import PublicFeedbackFactory
from tests.volunteering.factories import OpportunityFactory, ShiftFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]
RULES = {
    "feedback.contacts",
    "coaches.appointments",
    "coaches.event_signups",
    "coaches.requests",
    "volunteering.signups",
    "volunteering.guardians",
}


@pytest.fixture
def world(helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return privacy_world.build(helsinki)


def ago(days):
    return timezone.now() - timedelta(days=days)


def old_records(resident, others, eastern):
    """Beside the world's young records, one of each kind past its default period."""
    old_feedback = PublicFeedbackFactory(
        contact_email="vanha@example.fi",
        contact_first_name="Vanha",
        contact_phone="+358409999999",
        status=FeedbackStatus.DONE,
        closed_at=ago(181),
        requested_at=ago(200),
    )
    open_feedback = PublicFeedbackFactory(contact_email="auki@example.fi", requested_at=ago(400))

    past = Appointment.objects.get()
    old_meeting = Appointment.objects.create(
        coach=past.coach,
        coach_kind="city",
        district=eastern,
        begins_at=ago(367),
        ends_at=ago(367) + timedelta(minutes=30),
        place=past.place,
        name="Vanha Asiakas",
        email="vanha@example.fi",
        meeting_language="fi",
        topic=past.topic,
        details="Vanha asia",
        state=AppointmentState.HELD,
    )
    event = Event.objects.get()
    old_event = Event.objects.create(
        kind="workshop",
        title="Vanha työpaja",
        district=eastern,
        organiser=event.organiser,
        begins_at=ago(370),
        ends_at=ago(370) + timedelta(hours=1),
        place=event.place,
        signup_required=True,
        capacity=5,
        signup_count=1,
        published_at=ago(380),
    )
    old_signup = EventSignup.objects.create(
        event=old_event, person=others[1], accessibility_needs="Tulkki"
    )
    request = ContactRequest.objects.get()
    old_request = ContactRequest.objects.create(
        kind="city",
        district=eastern,
        assigned_to=past.coach,
        asker=others[1],
        topic=past.topic,
        question="Vanha kysymys",
        status=RequestStatus.CLOSED,
        created_at=ago(400),
        closed_at=ago(366),
        updated_at=ago(366),
    )
    RequestMessage.objects.create(
        request=old_request, author=others[1], from_coach=False, body="Vanha", created_at=ago(400)
    )
    still_open = ContactRequest.objects.create(
        kind="city",
        district=eastern,
        asker=others[2],
        topic=past.topic,
        question="Yhä auki",
        status=RequestStatus.IN_PROGRESS,
        created_at=ago(400),
        updated_at=ago(400),
    )

    shift = ShiftFactory(
        opportunity=OpportunityFactory(district=eastern),
        starts_at=ago(370),
        ends_at=ago(370) + timedelta(hours=2),
    )
    second = ShiftFactory(
        opportunity=shift.opportunity, starts_at=ago(369), ends_at=ago(369) + timedelta(hours=2)
    )
    volunteer, other = UserFactory(), UserFactory()
    confirmed = {"status": SignUp.Status.CONFIRMED, "created_at": ago(380)}
    attended = {"attendance": SignUp.Attendance.ATTENDED, "hours": 2}
    old_signups = [
        SignUp.objects.create(
            shift=shift, volunteer=volunteer, name="Ville", age=40, **confirmed, **attended
        ),
        SignUp.objects.create(
            shift=second, volunteer=volunteer, name="Ville", age=40, **confirmed, **attended
        ),
        SignUp.objects.create(
            shift=shift,
            volunteer=other,
            name="Nuori",
            age=15,
            guardian_name="Isä",
            guardian_email="isa@example.fi",
            guardian_confirmed_at=ago(375),
            **confirmed,
        ),
    ]
    coming = ShiftFactory(opportunity=shift.opportunity)
    guardian_answered = SignUp.objects.create(
        shift=coming,
        volunteer=other,
        name="Nuori",
        age=15,
        guardian_name="Isä",
        guardian_email="isa@example.fi",
        guardian_confirmed_at=ago(31),
        status=SignUp.Status.CONFIRMED,
        created_at=ago(32),
    )
    guardian_waited = SignUp.objects.create(
        shift=ShiftFactory(opportunity=shift.opportunity),
        volunteer=other,
        name="Nuori",
        age=15,
        guardian_name="Isä",
        guardian_email="isa@example.fi",
        status=SignUp.Status.AWAITING_GUARDIAN,
        created_at=ago(40),
        consent_due=timezone.now() + timedelta(days=1),
    )
    return {
        "old_feedback": old_feedback,
        "open_feedback": open_feedback,
        "old_meeting": old_meeting,
        "old_signup": old_signup,
        "request": request,
        "old_request": old_request,
        "still_open": still_open,
        "old_signups": old_signups,
        "guardian_answered": guardian_answered,
        "guardian_waited": guardian_waited,
    }


def test_expired_records_lose_the_person_young_ones_are_kept(world, helsinki):
    resident, others = world
    made = old_records(resident, others, helsinki["eastern"])
    before = figures()

    done = privacy.apply_retention()

    assert {key: done[key] for key in RULES} == {
        "feedback.contacts": 1,
        "coaches.appointments": 1,
        "coaches.event_signups": 1,
        "coaches.requests": 1,
        # The volunteer's two; the other one volunteers still, so theirs wait.
        "volunteering.signups": 2,
        # The old minor's guardian (answered long ago) and the one answered 31 days ago.
        "volunteering.guardians": 2,
    }
    assert figures() == before
    # feedback: the old one's contacts go, the young and the open one keep theirs
    made["old_feedback"].refresh_from_db()
    assert made["old_feedback"].contact_email == made["old_feedback"].contact_phone == ""
    assert made["old_feedback"].public_title  # the case itself stays
    assert Feedback.objects.get(author=resident).contact_email == resident.email
    assert Feedback.objects.get(pk=made["open_feedback"].pk).contact_email == "auki@example.fi"
    # coaches
    made["old_meeting"].refresh_from_db()
    assert (
        made["old_meeting"].name == made["old_meeting"].email == made["old_meeting"].details == ""
    )
    assert Appointment.objects.get(person=resident).name == "Aino Virtanen"
    made["old_signup"].refresh_from_db()
    assert made["old_signup"].person is None and made["old_signup"].accessibility_needs == ""
    assert EventSignup.objects.filter(person=resident).count() == 2
    made["old_request"].refresh_from_db()
    assert made["old_request"].asker is None and made["old_request"].question == ""
    assert not RequestMessage.objects.filter(request=made["old_request"]).exists()
    assert ContactRequest.objects.get(pk=made["request"].pk).asker == resident
    assert ContactRequest.objects.get(pk=made["still_open"].pk).question == "Yhä auki"
    # volunteering: one key per person among the removed sign-ups
    old = SignUp.objects.filter(pk__in=[s.pk for s in made["old_signups"]]).order_by("pk")
    assert [s.volunteer for s in old[:2]] == [None, None] and {s.name for s in old[:2]} == {""}
    assert old[0].removed_volunteer == old[1].removed_volunteer is not None
    assert old[2].volunteer is not None and old[2].name == "Nuori"
    assert old[2].guardian_email == ""
    assert SignUp.objects.filter(volunteer=resident).count() == 2
    made["guardian_answered"].refresh_from_db()
    assert made["guardian_answered"].guardian_email == ""
    assert made["guardian_answered"].name == "Nuori"  # the volunteer's own details stay
    made["guardian_waited"].refresh_from_db()
    assert made["guardian_waited"].guardian_email == "isa@example.fi"
    logged = AuditEntry.objects.filter(action="privacy.retention")
    assert {entry.data["rule"] for entry in logged} >= RULES

    # A second run finds nothing more.
    again = privacy.apply_retention()
    assert sum(again[key] for key in RULES) == 0
    assert figures() == before


def test_a_longer_period_keeps_what_the_default_would_erase(world, helsinki, settings):
    resident, others = world
    made = old_records(resident, others, helsinki["eastern"])
    settings.RETENTION_COACH_APPOINTMENTS_DAYS = 400
    settings.RETENTION_VOLUNTEER_SIGNUPS_DAYS = 400
    done = privacy.apply_retention()
    assert done["coaches.appointments"] == done["volunteering.signups"] == 0
    made["old_meeting"].refresh_from_db()
    assert made["old_meeting"].name == "Vanha Asiakas"
