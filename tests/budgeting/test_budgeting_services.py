import datetime
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from osallistu.areas.helsinki import DISTRICTS, load_helsinki_population
from osallistu.areas.models import Population
from osallistu.budgeting import sealing, services
from osallistu.budgeting.models import (
    Ballot,
    BallotChoice,
    Channel,
    Participation,
    PlanStatus,
    Round,
    RoundBudget,
)
from osallistu.budgeting.services import (
    BallotError,
    RoundLocked,
    cast_ballot,
    set_plan_on_ballot,
    set_round_budgets,
    split_budget,
    update_round_settings,
)
from osallistu.budgeting.tasks import send_ballot_receipt
from osallistu.core import jobs
from osallistu.core.models import AuditEntry, Job
from tests.budgeting.factories import (
    PlanFactory,
    RoundBudgetFactory,
    RoundFactory,
    checked_in_person,
    sealed_choices,
    staff_of,
)
from tests.factories import StaffRoleFactory, UserFactory, VerifiedResidentFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


def vote(round, voter, district, plans, **kwargs):
    return cast_ballot(
        round=round, voter=voter, district=district, plan_ids=[p.pk for p in plans], **kwargs
    )


def chosen_plan_ids():
    """The plans of every sealed ballot, opened as mixing opens them."""
    return {
        plan
        for participation in Participation.objects.exclude(sealed_ballot=None)
        for plan in sealed_choices(participation)[1]
    }


def sealed_ballots():
    return Participation.objects.exclude(sealed_ballot=None).count()


def assert_nothing_stored():
    assert not Participation.objects.exists()
    assert not Ballot.objects.exists()
    assert not BallotChoice.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="budgeting.ballot").exists()


# Casting a ballot


def test_cast_ballot_stores_who_voted_apart_from_what_was_chosen(
    voting_round, plans, resident, helsinki
):
    participation = vote(
        voting_round,
        resident,
        helsinki["eastern"],
        [plans["east_a"], plans["east_b"], plans["city_c"]],
    )

    assert participation.voter == resident
    assert participation.channel == Channel.ONLINE
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", participation.receipt_code)
    # Sealed with the participation until voting closes; the ballot box stays empty.
    assert not Ballot.objects.exists() and not BallotChoice.objects.exists()
    assert sealed_choices(participation) == (
        helsinki["eastern"].pk,
        {plans["east_a"].pk, plans["east_b"].pk, plans["city_c"].pk},
    )


def test_a_sealed_ballot_does_not_open_without_the_seal_key(
    voting_round, plans, resident, helsinki, settings
):
    participation = vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])
    settings.BALLOT_SEAL_KEY = "another key"
    with pytest.raises(sealing.BrokenSeal):
        sealed_choices(participation)


def test_sealed_ballots_are_one_length_whatever_they_hold(voting_round, plans, helsinki):
    one = vote(voting_round, VerifiedResidentFactory(), helsinki["eastern"], [plans["east_a"]])
    many = vote(
        voting_round,
        VerifiedResidentFactory(),
        helsinki["eastern"],
        [plans["east_a"], plans["east_b"], plans["city_a"], plans["city_b"]],
    )
    one.refresh_from_db()
    many.refresh_from_db()
    assert len(one.sealed_ballot) == len(many.sealed_ballot)


def test_participation_and_ballot_tables_cannot_be_joined():
    participation_fields = {f.name for f in Participation._meta.get_fields()}
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert not participation_fields & {"ballot", "ballots", "choices", "plans", "district"}
    assert not ballot_fields & {"voter", "participation", "channel", "recorded_by"}
    # No times and no sequential keys on the anonymous side.
    assert not any(f.get_internal_type() == "DateTimeField" for f in Ballot._meta.concrete_fields)
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    assert BallotChoice._meta.pk.get_internal_type() == "UUIDField"


def test_audit_log_says_who_voted_but_never_what(voting_round, plans, resident, helsinki):
    participation = vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])

    entry = AuditEntry.objects.get(action="budgeting.ballot_cast")
    assert entry.actor == resident
    assert entry.target_id == str(participation.pk)
    assert entry.data == {"round": "omastadi", "channel": "online", "confirmed_by": None}
    assert entry.target_repr == f"{voting_round} – {resident}"  # who and where, nothing more
    assert plans["east_a"].code not in str(entry.data)


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("fi", "Kiitos äänestäsi", "Kuittikoodisi"),
        ("sv", "Tack för din röst", "Din kvittokod"),
        ("en", "Thank you for voting", "Your receipt code"),
    ],
)
def test_receipt_is_emailed_by_a_task_in_the_voters_language_without_the_choices(
    voting_round, plans, helsinki, language, subject, phrase
):
    voter = VerifiedResidentFactory(preferred_language=language)
    with translation.override("fi"):
        participation = vote(voting_round, voter, helsinki["eastern"], [plans["east_a"]])
    assert mail.outbox == []  # not in the request: a task sends it
    assert Job.objects.get().payload["choices"] is None

    jobs.run_pending()

    (message,) = mail.outbox
    assert message.to == [voter.email]
    assert subject in message.subject
    assert phrase in message.body
    assert participation.receipt_code in message.body
    assert plans["east_a"].code not in message.body


def test_choices_are_emailed_only_when_the_voter_asks(voting_round, plans, resident, helsinki):
    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]], email_choices=True)
    jobs.run_pending()
    (message,) = mail.outbox
    assert plans["east_a"].code in message.body


def test_the_receipt_task_exists_only_with_the_ballot_and_forgets_the_choices(
    voting_round, plans, resident, helsinki
):
    with pytest.raises(BallotError):
        vote(voting_round, resident, helsinki["eastern"], [plans["east_b"], plans["east_c"]])
    assert not Job.objects.exists()  # refused ballot, no e-mail

    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]], email_choices=True)
    summary = Job.objects.get(name=send_ballot_receipt.name)
    assert summary.payload["choices"]["plans"] == [plans["east_a"].pk]

    jobs.run_pending()

    summary.refresh_from_db()
    assert summary.state == Job.State.DONE
    # The payload joined the voter to their choices: it is gone once the mail is out.
    assert summary.payload == {}
    assert Job.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_summary_is_sent_again_when_the_mail_server_fails(
    voting_round, plans, resident, helsinki, monkeypatch
):
    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("osallistu.budgeting.tasks.send_mail", mail_server_down)
    participation = vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])
    jobs.run_pending()

    summary = Job.objects.get(name=send_ballot_receipt.name)
    assert summary.state == Job.State.QUEUED  # to be tried again later
    assert summary.payload["receipt_code"] == participation.receipt_code
    assert Participation.objects.filter(voter=resident).exists()  # the ballot stands


def test_no_email_for_a_voter_without_an_address(voting_round, plans, helsinki):
    voter = VerifiedResidentFactory(email=None)
    vote(voting_round, voter, helsinki["eastern"], [plans["east_a"]])
    jobs.run_pending()
    assert mail.outbox == []
    assert not Job.objects.exists()
    assert Participation.objects.filter(voter=voter).exists()


# Every rule of the ballot, checked on the server: clear message and nothing stored


@pytest.mark.parametrize(
    ("district", "chosen", "code", "message"),
    [
        ("eastern", ["west_a"], "wrong_area", "district you chose"),
        ("eastern", ["east_a", "west_a"], "wrong_area", "district you chose"),
        ("eastern", ["east_b", "east_c"], "over_budget", "only €300,000"),
        ("eastern", ["city_a", "city_b", "city_c"], "over_budget", "only €400,000"),
        ("eastern", [], "empty", "at least one plan"),
        ("city", ["city_a"], "district", "choose one of the districts"),
    ],
)
def test_ballot_rules(voting_round, plans, resident, helsinki, district, chosen, code, message):
    with translation.override("en"), pytest.raises(BallotError) as refused:
        vote(voting_round, resident, helsinki[district], [plans[key] for key in chosen])
    assert refused.value.code == code
    assert message in str(refused.value)
    assert_nothing_stored()


@pytest.mark.parametrize("plan_ids", [[999_999], ["1; DROP TABLE"], [None]])
def test_tampered_plan_ids_are_refused(voting_round, plans, resident, helsinki, plan_ids):
    with pytest.raises(BallotError) as refused:
        cast_ballot(
            round=voting_round, voter=resident, district=helsinki["eastern"], plan_ids=plan_ids
        )
    assert refused.value.code == "unknown_plan"
    assert_nothing_stored()


def test_plan_not_on_the_ballot_or_of_another_round_is_refused(
    voting_round, plans, resident, helsinki
):
    draft = PlanFactory(round=voting_round, area=helsinki["eastern"], status=PlanStatus.DRAFT)
    other = PlanFactory(round=RoundFactory(), area=helsinki["eastern"])
    for plan in (draft, other):
        with pytest.raises(BallotError) as refused:
            vote(voting_round, resident, helsinki["eastern"], [plan])
        assert refused.value.code == "unknown_plan"
    assert_nothing_stored()


def test_duplicate_plan_ids_count_once(voting_round, plans, resident, helsinki):
    east_c = plans["east_c"].pk
    cast_ballot(
        round=voting_round,
        voter=resident,
        district=helsinki["eastern"],
        plan_ids=[east_c, east_c, str(east_c)],
    )
    assert chosen_plan_ids() == {east_c}


def test_district_without_money_in_the_round_is_refused(voting_round, plans, resident, helsinki):
    RoundBudget.objects.filter(round=voting_round, area=helsinki["northern"]).delete()
    with pytest.raises(BallotError) as refused:
        vote(voting_round, resident, helsinki["northern"], [plans["city_a"]])
    assert refused.value.code == "district"
    assert_nothing_stored()


def test_fewest_and_most_plans_per_area(voting_round, plans, resident, helsinki):
    Round.objects.filter(pk=voting_round.pk).update(min_plans_per_area=1, max_plans_per_area=2)
    with translation.override("en"):
        with pytest.raises(BallotError, match="at least 1 plan in All of Helsinki") as refused:
            vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])
        assert refused.value.code == "too_few"
        with pytest.raises(BallotError, match="at most 2 plans in Eastern") as refused:
            vote(
                voting_round,
                resident,
                helsinki["eastern"],
                [plans["east_a"], plans["east_c"], plans["east_b"], plans["city_a"]],
            )
        assert refused.value.code == "too_many"
    assert_nothing_stored()
    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"], plans["city_a"]])
    assert sealed_ballots() == 1


def test_a_ballot_can_spend_exactly_the_budget(voting_round, plans, resident, helsinki):
    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"], plans["east_b"]])
    assert len(chosen_plan_ids()) == 2


@pytest.mark.parametrize(
    ("starts", "ends", "code"),
    [
        (timedelta(days=1), timedelta(days=5), "not_started"),
        (-timedelta(days=5), -timedelta(seconds=1), "ended"),
    ],
)
def test_no_ballot_outside_voting_time(helsinki, resident, starts, ends, code):
    now = timezone.now()
    round = RoundFactory(voting_starts_at=now + starts, voting_ends_at=now + ends)
    RoundBudgetFactory(round=round, area=helsinki["eastern"])
    plan = PlanFactory(round=round, area=helsinki["eastern"])
    with pytest.raises(BallotError) as refused:
        vote(round, resident, helsinki["eastern"], [plan])
    assert refused.value.code == code
    assert_nothing_stored()


# Eligibility


@pytest.mark.parametrize(
    ("overrides", "code", "phrase"),
    [
        ({"verification_method": "", "verified_at": None}, "not_verified", "prove who you are"),
        ({"verification_method": "self"}, "not_verified", "prove who you are"),
        ({"municipality_code": "049"}, "not_resident", "another municipality"),
        ({"birth_date": None}, "birth_date_unknown", "birth date"),
    ],
)
def test_person_who_may_not_vote_gets_the_reason(
    voting_round, plans, helsinki, overrides, code, phrase
):
    voter = VerifiedResidentFactory(**overrides)
    with translation.override("en"), pytest.raises(BallotError) as refused:
        vote(voting_round, voter, helsinki["eastern"], [plans["east_a"]])
    assert refused.value.code == code
    with translation.override("en"):
        assert phrase in str(refused.value)
    assert_nothing_stored()


def test_age_is_counted_on_the_last_day_of_voting(voting_round, plans, helsinki):
    last_day = voting_round.last_voting_day
    turns_12_on_last_day = VerifiedResidentFactory(
        birth_date=last_day.replace(year=last_day.year - 12)
    )
    turns_12_day_after = VerifiedResidentFactory(
        birth_date=last_day.replace(year=last_day.year - 12) + timedelta(days=1)
    )
    vote(voting_round, turns_12_on_last_day, helsinki["eastern"], [plans["east_a"]])
    with pytest.raises(BallotError) as refused:
        vote(voting_round, turns_12_day_after, helsinki["eastern"], [plans["east_a"]])
    assert refused.value.code == "too_young"
    assert Participation.objects.count() == 1


def test_age_during_the_voting_year(voting_round, plans, helsinki):
    Round.objects.filter(pk=voting_round.pk).update(age_rule="during_year")
    year = voting_round.last_voting_day.year
    turns_12_on_new_years_eve = VerifiedResidentFactory(birth_date=datetime.date(year - 12, 12, 31))
    turns_12_next_year = VerifiedResidentFactory(birth_date=datetime.date(year - 11, 1, 1))
    vote(voting_round, turns_12_on_new_years_eve, helsinki["eastern"], [plans["east_a"]])
    with pytest.raises(BallotError) as refused:
        vote(voting_round, turns_12_next_year, helsinki["eastern"], [plans["east_a"]])
    assert refused.value.code == "too_young"


# One person, one ballot


def test_second_ballot_is_refused_when_changes_are_not_allowed(
    voting_round, plans, resident, helsinki
):
    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])
    with translation.override("en"), pytest.raises(BallotError, match="already voted") as refused:
        vote(voting_round, resident, helsinki["western"], [plans["west_a"]])
    assert refused.value.code == "already_voted"
    assert sealed_ballots() == 1
    assert chosen_plan_ids() == {plans["east_a"].pk}


def test_ballot_can_be_changed_while_open_when_the_round_allows(
    voting_round, plans, resident, helsinki
):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    first = vote(voting_round, resident, helsinki["eastern"], [plans["east_a"], plans["city_a"]])

    changed = vote(voting_round, resident, helsinki["western"], [plans["west_a"]])

    assert changed.pk == first.pk
    assert changed.receipt_code == first.receipt_code
    assert changed.changed_at is not None
    assert sealed_choices(changed) == (helsinki["western"].pk, {plans["west_a"].pk})
    assert not Ballot.objects.exists()
    assert AuditEntry.objects.filter(action="budgeting.ballot_changed").count() == 1


def test_ballot_cannot_be_changed_after_close(voting_round, plans, resident, helsinki):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])
    Round.objects.filter(pk=voting_round.pk).update(voting_ends_at=timezone.now())
    with pytest.raises(BallotError) as refused:
        vote(voting_round, resident, helsinki["eastern"], [plans["east_b"]])
    assert refused.value.code == "ended"
    assert chosen_plan_ids() == {plans["east_a"].pk}


def test_invalid_change_keeps_the_old_ballot(voting_round, plans, resident, helsinki):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])
    with pytest.raises(BallotError):
        vote(voting_round, resident, helsinki["eastern"], [plans["east_b"], plans["east_c"]])
    assert chosen_plan_ids() == {plans["east_a"].pk}


# Assisted and paper ballots


def test_assisted_ballot_then_online_vote_is_refused(voting_round, plans, helsinki):
    staff = staff_of(helsinki["eastern"])
    voter = checked_in_person(helsinki["eastern"], email=None)
    participation = vote(
        voting_round,
        voter,
        helsinki["eastern"],
        [plans["east_a"]],
        channel=Channel.ASSISTED,
        recorded_by=staff,
    )
    assert participation.recorded_by == staff
    entry = AuditEntry.objects.get(action="budgeting.ballot_cast")
    assert (entry.actor, entry.on_behalf_of) == (staff, voter)

    with pytest.raises(BallotError) as refused:
        vote(voting_round, voter, helsinki["eastern"], [plans["east_b"]])
    assert refused.value.code == "already_voted"
    assert sealed_ballots() == 1


def test_changeable_round_keeps_a_staff_recorded_ballot_off_the_online_channel(
    voting_round, plans, helsinki
):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    staff = staff_of(helsinki["eastern"])
    voter = checked_in_person(helsinki["eastern"])
    vote(
        voting_round,
        voter,
        helsinki["eastern"],
        [plans["east_a"]],
        channel=Channel.ASSISTED,
        recorded_by=staff,
    )
    with pytest.raises(BallotError) as refused, translation.override("fi"):
        vote(voting_round, voter, helsinki["eastern"], [plans["east_b"]])
    assert refused.value.code == "voted_at_service_point"
    assert "asiointipisteessä" in str(refused.value.message)
    participation = Participation.objects.get()
    assert (participation.channel, participation.recorded_by) == (Channel.ASSISTED, staff)
    assert not participation.changeable_online(voting_round)
    assert chosen_plan_ids() == {plans["east_a"].pk}


def test_changeable_round_keeps_an_online_ballot_away_from_the_service_point(
    voting_round, plans, resident, helsinki
):
    Round.objects.filter(pk=voting_round.pk).update(ballot_changeable=True)
    vote(voting_round, resident, helsinki["eastern"], [plans["east_a"]])
    with pytest.raises(BallotError) as refused:
        vote(
            voting_round,
            resident,
            helsinki["eastern"],
            [plans["east_b"]],
            channel=Channel.ASSISTED,
            recorded_by=staff_of(helsinki["eastern"]),
            confirmed_by=staff_of(helsinki["eastern"]),
        )
    assert refused.value.code == "voted_online"
    assert Participation.objects.get().channel == Channel.ONLINE
    assert chosen_plan_ids() == {plans["east_a"].pk}


def test_a_paper_vote_marks_the_person_and_stores_no_choices(voting_round, plans, helsinki):
    staff = staff_of(helsinki["eastern"])
    voter = checked_in_person(helsinki["eastern"])
    participation = services.record_paper_vote(round=voting_round, voter=voter, recorded_by=staff)
    assert (participation.channel, participation.sealed_ballot) == (Channel.PAPER, None)
    with pytest.raises(BallotError) as refused:
        vote(voting_round, voter, helsinki["eastern"], [plans["east_a"]])
    assert refused.value.code == "already_voted"
    with pytest.raises(BallotError) as refused:
        services.record_paper_vote(round=voting_round, voter=voter, recorded_by=staff)
    assert refused.value.code == "already_voted"


def test_only_staff_record_ballots_for_others(voting_round, plans, resident, helsinki):
    with pytest.raises(PermissionDenied):
        vote(
            voting_round,
            resident,
            helsinki["eastern"],
            [plans["east_a"]],
            channel=Channel.ASSISTED,
            recorded_by=UserFactory(is_staff=True),
        )
    with pytest.raises(ValueError):
        vote(
            voting_round, resident, helsinki["eastern"], [plans["east_a"]], channel=Channel.ASSISTED
        )
    with pytest.raises(ValueError):
        vote(
            voting_round,
            resident,
            helsinki["eastern"],
            [plans["east_a"]],
            recorded_by=staff_of(helsinki["eastern"]),
        )
    assert_nothing_stored()


# Round settings are fixed once voting has started (CONSUL's fault)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("minimum_voting_age", 13),
        ("age_rule", "during_year"),
        ("counting_rule", "mes"),
        ("ballot_changeable", True),
        ("min_plans_per_area", 1),
        ("max_plans_per_area", 3),
        ("voting_ends_at", "later"),
        ("voting_starts_at", "earlier"),
    ],
)
def test_voting_rules_cannot_change_after_voting_started(voting_round, field, value):
    if value == "later":
        value = voting_round.voting_ends_at + timedelta(days=1)
    elif value == "earlier":
        value = voting_round.voting_starts_at - timedelta(days=1)
    staff = StaffRoleFactory().user
    with pytest.raises(RoundLocked):
        update_round_settings(round=voting_round, actor=staff, **{field: value})
    voting_round.refresh_from_db()
    assert getattr(voting_round, field) != value


def test_voting_rules_can_change_before_voting_and_other_dates_after(helsinki):
    staff = StaffRoleFactory().user
    now = timezone.now()
    future = RoundFactory(
        voting_starts_at=now + timedelta(days=1), voting_ends_at=now + timedelta(days=9)
    )
    update_round_settings(round=future, actor=staff, counting_rule="mes", minimum_voting_age=13)
    future.refresh_from_db()
    assert (future.counting_rule, future.minimum_voting_age) == ("mes", 13)
    assert AuditEntry.objects.get(action="budgeting.round_changed").data == {
        "fields": ["counting_rule", "minimum_voting_age"]
    }

    started = RoundFactory()
    update_round_settings(round=started, actor=staff, results_on=datetime.date(2027, 1, 31))
    started.refresh_from_db()
    assert started.results_on == datetime.date(2027, 1, 31)


def test_setting_the_same_value_after_start_is_not_a_change(voting_round):
    update_round_settings(round=voting_round, actor=None, counting_rule=voting_round.counting_rule)


def test_budgets_and_ballot_are_fixed_after_voting_started(voting_round, plans, helsinki):
    staff = StaffRoleFactory().user
    with pytest.raises(RoundLocked):
        set_round_budgets(round=voting_round, amounts={helsinki["eastern"]: 1}, actor=staff)
    with pytest.raises(RoundLocked):
        set_plan_on_ballot(plan=plans["east_a"], on_ballot=False, actor=staff)
    draft = PlanFactory(round=voting_round, area=helsinki["eastern"], status=PlanStatus.DRAFT)
    with pytest.raises(RoundLocked):
        set_plan_on_ballot(plan=draft, on_ballot=True, actor=staff)
    assert RoundBudget.objects.get(round=voting_round, area=helsinki["eastern"]).amount == 300_000


def test_budgets_and_ballot_can_be_set_before_voting(helsinki):
    staff = StaffRoleFactory().user
    now = timezone.now()
    round = RoundFactory(
        voting_starts_at=now + timedelta(days=1), voting_ends_at=now + timedelta(days=9)
    )
    set_round_budgets(
        round=round, amounts={helsinki["city"]: 5, helsinki["eastern"]: 7}, actor=staff
    )
    set_round_budgets(round=round, amounts={helsinki["eastern"]: 9}, actor=staff)
    assert list(round.budgets.values_list("area__slug", "amount")) == [("eastern", 9)]
    plan = PlanFactory(round=round, area=helsinki["eastern"], status=PlanStatus.DRAFT)
    set_plan_on_ballot(plan=plan, on_ballot=True, actor=staff)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_BALLOT


# Splitting the money


def test_split_sums_exactly_and_follows_population(helsinki):
    load_helsinki_population()
    districts = [area for key, area in helsinki.items() if key != "city"]
    amounts = split_budget(total=4_400_000, city_share_percent=20, districts=districts)
    assert sum(amounts.values()) == 4_400_000
    assert amounts[helsinki["city"]] == 880_000
    residents = {slug: people for slug, _n, _fi, _sv, _en, people in DISTRICTS}
    population = sum(residents.values())
    for district in districts:
        exact = 3_520_000 * residents[district.slug] / population
        # The bands are rounded when stored, so the split is near the district's share.
        assert abs(amounts[district] - exact) < 3_520_000 * 0.0001


def test_split_reads_the_latest_population_figures(helsinki):
    load_helsinki_population(year=2023)
    for area in helsinki.values():
        Population.objects.create(area=area, year=2024, age_from=0, count=1)
    Population.objects.filter(area=helsinki["eastern"], year=2024).update(count=3)
    districts = [area for key, area in helsinki.items() if key != "city"]
    amounts = split_budget(total=900, city_share_percent=0, districts=districts)
    assert amounts[helsinki["eastern"]] == 300
    assert amounts[helsinki["western"]] == 100


def test_split_hands_out_remainders_to_largest_fractions(helsinki):
    for area in helsinki.values():
        Population.objects.create(area=area, year=2024, age_from=0, count=1)
    districts = [area for key, area in helsinki.items() if key != "city"]
    amounts = split_budget(total=10, city_share_percent=0, districts=districts)
    assert helsinki["city"] not in amounts
    assert sum(amounts.values()) == 10
    assert sorted(amounts.values()) == [1, 1, 1, 1, 2, 2, 2]


def test_split_with_a_fractional_share(helsinki):
    load_helsinki_population()
    districts = [area for key, area in helsinki.items() if key != "city"]
    amounts = split_budget(total=1_000_001, city_share_percent="12.5", districts=districts)
    assert sum(amounts.values()) == 1_000_001
    assert amounts[helsinki["city"]] in (125_000, 125_001)


@pytest.mark.parametrize(("total", "share"), [(0, 20), (100, 100), (100, -1)])
def test_split_refuses_impossible_input(helsinki, total, share):
    load_helsinki_population()
    districts = [area for key, area in helsinki.items() if key != "city"]
    with pytest.raises(ValueError):
        split_budget(total=total, city_share_percent=share, districts=districts)
