"""What the services of initiatives share: locking an initiative, checking who acts on
it, and recording a change of state."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.core import audit
from osallistu.core.geo import HELSINKI_BBOX

from .. import permissions, tasks
from ..models import Initiative, Transition
from .errors import InitiativeError


def lock(initiative):
    """The initiative's row, held until the transaction ends, so that supports, sending
    and the city's handling of one initiative happen one after another."""
    return Initiative.objects.select_for_update().select_related("area").get(pk=initiative.pk)


def author_of(initiative, user):
    """The ``Author`` row of ``user``, or None."""
    if user is None or not user.is_authenticated:
        return None
    return initiative.authors.filter(user=user).first()


def check_author(initiative, user):
    author = author_of(initiative, user)
    if author is None:
        raise PermissionDenied("only the authors act on an initiative before it is sent")
    return author


def check_handler(initiative, user):
    if not permissions.may_handle(user, initiative.area):
        raise PermissionDenied("initiatives are handled by the registry of their area")


def check_state(initiative, states, message, code="state"):
    if initiative.state not in states:
        raise InitiativeError(message, code=code)


def check_place(latitude, longitude):
    if (latitude is None) != (longitude is None):
        raise InitiativeError(
            _("Give both the latitude and the longitude, or neither."), code="place"
        )
    if latitude is not None:
        west, south, east, north = (Decimal(str(value)) for value in HELSINKI_BBOX)
        if not (south <= latitude <= north and west <= longitude <= east):
            raise InitiativeError(
                _("The point is not in Helsinki. Check the coordinates or write an address."),
                code="place",
            )


def change_state(initiative, to_state, *, actor, by_city, reason="", now=None):
    """Move ``initiative`` (locked by the caller) to ``to_state``: the public
    transition, the audit entry and, after the commit, e-mails to its authors and
    followers."""
    now = now or timezone.now()
    transition = Transition.objects.create(
        initiative=initiative,
        from_state=initiative.state,
        to_state=to_state,
        at=now,
        reason=reason.strip(),
        by_city=by_city,
        actor=actor,
    )
    initiative.state = to_state
    audit.record(
        action=f"initiatives.{to_state}",
        actor=actor,
        target=initiative,
        data={"from": transition.from_state, "reason": transition.reason},
    )
    tasks.notify_transition.enqueue(transition=transition.pk)
    return transition
