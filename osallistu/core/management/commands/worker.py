import signal
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from osallistu.core import jobs


class Command(BaseCommand):
    help = "Run background jobs (e-mails, vote counts) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run the jobs that are due now, then stop."
        )
        parser.add_argument(
            "--sleep", type=float, default=1.0, help="Seconds to wait when nothing is due."
        )
        parser.add_argument(
            "--keep-days", type=int, default=14, help="Delete jobs that finished this long ago."
        )

    def handle(self, *args, once, sleep, keep_days, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        keep = timedelta(days=keep_days)
        purged_at = 0.0
        while not self.stopping:
            if time.monotonic() - purged_at > 3600:
                jobs.purge(older_than=keep)
                jobs.schedule_daily()
                purged_at = time.monotonic()
            close_old_connections()
            job = jobs.run_one()
            if job is not None:
                self.stdout.write(f"{job.name} #{job.pk}: {job.get_state_display()}")
                continue
            if once:
                break
            time.sleep(sleep)

    def stop(self, signum, frame):
        self.stopping = True
