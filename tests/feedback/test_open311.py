"""The Open311 GeoReport v2 API against the specification's examples, through a client
written from the specification (``open311_spec``): every endpoint in JSON and XML, the
filters and paging, POST with an API key, tokens, extensions, locale and errors.
Unmoderated and hidden feedback never appear."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from osallistu.feedback import photos, services
from osallistu.feedback.models import (
    Feedback,
    FeedbackPhoto,
    Moderation,
    ServiceAttribute,
    ServiceAttributeValue,
    Status,
)
from tests.feedback import open311_spec as spec
from tests.feedback.factories import (
    FeedbackFactory,
    PublicFeedbackFactory,
    ServiceCategoryFactory,
    playground_category,
)

FORMATS = ["json", "xml"]


@pytest.fixture(params=FORMATS)
def api(request, client):
    return spec.Open311Client(client, "/open311/v2", request.param)


@pytest.fixture
def json_api(client):
    return spec.Open311Client(client, "/open311/v2", "json")


@pytest.fixture
def xml_api(client):
    return spec.Open311Client(client, "/open311/v2", "xml")


@pytest.fixture
def key(city_admin):
    return services.issue_api_key(name="Testisovellus", staff=city_admin)[1]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# GET Service List: the specification's example


@pytest.fixture
def example_services(division):
    """The three services of the specification's example response."""
    rows = [
        (
            "001",
            "Cans left out 24x7",
            "Garbage or recycling cans that have been left out for more than 24 hours after "
            "collection. Violators will be cited.",
            "sanitation",
        ),
        (
            "002",
            "Construction plate shifted",
            "Metal construction plate covering the street or sidewalk has been moved.",
            "street",
        ),
        (
            "003",
            "Curb or curb ramp defect",
            "Sidewalk curb or ramp has problems such as cracking, missing pieces, holes, "
            "and/or chipped curb.",
            "street",
        ),
    ]
    categories = []
    for position, (code, name, description, group) in enumerate(rows):
        category = ServiceCategoryFactory(
            code=code,
            division=division,
            position=position,
            name_en=name,
            name_fi=name,
            name_sv=name,
            description_en=description,
            group_en=group,
            keywords_en="lorem, ipsum, dolor",
        )
        # "metadata: true" in the example: each has a further question.
        ServiceAttribute.objects.create(
            service=category,
            code="WHISPAWN",
            datatype="string",
            order=1,
            description_en="Q",
            description_fi="Q",
            description_sv="Q",
        )
        categories.append(category)
    return categories


def test_service_list_is_the_specifications_example(json_api, xml_api, example_services):
    response, services_json = json_api.get("services")
    assert response.status_code == 200
    spec.check_services(services_json)
    example = [
        {
            "service_code": "001",
            "service_name": "Cans left out 24x7",
            "description": "Garbage or recycling cans that have been left out for more than 24 "
            "hours after collection. Violators will be cited.",
            "metadata": True,
            "keywords": "lorem, ipsum, dolor",
            "group": "sanitation",
        },
        {
            "service_code": "002",
            "metadata": True,
            "keywords": "lorem, ipsum, dolor",
            "group": "street",
            "service_name": "Construction plate shifted",
            "description": "Metal construction plate covering the street or sidewalk has been "
            "moved.",
        },
        {
            "service_code": "003",
            "metadata": True,
            "keywords": "lorem, ipsum, dolor",
            "group": "street",
            "service_name": "Curb or curb ramp defect",
            "description": "Sidewalk curb or ramp has problems such as cracking, missing pieces, "
            "holes, and/or chipped curb.",
        },
    ]
    # Feedback is moderated before it is public, so the type is "batch" (a token), not
    # the example's "realtime".
    assert [{k: v for k, v in item.items() if k != "type"} for item in services_json] == example
    assert {item["type"] for item in services_json} == {"batch"}
    response, services_xml = xml_api.get("services")
    spec.check_services(services_xml)
    assert spec.same(services_json, services_xml)


def test_service_list_in_the_language_of_locale(json_api, pothole):
    names = {
        locale: json_api.get("services", locale=locale)[1][0]["service_name"]
        for locale in ("fi", "sv_FI", "en-GB")
    }
    assert names == {"fi": "Kuoppa kadulla", "sv_FI": "Grop i gatan", "en-GB": "Pothole"}
    # English by default, as the CitySDK extension says.
    assert json_api.get("services")[1][0]["service_name"] == "Pothole"


def test_inactive_services_are_not_offered(json_api, pothole, library):
    library.is_active = False
    library.save()
    assert [item["service_code"] for item in json_api.get("services")[1]] == ["171"]


# GET Service Definition: the specification's example


def test_service_definition_is_the_specifications_example(json_api, xml_api, division):
    category = ServiceCategoryFactory(code="DMV66", division=division)
    attribute = ServiceAttribute.objects.create(
        service=category,
        code="WHISHETN",
        variable=True,
        datatype="singlevaluelist",
        required=True,
        order=1,
        description_en="What is the ticket/tag/DL number?",
        description_fi="x",
        description_sv="x",
    )
    for position, (key, name) in enumerate([("123", "Ford"), ("124", "Chrysler")]):
        ServiceAttributeValue.objects.create(
            attribute=attribute,
            key=key,
            position=position,
            name_en=name,
            name_fi=name,
            name_sv=name,
        )
    response, definition = json_api.get("services/DMV66")
    assert response.status_code == 200
    spec.check_service_definition(definition)
    assert definition == {
        "service_code": "DMV66",
        "attributes": [
            {
                "variable": True,
                "code": "WHISHETN",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": None,
                "order": 1,
                "description": "What is the ticket/tag/DL number?",
                # Keys are text: a key is "analogous to the value attribute in an html
                # option tag".
                "values": [{"key": "123", "name": "Ford"}, {"key": "124", "name": "Chrysler"}],
            }
        ],
    }
    response, definition_xml = xml_api.get("services/DMV66")
    spec.check_service_definition(definition_xml)
    assert spec.same(definition, definition_xml)


def test_unknown_service_definition_is_404(api, db):
    response, data = api.get("services/033")
    spec.check_errors(response, data, 404)


# POST Service Request: the specification's example request, in Helsinki


def example_post(key, **changes):
    """The specification's example body with Helsinki's coordinates, our service and its
    further questions in place of San Francisco's."""
    body = {
        "api_key": key,
        "jurisdiction_id": "city.gov",
        "service_code": "211",
        "lat": "60.1840",
        "long": "24.9500",
        "address_string": "1234 5th street",
        "email": "smit333@sfgov.edu",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "john",
        "last_name": "smith",
        "phone": "111111111",
        "description": "A large sinkhole is destroying the street",
        "media_url": "http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg",
        "attribute[equipment]": "swing",
        **changes,
    }
    return [(name, value) for name, value in body.items() if value is not None]


@pytest.fixture
def playground(division):
    return playground_category(division)


def test_post_the_specifications_example(api, key, playground, helsinki):
    response, data = api.post("requests", example_post(key))
    assert response.status_code == 200
    item = spec.check_post_response(data)
    feedback = Feedback.objects.get()
    assert item["token"] == feedback.token
    assert item["service_notice"]
    assert feedback.service == playground and feedback.api_key is not None
    assert feedback.description == "A large sinkhole is destroying the street"
    assert (feedback.contact_email, feedback.contact_name) == ("smit333@sfgov.edu", "john smith")
    assert feedback.district == helsinki["central"]
    assert feedback.attribute_values == {"equipment": "swing"}
    assert feedback.moderation == Moderation.UNMODERATED
    # Waiting for moderation: the token has no service_request_id yet.
    response, data = api.get(f"tokens/{feedback.token}")
    assert response.status_code == 200
    assert spec.check_token_response(data, feedback.token) is None
    response, data = api.get(f"requests/{feedback.pk}")
    spec.check_errors(response, data, 404)


def test_token_gives_the_id_once_public(api, key, playground, handler):
    _response, data = api.post("requests", example_post(key))
    token = data[0]["token"]
    feedback = Feedback.objects.get()
    services.publish_feedback(feedback=feedback, staff=handler, public_description="Kuoppa.")
    response, data = api.get(f"tokens/{token}")
    request_id = spec.check_token_response(data, token)
    assert str(request_id) == str(feedback.pk)
    response, data = api.get(f"requests/{request_id}")
    spec.check_requests(data)
    assert data[0]["description"] == "Kuoppa."  # the public text only
    services.hide_feedback(feedback=feedback, staff=handler, reason="Asiaton")
    response, data = api.get(f"tokens/{token}")
    spec.check_errors(response, data, 404)


def test_post_with_a_list_of_answers_and_photos(json_api, key, division):
    category = playground_category(division)
    several = ServiceAttribute.objects.create(
        service=category,
        code="where",
        datatype="multivaluelist",
        order=3,
        description_en="Where?",
        description_fi="Missä?",
        description_sv="Var?",
    )
    for key_value in ("north", "south"):
        ServiceAttributeValue.objects.create(
            attribute=several,
            key=key_value,
            name_en=key_value,
            name_fi=key_value,
            name_sv=key_value,
        )
    pictures = []
    for colour in ("red", "blue"):
        buffer = io.BytesIO()
        Image.new("RGB", (30, 20), colour).save(buffer, "PNG")
        pictures.append(SimpleUploadedFile(f"{colour}.png", buffer.getvalue(), "image/png"))
    body = [*example_post(key), ("attribute[where][]", "north"), ("attribute[where][]", "south")]
    response, data = json_api.post("requests", body, files={"media": pictures})
    assert response.status_code == 200, data
    feedback = Feedback.objects.get()
    assert feedback.attribute_values["where"] == ["north", "south"]
    assert FeedbackPhoto.objects.filter(feedback=feedback).count() == 2


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "999"}, 404, "999"),
        ({"lat": None, "long": None, "address_string": None}, 400, "address"),
        ({"lat": "north"}, 400, "lat"),
        ({"lat": "65.0", "long": "25.47"}, 400, "Helsinki"),
        ({"description": "short"}, 400, "description"),
        ({"description": "x" * 5001}, 400, "description"),
        ({"email": "not an address"}, 400, "e-mail"),
        ({"attribute[equipment]": None}, 400, "Which equipment"),
        ({"attribute[equipment]": "seesaw"}, 400, "seesaw"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ],
)
def test_bad_posts_are_the_specifications_errors_and_save_nothing(
    api, key, playground, changes, status, words
):
    response, data = api.post("requests", example_post(key, **changes))
    [description] = spec.check_errors(response, data, status)
    assert words.lower() in description.lower()
    assert not Feedback.objects.exists()


def test_errors_are_in_the_language_of_locale(json_api, key, playground):
    response, data = json_api.post("requests", example_post(key, description="lyhyt", locale="fi"))
    [description] = spec.check_errors(response, data, 400)
    assert "vähintään" in description


def test_a_bad_photo_saves_nothing(json_api, key, playground):
    fake = SimpleUploadedFile("kuva.jpg", b"\xff\xd8\xff not a picture", "image/jpeg")
    response, data = json_api.post("requests", example_post(key), files={"media": [fake]})
    spec.check_errors(response, data, 400)
    assert not Feedback.objects.exists()


def test_a_revoked_key_is_refused(json_api, key, playground, city_admin):
    from osallistu.feedback.models import ApiKey

    services.revoke_api_key(api_key=ApiKey.objects.get(), staff=city_admin)
    response, data = json_api.post("requests", example_post(key))
    spec.check_errors(response, data, 403)


def test_posting_is_rate_limited_per_key(json_api, key, playground, monkeypatch):
    monkeypatch.setattr(services.submission, "APPLICATION_PER_HOUR", 2)
    for _ in range(2):
        assert json_api.post("requests", example_post(key))[0].status_code == 200
    response, data = json_api.post("requests", example_post(key))
    spec.check_errors(response, data, 400)
    assert data[0]["code"] == 429
    assert Feedback.objects.count() == 2


def test_a_json_body_is_refused_clearly(client, key, playground):
    response = client.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "211"},
        content_type="application/json",
    )
    data = spec.parse(response)
    [description] = spec.check_errors(response, data, 400)
    assert "x-www-form-urlencoded" in description


# GET Service Requests: the specification's example, filters and paging


@pytest.fixture
def handled(pothole, handler):
    """The specification's example request 638344: closed as a duplicate."""
    original = PublicFeedbackFactory(service=pothole)
    feedback = PublicFeedbackFactory(
        service=pothole, public_address="8TH AVE and JUDAH ST", postal_code="00530"
    )
    services.answer_feedback(feedback=feedback, staff=handler, text="Duplicate request.")
    services.merge_duplicate(duplicate=feedback, original=original, staff=handler)
    feedback.refresh_from_db()
    return feedback


def test_requests_have_the_fields_of_the_specifications_example(json_api, xml_api, handled):
    _response, data = json_api.get("requests", service_request_id=str(handled.pk))
    spec.check_requests(data)
    [item] = data
    example_fields = {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    }
    assert set(item) == example_fields
    assert item["status"] == "closed"
    assert item["status_notes"] == "Duplicate request."
    assert item["service_name"] == "Pothole" and item["service_code"] == "171"
    assert item["agency_responsible"] == "Urban Environment Division"
    assert item["address"] == "8TH AVE and JUDAH ST" and item["zipcode"] == "00530"
    assert (item["lat"], item["long"]) == (60.184, 24.95)
    _response, xml_data = xml_api.get("requests", service_request_id=str(handled.pk))
    spec.check_requests(xml_data)
    assert spec.same(data, xml_data)


def test_the_specifications_sample_query(json_api, pothole):
    """requests.xml?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open
    &jurisdiction_id=city.gov, with our dates."""
    start = timezone.now() - timedelta(days=40)
    inside = PublicFeedbackFactory(service=pothole, requested_at=start + timedelta(days=3))
    PublicFeedbackFactory(service=pothole, requested_at=start - timedelta(days=3))
    PublicFeedbackFactory(
        service=pothole,
        requested_at=start + timedelta(days=4),
        status=Status.DONE,
        closed_at=timezone.now(),
    )
    response, data = json_api.get(
        "requests",
        start_date=(start).strftime("%Y-%m-%dT%H:%M:%SZ"),
        end_date=(start + timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        status="open",
        jurisdiction_id="city.gov",
    )
    spec.check_requests(data)
    assert [item["service_request_id"] for item in data] == [str(inside.pk)]
    assert response["X-Result-Count"] == "1"


def test_default_is_the_latest_ninety_days_and_the_span_is_limited(json_api, pothole):
    recent = PublicFeedbackFactory(service=pothole)
    PublicFeedbackFactory(service=pothole, requested_at=timezone.now() - timedelta(days=120))
    _response, data = json_api.get("requests")
    assert [item["service_request_id"] for item in data] == [str(recent.pk)]
    response, data = json_api.get(
        "requests", start_date="2026-01-01T00:00:00Z", end_date="2026-05-01T00:00:00Z"
    )
    spec.check_errors(response, data, 400)


def test_filters_by_service_status_and_ids(json_api, pothole, library):
    pothole_item = PublicFeedbackFactory(service=pothole)
    library_item = PublicFeedbackFactory(service=library)
    closed = PublicFeedbackFactory(service=library, status=Status.DONE, closed_at=timezone.now())

    def ids(**query):
        _response, data = json_api.get("requests", **query)
        spec.check_requests(data)
        return {int(item["service_request_id"]) for item in data}

    assert ids(service_code="171") == {pothole_item.pk}
    assert ids(service_code="171,310") == {pothole_item.pk, library_item.pk, closed.pk}
    assert ids(status="closed") == {closed.pk}
    assert ids(status="open,closed", service_code="310") == {library_item.pk, closed.pk}
    # service_request_id overrides every other argument.
    assert ids(service_request_id=f"{pothole_item.pk},{closed.pk}", service_code="310") == {
        pothole_item.pk,
        closed.pk,
    }


def test_updated_after_finds_old_feedback_changed_lately(json_api, pothole, handler):
    old = PublicFeedbackFactory(service=pothole, requested_at=timezone.now() - timedelta(days=200))
    PublicFeedbackFactory(service=pothole)
    moment = timezone.now()
    services.answer_feedback(feedback=old, staff=handler, text="Vihdoin.")
    _response, data = json_api.get(
        "requests", updated_after=moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ").replace(".", ".")
    )
    assert [item["service_request_id"] for item in data] == [str(old.pk)]


def test_bbox_and_radius(json_api, pothole):
    kallio = PublicFeedbackFactory(service=pothole)  # 60.184, 24.95
    near = PublicFeedbackFactory(
        service=pothole, latitude=Decimal("60.1850"), longitude=Decimal("24.9530")
    )
    PublicFeedbackFactory(
        service=pothole, latitude=Decimal("60.2100"), longitude=Decimal("25.1500")
    )

    def ids(**query):
        response, data = json_api.get("requests", **query)
        assert response.status_code == 200, data
        return {int(item["service_request_id"]) for item in data}

    assert ids(bbox="24.94,60.18,24.96,60.19") == {kallio.pk, near.pk}
    assert ids(bbox="24.949,60.183,24.951,60.1845") == {kallio.pk}
    # About 190 m between the two points.
    assert ids(lat="60.184", long="24.95", radius="100") == {kallio.pk}
    assert ids(lat="60.184", long="24.95", radius="250") == {kallio.pk, near.pk}


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": "1,2,3"},
        {"bbox": "25,60,24,61"},
        {"lat": "60.1", "long": "24.9"},
        {"lat": "60.1", "long": "24.9", "radius": "0"},
        {"lat": "north", "long": "24.9", "radius": "10"},
        {"start_date": "last week"},
        {"status": "pending"},
        {"page_size": "501"},
        {"page_size": "0"},
        {"page": "first"},
        {"service_request_id": "12,abc"},
        # Digits to Python, not numbers to the API.
        {"page_size": "\u00b2"},
        {"page": "\u0663"},
        {"service_request_id": "\u00b2"},
        {"service_request_id": "9" * 19},
        # 90 days from the last possible day is not a date.
        {"start_date": "9999-12-31T00:00:00Z"},
        {"end_date": "0001-01-01"},
        {"updated_after": "0001-01-01T00:00:00+05:00"},
    ],
)
def test_bad_queries_are_400(api, query):
    response, data = api.get("requests", **query)
    spec.check_errors(response, data, 400)


def test_paging(json_api, pothole):
    made = PublicFeedbackFactory.create_batch(7, service=pothole)
    response, first = json_api.get("requests", page_size="3")
    assert response["X-Result-Count"] == "7" and len(first) == 3
    _response, last = json_api.get("requests", page_size="3", page="3")
    _response, beyond = json_api.get("requests", page_size="3", page="9")
    assert len(last) == 1 and beyond == []
    # Newest first, every item once.
    everything = [
        item["service_request_id"]
        for page in (1, 2, 3)
        for item in json_api.get("requests", page_size="3", page=str(page))[1]
    ]
    assert everything == [
        str(item.pk) for item in sorted(made, key=lambda f: (f.requested_at, f.pk), reverse=True)
    ]


def test_extensions(api, pothole, handler):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "green").save(buffer, "PNG")
    feedback = services.submit_feedback(
        service=pothole,
        description="Kuoppa pyörätiellä.",
        place=services.Place(address="Viides linja 11"),
        photos=[
            photos.from_bytes(buffer.getvalue(), "Kuoppa"),
            photos.from_bytes(buffer.getvalue(), "Kasvot"),
        ],
    )
    shown, _hidden = feedback.photos.all()
    services.publish_feedback(
        feedback=feedback,
        staff=handler,
        public_title="Kuoppa pyörätiellä",
        public_description="Kuoppa.",
        public_photos=[shown.pk],
    )
    services.assign_handler(feedback=feedback, staff=handler, handler=handler)
    services.change_status(feedback=feedback, staff=handler, status=Status.DONE, note="Paikattu")
    _response, plain = api.get(f"requests/{feedback.pk}")
    spec.check_requests(plain)
    assert plain[0]["media_url"].endswith(shown.image.url)
    assert plain[0]["media_url"].startswith("http://testserver/")
    _response, data = api.get(f"requests/{feedback.pk}", extensions="true")
    spec.check_requests(data, extensions=True)
    extended = data[0]["extended_attributes"]
    assert extended["title"] == "Kuoppa pyörätiellä"
    assert extended["detailed_status"] == "PROCESSED"
    assert extended["media_urls"] == [plain[0]["media_url"]]  # the hidden photo is not there
    history = [(entry["status"], entry.get("note")) for entry in extended["request_history"]]
    assert history == [("received", None), ("allocated", None), ("done", "Paikattu")]


# Moderation: nothing unmoderated or hidden ever reaches the API


def test_nothing_unmoderated_or_hidden_reaches_the_api(api, pothole, key):
    waiting = FeedbackFactory(service=pothole, description="Salainen teksti odottaa")
    hidden = FeedbackFactory(
        service=pothole,
        description="Salainen teksti piilossa",
        moderation=Moderation.HIDDEN,
        moderation_reason="x",
        moderated_at=timezone.now(),
        status=Status.DONE,
        closed_at=timezone.now(),
        handling_seconds=100,
    )
    public = PublicFeedbackFactory(service=pothole)
    for query in (
        {},
        {"service_request_id": f"{waiting.pk},{hidden.pk},{public.pk}"},
        {"status": "open,closed"},
        {"bbox": "24,60,25,61"},
        {"lat": "60.184", "long": "24.95", "radius": "1000"},
        {"updated_after": "2000-01-01T00:00:00Z"},
        {"extensions": "true"},
    ):
        response, data = api.get("requests", **query)
        assert [item["service_request_id"] for item in data] == [str(public.pk)], query
        assert response["X-Result-Count"] == "1"
        assert b"Salainen" not in response.content
    for item in (waiting, hidden):
        response, data = api.get(f"requests/{item.pk}")
        spec.check_errors(response, data, 404)
    _response, statistics = api.get("statistics/services")
    row = next(row for row in statistics if row["service_code"] == "171")
    assert str(row["total"]) == "1" and str(row["closed"]) == "0"


# Statistics, discovery and errors


def test_statistics_of_handling_times(json_api, xml_api, pothole, library):
    for days in (1, 3, 4, 10):
        PublicFeedbackFactory(
            service=pothole,
            status=Status.DONE,
            closed_at=timezone.now(),
            handling_seconds=days * 86400,
        )
    PublicFeedbackFactory(service=pothole)
    response, data = json_api.get("statistics/services")
    assert response.status_code == 200
    rows = {row["service_code"]: row for row in data}
    assert rows["171"]["total"] == 5 and rows["171"]["closed"] == 4
    assert rows["171"]["avg_sec"] == round(4.5 * 86400)
    assert rows["171"]["median_sec"] == round(3.5 * 86400)
    assert rows["310"]["median_sec"] is None and rows["310"]["total"] == 0
    _response, xml_data = xml_api.get("statistics/services")
    assert spec.same(data, xml_data)


def test_service_discovery(client):
    response = client.get("/open311/discovery.json")
    data = spec.parse(response)
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


@pytest.mark.parametrize(
    "path",
    ["/open311/v2/services.html", "/open311/v2/requests/abc.json", "/open311/v2/nothing.xml"],
)
def test_unknown_addresses_are_404_in_the_error_format(client, path):
    response = client.get(path)
    data = spec.parse(response)
    spec.check_errors(response, data, 404)


def test_the_specifications_error_example(xml_api, playground):
    """POST without a key: 403 with <errors><error><code>403</code>…"""
    response, data = xml_api.post("requests", [("service_code", "211"), ("description", "x" * 20)])
    [_description] = spec.check_errors(response, data, 403)
    assert data[0]["code"] == "403"


def test_other_methods_are_refused_in_the_error_format(client):
    response = client.delete("/open311/v2/requests.json")
    data = spec.parse(response)
    spec.check_errors(response, data, 405)
    assert response["Allow"] == "GET, POST"
