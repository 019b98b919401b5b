"""Moderation before publication: staff make feedback public, with its public title,
text and address written without personal details, or hide it with a reason."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.core import audit

from .. import permissions
from ..models import (
    ADDRESS_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    EventKind,
    Feedback,
    FeedbackEvent,
    Moderation,
)
from . import text
from .errors import FeedbackError


def locked(feedback):
    """``feedback`` read again under a row lock, with its category (whose row is not
    locked: every handler of the category would otherwise wait for one another)."""
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("service")
        .get(pk=feedback.pk)
    )


def check_may_handle(staff, feedback):
    if not permissions.may_handle(staff, feedback):
        raise PermissionDenied("not in the staff member's division or district")


def publish_feedback(
    *,
    feedback,
    staff,
    public_description,
    public_title="",
    public_address="",
    public_photos=(),
    now=None,
):
    """Make ``feedback`` public with the texts staff checked. ``public_photos`` are the
    ids of the photos that may be shown; the others stay hidden. Publishing public
    feedback again changes its public texts."""
    public_description = text.lines(public_description, field="public_description")
    public_title = text.line(public_title, field="public_title")
    public_address = text.line(public_address, field="public_address")
    if not public_description:
        raise FeedbackError(
            _("Write the text that is shown in public."),
            code="public_text_missing",
            field="public_description",
        )
    for value, limit, field in (
        (public_description, DESCRIPTION_MAX_LENGTH, "public_description"),
        (public_title, TITLE_MAX_LENGTH, "public_title"),
        (public_address, ADDRESS_MAX_LENGTH, "public_address"),
    ):
        if len(value) > limit:
            raise FeedbackError(
                _("At most %(count)s characters.") % {"count": limit},
                code="public_text_long",
                field=field,
            )
    now = now or timezone.now()
    with transaction.atomic():
        feedback = locked(feedback)
        check_may_handle(staff, feedback)
        photo_ids = set(feedback.photos.values_list("pk", flat=True))
        chosen = {int(pk) for pk in public_photos}
        if not chosen <= photo_ids:
            raise FeedbackError(
                _("A photo you chose is not one of this feedback's."),
                code="photo_unknown",
                field="public_photos",
            )
        was = feedback.moderation
        feedback.moderation = Moderation.PUBLIC
        feedback.public_title = public_title
        feedback.public_description = public_description
        feedback.public_address = public_address
        feedback.moderation_reason = ""
        feedback.moderated_at = now
        feedback.moderated_by = staff
        feedback.updated_at = now
        feedback.save()
        feedback.photos.update(is_public=False)
        feedback.photos.filter(pk__in=chosen).update(is_public=True)
        edited = [
            name
            for name, original, public in (
                ("title", feedback.title, public_title),
                ("description", feedback.description, public_description),
                ("address", feedback.address, public_address),
            )
            if original != public
        ]
        FeedbackEvent.objects.create(
            feedback=feedback,
            kind=EventKind.PUBLISHED,
            status=feedback.status,
            actor=staff,
            created_at=now,
            data={"edited": edited, "photos": sorted(chosen), "was": was},
        )
        audit.record(
            action="feedback.published",
            actor=staff,
            target=feedback,
            data={"edited": edited, "photos": len(chosen), "was": was},
        )
    return feedback


def hide_feedback(*, feedback, staff, reason, now=None):
    """Hide ``feedback`` from the public, for ``reason`` (kept for staff). Its public
    texts and photos are withdrawn."""
    reason = text.lines(reason, field="reason")
    if not reason:
        raise FeedbackError(
            _("Say why the feedback is hidden."), code="reason_missing", field="reason"
        )
    now = now or timezone.now()
    with transaction.atomic():
        feedback = locked(feedback)
        check_may_handle(staff, feedback)
        was = feedback.moderation
        feedback.moderation = Moderation.HIDDEN
        feedback.moderation_reason = reason
        feedback.public_title = feedback.public_description = feedback.public_address = ""
        feedback.moderated_at = now
        feedback.moderated_by = staff
        feedback.updated_at = now
        feedback.save()
        feedback.photos.update(is_public=False)
        FeedbackEvent.objects.create(
            feedback=feedback,
            kind=EventKind.HIDDEN,
            status=feedback.status,
            note=reason,
            actor=staff,
            created_at=now,
            data={"was": was},
        )
        audit.record(action="feedback.hidden", actor=staff, target=feedback, data={"was": was})
    return feedback
