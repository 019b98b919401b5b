"""Sign-ups for shifts: taking a place or a place on the waiting list, a guardian's
consent for under-18s, cancelling, and the waiting list moving up.

Every write that takes or frees a place first locks the shift's row (``_lock_shift``),
so that sign-ups and cancellations of one shift queue: each sees the places the others
committed, the waiting list moves up in the same transaction that freed the place
(nobody who signs up at that moment takes it past the people waiting), and ``taken``
always equals the sign-ups holding a place. On SQLite every transaction is IMMEDIATE
(config/settings.py), which serialises the same writes. The check constraint
``shift_capacity_not_exceeded`` is the database's last word on capacity.
"""

import hashlib
import secrets
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from .. import notifications, tasks
from ..models import HOLDING, Shift, SignUp
from ..permissions import may_manage_organiser
from ..selectors import CITY_TZ
from .errors import refuse

Status = SignUp.Status
Because = SignUp.CancelledBecause


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def age_on(birth_date, day):
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def _lock_shift(shift):
    return (
        Shift.objects.select_for_update(of=("self",))
        .select_related("opportunity", "opportunity__organiser")
        .get(pk=shift.pk)
    )


def _lock_signup(signup):
    return (
        SignUp.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=signup.pk)
    )


def cancellation_deadline(shift):
    return shift.starts_at - timedelta(hours=shift.opportunity.cancel_hours_before)


def consent_deadline(shift, now):
    """How long a place waits for a guardian's consent: the setting's hours, or until
    the shift begins if that is sooner."""
    return min(now + timedelta(hours=settings.VOLUNTEERING_CONSENT_HOURS), shift.starts_at)


# ---------------------------------------------------------------------------- checks


def check_volunteer(volunteer):
    if volunteer is None or not volunteer.is_authenticated or not volunteer.is_active:
        refuse("not_signed_in", _("Please log in to sign up."))


def check_shift_open(shift, now):
    opportunity = shift.opportunity
    if not opportunity.is_public or opportunity.status != opportunity.Status.PUBLISHED:
        refuse("unavailable", _("This task is not taking volunteers at the moment."))
    if shift.status != Shift.Status.OPEN:
        refuse("shift_cancelled", _("This shift has been cancelled."))
    if shift.starts_at <= now:
        refuse("shift_started", _("This shift has already begun. Please choose a later one."))


def volunteer_age(volunteer, shift, birth_date=None):
    """Completed years when the shift begins: from the account's birth date when it is
    known, else from the one given on the form."""
    known = volunteer.birth_date or birth_date
    if known is None:
        refuse("birth_date_required", _("Please give your date of birth."))
    day = timezone.localtime(shift.starts_at, CITY_TZ).date()
    if known > day:
        refuse("birth_date_invalid", _("Please check your date of birth."))
    return age_on(known, day)


def check_age(opportunity, age):
    youngest = opportunity.youngest_age()
    if age < youngest:
        if opportunity.under_18_allowed:
            refuse(
                "too_young",
                _("This task is for people aged %(age)s or older."),
                age=youngest,
            )
        refuse("too_young", _("This task is for adults (18 or older)."))


def check_guardian(volunteer, age, guardian_name, guardian_email):
    if age >= 18:
        return
    if not guardian_name.strip() or not guardian_email.strip():
        refuse(
            "guardian_required",
            _(
                "You are under 18: give the name and e-mail address of your guardian, "
                "who confirms your sign-up."
            ),
        )
    if volunteer.email and guardian_email.strip().lower() == volunteer.email.lower():
        refuse(
            "guardian_is_volunteer",
            _("Give your guardian's own e-mail address, not yours."),
        )


# ---------------------------------------------------------------------------- places


def _take_place(shift, signup, now):
    """Give ``signup`` a place of the locked ``shift``: confirmed, or held while a
    guardian's consent is waited for."""
    if signup.needs_consent and signup.guardian_confirmed_at is None:
        signup.status = Status.AWAITING_GUARDIAN
        signup.consent_due = consent_deadline(shift, now)
    else:
        signup.status = Status.CONFIRMED
        signup.consent_due = None
    signup.held_since = now
    shift.taken += 1
    shift.save(update_fields=["taken"])


def _fill_places(shift, now):
    """Move the waiting list up into the locked ``shift``'s free places, first come
    first served, unless the shift has begun or is cancelled. Returns who moved up."""
    moved = []
    if shift.status != Shift.Status.OPEN or shift.starts_at <= now:
        return moved
    while shift.taken < shift.capacity:
        signup = shift.signups.waiting().select_for_update(of=("self",)).first()
        if signup is None:
            break
        _take_place(shift, signup, now)
        signup.save(update_fields=["status", "held_since", "consent_due"])
        audit.record(
            action="volunteering.signup_moved_up",
            target=signup,
            data={"status": signup.status},
        )
        _after_place(signup)
        notifications.moved_up(signup)
        moved.append(signup)
    return moved


def _after_place(signup):
    if signup.status == Status.AWAITING_GUARDIAN:
        tasks.lapse_consent.using(run_after=signup.consent_due).enqueue(signup=signup.pk)


def _cancel(shift, signup, *, because, note="", actor=None, now):
    """Cancel ``signup`` of the locked ``shift``, free its place and move the waiting
    list up."""
    held = signup.status in HOLDING
    signup.status = Status.CANCELLED
    signup.cancelled_at = now
    signup.cancelled_because = because
    signup.cancel_note = note
    signup.consent_due = None
    signup.save(
        update_fields=["status", "cancelled_at", "cancelled_because", "cancel_note", "consent_due"]
    )
    audit.record(
        action="volunteering.signup_cancelled",
        actor=actor,
        target=signup,
        data={"because": because, "held_place": held},
    )
    if held:
        shift.taken -= 1
        shift.save(update_fields=["taken"])
        return _fill_places(shift, now)
    return []


# ---------------------------------------------------------------------------- actions


def sign_up(
    *,
    shift,
    volunteer,
    name,
    phone="",
    message="",
    birth_date=None,
    guardian_name="",
    guardian_email="",
    guardian_language="",
    now=None,
):
    """Sign ``volunteer`` up for ``shift``: a place when one is free and nobody is
    waiting, else a place on the waiting list. An under-18's place is held for a
    guardian's consent (``consent_due``) and counts once the guardian confirms by the
    e-mailed link.

    Refusals (``VolunteeringError.code``): ``not_signed_in``, ``unavailable``,
    ``shift_cancelled``, ``shift_started``, ``name_required``, ``birth_date_required``,
    ``birth_date_invalid``, ``too_young``, ``guardian_required``,
    ``guardian_is_volunteer``, ``already_signed_up``.
    """
    now = now or timezone.now()
    check_volunteer(volunteer)
    if not name.strip():
        refuse("name_required", _("Please give your name."))
    with transaction.atomic():
        shift = _lock_shift(shift)
        check_shift_open(shift, now)
        age = volunteer_age(volunteer, shift, birth_date)
        check_age(shift.opportunity, age)
        check_guardian(volunteer, age, guardian_name, guardian_email)
        if shift.signups.active().filter(volunteer=volunteer).exists():
            refuse("already_signed_up", _("You have already signed up for this shift."))
        signup = SignUp(
            shift=shift,
            volunteer=volunteer,
            name=name.strip(),
            phone=phone.strip(),
            message=message.strip(),
            age=age,
            created_at=now,
        )
        token = None
        if age < 18:
            token = secrets.token_urlsafe(32)
            signup.guardian_name = guardian_name.strip()
            signup.guardian_email = guardian_email.strip().lower()
            signup.guardian_language = guardian_language or volunteer.preferred_language
            signup.guardian_token_digest = token_digest(token)
        if shift.taken < shift.capacity and not shift.signups.waiting().exists():
            _take_place(shift, signup, now)
        else:
            signup.status = Status.WAITING
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError as error:
            # PostgreSQL names the constraint; SQLite names its columns.
            if "signup_once_per_shift" in str(error) or "signup.shift_id" in str(error):
                refuse("already_signed_up", _("You have already signed up for this shift."))
            raise
        audit.record(
            action="volunteering.signed_up",
            actor=volunteer,
            target=signup,
            data={"status": signup.status, "shift": shift.pk},
        )
        _after_place(signup)
        notifications.signed_up(signup)
        if token is not None:
            notifications.guardian_request(signup, token)
    return signup


def signup_for_guardian(token):
    """The sign-up a guardian's link is for, or None."""
    if not token:
        return None
    return (
        SignUp.objects.filter(guardian_token_digest=token_digest(token))
        .select_related("shift", "shift__opportunity", "shift__opportunity__organiser", "volunteer")
        .first()
    )


@contextmanager
def _guardian_signup(token, now):
    found = signup_for_guardian(token)
    if found is None:
        refuse("unknown_link", _("This link is not valid. Please check the address."))
    with transaction.atomic():
        shift = _lock_shift(found.shift)
        signup = _lock_signup(found)
        if signup.status == Status.CANCELLED:
            refuse("cancelled", _("This sign-up has been cancelled."))
        if shift.starts_at <= now:
            refuse("shift_started", _("The shift has already begun."))
        yield shift, signup


def give_consent(*, token, now=None):
    """A guardian consents by the e-mailed link: a held place is confirmed; on the
    waiting list the consent is kept for when a place frees. Giving it twice changes
    nothing."""
    now = now or timezone.now()
    with _guardian_signup(token, now) as (shift, signup):
        if signup.guardian_confirmed_at is not None:
            return signup
        signup.guardian_confirmed_at = now
        if signup.status == Status.AWAITING_GUARDIAN:
            signup.status = Status.CONFIRMED
            signup.consent_due = None
        signup.save(update_fields=["guardian_confirmed_at", "status", "consent_due"])
        audit.record(
            action="volunteering.guardian_consented",
            target=signup,
            data={"status": signup.status, "shift": shift.pk},
        )
        notifications.guardian_consented(signup)
        return signup


def refuse_consent(*, token, now=None):
    """A guardian does not consent: the sign-up is cancelled and its place freed."""
    now = now or timezone.now()
    with _guardian_signup(token, now) as (shift, signup):
        if signup.guardian_confirmed_at is not None:
            refuse(
                "already_consented",
                _("You have already given your consent. The volunteer can cancel the sign-up."),
            )
        _cancel(shift, signup, because=Because.NO_CONSENT, now=now)
        notifications.consent_refused(signup)
        return signup


def lapse_consent(*, signup, now=None):
    """The guardian did not answer in time: the held place goes to the next in line.
    Does nothing when the sign-up has moved on (consented, cancelled)."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = _lock_shift(signup.shift)
        signup = _lock_signup(signup)
        if signup.status != Status.AWAITING_GUARDIAN or signup.consent_due > now:
            return None
        _cancel(shift, signup, because=Because.NO_CONSENT, now=now)
        notifications.consent_lapsed(signup)
        return signup


def cancel_signup(*, signup, user, now=None):
    """The volunteer cancels their own sign-up: a place until the opportunity's
    deadline, a place on the waiting list until the shift begins."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = _lock_shift(signup.shift)
        signup = _lock_signup(signup)
        if signup.volunteer_id != getattr(user, "pk", None):
            refuse("not_allowed", _("This is not your sign-up."))
        if signup.status == Status.CANCELLED:
            refuse("already_cancelled", _("This sign-up is already cancelled."))
        if shift.starts_at <= now:
            refuse("shift_started", _("The shift has already begun."))
        deadline = cancellation_deadline(shift)
        if signup.status in HOLDING and now > deadline:
            refuse(
                "too_late",
                _(
                    "Sign-ups for this shift could be cancelled until %(deadline)s. "
                    "Please tell the contact person that you cannot come."
                ),
                deadline=deadline,
            )
        _cancel(shift, signup, because=Because.VOLUNTEER, actor=user, now=now)
        notifications.cancelled(signup)
    return signup


def remove_signup(*, signup, member, reason, now=None):
    """The organiser cancels someone's sign-up, with a reason the volunteer is told."""
    now = now or timezone.now()
    if not reason.strip():
        refuse("reason_required", _("Give the reason; the volunteer is told it."))
    with transaction.atomic():
        shift = _lock_shift(signup.shift)
        signup = _lock_signup(signup)
        if not may_manage_organiser(member, shift.opportunity.organiser):
            refuse("not_allowed", _("You do not manage this organiser's opportunities."))
        if signup.status == Status.CANCELLED:
            refuse("already_cancelled", _("This sign-up is already cancelled."))
        _cancel(
            shift, signup, because=Because.ORGANISER, note=reason.strip(), actor=member, now=now
        )
        notifications.removed(signup)
    return signup


def cancel_as_account_deleted(*, signup, now=None):
    """Cancel the sign-up of a volunteer whose account is being deleted, as their own
    cancellation: the place frees and the waiting list moves up. Unlike ``cancel_signup``
    there is no deadline: the person is leaving. Returns None when the sign-up had
    already been cancelled or its shift begun meanwhile."""
    now = now or timezone.now()
    with transaction.atomic():
        shift = _lock_shift(signup.shift)
        signup = _lock_signup(signup)
        if signup.status == Status.CANCELLED or shift.starts_at <= now:
            return None
        _cancel(shift, signup, because=Because.VOLUNTEER, actor=signup.volunteer, now=now)
        notifications.cancelled(signup)
    return signup
