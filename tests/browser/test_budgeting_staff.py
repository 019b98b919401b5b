"""Issue 4's staff screens in the browser: a city administrator sets up a round and
splits its money, a city coach makes a plan from residents' proposals and publishes it
for voting, a resident follows and edits their own proposal, the ballots are mixed and
counted in the background, published by a second person and shown with a chart, and
paper ballots are entered by one member of staff and reconciled by another. Every page
on the way passes axe-core (WCAG 2.1 A and AA)."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.areas.helsinki import load_helsinki_population
from osallistu.budgeting.models import Plan, PlanStatus, Proposal, ProposalStatus, Round
from osallistu.budgeting.services import cast_ballot, decide_proposal, submit_proposal
from osallistu.core import jobs
from tests.browser.helpers import assert_all_checked, follow, visit, watch
from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory
from tests.factories import (
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def sign_in(live_server):
    """A session for ``user`` without the login form; staff also past the second factor
    (both forms have their own browser tests)."""

    def sign_in(page, user):
        client = Client()
        if user.is_staff:
            sign_in_past_second_factor(client, user)
        else:
            client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [
                {
                    "name": cookie.key,
                    "value": cookie.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return sign_in


def test_admin_sets_up_a_round_and_splits_its_money(page, sign_in, transactional_db, helsinki):
    load_helsinki_population()  # the money is split by the districts' residents
    sign_in(page, StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user)
    visit(page, "/fi/budgeting/staff/")
    follow(page, lambda: page.get_by_role("link", name="Uusi kierros").click())

    form = page.locator("main form")
    for name, value in {
        "name_fi": "OmaStadi 2027",
        "name_sv": "OmaStadi 2027",
        "name_en": "OmaStadi 2027",
        "slug": "omastadi-2027",
        "proposals_start": "2027-01-10",
        "proposals_end": "2027-02-28",
        "voting_starts_at": "2027-10-01T09:00",
        "voting_ends_at": "2027-10-20T20:00",
        "minimum_voting_age": "13",
        "max_plans_per_area": "0",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("select[name=counting_rule]").select_option("mes")
    follow(page, lambda: page.get_by_role("button", name="Tee kierros").click())
    # A rule broken: the error is next to its field, the rest is kept.
    expect(page.locator("#id_max_plans_per_area_error")).to_contain_text("vähintään 1")
    expect(form.locator("[name=name_fi]")).to_have_value("OmaStadi 2027")
    form.locator("[name=max_plans_per_area]").fill("5")
    follow(page, lambda: page.get_by_role("button", name="Tee kierros").click())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Raha")

    # The split helper fills the amounts; one is adjusted by hand before saving.
    page.get_by_label("Kierroksen raha (euroa)").fill("10000000")
    page.get_by_label("Koko kaupungin osuus (%)").fill("20")
    follow(page, lambda: page.get_by_role("button", name="Näytä jako").click())
    expect(page.get_by_role("status")).to_contain_text("on täytetty alle")
    expect(page.locator("input[name=amount_helsinki]")).to_have_value("2000000")
    eastern = page.locator("input[name=amount_eastern]")
    eastern.fill(str(int(eastern.input_value()) + 1000))
    follow(page, lambda: page.get_by_role("button", name="Tallenna rahat").click())
    expect(page.get_by_role("status").first).to_contain_text("tallennettu")

    round = Round.objects.get(slug="omastadi-2027")
    assert (round.minimum_voting_age, round.counting_rule, round.max_plans_per_area) == (
        13,
        "mes",
        5,
    )
    amounts = {b.area.slug: b.amount for b in round.budgets.select_related("area")}
    assert amounts["helsinki"] == 2_000_000
    assert sum(amounts.values()) == 10_001_000
    assert len(amounts) == 8


def test_coach_makes_a_plan_from_proposals_and_publishes_it(
    page, sign_in, transactional_db, helsinki
):
    today = timezone.localdate()
    round = RoundFactory(
        slug="seuraava",
        name_fi="OmaStadi 2027",
        proposals_start=today - datetime.timedelta(days=30),
        proposals_end=today,
        voting_starts_at=timezone.now() + datetime.timedelta(days=90),
        voting_ends_at=timezone.now() + datetime.timedelta(days=110),
    )
    for area in helsinki.values():
        RoundBudgetFactory(round=round, area=area)
    proposal = submit_proposal(
        round=round,
        author=UserFactory(full_name="Leo Ehdottaja"),
        area=helsinki["north-eastern"],
        title="Kuntoportaat Malmille",
        description="Portaat mäen rinteeseen.",
        theme="sports",
        language="fi",
    )
    decide_proposal(proposal=proposal, accept=True, reason="", actor=None)
    coach = StaffRoleFactory(role=StaffRole.Role.CITY_COACH, area=helsinki["north-eastern"]).user
    sign_in(page, coach)

    visit(page, "/fi/budgeting/staff/")
    follow(page, lambda: page.get_by_role("link", name=re.compile("^Suunnitelmat")).click())
    follow(page, lambda: page.get_by_role("link", name="Uusi suunnitelma: Koillinen").click())
    page.get_by_role("checkbox", name="Kuntoportaat Malmille", exact=False).check()
    form = page.locator("main form")
    for name, value in {
        "code": "K-001",
        "title_fi": "Kuntoportaat Malmille",
        "title_sv": "Motionstrappor till Malm",
        "title_en": "Exercise stairs in Malmi",
        "description_fi": "Portaat ja valaistus.",
        "cost_low": "60000",
        "cost_high": "80000",
        "feasibility_fi": "Vaatii maisemointiluvan.",
    }.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("select[name=theme]").select_option("sports")
    follow(page, lambda: page.get_by_role("button", name="Tee suunnitelma").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("K-001 Kuntoportaat Malmille")
    expect(page.locator("main")).to_contain_text("Leo Ehdottaja")  # the source's author

    follow(page, lambda: page.get_by_role("button", name="Julkaise äänestettäväksi").click())
    plan = Plan.objects.get(code="K-001")
    assert plan.status == PlanStatus.ON_BALLOT
    follow(page, lambda: page.get_by_role("link", name="Katso suunnitelman julkinen sivu").click())
    expect(page.locator("main")).to_contain_text("Vaatii maisemointiluvan.")
    expect(page.get_by_role("link", name="Kuntoportaat Malmille")).to_be_visible()

    # Another district's plans are not this coach's.
    visit(page, "/fi/budgeting/seuraava/staff/plans/new/eastern/", status=403)


def test_resident_follows_and_edits_their_proposal(page, sign_in, transactional_db, helsinki):
    today = timezone.localdate()
    round = RoundFactory(
        slug="ideat",
        name_fi="OmaStadi 2027",
        proposals_start=today - datetime.timedelta(days=3),
        proposals_end=today + datetime.timedelta(days=30),
        voting_starts_at=timezone.now() + datetime.timedelta(days=90),
        voting_ends_at=timezone.now() + datetime.timedelta(days=110),
    )
    for area in helsinki.values():
        RoundBudgetFactory(round=round, area=area)
    author = UserFactory(full_name="Aino Virtanen")
    sign_in(page, author)

    visit(page, "/fi/budgeting/ideat/proposals/new/")
    page.get_by_role("radio", name="Itäinen").check()
    page.get_by_role("radio", name="Puistot ja luonto").check()
    page.get_by_label("Ideasi muutamalla sanalla").fill("Penkkejä Vuosaaren rantaan")
    page.get_by_label("Kerro ideastasi lisää").fill("Rantaan penkkejä ja roska-astioita.")
    page.get_by_label("Osoite tai paikka (vapaaehtoinen)").fill("Vuosaaren uimaranta")
    page.get_by_label("Leveysaste (vapaaehtoinen)").fill("60,2101")
    follow(page, lambda: page.get_by_role("button", name="Lähetä ehdotus").click())
    # Half a point is refused with the reason; the rest is kept.
    expect(page.locator("main")).to_contain_text("Anna sekä leveys- että pituusaste")
    page.get_by_label("Pituusaste (vapaaehtoinen)").fill("25,1432")
    follow(page, lambda: page.get_by_role("button", name="Lähetä ehdotus").click())
    expect(page.locator("main")).to_contain_text("Vuosaaren uimaranta")

    follow(page, lambda: page.get_by_role("link", name="Kaikki ehdotuksesi").click())
    expect(page.locator("main")).to_contain_text("Odottaa käsittelyä")
    follow(page, lambda: page.get_by_role("link", name=re.compile("^Muokkaa")).click())
    page.get_by_label("Ideasi muutamalla sanalla").fill("Penkkejä ja katos Vuosaaren rantaan")
    follow(page, lambda: page.get_by_role("button", name="Tallenna ehdotus").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Penkkejä ja katos Vuosaaren rantaan")
    proposal = Proposal.objects.get(author=author)
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.edited_at is not None


def test_ballots_are_mixed_counted_and_published_by_a_second_person(
    page, sign_in, transactional_db, helsinki
):
    round = RoundFactory(slug="laskettava", name_fi="OmaStadi 2024")
    RoundBudgetFactory(round=round, area=helsinki["eastern"], amount=300_000)
    first = PlanFactory(round=round, area=helsinki["eastern"], code="I-001", cost_high=200_000)
    second = PlanFactory(round=round, area=helsinki["eastern"], code="I-002", cost_high=150_000)
    for chosen in ([first], [first], [second]):
        cast_ballot(
            round=round,
            voter=VerifiedResidentFactory(),
            district=helsinki["eastern"],
            plan_ids=[plan.pk for plan in chosen],
        )
    Round.objects.filter(pk=round.pk).update(voting_ends_at=timezone.now())
    jobs.run_pending()  # the voters' e-mails
    counter = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    sign_in(page, counter)

    # The worker was down at the close: the page says so and offers to mix now.
    visit(page, "/fi/budgeting/laskettava/staff/count/")
    eastern = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("^Itäinen"))
    )
    expect(eastern.get_by_role("button", name=re.compile("^Laske"))).to_have_count(0)
    follow(page, lambda: page.get_by_role("button", name="Siirrä äänet vaaliuurnaan nyt").click())
    assert jobs.run_pending() == 1  # the worker mixes
    follow(page, lambda: page.get_by_role("link", name=re.compile("Tarkista uudelleen")).click())
    follow(page, lambda: eastern.get_by_role("button", name=re.compile("^Laske")).click())
    expect(eastern).to_contain_text("Odottaa laskentaa")
    assert jobs.run_pending() == 1  # the worker counts
    follow(page, lambda: page.get_by_role("link", name=re.compile("Tarkista uudelleen")).click())
    expect(eastern).to_contain_text("ei julkaistu")
    # Who asked for the count does not publish it.
    expect(eastern.get_by_role("button", name=re.compile("^Julkaise"))).to_have_count(0)
    expect(eastern).to_contain_text("toinen kaupungin pääkäyttäjä tarkistaa ja julkaisee")

    sign_in(page, StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user)
    visit(page, "/fi/budgeting/laskettava/staff/count/")
    follow(page, lambda: eastern.get_by_role("button", name=re.compile("^Julkaise")).click())
    expect(eastern).to_contain_text("Julkaistu")

    visit(page, "/fi/budgeting/laskettava/results/")
    expect(page.locator("main")).to_contain_text("Rahoitettu")
    expect(page.locator("main")).to_contain_text("rahoitusjärjestyksessä 1.")
    expect(page.locator(".vote-bar__svg--funded rect").first).to_have_attribute("width", "100.0")


def test_paper_ballots_entered_by_one_and_reconciled_by_another(
    page, sign_in, transactional_db, helsinki
):
    round = RoundFactory(slug="paperi", name_fi="OmaStadi 2026")
    RoundBudgetFactory(round=round, area=helsinki["eastern"], amount=300_000)
    plan = PlanFactory(round=round, area=helsinki["eastern"], code="I-001", title_fi="Penkit")
    library = StaffRoleFactory(role=StaffRole.Role.SERVICE_POINT, area=helsinki["eastern"]).user
    sign_in(page, library)

    visit(page, "/fi/budgeting/paperi/staff/paper/")
    page.get_by_label("Lippujen alue").select_option(label="Itäinen")
    page.get_by_label("Mistä liput ovat").fill("Itäkeskuksen kirjasto 12.3.")
    page.get_by_label("Lippuja kirjekuoressa").fill("2")
    follow(page, lambda: page.get_by_role("button", name="Aloita syöttäminen").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Itäkeskuksen kirjasto 12.3.")
    page.locator(f"main form input[type=checkbox][value='{plan.pk}']").check()
    follow(page, lambda: page.get_by_role("button", name="Syötä lippu").click())
    follow(page, lambda: page.get_by_role("button", name="Kirjaa yksi lippu hylätyksi").click())
    follow(page, lambda: page.get_by_role("button", name="Kaikki liput on syötetty").click())
    expect(page.locator("main")).to_contain_text("Odottaa toista henkilöä")
    expect(page.get_by_role("button", name="Täsmäytä")).to_have_count(0)

    address = page.url.removeprefix(page.url.split("/fi/")[0])
    second = StaffRoleFactory(role=StaffRole.Role.SERVICE_POINT, area=helsinki["eastern"]).user
    sign_in(page, second)
    visit(page, address)
    # Sent back once: the person who entered it reads what to correct, and submits again.
    page.get_by_label("Mitä pitää korjata").fill("Laske hylätty lippu uudelleen.")
    follow(page, lambda: page.get_by_role("button", name="Palauta korjattavaksi").click())
    sign_in(page, library)
    visit(page, address)
    expect(page.locator("main")).to_contain_text("Palautettu korjattavaksi")
    expect(page.locator("main")).to_contain_text("Laske hylätty lippu uudelleen.")
    follow(page, lambda: page.get_by_role("button", name="Kaikki liput on syötetty").click())
    sign_in(page, second)
    visit(page, address)
    page.get_by_label("Kirjekuoresta laskemasi liput").fill("3")
    follow(
        page, lambda: page.get_by_role("button", name="Täsmäytä", exact=True).click(), status=400
    )
    expect(page.locator("main")).to_contain_text("Laskit 3 lippua, mutta syötettyjä on 2")
    page.get_by_label("Kirjekuoresta laskemasi liput").fill("2")
    follow(page, lambda: page.get_by_role("button", name="Täsmäytä", exact=True).click())
    expect(page.locator("main")).to_contain_text("Täsmäyttänyt")
    batch = round.paper_batches.get()
    assert batch.is_reconciled and batch.reconciled_by != library
    assert batch.ballots.get().plans.get() == plan


def test_proposal_point_from_the_phones_location(
    browser, live_server, sign_in, transactional_db, helsinki
):
    today = timezone.localdate()
    round = RoundFactory(
        slug="paikka",
        proposals_start=today,
        proposals_end=today + datetime.timedelta(days=30),
        voting_starts_at=timezone.now() + datetime.timedelta(days=90),
        voting_ends_at=timezone.now() + datetime.timedelta(days=110),
    )
    RoundBudgetFactory(round=round, area=helsinki["eastern"])
    context = browser.new_context(
        base_url=live_server.url,
        locale="fi-FI",
        geolocation={"latitude": 60.21012, "longitude": 25.14321},
        permissions=["geolocation"],
    )
    context.set_default_timeout(10_000)
    page = watch(context.new_page())
    author = UserFactory()
    sign_in(page, author)
    visit(page, "/fi/budgeting/paikka/proposals/new/")
    page.get_by_role("radio", name="Itäinen").check()
    page.get_by_role("radio", name="Puistot ja luonto").check()
    page.get_by_label("Ideasi muutamalla sanalla").fill("Penkki")
    page.get_by_label("Kerro ideastasi lisää").fill("Penkki rantaan.")
    page.get_by_role("button", name="Käytä nykyistä sijaintiani").click()
    location_status = page.get_by_role("status").filter(has_text="Sijainti")
    expect(location_status).to_contain_text("Sijaintisi on täytetty")
    expect(page.get_by_label("Leveysaste (vapaaehtoinen)")).to_have_value("60,21012")
    follow(page, lambda: page.get_by_role("button", name="Lähetä ehdotus").click())
    proposal = Proposal.objects.get(author=author)
    assert (str(proposal.latitude), str(proposal.longitude)) == ("60.210120", "25.143210")
    assert_all_checked(page)
    context.close()
