"""Counting the votes, publishing results and the anonymised ballots."""

import re

import pytest
from django.utils import translation

from osallistu.budgeting import counting
from osallistu.budgeting.counting.explain import Code
from osallistu.budgeting.counting.pabulib import parse_pabulib
from osallistu.budgeting.models import Ballot, PlanStatus, Round, Tally
from osallistu.budgeting.results import COUNT_SETTINGS, election_for, explanation_text
from osallistu.budgeting.services import TallyError, cast_ballot, publish_tally, run_count
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from tests.budgeting.factories import close_and_mix
from tests.budgeting.test_budgeting_views import login_staff_with_mfa, text, url
from tests.factories import StaffRoleFactory, VerifiedResidentFactory

pytestmark = pytest.mark.django_db

# Eastern: 300,000 €. east_a 100k, east_b 200k, east_c 120k.
# Votes: east_b 3, east_c 2, east_a 1 -> greedy funds east_b, skips east_c, funds east_a.
EASTERN_BALLOTS = [["east_b"], ["east_b"], ["east_b", "east_a"], ["east_c"], ["east_c"]]


@pytest.fixture
def closed_round(voting_round, plans, helsinki):
    for number, chosen in enumerate(EASTERN_BALLOTS):
        city = ["city_a", "city_c"] if number == 0 else ["city_a"]
        cast_ballot(
            round=voting_round,
            voter=VerifiedResidentFactory(),
            district=helsinki["eastern"],
            plan_ids=[plans[key].pk for key in chosen + city],
        )
    return close_and_mix(voting_round)


@pytest.fixture
def staff():
    return StaffRoleFactory().user


@pytest.fixture
def second_admin():
    return StaffRoleFactory().user


def test_no_count_while_voting_is_open(voting_round, plans, helsinki, staff):
    with pytest.raises(TallyError) as refused:
        run_count(round=voting_round, area=helsinki["eastern"], actor=staff)
    assert refused.value.code == "open"
    assert not Tally.objects.exists()


def test_greedy_count_explains_every_plan(closed_round, plans, helsinki, staff):
    tally = run_count(round=closed_round, area=helsinki["eastern"], actor=staff)

    assert tally.selected == ["I-002", "I-001"]
    assert tally.ballots_counted == 5
    assert tally.total_cost == 300_000
    assert tally.published_at is None
    by_code = {entry["project_id"]: entry for entry in tally.result["explanations"]}
    assert by_code["I-003"]["code"] == "not_enough_money"
    assert by_code["I-003"]["votes"] == 2
    with translation.override("en"):
        assert explanation_text(by_code["I-002"]) == ("3 votes; number 1 in the order of funding.")
        assert explanation_text(by_code["I-003"]) == (
            "2 votes. When its turn came, only €100,000 was left, but it costs €120,000."
        )
    with translation.override("fi"):
        assert explanation_text(by_code["I-002"]) == "3 ääntä; rahoitusjärjestyksessä 1."
    entry = AuditEntry.objects.get(action="budgeting.count_run")
    assert entry.data == {"area": "eastern", "rule": "greedy", "ballots": 5}


def test_city_wide_part_is_counted_on_its_own(closed_round, plans, helsinki, staff):
    tally = run_count(round=closed_round, area=helsinki["city"], actor=staff)
    # City-wide 400,000 €: H-001 (5 votes, 100k), H-003 (1 vote, 250k); H-002 no longer fits.
    assert tally.selected == ["H-001", "H-003"]
    assert tally.ballots_counted == 5


def test_equal_shares_count(closed_round, plans, helsinki, staff):
    Round.objects.filter(pk=closed_round.pk).update(counting_rule="mes")
    closed_round.refresh_from_db()
    tally = run_count(round=closed_round, area=helsinki["eastern"], actor=staff)
    assert tally.rule == "mes"
    assert tally.result["rule"] == "mes"
    assert set(tally.selected) <= {"I-001", "I-002", "I-003"}
    assert tally.total_cost <= 300_000


def test_area_nobody_voted_in(closed_round, helsinki, staff):
    with pytest.raises(TallyError) as refused:
        run_count(round=closed_round, area=helsinki["western"], actor=staff)
    assert refused.value.code == "no_ballots"


def test_publish_marks_plans_and_is_final(closed_round, plans, helsinki, staff, second_admin):
    preview = run_count(round=closed_round, area=helsinki["eastern"], actor=staff)
    with pytest.raises(TallyError) as refused:
        publish_tally(tally=preview, actor=staff)  # who counted does not publish too
    assert refused.value.code == "same_person"
    publish_tally(tally=preview, actor=second_admin)

    statuses = {key: plans[key].__class__.objects.get(pk=plans[key].pk).status for key in plans}
    assert statuses["east_a"] == statuses["east_b"] == PlanStatus.FUNDED
    assert statuses["east_c"] == PlanStatus.NOT_FUNDED
    assert statuses["city_a"] == PlanStatus.ON_BALLOT  # the city is not published yet
    with pytest.raises(TallyError):
        run_count(round=closed_round, area=helsinki["eastern"], actor=staff)
    with pytest.raises(TallyError):
        publish_tally(tally=preview, actor=second_admin)
    assert AuditEntry.objects.filter(action="budgeting.result_published").count() == 1


def test_one_person_counts_and_publishes_where_the_round_allows(closed_round, helsinki, staff):
    Round.objects.filter(pk=closed_round.pk).update(publication_needs_second_person=False)
    preview = run_count(round=closed_round, area=helsinki["eastern"], actor=staff)
    assert publish_tally(tally=preview, actor=staff).published_at is not None


def test_results_page(client, closed_round, plans, helsinki, staff, second_admin):
    assert "not published yet" in text(client.get(url("results", "omastadi")))
    publish_tally(
        tally=run_count(round=closed_round, area=helsinki["eastern"], actor=staff),
        actor=second_admin,
    )
    page = text(client.get(url("results", "omastadi")))
    assert "5 people voted." in page
    assert "Voters by home district" in page
    assert "5 voters chose plans here." in page
    assert "1 vote; number 2 in the order of funding." in page
    assert "2 votes. When its turn came" in page
    assert page.index("I-002") < page.index("I-001") < page.index("I-003")
    # The chart: each plan's votes as a bar against the most votes (3), funded in colour.
    bars = re.findall(r'vote-bar__svg( vote-bar__svg--funded)?".*?<rect width="([0-9.]+)"', page)
    assert bars == [
        (" vote-bar__svg--funded", "100.0"),
        (" vote-bar__svg--funded", "33.3"),
        ("", "66.7"),
    ]


def test_anonymised_ballots_only_once_the_result_is_published(
    client, closed_round, plans, helsinki, staff
):
    # The file holds vote counts: not public before the site shows the result.
    assert client.get(url("ballots_download", "omastadi", "eastern")).status_code == 404
    run_count(round=closed_round, area=helsinki["eastern"], actor=staff)
    assert client.get(url("ballots_download", "omastadi", "eastern")).status_code == 404
    assert url("ballots_download", "omastadi", "eastern") not in text(
        client.get(url("results", "omastadi"))
    )


def test_anonymised_ballots_in_pabulib(client, closed_round, plans, helsinki, staff, second_admin):
    publish_tally(
        tally=run_count(round=closed_round, area=helsinki["eastern"], actor=staff),
        actor=second_admin,
    )
    response = client.get(url("ballots_download", "omastadi", "eastern"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="omastadi-eastern.pb"'
    content = response.content.decode()
    election = parse_pabulib(content).election()
    assert len(election.profile.ballots) == 5
    assert election.official_selection == {"I-001", "I-002"}
    assert election.instance.budget == 300_000
    assert sorted(b.voter_id for b in election.profile.ballots) == ["1", "2", "3", "4", "5"]
    for ballot in Ballot.objects.all():
        assert str(ballot.pk) not in content
    assert "999999" not in content


def test_staff_count_and_publish_pages(client, closed_round, plans, helsinki):
    Round.objects.filter(pk=closed_round.pk).update(publication_needs_second_person=False)
    login_staff_with_mfa(client)
    jobs.run_pending()  # e-mails of the ballots, so that only the count is left
    response = client.post(url("staff_count", "omastadi"), {"area": helsinki["eastern"].pk})
    assert response.status_code == 302
    assert "Waiting to be counted" in text(client.get(url("staff_count", "omastadi")))
    assert jobs.run_pending() == 1
    tally = Tally.objects.get()
    page = text(client.get(url("staff_count", "omastadi")))
    assert "not published" in page
    assert "2 votes. When its turn came" in page
    client.post(url("staff_count", "omastadi"), {"publish": tally.pk})
    tally.refresh_from_db()
    assert tally.published_at is not None
    assert "Published on" in text(client.get(url("staff_count", "omastadi")))
    # Counting an area nobody voted in explains why.
    client.post(url("staff_count", "omastadi"), {"area": helsinki["western"].pk})
    jobs.run_pending()
    assert "nothing to count" in text(client.get(url("staff_count", "omastadi")))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"code": "no_votes", "votes": 0}, "Nobody voted for it."),
        (
            {"code": "exceeds_budget", "votes": 4, "cost": 10},
            "4 votes. It costs more than the whole budget of the area.",
        ),
        (
            {
                "code": "supporters_short",
                "votes": 2,
                "cost": 9,
                "supporters_money": 5.5,
                "short_by": 3.5,
            },
            "2 votes. Its supporters had only €5.50 of their shares left, €3.50 less than "
            "its cost.",
        ),
        (
            {"code": "below_threshold", "votes": 2, "cost": 9, "threshold": 5},
            "2 votes. A plan needed at least 5 votes to take part in the count.",
        ),
        (
            {"code": "count_stopped", "votes": 1, "cost": 9, "stopped_by": "K-002"},
            "1 vote. The count stopped before its turn, because plan K-002 no longer fitted "
            "in the budget.",
        ),
        (
            {"code": "funded", "votes": 7, "position": 3, "cost": 9, "price_per_voter": 12},
            "7 votes; number 3 in the order of funding. Each supporter paid at most €12 of "
            "their share.",
        ),
        (
            {"code": "funded", "votes": 7, "position": 4, "cost": 9, "topped_up": True},
            "7 votes; number 4 in the order of funding. It was funded from money that equal "
            "shares left unspent.",
        ),
    ],
)
def test_every_explanation_code_reads_as_a_sentence(entry, expected):
    with translation.override("en"):
        assert explanation_text(entry) == expected


@pytest.mark.parametrize("code", list(Code))
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_explanation_code_is_left_without_words(code, language):
    """A code the counting package gives has its sentence in every language."""
    entry = {
        "code": str(code),
        "votes": 3,
        "position": 1,
        "cost": 9,
        "money_left": 2,
        "supporters_money": 5,
        "short_by": 4,
        "stopped_by": "K-002",
        "threshold": 5,
    }
    with translation.override(language):
        assert explanation_text(entry).endswith(".")


def test_the_count_of_a_mixed_round_equals_the_count_of_the_same_choices(
    voting_round, plans, helsinki, staff
):
    """Mixing moves ballots, it never changes one: the count from the ballot box is the
    count of the choices as they were cast, given to the counting package directly."""
    chosen = [["east_a"], ["east_b", "east_a"], ["east_c"], ["east_b"], ["east_c", "east_a"]] * 4
    for keys in chosen:
        cast_ballot(
            round=voting_round,
            voter=VerifiedResidentFactory(),
            district=helsinki["eastern"],
            plan_ids=[plans[key].pk for key in keys],
        )
    mixed = run_count(round=close_and_mix(voting_round), area=helsinki["eastern"], actor=staff)

    instance, _profile = election_for(voting_round, helsinki["eastern"])
    direct = counting.Profile(
        counting.VoteType.APPROVAL,
        tuple(
            counting.Ballot(voter_id=str(number), projects=tuple(plans[key].code for key in keys))
            for number, keys in enumerate(chosen)
        ),
    )
    expected = counting.count(
        instance, direct, tie_breaking=counting.TieBreaking(seed=None), **COUNT_SETTINGS["greedy"]
    )
    assert mixed.selected == list(expected.selected)
    assert {e["project_id"]: e["votes"] for e in mixed.result["explanations"]} == {
        e["project_id"]: e["votes"] for e in expected.as_dict()["explanations"]
    }
