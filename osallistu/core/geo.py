"""Maps drawn without a tile server: survey map questions and results, hearing
comments, and the places of budgeting proposals.

The base map is the seven major districts of Helsinki as polygons in longitude and
latitude. The outlines are **approximate**: drawn by hand from the districts' postal
code areas to about a kilometre, good for seeing where a place is, not for
deciding which district it belongs to officially. Nothing here is downloaded.

Coordinates are WGS84, longitude first (as in GeoJSON). Drawing uses the Web Mercator
projection, the one tile servers use, so that a deployment can lay map tiles under
the same drawing (``MAP_TILES_URL``, empty by default: then nothing at all is loaded
from elsewhere). Everything here is pure: no database, no requests; the base map with
the districts' names is ``osallistu.areas.maps.base_map``.

Templates: ``core/map/basemap.html`` draws a ``BaseMap`` inside an ``<svg>``;
``core/map/input.html`` is a map to click on, worked by ``core/map.js`` and styled by
``core/map.css``.
"""

import math
from dataclasses import dataclass, field

# [west, south, east, north]: the city's land and sea area with its islands.
HELSINKI_BBOX = (24.78, 60.10, 25.26, 60.30)

# Approximate outlines, (longitude, latitude), shared corners so that neighbours meet.
DISTRICT_OUTLINES = {
    "southern": (
        (24.850, 60.165),
        (24.870, 60.146),
        (24.950, 60.148),
        (24.985, 60.140),
        (25.000, 60.160),
        (24.960, 60.174),
        (24.935, 60.190),
        (24.905, 60.188),
        (24.880, 60.170),
    ),
    "western": (
        (24.880, 60.170),
        (24.905, 60.188),
        (24.935, 60.190),
        (24.930, 60.215),
        (24.910, 60.235),
        (24.900, 60.260),
        (24.870, 60.275),
        (24.830, 60.255),
        (24.830, 60.225),
        (24.850, 60.200),
        (24.860, 60.183),
    ),
    "central": (
        (24.935, 60.190),
        (24.960, 60.174),
        (25.000, 60.180),
        (25.020, 60.200),
        (25.010, 60.215),
        (24.975, 60.225),
        (24.930, 60.215),
    ),
    "northern": (
        (24.930, 60.215),
        (24.975, 60.225),
        (25.000, 60.235),
        (25.000, 60.260),
        (24.970, 60.280),
        (24.930, 60.285),
        (24.900, 60.260),
        (24.910, 60.235),
    ),
    "north-eastern": (
        (24.975, 60.225),
        (25.010, 60.215),
        (25.050, 60.215),
        (25.090, 60.230),
        (25.100, 60.270),
        (25.080, 60.295),
        (25.020, 60.298),
        (24.970, 60.280),
        (25.000, 60.260),
        (25.000, 60.235),
    ),
    "south-eastern": (
        (25.000, 60.180),
        (25.030, 60.165),
        (25.050, 60.140),
        (25.100, 60.130),
        (25.120, 60.150),
        (25.100, 60.180),
        (25.090, 60.200),
        (25.050, 60.215),
        (25.010, 60.215),
        (25.020, 60.200),
    ),
    "eastern": (
        (25.050, 60.215),
        (25.090, 60.200),
        (25.100, 60.180),
        (25.140, 60.185),
        (25.200, 60.200),
        (25.255, 60.220),
        (25.250, 60.260),
        (25.180, 60.272),
        (25.100, 60.270),
        (25.090, 60.230),
    ),
}


def _mercator(lat):
    """The Web Mercator y of ``lat`` in radians of longitude."""
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@dataclass(frozen=True)
class Frame:
    """A map of ``bbox`` drawn ``width`` units wide, north up."""

    bbox: tuple
    width: int = 600

    @property
    def height(self):
        west, south, east, north = self.bbox
        return round(self.width * (_mercator(north) - _mercator(south)) / math.radians(east - west))

    def xy(self, lon, lat):
        west, south, east, north = self.bbox
        top, bottom = _mercator(north), _mercator(south)
        return (
            self.width * (lon - west) / (east - west),
            self.height * (top - _mercator(lat)) / (top - bottom),
        )

    def path(self, ring):
        """An SVG path of a closed ring of (lon, lat) positions."""
        parts = []
        for index, (lon, lat) in enumerate(ring):
            x, y = self.xy(lon, lat)
            parts.append(f"{'M' if index == 0 else 'L'}{x:.1f} {y:.1f}")
        return "".join(parts) + "Z"

    def dots(self, points):
        """One SVG path of every (lon, lat) point as a zero-length segment, drawn as a
        dot by a round line cap: one element however many points."""
        parts = []
        for lon, lat in points:
            x, y = self.xy(lon, lat)
            parts.append(f"M{x:.1f} {y:.1f}h0")
        return "".join(parts)

    def tiles(self, url, tile_size=256):
        """Web Mercator tiles that cover the frame: (address, x, y, size) with the
        zoom whose tiles come closest to ``tile_size`` units. ``url`` has {z}, {x}
        and {y} in it, as tile servers take them."""
        west, south, east, north = self.bbox
        scale = self.width / math.radians(east - west)  # units per radian of Mercator
        zoom = max(0, min(19, round(math.log2(scale * 2 * math.pi / tile_size))))
        count = 2**zoom
        size = scale * 2 * math.pi / count
        top = _mercator(north)

        def column(lon):
            return math.floor((lon + 180) / 360 * count)

        def row(lat):
            return math.floor((1 - _mercator(lat) / math.pi) / 2 * count)

        placed = []
        for tile_y in range(row(north), row(south) + 1):
            for tile_x in range(column(west), column(east) + 1):
                x = self.width * ((tile_x / count * 360 - 180) - west) / (east - west)
                y = scale * (top - math.pi * (1 - 2 * tile_y / count))
                address = url.replace("{z}", str(zoom)).replace("{x}", str(tile_x))
                placed.append((address.replace("{y}", str(tile_y)), x, y, size))
        return placed


def point_in_ring(lon, lat, ring):
    """Is (lon, lat) inside the ring (even-odd rule)? Points on an edge may go either way."""
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index]
        x2, y2 = ring[(index + 1) % count]
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def district_of(lon, lat):
    """The slug of the district (by the approximate outlines) that (lon, lat) is in, or None."""
    for slug, ring in DISTRICT_OUTLINES.items():
        if point_in_ring(lon, lat, ring):
            return slug
    return None


def centroid(ring):
    """The mean of a ring's corners (the closing corner counted once): enough to say
    which district an area mostly lies in."""
    corners = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    return (
        sum(corner[0] for corner in corners) / len(corners),
        sum(corner[1] for corner in corners) / len(corners),
    )


def ring_area(ring):
    """Twice the signed area of a ring in square degrees (shoelace formula)."""
    return sum(
        ring[index][0] * ring[index + 1][1] - ring[index + 1][0] * ring[index][1]
        for index in range(len(ring) - 1)
    )


def _orientation(a, b, c):
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (value > 0) - (value < 0)


def _on_segment(a, b, c):
    """Is c, collinear with a and b, within the segment a–b?"""
    return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])


def _segments_cross(a, b, c, d):
    first, second = _orientation(a, b, c), _orientation(a, b, d)
    third, fourth = _orientation(c, d, a), _orientation(c, d, b)
    if first != second and third != fourth:
        return True
    return (
        (first == 0 and _on_segment(a, b, c))
        or (second == 0 and _on_segment(a, b, d))
        or (third == 0 and _on_segment(c, d, a))
        or (fourth == 0 and _on_segment(c, d, b))
    )


def ring_crosses_itself(ring):
    """Does the closed ring (first position repeated last) cross or touch itself
    anywhere but where neighbouring edges meet? Edges are swept from west to east, so
    only edges whose longitudes overlap are compared: quick for the rings people draw,
    however many corners they have."""
    count = len(ring) - 1
    edges = sorted(
        (
            min(ring[index][0], ring[index + 1][0]),
            max(ring[index][0], ring[index + 1][0]),
            index,
        )
        for index in range(count)
    )
    for position, (_west, east, first) in enumerate(edges):
        a, b = ring[first], ring[first + 1]
        low, high = min(a[1], b[1]), max(a[1], b[1])
        for other_west, _other_east, second in edges[position + 1 :]:
            if other_west > east:
                break
            if abs(first - second) == 1 or abs(first - second) == count - 1:
                continue  # neighbours share a corner
            c, d = ring[second], ring[second + 1]
            if max(c[1], d[1]) < low or min(c[1], d[1]) > high:
                continue
            if _segments_cross(a, b, c, d):
                return True
    return False


@dataclass
class BaseMap:
    """The drawn map of ``bbox``: its size, the districts (name, SVG path, label
    position) and, in ``bbox_text``, the bounds for the script that turns clicks into
    coordinates."""

    width: int
    height: int
    bbox: tuple
    districts: list  # dicts: slug, name, d (SVG path), x and y (label)
    tiles: list = field(default_factory=list)  # (address, x, y, size) under the districts
    attribution: str = ""

    @property
    def bbox_text(self):
        return ",".join(str(value) for value in self.bbox)

    @property
    def frame(self):
        return Frame(self.bbox, self.width)

    def contains(self, lon, lat):
        west, south, east, north = self.bbox
        return west <= lon <= east and south <= lat <= north
