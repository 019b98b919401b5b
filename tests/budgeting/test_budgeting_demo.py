import datetime

import pytest
from django.db.models import Sum

from osallistu.areas.models import Area
from osallistu.budgeting import services
from osallistu.budgeting.models import (
    Ballot,
    BallotChoice,
    Participation,
    Plan,
    PlanImage,
    PlanStatus,
)
from osallistu.budgeting.tasks import mix_round
from osallistu.demo.budgeting import ROUND_4_DISTRICTS, build_budgeting
from osallistu.demo.people import build_people
from tests.budgeting.test_budgeting_views import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build_people()
    return dict((round.slug, round) for round, _note in build_budgeting(datetime.date.today()))


def test_demo_round_in_voting(demo, client):
    round = demo["omastadi-2025"]
    assert round.voting_is_open()
    amounts = {b.area.slug: b.amount for b in round.budgets.select_related("area")}
    assert {k: v for k, v in amounts.items() if k != "helsinki"} == ROUND_4_DISTRICTS
    plans = Plan.objects.filter(round=round)
    assert 280 <= plans.count() <= 320
    assert plans.values("area").distinct().count() == 8
    assert not plans.filter(title_sv="").exists()
    assert Participation.objects.filter(round=round).exists()
    # Every demo ballot keeps to its areas' money (those of the finished round, mixed).
    finished = demo["omastadi-2023"]
    for ballot in Ballot.objects.filter(round=finished)[:50]:
        for budget in finished.budgets.all():
            spent = BallotChoice.objects.filter(ballot=ballot, plan__area=budget.area).aggregate(
                total=Sum("plan__cost_high")
            )["total"]
            assert (spent or 0) <= budget.amount
    # What voters look for: every plan has a theme, a neighbourhood and a place, most a
    # picture described in three languages.
    assert not plans.filter(theme="").exists()
    assert not plans.filter(neighbourhood=None).exists()
    assert not plans.filter(place=None).exists()
    pictured = plans.exclude(images=None).count()
    assert pictured > plans.count() * 0.7
    assert not PlanImage.objects.filter(plan__round=round, alt_text_sv="").exists()
    for plan in plans.exclude(area__kind="city").select_related("neighbourhood", "area"):
        assert plan.neighbourhood.district_id == plan.area_id
    page = text(client.get(f"/sv/budgeting/{round.slug}/"))
    assert "OmaStadi 2025–2026" in page
    assert "1 868 353 €" in page  # no-break spaces, collapsed by text()


def test_demo_finished_round_has_results(demo, client):
    round = demo["omastadi-2023"]
    assert round.voting_has_ended()
    assert round.tallies.published().count() == 8
    assert Plan.objects.filter(round=round, status__in=["funded", "in_progress"]).exists()
    assert not Plan.objects.filter(round=round, status=PlanStatus.ON_BALLOT).exists()
    assert Plan.objects.filter(round=round, status=PlanStatus.IMPLEMENTED).exists()
    assert "Done! Thank you" in text(client.get(f"/en/budgeting/{round.slug}/implementation/"))
    page = text(client.get(f"/en/budgeting/{round.slug}/results/"))
    assert "number 1 in the order of funding" in page
    # Its ballots went through the same mixing as real ones: none is left sealed.
    assert round.ballots_mixed
    assert not Participation.objects.filter(round=round).exclude(sealed_ballot=None).exists()
    assert Ballot.objects.filter(round=round).count() == round.participations.count()

    # Building the demo again changes nothing.
    counts = (Plan.objects.count(), Participation.objects.count())
    build_budgeting(datetime.date.today())
    assert (Plan.objects.count(), Participation.objects.count()) == counts


def test_demo_closed_round_is_mixed_and_ready_to_count(demo, client):
    round = demo["ruuti-2026"]
    assert round.voting_has_ended() and round.ballots_mixed
    assert not round.tallies.exists()
    assert not Participation.objects.filter(round=round).exclude(sealed_ballot=None).exists()
    # Online and assisted ballots and the slips of a reconciled paper batch.
    paper = round.participations.filter(channel="paper").count()
    assert paper > 0
    assert round.ballots.count() == round.participations.count()
    assert round.paper_batches.get().is_reconciled
    for area in round.budgets.values_list("area", flat=True):
        assert services.why_not_countable(round, Area.objects.get(pk=area)) is None
    # Counting it is offered to a city administrator; the one who counts does not publish.
    assert round.publication_needs_second_person


def test_demo_open_round_keeps_its_ballots_sealed_until_voting_closes(demo):
    round = demo["omastadi-2025"]
    assert round.voting_is_open() and not round.ballots_mixed
    assert not round.ballots.exists()
    assert round.participations.exclude(sealed_ballot=None).exists()
    assert mix_round.jobs().filter(payload__round=round.pk, run_after=round.voting_ends_at)


def test_demo_round_taking_proposals(demo, client):
    round = demo["omastadi-2027"]
    assert round.proposals_open()
    assert round.proposals.count() >= 10
    assert round.proposals.filter(status="declined").exclude(decision_reason="").exists()
    assert "Språkcafé för nya invånare" in text(
        client.get(f"/fi/budgeting/{round.slug}/proposals/")
    )
    # Co-creation has begun: a draft plan with the experts' notes, places and comments.
    plan = round.plans.get()
    assert plan.status == "draft" and plan.feasibility_sv and plan.proposals.exists()
    assert round.proposals.filter(latitude__isnull=False).count() == 3
    assert round.proposals.exclude(place_text="").count() == 4
    commented = round.proposals.filter(comments__isnull=False).first()
    assert "Kommentit" in text(client.get(f"/fi/budgeting/{round.slug}/proposals/{commented.pk}/"))
