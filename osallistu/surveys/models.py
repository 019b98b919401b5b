"""Surveys: pages of questions with display conditions, and the responses to them.

A question's ``settings`` JSON holds what only its kind needs (length limits,
number bounds, "other" free text); ``validate_settings`` checks it per kind.
Choices, ranking items and matrix rows and columns are ``Option`` rows so that
their text is translated like every other content field.

An answer keeps its canonical value as JSON (what exports show), and in addition
the columns that results are computed from: ``text`` (searchable free text),
``number`` (numbers and scales) and one ``Selection`` row per chosen option (with
its rank or matrix row), so that results are a handful of GROUP BY queries however
many responses there are.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import AgeGroup, Area
from osallistu.core.images import ImageFileField

from . import engine


class Audience(models.TextChoices):
    ANYONE = "anyone", _("Anyone")
    SIGNED_IN = "signed_in", _("People who have logged in")
    STRONGLY_IDENTIFIED = "identified", _("Helsinki residents who have proved who they are")
    DISTRICTS = "districts", _("Residents of the chosen districts")


class SurveyQuerySet(models.QuerySet):
    def published(self):
        """Surveys residents may see at all; drafts are only for the staff building them."""
        return self.filter(published=True)

    def listed(self, now=None):
        """Surveys residents see in the list: published ones that are open, or closed
        with published results."""
        now = now or timezone.now()
        return self.published().filter(
            Q(opens_at__lte=now, closes_at__gt=now) | Q(results_published=True)
        )


class OpenPeriod(models.Model):
    """When a consultation takes answers or comments: from ``opens_at`` until, not
    including, ``closes_at``. Each model adds its own check that it closes after it opens."""

    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    class Meta:
        abstract = True

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at


class Survey(OpenPeriod):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("who may answer"), max_length=12, choices=Audience.choices, default=Audience.ANYONE
    )
    districts = models.ManyToManyField(
        Area,
        verbose_name=_("districts"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
        help_text=_("Only for the audience “residents of the chosen districts”."),
    )
    anonymous_responses_per_hour = models.PositiveSmallIntegerField(
        _("responses per hour from one network address"),
        default=30,
        help_text=_(
            "A limit against abuse when people answer without logging in. Libraries and "
            "schools share one address, so do not set it too low."
        ),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Residents see the survey only once it is published; it takes answers from "
            "its opening time until its closing time. A new survey is a draft."
        ),
    )
    results_published = models.BooleanField(_("results published to residents"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="survey_closes_after_opening",
                violation_error_message=_("A survey must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(anonymous_responses_per_hour__gt=0),
                name="survey_anonymous_limit_positive",
                violation_error_message=_("The limit of responses per hour must be at least 1."),
            ),
        ]

    def __str__(self):
        return self.title


class Page(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="pages"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="page_position_unique"),
        ]

    def __str__(self):
        return self.title or _("Page %(number)s") % {"number": self.position}


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    RANKING = "ranking", _("Ranking")
    SCALE = "scale", _("Scale")
    MATRIX = "matrix", _("Matrix (one answer per row)")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    MAP = "map", _("Place on a map")
    INFO = "info", _("Information text (no answer)")


# Kinds whose answers are chosen from the question's options.
CHOICE_KINDS = (
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.RANKING,
    QuestionKind.MATRIX,
)

# The keys each kind's settings may have, with their defaults.
SETTINGS_DEFAULTS = {
    QuestionKind.SHORT_TEXT: {"max_length": 200},
    QuestionKind.LONG_TEXT: {"max_length": 5000},
    QuestionKind.SINGLE_CHOICE: {"allow_other": False},
    QuestionKind.MULTIPLE_CHOICE: {"min_choices": 0, "max_choices": None, "allow_other": False},
    QuestionKind.RANKING: {"max_ranked": None},
    QuestionKind.SCALE: {"min": 1, "max": 5},
    QuestionKind.MATRIX: {},
    QuestionKind.NUMBER: {"min": None, "max": None, "integer": True},
    QuestionKind.DATE: {"min": None, "max": None},
    QuestionKind.MAP: {"geometry": "point", "bbox": None},
    QuestionKind.INFO: {},
}

SCALES = ((1, 5), (0, 10))


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_settings(kind, settings_value):
    """Raise ValidationError unless ``settings_value`` suits a question of ``kind``."""
    if not isinstance(settings_value, dict):
        raise ValidationError(_("Settings must be a JSON object."))
    allowed = SETTINGS_DEFAULTS[kind]
    unknown = sorted(set(settings_value) - set(allowed))
    if unknown:
        raise ValidationError(
            _("Unknown settings for this kind of question: %(keys)s"),
            params={"keys": ", ".join(unknown)},
        )
    merged = {**allowed, **settings_value}
    errors = []
    text_kinds = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
    if kind in text_kinds and (not _is_count(merged["max_length"]) or merged["max_length"] == 0):
        errors.append(_("The longest answer must be a whole number above 0."))
    if "allow_other" in merged and not isinstance(merged["allow_other"], bool):
        errors.append(_("“allow_other” must be true or false."))
    if kind == QuestionKind.MULTIPLE_CHOICE:
        low, high = merged["min_choices"], merged["max_choices"]
        if not _is_count(low) or (high is not None and (not _is_count(high) or high < max(low, 1))):
            errors.append(_("The fewest and most choices must be whole numbers, fewest first."))
    if kind == QuestionKind.RANKING:
        most = merged["max_ranked"]
        if most is not None and (not _is_count(most) or most == 0):
            errors.append(_("The most items to rank must be a whole number above 0."))
    if kind == QuestionKind.SCALE and (merged["min"], merged["max"]) not in SCALES:
        errors.append(_("A scale runs from 1 to 5 or from 0 to 10."))
    if kind == QuestionKind.NUMBER:
        low, high = merged["min"], merged["max"]
        if any(bound is not None and not _is_number(bound) for bound in (low, high)):
            errors.append(_("The bounds of a number must be numbers."))
        elif low is not None and high is not None and low > high:
            errors.append(_("The smallest number cannot be larger than the largest."))
        if not isinstance(merged["integer"], bool):
            errors.append(_("“integer” must be true or false."))
    if kind == QuestionKind.DATE:
        try:
            low, high = (
                None if bound is None else datetime.date.fromisoformat(bound)
                for bound in (merged["min"], merged["max"])
            )
        except (TypeError, ValueError):
            errors.append(_("Date bounds are written as YYYY-MM-DD."))
        else:
            if low and high and low > high:
                errors.append(_("The earliest date cannot be after the latest."))
    if kind == QuestionKind.MAP:
        if merged["geometry"] not in ("point", "area"):
            errors.append(_("A map answer is a “point” or an “area”."))
        bbox = merged["bbox"]
        if bbox is not None and not (
            isinstance(bbox, list)
            and len(bbox) == 4
            and all(_is_number(value) for value in bbox)
            and -180 <= bbox[0] < bbox[2] <= 180
            and -90 <= bbox[1] < bbox[3] <= 90
        ):
            errors.append(
                _("The map bounds are [west, south, east, north] in degrees, west before east.")
            )
    if errors:
        raise ValidationError(errors)


class Question(models.Model):
    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    settings = models.JSONField(_("settings"), default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["page__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="question_position_unique"),
            models.CheckConstraint(
                condition=~Q(kind="info") | Q(required=False),
                name="question_info_not_required",
                violation_error_message=_("An information text has no answer to require."),
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.kind in SETTINGS_DEFAULTS:
            try:
                validate_settings(self.kind, self.settings)
            except ValidationError as error:
                raise ValidationError({"settings": error.messages}) from error

    def settings_defaults(self):
        return SETTINGS_DEFAULTS[self.kind]


class Option(models.Model):
    """A choice, a ranking item, or a matrix column; or a matrix row."""

    class Role(models.TextChoices):
        CHOICE = "choice", _("Choice")
        ROW = "row", _("Matrix row")

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="options"
    )
    role = models.CharField(_("role"), max_length=6, choices=Role.choices, default=Role.CHOICE)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=300)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "role", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "role", "position"], name="option_position_unique"
            ),
        ]

    def __str__(self):
        return self.text


class Operator(models.TextChoices):
    ANSWERED = "answered", _("is answered")
    NOT_ANSWERED = "not_answered", _("is not answered")
    EQUALS = "equals", _("equals")
    NOT_EQUALS = "not_equals", _("does not equal")
    CONTAINS = "contains", _("contains")


class Condition(models.Model):
    """Show ``question`` only when an earlier answer meets this. All of a question's
    conditions must hold; a page is skipped when none of its questions is shown."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="conditions"
    )
    depends_on = models.ForeignKey(
        Question,
        verbose_name=_("earlier question"),
        on_delete=models.CASCADE,
        related_name="dependent_conditions",
    )
    operator = models.CharField(_("condition"), max_length=12, choices=Operator.choices)
    option = models.ForeignKey(
        Option,
        verbose_name=_("option"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For choice questions: the option the answer is compared with."),
    )
    value = models.CharField(
        _("value"),
        max_length=200,
        blank=True,
        help_text=_("For text and number questions: what the answer is compared with."),
    )

    class Meta:
        verbose_name = _("display condition")
        verbose_name_plural = _("display conditions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(question=F("depends_on")),
                name="condition_not_on_itself",
                violation_error_message=_("A question cannot depend on itself."),
            ),
        ]

    def __str__(self):
        return f"{self.depends_on} {self.get_operator_display()} {self.option or self.value}"

    def clean(self):
        super().clean()
        if not (self.question_id and self.depends_on_id):
            return
        earlier, later = self.depends_on.page, self.question.page
        if earlier.survey_id != later.survey_id or earlier.position >= later.position:
            # Only earlier pages, so that the server knows what to show before the
            # page is drawn, with or without JavaScript.
            raise ValidationError(
                {"depends_on": _("A condition can only look at a question on an earlier page.")}
            )
        if self.operator not in engine.operators_for_kind(self.depends_on.kind):
            raise ValidationError(
                {"operator": _("This condition does not suit that kind of question.")}
            )
        if self.option_id and self.option.question_id != self.depends_on_id:
            raise ValidationError({"option": _("The option must belong to the earlier question.")})
        compares = self.operator in (engine.EQUALS, engine.NOT_EQUALS, engine.CONTAINS)
        if compares and self.depends_on.kind in CHOICE_KINDS and not self.option_id:
            raise ValidationError({"option": _("Choose the option to compare with.")})
        if compares and self.depends_on.kind not in CHOICE_KINDS and not self.value.strip():
            raise ValidationError({"value": _("Write the value to compare with.")})


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Being answered")
    SUBMITTED = "submitted", _("Sent")


class Response(models.Model):
    """One person's answers to one survey, from the first page to sending them.

    ``district`` and ``age_group`` are copied when the response is sent, for the
    breakdown of results; the birth date itself is never copied.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    current_page = models.ForeignKey(
        Page,
        verbose_name=_("page being answered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the respondent is reviewing the answers before sending."),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "started_at"]
        indexes = [models.Index(fields=["survey", "status"], name="response_survey_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="response_one_per_person",
                violation_error_message=_("You have already answered this survey."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="response_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"

    @property
    def is_submitted(self):
        return self.status == ResponseStatus.SUBMITTED


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    value = models.JSONField(_("answer"))
    text = models.TextField(_("text"), blank=True)
    number = models.FloatField(pgettext_lazy("numeric answer", "number"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "response", "number"], name="answer_counting"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_one_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"


class Selection(models.Model):
    """One option chosen in an answer: with its rank (ranking) or row (matrix).

    ``response`` repeats the answer's response so that results join one table less,
    and the index on (question, option, row, rank, response) covers the count.
    """

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="selections"
    )
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+"
    )
    option = models.ForeignKey(
        Option, verbose_name=_("option"), on_delete=models.CASCADE, related_name="selections"
    )
    row = models.ForeignKey(
        Option,
        verbose_name=_("matrix row"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("chosen option")
        verbose_name_plural = _("chosen options")
        indexes = [
            models.Index(
                fields=["question", "option", "row", "rank", "response"],
                name="selection_counting",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "option"],
                condition=Q(row__isnull=True),
                name="selection_option_once",
            ),
            models.UniqueConstraint(
                fields=["answer", "row"],
                condition=Q(row__isnull=False),
                name="selection_one_per_matrix_row",
            ),
            models.UniqueConstraint(
                fields=["answer", "rank"],
                condition=Q(rank__isnull=False),
                name="selection_rank_once",
            ),
        ]

    def __str__(self):
        return str(self.option)


# Hearings (Kerrokantasi): a plan in sections that residents comment on.


class CommentingPolicy(models.TextChoices):
    NOBODY = "nobody", _("Nobody (comments closed)")
    SIGNED_IN = "signed_in", _("People who have logged in")
    ANYONE = "anyone", _("Anyone")
    STRONGLY_IDENTIFIED = "identified", _("Helsinki residents who have proved who they are")


class HearingQuerySet(models.QuerySet):
    def listed(self, now=None):
        return self.filter(opens_at__lte=now or timezone.now())


class Hearing(OpenPeriod):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    lead = models.TextField(_("lead paragraph"), blank=True)
    commenting = models.CharField(
        _("who may comment"),
        max_length=12,
        choices=CommentingPolicy.choices,
        default=CommentingPolicy.SIGNED_IN,
    )
    map_comments = models.BooleanField(
        _("comments may point to a place"),
        default=False,
        help_text=_("Commenters can give an address or coordinates with their comment."),
    )
    anonymous_comments_per_hour = models.PositiveSmallIntegerField(
        _("comments per hour from one network address"), default=20
    )
    districts = models.ManyToManyField(
        Area,
        verbose_name=_("districts"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.DISTRICT},
        help_text=_(
            "The districts the plan concerns: their moderators and city coaches moderate "
            "the hearing. Leave empty for a plan of the whole city, which city "
            "administrators moderate."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="hearing_closes_after_opening",
                violation_error_message=_("A hearing must close after it opens."),
            ),
            models.CheckConstraint(
                condition=Q(anonymous_comments_per_hour__gt=0),
                name="hearing_anonymous_limit_positive",
                violation_error_message=_("The limit of comments per hour must be at least 1."),
            ),
        ]

    def __str__(self):
        return self.title


class Section(models.Model):
    class Kind(models.TextChoices):
        MAIN = "main", _("Main section")
        PART = "part", _("Part")
        SCENARIO = "scenario", _("Alternative")
        CLOSURE = "closure", _("After the hearing")

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PART)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["hearing", "position"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "position"], name="section_position_unique"),
        ]

    def __str__(self):
        return self.title


class SectionImage(models.Model):
    """One of a section's images, with a description in every language for people who
    cannot see it and an optional caption."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="images"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    image = ImageFileField(_("image"), upload_to="hearings/images/")
    alt_text = models.CharField(
        _("image description"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="section_image_position_unique"
            ),
        ]

    def __str__(self):
        return self.alt_text

    def clean(self):
        super().clean()
        missing = [
            code for code, _name in settings.LANGUAGES if not getattr(self, f"alt_text_{code}", "")
        ]
        if missing:
            raise ValidationError(
                {
                    f"alt_text_{code}": _("Describe the image for people who cannot see it.")
                    for code in missing
                }
            )


class SectionAttachment(models.Model):
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    file = models.FileField(
        _("file"),
        upload_to="hearings/attachments/",
        validators=[FileExtensionValidator(["pdf", "odt", "docx", "xlsx", "ods"])],
    )
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], name="section_attachment_position_unique"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


class Poll(models.Model):
    """A question with choices inside a hearing section. One vote per person where
    people are identified (a database constraint); anonymous votes, where the poll
    allows them, once per browser and within the hearing's hourly limit."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("One or more choices")

    class ResultsShown(models.TextChoices):
        AFTER_VOTING = "after_voting", _("To each voter after voting, to everyone after closing")
        AFTER_CLOSING = "after_closing", _("To everyone after the hearing closes")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="polls"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.CharField(_("question"), max_length=300)
    voting = models.CharField(
        _("who may vote"),
        max_length=12,
        choices=CommentingPolicy.choices,
        default=CommentingPolicy.SIGNED_IN,
    )
    results_shown = models.CharField(
        _("results shown"),
        max_length=14,
        choices=ResultsShown.choices,
        default=ResultsShown.AFTER_VOTING,
    )

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="poll_position_unique"),
        ]

    def __str__(self):
        return self.text


class PollOption(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=200)

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "position"], name="poll_option_position_unique"
            ),
        ]

    def __str__(self):
        return self.text


class PollVote(models.Model):
    """One person's vote in a poll; what they chose is in ``choices``."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("poll vote")
        verbose_name_plural = _("poll votes")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "user"],
                condition=Q(user__isnull=False),
                name="poll_vote_once_per_person",
                violation_error_message=_("You have already voted in this poll."),
            ),
        ]

    def __str__(self):
        return f"{self.poll} #{self.pk}"


class PollChoice(models.Model):
    """An option chosen in a vote. ``poll`` repeats the vote's poll so that counting is
    one GROUP BY over this table."""

    vote = models.ForeignKey(
        PollVote, verbose_name=_("vote"), on_delete=models.CASCADE, related_name="choices"
    )
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="+"
    )
    option = models.ForeignKey(
        PollOption, verbose_name=_("option"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("chosen poll option")
        verbose_name_plural = _("chosen poll options")
        indexes = [models.Index(fields=["poll", "option"], name="poll_choice_counting")]
        constraints = [
            models.UniqueConstraint(fields=["vote", "option"], name="poll_choice_once"),
        ]

    def __str__(self):
        return str(self.option)


class CommentQuerySet(models.QuerySet):
    def with_support(self):
        return self.annotate(support_count=Count("supports", distinct=True))


class Comment(models.Model):
    """A resident's comment on a hearing or one of its sections, or a reply to one.
    Replies are one level deep. Staff answer officially with ``is_official`` replies."""

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="comments"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearing_comments",
    )
    nickname = models.CharField(_("name shown"), max_length=60, blank=True)
    text = models.TextField(_("comment"))
    geojson = models.JSONField(_("place"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    is_official = models.BooleanField(_("official answer of the city"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("reason for hiding"),
        max_length=300,
        blank=True,
        help_text=_("The author sees this reason."),
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
                violation_error_message=_("Say why the comment is hidden."),
            ),
            models.CheckConstraint(
                condition=Q(is_official=False) | Q(parent__isnull=False),
                name="comment_official_is_reply",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class CommentSupport(models.Model):
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporter"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("supported"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="support_once_per_person"),
        ]

    def __str__(self):
        return f"{self.user} → {self.comment}"


class CommentFlag(models.Model):
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="flags"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("flagged"), auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_once_per_person"),
        ]

    def __str__(self):
        return f"{self.user} ⚑ {self.comment}"
