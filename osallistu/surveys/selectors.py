"""Reads of surveys: what a respondent sees, and who may answer."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.identity.eligibility import check_eligibility

from . import engine
from .models import (
    Audience,
    Comment,
    CommentingPolicy,
    CommentSupport,
    Hearing,
    Page,
    Question,
    Response,
    ResponseStatus,
    Survey,
)


@dataclass(frozen=True)
class Structure:
    """A survey's pages and questions, loaded once: ``specs`` for the engine in survey
    order, ``questions`` (with their options) for drawing and reporting."""

    pages: list  # Page objects in order
    questions: dict  # id → Question, with .choices and .rows lists of Option
    specs: list  # QuestionSpec in survey order

    @property
    def page_ids(self):
        return [page.id for page in self.pages]

    def page(self, page_id):
        return next(page for page in self.pages if page.id == page_id)

    def specs_on(self, page_id):
        return [spec for spec in self.specs if spec.page == page_id]


def survey_structure(survey):
    """Pages, questions, options and conditions in four queries."""
    pages = list(Page.objects.filter(survey=survey).order_by("position"))
    questions = list(
        Question.objects.filter(page__survey=survey)
        .order_by("page__position", "position")
        .prefetch_related("options", "conditions")
    )
    specs = []
    for question in questions:
        options = list(question.options.all())
        question.choices = [option for option in options if option.role == "choice"]
        question.rows = [option for option in options if option.role == "row"]
        specs.append(
            engine.QuestionSpec(
                id=question.id,
                kind=question.kind,
                page=question.page_id,
                required=question.required,
                settings={**question.settings_defaults(), **question.settings},
                choices=tuple(option.id for option in question.choices),
                rows=tuple(option.id for option in question.rows),
                conditions=tuple(
                    engine.ConditionSpec(
                        depends_on=condition.depends_on_id,
                        operator=condition.operator,
                        option=condition.option_id,
                        value=condition.value,
                    )
                    for condition in question.conditions.all()
                ),
            )
        )
    return Structure(
        pages=pages, questions={question.id: question for question in questions}, specs=specs
    )


def answer_values(response):
    """{question id: stored value} of one response."""
    return dict(response.answers.values_list("question_id", "value"))


def listed_surveys(now=None):
    return Survey.objects.listed(now).order_by("closes_at")


def response_of(survey, user):
    """The signed-in person's response to ``survey``, sent or not, or None."""
    if not user.is_authenticated:
        return None
    return Response.objects.filter(survey=survey, user=user).first()


def submitted_responses(survey):
    return Response.objects.filter(survey=survey, status=ResponseStatus.SUBMITTED)


@dataclass(frozen=True)
class Admission:
    allowed: bool
    code: str  # "ok", "not_open", "closed", "not_signed_in", "not_in_district", or an
    # Eligibility code from identity
    reason: str  # lazy translation

    def __bool__(self):
        return self.allowed


def admission(survey, user, now=None):
    """May ``user`` answer ``survey`` now? Whether they already have is the service's
    question, not this one's."""
    now = now or timezone.now()
    if now < survey.opens_at:
        return Admission(False, "not_open", _("This survey is not open yet."))
    if survey.has_closed(now):
        return Admission(False, "closed", _("This survey has closed. Thank you for your interest."))
    if survey.audience == Audience.ANYONE:
        return Admission(True, "ok", "")
    if not user.is_authenticated:
        return Admission(False, "not_signed_in", _("Please log in to answer this survey."))
    if survey.audience == Audience.STRONGLY_IDENTIFIED:
        eligibility = check_eligibility(user, on_date=timezone.localdate(now))
        return Admission(eligibility.allowed, eligibility.code, eligibility.reason)
    if (
        survey.audience == Audience.DISTRICTS
        and not survey.districts.filter(pk=user.district_id).exists()
    ):
        names = ", ".join(str(area) for area in survey.districts.all())
        return Admission(
            False,
            "not_in_district",
            _(
                "This survey is for residents of these districts: %(districts)s. Your "
                "home district can be set on the page My details."
            )
            % {"districts": names},
        )
    return Admission(True, "ok", "")


def surveys_for_staff():
    """Every survey, newest first, with its number of sent responses."""
    return Survey.objects.annotate(
        sent=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED))
    ).order_by("-opens_at")


# Hearings


def listed_hearings(now=None):
    return Hearing.objects.listed(now).order_by("-opens_at")


def may_comment(hearing, user, now=None):
    """May ``user`` comment on ``hearing`` now, by the hearing's commenting policy?"""
    now = now or timezone.now()
    if not hearing.is_open(now) or hearing.commenting == CommentingPolicy.NOBODY:
        return Admission(False, "closed", _("Commenting on this hearing is closed."))
    if hearing.commenting == CommentingPolicy.ANYONE:
        return Admission(True, "ok", "")
    if not user.is_authenticated:
        return Admission(False, "not_signed_in", _("Please log in to comment."))
    if hearing.commenting == CommentingPolicy.STRONGLY_IDENTIFIED:
        eligibility = check_eligibility(user, on_date=timezone.localdate(now))
        return Admission(eligibility.allowed, eligibility.code, eligibility.reason)
    return Admission(True, "ok", "")


def hearing_comments(hearing):
    """Top-level comments, oldest first, each with ``.support_count`` and its replies
    (official answers first) in ``.reply_list``: three queries."""
    comments = list(
        Comment.objects.filter(hearing=hearing)
        .with_support()
        .select_related("author", "section")
        .order_by("created_at")
    )
    by_parent = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    top = by_parent.get(None, [])
    for comment in top:
        replies = by_parent.get(comment.id, [])
        comment.reply_list = sorted(replies, key=lambda reply: not reply.is_official)
    return top


def supported_by(hearing, user):
    """Ids of the comments of ``hearing`` that ``user`` supports."""
    if not user.is_authenticated:
        return set()
    return set(
        CommentSupport.objects.filter(comment__hearing=hearing, user=user).values_list(
            "comment_id", flat=True
        )
    )


def comments_for_moderation(hearing):
    """Every comment of ``hearing``, the most flagged first."""
    return (
        Comment.objects.filter(hearing=hearing)
        .with_support()
        .annotate(flag_count=Count("flags", distinct=True))
        .select_related("author", "parent", "section")
        .order_by("-flag_count", "-created_at")
    )


def hearings_for_staff():
    """Every hearing, newest first, with its numbers of comments and reported comments."""
    return Hearing.objects.annotate(
        comment_count=Count("comments", distinct=True),
        reported=Count("comments", filter=Q(comments__flags__isnull=False), distinct=True),
    ).order_by("-opens_at")
