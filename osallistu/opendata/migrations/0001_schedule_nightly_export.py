"""Queue the first nightly export of the open data; each run queues the next."""

from django.db import migrations
from django.utils import timezone


def schedule(apps, schema_editor):
    Job = apps.get_model("core", "Job")
    if not Job.objects.filter(name="opendata.export", state="queued").exists():
        Job.objects.create(name="opendata.export", payload={}, run_after=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("core", "0005_session")]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
