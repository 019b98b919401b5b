"""Shortlists: a voter's ticks are kept as they go, come back on another day or device,
are the voter's alone, and are gone once they vote (or voting closes), whatever the
database."""

import datetime
import json
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client

from osallistu.budgeting import sealing, selectors, services
from osallistu.budgeting.models import Participation, Round, Shortlist
from osallistu.budgeting.services import BallotError, cast_ballot, record_paper_vote
from osallistu.budgeting.services.ballot_box import close_ballot_box
from osallistu.core.models import AuditEntry
from tests.budgeting.factories import checked_in_person, close_and_mix, staff_of
from tests.budgeting.test_budgeting_views import text, url
from tests.factories import StaffRoleFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def tick(round, voter, *plans):
    return services.update_shortlist(
        round=round, voter=voter, shown=[], chosen=[plan.pk for plan in plans]
    )


def ticked_on(page):
    return set(map(int, re.findall(r'value="(\d+)" id="plan-\d+" data-cost="\d+" checked', page)))


def test_ticks_come_back_on_another_device(client, voting_round, plans, resident):
    client.force_login(resident)
    client.post(
        url("ballot", "omastadi", "eastern"),
        {
            "plans_eastern": [plans["east_a"].pk],
            "plans_helsinki": [plans["city_b"].pk],
            "save": "1",
        },
    )
    # The next day, on a phone: a new session.
    phone = Client()
    phone.force_login(resident)
    page = text(phone.get(url("ballot", "omastadi", "eastern")))
    assert ticked_on(page) == {plans["east_a"].pk, plans["city_b"].pk}
    assert "You have chosen 2 plans." in page
    assert "Eastern: money left €200,000" in page
    assert "All of Helsinki: money left €250,000" in page
    # Another voter has their own.
    other = Client()
    other.force_login(checked_in_person(resident.district))
    assert ticked_on(text(other.get(url("ballot", "omastadi", "eastern")))) == set()


def test_ticks_of_another_district_wait_on_their_own_ballot(client, voting_round, plans, resident):
    tick(voting_round, resident, plans["west_a"], plans["east_a"], plans["city_a"])
    client.force_login(resident)
    page = text(client.get(url("ballot", "omastadi", "eastern")))
    assert ticked_on(page) == {plans["east_a"].pk, plans["city_a"].pk}
    assert "You have also chosen 1 plan of another district." in page
    # Checking the Eastern choices leaves the Western plan out of the ballot.
    review = text(client.post(url("ballot", "omastadi", "eastern"), {"listed": "1"}))
    assert "Check your choices" in review
    assert "I-001" in review and "H-001" in review and "L-001" not in review


def test_the_shortlist_is_sealed_and_padded(voting_round, plans, resident, helsinki):
    other = checked_in_person(helsinki["eastern"])
    tick(voting_round, resident, plans["east_a"])
    tick(voting_round, other, plans["east_a"], plans["east_c"], plans["city_a"], plans["city_b"])
    stored = {row.voter_id: bytes(row.sealed_plans) for row in Shortlist.objects.all()}
    # The same length whatever it holds, and the plan ids not in the clear. (A short
    # piece such as "4," turns up in random bytes now and then: the whole lists are
    # looked for.)
    assert len(stored[resident.pk]) == len(stored[other.pk])
    ticked = sorted(plans[name].pk for name in ("east_a", "east_c", "city_a", "city_b"))
    for sealed in stored.values():
        assert json.dumps([plans["east_a"].pk]).encode() not in sealed
        assert json.dumps(ticked).encode() not in sealed
    assert sealing.open_shortlist(voting_round.seal_key_salt, stored[other.pk]) == {
        plans[name].pk for name in ("east_a", "east_c", "city_a", "city_b")
    }
    # Nothing about ticks goes to the audit log.
    assert not AuditEntry.objects.filter(actor=resident).exists()


def test_a_changed_key_loses_the_ticks_and_nothing_else(voting_round, plans, resident, settings):
    tick(voting_round, resident, plans["east_a"])
    settings.BALLOT_SEAL_KEY = "another key"
    assert selectors.shortlist_of(voting_round, resident) == set()
    assert tick(voting_round, resident, plans["east_b"]) == {plans["east_b"].pk}


def test_nobody_else_reads_a_shortlist(client, voting_round, plans, helsinki):
    voter = checked_in_person(helsinki["eastern"], full_name="Eila Valitsija")
    tick(voting_round, voter, plans["east_a"], plans["city_c"])
    # Not in the admin, not even for a superuser past the second factor.
    assert not admin.site.is_registered(Shortlist)
    superuser = StaffRoleFactory(user__is_superuser=True).user
    sign_in_past_second_factor(client, superuser)
    assert client.get("/en/admin/budgeting/shortlist/").status_code == 404
    assert client.get(f"/en/admin/accounts/user/{voter.pk}/change/").status_code == 200
    for path in (f"/en/admin/accounts/user/{voter.pk}/change/", "/en/admin/"):
        assert "shortlist" not in text(client.get(path)).lower()
    # Staff recording the person's ballot start from an empty one.
    staff = staff_of(helsinki["eastern"])
    sign_in_past_second_factor(client, staff)
    page = text(client.get(url("staff_record_ballot", "omastadi", voter.pk)))
    assert "Eila Valitsija" in page
    assert "I-001" in page
    assert not re.search(r'name="ballot-plans_[a-z-]+" value="\d+"[^>]*checked', page)
    # The ballot pages are the voter's own: staff see their own (empty) shortlist there.
    assert selectors.shortlist_of(voting_round, staff) == set()


def test_the_vote_deletes_the_shortlist(client, voting_round, plans, resident):
    tick(voting_round, resident, plans["east_a"], plans["city_a"])
    client.force_login(resident)
    response = client.post(
        url("cast", "omastadi", "eastern"), {"plans": [plans["east_a"].pk, plans["city_a"].pk]}
    )
    assert response["Location"] == url("receipt", "omastadi")
    assert not Shortlist.objects.exists()
    # And no tick can make a new one.
    with pytest.raises(BallotError) as refused:
        tick(voting_round, resident, plans["east_b"])
    assert refused.value.code == "already_voted"
    assert not Shortlist.objects.exists()
    response = client.post(
        url("choose", "omastadi", "eastern"),
        {"plan": plans["east_b"].pk, "chosen": "1"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert not Shortlist.objects.exists()


def test_a_refused_vote_keeps_the_shortlist(voting_round, plans, resident, helsinki):
    tick(voting_round, resident, plans["east_b"], plans["east_c"])
    with pytest.raises(BallotError):
        cast_ballot(
            round=voting_round,
            voter=resident,
            district=helsinki["eastern"],
            plan_ids=[plans["east_b"].pk, plans["east_c"].pk],  # over the money
        )
    assert selectors.shortlist_of(voting_round, resident) == {
        plans["east_b"].pk,
        plans["east_c"].pk,
    }


def test_a_change_deletes_the_shortlist_made_for_it(voting_round, plans, resident, helsinki):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    voting_round.refresh_from_db()
    tick(voting_round, resident, plans["east_a"])
    cast_ballot(
        round=voting_round,
        voter=resident,
        district=helsinki["eastern"],
        plan_ids=[plans["east_a"].pk],
    )
    assert not Shortlist.objects.exists()
    # A change starts from empty ticks, kept as they go until the changed ballot.
    tick(voting_round, resident, plans["east_b"])
    assert selectors.shortlist_of(voting_round, resident) == {plans["east_b"].pk}
    cast_ballot(
        round=voting_round,
        voter=resident,
        district=helsinki["eastern"],
        plan_ids=[plans["east_b"].pk],
    )
    assert not Shortlist.objects.exists()


def test_an_assisted_ballot_or_a_paper_vote_deletes_the_shortlist(voting_round, plans, helsinki):
    staff, second = staff_of(helsinki["eastern"]), staff_of(helsinki["eastern"])
    assisted = checked_in_person(helsinki["eastern"])
    on_paper = checked_in_person(helsinki["eastern"])
    for voter in (assisted, on_paper):
        tick(voting_round, voter, plans["east_a"])
    cast_ballot(
        round=voting_round,
        voter=assisted,
        district=helsinki["eastern"],
        plan_ids=[plans["east_c"].pk],
        channel="assisted",
        recorded_by=staff,
        confirmed_by=second,
    )
    assert list(Shortlist.objects.values_list("voter", flat=True)) == [on_paper.pk]
    record_paper_vote(round=voting_round, voter=on_paper, recorded_by=staff, confirmed_by=second)
    assert not Shortlist.objects.exists()
    assert Participation.objects.count() == 2


def test_closing_the_ballot_box_deletes_every_shortlist(voting_round, plans, resident, helsinki):
    tick(voting_round, resident, plans["east_a"])
    tick(voting_round, checked_in_person(helsinki["western"]), plans["west_a"])
    assert Shortlist.objects.count() == 2
    Round.objects.filter(pk=voting_round.pk).update(
        voting_starts_at=voting_round.voting_starts_at - datetime.timedelta(days=30),
        voting_ends_at=voting_round.voting_starts_at - datetime.timedelta(days=1),
    )
    voting_round.refresh_from_db()
    with pytest.raises(BallotError):
        tick(voting_round, resident, plans["east_b"])
    close_ballot_box(voting_round)
    assert not Shortlist.objects.exists()


def test_mixing_deletes_what_is_left_and_the_key_goes(voting_round, plans, resident):
    tick(voting_round, resident, plans["east_a"])
    salt = voting_round.seal_key_salt
    round = close_and_mix(voting_round)
    assert not Shortlist.objects.exists()
    assert round.seal_key_salt is None and salt is not None
    assert selectors.shortlist_of(round, resident) == set()


def test_ticks_are_not_saved_by_a_voter_who_may_not_vote(client, voting_round, plans, helsinki):
    from tests.factories import UserFactory

    unverified = UserFactory(district=helsinki["eastern"])
    client.force_login(unverified)
    response = client.post(
        url("ballot", "omastadi", "eastern"), {"plans_eastern": [plans["east_a"].pk], "save": "1"}
    )
    assert response.status_code == 403
    assert not Shortlist.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_tick_at_the_moment_of_the_vote_never_outlives_it(voting_round, plans, helsinki):
    """A tick and the vote of the same person at once, again and again: the tick lands
    before the vote and goes with it, or comes after and is refused."""
    from tests.budgeting.test_budgeting_concurrency import submit_at_once

    voters = [checked_in_person(helsinki["eastern"]) for _ in range(20)]
    outcomes = []
    for number, voter in enumerate(voters):
        if number % 2:
            tick(voting_round, voter, plans["east_c"])  # the tick changes a shortlist
        outcomes += submit_at_once(
            [
                lambda voter=voter: tick(voting_round, voter, plans["east_a"]),
                lambda voter=voter: cast_ballot(
                    round=voting_round,
                    voter=voter,
                    district=helsinki["eastern"],
                    plan_ids=[plans["east_b"].pk],
                ),
            ]
        )
    assert Participation.objects.count() == len(voters)
    assert not Shortlist.objects.exists()
    refused = [outcome for outcome in outcomes if isinstance(outcome, BallotError)]
    assert {error.code for error in refused} <= {"already_voted"}
    connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_quick_ticks_from_two_tabs_are_all_kept(voting_round, plans, resident):
    from tests.budgeting.test_budgeting_concurrency import submit_at_once

    names = ["east_a", "east_b", "east_c", "city_a", "city_b", "city_c", "west_a"]
    submit_at_once(
        [lambda name=name: tick_one(voting_round, resident, plans[name]) for name in names * 2]
    )
    assert selectors.shortlist_of(voting_round, resident) == {plans[n].pk for n in names}


def tick_one(round, voter, plan):
    return services.update_shortlist(round=round, voter=voter, shown=[plan.pk], chosen=[plan.pk])
