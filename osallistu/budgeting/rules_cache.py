"""A round's rules and money as each process last read them, for the ballots it casts.

Every Vote press needs the round (its voting time, ballot rules and minimum age) and
its budgets with their areas; reading them took a quarter of the database's work for
a ballot and as much of the app's. So each process keeps what it read, with its
version (``selectors.RULES_STAMP_SQL``), and the statement that writes a ballot checks
that version in the database: a ballot checked against rules that changed meanwhile is
not written, and ``services.cast_ballot`` reads the rules again and checks it anew.
A rule therefore never goes stale for a ballot, only for this cache.

Only on PostgreSQL, which keeps the versions; elsewhere the rules are read every time.
"""

import time

from . import selectors

LIFETIME = 60  # seconds; a round that is no longer voted on is forgotten after this
_kept = {}  # slug -> (round, budgets, stamp, read at)


def voting_rules(slug):
    """``(round, budgets, stamp)`` of the round ``slug`` as this process last read it,
    or as it is now; ``stamp`` is None where the database keeps no versions. Raises
    ``Round.DoesNotExist`` when there is no such round."""
    kept = _kept.get(slug)
    if kept is not None and time.monotonic() - kept[3] < LIFETIME:
        return kept[:3]
    return read_again(slug)


def read_again(slug):
    """The rules of the round ``slug`` as they are now, kept for the next ballot."""
    round, budgets, stamp = selectors.stamped_round_with_budgets(slug=slug)
    if stamp is not None:
        if len(_kept) > 100:  # rounds come and go; a process never keeps many
            _kept.clear()
        _kept[slug] = (round, budgets, stamp, time.monotonic())
    return round, budgets, stamp
