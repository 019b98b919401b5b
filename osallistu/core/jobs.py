"""Background jobs: work that must happen because of a committed change, but not
inside the request that made it (e-mails, vote counts).

    @jobs.handler("budgeting.count", timeout=timedelta(minutes=30))
    def count(payload): ...

    jobs.enqueue("budgeting.count", {"round": 3})   # in the caller's transaction

A job is a database row written in the caller's transaction: it exists if and only if
the change that asked for it was committed (a transactional outbox). ``manage.py
worker`` runs due jobs, each under a lease: it is claimed in a short transaction, run,
and marked done or failed in another, so a long job holds no lock and a job whose worker
died is claimed again when its lease runs out. Jobs therefore run at least once, and
handlers are written so that running twice does no harm. A failing job is retried with
growing delays and marked failed after its last attempt.

A handler marked ``private`` gets its payload erased when the job finishes, so that, for
example, the e-mailed summary of a secret ballot does not stay in the database next to
the voter's address.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    function: Callable[[dict], dict | None]
    timeout: timedelta
    attempts: int
    private: bool


_handlers: dict[str, Handler] = {}


def handler(name, *, timeout=timedelta(minutes=5), attempts=5, private=False):
    """Register the function that runs jobs called ``name``. It gets the payload and may
    return a JSON-serialisable result, kept with the job."""

    def register(function):
        if name in _handlers and _handlers[name].function is not function:
            raise ValueError(f"Two handlers for the job {name!r}")
        _handlers[name] = Handler(function, timeout, attempts, private)
        return function

    return register


def enqueue(name, payload=None, *, delay=None):
    """Add a job, due now or after ``delay``. Call it inside the transaction of the change
    that needs it."""
    if name not in _handlers:
        raise ValueError(f"No handler for the job {name!r}")
    return Job.objects.create(
        name=name, payload=payload or {}, run_after=timezone.now() + (delay or timedelta())
    )


def _claim():
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
        registered = _handlers.get(job.name)
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.leased_until = now + (registered.timeout if registered else timedelta(minutes=5))
        job.save(update_fields=["state", "attempts", "leased_until"])
        return job


def _finish(job, *, result=None, error=""):
    registered = _handlers.get(job.name)
    now = timezone.now()
    retry = error and registered is not None and job.attempts < registered.attempts
    if retry:
        job.state = Job.State.QUEUED
        job.run_after = now + timedelta(seconds=min(30 * 2 ** (job.attempts - 1), 3600))
    else:
        job.state = Job.State.FAILED if error else Job.State.DONE
        job.finished_at = now
        if registered is None or registered.private:
            job.payload = {}
    job.leased_until = None
    job.result = result
    job.error = error
    job.save()


def run_one():
    """Claim and run one due job. Returns the job, or None when nothing was due."""
    job = _claim()
    if job is None:
        return None
    registered = _handlers.get(job.name)
    if registered is None:
        _finish(job, error=f"No handler for the job {job.name!r}")
        return job
    try:
        result = registered.function(job.payload)
    except Exception:
        logger.exception("Job %s failed (attempt %s)", job, job.attempts)
        _finish(job, error=traceback.format_exc(limit=20))
    else:
        _finish(job, result=result)
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
