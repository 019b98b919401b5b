"""From stored ballots to the counting package and back to words residents read.

The counting package knows nothing of Django: this module builds its plain input
(an ``Instance`` and a ``Profile`` per area, plans named by their public codes and
voters numbered in a random order), writes anonymised ballots as pabulib, and
turns the package's coded explanations into sentences in the active language.
"""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.core.templatetags.osallistu import euros

from .counting import Ballot as CountedBallot
from .counting import (
    BallotConstraints,
    Instance,
    Profile,
    Project,
    VoteType,
    pabulib_file,
    write_pabulib,
)
from .models import VOTED_STATUSES, Ballot, BallotChoice, CountingRule, Plan, RoundBudget

# How each rule of a round is run, and its name in pabulib's META.
# A plan nobody voted for is never funded, whatever money is left.
COUNT_SETTINGS = {
    CountingRule.GREEDY: {"rule": "greedy", "fund_unvoted": False},
    CountingRule.MES: {
        "rule": "mes",
        "utility": "cost",
        "completion": "add1",
        "fund_unvoted": False,
    },
}
PABULIB_RULE = {CountingRule.GREEDY: "greedy", CountingRule.MES: "equalshares/add1"}


def election_for(round, area):
    """The area's budget, plans and non-empty ballot parts, as the counting package takes them.

    Voters are numbered 1, 2, … in the order of the ballots' random ids, so the
    numbers say nothing about who voted or when.
    """
    budget = RoundBudget.objects.get(round=round, area=area).amount
    plans = list(
        Plan.objects.filter(round=round, area=area, status__in=VOTED_STATUSES).order_by("code")
    )
    projects = tuple(
        Project(
            id=plan.code,
            cost=plan.cost,
            name=plan.title_fi or plan.code,
            categories=(plan.theme,),
            district=area.slug,
        )
        for plan in plans
    )
    chosen = defaultdict(list)
    rows = (
        BallotChoice.objects.filter(
            ballot__in=Ballot.objects.filter(round=round).counted(), plan__in=plans
        )
        .order_by("ballot_id", "plan__code")
        .values_list("ballot_id", "plan__code")
    )
    for ballot_id, code in rows.iterator(chunk_size=5000):
        chosen[ballot_id].append(code)
    ballots = tuple(
        CountedBallot(voter_id=str(number), projects=tuple(chosen[ballot_id]))
        for number, ballot_id in enumerate(sorted(chosen), start=1)
    )
    constraints = BallotConstraints(
        min_length=max(1, round.min_plans_per_area),
        max_length=round.max_plans_per_area,
        max_total_cost=budget,
    )
    instance = Instance(budget=budget, projects=projects, constraints=constraints)
    return instance, Profile(VoteType.APPROVAL, ballots)


def pabulib_text(round, area, *, selected=None):
    """The area's anonymised ballots in the pabulib format."""
    instance, profile = election_for(round, area)
    meta = {
        "description": f"{round.name_fi}: {area.name_fi}",
        "country": "Finland",
        "unit": "Helsinki",
        "instance": round.slug,
        "subunit": area.name_fi,
        "rule": PABULIB_RULE[round.counting_rule],
        "date_begin": timezone.localtime(round.voting_starts_at).strftime("%d.%m.%Y"),
        "date_end": round.last_voting_day.strftime("%d.%m.%Y"),
        "language": "fi",
        "currency": "EUR",
        "min_length": str(instance.constraints.min_length),
        "max_sum_cost": str(instance.budget),
    }
    if instance.constraints.max_length is not None:
        meta["max_length"] = str(instance.constraints.max_length)
    file = pabulib_file(
        instance, profile, meta, selected=frozenset(selected) if selected is not None else None
    )
    return write_pabulib(file)


def explanation_text(entry):
    """One plan's explanation (``Explanation.as_dict()``) as sentences in the active
    language. Whether the plan was funded is said next to it, so it is not repeated."""
    code = entry["code"]
    votes = ngettext("%(count)s vote", "%(count)s votes", entry["votes"]) % {
        "count": entry["votes"]
    }
    money = {
        key: euros(entry[key])
        for key in ("cost", "money_left", "supporters_money", "short_by", "price_per_voter")
        if key in entry
    }
    if code == "funded":
        text = _("%(votes)s; number %(position)s in the order of funding.") % {
            "position": entry["position"],
            "votes": votes,
        }
        if entry.get("topped_up"):
            text += " " + _("It was funded from money that equal shares left unspent.")
        elif "price_per_voter" in money:
            text += " " + _("Each supporter paid at most %(price)s of their share.") % {
                "price": money["price_per_voter"]
            }
        return text
    if code == "not_enough_money":
        return _(
            "%(votes)s. When its turn came, only %(left)s was left, but it costs %(cost)s."
        ) % {"votes": votes, "left": money["money_left"], "cost": money["cost"]}
    if code == "supporters_short":
        return _(
            "%(votes)s. Its supporters had only %(money)s of their shares left, %(short)s "
            "less than its cost."
        ) % {"votes": votes, "money": money["supporters_money"], "short": money["short_by"]}
    if code == "no_votes":
        return _("Nobody voted for it.")
    if code == "exceeds_budget":
        return _("%(votes)s. It costs more than the whole budget of the area.") % {"votes": votes}
    if code == "count_stopped":
        return _(
            "%(votes)s. The count stopped before its turn, because plan %(plan)s no longer "
            "fitted in the budget."
        ) % {"votes": votes, "plan": entry["stopped_by"]}
    if code == "below_threshold":
        return _("%(votes)s. A plan needed at least %(threshold)s to take part in the count.") % {
            "votes": votes,
            "threshold": ngettext("%(count)s vote", "%(count)s votes", entry["threshold"])
            % {"count": entry["threshold"]},
        }
    raise ValueError(f"unknown explanation code {code!r}")


def result_rows(tally, plans_by_code):
    """The plans of a count, funded first in funding order, then by votes: with
    their plan, votes, whether funded and the explanation in the active language."""
    rows = []
    for entry in tally.result["explanations"]:
        rows.append(
            {
                "plan": plans_by_code.get(entry["project_id"]),
                "code": entry["project_id"],
                "votes": entry["votes"],
                "funded": entry["funded"],
                "position": entry.get("position"),
                "explanation": explanation_text(entry),
            }
        )
    rows.sort(key=lambda row: (not row["funded"], row["position"] or 0, -row["votes"], row["code"]))
    most = max((row["votes"] for row in rows), default=0)
    for row in rows:
        # The bar of the chart: votes as a share of the most votes any plan got.
        row["bar"] = 100 * row["votes"] / most if most else 0
    return rows
