"""Writes of surveys: starting a response, answering page by page, sending.

Every function does one action in one transaction and raises ``SurveyError`` with a
message the respondent can read. The server decides which page comes next from the
display conditions, and never stores the answer of a question that is not shown.
"""

import dataclasses
import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from osallistu.areas.selectors import demographics_of
from osallistu.core import audit
from osallistu.core.errors import DomainError

from . import engine, permissions, selectors
from .models import (
    Answer,
    Comment,
    CommentFlag,
    CommentSupport,
    Response,
    ResponseStatus,
    Selection,
    Survey,
)

ANONYMOUS_WINDOW_SECONDS = 3600


class SurveyError(DomainError):
    """A survey action was refused; ``message`` says why in plain words."""


class AnswersInvalid(SurveyError):
    """Some answers on the page are not valid; ``errors`` maps question ids to messages."""

    def __init__(self, errors):
        super().__init__(_("Please check the answers marked below."), code="invalid")
        self.errors = errors


def _share_survey(survey_id):
    """Hold the survey row FOR SHARE until the transaction ends, so the builder (which
    locks it FOR UPDATE) cannot delete a question, option or page while answers to it
    are being saved, and waits instead. Respondents share the lock and do not wait for
    each other. Only PostgreSQL needs it: SQLite's IMMEDIATE transactions already let
    one writer at a time in."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Survey._meta.db_table} WHERE id = %s FOR SHARE",
            [survey_id],
        )


def _admit(survey, user, now):
    admission = selectors.admission(survey, user, now)
    if not admission:
        raise SurveyError(admission.reason, code=admission.code)


def _rate_limit(key, client_ip, limit):
    """A fixed window per ``key`` and network address in the shared cache. Only a
    digest of the address is used as the key. Returns False past ``limit``."""
    digest = hashlib.sha256(f"{key}:{client_ip}".encode()).hexdigest()[:32]
    cache_key = f"surveys:limit:{digest}"
    cache.add(cache_key, 0, timeout=ANONYMOUS_WINDOW_SECONDS)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=ANONYMOUS_WINDOW_SECONDS)
        count = 1
    return count <= limit


def _count_anonymous_start(survey, client_ip):
    if not _rate_limit(f"survey:{survey.pk}", client_ip, survey.anonymous_responses_per_hour):
        raise SurveyError(
            _(
                "Very many answers have come from your network in the last hour, so we "
                "cannot take more just now. Please try again later."
            ),
            code="rate_limited",
        )


def start_response(*, survey, user, client_ip, answered_in_this_browser=False, now=None):
    """The response ``user`` continues, or a new one on the first shown page.

    Signed-in people have one response per survey (a database constraint holds it).
    People answering without logging in are limited per network address, and a
    browser that has sent a response is asked not to send another.
    """
    now = now or timezone.now()
    _admit(survey, user, now)
    if user.is_authenticated:
        existing = selectors.response_of(survey, user)
        if existing is not None:
            if existing.is_submitted:
                raise SurveyError(
                    _("You have already answered this survey. Thank you!"),
                    code="already_answered",
                )
            return existing
    elif answered_in_this_browser:
        raise SurveyError(
            _("An answer has already been sent from this browser. Thank you!"),
            code="already_answered",
        )
    else:
        _count_anonymous_start(survey, client_ip)
    try:
        with transaction.atomic():
            _share_survey(survey.pk)
            # Checked again under the lock: the survey may have been made a draft or
            # closed since it was read (the builder refuses that once a response exists).
            survey.refresh_from_db(fields=["published", "opens_at", "closes_at"])
            _admit(survey, user, now)
            structure = selectors.survey_structure(survey)
            first = engine.first_page(structure.page_ids, structure.specs, {})
            if first is None:
                raise SurveyError(_("This survey has no questions yet."), code="empty")
            return Response.objects.create(
                survey=survey,
                user=user if user.is_authenticated else None,
                current_page_id=first,
                started_at=now,
            )
    except IntegrityError:
        # The same person started in two tabs at once: continue the one that won.
        existing = selectors.response_of(survey, user)
        if existing is None:
            raise
        return existing


def _locked_draft(response, now):
    """The response locked for writing, after the survey is share-locked (in that
    order, the builder's: it locks the survey before it touches responses)."""
    _share_survey(response.survey_id)
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("survey")
        .get(pk=response.pk)
    )
    if response.is_submitted:
        raise SurveyError(
            _("These answers have already been sent. Thank you!"), code="already_answered"
        )
    if not response.survey.is_open(now):
        raise SurveyError(
            _("This survey has closed, so answers can no longer be changed or sent."),
            code="closed",
        )
    return response


def _replace_answers(response, question_ids, cleaned):
    """Delete the stored answers to ``question_ids`` and store ``cleaned`` ({id: Cleaned})."""
    Answer.objects.filter(response=response, question_id__in=question_ids).delete()
    answers = Answer.objects.bulk_create(
        Answer(
            response=response,
            question_id=question_id,
            value=answer.value,
            text=answer.text,
            number=answer.number,
        )
        for question_id, answer in cleaned.items()
    )
    Selection.objects.bulk_create(
        Selection(
            answer=answer,
            response=response,
            question_id=answer.question_id,
            option_id=option,
            row_id=row,
            rank=rank,
        )
        for answer in answers
        for option, row, rank in cleaned[answer.question_id].selections
    )


def _drop_hidden(response, structure, values):
    """Delete stored answers whose question a changed answer has hidden."""
    kept = engine.keep_visible(structure.specs, values)
    hidden = set(values) - set(kept)
    if hidden:
        Answer.objects.filter(response=response, question_id__in=hidden).delete()
    return kept


def save_page(*, response, page_id, data, advance=True, now=None):
    """Store the answers on the page being answered and move to the next shown page
    (None: the review before sending). ``page_id`` is the page the form was drawn
    for; when it is not the response's current page (a stale tab, an edited form)
    nothing is stored.

    ``advance=False`` saves to continue later: the answers given must be valid, but
    required questions may still be empty.

    The questions and options are read under the survey's lock (``_share_survey``),
    so what the answers refer to cannot be deleted before they are stored.
    """
    now = now or timezone.now()
    with transaction.atomic():
        response = _locked_draft(response, now)
        if response.current_page_id is None or response.current_page_id != page_id:
            raise SurveyError(
                _("This page is no longer the one being answered. Continue from here."),
                code="wrong_page",
            )
        structure = selectors.survey_structure(response.survey)
        values = selectors.answer_values(response)
        on_page = structure.specs_on(page_id)
        shown = engine.visible_ids(structure.specs, values)
        to_clean = [spec for spec in on_page if spec.id in shown]
        if not advance:
            to_clean = [dataclasses.replace(spec, required=False) for spec in to_clean]
        cleaned, errors = engine.clean_page(to_clean, data)
        if errors:
            raise AnswersInvalid(errors)
        _replace_answers(response, [spec.id for spec in on_page], cleaned)
        values = {
            question: value
            for question, value in values.items()
            if question not in {spec.id for spec in on_page}
        }
        values.update({question: answer.value for question, answer in cleaned.items()})
        values = _drop_hidden(response, structure, values)
        if advance:
            response.current_page_id = engine.page_after(
                structure.page_ids, structure.specs, values, page_id
            )
            response.save(update_fields=["current_page"])
    return response


def go_back(*, response, now=None):
    """Return to the shown page before the current one (or before the review)."""
    now = now or timezone.now()
    with transaction.atomic():
        response = _locked_draft(response, now)
        structure = selectors.survey_structure(response.survey)
        values = selectors.answer_values(response)
        previous = engine.page_before(
            structure.page_ids, structure.specs, values, response.current_page_id
        )
        if previous is not None:
            response.current_page_id = previous
            response.save(update_fields=["current_page"])
    return response


def submit_response(*, response, user, now=None):
    """Send the answers. Answers to hidden questions are deleted first; a required
    shown question without an answer sends the respondent back to its page."""
    now = now or timezone.now()
    with transaction.atomic():
        response = _locked_draft(response, now)
        if response.current_page_id is not None:
            raise SurveyError(
                _("Please answer the remaining pages before sending."), code="not_finished"
            )
        structure = selectors.survey_structure(response.survey)
        values = _drop_hidden(response, structure, selectors.answer_values(response))
        shown = engine.visible_ids(structure.specs, values)
        missing = [
            spec
            for spec in structure.specs
            if spec.id in shown and spec.required and spec.id not in values
        ]
        if missing:
            # Kept (not rolled back with the refusal): the respondent continues there.
            response.current_page_id = missing[0].page
            response.save(update_fields=["current_page"])
        else:
            response.status = ResponseStatus.SUBMITTED
            response.submitted_at = now
            if user.is_authenticated:
                response.district_id, response.age_group = demographics_of(
                    user, timezone.localdate(now)
                )
            response.save(update_fields=["status", "submitted_at", "district", "age_group"])
            audit.record(
                action="surveys.response_submitted",
                actor=user,
                target=response.survey,
                data={"response": response.pk},
            )
    if not response.is_submitted:
        raise SurveyError(_("Some required questions have no answer yet."), code="missing_answers")
    return response


# Hearings

COMMENT_MAX_LENGTH = 5000
NICKNAME_MAX_LENGTH = 60
# The longest reason for reporting a comment or hiding it (their columns hold 300).
REASON_MAX_LENGTH = 300
PLACE_SPEC = engine.QuestionSpec(
    id=0, kind=engine.MAP, page=0, settings={"geometry": "point", "bbox": None}
)


class HearingError(SurveyError):
    """A comment, support, flag or moderation action was refused. ``field`` names the
    form field the message belongs next to, when there is one."""

    def __init__(self, message, code="", field=None):
        super().__init__(message, code=code)
        self.field = field


def clean_place(*, address="", lat="", lon=""):
    """{"geojson": …, "address": …} of a comment's place, or None. Raises AnswerError."""
    data = MultiValueDict({"q0_address": [address], "q0_lat": [lat], "q0_lon": [lon]})
    cleaned = engine.clean_answer(PLACE_SPEC, data)
    return cleaned.value if cleaned else None


def check_text(text, *, limit, field, multiline=False):
    """``text`` stripped, refused with a ``HearingError`` when it is longer than
    ``limit`` or holds control characters: never cut or changed."""
    text = text.strip()
    if len(text) > limit:
        raise HearingError(
            _("This can be at most %(limit)s characters; it has %(length)s.")
            % {"limit": limit, "length": len(text)},
            code="too_long",
            field=field,
        )
    try:
        engine.check_characters(text, multiline=multiline)
    except engine.AnswerError as error:
        raise HearingError(error.message, code="characters", field=field) from None
    return text


def _check_moderator(actor, hearing):
    if not permissions.may_moderate(actor, hearing):
        raise PermissionDenied(_("You may not moderate this hearing."))


def post_comment(
    *, hearing, user, text, client_ip, section=None, parent=None, nickname="", place=None, now=None
):
    """Add a comment (or a reply to ``parent``) as the hearing's policy allows.
    ``place`` is what ``clean_place`` gave, used when the hearing takes map comments."""
    now = now or timezone.now()
    admission = selectors.may_comment(hearing, user, now)
    if not admission:
        raise HearingError(admission.reason, code=admission.code)
    text = check_text(text, limit=COMMENT_MAX_LENGTH, field="text", multiline=True)
    if not text:
        raise HearingError(_("Write a comment first."), code="empty", field="text")
    nickname = check_text(nickname, limit=NICKNAME_MAX_LENGTH, field="nickname")
    if section is not None and section.hearing_id != hearing.pk:
        raise HearingError(_("That section is not part of this hearing."), code="wrong_section")
    if parent is not None:
        if parent.hearing_id != hearing.pk or parent.parent_id is not None or parent.is_hidden:
            raise HearingError(_("You cannot reply to that comment."), code="wrong_parent")
        section, place = parent.section, None
    if not user.is_authenticated and not _rate_limit(
        f"hearing:{hearing.pk}", client_ip, hearing.anonymous_comments_per_hour
    ):
        raise HearingError(
            _(
                "Very many comments have come from your network in the last hour. Please "
                "try again later."
            ),
            code="rate_limited",
        )
    place = place if hearing.map_comments else None
    return Comment.objects.create(
        hearing=hearing,
        section=section,
        parent=parent,
        author=user if user.is_authenticated else None,
        nickname=nickname,
        text=text,
        geojson=place["geojson"] if place else None,
        address=place["address"] if place else "",
        created_at=now,
    )


def support_comment(*, comment, user, now=None):
    """Support ``comment`` once; a second support is quietly the same as the first."""
    if not user.is_authenticated:
        raise HearingError(_("Please log in to support comments."), code="not_signed_in")
    if not comment.hearing.is_open(now) or comment.is_hidden:
        raise HearingError(_("This comment can no longer be supported."), code="closed")
    CommentSupport.objects.get_or_create(comment=comment, user=user)


def flag_comment(*, comment, user, reason=""):
    """Ask the moderators to look at ``comment``; the reason is kept as written."""
    if not user.is_authenticated:
        raise HearingError(_("Please log in to report a comment."), code="not_signed_in")
    reason = check_text(reason, limit=REASON_MAX_LENGTH, field="reason")
    CommentFlag.objects.update_or_create(comment=comment, user=user, defaults={"reason": reason})


def hide_comment(*, comment, actor, reason, now=None):
    """Hide ``comment`` from everyone but its author, who sees ``reason``."""
    _check_moderator(actor, comment.hearing)
    reason = check_text(reason, limit=REASON_MAX_LENGTH, field="reason")
    if not reason:
        raise HearingError(_("Say why the comment is hidden."), code="no_reason", field="reason")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.hidden_at = now or timezone.now()
        comment.hidden_reason = reason
        comment.hidden_by = actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit.record(
            action="surveys.comment_hidden", actor=actor, target=comment, data={"reason": reason}
        )
    return comment


def restore_comment(*, comment, actor):
    _check_moderator(actor, comment.hearing)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.hidden_at, comment.hidden_reason, comment.hidden_by = None, "", None
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit.record(action="surveys.comment_restored", actor=actor, target=comment)
    return comment


def answer_officially(*, comment, actor, text, now=None):
    """The city's official answer to ``comment``, also after the hearing has closed."""
    _check_moderator(actor, comment.hearing)
    text = check_text(text, limit=COMMENT_MAX_LENGTH, field="text", multiline=True)
    if not text:
        raise HearingError(_("Write the answer first."), code="empty", field="text")
    if comment.parent_id is not None:
        raise HearingError(_("Answer the original comment, not a reply."), code="wrong_parent")
    with transaction.atomic():
        answer = Comment.objects.create(
            hearing=comment.hearing,
            section=comment.section,
            parent=comment,
            author=actor,
            text=text,
            is_official=True,
            created_at=now or timezone.now(),
        )
        audit.record(
            action="surveys.comment_answered",
            actor=actor,
            target=comment,
            data={"answer": answer.pk},
        )
    return answer


def publish_results(*, survey, actor, published=True):
    """Show the results of ``survey`` to residents, or take them down again."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not permissions.may_publish_results(actor, survey):
            raise PermissionDenied(_("You may not publish the results of this survey."))
        if survey.results_published != published:
            survey.results_published = published
            survey.save(update_fields=["results_published"])
            audit.record(
                action="surveys.results_published" if published else "surveys.results_withdrawn",
                actor=actor,
                target=survey,
            )
    return survey
