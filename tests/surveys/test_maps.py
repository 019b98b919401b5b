"""The drawn map: projection, districts, the checks of map answers, and the map on
the answer, results and hearing pages (server side; the script is tested in the
browser suite)."""

import json
import math
import random
import re
import time

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from osallistu.core import geo
from osallistu.surveys import engine, services, widgets
from osallistu.surveys.engine import AnswerError, QuestionSpec, clean_answer
from osallistu.surveys.models import SETTINGS_DEFAULTS, Response
from tests.factories import StaffRoleFactory, sign_in_past_second_factor

from .factories import PageFactory, QuestionFactory, SurveyFactory


def spec(geometry="point", bbox=None):
    return QuestionSpec(
        id=1,
        kind="map",
        page=1,
        settings={**SETTINGS_DEFAULTS["map"], "geometry": geometry, "bbox": bbox},
    )


def area(*corners):
    data = QueryDict(mutable=True)
    data["q1_geojson"] = json.dumps({"type": "Polygon", "coordinates": [list(corners)]})
    return data


def refused(question, data):
    with pytest.raises(AnswerError) as raised:
        clean_answer(question, data)
    return str(raised.value)


@pytest.mark.parametrize(
    ("lon", "lat", "district"),
    [
        (24.930, 60.168, "southern"),  # Kamppi
        (24.875, 60.158, "southern"),  # Lauttasaari
        (24.875, 60.198, "western"),  # Munkkiniemi
        (24.950, 60.184, "central"),  # Kallio
        (24.965, 60.230, "northern"),  # Oulunkylä
        (25.010, 60.250, "north-eastern"),  # Malmi
        (25.035, 60.195, "south-eastern"),  # Herttoniemi
        (25.140, 60.210, "eastern"),  # Vuosaari
        (24.800, 60.110, None),  # the sea south-west of the city
    ],
)
def test_district_of_well_known_places(lon, lat, district):
    assert geo.district_of(lon, lat) == district


def test_districts_do_not_overlap():
    """Sample the city on a grid: no point lies in two districts."""
    west, south, east, north = geo.HELSINKI_BBOX
    for step_x in range(1, 60):
        for step_y in range(1, 40):
            lon = west + (east - west) * step_x / 60
            lat = south + (north - south) * step_y / 40
            inside = [
                slug
                for slug, ring in geo.DISTRICT_OUTLINES.items()
                if geo.point_in_ring(lon, lat, ring)
            ]
            assert len(inside) <= 1, (lon, lat, inside)


def test_outlines_are_simple_polygons():
    for ring in geo.DISTRICT_OUTLINES.values():
        closed = [*ring, ring[0]]
        assert not geo.ring_crosses_itself(closed)


def test_frame_puts_the_corners_of_the_bbox_at_the_corners():
    frame = geo.Frame(geo.HELSINKI_BBOX, 600)
    west, south, east, north = geo.HELSINKI_BBOX
    assert frame.xy(west, north) == (0, 0)
    x, y = frame.xy(east, south)
    assert x == pytest.approx(600) and y == pytest.approx(frame.height)
    # At 60° N a degree of longitude is about half as long as a degree of latitude.
    assert 490 < frame.height < 515


def test_self_crossing_detection():
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    bow_tie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    assert not geo.ring_crosses_itself(square)
    assert geo.ring_crosses_itself(bow_tie)


class TestAreaAnswers:
    def test_a_triangle_is_closed_and_kept(self):
        cleaned = clean_answer(spec("area"), area([24.9, 60.16], [24.95, 60.16], [24.92, 60.19]))
        ring = cleaned.value["geojson"]["coordinates"][0]
        assert ring == [[24.9, 60.16], [24.95, 60.16], [24.92, 60.19], [24.9, 60.16]]

    def test_a_corner_clicked_twice_counts_once(self):
        cleaned = clean_answer(
            spec("area"),
            area([24.9, 60.16], [24.95, 60.16], [24.95, 60.16], [24.92, 60.19], [24.9, 60.16]),
        )
        assert len(cleaned.value["geojson"]["coordinates"][0]) == 4

    def test_two_corners_are_not_an_area(self):
        message = refused(spec("area"), area([24.9, 60.16], [24.95, 60.16], [24.9, 60.16]))
        assert "three corners" in message

    def test_crossing_edges_are_refused(self):
        message = refused(
            spec("area"),
            area([24.9, 60.16], [24.95, 60.19], [24.95, 60.16], [24.9, 60.19]),
        )
        assert "cross" in message

    def test_corners_on_one_line_are_refused(self):
        message = refused(spec("area"), area([24.9, 60.16], [24.92, 60.16], [24.94, 60.16]))
        assert "cross" in message

    def test_corner_outside_helsinki_is_refused(self):
        message = refused(spec("area"), area([24.9, 60.16], [24.95, 60.16], [24.7, 60.19]))
        assert message == "The place must be in Helsinki."

    def test_too_many_corners_are_refused(self):
        corners = [[24.9 + index * 1e-5, 60.16] for index in range(engine.MAX_MAP_POSITIONS + 2)]
        assert refused(spec("area"), area(*corners)) == "An area can have at most 200 corners."


def test_a_point_without_question_bounds_must_be_in_helsinki():
    data = QueryDict(mutable=True)
    data.update({"q1_lat": "60,45", "q1_lon": "22,27"})  # Turku
    assert refused(spec(), data) == "The place must be in Helsinki."


def test_a_comment_place_must_be_in_helsinki():
    with pytest.raises(AnswerError):
        services.clean_place(address="", lat="60.45", lon="22.27")
    place = services.clean_place(address="Kauppatori", lat="60,1675", lon="24,9525")
    assert place["geojson"]["coordinates"] == [24.9525, 60.1675]


@pytest.fixture
def map_survey(db, helsinki):
    survey = SurveyFactory(slug="kartta")
    page = PageFactory(survey=survey, position=1)
    point = QuestionFactory(page=page, position=1, kind="map", settings={"geometry": "point"})
    drawn = QuestionFactory(page=page, position=2, kind="map", settings={"geometry": "area"})
    return survey, page, point, drawn


def test_answer_page_has_the_map_for_the_script_and_the_fields_without_it(client, map_survey):
    survey, _page, point, drawn = map_survey
    client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
    with translation.override("fi"):
        html = client.get(reverse("surveys:answer", kwargs={"slug": survey.slug})).content.decode()
    # The map is hidden until map.js shows it; the fields work without it.
    assert html.count('class="map-input"') == 2 and html.count(" hidden data-geometry=") == 2
    assert f'data-lat="q{point.id}_lat" data-lon="q{point.id}_lon"' in html
    assert f'data-geojson="q{drawn.id}_geojson"' in html
    assert 'data-max-corners="200"' in html and "enintään 200 kulmaa" in html
    assert f'type="hidden" id="q{drawn.id}_geojson" name="q{drawn.id}_geojson"' in html
    assert html.count('class="map__district"') == 14
    assert 'data-name="Kaakkoinen"' in html
    assert "core/map.js" in html
    assert "style=" not in html  # the CSP allows no inline styles


@pytest.fixture
def staff_client(db):
    staff = StaffRoleFactory().user
    client = Client()
    sign_in_past_second_factor(client, staff)
    return client


def test_map_answers_are_stored_and_shown_on_the_results_map(
    client, staff_client, map_survey, helsinki
):
    survey, page, point, drawn = map_survey
    answer = reverse("surveys:answer", kwargs={"slug": survey.slug})
    client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
    ring = [[25.13, 60.20], [25.16, 60.20], [25.15, 60.22], [25.13, 60.20]]
    reply = client.post(
        answer,
        {
            "page": page.id,
            f"q{point.id}_lat": "60,1699",
            f"q{point.id}_lon": "24,9384",
            f"q{drawn.id}_geojson": json.dumps({"type": "Polygon", "coordinates": [ring]}),
        },
    )
    assert reply.status_code == 302
    review = client.get(answer).content.decode()
    assert 'aria-label="Your place on the map"' in review
    assert 'aria-label="Your area on the map"' in review
    assert review.count('class="map-input__point"') == 1
    assert review.count('class="map-input__area"') == 1
    client.post(answer, {"action": "submit"})
    stored = Response.objects.get().answers.get(question=drawn).value
    assert stored["geojson"]["coordinates"] == [ring]

    with translation.override("fi"):
        html = staff_client.get(
            reverse("surveys:staff_results", kwargs={"slug": survey.slug})
        ).content.decode()
    assert html.count('class="map__answers-area"') == 1
    assert re.search(r'class="map__answers-dots" d="M[\d.]+ [\d.]+h0"', html)
    assert '<th scope="row">Eteläinen</th><td>1</td><td>0</td>' in html
    assert '<th scope="row">Itäinen</th><td>0</td><td>1</td>' in html


def test_a_crossing_area_comes_back_with_the_error(client, map_survey):
    survey, page, _point, drawn = map_survey
    answer = reverse("surveys:answer", kwargs={"slug": survey.slug})
    client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
    bow_tie = [[24.9, 60.16], [24.95, 60.19], [24.95, 60.16], [24.9, 60.19], [24.9, 60.16]]
    reply = client.post(
        answer,
        {
            "page": page.id,
            f"q{drawn.id}_geojson": json.dumps({"type": "Polygon", "coordinates": [bow_tie]}),
        },
    )
    assert reply.status_code == 200
    assert "The edges of the area cross each other" in reply.content.decode()
    assert not Response.objects.get().answers.exists()


def test_no_tiles_unless_a_tile_server_is_set(db, settings):
    settings.MAP_TILES_URL = ""
    assert widgets.base_map().tiles == []


def test_tiles_cover_the_map_and_line_up_with_the_drawing(db, settings):
    settings.MAP_TILES_URL = "https://tiles.example.fi/{z}/{x}/{y}.png"
    base = widgets.base_map()
    assert base.attribution == settings.MAP_TILES_ATTRIBUTION
    zooms = {address.split("/")[3] for address, *_ in base.tiles}
    assert zooms == {"11"}
    # Together the tiles cover the whole frame, and none lies wholly outside it.
    left = min(x for _a, x, _y, _s in base.tiles)
    top = min(y for _a, _x, y, _s in base.tiles)
    right = max(x + size for _a, x, _y, size in base.tiles)
    bottom = max(y + size for _a, _x, y, size in base.tiles)
    assert left <= 0 and top <= 0 and right >= base.width and bottom >= base.height
    assert all(x < base.width and y < base.height for _a, x, y, _s in base.tiles)
    # The tile with Helsinki Cathedral (24.9522, 60.1705) at zoom 11 is x 1165, y 592
    # (as any slippy map computes it), and it is drawn where the frame puts that point.
    _address, x, y, size = next(tile for tile in base.tiles if tile[0].endswith("/1165/592.png"))
    px, py = base.frame.xy(24.9522, 60.1705)
    assert x <= px <= x + size and y <= py <= y + size


def test_tiles_are_drawn_under_the_districts(client, map_survey, settings):
    settings.MAP_TILES_URL = "https://tiles.example.fi/{z}/{x}/{y}.png"
    survey = map_survey[0]
    client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
    reply = client.get(reverse("surveys:answer", kwargs={"slug": survey.slug}))
    assert '<image href="https://tiles.example.fi/11/' in reply.content.decode()


def _crosses_by_brute_force(ring):
    count = len(ring) - 1
    for first in range(count):
        for second in range(first + 1, count):
            if second == first + 1 or (first == 0 and second == count - 1):
                continue
            if geo._segments_cross(ring[first], ring[first + 1], ring[second], ring[second + 1]):
                return True
    return False


def test_the_sweep_agrees_with_comparing_every_pair_of_edges():
    rng = random.Random(5)
    crossing = 0
    for _ in range(2000):
        corners = [[rng.randint(0, 6), rng.randint(0, 6)] for _ in range(rng.randint(3, 9))]
        ring = [*corners, corners[0]]
        expected = _crosses_by_brute_force(ring)
        crossing += expected
        assert geo.ring_crosses_itself(ring) == expected, ring
    assert 0 < crossing < 2000


def test_checking_a_large_area_is_quick():
    angles = [2 * math.pi * i / 200 for i in range(200)]
    corners = [[24.95 + 0.02 * math.cos(a), 60.2 + 0.01 * math.sin(a)] for a in angles]
    started = time.perf_counter()
    assert not geo.ring_crosses_itself([*corners, corners[0]])
    assert time.perf_counter() - started < 0.1
