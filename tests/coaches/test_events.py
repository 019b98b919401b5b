"""Events: made by coaches of their districts, at a meeting place or in a city space
booked through premises; sign-up within the capacity; changes and cancellation told to
those signed up with a calendar file; the .ics of an event and a district's feed."""

import pytest
from django.core import mail
from icalendar import Calendar

from osallistu.accounts.models import StaffRole
from osallistu.coaches import ical
from osallistu.coaches.models import Event, EventSignup
from osallistu.coaches.selectors import desk, public
from osallistu.coaches.services import CoachesError, events
from osallistu.core import jobs
from osallistu.premises.models import Booking, BookingState
from tests.coaches.conftest import NOW, at
from tests.factories import StaffRoleFactory, UserFactory
from tests.premises.factories import SpaceFactory

pytestmark = pytest.mark.django_db
TEXTS = {
    "title_fi": "Asukasilta",
    "title_sv": "Invånarkväll",
    "title_en": "Resident evening",
    "description_fi": "Tervetuloa!",
}


def make(staff, district, **extra):
    arguments = {
        "staff": staff,
        "district": district,
        "kind": "resident_evening",
        "texts": TEXTS,
        "begins_at": at(3, 17),
        "ends_at": at(3, 19),
        "publish": True,
        "now": NOW,
    }
    arguments.update(extra)
    return events.create_event(**arguments)


def refused(code, function, **kwargs):
    with pytest.raises(CoachesError) as caught:
        function(**kwargs)
    assert caught.value.code == code, caught.value.message


def test_a_coach_publishes_events_of_their_district_only(coach, place, helsinki):
    event = make(coach, helsinki["central"], place=place, signup_required=True, capacity=2)
    assert event.published_at == NOW and event.title_sv == "Invånarkväll"
    refused("not_allowed", make, staff=coach, district=helsinki["eastern"], place=place)
    refused("not_allowed", make, staff=coach, district=helsinki["city"], place=place)
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    assert make(admin, helsinki["city"], place=place).district == helsinki["city"]
    resident = UserFactory()
    refused("not_allowed", make, staff=resident, district=helsinki["central"], place=place)


def test_the_desk_lists_the_events_each_coach_may_manage(coach, place, helsinki):
    central = make(coach, helsinki["central"], place=place)
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    citywide = make(admin, helsinki["city"], place=place)
    eastern = make(admin, helsinki["eastern"], place=place)
    whole_city_coach = StaffRoleFactory(role=StaffRole.Role.CITY_COACH, area=helsinki["city"]).user

    def listed(user):
        upcoming, _past = desk.events_for_desk(user, now=NOW)
        return set(upcoming)

    assert listed(coach) == {central}
    assert listed(whole_city_coach) == {central, citywide, eastern}
    assert listed(admin) == {central, citywide, eastern}


def test_an_event_needs_titles_a_place_times_and_capacity(coach, place, helsinki):
    central = helsinki["central"]
    refused(
        "title_required",
        make,
        staff=coach,
        district=central,
        place=place,
        texts={"title_fi": "Ilta"},
    )
    refused("place_required", make, staff=coach, district=central)
    refused("invalid_times", make, staff=coach, district=central, place=place, ends_at=at(3, 16))
    refused(
        "in_past",
        make,
        staff=coach,
        district=central,
        place=place,
        begins_at=at(-1, 17),
        ends_at=at(-1, 18),
    )
    refused(
        "capacity_required", make, staff=coach, district=central, place=place, signup_required=True
    )
    refused("invalid_languages", make, staff=coach, district=central, place=place, languages=["xx"])
    assert not Event.objects.exists()


def test_an_event_in_a_city_space_is_booked_through_premises(coach, helsinki):
    space = SpaceFactory()
    event = make(coach, helsinki["central"], space=space, capacity=10, signup_required=True)
    booking = event.space_booking
    assert booking.space == space and booking.booker == coach
    assert (booking.begins_at, booking.ends_at, booking.state) == (
        at(3, 17),
        at(3, 19),
        BookingState.CONFIRMED,
    )
    # A second event at the same time in the same space is refused by premises, with its reason.
    with pytest.raises(CoachesError) as caught:
        make(coach, helsinki["central"], space=space)
    assert caught.value.code == "space_refused"
    assert Event.objects.count() == 1
    # Moved to another time, the space is booked again and the old booking cancelled.
    events.update_event(
        event=event,
        staff=coach,
        kind=event.kind,
        texts=TEXTS,
        begins_at=at(4, 17),
        ends_at=at(4, 19),
        space=space,
        signup_required=True,
        capacity=10,
        now=NOW,
    )
    event.refresh_from_db()
    assert event.space_booking.begins_at == at(4, 17) and event.sequence == 1
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CANCELLED
    # Cancelling the event cancels its booking.
    assert events.cancel_event(event=event, staff=coach, reason="Sairastuminen", now=NOW) is None
    assert Booking.objects.get(pk=event.space_booking_id).state == BookingState.CANCELLED


def test_a_refused_new_booking_leaves_the_event_and_old_booking_as_they_were(coach, helsinki):
    space = SpaceFactory()
    event = make(coach, helsinki["central"], space=space)
    with pytest.raises(CoachesError) as caught:
        events.update_event(
            event=event,
            staff=coach,
            kind=event.kind,
            texts=TEXTS,
            begins_at=at(4, 22),
            ends_at=at(4, 23),
            space=space,
            now=NOW,
        )
    assert caught.value.code == "space_refused"  # the space closes at 21
    event.refresh_from_db()
    assert event.begins_at == at(3, 17)
    assert event.space_booking.state == BookingState.CONFIRMED


def test_sign_up_within_capacity_and_once(coach, place, resident, helsinki):
    event = make(coach, helsinki["central"], place=place, signup_required=True, capacity=2)
    events.sign_up(event=event, person=resident, accessibility_needs="Pyörätuoli", now=NOW)
    refused("already_signed_up", events.sign_up, event=event, person=resident, now=NOW)
    events.sign_up(event=event, person=UserFactory(), now=NOW)
    refused("full", events.sign_up, event=event, person=UserFactory(), now=NOW)
    event.refresh_from_db()
    assert event.signup_count == 2 and event.places_left == 0
    signup = public.signup_of(event, resident)
    events.cancel_signup(signup=signup, person=resident, now=NOW)
    event.refresh_from_db()
    assert event.signup_count == 1
    events.sign_up(event=event, person=resident, now=NOW)  # the place is free again
    assert EventSignup.objects.filter(event=event, cancelled_at__isnull=True).count() == 2
    refused("begun", events.sign_up, event=event, person=UserFactory(), now=at(3, 17, 5))


def test_no_sign_up_to_drafts_or_events_without_it(coach, place, resident, helsinki):
    draft = make(
        coach, helsinki["central"], place=place, signup_required=True, capacity=5, publish=False
    )
    refused("no_signup", events.sign_up, event=draft, person=resident, now=NOW)
    open_door = make(coach, helsinki["central"], place=place)
    refused("no_signup", events.sign_up, event=open_door, person=resident, now=NOW)
    events.publish_event(event=draft, staff=coach, now=NOW)
    assert events.sign_up(event=draft, person=resident, now=NOW)


def test_capacity_cannot_go_below_those_signed_up(coach, place, resident, helsinki):
    event = make(coach, helsinki["central"], place=place, signup_required=True, capacity=3)
    events.sign_up(event=event, person=resident, now=NOW)
    events.sign_up(event=event, person=UserFactory(), now=NOW)
    arguments = {
        "event": event,
        "staff": coach,
        "kind": event.kind,
        "texts": TEXTS,
        "begins_at": at(3, 17),
        "ends_at": at(3, 19),
        "place": place,
        "now": NOW,
    }
    refused(
        "capacity_below_signups", events.update_event, **arguments, signup_required=True, capacity=1
    )
    refused("signups_exist", events.update_event, **arguments, signup_required=False)


def test_changes_and_cancellation_are_emailed_with_ics_in_each_persons_language(
    coach, place, resident, helsinki
):
    event = make(coach, helsinki["central"], place=place, signup_required=True, capacity=10)
    events.sign_up(event=event, person=resident, now=NOW)
    jobs.run_pending()
    (signed,) = mail.outbox
    assert signed.subject == "Du har anmält dig: Invånarkväll"
    (vevent,) = Calendar.from_ical(signed.attachments[0][1]).walk("VEVENT")
    assert vevent["DTSTART"].dt == at(3, 17) and str(vevent["SUMMARY"]) == "Invånarkväll"
    mail.outbox.clear()
    events.update_event(
        event=event,
        staff=coach,
        kind=event.kind,
        texts=TEXTS,
        begins_at=at(3, 18),
        ends_at=at(3, 20),
        place=place,
        signup_required=True,
        capacity=10,
        now=NOW,
    )
    events.cancel_event(event=event, staff=coach, reason="Sähkökatko", now=NOW)
    jobs.run_pending()
    changed, cancelled = mail.outbox
    assert changed.subject == "Evenemanget har ändrats: Invånarkväll"
    assert (
        cancelled.subject == "Evenemanget är inställt: Invånarkväll"
        and "Sähkökatko" in cancelled.body
    )
    (vevent,) = Calendar.from_ical(cancelled.attachments[0][1]).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 2
    refused("cancelled", events.cancel_event, event=event, staff=coach, reason="x", now=NOW)


def test_participants_are_recorded_after_the_event(coach, place, helsinki):
    event = make(coach, helsinki["central"], place=place)
    refused(
        "not_begun", events.record_participants, event=event, staff=coach, participants=5, now=NOW
    )
    events.record_participants(event=event, staff=coach, participants=42, now=at(3, 20))
    event.refresh_from_db()
    assert event.participants == 42


def test_the_district_feed_has_its_and_the_citys_events(coach, place, helsinki):
    own = make(coach, helsinki["central"], place=place)
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    citywide = make(admin, helsinki["city"], place=place)
    east_coach = UserFactory(is_staff=True)
    StaffRoleFactory(user=east_coach, role=StaffRole.Role.CITY_COACH, area=helsinki["eastern"])
    make(east_coach, helsinki["eastern"], place=place)
    make(coach, helsinki["central"], place=place, publish=False)
    found = public.feed_events(helsinki["central"], now=NOW)
    assert found == [own, citywide]
    text = ical.district_feed(helsinki["central"], found, now=NOW)
    calendar = Calendar.from_ical(text)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        f"coach-event-{own.pk}@127.0.0.1",
        f"coach-event-{citywide.pk}@127.0.0.1",
    ]
    assert "X-WR-CALNAME" in calendar
