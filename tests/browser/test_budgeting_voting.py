"""Issue 4, participatory budgeting in the browser: a 12-year-old votes with the
keyboard only from the plan list to the receipt, an 11-year-old is refused with the
reason, a voter changes their vote, staff record an assisted ballot and the same
person cannot vote online after it, and the core flow works without JavaScript.
Every page on the way passes axe-core (WCAG 2.1 A and AA)."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.budgeting.models import Ballot, Channel, Participation, Plan
from tests.browser.helpers import (
    assert_all_checked,
    assert_focus_visible,
    follow,
    is_focused,
    tab_to,
    visit,
    watch,
)
from tests.budgeting.factories import (
    PlanFactory,
    RoundBudgetFactory,
    RoundFactory,
    checked_in_person,
    sealed_choices,
)
from tests.factories import TEST_PASSWORD, StaffRoleFactory, VerifiedResidentFactory

pytestmark = pytest.mark.browser

KEY = "3132333435363738393031323334353637383930"
RECEIPT_CODE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


@pytest.fixture
def voting_round(transactional_db, helsinki):
    """A round open for voting: money city-wide and in the Eastern and Western
    districts, two or three plans in each."""
    round = RoundFactory(slug="omastadi", name_fi="OmaStadi 2026")
    amounts = {"city": 400_000, "eastern": 300_000, "western": 300_000}
    for area, amount in amounts.items():
        RoundBudgetFactory(round=round, area=helsinki[area], amount=amount)

    def plan(code, area, cost, title):
        return PlanFactory(
            round=round, area=helsinki[area], code=code, cost_high=cost, title_fi=title
        )

    round.plan = {
        "H-001": plan("H-001", "city", 100_000, "Uimarannat kuntoon"),
        "H-002": plan("H-002", "city", 150_000, "Kirjastoihin pelihuoneet"),
        "I-001": plan("I-001", "eastern", 100_000, "Puistokuntosali Itäkeskukseen"),
        "I-002": plan("I-002", "eastern", 120_000, "Skeittiparkki Vuosaareen"),
        "I-003": plan("I-003", "eastern", 150_000, "Kuntoportaat Kivikkoon"),
        "L-001": plan("L-001", "western", 100_000, "Koirapuisto Pitäjänmäelle"),
    }
    return round


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def resident_born(helsinki, birth_date, **extra):
    return VerifiedResidentFactory(
        birth_date=birth_date, district=helsinki["eastern"], postal_code="00900", **extra
    )


@pytest.fixture
def sign_in(live_server):
    """A session without the login form, for tests about voting rather than logging in
    (the login form has its own browser tests; the keyboard test below uses it too)."""

    def sign_in(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        session = {"name": cookie.key, "value": cookie.value, "url": live_server.url}
        page.context.add_cookies([{**session, "httpOnly": True, "sameSite": "Lax"}])

    return sign_in


def chosen_codes(round):
    """The codes of the plans in the round's sealed ballots, opened as mixing opens them."""
    plans = {
        plan
        for participation in Participation.objects.filter(round=round).exclude(sealed_ballot=None)
        for plan in sealed_choices(participation)[1]
    }
    return set(Plan.objects.filter(pk__in=plans).values_list("code", flat=True))


def sealed_ballots():
    return Participation.objects.exclude(sealed_ballot=None).count()


def checkbox(page, plan):
    """The plan's tick: on the ballot, not its mark for comparing."""
    return page.locator(f"main form input[type=checkbox][value='{plan.pk}']:not([name=mark])")


def keyboard_log_in(page, email, password):
    """The login form with the keyboard only."""
    visit(page, "/fi/accounts/login/")
    tab_to(page, page.locator("input[name=username]"))
    assert_focus_visible(page)
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert is_focused(page.locator("input[name=password]"))
    page.keyboard.type(password)
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page).to_have_url(re.compile(r"/fi/accounts/profile/$"))


def press_on(page, locator, key="Enter"):
    """Tab to a control (focus visible on it), then press a key that loads a page."""
    tab_to(page, locator)
    assert_focus_visible(page)
    follow(page, lambda: page.keyboard.press(key))


def tick_with_keyboard(page, box):
    tab_to(page, box)
    assert_focus_visible(page)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def test_twelve_year_old_votes_with_the_keyboard_only(page, voting_round, helsinki):
    last_day = voting_round.last_voting_day
    voter = resident_born(helsinki, years_before(last_day, 12))
    assert voter.age_on(last_day) == 12
    plan = voting_round.plan
    keyboard_log_in(page, voter.email, TEST_PASSWORD)

    visit(page, f"/fi/budgeting/{voting_round.slug}/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suunnitelmat")
    press_on(page, page.locator(f"main a[href='/fi/budgeting/{voting_round.slug}/']"))
    press_on(page, page.get_by_role("link", name="Äänestä nyt"))

    # Step 1: the home district is chosen already.
    expect(page.get_by_role("heading", level=1)).to_have_text("Valitse suurpiiri")
    district = page.get_by_role("group", name="Minkä suurpiirin suunnitelmia haluat äänestää?")
    expect(district.get_by_role("radio", name="Itäinen")).to_be_checked()
    press_on(page, page.get_by_role("button", name="Jatka suunnitelmiin"))

    # Step 2: tick a district plan and a city-wide plan; the script counts the money.
    expect(page.get_by_role("heading", level=1)).to_have_text("Valitse suunnitelmat: Itäinen")
    # Each area's plans are a group named by the area and its money.
    for area in ("Itäinen", "Koko Helsinki"):
        group = page.get_by_role("group", name=re.compile(f"^Suunnitelmat: {area}. Käytettävissä"))
        expect(group).to_be_visible()
    tick_with_keyboard(page, checkbox(page, plan["I-001"]))
    tick_with_keyboard(page, checkbox(page, plan["H-002"]))
    expect(page.locator(".budget-left").first).to_contain_text("200")
    press_on(page, page.get_by_role("button", name="Tarkista valintani"))

    # Step 3: check, then vote.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista valintasi")
    expect(page.locator("main")).to_contain_text("Puistokuntosali Itäkeskukseen")
    expect(page.locator("main")).to_contain_text("Kirjastoihin pelihuoneet")
    assert Participation.objects.count() == 0
    press_on(page, page.get_by_role("button", name="Äänestä", exact=True))

    expect(page).to_have_url(re.compile(rf"/fi/budgeting/{voting_round.slug}/receipt/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos, että äänestit!")
    participation = Participation.objects.get()
    code = page.locator(".receipt-code").inner_text()
    assert RECEIPT_CODE.match(code), code
    assert code == participation.receipt_code
    assert (participation.voter, participation.channel) == (voter, Channel.ONLINE)
    assert sealed_ballots() == 1
    assert not Ballot.objects.exists()  # the ballot box fills when voting closes
    assert chosen_codes(voting_round) == {"I-001", "H-002"}


def test_eleven_year_old_is_refused_with_the_reason(page, sign_in, voting_round, helsinki):
    last_day = voting_round.last_voting_day
    birthday = last_day + datetime.timedelta(days=1)
    voter = resident_born(helsinki, years_before(birthday, 12))
    assert voter.age_on(last_day) == 11
    with translation.override("fi"):
        reason = (
            f"Voit osallistua, jos olet vähintään 12-vuotias "
            f"{formats.date_format(last_day, 'DATE_FORMAT')}. "
            f"Täytät 12 vuotta {formats.date_format(birthday, 'DATE_FORMAT')}."
        )
    sign_in(page, voter)

    # The round page tells the reason instead of offering the ballot.
    visit(page, f"/fi/budgeting/{voting_round.slug}/")
    expect(page.locator(".vote-box .message--warning")).to_have_text(reason)
    expect(page.get_by_role("link", name="Äänestä nyt")).to_have_count(0)

    # Going to the ballot anyway gives the refusal page with the same reason.
    visit(page, f"/fi/budgeting/{voting_round.slug}/vote/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Et voi äänestää nyt")
    expect(page.locator("main .message--warning")).to_have_text(reason)
    assert Participation.objects.count() == 0


def vote(page, round, district, plans):
    """From the district page to the receipt: choose a district, tick plans, check, vote."""
    page.get_by_role("radio", name=district).check()
    follow(page, lambda: page.get_by_role("button", name="Jatka suunnitelmiin").click())
    for plan in plans:
        checkbox(page, plan).check()
    follow(page, lambda: page.get_by_role("button", name="Tarkista valintani").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista valintasi")
    follow(page, lambda: page.get_by_role("button", name="Äänestä", exact=True).click())
    expect(page).to_have_url(re.compile(rf"/fi/budgeting/{round.slug}/receipt/$"))


def test_resident_changes_their_vote(page, sign_in, voting_round, helsinki):
    voting_round.ballot_changeable = True
    voting_round.save(update_fields=["ballot_changeable"])
    voter = resident_born(helsinki, datetime.date(1990, 5, 1))
    plan = voting_round.plan
    sign_in(page, voter)

    visit(page, f"/fi/budgeting/{voting_round.slug}/vote/")
    vote(page, voting_round, "Itäinen", [plan["I-001"], plan["I-002"], plan["H-001"]])
    first_code = Participation.objects.get().receipt_code
    assert chosen_codes(voting_round) == {"I-001", "I-002", "H-001"}

    # Back from the receipt: another district, other plans.
    follow(page, lambda: page.get_by_role("link", name="Muuta ääntäni").click())
    page.get_by_role("radio", name="Läntinen").check()
    follow(page, lambda: page.get_by_role("button", name="Jatka suunnitelmiin").click())
    expect(page.locator("main .message")).to_contain_text("Olet jo äänestänyt")
    # The ballot does not show the earlier choices: they are secret even here.
    expect(page.locator("main form input[type=checkbox]:checked")).to_have_count(0)
    checkbox(page, plan["L-001"]).check()
    checkbox(page, plan["H-002"]).check()
    follow(page, lambda: page.get_by_role("button", name="Tarkista valintani").click())
    follow(page, lambda: page.get_by_role("button", name="Äänestä", exact=True).click())

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos, että äänestit!")
    expect(page.locator("main dl")).to_contain_text("Muutettu viimeksi")
    expect(page.locator(".receipt-code")).to_have_text(first_code)
    participation = Participation.objects.get()
    assert participation.changed_at is not None
    assert sealed_choices(participation)[0] == helsinki["western"].pk
    assert chosen_codes(voting_round) == {"L-001", "H-002"}


@pytest.fixture
def staff_page(browser, live_server, helsinki):
    """A second browser, at the service point, for a member of staff past the second factor."""
    member = StaffRoleFactory(
        role=StaffRole.Role.SERVICE_POINT,
        area=helsinki["eastern"],
        user__email="helena@example.fi",
        user__full_name="Helena Virkailija",
    )
    TOTPDevice.objects.create(user=member.user, name="phone", confirmed=True, key=KEY)
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    context.set_default_timeout(10_000)
    page = watch(context.new_page())
    page.member = member.user
    yield page
    assert_all_checked(page)
    context.close()


def test_assisted_ballot_stops_voting_online(page, sign_in, staff_page, voting_round, helsinki):
    voter = checked_in_person(
        helsinki["eastern"],
        birth_date=datetime.date(1950, 3, 14),
        full_name="Eino Avustettava",
        postal_code="00900",
    )
    plan = voting_round.plan
    slug = voting_round.slug

    # The person has the review page open at home...
    sign_in(page, voter)
    visit(page, f"/fi/budgeting/{slug}/vote/eastern/")
    checkbox(page, plan["I-002"]).check()
    follow(page, lambda: page.get_by_role("button", name="Tarkista valintani").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista valintasi")

    # ...while staff at a library record the ballot they give in person.
    staff = staff_page
    sign_in(staff, staff.member)
    visit(staff, f"/fi/budgeting/{slug}/staff/")  # the second factor first
    staff.get_by_label("Kuusinumeroinen koodi", exact=False).fill(f"{totp(bytes.fromhex(KEY)):06d}")
    follow(staff, lambda: staff.locator("main form button[type=submit]").click())
    expect(staff.get_by_role("heading", level=1)).to_have_text("Äänestys asiointipisteissä")
    staff.get_by_label("Koko nimi").fill("Eino Avustettava")
    staff.get_by_label("Syntymäaika").fill("1950-03-14")
    follow(staff, lambda: staff.get_by_role("button", name="Etsi").click())
    follow(staff, lambda: staff.get_by_role("link", name="Kirjaa ääni").click())
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Eino Avustettava")
    checkbox(staff, plan["I-001"]).check()
    checkbox(staff, plan["H-001"]).check()
    follow(staff, lambda: staff.get_by_role("button", name="Kirjaa ääni").click())
    participation = Participation.objects.get()
    expect(staff.get_by_role("status")).to_contain_text(participation.receipt_code)
    assert participation.channel == Channel.ASSISTED
    assert participation.recorded_by == staff.member

    # Voting online now gets a clear answer, and no second ballot.
    follow(page, lambda: page.get_by_role("button", name="Äänestä", exact=True).click())
    expect(page.locator("main")).to_contain_text(
        "Olet jo äänestänyt tällä kierroksella. Jokainen voi äänestää kerran."
    )
    expect(page.locator("main dl")).to_contain_text("Avustettuna asiointipisteessä")
    expect(page.locator(".receipt-code")).to_have_text(participation.receipt_code)
    visit(page, f"/fi/budgeting/{slug}/")
    expect(page.locator(".vote-box")).to_contain_text("Olet äänestänyt. Kiitos!")
    expect(page.get_by_role("link", name="Äänestä nyt")).to_have_count(0)
    visit(page, f"/fi/budgeting/{slug}/vote/")
    expect(page).to_have_url(re.compile(rf"/fi/budgeting/{slug}/receipt/$"))

    assert Participation.objects.count() == 1
    assert sealed_ballots() == 1
    assert chosen_codes(voting_round) == {"I-001", "H-001"}


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_voting_works_without_javascript(page, sign_in, voting_round, helsinki):
    voter = resident_born(helsinki, datetime.date(1990, 5, 1))
    plan = voting_round.plan
    sign_in(page, voter)

    visit(page, f"/fi/budgeting/{voting_round.slug}/vote/")
    page.get_by_role("radio", name="Itäinen").check()
    follow(page, lambda: page.get_by_role("button", name="Jatka suunnitelmiin").click())
    # No script counts the money left as the voter ticks: the server counts what was
    # saved, and checks the budget.
    expect(page.locator(".budget-left").first).to_have_text("Itäinen: rahaa jäljellä 300 000 €")
    for code in ("I-001", "I-002", "I-003", "H-002"):
        checkbox(page, plan[code]).check()
    follow(page, lambda: page.get_by_role("button", name="Tarkista valintani").click())
    expect(page.locator("main form")).to_contain_text("mutta rahaa on vain")
    expect(checkbox(page, plan["I-003"])).to_be_checked()
    expect(page.locator(".budget-left").first).to_have_text(
        "Itäinen: liian kallis, ylitys 70 000 €"
    )
    checkbox(page, plan["I-001"]).uncheck()
    checkbox(page, plan["I-003"]).uncheck()
    follow(page, lambda: page.get_by_role("button", name="Tarkista valintani").click())
    follow(page, lambda: page.get_by_role("button", name="Äänestä", exact=True).click())

    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos, että äänestit!")
    assert RECEIPT_CODE.match(page.locator(".receipt-code").inner_text())
    assert Participation.objects.count() == 1
    assert chosen_codes(voting_round) == {"I-002", "H-002"}
