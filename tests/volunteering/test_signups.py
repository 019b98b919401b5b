"""Sign-ups: places and the waiting list, cancelling and the deadline, the waiting
list moving up, guardians' consent for under-18s, and the constraints behind them."""

import datetime
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from osallistu.core import jobs
from osallistu.volunteering import services, tasks
from osallistu.volunteering.models import Shift, SignUp
from osallistu.volunteering.services import VolunteeringError
from tests.factories import UserFactory
from tests.volunteering.conftest import adult, teen
from tests.volunteering.factories import ShiftFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]
Status = SignUp.Status


def sign(shift, person=None, **kwargs):
    person = person or adult()
    kwargs.setdefault("name", person.full_name or "Volunteer")
    return services.sign_up(shift=shift, volunteer=person, **kwargs)


def refused(code, function, **kwargs):
    with pytest.raises(VolunteeringError) as caught:
        function(**kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def test_places_then_waiting_list_in_order(shift):
    first = [sign(shift) for _ in range(3)]
    waiting = [sign(shift) for _ in range(2)]
    assert [s.status for s in first] == [Status.CONFIRMED] * 3
    assert [s.status for s in waiting] == [Status.WAITING] * 2
    shift.refresh_from_db()
    assert shift.taken == 3 and shift.places_left == 0

    services.cancel_signup(signup=first[1], user=first[1].volunteer)
    for signup in waiting:
        signup.refresh_from_db()
    assert waiting[0].status == Status.CONFIRMED and waiting[0].held_since is not None
    assert waiting[1].status == Status.WAITING
    shift.refresh_from_db()
    assert shift.taken == 3 == shift.signups.holding().count()


def test_cancelling_a_waiting_place_frees_nothing(shift):
    held = [sign(shift) for _ in range(3)]
    waiting = sign(shift)
    services.cancel_signup(signup=waiting, user=waiting.volunteer)
    shift.refresh_from_db()
    assert shift.taken == 3
    assert {s.status for s in SignUp.objects.filter(pk__in=[h.pk for h in held])} == {
        Status.CONFIRMED
    }


def test_nobody_jumps_the_waiting_list(shift):
    """A place freed while people wait goes to the first of them, never to a newcomer,
    even after more places are added."""
    for _ in range(3):
        sign(shift)
    first_waiting = sign(shift)
    member = UserFactory()
    shift.opportunity.organiser.memberships.create(user=member)
    services.update_shift(
        shift=shift,
        member=member,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        capacity=4,
    )
    first_waiting.refresh_from_db()
    assert first_waiting.status == Status.CONFIRMED
    newcomer = sign(shift)
    assert newcomer.status == Status.WAITING


def test_one_active_sign_up_per_person_and_shift(shift):
    person = adult()
    sign(shift, person)
    refused("already_signed_up", sign, shift=shift, person=person)
    # The database holds it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(
            shift=shift,
            volunteer=person,
            name="x",
            age=30,
            status=Status.WAITING,
            created_at=timezone.now(),
        )


def test_cancelled_person_may_sign_up_again(shift):
    person = adult()
    signup = sign(shift, person)
    services.cancel_signup(signup=signup, user=person)
    assert sign(shift, person).status == Status.CONFIRMED


def test_capacity_constraint_in_the_database(shift):
    with pytest.raises(IntegrityError, match="shift_capacity_not_exceeded"), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(taken=shift.capacity + 1)


def test_cancellation_deadline(shift):
    signup = sign(shift)
    opportunity = shift.opportunity
    deadline = shift.starts_at - datetime.timedelta(hours=opportunity.cancel_hours_before)
    error = refused(
        "too_late",
        services.cancel_signup,
        signup=signup,
        user=signup.volunteer,
        now=deadline + datetime.timedelta(minutes=1),
    )
    with translation.override("fi"):
        assert "Kerro yhteyshenkilölle" in str(error)
    services.cancel_signup(signup=signup, user=signup.volunteer, now=deadline)
    signup.refresh_from_db()
    assert signup.status == Status.CANCELLED
    assert signup.cancelled_because == SignUp.CancelledBecause.VOLUNTEER


def test_nobody_cancels_another_persons_sign_up(shift):
    signup = sign(shift)
    refused("not_allowed", services.cancel_signup, signup=signup, user=adult())


def test_refusals(shift, helsinki):
    refused("birth_date_required", sign, shift=shift, person=UserFactory())
    person = UserFactory()
    signup = sign(shift, person, birth_date=datetime.date(1980, 1, 1))
    assert signup.age >= 40 and person.birth_date is None  # told, kept with the sign-up only
    refused("too_young", sign, shift=shift, person=teen(16))
    past = ShiftFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    refused("shift_started", sign, shift=past)
    draft = ShiftFactory()
    draft.opportunity.status = "draft"
    draft.opportunity.save()
    refused("unavailable", sign, shift=draft)
    unverified = ShiftFactory()
    unverified.opportunity.organiser.status = "pending"
    unverified.opportunity.organiser.save()
    refused("unavailable", sign, shift=unverified)


# ---------------------------------------------------------------------------- guardians


def test_sign_up_page_asks_the_date_of_birth_when_the_account_has_none(shift):
    from django.test import Client

    person = UserFactory(full_name="Pekka Paperiton")
    assert person.birth_date is None
    client = Client()
    client.force_login(person)
    url = f"/fi/volunteering/shifts/{shift.pk}/sign-up/"
    future = client.post(url, {"name": "Pekka", "birth_date": "2090-01-01"})
    assert future.status_code == 200
    assert "Tarkista syntymäaikasi" in str(future.context["form"].errors["birth_date"])
    response = client.post(url, {"name": "Pekka", "birth_date": "1961-03-15"})
    signup = SignUp.objects.get(volunteer=person)
    assert response.status_code == 302 and signup.status == Status.CONFIRMED
    assert signup.age >= 60


def _token_from_mail():
    jobs.run_pending()
    guardian_mail = [m for m in mail.outbox if "/volunteering/guardian/" in m.body]
    assert guardian_mail, [m.subject for m in mail.outbox]
    return guardian_mail[-1], re.search(
        r"/volunteering/guardian/([^/\s]+)/", guardian_mail[-1].body
    )[1]


def test_under_18_needs_a_guardian(youth_shift):
    person = teen(15)
    refused("guardian_required", sign, shift=youth_shift, person=person)
    refused(
        "guardian_is_volunteer",
        sign,
        shift=youth_shift,
        person=person,
        guardian_name="Äiti",
        guardian_email=person.email,
    )
    refused(
        "too_young",
        sign,
        shift=youth_shift,
        person=teen(12),
        guardian_name="Isä",
        guardian_email="isa@example.fi",
    )


def test_guardian_consent_confirms_a_held_place(youth_shift):
    person = teen(15, preferred_language="sv")
    signup = sign(
        youth_shift,
        person,
        guardian_name="Maria",
        guardian_email="Maria@Example.fi",
        guardian_language="fi",
    )
    assert signup.status == Status.AWAITING_GUARDIAN
    assert signup.guardian_email == "maria@example.fi"
    youth_shift.refresh_from_db()
    assert youth_shift.taken == 1  # the place is held while the guardian answers
    guardian_mail, token = _token_from_mail()
    assert guardian_mail.to == ["maria@example.fi"]
    assert guardian_mail.subject.startswith("Vahvista")  # the guardian's language
    volunteer_mail = next(m for m in mail.outbox if m.to == [person.email])
    assert volunteer_mail.subject.startswith("Väntar på")  # the volunteer's language
    assert token not in volunteer_mail.body

    # The database refuses to count it before the guardian consents.
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.filter(pk=signup.pk).update(status=Status.CONFIRMED)

    services.give_consent(token=token)
    signup.refresh_from_db()
    assert signup.status == Status.CONFIRMED and signup.guardian_confirmed_at
    services.give_consent(token=token)  # twice changes nothing
    refused("unknown_link", services.give_consent, token="not-a-token")


def test_guardian_refuses_and_the_place_moves_on(youth_shift):
    youth_shift.capacity = 1
    youth_shift.save()
    young = sign(youth_shift, teen(14), guardian_name="G", guardian_email="g@example.fi")
    next_in_line = sign(youth_shift)
    assert next_in_line.status == Status.WAITING
    _mail, token = _token_from_mail()
    services.refuse_consent(token=token)
    young.refresh_from_db()
    next_in_line.refresh_from_db()
    assert young.status == Status.CANCELLED
    assert young.cancelled_because == SignUp.CancelledBecause.NO_CONSENT
    assert next_in_line.status == Status.CONFIRMED


def test_consent_not_given_in_time_lapses(youth_shift, settings):
    youth_shift.capacity = 1
    youth_shift.save()
    young = sign(youth_shift, teen(16), guardian_name="G", guardian_email="g@example.fi")
    waiting = sign(youth_shift)
    due = young.consent_due
    assert (
        due
        == timezone.now().replace(microsecond=0)
        + datetime.timedelta(hours=settings.VOLUNTEERING_CONSENT_HOURS)
        or due > timezone.now()
    )
    job = tasks.lapse_consent.jobs().get()
    assert job.run_after == due and job.payload == {"signup": young.pk}
    # Early: nothing happens.
    assert services.lapse_consent(signup=young, now=due - datetime.timedelta(minutes=1)) is None
    services.lapse_consent(signup=young, now=due)
    young.refresh_from_db()
    waiting.refresh_from_db()
    assert young.status == Status.CANCELLED and waiting.status == Status.CONFIRMED


def test_waiting_teen_with_consent_moves_straight_to_a_confirmed_place(youth_shift):
    youth_shift.capacity = 1
    youth_shift.save()
    first = sign(youth_shift)
    young = sign(youth_shift, teen(15), guardian_name="G", guardian_email="g@example.fi")
    assert young.status == Status.WAITING
    _mail, token = _token_from_mail()
    services.give_consent(token=token)
    young.refresh_from_db()
    assert young.status == Status.WAITING and young.guardian_confirmed_at
    services.cancel_signup(signup=first, user=first.volunteer)
    young.refresh_from_db()
    assert young.status == Status.CONFIRMED


def test_waiting_teen_without_consent_moves_up_to_a_held_place(youth_shift):
    youth_shift.capacity = 1
    youth_shift.save()
    first = sign(youth_shift)
    young = sign(youth_shift, teen(15), guardian_name="G", guardian_email="g@example.fi")
    services.cancel_signup(signup=first, user=first.volunteer)
    young.refresh_from_db()
    assert young.status == Status.AWAITING_GUARDIAN and young.consent_due


# ---------------------------------------------------------------------------- e-mails


def test_emails_in_each_persons_language(shift):
    fi = adult(preferred_language="fi")
    sv = adult(preferred_language="sv")
    en = adult(preferred_language="en")
    waiting = adult(preferred_language="sv")
    # Signed up from Finnish pages: each e-mail is still in its recipient's language,
    # the task's title too.
    with translation.override("fi"):
        for person in (fi, sv, en, waiting):
            sign(shift, person)
    jobs.run_pending()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    opportunity = shift.opportunity
    assert subjects[fi.email] == f"Sinulla on paikka: {opportunity.title_fi}"
    assert subjects[sv.email] == f"Du har en plats: {opportunity.title_sv}"
    assert subjects[en.email] == f"You have a place: {opportunity.title_en}"
    assert subjects[waiting.email] == f"På väntelistan: {opportunity.title_sv}"
    confirmation = next(m for m in mail.outbox if m.to == [en.email])
    name, content, kind = confirmation.attachments[0]
    assert name == "shift.ics" and kind == "text/calendar"
    assert "BEGIN:VEVENT" in content and shift.opportunity.title_en in content


def test_reminder_48_hours_before_once_per_person(shift):
    signups = [sign(shift) for _ in range(2)]
    services.cancel_signup(signup=signups[1], user=signups[1].volunteer)
    job = tasks.remind_shift.jobs().filter(payload__shift=shift.pk)
    # The factory made the shift without the service: queue as the service does.
    assert not job.exists()
    mail.outbox.clear()
    result = tasks.remind_shift.call(shift=shift.pk, starts_at=shift.starts_at.isoformat())
    assert result == {"reminded": 1}
    assert tasks.remind_shift.call(shift=shift.pk, starts_at=shift.starts_at.isoformat()) == {
        "reminded": 0
    }
    moved = tasks.remind_shift.call(
        shift=shift.pk, starts_at=(shift.starts_at + datetime.timedelta(hours=1)).isoformat()
    )
    assert moved == {"reminded": 0}
    jobs.run_pending()
    reminders = [m for m in mail.outbox if m.subject.startswith("Muistutus")]
    assert len(reminders) == 1 and reminders[0].to == [signups[0].volunteer.email]
