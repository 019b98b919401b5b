"""Writes of areas: population figures imported from the city's statistics."""

from django.db import transaction
from django.utils.translation import gettext as _

from osallistu.core import audit
from osallistu.core.errors import DomainError

from .models import Population
from .population_table import decode, read_population_table


class PopulationImportError(DomainError):
    """The file could not be read; ``problems`` lists what is wrong, line by line."""

    def __init__(self, problems):
        super().__init__(_("The population table has errors."), code="population_table")
        self.problems = problems


def import_population(*, data, source, approximate=False, actor=None):
    """Store the figures of a population table (``data``, the file's bytes; format in
    ``population_table``), replacing the figures of the same years and areas, all or
    nothing. Returns the table read (its ``figures`` and ``warnings``)."""
    if len(source) > 200:
        raise PopulationImportError([_("Say where the figures come from in 200 characters.")])
    table = read_population_table(decode(data))
    if table.errors:
        raise PopulationImportError(table.errors)
    replaced = {(year, area) for year, area, *_rest in table.figures}
    with transaction.atomic():
        for year, area in replaced:
            Population.objects.filter(year=year, area_id=area).delete()
        Population.objects.bulk_create(
            Population(
                year=year,
                area_id=area,
                gender=gender,
                age_from=age_from,
                age_to=age_to,
                count=count,
                approximate=approximate,
                source=source,
            )
            for (year, area, gender, age_from, age_to), count in table.figures.items()
        )
        audit.record(
            action="areas.population_imported",
            actor=actor,
            data={
                "years": sorted({year for year, _area in replaced}),
                "figures": len(table.figures),
                "approximate": approximate,
                "source": source,
            },
        )
    return table
