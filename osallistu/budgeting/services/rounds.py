"""Rounds: their settings, money and the plans on their ballot."""

from fractions import Fraction

from django.db import transaction
from django.utils.translation import gettext as _

from osallistu.areas.models import Area
from osallistu.areas.selectors import residents_by_area
from osallistu.core import audit

from ..models import VOTED_STATUSES, Plan, PlanStatus, Round, RoundBudget
from ..tasks import mix_round
from .errors import BudgetingError, RoundLocked


def create_round(*, actor, **fields):
    """A new round from the staff's form. Its rules are checked as the model states them."""
    with transaction.atomic():
        round = Round(**fields)
        round.full_clean()
        round.save()
        schedule_mixing(round)
        audit.record(action="budgeting.round_created", actor=actor, target=round)
    return round


def schedule_mixing(round):
    """Queue the mixing of the round's sealed ballots for the moment voting closes. A
    task queued for an earlier closing time finds voting still open and does nothing."""
    mix_round.using(run_after=round.voting_ends_at).enqueue(round=round.pk)


def update_round_settings(*, round, actor, **changes):
    """Change settings of ``round``. Its voting rules are fixed once voting has started."""
    unknown = set(changes) - {field.name for field in Round._meta.concrete_fields}
    if unknown:
        raise ValueError(f"unknown round fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        changed = {name: value for name, value in changes.items() if getattr(round, name) != value}
        locked = sorted(set(changed) & set(Round.LOCKED_WHEN_VOTING))
        if locked and round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the rules of this round can no longer be changed."),
                code="voting_started",
            )
        if "slug" in changed and round.voting_has_started():
            # Voters have the round's links in their receipts, e-mails and bookmarks.
            raise RoundLocked(
                _(
                    "Voting has started, so the web address of this round can no longer be "
                    "changed: voters already have its links."
                ),
                code="voting_started",
            )
        for name, value in changed.items():
            setattr(round, name, value)
        round.full_clean()
        round.save()
        if "voting_ends_at" in changed:
            schedule_mixing(round)
        if changed:
            audit.record(
                action="budgeting.round_changed",
                actor=actor,
                target=round,
                data={"fields": sorted(changed)},
            )
    return round


def split_budget(*, total, city_share_percent, districts):
    """Split ``total`` whole euros: ``city_share_percent`` to the city-wide budget and
    the rest to ``districts`` in proportion to their residents (the latest population
    figures of each, ``areas.selectors.residents_by_area``).

    Returns ``{area: euros}`` with the city-wide area first (left out when its share
    is 0). Shares are exact fractions; the euros left after rounding every share down
    go one by one to the largest remainders (ties: larger population first), so the
    amounts always add up to ``total`` exactly.
    """
    districts = list(districts)
    residents = residents_by_area()
    counts = {
        district: residents[district.pk].count if district.pk in residents else 0
        for district in districts
    }
    population = sum(counts.values())
    if total <= 0 or not districts or population <= 0:
        raise ValueError("a positive total and districts with population are needed")
    city_share = Fraction(str(city_share_percent)) / 100
    if not 0 <= city_share < 1:
        raise ValueError("the city-wide share must be at least 0 % and under 100 %")
    quotas = []
    if city_share:
        quotas.append((Area.objects.city(), total * city_share))
    for district in districts:
        quotas.append((district, total * (1 - city_share) * counts[district] / population))
    amounts = {area: int(quota) for area, quota in quotas}
    left = total - sum(amounts.values())
    by_remainder = sorted(
        quotas,
        key=lambda item: (item[1] - int(item[1]), counts.get(item[0], 0)),
        reverse=True,
    )
    for area, _quota in by_remainder[:left]:
        amounts[area] += 1
    return amounts


def set_round_budgets(*, round, amounts, actor):
    """Give ``round`` exactly the budgets ``{area: euros}``; refused once voting has started."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=round.pk)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the money of this round can no longer be changed."),
                code="voting_started",
            )
        removed = round.budgets.exclude(area__in=list(amounts))
        published = sorted(
            {
                plan.area.name
                for plan in round.plans.filter(
                    area__in=removed.values("area"), status__in=VOTED_STATUSES
                ).select_related("area")
            }
        )
        if published:
            raise BudgetingError(
                _(
                    "These areas have plans on the ballot, so their money cannot be removed: "
                    "%(areas)s. Take the plans off the ballot first, or give the areas money."
                )
                % {"areas": ", ".join(published)},
                code="plans_on_ballot",
            )
        removed.delete()
        for area, amount in amounts.items():
            RoundBudget.objects.update_or_create(
                round=round, area=area, defaults={"amount": amount}
            )
        audit.record(
            action="budgeting.budgets_set",
            actor=actor,
            target=round,
            data={area.slug: amount for area, amount in amounts.items()},
        )
    return round


def set_plan_on_ballot(*, plan, on_ballot, actor):
    """Put a plan on the ballot or take it off; the ballot is fixed once voting has started."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=plan.round_id)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the plans on the ballot can no longer be changed."),
                code="voting_started",
            )
        plan.status = PlanStatus.ON_BALLOT if on_ballot else PlanStatus.DRAFT
        plan.save(update_fields=["status"])
        audit.record(
            action="budgeting.plan_on_ballot" if on_ballot else "budgeting.plan_off_ballot",
            actor=actor,
            target=plan,
        )
    return plan
