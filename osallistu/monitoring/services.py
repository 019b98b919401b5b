"""Writes of monitoring: participation plans and their goals, committee reports asked
for by staff or on schedule, and their commentary."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit
from osallistu.core.errors import DomainError

from .models import CommitteeReport, Goal
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
