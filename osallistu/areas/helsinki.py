"""Helsinki's seven major districts and an approximate postal code table.

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
"""

from django.db import transaction

from .models import Area, Gender, Population, PostalCode

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
    """Create or update the city, its districts and postal codes. Safe to run again."""
    city, _ = Area.objects.update_or_create(
        slug=CITY["slug"],
        defaults={
            "kind": Area.Kind.CITY,
            "number": CITY["number"],
            "name_fi": CITY["fi"],
            "name_sv": CITY["sv"],
            "name_en": CITY["en"],
            "population": sum(row[5] for row in DISTRICTS),
            "population_year": POPULATION_YEAR,
        },
    )
    districts = {}
    for slug, number, fi, sv, en, population in DISTRICTS:
        districts[slug], _ = Area.objects.update_or_create(
            slug=slug,
            defaults={
                "kind": Area.Kind.DISTRICT,
                "number": number,
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "population": population,
                "population_year": POPULATION_YEAR,
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
