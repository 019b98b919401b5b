"""Integrity under concurrency, on PostgreSQL: each thread has its own connection."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from osallistu.budgeting.models import Ballot, BallotChoice, Participation, Plan, Round
from osallistu.budgeting.services import BallotError, cast_ballot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 20


def submit_at_once(submissions):
    """Run the callables at the same moment in threads; return results and errors."""
    barrier = threading.Barrier(len(submissions))
    outcomes = [None] * len(submissions)

    def run(index, submit):
        try:
            barrier.wait()
            outcomes[index] = submit()
        except BallotError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, submit))
        for index, submit in enumerate(submissions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_twenty_simultaneous_ballots_of_one_voter_leave_exactly_one(
    voting_round, plans, resident, helsinki
):
    def submit():
        return cast_ballot(
            round=voting_round,
            voter=resident,
            district=helsinki["eastern"],
            plan_ids=[plans["east_a"].pk, plans["city_a"].pk],
        )

    outcomes = submit_at_once([submit] * SUBMISSIONS)

    accepted = [o for o in outcomes if isinstance(o, Participation)]
    refused = [o for o in outcomes if isinstance(o, BallotError)]
    assert len(accepted) == 1
    assert len(refused) == SUBMISSIONS - 1
    assert {error.code for error in refused} == {"already_voted"}
    assert Participation.objects.count() == 1
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.count() == 2


def test_fast_clicks_changing_a_ballot_never_exceed_a_budget(
    voting_round, plans, resident, helsinki
):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    # Each selection fits the 300,000 € of the Eastern district on its own; a mix
    # of two of them would not.
    selections = [
        [plans["east_a"].pk, plans["east_b"].pk],
        [plans["east_b"].pk],
        [plans["east_c"].pk, plans["east_a"].pk],
        [plans["east_b"].pk, plans["east_c"].pk],  # over budget: refused
    ]

    def submitter(selection):
        return lambda: cast_ballot(
            round=voting_round, voter=resident, district=helsinki["eastern"], plan_ids=selection
        )

    outcomes = submit_at_once(
        [submitter(selections[i % len(selections)]) for i in range(SUBMISSIONS)]
    )

    errors = {o.code for o in outcomes if isinstance(o, BallotError)}
    assert errors == {"over_budget"}
    assert Participation.objects.count() == 1
    ballot = Ballot.objects.get()
    chosen = Plan.objects.filter(pk__in=ballot.choices.values("plan"))
    assert sum(plan.cost for plan in chosen) <= 300_000
    assert sorted(chosen.values_list("pk", flat=True)) in [sorted(s) for s in selections[:3]]


def test_no_ballot_is_cast_or_changed_after_close(voting_round, plans, resident, helsinki):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    cast_ballot(
        round=voting_round,
        voter=resident,
        district=helsinki["eastern"],
        plan_ids=[plans["east_a"].pk],
    )
    Round.objects.filter(pk=voting_round.pk).update(voting_ends_at=timezone.now())
    late_voter = type(resident).objects.create(
        email="late@example.fi",
        municipality_code="091",
        verification_method="oidc",
        verified_at=timezone.now(),
        birth_date=resident.birth_date,
    )

    outcomes = submit_at_once(
        [
            lambda: cast_ballot(
                round=voting_round,
                voter=resident,
                district=helsinki["eastern"],
                plan_ids=[plans["east_b"].pk],
            ),
            lambda: cast_ballot(
                round=voting_round,
                voter=late_voter,
                district=helsinki["eastern"],
                plan_ids=[plans["east_b"].pk],
            ),
        ]
    )

    assert [o.code for o in outcomes] == ["ended", "ended"]
    assert Participation.objects.count() == 1
    assert list(BallotChoice.objects.values_list("plan", flat=True)) == [plans["east_a"].pk]
