"""The conventions of the open data API: the envelope, paging, languages, links and
include=, filters, and errors as JSON."""

import datetime

import pytest
from django.utils import timezone

from osallistu.core import audit
from osallistu.opendata import resources
from osallistu.premises.models import Purpose

pytestmark = pytest.mark.django_db


def test_root_lists_every_resource_and_the_schema(client, helsinki):
    body = client.get("/api/v1/").json()
    assert set(body["resources"]) == {resource.name for resource in resources.resources()}
    assert body["resources"]["areas"]["@id"] == "http://testserver/api/v1/areas/"
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert "by/4.0" in body["licence"]


def test_areas_in_three_languages_with_links(client, helsinki):
    body = client.get("/api/v1/areas/", {"kind": "district"}).json()
    assert body["meta"] == {"count": 7, "next": None, "previous": None}
    central = next(area for area in body["data"] if area["id"] == "central")
    assert central["name"] == {"fi": "Keskinen", "sv": "Mellersta", "en": "Central"}
    assert central["@id"] == "http://testserver/api/v1/areas/central/"
    assert central["@type"] == "AdministrativeArea"


def test_postal_codes_link_their_district_and_include_it(client, helsinki):
    linked = client.get("/api/v1/postal-codes/00940/").json()
    assert linked["district"] == {"@id": "http://testserver/api/v1/areas/eastern/"}
    included = client.get("/api/v1/postal-codes/00940/", {"include": "district"}).json()
    assert included["district"]["name"]["sv"] == "Östra"
    codes = {
        row["code"]
        for row in client.get("/api/v1/postal-codes/", {"district": "eastern"}).json()["data"]
    }
    assert "00940" in codes
    assert "00100" not in codes


def test_pages_of_twenty_by_default_and_at_most_a_hundred(client, helsinki):
    Purpose.objects.bulk_create(
        Purpose(slug=f"purpose-{number:03d}", name_fi="x", name_sv="x", name_en="x")
        for number in range(130)
    )
    first = client.get("/api/v1/premises/purposes/").json()
    assert len(first["data"]) == 20
    assert first["meta"]["count"] == 130
    assert first["meta"]["previous"] is None
    assert first["meta"]["next"] == "http://testserver/api/v1/premises/purposes/?page=2"
    last = client.get("/api/v1/premises/purposes/", {"page_size": 100, "page": 2}).json()
    assert len(last["data"]) == 30
    assert last["meta"]["next"] is None
    assert last["data"][-1]["id"] == "purpose-129"
    for refused in ("101", "0", "many"):
        response = client.get("/api/v1/premises/purposes/", {"page_size": refused})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
        assert "page_size" in response.json()["errors"]
    beyond = client.get("/api/v1/premises/purposes/", {"page": 9})
    assert beyond.status_code == 404
    assert beyond.json()["code"] == "not_found"


def test_list_queries_do_not_grow_with_the_page(client, world, django_assert_max_num_queries):
    """One query for the count, one for the page, one per link (and per included link)."""
    from osallistu.budgeting.models import Proposal

    Proposal.objects.bulk_create(
        Proposal(
            round=world["round"],
            area=world["proposal"].area,
            title=f"Idea {number}",
            description="x",
            language="fi",
            theme="parks",
        )
        for number in range(60)
    )
    with django_assert_max_num_queries(3 + 3 + 2):
        response = client.get(
            "/api/v1/budgeting/proposals/", {"page_size": 100, "include": "round,area"}
        )
    assert len(response.json()["data"]) == 62


def test_filters_of_proposals(client, world):
    def ids(**query):
        return {
            row["id"] for row in client.get("/api/v1/budgeting/proposals/", query).json()["data"]
        }

    proposal = world["proposal"].pk
    assert proposal in ids(bbox="25.0,60.1,25.2,60.3")
    assert proposal not in ids(bbox="24.0,60.1,24.5,60.3")
    assert ids(round="omastadi", area="eastern", theme="parks") >= {proposal}
    assert ids(status="declined") == set()
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert ids(updated_since=later) == set()
    assert proposal in ids(updated_since="2020-01-01T00:00:00Z")


def test_updated_since_reads_the_audit_log(client, world):
    """A plan has no timestamp of its own: a change logged in the audit log counts."""
    later = timezone.now() + datetime.timedelta(minutes=5)

    def ids():
        query = {"updated_since": later.isoformat()}
        return {row["id"] for row in client.get("/api/v1/budgeting/plans/", query).json()["data"]}

    assert ids() == set()
    entry = audit.record(action="budgeting.plan_changed", target=world["funded"])
    entry.created_at = later + datetime.timedelta(seconds=1)
    entry.save(update_fields=["created_at"])
    assert ids() == {world["funded"].pk}


def test_times_with_any_offset_iso_8601_allows(client, world):
    """PostgreSQL takes no offset past ±15:59; the API reads every time as UTC first."""
    response = client.get("/api/v1/budgeting/rounds/", {"voting_from": "1278-02-20T12:36:32-23:03"})
    assert response.status_code == 200
    assert response.json()["meta"]["count"] == 1
    response = client.get(
        "/api/v1/budgeting/proposals/", {"updated_since": "0001-01-01T00:30:00+01:00"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"bbox": "1,2,3"},
        {"bbox": "25,61,24,60"},
        {"updated_since": "yesterday"},
        {"theme": "planets"},
        {"include": "author"},
    ],
)
def test_bad_parameters_are_a_400_in_json_in_the_clients_language(client, world, query):
    response = client.get("/api/v1/budgeting/proposals/", query, headers={"accept-language": "fi"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"] == "Pyynnön parametreissa on virheitä."
    assert set(body["errors"]) == set(query)


def test_unknown_addresses_and_methods_answer_in_json(client, helsinki):
    missing = client.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
    assert client.get("/api/v1/areas").status_code == 301
    refused = client.post("/api/v1/areas/", {})
    assert refused.status_code == 405
    assert refused.json()["code"] == "method_not_allowed"


def test_turnout_breakdowns_leave_out_groups_under_five(client, world):
    from osallistu.budgeting.models import Participation

    turnout = client.get("/api/v1/budgeting/turnout/omastadi/").json()
    assert turnout["voters"] == 6
    by_district = {row["group"]: row["voters"] for row in turnout["by_district"]}
    assert by_district["eastern"] == 6
    # Two of the six move to the Central district: 4 and 2 are both too few to show.
    moved = list(Participation.objects.values_list("pk", flat=True)[:2])
    central = world["unit"].district.__class__.objects.get(slug="central")
    Participation.objects.filter(pk__in=moved).update(home_district=central)
    turnout = client.get("/api/v1/budgeting/turnout/omastadi/").json()
    by_district = {row["group"]: row["voters"] for row in turnout["by_district"]}
    assert by_district["eastern"] is None
    assert by_district["central"] is None
    assert by_district["western"] == 0
    assert turnout["voters"] == 6


def test_population_under_five_is_null(client, world):
    counts = {
        (row["age_from"], row["count"])
        for row in client.get("/api/v1/population/", {"area": "eastern"}).json()["data"]
    }
    assert counts == {(0, None), (18, 80_000)}


def test_the_api_can_be_browsed_in_a_web_browser(client, world):
    root = client.get("/api/v1/", headers={"accept": "text/html"})
    assert root.status_code == 200
    assert root["Content-Type"].startswith("text/html")
    assert "budgeting/plans" in root.content.decode()
    plans = client.get("/api/v1/budgeting/plans/", headers={"accept": "text/html"})
    assert plans.status_code == 200
    assert "I-001" in plans.content.decode()


def test_numbers_beyond_what_the_database_holds_are_refused(client, world):
    huge = str(2**70)
    response = client.get("/api/v1/budgeting/plan-updates/", {"plan": huge})
    assert response.status_code == 400
    assert response.json()["errors"]["plan"]
    assert client.get(f"/api/v1/budgeting/plans/{huge}/").status_code == 404
    assert client.get("/api/v1/premises/spaces/", {"people": "1.5"}).status_code == 400
