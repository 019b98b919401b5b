"""Reads of surveys: what a respondent sees, and who may answer."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.identity.eligibility import check_eligibility

from . import engine, permissions
from .models import (
    Audience,
    Comment,
    CommentingPolicy,
    CommentSupport,
    Hearing,
    Page,
    Poll,
    PollChoice,
    PollVote,
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
    if not survey.published or now < survey.opens_at:
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


def surveys_for_staff(user):
    """The surveys whose results ``user`` may read (``permissions``), newest first,
    with their numbers of sent responses."""
    surveys = Survey.objects.annotate(
        sent=Count("responses", filter=Q(responses__status=ResponseStatus.SUBMITTED))
    ).order_by("-opens_at")
    return permissions.readable_surveys(user, surveys)


# Hearings


def listed_hearings(now=None):
    return Hearing.objects.listed(now).order_by("-opens_at")


def may_comment(hearing, user, now=None):
    """May ``user`` comment on ``hearing`` now, by the hearing's commenting policy?"""
    return _policy_admission(
        hearing.commenting,
        hearing,
        user,
        now or timezone.now(),
        _("Commenting on this hearing is closed."),
        _("Please log in to comment."),
    )


def _policy_admission(policy, hearing, user, now, closed_reason, sign_in_reason):
    if not hearing.is_open(now) or policy == CommentingPolicy.NOBODY:
        return Admission(False, "closed", closed_reason)
    if policy == CommentingPolicy.ANYONE:
        return Admission(True, "ok", "")
    if not user.is_authenticated:
        return Admission(False, "not_signed_in", sign_in_reason)
    if policy == CommentingPolicy.STRONGLY_IDENTIFIED:
        eligibility = check_eligibility(user, on_date=timezone.localdate(now))
        return Admission(eligibility.allowed, eligibility.code, eligibility.reason)
    return Admission(True, "ok", "")


def may_vote(poll, hearing, user, now=None):
    """May ``user`` vote in ``poll`` now, by the poll's own policy? Whether they
    already have is the service's question."""
    return _policy_admission(
        poll.voting,
        hearing,
        user,
        now or timezone.now(),
        _("Voting in this poll is closed."),
        _("Please log in to vote."),
    )


def hearing_sections(hearing, user, voted_here=(), now=None, all_results=False):
    """The sections of ``hearing`` with their images, attachments and polls. Each poll
    has ``option_list``, ``voters``, ``voted`` (by ``user``, or in this browser when
    its id is in ``voted_here``), ``admission`` and, when they may be shown (to staff,
    ``all_results``, always), ``bars``: label, count and percent of voters per option,
    as the results charts take them. Eight queries however many polls there are."""
    now = now or timezone.now()
    sections = list(
        hearing.sections.prefetch_related(
            "images",
            "attachments",
            Prefetch("polls", queryset=Poll.objects.prefetch_related("options")),
        )
    )
    polls = [poll for section in sections for poll in section.polls.all()]
    if not polls:
        return sections
    counts = dict(
        PollChoice.objects.filter(poll__in=polls)
        .values_list("option")
        .annotate(count=Count("id"))
        .order_by()
    )
    voters = dict(
        PollVote.objects.filter(poll__in=polls)
        .values_list("poll")
        .annotate(count=Count("id"))
        .order_by()
    )
    mine = set(voted_here)
    if user.is_authenticated:
        mine |= set(
            PollVote.objects.filter(poll__in=polls, user=user).values_list("poll_id", flat=True)
        )
    closed = hearing.has_closed(now)
    for poll in polls:
        poll.option_list = list(poll.options.all())
        poll.voters = voters.get(poll.pk, 0)
        poll.voted = poll.pk in mine
        poll.admission = may_vote(poll, hearing, user, now)
        shown = (
            all_results
            or closed
            or (poll.voted and poll.results_shown == Poll.ResultsShown.AFTER_VOTING)
        )
        poll.bars = []
        for option in poll.option_list if shown else ():
            count = counts.get(option.pk, 0)
            percent = round(100 * count / poll.voters, 1) if poll.voters else 0.0
            poll.bars.append({"label": option.text, "count": count, "percent": percent})
    return sections


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


def hearings_for_staff(user):
    """The hearings ``user`` may moderate (``permissions``), newest first, with their
    numbers of comments and reported comments."""
    hearings = Hearing.objects.annotate(
        comment_count=Count("comments", distinct=True),
        reported=Count("comments", filter=Q(comments__flags__isnull=False), distinct=True),
    ).order_by("-opens_at")
    return permissions.moderated_hearings(user, hearings)


def respondents_by_group(*, since=None, until=None, district=None):
    """Sent responses of every survey for monitoring: ``[{year, district, age_group,
    channel, people}]`` by year of sending and the district and age group kept with the
    response; all are online. One query; no names, no answers."""
    rows = Response.objects.filter(status=ResponseStatus.SUBMITTED)
    if since is not None:
        rows = rows.filter(submitted_at__gte=since)
    if until is not None:
        rows = rows.filter(submitted_at__lt=until)
    if district is not None:
        rows = rows.filter(district=district)
    return list(
        rows.annotate(year=ExtractYear("submitted_at"), channel=Value("online"))
        .values("year", "district", "age_group", "channel")
        .annotate(people=Count("id"))
        .order_by()
    )
