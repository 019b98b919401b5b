"""The nightly export of the open data (``export.export_all``). Each run first queues
the next night's, so that one failed night does not end the chain; the first run is
queued by this app's first migration."""

import datetime

from django.utils import timezone

from osallistu.core import jobs

from . import export

EXPORT_HOUR = 3  # local time: after the day's changes, before anyone downloads


def next_night(now=None):
    """The next EXPORT_HOUR o'clock in the city's time after ``now``."""
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=EXPORT_HOUR, minute=0, second=0, microsecond=0)
    if run <= local:
        run = timezone.make_aware(
            datetime.datetime.combine(local.date() + datetime.timedelta(days=1), run.time()),
            local.tzinfo,
        )
    return run


def schedule_next(now=None):
    """Queue the next night's export unless one is already waiting."""
    waiting = export_open_data.jobs().filter(state="queued", run_after__gt=now or timezone.now())
    if not waiting.exists():
        export_open_data.using(run_after=next_night(now)).enqueue()


@jobs.task(name="opendata.export", timeout=datetime.timedelta(hours=1), attempts=3)
def export_open_data():
    schedule_next()
    manifest = export.export_all()
    return {"generated_at": manifest["generated_at"], "files": len(manifest["files"])}
