"""City coaches help authors: an initiative asks for help and gets the city coach of
its district (``StaffRole.Role.CITY_COACH`` of that district); the registry may assign
another coach. The coach's queue is ``selectors.coach_queue``."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.accounts.models import StaffRole
from osallistu.core import audit

from .. import notifications, permissions
from ..models import State
from .common import check_author, check_handler, check_state, lock
from .errors import InitiativeError

STILL_OPEN = (State.DRAFT, State.COLLECTING, State.SENT, State.PREPARING)


def coach_district(initiative):
    """Whose coach helps: the district of the initiative, or for a city-wide one the
    initiator's home district; None when neither is known."""
    if not initiative.area.is_city:
        return initiative.area
    initiator = initiative.authors.filter(is_initiator=True).select_related("user").first()
    return initiator.user.district if initiator else None


def coaches_of(district):
    """City coaches of ``district``, the least busy first."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            is_staff=True,
            roles__role=StaffRole.Role.CITY_COACH,
            roles__area=district,
        )
        .annotate(
            open_initiatives=Count(
                "coached_initiatives",
                filter=Q(coached_initiatives__state__in=STILL_OPEN),
                distinct=True,
            )
        )
        .order_by("open_initiatives", "pk")
    )


def request_help(*, initiative, actor, message):
    """The authors ask a city coach for help; the district's coach is assigned. Without
    a coach in the district the request waits on the registry's queue."""
    message = message.strip()
    if not message:
        raise InitiativeError(
            _("Please tell briefly what you would like help with."), code="no_message"
        )
    with transaction.atomic():
        initiative = lock(initiative)
        check_author(initiative, actor)
        check_state(
            initiative,
            STILL_OPEN,
            _("The initiative has been decided or ended, so a coach can no longer help."),
            code="closed",
        )
        initiative.help_requested_at = timezone.now()
        initiative.help_message = message
        fields = ["help_requested_at", "help_message"]
        if initiative.coach_id is None:
            district = coach_district(initiative)
            coach = coaches_of(district).first() if district is not None else None
            if coach is not None:
                initiative.coach = coach
                initiative.coach_assigned_at = timezone.now()
                fields += ["coach", "coach_assigned_at"]
        initiative.save(update_fields=fields)
        audit.record(
            action="initiatives.help_requested",
            actor=actor,
            target=initiative,
            data={"coach": initiative.coach_id},
        )
        if initiative.coach_id is not None:
            notifications.help_requested(initiative)
    return initiative


def assign_coach(*, initiative, actor, coach):
    """Registry staff assign a city coach (of any district) to help the authors."""
    check_handler(initiative, actor)
    if not permissions.is_coach(coach):
        raise InitiativeError(_("Please choose one of the city coaches."), code="not_coach")
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            STILL_OPEN,
            _("The initiative has been decided or ended, so a coach can no longer help."),
            code="closed",
        )
        initiative.coach = coach
        initiative.coach_assigned_at = timezone.now()
        initiative.save(update_fields=["coach", "coach_assigned_at"])
        audit.record(
            action="initiatives.coach_assigned",
            actor=actor,
            target=initiative,
            data={"coach": coach.pk},
        )
        notifications.help_requested(initiative)
    return initiative
