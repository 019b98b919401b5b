import pytest

pytestmark = pytest.mark.django_db


def test_areas_are_open_data_in_three_languages(client, helsinki):
    response = client.get("/api/v1/areas/?kind=district")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    central = next(area for area in body["results"] if area["slug"] == "central")
    assert (central["name_fi"], central["name_sv"], central["name_en"]) == (
        "Keskinen",
        "Mellersta",
        "Central",
    )
    assert "00530" in central["postal_codes"]


def test_postal_codes_filter_by_district(client, helsinki):
    response = client.get("/api/v1/postal-codes/?district__slug=eastern")
    codes = {row["code"] for row in response.json()["results"]}
    assert "00940" in codes
    assert "00100" not in codes


def test_bad_filter_value_is_a_clear_400_in_the_users_language(client, helsinki):
    response = client.get("/api/v1/areas/?kind=planet", headers={"accept-language": "sv"})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.json()["kind"][0]


def test_openapi_schema_describes_the_api(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/areas/" in response.json()["paths"]
