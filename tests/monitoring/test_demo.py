"""The demo's monitoring: three years of approximate population through the import,
plans of three divisions and two archived reports; running it again adds nothing."""

import datetime

import pytest

from osallistu.areas.selectors import population, population_years
from osallistu.demo.divisions import build_divisions
from osallistu.demo.monitoring import build_monitoring
from osallistu.monitoring import settled
from osallistu.monitoring.models import CommitteeReport, ParticipationPlan, SettledFigures

pytestmark = pytest.mark.django_db


def test_demo_monitoring(helsinki):
    build_divisions()
    today = datetime.date(2026, 5, 20)
    assert build_monitoring(today) == "population 2024–2026 (approximate), 3 plans, 2 reports"
    assert population_years() == [2026, 2025, 2024]
    city = population(area=helsinki["city"], year=2024, age_from=0)
    assert city.approximate and 670_000 < city.count < 680_000
    assert ParticipationPlan.objects.filter(approved_on__isnull=False).count() == 3
    reports = CommitteeReport.objects.filter(state=CommitteeReport.State.READY)
    assert [(r.period_start, r.period_end) for r in reports.order_by("period_start")] == [
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ]
    assert all(bytes(report.pdf).startswith(b"%PDF") for report in reports)
    # The settled years are kept: up to 2025 on 20 May 2026, for the city and each district.
    kept = SettledFigures.objects.filter(district=None)
    assert sorted(set(kept.values_list("year", flat=True))) == [2025]
    assert kept.count() == len(settled.sources())
    assert build_monitoring(today) == "population 2024–2026 (approximate)"
    assert CommitteeReport.objects.count() == 2
