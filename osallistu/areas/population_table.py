"""Reading a population table as the city's statistics database publishes it.

Helsinki publishes its population by area, year, gender and age (one-year ages) in its
PX-Web statistics database; its "CSV, one value per row" export is what this reads:

    "Alue";"Vuosi";"Sukupuoli";"Ikä";"Väestö"
    "091 Helsinki";"2024";"Sukupuolet yhteensä";"Yhteensä";"674500"
    "1 Eteläinen suurpiiri";"2024";"Naiset";"0";"612"
    "101 Vironniemen peruspiiri";"2024";"Miehet";"100-";"3"

- Separator ``;``, ``,`` or tab; UTF-8 (with or without BOM) or Windows-1252.
- Headers in Finnish (Alue, Vuosi, Sukupuoli, Ikä, Väestö), Swedish (Område, År, Kön,
  Ålder, Befolkning) or English (Area, Year, Gender, Age, Population), in any order.
- Area: the city ("091 Helsinki", "Helsinki", "Koko kaupunki"), a major district by
  its number (1–7, "1 Eteläinen suurpiiri") or name, or a sub-district with a
  three-digit code (101–799), which is added to the major district of its first digit.
  A file without rows of the city gets the city's figures as the sum of its districts.
- Gender: total ("Yhteensä", "Sukupuolet yhteensä", "Totalt", "Total"), women ("Naiset",
  "Kvinnor", "Women", "Females") or men ("Miehet", "Män", "Men", "Males").
- Age: one year ("17"), a band ("18-29", "18–29") or an open band ("100-", "100+",
  "75 -"). Rows of all ages ("Yhteensä", "Total") are checked against the sum of the
  ages and not stored.
- Population: a whole number; spaces between thousands are allowed, "-" is zero.
"""

import csv
import io
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Area, Gender

HEADERS = {
    "area": {"alue", "område", "area"},
    "year": {"vuosi", "år", "year"},
    "gender": {"sukupuoli", "kön", "gender", "sex"},
    "age": {"ikä", "ålder", "age"},
    "count": {"väestö", "befolkning", "population", "väkiluku", "residents"},
}
TOTAL_WORDS = {"yhteensä", "sukupuolet yhteensä", "totalt", "total", "kaikki", "ikä yhteensä"}
GENDERS = {
    **dict.fromkeys(TOTAL_WORDS, Gender.ALL),
    **dict.fromkeys(("naiset", "kvinnor", "women", "females", "female"), Gender.FEMALE),
    **dict.fromkeys(("miehet", "män", "men", "males", "male"), Gender.MALE),
}
CITY_NAMES = {"helsinki", "helsingfors", "koko kaupunki", "koko helsinki", "hela helsingfors"}
AGE = re.compile(r"^([0-9]{1,3})(?:\s*(?:[-–]|\+)\s*([0-9]{1,3})?)?$")
MAX_ERRORS = 20


@dataclass
class PopulationTable:
    """Figures read from a file: ``{(year, area id, gender, age_from, age_to): count}``."""

    figures: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    rows: int = 0

    def add_error(self, line, message):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(_("Line %(line)s: %(message)s") % {"line": line, "message": message})


def decode(data):
    """Text of a file's bytes: UTF-8 when it is, otherwise Windows-1252 (older exports)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_population_table(text):
    """Read ``text``; the result lists every problem found (at most 20) with its line."""
    table = PopulationTable()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        table.add_error(1, _("This is not a table with columns separated by ; , or tab."))
        return table
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    columns = _columns(header or [])
    missing = [name for name in HEADERS if name not in columns]
    if missing:
        table.add_error(
            1,
            _("The header must name the columns Alue, Vuosi, Sukupuoli, Ikä and Väestö."),
        )
        return table
    areas = _areas()
    totals = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        table.rows += 1
        if len(row) < len(header):
            table.add_error(line, _("The row has fewer columns than the header."))
            continue
        value = {name: row[index].strip() for name, index in columns.items()}
        parsed = _parse_row(value, areas, line, table)
        if parsed is None:
            continue
        year, area, gender, age, count = parsed
        if age is None:
            key = (year, area, gender)
            totals[key] = totals.get(key, 0) + count
            continue
        key = (year, area, gender, *age)
        table.figures[key] = table.figures.get(key, 0) + count
    if table.rows == 0:
        table.add_error(2, _("The table has no rows of figures."))
    if not table.errors:
        _add_city(table, areas["city"])
        _check_bands(table, areas["city"])
    if not table.errors:
        _check_totals(table, totals)
    return table


def _columns(header):
    columns = {}
    for index, name in enumerate(header):
        clean = name.strip().strip('"').lower()
        for key, names in HEADERS.items():
            if clean in names or any(clean.startswith(f"{known} ") for known in names):
                columns.setdefault(key, index)
    return columns


def _areas():
    by_number, by_name = {}, {}
    city = None
    for area in Area.objects.all():
        if area.is_city:
            city = area.pk
            continue
        by_number[area.number] = area.pk
        for name in (area.name_fi, area.name_sv, area.name_en, area.name):
            if name:
                by_name[name.lower()] = area.pk
    return {"city": city, "number": by_number, "name": by_name}


def _area(text, areas):
    """The area id of ``text``, or None when it names no area of the city."""
    clean = " ".join(text.lower().split())
    code = clean.partition(" ")[0]
    if clean in CITY_NAMES or code == "091" or clean.startswith("helsinki "):
        return areas["city"]
    if re.fullmatch(r"[0-9]{1,3}", code):
        number = int(code)
        if len(code) == 3 and 101 <= number <= 799:
            number //= 100
        return areas["number"].get(number)
    for suffix in (" suurpiiri", " stordistrikt", " major district"):
        clean = clean.removesuffix(suffix)
    return areas["name"].get(clean)


def _parse_row(value, areas, line, table):
    area = _area(value["area"], areas)
    if area is None:
        table.add_error(
            line, _("“%(area)s” is not the city or one of its districts.") % {"area": value["area"]}
        )
        return None
    if not re.fullmatch(r"[0-9]{4}", value["year"]):
        table.add_error(line, _("The year must be four digits, like 2024."))
        return None
    gender = GENDERS.get(value["gender"].lower())
    if gender is None:
        table.add_error(
            line, _("“%(gender)s” is not a gender of the table.") % {"gender": value["gender"]}
        )
        return None
    age_text = value["age"].lower()
    if age_text in TOTAL_WORDS:
        age = None
    else:
        match = AGE.match(age_text)
        if match is None:
            table.add_error(
                line, _("“%(age)s” is not an age or an age band.") % {"age": value["age"]}
            )
            return None
        age_from = int(match.group(1))
        if match.group(2) is not None:
            age_to = int(match.group(2))
        elif re.search(r"[-–+]", age_text):
            age_to = None
        else:
            age_to = age_from
        if age_to is not None and age_to < age_from:
            table.add_error(line, _("The age band ends before it begins."))
            return None
        age = (age_from, age_to)
    count_text = value["count"].replace("\u00a0", "").replace(" ", "")
    if count_text == "-":
        count_text = "0"
    if not re.fullmatch(r"[0-9]{1,9}", count_text):
        table.add_error(
            line,
            _("“%(count)s” is not a number of residents.") % {"count": value["count"]},
        )
        return None
    return int(value["year"]), area, gender, age, int(count_text)


def _check_bands(table, city):
    """Bands of one area, year and gender may not overlap (one-year ages and bands
    of the same ages in one file would count people twice)."""
    bands = defaultdict(list)
    for year, area, gender, age_from, age_to in table.figures:
        bands[(year, area, gender)].append((age_from, age_to))
    for (year, area, _gender), ages in bands.items():
        ages.sort(key=lambda band: (band[0], 999 if band[1] is None else band[1]))
        for (first_from, first_to), (second_from, _second_to) in itertools.pairwise(ages):
            if first_to is None or second_from <= first_to:
                if area == city:
                    message = _(
                        "The districts of %(year)s have different age bands: add rows of the "
                        "city, or use the same bands."
                    ) % {"year": year}
                    table.add_error(1, message)
                    return
                table.add_error(
                    1,
                    _("The ages %(first)s and %(second)s of %(year)s overlap.")
                    % {
                        "first": f"{first_from}–{first_to if first_to is not None else ''}",
                        "second": f"{second_from}–",
                        "year": year,
                    },
                )
                return


def _add_city(table, city):
    """The city as the sum of its districts, in a file that has districts only."""
    if any(key[1] == city for key in table.figures):
        return
    sums = {}
    for (year, _area_id, gender, age_from, age_to), count in table.figures.items():
        key = (year, city, gender, age_from, age_to)
        sums[key] = sums.get(key, 0) + count
    table.figures.update(sums)


def _check_totals(table, totals):
    """A row of all ages that does not match the sum of the ages is reported; the ages
    are stored, since a total alone cannot be split into age groups."""
    sums = {}
    for (year, area, gender, _from, _to), count in table.figures.items():
        sums[(year, area, gender)] = sums.get((year, area, gender), 0) + count
    for key, total in totals.items():
        if key in sums and sums[key] != total:
            table.warnings.append(
                _("The total %(total)s of %(year)s is not the sum of its ages (%(sum)s).")
                % {"total": total, "year": key[0], "sum": sums[key]}
            )
