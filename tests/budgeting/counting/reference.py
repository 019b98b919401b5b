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
