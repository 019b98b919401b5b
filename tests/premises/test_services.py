"""Booking rules, each refused with its own message; state changes; series; blocked time."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from osallistu.core.models import AuditEntry
from osallistu.premises import services
from osallistu.premises.models import (
    AuthenticationLevel,
    Booking,
    BookingState,
    Confirmation,
    OpeningException,
    PriceKind,
)
from osallistu.premises.services import BookingError
from tests.factories import UserFactory
from tests.premises.conftest import MONDAY, NOW, at
from tests.premises.factories import SpaceFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


def book(space, booker, begins_at, ends_at, **kwargs):
    kwargs.setdefault("attendees", 5)
    kwargs.setdefault("now", NOW)
    return services.create_booking(
        space=space, booker=booker, begins_at=begins_at, ends_at=ends_at, **kwargs
    )


def refused(code, action, *args, **kwargs):
    with pytest.raises(BookingError) as caught:
        action(*args, **kwargs)
    assert caught.value.code == code
    with translation.override("en"):
        return str(caught.value)


# ---------------------------------------------------------------- one message per rule


def test_a_free_slot_is_booked_and_confirmed_at_once(space, booker):
    booking = book(space, booker, at(1, 17), at(1, 19), description="Kerhon kokous")
    assert booking.state == BookingState.CONFIRMED
    assert booking.price == 0
    assert booking.occupied_from == at(1, 17) and booking.occupied_until == at(1, 19)
    entry = AuditEntry.objects.get(action="premises.booking_created")
    assert entry.actor == booker and entry.target_id == str(booking.pk)


def test_outside_opening_hours(space, booker):
    message = refused("outside_opening_hours", book, space, booker, at(1, 20), at(1, 22))
    assert "outside the space's opening hours" in message
    assert "08.00–21.00" in message


def test_closed_day(space, booker):
    OpeningException.objects.create(
        unit=space.unit, date=MONDAY + datetime.timedelta(days=1), reason_fi="Pyhäpäivä"
    )
    message = refused("outside_opening_hours", book, space, booker, at(1, 17), at(1, 18))
    assert "closed on" in message


def test_special_hours_of_a_space_win_over_the_unit(space, booker):
    day = MONDAY + datetime.timedelta(days=1)
    OpeningException.objects.create(unit=space.unit, date=day)  # the unit is closed
    OpeningException.objects.create(
        unit=space.unit, space=space, date=day, opens=datetime.time(12), closes=datetime.time(14)
    )
    assert book(space, booker, at(1, 12), at(1, 14)).state == BookingState.CONFIRMED
    refused("outside_opening_hours", book, space, booker, at(1, 14), at(1, 15))


def test_too_long(space, booker):
    message = refused("too_long", book, space, booker, at(1, 8), at(1, 13))
    assert message == "A booking of this space can last at most 4 hours."


def test_too_short(space, booker):
    message = refused("too_short", book, space, booker, at(1, 8), at(1, 8, 30))
    assert message == "A booking of this space must last at least 1 hour."


def test_not_on_slot_boundaries(space, booker):
    message = refused("not_on_slot", book, space, booker, at(1, 8, 15), at(1, 9, 45))
    assert "at a multiple of 30 minutes from midnight" in message


def test_too_far_ahead(space, booker):
    message = refused("too_far_ahead", book, space, booker, at(91, 10), at(91, 11))
    assert "at most 90 days ahead" in message
    assert book(space, booker, at(90, 10), at(90, 11)).pk


def test_over_capacity(space, booker):
    message = refused("over_capacity", book, space, booker, at(1, 10), at(1, 11), attendees=21)
    assert message.startswith("At most 20 people fit in this space; you told us 21.")


def test_in_the_past(space, booker):
    message = refused("in_past", book, space, booker, at(0, 8), at(0, 9))
    assert message == "This time has already passed. Please choose a later time."


def test_overlapping_own_booking_in_another_space(space, booker):
    other = SpaceFactory(unit=space.unit)
    book(other, booker, at(1, 17), at(1, 19))
    message = refused("overlaps_own", book, space, booker, at(1, 18), at(1, 20))
    assert message.startswith("You already have a booking at this time:")


def test_too_many_active_bookings(space, booker):
    for day in (1, 2, 3):
        book(space, booker, at(day, 10), at(day, 11))
    message = refused("too_many_active", book, space, booker, at(4, 10), at(4, 11))
    assert "3 upcoming bookings" in message


def test_already_booked_including_buffers(space, booker):
    space.buffer_after_minutes = 30
    space.save()
    book(space, booker, at(1, 10), at(1, 12))
    other = UserFactory()
    # 12:00–13:00 meets the first booking's buffer until 12:30.
    message = refused("already_booked", book, space, other, at(1, 12), at(1, 13))
    assert message == "Someone has already booked this time. Please choose another time."
    assert book(space, other, at(1, 12, 30), at(1, 13, 30)).pk


def test_buffer_before_of_the_new_booking_counts(space, booker):
    space.buffer_before_minutes = 30
    space.save()
    book(space, booker, at(1, 10), at(1, 11))
    refused("already_booked", book, space, UserFactory(), at(1, 11), at(1, 12))


def test_not_signed_in(space):
    from django.contrib.auth.models import AnonymousUser

    message = refused("not_signed_in", book, space, AnonymousUser(), at(1, 10), at(1, 11))
    assert message == "Please log in to book a space."


def test_strong_identification_required(space, booker, identified):
    space.authentication = AuthenticationLevel.STRONG
    space.save()
    message = refused("not_identified", book, space, booker, at(1, 10), at(1, 11))
    assert "proved who they are" in message
    assert book(space, identified, at(1, 10), at(1, 11)).pk


def test_unpublished_space(space, booker):
    space.is_published = False
    space.save()
    refused("unavailable", book, space, booker, at(1, 10), at(1, 11))


def test_end_before_begin(space, booker):
    refused("invalid_times", book, space, booker, at(1, 11), at(1, 10))


def test_messages_are_in_the_active_language(space, booker):
    with pytest.raises(BookingError) as caught:
        book(space, booker, at(1, 8), at(1, 13))
    with translation.override("fi"):
        assert str(caught.value) == "Tämän tilan varaus voi kestää enintään 4 tuntia."
    with translation.override("sv"):
        assert str(caught.value) == "En bokning av det här utrymmet kan vara högst 4 timmar."


def test_purpose_the_space_is_not_for_and_too_long_texts(space, booker):
    from tests.premises.factories import PurposeFactory

    party = PurposeFactory(slug="party", name_fi="Juhla", name_sv="Fest", name_en="Party")
    message = refused(
        "purpose_not_offered", book, space, booker, at(1, 10), at(1, 11), purpose=party
    )
    assert message == "This space is not meant for that use. Please choose another space."
    message = refused(
        "description_too_long", book, space, booker, at(1, 10), at(1, 11), description="x" * 301
    )
    assert "at most 300 characters" in message
    refused(
        "association_too_long", book, space, booker, at(1, 10), at(1, 11), association="y" * 201
    )
    assert book(space, booker, at(1, 10), at(1, 11), purpose=PurposeFactory()).purpose.slug == (
        "meeting"
    )


# ---------------------------------------------------------------- price and handling


def test_hourly_price(space, booker):
    space.price_kind, space.price = PriceKind.HOURLY, Decimal("12.50")
    space.save()
    assert book(space, booker, at(1, 10), at(1, 11, 30)).price == Decimal("18.75")


def test_free_of_charge_application_waits_for_staff_and_is_granted(space, booker, manager):
    space.price_kind, space.price, space.free_for_associations = PriceKind.FIXED, 40, True
    space.save()
    booking = book(
        space,
        booker,
        at(1, 10),
        at(1, 12),
        association="Kallion kuoro ry",
        free_of_charge_requested=True,
    )
    assert booking.state == BookingState.REQUIRES_HANDLING and booking.price == 40
    services.approve_booking(booking=booking, staff=manager, now=NOW)
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.price == 0
    assert booking.handled_by == manager
    assert AuditEntry.objects.filter(
        action="premises.booking_approved", on_behalf_of=booker
    ).exists()


def test_free_of_charge_needs_an_association_and_a_space_that_offers_it(space, booker):
    refused(
        "free_of_charge_not_offered",
        book,
        space,
        booker,
        at(1, 10),
        at(1, 11),
        association="Ry",
        free_of_charge_requested=True,
    )
    space.free_for_associations = True
    space.save()
    refused(
        "association_required",
        book,
        space,
        booker,
        at(1, 10),
        at(1, 11),
        free_of_charge_requested=True,
    )


def test_staff_deny_with_a_reason(space, booker, manager):
    space.confirmation = Confirmation.HANDLED
    space.save()
    booking = book(space, booker, at(1, 10), at(1, 12))
    assert booking.state == BookingState.REQUIRES_HANDLING
    refused("reason_required", services.deny_booking, booking=booking, staff=manager, reason=" ")
    services.deny_booking(booking=booking, staff=manager, reason="Tila on remontissa.", now=NOW)
    booking.refresh_from_db()
    assert booking.state == BookingState.DENIED
    assert booking.state_reason == "Tila on remontissa."
    refused("not_waiting", services.approve_booking, booking=booking, staff=manager)
    # Denied time is free again.
    assert book(space, UserFactory(), at(1, 10), at(1, 12)).pk


def test_only_the_units_managers_handle(space, booker, helsinki):
    from osallistu.accounts.models import StaffRole
    from tests.factories import StaffRoleFactory

    space.confirmation = Confirmation.HANDLED
    space.save()
    booking = book(space, booker, at(1, 10), at(1, 12))
    elsewhere = StaffRoleFactory(
        role=StaffRole.Role.PREMISES_MANAGER, area=helsinki["eastern"]
    ).user
    refused("not_allowed", services.approve_booking, booking=booking, staff=elsewhere)
    city_admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    services.approve_booking(booking=booking, staff=city_admin, now=NOW)


# ---------------------------------------------------------------- cancelling


def test_booker_cancels_before_the_deadline(space, booker):
    booking = book(space, booker, at(2, 10), at(2, 12))
    services.cancel_booking(booking=booking, user=booker, now=NOW)
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED and booking.cancelled_by == booker
    # The time is free again.
    assert book(space, UserFactory(), at(2, 10), at(2, 12)).pk


def test_booker_cannot_cancel_after_the_deadline_but_staff_can(space, booker, manager):
    booking = book(space, booker, at(1, 8), at(1, 10))  # 23 hours ahead
    message = refused(
        "too_late_to_cancel", services.cancel_booking, booking=booking, user=booker, now=NOW
    )
    assert "can be cancelled only until" in message
    refused("reason_required", services.cancel_booking, booking=booking, user=manager, now=NOW)
    services.cancel_booking(booking=booking, user=manager, reason="Vesivahinko", now=NOW)
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED and booking.state_reason == "Vesivahinko"
    entry = AuditEntry.objects.get(action="premises.booking_cancelled")
    assert entry.actor == manager and entry.on_behalf_of == booker
    refused("not_active", services.cancel_booking, booking=booking, user=manager, reason="x")


def test_nobody_else_cancels(space, booker):
    booking = book(space, booker, at(2, 10), at(2, 12))
    refused("not_allowed", services.cancel_booking, booking=booking, user=UserFactory(), now=NOW)


# ---------------------------------------------------------------- series


def test_series_preview_reports_each_conflict_before_booking(space, booker):
    other = UserFactory()
    book(space, other, at(8, 17), at(8, 19))  # the second Tuesday is taken
    OpeningException.objects.create(unit=space.unit, date=MONDAY + datetime.timedelta(days=15))
    preview = services.preview_series(
        space=space,
        booker=booker,
        first_date=MONDAY + datetime.timedelta(days=1),
        last_date=MONDAY + datetime.timedelta(days=29),
        begins=datetime.time(17),
        ends=datetime.time(19),
        attendees=10,
        now=NOW,
    )
    assert [item.code for item in preview.dates] == [
        "ok",
        "already_booked",
        "outside_opening_hours",
        "ok",
        "ok",
    ]
    assert preview.conflicts[0].date == MONDAY + datetime.timedelta(days=8)
    with translation.override("en"):
        assert str(preview.conflicts[0].message).startswith("Someone has already booked")
    assert Booking.objects.filter(booker=booker).count() == 0


def make_series(space, booker, dates, **kwargs):
    kwargs.setdefault("attendees", 10)
    kwargs.setdefault("now", NOW)
    return services.create_series(
        space=space,
        booker=booker,
        first_date=MONDAY + datetime.timedelta(days=1),
        last_date=MONDAY + datetime.timedelta(days=29),
        begins=datetime.time(17),
        ends=datetime.time(19),
        dates=dates,
        **kwargs,
    )


def tuesdays(*weeks):
    return [MONDAY + datetime.timedelta(days=1 + 7 * week) for week in weeks]


def test_series_books_the_accepted_dates_and_counts_as_one(space, booker):
    series = make_series(space, booker, tuesdays(0, 1, 2, 3, 4))
    bookings = list(series.bookings.order_by("begins_at"))
    assert len(bookings) == 5
    assert {b.state for b in bookings} == {BookingState.CONFIRMED}
    assert bookings[1].begins_at == at(8, 17)
    # The series counts as one of the three bookings allowed per person.
    book(space, booker, at(2, 10), at(2, 11))
    book(space, booker, at(3, 10), at(3, 11))
    refused("too_many_active", book, space, booker, at(4, 10), at(4, 11))


def test_series_is_all_or_nothing_when_a_date_was_taken_since_the_preview(space, booker):
    book(space, UserFactory(), at(15, 18), at(15, 20))
    message = refused("series_changed", make_series, space, booker, tuesdays(0, 1, 2))
    assert "can no longer be booked: Someone has already booked" in message
    assert Booking.objects.filter(booker=booker).count() == 0


def test_cancelling_a_whole_series(space, booker):
    series = make_series(space, booker, tuesdays(0, 1, 2, 3))
    # The first date is within 24 hours of "now" a week later: it stays.
    later = at(7, 18)
    cancelled = services.cancel_series(series=series, user=booker, now=later)
    assert [b.begins_at for b in cancelled] == [at(15, 17), at(22, 17)]
    states = dict(series.bookings.values_list("begins_at", "state"))
    assert states[at(8, 17)] == BookingState.CONFIRMED  # too late to cancel
    assert states[at(15, 17)] == BookingState.CANCELLED
    assert AuditEntry.objects.filter(action="premises.series_cancelled").count() == 1


def test_staff_cancel_a_whole_series_with_a_reason(space, booker, manager):
    series = make_series(space, booker, tuesdays(0, 1))
    cancelled = services.cancel_series(series=series, user=manager, reason="Koulun juhla", now=NOW)
    assert len(cancelled) == 2
    assert set(series.bookings.values_list("state", flat=True)) == {BookingState.CANCELLED}


def test_staff_handle_a_whole_series_at_once(space, booker, manager):
    from django.core import mail

    from osallistu.core import jobs

    space.confirmation = Confirmation.HANDLED
    space.save()
    series = make_series(space, booker, tuesdays(0, 1, 2))
    assert set(series.bookings.values_list("state", flat=True)) == {BookingState.REQUIRES_HANDLING}
    approved = services.approve_series(series=series, staff=manager, now=NOW)
    assert len(approved) == 3
    assert set(series.bookings.values_list("state", flat=True)) == {BookingState.CONFIRMED}
    refused("not_waiting", services.deny_series, series=series, staff=manager, reason="x")

    other = make_series(space, UserFactory(), tuesdays(3, 4))
    refused("reason_required", services.deny_series, series=other, staff=manager, reason="")
    services.deny_series(series=other, staff=manager, reason="Kausivuorot on jaettu", now=NOW)
    assert set(other.bookings.values_list("state", flat=True)) == {BookingState.DENIED}
    jobs.run_pending()
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Toistuva varaus vastaanotettu: " + space.name_fi,
        "Toistuva varaus vahvistettu: " + space.name_fi,
        "Toistuva varaus vastaanotettu: " + space.name_fi,
        "Toistuva varaus hylätty: " + space.name_fi,
    ]
    assert mail.outbox[-1].attachments[0][1].count("STATUS:CANCELLED") == 2


# ---------------------------------------------------------------- blocked time


def test_blocked_time_keeps_bookings_out_and_is_refused_over_bookings(space, booker, manager):
    blocked = services.block_time(
        space=space, staff=manager, begins_at=at(1, 8), ends_at=at(1, 12), reason="Siivous", now=NOW
    )
    assert blocked.kind == Booking.Kind.BLOCKED
    refused("already_booked", book, space, booker, at(1, 11), at(1, 13))
    book(space, booker, at(1, 13), at(1, 15))
    message = refused(
        "already_booked",
        services.block_time,
        space=space,
        staff=manager,
        begins_at=at(1, 14),
        ends_at=at(1, 16),
        reason="Huolto",
        now=NOW,
    )
    assert "Cancel them first" in message
    services.unblock_time(blocked=blocked, staff=manager, now=NOW)
    assert book(space, UserFactory(), at(1, 9), at(1, 11)).pk
    assert AuditEntry.objects.filter(action="premises.time_blocked").count() == 1
    assert AuditEntry.objects.filter(action="premises.time_unblocked").count() == 1


def test_residents_cannot_block_time(space, booker):
    refused(
        "not_allowed",
        services.block_time,
        space=space,
        staff=booker,
        begins_at=at(1, 8),
        ends_at=at(1, 12),
        reason="x",
        now=NOW,
    )


def test_calendar_feed_token_is_renewed(booker):
    feed = services.calendar_feed_for(booker)
    old = feed.token
    assert len(old) >= 40
    assert services.calendar_feed_for(booker).token == old
    assert services.renew_calendar_feed(booker).token != old
