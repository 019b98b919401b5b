"""Writes of surveys: starting a response, answering page by page, sending.

Every function does one action in one transaction and raises ``SurveyError`` with a
message the respondent can read. The server decides which page comes next from the
display conditions, and never stores the answer of a question that is not shown.
"""

import dataclasses
import hashlib

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from . import engine, selectors
from .models import Answer, Response, ResponseStatus, Selection, age_group_for

ANONYMOUS_WINDOW_SECONDS = 3600


class SurveyError(Exception):
    """A survey action was refused; ``message`` says why in plain words."""

    def __init__(self, message, code=""):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


class AnswersInvalid(SurveyError):
    """Some answers on the page are not valid; ``errors`` maps question ids to messages."""

    def __init__(self, errors):
        super().__init__(_("Please check the answers marked below."), code="invalid")
        self.errors = errors


def _admit(survey, user, now):
    admission = selectors.admission(survey, user, now)
    if not admission:
        raise SurveyError(admission.reason, code=admission.code)


def _count_anonymous_start(survey, client_ip):
    """A fixed window per survey and network address, in the shared cache. Only a
    digest of the address is used as the key."""
    digest = hashlib.sha256(f"{survey.pk}:{client_ip}".encode()).hexdigest()[:32]
    key = f"surveys:anonymous:{digest}"
    cache.add(key, 0, timeout=ANONYMOUS_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=ANONYMOUS_WINDOW_SECONDS)
        count = 1
    if count > survey.anonymous_responses_per_hour:
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
    structure = selectors.survey_structure(survey)
    first = engine.first_page(structure.page_ids, structure.specs, {})
    if first is None:
        raise SurveyError(_("This survey has no questions yet."), code="empty")
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey,
                user=user if user.is_authenticated else None,
                current_page_id=first,
                started_at=now,
            )
    except IntegrityError:
        # The same person started in two tabs at once: continue the one that won.
        return selectors.response_of(survey, user)


def _locked_draft(response, now):
    response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
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
            answer=answer, question_id=answer.question_id, option_id=option, row_id=row, rank=rank
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
                response.district_id = user.district_id
                response.age_group = age_group_for(user.age_on(timezone.localdate(now)))
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
