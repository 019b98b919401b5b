"""Residents' proposals, decisions on them, and co-creation into plans."""

import datetime

import pytest
from django.utils import timezone

from osallistu.budgeting.models import Plan, PlanStatus, Proposal, ProposalStatus
from osallistu.budgeting.services import (
    MAX_PROPOSALS_PER_PERSON,
    ProposalError,
    RoundLocked,
    create_plan_from_proposals,
    decide_proposal,
    submit_proposal,
)
from osallistu.core.models import AuditEntry
from tests.budgeting.factories import RoundBudgetFactory, RoundFactory
from tests.budgeting.test_budgeting_views import login_staff_with_mfa, text, url
from tests.factories import StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposing_round(helsinki):
    """Takes proposals now; voting is months away."""
    today = timezone.localdate()
    now = timezone.now()
    round = RoundFactory(
        slug="ideas",
        proposals_start=today - datetime.timedelta(days=5),
        proposals_end=today + datetime.timedelta(days=20),
        voting_starts_at=now + datetime.timedelta(days=200),
        voting_ends_at=now + datetime.timedelta(days=220),
    )
    for area in helsinki.values():
        RoundBudgetFactory(round=round, area=area)
    return round


@pytest.fixture
def staff():
    return StaffRoleFactory().user


def propose(round, area, author=None, title="Uimaranta Vuosaareen"):
    return submit_proposal(
        round=round,
        author=author or UserFactory(),
        area=area,
        title=title,
        description="Hiekkaranta ja laituri.",
        theme="sports",
        language="fi",
    )


def test_submit_decide_and_combine(proposing_round, helsinki, staff):
    first = propose(proposing_round, helsinki["eastern"])
    second = propose(proposing_round, helsinki["eastern"], title="Laituri Vuosaareen")
    assert first.status == ProposalStatus.SUBMITTED
    decide_proposal(proposal=first, accept=True, reason="", actor=staff)
    decide_proposal(proposal=second, accept=True, reason="", actor=staff)

    plan = create_plan_from_proposals(
        proposals=[first, second],
        code="I-001",
        title={"fi": "Vuosaaren uimaranta", "sv": "Nordsjö badstrand", "en": "Vuosaari beach"},
        description={"fi": "Ranta ja laituri.", "sv": "", "en": ""},
        theme="sports",
        cost_low=80_000,
        cost_high=150_000,
        actor=staff,
    )
    assert plan.status == PlanStatus.DRAFT
    assert plan.area == helsinki["eastern"]
    assert set(plan.proposals.values_list("status", flat=True)) == {ProposalStatus.COMBINED}
    assert AuditEntry.objects.filter(action="budgeting.plan_created").exists()


def test_no_proposals_outside_the_proposal_phase(helsinki):
    round = RoundFactory()  # no proposal dates
    with pytest.raises(ProposalError) as refused:
        propose(round, helsinki["eastern"])
    assert refused.value.code == "closed"
    assert not Proposal.objects.exists()


def test_declining_needs_a_reason_and_decisions_are_final(proposing_round, helsinki, staff):
    proposal = propose(proposing_round, helsinki["eastern"])
    with pytest.raises(ProposalError) as refused:
        decide_proposal(proposal=proposal, accept=False, reason=" ", actor=staff)
    assert refused.value.code == "no_reason"
    decide_proposal(
        proposal=proposal, accept=False, reason="Kuuluu kaupungin perustehtäviin.", actor=staff
    )
    with pytest.raises(ProposalError) as refused:
        decide_proposal(proposal=proposal, accept=True, reason="", actor=staff)
    assert refused.value.code == "decided"


@pytest.mark.parametrize("problem", ["not_accepted", "mixed", "code_taken"])
def test_combining_rules(proposing_round, helsinki, staff, problem):
    east = propose(proposing_round, helsinki["eastern"])
    other = propose(
        proposing_round, helsinki["western"] if problem == "mixed" else helsinki["eastern"]
    )
    decide_proposal(proposal=east, accept=True, reason="", actor=staff)
    if problem != "not_accepted":
        decide_proposal(proposal=other, accept=True, reason="", actor=staff)
    if problem == "code_taken":
        Plan.objects.create(
            round=proposing_round,
            area=helsinki["eastern"],
            code="I-001",
            title_fi="x",
            title_sv="x",
            title_en="x",
            theme="sports",
            cost_low=1,
            cost_high=2,
        )
    with pytest.raises(ProposalError) as refused:
        create_plan_from_proposals(
            proposals=[east, other],
            code="I-001",
            title={"fi": "a", "sv": "b", "en": "c"},
            description={"fi": "d"},
            theme="sports",
            cost_low=1,
            cost_high=2,
            actor=staff,
        )
    assert refused.value.code == problem
    assert not Proposal.objects.filter(status=ProposalStatus.COMBINED).exists()


def test_no_new_plans_once_voting_has_started(voting_round, helsinki, staff):
    proposal = Proposal.objects.create(
        round=voting_round,
        area=helsinki["eastern"],
        title="x",
        description="y",
        language="fi",
        theme="sports",
        status=ProposalStatus.ACCEPTED,
    )
    with pytest.raises(RoundLocked):
        create_plan_from_proposals(
            proposals=[proposal],
            code="I-050",
            title={"fi": "a", "sv": "b", "en": "c"},
            description={"fi": "d"},
            theme="sports",
            cost_low=1,
            cost_high=2,
            actor=staff,
        )


def test_resident_sends_a_proposal_without_javascript(client, proposing_round, helsinki):
    author = UserFactory()
    client.force_login(author)
    page = text(client.get(url("round", "ideas")))
    assert url("proposal_new", "ideas") in page
    response = client.post(
        url("proposal_new", "ideas", language="sv"),
        {
            "area": "eastern",
            "theme": "parks",
            "title": "Fler träd i Nordsjö",
            "description": "Längs stranden.",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == url("proposal", "ideas", proposal.pk, language="sv")
    assert proposal.author == author
    assert proposal.language == "sv"
    page = text(client.get(url("proposals", "ideas")))
    assert "Fler träd i Nordsjö" in page
    detail = text(client.get(url("proposal", "ideas", proposal.pk)))
    assert 'lang="sv"' in detail
    assert author.full_name not in detail  # proposers are not named publicly


def test_proposal_form_refused_outside_the_phase(client, voting_round):
    client.force_login(UserFactory())
    response = client.get(url("proposal_new", "omastadi"))
    assert response.status_code == 403
    assert "You cannot make a proposal now" in text(response)
    assert "does not take proposals now" in text(response)


def test_staff_decide_and_make_a_plan(client, proposing_round, helsinki):
    login_staff_with_mfa(client)
    proposal = propose(proposing_round, helsinki["eastern"])
    page = text(client.get(url("staff_proposals", "ideas")))
    assert proposal.title in page
    client.post(
        url("staff_proposals", "ideas"),
        {"proposal": proposal.pk, f"p{proposal.pk}-accept": "1", f"p{proposal.pk}-reason": ""},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED

    form_url = url("staff_plan_from_proposals", "ideas", "eastern")
    assert form_url in text(client.get(url("staff_proposals", "ideas")))
    response = client.post(
        form_url,
        {
            "proposals": [proposal.pk],
            "code": "I-001",
            "theme": "sports",
            "title_fi": "Vuosaaren uimaranta",
            "title_sv": "Nordsjö badstrand",
            "title_en": "Vuosaari beach",
            "description_fi": "Ranta.",
            "cost_low": "90000",
            "cost_high": "80000",
        },
    )
    assert "The upper end must be at least the lower end." in text(response)
    response = client.post(
        form_url,
        {
            "proposals": [proposal.pk],
            "code": "I-001",
            "theme": "sports",
            "title_fi": "Vuosaaren uimaranta",
            "title_sv": "Nordsjö badstrand",
            "title_en": "Vuosaari beach",
            "description_fi": "Ranta.",
            "cost_low": "80000",
            "cost_high": "90000",
        },
    )
    assert response["Location"] == url("staff_plan", "ideas", "I-001")
    plan = Plan.objects.get(code="I-001")
    assert plan.title_sv == "Nordsjö badstrand"
    proposal.refresh_from_db()
    assert proposal.plan == plan


def test_one_person_can_send_a_limited_number_of_proposals(proposing_round, helsinki):
    author = UserFactory()
    for number in range(MAX_PROPOSALS_PER_PERSON):
        propose(proposing_round, helsinki["eastern"], author=author, title=f"Idea {number}")
    with pytest.raises(ProposalError) as refused:
        propose(proposing_round, helsinki["eastern"], author=author)
    assert refused.value.code == "too_many"
    propose(proposing_round, helsinki["eastern"])  # others still can
