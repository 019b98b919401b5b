"""The rendered plan checkboxes of an empty ballot, kept for the next voter.

A ballot page lists a few hundred plans with their descriptions, and rendering them is
nearly all of the page's work; yet until a plan, a budget, a round or an area changes,
every voter of one district who reads in one language gets the same checkboxes (the
ballot never shows anyone's earlier choices). So each process renders them once per
round, district and language, and keeps them.

Processes learn of changes through a version in the shared cache, which every save and
delete of those models replaces once its transaction has committed (before that, another
process would render the old rows and keep them under the new version); the version is
the one query a ballot page makes for this. A write that sends no signal
(``QuerySet.update``, ``bulk_create``, SQL) shows after ``LIFETIME`` at the latest. What
a ballot may hold never depends on this: every ballot is checked against the database
when it is reviewed and when it is cast.
"""

import threading
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from osallistu.areas.models import Area

from .models import Plan, Round, RoundBudget

VERSION_KEY = "budgeting:ballot-version"
LIFETIME = 10 * 60  # seconds
KEPT = 200  # rendered ballots a process keeps, about 150 kB each with 700 plans

rendered = {}  # (version, round, district, language) -> (html, rendered at)
lock = threading.Lock()


def replace_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def replace_version_on_commit(**kwargs):
    transaction.on_commit(replace_version, using=kwargs.get("using"))


for model in (Round, RoundBudget, Plan, Area):
    post_save.connect(replace_version_on_commit, sender=model, dispatch_uid=f"ballot_{model}")
    post_delete.connect(replace_version_on_commit, sender=model, dispatch_uid=f"ballot_{model}")


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:  # first use, or the cache lost it
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def empty_ballot(*, round, district, language, render):
    """The HTML ``render()`` returns for this round, district and language, rendered
    again only when something on the ballot changed or ``LIFETIME`` has passed."""
    key = (current_version(), round.pk, district.pk, language)
    kept = rendered.get(key)
    if kept is not None and time.monotonic() - kept[1] < LIFETIME:
        return kept[0]
    html = render()
    with lock:
        if len(rendered) >= KEPT:
            rendered.clear()
        rendered[key] = (html, time.monotonic())
    return html
