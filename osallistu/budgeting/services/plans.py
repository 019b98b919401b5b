"""Co-creation of plans from proposals, and news of how funded plans are carried out."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.core import audit, geo

from ..models import PROGRESS_STEPS, Plan, PlanStatus, PlanUpdate, Proposal, ProposalStatus, Round
from .errors import ProgressError, ProposalError, RoundLocked

# Enough for a plan spread over a few parks; the ballot's map stays readable.
MAX_PLACE_POSITIONS = 50


def check_place(place):
    """A plan's place as stored: a GeoJSON Point, MultiPoint or one-ring Polygon inside
    the drawn map of Helsinki (``geo.HELSINKI_BBOX``), or None; else ProposalError."""
    if place is None:
        return None
    kind = place.get("type") if isinstance(place, dict) else None
    coordinates = place.get("coordinates") if kind else None
    if kind == "Point":
        return {"type": "Point", "coordinates": _position(coordinates)}
    if kind == "MultiPoint" and isinstance(coordinates, list) and coordinates:
        if len(coordinates) > MAX_PLACE_POSITIONS:
            raise _too_many_positions()
        points = []
        for point in map(_position, coordinates):
            if point not in points:
                points.append(point)
        if len(points) == 1:
            return {"type": "Point", "coordinates": points[0]}
        return {"type": "MultiPoint", "coordinates": points}
    if kind == "Polygon" and isinstance(coordinates, list) and len(coordinates) == 1:
        ring = coordinates[0]
        if not isinstance(ring, list):
            raise _unreadable_place()
        if len(ring) > MAX_PLACE_POSITIONS + 1:
            raise _too_many_positions()
        corners = []
        for corner in map(_position, ring):
            if not corners or corners[-1] != corner:
                corners.append(corner)
        if len(corners) > 1 and corners[0] == corners[-1]:
            corners.pop()
        if len(corners) < 3:
            raise ProposalError(_("An area needs at least three corners."), code="place")
        corners.append(corners[0])
        if geo.ring_crosses_itself(corners) or not geo.ring_area(corners):
            raise ProposalError(
                _("The edges of the area cross each other. Give the corners in order around it."),
                code="place",
            )
        return {"type": "Polygon", "coordinates": [corners]}
    raise _unreadable_place()


def _position(raw):
    if not (
        isinstance(raw, list | tuple)
        and len(raw) == 2
        and all(isinstance(part, int | float) and not isinstance(part, bool) for part in raw)
    ):
        raise _unreadable_place()
    lon, lat = (float(part) for part in raw)
    west, south, east, north = geo.HELSINKI_BBOX
    if not (west <= lon <= east and south <= lat <= north):
        raise ProposalError(
            _("The place must be in Helsinki, on the map of the ballot."), code="place"
        )
    return [round(lon, 6), round(lat, 6)]


def _unreadable_place():
    return ProposalError(_("The place of the plan could not be read."), code="place")


def _too_many_positions():
    return ProposalError(
        _("A place can have at most %(count)s points or corners.") % {"count": MAX_PLACE_POSITIONS},
        code="place",
    )


def check_neighbourhood(area, neighbourhood):
    """A district's plan serves one of its own neighbourhoods; a city-wide plan any."""
    if neighbourhood is not None and not area.is_city and neighbourhood.district_id != area.pk:
        raise ProposalError(
            _("Choose a neighbourhood of %(area)s.") % {"area": area.name}, code="neighbourhood"
        )


def place_of_proposals(proposals):
    """The points of those ``proposals`` that have one, as a plan's place, or None."""
    points = [
        [float(p.longitude), float(p.latitude)]
        for p in sorted(proposals, key=lambda p: p.pk)
        if p.has_point
    ]
    if not points:
        return None
    return check_place({"type": "MultiPoint", "coordinates": points})


def place_name_of_proposals(proposals):
    """The first place a proposal names in words, in the field of its language."""
    for proposal in sorted(proposals, key=lambda p: p.pk):
        if proposal.place_text:
            return {proposal.language: proposal.place_text}
    return {}


def create_plan_from_proposals(
    *,
    proposals,
    code,
    title,
    description,
    theme,
    cost_low,
    cost_high,
    actor,
    feasibility=None,
    neighbourhood=None,
    place=None,
    place_name=None,
):
    """Co-creation: combine accepted proposals of one area into a new draft plan.

    ``title``, ``description``, ``feasibility`` and ``place_name`` are ``{"fi": …,
    "sv": …, "en": …}``; ``place`` is GeoJSON (``check_place``). Without a place the
    plan takes the points of its proposals, and without a place name the first one a
    proposal gives. The plan goes on the ballot later, with ``set_plan_on_ballot``,
    before voting starts.
    """
    place = check_place(place)
    with transaction.atomic():
        proposals = list(
            Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals])
        )
        if not proposals:
            raise ProposalError(_("Please choose at least one proposal."), code="empty")
        if any(p.status != ProposalStatus.ACCEPTED for p in proposals):
            raise ProposalError(
                _("Only accepted proposals that are not yet part of a plan can be combined."),
                code="not_accepted",
            )
        if any(p.is_hidden for p in proposals):
            raise ProposalError(_("A hidden proposal cannot be made into a plan."), code="hidden")
        if len({(p.round_id, p.area_id) for p in proposals}) != 1:
            raise ProposalError(
                _("A plan is made from proposals of one round and one area."), code="mixed"
            )
        round = Round.objects.select_for_update().get(pk=proposals[0].round_id)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the plans on the ballot can no longer be changed."),
                code="voting_started",
            )
        if Plan.objects.filter(round=round, code=code).exists():
            raise ProposalError(
                _("Another plan of this round already has the code %(code)s.") % {"code": code},
                code="code_taken",
            )
        area = proposals[0].area
        check_neighbourhood(area, neighbourhood)
        if not any((place_name or {}).values()):
            place_name = place_name_of_proposals(proposals)
        plan = Plan(
            round=round,
            area=area,
            code=code,
            theme=theme,
            cost_low=cost_low,
            cost_high=cost_high,
            status=PlanStatus.DRAFT,
            neighbourhood=neighbourhood,
            place=place or place_of_proposals(proposals),
            **{f"title_{language}": text for language, text in title.items()},
            **{f"description_{language}": text for language, text in description.items()},
            **{f"feasibility_{language}": text for language, text in (feasibility or {}).items()},
            **{f"place_name_{language}": text for language, text in place_name.items()},
        )
        plan.full_clean()
        plan.save()
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
            status=ProposalStatus.COMBINED, plan=plan
        )
        audit.record(
            action="budgeting.plan_created",
            actor=actor,
            target=plan,
            data={"proposals": sorted(p.pk for p in proposals)},
        )
    return plan


# Fields of a plan that only change before voting starts; its texts may be corrected
# later. Voters find plans by theme, neighbourhood and place, and keep them on their
# shortlists: those stay as they were when voting started.
PLAN_FIELDS_FIXED_WHEN_VOTING = ("code", "theme", "cost_low", "cost_high", "neighbourhood", "place")
TRANSLATED_PLAN_TEXTS = ("title", "description", "feasibility", "place_name")


def update_plan(*, plan, actor, texts=None, add_proposals=(), remove_proposals=(), **fields):
    """Edit a plan in co-creation.

    ``texts`` is ``{"title": {"fi": …}, "description": …, "feasibility": …, "place_name":
    …}``; ``fields`` are among ``code``, ``theme``, ``cost_low``, ``cost_high``,
    ``neighbourhood`` and ``place`` (GeoJSON, ``check_place``). ``add_proposals`` are
    accepted proposals of the plan's round and area that become part of it;
    ``remove_proposals`` go back to being accepted proposals. Once voting has started
    only the texts can change, so that a typo can be fixed but the ballot stays the same.
    """
    unknown = set(fields) - set(PLAN_FIELDS_FIXED_WHEN_VOTING)
    if unknown:
        raise ValueError(f"unknown plan fields: {', '.join(sorted(unknown))}")
    if "place" in fields:
        fields["place"] = check_place(fields["place"])
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=plan.round_id)
        plan = Plan.objects.select_for_update().select_related("area").get(pk=plan.pk)
        if "neighbourhood" in fields:
            check_neighbourhood(plan.area, fields["neighbourhood"])
        changed = {name for name, value in fields.items() if getattr(plan, name) != value}
        if (changed or add_proposals or remove_proposals) and round.voting_has_started():
            raise RoundLocked(
                _(
                    "Voting has started, so only the texts of the plan can be corrected. "
                    "Its code, theme, cost, neighbourhood, place and proposals stay as they "
                    "are."
                ),
                code="voting_started",
            )
        if "code" in changed and round.plans.filter(code=fields["code"]).exists():
            raise ProposalError(
                _("Another plan of this round already has the code %(code)s.")
                % {"code": fields["code"]},
                code="code_taken",
            )
        for name in changed:
            setattr(plan, name, fields[name])
        for name, by_language in (texts or {}).items():
            if name not in TRANSLATED_PLAN_TEXTS:
                raise ValueError(f"unknown plan text: {name}")
            for language, text in by_language.items():
                field = f"{name}_{language}"
                if getattr(plan, field) != text:
                    setattr(plan, field, text)
                    changed.add(field)
        plan.full_clean()
        plan.save()
        added = _link_proposals(plan, add_proposals)
        removed = [p.pk for p in remove_proposals]
        if removed:
            Proposal.objects.filter(plan=plan, pk__in=removed).update(
                status=ProposalStatus.ACCEPTED, plan=None
            )
        if changed or added or removed:
            audit.record(
                action="budgeting.plan_changed",
                actor=actor,
                target=plan,
                data={"fields": sorted(changed), "added": added, "removed": sorted(removed)},
            )
    return plan


def _link_proposals(plan, proposals):
    proposals = list(Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in proposals]))
    where = (plan.round_id, plan.area_id)
    if any(p.is_hidden for p in proposals):
        raise ProposalError(_("A hidden proposal cannot be made into a plan."), code="hidden")
    if any(
        p.status != ProposalStatus.ACCEPTED or (p.round_id, p.area_id) != where for p in proposals
    ):
        raise ProposalError(
            _(
                "Only accepted proposals of the plan's area that are not yet part of a plan "
                "can be added."
            ),
            code="not_accepted",
        )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=ProposalStatus.COMBINED, plan=plan
    )
    return sorted(p.pk for p in proposals)


def withdraw_plan(*, plan, actor):
    """Take a plan out of the round before voting starts; its proposals stay linked to it."""
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=plan.round_id)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if round.voting_has_started():
            raise RoundLocked(
                _("Voting has started, so the plans on the ballot can no longer be changed."),
                code="voting_started",
            )
        if plan.status != PlanStatus.WITHDRAWN:
            plan.status = PlanStatus.WITHDRAWN
            plan.save(update_fields=["status"])
            audit.record(action="budgeting.plan_withdrawn", actor=actor, target=plan)
    return plan


# Carrying out funded plans


def record_plan_progress(*, plan, status, note, actor, happened_on=None):
    """Add a public progress note to a funded plan and move it on if ``status`` says so.

    ``note`` is ``{"fi": …, "sv": …, "en": …}``; Finnish is required, the others fall
    back to it. A plan only moves forward: funded, being carried out, carried out.
    """
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        allowed = PROGRESS_STEPS.get(plan.status)
        if allowed is None:
            raise ProgressError(_("Only funded plans are carried out."), code="not_funded")
        if status not in allowed:
            raise ProgressError(_("A plan cannot go back to an earlier stage."), code="backwards")
        if not (note.get("fi") or "").strip():
            raise ProgressError(
                _("Please write what happened, at least in Finnish."), code="no_note"
            )
        update = PlanUpdate.objects.create(
            plan=plan,
            status=status,
            note_fi=note["fi"].strip(),
            note_sv=(note.get("sv") or "").strip() or None,
            note_en=(note.get("en") or "").strip() or None,
            happened_on=happened_on or timezone.localdate(),
            recorded_by=actor,
        )
        if status != plan.status:
            plan.status = status
            plan.save(update_fields=["status"])
        audit.record(
            action="budgeting.plan_progress",
            actor=actor,
            target=plan,
            data={"status": status, "update": update.pk},
        )
    return update
