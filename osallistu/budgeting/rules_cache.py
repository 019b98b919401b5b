"""A round's rules, money and plans as each process last read them, for the ballots it
casts.

Every Vote press needs the round (its voting time, ballot rules and minimum age), its
budgets with their areas, and the chosen plans; reading them took most of the
database's reads for a ballot and as much of the app's work. So each process keeps
what it read, with the versions of those rows (``selectors.RULES_STAMP_SQL`` and
``PLANS_STAMP_SQL``: the transaction ids that wrote them), and the statement that
writes a ballot checks those versions in the database. A ballot checked against rules
or plans that changed meanwhile is not written, and a ballot refused under them is not
refused: ``services.cast_ballot`` reads them again and checks the ballot anew. A rule
therefore never goes stale for a ballot, only for this cache.

Only on PostgreSQL, which keeps the versions; elsewhere the rules are read every time
and the chosen plans with each ballot.
"""

import time
from dataclasses import dataclass

from . import selectors

LIFETIME = 60  # seconds; a round that is no longer voted on is forgotten after this
_kept = {}  # slug -> (Rules, read at)


@dataclass(frozen=True)
class Rules:
    """A round, its budgets with their areas (city-wide first, then districts by
    number) and, where versions are kept, their version ``stamp`` and the plans on the
    ballot by id with theirs; ``stamp``, ``plans`` and ``versions`` are None elsewhere."""

    round: object
    budgets: list
    stamp: str | None = None
    plans: dict | None = None  # {id: plan}
    versions: dict | None = None  # {plan id: version}

    def plans_stamp(self, plan_ids):
        """The versions of those plans of ``plan_ids`` that were on the ballot when
        read, as ``PLANS_STAMP_SQL`` gives them now; None for none."""
        versions = [self.versions[pk] for pk in sorted(plan_ids) if pk in self.versions]
        return ",".join(versions) or None

    def are_current(self, plan_ids):
        """Whether the round's rules and money, and the plans of ``plan_ids``, are still
        as read (one query)."""
        if self.stamp is None:
            return True
        current = selectors.stamps(self.round.pk, sorted(plan_ids))
        return current == (self.stamp, self.plans_stamp(plan_ids))


def voting_rules(slug):
    """The ``Rules`` of the round ``slug`` as this process last read them, or as they
    are now. Raises ``Round.DoesNotExist`` when there is no such round."""
    kept = _kept.get(slug)
    if kept is not None and time.monotonic() - kept[1] < LIFETIME:
        return kept[0]
    return read_again(slug)


def read_again(slug):
    """The ``Rules`` of the round ``slug`` as they are now, kept for the next ballot."""
    round, budgets, stamp = selectors.stamped_round_with_budgets(slug=slug)
    if stamp is None:
        return Rules(round, budgets)
    rules = Rules(round, budgets, stamp, *selectors.stamped_ballot_plans(round))
    if len(_kept) > 100:  # rounds come and go; a process never keeps many
        _kept.clear()
    _kept[slug] = (rules, time.monotonic())
    return rules
