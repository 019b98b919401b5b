"""The thresholds of the Local Government Act: 2 % and 4 % of the residents entitled
to vote, rounded up, and the six months of the council."""

import datetime

from osallistu.areas.selectors import Figure
from osallistu.initiatives import thresholds


def test_needed_supports_are_rounded_up():
    assert thresholds.needed(1000, 2) == 20
    assert thresholds.needed(1001, 2) == 21
    assert thresholds.needed(101, 2) == 3
    assert thresholds.needed(564_556, 2) == 11_292
    assert thresholds.needed(564_556, 4) == 22_583


def test_progress_against_both_thresholds():
    voters = Figure(year=2025, count=1000, approximate=False)
    progress = thresholds.progress(30, voters)
    council = progress.threshold(thresholds.COUNCIL)
    referendum = progress.threshold(thresholds.REFERENDUM)
    assert (council.needed, council.reached, council.share) == (20, True, 100)
    assert (referendum.needed, referendum.reached, referendum.share) == (40, False, 75)
    assert thresholds.progress(19, voters).threshold(thresholds.COUNCIL).reached is False
    assert thresholds.progress(20, voters).threshold(thresholds.COUNCIL).reached is True


def test_without_figures_there_are_no_thresholds():
    assert thresholds.progress(5, None).thresholds == ()
    assert thresholds.progress(5, Figure(year=2025, count=0, approximate=True)).thresholds == ()


def test_six_months_ends_on_the_same_day_or_the_months_last():
    assert thresholds.council_deadline(datetime.date(2026, 3, 15)) == datetime.date(2026, 9, 15)
    assert thresholds.council_deadline(datetime.date(2026, 8, 31)) == datetime.date(2027, 2, 28)
    assert thresholds.council_deadline(datetime.date(2027, 8, 31)) == datetime.date(2028, 2, 29)
    assert thresholds.council_deadline(datetime.date(2026, 12, 1)) == datetime.date(2027, 6, 1)
