"""The map of the city in templates (see osallistu/core/geo.py): ``{% load maps %}``.

``{% base_map as map %}``: the drawn base map, for ``core/map/input.html`` (a map to
click on) or ``core/map/basemap.html`` inside an ``<svg>``.

``{% map_of places as drawing %}``: the base map and where each place is on it.
``places`` is one object or a list of objects with ``latitude`` and ``longitude``
(``None`` when the object has no point); ``drawing.marks`` lists ``(place, x, y)`` of
those whose point lies on the map, in the order given.
"""

from dataclasses import dataclass

from django import template

from osallistu.core import geo

from ..maps import base_map

register = template.Library()


@dataclass
class Drawing:
    map: geo.BaseMap
    marks: list  # (place, x, y)


@register.simple_tag(name="base_map")
def base_map_tag():
    return base_map()


@register.simple_tag
def map_of(places):
    if hasattr(places, "latitude"):
        places = [places]
    base = base_map()
    frame = base.frame
    marks = []
    for place in places:
        if place.latitude is None or place.longitude is None:
            continue
        lon, lat = float(place.longitude), float(place.latitude)
        if base.contains(lon, lat):
            marks.append((place, *frame.xy(lon, lat)))
    return Drawing(map=base, marks=marks)
