"""The plans of a ballot page, rendered once and kept in Django's shared cache.

A ballot page lists a hundred or two plans with pictures, places and descriptions, and
rendering them is most of the page's work; yet until a plan, a picture, a budget, a
round, an area or a neighbourhood changes, every voter of one district who reads in one
language gets the same plans. So ``listing`` renders each plan's card once with the
template ``budgeting/ballot/_card.html`` and keeps the cards, with what the page
searches, filters and orders by, as one entry of the cache framework (``CACHES``: the
database in production, so every process and machine shares it). A page then reads
that entry and the version below: two cache reads however many plans. What the voter
ticked is never in it; it comes from their shortlist on each page.

The version is in the shared cache too; every save and delete of those models
replaces it once its transaction has committed (before that, another process would
render the old rows and keep them under the new version). A write that sends no signal
(``QuerySet.update``, ``bulk_create``, SQL) shows after ``LIFETIME`` at the latest.
What a ballot may hold never depends on this: every ballot is checked against the
database when it is reviewed and when it is cast.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from osallistu.areas.models import Area, Neighbourhood

from . import selectors
from .models import Plan, PlanImage, Round, RoundBudget, Theme
from .search import folded, sort_key

VERSION_KEY = "budgeting:ballot-version"
LIFETIME = 10 * 60  # seconds


def replace_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def replace_version_on_commit(**kwargs):
    transaction.on_commit(replace_version, using=kwargs.get("using"))


for model in (Round, RoundBudget, Plan, PlanImage, Area, Neighbourhood):
    post_save.connect(replace_version_on_commit, sender=model, dispatch_uid=f"ballot_{model}")
    post_delete.connect(replace_version_on_commit, sender=model, dispatch_uid=f"ballot_{model}")


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:  # first use, or the cache lost it
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


@dataclass(frozen=True)
class ListedPlan:
    """One plan as the ballot page lists it: what it is filtered and ordered by, where
    it is on the map, and its card."""

    pk: int
    ident: str  # the pk as the page writes it in ids and values, never localised
    code: str
    page: str  # the address of the plan's page on this ballot
    area_id: int
    field_name: str  # the ballot form's field of the plan's area
    title: str
    theme: str
    neighbourhood: str  # its slug, or "" for none
    cost: int
    cost_value: str  # for the page's script, never localised
    name_key: str  # the title in this language, as it is ordered by
    words: str  # what search looks in, folded (see ``folded``)
    points: tuple  # ((longitude, latitude), ...) of its points or its area's corners
    is_area: bool
    card: str  # safe HTML


@dataclass(frozen=True)
class Listing:
    plans: tuple  # ListedPlan, by area (the city last) and code
    neighbourhoods: tuple  # (slug, name) of the district's neighbourhoods


def listing(*, round, district, version=None):
    """The ``Listing`` of the ballot of ``district`` in the active language."""
    language = translation.get_language()
    key = f"budgeting:ballot:{version or current_version()}:{round.pk}:{district.pk}:{language}"
    kept = cache.get(key)
    if kept is None:
        kept = build(round, district)
        cache.set(key, kept, LIFETIME)
    return kept


def build(round, district):
    plans = selectors.plans_for_ballot_listing(round, district)
    themes = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            for value, label in Theme.choices:
                themes.setdefault(value, []).append(str(label))
    listed = []
    for plan in plans:
        images = list(plan.images.all())
        card = render_to_string(
            "budgeting/ballot/_card.html",
            {"plan": plan, "image": images[0] if images else None},
        )
        texts = [
            plan.code,
            *themes[plan.theme],
            *(
                getattr(plan, f"{name}_{language}") or ""
                for name in ("title", "description", "place_name")
                for language in ("fi", "sv", "en")
            ),
        ]
        if plan.neighbourhood is not None:
            texts += [plan.neighbourhood.name_fi, plan.neighbourhood.name_sv]
        listed.append(
            ListedPlan(
                pk=plan.pk,
                ident=str(plan.pk),
                code=plan.code,
                page=reverse("budgeting:ballot_plan", args=[round.slug, district.slug, plan.code]),
                area_id=plan.area_id,
                field_name=f"plans_{plan.area.slug}",
                title=plan.title,
                theme=plan.theme,
                neighbourhood=plan.neighbourhood.slug if plan.neighbourhood else "",
                cost=plan.cost,
                cost_value=str(plan.cost),
                name_key=sort_key(plan.title),
                words=folded(" ".join(texts)),
                points=tuple(plan.place_points),
                is_area=plan.place_is_area,
                card=card,
            )
        )
    neighbourhoods = tuple(
        (neighbourhood.slug, neighbourhood.name)
        for neighbourhood in selectors.neighbourhoods_of(district)
    )
    return Listing(plans=tuple(listed), neighbourhoods=neighbourhoods)
