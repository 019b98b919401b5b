import datetime

import pytest
from django.db.models import Sum

from osallistu.budgeting.models import Ballot, BallotChoice, Participation, Plan, PlanStatus
from osallistu.demo.budgeting import ROUND_4_DISTRICTS, build_budgeting
from osallistu.demo.people import build_people
from tests.budgeting.test_budgeting_views import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(helsinki):
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
    # Every demo ballot keeps to its areas' money.
    for ballot in Ballot.objects.filter(round=round)[:50]:
        for budget in round.budgets.all():
            spent = BallotChoice.objects.filter(ballot=ballot, plan__area=budget.area).aggregate(
                total=Sum("plan__cost_high")
            )["total"]
            assert (spent or 0) <= budget.amount
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
    assert "Funded as number 1" in page

    # Building the demo again changes nothing.
    counts = (Plan.objects.count(), Participation.objects.count())
    build_budgeting(datetime.date.today())
    assert (Plan.objects.count(), Participation.objects.count()) == counts


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
