"""Staff screens outside the admin: rounds, money, plans in co-creation, who may do what."""

import datetime
import re
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts.models import StaffRole
from osallistu.areas.helsinki import load_helsinki_population
from osallistu.areas.models import Area, Population
from osallistu.budgeting import services
from osallistu.budgeting.models import (
    Channel,
    Participation,
    Plan,
    PlanStatus,
    ProposalStatus,
    Round,
    RoundBudget,
    Tally,
)
from osallistu.budgeting.services import (
    BallotError,
    Place,
    ProposalError,
    RoundLocked,
    cast_ballot,
    decide_proposal,
    request_count,
    set_plan_on_ballot,
    set_round_budgets,
    submit_proposal,
    update_plan,
    update_round_settings,
    withdraw_plan,
)
from osallistu.budgeting.tasks import count_area
from osallistu.core import jobs
from osallistu.core.models import AuditEntry, Job
from tests.budgeting.factories import (
    PlanFactory,
    RoundBudgetFactory,
    RoundFactory,
    checked_in_person,
    close_and_mix,
)
from tests.budgeting.test_budgeting_proposals import tiny_png
from tests.budgeting.test_budgeting_views import text, url
from tests.factories import (
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)

pytestmark = pytest.mark.django_db

Role = StaffRole.Role


def totp_now(device):
    """The code the device's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, role=Role.CITY_ADMIN, area=None):
    """A member of staff with one role, past the second factor."""
    staff = StaffRoleFactory(role=role, area=area).user
    sign_in_past_second_factor(client, staff)
    client.staff = staff
    return client


@pytest.fixture
def admin_client(client):
    return sign_in(client)


@pytest.fixture
def future_round(helsinki):
    """Voting starts in 100 days; co-creation is going on."""
    today = timezone.localdate()
    now = timezone.now()
    round = RoundFactory(
        slug="next",
        proposals_start=today - timedelta(days=60),
        proposals_end=today - timedelta(days=10),
        voting_starts_at=now + timedelta(days=100),
        voting_ends_at=now + timedelta(days=120),
    )
    for area in helsinki.values():
        RoundBudgetFactory(round=round, area=area, amount=500_000)
    return round


def accepted_proposal(round, area, title="Uimaranta", author=None):
    """A proposal sent while the round took proposals, then accepted."""
    Round.objects.filter(pk=round.pk).update(proposals_end=timezone.localdate())
    proposal = submit_proposal(
        round=round,
        author=author or UserFactory(full_name="Aino Virtanen"),
        area=area,
        title=title,
        description="Ranta ja laituri.",
        theme="sports",
        language="fi",
    )
    return decide_proposal(proposal=proposal, accept=True, reason="", actor=None)


ROUND_POST = {
    "name_fi": "OmaStadi 2027",
    "name_sv": "OmaStadi 2027 sv",
    "name_en": "OmaStadi 2027 en",
    "slug": "omastadi-2027",
    "description_fi": "",
    "description_sv": "",
    "description_en": "",
    "proposals_start": "2027-01-10",
    "proposals_end": "2027-02-28",
    "co_creation_start": "2027-03-01",
    "co_creation_end": "2027-05-31",
    "cost_estimates_start": "",
    "cost_estimates_end": "",
    "voting_starts_at": "2027-10-01T09:00",
    "voting_ends_at": "2027-10-20T20:00",
    "results_on": "2027-10-25",
    "implementation_start": "",
    "implementation_end": "",
    "minimum_voting_age": "13",
    "age_rule": "on_date",
    "counting_rule": "mes",
    "ballot_changeable": "on",
    "min_plans_per_area": "0",
    "max_plans_per_area": "5",
}


# Rounds


def test_admin_makes_a_round(admin_client, helsinki):
    response = admin_client.post(url("staff_round_new"), ROUND_POST)
    assert response["Location"] == url("staff_budgets", "omastadi-2027")
    round = Round.objects.get(slug="omastadi-2027")
    assert (round.minimum_voting_age, round.counting_rule, round.ballot_changeable) == (
        13,
        "mes",
        True,
    )
    assert round.name_sv == "OmaStadi 2027 sv"
    assert timezone.localtime(round.voting_starts_at).hour == 9  # Finnish time
    entry = AuditEntry.objects.get(action="budgeting.round_created")
    assert entry.actor == admin_client.staff


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"proposals_end": "2027-01-01"}, "proposals_end", "The end cannot be before the start."),
        ({"co_creation_end": ""}, "co_creation_end", "Give the end of this phase too."),
        ({"voting_ends_at": "2027-09-01T09:00"}, "voting_ends_at", "Voting must end after"),
        ({"proposals_end": "2027-10-05"}, "proposals_end", "Proposals must end before voting"),
        ({"results_on": "2027-10-02"}, "results_on", "Results cannot be published before"),
        ({"max_plans_per_area": "0"}, "max_plans_per_area", "at least 1"),
        ({"minimum_voting_age": "150"}, "minimum_voting_age", "less than or equal to 100"),
        ({"name_sv": ""}, "name_sv", "This field is required."),
    ],
)
def test_round_form_explains_what_is_wrong(admin_client, helsinki, changes, field, message):
    response = admin_client.post(url("staff_round_new"), {**ROUND_POST, **changes})
    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert not Round.objects.filter(slug="omastadi-2027").exists()


def test_rules_are_fixed_on_the_form_once_voting_has_started(admin_client, voting_round):
    edit = url("staff_round_edit", voting_round.slug)
    page = text(admin_client.get(edit))
    assert "Fixed: voting has started." in page
    assert 'name="minimum_voting_age"' in page and "disabled" in page
    local = timezone.localtime
    posted = {
        **ROUND_POST,
        "slug": voting_round.slug,
        "voting_starts_at": local(voting_round.voting_starts_at).strftime("%Y-%m-%dT%H:%M"),
        "voting_ends_at": local(voting_round.voting_ends_at).strftime("%Y-%m-%dT%H:%M"),
        "proposals_start": "",
        "proposals_end": "",
        "co_creation_start": "",
        "co_creation_end": "",
        "results_on": "",
        "name_fi": "Uusi nimi",
    }
    response = admin_client.post(edit, posted)
    assert response["Location"] == url("staff_rounds")
    voting_round.refresh_from_db()
    # The tampered rules were ignored; the name could change.
    assert voting_round.name_fi == "Uusi nimi"
    assert (voting_round.minimum_voting_age, voting_round.counting_rule) == (12, "greedy")
    assert voting_round.max_plans_per_area is None


def test_service_refuses_rule_changes_after_voting_started(voting_round):
    with pytest.raises(RoundLocked):
        update_round_settings(round=voting_round, actor=None, minimum_voting_age=13)
    with pytest.raises(RoundLocked):
        update_round_settings(round=voting_round, actor=None, max_plans_per_area=3)
    voting_round.refresh_from_db()
    assert voting_round.minimum_voting_age == 12


def test_address_is_fixed_once_voting_has_started(admin_client, voting_round):
    old_slug = voting_round.slug
    with translation.override("en"), pytest.raises(RoundLocked) as refused:
        update_round_settings(round=voting_round, actor=None, slug="new-address")
    assert "web address" in refused.value.message
    page = text(admin_client.get(url("staff_round_edit", old_slug)))
    slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', page).group(0)
    assert "disabled" in slug_input
    # A tampered form cannot change it either: the disabled field keeps the stored value.
    form_data = {
        **ROUND_POST,
        "slug": "new-address",
        "voting_starts_at": timezone.localtime(voting_round.voting_starts_at).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "voting_ends_at": timezone.localtime(voting_round.voting_ends_at).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "proposals_start": "",
        "proposals_end": "",
        "co_creation_start": "",
        "co_creation_end": "",
        "results_on": "",
    }
    admin_client.post(url("staff_round_edit", old_slug), form_data)
    voting_round.refresh_from_db()
    assert voting_round.slug == old_slug
    changed = AuditEntry.objects.filter(action="budgeting.round_changed")
    assert all("slug" not in entry.data["fields"] for entry in changed)


def test_address_can_change_before_voting(future_round):
    update_round_settings(round=future_round, actor=None, slug="next-year")
    future_round.refresh_from_db()
    assert future_round.slug == "next-year"


def test_rules_can_change_before_voting(admin_client, future_round):
    page = text(admin_client.get(url("staff_round_edit", "next")))
    assert "Fixed: voting has started." not in page
    update_round_settings(round=future_round, actor=None, minimum_voting_age=13)
    entry = AuditEntry.objects.get(action="budgeting.round_changed")
    assert entry.data == {"fields": ["minimum_voting_age"]}


# Money


def test_split_preview_then_adjusted_by_hand(admin_client, helsinki):
    load_helsinki_population()
    round = RoundFactory(
        slug="money",
        voting_starts_at=timezone.now() + timedelta(days=30),
        voting_ends_at=timezone.now() + timedelta(days=40),
    )
    page_url = url("staff_budgets", "money")
    preview = admin_client.get(page_url, {"total": "10000000", "city_share_percent": "20"})
    page = text(preview)
    assert "The split of €10,000,000 is filled in below." in page
    assert 'name="amount_helsinki" value="2000000"' in page
    assert not RoundBudget.objects.filter(round=round).exists()  # a preview only

    posted = {"amount_helsinki": "2000000"}
    district_total = 8_000_000
    for key, area in helsinki.items():
        if key != "city":
            posted[f"amount_{area.slug}"] = ""
    posted["amount_eastern"] = str(district_total // 2)
    posted["amount_western"] = str(district_total // 2 + 1)  # adjusted by hand
    response = admin_client.post(page_url, posted)
    assert response["Location"] == page_url
    amounts = dict(RoundBudget.objects.filter(round=round).values_list("area__slug", "amount"))
    assert amounts == {"helsinki": 2_000_000, "eastern": 4_000_000, "western": 4_000_001}
    assert AuditEntry.objects.get(action="budgeting.budgets_set").actor == admin_client.staff


def test_money_needs_at_least_one_area_and_whole_euros(admin_client, future_round):
    page_url = url("staff_budgets", "next")
    page = text(admin_client.post(page_url, {"amount_helsinki": ""}))
    assert "Give money to at least one area." in page
    page = text(admin_client.post(page_url, {"amount_helsinki": "-5"}))
    assert "greater than or equal to 1" in page
    assert RoundBudget.objects.filter(round=future_round).count() == 8  # unchanged


@pytest.mark.parametrize("amount", [str(2**63), str(10**12 + 1), "1" + "0" * 400])
def test_money_past_any_budget_is_refused_with_a_reason(admin_client, future_round, amount):
    page_url = url("staff_budgets", "next")
    page = text(admin_client.post(page_url, {"amount_helsinki": amount}))
    assert "An amount can be at most 1,000,000,000,000 euros." in page
    page = text(admin_client.get(page_url, {"total": amount, "city_share_percent": "20"}))
    assert "An amount can be at most 1,000,000,000,000 euros." in page
    assert set(RoundBudget.objects.filter(round=future_round).values_list("amount", flat=True)) == {
        500_000
    }


def test_split_needs_district_populations(admin_client, future_round, helsinki):
    page = text(admin_client.get(url("staff_budgets", "next")))
    assert "The districts have no population figures" in page
    load_helsinki_population()
    page = text(admin_client.get(url("staff_budgets", "next")))
    assert "(674,500 residents together)" in page
    Population.objects.filter(area__kind=Area.Kind.DISTRICT).delete()
    page = text(
        admin_client.get(
            url("staff_budgets", "next"), {"total": "1000000", "city_share_percent": "20"}
        )
    )
    assert "The districts have no population figures" in page
    assert "is filled in below" not in page


def test_money_is_fixed_once_voting_has_started(admin_client, voting_round, helsinki):
    page_url = url("staff_budgets", voting_round.slug)
    assert "can no longer be changed" in text(admin_client.get(page_url))
    response = admin_client.post(page_url, {"amount_helsinki": "1"})
    assert "can no longer be changed" in text(response)
    assert RoundBudget.objects.get(round=voting_round, area=helsinki["city"]).amount == 400_000


def test_money_of_an_area_with_plans_on_the_ballot_stays(admin_client, future_round, helsinki):
    PlanFactory(round=future_round, area=helsinki["eastern"], status=PlanStatus.ON_BALLOT)
    PlanFactory(round=future_round, area=helsinki["western"], status=PlanStatus.DRAFT)
    posted = {f"amount_{area.slug}": "500000" for area in helsinki.values()}
    posted["amount_eastern"] = ""
    page = text(admin_client.post(url("staff_budgets", "next"), posted))
    assert "These areas have plans on the ballot, so their money cannot be removed" in page
    assert helsinki["eastern"].name in page
    assert RoundBudget.objects.filter(round=future_round, area=helsinki["eastern"]).exists()
    assert not AuditEntry.objects.filter(action="budgeting.budgets_set").exists()
    # An area with only draft plans can lose its money; its amount can also change.
    posted["amount_eastern"] = "300000"
    posted["amount_western"] = ""
    response = admin_client.post(url("staff_budgets", "next"), posted)
    assert response.status_code == 302
    amounts = dict(
        RoundBudget.objects.filter(round=future_round).values_list("area__slug", "amount")
    )
    assert "western" not in amounts and amounts["eastern"] == 300_000


# Plans in co-creation


def plan_post(proposals, **changes):
    return {
        "proposals": [p.pk for p in proposals],
        "code": "I-010",
        "theme": "sports",
        "title_fi": "Uimaranta",
        "title_sv": "Badstrand",
        "title_en": "Beach",
        "description_fi": "Ranta ja laituri.",
        "description_sv": "",
        "description_en": "",
        "cost_low": "80000",
        "cost_high": "120000",
        "feasibility_fi": "Vaatii rakennusluvan.",
        "feasibility_sv": "",
        "feasibility_en": "Needs a building permit.",
        "save": "1",
        **changes,
    }


def test_coach_makes_edits_publishes_and_withdraws_a_plan(client, future_round, helsinki):
    coach = sign_in(client, Role.CITY_COACH, helsinki["eastern"])
    first = accepted_proposal(future_round, helsinki["eastern"], "Ranta")
    second = accepted_proposal(future_round, helsinki["eastern"], "Laituri")

    response = coach.post(url("staff_plan_from_proposals", "next", "eastern"), plan_post([first]))
    assert response["Location"] == url("staff_plan", "next", "I-010")
    plan = Plan.objects.get(code="I-010")
    assert (plan.status, plan.area, plan.feasibility_en) == (
        PlanStatus.DRAFT,
        helsinki["eastern"],
        "Needs a building permit.",
    )
    page = text(coach.get(response["Location"]))
    assert "Ranta" in page and "Aino Virtanen" in page  # the source and its author

    # Edit: another proposal in, the first out, a new price band.
    coach.post(
        url("staff_plan", "next", "I-010"),
        plan_post([second], cost_low="90000", cost_high="150000", title_en="A beach"),
    )
    plan.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (plan.cost_high, plan.title_en) == (150_000, "A beach")
    assert (first.status, first.plan) == (ProposalStatus.ACCEPTED, None)
    assert (second.status, second.plan) == (ProposalStatus.COMBINED, plan)
    changed = AuditEntry.objects.get(action="budgeting.plan_changed")
    assert changed.data["added"] == [second.pk] and changed.data["removed"] == [first.pk]

    coach.post(url("staff_plan", "next", "I-010"), {"publish": "1"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_BALLOT
    coach.post(url("staff_plan", "next", "I-010"), {"withdraw": "1"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.WITHDRAWN
    assert AuditEntry.objects.filter(action="budgeting.plan_withdrawn").count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"cost_high": str(2**63)},
        {"cost_low": "1" + "0" * 30},
        {"proposals": ["9223372036854775808"]},
        {"proposals": ["٣"]},
    ],
)
def test_plan_form_refuses_numbers_no_database_holds(admin_client, future_round, helsinki, changes):
    proposal = accepted_proposal(future_round, helsinki["eastern"])
    form_url = url("staff_plan_from_proposals", "next", "eastern")
    response = admin_client.post(form_url, {**plan_post([proposal]), **changes})
    assert response.status_code == 200
    assert "Please correct the marked fields." in text(response)
    assert not Plan.objects.exists()


@pytest.mark.parametrize("proposal_id", ["abc", "9223372036854775808", "", "²"])
def test_a_decision_on_an_id_that_is_no_proposal_says_so(admin_client, future_round, proposal_id):
    response = admin_client.post(
        url("staff_proposals", "next"), {"proposal": proposal_id}, follow=True
    )
    assert response.status_code == 200
    assert "The proposal was not found. Please choose it again." in text(response)


@pytest.mark.parametrize("tally_id", ["abc", "9223372036854775808"])
def test_publishing_a_count_that_is_no_count_is_not_found(admin_client, future_round, tally_id):
    response = admin_client.post(url("staff_count", "next"), {"publish": tally_id})
    assert response.status_code == 404


def test_plan_form_checks_the_price_band_and_the_code(admin_client, future_round, helsinki):
    proposal = accepted_proposal(future_round, helsinki["eastern"])
    PlanFactory(round=future_round, area=helsinki["eastern"], code="I-010")
    form_url = url("staff_plan_from_proposals", "next", "eastern")
    page = text(admin_client.post(form_url, plan_post([proposal], cost_high="1000")))
    assert "The upper end must be at least the lower end." in page
    page = text(admin_client.post(form_url, plan_post([proposal])))
    assert "Another plan of this round already has the code I-010." in page
    page = text(admin_client.post(form_url, plan_post([])))
    assert "Please choose at least one proposal." in page
    assert Plan.objects.filter(round=future_round).count() == 1


def test_only_texts_of_a_plan_change_once_voting_has_started(admin_client, voting_round, plans):
    plan = plans["east_a"]
    with pytest.raises(RoundLocked):
        update_plan(plan=plan, actor=None, cost_high=1)
    with pytest.raises(RoundLocked):
        withdraw_plan(plan=plan, actor=None)
    update_plan(plan=plan, actor=None, texts={"title": {"en": "Corrected title"}})
    plan.refresh_from_db()
    assert (plan.title_en, plan.cost_high, plan.status) == (
        "Corrected title",
        100_000,
        PlanStatus.ON_BALLOT,
    )

    # The form shows the fixed fields disabled and ignores tampering with them.
    page_url = url("staff_plan", voting_round.slug, plan.code)
    assert "Fixed: voting has started." in text(admin_client.get(page_url))
    admin_client.post(page_url, plan_post([], code=plan.code, cost_high="1", title_fi="Korjattu"))
    plan.refresh_from_db()
    assert (plan.title_fi, plan.cost_high) == ("Korjattu", 100_000)
    response = admin_client.post(page_url, {"withdraw": "1"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_BALLOT


def test_proposals_of_another_area_cannot_be_added(future_round, helsinki):
    plan = PlanFactory(round=future_round, area=helsinki["eastern"], status=PlanStatus.DRAFT)
    western = accepted_proposal(future_round, helsinki["western"])
    with pytest.raises(ProposalError) as refused:
        update_plan(plan=plan, actor=None, add_proposals=[western])
    assert refused.value.code == "not_accepted"
    western.refresh_from_db()
    assert western.plan is None


# Who may do what


@pytest.mark.parametrize(
    ("role", "area", "allowed"),
    [
        (Role.CITY_ADMIN, None, True),
        (Role.CITY_COACH, "eastern", False),
        (Role.DISTRICT_MODERATOR, "eastern", False),
        (Role.REPORTER, None, False),
    ],
)
def test_only_city_administrators_set_up_rounds_and_count(
    client, future_round, helsinki, role, area, allowed
):
    sign_in(client, role, helsinki[area] if area else None)
    for page in (
        url("staff_round_new"),
        url("staff_round_edit", "next"),
        url("staff_budgets", "next"),
        url("staff_count", "next"),
    ):
        assert (client.get(page).status_code == 200) is allowed, page


def test_coach_works_only_on_plans_of_their_district(client, future_round, helsinki):
    sign_in(client, Role.CITY_COACH, helsinki["eastern"])
    eastern = PlanFactory(round=future_round, area=helsinki["eastern"], code="I-001")
    western = PlanFactory(round=future_round, area=helsinki["western"], code="L-001")
    city = PlanFactory(round=future_round, area=helsinki["city"], code="H-001")
    listing = text(client.get(url("staff_plans", "next")))
    assert "I-001" in listing and "L-001" not in listing and "H-001" not in listing
    assert client.get(url("staff_plan", "next", eastern.code)).status_code == 200
    assert client.get(url("staff_plan", "next", western.code)).status_code == 403
    assert client.get(url("staff_plan", "next", city.code)).status_code == 403
    response = client.post(url("staff_plan", "next", western.code), {"withdraw": "1"})
    assert response.status_code == 403
    western.refresh_from_db()
    assert western.status == PlanStatus.ON_BALLOT
    assert client.get(url("staff_plan_from_proposals", "next", "western")).status_code == 403


def test_moderator_decides_proposals_of_their_district_only(client, helsinki):
    today = timezone.localdate()
    round = RoundFactory(
        slug="ideas",
        proposals_start=today - timedelta(days=1),
        proposals_end=today + timedelta(days=10),
        voting_starts_at=timezone.now() + timedelta(days=100),
        voting_ends_at=timezone.now() + timedelta(days=110),
    )
    for area in helsinki.values():
        RoundBudgetFactory(round=round, area=area)
    sign_in(client, Role.DISTRICT_MODERATOR, helsinki["eastern"])

    def propose(area, title):
        return submit_proposal(
            round=round,
            author=UserFactory(),
            area=helsinki[area],
            title=title,
            description="…",
            theme="parks",
            language="fi",
        )

    eastern, western = propose("eastern", "Itäinen idea"), propose("western", "Läntinen idea")
    page = text(client.get(url("staff_proposals", "ideas")))
    assert "Itäinen idea" in page and "Läntinen idea" not in page
    response = client.post(
        url("staff_proposals", "ideas"),
        {"proposal": western.pk, f"p{western.pk}-accept": "1"},
    )
    assert response.status_code == 403
    client.post(
        url("staff_proposals", "ideas"),
        {"proposal": eastern.pk, f"p{eastern.pk}-accept": "0", f"p{eastern.pk}-reason": "Ei."},
    )
    eastern.refresh_from_db()
    western.refresh_from_db()
    assert (eastern.status, western.status) == (ProposalStatus.DECLINED, ProposalStatus.SUBMITTED)
    # A moderator does not make plans.
    assert client.get(url("staff_plans", "ideas")).status_code == 403


def test_reporter_has_no_budgeting_desk(client, voting_round):
    sign_in(client, Role.REPORTER)
    assert client.get(url("staff_rounds")).status_code == 403
    assert client.get(url("staff_round", voting_round.slug)).status_code == 403


def test_staff_desk_shows_each_role_its_tools(client, voting_round, helsinki):
    sign_in(client, Role.DISTRICT_MODERATOR, helsinki["eastern"])
    page = text(client.get(url("staff_rounds")))
    assert url("staff_proposals", voting_round.slug) in page
    assert url("staff_round", voting_round.slug) in page
    assert url("staff_plans", voting_round.slug) not in page
    assert url("staff_round_new") not in page
    assert url("staff_budgets", voting_round.slug) not in page


# Assisted and paper ballots: city administrators anywhere, coaches and district
# moderators for the district their role covers.


def person_at_the_desk(helsinki, district="eastern"):
    return checked_in_person(
        helsinki[district],
        full_name="Mats Lindqvist",
        email=None,
        birth_date=datetime.date(1950, 1, 1),
    )


@pytest.mark.parametrize("role", [Role.SERVICE_POINT, Role.CITY_COACH])
def test_district_staff_record_ballots_for_their_district(
    client, voting_round, plans, helsinki, role
):
    sign_in(client, role, helsinki["eastern"])
    voter = person_at_the_desk(helsinki)
    record = url("staff_record_ballot", voting_round.slug, voter.pk)
    form = text(client.get(record))
    assert 'value="eastern"' in form and 'value="western"' not in form
    response = client.post(record, {"ballot-plans_eastern": [plans["east_a"].pk]})
    assert response["Location"] == url("staff_round", voting_round.slug)
    participation = Participation.objects.get(voter=voter)
    assert (participation.channel, participation.recorded_by) == (Channel.ASSISTED, client.staff)


def test_district_staff_cannot_record_ballots_for_residents_of_another_district(
    client, voting_round, plans, helsinki
):
    sign_in(client, Role.SERVICE_POINT, helsinki["eastern"])
    voter = person_at_the_desk(helsinki, district="western")
    record = url("staff_record_ballot", voting_round.slug, voter.pk)
    assert client.get(record).status_code == 404
    response = client.post(record + "?district=eastern", {"ballot-plans_eastern": [1]})
    assert response.status_code == 404
    assert client.post(url("staff_paper_vote", voting_round.slug, voter.pk)).status_code == 404
    # The service refuses too, whatever a view lets through: the ballot's district and
    # the voter's home district must both be the staff member's.
    with pytest.raises(PermissionDenied):
        cast_ballot(
            round=voting_round,
            voter=voter,
            district=helsinki["western"],
            plan_ids=[plans["west_a"].pk],
            channel=Channel.ASSISTED,
            recorded_by=client.staff,
        )
    with pytest.raises(BallotError) as refused:
        cast_ballot(
            round=voting_round,
            voter=voter,
            district=helsinki["eastern"],
            plan_ids=[plans["east_a"].pk],
            channel=Channel.ASSISTED,
            recorded_by=client.staff,
        )
    assert refused.value.code == "other_district"
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("role", "area"),
    [
        (Role.CITY_ADMIN, None),
        (Role.DISTRICT_MODERATOR, "eastern"),
        (Role.PREMISES_MANAGER, None),
        (Role.REPORTER, None),
    ],
)
def test_other_roles_do_not_record_ballots(client, voting_round, plans, helsinki, role, area):
    sign_in(client, role, helsinki[area] if area else None)
    voter = person_at_the_desk(helsinki)
    assert client.get(url("staff_record_ballot", voting_round.slug, voter.pk)).status_code == 403
    assert client.post(url("staff_paper_vote", voting_round.slug, voter.pk)).status_code == 403
    with pytest.raises(PermissionDenied):
        cast_ballot(
            round=voting_round,
            voter=voter,
            district=helsinki["eastern"],
            plan_ids=[plans["east_a"].pk],
            channel=Channel.ASSISTED,
            recorded_by=client.staff,
        )
    assert not Participation.objects.exists()


def test_a_person_checked_by_the_same_staff_member_needs_a_second_one(
    client, voting_round, plans, helsinki
):
    staff = sign_in(client, Role.SERVICE_POINT, helsinki["eastern"]).staff
    voter = checked_in_person(helsinki["eastern"], by=staff)
    record = url("staff_record_ballot", voting_round.slug, voter.pk)
    response = client.post(record, {"ballot-plans_eastern": [plans["east_a"].pk]})
    assert response.status_code == 200
    assert "a second member of staff must confirm" in text(response)
    assert not Participation.objects.exists()

    # A wrong code from the second person is refused as well.
    second = StaffRoleFactory(role=Role.SERVICE_POINT, area=helsinki["eastern"]).user
    device = TOTPDevice.objects.create(user=second, name="phone", confirmed=True)
    response = client.post(
        record,
        {
            "ballot-plans_eastern": [plans["east_a"].pk],
            "ballot-second_email": second.email,
            "ballot-second_code": "000000" if totp_now(device) != "000000" else "111111",
        },
    )
    assert "could not be confirmed" in text(response)
    assert not Participation.objects.exists()
    device.refresh_from_db()
    device.throttle_reset()  # after a wrong code django-otp makes the next one wait

    response = client.post(
        record,
        {
            "ballot-plans_eastern": [plans["east_a"].pk],
            "ballot-second_email": second.email.upper(),
            "ballot-second_code": totp_now(device),
        },
    )
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert (participation.recorded_by, participation.confirmed_by) == (staff, second)
    entry = AuditEntry.objects.get(action="budgeting.ballot_cast")
    assert entry.data["confirmed_by"] == second.pk


def test_a_person_nobody_checked_needs_a_second_member_of_staff(voting_round, plans, helsinki):
    staff = StaffRoleFactory(role=Role.SERVICE_POINT, area=helsinki["eastern"]).user
    made_a_minute_ago = VerifiedResidentFactory(
        verification_method="self", district=helsinki["eastern"]
    )
    with pytest.raises(BallotError) as refused:
        services.record_paper_vote(round=voting_round, voter=made_a_minute_ago, recorded_by=staff)
    assert refused.value.code == "needs_second_person"
    with pytest.raises(BallotError) as refused:
        services.record_paper_vote(
            round=voting_round, voter=made_a_minute_ago, recorded_by=staff, confirmed_by=staff
        )
    assert refused.value.code == "same_person"
    other_district = StaffRoleFactory(role=Role.SERVICE_POINT, area=helsinki["western"]).user
    with pytest.raises(BallotError) as refused:
        services.record_paper_vote(
            round=voting_round,
            voter=made_a_minute_ago,
            recorded_by=staff,
            confirmed_by=other_district,
        )
    assert refused.value.code == "confirmer_other_district"
    assert not Participation.objects.exists()


def test_staff_mark_a_paper_vote(client, voting_round, plans, helsinki):
    sign_in(client, Role.SERVICE_POINT, helsinki["eastern"])
    voter = person_at_the_desk(helsinki)
    response = client.post(url("staff_paper_vote", voting_round.slug, voter.pk))
    assert response["Location"] == url("staff_round", voting_round.slug)
    participation = Participation.objects.get(voter=voter)
    assert (participation.channel, participation.sealed_ballot) == (Channel.PAPER, None)
    response = client.post(url("staff_paper_vote", voting_round.slug, voter.pk))
    assert response.status_code == 400
    assert "already voted" in text(response)


def test_staff_page_shows_who_recorded_what(client, voting_round, plans, helsinki):
    library = StaffRoleFactory(
        role=Role.SERVICE_POINT, area=helsinki["eastern"], user__full_name="Sari Salo"
    ).user
    for _ in range(3):
        voter = checked_in_person(helsinki["eastern"], by=library)
        services.record_paper_vote(
            round=voting_round,
            voter=voter,
            recorded_by=StaffRoleFactory(role=Role.SERVICE_POINT, area=helsinki["eastern"]).user,
            confirmed_by=library,
        )
    sign_in(client)
    page = text(client.get(url("staff_round", voting_round.slug)))
    row = re.search(r"<th scope=\"row\">Sari Salo</th>(.*?)</tr>", page).group(1)
    # identity checks, assisted, paper, confirmed, slips, batches
    assert re.findall(r'"number">(\d+)<', row) == ["3", "0", "0", "3", "0", "0"]


# Counting in the background


@pytest.fixture
def ended_round(voting_round, plans, helsinki):
    for _ in range(3):
        cast_ballot(
            round=voting_round,
            voter=VerifiedResidentFactory(),
            district=helsinki["eastern"],
            plan_ids=[plans["east_a"].pk, plans["city_a"].pk],
        )
    voting_round = close_and_mix(voting_round)
    jobs.run_pending()  # e-mails of the ballots, so that only counts are left
    return voting_round


def test_count_runs_as_a_job_and_a_second_request_waits_for_it(admin_client, ended_round, helsinki):
    count_url = url("staff_count", ended_round.slug)
    eastern = {"area": helsinki["eastern"].pk}
    admin_client.post(count_url, eastern)
    response = admin_client.post(count_url, eastern, follow=True)
    page = text(response)
    assert "Eastern is being counted already." in page
    assert "Waiting to be counted" in page
    assert count_area.jobs().count() == 1
    assert not Tally.objects.exists()
    assert AuditEntry.objects.get(action="budgeting.count_requested").actor == admin_client.staff

    assert jobs.run_pending() == 1
    tally = Tally.objects.get()
    assert (tally.area, tally.ballots_counted, tally.counted_by) == (
        helsinki["eastern"],
        3,
        admin_client.staff,
    )
    page = text(admin_client.get(count_url))
    assert "not published" in page and "Waiting to be counted" not in page
    assert count_area.jobs().get().result == {"tally": tally.pk}


def test_count_refusals_are_explained(admin_client, ended_round, voting_round, helsinki):
    count_url = url("staff_count", ended_round.slug)
    admin_client.post(count_url, {"area": helsinki["western"].pk})
    jobs.run_pending()
    job = count_area.jobs().get()
    assert (job.state, job.result) == (Job.State.DONE, {"refused": "no_ballots"})
    assert "Nobody voted for plans in Western" in text(admin_client.get(count_url))


def test_no_count_requested_while_voting_is_open(admin_client, voting_round, helsinki):
    response = admin_client.post(
        url("staff_count", voting_round.slug), {"area": helsinki["eastern"].pk}, follow=True
    )
    assert "Votes can be counted only after voting has ended." in text(response)
    assert not Job.objects.exists()


def test_failed_count_is_shown_and_can_be_asked_again(
    admin_client, ended_round, helsinki, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("osallistu.budgeting.services.run_count", broken)
    count_url = url("staff_count", ended_round.slug)
    admin_client.post(count_url, {"area": helsinki["eastern"].pk})
    for _ in range(3):  # every attempt, then it is marked failed
        Job.objects.update(run_after=timezone.now())
        jobs.run_pending()
    assert count_area.jobs().get().state == Job.State.FAILED
    page = text(admin_client.get(count_url))
    assert "The count failed because of an error." in page
    assert "disk full" not in page
    monkeypatch.undo()
    admin_client.post(count_url, {"area": helsinki["eastern"].pk})
    jobs.run_pending()
    assert Tally.objects.count() == 1


def test_public_plan_page_shows_feasibility_and_the_proposals_behind_it(
    client, future_round, helsinki
):
    proposal = accepted_proposal(future_round, helsinki["eastern"], "Ranta Vuosaareen")
    plan = PlanFactory(
        round=future_round,
        area=helsinki["eastern"],
        code="I-020",
        feasibility_en="Needs a building permit.",
    )
    update_plan(plan=plan, actor=None, add_proposals=[proposal])
    page = text(client.get(url("plan", "next", "I-020")))
    assert "Needs a building permit." in page
    assert url("proposal", "next", proposal.pk) in page and "Ranta Vuosaareen" in page
    assert "Aino Virtanen" not in page  # authors' names stay with staff


# On PostgreSQL: simultaneous staff actions keep the rules


def at_once(actions):
    """Run the callables at the same moment in threads, each with its own connection;
    return what each returned or raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # what each raised is what the test checks
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_count_requests_make_one_job(voting_round, helsinki):
    voting_round = close_and_mix(voting_round)
    staff = StaffRoleFactory().user
    outcomes = at_once(
        [lambda: request_count(round=voting_round, area=helsinki["eastern"], actor=staff)] * 10
    )
    assert sum(isinstance(outcome, Job) for outcome in outcomes) == 1
    assert {outcome.code for outcome in outcomes if not isinstance(outcome, Job)} == {"counting"}
    assert count_area.jobs().count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_money_removed_while_a_plan_goes_on_the_ballot(future_round, helsinki):
    """Both hold the round's row, so they happen one after the other: money is removed
    only if the plan was not on the ballot yet."""
    amounts = {area: 500_000 for key, area in helsinki.items() if key != "eastern"}
    for attempt in range(5):
        plan = PlanFactory(
            round=future_round,
            area=helsinki["eastern"],
            code=f"I-{attempt:03d}",
            status=PlanStatus.DRAFT,
        )
        RoundBudget.objects.update_or_create(
            round=future_round, area=helsinki["eastern"], defaults={"amount": 500_000}
        )
        published, removal = at_once(
            [
                lambda plan=plan: set_plan_on_ballot(plan=plan, on_ballot=True, actor=None),
                lambda: set_round_budgets(round=future_round, amounts=amounts, actor=None),
            ]
        )
        assert not isinstance(published, Exception)
        entries = AuditEntry.objects.filter(
            action__in=["budgeting.plan_on_ballot", "budgeting.budgets_set"]
        ).order_by("-pk")[:2]
        first = min(entries, key=lambda entry: entry.pk) if len(entries) == 2 else None
        if isinstance(removal, Exception):
            assert removal.code == "plans_on_ballot"
            assert RoundBudget.objects.filter(round=future_round, area=helsinki["eastern"]).exists()
        else:
            assert first.action == "budgeting.budgets_set"  # before the plan was published
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.WITHDRAWN)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_proposal_goes_into_one_plan_only(future_round, helsinki):
    proposal = accepted_proposal(future_round, helsinki["eastern"])
    plans = [
        PlanFactory(round=future_round, area=helsinki["eastern"], status=PlanStatus.DRAFT)
        for _ in range(6)
    ]
    outcomes = at_once(
        [
            lambda plan=plan: update_plan(plan=plan, actor=None, add_proposals=[proposal])
            for plan in plans
        ]
    )
    assert sum(isinstance(outcome, Plan) for outcome in outcomes) == 1
    assert all(isinstance(outcome, Plan) or outcome.code == "not_accepted" for outcome in outcomes)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMBINED and proposal.plan in plans


def test_only_city_administrators_see_the_list_of_voters(client, voting_round, plans, helsinki):
    voter = VerifiedResidentFactory(
        full_name="Ville Äänestäjä",
        district=helsinki["eastern"],
        birth_date=datetime.date(1980, 2, 2),
    )
    cast_ballot(
        round=voting_round,
        voter=voter,
        district=helsinki["eastern"],
        plan_ids=[plans["east_a"].pk],
    )
    sign_in(client, Role.CITY_COACH, helsinki["eastern"])
    page_url = url("staff_round", voting_round.slug)
    page = text(client.get(page_url))
    assert "Ville Äänestäjä" not in page and "Who has voted" not in page
    # Found by name at the desk, the person shows as having voted.
    found = text(client.get(page_url, {"full_name": "Ville Äänestäjä", "birth_date": "1980-02-02"}))
    assert "Ville Äänestäjä" in found and "has voted" in found
    sign_in(client)
    assert "Ville Äänestäjä" in text(client.get(page_url))


def test_moderators_see_the_place_and_images_of_a_proposal(client, helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    round = RoundFactory(
        slug="ideas",
        proposals_start=today,
        proposals_end=today + timedelta(days=10),
        voting_starts_at=timezone.now() + timedelta(days=100),
        voting_ends_at=timezone.now() + timedelta(days=110),
    )
    RoundBudgetFactory(round=round, area=helsinki["eastern"])
    submit_proposal(
        round=round,
        author=UserFactory(),
        area=helsinki["eastern"],
        title="Katos",
        description="…",
        theme="parks",
        language="fi",
        place=Place(text="Kontulan ostari"),
        images=[(tiny_png(), "Ostarin aukio")],
    )
    sign_in(client, Role.DISTRICT_MODERATOR, helsinki["eastern"])
    page = text(client.get(url("staff_proposals", "ideas")))
    assert "Kontulan ostari" in page and 'alt="Ostarin aukio"' in page


def test_funded_plan_page_leads_to_progress_updates(admin_client, voting_round, plans):
    Plan.objects.filter(pk=plans["east_a"].pk).update(status=PlanStatus.FUNDED)
    page = text(admin_client.get(url("staff_plan", voting_round.slug, "I-001")))
    assert url("staff_plan_progress", voting_round.slug, "I-001") in page
