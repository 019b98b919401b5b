"""Background tasks of monitoring: making a committee report, the quarterly schedule
that asks for the reports of every approved plan, and keeping the figures of settled
years."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from osallistu.core import jobs

from .models import CommitteeReport, ParticipationPlan


@jobs.task(name="monitoring.make_committee_report", timeout=datetime.timedelta(minutes=10))
def make_committee_report(*, report):
    """Make the PDF and keep the figures of ``report``. Running twice makes it twice,
    which is harmless: the later one is kept."""
    from .reports import make_report

    report = CommitteeReport.objects.select_related("plan__division").filter(pk=report).first()
    if report is None:
        return None
    try:
        pdf, figures = make_report(report)
    except Exception:
        CommitteeReport.objects.filter(pk=report.pk).update(state=CommitteeReport.State.FAILED)
        raise
    CommitteeReport.objects.filter(pk=report.pk).update(
        pdf=pdf, figures=figures, state=CommitteeReport.State.READY, made_at=timezone.now()
    )
    return {"bytes": len(pdf)}


def quarter_of(day):
    """``(first day, last day)`` of the quarter of ``day``."""
    first = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = next_quarter_start(first)
    return first, following - datetime.timedelta(days=1)


def next_quarter_start(day):
    month = 3 * ((day.month - 1) // 3) + 4
    return datetime.date(day.year + (month > 12), (month - 1) % 12 + 1, 1)


def schedule_next(today):
    """Queue the next quarterly run (the first morning of the next quarter) unless one is
    queued already."""
    run_at = timezone.make_aware(
        datetime.datetime.combine(next_quarter_start(today), datetime.time(6))
    )
    waiting = quarterly_reports.jobs().filter(state="queued", run_after__gte=timezone.now())
    if not waiting.exists():
        quarterly_reports.using(run_after=run_at).enqueue()


@jobs.task(name="monitoring.quarterly_reports")
def quarterly_reports():
    """Ask for the report of the quarter that just ended for every plan approved and in
    force then, in the city's first language; then schedule the next run. Running twice
    asks for nothing twice (a scheduled report is unique per plan, period and language)."""
    from .services import request_report

    today = timezone.localdate()
    start, end = quarter_of(
        today - datetime.timedelta(days=(today - quarter_of(today)[0]).days + 1)
    )
    language = settings.LANGUAGE_CODE
    made = 0
    with transaction.atomic():
        # Locked, so that two runs at once (a retry beside a late worker) take turns and
        # the second finds the reports and the next run that the first asked for.
        plans = ParticipationPlan.objects.select_for_update().filter(
            approved_on__isnull=False,
            approved_on__lte=end,
            first_year__lte=end.year,
            last_year__gte=start.year,
        )
        for plan in plans:
            exists = CommitteeReport.objects.filter(
                plan=plan,
                period_start=start,
                period_end=end,
                language=language,
                scheduled=True,
            ).exists()
            if not exists:
                request_report(plan=plan, period_start=start, period_end=end, language=language)
                made += 1
        schedule_next(today)
    return {"reports": made, "period": [start.isoformat(), end.isoformat()]}


@jobs.task(
    name="monitoring.store_settled_years",
    timeout=datetime.timedelta(hours=1),
    attempts=3,
    daily_at=datetime.time(4),
)
def store_settled_years():
    """Keep the figures of the years that settled since the last run (``settled``). Daily,
    although a year settles once a year: a run with nothing to store reads only which
    years are kept, and a run that failed is made good the next night."""
    from .services import store_settled_years as store

    return {"stored": store()}
