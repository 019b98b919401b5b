"""Handling by the division: a handler, the status with a note, the public answer,
duplicates merged, and the sender reopening what was marked done.

Status changes go received → allocated → in handling → done, or close the feedback as
not the city's responsibility or as something that cannot be fixed; a duplicate is
closed only by merging it. Staff may move open feedback between the open statuses and
take closed feedback back into handling. Each change is a history entry and an audit
entry, and the sender and followers hear of the public ones.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from osallistu.core import audit

from .. import notifications, permissions
from ..models import (
    ANSWER_PROMISE_DAYS,
    CLOSED_STATUSES,
    DESCRIPTION_MAX_LENGTH,
    REOPEN_DAYS,
    EventKind,
    Feedback,
    FeedbackEvent,
    FeedbackFollower,
    Status,
)
from . import text
from .errors import FeedbackError
from .moderation import check_may_handle, locked

NOTE_MAX_LENGTH = 2000
# What staff may set by hand: a duplicate is closed by merging it.
SETTABLE_STATUSES = [status for status in Status.values if status != Status.DUPLICATE]
REOPEN_REASON_MIN_LENGTH = 10


def _event(feedback, kind, actor, now, note="", **data):
    return FeedbackEvent.objects.create(
        feedback=feedback,
        kind=kind,
        status=feedback.status,
        note=note,
        actor=actor,
        created_at=now,
        data=data,
    )


def _close(feedback, status, now):
    feedback.status = status
    feedback.closed_at = now
    feedback.due_at = None
    feedback.handling_seconds = (
        None
        if status == Status.DUPLICATE
        else max(0, round((now - feedback.requested_at).total_seconds()))
    )


def _open(feedback, status):
    feedback.status = status
    feedback.closed_at = None
    feedback.handling_seconds = None


def _check_note(note, *, field="note", limit=NOTE_MAX_LENGTH):
    note = text.lines(note, field=field)
    if len(note) > limit:
        raise FeedbackError(
            _("At most %(count)s characters.") % {"count": limit}, code="note_long", field=field
        )
    return note


def assign_handler(*, feedback, staff, handler, now=None):
    """Give ``feedback`` to ``handler``, a member of its division who reaches it.
    Received feedback becomes allocated."""
    now = now or timezone.now()
    with transaction.atomic():
        feedback = locked(feedback)
        check_may_handle(staff, feedback)
        if not feedback.is_open:
            raise FeedbackError(
                _("Closed feedback is not handled any more."), code="closed", field="handler"
            )
        if not permissions.handlers_for(feedback).filter(pk=handler.pk).exists():
            raise FeedbackError(
                _("%(name)s does not handle feedback of this category and district.")
                % {"name": handler},
                code="handler_out_of_reach",
                field="handler",
            )
        if feedback.handler_id == handler.pk:
            raise FeedbackError(
                _("%(name)s is handling it already.") % {"name": handler},
                code="same_handler",
                field="handler",
            )
        previous = feedback.handler_id
        feedback.handler = handler
        feedback.updated_at = now
        allocated = feedback.status == Status.RECEIVED
        if allocated:
            feedback.status = Status.ALLOCATED
        feedback.save()
        _event(feedback, EventKind.ASSIGNED, staff, now, handler=handler.pk, previous=previous)
        if allocated:
            _event(feedback, EventKind.STATUS, staff, now, previous=Status.RECEIVED)
        audit.record(
            action="feedback.assigned",
            actor=staff,
            target=feedback,
            data={"handler": handler.pk, "previous": previous},
        )
    return feedback


def change_status(*, feedback, staff, status, note="", now=None):
    """Set the status of ``feedback`` with a note that is shown in its public history.
    Closing it as not the city's or as something that cannot be fixed needs the note
    (the reason)."""
    note = _check_note(note)
    if status not in Status.values:
        raise FeedbackError(_("Choose one of the statuses."), code="status", field="status")
    if status == Status.DUPLICATE:
        raise FeedbackError(
            _("To close feedback as a duplicate, merge it with the feedback it repeats."),
            code="duplicate_by_merge",
            field="status",
        )
    if status in (Status.NOT_CITY, Status.CANNOT_FIX) and not note:
        raise FeedbackError(
            _("Tell the sender why in the note."), code="reason_missing", field="note"
        )
    now = now or timezone.now()
    with transaction.atomic():
        feedback = locked(feedback)
        check_may_handle(staff, feedback)
        previous = feedback.status
        if previous == Status.DUPLICATE:
            raise FeedbackError(
                _("This feedback is merged as a duplicate: the feedback it repeats is handled."),
                code="merged",
                field="status",
            )
        if status == previous:
            raise FeedbackError(
                _("The status is “%(status)s” already.")
                % {"status": feedback.get_status_display()},
                code="same_status",
                field="status",
            )
        if status == Status.ALLOCATED and feedback.handler_id is None:
            raise FeedbackError(
                _("Assign a handler: that allocates the feedback."),
                code="no_handler",
                field="status",
            )
        if status in CLOSED_STATUSES:
            _close(feedback, status, now)
        else:
            _open(feedback, status)
        feedback.updated_at = now
        feedback.save()
        _event(feedback, EventKind.STATUS, staff, now, note=note, previous=previous)
        audit.record(
            action="feedback.status_changed",
            actor=staff,
            target=feedback,
            data={"from": previous, "to": status},
        )
        notifications.feedback_changed(
            feedback,
            actor=staff,
            what=lambda: (
                note
                or _("The status is now: %(status)s.") % {"status": feedback.get_status_display()}
            ),
        )
    return feedback


def answer_feedback(*, feedback, staff, text, now=None):
    """The city's public answer to ``feedback`` (a new answer replaces the old one; both
    stay in the history). An answer keeps the week's promise."""
    text = _check_note(text, field="answer", limit=DESCRIPTION_MAX_LENGTH)
    if not text:
        raise FeedbackError(_("Write the answer."), code="answer_missing", field="answer")
    now = now or timezone.now()
    with transaction.atomic():
        feedback = locked(feedback)
        check_may_handle(staff, feedback)
        if feedback.status == Status.DUPLICATE:
            raise FeedbackError(
                _("This feedback is merged as a duplicate: answer the feedback it repeats."),
                code="merged",
                field="answer",
            )
        feedback.answer = text
        feedback.answered_at = now
        feedback.due_at = None
        feedback.updated_at = now
        feedback.save()
        _event(feedback, EventKind.ANSWERED, staff, now, note=text)
        audit.record(action="feedback.answered", actor=staff, target=feedback)
        notifications.feedback_changed(
            feedback, actor=staff, what=lambda: _("The city's answer:") + "\n\n" + text
        )
    return feedback


def merge_duplicate(*, duplicate, original, staff, note="", now=None):
    """Close ``duplicate`` as a repeat of ``original``: its followers (and its sender,
    when signed in) follow the original from now on, and duplicates merged into it
    point to the original, so that no chain of duplicates forms."""
    note = _check_note(note)
    if duplicate.pk == original.pk:
        raise FeedbackError(
            _("Feedback cannot be a duplicate of itself."), code="self", field="original"
        )
    now = now or timezone.now()
    with transaction.atomic():
        # Locked in the order of their ids, so that two merges never wait for each other.
        rows = {
            row.pk: row
            # Only the feedback rows: locking their category too would queue every
            # handler of the category behind one another, and deadlock.
            for row in Feedback.objects.select_for_update(of=("self",))
            .select_related("service")
            .filter(pk__in=[duplicate.pk, original.pk])
            .order_by("pk")
        }
        duplicate, original = rows[duplicate.pk], rows[original.pk]
        check_may_handle(staff, duplicate)
        check_may_handle(staff, original)
        if duplicate.status == Status.DUPLICATE:
            raise FeedbackError(
                _("This feedback is merged already, with feedback %(number)s.")
                % {"number": duplicate.duplicate_of_id},
                code="merged",
                field="original",
            )
        if original.status == Status.DUPLICATE:
            raise FeedbackError(
                _(
                    "Feedback %(number)s is itself a duplicate of feedback %(original)s: "
                    "merge with that one."
                )
                % {"number": original.pk, "original": original.duplicate_of_id},
                code="original_merged",
                field="original",
            )
        Feedback.objects.filter(duplicate_of=duplicate).update(duplicate_of=original)
        _close(duplicate, Status.DUPLICATE, now)
        duplicate.duplicate_of = original
        duplicate.updated_at = now
        duplicate.save()
        following = set(original.followers.values_list("user_id", flat=True))
        moving = set(duplicate.followers.values_list("user_id", flat=True))
        if duplicate.author_id is not None:
            moving.add(duplicate.author_id)
        FeedbackFollower.objects.bulk_create(
            FeedbackFollower(feedback=original, user_id=user_id, created_at=now)
            for user_id in sorted(moving - following)
        )
        original.updated_at = now
        original.save(update_fields=["updated_at"])
        _event(duplicate, EventKind.MERGED, staff, now, note=note, original=original.pk)
        _event(original, EventKind.DUPLICATE_ADDED, staff, now, duplicate=duplicate.pk)
        audit.record(
            action="feedback.merged",
            actor=staff,
            target=duplicate,
            data={"original": original.pk, "followers_moved": len(moving - following)},
        )
        notifications.feedback_changed(
            duplicate,
            actor=staff,
            what=lambda: (
                _(
                    "The same matter was reported already, as feedback %(number)s. It is "
                    "handled there, and you will hear of it from now on."
                )
                % {"number": original.pk}
                + (f"\n\n{note}" if note else "")
            ),
        )
    return duplicate


def reopen_feedback(*, feedback, author, reason, now=None):
    """The sender reopens feedback marked done, within 30 days, saying why. It goes
    back to its handler (or to the queue) with a new week's promise."""
    reason = _check_note(reason, field="reason")
    if len(reason) < REOPEN_REASON_MIN_LENGTH:
        raise FeedbackError(
            _("Tell in at least %(count)s characters what is still wrong.")
            % {"count": REOPEN_REASON_MIN_LENGTH},
            code="reason_short",
            field="reason",
        )
    now = now or timezone.now()
    with transaction.atomic():
        feedback = locked(feedback)
        if feedback.author_id is None or feedback.author_id != author.pk:
            raise PermissionDenied("only the sender reopens feedback")
        check_may_reopen(feedback, now)
        previous = feedback.status
        _open(feedback, Status.IN_HANDLING if feedback.handler_id else Status.RECEIVED)
        feedback.reopened_at = now
        feedback.due_at = now + timedelta(days=ANSWER_PROMISE_DAYS)
        feedback.updated_at = now
        feedback.save()
        _event(feedback, EventKind.REOPENED, author, now, note=reason, previous=previous)
        audit.record(action="feedback.reopened", actor=author, target=feedback)
        notifications.feedback_changed(
            feedback,
            actor=author,
            what=lambda: _("The sender reopened the feedback, so it is handled again."),
        )
    return feedback


def check_may_reopen(feedback, now=None):
    """FeedbackError unless ``feedback`` is done and was marked so at most 30 days ago."""
    if feedback.status != Status.DONE:
        raise FeedbackError(
            _("Only feedback marked done can be reopened."), code="not_done", field="reason"
        )
    deadline = feedback.closed_at + timedelta(days=REOPEN_DAYS)
    if (now or timezone.now()) > deadline:
        raise FeedbackError(
            _(
                "Feedback can be reopened within %(days)s days of being marked done. This "
                "was marked done on %(date)s: please send new feedback instead."
            )
            % {
                "days": REOPEN_DAYS,
                "date": formats.date_format(timezone.localtime(feedback.closed_at), "DATE_FORMAT"),
            },
            code="reopen_too_late",
            field="reason",
        )


def may_reopen(feedback, user, now=None):
    """Whether ``user`` may reopen ``feedback`` now (to show the form)."""
    if not user.is_authenticated or feedback.author_id != user.pk:
        return False
    try:
        check_may_reopen(feedback, now)
    except FeedbackError:
        return False
    return True
