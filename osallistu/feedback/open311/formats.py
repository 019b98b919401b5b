"""The two formats of the GeoReport v2 API: XML (which the specification requires) and
JSON (its Spark-convention mapping of the same tree), and its error format.

A response is built as plain data first: a list of items under a root element (or one
object under its root), each item a dict of names and values. Values are text,
numbers, booleans, None (an empty element, ``null`` in JSON), nested dicts, or lists,
whose XML element names are given in ``LIST_ITEMS``.
"""

import json
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# The element of each item of a list, by the list's name.
LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "media_urls": "media_url",
    "request_history": "event",
    "endpoints": "endpoint",
    "formats": "format",
}


def w3c(moment):
    """A datetime in the W3C form with its offset, in the city's time: 2026-05-14T09:30:00+03:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _fill(element, value, name):
    if value is None:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ElementTree.SubElement(element, key), inner, key)
    elif isinstance(value, list):
        item_name = LIST_ITEMS.get(name, "item")
        for inner in value:
            _fill(ElementTree.SubElement(element, item_name), inner, item_name)
    else:
        element.text = _text(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _json_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_json_value(inner) for inner in value]
    return value


def render(data, *, fmt, root, item=None, status=200, headers=None):
    """``data`` (a list of items named ``item``, or one object) as a response in ``fmt``
    ("json" or "xml") under the XML root element ``root``."""
    if fmt == "xml":
        tree = ElementTree.Element(root)
        if item is None:
            _fill(tree, data, root)
        else:
            for entry in data:
                _fill(ElementTree.SubElement(tree, item), entry, item)
        body = XML_DECLARATION + ElementTree.tostring(tree, encoding="unicode")
        response = HttpResponse(body, content_type=XML_TYPE, status=status)
    else:
        body = json.dumps(_json_value(data), ensure_ascii=False)
        response = HttpResponse(body, content_type=JSON_TYPE, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def errors(problems, *, fmt, status):
    """The specification's error response: ``problems`` are (code, description) pairs."""
    return render(
        [{"code": code, "description": str(description)} for code, description in problems],
        fmt=fmt,
        root="errors",
        item="error",
        status=status,
    )
