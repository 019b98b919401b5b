"""Integrity under concurrency, on PostgreSQL: each thread has its own connection."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

from osallistu.budgeting import ballot_cache, services
from osallistu.budgeting.models import (
    Ballot,
    BallotChoice,
    Participation,
    Plan,
    ProposalComment,
    Round,
)
from osallistu.budgeting.selectors import public_proposal_comments
from osallistu.budgeting.services import BallotError, cast_ballot
from osallistu.budgeting.tasks import send_ballot_receipt
from osallistu.core.models import AuditEntry
from tests.budgeting import factories
from tests.budgeting.factories import sealed_choices
from tests.concurrency import at_once
from tests.factories import StaffRoleFactory, UserFactory, VerifiedResidentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 20


def submit_at_once(submissions):
    """Run the callables at the same moment in threads; return results and errors."""
    return at_once(len(submissions), lambda index: submissions[index]())


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
    participation = Participation.objects.get()
    assert sealed_choices(participation)[1] == {plans["east_a"].pk, plans["city_a"].pk}
    # The audit entry and the receipt e-mail exist exactly once, with the ballot.
    assert AuditEntry.objects.filter(action__startswith="budgeting.ballot").count() == 1
    assert send_ballot_receipt.jobs().count() == 1


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
    chosen = Plan.objects.filter(pk__in=sealed_choices(Participation.objects.get())[1])
    assert sum(plan.cost for plan in chosen) <= 300_000
    assert sorted(chosen.values_list("pk", flat=True)) in [sorted(s) for s in selections[:3]]
    accepted = [o for o in outcomes if isinstance(o, Participation)]
    assert AuditEntry.objects.filter(action__startswith="budgeting.ballot").count() == len(accepted)
    assert send_ballot_receipt.jobs().count() == len(accepted)


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
    assert sealed_choices(Participation.objects.get())[1] == {plans["east_a"].pk}


def test_ballots_cast_as_voting_closes_are_mixed_or_refused_never_lost(
    voting_round, plans, helsinki
):
    """Voters keep pressing Vote while voting closes and mixing starts at once: every
    ballot that was accepted is in the box, every other one was refused as "ended",
    and no sealed copy is left behind."""
    voters = [VerifiedResidentFactory(district=helsinki["eastern"]) for _ in range(16)]
    closing = timezone.now() + timedelta(seconds=1.5)
    Round.objects.filter(pk=voting_round.pk).update(voting_ends_at=closing)
    choices = [plans["east_a"].pk, plans["city_a"].pk]

    def press_vote(voter):
        def vote():
            try:
                cast_ballot(
                    round=voting_round, voter=voter, district=helsinki["eastern"], plan_ids=choices
                )
            except BallotError as error:
                return error.code
            return "accepted"

        return vote

    def mix_when_closed():
        while timezone.now() < closing:
            time.sleep(0.005)
        voting_round.refresh_from_db()
        return services.mix_ballots(round=voting_round)

    presses = [press_vote(voter) for voter in voters]

    def at_closing(press):
        def wait_then_press():
            while timezone.now() < closing - timedelta(milliseconds=30):
                time.sleep(0.002)
            return press()

        return wait_then_press

    outcomes = submit_at_once([*(at_closing(press) for press in presses), mix_when_closed])
    *votes, mixed = outcomes
    assert set(votes) <= {"accepted", "ended"}
    accepted = votes.count("accepted")
    voting_round.refresh_from_db()
    assert voting_round.ballots_mixed
    assert mixed == accepted == Participation.objects.count()
    assert Ballot.objects.count() == accepted
    assert not Participation.objects.exclude(sealed_ballot=None).exists()
    assert BallotChoice.objects.count() == 2 * accepted


def test_rules_changed_during_voting_apply_to_the_next_ballot(voting_round, plans, helsinki):
    """An emergency change made straight in the database, as no screen allows one during
    voting: nothing is kept per process, so the next ballot is checked against it."""
    two = [plans["east_a"].pk, plans["east_c"].pk]
    first = VerifiedResidentFactory()
    cast_ballot(round=voting_round, voter=first, district=helsinki["eastern"], plan_ids=two)
    Round.objects.filter(pk=voting_round.pk).update(max_plans_per_area=1)
    outcomes = submit_at_once(
        [
            lambda: cast_ballot(
                round=voting_round,
                voter=VerifiedResidentFactory(),
                district=helsinki["eastern"],
                plan_ids=two,
            )
        ]
        * 3
    )
    assert {outcome.code for outcome in outcomes} == {"too_many"}
    assert Participation.objects.count() == 1


def test_audit_entry_and_receipt_exist_exactly_when_the_ballot_does(voting_round, plans, helsinki):
    good = [plans["east_a"].pk]
    bad = [plans["east_b"].pk, plans["east_c"].pk]  # over the Eastern money
    voters = [VerifiedResidentFactory() for _ in range(16)]
    outcomes = submit_at_once(
        [
            lambda voter=voter, number=number: cast_ballot(
                round=voting_round,
                voter=voter,
                district=helsinki["eastern"],
                plan_ids=good if number % 2 else bad,
            )
            for number, voter in enumerate(voters)
        ]
    )
    cast = {o.voter_id for o in outcomes if isinstance(o, Participation)}
    assert len(cast) == 8
    assert set(Participation.objects.values_list("voter", flat=True)) == cast
    entries = AuditEntry.objects.filter(action="budgeting.ballot_cast")
    assert sorted(int(e.target_id) for e in entries) == sorted(
        Participation.objects.values_list("pk", flat=True)
    )
    receipts = send_ballot_receipt.jobs()
    assert sorted(job.payload["voter"] for job in receipts) == sorted(cast)


def test_a_ballot_rendered_while_a_plan_changes_is_not_kept_after_the_change(
    voting_round, plans, helsinki
):
    """Another process renders the ballot between the plan's save and its commit: it reads
    the old title, and keeps it under the version it sees. The version changes only once
    the change has committed, so the next page is rendered again, with the new title."""
    plan = plans["east_a"]
    saved, rendered = threading.Event(), threading.Event()

    def kept_title():
        try:
            with translation.override("en"):
                listing = ballot_cache.listing(round=voting_round, district=helsinki["eastern"])
            return next(listed.title for listed in listing.plans if listed.pk == plan.pk)
        finally:
            connection.close()

    def change_title():
        with transaction.atomic():
            Plan.objects.filter(pk=plan.pk).update(title_en="A new bench by the shore")
            changed = Plan.objects.get(pk=plan.pk)
            changed.save()  # the signal that replaces the version
            saved.set()
            rendered.wait(timeout=30)
        connection.close()

    def render_meanwhile():
        saved.wait(timeout=30)
        try:
            return kept_title()
        finally:
            rendered.set()

    _changed, meanwhile = submit_at_once([change_title, render_meanwhile])
    assert meanwhile == plan.title_en  # the old title: the change had not committed
    assert kept_title() == "A new bench by the shore"


def test_a_comment_posted_as_its_proposal_is_hidden_is_never_public(helsinki):
    """Commenting locks the proposal: hiding it either waits for the comment and marks
    it, or comes first and the comment is refused."""
    proposing = factories.proposing_round(helsinki.values(), slug="ideas")
    moderator = StaffRoleFactory().user
    for attempt in range(5):
        proposal = services.submit_proposal(
            round=proposing,
            author=UserFactory(),
            area=helsinki["eastern"],
            title=f"Laituri {attempt}",
            description="Laituri rantaan.",
            theme="sports",
            language="fi",
        )
        authors = [UserFactory() for _ in range(3)]

        def act(index, proposal=proposal, authors=authors):
            if index == 0:
                return services.hide_proposal(proposal=proposal, reason="Asiaton.", actor=moderator)
            return services.post_proposal_comment(
                proposal=proposal, author=authors[index - 1], text="Hyvä."
            )

        hidden, *comments = at_once(4, act)
        assert hidden == proposal
        refused = [each for each in comments if isinstance(each, services.ProposalError)]
        posted = [each for each in comments if isinstance(each, ProposalComment)]
        assert len(refused) + len(posted) == 3, comments
        assert all(error.code == "hidden" for error in refused)
        assert ProposalComment.objects.filter(proposal=proposal, proposal_hidden=True).count() == (
            len(posted)
        )
        assert not public_proposal_comments().filter(proposal=proposal).exists()
