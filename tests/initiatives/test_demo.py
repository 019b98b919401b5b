"""The demo initiatives: fifteen in every state, one past the 2 % line with paper
supports confirmed by a second person, one overdue, built once; their pages say that
the population figures are approximate."""

import pytest
from django.test import Client
from django.utils import timezone

from osallistu.demo.initiatives import build_initiatives
from osallistu.demo.people import build_people
from osallistu.initiatives import selectors, services
from osallistu.initiatives.models import Category, Initiative, PaperSupportBatch, State

pytestmark = pytest.mark.django_db


def test_demo_initiatives(helsinki):
    today = timezone.localdate()
    build_people(today=today)
    built, registry = build_initiatives(today)
    assert len(built) == 15 and len(registry) == 2
    assert build_initiatives(today) == ([], registry)  # a second run adds nothing
    assert Initiative.objects.count() == 15

    assert set(Initiative.objects.values_list("state", flat=True)) == set(State.values)
    assert set(Initiative.objects.values_list("language", flat=True)) == {"fi", "sv", "en"}
    assert Initiative.objects.filter(category=Category.YOUTH).exists()

    past = Initiative.objects.filter(council_threshold_reached_on__isnull=False)
    [forest] = past
    counted = services.counted_supports(forest)
    assert forest.state == State.PREPARING and forest.deadline_by_law
    progress = selectors.with_progress(selectors.with_supports(past))[0][1]
    assert progress.voters.approximate and progress.voters.estimated
    council = progress.thresholds[0]
    assert council.reached and counted >= council.needed
    assert not progress.thresholds[1].reached
    for batch in PaperSupportBatch.objects.filter(confirmed_at__isnull=False):
        assert batch.confirmed_by_id != batch.entered_by_id
    assert PaperSupportBatch.objects.filter(confirmed_at__isnull=True).count() == 1

    overdue = [initiative for initiative in Initiative.objects.all() if initiative.is_overdue()]
    assert len(overdue) == 1
    assert list(selectors.staff_queue(registry[0], show="overdue")) == overdue

    client = Client()
    for initiative in Initiative.objects.exclude(state=State.DRAFT):
        page = client.get(f"/en/initiatives/{initiative.pk}/")
        assert page.status_code == 200
        assert "The population figures it comes from are approximate." in page.content.decode()
    assert client.get("/en/initiatives/").status_code == 200
