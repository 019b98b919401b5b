"""Nightly runs that keep the settled years at the same time, on PostgreSQL: each year
is kept once."""

import datetime

import pytest
from django.utils import timezone

from osallistu.monitoring import settled, tasks
from osallistu.monitoring.models import SettledFigures
from tests.concurrency import at_once
from tests.monitoring.factories import build_known

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RUNS = 4


def test_simultaneous_runs_keep_each_year_once(helsinki, monkeypatch):
    build_known(helsinki)
    moment = timezone.make_aware(datetime.datetime(2026, 12, 6, 4))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    outcomes = at_once(RUNS, lambda _index: tasks.store_settled_years.call())
    assert all(isinstance(outcome, dict) for outcome in outcomes), outcomes
    # The city and seven districts, 2025, for every source: once, whoever stored it.
    assert SettledFigures.objects.count() == 8 * len(settled.sources())
    voters = SettledFigures.objects.get(
        source="osallistu.budgeting.selectors.voters_by_group", year=2025, district=None
    )
    assert sum(row["people"] for row in voters.rows) == 22
