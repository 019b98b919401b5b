import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from osallistu.budgeting.models import Participation, Round, RoundBudget, new_receipt_code
from tests.budgeting.factories import PlanFactory, RoundFactory
from tests.factories import StaffRoleFactory, VerifiedResidentFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.mark.parametrize(
    ("ends", "last_day"),
    [
        (datetime.datetime(2026, 3, 30, 0, 0, tzinfo=HELSINKI), datetime.date(2026, 3, 29)),
        (datetime.datetime(2026, 3, 29, 20, 0, tzinfo=HELSINKI), datetime.date(2026, 3, 29)),
        # 23:30 UTC is already the next day in Helsinki.
        (datetime.datetime(2026, 3, 29, 23, 30, tzinfo=datetime.UTC), datetime.date(2026, 3, 30)),
    ],
)
def test_age_is_counted_on_the_local_last_day_of_voting(ends, last_day):
    round = Round(voting_starts_at=ends - datetime.timedelta(days=10), voting_ends_at=ends)
    assert round.last_voting_day == last_day


def test_proposals_open_between_the_dates():
    round = Round(
        proposals_start=datetime.date(2026, 1, 1), proposals_end=datetime.date(2026, 1, 31)
    )
    assert round.proposals_open(datetime.date(2026, 1, 1))
    assert round.proposals_open(datetime.date(2026, 1, 31))
    assert not round.proposals_open(datetime.date(2026, 2, 1))
    assert not Round().proposals_open(datetime.date(2026, 1, 15))


def test_receipt_codes_are_readable_and_random():
    codes = {new_receipt_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert not any(set(code) & set("01ILO") for code in codes)


def test_database_refuses_a_second_participation(voting_round, resident):
    Participation.objects.create(round=voting_round, voter=resident, channel="online")
    staff = StaffRoleFactory().user
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            round=voting_round, voter=resident, channel="paper", recorded_by=staff
        )


def test_database_refuses_offline_ballots_without_staff(voting_round):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            round=voting_round, voter=VerifiedResidentFactory(), channel="assisted"
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cost_low": 200, "cost_high": 100}, "plan_cost_band_in_order"),
        ({"cost_low": 0, "cost_high": 0}, "plan_cost_band_in_order"),
    ],
)
def test_database_refuses_a_bad_cost_band(voting_round, helsinki, fields, message):
    with pytest.raises(IntegrityError, match=message), transaction.atomic():
        PlanFactory(round=voting_round, area=helsinki["eastern"], **fields)


def test_database_refuses_bad_round_settings(helsinki):
    now = datetime.datetime(2026, 3, 1, tzinfo=HELSINKI)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundFactory(voting_starts_at=now, voting_ends_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundFactory(min_plans_per_area=3, max_plans_per_area=2)
    round = RoundFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundBudget.objects.create(round=round, area=helsinki["eastern"], amount=0)
