"""Booking a coach meeting with the keyboard alone and without JavaScript, without an
account: a free time on the district page, the form, the link from the e-mail that
confirms it, and cancelling it. Every page checked with axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from osallistu.coaches.models import Appointment, AppointmentState
from osallistu.core import jobs
from tests.browser.helpers import assert_focus_visible, follow, tab_to, visit
from tests.coaches.factories import PlaceFactory, TopicFactory, hours, make_coach

pytestmark = pytest.mark.browser


@pytest.fixture
def context_options():
    return {"java_script_enabled": False}


@pytest.fixture
def coach(transactional_db, helsinki):
    place = PlaceFactory(name_fi="Kallion kirjasto")
    user = make_coach(
        helsinki["central"],
        email="luotsi@example.fi",
        hours=[hours(day, (9, 0), (17, 0), place) for day in range(7)],
    )
    user.full_name = "Leena Luotsi"
    user.save()
    TopicFactory()
    return user


def press(page, locator, key="Enter", max_presses=120):
    """Tab to ``locator`` and press ``key``, as a keyboard user does."""
    tab_to(page, locator, max_presses=max_presses)
    assert_focus_visible(page)
    page.keyboard.press(key)


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def test_book_a_coach_meeting_keyboard_only_without_javascript_and_cancel_it(page, coach):
    visit(page, "/fi/districts/central/")
    first_slot = page.locator("ul.slots a").first
    expect(first_slot).to_have_accessible_name(
        re.compile(r"^\d\d\.\d\d–\d\d\.\d\d ?, .+, Kallion kirjasto$")
    )
    follow(page, lambda: press(page, first_slot))
    expect(page.get_by_role("heading", level=1)).to_have_text("Varaa tapaaminen: Leena Luotsi")

    # Type-ahead chooses the option of a focused select.
    type_into(page, page.get_by_label("Aihe"), "Osall")
    type_into(page, page.get_by_label("Tapaamisen kieli"), "suomi")
    type_into(
        page,
        page.get_by_label("Saavutettavuustarpeet (vapaaehtoinen)"),
        "Tarvitsen induktiosilmukan.",
    )
    type_into(page, page.get_by_label("Nimesi"), "Ville Vieras")
    type_into(page, page.get_by_label("Sähköpostiosoitteesi"), "vieras@example.fi")
    follow(page, lambda: press(page, page.get_by_role("button", name="Varaa tapaaminen")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista sähköpostisi")
    expect(page.get_by_role("status")).to_contain_text(
        "Lähetimme linkin osoitteeseen vieras@example.fi."
    )
    appointment = Appointment.objects.get()
    assert appointment.state == AppointmentState.PENDING
    assert appointment.accessibility_needs == "Tarvitsen induktiosilmukan."

    jobs.run_pending()
    (message,) = mail.outbox
    link = re.search(r"http://[^/]+(/fi/coaches/appointments/\S+/confirm/)", message.body).group(1)
    visit(page, link)
    follow(page, lambda: press(page, page.get_by_role("button", name="Vahvista tapaaminen")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tapaamisesi on varattu")
    expect(page.get_by_role("status")).to_contain_text("Tapaamisesi on vahvistettu.")
    assert Appointment.objects.get().state == AppointmentState.CONFIRMED

    follow(page, lambda: press(page, page.get_by_role("link", name="Peru tapaaminen")))
    type_into(page, page.get_by_label("Syy (vapaaehtoinen)"), "Esteen vuoksi.")
    follow(page, lambda: press(page, page.get_by_role("button", name="Peru tapaaminen")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tapaamisesi on peruttu")
    cancelled = Appointment.objects.get()
    assert (
        cancelled.state == AppointmentState.CANCELLED
        and cancelled.cancel_reason == "Esteen vuoksi."
    )
    # The time is free again on the district page.
    visit(page, "/fi/districts/central/")
    expect(page.locator("ul.slots a").first).to_have_attribute(
        "href", re.compile(re.escape(appointment_key(cancelled)))
    )


def appointment_key(appointment):
    from osallistu.coaches.selectors.slots import slot_key

    return slot_key(appointment.begins_at)
