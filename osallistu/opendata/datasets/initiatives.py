"""Residents' initiatives once their authors publish them: supports, thresholds, the
city's handling and answers. Authors, supporters and preparers are not published."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from osallistu.accounts.models import Division
from osallistu.initiatives import selectors
from osallistu.initiatives.models import (
    PUBLIC_STATES,
    Attachment,
    Category,
    State,
    Transition,
)

from ..filters import MomentFilter, WholeNumberFilter
from ..resources import Link, Resource, not_published, register


def public_initiatives():
    return selectors.public_initiatives()


register(
    Resource(
        name="initiatives/initiatives",
        type="Initiative",
        title=_("Initiatives"),
        description=_(
            "Residents' initiatives that their authors have published or sent to the city, "
            "with their supports, the days the thresholds were reached, and the city's "
            "handling and answer. Drafts, authors and supporters are not published."
        ),
        queryset=public_initiatives,
        fields=(
            "category",
            "title",
            "proposal",
            "rationale",
            "language",
            "place_text",
            "latitude",
            "longitude",
            "state",
            "published_at",
            "sent_at",
            "diary_number",
            "registered_at",
            "decision_maker",
            "decision_date",
            "answer",
            "answer_language",
            "decision_url",
            "end_reason",
            "closed_at",
            "deadline",
            "council_threshold_reached_on",
            "referendum_threshold_reached_on",
            "edited_at",
        ),
        computed={
            "supports_online": lambda: serializers.IntegerField(
                read_only=True, help_text=_("Online supports.")
            ),
            "supports_counting_online": lambda: serializers.IntegerField(
                read_only=True,
                help_text=_(
                    "Online supports of people aged 18 or over, which count to the thresholds."
                ),
            ),
            "paper_valid": lambda: serializers.IntegerField(
                read_only=True, help_text=_("Valid signatures of confirmed paper lists.")
            ),
        },
        links={"area": Link("areas"), "division": Link("divisions")},
        ordering=("-id",),
        timestamps=("published_at", "sent_at", "registered_at", "closed_at", "edited_at"),
        point=("latitude", "longitude"),
        filters={
            "state": django_filters.ChoiceFilter(
                choices=[
                    (value, label) for value, label in State.choices if value in PUBLIC_STATES
                ],
                label=_("State"),
            ),
            "category": django_filters.ChoiceFilter(choices=Category.choices, label=_("Category")),
            "area": django_filters.CharFilter(
                field_name="area__slug", label=_("Identifier of the area (district or the city)")
            ),
            "sent_from": MomentFilter(
                field_name="sent_at",
                lookup_expr="gte",
                label=_("Only initiatives sent to the city at or after this time."),
            ),
            "sent_until": MomentFilter(
                field_name="sent_at",
                lookup_expr="lt",
                label=_("Only initiatives sent to the city before this time."),
            ),
        },
    )
)

register(
    Resource(
        name="divisions",
        type="Organization",
        title=_("Divisions"),
        description=_("The city's divisions, which prepare initiatives and handle feedback."),
        queryset=lambda: Division.objects.all(),
        fields=("slug", "position", "is_active"),
        translated=("name",),
        lookup="slug",
        ordering=("position", "slug"),
        frequency="annual",
    )
)

register(
    Resource(
        name="initiatives/transitions",
        type="Action",
        title=_("Changes of state of initiatives"),
        description=_(
            "Every change of state of a published initiative with its reason, as its page "
            "shows it; who made it is not published."
        ),
        queryset=lambda: Transition.objects.filter(initiative__in=public_initiatives()),
        fields=("from_state", "to_state", "at", "reason", "by_city"),
        links={"initiative": Link("initiatives/initiatives")},
        ordering=("at", "pk"),
        timestamps=("at",),
        filters={
            "initiative": WholeNumberFilter(
                field_name="initiative", label=_("Id of the initiative")
            )
        },
    )
)

register(
    Resource(
        name="initiatives/attachments",
        type="DigitalDocument",
        title=_("Attachments of initiatives"),
        description=_("PDF documents of decisions and their preparation."),
        queryset=lambda: Attachment.objects.filter(initiative__in=public_initiatives()),
        fields=("title", "file", "size", "added_at"),
        links={"initiative": Link("initiatives/initiatives")},
        ordering=("added_at", "pk"),
        timestamps=("added_at",),
        filters={
            "initiative": WholeNumberFilter(
                field_name="initiative", label=_("Id of the initiative")
            )
        },
    )
)

not_published("initiatives.Author", "the authors: personal data")
not_published("initiatives.Invitation", "invitations of co-authors: personal data")
not_published("initiatives.Support", "who supports: published only as counts")
not_published(
    "initiatives.PaperSupportBatch",
    "staff's record of paper lists: the valid signatures are counted in each initiative",
)
not_published("initiatives.Follower", "who follows: personal data")
