"""Issue 15, residents' initiatives in the browser: a resident starts an initiative and
sends it to the city; a resident who is not identified is asked to prove who they are,
identifies with the (test) identification service and then supports an initiative;
registry staff register, prepare and decide an initiative and the answer is public.
Every page on the way passes axe-core (WCAG 2.1 A and AA)."""

import datetime

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Population
from osallistu.initiatives import services
from osallistu.initiatives.models import Initiative, State
from osallistu.initiatives.services import AuthorDetails
from tests.browser.helpers import follow, log_in, visit
from tests.factories import (
    DivisionFactory,
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)
from tests.identity.oidc_provider import running_provider, use_provider

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]


@pytest.fixture
def figures(transactional_db, helsinki):
    year = timezone.localdate().year - 1
    Population.objects.create(area=helsinki["city"], year=year, age_from=18, count=564_000)
    return helsinki


@pytest.fixture
def sign_in(live_server):
    """A session for ``user`` without the login form; staff also past the second factor."""

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


def collecting_initiative(area, title="Uimaranta Kivinokkaan"):
    author = VerifiedResidentFactory(full_name="Aada Aloittaja")
    initiative = services.start_initiative(
        author=author,
        details=AuthorDetails(kind="resident", public_name="Aada Aloittaja"),
        category="general",
        title=title,
        proposal="Kivinokkaan tehdään uimaranta.",
        rationale="Lähin uimaranta on kaukana.",
        language="fi",
        area=area,
    )
    return services.publish_initiative(initiative=initiative, actor=author), author


def test_resident_starts_an_initiative_and_sends_it(page, resident, figures):
    log_in(page, resident.email, resident.plain_password)
    visit(page, "/fi/initiatives/")
    follow(page, lambda: page.get_by_role("link", name="Tee aloite").first.click())
    # Sent empty first: every error is next to its field and nothing is lost.
    page.get_by_label("Otsikko").fill("Penkkejä Kallion puistoihin")
    follow(page, lambda: page.get_by_role("button", name="Tallenna luonnos").click(), status=400)
    expect(page.locator("#id_proposal_error")).to_be_visible()
    expect(page.get_by_label("Otsikko")).to_have_value("Penkkejä Kallion puistoihin")
    page.get_by_label("Mitä pyydät kaupunkia tekemään?").fill(
        "Kallion puistoihin lisätään kaksikymmentä penkkiä."
    )
    page.get_by_label("Miksi?").fill("Ikäihmiset tarvitsevat levähdyspaikkoja.")
    page.get_by_label("Mitä aluetta aloite koskee?").select_option("central")
    page.get_by_label("Osoite tai paikka (vapaaehtoinen)").fill("Karhupuisto")
    expect(page.get_by_label("Nimesi aloitteen yhteydessä")).to_have_value(resident.full_name)
    follow(page, lambda: page.get_by_role("button", name="Tallenna luonnos").click())
    expect(page.locator("h1")).to_have_text("Penkkejä Kallion puistoihin")
    expect(page.get_by_text("Tämä on luonnos.")).to_be_visible()

    follow(page, lambda: page.get_by_role("link", name="Lähetä kaupungille").click())
    follow(page, lambda: page.get_by_role("button", name="Lähetä kaupungille").click(), status=400)
    expect(page.get_by_text("Vahvista, että haluat lähettää aloitteen.")).to_be_visible()
    page.get_by_label("Olemme lukeneet aloitteen").check()
    follow(page, lambda: page.get_by_role("button", name="Lähetä kaupungille").click())
    expect(page.get_by_text("Aloite on lähetetty kaupungille.")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Lähetetty kaupungille")
    initiative = Initiative.objects.get()
    assert initiative.state == State.SENT and initiative.area.slug == "central"
    follow(page, lambda: page.get_by_role("link", name="Kuntalaisaloitteet").first.click())
    expect(page.get_by_role("link", name="Penkkejä Kallion puistoihin")).to_be_visible()


def test_resident_identifies_and_then_supports(page, sign_in, figures, settings):
    initiative, _author = collecting_initiative(figures["south-eastern"])
    person = UserFactory(full_name="Olli Laine")
    sign_in(page, person)
    with running_provider() as url:
        provider = use_provider(settings, url)
        provider.set_person("olli", birthdate="1988-04-02", municipality_code="091", name="Olli")

        def identify_at_the_provider(route):
            # The identification service's own pages are not ours to check (and a browser
            # does not route a redirect): our start answers with the way to the service,
            # where the person identifies as "olli", and the browser is sent straight on
            # to our callback with the service's answer.
            start = route.fetch(max_redirects=0)
            answer = requests.post(
                start.headers["location"], data={"sub": "olli"}, allow_redirects=False, timeout=10
            )
            headers = {**start.headers, "location": answer.headers["Location"]}
            route.fulfill(response=start, headers=headers)

        page.route("**/identity/electronic/start/", identify_at_the_provider)
        visit(page, f"/fi/initiatives/{initiative.pk}/")
        follow(
            page, lambda: page.get_by_role("button", name="Kannata aloitetta").click(), status=403
        )
        expect(page.locator(".message--warning")).to_contain_text(
            "Sinun pitää ensin todistaa, kuka olet"
        )
        follow(page, lambda: page.get_by_role("link", name="Tunnistaudu").click())
        follow(page, lambda: page.locator("a[href$='/identity/electronic/start/']").click())
    person.refresh_from_db()
    assert person.is_strongly_identified and person.birth_date == datetime.date(1988, 4, 2)

    visit(page, f"/fi/initiatives/{initiative.pk}/")
    follow(page, lambda: page.get_by_role("button", name="Kannata aloitetta").click())
    expect(page.get_by_text("Kiitos! Kannatuksesi on tallennettu.")).to_be_visible()
    expect(page.get_by_text("1 kannatusilmoitus yhteensä.")).to_be_visible()
    assert initiative.supports.get().user == person
    follow(page, lambda: page.get_by_role("button", name="Peru kannatukseni").click())
    expect(page.get_by_text("Kannatuksesi on peruttu.")).to_be_visible()


def test_registry_handles_an_initiative_and_the_answer_is_public(page, sign_in, figures):
    initiative, author = collecting_initiative(figures["eastern"], title="Koirapuisto Kontulaan")
    services.send_initiative(initiative=initiative, actor=author)
    DivisionFactory()
    registry = StaffRoleFactory(
        user=UserFactory(is_staff=True, full_name="Kaisa Kirjaaja"),
        role=StaffRole.Role.REGISTRY,
        area=None,
    ).user
    sign_in(page, registry)
    visit(page, "/fi/initiatives/staff/")
    follow(page, lambda: page.get_by_role("link", name="Koirapuisto Kontulaan").click())

    page.get_by_text("Kirjaa", exact=True).first.click()  # opens the details
    page.get_by_label("Diaarinumero").fill("HEL 2026-000123")
    follow(page, lambda: page.get_by_role("button", name="Kirjaa").click())
    expect(page.get_by_text("Aloite on kirjattu.")).to_be_visible()

    page.get_by_text("Aloita valmistelu").click()
    page.locator("#id_prepare-preparer_name").fill("Liisa Metsänen")
    follow(page, lambda: page.get_by_role("button", name="Tallenna", exact=True).click())
    expect(page.get_by_text("Toimiala ja valmistelija on tallennettu.")).to_be_visible()

    page.locator("summary", has_text="Tallenna päätös").click()
    page.get_by_label("Päätöksentekijä").fill("Kaupunkiympäristölautakunta")
    page.get_by_label("Päätöksen päivämäärä").fill(timezone.localdate().isoformat())
    page.get_by_label("Kaupungin vastaus").fill("Koirapuisto rakennetaan ensi vuonna.")
    page.get_by_label("suomi").check()
    follow(page, lambda: page.get_by_role("button", name="Tallenna ja julkaise päätös").click())
    expect(page.get_by_text("Päätös on tallennettu ja julkaistu.")).to_be_visible()

    follow(page, lambda: page.get_by_role("link", name="Julkinen sivu").click())
    expect(page.get_by_text("Koirapuisto rakennetaan ensi vuonna.")).to_be_visible()
    initiative.refresh_from_db()
    assert initiative.state == State.DECIDED
