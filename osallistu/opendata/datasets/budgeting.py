"""Participatory budgeting: rounds, their money, plans, proposals, progress, results and
turnout. Ballots themselves are published only as the anonymised pabulib files of
published results (the bulk download)."""

import django_filters
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from osallistu.budgeting import selectors
from osallistu.budgeting.models import (
    CountingRule,
    PlanImage,
    PlanStatus,
    PlanUpdate,
    ProposalImage,
    ProposalStatus,
    RoundBudget,
    Tally,
    Theme,
)

from ..filters import MomentFilter, WholeNumberFilter
from ..resources import Link, Resource, not_published, register
from ..suppression import suppressed


def round_filter():
    return django_filters.CharFilter(field_name="round__slug", label=_("Identifier of the round"))


def area_filter():
    return django_filters.CharFilter(
        field_name="area__slug", label=_("Identifier of the area (district or the city)")
    )


register(
    Resource(
        name="budgeting/rounds",
        type="BudgetingRound",
        title=_("Budgeting rounds"),
        description=_(
            "Rounds of participatory budgeting with the dates of their phases and their "
            "voting rules."
        ),
        queryset=selectors.public_rounds,
        fields=(
            "slug",
            "proposals_start",
            "proposals_end",
            "co_creation_start",
            "co_creation_end",
            "cost_estimates_start",
            "cost_estimates_end",
            "voting_starts_at",
            "voting_ends_at",
            "results_on",
            "implementation_start",
            "implementation_end",
            "minimum_voting_age",
            "age_rule",
            "counting_rule",
            "ballot_changeable",
            "min_plans_per_area",
            "max_plans_per_area",
        ),
        translated=("name", "description"),
        lookup="slug",
        ordering=("-voting_starts_at", "pk"),
        filters={
            "voting_from": MomentFilter(
                field_name="voting_ends_at",
                lookup_expr="gte",
                label=_("Only rounds whose voting ends at or after this time."),
            ),
            "voting_until": MomentFilter(
                field_name="voting_starts_at",
                lookup_expr="lte",
                label=_("Only rounds whose voting starts at or before this time."),
            ),
            "counting_rule": django_filters.ChoiceFilter(
                choices=CountingRule.choices, label=_("Counting rule")
            ),
        },
        timestamps=("ballots_mixed_at",),
    )
)

register(
    Resource(
        name="budgeting/budgets",
        type="MonetaryAmount",
        title=_("Budgets of rounds"),
        description=_("The money of each area in each round, in whole euros."),
        queryset=lambda: RoundBudget.objects.filter(round__in=selectors.public_rounds()),
        fields=("amount",),
        links={"round": Link("budgeting/rounds"), "area": Link("areas")},
        ordering=("round", "area__number"),
        filters={"round": round_filter(), "area": area_filter()},
    )
)

register(
    Resource(
        name="budgeting/plans",
        type="BudgetingPlan",
        title=_("Plans"),
        description=_(
            "Plans made with the city's experts from residents' proposals: those on the "
            "ballot and those voted on, never drafts. The cost is a band; its upper end is "
            "what a funded plan reserves."
        ),
        queryset=selectors.public_plans,
        fields=("code", "theme", "cost_low", "cost_high", "status"),
        translated=("title", "description", "feasibility"),
        links={
            "round": Link("budgeting/rounds"),
            "area": Link("areas"),
            "neighbourhood": Link("neighbourhoods"),
        },
        ordering=("round", "code"),
        filters={
            "round": round_filter(),
            "area": area_filter(),
            "theme": django_filters.ChoiceFilter(choices=Theme.choices, label=_("Theme")),
            "status": django_filters.ChoiceFilter(
                choices=[(value, label) for value, label in PlanStatus.choices if value != "draft"],
                label=_("Status"),
            ),
        },
    )
)

register(
    Resource(
        name="budgeting/plan-updates",
        type="BudgetingPlanUpdate",
        title=_("Progress of funded plans"),
        description=_("Notes on how funded plans are being carried out."),
        queryset=lambda: PlanUpdate.objects.filter(plan__in=selectors.public_plans()),
        fields=("status", "happened_on", "recorded_at"),
        translated=("note",),
        links={"plan": Link("budgeting/plans")},
        ordering=("-happened_on", "-recorded_at", "pk"),
        timestamps=("recorded_at",),
        filters={
            "plan": WholeNumberFilter(field_name="plan", label=_("Id of the plan")),
            "round": django_filters.CharFilter(
                field_name="plan__round__slug", label=_("Identifier of the round")
            ),
        },
    )
)

register(
    Resource(
        name="budgeting/plan-images",
        type="ImageObject",
        title=_("Pictures of plans"),
        description=_(
            "Pictures of the plans on the ballot and voted on, each with a smaller copy for "
            "lists and a description in every language for people who cannot see it."
        ),
        queryset=lambda: PlanImage.objects.filter(plan__in=selectors.public_plans()),
        fields=("position", "image", "thumbnail", "thumbnail_width", "thumbnail_height"),
        translated=("alt_text",),
        links={"plan": Link("budgeting/plans")},
        ordering=("plan", "position", "pk"),
        filters={
            "plan": WholeNumberFilter(field_name="plan", label=_("Id of the plan")),
            "round": django_filters.CharFilter(
                field_name="plan__round__slug", label=_("Identifier of the round")
            ),
        },
    )
)

register(
    Resource(
        name="budgeting/proposals",
        type="BudgetingProposal",
        title=_("Proposals"),
        description=_(
            "Residents' proposals in their own words and language, with the city's "
            "decision and its reason. Proposals a moderator hid are left out; who made a "
            "proposal is never published."
        ),
        queryset=selectors.public_proposals,
        fields=(
            "title",
            "description",
            "language",
            "theme",
            "status",
            "decision_reason",
            "place_text",
            "latitude",
            "longitude",
            "submitted_at",
            "edited_at",
            "decided_at",
        ),
        links={
            "round": Link("budgeting/rounds"),
            "area": Link("areas"),
            "plan": Link("budgeting/plans"),
        },
        ordering=("-submitted_at", "pk"),
        timestamps=("submitted_at", "edited_at", "decided_at"),
        point=("latitude", "longitude"),
        filters={
            "round": round_filter(),
            "area": area_filter(),
            "theme": django_filters.ChoiceFilter(choices=Theme.choices, label=_("Theme")),
            "status": django_filters.ChoiceFilter(
                choices=ProposalStatus.choices, label=_("Status")
            ),
            "submitted_from": MomentFilter(
                field_name="submitted_at",
                lookup_expr="gte",
                label=_("Only proposals submitted at or after this time."),
            ),
            "submitted_until": MomentFilter(
                field_name="submitted_at",
                lookup_expr="lt",
                label=_("Only proposals submitted before this time."),
            ),
        },
    )
)

register(
    Resource(
        name="budgeting/proposal-images",
        type="ImageObject",
        title=_("Pictures of proposals"),
        description=_("Pictures residents attached to their proposals, without location data."),
        queryset=lambda: ProposalImage.objects.filter(proposal__in=selectors.public_proposals()),
        fields=("image", "description", "added_at"),
        links={"proposal": Link("budgeting/proposals")},
        ordering=("proposal", "added_at", "pk"),
        timestamps=("added_at",),
        filters={
            "proposal": WholeNumberFilter(field_name="proposal", label=_("Id of the proposal"))
        },
    )
)

register(
    Resource(
        name="budgeting/proposal-comments",
        type="Comment",
        title=_("Comments on proposals"),
        description=_(
            "Residents' comments on proposals. Comments a moderator hid are left out; who "
            "wrote a comment is never published."
        ),
        queryset=selectors.public_proposal_comments,
        fields=("text", "written_at"),
        links={"proposal": Link("budgeting/proposals")},
        ordering=("written_at", "pk"),
        timestamps=("written_at",),
        filters={
            "proposal": WholeNumberFilter(field_name="proposal", label=_("Id of the proposal"))
        },
    )
)


PLAN_RESULT_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "votes": {"type": "number"},
            "funded": {"type": "boolean"},
            "explanation": {"type": "string"},
        },
    },
}


@extend_schema_field(PLAN_RESULT_SCHEMA)
class PlanResultsField(serializers.Field):
    """Each plan's votes, whether it was funded and the code of the reason."""

    def __init__(self, **kwargs):
        super().__init__(source="result", read_only=True, **kwargs)

    def to_representation(self, result):
        return [
            {
                "code": explanation["project_id"],
                "votes": explanation["votes"],
                "funded": explanation["funded"],
                "explanation": explanation["code"],
            }
            for explanation in result.get("explanations", [])
        ]


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class SelectedField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="result", read_only=True, **kwargs)

    def to_representation(self, result):
        return list(result.get("selected", []))


@extend_schema_field({"type": "string", "format": "uri"})
class PabulibField(serializers.Field):
    """The anonymised ballots of the area as a pabulib file."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, tally):
        with override("fi"):
            path = reverse(
                "budgeting:ballots_download",
                kwargs={"slug": tally.round.slug, "area": tally.area.slug},
            )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


register(
    Resource(
        name="budgeting/results",
        type="BudgetingResult",
        title=_("Results"),
        description=_(
            "Published results of each area of a round: the ballots counted, the plans "
            "funded in order and every plan's votes with the reason it was or was not "
            "funded. Previews that are not published are left out."
        ),
        queryset=lambda: Tally.objects.published().select_related("round", "area"),
        fields=("rule", "budget", "ballots_counted", "published_at"),
        computed={
            "selected": lambda: SelectedField(help_text=_("Codes of the funded plans, in order.")),
            "plans": lambda: PlanResultsField(
                help_text=_("Every plan's votes, whether it was funded, and the reason's code.")
            ),
            "pabulib": lambda: PabulibField(
                help_text=_("The anonymised ballots of the area as a pabulib file.")
            ),
        },
        links={"round": Link("budgeting/rounds"), "area": Link("areas")},
        ordering=("round", "area__number"),
        timestamps=("published_at",),
        filters={"round": round_filter(), "area": area_filter()},
    )
)


TURNOUT_ROWS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "group": {"type": "string"},
            "voters": {"type": "integer", "nullable": True},
        },
    },
}


@extend_schema_field(TURNOUT_ROWS)
class TurnoutField(serializers.Field):
    """Voters of a round by channel, home district or age group, as the round's results
    page shows them; breakdowns by district and age leave out counts under 5."""

    def __init__(self, breakdown, **kwargs):
        self.breakdown = breakdown
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, round):
        if self.breakdown == "channel":
            return [
                {"group": str(label), "voters": voters}
                for label, voters in selectors.turnout(round)["by_channel"]
            ]
        # The results page shows the breakdowns once a result of the round is published.
        if not round.tallies.published().exists():
            return []
        if self.breakdown == "district":
            return [
                {"group": district.slug, "voters": suppressed(voters)}
                for district, voters, _population in selectors.turnout_by_home_district(round)
            ]
        return [
            {"group": str(group.value), "voters": suppressed(voters)}
            for group, voters in selectors.turnout_by_age(round)
        ]


@extend_schema_field({"type": "integer"})
class TotalVotersField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, round):
        return selectors.turnout(round)["total"]


register(
    Resource(
        name="budgeting/turnout",
        type="BudgetingTurnout",
        title=_("Turnout"),
        description=_(
            "How many people voted in each round whose voting has ended: in total, by "
            "channel, and, once results are published, by home district and age group on "
            "the last day of voting. A group of fewer than 5 voters is null."
        ),
        queryset=lambda: selectors.public_rounds().filter(voting_ends_at__lte=timezone.now()),
        fields=("slug", "voting_starts_at", "voting_ends_at"),
        computed={
            "voters": lambda: TotalVotersField(help_text=_("People who voted.")),
            "by_channel": lambda: TurnoutField("channel", help_text=_("Voters by channel.")),
            "by_district": lambda: TurnoutField(
                "district", help_text=_("Voters by home district; null under 5.")
            ),
            "by_age": lambda: TurnoutField(
                "age", help_text=_("Voters by age group; null under 5.")
            ),
        },
        lookup="slug",
        ordering=("-voting_starts_at", "pk"),
    )
)

not_published(
    "budgeting.Participation",
    "who voted: personal data; published only as turnout counts (budgeting/turnout)",
)
not_published("budgeting.Ballot", "the ballot box: published as pabulib files of published results")
not_published(
    "budgeting.BallotChoice", "the ballot box: published as pabulib files of published results"
)
not_published("budgeting.PaperBatch", "staff's record of envelopes of paper ballots")
not_published("budgeting.Shortlist", "a voter's own shortlist of plans")
