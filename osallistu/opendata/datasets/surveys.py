"""Surveys with their published results, and hearings with their sections, pictures,
attachments, closed polls' results and residents' comments. Single answers, free
texts and map answers of surveys are never published: only the counts the public
results page shows."""

import django_filters
from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from osallistu.surveys import engine, results, selectors
from osallistu.surveys.models import (
    Comment,
    Poll,
    PollChoice,
    PollVote,
    Section,
    SectionAttachment,
    SectionImage,
    Survey,
)

from ..filters import MomentFilter, WholeNumberFilter
from ..resources import Link, Resource, not_published, register

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def texts(obj, name):
    return {code: getattr(obj, f"{name}_{code}") or None for code in LANGUAGES}


def filter_open_at(queryset, name, value):
    return queryset.filter(opens_at__lte=value, closes_at__gt=value)


def public_hearings():
    return selectors.listed_hearings()


register(
    Resource(
        name="surveys/surveys",
        type="Survey",
        title=_("Surveys"),
        description=_(
            "Published surveys with their opening times and audiences. Drafts are left out."
        ),
        queryset=lambda: Survey.objects.published(),
        fields=("slug", "opens_at", "closes_at", "audience", "results_published", "created_at"),
        translated=("title", "description"),
        links={"districts": Link("areas", many=True)},
        lookup="slug",
        ordering=("-opens_at", "pk"),
        timestamps=("created_at",),
        filters={
            "open_at": MomentFilter(
                method=filter_open_at, label=_("Only surveys open at this time.")
            ),
            "results_published": django_filters.BooleanFilter(
                label=_("Only surveys whose results are (true) or are not (false) published.")
            ),
        },
    )
)


QUESTION_RESULTS_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "question": {"type": "integer"},
            "kind": {"type": "string"},
            "text": {
                "type": "object",
                "additionalProperties": {"type": "string", "nullable": True},
            },
            "answered": {"type": "integer"},
            "options": {"type": "array", "items": {"type": "object"}},
            "rows": {"type": "array", "items": {"type": "object"}},
            "other": {"type": "integer"},
            "average": {"type": "number", "nullable": True},
            "minimum": {"type": "number", "nullable": True},
            "maximum": {"type": "number", "nullable": True},
            "places_marked": {"type": "integer"},
        },
    },
}


def _option_rows(question, bars):
    # Bars of choice questions come in the order of the question's choices.
    return [
        {"label": texts(option, "text"), "count": bar.count, "percent": bar.percent}
        for option, bar in zip(question.choices, bars, strict=True)
    ]


@extend_schema_field(QUESTION_RESULTS_SCHEMA)
class QuestionResultsField(serializers.Field):
    """The counts of each question as the public results page shows them."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, survey):
        rows = []
        for result in results.survey_results(survey).questions:
            question = result.question
            row = {
                "question": question.pk,
                "kind": result.kind,
                "text": texts(question, "text"),
                "answered": result.answered,
            }
            if result.kind in (engine.SINGLE_CHOICE, engine.MULTIPLE_CHOICE):
                row["options"] = _option_rows(question, result.bars)
                row["other"] = result.other_count
            elif result.bars:
                row["options"] = [
                    {"label": bar.label, "count": bar.count, "percent": bar.percent}
                    for bar in result.bars
                ]
            if result.rows:
                row["rows"] = [
                    {
                        "label": texts(matrix_row, "text"),
                        "options": _option_rows(question, line.bars),
                    }
                    for matrix_row, line in zip(question.rows, result.rows, strict=True)
                ]
            if result.ranking:
                by_text = {option.text: option for option in question.choices}
                row["options"] = [
                    {
                        "label": texts(by_text[item.label], "text"),
                        "average_rank": item.average_rank,
                        "ranked_by": item.ranked_by,
                        "first_places": item.first_places,
                    }
                    for item in result.ranking
                ]
            if result.average is not None:
                row.update(average=result.average, minimum=result.minimum, maximum=result.maximum)
            if result.kind == engine.MAP:
                row["places_marked"] = result.marked
            rows.append(row)
        return rows


@extend_schema_field({"type": "integer"})
class RespondentsField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, survey):
        return selectors.submitted_responses(survey).count()


register(
    Resource(
        name="surveys/results",
        type="SurveyResult",
        title=_("Survey results"),
        description=_(
            "Results of the surveys whose results are published: the people who answered "
            "and, per question, the counts and shares of each option, averages of scales and "
            "numbers and how many marked a place. Single answers and free texts are not "
            "published. Each survey takes a few queries: ask for small pages."
        ),
        queryset=lambda: Survey.objects.published().filter(results_published=True),
        fields=("slug",),
        translated=("title",),
        computed={
            "respondents": lambda: RespondentsField(help_text=_("People who sent an answer.")),
            "questions": lambda: QuestionResultsField(help_text=_("Results per question.")),
        },
        lookup="slug",
        ordering=("-opens_at", "pk"),
    )
)

register(
    Resource(
        name="surveys/hearings",
        type="Hearing",
        title=_("Hearings"),
        description=_("Hearings on the city's plans, from their opening."),
        queryset=public_hearings,
        fields=("slug", "opens_at", "closes_at", "commenting", "map_comments", "created_at"),
        translated=("title", "lead"),
        links={"districts": Link("areas", many=True)},
        lookup="slug",
        ordering=("-opens_at", "pk"),
        timestamps=("created_at",),
        filters={
            "open_at": MomentFilter(
                method=filter_open_at, label=_("Only hearings open at this time.")
            ),
        },
    )
)

register(
    Resource(
        name="surveys/sections",
        type="HearingSection",
        title=_("Sections of hearings"),
        description=_("The parts of each hearing's plan, in order."),
        queryset=lambda: Section.objects.filter(hearing__in=public_hearings()),
        fields=("position", "kind"),
        translated=("title", "content"),
        links={"hearing": Link("surveys/hearings")},
        ordering=("hearing", "position"),
        filters={
            "hearing": django_filters.CharFilter(
                field_name="hearing__slug", label=_("Identifier of the hearing")
            )
        },
    )
)

register(
    Resource(
        name="surveys/section-images",
        type="ImageObject",
        title=_("Pictures of hearings"),
        description=_("Pictures of the sections of hearings with their descriptions."),
        queryset=lambda: SectionImage.objects.filter(section__hearing__in=public_hearings()),
        fields=("image", "position"),
        translated=("alt_text", "caption"),
        links={"section": Link("surveys/sections")},
        ordering=("section", "position"),
        filters={"section": WholeNumberFilter(field_name="section", label=_("Id of the section"))},
    )
)

register(
    Resource(
        name="surveys/section-attachments",
        type="DigitalDocument",
        title=_("Attachments of hearings"),
        description=_("Documents attached to the sections of hearings."),
        queryset=lambda: SectionAttachment.objects.filter(section__hearing__in=public_hearings()),
        fields=("file", "position"),
        translated=("title",),
        links={"section": Link("surveys/sections")},
        ordering=("section", "position"),
        filters={"section": WholeNumberFilter(field_name="section", label=_("Id of the section"))},
    )
)


POLL_RESULTS_SCHEMA = {
    "type": "array",
    "nullable": True,
    "items": {
        "type": "object",
        "properties": {
            "label": {
                "type": "object",
                "additionalProperties": {"type": "string", "nullable": True},
            },
            "count": {"type": "integer"},
        },
    },
}


@extend_schema_field(POLL_RESULTS_SCHEMA)
class PollResultsField(serializers.Field):
    """Votes per option once the hearing has closed (the site shows them to anyone then);
    ``null`` before."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, poll):
        if not poll.section.hearing.has_closed():
            return None
        counts = dict(
            PollChoice.objects.filter(poll=poll)
            .values_list("option")
            .annotate(count=Count("id"))
            .order_by()
        )
        return [
            {"label": texts(option, "text"), "count": counts.get(option.pk, 0)}
            for option in poll.options.order_by("position")
        ]


@extend_schema_field({"type": "integer", "nullable": True})
class PollVotersField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, poll):
        if not poll.section.hearing.has_closed():
            return None
        return PollVote.objects.filter(poll=poll).count()


register(
    Resource(
        name="surveys/polls",
        type="Question",
        title=_("Polls of hearings"),
        description=_(
            "Polls in the sections of hearings, with their votes per option once the "
            "hearing has closed."
        ),
        queryset=lambda: (
            Poll.objects.filter(section__hearing__in=public_hearings())
            .select_related("section__hearing")
            .prefetch_related("options")
        ),
        fields=("kind", "position", "voting", "results_shown"),
        translated=("text",),
        computed={
            "voters": lambda: PollVotersField(help_text=_("People who voted; null while open.")),
            "results": lambda: PollResultsField(
                help_text=_("Votes per option; null while the hearing is open.")
            ),
        },
        links={"section": Link("surveys/sections")},
        ordering=("section", "position"),
        filters={"section": WholeNumberFilter(field_name="section", label=_("Id of the section"))},
    )
)


def visible_comments():
    """Comments anyone sees on the hearing pages, less those a moderator hid and replies
    to them; who wrote a comment is never published."""
    return (
        Comment.objects.filter(hearing__in=public_hearings(), hidden_at__isnull=True)
        .filter(Q(parent__isnull=True) | Q(parent__hidden_at__isnull=True))
        .with_support()
    )


register(
    Resource(
        name="surveys/comments",
        type="Comment",
        title=_("Comments on hearings"),
        description=_(
            "Residents' comments on hearings and the city's official answers, with their "
            "places and support. Hidden comments are left out; who wrote a comment is "
            "never published."
        ),
        queryset=visible_comments,
        fields=("text", "geojson", "address", "is_official", "created_at"),
        computed={
            "support_count": lambda: serializers.IntegerField(
                read_only=True, help_text=_("People who support the comment.")
            )
        },
        links={
            "hearing": Link("surveys/hearings"),
            "section": Link("surveys/sections"),
            "parent": Link("surveys/comments"),
        },
        ordering=("created_at", "pk"),
        timestamps=("created_at",),
        filters={
            "hearing": django_filters.CharFilter(
                field_name="hearing__slug", label=_("Identifier of the hearing")
            ),
            "is_official": django_filters.BooleanFilter(label=_("Only official answers (true).")),
        },
    )
)

not_published("surveys.Page", "the survey's form: its questions are in surveys/results")
not_published("surveys.Question", "published with the results (surveys/results)")
not_published("surveys.Option", "published with the results (surveys/results)")
not_published("surveys.Condition", "how the survey's form branches; not a fact of the city")
not_published("surveys.Response", "a person's answers: only counts are published")
not_published("surveys.Answer", "a person's answers: only counts are published")
not_published("surveys.Selection", "a person's answers: only counts are published")
not_published("surveys.PollOption", "published with each poll (surveys/polls)")
not_published("surveys.PollVote", "who voted: published only as counts (surveys/polls)")
not_published("surveys.PollChoice", "a person's vote: published only as counts (surveys/polls)")
not_published("surveys.CommentSupport", "who supports: published only as counts")
not_published("surveys.CommentFlag", "residents' reports to moderators")
