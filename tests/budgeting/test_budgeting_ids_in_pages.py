"""Forms that send ids back work once the ids pass 999: a page writes them as a
program reads them (12345), not as a Finn reads them (12 345)."""

import html
import re

import pytest

from osallistu.budgeting.models import BallotChoice, Participation, Proposal, ProposalStatus
from tests.budgeting.factories import PlanFactory, close_and_mix, proposing_round
from tests.budgeting.test_budgeting_staff import sign_in
from tests.budgeting.test_budgeting_views import url

pytestmark = pytest.mark.django_db


def values_of(response, name):
    page = response.content.decode()
    return [html.unescape(value) for value in re.findall(rf'name="{name}" value="([^"]*)"', page)]


def test_a_ballot_is_cast_from_its_review_page_in_finnish(client, voting_round, resident, helsinki):
    east = PlanFactory(pk=12_345, round=voting_round, area=helsinki["eastern"], code="I-101")
    city = PlanFactory(pk=12_346, round=voting_round, area=helsinki["city"], code="H-101")
    client.force_login(resident)
    review = client.post(
        url("ballot", "omastadi", "eastern", language="fi"),
        {"plans_eastern": [east.pk], "plans_helsinki": [city.pk]},
    )
    chosen = values_of(review, "plans")
    assert chosen == ["12345", "12346"]

    client.post(url("cast", "omastadi", "eastern", language="fi"), {"plans": chosen})
    assert Participation.objects.get(voter=resident).round == voting_round
    close_and_mix(voting_round)  # the ballot is sealed until then
    assert set(BallotChoice.objects.values_list("plan", flat=True)) == {east.pk, city.pk}


def test_a_moderator_decides_a_proposal_from_the_form_in_finnish(client, helsinki):
    round = proposing_round([helsinki["eastern"]])
    proposal = Proposal.objects.create(
        pk=12_345,
        round=round,
        area=helsinki["eastern"],
        title="Uimaranta",
        description="Ranta ja laituri.",
        language="fi",
        theme="sports",
    )
    sign_in(client)
    page = client.get(url("staff_proposals", round.slug, language="fi"))
    (sent,) = values_of(page, "proposal")
    assert sent == "12345"

    response = client.post(
        url("staff_proposals", round.slug, language="fi"),
        {"proposal": sent, f"p{proposal.pk}-accept": "1", f"p{proposal.pk}-reason": ""},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
