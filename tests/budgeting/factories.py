"""Factories for budgeting: a round open for voting unless told otherwise, and helpers
for sealed ballots and the staff who record ballots."""

from datetime import timedelta

import factory
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.budgeting import sealing, services
from osallistu.budgeting.models import Plan, PlanStatus, Round, RoundBudget, Theme
from osallistu.identity.models import IdentityVerification
from tests.factories import StaffRoleFactory, VerifiedResidentFactory


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


def sealed_choices(participation):
    """``(district id, {plan ids})`` of the ballot sealed with ``participation``, opened
    with its round's key as mixing opens it."""
    participation.refresh_from_db()
    round = Round.objects.get(pk=participation.round_id)
    district, plans = sealing.opener(round.seal_key_salt)(participation.sealed_ballot)
    return district, set(plans)


def close_and_mix(round):
    """End the round's voting now and move its sealed ballots to the ballot box, as the
    worker does when voting closes. Returns the round as it is then."""
    Round.objects.filter(pk=round.pk).update(
        voting_starts_at=min(round.voting_starts_at, timezone.now() - timedelta(days=2)),
        voting_ends_at=timezone.now() - timedelta(seconds=1),
    )
    round.refresh_from_db()
    services.mix_ballots(round=round)
    round.refresh_from_db()
    return round


def staff_of(district, role=StaffRole.Role.SERVICE_POINT):
    return StaffRoleFactory(role=role, area=district).user


def checked_in_person(district, *, by=None, **fields):
    """A resident whose identity document a member of staff (``by``, or another one)
    checked."""
    voter = VerifiedResidentFactory(verification_method="in_person", district=district, **fields)
    IdentityVerification.objects.create(
        user=voter,
        method="in_person",
        verified_at=timezone.now(),
        verified_by=by or staff_of(district),
        document_type="passport",
        municipality_code="091",
    )
    return voter
