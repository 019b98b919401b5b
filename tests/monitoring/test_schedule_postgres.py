"""The quarterly run on PostgreSQL: several runs at once ask for each plan's report
once and schedule one next run."""

import datetime

import pytest
from django.utils import timezone

from osallistu.accounts.models import Division
from osallistu.monitoring import tasks
from osallistu.monitoring.models import CommitteeReport, ParticipationPlan
from tests.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RUNS = 6


def test_simultaneous_quarterly_runs_ask_once(helsinki, monkeypatch):
    division = Division.objects.create(slug="kanslia", name="Kaupunginkanslia")
    for first_year in (2024, 2025):
        ParticipationPlan.objects.create(
            division=division,
            title=f"Plan {first_year}",
            committee="Kaupunginhallitus",
            first_year=first_year,
            last_year=2026,
            approved_on=datetime.date(2024, 1, 10),
        )
    moment = timezone.make_aware(datetime.datetime(2025, 10, 1, 6, 5))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    outcomes = at_once(RUNS, lambda _index: tasks.quarterly_reports.call())
    assert all(isinstance(outcome, dict) for outcome in outcomes), outcomes
    assert sorted(outcome["reports"] for outcome in outcomes) == [0] * (RUNS - 1) + [2]
    assert (
        CommitteeReport.objects.filter(
            period_start=datetime.date(2025, 7, 1), period_end=datetime.date(2025, 9, 30)
        ).count()
        == 2
    )
    assert tasks.quarterly_reports.jobs().filter(state="queued").count() == 1
