"""``manage.py import_population FILE --source TEXT [--approximate]``: population figures
from the city's published table (the format is described in ``areas.population_table``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from osallistu.areas.services import PopulationImportError, import_population


class Command(BaseCommand):
    help = (
        "Import population by area, year, gender and age from a CSV file in the format of "
        "the city's statistics database (see osallistu/areas/population_table.py). Figures "
        "of the years and areas in the file are replaced; nothing is stored if any row is "
        "wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="Where the figures come from, shown with them."
        )
        parser.add_argument(
            "--approximate",
            action="store_true",
            help="The figures are estimates (demo data); pages that use them say so.",
        )

    def handle(self, *args, file, source, approximate, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        try:
            table = import_population(data=data, source=source, approximate=approximate)
        except PopulationImportError as error:
            raise CommandError("\n".join([str(error), *error.problems])) from None
        for warning in table.warnings:
            self.stderr.write(warning)
        years = sorted({key[0] for key in table.figures})
        self.stdout.write(
            f"Imported {len(table.figures)} population figures of "
            f"{', '.join(str(year) for year in years)} from {table.rows} rows."
        )
