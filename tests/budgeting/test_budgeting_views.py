"""The resident's way through a vote, without JavaScript, and the staff pages."""

import datetime
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from osallistu.budgeting import selectors
from osallistu.budgeting.models import Ballot, Participation, Plan, Round
from osallistu.budgeting.services import cast_ballot
from osallistu.core import parts
from osallistu.core.models import AuditEntry
from tests.budgeting.factories import (
    PlanFactory,
    RoundFactory,
    checked_in_person,
    sealed_choices,
    staff_of,
)
from tests.factories import StaffRoleFactory, VerifiedResidentFactory, sign_in_past_second_factor

pytestmark = pytest.mark.django_db


def url(name, *args, language="en"):
    return f"/{language}" + reverse(f"budgeting:{name}", args=args)[3:]


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def voter_client(client, resident):
    client.force_login(resident)
    return client


def login_staff_with_mfa(client):
    """Sign a member of staff in and mark the session as past the second factor."""
    staff = StaffRoleFactory(user__full_name="Helena Hallinto").user
    sign_in_past_second_factor(client, staff)
    client.staff = staff
    return client


@pytest.fixture
def staff_client(client):
    return login_staff_with_mfa(client)


def test_budgeting_is_on_the_home_page(client):
    assert "budgeting" in [part.key for part in parts.public_parts()]
    response = client.get("/en/")
    assert url("rounds") in response.content.decode()


def test_round_pages_are_public(client, voting_round, plans):
    response = client.get(url("rounds"))
    assert response.status_code == 200
    assert voting_round.name_en in text(response)
    response = client.get(url("round", "omastadi"))
    assert response.status_code == 200
    page = text(response)
    assert "Voting is open now." in page
    assert "€400,000" in page  # the city-wide money
    assert "Log in to vote" in page


def test_whole_vote_without_javascript(voter_client, voting_round, plans, resident, helsinki):
    round_page = voter_client.get(url("round", "omastadi"))
    assert url("choose_district", "omastadi") in round_page.content.decode()

    # Step 1: the home district is suggested.
    page = voter_client.get(url("choose_district", "omastadi"))
    assert re.search(r'value="eastern"[^>]*checked|checked[^>]*value="eastern"', text(page))
    response = voter_client.get(url("choose_district", "omastadi"), {"district": "eastern"})
    assert response["Location"] == url("ballot", "omastadi", "eastern")

    # Step 2: the district's and the city's plans, with costs; not other districts'.
    page = text(voter_client.get(url("ballot", "omastadi", "eastern")))
    assert "I-001" in page and "H-003" in page and "L-001" not in page
    assert "€250,000" in page
    east_a, city_c = plans["east_a"].pk, plans["city_c"].pk
    review = voter_client.post(
        url("ballot", "omastadi", "eastern"),
        {"plans_eastern": [east_a], "plans_helsinki": [city_c]},
    )
    assert review.status_code == 200
    page = text(review)
    assert "Check your choices" in page
    assert "Together €100,000 of €300,000." in page
    assert not Participation.objects.exists()  # nothing is stored before confirming

    # Back to change, the choices are kept.
    back = voter_client.post(
        url("ballot", "omastadi", "eastern"), {"plans": [east_a, city_c], "change": "1"}
    )
    assert back["Location"] == url("ballot", "omastadi", "eastern")
    assert re.search(rf'value="{east_a}"[^>]*checked', text(voter_client.get(back["Location"])))

    # Step 3: confirm, then the receipt.
    response = voter_client.post(url("cast", "omastadi", "eastern"), {"plans": [east_a, city_c]})
    assert response["Location"] == url("receipt", "omastadi")
    receipt = text(voter_client.get(response["Location"]))
    participation = Participation.objects.get(voter=resident)
    assert participation.receipt_code in receipt
    assert sealed_choices(participation)[1] == {east_a, city_c}
    assert not Ballot.objects.exists()  # until voting closes and the ballots are mixed

    # Voting again is not offered; the ballot pages lead to the receipt.
    response = voter_client.get(url("ballot", "omastadi", "eastern"))
    assert response["Location"] == url("receipt", "omastadi")


def test_rule_broken_on_the_ballot_page_is_explained(voter_client, voting_round, plans):
    response = voter_client.post(
        url("ballot", "omastadi", "eastern"),
        {"plans_eastern": [plans["east_b"].pk, plans["east_c"].pk]},
    )
    assert response.status_code == 200
    assert "cost €320,000 together, but there is only €300,000" in text(response)
    assert not Participation.objects.exists()


def test_plan_of_another_district_cannot_be_posted(voter_client, voting_round, plans):
    response = voter_client.post(
        url("ballot", "omastadi", "eastern"), {"plans_eastern": [plans["west_a"].pk]}
    )
    assert "A plan you chose is not on this ballot." in text(response)
    response = voter_client.post(
        url("cast", "omastadi", "eastern"), {"plans": [plans["west_a"].pk]}
    )
    assert response["Location"] == url("ballot", "omastadi", "eastern")
    assert not Participation.objects.exists()


@pytest.mark.parametrize("plan_id", ["9223372036854775808", "1" + "0" * 40, "²", "1e3"])
def test_a_plan_id_no_database_holds_is_refused_on_both_steps(voter_client, voting_round, plan_id):
    response = voter_client.post(url("ballot", "omastadi", "eastern"), {"plans_eastern": plan_id})
    assert response.status_code == 200
    assert "A plan you chose is not on this ballot." in text(response)
    response = voter_client.post(url("cast", "omastadi", "eastern"), {"plans": plan_id})
    assert response["Location"] == url("ballot", "omastadi", "eastern")
    assert not Participation.objects.exists()


def test_unknown_district_is_not_found(voter_client, voting_round, plans, helsinki):
    assert voter_client.get(url("ballot", "omastadi", "helsinki")).status_code == 404
    assert voter_client.get(url("ballot", "omastadi", "nowhere")).status_code == 404
    vote = {"plans": [plans["city_a"].pk]}
    assert voter_client.post(url("cast", "omastadi", "helsinki"), vote).status_code == 404
    assert voter_client.post(url("cast", "omastadi", "nowhere"), vote).status_code == 404
    voting_round.budgets.filter(area=helsinki["western"]).delete()
    assert voter_client.post(url("cast", "omastadi", "western"), vote).status_code == 404
    assert not Participation.objects.exists()


def test_vote_post_reads_the_money_once_and_no_round_for_ordering(
    voter_client, voting_round, plans
):
    with CaptureQueriesContext(connection) as queries:
        response = voter_client.post(
            url("cast", "omastadi", "eastern"), {"plans": [plans["east_a"].pk]}
        )
    assert response["Location"] == url("receipt", "omastadi")
    statements = [query["sql"] for query in queries.captured_queries]
    assert sum('FROM "budgeting_roundbudget" INNER JOIN' in sql for sql in statements) == 1
    # The plans and the participation are read by id; the models' default ordering
    # would join the round only to sort by its start.
    assert not any('JOIN "budgeting_round"' in sql for sql in statements)


def test_ballot_pages_ask_to_log_in(client, voting_round):
    response = client.get(url("choose_district", "omastadi"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("overrides", "phrase", "identify_link"),
    [
        ({"birth_date": "too young"}, "You can take part if you are 12 or older", False),
        ({"verification_method": "", "verified_at": None}, "prove who you are", True),
        ({"municipality_code": "049"}, "another municipality", True),
    ],
)
def test_refusal_shows_the_reason(client, voting_round, plans, overrides, phrase, identify_link):
    if overrides.get("birth_date") == "too young":
        overrides["birth_date"] = timezone.localdate() - timedelta(days=365 * 10)
    client.force_login(VerifiedResidentFactory(**overrides))
    for page in (url("choose_district", "omastadi"), url("ballot", "omastadi", "eastern")):
        response = client.get(page)
        assert response.status_code == 403
        assert phrase in text(response)
        assert (reverse("identity:identify")[3:] in text(response)) == identify_link
    assert phrase in text(client.get(url("round", "omastadi")))


def test_closed_round_shows_why(voter_client, helsinki):
    now = timezone.now()
    RoundFactory(slug="old", voting_starts_at=now - timedelta(days=20), voting_ends_at=now)
    response = voter_client.get(url("choose_district", "old"))
    assert response.status_code == 403
    assert "Voting has ended" in text(response)


def test_changing_a_ballot_where_the_round_allows(voter_client, voting_round, plans, resident):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    voter_client.post(url("cast", "omastadi", "eastern"), {"plans": [plans["east_a"].pk]})
    receipt = text(voter_client.get(url("receipt", "omastadi")))
    assert "Change my vote" in receipt
    page = text(voter_client.get(url("ballot", "omastadi", "western")))
    assert "your new choices replace your earlier ones" in page
    assert "checked" not in page  # the earlier choices are not shown again
    voter_client.post(url("cast", "omastadi", "western"), {"plans": [plans["west_a"].pk]})
    assert sealed_choices(Participation.objects.get())[1] == {plans["west_a"].pk}


def test_plan_list_takes_the_same_number_of_queries_for_many_plans(
    voter_client, voting_round, plans, helsinki, django_capture_on_commit_callbacks
):
    with CaptureQueriesContext(connection) as few:
        assert voter_client.get(url("ballot", "omastadi", "eastern")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(60):
            PlanFactory(round=voting_round, area=helsinki["eastern"])
            PlanFactory(round=voting_round, area=helsinki["city"])
    with CaptureQueriesContext(connection) as many:
        response = voter_client.get(url("ballot", "omastadi", "eastern"))
    assert text(response).count('class="ballot-plan__tick"') == 3 + 3 + 120
    assert len(many) == len(few)


def test_empty_ballot_is_kept_rendered_until_a_plan_changes(
    voter_client, voting_round, plans, helsinki, django_capture_on_commit_callbacks
):
    first = text(voter_client.get(url("ballot", "omastadi", "eastern")))
    with CaptureQueriesContext(connection) as again:
        second = text(voter_client.get(url("ballot", "omastadi", "eastern")))
    token = re.compile(r'value="[A-Za-z0-9]{64}"')  # the CSRF token differs on each page
    assert token.sub("", second) == token.sub("", first)
    assert not any("budgeting_plan" in query["sql"] for query in again.captured_queries)

    plan = plans["east_a"]
    plan.title_en = "A new bench by the shore"
    with django_capture_on_commit_callbacks() as waiting:
        plan.save()
    # Until the change commits, the kept ballot is the one to show.
    assert "A new bench by the shore" not in text(
        voter_client.get(url("ballot", "omastadi", "eastern"))
    )
    for callback in waiting:
        callback()
    changed = text(voter_client.get(url("ballot", "omastadi", "eastern")))
    assert "A new bench by the shore" in changed
    # Each language and district has its own.
    finnish = text(voter_client.get(url("ballot", "omastadi", "eastern", language="fi")))
    assert "Käytettävissä: 300 000 €" in finnish
    assert "A new bench by the shore" not in finnish
    western = text(voter_client.get(url("ballot", "omastadi", "western")))
    assert plans["west_a"].title_en in western
    assert plan.code not in western


@pytest.mark.parametrize(
    ("language", "heading", "money"),
    [
        ("fi", "Valitse suunnitelmat: Itäinen", "Käytettävissä: 300 000 €"),
        ("sv", "Välj planer: Östra", "Pengar att använda: 300 000 €"),
    ],
)
def test_ballot_in_finnish_and_swedish(voter_client, voting_round, plans, language, heading, money):
    page = text(voter_client.get(url("ballot", "omastadi", "eastern", language=language)))
    assert f'lang="{language}"' in page
    assert heading in page
    assert money in page


def test_a_vote_leads_to_the_receipt_in_the_language_voted_in(client, voting_round, plans):
    """The receipt's address is worked out once per round and language, not once only."""
    for language in ("fi", "sv", "en", "fi"):
        client.force_login(VerifiedResidentFactory())
        response = client.post(
            url("cast", "omastadi", "eastern", language=language), {"plans": [plans["east_a"].pk]}
        )
        assert response["Location"] == url("receipt", "omastadi", language=language)


def test_rule_message_in_finnish(voter_client, voting_round, plans):
    response = voter_client.post(
        url("ballot", "omastadi", "eastern", language="fi"),
        {"plans_eastern": [plans["east_b"].pk, plans["east_c"].pk]},
    )
    assert "rahaa on vain 300 000 €" in text(response)


# Staff


def test_staff_page_needs_the_second_factor(client, voting_round):
    staff = StaffRoleFactory().user
    client.force_login(staff)
    response = client.get(url("staff_round", "omastadi"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify")[3:], 3)


def test_staff_page_is_not_for_residents(voter_client, voting_round):
    assert voter_client.get(url("staff_round", "omastadi")).status_code == 403


def test_staff_see_who_voted_but_never_what(staff_client, voting_round, plans, resident, helsinki):
    cast_ballot(
        round=voting_round,
        voter=resident,
        district=helsinki["eastern"],
        plan_ids=[plans["east_a"].pk, plans["city_b"].pk],
    )
    page = text(staff_client.get(url("staff_round", "omastadi")))
    assert resident.full_name in page
    for plan in plans.values():
        assert plan.code not in page
        assert plan.title_en not in page
    who_voted = page[page.index("Who has voted") :]
    assert "Eastern" not in who_voted  # not even which district the person voted for


def test_admin_shows_participations_without_choices_and_no_ballots(
    staff_client, voting_round, plans, resident, helsinki
):
    staff_client.staff.is_superuser = True
    staff_client.staff.save()
    cast_ballot(
        round=voting_round,
        voter=resident,
        district=helsinki["eastern"],
        plan_ids=[plans["east_a"].pk],
    )
    page = text(staff_client.get("/en/admin/budgeting/participation/"))
    assert resident.full_name in page
    assert plans["east_a"].code not in page
    assert staff_client.get("/en/admin/budgeting/ballot/").status_code == 404


def test_admin_shows_voting_rules_read_only_after_voting_started(staff_client, voting_round):
    staff_client.staff.is_superuser = True
    staff_client.staff.save()
    page = text(staff_client.get(f"/en/admin/budgeting/round/{voting_round.pk}/change/"))
    assert 'name="counting_rule"' not in page
    assert 'name="name_fi"' in page


def test_service_point_staff_record_an_assisted_ballot(client, voting_round, plans, helsinki):
    staff = staff_of(helsinki["western"])
    sign_in_past_second_factor(client, staff)
    voter = checked_in_person(
        helsinki["western"],
        full_name="Mats Lindqvist",
        email=None,
        birth_date=datetime.date(1955, 3, 3),
    )
    record_url = url("staff_record_ballot", "omastadi", voter.pk)
    # Staff find the person in front of them, not a list of people.
    assert record_url not in text(client.get(url("staff_round", "omastadi"), {"full_name": "Mats"}))
    found = text(
        client.get(
            url("staff_round", "omastadi"),
            {"full_name": "mats lindqvist", "birth_date": "1955-03-03"},
        )
    )
    assert record_url in found

    form = text(client.get(record_url))
    assert "L-001" in form and "I-001" not in form  # the person's home district
    response = client.post(
        record_url,
        {
            "ballot-plans_western": [plans["west_a"].pk],
            "ballot-plans_helsinki": [plans["city_a"].pk],
        },
    )
    assert response["Location"] == url("staff_round", "omastadi")
    participation = Participation.objects.get(voter=voter)
    assert (participation.recorded_by, participation.channel) == (staff, "assisted")
    assert participation.receipt_code in text(client.get(response["Location"]))

    # The same person cannot vote online any more.
    voter.email = "mats@example.fi"
    voter.save()
    client.force_login(voter)
    response = client.get(url("ballot", "omastadi", "western"))
    assert response["Location"] == url("receipt", "omastadi")


def test_staff_record_shows_rule_errors(client, voting_round, plans, helsinki):
    sign_in_past_second_factor(client, staff_of(helsinki["eastern"]))
    voter = checked_in_person(helsinki["eastern"])
    response = client.post(
        url("staff_record_ballot", "omastadi", voter.pk) + "?district=eastern",
        {"ballot-plans_eastern": [plans["east_b"].pk, plans["east_c"].pk]},
    )
    assert response.status_code == 200
    assert "only €300,000" in text(response)
    assert not Participation.objects.exists()


# Reading the plans


def test_anyone_can_read_the_plans(client, voting_round, plans, helsinki):
    PlanFactory(round=voting_round, area=helsinki["eastern"], code="I-099", status="draft")
    page = text(client.get(url("plans", "omastadi")))
    assert "7 plans." in page
    assert "I-001" in page and "H-001" in page and "L-001" in page
    assert "I-099" not in page  # drafts are not public

    page = text(client.get(url("plans", "omastadi"), {"area": "eastern"}))
    assert "3 plans." in page and "H-001" not in page
    page = text(client.get(url("plans", "omastadi"), {"theme": "culture"}))
    assert "0 plans." in page

    detail = text(client.get(url("plan", "omastadi", "I-002")))
    assert plans["east_b"].title_en in detail
    assert "€200,000" in detail
    assert client.get(url("plan", "omastadi", "I-099")).status_code == 404


def test_plan_list_pages_keep_the_filter(client, voting_round, helsinki):
    for _ in range(60):
        PlanFactory(round=voting_round, area=helsinki["eastern"])
    with CaptureQueriesContext(connection) as queries:
        page = text(client.get(url("plans", "omastadi"), {"area": "eastern"}))
    assert "?area=eastern&amp;page=2" in page
    assert len(queries) <= 5


def test_staff_desk_leads_to_the_rounds(staff_client, voting_round):
    assert url("staff_rounds") in text(staff_client.get("/en/staff/"))
    page = text(staff_client.get(url("staff_rounds")))
    assert voting_round.name_en in page
    assert url("staff_round", "omastadi") in page


def test_admin_puts_plans_on_the_ballot_through_the_service(staff_client, helsinki):
    staff_client.staff.is_superuser = True
    staff_client.staff.save()
    now = timezone.now()
    future = RoundFactory(
        voting_starts_at=now + timedelta(days=5), voting_ends_at=now + timedelta(days=9)
    )
    plan = PlanFactory(round=future, area=helsinki["eastern"], status="draft")
    started = PlanFactory(round=RoundFactory(), area=helsinki["eastern"], status="draft")
    staff_client.post(
        "/en/admin/budgeting/plan/",
        {"action": "put_on_ballot", "_selected_action": [plan.pk, started.pk]},
    )
    assert Plan.objects.get(pk=plan.pk).status == "on_ballot"
    assert Plan.objects.get(pk=started.pk).status == "draft"  # voting has started there
    assert AuditEntry.objects.filter(action="budgeting.plan_on_ballot").count() == 1


def test_staff_see_turnout_by_home_district_and_age(staff_client, voting_round, plans, helsinki):
    last_day = voting_round.last_voting_day
    for years, district in ((12, "eastern"), (15, "eastern"), (16, "western"), (70, "eastern")):
        voter = VerifiedResidentFactory(
            birth_date=last_day.replace(year=last_day.year - years), district=helsinki[district]
        )
        cast_ballot(
            round=voting_round,
            voter=voter,
            district=helsinki["eastern"],
            plan_ids=[plans["east_a"].pk],
        )
    by_district = dict((d.slug, n) for d, n, _ in selectors.turnout_by_home_district(voting_round))
    assert (by_district["eastern"], by_district["western"], by_district["central"]) == (3, 1, 0)
    by_age = {group.value: n for group, n in selectors.turnout_by_age(voting_round)}
    assert by_age == {"0-17": 3, "18-29": 0, "30-49": 0, "50-64": 0, "65-": 1, "": 0}
    page = text(staff_client.get(url("staff_round", "omastadi")))
    assert "Voters by home district" in page
    assert "65 and over" in page
