"""The nightly export of the open data (``export.export_all``): the worker keeps it
queued for the next night (``core.jobs.schedule_daily``)."""

import datetime

from osallistu.core import jobs

from . import export

# Local time: after the day's changes, before anyone downloads.
EXPORT_AT = datetime.time(3)


@jobs.task(
    name="opendata.export", timeout=datetime.timedelta(hours=1), attempts=3, daily_at=EXPORT_AT
)
def export_open_data():
    manifest = export.export_all()
    return {"generated_at": manifest["generated_at"], "files": len(manifest["files"])}
