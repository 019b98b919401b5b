"""Building surveys on the staff pages: who may build which survey, and every write.

Each write is one transaction that locks the survey row first (so two people
editing the same survey take turns and positions never collide), records an audit
entry, and raises ``BuildError`` with a message the member of staff can read.

Once people have answered, nothing that would corrupt their answers is allowed:
a question or option with answers cannot be deleted, a question with answers
cannot change its kind, its scale or its kind of map answer. Wording can always be
fixed. Display conditions may only use questions on earlier pages, because the
server decides what a page shows before the page is drawn; every move is checked
against that rule and undone when it would break it.

Respondents save their answers holding the survey row FOR SHARE (on PostgreSQL;
on SQLite one writer at a time), so a question, option or page is never deleted
while the first answer to it is being saved: whichever comes second waits, and
then either sees the answer and refuses the deletion, or draws the page without
the deleted question.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area
from osallistu.core import audit
from osallistu.core.errors import DomainError

from . import engine, permissions
from .models import (
    CHOICE_KINDS,
    SETTINGS_DEFAULTS,
    Answer,
    Audience,
    Condition,
    Operator,
    Option,
    Page,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Selection,
    Survey,
    validate_settings,
)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
UP, DOWN = "up", "down"


class BuildError(DomainError):
    """A change to a survey was refused; ``message`` says why in plain words."""


# What may be built


def buildable_surveys(user):
    """The surveys ``user`` may build (``permissions.may_build``), newest first, with
    their numbers of sent responses (``sent``) and responses under way (``under_way``)."""
    surveys = Survey.objects.annotate(
        sent=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED)),
        under_way=Count("responses", filter=Q(responses__status=ResponseStatus.DRAFT)),
    ).order_by("-opens_at", "-pk")
    return permissions.buildable_surveys(user, surveys).prefetch_related("districts")


class Status:
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    PUBLISHED = "published"

    LABELS = {
        DRAFT: _("Draft, not published"),
        SCHEDULED: _("Published, not open yet"),
        OPEN: _("Open"),
        CLOSED: _("Closed"),
        PUBLISHED: _("Closed, results published"),
    }


def status(survey, now=None):
    """Where ``survey`` is in its life: draft (not published), published but not
    open yet, open, closed, or closed with its results published."""
    now = now or timezone.now()
    if not survey.published:
        return Status.DRAFT
    if now < survey.opens_at:
        return Status.SCHEDULED
    if survey.is_open(now):
        return Status.OPEN
    return Status.PUBLISHED if survey.results_published else Status.CLOSED


def answer_counts(survey):
    """{question id: number of answers} for the questions of ``survey`` that have any."""
    return dict(
        Answer.objects.filter(question__page__survey=survey)
        .values_list("question_id")
        .annotate(count=Count("pk"))
        .values_list("question_id", "count")
    )


def has_responses(survey):
    return Response.objects.filter(survey=survey).exists()


# Helpers


def _lock(survey, actor):
    """The survey row locked for the change, once ``actor`` may build it: checked
    under the lock, so a survey moved out of the actor's districts a moment ago is
    refused."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not permissions.may_build(actor, survey):
        raise PermissionDenied(_("You may not build this survey."))
    return survey


def _texts(values, field):
    """The translated values of ``field`` from ``values`` ({"title_fi": …})."""
    return {
        f"{field}_{code}": (values.get(f"{field}_{code}") or "").strip() for code in LANGUAGE_CODES
    }


def _label(item):
    """A short name of a question or option for messages."""
    text = str(item)
    return text if len(text) <= 60 else text[:59] + "…"


def _next_position(queryset):
    return (queryset.aggregate(most=Max("position"))["most"] or 0) + 1


def _swap(item, queryset, direction):
    """Swap ``item`` with its neighbour in ``queryset`` (ordered by position).
    Returns False when there is no neighbour that way."""
    if direction == UP:
        neighbour = queryset.filter(position__lt=item.position).order_by("-position").first()
    else:
        neighbour = queryset.filter(position__gt=item.position).order_by("position").first()
    if neighbour is None:
        return False
    spare = _next_position(queryset)
    mine, theirs = item.position, neighbour.position
    type(item).objects.filter(pk=item.pk).update(position=spare)
    type(item).objects.filter(pk=neighbour.pk).update(position=mine)
    type(item).objects.filter(pk=item.pk).update(position=theirs)
    item.position = theirs
    return True


def _renumber(queryset):
    """Positions 1, 2, 3… in the current order. Positions only ever shrink here,
    so no two rows meet on the way."""
    for number, pk in enumerate(queryset.order_by("position").values_list("pk", flat=True), 1):
        queryset.model.objects.filter(pk=pk).exclude(position=number).update(position=number)


def _check_condition_order(survey):
    """Refuse when a display condition uses a question that is no longer on an
    earlier page (after a move)."""
    broken = (
        Condition.objects.filter(question__page__survey=survey)
        .filter(depends_on__page__position__gte=F("question__page__position"))
        .select_related("question", "depends_on")
        .first()
    )
    if broken is not None:
        raise BuildError(
            _(
                "That move is not possible: “%(question)s” is shown depending on the answer "
                "to “%(earlier)s”, which must stay on an earlier page. Remove the condition "
                "first, or move the questions so that the order is kept."
            )
            % {"question": _label(broken.question), "earlier": _label(broken.depends_on)},
            code="condition_order",
        )


def _dependents(question):
    return list(Question.objects.filter(conditions__depends_on=question).distinct().order_by("pk"))


def _refuse_if_depended_on(question, action_message):
    dependents = _dependents(question)
    if dependents:
        raise BuildError(
            action_message
            % {
                "question": _label(question),
                "dependents": ", ".join(f"“{_label(item)}”" for item in dependents),
            },
            code="depended_on",
        )


def _record(action, actor, target, **data):
    audit.record(action=f"surveys.builder.{action}", actor=actor, target=target, data=data)


# Surveys


def _check_scope(actor, audience, districts):
    scope = permissions.scope(actor)
    if scope is permissions.WHOLE_CITY:
        return
    if not scope:
        raise PermissionDenied(_("You may not build this survey."))
    chosen = {area.pk for area in districts}
    if audience != Audience.DISTRICTS or not chosen or not chosen <= scope:
        names = ", ".join(str(area) for area in Area.objects.filter(pk__in=scope).order_by("name"))
        raise BuildError(
            _(
                "You can build surveys only for the residents of your own districts "
                "(%(districts)s). Choose “Residents of the chosen districts” and only "
                "those districts."
            )
            % {"districts": names},
            code="scope",
        )


def _check_survey_fields(fields, districts):
    if fields["closes_at"] <= fields["opens_at"]:
        raise BuildError(_("A survey must close after it opens."), code="times")
    if fields["audience"] == Audience.DISTRICTS and not districts:
        raise BuildError(
            _("Choose at least one district, or another audience."), code="no_districts"
        )


def _unique_slug(base, exclude=None):
    base = (slugify(base) or "kysely")[:70].strip("-") or "kysely"
    taken = set(
        Survey.objects.filter(slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _save_with_unique_slug(survey):
    """Save ``survey``; another survey taking the same address at the same moment is
    refused with the same message as one that had it before."""
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError as error:
        if "slug" not in str(error):
            raise
        raise BuildError(_("Another survey already has this address."), code="slug_taken") from None


SURVEY_FIELDS = (
    "opens_at",
    "closes_at",
    "audience",
    "anonymous_responses_per_hour",
    "results_published",
)


def _survey_values(fields):
    values = {name: fields[name] for name in SURVEY_FIELDS if name in fields}
    values.update(_texts(fields, "title"))
    values.update(_texts(fields, "description"))
    return values


def create_survey(*, actor, fields, districts=()):
    """A new survey with one empty page, from the settings form's ``fields``. Its
    address is made from the Finnish title unless ``fields["slug"]`` gives one."""
    districts = list(districts)
    _check_scope(actor, fields["audience"], districts)
    _check_survey_fields(fields, districts)
    with transaction.atomic():
        slug = fields.get("slug") or ""
        if slug and Survey.objects.filter(slug=slug).exists():
            raise BuildError(_("Another survey already has this address."), code="slug_taken")
        survey = Survey(
            slug=slug or _unique_slug(fields["title_fi"]), published=False, **_survey_values(fields)
        )
        _save_with_unique_slug(survey)
        survey.districts.set(districts if survey.audience == Audience.DISTRICTS else [])
        Page.objects.create(survey=survey, position=1)
        _record("survey_created", actor, survey)
    return survey


def update_survey(*, survey, actor, fields, districts=()):
    """Change the settings of ``survey``; the audit entry names the changed fields."""
    districts = list(districts)
    _check_scope(actor, fields["audience"], districts)
    _check_survey_fields(fields, districts)
    with transaction.atomic():
        survey = _lock(survey, actor)
        slug = fields.get("slug") or survey.slug
        if Survey.objects.filter(slug=slug).exclude(pk=survey.pk).exists():
            raise BuildError(_("Another survey already has this address."), code="slug_taken")
        values = {**_survey_values(fields), "slug": slug}
        changed = sorted(name for name, value in values.items() if getattr(survey, name) != value)
        for name, value in values.items():
            setattr(survey, name, value)
        _save_with_unique_slug(survey)
        new_districts = districts if survey.audience == Audience.DISTRICTS else []
        if {area.pk for area in new_districts} != set(
            survey.districts.values_list("pk", flat=True)
        ):
            changed.append("districts")
            survey.districts.set(new_districts)
        if changed:
            _record("survey_changed", actor, survey, fields=changed)
    return survey


def _has_questions(survey):
    return Question.objects.filter(page__survey=survey).exclude(kind=QuestionKind.INFO).exists()


def _refuse_if_empty(survey, message):
    if not _has_questions(survey):
        raise BuildError(message, code="empty")


def publish_survey(*, survey, actor):
    """Show ``survey`` to residents: it takes answers from its opening time."""
    with transaction.atomic():
        survey = _lock(survey, actor)
        if survey.published:
            raise BuildError(_("The survey is already published."), code="published")
        _refuse_if_empty(
            survey, _("This survey has no questions yet. Add at least one before publishing it.")
        )
        survey.published = True
        survey.save(update_fields=["published"])
        _record("survey_published", actor, survey)
    return survey


def unpublish_survey(*, survey, actor):
    """Make ``survey`` a draft again, hidden from residents: refused once anyone has
    started answering it, so that nobody's answers disappear from under them."""
    with transaction.atomic():
        survey = _lock(survey, actor)
        if not survey.published:
            raise BuildError(_("The survey is already a draft."), code="draft")
        if has_responses(survey):
            raise BuildError(
                _(
                    "The survey cannot be made a draft again: people have already started "
                    "answering it. You can close it instead."
                ),
                code="answered",
            )
        survey.published = False
        survey.save(update_fields=["published"])
        _record("survey_unpublished", actor, survey)
    return survey


def open_now(*, survey, actor, now=None):
    """Publish ``survey`` if it is a draft, and open it at once."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = _lock(survey, actor)
        if survey.published and survey.is_open(now):
            raise BuildError(_("The survey is already open."), code="open")
        if survey.has_closed(now):
            raise BuildError(
                _(
                    "The survey has closed. Set a new closing time in its settings to "
                    "open it again."
                ),
                code="closed",
            )
        _refuse_if_empty(
            survey, _("This survey has no questions yet. Add at least one before opening it.")
        )
        was_draft = not survey.published
        survey.opens_at = min(survey.opens_at, now)
        survey.published = True
        survey.save(update_fields=["opens_at", "published"])
        if was_draft:
            _record("survey_published", actor, survey)
        _record("survey_opened", actor, survey)
    return survey


def close_now(*, survey, actor, now=None):
    """Close an open survey at once: no more answers are taken."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = _lock(survey, actor)
        if not survey.is_open(now):
            raise BuildError(_("The survey is not open."), code="not_open")
        survey.closes_at = now
        survey.save(update_fields=["closes_at"])
        _record("survey_closed", actor, survey)
    return survey


COPY_OPENS_IN_DAYS = 30
TITLE_MAX_LENGTH = Survey._meta.get_field("title").max_length


def _copy_title(title, suffix):
    """``title`` marked as a copy; a title too long for the mark is visibly shortened
    with "…" (the person copying is asked to check it), never cut silently."""
    marked = f"{title} {suffix}"
    if len(marked) <= TITLE_MAX_LENGTH:
        return marked
    return f"{title[: TITLE_MAX_LENGTH - len(suffix) - 2]}… {suffix}"


def duplicate_survey(*, survey, actor, now=None):
    """A copy of ``survey`` as a new, unpublished draft: its settings, pages,
    questions, options and conditions, no responses. Its times are set to open in 30
    days (at 9 o'clock) for as long as the original was open, and its results are not
    published."""
    now = now or timezone.now()
    with transaction.atomic():
        survey = _lock(survey, actor)
        opens = timezone.localtime(now + datetime.timedelta(days=COPY_OPENS_IN_DAYS)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        copy = Survey(
            slug=_unique_slug(f"{survey.slug}-copy"),
            opens_at=opens,
            closes_at=opens + (survey.closes_at - survey.opens_at),
            audience=survey.audience,
            anonymous_responses_per_hour=survey.anonymous_responses_per_hour,
            published=False,
            results_published=False,
        )
        for code in LANGUAGE_CODES:
            with translation.override(code):
                title = getattr(survey, f"title_{code}") or survey.title_fi
                suffix = gettext("(copy)")
            setattr(copy, f"title_{code}", _copy_title(title, suffix))
            setattr(copy, f"description_{code}", getattr(survey, f"description_{code}"))
        copy.save()
        copy.districts.set(survey.districts.all())
        pages, questions, options = {}, {}, {}
        for page in Page.objects.filter(survey=survey).order_by("position"):
            pages[page.pk] = Page.objects.create(
                survey=copy,
                position=page.position,
                **{f"title_{code}": getattr(page, f"title_{code}") for code in LANGUAGE_CODES},
            )
        for question in Question.objects.filter(page__survey=survey).order_by("pk"):
            questions[question.pk] = Question.objects.create(
                page=pages[question.page_id],
                position=question.position,
                kind=question.kind,
                required=question.required,
                settings=question.settings,
                **{
                    f"{field}_{code}": getattr(question, f"{field}_{code}")
                    for field in ("text", "help_text")
                    for code in LANGUAGE_CODES
                },
            )
        for option in Option.objects.filter(question__page__survey=survey).order_by("pk"):
            options[option.pk] = Option.objects.create(
                question=questions[option.question_id],
                role=option.role,
                position=option.position,
                **{f"text_{code}": getattr(option, f"text_{code}") for code in LANGUAGE_CODES},
            )
        Condition.objects.bulk_create(
            Condition(
                question=questions[condition.question_id],
                depends_on=questions[condition.depends_on_id],
                operator=condition.operator,
                option=options.get(condition.option_id),
                value=condition.value,
            )
            for condition in Condition.objects.filter(question__page__survey=survey)
        )
        _record("survey_created", actor, copy, copied_from=survey.pk)
    return copy


# Pages


def add_page(*, survey, actor, titles=None):
    """A new page at the end of ``survey``."""
    with transaction.atomic():
        survey = _lock(survey, actor)
        page = Page.objects.create(
            survey=survey,
            position=_next_position(Page.objects.filter(survey=survey)),
            **_texts(titles or {}, "title"),
        )
        _record("page_added", actor, survey, page=page.pk)
    return page


def update_page(*, page, actor, titles):
    with transaction.atomic():
        _lock(page.survey, actor)
        Page.objects.filter(pk=page.pk).update(**_texts(titles, "title"))
        _record("page_changed", actor, page.survey, page=page.pk)
    page.refresh_from_db()
    return page


def move_page(*, page, actor, direction):
    """Swap ``page`` with the page before (``"up"``) or after it; refused when a
    display condition would then use a later page."""
    with transaction.atomic():
        survey = _lock(page.survey, actor)
        page = Page.objects.get(pk=page.pk)
        if _swap(page, Page.objects.filter(survey=survey), direction):
            _check_condition_order(survey)
            _record("page_moved", actor, survey, page=page.pk, direction=direction)
    return page


def delete_page(*, page, actor):
    """Delete a page and its questions: refused when one of them has answers or
    another page's question depends on one of them."""
    with transaction.atomic():
        survey = _lock(page.survey, actor)
        questions = list(Question.objects.filter(page=page))
        answered = Answer.objects.filter(question__in=questions).select_related("question").first()
        if answered is not None:
            raise BuildError(
                _(
                    "This page cannot be deleted: its question “%(question)s” already has "
                    "answers, and deleting the page would delete them."
                )
                % {"question": _label(answered.question)},
                code="answered",
            )
        outside = (
            Condition.objects.filter(depends_on__in=questions)
            .exclude(question__page=page)
            .select_related("question", "depends_on")
            .first()
        )
        if outside is not None:
            raise BuildError(
                _(
                    "This page cannot be deleted: “%(dependent)s” on another page is shown "
                    "depending on the answer to “%(question)s” on this page. Remove that "
                    "condition first."
                )
                % {"dependent": _label(outside.question), "question": _label(outside.depends_on)},
                code="depended_on",
            )
        number = page.position
        page.delete()
        _renumber(Page.objects.filter(survey=survey))
        _record("page_deleted", actor, survey, page=number, questions=len(questions))


# Questions


QUESTION_TEXT_FIELDS = ("text", "help_text")


def _question_texts(fields):
    values = {}
    for field in QUESTION_TEXT_FIELDS:
        values.update(_texts(fields, field))
    return values


def _clean_settings(kind, settings_value):
    try:
        validate_settings(kind, settings_value)
    except ValidationError as error:
        message = " ".join(str(message) for message in error.messages)
        raise BuildError(message, code="settings") from None
    return {**SETTINGS_DEFAULTS[kind], **settings_value}


def add_question(*, page, actor, kind, fields, settings_value=None):
    """A new question of ``kind`` at the end of ``page``."""
    if kind not in QuestionKind.values:
        raise BuildError(_("Choose a kind of question."), code="kind")
    settings_value = _clean_settings(kind, settings_value or {})
    with transaction.atomic():
        survey = _lock(page.survey, actor)
        question = Question.objects.create(
            page=page,
            position=_next_position(Question.objects.filter(page=page)),
            kind=kind,
            required=bool(fields.get("required")) and kind != QuestionKind.INFO,
            settings=settings_value,
            **_question_texts(fields),
        )
        _record("question_added", actor, survey, question=question.pk, kind=kind)
    return question


def _check_settings_change(question, new):
    """Refuse settings changes that would leave answers given outside the question."""
    if not Answer.objects.filter(question=question).exists():
        return
    old = {**SETTINGS_DEFAULTS[question.kind], **question.settings}
    if question.kind == QuestionKind.SCALE and (old["min"], old["max"]) != (new["min"], new["max"]):
        raise BuildError(
            _(
                "The scale cannot change now that people have answered: their answers were "
                "given on the scale from %(low)s to %(high)s."
            )
            % {"low": old["min"], "high": old["max"]},
            code="answered",
        )
    if question.kind == QuestionKind.MAP and old["geometry"] != new["geometry"]:
        raise BuildError(
            _("The kind of place asked for cannot change now that people have answered."),
            code="answered",
        )
    if (
        old.get("allow_other")
        and not new.get("allow_other")
        and Answer.objects.filter(question=question, value__has_key="other").exists()
    ):
        raise BuildError(
            _(
                "The “other” choice cannot be removed: some people have answered with it, "
                "and their answers would no longer show."
            ),
            code="answered",
        )


def update_question(*, question, actor, fields, settings_value=None, page=None):
    """Change the wording, the required flag and the settings of ``question``, and
    move it to the end of ``page`` when another page is given."""
    with transaction.atomic():
        survey = _lock(question.page.survey, actor)
        question = Question.objects.select_related("page").get(pk=question.pk)
        new_settings = _clean_settings(
            question.kind, question.settings if settings_value is None else settings_value
        )
        _check_settings_change(question, new_settings)
        question.settings = new_settings
        for name, value in _question_texts(fields).items():
            setattr(question, name, value)
        question.required = bool(fields.get("required")) and question.kind != QuestionKind.INFO
        moved = page is not None and page.pk != question.page_id
        if moved:
            if page.survey_id != survey.pk:
                raise BuildError(_("That page is not part of this survey."), code="wrong_page")
            old_page = question.page
            question.page = page
            question.position = _next_position(Question.objects.filter(page=page))
        question.save()
        if moved:
            _renumber(Question.objects.filter(page=old_page))
            _check_condition_order(survey)
        _record(
            "question_changed",
            actor,
            survey,
            question=question.pk,
            **({"moved_to_page": page.position} if moved else {}),
        )
    return question


def change_kind(*, question, actor, kind):
    """Make ``question`` a question of another kind. Refused once it has answers
    (they would no longer fit) or while conditions depend on it. Settings that fit
    the new kind are kept; options are dropped when the new kind has none."""
    if kind not in QuestionKind.values:
        raise BuildError(_("Choose a kind of question."), code="kind")
    with transaction.atomic():
        survey = _lock(question.page.survey, actor)
        question = Question.objects.get(pk=question.pk)
        if kind == question.kind:
            return question
        count = Answer.objects.filter(question=question).count()
        if count:
            raise BuildError(
                _(
                    "The kind of “%(question)s” cannot change: it already has %(count)s "
                    "answers, which would no longer fit. You can still fix its wording."
                )
                % {"question": _label(question), "count": count},
                code="answered",
            )
        _refuse_if_depended_on(
            question,
            _(
                "The kind of “%(question)s” cannot change while these questions are shown "
                "depending on its answer: %(dependents)s. Remove those conditions first."
            ),
        )
        kept = {
            key: value for key, value in question.settings.items() if key in SETTINGS_DEFAULTS[kind]
        }
        try:
            validate_settings(kind, kept)
        except ValidationError:
            kept = {}
        old = question.kind
        question.kind = kind
        question.settings = {**SETTINGS_DEFAULTS[kind], **kept}
        if kind == QuestionKind.INFO:
            question.required = False
        question.save()
        if kind not in CHOICE_KINDS:
            Option.objects.filter(question=question).delete()
        elif kind != QuestionKind.MATRIX:
            Option.objects.filter(question=question, role=Option.Role.ROW).delete()
        _record("question_kind_changed", actor, survey, question=question.pk, old=old, new=kind)
    return question


def move_question(*, question, actor, direction):
    """Swap ``question`` with the one before or after it on its page."""
    with transaction.atomic():
        survey = _lock(question.page.survey, actor)
        question = Question.objects.get(pk=question.pk)
        if _swap(question, Question.objects.filter(page_id=question.page_id), direction):
            _record("question_moved", actor, survey, question=question.pk, direction=direction)
    return question


def delete_question(*, question, actor):
    """Delete a question with its options and conditions: refused when it has
    answers or other questions depend on it."""
    with transaction.atomic():
        survey = _lock(question.page.survey, actor)
        question = Question.objects.get(pk=question.pk)
        count = Answer.objects.filter(question=question).count()
        if count:
            raise BuildError(
                _(
                    "“%(question)s” cannot be deleted: it already has %(count)s answers, and "
                    "deleting it would delete them. You can still fix its wording."
                )
                % {"question": _label(question), "count": count},
                code="answered",
            )
        _refuse_if_depended_on(
            question,
            _(
                "“%(question)s” cannot be deleted while these questions are shown depending "
                "on its answer: %(dependents)s. Remove those conditions first."
            ),
        )
        page_id, text = question.page_id, str(question)
        question.delete()
        _renumber(Question.objects.filter(page_id=page_id))
        _record("question_deleted", actor, survey, text=text)


# Options


def _check_option_role(question, role):
    if question.kind not in CHOICE_KINDS:
        raise BuildError(_("This kind of question has no options."), code="no_options")
    if role == Option.Role.ROW and question.kind != QuestionKind.MATRIX:
        raise BuildError(_("Only a matrix has rows."), code="no_rows")
    if role not in Option.Role.values:
        raise BuildError(_("Choose whether this is a choice or a row."), code="role")


def add_option(*, question, actor, texts, role=Option.Role.CHOICE):
    """A new choice (or matrix row) at the end of ``question``'s list."""
    with transaction.atomic():
        survey = _lock(question.page.survey, actor)
        question = Question.objects.get(pk=question.pk)
        _check_option_role(question, role)
        option = Option.objects.create(
            question=question,
            role=role,
            position=_next_position(Option.objects.filter(question=question, role=role)),
            **_texts(texts, "text"),
        )
        _record("option_added", actor, survey, question=question.pk, option=option.pk)
    return option


def update_option(*, option, actor, texts):
    """Fix the wording of an option: allowed also after people have answered."""
    with transaction.atomic():
        survey = _lock(option.question.page.survey, actor)
        Option.objects.filter(pk=option.pk).update(**_texts(texts, "text"))
        _record("option_changed", actor, survey, question=option.question_id, option=option.pk)
    option.refresh_from_db()
    return option


def move_option(*, option, actor, direction):
    with transaction.atomic():
        survey = _lock(option.question.page.survey, actor)
        option = Option.objects.get(pk=option.pk)
        siblings = Option.objects.filter(question_id=option.question_id, role=option.role)
        if _swap(option, siblings, direction):
            _record(
                "option_moved",
                actor,
                survey,
                question=option.question_id,
                option=option.pk,
                direction=direction,
            )
    return option


def delete_option(*, option, actor):
    """Delete an option: refused when someone chose it or a condition compares with it."""
    with transaction.atomic():
        survey = _lock(option.question.page.survey, actor)
        option = Option.objects.get(pk=option.pk)
        count = Selection.objects.filter(Q(option=option) | Q(row=option)).count()
        if count:
            raise BuildError(
                _(
                    "“%(option)s” cannot be deleted: it has been chosen %(count)s times, and "
                    "deleting it would change those answers. You can still fix its wording."
                )
                % {"option": _label(option), "count": count},
                code="answered",
            )
        used = Condition.objects.filter(option=option).select_related("question").first()
        if used is not None:
            raise BuildError(
                _(
                    "“%(option)s” cannot be deleted: “%(question)s” is shown depending on it. "
                    "Remove that condition first."
                )
                % {"option": _label(option), "question": _label(used.question)},
                code="depended_on",
            )
        question_id, role, text = option.question_id, option.role, str(option)
        option.delete()
        _renumber(Option.objects.filter(question_id=question_id, role=role))
        _record("option_deleted", actor, survey, question=question_id, text=text)


# Display conditions

COMPARING = (engine.EQUALS, engine.NOT_EQUALS, engine.CONTAINS)


def _condition_value(depends_on, value):
    """The value a text, number, scale or date answer is compared with, checked and
    written as the engine compares it."""
    value = (value or "").strip()
    if not value:
        raise BuildError(_("Write the value to compare the answer with."), code="value")
    if len(value) > 200:
        raise BuildError(_("The value can be at most 200 characters."), code="value")
    if depends_on.kind in (QuestionKind.NUMBER, QuestionKind.SCALE):
        try:
            number = Decimal(value.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise BuildError(_("Write a number to compare with, for example 3."), code="value")
        if depends_on.kind == QuestionKind.SCALE:
            scale = {**SETTINGS_DEFAULTS[QuestionKind.SCALE], **depends_on.settings}
            if not (
                number == number.to_integral_value() and scale["min"] <= number <= scale["max"]
            ):
                raise BuildError(
                    _("Choose a value on the scale, from %(low)s to %(high)s.")
                    % {"low": scale["min"], "high": scale["max"]},
                    code="value",
                )
    if depends_on.kind == QuestionKind.DATE:
        try:
            day = engine._parse_date(value)
        except engine.AnswerError as error:
            raise BuildError(error.message, code="value") from None
        value = day.isoformat()
    return value


def add_condition(*, question, actor, depends_on, operator, option=None, value=""):
    """Show ``question`` only when the answer to ``depends_on`` meets ``operator``.
    ``depends_on`` must be on an earlier page: never the question itself, a later
    question or one on the same page."""
    with transaction.atomic():
        survey = _lock(question.page.survey, actor)
        question = Question.objects.select_related("page").get(pk=question.pk)
        depends_on = Question.objects.select_related("page").get(pk=depends_on.pk)
        if depends_on.page.survey_id != survey.pk:
            raise BuildError(_("That question is not part of this survey."), code="wrong_survey")
        if depends_on.pk == question.pk:
            raise BuildError(
                _(
                    "A question cannot depend on its own answer. Choose a question on an "
                    "earlier page."
                ),
                code="itself",
            )
        if depends_on.page.position > question.page.position:
            raise BuildError(
                _(
                    "“%(earlier)s” comes after this question, so its answer is not known yet. "
                    "A condition can only use questions on earlier pages."
                )
                % {"earlier": _label(depends_on)},
                code="later",
            )
        if depends_on.page_id == question.page_id:
            raise BuildError(
                _(
                    "“%(earlier)s” is on the same page, and the page is shown before it is "
                    "answered. A condition can only use questions on earlier pages."
                )
                % {"earlier": _label(depends_on)},
                code="same_page",
            )
        allowed = engine.operators_for_kind(depends_on.kind)
        if not allowed:
            raise BuildError(
                _("An information text has no answer that a condition could use."), code="info"
            )
        if operator not in allowed:
            names = ", ".join(
                f"“{label}”" for value_, label in Operator.choices if value_ in allowed
            )
            raise BuildError(
                _(
                    "This test cannot be used with a question of the kind “%(kind)s”. "
                    "Choose one of: %(operators)s."
                )
                % {"kind": depends_on.get_kind_display(), "operators": names},
                code="operator",
            )
        if operator not in COMPARING:
            option, value = None, ""
        elif depends_on.kind in CHOICE_KINDS:
            if option is None:
                raise BuildError(_("Choose the option to compare the answer with."), code="option")
            if option.question_id != depends_on.pk or option.role != Option.Role.CHOICE:
                raise BuildError(
                    _("The option must be one of the choices of “%(earlier)s”.")
                    % {"earlier": _label(depends_on)},
                    code="option",
                )
            value = ""
        else:
            option, value = None, _condition_value(depends_on, value)
        condition = Condition.objects.create(
            question=question, depends_on=depends_on, operator=operator, option=option, value=value
        )
        _record(
            "condition_added",
            actor,
            survey,
            question=question.pk,
            depends_on=depends_on.pk,
            operator=operator,
        )
    return condition


def delete_condition(*, condition, actor):
    with transaction.atomic():
        survey = _lock(condition.question.page.survey, actor)
        question_id = condition.question_id
        Condition.objects.filter(pk=condition.pk).delete()
        _record("condition_deleted", actor, survey, question=question_id)
