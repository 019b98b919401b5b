"""After mixing, nobody can line a participation up with a ballot: not by ids, times or
receipt codes, not by the order rows lie in the table (SQLite's rowid, PostgreSQL's
ctid), and not by the transaction that wrote them (PostgreSQL's xmin). Runs on SQLite
and, with DATABASE_URL set, on PostgreSQL.

Every voter chooses a set of plans nobody else chooses, so a ballot names its voter:
any ordering that lined ballots up with voters would show as matches. A box written in
the order of voting is caught by the same check, so the check can fail.
"""

import itertools
import random
import re
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from osallistu.budgeting.models import Ballot, BallotChoice, Participation
from osallistu.budgeting.services import cast_ballot
from osallistu.budgeting.tasks import send_ballot_receipt
from osallistu.core.models import AuditEntry, Job
from tests.budgeting.factories import PlanFactory, close_and_mix
from tests.factories import VerifiedResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = 60
# Lined up at random, about one pair in N matches; this many would be a link.
MOST_MATCHES_BY_CHANCE = 8


@pytest.fixture
def voted(voting_round, helsinki):
    """60 voters of four districts, each with choices of their own; returns
    ``{voter id: (district id, frozenset of plan ids)}``."""
    districts = [helsinki[key] for key in ("eastern", "western", "central", "northern")]
    plans = {
        district.pk: [
            PlanFactory(round=voting_round, area=district, cost_low=5_000, cost_high=10_000)
            for _ in range(7)
        ]
        for district in districts
    }
    combinations = {
        district: list(itertools.combinations(plans[district.pk], 3)) for district in districts
    }
    rng = random.Random(13)
    chosen = {}
    for number in range(VOTERS):
        district = districts[number % len(districts)]
        picked = combinations[district].pop(rng.randrange(len(combinations[district])))
        voter = VerifiedResidentFactory(district=district)
        cast_ballot(
            round=voting_round,
            voter=voter,
            district=district,
            plan_ids=[plan.pk for plan in picked],
            email_choices=number % 3 == 0,
        )
        chosen[voter.pk] = (district.pk, frozenset(plan.pk for plan in picked))
    return chosen


def ballots_as_voted():
    """``{ballot id: (district id, frozenset of plan ids)}`` from the ballot box."""
    plans = {}
    for ballot_id, plan_id in BallotChoice.objects.values_list("ballot_id", "plan_id"):
        plans.setdefault(ballot_id, set()).add(plan_id)
    return {
        ballot.pk: (ballot.district_id, frozenset(plans.get(ballot.pk, ())))
        for ballot in Ballot.objects.all()
    }


def system_columns(table):
    """``{id: {column: value}}`` of the columns a database dump or a raw query shows
    besides the model's: row order and the writing transaction."""
    if connection.vendor == "postgresql":
        sql = f"SELECT id, ctid::text, xmin::text FROM {table}"
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return {
                same_id(row[0]): {
                    "ctid": tuple(int(part) for part in re.findall(r"\d+", row[1])),
                    "xmin": int(row[2]),
                }
                for row in cursor.fetchall()
            }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, rowid FROM {table}")
        return {same_id(row[0]): {"rowid": row[1]} for row in cursor.fetchall()}


def same_id(value):
    """A primary key as the ORM gives it: SQLite keeps UUIDs as 32 hex digits."""
    return value if isinstance(value, int | uuid.UUID) else uuid.UUID(value)


def participation_orders():
    """Every way to put participations in an order: ``{name: [voter id, ...]}``."""
    rows = list(Participation.objects.values("pk", "voter_id", "voted_at", "receipt_code"))
    system = system_columns(Participation._meta.db_table)
    audit = {
        int(entry.target_id): (entry.created_at, entry.pk)
        for entry in AuditEntry.objects.filter(action="budgeting.ballot_cast")
    }
    orders = {
        "id": sorted(rows, key=lambda row: row["pk"]),
        "voted_at": sorted(rows, key=lambda row: row["voted_at"]),
        "receipt_code": sorted(rows, key=lambda row: row["receipt_code"]),
        "audit log": sorted(rows, key=lambda row: audit[row["pk"]]),
    }
    for column in next(iter(system.values())):
        orders[column] = sorted(rows, key=lambda row: (system[row["pk"]][column], row["pk"]))
    return {name: [row["voter_id"] for row in order] for name, order in orders.items()}


def ballot_orders():
    """Every way to put ballots in an order: ``{name: [ballot id, ...]}``."""
    ids = list(Ballot.objects.values_list("pk", flat=True))
    system = system_columns(Ballot._meta.db_table)
    choices = system_columns(BallotChoice._meta.db_table)
    first_choice = {}
    for choice_id, ballot_id in BallotChoice.objects.values_list("pk", "ballot_id"):
        key = tuple(choices[choice_id].values())
        first_choice[ballot_id] = min(first_choice.get(ballot_id, key), key)
    orders = {"id": sorted(ids), "choices' rows": sorted(ids, key=first_choice.__getitem__)}
    for column in next(iter(system.values())):
        orders[column] = sorted(ids, key=lambda pk, column=column: (system[pk][column], pk))
    return orders


def links(chosen):
    """``{(participation order, ballot order): pairs that line up}``."""
    box = ballots_as_voted()
    found = {}
    for (people_by, people), (ballots_by, ballots) in itertools.product(
        participation_orders().items(), ballot_orders().items()
    ):
        found[(people_by, ballots_by)] = sum(
            chosen[voter] == box[ballot] for voter, ballot in zip(people, ballots, strict=True)
        )
    return found


def backwards_links(chosen):
    """The same with the ballots read from the end: that lines up just as well."""
    box = ballots_as_voted()
    return {
        (people_by, ballots_by): sum(
            chosen[voter] == box[ballot]
            for voter, ballot in zip(people, reversed(ballots), strict=True)
        )
        for (people_by, people), (ballots_by, ballots) in itertools.product(
            participation_orders().items(), ballot_orders().items()
        )
    }


def test_nothing_lines_a_voter_up_with_their_ballot_after_mixing(voting_round, voted):
    close_and_mix(voting_round)

    assert Ballot.objects.count() == VOTERS
    assert sorted(ballots_as_voted().values(), key=sorted_key) == sorted(
        voted.values(), key=sorted_key
    )
    for pair, matches in {**links(voted), **backwards_links(voted)}.items():
        assert matches <= MOST_MATCHES_BY_CHANCE, pair

    # The writing transaction: every ballot and every participation was last written by
    # the same one, the mixing, so equal transaction ids join everyone to everyone.
    if connection.vendor == "postgresql":
        writers = {row["xmin"] for row in system_columns("budgeting_ballot").values()}
        writers |= {row["xmin"] for row in system_columns("budgeting_ballotchoice").values()}
        writers |= {row["xmin"] for row in system_columns("budgeting_participation").values()}
        assert len(writers) == 1

    # Nothing else holds choices next to a person: no sealed copy, no job, no audit entry.
    assert not Participation.objects.exclude(sealed_ballot=None).exists()
    for job in Job.objects.all():
        assert job.payload.get("choices") is None
    cast = AuditEntry.objects.filter(
        action__in=["budgeting.ballot_cast", "budgeting.ballot_changed"]
    )
    for entry in cast:
        assert set(entry.data) == {"round", "channel", "confirmed_by"}
    voting_round.refresh_from_db()
    assert voting_round.seal_key_salt is None  # no sealed copy can be opened again


def test_the_check_finds_a_box_written_in_the_order_of_voting(voting_round, voted):
    """What the ballot box looked like before sealing: rows written as people voted."""
    close_and_mix(voting_round)
    Ballot.objects.all().delete()
    for voter in Participation.objects.order_by("pk").values_list("voter_id", flat=True):
        district, plans = voted[voter]
        ballot = Ballot.objects.create(round=voting_round, district_id=district)
        BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, plan_id=p) for p in plans)
    found = links(voted)
    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    assert found[("id", column)] == VOTERS


def test_receipts_waiting_to_be_sent_lose_the_choices_when_the_ballots_are_mixed(
    voting_round, voted
):
    waiting = send_ballot_receipt.jobs().exclude(payload__choices=None)
    assert waiting.count() == VOTERS // 3
    close_and_mix(voting_round)
    assert not send_ballot_receipt.jobs().exclude(payload__choices=None).exists()
    # The receipt itself still goes out.
    assert send_ballot_receipt.jobs().filter(run_after__lte=timezone.now()).count() == VOTERS


def sorted_key(choice):
    return (choice[0], sorted(choice[1]))
