"""The catalogue of the open data in DCAT-AP (as Finland's avoindata.fi profile,
DCAT-AP-FI, uses it): the catalogue, one dataset per resource with its API and its
nightly download as distributions, and the API as a data service. Served at
/api/v1/catalog as JSON-LD, or as Turtle for ``Accept: text/turtle`` or
``?format=ttl``."""

import math

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from osallistu.core.site import absolute_url

from . import export, resources
from .throttling import AnonymousRateThrottle

LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
FREQUENCIES = {"daily": "DAILY", "weekly": "WEEKLY", "annual": "ANNUAL"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
EU_LANGUAGES = {"fi": "FIN", "sv": "SWE", "en": "ENG"}


def translated(graph, subject, predicate, text):
    """``text`` (a lazy translation or a function of none) in every language."""
    for code in LANGUAGES:
        with override(code):
            graph.add(
                (subject, predicate, Literal(str(text() if callable(text) else text), lang=code))
            )


def build():
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    api = absolute_url("/api/v1/")
    catalog = URIRef(absolute_url("/api/v1/catalog"))
    publisher = URIRef(absolute_url("/"))
    service = URIRef(api)
    manifest = export.manifest() or {"files": []}
    downloads = {entry["dataset"]: entry for entry in manifest["files"]}

    graph.add((publisher, RDF.type, FOAF.Agent))
    translated(graph, publisher, FOAF.name, lambda: _("City of Helsinki"))

    graph.add((catalog, RDF.type, DCAT.Catalog))
    translated(graph, catalog, DCTERMS.title, lambda: _("Osallistu open data"))
    translated(
        graph,
        catalog,
        DCTERMS.description,
        lambda: _(
            "Open data of the city's participation: participatory budgeting, surveys and "
            "hearings, residents' initiatives and city premises."
        ),
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, DCTERMS.license, LICENCE))
    graph.add((catalog, FOAF.homepage, URIRef(absolute_url("/fi/open-data/"))))
    for code in LANGUAGES:
        graph.add((catalog, DCTERMS.language, LANGUAGE[EU_LANGUAGES[code]]))
    graph.add((catalog, DCAT.service, service))
    if manifest.get("generated_at"):
        graph.add(
            (catalog, DCTERMS.modified, Literal(manifest["generated_at"], datatype=XSD.dateTime))
        )

    graph.add((service, RDF.type, DCAT.DataService))
    translated(graph, service, DCTERMS.title, lambda: _("Osallistu open data API"))
    graph.add((service, DCAT.endpointURL, URIRef(api)))
    graph.add((service, DCAT.endpointDescription, URIRef(absolute_url("/api/v1/schema/"))))
    graph.add((service, DCTERMS.license, LICENCE))
    graph.add((service, DCTERMS.publisher, publisher))

    for resource in resources.resources():
        dataset = URIRef(f"{catalog}#{resource.basename}")
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((service, DCAT.servesDataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(resource.basename)))
        translated(graph, dataset, DCTERMS.title, resource.title)
        translated(graph, dataset, DCTERMS.description, resource.description)
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCTERMS.accrualPeriodicity, FREQUENCY[FREQUENCIES[resource.frequency]]))
        graph.add((dataset, DCAT.landingPage, URIRef(absolute_url("/fi/open-data/"))))
        translated(graph, dataset, DCAT.keyword, resource.title)

        through_api = BNode()
        graph.add((dataset, DCAT.distribution, through_api))
        graph.add((through_api, RDF.type, DCAT.Distribution))
        translated(graph, through_api, DCTERMS.title, lambda: _("Through the API (JSON)"))
        graph.add((through_api, DCAT.accessURL, URIRef(absolute_url(f"/api/v1/{resource.name}/"))))
        graph.add((through_api, DCAT.accessService, service))
        graph.add((through_api, DCTERMS.format, FILE_TYPE.JSON))
        graph.add((through_api, DCAT.mediaType, Literal("application/json")))
        graph.add((through_api, DCTERMS.license, LICENCE))

        entry = downloads.get(resource.basename)
        if entry is not None:
            download = BNode()
            url = URIRef(export.file_url(entry["file"]))
            graph.add((dataset, DCAT.distribution, download))
            graph.add((download, RDF.type, DCAT.Distribution))
            translated(
                graph, download, DCTERMS.title, lambda: _("Nightly download (CSV and JSON in ZIP)")
            )
            graph.add((download, DCAT.accessURL, url))
            graph.add((download, DCAT.downloadURL, url))
            graph.add((download, DCTERMS.format, FILE_TYPE.ZIP))
            graph.add((download, DCAT.mediaType, Literal("application/zip")))
            graph.add(
                (download, DCAT.byteSize, Literal(entry["bytes"], datatype=XSD.nonNegativeInteger))
            )
            graph.add((download, DCTERMS.license, LICENCE))
            graph.add(
                (
                    download,
                    DCTERMS.modified,
                    Literal(manifest["generated_at"], datatype=XSD.dateTime),
                )
            )
    return graph


TURTLE = "text/turtle"
JSON_LD = "application/ld+json"


@require_safe
def catalog_view(request):
    throttle = AnonymousRateThrottle()
    if not throttle.allow_request(request, None):
        wait = max(1, math.ceil(throttle.wait() or 1))
        response = JsonResponse(
            {
                "code": "throttled",
                "message": _("Too many requests: try again in %(seconds)s seconds.")
                % {"seconds": wait},
            },
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    wants_turtle = request.GET.get("format") in ("ttl", "turtle") or (
        TURTLE in request.headers.get("Accept", "")
    )
    graph = build()
    if wants_turtle:
        return HttpResponse(
            graph.serialize(format="turtle"), content_type=f"{TURTLE}; charset=utf-8"
        )
    context = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF)}
    return HttpResponse(
        graph.serialize(format="json-ld", context=context, indent=1),
        content_type=f"{JSON_LD}; charset=utf-8",
    )
