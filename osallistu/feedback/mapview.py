"""The public feedback map of a bounding box, drawn by the server: the box comes from the
address (``?bbox=west,south,east,north``, the same form as the API's), and links zoom
and pan it, so that the map works with a keyboard and without JavaScript."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from osallistu.areas.maps import base_map
from osallistu.core import geo

from .selectors import BoundingBox

CITY = BoundingBox(*(Decimal(str(value)) for value in geo.HELSINKI_BBOX))
# The smallest box the map zooms to: a few hundred metres.
MIN_SPAN = Decimal("0.005")


def parse_bbox(text):
    """A BoundingBox from ``west,south,east,north`` in degrees, or None when the text is
    not one (four numbers, west of east, south of north, on the globe)."""
    parts = (text or "").split(",")
    if len(parts) != 4:
        return None
    try:
        west, south, east, north = (Decimal(part.strip()) for part in parts)
    except InvalidOperation:
        return None
    if not all(value.is_finite() for value in (west, south, east, north)):
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return BoundingBox(
        *(value.quantize(Decimal("0.000001")) for value in (west, south, east, north))
    )


def bbox_text(box):
    return ",".join(
        format(value.normalize(), "f") for value in (box.west, box.south, box.east, box.north)
    )


def district_box(slug):
    """The box around a district's (approximate) outline, with a small margin."""
    ring = geo.DISTRICT_OUTLINES.get(slug)
    if ring is None:
        return None
    lons = [Decimal(str(lon)) for lon, _lat in ring]
    lats = [Decimal(str(lat)) for _lon, lat in ring]
    margin = Decimal("0.005")
    return BoundingBox(
        min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin
    )


def _inside_city(box):
    """``box`` moved (not resized) to lie inside the city's box, or the city's box when
    it is larger."""
    width, height = box.east - box.west, box.north - box.south
    if width >= CITY.east - CITY.west or height >= CITY.north - CITY.south:
        return CITY
    west = min(max(box.west, CITY.west), CITY.east - width)
    south = min(max(box.south, CITY.south), CITY.north - height)
    return BoundingBox(west, south, west + width, south + height)


@dataclass(frozen=True)
class MapLinks:
    zoom_in: str | None
    zoom_out: str | None
    north: str | None
    south: str | None
    west: str | None
    east: str | None


def links(box):
    """The bboxes (as text) of zooming in and out and panning half a view; None where
    the map cannot go further."""
    width, height = box.east - box.west, box.north - box.south
    centre_lon, centre_lat = (box.west + box.east) / 2, (box.south + box.north) / 2
    zoom_in = None
    if width / 2 >= MIN_SPAN and height / 2 >= MIN_SPAN:
        zoom_in = bbox_text(
            BoundingBox(
                centre_lon - width / 4,
                centre_lat - height / 4,
                centre_lon + width / 4,
                centre_lat + height / 4,
            )
        )
    zoom_out = None
    if box != CITY:
        zoom_out = bbox_text(
            _inside_city(
                BoundingBox(
                    centre_lon - width, centre_lat - height, centre_lon + width, centre_lat + height
                )
            )
        )

    def pan(dlon, dlat):
        moved = _inside_city(
            BoundingBox(box.west + dlon, box.south + dlat, box.east + dlon, box.north + dlat)
        )
        return None if moved == box else bbox_text(moved)

    return MapLinks(
        zoom_in=zoom_in,
        zoom_out=zoom_out,
        north=pan(0, height / 2),
        south=pan(0, -height / 2),
        west=pan(-width / 2, 0),
        east=pan(width / 2, 0),
    )


@dataclass
class Drawing:
    map: geo.BaseMap
    marks: list  # (feedback, x, y)


def drawing(box, feedback):
    """The base map of ``box`` and where each feedback with a point in it lies."""
    base = base_map(box.as_tuple())
    frame = base.frame
    marks = []
    for item in feedback:
        if item.latitude is None:
            continue
        lon, lat = float(item.longitude), float(item.latitude)
        if base.contains(lon, lat):
            marks.append((item, *frame.xy(lon, lat)))
    return Drawing(map=base, marks=marks)
