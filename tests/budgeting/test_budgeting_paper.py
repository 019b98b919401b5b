"""Paper ballots in batches, and the ballot box: entered by one member of staff,
reconciled by another, counted only once reconciled; mixing only after voting."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.budgeting import services
from osallistu.budgeting.models import Ballot, PaperBatch, Round
from osallistu.budgeting.services import BallotBoxError, BallotError
from osallistu.core.models import AuditEntry
from tests.budgeting.factories import close_and_mix, staff_of
from tests.factories import (
    StaffRoleFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


@pytest.fixture
def entering(helsinki):
    return staff_of(helsinki["eastern"])


@pytest.fixture
def checking(helsinki):
    return staff_of(helsinki["eastern"])


@pytest.fixture
def batch(voting_round, helsinki, entering):
    return services.open_paper_batch(
        round=voting_round,
        district=helsinki["eastern"],
        label="Itäkeskuksen kirjasto",
        slips_declared=3,
        actor=entering,
    )


def enter_all(batch, plans, entering):
    services.enter_paper_slip(batch=batch, plan_ids=[plans["east_a"].pk], actor=entering)
    services.enter_paper_slip(
        batch=batch, plan_ids=[plans["east_b"].pk, plans["city_a"].pk], actor=entering
    )
    services.enter_void_slip(batch=batch, actor=entering)
    return services.submit_paper_batch(batch=batch, actor=entering)


def test_slips_are_entered_reconciled_by_another_person_and_then_counted(
    voting_round, plans, helsinki, batch, entering, checking
):
    enter_all(batch, plans, entering)
    with pytest.raises(BallotBoxError) as refused:
        services.reconcile_paper_batch(batch=batch, slips_counted=3, actor=entering)
    assert refused.value.code == "same_person"
    with pytest.raises(BallotBoxError) as refused:
        services.reconcile_paper_batch(batch=batch, slips_counted=4, actor=checking)
    assert refused.value.code == "counts_differ"

    round = close_and_mix(voting_round)
    assert services.why_not_countable(round, helsinki["eastern"]).code == "paper_waiting"
    assert services.why_not_countable(round, helsinki["city"]).code == "paper_waiting"
    assert services.why_not_countable(round, helsinki["western"]) is None

    services.reconcile_paper_batch(batch=batch, slips_counted=3, actor=checking)
    batch.refresh_from_db()
    assert (batch.reconciled_by, batch.slips_counted) == (checking, 3)
    assert services.why_not_countable(round, helsinki["eastern"]) is None
    tally = services.run_count(round=round, area=helsinki["eastern"], actor=checking)
    assert tally.ballots_counted == 2  # the void slip is counted in the batch, not the box
    actions = AuditEntry.objects.filter(action__startswith="budgeting.paper_batch")
    assert list(actions.order_by("pk").values_list("action", flat=True)) == [
        "budgeting.paper_batch_opened",
        "budgeting.paper_batch_submitted",
        "budgeting.paper_batch_reconciled",
    ]


def test_slips_of_an_unreconciled_batch_are_not_counted(
    voting_round, plans, helsinki, batch, entering
):
    enter_all(batch, plans, entering)
    assert Ballot.objects.filter(paper_batch=batch).count() == 2
    assert not Ballot.objects.counted().filter(paper_batch=batch).exists()


def test_a_batch_holds_what_the_envelope_holds(voting_round, plans, batch, entering):
    for _ in range(3):
        services.enter_void_slip(batch=batch, actor=entering)
    with pytest.raises(BallotBoxError) as refused:
        services.enter_void_slip(batch=batch, actor=entering)
    assert refused.value.code == "too_many_slips"
    with pytest.raises(BallotBoxError) as refused:
        services.enter_paper_slip(batch=batch, plan_ids=[plans["east_a"].pk], actor=entering)
    assert refused.value.code == "too_many_slips"


def test_a_batch_is_submitted_only_in_full(voting_round, plans, batch, entering):
    services.enter_paper_slip(batch=batch, plan_ids=[plans["east_a"].pk], actor=entering)
    with pytest.raises(BallotBoxError) as refused:
        services.submit_paper_batch(batch=batch, actor=entering)
    assert refused.value.code == "counts_differ"


def test_a_slip_that_breaks_the_rules_is_not_entered(voting_round, plans, batch, entering):
    with pytest.raises(BallotError) as refused:
        services.enter_paper_slip(
            batch=batch, plan_ids=[plans["east_b"].pk, plans["east_c"].pk], actor=entering
        )
    assert refused.value.code == "over_budget"
    assert not Ballot.objects.exists()


def test_only_the_person_entering_changes_a_batch_until_it_is_submitted(
    voting_round, plans, batch, entering, checking
):
    with pytest.raises(PermissionDenied):
        services.enter_paper_slip(batch=batch, plan_ids=[plans["east_a"].pk], actor=checking)
    slip = services.enter_paper_slip(batch=batch, plan_ids=[plans["east_a"].pk], actor=entering)
    for unknown in ("", "not-a-slip", uuid.uuid4()):
        with pytest.raises(BallotBoxError) as refused:
            services.remove_paper_slip(batch=batch, ballot_id=unknown, actor=entering)
        assert refused.value.code == "unknown_slip"
    services.remove_paper_slip(batch=batch, ballot_id=str(slip.pk), actor=entering)
    assert not Ballot.objects.exists()
    enter_all(batch, plans, entering)
    with pytest.raises(BallotBoxError) as refused:
        services.enter_void_slip(batch=batch, actor=entering)
    assert refused.value.code == "submitted"


def test_a_returned_batch_is_corrected_and_submitted_again(
    voting_round, plans, batch, entering, checking
):
    enter_all(batch, plans, entering)
    with pytest.raises(BallotBoxError):
        services.return_paper_batch(batch=batch, reason="", actor=checking)
    services.return_paper_batch(batch=batch, reason="One slip is for Western", actor=checking)
    batch.refresh_from_db()
    assert batch.submitted_at is None
    assert (batch.returned_by, batch.return_reason) == (checking, "One slip is for Western")
    services.submit_paper_batch(batch=batch, actor=entering)


def test_the_person_entering_reads_what_the_second_person_asked_to_correct(
    client, voting_round, plans, batch, entering, checking
):
    enter_all(batch, plans, entering)
    sign_in_past_second_factor(client, checking)
    address = f"/fi/budgeting/{voting_round.slug}/staff/paper/{batch.pk}/"
    reason = "Lippu 2 on Läntisen alueen lippu: ota se pois ja laske kuori uudelleen."
    response = client.post(address, {"action": "return", "reason": f"  {reason}\n"})
    assert response.status_code == 302
    sign_in_past_second_factor(client, entering)
    page = client.get(address).content.decode()
    assert reason in page and str(checking) in page


def test_a_return_reason_longer_than_the_batch_holds_is_refused(
    voting_round, plans, batch, entering, checking
):
    enter_all(batch, plans, entering)
    with pytest.raises(BallotBoxError) as refused:
        services.return_paper_batch(batch=batch, reason="x" * 301, actor=checking)
    assert refused.value.code == "reason_too_long"
    batch.refresh_from_db()
    assert batch.submitted_at is not None and batch.return_reason == ""


def test_staff_of_another_district_and_other_roles_do_not_enter_slips(voting_round, helsinki):
    for role, area in [
        (StaffRole.Role.SERVICE_POINT, helsinki["western"]),
        (StaffRole.Role.CITY_ADMIN, None),
        (StaffRole.Role.DISTRICT_MODERATOR, helsinki["eastern"]),
    ]:
        with pytest.raises(PermissionDenied):
            services.open_paper_batch(
                round=voting_round,
                district=helsinki["eastern"],
                label="x",
                slips_declared=1,
                actor=StaffRoleFactory(role=role, area=area).user,
            )
    assert not PaperBatch.objects.exists()


def test_the_database_refuses_a_batch_reconciled_by_its_enterer(batch, entering):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBatch.objects.filter(pk=batch.pk).update(
            submitted_at=timezone.now(),
            reconciled_by=entering,
            reconciled_at=timezone.now(),
            slips_counted=3,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperBatch.objects.filter(pk=batch.pk).update(
            submitted_at=timezone.now(), reconciled_at=timezone.now(), slips_counted=2
        )


def test_no_paper_batch_before_voting_starts(helsinki, entering):
    future = Round.objects.create(
        slug="future",
        name="Future",
        voting_starts_at=timezone.now() + timedelta(days=1),
        voting_ends_at=timezone.now() + timedelta(days=5),
    )
    with pytest.raises(BallotBoxError) as refused:
        services.open_paper_batch(
            round=future,
            district=helsinki["eastern"],
            label="x",
            slips_declared=1,
            actor=entering,
        )
    assert refused.value.code == "not_started"


# The ballot box


def test_ballots_are_not_mixed_while_voting_is_open(voting_round, plans, resident, helsinki):
    services.cast_ballot(
        round=voting_round,
        voter=resident,
        district=helsinki["eastern"],
        plan_ids=[plans["east_a"].pk],
    )
    with pytest.raises(BallotBoxError) as refused:
        services.mix_ballots(round=voting_round)
    assert refused.value.code == "open"
    voting_round.refresh_from_db()
    assert voting_round.ballot_box_closed_at is None and not Ballot.objects.exists()


def test_mixing_twice_gives_the_same_box(voting_round, plans, helsinki):
    for _ in range(3):
        services.cast_ballot(
            round=voting_round,
            voter=VerifiedResidentFactory(),
            district=helsinki["eastern"],
            plan_ids=[plans["east_a"].pk, plans["city_a"].pk],
        )
    round = close_and_mix(voting_round)
    box = set(Ballot.objects.values_list("pk", flat=True))
    assert len(box) == 3
    assert services.mix_ballots(round=round) == 0
    assert set(Ballot.objects.values_list("pk", flat=True)) == box
    entry = AuditEntry.objects.get(action="budgeting.ballots_mixed")
    assert entry.data == {"ballots": 3}


def test_a_closed_box_refuses_ballots_even_before_the_closing_time_passes_on_the_clock(
    voting_round, plans, resident, helsinki
):
    """Mixing closes the box under the round's lock; a ballot arriving after that is
    refused whatever the clock of the server that takes it says."""
    Round.objects.filter(pk=voting_round.pk).update(ballot_box_closed_at=timezone.now())
    with pytest.raises(BallotError) as refused:
        services.cast_ballot(
            round=voting_round,
            voter=resident,
            district=helsinki["eastern"],
            plan_ids=[plans["east_a"].pk],
        )
    assert refused.value.code == "ended"


def test_city_administrators_ask_for_mixing_when_the_worker_did_not(voting_round, plans, helsinki):
    admin = StaffRoleFactory().user
    with pytest.raises(BallotBoxError) as refused:
        services.request_mixing(round=voting_round, actor=admin)
    assert refused.value.code == "open"
    Round.objects.filter(pk=voting_round.pk).update(voting_ends_at=timezone.now())
    voting_round.refresh_from_db()
    services.request_mixing(round=voting_round, actor=admin)
    with pytest.raises(BallotBoxError) as refused:
        services.request_mixing(round=voting_round, actor=admin)
    assert refused.value.code == "mixing"
