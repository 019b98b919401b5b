"""Background tasks: work that must happen because of a committed change, but not inside
the request that made it (e-mails, mixing ballots, vote counts).

The interface is the shape of Django's task framework (Django 6), so that moving to it
is a change of backend, not of callers:

    @jobs.task(timeout=timedelta(minutes=30), attempts=3)
    def count_area(*, round, area, actor): ...

    count_area.enqueue(round=3, area=5, actor=1)      # in the caller's transaction
    count_area.using(run_after=closing_time).enqueue(round=3, area=5, actor=1)

    @jobs.task(daily_at=time(3))   # every night at 3 in the city's time
    def export_open_data(): ...

What it adds to Django's framework, and why it is kept here: a task is a database row
written in the caller's transaction, so it exists exactly when the change that asked
for it was committed; ``manage.py worker`` runs due tasks under a lease, so a task
whose worker died is run again when the lease runs out; a failing task is retried
with growing delays; and a task marked ``private`` has its arguments erased when it
finishes, so that, for example, an e-mailed ballot does not stay next to the voter's
address. Tasks run at least once, so they are written so that running twice does no
harm. Arguments are keyword arguments that JSON can hold. A task with ``daily_at`` takes
no arguments and is kept queued for its next time by the worker (``schedule_daily``).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)

registered: dict[str, Task] = {}


@dataclass(frozen=True)
class Task:
    function: Callable[..., dict | None]
    name: str
    timeout: timedelta
    attempts: int
    private: bool
    run_after: datetime | None = None
    daily_at: time | None = None

    def enqueue(self, **kwargs):
        """Queue the task with ``kwargs``, in the caller's transaction. Returns its ``Job``."""
        return Job.objects.create(
            name=self.name, payload=kwargs, run_after=self.run_after or timezone.now()
        )

    def using(self, *, run_after):
        """The same task, due at ``run_after`` instead of now."""
        return replace(self, run_after=run_after)

    def call(self, **kwargs):
        """Run the task here and now, as the worker would."""
        return self.function(**kwargs)

    def jobs(self):
        """The rows of this task, queued, running or finished."""
        return Job.objects.filter(name=self.name)


def task(*, name=None, timeout=timedelta(minutes=5), attempts=5, private=False, daily_at=None):
    """Make ``function`` a task, named after its module and itself unless ``name`` is
    given. It may return a JSON-serialisable result, kept with its job. With ``daily_at``
    (a local time of day) the worker runs it every day then."""

    def register(function):
        made = Task(
            function=function,
            name=name or f"{function.__module__}.{function.__name__}",
            timeout=timeout,
            attempts=attempts,
            private=private,
            daily_at=daily_at,
        )
        if made.name in registered and registered[made.name].function is not function:
            raise ValueError(f"Two tasks are called {made.name!r}")
        registered[made.name] = made
        return made

    return register


def next_daily_run(at, now=None):
    """The next ``at`` o'clock in the city's time after ``now``."""
    local = timezone.localtime(now or timezone.now())
    run = timezone.make_aware(datetime.combine(local.date(), at), local.tzinfo)
    if run <= local:
        run = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), at))
    return run


def schedule_daily(now=None):
    """Queue each daily task for its next time unless it is queued already. The worker
    calls this as it starts and every hour, so a failed run does not end the series."""
    for known in registered.values():
        if known.daily_at is None:
            continue
        if not known.jobs().filter(state=Job.State.QUEUED).exists():
            known.using(run_after=next_daily_run(known.daily_at, now)).enqueue()


def claim():
    """Lease the next due job, or return None. Workers skip each other's locked rows."""
    now = timezone.now()
    claimable = Job.objects.select_for_update(skip_locked=True)
    with transaction.atomic():
        # Two queries rather than one with OR, so that each is one scan of its partial index.
        job = (
            claimable.filter(state=Job.State.QUEUED, run_after__lte=now)
            .order_by("run_after", "id")
            .first()
        ) or (
            claimable.filter(state=Job.State.RUNNING, leased_until__lt=now)
            .order_by("leased_until")
            .first()
        )
        if job is None:
            return None
        known = registered.get(job.name)
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.leased_until = now + (known.timeout if known else timedelta(minutes=5))
        job.save(update_fields=["state", "attempts", "leased_until"])
        return job


def finish(job, *, result=None, error=""):
    """Mark ``job`` done, failed, or due again later. Its arguments are written only when
    they are erased, so that a change made to them while it ran stays."""
    known = registered.get(job.name)
    now = timezone.now()
    fields = ["state", "run_after", "finished_at", "leased_until", "result", "error"]
    if error and known is not None and job.attempts < known.attempts:
        job.state = Job.State.QUEUED
        job.run_after = now + timedelta(seconds=min(30 * 2 ** (job.attempts - 1), 3600))
    else:
        job.state = Job.State.FAILED if error else Job.State.DONE
        job.finished_at = now
        if known is None or known.private:
            job.payload = {}
            fields.append("payload")
    job.leased_until = None
    job.result = result
    job.error = error
    job.save(update_fields=fields)


def run_one():
    """Claim and run one due job. Returns the job, or None when nothing was due."""
    job = claim()
    if job is None:
        return None
    known = registered.get(job.name)
    if known is None:
        finish(job, error=f"No task is called {job.name!r}")
        return job
    try:
        result = known.call(**job.payload)
    except Exception:
        logger.exception("Job %s failed (attempt %s)", job, job.attempts)
        finish(job, error=traceback.format_exc(limit=20))
    else:
        finish(job, result=result)
    return job


def run_pending(limit=None):
    """Run due jobs until none is left (or ``limit`` ran). Returns how many ran."""
    ran = 0
    while limit is None or ran < limit:
        if run_one() is None:
            break
        ran += 1
    return ran


def purge(*, older_than=timedelta(days=14)):
    """Delete jobs that finished long ago. Returns how many."""
    cutoff = timezone.now() - older_than
    deleted, _ = Job.objects.filter(
        state__in=[Job.State.DONE, Job.State.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted
