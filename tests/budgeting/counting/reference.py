"""Literal, slow, exact implementations of the rules, to check the fast ones against.

Every voter is handled on their own with ``Fraction``s and Add1 goes one currency unit at a
time, exactly as the definitions say.
"""

from __future__ import annotations

from fractions import Fraction

from osallistu.budgeting.counting import Instance, Profile


def reference_mes(
    instance: Instance, profile: Profile, rank: dict[str, int], utility: str, share: Fraction
) -> list[str]:
    costs = {p.id: p.cost for p in instance.projects}
    ballots = [b.points_for() for b in profile.ballots]

    def util(voter: int, project: str) -> int:
        points = ballots[voter].get(project, 0)
        return points * (costs[project] if utility == "cost" else 1)

    money = [Fraction(share)] * len(ballots)
    remaining = {p for p in costs if any(util(v, p) for v in range(len(ballots)))}
    selected: list[str] = []
    while True:
        factors = {}
        for project in remaining:
            supporters = [v for v in range(len(ballots)) if util(v, project) > 0]
            if sum(money[v] for v in supporters) < costs[project]:
                continue
            # The smallest rho with sum(min(money, rho * u)) >= cost: try each breakpoint.
            candidates = sorted({money[v] / util(v, project) for v in supporters})
            for rho in candidates:
                paid = sum(min(money[v], rho * util(v, project)) for v in supporters)
                if paid >= costs[project]:
                    break
            poor = [v for v in supporters if money[v] < rho * util(v, project)]
            rich_utility = sum(util(v, project) for v in supporters if v not in poor)
            factors[project] = (costs[project] - sum(money[v] for v in poor)) / Fraction(
                rich_utility
            )
        if not factors:
            return selected
        best = min(factors.values())
        winner = min((p for p in factors if factors[p] == best), key=rank.__getitem__)
        for v in range(len(ballots)):
            if util(v, winner):
                money[v] -= min(money[v], best * util(v, winner))
        selected.append(winner)
        remaining.discard(winner)


def reference_add1(
    instance: Instance, profile: Profile, rank: dict[str, int], utility: str, exhaustive: bool
) -> list[str]:
    costs = {p.id: p.cost for p in instance.projects}
    voted = {p for b in profile.ballots for p in b.projects}
    share = Fraction(instance.budget) / len(profile.ballots)
    previous = None
    while True:
        outcome = reference_mes(instance, profile, rank, utility, share)
        total = sum(costs[p] for p in outcome)
        if total > instance.budget:
            return previous
        others = [p for p in voted if p not in outcome]
        if not others:
            return outcome
        if not exhaustive and all(total + costs[p] > instance.budget for p in others):
            return outcome
        previous = outcome
        share += 1


def reference_greedy(
    instance: Instance,
    profile: Profile,
    rank: dict[str, int],
    *,
    skip: bool = True,
    threshold: int | None = None,
) -> list[str]:
    """Greedy by score as its definition reads: leave out the projects below the threshold,
    take the others by score (ties in ``rank``), fund what fits; without ``skip``, stop at
    the first that does not fit."""
    costs = {p.id: p.cost for p in instance.projects}
    score = dict.fromkeys(costs, 0)
    for ballot in profile.ballots:
        for project, points in ballot.points_for().items():
            score[project] += points
    eligible = [p for p in costs if threshold is None or score[p] >= threshold]
    money = instance.budget
    selected = []
    for project in sorted(eligible, key=lambda p: (-score[p], rank[p])):
        if costs[project] <= money:
            selected.append(project)
            money -= costs[project]
        elif not skip:
            break
    return selected


def borda_scores(rankings: list[list[str]], length: int) -> dict[str, int]:
    """Each ranking gives ``length`` points to its first project, one fewer to the next."""
    score: dict[str, int] = {}
    for ranking in rankings:
        for place, project in enumerate(ranking[:length]):
            score[project] = score.get(project, 0) + length - place
    return score
