"""The city's handling: registering a sent initiative with its diary number, its
preparation (division and preparer), the decision with its answer and attachments,
ending it without a decision, and deadlines. Every action is registry staff's of the
initiative's area or a city administrator's (``permissions.may_handle``)."""

import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from osallistu.core import audit

from .. import thresholds
from ..models import Attachment, Initiative, State
from .common import change_state, check_handler, check_state, lock
from .errors import InitiativeError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10


def register_initiative(*, initiative, actor, diary_number):
    """Record the registry's diary number of a sent initiative."""
    diary_number = diary_number.strip()
    if not diary_number:
        raise InitiativeError(_("Please give the diary number."), code="no_diary_number")
    check_handler(initiative, actor)
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            [State.SENT],
            _("Only a sent initiative that waits for registering can be registered."),
            code="not_sent",
        )
        if initiative.diary_number:
            raise InitiativeError(
                _("The initiative is already registered."), code="already_registered"
            )
        if Initiative.objects.filter(diary_number=diary_number).exists():
            raise _diary_number_taken()
        initiative.diary_number = diary_number
        initiative.registered_at = timezone.now()
        try:
            with transaction.atomic():
                initiative.save(update_fields=["diary_number", "registered_at"])
        except IntegrityError:
            raise _diary_number_taken() from None
        audit.record(
            action="initiatives.registered",
            actor=actor,
            target=initiative,
            data={"diary_number": diary_number},
        )
    return initiative


def _diary_number_taken():
    return InitiativeError(
        _("Another initiative has this diary number."), code="diary_number_taken"
    )


def prepare_initiative(*, initiative, actor, division, preparer_name, preparer_email=""):
    """Name the division and the person who prepare a registered initiative. Called
    again, it changes them (the change is in the audit log)."""
    preparer_name = preparer_name.strip()
    if division is None or not preparer_name:
        raise InitiativeError(
            _("Please give the division and the name of the preparer."), code="no_preparer"
        )
    check_handler(initiative, actor)
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            [State.SENT, State.PREPARING],
            _("Only a sent initiative can be prepared."),
            code="state",
        )
        if not initiative.diary_number:
            raise InitiativeError(
                _("Register the initiative with its diary number first."), code="not_registered"
            )
        if not division.is_active:
            raise InitiativeError(
                _("Please choose one of the divisions on the list."), code="division"
            )
        initiative.division = division
        initiative.preparer_name = preparer_name
        initiative.preparer_email = preparer_email.strip()
        if initiative.state == State.SENT:
            change_state(initiative, State.PREPARING, actor=actor, by_city=True)
        else:
            audit.record(
                action="initiatives.preparer_changed",
                actor=actor,
                target=initiative,
                data={"division": division.pk, "preparer": preparer_name},
            )
        initiative.save()
    return initiative


def check_attachment(title, data):
    if not title.strip():
        raise InitiativeError(_("Please give each attachment a title."), code="attachment_title")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InitiativeError(_("An attachment can be at most 20 MB."), code="attachment_size")
    if not data.startswith(b"%PDF-"):
        raise InitiativeError(_("Attachments are PDF files."), code="attachment_format")


def _store_attachment(initiative, actor, title, data, stored):
    attachment = Attachment(
        initiative=initiative, title=title.strip(), size=len(data), added_by=actor
    )
    attachment.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(data), save=False)
    stored.append(attachment.file)
    attachment.save()
    return attachment


def decide_initiative(
    *,
    initiative,
    actor,
    decision_maker,
    decision_date,
    answer,
    answer_language,
    decision_url="",
    attachments=(),
):
    """Record the decision on a prepared initiative and the city's answer.
    ``attachments`` are (title, PDF bytes) pairs."""
    decision_maker, answer = decision_maker.strip(), answer.strip()
    if not decision_maker or decision_date is None or not answer:
        raise InitiativeError(
            _("Please give the decision-maker, the date of the decision and the answer."),
            code="no_decision",
        )
    if decision_date > timezone.localdate():
        raise InitiativeError(
            _("The date of the decision cannot be in the future."), code="decision_date"
        )
    for title, data in attachments:
        check_attachment(title, data)
    check_handler(initiative, actor)
    stored = []
    try:
        with transaction.atomic():
            initiative = lock(initiative)
            check_state(
                initiative,
                [State.PREPARING],
                _("Only an initiative being prepared can be decided."),
                code="not_preparing",
            )
            if decision_date < timezone.localdate(initiative.sent_at):
                raise InitiativeError(
                    _("The decision cannot be dated before the initiative was sent."),
                    code="decision_date",
                )
            _check_room_for(initiative, len(attachments))
            initiative.decision_maker = decision_maker
            initiative.decision_date = decision_date
            initiative.answer = answer
            initiative.answer_language = answer_language
            initiative.decision_url = decision_url.strip()
            initiative.closed_at = timezone.now()
            for title, data in attachments:
                _store_attachment(initiative, actor, title, data, stored)
            change_state(initiative, State.DECIDED, actor=actor, by_city=True)
            initiative.save()
    except BaseException:
        # The rows are rolled back; the files written would otherwise stay behind.
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
    return initiative


def _check_room_for(initiative, adding):
    if initiative.attachments.count() + adding > MAX_ATTACHMENTS:
        raise InitiativeError(
            _("An initiative can have at most %(count)s attachments.") % {"count": MAX_ATTACHMENTS},
            code="too_many_attachments",
        )


def add_attachment(*, initiative, actor, title, data):
    """Add a PDF to a sent initiative: the preparation's documents or the decision's."""
    check_attachment(title, data)
    check_handler(initiative, actor)
    stored = []
    try:
        with transaction.atomic():
            initiative = lock(initiative)
            check_state(
                initiative,
                [State.SENT, State.PREPARING, State.DECIDED],
                _("Attachments are added to a sent initiative."),
                code="state",
            )
            _check_room_for(initiative, 1)
            attachment = _store_attachment(initiative, actor, title, data, stored)
            audit.record(
                action="initiatives.attachment_added",
                actor=actor,
                target=initiative,
                data={"attachment": attachment.pk, "title": attachment.title},
            )
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
    return attachment


def end_without_decision(*, initiative, actor, reason):
    """End a sent initiative without a decision (for example, the matter is not the
    city's, or it was merged with another), with the reason shown to everyone."""
    reason = reason.strip()
    if not reason:
        raise InitiativeError(_("Please give the reason, for everyone to read."), code="no_reason")
    check_handler(initiative, actor)
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            [State.SENT, State.PREPARING],
            _("Only an initiative the city is handling can be ended here."),
            code="state",
        )
        initiative.end_reason = reason
        initiative.closed_at = timezone.now()
        change_state(initiative, State.ENDED, actor=actor, by_city=True, reason=reason)
        initiative.save()
    return initiative


def set_deadline(*, initiative, actor, deadline, reason):
    """Staff set the day by which the city answers. With 2 % support the law's six
    months cannot be extended."""
    reason = reason.strip()
    if deadline is None or not reason:
        raise InitiativeError(
            _("Please give the deadline and the reason for it."), code="no_deadline"
        )
    check_handler(initiative, actor)
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            [State.SENT, State.PREPARING],
            _("A deadline is set for an initiative the city is handling."),
            code="state",
        )
        if initiative.council_threshold_reached_on is not None:
            legal = thresholds.council_deadline(timezone.localdate(initiative.sent_at))
            if deadline > legal:
                raise InitiativeError(
                    _(
                        "With 2 %% support the council must take the initiative up by "
                        "%(day)s; the deadline cannot be later."
                    )
                    % {"day": date_format(legal, "DATE_FORMAT")},
                    code="past_legal_deadline",
                )
        initiative.deadline = deadline
        initiative.deadline_by_law = False
        initiative.deadline_reason = reason
        initiative.save(update_fields=["deadline", "deadline_by_law", "deadline_reason"])
        audit.record(
            action="initiatives.deadline_set",
            actor=actor,
            target=initiative,
            data={"deadline": deadline.isoformat(), "reason": reason},
        )
    return initiative
