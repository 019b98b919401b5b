"""Co-creation of plans from proposals, and news of how funded plans are carried out."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.core import audit

from ..models import PROGRESS_STEPS, Plan, PlanStatus, PlanUpdate, Proposal, ProposalStatus, Round
from .errors import ProgressError, ProposalError, RoundLocked


def create_plan_from_proposals(
    *, proposals, code, title, description, theme, cost_low, cost_high, actor, feasibility=None
):
    """Co-creation: combine accepted proposals of one area into a new draft plan.

    ``title``, ``description`` and ``feasibility`` are ``{"fi": …, "sv": …, "en": …}``.
    The plan goes on the ballot later, with ``set_plan_on_ballot``, before voting starts.
    """
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
        plan = Plan(
            round=round,
            area_id=proposals[0].area_id,
            code=code,
            theme=theme,
            cost_low=cost_low,
            cost_high=cost_high,
            status=PlanStatus.DRAFT,
            **{f"title_{language}": text for language, text in title.items()},
            **{f"description_{language}": text for language, text in description.items()},
            **{f"feasibility_{language}": text for language, text in (feasibility or {}).items()},
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


# Fields of a plan that only change before voting starts; its texts may be corrected later.
PLAN_FIELDS_FIXED_WHEN_VOTING = ("code", "theme", "cost_low", "cost_high")
TRANSLATED_PLAN_TEXTS = ("title", "description", "feasibility")


def update_plan(*, plan, actor, texts=None, add_proposals=(), remove_proposals=(), **fields):
    """Edit a plan in co-creation.

    ``texts`` is ``{"title": {"fi": …}, "description": …, "feasibility": …}``; ``fields``
    are among ``code``, ``theme``, ``cost_low`` and ``cost_high``. ``add_proposals`` are
    accepted proposals of the plan's round and area that become part of it;
    ``remove_proposals`` go back to being accepted proposals. Once voting has started
    only the texts can change, so that a typo can be fixed but the ballot stays the same.
    """
    unknown = set(fields) - set(PLAN_FIELDS_FIXED_WHEN_VOTING)
    if unknown:
        raise ValueError(f"unknown plan fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        round = Round.objects.select_for_update().get(pk=plan.round_id)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        changed = {name for name, value in fields.items() if getattr(plan, name) != value}
        if (changed or add_proposals or remove_proposals) and round.voting_has_started():
            raise RoundLocked(
                _(
                    "Voting has started, so only the texts of the plan can be corrected. "
                    "Its code, theme, cost and proposals stay as they are."
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
