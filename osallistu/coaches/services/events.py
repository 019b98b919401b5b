"""Events coaches organise: creating and changing them (with a city space booked
through the premises app's services when one is wanted), publishing, cancelling,
sign-ups within the capacity, and the number who came.

Sign-ups never exceed the capacity: a sign-up locks the event's row and the database
refuses a ``signup_count`` above ``capacity`` (``coaches_event_within_capacity``), so
of two people after the last place one gets it and the other is told the event is
full.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit
from osallistu.premises import services as premises

from .. import notifications, permissions
from ..models import Event, EventKind, EventSignup, validate_languages
from .errors import check_length, refuse

TITLE_LENGTH = 200
TEXT_LENGTH = 5000
NEEDS_LENGTH = 1000
LANGUAGE_CODES = ("fi", "sv", "en")
TEXT_FIELDS = tuple(
    f"{name}_{code}"
    for name in ("title", "description", "accessibility_notes")
    for code in LANGUAGE_CODES
)
# Changes that signed-up people are told about, with a new calendar file.
NOTIFIED_FIELDS = ("begins_at", "ends_at", "place_id", "space_booking_id")


def _check(staff, district, texts, kind, begins_at, ends_at, place, space, languages, signup):
    if not permissions.may_publish_event(staff, district):
        refuse("not_allowed", _("You cannot publish events of this district."))
    if kind not in EventKind.values:
        refuse("invalid_kind", _("Please choose the kind of event."))
    for code in LANGUAGE_CODES:
        title = (texts.get(f"title_{code}") or "").strip()
        if not title:
            refuse("title_required", _("Please give the title in Finnish, Swedish and English."))
        check_length(
            title, TITLE_LENGTH, "title_too_long", _("A title can be at most %(count)s characters.")
        )
    for name in TEXT_FIELDS:
        check_length(
            (texts.get(name) or "").strip(),
            TEXT_LENGTH,
            "text_too_long",
            _("A text can be at most %(count)s characters."),
        )
    if ends_at <= begins_at:
        refuse("invalid_times", _("The event must end after it begins."))
    if (place is None) == (space is None):
        refuse("place_required", _("Choose a meeting place or a city space to book, one of them."))
    try:
        validate_languages(list(languages))
    except ValidationError:
        refuse("invalid_languages", _("Choose at least one language."))
    signup_required, capacity = signup
    if signup_required and not capacity:
        refuse("capacity_required", _("Tell how many people can sign up."))


def _book_space(event, staff, space, now):
    """Book ``space`` for ``event`` through the premises services; their refusal is
    passed on with their reason."""
    try:
        return premises.create_booking(
            space=space,
            booker=staff,
            begins_at=event.begins_at,
            ends_at=event.ends_at,
            attendees=min(event.capacity or 1, space.capacity),
            description=str(event.title_fi)[:300],
            now=now,
        )
    except premises.BookingError as error:
        refuse(
            "space_refused",
            _("The city space could not be booked: %(reason)s"),
            reason=error.message,
        )


def _release_space(booking, staff):
    """Cancel the event's space booking. Returns the premises' reason when it could
    not be cancelled (too late to cancel, say), else None."""
    if booking is None or not booking.is_active:
        return None
    try:
        premises.cancel_booking(booking=booking, user=staff, reason="")
    except premises.BookingError as error:
        return error.message
    return None


def create_event(
    *,
    staff,
    district,
    kind,
    texts,
    begins_at,
    ends_at,
    place=None,
    space=None,
    languages=("fi",),
    step_free=False,
    induction_loop=False,
    signup_required=False,
    capacity=None,
    publish=False,
    now=None,
):
    """Make an event of ``district`` (the city for a city-wide one) at a meeting
    ``place`` or in a city ``space`` booked for it now. ``texts`` holds the title,
    description and accessibility notes in fi, sv and en (``title_fi``, …). Published at
    once when ``publish``."""
    now = now or timezone.now()
    capacity = capacity or None
    _check(
        staff,
        district,
        texts,
        kind,
        begins_at,
        ends_at,
        place,
        space,
        languages,
        (signup_required, capacity),
    )
    if begins_at < now:
        refuse("in_past", _("The event must begin in the future."))
    with transaction.atomic():
        event = Event(
            kind=kind,
            district=district,
            organiser=staff,
            begins_at=begins_at,
            ends_at=ends_at,
            place=place,
            languages=list(languages),
            step_free=step_free,
            induction_loop=induction_loop,
            signup_required=signup_required,
            capacity=capacity,
            published_at=now if publish else None,
            **{name: (texts.get(name) or "").strip() for name in TEXT_FIELDS},
        )
        if space is not None:
            event.space_booking = _book_space(event, staff, space, now)
        event.save()
        audit.record(
            action="coaches.event_created",
            actor=staff,
            target=event,
            data={"published": publish, "space_booking": event.space_booking_id},
        )
    return event


def update_event(
    *,
    event,
    staff,
    kind,
    texts,
    begins_at,
    ends_at,
    place=None,
    space=None,
    languages=("fi",),
    step_free=False,
    induction_loop=False,
    signup_required=False,
    capacity=None,
    now=None,
):
    """Change an event that has not ended. A new time or space books the space again
    (the old booking is cancelled first, and put back if the new one is refused).
    Signed-up people are told of a new time or place."""
    now = now or timezone.now()
    capacity = capacity or None
    with transaction.atomic():
        event = _locked(event)
        _check(
            staff,
            event.district,
            texts,
            kind,
            begins_at,
            ends_at,
            place,
            space,
            languages,
            (signup_required, capacity),
        )
        if event.is_cancelled:
            refuse("cancelled", _("This event is cancelled."))
        if event.ends_at <= now:
            refuse("over", _("This event is over."))
        if capacity is not None and capacity < event.signup_count:
            refuse(
                "capacity_below_signups",
                _("%(count)s people have signed up, so there must be at least as many places."),
                count=event.signup_count,
            )
        if event.signup_count and not signup_required:
            refuse(
                "signups_exist",
                _(
                    "People have signed up, so sign-up cannot be turned off. Cancel the event "
                    "instead."
                ),
            )
        before = {name: getattr(event, name) for name in NOTIFIED_FIELDS}
        old_booking = event.space_booking
        event.kind = kind
        event.begins_at, event.ends_at = begins_at, ends_at
        event.place = place
        event.languages = list(languages)
        event.step_free, event.induction_loop = step_free, induction_loop
        event.signup_required, event.capacity = signup_required, capacity
        for name in TEXT_FIELDS:
            setattr(event, name, (texts.get(name) or "").strip())
        same_space = (
            space is not None
            and old_booking is not None
            and old_booking.is_active
            and old_booking.space_id == space.pk
            and old_booking.begins_at == begins_at
            and old_booking.ends_at == ends_at
        )
        if not same_space:
            if old_booking is not None:
                problem = _release_space(old_booking, staff)
                if problem:
                    refuse(
                        "space_not_released",
                        _("The old space booking could not be cancelled: %(reason)s"),
                        reason=problem,
                    )
            event.space_booking = _book_space(event, staff, space, now) if space else None
        changed = any(getattr(event, name) != value for name, value in before.items())
        if changed:
            event.sequence += 1
        event.save()
        audit.record(
            action="coaches.event_changed",
            actor=staff,
            target=event,
            data={"time_or_place_changed": changed},
        )
        if changed and event.published_at:
            notifications.event_changed(event)
    return event


def _locked(event):
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("district", "place", "space_booking", "space_booking__space__unit")
        .get(pk=event.pk)
    )


def publish_event(*, event, staff, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        if not permissions.may_manage_event(staff, event):
            refuse("not_allowed", _("You cannot publish events of this district."))
        if event.published_at is not None:
            refuse("already_published", _("The event is already published."))
        if event.is_cancelled:
            refuse("cancelled", _("This event is cancelled."))
        event.published_at = now
        event.save(update_fields=["published_at"])
        audit.record(action="coaches.event_published", actor=staff, target=event)
    return event


def cancel_event(*, event, staff, reason, now=None):
    """Cancel an event, with a reason signed-up people read in their e-mail (with a
    calendar file that removes it). Its space booking is cancelled too; returns the
    premises' reason when that was refused (the unit must then be contacted), else
    None."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        refuse("reason_required", _("Please write the reason for the people who signed up."))
    check_length(reason, 1000, "text_too_long", _("A text can be at most %(count)s characters."))
    with transaction.atomic():
        event = _locked(event)
        if not permissions.may_manage_event(staff, event):
            refuse("not_allowed", _("You cannot manage events of this district."))
        if event.is_cancelled:
            refuse("cancelled", _("This event is already cancelled."))
        if event.ends_at <= now:
            refuse("over", _("This event is over."))
        event.cancelled_at = now
        event.cancel_reason = reason
        event.sequence += 1
        event.save(update_fields=["cancelled_at", "cancel_reason", "sequence"])
        problem = _release_space(event.space_booking, staff)
        audit.record(
            action="coaches.event_cancelled",
            actor=staff,
            target=event,
            data={"reason": reason, "space_not_released": str(problem or "")},
        )
        if event.published_at:
            notifications.event_cancelled(event)
    return problem


def record_participants(*, event, staff, participants, now=None):
    now = now or timezone.now()
    if participants is None or participants < 0:
        refuse("invalid_participants", _("Give the number of people who came."))
    with transaction.atomic():
        event = _locked(event)
        if not permissions.may_manage_event(staff, event):
            refuse("not_allowed", _("You cannot manage events of this district."))
        if event.begins_at > now:
            refuse("not_begun", _("The event has not begun yet."))
        event.participants = participants
        event.save(update_fields=["participants"])
        audit.record(
            action="coaches.event_participants",
            actor=staff,
            target=event,
            data={"participants": participants},
        )
    return event


def sign_up(*, event, person, accessibility_needs="", now=None):
    """Sign ``person`` up for ``event``. Refused with ``not_signed_in``,
    ``no_signup``, ``cancelled``, ``begun``, ``already_signed_up`` or ``full``."""
    now = now or timezone.now()
    accessibility_needs = (accessibility_needs or "").strip()
    check_length(
        accessibility_needs,
        NEEDS_LENGTH,
        "accessibility_too_long",
        _("Please describe your accessibility needs in at most %(count)s characters."),
    )
    if person is None or not person.is_authenticated:
        refuse("not_signed_in", _("Please log in to sign up."))
    with transaction.atomic():
        event = _locked(event)
        if event.published_at is None or not event.signup_required:
            refuse("no_signup", _("This event takes no sign-ups."))
        if event.is_cancelled:
            refuse("cancelled", _("This event is cancelled."))
        if event.begins_at <= now:
            refuse("begun", _("The event has already begun."))
        if EventSignup.objects.filter(
            event=event, person=person, cancelled_at__isnull=True
        ).exists():
            refuse("already_signed_up", _("You have already signed up for this event."))
        if event.signup_count >= event.capacity:
            refuse("full", _("The event is full."))
        try:
            with transaction.atomic():
                signup = EventSignup.objects.create(
                    event=event, person=person, accessibility_needs=accessibility_needs
                )
                Event.objects.filter(pk=event.pk).update(signup_count=F("signup_count") + 1)
        except IntegrityError as error:
            # PostgreSQL names the constraint; SQLite names a check, or a unique's columns.
            text = str(error)
            if "coaches_event_within_capacity" in text:
                refuse("full", _("The event is full."))
            if "coaches_signup_once" in text or "coaches_eventsignup.event_id" in text:
                refuse("already_signed_up", _("You have already signed up for this event."))
            raise
        audit.record(
            action="coaches.signed_up", actor=person, target=event, data={"signup": signup.pk}
        )
        notifications.signed_up(signup)
    return signup


def cancel_signup(*, signup, person, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(signup.event)
        signup = EventSignup.objects.select_for_update().get(pk=signup.pk)
        if signup.person_id != person.pk:
            refuse("not_allowed", _("This sign-up is not yours."))
        if signup.cancelled_at is not None:
            refuse("not_active", _("You have already cancelled this sign-up."))
        if event.begins_at <= now:
            refuse("begun", _("The event has already begun."))
        signup.cancelled_at = now
        signup.save(update_fields=["cancelled_at"])
        Event.objects.filter(pk=event.pk).update(signup_count=F("signup_count") - 1)
        audit.record(
            action="coaches.signup_cancelled",
            actor=person,
            target=event,
            data={"signup": signup.pk},
        )
    return signup
