"""Plans' places as people write them and as the small maps draw them."""

import re
from decimal import Decimal, InvalidOperation

from osallistu.areas.maps import base_map

# A number as people write it: a comma or a point for decimals, maybe a minus sign.
NUMBER = re.compile(r"[-\u2212]?\d+(?:[.,]\d+)?")


def read_positions(text):
    """``[(latitude, longitude)]`` of the lines of ``text``, each "60,2101 25,1432",
    "60.2101, 25.1432" or "60,2101; 25,1432"; None if a line does not read as two
    numbers. Empty lines are skipped."""
    positions = []
    for line in text.splitlines():
        if not line.strip():
            continue
        numbers = NUMBER.findall(line.replace("\u00a0", " "))
        rest = NUMBER.sub("", line)
        if len(numbers) != 2 or rest.strip(" \t,;") != "":
            return None
        try:
            latitude, longitude = (
                Decimal(number.replace(",", ".").replace("\u2212", "-")) for number in numbers
            )
        except InvalidOperation:
            return None
        positions.append((latitude, longitude))
    return positions


def geometry_of(positions, *, area):
    """GeoJSON of ``[(latitude, longitude)]``: the corners of an area, or points."""
    coordinates = [[float(longitude), float(latitude)] for latitude, longitude in positions]
    if area:
        return {"type": "Polygon", "coordinates": [[*coordinates, coordinates[0]]]}
    return {"type": "MultiPoint", "coordinates": coordinates}


def written_positions(plan, language):
    """The plan's points or corners, one "latitude longitude" per line, with a decimal
    comma in Finnish and Swedish."""
    comma = language in ("fi", "sv")

    def number(value):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if comma else text

    return "\n".join(f"{number(lat)} {number(lon)}" for lon, lat in plan.place_points)


def place_drawings(plans):
    """``{plan id: {"map", "points": [(x, y)], "area": SVG path}}`` of the plans with a
    place, on one small map of Helsinki."""
    base = base_map()
    frame = base.frame
    drawings = {}
    for plan in plans:
        points = [point for point in plan.place_points if base.contains(*point)]
        if not points:
            continue
        drawings[plan.pk] = {
            "map": base,
            "points": [] if plan.place_is_area else [frame.xy(*point) for point in points],
            "area": frame.path(plan.place_points) if plan.place_is_area else "",
        }
    return drawings
