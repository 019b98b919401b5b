"""The drawn base map of the city, or of one district, with the districts' names in the
current language."""

from django.conf import settings

from osallistu.core import geo

from .models import Area


def base_map(bbox=None, width=600):
    """The base map of ``bbox`` (Helsinki when None), with the districts' names in the
    current language: one query."""
    frame = geo.Frame(tuple(bbox or geo.HELSINKI_BBOX), width)
    names = dict(
        Area.objects.filter(slug__in=list(geo.DISTRICT_OUTLINES)).values_list("slug", "name")
    )
    districts = []
    for slug, ring in geo.DISTRICT_OUTLINES.items():
        x, y = frame.xy(*geo.centroid(ring))
        districts.append(
            {"slug": slug, "name": names.get(slug, ""), "d": frame.path(ring), "x": x, "y": y}
        )
    tiles_url = settings.MAP_TILES_URL
    return geo.BaseMap(
        width=frame.width,
        height=frame.height,
        bbox=frame.bbox,
        districts=districts,
        tiles=frame.tiles(tiles_url) if tiles_url else [],
        attribution=settings.MAP_TILES_ATTRIBUTION if tiles_url else "",
    )


# Degrees of longitude and latitude around a district on its own map.
DISTRICT_MARGIN = (0.012, 0.006)


def district_map(slug, width=600):
    """The base map around the district ``slug`` (Helsinki for an unknown one)."""
    ring = geo.DISTRICT_OUTLINES.get(slug)
    if ring is None:
        return base_map(width=width)
    west, south = min(lon for lon, _ in ring), min(lat for _, lat in ring)
    east, north = max(lon for lon, _ in ring), max(lat for _, lat in ring)
    margin_lon, margin_lat = DISTRICT_MARGIN
    return base_map(
        (west - margin_lon, south - margin_lat, east + margin_lon, north + margin_lat), width
    )
