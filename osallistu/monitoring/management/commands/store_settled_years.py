from django.core.management.base import BaseCommand

from osallistu.monitoring import settled
from osallistu.monitoring.services import store_settled_years


class Command(BaseCommand):
    help = (
        "Keep the monitoring figures of the settled years not kept yet (the worker does it "
        "every night)."
    )

    def handle(self, *args, **options):
        stored = store_settled_years()
        last = settled.last_settled_year()
        if not stored:
            self.stdout.write(f"Every source is kept up to {last}; nothing to store.")
        for name, years in stored.items():
            self.stdout.write(f"{name}: {', '.join(str(year) for year in years)}")
