"""Factories for budgeting: a round open for voting unless told otherwise."""

from datetime import timedelta

import factory
from django.utils import timezone

from osallistu.budgeting.models import Plan, PlanStatus, Round, RoundBudget, Theme


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    name_fi = factory.Sequence(lambda n: f"Kierros {n}")
    name_sv = factory.Sequence(lambda n: f"Omgång {n}")
    name_en = factory.Sequence(lambda n: f"Round {n}")
    slug = factory.Sequence(lambda n: f"round-{n}")
    voting_starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    voting_ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class RoundBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundBudget

    round = factory.SubFactory(RoundFactory)
    amount = 1_000_000


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    round = factory.SubFactory(RoundFactory)
    code = factory.Sequence(lambda n: f"P-{n:03d}")
    title_fi = factory.Sequence(lambda n: f"Suunnitelma {n}")
    title_sv = factory.Sequence(lambda n: f"Plan {n}")
    title_en = factory.Sequence(lambda n: f"Plan {n}")
    theme = Theme.PARKS
    cost_low = 50_000
    cost_high = 100_000
    status = PlanStatus.ON_BALLOT


def proposing_round(areas, **fields):
    """A round that takes proposals now, with money in each of ``areas``; voting is
    months away."""
    today, now = timezone.localdate(), timezone.now()
    round = RoundFactory(
        proposals_start=today - timedelta(days=5),
        proposals_end=today + timedelta(days=20),
        voting_starts_at=now + timedelta(days=200),
        voting_ends_at=now + timedelta(days=220),
        **fields,
    )
    for area in areas:
        RoundBudgetFactory(round=round, area=area)
    return round
