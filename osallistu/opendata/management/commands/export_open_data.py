import time

from django.core.management.base import BaseCommand

from osallistu.opendata import export


class Command(BaseCommand):
    help = "Write the open data downloads now (the worker does it every night)."

    def handle(self, *args, **options):
        started = time.monotonic()
        manifest = export.export_all()
        for entry in manifest["files"]:
            self.stdout.write(
                f"{entry['file']}: {entry['objects']} objects, {entry['bytes']} bytes"
            )
        self.stdout.write(f"{time.monotonic() - started:.1f} s, in {export.root()}")
