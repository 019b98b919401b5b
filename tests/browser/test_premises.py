"""Issue 6 in the browser: find a free room for 20 people with a projector on a weekday
evening in a district, book it (logging in on the way), get the e-mail with the .ics,
cancel it; a member of staff past the second factor handles a free-of-charge
application, looks at the day and blocks time. axe-core checks every page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.premises import services
from osallistu.premises.models import Booking, BookingState, Confirmation, PriceKind
from osallistu.premises.selectors import CITY_TZ, local_datetime
from tests.browser.helpers import (
    MOBILE_VIEWPORT,
    assert_focus_visible,
    follow,
    log_in,
    tab_to,
    visit,
)
from tests.factories import TEST_PASSWORD, StaffRoleFactory, UserFactory
from tests.premises.factories import (
    EquipmentFactory,
    PurposeFactory,
    SpaceFactory,
    UnitFactory,
)

pytestmark = pytest.mark.browser

KEY = "3132333435363738393031323334353637383930"


def assert_fits(page):
    """Nothing wider than the phone: no sideways scrolling of the whole page."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1
                     && !e.closest('.table-scroll'))
        .slice(0, 5).map(e => e.outerHTML.slice(0, 80))"""
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE_VIEWPORT["width"], (page.url, wide)


def next_tuesday(days_ahead=7):
    day = timezone.localtime(timezone.now(), CITY_TZ).date() + datetime.timedelta(days=days_ahead)
    return day + datetime.timedelta(days=(1 - day.weekday()) % 7)


@pytest.fixture
def rooms(transactional_db, helsinki):
    """In the Central district a room for 24 with a projector and a small one with a
    projector; in the Southern district a big room with a projector."""
    projector = EquipmentFactory()
    meeting = PurposeFactory()
    kallio = UnitFactory(
        name_fi="Kallion kirjasto",
        name_sv="Berghälls bibliotek",
        name_en="Kallio Library",
        district=helsinki["central"],
        terms_fi="Jätä tila siistiksi.",
    )
    big = SpaceFactory(
        unit=kallio,
        name_fi="Kokoushuone Kaarlo",
        name_sv="Mötesrummet Kaarlo",
        name_en="Meeting room Kaarlo",
        capacity=24,
    )
    small = SpaceFactory(
        unit=kallio,
        name_fi="Pikkuhuone",
        name_sv="Lilla rummet",
        name_en="Small room",
        capacity=6,
    )
    southern = SpaceFactory(
        unit=UnitFactory(district=helsinki["southern"]),
        name_fi="Etelän sali",
        name_sv="Södra salen",
        name_en="Southern hall",
        capacity=80,
    )
    for space in (big, small, southern):
        space.equipment.add(projector)
        space.purposes.add(meeting)
    return big, small, southern


def test_find_book_get_the_email_and_cancel(page, resident, rooms, live_server):
    big, _small, _southern = rooms
    day = next_tuesday()
    visit(page, "/fi/premises/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Varaa kaupungin tiloja")
    page.get_by_label(re.compile(r"^Päivä")).fill(day.isoformat())
    page.get_by_label("Suurpiiri").select_option(label="Keskinen")
    page.get_by_label("Vuorokaudenaika").select_option("evening")
    page.get_by_label("Kesto").select_option("120")
    page.get_by_label("Henkilömäärä").fill("20")
    page.get_by_label("Videotykki").check()
    follow(page, lambda: page.get_by_role("button", name="Hae").click())
    results = page.locator("ul.results > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Kokoushuone Kaarlo")
    expect(page.locator("main")).not_to_contain_text("Pikkuhuone")
    expect(page.locator("main")).not_to_contain_text("Etelän sali")
    assert_fits(page)
    # The address of the results can be shared.
    assert "people=20" in page.url and "window=evening" in page.url

    # Choosing a slot asks to log in first and then comes back to the booking form.
    slot = results.first.get_by_role("link", name=re.compile(r"^17\.00–19\.00"))
    follow(page, slot.click)
    expect(page).to_have_url(re.compile(r"/fi/accounts/login/\?next="))
    page.locator("input[name=username]").fill(resident.email)
    page.locator("input[name=password]").fill(resident.plain_password)
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Varaa Kokoushuone Kaarlo")
    expect(page.get_by_label("Alkaa")).to_have_value("17:00")
    expect(page.get_by_label("Päättyy")).to_have_value("19:00")
    expect(page.get_by_label("Henkilömäärä")).to_have_value("20")
    expect(page.locator("main")).to_contain_text("Jätä tila siistiksi.")
    assert_fits(page)

    # Without accepting the terms the form answers next to it and books nothing.
    follow(page, lambda: page.get_by_role("button", name="Varaa", exact=True).click())
    expect(page.locator(".field__error")).to_contain_text("Hyväksy käyttöehdot")
    assert not Booking.objects.exists()

    page.get_by_label("Mitä tilassa tapahtuu", exact=False).fill("Taloyhtiön kokous")
    page.get_by_label("Olen lukenut käyttöehdot ja hyväksyn ne").check()
    follow(page, lambda: page.get_by_role("button", name="Varaa", exact=True).click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Varauksesi on vahvistettu")
    booking = Booking.objects.get()
    assert booking.booker == resident and booking.space == big
    assert booking.begins_at == local_datetime(day, datetime.time(17))
    assert booking.attendees == 20 and booking.state == BookingState.CONFIRMED

    # The e-mail with the calendar file.
    jobs.run_pending()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    assert "Kokoushuone Kaarlo" in message.subject
    name, ics, content_type = message.attachments[0]
    assert name == "booking.ics" and content_type.startswith("text/calendar")
    assert "STATUS:CONFIRMED" in ics and "DTSTART:" in ics

    # The week calendar shows the booking as the person's own, in words.
    visit(page, f"/fi/premises/spaces/{big.slug}/?week={day.isoformat()}")
    expect(page.locator("table.calendar")).to_contain_text("17.00–19.00 oma varauksesi")
    follow(page, lambda: page.get_by_role("link", name="Seuraava viikko").click())

    # Cancel it from "My bookings".
    visit(page, "/fi/premises/my/")
    assert_fits(page)
    follow(page, lambda: page.get_by_role("link", name=re.compile("^Peru")).click())
    follow(page, lambda: page.get_by_role("button", name="Peru varaus").click())
    expect(page.get_by_role("status")).to_contain_text("Varauksesi on peruttu")
    expect(page.locator("main")).to_contain_text("Peruttu")
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    jobs.run_pending()
    assert len(mail.outbox) == 2 and "STATUS:CANCELLED" in mail.outbox[1].attachments[0][1]


@pytest.fixture
def manager(transactional_db, helsinki):
    member = StaffRoleFactory(
        user__email="pirjo@example.fi",
        user__full_name="Pirjo Tilavastaava",
        role=StaffRole.Role.PREMISES_MANAGER,
        area=helsinki["central"],
    ).user
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True, key=KEY)
    return member


def test_staff_handles_a_free_of_charge_application(page, manager, rooms):
    big, _small, _southern = rooms
    big.price_kind = PriceKind.HOURLY
    big.price = Decimal("25.00")
    big.free_for_associations = True
    big.confirmation = Confirmation.INSTANT
    big.save()
    booker = UserFactory(email="yhdistys@example.fi", preferred_language="fi")
    day = next_tuesday()
    booking = services.create_booking(
        space=big,
        booker=booker,
        begins_at=local_datetime(day, datetime.time(18)),
        ends_at=local_datetime(day, datetime.time(20)),
        attendees=15,
        association="Kallio-Seura ry",
        free_of_charge_requested=True,
    )
    assert booking.state == BookingState.REQUIRES_HANDLING and booking.price == Decimal("50.00")

    log_in(page, manager.email, TEST_PASSWORD)
    follow(page, lambda: page.goto("/fi/premises/staff/queue/"))
    page.get_by_label("Kuusinumeroinen koodi", exact=False).fill(f"{totp(bytes.fromhex(KEY)):06d}")
    follow(page, lambda: page.locator("main form button[type=submit]").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Käsittelyjono")
    row = page.locator("tbody tr").filter(has_text="Kallio-Seura ry")
    expect(row).to_contain_text("Kyllä")
    follow(page, lambda: row.get_by_role("link", name=re.compile("^Käsittele")).click())

    expect(page.locator("main")).to_contain_text("50\u00a0€")
    assert_fits(page)
    page.get_by_label("Myönnä: varaus on maksuton").check()
    follow(page, lambda: page.get_by_role("button", name="Hyväksy varaus").click())
    expect(page.get_by_role("status")).to_contain_text("Varaus on vahvistettu")
    expect(page.locator("main")).to_contain_text("Yksikään varaus ei odota käsittelyä.")
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.price == 0
    assert booking.handled_by == manager
    jobs.run_pending()
    approved = [m for m in mail.outbox if m.subject.startswith("Varaus vahvistettu")]
    assert approved and approved[0].attachments

    # The unit's day and blocked time.
    visit(page, "/fi/premises/staff/")
    follow(page, lambda: page.get_by_role("link", name=re.compile("^Päivän aikataulu")).click())
    page.get_by_label(re.compile(r"^Päivä")).fill(day.isoformat())
    follow(page, lambda: page.get_by_role("button", name="Näytä päivä").click())
    expect(page.locator("main")).to_contain_text("Kallio-Seura ry")
    assert_fits(page)
    follow(page, lambda: page.get_by_role("link", name="Sulje aika varauksilta").click())
    page.get_by_label(re.compile(r"^Tila")).select_option(label=big.name_fi)
    page.get_by_label("Alkupäivä").fill(day.isoformat())
    page.get_by_label("Alkuaika").fill("08:00")
    page.get_by_label("Loppuaika").fill("12:00")
    page.get_by_label("Miksi aika suljetaan").fill("Lattian huolto")
    follow(page, lambda: page.get_by_role("button", name="Sulje aika").click())
    expect(page.get_by_role("status")).to_contain_text("Aika on suljettu varauksilta.")
    expect(page.locator("main table")).to_contain_text("Lattian huolto")
    assert_fits(page)
    follow(page, lambda: page.get_by_role("button", name=re.compile("^Vapauta aika")).click())
    expect(page.get_by_role("status")).to_contain_text("Aika on taas varattavissa.")


@pytest.fixture
def context_options():
    return {"viewport": MOBILE_VIEWPORT}


def test_search_and_space_page_at_phone_width(page, rooms):
    big, _small, _southern = rooms
    visit(page, "/sv/premises/")
    assert_fits(page)
    visit(page, f"/fi/premises/spaces/{big.slug}/")
    expect(page.get_by_role("table").last).to_contain_text("Vapaat ajat")
    assert_fits(page)


def test_search_and_booking_with_the_keyboard(page, resident, rooms):
    big, _small, _southern = rooms
    day = next_tuesday()
    log_in(page, resident.email, resident.plain_password, language="en")
    # A shared address of results opens them directly.
    visit(page, f"/en/premises/?date={day.isoformat()}&window=evening&people=20&duration=60")
    result = page.locator("ul.results > li").filter(has_text=big.name_en)
    slot = result.get_by_role("link", name=re.compile(r"^18\.00"))
    tab_to(page, slot, max_presses=120)
    assert_focus_visible(page)
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Book {big.name_en}")
    purpose = page.get_by_label("Purpose")
    tab_to(page, purpose)
    assert_focus_visible(page)
    terms = page.get_by_label("I have read the terms of use and accept them")
    tab_to(page, terms)
    page.keyboard.press("Space")
    expect(terms).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Book", exact=True))
    assert_focus_visible(page)
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking is confirmed")
    assert Booking.objects.get().begins_at == local_datetime(day, datetime.time(18))


def test_strong_identification_is_asked_for(page, resident, rooms, helsinki):
    strong = SpaceFactory(authentication="strong", name_en="Council room")
    olli = UserFactory(email="olli@example.fi")
    log_in(page, olli.email, TEST_PASSWORD, language="en")
    visit(page, f"/en/premises/spaces/{strong.slug}/")
    expect(page.locator("main")).to_contain_text("People who have proved who they are")
    visit(page, f"/en/premises/spaces/{strong.slug}/book/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Prove who you are first")
    follow(page, lambda: page.get_by_role("link", name="Identify yourself").click())
