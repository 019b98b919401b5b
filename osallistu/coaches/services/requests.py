"""Contact requests: asking a coach, the coach's answers and the asker's replies,
private notes, handing a request to another coach, and its status."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from .. import notifications, permissions
from ..models import (
    CoachKind,
    CoachProfile,
    ContactRequest,
    RequestHandover,
    RequestMessage,
    RequestNote,
    RequestStatus,
)
from ..selectors.public import coach_for
from .companies import company_for
from .errors import check_length, refuse

TEXT_LENGTH = 4000
PHONE_LENGTH = 30
# Statuses a coach sets with an answer or on their own.
COACH_STATUSES = (
    RequestStatus.IN_PROGRESS,
    RequestStatus.WAITING,
    RequestStatus.ANSWERED,
    RequestStatus.CLOSED,
)


def _text(value, code, empty_message):
    value = (value or "").strip()
    if not value:
        refuse(code, empty_message)
    check_length(
        value, TEXT_LENGTH, "text_too_long", _("Please write at most %(count)s characters.")
    )
    return value


def ask_coach(
    *,
    asker,
    district,
    kind,
    topic,
    question,
    phone="",
    wants_meeting=False,
    company_details=None,
    language=None,
    now=None,
):
    """Send a question to the ``kind`` coach of ``district``. It goes to the coach who
    covers the district (``assigned_to``), or waits for any of them when none is named.
    A question to a business coach is asked for a company: ``company_details`` are the
    arguments of ``companies.company_for``."""
    now = now or timezone.now()
    if asker is None or not asker.is_authenticated:
        refuse("not_signed_in", _("Please log in to ask a coach."))
    if district.kind != district.Kind.DISTRICT:
        refuse("not_a_district", _("Please choose a district."))
    if topic is None or not topic.is_active or topic.audience != kind:
        refuse("topic_not_offered", _("Please choose one of the topics listed."))
    if kind == CoachKind.BUSINESS and not company_details:
        refuse("company_required", _("Please tell us about your company."))
    question = _text(question, "question_required", _("Please write your question."))
    phone = (phone or "").strip()
    check_length(
        phone,
        PHONE_LENGTH,
        "phone_too_long",
        _("A phone number can be at most %(count)s characters."),
    )
    with transaction.atomic():
        company = company_for(**company_details) if kind == CoachKind.BUSINESS else None
        request = ContactRequest.objects.create(
            kind=kind,
            district=district,
            assigned_to=coach_for(district, kind),
            asker=asker,
            company=company,
            topic=topic,
            wants_meeting=wants_meeting,
            question=question,
            phone=phone,
            language=language or asker.preferred_language,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            action="coaches.request_sent",
            actor=asker,
            target=request,
            data={"kind": kind, "district": district.slug, "assigned_to": request.assigned_to_id},
        )
        notifications.request_received(request)
    return request


def _locked(request):
    return (
        ContactRequest.objects.select_for_update(of=("self",))
        .select_related("asker", "assigned_to", "district", "topic", "company")
        .get(pk=request.pk)
    )


def _require_handler(request, coach):
    if not permissions.may_handle_request(coach, request):
        refuse("not_allowed", _("This request is not one of yours."))


def answer_request(*, request, coach, body, status=RequestStatus.ANSWERED, now=None):
    """Write to the asker and set the request's status. An unassigned request becomes
    the answering coach's. The asker gets an e-mail."""
    now = now or timezone.now()
    body = _text(body, "answer_required", _("Please write your answer."))
    if status not in COACH_STATUSES:
        refuse("invalid_status", _("Please choose a status."))
    with transaction.atomic():
        request = _locked(request)
        _require_handler(request, coach)
        if request.asker_id is None:
            refuse(
                "asker_removed",
                _("The person who asked has deleted their account: nobody can read an answer."),
            )
        message = RequestMessage.objects.create(
            request=request, author=coach, from_coach=True, body=body, created_at=now
        )
        if request.assigned_to_id is None:
            request.assigned_to = coach
        if request.first_response_at is None:
            request.first_response_at = now
        _set_status(request, status, now)
        request.save(
            update_fields=["assigned_to", "first_response_at", "status", "closed_at", "updated_at"]
        )
        audit.record(
            action="coaches.request_answered",
            actor=coach,
            target=request,
            on_behalf_of=request.asker,
            data={"status": status, "message": message.pk},
        )
        notifications.request_answered(request, message)
    return request


def _set_status(request, status, now):
    request.status = status
    request.closed_at = now if status == RequestStatus.CLOSED else None
    request.updated_at = now


def set_status(*, request, coach, status, now=None):
    """Change the status without writing to the asker (closing, reopening)."""
    now = now or timezone.now()
    if status not in (*COACH_STATUSES, RequestStatus.NEW):
        refuse("invalid_status", _("Please choose a status."))
    with transaction.atomic():
        request = _locked(request)
        _require_handler(request, coach)
        if status == RequestStatus.ANSWERED and request.first_response_at is None:
            refuse("not_answered", _("Write an answer first; the request has none yet."))
        was = request.status
        _set_status(request, status, now)
        request.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record(
            action="coaches.request_status",
            actor=coach,
            target=request,
            data={"from": was, "to": status},
        )
    return request


def reply_as_asker(*, request, asker, body, now=None):
    """The asker writes more; the request is handled again."""
    now = now or timezone.now()
    body = _text(body, "reply_required", _("Please write your message."))
    with transaction.atomic():
        request = _locked(request)
        if request.asker_id != asker.pk:
            refuse("not_allowed", _("This request is not yours."))
        if request.status == RequestStatus.CLOSED:
            refuse(
                "closed",
                _("This request is closed. Please ask a new question instead."),
            )
        message = RequestMessage.objects.create(
            request=request, author=asker, from_coach=False, body=body, created_at=now
        )
        _set_status(request, RequestStatus.IN_PROGRESS, now)
        request.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record(
            action="coaches.request_replied",
            actor=asker,
            target=request,
            data={"message": message.pk},
        )
        notifications.request_replied(request, message)
    return request


def close_as_asker(*, request, asker, now=None):
    """The asker needs nothing more."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _locked(request)
        if request.asker_id != asker.pk:
            refuse("not_allowed", _("This request is not yours."))
        if request.status == RequestStatus.CLOSED:
            refuse("closed", _("This request is already closed."))
        _set_status(request, RequestStatus.CLOSED, now)
        request.save(update_fields=["status", "closed_at", "updated_at"])
        audit.record(action="coaches.request_closed_by_asker", actor=asker, target=request)
    return request


def add_note(*, request, coach, body, now=None):
    """A note only coaches see."""
    now = now or timezone.now()
    body = _text(body, "note_required", _("Please write the note."))
    with transaction.atomic():
        request = _locked(request)
        _require_handler(request, coach)
        note = RequestNote.objects.create(request=request, author=coach, body=body, created_at=now)
        request.updated_at = now
        request.save(update_fields=["updated_at"])
        audit.record(
            action="coaches.request_note", actor=coach, target=request, data={"note": note.pk}
        )
    return note


def hand_over(*, request, coach, to_coach, note="", now=None):
    """Hand the request to ``to_coach``, who from then on sees and handles it whatever
    their district. They get an e-mail."""
    now = now or timezone.now()
    note = (note or "").strip()
    check_length(
        note, TEXT_LENGTH, "text_too_long", _("Please write at most %(count)s characters.")
    )
    with transaction.atomic():
        request = _locked(request)
        _require_handler(request, coach)
        if to_coach is None or not _is_coach(to_coach):
            refuse("not_a_coach", _("Please choose a coach."))
        if to_coach.pk == coach.pk or to_coach.pk == request.assigned_to_id:
            refuse("same_coach", _("The request is already theirs. Please choose another coach."))
        handover = RequestHandover.objects.create(
            request=request, from_coach=coach, to_coach=to_coach, note=note, created_at=now
        )
        request.assigned_to = to_coach
        request.updated_at = now
        request.save(update_fields=["assigned_to", "updated_at"])
        audit.record(
            action="coaches.request_handed_over",
            actor=coach,
            target=request,
            data={"to": to_coach.pk, "handover": handover.pk},
        )
        notifications.request_handed_over(request, handover)
    return request


def _is_coach(user):
    return (
        user.is_active
        and user.is_staff
        and bool(permissions.coach_kinds(user))
        and CoachProfile.objects.filter(user=user).exists()
    )
