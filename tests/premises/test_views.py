"""Pages of premises: the search, the space page, booking, series, one's own bookings,
the calendar feed and the staff pages. Times are relative to the real clock: the
views book against ``timezone.now()``."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.premises import services
from osallistu.premises.models import (
    AuthenticationLevel,
    Booking,
    BookingState,
    CalendarFeed,
    Confirmation,
    PriceKind,
)
from osallistu.premises.selectors import CITY_TZ, local_datetime
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor
from tests.premises.factories import SpaceFactory, UnitFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]


def url(name, *args, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"premises:{name}", args=args, kwargs=kwargs)


def text(response):
    return html.unescape(response.content.decode())


def next_weekday(days_ahead=7):
    """A Tuesday a week or more ahead (the factory's spaces are open 8–21 every day)."""
    day = timezone.localtime(timezone.now(), CITY_TZ).date() + datetime.timedelta(days=days_ahead)
    return day + datetime.timedelta(days=(1 - day.weekday()) % 7)


def book_form(space, day, begins="17:00", ends="19:00", **extra):
    purpose = space.purposes.first()
    data = {
        "date": day.isoformat(),
        "begins": begins,
        "ends": ends,
        "purpose": purpose.pk if purpose else None,
        "attendees": "12",
        "description": "Asukasyhdistyksen kokous",
        "association": "",
        "accept_terms": "on",
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def resident_client(client, booker):
    client.force_login(booker)
    return client


@pytest.fixture
def manager_client(client, manager):
    return sign_in_past_second_factor(client, manager)


def make_booking(space, booker, begins_at, minutes=60, **fields):
    """A booking row straight in the table, for states the clock would not allow."""
    fields.setdefault("state", BookingState.CONFIRMED)
    ends_at = begins_at + datetime.timedelta(minutes=minutes)
    return Booking.objects.create(
        space=space,
        booker=booker,
        begins_at=begins_at,
        ends_at=ends_at,
        occupied_from=begins_at,
        occupied_until=ends_at,
        attendees=5,
        **fields,
    )


# ---------------------------------------------------------------------------- public pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_render_in_every_language(client, space, language):
    day = next_weekday()
    assert client.get(url("search", language=language)).status_code == 200
    found = client.get(url("search", language=language), {"date": day.isoformat()})
    assert found.status_code == 200
    assert space.name_en if language == "en" else True
    assert getattr(space, f"name_{language}") in text(found)
    detail = client.get(url("space", space.slug, language=language))
    assert detail.status_code == 200
    assert getattr(space, f"name_{language}") in text(detail)


def test_search_finds_a_room_for_twenty_with_a_projector_on_an_evening(client, space, helsinki):
    small = SpaceFactory(capacity=8)
    day = next_weekday()
    response = client.get(
        url("search"),
        {
            "district": helsinki["central"].pk,
            "date": day.isoformat(),
            "window": "evening",
            "duration": "120",
            "people": "20",
            "equipment": [space.equipment.first().pk],
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert space.name_en in page and small.name_en not in page
    link = f"{url('book', space.slug)}?date={day.isoformat()}&begins=16%3A00&ends=18%3A00"
    assert link in page
    assert "19.00–21.00" in page  # the last two-hour slot before closing


def test_search_results_are_linkable_and_paged(client, helsinki):
    spaces = [SpaceFactory() for _ in range(22)]
    day = next_weekday()
    first = client.get(url("search"), {"date": day.isoformat(), "window": "morning"})
    assert "22 spaces with free time" in text(first)
    assert "page=2" in text(first)
    second = client.get(url("search"), {"date": day.isoformat(), "window": "morning", "page": 2})
    assert "Page 2 of 2" in text(second)
    shown = [space for space in spaces if f">{space.name_en}</a>" in text(second)]
    assert len(shown) == text(second).count('class="result"') == 2
    for page in ("99", "x"):
        response = client.get(url("search"), {"date": day.isoformat(), "page": page})
        assert response.status_code == 200 and "22 spaces with free time" in text(response)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date": "a week ago"}, "Please choose today or a later date."),
        ({"date": "tomorrow"}, "Enter a valid date."),
        ({"date": "2020-02-30"}, "Enter a valid date."),
        ({"people": "-3"}, "Ensure this value is greater than or equal to 1."),
        ({"time_from": "18:00", "time_until": "17:00"}, "The latest end must be after"),
        ({"duration": "7"}, "Select a valid choice."),
        ({"district": "999999"}, "Select a valid choice."),
        # Ids no database holds, from a hand-made address (these gave a 500).
        ({"equipment": "9223372036854775808"}, "Select a valid choice."),
        ({"equipment": ["1", "²"]}, "Select a valid choice."),
        ({"district": "9223372036854775808"}, "Select a valid choice."),
        ({"purpose": "1e3"}, "Select a valid choice."),
        ({"people": "9223372036854775808"}, "less than or equal to 5000"),
    ],
)
def test_search_with_bad_input_answers_with_the_message(client, space, query, message):
    query = {"date": next_weekday().isoformat(), **query}
    if query["date"] == "a week ago":
        query["date"] = (next_weekday() - datetime.timedelta(days=21)).isoformat()
    response = client.get(url("search"), query)
    assert response.status_code == 200
    assert message in text(response)
    assert "Please correct the marked fields." in text(response)


def test_week_calendar_shows_free_and_busy_as_text(client, space, booker):
    day = next_weekday()
    make_booking(space, UserFactory(), local_datetime(day, datetime.time(17)), minutes=120)
    response = client.get(url("space", space.slug), {"week": day.isoformat()})
    page = text(response)
    assert "17.00–19.00" in page and "booked" in page
    assert "Previous week" in page and "Next week" in page
    assert f"?week={(day - datetime.timedelta(days=day.weekday() + 7)).isoformat()}" in page
    # The slot that meets the booking is not offered.
    assert f"date={day.isoformat()}&begins=17%3A00" not in page
    assert f"date={day.isoformat()}&begins=19%3A00" in page


def test_own_booking_in_the_week_calendar_links_to_it(resident_client, space, booker):
    day = next_weekday()
    booking = make_booking(space, booker, local_datetime(day, datetime.time(10)))
    page = text(resident_client.get(url("space", space.slug), {"week": day.isoformat()}))
    assert url("booking", booking.pk) in page and "your booking" in page


@pytest.mark.parametrize("week", ["nonsense", "9999-12-31", "0001-01-01"])
def test_week_calendar_with_a_bad_week_shows_this_week(client, space, week):
    response = client.get(url("space", space.slug), {"week": week})
    assert response.status_code == 200
    assert "this week is shown" in text(response)


@pytest.mark.parametrize("purpose", ["²", "9223372036854775808", "٣", "-1"])
def test_booking_form_takes_any_purpose_in_its_address(resident_client, space, purpose):
    response = resident_client.get(url("book", space.slug), {"purpose": purpose})
    assert response.status_code == 200


def test_unknown_or_unpublished_space_is_404(client, space):
    assert client.get(url("space", "no-such-space")).status_code == 404
    space.is_published = False
    space.save()
    assert client.get(url("space", space.slug)).status_code == 404


def test_space_page_shows_the_facts(client, helsinki):
    space = SpaceFactory(
        price_kind=PriceKind.HOURLY,
        price=Decimal("25.00"),
        free_for_associations=True,
        induction_loop=True,
    )
    page = text(client.get(url("space", space.slug)))
    assert "€25 an hour" in page
    assert "Non-profit associations may apply" in page
    assert "Induction loop" in page and "Töölönlahdenkatu 4" in page
    assert "Central" in page or "Keskinen" in page


def test_premises_is_on_the_home_page(client):
    assert url("search") in text(client.get("/en/"))


# ---------------------------------------------------------------------------- booking


def test_booking_needs_login_and_comes_back(client, space):
    day = next_weekday()
    address = f"{url('book', space.slug)}?date={day.isoformat()}&begins=17:00&ends=19:00"
    response = client.get(address)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url and "book" in response.url


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_flow_in_every_language(resident_client, space, booker, language):
    day = next_weekday()
    form = resident_client.get(
        url("book", space.slug, language=language),
        {"date": day.isoformat(), "begins": "17:00", "ends": "19:00"},
    )
    assert form.status_code == 200
    assert 'value="17:00"' in text(form)
    response = resident_client.post(
        url("book", space.slug, language=language), book_form(space, day)
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == url("booking", booking.pk, language=language)
    assert booking.state == BookingState.CONFIRMED
    assert booking.begins_at == local_datetime(day, datetime.time(17))
    page = resident_client.get(response.url)
    assert page.status_code == 200
    with translation.override(language):
        from django.utils.translation import gettext

        assert gettext("Your booking is confirmed") in text(page)


def test_handled_space_says_the_booking_waits(resident_client, helsinki):
    space = SpaceFactory(confirmation=Confirmation.HANDLED)
    response = resident_client.post(
        url("book", space.slug), book_form(space, next_weekday()), follow=True
    )
    assert "Your booking is waiting for handling" in text(response)
    assert Booking.objects.get().state == BookingState.REQUIRES_HANDLING


def test_booking_sends_the_email_with_the_calendar_file(resident_client, space, booker):
    resident_client.post(url("book", space.slug), book_form(space, next_weekday()))
    jobs.run_pending()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [booker.email]
    assert message.attachments[0][0] == "booking.ics"
    assert "BEGIN:VEVENT" in message.attachments[0][1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"attendees": "200"}, "At most 20 people fit in this space; you told us 200."),
        ({"begins": "05:00", "ends": "07:00"}, "The time is outside the space's opening hours."),
        ({"begins": "17:00", "ends": "23:30"}, "can last at most 4 hours"),
        ({"begins": "17:10", "ends": "18:10"}, "a multiple of 30 minutes"),
        ({"begins": "19:00", "ends": "17:00"}, "The booking must end after it begins."),
        ({"accept_terms": None}, "Please accept the terms of use to book."),
        ({"attendees": "zero"}, "Enter a whole number."),
        ({"date": "2026-02-31"}, "Enter a valid date."),
        ({"begins": "25:00"}, "Enter a valid time."),
        ({"date": "9999-12-31", "ends": "00:00"}, "Enter a valid date."),
        ({"purpose": "99999"}, "Select a valid choice."),
        ({"description": "x" * 301}, "Ensure this value has at most 300 characters"),
    ],
)
def test_bad_booking_answers_next_to_the_form_and_stores_nothing(
    resident_client, space, change, message
):
    response = resident_client.post(
        url("book", space.slug), book_form(space, next_weekday(), **change)
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Booking.objects.exists()
    assert 'role="alert"' in text(response)


def test_booking_too_far_ahead_and_in_the_past(resident_client, space):
    far = next_weekday(days_ahead=120)
    response = resident_client.post(url("book", space.slug), book_form(space, far))
    assert "at most 90 days ahead" in text(response)
    past = next_weekday() - datetime.timedelta(days=14)
    response = resident_client.post(url("book", space.slug), book_form(space, past))
    assert "This time has already passed." in text(response)
    assert not Booking.objects.exists()


def test_already_booked_and_own_overlap(resident_client, space, booker, helsinki):
    day = next_weekday()
    make_booking(space, UserFactory(), local_datetime(day, datetime.time(17)), minutes=120)
    response = resident_client.post(url("book", space.slug), book_form(space, day))
    assert "Someone has already booked this time." in text(response)
    other = SpaceFactory()
    make_booking(other, booker, local_datetime(day, datetime.time(10)), minutes=120)
    response = resident_client.post(
        url("book", space.slug), book_form(space, day, begins="10:00", ends="11:00")
    )
    assert "You already have a booking at this time" in text(response)
    assert Booking.objects.filter(booker=booker).count() == 1


def test_free_of_charge_application_needs_an_association(resident_client, helsinki):
    space = SpaceFactory(
        price_kind=PriceKind.HOURLY, price=Decimal("20.00"), free_for_associations=True
    )
    response = resident_client.post(
        url("book", space.slug), book_form(space, next_weekday(), free_of_charge_requested="on")
    )
    assert "please give your association's name" in text(response)
    assert not Booking.objects.exists()
    response = resident_client.post(
        url("book", space.slug),
        book_form(
            space, next_weekday(), free_of_charge_requested="on", association="Kallio-Seura ry"
        ),
    )
    booking = Booking.objects.get()
    assert booking.state == BookingState.REQUIRES_HANDLING and booking.free_of_charge_requested


def test_free_of_charge_box_only_where_offered(resident_client, space):
    page = text(resident_client.get(url("book", space.slug)))
    assert "free_of_charge_requested" not in page


def test_strong_identification_links_to_identification(resident_client, helsinki):
    space = SpaceFactory(authentication=AuthenticationLevel.STRONG)
    response = resident_client.get(url("book", space.slug))
    assert response.status_code == 200
    assert reverse("identity:identify") in text(response)
    response = resident_client.post(url("book", space.slug), book_form(space, next_weekday()))
    assert not Booking.objects.exists()


# ---------------------------------------------------------------------------- own bookings


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_pages_render_in_every_language(resident_client, space, booker, language):
    booking = make_booking(space, booker, local_datetime(next_weekday(), datetime.time(10)))
    make_booking(
        space,
        booker,
        local_datetime(next_weekday() - datetime.timedelta(days=21), datetime.time(10)),
        state=BookingState.CANCELLED,
        state_reason="Remontti",
    )
    for name, args in [
        ("my_bookings", ()),
        ("booking", (booking.pk,)),
        ("booking_cancel", (booking.pk,)),
        ("series_new", (space.slug,)),
    ]:
        response = resident_client.get(url(name, *args, language=language))
        assert response.status_code == 200, name
    assert "Remontti" in text(resident_client.get(url("my_bookings", language=language)))


def test_cancel_within_the_rules(resident_client, space, booker):
    resident_client.post(url("book", space.slug), book_form(space, next_weekday()))
    booking = Booking.objects.get()
    response = resident_client.post(url("booking_cancel", booking.pk), {"reason": ""})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    page = text(resident_client.get(url("my_bookings")))
    assert "Cancelled" in page


def test_cancel_too_late_says_so(resident_client, space, booker):
    soon = timezone.now() + datetime.timedelta(hours=3)
    booking = make_booking(space, booker, soon)
    page = resident_client.get(url("booking_cancel", booking.pk))
    assert "It is too late to cancel this booking yourself" in text(page)
    response = resident_client.post(url("booking_cancel", booking.pk), {"reason": ""})
    assert response.status_code == 200
    assert "can be cancelled only until" in text(response)
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED


def test_someone_elses_booking_is_404(resident_client, space):
    other = make_booking(space, UserFactory(), local_datetime(next_weekday(), datetime.time(10)))
    for name in ("booking", "booking_cancel", "booking_ics"):
        assert resident_client.get(url(name, other.pk)).status_code == 404
    assert resident_client.post(url("booking_cancel", other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.state == BookingState.CONFIRMED


def test_ics_download(resident_client, space, booker):
    booking = make_booking(space, booker, local_datetime(next_weekday(), datetime.time(10)))
    response = resident_client.get(url("booking_ics", booking.pk))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert f"premises-booking-{booking.pk}@" in text(response)


def test_calendar_feed_make_renew_and_read(resident_client, client, space, booker):
    booking = make_booking(space, booker, local_datetime(next_weekday(), datetime.time(10)))
    resident_client.post(url("feed_renew"))
    token = CalendarFeed.objects.get(user=booker).token
    page = text(resident_client.get(url("my_bookings")))
    assert url("feed", token) in page
    resident_client.logout()
    feed = client.get(url("feed", token))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert f"premises-booking-{booking.pk}@" in text(feed)
    client.force_login(booker)
    client.post(url("feed_renew"))
    client.logout()
    new_token = CalendarFeed.objects.get(user=booker).token
    assert new_token != token
    assert client.get(url("feed", token)).status_code == 404
    assert client.get(url("feed", new_token)).status_code == 200
    assert client.get(url("feed", "not-a-token")).status_code == 404


def test_my_bookings_needs_login(client):
    response = client.get(url("my_bookings"))
    assert response.status_code == 302 and "next=" in response.url
    assert client.post(url("feed_renew")).status_code == 302
    assert not CalendarFeed.objects.exists()


# ---------------------------------------------------------------------------- series


def series_data(space, first, weeks=4, **extra):
    data = {
        "purpose": space.purposes.first().pk,
        "first_date": first.isoformat(),
        "last_date": (first + datetime.timedelta(weeks=weeks - 1)).isoformat(),
        "begins": "18:00",
        "ends": "20:00",
        "attendees": "10",
        "description": "Kuoroharjoitus",
        "association": "",
        "accept_terms": "on",
    }
    data.update(extra)
    return data


def test_series_preview_confirm_and_cancel(resident_client, space, booker):
    first = next_weekday()
    taken = make_booking(
        space, UserFactory(), local_datetime(first + datetime.timedelta(weeks=1), datetime.time(19))
    )
    preview = resident_client.post(url("series_new", space.slug), series_data(space, first))
    page = text(preview)
    assert preview.status_code == 200
    assert "3 of 4 dates can be booked." in page
    assert "Someone has already booked this time." in page
    assert not Booking.objects.filter(booker=booker).exists()
    free = [first + datetime.timedelta(weeks=n) for n in (0, 2, 3)]
    confirm = resident_client.post(
        url("series_new", space.slug),
        {**series_data(space, first), "action": "confirm", "dates": [d.isoformat() for d in free]},
    )
    assert confirm.status_code == 302
    bookings = Booking.objects.filter(booker=booker)
    assert bookings.count() == 3 and taken.pk not in bookings.values_list("pk", flat=True)
    series = bookings.first().series
    assert confirm.url == url("series", series.pk)
    page = text(resident_client.get(confirm.url))
    assert "Cancel the whole series" in page
    resident_client.post(url("series_cancel", series.pk))
    assert set(bookings.values_list("state", flat=True)) == {BookingState.CANCELLED}


def test_series_with_a_tampered_date_is_refused(resident_client, space, booker):
    first = next_weekday()
    response = resident_client.post(
        url("series_new", space.slug),
        {
            **series_data(space, first),
            "action": "confirm",
            "dates": [(first + datetime.timedelta(days=1)).isoformat()],
        },
    )
    assert response.status_code == 200
    assert "Choose at least one date of the series." in text(response)
    response = resident_client.post(
        url("series_new", space.slug),
        {**series_data(space, first), "action": "confirm", "dates": ["not-a-date"]},
    )
    assert "The dates sent were not understood." in text(response)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"last_date": "a week before"}, "The last date must not be before the first."),
        ({"ends": "17:00"}, "The booking must end after it begins."),
        ({"attendees": "500"}, "At most 20 people fit in this space"),
        ({"first_date": "9999-12-24", "last_date": "9999-12-31"}, "Enter a valid date."),
    ],
)
def test_series_bad_input(resident_client, space, change, message):
    data = series_data(space, next_weekday(), **change)
    if data["last_date"] == "a week before":
        data["last_date"] = (next_weekday() - datetime.timedelta(weeks=1)).isoformat()
    response = resident_client.post(url("series_new", space.slug), data)
    assert response.status_code == 200
    assert message in text(response)
    assert not Booking.objects.exists()


def test_series_too_long(resident_client, space):
    response = resident_client.post(
        url("series_new", space.slug), series_data(space, next_weekday(), weeks=60)
    )
    assert "A series can have at most 52 dates." in text(response)


def test_someone_elses_series_is_404(resident_client, space, helsinki):
    other = UserFactory()
    first = next_weekday()
    series = services.create_series(
        space=space,
        booker=other,
        first_date=first,
        last_date=first + datetime.timedelta(weeks=1),
        begins=datetime.time(10),
        ends=datetime.time(11),
        attendees=3,
        dates=[first],
    )
    assert resident_client.get(url("series", series.pk)).status_code == 404
    assert resident_client.post(url("series_cancel", series.pk)).status_code == 404


# ---------------------------------------------------------------------------- staff


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages_render_in_every_language(manager_client, space, booker, language):
    booking = make_booking(
        space,
        booker,
        local_datetime(next_weekday(), datetime.time(10)),
        state=BookingState.REQUIRES_HANDLING,
        free_of_charge_requested=True,
        association="Kallio-Seura ry",
    )
    day = next_weekday().isoformat()
    for name, args, query in [
        ("staff", (), {}),
        ("staff_queue", (), {}),
        ("staff_booking", (booking.pk,), {}),
        ("staff_schedule", (space.unit.slug,), {"day": day}),
        ("staff_schedule", (space.unit.slug,), {"day": "garbage"}),
        ("staff_schedule", (space.unit.slug,), {"day": "9999-12-31"}),
        ("staff_blocked", (space.unit.slug,), {}),
    ]:
        response = manager_client.get(url(name, *args, language=language), query)
        assert response.status_code == 200, name
    queue = text(manager_client.get(url("staff_queue", language=language)))
    assert "Kallio-Seura ry" in queue


def test_staff_pages_need_the_second_factor(client, manager):
    client.force_login(manager)
    response = client.get(url("staff_queue"))
    assert response.status_code == 302
    assert reverse("accounts:mfa_verify") in response.url


def test_staff_without_premises_role_is_refused(client, helsinki):
    moderator = StaffRoleFactory(
        role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["central"]
    ).user
    sign_in_past_second_factor(client, moderator)
    assert client.get(url("staff_queue")).status_code == 403


def test_premises_manager_of_a_district_without_units_sees_an_empty_desk(client, helsinki):
    manager = StaffRoleFactory(role=StaffRole.Role.PREMISES_MANAGER, area=helsinki["central"]).user
    sign_in_past_second_factor(client, manager)
    response = client.get(url("staff"))
    assert response.status_code == 200
    assert "Your district has no premises to book yet." in text(response)


def test_handling_a_free_of_charge_application(manager_client, helsinki, booker):
    space = SpaceFactory(
        price_kind=PriceKind.HOURLY, price=Decimal("20.00"), free_for_associations=True
    )
    booking = services.create_booking(
        space=space,
        booker=booker,
        begins_at=local_datetime(next_weekday(), datetime.time(17)),
        ends_at=local_datetime(next_weekday(), datetime.time(19)),
        attendees=15,
        association="Kallio-Seura ry",
        free_of_charge_requested=True,
    )
    assert booking.price == Decimal("40.00")
    # Without the decision the form answers with its message.
    response = manager_client.post(url("staff_booking", booking.pk), {"action": "approve"})
    assert response.status_code == 200 and "This field is required." in text(response)
    response = manager_client.post(
        url("staff_booking", booking.pk), {"action": "approve", "free_of_charge": "yes"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.price == 0


def test_deny_needs_a_reason(manager_client, space, booker):
    booking = make_booking(
        space,
        booker,
        local_datetime(next_weekday(), datetime.time(10)),
        state=BookingState.REQUIRES_HANDLING,
    )
    response = manager_client.post(
        url("staff_booking", booking.pk), {"action": "deny", "deny-reason": " "}
    )
    assert response.status_code == 200 and "This field is required." in text(response)
    manager_client.post(
        url("staff_booking", booking.pk), {"action": "deny", "deny-reason": "Tila on remontissa."}
    )
    booking.refresh_from_db()
    assert booking.state == BookingState.DENIED and booking.state_reason == "Tila on remontissa."
    # Once handled it cannot be approved any more; the page says why.
    response = manager_client.post(
        url("staff_booking", booking.pk), {"action": "bogus"}, follow=True
    )
    assert "The action was not understood." in text(response)


def test_staff_cancel_with_a_reason(manager_client, space, booker):
    booking = make_booking(space, booker, timezone.now() + datetime.timedelta(hours=2))
    response = manager_client.post(
        url("staff_booking", booking.pk), {"action": "cancel", "cancel-reason": "Vesivahinko"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED and booking.state_reason == "Vesivahinko"


def test_staff_of_another_district_gets_404(client, helsinki, booker):
    other = StaffRoleFactory(role=StaffRole.Role.PREMISES_MANAGER, area=helsinki["southern"]).user
    sign_in_past_second_factor(client, other)
    UnitFactory(district=helsinki["southern"])
    space = SpaceFactory()
    booking = make_booking(
        space,
        booker,
        local_datetime(next_weekday(), datetime.time(10)),
        state=BookingState.REQUIRES_HANDLING,
    )
    assert client.get(url("staff_booking", booking.pk)).status_code == 404
    assert client.get(url("staff_schedule", space.unit.slug)).status_code == 404
    assert client.get(url("staff_blocked", space.unit.slug)).status_code == 404
    assert (
        client.post(
            url("staff_booking", booking.pk), {"action": "deny", "deny-reason": "x"}
        ).status_code
        == 404
    )
    booking.refresh_from_db()
    assert booking.state == BookingState.REQUIRES_HANDLING


def test_block_and_unblock(manager_client, space, booker):
    day = next_weekday()
    data = {
        "space": space.pk,
        "starts_on": day.isoformat(),
        "begins": "08:00",
        "ends_on": "",
        "ends": "12:00",
        "reason": "Lattian huolto",
    }
    response = manager_client.post(url("staff_blocked", space.unit.slug), data)
    assert response.status_code == 302
    block = Booking.objects.blocked().get()
    page = text(
        manager_client.get(url("staff_schedule", space.unit.slug), {"day": day.isoformat()})
    )
    assert "Lattian huolto" in page
    # Blocked time is not offered for booking.
    calendar = text(manager_client.get(url("space", space.slug), {"week": day.isoformat()}))
    assert "not available" in calendar
    # Blocking over it again is refused with the service's message.
    response = manager_client.post(url("staff_blocked", space.unit.slug), data)
    assert response.status_code == 200 and "Cancel them first." in text(response)
    manager_client.post(url("staff_unblock", block.pk))
    block.refresh_from_db()
    assert block.state == BookingState.CANCELLED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": ""}, "This field is required."),
        ({"ends": "07:00"}, "The blocked time must end after it begins."),
        ({"space": "999999"}, "Select a valid choice."),
    ],
)
def test_block_bad_input(manager_client, space, change, message):
    data = {
        "space": space.pk,
        "starts_on": next_weekday().isoformat(),
        "begins": "08:00",
        "ends": "12:00",
        "reason": "Huolto",
        **change,
    }
    response = manager_client.post(url("staff_blocked", space.unit.slug), data)
    assert response.status_code == 200 and message in text(response)
    assert not Booking.objects.exists()


def test_space_of_another_unit_cannot_be_blocked(manager_client, space):
    other = SpaceFactory(unit=UnitFactory())
    data = {
        "space": other.pk,
        "starts_on": next_weekday().isoformat(),
        "begins": "08:00",
        "ends": "12:00",
        "reason": "Huolto",
    }
    response = manager_client.post(url("staff_blocked", space.unit.slug), data)
    assert response.status_code == 200 and "Select a valid choice." in text(response)


def test_staff_handle_a_whole_series_at_once(manager_client, helsinki, booker):
    space = SpaceFactory(confirmation=Confirmation.HANDLED)
    first = next_weekday()
    series = services.create_series(
        space=space,
        booker=booker,
        first_date=first,
        last_date=first + datetime.timedelta(weeks=2),
        begins=datetime.time(10),
        ends=datetime.time(11),
        attendees=3,
        dates=[first + datetime.timedelta(weeks=n) for n in range(3)],
    )
    one = series.bookings.order_by("begins_at").first()
    page = text(manager_client.get(url("staff_booking", one.pk)))
    assert "Every date of the weekly series that waits for handling" in page
    assert "Every week on Tuesday 10.00–11.00" in page
    # Only this date.
    manager_client.post(url("staff_booking", one.pk), {"action": "approve"})
    states = list(series.bookings.order_by("begins_at").values_list("state", flat=True))
    assert states == [BookingState.CONFIRMED] + [BookingState.REQUIRES_HANDLING] * 2
    # Then the rest at once.
    second = series.bookings.order_by("begins_at")[1]
    response = manager_client.post(
        url("staff_booking", second.pk),
        {
            "action": "deny",
            "deny-reason": "Sali on varattu kaupungin omaan käyttöön.",
            "deny-whole_series": "on",
        },
        follow=True,
    )
    assert "Dates denied: 2." in text(response)
    states = list(series.bookings.order_by("begins_at").values_list("state", flat=True))
    assert states == [BookingState.CONFIRMED] + [BookingState.DENIED] * 2


def test_every_page_renders_with_the_demo_premises(client, helsinki):
    """The demo's units, spaces, photos, exceptions and a season of bookings on every
    public page, the booker's pages and the staff pages, in Finnish."""
    from osallistu.demo.people import build_people
    from osallistu.demo.premises import build_premises
    from osallistu.premises.models import Space

    today = timezone.localdate()
    build_people(today=today)
    build_premises(today)
    assert client.get(url("search", language="fi")).status_code == 200
    found = client.get(
        url("search", language="fi"), {"date": next_weekday().isoformat(), "window": "evening"}
    )
    assert found.status_code == 200 and 'ul class="slots"' in found.content.decode()
    for space in Space.objects.all():
        assert client.get(url("space", space.slug, language="fi")).status_code == 200
    booker = Booking.objects.bookings().filter(ends_at__gt=timezone.now()).first().booker
    client.force_login(booker)
    assert client.get(url("my_bookings", language="fi")).status_code == 200
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    sign_in_past_second_factor(client, admin)
    assert client.get(url("staff_queue", language="fi")).status_code == 200
    waiting = Booking.objects.filter(state=BookingState.REQUIRES_HANDLING).first()
    assert client.get(url("staff_booking", waiting.pk, language="fi")).status_code == 200
    unit = waiting.space.unit
    assert client.get(url("staff_schedule", unit.slug, language="fi")).status_code == 200
    assert client.get(url("staff_blocked", unit.slug, language="fi")).status_code == 200
