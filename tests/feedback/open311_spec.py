"""A GeoReport v2 client written from the specification (wiki.open311.org/GeoReport_v2),
not from our code: it builds the specification's addresses, reads XML and JSON by the
Spark convention the specification names, and checks each response against the fields
and values the specification's tables list. It imports nothing from the app.

The extensions checked are those of the 6Aika feedback API definition
(github.com/6aika/api-palaute: title, media_urls, request_history with the states
received, allocated, handling, done) inside ``extended_attributes``, as Helsinki's and
the 6Aika reference server's responses have them.
"""

import json
import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlencode

# "All date/time fields must be formatted in a common subset of ISO 8601 as per the w3
# note. Timezone information (either Z meaning UTC, or an HH:MM offset from UTC) must be
# included."
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")

# Containers and their items, from the specification's response tables ("⇊" lists).
LISTS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "media_urls": "media_url",
    "request_history": None,  # 6Aika: a list; its item element is the server's choice
    # The 6Aika reference server's statistics of handling times, and service discovery.
    "statistics": "service",
    "endpoints": "endpoint",
    "formats": "format",
}

SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST_FIELDS = {
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
HISTORY_STATES = {"received", "allocated", "handling", "done"}


class Open311Client:
    """Calls one GeoReport v2 endpoint (``base``, e.g. ``/open311/v2``) through a Django
    test client, in ``fmt`` ("json" or "xml")."""

    def __init__(self, http, base, fmt="json"):
        self.http = http
        self.base = base.rstrip("/")
        self.fmt = fmt

    def url(self, resource, **query):
        address = f"{self.base}/{resource}.{self.fmt}"
        return f"{address}?{urlencode(query, doseq=True)}" if query else address

    def get(self, resource, **query):
        response = self.http.get(self.url(resource, **query))
        return response, parse(response)

    def post(self, resource, body, files=None):
        """POST ``body`` (a list of pairs, so keys may repeat) form-encoded as the
        specification says, or as multipart when ``files`` are sent."""
        if files:
            data = {}
            for key, value in body:
                data.setdefault(key, []).append(value)
            data.update(files)
            response = self.http.post(self.url(resource), data)
        else:
            response = self.http.post(
                self.url(resource),
                urlencode(body),
                content_type="application/x-www-form-urlencoded; charset=utf-8",
            )
        return response, parse(response)


def parse(response):
    """The data of a JSON or XML response; checks the content type and encoding the
    specification gives for each."""
    content_type = response["Content-Type"].replace(" ", "").lower()
    text = response.content.decode("utf-8")
    if content_type.startswith("application/json"):
        assert content_type == "application/json;charset=utf-8", content_type
        return json.loads(text)
    assert content_type == "text/xml;charset=utf-8", content_type
    assert re.match(r'^<\?xml version="1.0" encoding="utf-8"\?>', text, re.I), text[:60]
    return _element(ElementTree.fromstring(text.encode("utf-8")))


def _element(element):
    children = list(element)
    if element.tag in LISTS:
        return [_element(child) for child in children]
    if not children:
        return element.text  # None for an empty element
    return {child.tag: _element(child) for child in children}


def same(json_data, xml_data):
    """Whether JSON and XML carry the same data: XML has only text, so numbers and
    booleans are compared as the text they would be, and null as an empty element."""

    def as_text(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict):
            return {key: as_text(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [as_text(inner) for inner in value]
        if value is None or value == "":
            return None
        return str(value)

    return as_text(json_data) == as_text(xml_data)


def _boolean(value):
    return value in (True, False, "true", "false")


def check_services(items):
    assert isinstance(items, list)
    for item in items:
        assert set(item) <= SERVICE_FIELDS and {"service_code", "service_name"} <= set(item)
        assert _boolean(item["metadata"])
        assert item["type"] in SERVICE_TYPES


def check_service_definition(definition):
    assert set(definition) == {"service_code", "attributes"}
    orders = []
    for attribute in definition["attributes"]:
        assert set(attribute) <= ATTRIBUTE_FIELDS
        assert _boolean(attribute["variable"]) and _boolean(attribute["required"])
        assert attribute["datatype"] in DATATYPES
        order = int(attribute["order"])
        assert order >= 1 and order not in orders  # "not used for other attributes"
        orders.append(order)
        for value in attribute.get("values") or []:
            assert set(value) == {"key", "name"}


def check_requests(items, *, extensions=False):
    assert isinstance(items, list)
    for item in items:
        fields = set(item) - {"extended_attributes"}
        assert fields <= REQUEST_FIELDS, fields - REQUEST_FIELDS
        assert {"service_request_id", "status", "service_code", "requested_datetime"} <= fields
        assert item["status"] in ("open", "closed")
        for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
            if item.get(name) is not None:
                assert W3C_DATETIME.match(item[name]), (name, item[name])
        if item.get("lat") is not None:
            assert -90 <= float(item["lat"]) <= 90 and -180 <= float(item["long"]) <= 180
        if item.get("description") is not None:
            assert "<" not in item["description"]  # "not html or code"
        if extensions:
            extended = item["extended_attributes"]
            assert isinstance(extended.get("media_urls") or [], list)
            for entry in extended.get("request_history") or []:
                assert W3C_DATETIME.match(entry["time"]) and entry["status"] in HISTORY_STATES
        else:
            assert "extended_attributes" not in item


def check_post_response(items):
    [item] = items
    # service_request_id or token, never both.
    assert ("service_request_id" in item) != ("token" in item)
    assert set(item) <= {"service_request_id", "token", "service_notice", "account_id"}
    return item


def check_token_response(items, token):
    [item] = items
    assert set(item) == {"service_request_id", "token"}
    assert str(item["token"]) == str(token)
    return item["service_request_id"]


def check_errors(response, data, status):
    """An error as the specification gives it: the HTTP status, and a list of code and
    description pairs in the body."""
    assert response.status_code == status, (response.status_code, data)
    assert isinstance(data, list) and data
    for error in data:
        assert set(error) == {"code", "description"}
        assert str(int(error["code"])) == str(error["code"])
        assert error["description"]
    return [error["description"] for error in data]
