"""Following public feedback: an e-mail on each public change."""

from django.db import transaction
from django.utils.translation import gettext as _

from osallistu.core import audit

from ..models import Feedback, FeedbackFollower
from .errors import FeedbackError


def follow_feedback(*, feedback, user):
    """``user`` follows ``feedback`` (public feedback only). Following twice is one follow."""
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if not feedback.is_public:
            raise FeedbackError(
                _("Only public feedback can be followed."), code="not_public", field=None
            )
        follow, created = FeedbackFollower.objects.get_or_create(feedback=feedback, user=user)
        if created:
            audit.record(action="feedback.followed", actor=user, target=feedback)
    return follow


def unfollow_feedback(*, feedback, user):
    with transaction.atomic():
        removed, _count = FeedbackFollower.objects.filter(feedback=feedback, user=user).delete()
        if removed:
            audit.record(action="feedback.unfollowed", actor=user, target=feedback)
    return bool(removed)
