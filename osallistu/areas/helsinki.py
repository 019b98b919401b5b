"""Helsinki's seven major districts, their neighbourhoods (basic districts) and an
approximate postal code table.

Names are official (fi/sv/en). Populations are approximate: the city's total in
2024 (about 674,500) split in the proportions of the city's round-4 district
budgets, which the city sets by population. The postal code table is our own
approximation: postal code areas do not follow district borders, so each code
is put where most of its residents live, and every row is marked approximate.
A city with official tables replaces both through the admin or this loader.

``load_helsinki_population`` adds population figures by age band and gender for the
same year, every row marked approximate: each district's approximate population split
by Helsinki's age structure (the shares below, rounded from the city's statistics)
and, within each band, by the share of women. They are demo figures for the pages that
need population (initiative thresholds, monitoring), not statistics.

Neighbourhoods are the city's 34 basic districts (peruspiirit) with their official
numbers and Finnish and Swedish names (English uses the Finnish one, as the city
does). Their middle points are our own approximation, within the approximate
district outlines of the drawn map (``osallistu/core/geo.py``).
Östersundom is the city's eighth major district; here, with seven, it belongs to the
Eastern one, and its row is marked approximate, as is Reijola, whose Swedish name we
could not confirm.
"""

from decimal import Decimal

from django.db import transaction

from .models import Area, Gender, Neighbourhood, Population, PostalCode

CITY = {
    "slug": "helsinki",
    "number": 0,
    "fi": "Koko Helsinki",
    "sv": "Hela Helsingfors",
    "en": "All of Helsinki",
}

# slug, number, fi, sv, en, approximate population
DISTRICTS = [
    ("southern", 1, "Eteläinen", "Södra", "Southern", 126_000),
    ("western", 2, "Läntinen", "Västra", "Western", 116_200),
    ("central", 3, "Keskinen", "Mellersta", "Central", 106_100),
    ("northern", 4, "Pohjoinen", "Norra", "Northern", 44_900),
    ("north-eastern", 5, "Koillinen", "Nordöstra", "North-Eastern", 103_300),
    ("south-eastern", 6, "Kaakkoinen", "Sydöstra", "South-Eastern", 59_500),
    ("eastern", 7, "Itäinen", "Östra", "Eastern", 118_500),
]
POPULATION_YEAR = 2024

# Age band (upper end inclusive, None: and over), its share of the residents and the
# share of women in it: Helsinki's age structure, rounded.
AGE_STRUCTURE = [
    (0, 12, 0.120, 0.49),
    (13, 17, 0.043, 0.49),
    (18, 29, 0.185, 0.52),
    (30, 49, 0.300, 0.50),
    (50, 64, 0.172, 0.51),
    (65, 74, 0.095, 0.55),
    (75, None, 0.085, 0.62),
]
POPULATION_SOURCE = "Approximation from the city's totals and age structure (demo)"

# number, slug, Finnish name, Swedish name, district slug, (latitude, longitude) of its
# middle (approximate), approximate row
NEIGHBOURHOODS = [
    (101, "vironniemi", "Vironniemi", "Estnäs", "southern", (60.1705, 24.9590), False),
    (102, "ullanlinna", "Ullanlinna", "Ulrikasborg", "southern", (60.1585, 24.9450), False),
    (103, "kampinmalmi", "Kampinmalmi", "Kampmalmen", "southern", (60.1660, 24.9250), False),
    (104, "taka-toolo", "Taka-Töölö", "Bortre Tölö", "southern", (60.1840, 24.9200), False),
    (105, "lauttasaari", "Lauttasaari", "Drumsö", "southern", (60.1585, 24.8760), False),
    (201, "reijola", "Reijola", "Reijola", "western", (60.1930, 24.9050), True),
    (202, "munkkiniemi", "Munkkiniemi", "Munksnäs", "western", (60.1990, 24.8760), False),
    (203, "haaga", "Haaga", "Haga", "western", (60.2200, 24.8950), False),
    (204, "pitajanmaki", "Pitäjänmäki", "Sockenbacka", "western", (60.2230, 24.8600), False),
    (205, "kaarela", "Kaarela", "Kårböle", "western", (60.2480, 24.8800), False),
    (301, "kallio", "Kallio", "Berghäll", "central", (60.1840, 24.9530), False),
    (302, "alppiharju", "Alppiharju", "Åshöjden", "central", (60.1900, 24.9420), False),
    (303, "vallila", "Vallila", "Vallgård", "central", (60.1960, 24.9610), False),
    (304, "pasila", "Pasila", "Böle", "central", (60.2010, 24.9350), False),
    (305, "vanhakaupunki", "Vanhakaupunki", "Gammelstaden", "central", (60.2120, 24.9700), False),
    (401, "maunula", "Maunula", "Månsas", "northern", (60.2310, 24.9260), False),
    (402, "lansi-pakila", "Länsi-Pakila", "Västra Baggböle", "northern", (60.2470, 24.9300), False),
    (403, "tuomarinkyla", "Tuomarinkylä", "Domarby", "northern", (60.2650, 24.9550), False),
    (404, "oulunkyla", "Oulunkylä", "Åggelby", "northern", (60.2290, 24.9650), False),
    (405, "ita-pakila", "Itä-Pakila", "Östra Baggböle", "northern", (60.2460, 24.9600), False),
    (501, "latokartano", "Latokartano", "Ladugården", "north-eastern", (60.2300, 25.0250), False),
    (502, "pukinmaki", "Pukinmäki", "Bocksbacka", "north-eastern", (60.2440, 25.0050), False),
    (503, "malmi", "Malmi", "Malm", "north-eastern", (60.2520, 25.0150), False),
    (504, "suutarila", "Suutarila", "Skomakarböle", "north-eastern", (60.2780, 25.0050), False),
    (505, "puistola", "Puistola", "Parkstad", "north-eastern", (60.2750, 25.0400), False),
    (506, "jakomaki", "Jakomäki", "Jakobacka", "north-eastern", (60.2600, 25.0800), False),
    (601, "kulosaari", "Kulosaari", "Brändö", "south-eastern", (60.1860, 25.0080), False),
    (602, "herttoniemi", "Herttoniemi", "Hertonäs", "south-eastern", (60.1950, 25.0400), False),
    (603, "laajasalo", "Laajasalo", "Degerö", "south-eastern", (60.1650, 25.0550), False),
    (701, "vartiokyla", "Vartiokylä", "Botby", "eastern", (60.2130, 25.0900), False),
    (702, "myllypuro", "Myllypuro", "Kvarnbäcken", "eastern", (60.2200, 25.0800), False),
    (703, "mellunkyla", "Mellunkylä", "Mellungsby", "eastern", (60.2380, 25.1050), False),
    (704, "vuosaari", "Vuosaari", "Nordsjö", "eastern", (60.2100, 25.1450), False),
    (801, "ostersundom", "Östersundom", "Östersundom", "eastern", (60.2550, 25.1900), True),
]

# code, Finnish name, Swedish name, district slug
POSTAL_CODES = [
    ("00100", "Helsinki keskusta", "Helsingfors centrum", "southern"),
    ("00120", "Punavuori", "Rödbergen", "southern"),
    ("00130", "Kaartinkaupunki", "Gardesstaden", "southern"),
    ("00140", "Kaivopuisto", "Brunnsparken", "southern"),
    ("00150", "Eira", "Eira", "southern"),
    ("00160", "Katajanokka", "Skatudden", "southern"),
    ("00170", "Kruununhaka", "Kronohagen", "southern"),
    ("00180", "Kamppi", "Kampen", "southern"),
    ("00190", "Suomenlinna", "Sveaborg", "southern"),
    ("00200", "Lauttasaari", "Drumsö", "southern"),
    ("00210", "Vattuniemi", "Vattenudden", "southern"),
    ("00220", "Jätkäsaari", "Busholmen", "southern"),
    ("00250", "Taka-Töölö", "Bortre Tölö", "southern"),
    ("00260", "Keski-Töölö", "Mellersta Tölö", "southern"),
    ("00270", "Pohjois-Meilahti", "Norra Mejlans", "western"),
    ("00280", "Ruskeasuo", "Brunakärr", "western"),
    ("00290", "Meilahti", "Mejlans", "western"),
    ("00300", "Pikku Huopalahti", "Lillhoplax", "western"),
    ("00310", "Kivihaka", "Stenhagen", "western"),
    ("00320", "Etelä-Haaga", "Södra Haga", "western"),
    ("00330", "Munkkiniemi", "Munksnäs", "western"),
    ("00340", "Kuusisaari", "Granö", "western"),
    ("00350", "Munkkivuori", "Munkshöjden", "western"),
    ("00360", "Pajamäki", "Smedjebacka", "western"),
    ("00370", "Reimarla", "Reimars", "western"),
    ("00380", "Pitäjänmäki", "Sockenbacka", "western"),
    ("00390", "Konala", "Kånala", "western"),
    ("00400", "Pohjois-Haaga", "Norra Haga", "western"),
    ("00410", "Malminkartano", "Malmgård", "western"),
    ("00420", "Kannelmäki", "Gamlas", "western"),
    ("00430", "Maununneva", "Magnuskärr", "western"),
    ("00440", "Lassila", "Lassas", "western"),
    ("00230", "Ilmala", "Ilmala", "central"),
    ("00240", "Länsi-Pasila", "Västra Böle", "central"),
    ("00500", "Sörnäinen", "Sörnäs", "central"),
    ("00510", "Alppila", "Alphyddan", "central"),
    ("00520", "Itä-Pasila", "Östra Böle", "central"),
    ("00530", "Kallio", "Berghäll", "central"),
    ("00540", "Kalasatama", "Fiskehamnen", "central"),
    ("00550", "Vallila", "Vallgård", "central"),
    ("00560", "Toukola", "Majstad", "central"),
    ("00580", "Verkkosaari", "Nätholmen", "central"),
    ("00600", "Koskela", "Forsby", "central"),
    ("00610", "Käpylä", "Kottby", "central"),
    ("00620", "Metsälä", "Skogshöjd", "northern"),
    ("00630", "Maunula", "Månsas", "northern"),
    ("00640", "Oulunkylä", "Åggelby", "northern"),
    ("00650", "Veräjämäki", "Grindbacka", "northern"),
    ("00660", "Länsi-Pakila", "Västra Baggböle", "northern"),
    ("00670", "Paloheinä", "Svedängen", "northern"),
    ("00680", "Itä-Pakila", "Östra Baggböle", "northern"),
    ("00690", "Tuomarinkylä", "Domarby", "northern"),
    ("00700", "Malmi", "Malm", "north-eastern"),
    ("00710", "Pihlajamäki", "Rönnbacka", "north-eastern"),
    ("00720", "Pukinmäki", "Bocksbacka", "north-eastern"),
    ("00730", "Tapanila", "Mosabacka", "north-eastern"),
    ("00740", "Siltamäki", "Brobacka", "north-eastern"),
    ("00750", "Puistola", "Parkstad", "north-eastern"),
    ("00760", "Suurmetsä", "Storskog", "north-eastern"),
    ("00770", "Jakomäki", "Jakobacka", "north-eastern"),
    ("00780", "Tapaninvainio", "Staffansslätten", "north-eastern"),
    ("00790", "Viikki", "Vik", "north-eastern"),
    ("00570", "Kulosaari", "Brändö", "south-eastern"),
    ("00800", "Herttoniemi", "Hertonäs", "south-eastern"),
    ("00810", "Herttoniemenranta", "Hertonäs strand", "south-eastern"),
    ("00820", "Roihuvuori", "Kasberget", "south-eastern"),
    ("00830", "Tammisalo", "Tammelund", "south-eastern"),
    ("00840", "Laajasalo", "Degerö", "south-eastern"),
    ("00850", "Jollas", "Jollas", "south-eastern"),
    ("00860", "Santahamina", "Sandhamn", "south-eastern"),
    ("00870", "Etelä-Laajasalo", "Södra Degerö", "south-eastern"),
    ("00880", "Roihupelto", "Kasåkern", "south-eastern"),
    ("00890", "Östersundom", "Östersundom", "eastern"),
    ("00900", "Puotinharju", "Botbyåsen", "eastern"),
    ("00910", "Puotila", "Botby gård", "eastern"),
    ("00920", "Myllypuro", "Kvarnbäcken", "eastern"),
    ("00930", "Itäkeskus", "Östra centrum", "eastern"),
    ("00940", "Kontula", "Gårdsbacka", "eastern"),
    ("00950", "Vartioharju", "Botbyhöjden", "eastern"),
    ("00960", "Pohjois-Vuosaari", "Norra Nordsjö", "eastern"),
    ("00970", "Mellunmäki", "Mellungsbacka", "eastern"),
    ("00980", "Etelä-Vuosaari", "Södra Nordsjö", "eastern"),
    ("00990", "Aurinkolahti", "Solvik", "eastern"),
]


@transaction.atomic
def load_helsinki_areas():
    """Create or update the city, its districts, their neighbourhoods and postal codes.
    Safe to run again."""
    city, _ = Area.objects.update_or_create(
        slug=CITY["slug"],
        defaults={
            "kind": Area.Kind.CITY,
            "number": CITY["number"],
            "name_fi": CITY["fi"],
            "name_sv": CITY["sv"],
            "name_en": CITY["en"],
        },
    )
    districts = {}
    for slug, number, fi, sv, en, _population in DISTRICTS:
        districts[slug], _ = Area.objects.update_or_create(
            slug=slug,
            defaults={
                "kind": Area.Kind.DISTRICT,
                "number": number,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
            },
        )
    for number, slug, fi, sv, district, (latitude, longitude), approximate in NEIGHBOURHOODS:
        Neighbourhood.objects.update_or_create(
            slug=slug,
            defaults={
                "district": districts[district],
                "number": number,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": fi,
                "latitude": Decimal(str(latitude)),
                "longitude": Decimal(str(longitude)),
                "approximate": approximate,
            },
        )
    for code, fi, sv, slug in POSTAL_CODES:
        PostalCode.objects.update_or_create(
            code=code,
            defaults={
                "name_fi": fi,
                "name_sv": sv,
                "name_en": fi,
                "district": districts[slug],
                "approximate": True,
            },
        )
    return city, districts


@transaction.atomic
def load_helsinki_population(year=POPULATION_YEAR):
    """Approximate population figures of ``year`` for the city and each district, by age
    band and gender (see the module's docstring). Safe to run again."""
    totals = {}
    for slug, _number, _fi, _sv, _en, population in DISTRICTS:
        district = Area.objects.get(slug=slug)
        for age_from, age_to, share, women in AGE_STRUCTURE:
            everyone = round(population * share)
            female = round(everyone * women)
            for gender, count in (
                (Gender.ALL, everyone),
                (Gender.FEMALE, female),
                (Gender.MALE, everyone - female),
            ):
                _store_band(district, year, age_from, age_to, gender, count)
                key = (age_from, age_to, gender)
                totals[key] = totals.get(key, 0) + count
    city = Area.objects.city()
    for (age_from, age_to, gender), count in totals.items():
        _store_band(city, year, age_from, age_to, gender, count)


def _store_band(area, year, age_from, age_to, gender, count):
    Population.objects.update_or_create(
        area=area,
        year=year,
        gender=gender,
        age_from=age_from,
        defaults={
            "age_to": age_to,
            "count": count,
            "approximate": True,
            "source": POPULATION_SOURCE,
        },
    )
