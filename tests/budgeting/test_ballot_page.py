"""The ballot page residents find their way in: search and filters in three languages,
ticks kept across filters, the map, a plan's page, plans side by side, pictures and
places, and a page whose queries do not grow with the plans."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from osallistu.areas.models import Neighbourhood
from osallistu.budgeting import selectors, services
from osallistu.budgeting.models import Plan, Round, Theme
from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory
from tests.budgeting.test_budgeting_views import text, url
from tests.factories import StaffRoleFactory, VerifiedResidentFactory

pytestmark = pytest.mark.django_db


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture
def ballot_round(helsinki):
    """A round in voting: 300,000 € in the Eastern district, 400,000 € city-wide, and
    plans with themes, neighbourhoods and places in three languages."""
    round = RoundFactory(slug="omastadi")
    RoundBudgetFactory(round=round, area=helsinki["eastern"], amount=300_000)
    RoundBudgetFactory(round=round, area=helsinki["western"], amount=300_000)
    RoundBudgetFactory(round=round, area=helsinki["city"], amount=400_000)
    hoods = {n.slug: n for n in Neighbourhood.objects.all()}

    def plan(code, area, theme, hood, cost, titles, place, **extra):
        fi, sv, en = titles
        return PlanFactory(
            round=round,
            area=helsinki[area],
            code=code,
            theme=theme,
            neighbourhood=hoods[hood],
            cost_high=cost,
            cost_low=cost // 2,
            title_fi=fi,
            title_sv=sv,
            title_en=en,
            place=place,
            **extra,
        )

    round.plan = {
        "I-001": plan(
            "I-001",
            "eastern",
            Theme.SPORTS,
            "vuosaari",
            100_000,
            ("Skeittiparkki Vuosaareen", "Skateområde i Nordsjö", "Skate park in Vuosaari"),
            point(25.145, 60.21),
        ),
        "I-002": plan(
            "I-002",
            "eastern",
            Theme.SPORTS,
            "mellunkyla",
            120_000,
            ("Kuntoportaat Kivikkoon", "Träningstrappor i Stensböle", "Exercise stairs in Kivikko"),
            point(25.105, 60.238),
        ),
        "I-003": plan(
            "I-003",
            "eastern",
            Theme.PARKS,
            "vuosaari",
            50_000,
            ("Penkkejä rantapuistoon", "Bänkar i strandparken", "Benches in the shore park"),
            {
                "type": "Polygon",
                "coordinates": [
                    [[25.14, 60.205], [25.15, 60.205], [25.15, 60.21], [25.14, 60.205]]
                ],
            },
            place_name_fi="Aurinkolahden rantapuisto",
            place_name_sv="Solviks strandpark",
        ),
        "I-004": plan(
            "I-004",
            "eastern",
            Theme.CULTURE,
            "vartiokyla",
            30_000,
            (
                "Kesäkonsertit Itäkeskukseen",
                "Sommarkonserter i Östra centrum",
                "Summer concerts in Itäkeskus",
            ),
            None,
        ),
        "H-001": plan(
            "H-001",
            "city",
            Theme.SPORTS,
            "vuosaari",
            200_000,
            ("Uimarannat kuntoon", "Badstränderna i skick", "Beaches in good shape"),
            point(25.14, 60.2),
        ),
        "L-001": plan(
            "L-001",
            "western",
            Theme.SPORTS,
            "haaga",
            90_000,
            ("Pallokenttä Haagaan", "Bollplan i Haga", "Ball field in Haaga"),
            point(24.895, 60.22),
        ),
    }
    return round


@pytest.fixture
def voter(helsinki):
    return VerifiedResidentFactory(district=helsinki["eastern"])


@pytest.fixture
def voter_client(client, voter):
    client.force_login(voter)
    return client


def codes_shown(response):
    """Plan codes in the order the ballot list shows them."""
    return re.findall(r'<span class="plan-choice__code">([A-Z]+-\d+)</span>', text(response))


def ticked(response):
    """The ids of the plans ticked on the page."""
    return {
        int(value)
        for value in re.findall(
            r'class="ballot-plan__tick" type="checkbox" name="plans_[a-z-]+" value="(\d+)"'
            r"[^>]*checked",
            text(response),
        )
    }


def ballot(client, language="en", **filters):
    return client.get(url("ballot", "omastadi", "eastern", language=language), filters)


@pytest.mark.parametrize(
    ("language", "words", "found"),
    [
        ("en", "skate", ["I-001"]),
        ("fi", "skeitti", ["I-001"]),
        ("sv", "skateområde", ["I-001"]),
        ("sv", "NORDSJO", ["I-001", "I-003", "H-001"]),  # Vuosaari's Swedish name, accents aside
        ("fi", "konsert", ["I-004"]),  # the Swedish title, on the Finnish page
        ("en", "shore park", ["I-003"]),  # every word, in any order of the text
        ("fi", "solviks", ["I-003"]),  # the place's name
        ("en", "I-002", ["I-002"]),
        ("fi", "liikunta", ["I-001", "I-002", "H-001"]),  # the theme's Finnish name
        ("en", "tennis", []),
    ],
)
def test_search_finds_plans_in_every_language(voter_client, ballot_round, language, words, found):
    response = ballot(voter_client, language, q=words)
    assert response.status_code == 200
    assert codes_shown(response) == found


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_sports_plans_of_a_neighbourhood(voter_client, ballot_round, language):
    response = ballot(voter_client, language, theme="sports", neighbourhood="vuosaari")
    # The district's plan and the city-wide one there; not Mellunkylä's, not the park.
    assert codes_shown(response) == ["I-001", "H-001"]
    page = text(response)
    name = {"fi": "Vuosaari", "sv": "Nordsjö", "en": "Vuosaari"}[language]
    assert f'<option value="vuosaari" selected>{name}</option>' in page
    # The neighbourhoods offered are the district's.
    assert 'value="mellunkyla"' in page and 'value="haaga"' not in page


def test_orders_by_name_and_cost_never_by_votes(voter_client, ballot_round):
    assert codes_shown(ballot(voter_client)) == ["I-001", "I-002", "I-003", "I-004", "H-001"]
    cheapest = codes_shown(ballot(voter_client, order="cheapest"))
    assert cheapest == ["I-004", "I-003", "I-001", "I-002", "H-001"]
    assert codes_shown(ballot(voter_client, order="dearest"))[:4] == [
        "I-002",
        "I-001",
        "I-003",
        "I-004",
    ]
    # Finnish order: K before P before S.
    by_name = codes_shown(ballot(voter_client, "fi", order="name"))
    assert by_name[:4] == ["I-004", "I-002", "I-003", "I-001"]
    response = ballot(voter_client, order="votes")
    assert response.status_code == 200
    page = text(response)
    assert "Select a valid choice. votes is not one of the available choices." in page
    assert codes_shown(response) == ["I-001", "I-002", "I-003", "I-004", "H-001"]


def test_ticks_survive_filter_changes(voter_client, ballot_round, voter):
    plan = ballot_round.plan
    path = url("ballot", "omastadi", "eastern")
    # Sports in Vuosaari: tick the skate park, then ask for the parks.
    response = voter_client.post(
        path,
        {
            "listed": "1",
            "shown": [plan["I-001"].pk, plan["H-001"].pk],
            "plans_eastern": [plan["I-001"].pk],
            "theme": "parks",
            "show": "1",
        },
    )
    assert response["Location"] == f"{path}?theme=parks"
    parks = voter_client.get(response["Location"])
    assert codes_shown(parks) == ["I-003"]
    assert ticked(parks) == set()
    page = text(parks)
    # The skate park is not shown, but its money is counted.
    assert 'data-hidden-cost="100000"' in page
    assert "Eastern: money left €200,000" in page
    assert "1 of 5 plans shown. You have chosen 1 plan." in page
    # Tick the benches too and show everything with the button that drops the filters
    # (the parks filter is still posted): both are ticked.
    response = voter_client.post(
        path,
        {
            "listed": "1",
            "shown": [plan["I-003"].pk],
            "plans_eastern": [plan["I-003"].pk],
            "theme": "parks",
            "show_all": "1",
        },
    )
    assert response["Location"] == path
    everything = ballot(voter_client)
    assert ticked(everything) == {plan["I-001"].pk, plan["I-003"].pk}
    assert "Eastern: money left €150,000" in text(everything)
    # Unticking what is shown keeps what is not.
    voter_client.post(
        path, {"listed": "1", "shown": [plan["I-003"].pk], "theme": "parks", "show": "1"}
    )
    assert ticked(ballot(voter_client)) == {plan["I-001"].pk}
    # Only my choices.
    assert codes_shown(ballot(voter_client, mine="on")) == ["I-001"]


def test_a_tick_on_a_plan_of_another_ballot_is_refused(voter_client, ballot_round, voter):
    west = ballot_round.plan["L-001"]
    response = voter_client.post(
        url("ballot", "omastadi", "eastern"),
        {"listed": "1", "shown": [west.pk], "plans_eastern": [west.pk], "show": "1"},
    )
    assert response.status_code == 200
    assert "A plan you chose is not on this ballot." in text(response)
    assert selectors.shortlist_of(ballot_round, voter) == set()


def test_the_map_marks_open_the_plans_with_the_filters(voter_client, ballot_round):
    plan = ballot_round.plan
    page = text(ballot(voter_client, theme="sports"))
    link = url("ballot_plan", "omastadi", "eastern", "I-001") + "?theme=sports"
    assert f'<a class="map__link ballot-map__link" href="{link}"><title>I-001 Skate park' in page
    assert "3 of the plans shown have a place on this map." in page
    # The list has the same plans, each with a link to its page.
    assert page.count(f'href="{link}"') == 2
    # An area is drawn as one.
    page = text(ballot(voter_client, theme="parks"))
    assert re.search(r'<path class="ballot-map__area" d="M[\d.]+ [\d.]+L', page)
    assert plan["I-004"].place is None
    assert "None of the plans shown has a place on this map." in text(
        ballot(voter_client, theme="culture")
    )


def test_the_map_is_kept_per_filters_and_a_search_is_drawn_afresh(
    voter_client, ballot_round, django_capture_on_commit_callbacks
):
    first = text(ballot(voter_client, theme="sports"))
    with django_capture_on_commit_callbacks(execute=True):
        Plan.objects.get(pk=ballot_round.plan["I-001"].pk).save()  # replaces the version
    assert text(ballot(voter_client, theme="sports")).count("<title>") == first.count("<title>")
    assert "Skate park" in text(ballot(voter_client, q="skate"))
    assert "Skate park" not in text(ballot(voter_client, q="benches")).split("ballot-map")[1]


def png(width=800, height=600, colour=(30, 120, 200)):
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def pictured(ballot_round, settings, tmp_path):
    """The skate park with a picture, added by a coach before voting started."""
    settings.MEDIA_ROOT = tmp_path
    coach = StaffRoleFactory().user
    Round.objects.filter(pk=ballot_round.pk).update(
        voting_starts_at=timezone.now() + timedelta(days=1)
    )
    image = services.add_plan_image(
        plan=ballot_round.plan["I-001"],
        actor=coach,
        data=png(),
        alt_text={
            "fi": "Skeittirampit meren rannalla",
            "sv": "Skateramper vid havet",
            "en": "Skate ramps by the sea",
        },
    )
    Round.objects.filter(pk=ballot_round.pk).update(
        voting_starts_at=timezone.now() - timedelta(days=1)
    )
    return image


@pytest.mark.parametrize(
    ("language", "alt"),
    [
        ("fi", "Skeittirampit meren rannalla"),
        ("sv", "Skateramper vid havet"),
        ("en", "Skate ramps by the sea"),
    ],
)
def test_pictures_and_places_reach_the_ballot(voter_client, ballot_round, pictured, language, alt):
    assert (pictured.thumbnail_width, pictured.thumbnail_height) == (480, 360)
    page = text(ballot(voter_client, language))
    assert (
        f'<img class="ballot-plan__picture" src="{pictured.thumbnail.url}" width="480" '
        f'height="360" alt="{alt}" loading="lazy">'
    ) in page
    bench = text(
        voter_client.get(url("ballot_plan", "omastadi", "eastern", "I-003", language=language))
    )
    assert {"fi": "Aurinkolahden rantapuisto", "sv": "Solviks strandpark"}.get(
        language, "Aurinkolahden rantapuisto"
    ) in bench
    assert '<path class="map-input__area"' in bench
    skate = text(
        voter_client.get(url("ballot_plan", "omastadi", "eastern", "I-001", language=language))
    )
    assert f'<img src="{pictured.image.url}" alt="{alt}">' in skate
    assert '<circle class="map-input__point"' in skate


def test_a_plan_is_chosen_on_its_own_page(voter_client, ballot_round, voter):
    plan = ballot_round.plan["I-001"]
    page_url = url("ballot_plan", "omastadi", "eastern", "I-001")
    page = text(voter_client.get(page_url, {"theme": "sports"}))
    assert "This plan is not among your choices." in page
    assert '<input type="hidden" name="theme" value="sports">' in page
    response = voter_client.post(
        url("choose", "omastadi", "eastern"),
        {"plan": plan.pk, "chosen": "1", "back": "plan", "code": "I-001", "theme": "sports"},
    )
    assert response["Location"] == f"{page_url}?theme=sports"
    page = text(voter_client.get(response["Location"]))
    assert "I-001 Skate park in Vuosaari is among your choices." in page
    assert "This plan is among your choices." in page
    assert selectors.shortlist_of(ballot_round, voter) == {plan.pk}
    # Back on the ballot, with the filters, it is ticked.
    back = url("ballot", "omastadi", "eastern") + f"?theme=sports#plan-{plan.pk}-item"
    assert back.replace("&", "&amp;") in page
    assert ticked(ballot(voter_client, theme="sports")) == {plan.pk}


def test_the_script_saves_each_tick(voter_client, ballot_round, voter, helsinki):
    plan = ballot_round.plan
    choose = url("choose", "omastadi", "eastern")
    json_headers = {"HTTP_ACCEPT": "application/json"}
    for code in ("I-001", "I-002", "H-001"):
        response = voter_client.post(choose, {"plan": plan[code].pk, "chosen": "1"}, **json_headers)
        assert json.loads(response.content) == {"plan": plan[code].pk, "chosen": True}
    voter_client.post(choose, {"plan": plan["I-002"].pk, "chosen": "0"}, **json_headers)
    assert selectors.shortlist_of(ballot_round, voter) == {plan["I-001"].pk, plan["H-001"].pk}
    for bad in ("x", "", "-3", str(10**30)):
        response = voter_client.post(choose, {"plan": bad, "chosen": "1"}, **json_headers)
        assert response.status_code == 400
    other = PlanFactory(round=RoundFactory(), area=helsinki["eastern"])
    response = voter_client.post(choose, {"plan": other.pk, "chosen": "1"}, **json_headers)
    assert json.loads(response.content) == {"message": "A plan you chose is not on this ballot."}


def test_plans_side_by_side(voter_client, ballot_round, voter):
    plan = ballot_round.plan
    path = url("ballot", "omastadi", "eastern")
    response = voter_client.post(
        path,
        {
            "listed": "1",
            "shown": [p.pk for p in plan.values()],
            "plans_eastern": [plan["I-001"].pk],
            "mark": [plan["I-002"].pk, plan["I-001"].pk],
            "theme": "sports",
            "compare": "1",
        },
    )
    compare = url("compare", "omastadi", "eastern")
    assert response["Location"] == (
        f"{compare}?plans={plan['I-002'].pk}&plans={plan['I-001'].pk}&theme=sports"
    )
    page = text(voter_client.get(response["Location"]))
    assert re.search(r'<th scope="col">.*I-002.*</th><th scope="col">.*I-001', page)
    assert "€120,000" in page and "€100,000" in page
    assert "Among your choices" in page  # the skate park was ticked with the comparison
    assert selectors.shortlist_of(ballot_round, voter) == {plan["I-001"].pk}
    # Choosing from the comparison comes back to it.
    response = voter_client.post(
        url("choose", "omastadi", "eastern"),
        {
            "plan": plan["I-002"].pk,
            "chosen": "1",
            "back": "compare",
            "compared": [plan["I-002"].pk, plan["I-001"].pk],
            "theme": "sports",
        },
    )
    assert response["Location"].startswith(f"{compare}?plans={plan['I-002'].pk}")
    # One plan, or four, is not a comparison.
    for marked in ([plan["I-001"].pk], [p.pk for p in list(plan.values())[:4]]):
        response = voter_client.get(compare, {"plans": marked})
        assert response["Location"] == path
        assert "Mark two or three plans to compare them." in text(voter_client.get(path))
    assert voter_client.get(compare, {"plans": [plan["I-001"].pk, 10**6]}).status_code == 404


def test_the_ballot_page_takes_the_same_queries_with_filters_and_a_shortlist(
    voter_client, ballot_round, voter, helsinki, django_capture_on_commit_callbacks
):
    services.update_shortlist(
        round=ballot_round,
        voter=voter,
        shown=[],
        chosen=[ballot_round.plan["I-001"].pk, ballot_round.plan["H-001"].pk],
    )
    filters = {"theme": "sports", "neighbourhood": "vuosaari", "order": "name"}

    def queries(**filters):
        with CaptureQueriesContext(connection) as captured:
            assert ballot(voter_client, **filters).status_code == 200
        return len(captured)

    def warm():
        # Each page's cards and map are rendered once and kept (ballot_cache).
        ballot(voter_client)
        ballot(voter_client, **filters)

    warm()
    few = queries(), queries(**filters), queries(q="skate")
    vuosaari = Neighbourhood.objects.get(slug="vuosaari")
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(60):
            PlanFactory(
                round=ballot_round,
                area=helsinki["eastern" if number % 2 else "city"],
                theme=Theme.SPORTS,
                neighbourhood=vuosaari,
                place=point(25.14, 60.21),
            )
    warm()
    many = queries(), queries(**filters), queries(q="skate")
    assert many == few
    assert few[0] <= 6  # session, user, round, budgets, participation, shortlist
    assert len(codes_shown(ballot(voter_client, **filters))) == 62
