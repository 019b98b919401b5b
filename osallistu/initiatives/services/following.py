"""Following an initiative: an e-mail on every change of its state, asked for by the
person (opt-in), ended from the link in any of those e-mails."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from osallistu.core import audit

from ..models import Follower
from .errors import InitiativeError


def follow(*, initiative, user):
    if not initiative.is_public:
        raise InitiativeError(_("A draft cannot be followed."), code="draft")
    if not user.email:
        raise InitiativeError(
            _("Your account has no e-mail address to send the news to."), code="no_email"
        )
    try:
        with transaction.atomic():
            follower = Follower.objects.create(initiative=initiative, user=user)
            audit.record(action="initiatives.followed", actor=user, target=initiative)
    except IntegrityError:
        raise InitiativeError(
            _("You already follow this initiative."), code="already_following"
        ) from None
    return follower


def unfollow(*, initiative, user):
    with transaction.atomic():
        removed, _counts = Follower.objects.filter(initiative=initiative, user=user).delete()
        if removed:
            audit.record(action="initiatives.unfollowed", actor=user, target=initiative)
    return bool(removed)


def unsubscribe(*, token):
    """Stop the e-mails of the follower whose link carries ``token``. Returns the
    initiative, or None when the link is no longer valid."""
    with transaction.atomic():
        follower = Follower.objects.select_related("initiative", "user").filter(token=token).first()
        if follower is None:
            return None
        follower.delete()
        audit.record(
            action="initiatives.unfollowed",
            actor=follower.user,
            target=follower.initiative,
            data={"by_link": True},
        )
    return follower.initiative
