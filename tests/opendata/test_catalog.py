"""The DCAT-AP catalogue, as JSON-LD and as Turtle, validated with SHACL shapes of the
mandatory properties."""

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef, namespace
from rdflib.compare import isomorphic

from osallistu.opendata import export, resources

pytestmark = pytest.mark.django_db

SHAPES = Graph().parse(Path(__file__).with_name("dcat_ap_shapes.ttl"), format="turtle")


def conforms(graph):
    ok, _report, text = validate(graph, shacl_graph=SHAPES, inference="none")
    return ok, text


@pytest.fixture
def exported(world, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    export.export_all()


def test_catalogue_as_json_ld_conforms(client, exported):
    response = client.get("/api/v1/catalog")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    graph = Graph().parse(data=response.content, format="json-ld")
    ok, report = conforms(graph)
    assert ok, report
    datasets = set(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))
    assert len(datasets) == len(resources.registry)
    downloads = list(graph.objects(None, namespace.DCAT.downloadURL))
    assert len(downloads) == len(resources.registry)
    assert all(str(url).startswith("http://testserver/open-data/files/") for url in downloads)


def test_catalogue_as_turtle_conforms_and_says_the_same(client, exported):
    turtle = client.get("/api/v1/catalog", headers={"accept": "text/turtle"})
    assert turtle["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.content, format="turtle")
    ok, report = conforms(graph)
    assert ok, report
    as_json = Graph().parse(data=client.get("/api/v1/catalog").content, format="json-ld")
    assert len(graph) == len(as_json)
    again = client.get("/api/v1/catalog", {"format": "ttl"}).content
    assert isomorphic(Graph().parse(data=again, format="turtle"), graph)


def test_titles_in_three_languages(client, helsinki):
    graph = Graph().parse(data=client.get("/api/v1/catalog").content, format="json-ld")
    dataset = next(
        s
        for s in graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset)
        if str(s).endswith("#areas")
    )
    titles = {
        title.language: str(title) for title in graph.objects(dataset, namespace.DCTERMS.title)
    }
    assert set(titles) == {"fi", "sv", "en"}
    assert titles["en"] == "Areas"
    assert titles["fi"] != titles["en"]


def test_the_shapes_catch_a_dataset_without_a_title(client, helsinki):
    graph = Graph().parse(data=client.get("/api/v1/catalog").content, format="json-ld")
    dataset = next(iter(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset)))
    graph.remove((dataset, namespace.DCTERMS.title, None))
    ok, report = conforms(graph)
    assert not ok
    assert "title" in report
    graph.remove((URIRef("http://testserver/api/v1/"), namespace.DCAT.endpointURL, None))
    assert not conforms(graph)[0]
