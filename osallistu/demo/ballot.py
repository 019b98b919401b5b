"""What voters look for on the demo ballot: each plan's neighbourhood, its place on the
map and, for most plans of the round in voting, a picture drawn here with Pillow, with
a description in Finnish, Swedish and English.

Demo plans are named after postal code areas; ``POSTAL_AREA_NEIGHBOURHOOD`` puts each
area in the neighbourhood (basic district) where most of it lies, by our own
judgement, as the postal code table itself is.
"""

import io
import math

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from osallistu.budgeting.models import PlanImage, Theme
from osallistu.budgeting.thumbnails import thumbnail
from osallistu.core import geo

POSTAL_AREA_NEIGHBOURHOOD = {
    "00100": "kampinmalmi",
    "00120": "ullanlinna",
    "00130": "ullanlinna",
    "00140": "ullanlinna",
    "00150": "ullanlinna",
    "00160": "vironniemi",
    "00170": "vironniemi",
    "00180": "kampinmalmi",
    "00190": "ullanlinna",
    "00200": "lauttasaari",
    "00210": "lauttasaari",
    "00220": "kampinmalmi",
    "00250": "taka-toolo",
    "00260": "taka-toolo",
    "00270": "reijola",
    "00280": "reijola",
    "00290": "reijola",
    "00300": "reijola",
    "00310": "haaga",
    "00320": "haaga",
    "00330": "munkkiniemi",
    "00340": "munkkiniemi",
    "00350": "munkkiniemi",
    "00360": "pitajanmaki",
    "00370": "pitajanmaki",
    "00380": "pitajanmaki",
    "00390": "pitajanmaki",
    "00400": "haaga",
    "00410": "kaarela",
    "00420": "kaarela",
    "00430": "kaarela",
    "00440": "haaga",
    "00230": "pasila",
    "00240": "pasila",
    "00500": "kallio",
    "00510": "alppiharju",
    "00520": "pasila",
    "00530": "kallio",
    "00540": "kallio",
    "00550": "vallila",
    "00560": "vanhakaupunki",
    "00580": "kallio",
    "00600": "vanhakaupunki",
    "00610": "vanhakaupunki",
    "00620": "maunula",
    "00630": "maunula",
    "00640": "oulunkyla",
    "00650": "oulunkyla",
    "00660": "lansi-pakila",
    "00670": "tuomarinkyla",
    "00680": "ita-pakila",
    "00690": "tuomarinkyla",
    "00700": "malmi",
    "00710": "latokartano",
    "00720": "pukinmaki",
    "00730": "malmi",
    "00740": "suutarila",
    "00750": "puistola",
    "00760": "puistola",
    "00770": "jakomaki",
    "00780": "suutarila",
    "00790": "latokartano",
    "00570": "kulosaari",
    "00800": "herttoniemi",
    "00810": "herttoniemi",
    "00820": "herttoniemi",
    "00830": "herttoniemi",
    "00840": "laajasalo",
    "00850": "laajasalo",
    "00860": "laajasalo",
    "00870": "laajasalo",
    "00880": "herttoniemi",
    "00890": "ostersundom",
    "00900": "vartiokyla",
    "00910": "vartiokyla",
    "00920": "myllypuro",
    "00930": "vartiokyla",
    "00940": "mellunkyla",
    "00950": "vartiokyla",
    "00960": "vuosaari",
    "00970": "mellunkyla",
    "00980": "vuosaari",
    "00990": "vuosaari",
}

# How far from a neighbourhood's middle a demo place may be, in degrees (about 700 m).
SPREAD = (0.012, 0.006)


def place_near(neighbourhood, rng, *, area=False):
    """A GeoJSON point near the middle of ``neighbourhood``, inside its district's
    outline on the drawn map; with ``area``, a small area around such a point."""
    lon0, lat0 = float(neighbourhood.longitude), float(neighbourhood.latitude)
    slug = neighbourhood.district.slug
    lon, lat = lon0, lat0
    for _ in range(20):
        candidate = (
            round(lon0 + rng.uniform(-SPREAD[0], SPREAD[0]), 6),
            round(lat0 + rng.uniform(-SPREAD[1], SPREAD[1]), 6),
        )
        if geo.district_of(*candidate) == slug:
            lon, lat = candidate
            break
    if not area:
        return {"type": "Point", "coordinates": [lon, lat]}
    corners = [
        [
            round(lon + 0.003 * math.cos(angle) * rng.uniform(0.7, 1.0), 6),
            round(lat + 0.0015 * math.sin(angle) * rng.uniform(0.7, 1.0), 6),
        ]
        for angle in (2 * math.pi * step / 6 for step in range(6))
    ]
    return {"type": "Polygon", "coordinates": [[*corners, corners[0]]]}


SKY = (190, 220, 240)
GRASS = (120, 180, 100)
DARK = (40, 40, 60)


def _sports(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=(200, 120, 80))
    draw.rounded_rectangle(
        (40, 40, width - 40, height - 40), 90, fill=GRASS, outline="white", width=6
    )
    draw.line((width // 2, 40, width // 2, height - 40), fill="white", width=4)
    draw.ellipse(
        (width // 2 - 45, height // 2 - 45, width // 2 + 45, height // 2 + 45),
        outline="white",
        width=4,
    )
    for _ in range(rng.randint(3, 6)):
        x, y = rng.randint(70, width - 70), rng.randint(70, height - 70)
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=(30, 60, 160))


def _parks(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=GRASS)
    draw.line((0, height * 0.7, width, height * 0.4), fill=(225, 205, 160), width=22)
    for _ in range(rng.randint(8, 16)):
        x, y, r = rng.randint(10, width - 10), rng.randint(10, height - 10), rng.randint(14, 26)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(40, 110, 60))
    for x in range(60, width, 140):
        draw.rectangle((x, height * 0.55, x + 40, height * 0.55 + 10), fill=(120, 80, 40))


def _culture(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=(30, 30, 80))
    draw.rectangle((60, height * 0.55, width - 60, height - 30), fill=(150, 90, 50))
    for x in (120, width // 2, width - 120):
        draw.polygon(
            [(x, 20), (x - 60, height * 0.55), (x + 60, height * 0.55)], fill=(250, 230, 120)
        )
    for _ in range(rng.randint(2, 4)):
        x = rng.randint(100, width - 100)
        draw.ellipse((x - 12, height * 0.55 - 50, x + 12, height * 0.55 - 26), fill=DARK)
        draw.rectangle((x - 10, height * 0.55 - 28, x + 10, height * 0.55), fill=DARK)


def _ecology(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=SKY)
    draw.rectangle((0, height * 0.7, width, height), fill=GRASS)
    draw.ellipse((width - 110, 20, width - 40, 90), fill=(250, 210, 60))
    for index, colour in enumerate(((40, 120, 60), (40, 80, 160), (200, 60, 60))):
        x = 80 + index * 110 + rng.randint(-10, 10)
        draw.rectangle((x, height * 0.45, x + 80, height * 0.78), fill=colour)
        draw.rectangle((x - 6, height * 0.42, x + 86, height * 0.47), fill=DARK)


def _learning(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=(240, 230, 210))
    for shelf in range(3):
        y = 40 + shelf * (height - 60) // 3
        draw.rectangle((30, y + 70, width - 30, y + 78), fill=(120, 80, 40))
        x = 40
        while x < width - 60:
            book = rng.randint(14, 30)
            colour = (rng.randint(40, 220), rng.randint(40, 200), rng.randint(40, 220))
            draw.rectangle((x, y + rng.randint(10, 25), x + book, y + 70), fill=colour)
            x += book + 3


def _built(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=SKY)
    draw.rectangle((0, height * 0.6, width, height), fill=(150, 150, 150))
    for x in range(-20, width, 80):
        draw.rectangle((x + 30, height * 0.78, x + 70, height * 0.8), fill="white")
    for x in range(50, width, rng.choice((110, 130, 150))):
        draw.rectangle((x, height * 0.2, x + 6, height * 0.6), fill=DARK)
        draw.ellipse((x - 10, height * 0.16, x + 16, height * 0.24), fill=(250, 230, 120))


def _wellbeing(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=(230, 230, 230))
    draw.rectangle((40, 40, width - 40, height - 40), fill=(80, 160, 220))
    for lane in range(1, rng.randint(4, 6)):
        y = 40 + lane * (height - 80) // 5
        draw.line((40, y, width - 40, y), fill=(250, 250, 250), width=3)


def _community(draw, rng, width, height):
    draw.rectangle((0, 0, width, height), fill=SKY)
    draw.rectangle((0, height * 0.75, width, height), fill=GRASS)
    draw.rectangle((width * 0.25, height * 0.4, width * 0.75, height * 0.75), fill=(200, 90, 70))
    draw.polygon(
        [(width * 0.2, height * 0.42), (width * 0.5, height * 0.12), (width * 0.8, height * 0.42)],
        fill=(110, 50, 40),
    )
    draw.rectangle((width * 0.46, height * 0.55, width * 0.54, height * 0.75), fill=DARK)
    for _ in range(rng.randint(3, 6)):
        x = rng.randint(20, width - 20)
        draw.ellipse((x - 9, height * 0.7, x + 9, height * 0.7 + 18), fill=DARK)


# theme: how it is drawn, and what the drawing shows in Finnish, Swedish and English
PICTURES = {
    Theme.SPORTS: (
        _sports,
        (
            "Piirros: pelikenttä viivoineen ja pelaajia kentällä.",
            "Teckning: en spelplan med linjer och spelare på planen.",
            "Drawing: a playing field with its lines and players on it.",
        ),
    ),
    Theme.PARKS: (
        _parks,
        (
            "Piirros ylhäältä: nurmikko, puita, polku ja penkkejä.",
            "Teckning uppifrån: gräsmatta, träd, en stig och bänkar.",
            "Drawing from above: a lawn, trees, a path and benches.",
        ),
    ),
    Theme.CULTURE: (
        _culture,
        (
            "Piirros: ulkolava valokeilassa ja esiintyjiä lavalla illalla.",
            "Teckning: en utomhusscen i strålkastarljus och artister på scenen på kvällen.",
            "Drawing: an outdoor stage in spotlights with performers on it in the evening.",
        ),
    ),
    Theme.ECOLOGY: (
        _ecology,
        (
            "Piirros: kolme värikästä kierrätysastiaa nurmella auringonpaisteessa.",
            "Teckning: tre färgglada återvinningskärl på gräset i solsken.",
            "Drawing: three colourful recycling bins on the grass in the sun.",
        ),
    ),
    Theme.LEARNING: (
        _learning,
        (
            "Piirros: kolme hyllyä täynnä värikkäitä kirjoja.",
            "Teckning: tre hyllor fulla av färgglada böcker.",
            "Drawing: three shelves full of colourful books.",
        ),
    ),
    Theme.BUILT: (
        _built,
        (
            "Piirros: katu suojatiemerkintöineen ja valaisinpylväitä.",
            "Teckning: en gata med övergångsställe och lyktstolpar.",
            "Drawing: a street with a pedestrian crossing and lamp posts.",
        ),
    ),
    Theme.WELLBEING: (
        _wellbeing,
        (
            "Piirros ylhäältä: uima-allas ja sen radat.",
            "Teckning uppifrån: en simbassäng med banor.",
            "Drawing from above: a swimming pool with its lanes.",
        ),
    ),
    Theme.COMMUNITY: (
        _community,
        (
            "Piirros: punainen talo, jonka edessä on ihmisiä nurmella.",
            "Teckning: ett rött hus med människor på gräset framför.",
            "Drawing: a red house with people on the grass in front of it.",
        ),
    ),
}

WIDTH, HEIGHT = 480, 320


def picture(theme, rng):
    """A PNG drawing of the theme, a little different each time."""
    draw_theme, _alt = PICTURES[theme]
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw_theme(ImageDraw.Draw(image), rng, WIDTH, HEIGHT)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def add_pictures(plans, rng, share):
    """A drawing for about ``share`` of ``plans``, as staff would add it (the round is in
    voting, which ``services.add_plan_image`` refuses: pictures come before voting)."""
    for plan in plans:
        if rng.random() >= share:
            continue
        content = picture(plan.theme, rng)
        small, width, height = thumbnail(content, "png")
        fi, sv, en = PICTURES[plan.theme][1]
        image = PlanImage(
            plan=plan,
            position=1,
            thumbnail_width=width,
            thumbnail_height=height,
            alt_text_fi=fi,
            alt_text_sv=sv,
            alt_text_en=en,
        )
        image.image.save("image.png", ContentFile(content), save=False)
        image.thumbnail.save("small.png", ContentFile(small), save=False)
        image.save()
