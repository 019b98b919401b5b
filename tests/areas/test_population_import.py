"""Importing population figures from the city's published table
(``manage.py import_population``)."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from osallistu.areas.models import Gender, Population
from osallistu.areas.selectors import population
from osallistu.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADER = '"Alue";"Vuosi";"Sukupuoli";"Ikä";"Väestö"\n'


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def write(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "vaesto.csv"
    path.write_bytes(text.encode(encoding))
    return path


def run(path, *extra):
    call_command("import_population", str(path), "--source", "Helsingin tilastot", *extra)


def test_districts_sub_districts_and_the_city_as_their_sum(tmp_path, helsinki):
    path = write(
        tmp_path,
        HEADER
        + '"1 Eteläinen suurpiiri";"2024";"Sukupuolet yhteensä";"17";"1 200"\n'
        + '"101 Vironniemen peruspiiri";"2024";"Sukupuolet yhteensä";"18";"300"\n'
        + '"102 Ullanlinnan peruspiiri";"2024";"Sukupuolet yhteensä";"18";"400"\n'
        + '"Läntinen";"2024";"Naiset";"100-";"7"\n'
        + '"2 Läntinen suurpiiri";"2024";"Sukupuolet yhteensä";"19";"-"\n'
        + '"1 Eteläinen suurpiiri";"2024";"Sukupuolet yhteensä";"Yhteensä";"1900"\n',
    )
    run(path, "--approximate")
    southern = helsinki["southern"]
    assert population(area=southern, year=2024, age_from=17, age_to=17).count == 1200
    # Two sub-districts of the Southern major district are added together.
    assert population(area=southern, year=2024, age_from=18, age_to=18).count == 700
    women = Population.objects.get(area=helsinki["western"], gender=Gender.FEMALE)
    assert (women.age_from, women.age_to, women.count) == (100, None, 7)
    city = population(area=helsinki["city"], year=2024, age_from=0)
    assert (city.count, city.approximate) == (1900, True)
    # The row of all ages is checked, not stored.
    assert not Population.objects.filter(area=southern, age_from=0).exists()
    entry = AuditEntry.objects.get(action="areas.population_imported")
    assert entry.data["years"] == [2024]


def test_a_second_import_replaces_the_years_and_areas_it_has(tmp_path, helsinki):
    run(
        write(tmp_path, HEADER + '"1";"2023";"Yhteensä";"5";"10"\n"1";"2024";"Yhteensä";"5";"11"\n')
    )
    run(write(tmp_path, HEADER + '"1";"2024";"Yhteensä";"5-9";"60"\n'))
    southern = helsinki["southern"]
    assert population(area=southern, year=2023, age_from=5, age_to=5).count == 10
    assert not Population.objects.filter(year=2024, age_from=5, age_to=5).exists()
    assert population(area=southern, year=2024, age_from=5, age_to=9).count == 60


def test_a_windows_export_with_commas_and_english_headers(tmp_path, helsinki):
    text = "Area,Year,Gender,Age,Population\nItäinen,2025,Men,65+,1234\n"
    run(write(tmp_path, text, encoding="cp1252"))
    figure = Population.objects.get(area=helsinki["eastern"])
    assert (figure.gender, figure.age_from, figure.age_to, figure.count) == ("male", 65, None, 1234)


def test_every_wrong_row_is_named_and_nothing_is_stored(tmp_path, helsinki):
    path = write(
        tmp_path,
        HEADER
        + '"1";"2024";"Yhteensä";"5";"10"\n'
        + '"Espoo";"2024";"Yhteensä";"5";"10"\n'
        + '"1";"24";"Yhteensä";"5";"10"\n'
        + '"1";"2024";"Muut";"5";"10"\n'
        + '"1";"2024";"Yhteensä";"viisi";"10"\n'
        + '"1";"2024";"Yhteensä";"7";".."\n'
        + '"1";"2024";"Yhteensä";"9-8";"1"\n'
        + '"²";"2024";"Yhteensä";"9";"²"\n',
    )
    with pytest.raises(CommandError) as error:
        run(path)
    message = str(error.value)
    for expected in (
        "Line 3: “Espoo” is not the city or one of its districts.",
        "Line 4: The year must be four digits",
        "Line 5: “Muut” is not a gender",
        "Line 6: “viisi” is not an age",
        "Line 7: “..” is not a number of residents.",
        "Line 8: The age band ends before it begins.",
        "Line 9: “²” is not the city",
    ):
        assert expected in message
    assert not Population.objects.exists()


def test_overlapping_ages_and_a_wrong_header_are_refused(tmp_path, helsinki):
    with pytest.raises(CommandError, match="overlap"):
        run(
            write(
                tmp_path,
                HEADER + '"1";"2024";"Yhteensä";"0-4";"10"\n"1";"2024";"Yhteensä";"3";"2"\n',
            )
        )
    with pytest.raises(CommandError, match="different age bands"):
        rows = '"1";"2024";"Yhteensä";"0-4";"10"\n"2";"2024";"Yhteensä";"3";"2"\n'
        run(write(tmp_path, HEADER + rows))
    with pytest.raises(CommandError, match="must name the columns"):
        run(write(tmp_path, "Alue;Vuosi;Väki\n1;2024;5\n"))
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv")
    assert not Population.objects.exists()


def test_a_total_that_is_not_the_sum_is_reported(tmp_path, helsinki, capsys):
    run(
        write(
            tmp_path,
            HEADER + '"1";"2024";"Yhteensä";"5";"10"\n"1";"2024";"Yhteensä";"Yhteensä";"11"\n',
        )
    )
    assert "The total 11 of 2024 is not the sum of its ages (10)." in capsys.readouterr().err
