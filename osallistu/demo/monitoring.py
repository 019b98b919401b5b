"""Demo monitoring: approximate population of three years imported through the same
command path as the city's real tables, plans of three divisions with goals, and two
archived committee reports made of the demo's own participation."""

import csv
import datetime
import io

from django.db import transaction

from osallistu.accounts.models import Division
from osallistu.areas.helsinki import AGE_STRUCTURE, CITY, DISTRICTS, POPULATION_SOURCE
from osallistu.areas.models import Area
from osallistu.areas.services import import_population
from osallistu.monitoring import services, tasks
from osallistu.monitoring.models import CommitteeReport, Goal, Measure, ParticipationPlan

# Each year's population against the approximate figures of 2024 (areas.helsinki).
GROWTH = {-1: 0.99, 0: 1.0, 1: 1.01}
OLDEST = 100

PLANS = [
    (
        "Kulttuurin ja vapaa-ajan toimiala",
        "Osallisuuden suunnitelma",
        "Kulttuuri- ja liikuntalautakunta",
        [
            ("survey-respondents", None, Measure.VALUE, 300),
            ("premises-hours", None, Measure.RATE, 20),
            ("volunteers", None, Measure.VALUE, 400),
        ],
    ),
    (
        "Kaupunkiympäristön toimiala",
        "Asukasosallisuuden tavoitteet",
        "Kaupunkiympäristölautakunta",
        [
            ("initiative-answers", None, Measure.VALUE, 90),
            ("feedback-answered", None, Measure.VALUE, 80),
        ],
    ),
    (
        "Kaupunginkanslia",
        "Osallistuva budjetointi ja aloitteet",
        "Kaupunginhallitus",
        [
            ("budgeting-voters", None, Measure.RATE, 12),
            ("budgeting-voters", "eastern", Measure.RATE, 10),
            ("initiative-supporters", None, Measure.VALUE, 500),
        ],
    ),
]


def population_table(years):
    """An approximate population table of ``years`` in the format of the city's
    statistics database (one-year ages, both genders together)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(["Alue", "Vuosi", "Sukupuoli", "Ikä", "Väestö"])
    for year in years:
        growth = GROWTH.get(year - 2024, 1.0)
        for _slug, number, fi, _sv, _en, residents in DISTRICTS:
            for age_from, age_to, share, _women in AGE_STRUCTURE:
                last = OLDEST if age_to is None else age_to
                band = round(residents * share * growth)
                ages = range(age_from, last + 1)
                for age in ages:
                    label = f"{age}-" if age == OLDEST else str(age)
                    count = band // len(ages) + (1 if age - age_from < band % len(ages) else 0)
                    writer.writerow(
                        [f"{number} {fi} suurpiiri", year, "Sukupuolet yhteensä", label, count]
                    )
    return out.getvalue().encode("utf-8")


def build_monitoring(today):
    """Population of the last three years, the figures of the settled years kept, three
    plans and two archived reports unless they exist. Returns a line to print."""
    years = [today.year - 2, today.year - 1, today.year]
    import_population(
        data=population_table(years),
        source=f"{POPULATION_SOURCE}; {CITY['fi']}",
        approximate=True,
    )
    # The settled years' figures, as the worker keeps them every night.
    services.store_settled_years(today=today)
    if ParticipationPlan.objects.exists():
        return f"population {years[0]}–{years[-1]} (approximate)"
    with transaction.atomic():
        plans = [_plan(today, *plan) for plan in PLANS]
    for plan, start, end in (
        (plans[2], datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
        (plans[0], *tasks.quarter_of(tasks.quarter_of(today)[0] - datetime.timedelta(days=1))),
    ):
        report = services.request_report(
            plan=plan,
            period_start=start,
            period_end=end,
            language="fi",
            commentary=(
                "Itäisen suurpiirin nuoret aikuiset osallistuivat vähemmän kuin muut. "
                "Stadiluotsit jalkautuvat ensi vuonna kouluihin ja kirjastoihin."
            ),
        )
        tasks.make_committee_report.call(report=report.pk)
        tasks.make_committee_report.jobs().filter(payload__report=report.pk).delete()
    ready = CommitteeReport.objects.filter(state=CommitteeReport.State.READY).count()
    return f"population {years[0]}–{years[-1]} (approximate), 3 plans, {ready} reports"


def _plan(today, division, title, committee, goals):
    plan = ParticipationPlan.objects.create(
        division=Division.objects.get(name_fi=division),
        title=title,
        committee=committee,
        first_year=today.year - 2,
        last_year=today.year + 1,
        approved_on=datetime.date(today.year - 2, 2, 15),
    )
    for indicator, district, measure, target in goals:
        Goal.objects.create(
            plan=plan,
            indicator=indicator,
            district=Area.objects.get(slug=district) if district else None,
            measure=measure,
            target=target,
        )
    return plan
