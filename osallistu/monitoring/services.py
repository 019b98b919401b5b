"""Writes of monitoring: participation plans and their goals, committee reports asked
for by staff or on schedule, their commentary, and the figures of settled years."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area
from osallistu.core import audit
from osallistu.core.errors import DomainError

from . import settled
from .models import CommitteeReport, Goal, SettledFigures
from .tasks import make_committee_report, schedule_next


class MonitoringError(DomainError):
    pass


def save_plan(*, plan, actor):
    """Create or change ``plan`` (an unsaved or changed instance whose form was valid).
    An approved plan starts the quarterly reports, unless their next run is queued."""
    created = plan.pk is None
    try:
        with transaction.atomic():
            plan.save()
            if plan.approved_on is not None:
                schedule_next(timezone.localdate())
            audit.record(
                action="monitoring.plan_created" if created else "monitoring.plan_changed",
                actor=actor,
                target=plan,
            )
    except IntegrityError:
        raise MonitoringError(
            _("The division already has a plan starting that year."), code="plan_exists"
        ) from None
    return plan


def add_goal(*, plan, indicator, district, measure, target, description, actor):
    with transaction.atomic():
        goal = Goal.objects.create(
            plan=plan,
            indicator=indicator,
            district=district,
            measure=measure,
            target=target,
            description=description,
        )
        audit.record(
            action="monitoring.goal_added",
            actor=actor,
            target=plan,
            data={"goal": goal.pk, "indicator": indicator, "target": str(target)},
        )
    return goal


def remove_goal(*, goal, actor):
    with transaction.atomic():
        plan = goal.plan
        audit.record(
            action="monitoring.goal_removed",
            actor=actor,
            target=plan,
            data={"indicator": goal.indicator, "target": str(goal.target)},
        )
        goal.delete()


def request_report(*, plan, period_start, period_end, language, commentary="", actor=None):
    """Ask for a report of ``plan``; a background job makes it. With no ``actor`` the
    report is a scheduled one, asked for once per plan, period and language."""
    if period_end < period_start:
        raise MonitoringError(
            _("The last day cannot be before the first day."), code="period_reversed"
        )
    with transaction.atomic():
        report = CommitteeReport.objects.create(
            plan=plan,
            period_start=period_start,
            period_end=period_end,
            language=language,
            commentary=commentary,
            scheduled=actor is None,
            requested_by=actor,
        )
        make_committee_report.enqueue(report=report.pk)
        audit.record(action="monitoring.report_requested", actor=actor, target=report)
    return report


def update_commentary(*, report, commentary, actor):
    """Change the staff commentary; the report is made again with it."""
    with transaction.atomic():
        report = CommitteeReport.objects.select_for_update().get(pk=report.pk)
        report.commentary = commentary
        report.state = CommitteeReport.State.QUEUED
        report.requested_at = timezone.now()
        report.save(update_fields=["commentary", "state", "requested_at"])
        make_committee_report.enqueue(report=report.pk)
        audit.record(action="monitoring.commentary_changed", actor=actor, target=report)
    return report


def store_settled_years(*, today=None):
    """Keep the rows of every source's settled years (``settled``) that are not kept
    yet, for the whole city and for each district, in one transaction. Returns the years
    stored per source. A stored year is never counted again: it stays as it was when it
    settled. Running twice, even at the same time, stores nothing twice: the second
    run's rows meet the unique constraints and are left out."""
    last = settled.last_settled_year(today)
    scopes = [None, *Area.objects.districts()]
    stored = {}
    with transaction.atomic():
        for source in settled.sources():
            name = settled.source_name(source)
            kept = SettledFigures.objects.filter(source=name, district=None)
            through = settled.stored_through(kept.values_list("year", flat=True), last)
            if through is not None and through >= last:
                continue
            since = None if through is None else settled.year_start(through + 1)
            until = settled.year_start(last + 1)
            answers = [
                (scope, source(since=since, until=until, district=scope)) for scope in scopes
            ]
            # Every year from the first with figures to the last settled one is kept,
            # those without rows too, so that the stored years run without a gap.
            found = [row["year"] for row in answers[0][1]]
            first = through + 1 if through is not None else min(found, default=last)
            years = list(range(first, last + 1))
            new = []
            for scope, rows in answers:
                by_year = defaultdict(list)
                for row in rows:
                    by_year[row["year"]].append(row)
                new += [
                    SettledFigures(
                        source=name,
                        year=year,
                        district=scope,
                        rows=settled.encode(by_year[year]),
                    )
                    for year in years
                ]
            SettledFigures.objects.bulk_create(new, ignore_conflicts=True)
            stored[name] = years
        if stored:
            audit.record(action="monitoring.settled_years_stored", data={"years": stored})
    return stored
