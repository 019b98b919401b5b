"""Premises without JavaScript: a weekly recurring booking from the space page through
the preview of every date (one taken by someone else) to the series page and
cancelling the whole series; the private calendar address made and renewed."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.premises.models import Booking, BookingState, CalendarFeed
from osallistu.premises.selectors import CITY_TZ, local_datetime
from tests.browser.helpers import follow, log_in, visit
from tests.factories import UserFactory
from tests.premises.factories import PurposeFactory, SpaceFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


def test_weekly_series_and_calendar_address_without_javascript(page, resident, helsinki):
    space = SpaceFactory(name_fi="Bändikämppä", name_sv="Bandlokalen", name_en="Band room")
    space.purposes.add(PurposeFactory())
    today = timezone.localtime(timezone.now(), CITY_TZ).date()
    first = today + datetime.timedelta(days=7 + (3 - today.weekday()) % 7)  # a Thursday
    second = first + datetime.timedelta(weeks=1)
    Booking.objects.create(
        space=space,
        booker=UserFactory(),
        begins_at=local_datetime(second, datetime.time(18)),
        ends_at=local_datetime(second, datetime.time(19)),
        occupied_from=local_datetime(second, datetime.time(18)),
        occupied_until=local_datetime(second, datetime.time(19)),
        attendees=4,
        state=BookingState.CONFIRMED,
    )

    log_in(page, resident.email, resident.plain_password)
    visit(page, f"/fi/premises/spaces/{space.slug}/")
    follow(page, lambda: page.get_by_role("link", name="Varaa sama aika joka viikko").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Varaa Bändikämppä joka viikko")
    page.get_by_label("Ensimmäinen päivä").fill(first.isoformat())
    page.get_by_label("Viimeinen päivä").fill((first + datetime.timedelta(weeks=3)).isoformat())
    page.get_by_label("Alkaa").fill("18:00")
    page.get_by_label("Päättyy").fill("20:00")
    page.get_by_label("Henkilömäärä").fill("6")
    page.get_by_label("Olen lukenut käyttöehdot ja hyväksyn ne").check()
    follow(page, lambda: page.get_by_role("button", name="Näytä päivät").click())

    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista päivät")
    expect(page.locator("main")).to_contain_text("3/4 päivästä voi varata.")
    dates = page.locator("ul.series-dates > li")
    expect(dates).to_have_count(4)
    expect(dates.nth(1)).to_contain_text("ei voi varata:")
    expect(page.get_by_role("checkbox")).to_have_count(3)
    assert not Booking.objects.filter(booker=resident).exists()
    follow(page, lambda: page.get_by_role("button", name="Varaa valitut päivät").click())

    expect(page.get_by_role("heading", level=1)).to_have_text("Viikoittainen varaus")
    expect(page.get_by_role("status")).to_contain_text("Toistuva varauksesi on tehty.")
    mine = Booking.objects.filter(booker=resident)
    assert mine.count() == 3 and second not in {
        timezone.localtime(b.begins_at, CITY_TZ).date() for b in mine
    }
    follow(page, lambda: page.get_by_role("button", name="Peru koko sarja").click())
    expect(page.get_by_role("status")).to_contain_text("Peruttuja päiviä: 3.")
    assert set(mine.values_list("state", flat=True)) == {BookingState.CANCELLED}

    # The private calendar address: made, then replaced.
    visit(page, "/fi/premises/my/")
    follow(page, lambda: page.get_by_role("button", name="Tee kalenteriosoitteeni").click())
    expect(page.get_by_role("status")).to_contain_text("Kalenteriosoitteesi on valmis.")
    token = CalendarFeed.objects.get(user=resident).token
    expect(page.locator(".feed-url")).to_contain_text(token)
    follow(page, lambda: page.get_by_role("button", name="Tee uusi osoite").click())
    new_token = CalendarFeed.objects.get(user=resident).token
    assert new_token != token
    expect(page.locator(".feed-url")).to_contain_text(new_token)
    expect(page).to_have_url(re.compile(r"/fi/premises/my/#calendar-feed$"))
