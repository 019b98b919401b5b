"""The OpenAPI schema and the documentation page describe every endpoint, parameter and
field, in Finnish and in English (and Swedish)."""

import pytest

from osallistu.opendata import resources, schema

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_endpoint_parameter_and_field_is_described(language):
    operations = schema.operations(language)
    assert {operation["resource"].name for operation in operations} == set(resources.registry)
    for operation in operations:
        assert operation["summary"] and operation["description"], operation["path"]
        for kind in ("parameters", "fields"):
            for item in operation[kind]:
                assert item["description"].strip(), (operation["path"], kind, item["name"])


def test_finnish_descriptions_are_not_english_copies():
    english = {op["path"]: op for op in schema.operations("en")}
    for operation in schema.operations("fi"):
        same = english[operation["path"]]
        assert operation["description"] != same["description"], operation["path"]
        for mine, theirs in zip(operation["parameters"], same["parameters"], strict=True):
            assert mine["description"] != theirs["description"], (operation["path"], mine["name"])


def test_schema_is_served_in_the_language_asked_for(client):
    finnish = client.get("/api/v1/schema/", {"format": "json", "lang": "fi"})
    assert finnish.status_code == 200
    assert finnish["Content-Language"] == "fi"
    assert finnish.json()["info"]["title"] == "Osallistun avoin data"
    english = client.get("/api/v1/schema/", {"format": "json", "lang": "en"}).json()
    assert english["info"]["title"] == "Osallistu open data"
    assert "/api/v1/budgeting/plans/" in english["paths"]
    assert client.get("/api/v1/schema/", {"lang": "de"}).status_code == 400


def test_documentation_page_lists_every_resource(client):
    response = client.get("/en/open-data/api/")
    assert response.status_code == 200
    page = response.content.decode()
    for resource in resources.resources():
        assert f"/api/v1/{resource.name}/" in page
    assert "page_size" in page
