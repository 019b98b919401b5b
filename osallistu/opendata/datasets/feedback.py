"""Feedback to the city as its public pages show it: the categories with their further
questions, and feedback that staff have moderated public, with its public text, place,
photos, history and the city's answer. What the sender wrote before moderation, who
sent it, their contact details and their answers to further questions are not
published, and neither is feedback waiting for moderation or hidden."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from osallistu.feedback import selectors
from osallistu.feedback.models import (
    PUBLIC_EVENTS,
    EventKind,
    FeedbackEvent,
    FeedbackPhoto,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceCategory,
    Status,
)

from ..filters import MomentFilter, WholeNumberFilter
from ..resources import Link, Resource, not_published, register


def category_filter(field_name):
    return django_filters.CharFilter(field_name=field_name, label=_("Service code of the category"))


register(
    Resource(
        name="feedback/categories",
        type="Service",
        title=_("Feedback categories"),
        description=_(
            "What feedback is about (the services of the Open311 API), with the division "
            "of the city that handles it. Categories that no longer take new feedback "
            "keep their old feedback."
        ),
        # Every category: public feedback and the statistics page name old ones too.
        queryset=lambda: ServiceCategory.objects.all(),
        fields=("code", "position", "is_active"),
        translated=("name", "description", "group", "keywords"),
        links={"division": Link("divisions")},
        lookup="code",
        ordering=("position", "code"),
        filters={
            "division": django_filters.CharFilter(
                field_name="division__slug", label=_("Identifier of the division")
            ),
            "is_active": django_filters.BooleanFilter(
                label=_("Only categories that take new feedback (true) or that do not (false).")
            ),
        },
        frequency="weekly",
    )
)

register(
    Resource(
        name="feedback/attributes",
        type="PropertyValueSpecification",
        title=_("Further questions of feedback categories"),
        description=_(
            "The further questions a category asks of feedback, such as which equipment "
            "is broken. The answers senders give are not published."
        ),
        queryset=lambda: ServiceAttribute.objects.all(),
        fields=("code", "variable", "datatype", "required", "order"),
        translated=("description", "datatype_description"),
        links={"service": Link("feedback/categories")},
        ordering=("service__position", "service__code", "order"),
        filters={
            "service": category_filter("service__code"),
            "datatype": django_filters.ChoiceFilter(
                choices=ServiceAttribute.Datatype.choices, label=_("Type of the question")
            ),
        },
        frequency="weekly",
    )
)

register(
    Resource(
        name="feedback/attribute-values",
        type="PropertyValue",
        title=_("Choices of further questions"),
        description=_("The choices of the further questions that are answered from a list."),
        queryset=lambda: ServiceAttributeValue.objects.all(),
        fields=("key", "position"),
        translated=("name",),
        links={"attribute": Link("feedback/attributes")},
        ordering=("attribute", "position", "key"),
        filters={
            "attribute": WholeNumberFilter(
                field_name="attribute", label=_("Id of the further question")
            ),
            "service": category_filter("attribute__service__code"),
        },
        frequency="weekly",
    )
)

register(
    Resource(
        name="feedback/feedback",
        type="ServiceRequest",
        title=_("Feedback"),
        description=_(
            "Feedback to the city that staff have made public: its public title, text and "
            "place as moderated, its category, district, status and times, and the city's "
            "answer. Feedback waiting for moderation or hidden is left out; who sent "
            "feedback, their contact details and the text as they sent it are never "
            "published."
        ),
        queryset=selectors.public_feedback,
        fields=(
            "public_title",
            "public_description",
            "public_address",
            "latitude",
            "longitude",
            "status",
            "requested_at",
            "updated_at",
            "expected_at",
            "closed_at",
            "answer",
            "answered_at",
        ),
        links={
            "service": Link("feedback/categories"),
            "district": Link("areas"),
            "duplicate_of": Link("feedback/feedback"),
        },
        ordering=("-requested_at", "-id"),
        timestamps=("requested_at", "updated_at", "answered_at", "closed_at"),
        point=("latitude", "longitude"),
        filters={
            "service": category_filter("service__code"),
            "district": django_filters.CharFilter(
                field_name="district__slug", label=_("Identifier of the district")
            ),
            "status": django_filters.ChoiceFilter(choices=Status.choices, label=_("Status")),
            "requested_from": MomentFilter(
                field_name="requested_at",
                lookup_expr="gte",
                label=_("Only feedback sent at or after this time."),
            ),
            "requested_until": MomentFilter(
                field_name="requested_at",
                lookup_expr="lt",
                label=_("Only feedback sent before this time."),
            ),
        },
    )
)


def public_photos():
    return FeedbackPhoto.objects.filter(is_public=True, feedback__in=selectors.public_feedback())


register(
    Resource(
        name="feedback/photos",
        type="ImageObject",
        title=_("Photos of feedback"),
        description=_(
            "Photos sent with public feedback that staff have let be shown, without "
            "location data. Photos showing faces or number plates stay hidden."
        ),
        queryset=public_photos,
        fields=("image", "description", "position"),
        links={"feedback": Link("feedback/feedback")},
        ordering=("feedback", "position", "id"),
        filters={
            "feedback": WholeNumberFilter(field_name="feedback", label=_("Id of the feedback"))
        },
    )
)


def public_events():
    return FeedbackEvent.objects.filter(
        kind__in=PUBLIC_EVENTS, feedback__in=selectors.public_feedback()
    )


@extend_schema_field({"type": "string", "nullable": True})
class PublicNoteField(serializers.Field):
    """The note of an event that the public history shows (a status change, an answer);
    notes of other events are staff's own."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, event):
        return event.public_note or None


register(
    Resource(
        name="feedback/events",
        type="Action",
        title=_("History of feedback"),
        description=_(
            "The public history of public feedback: when it was received, its status "
            "changed, the city answered, or it was merged with another. Who made a change "
            "and staff's own notes are not published."
        ),
        queryset=public_events,
        fields=("kind", "status", "created_at"),
        computed={
            "note": lambda: PublicNoteField(
                help_text=_("The city's note on a status change or its answer; else null.")
            )
        },
        links={"feedback": Link("feedback/feedback")},
        ordering=("feedback", "created_at", "id"),
        timestamps=("created_at",),
        filters={
            "feedback": WholeNumberFilter(field_name="feedback", label=_("Id of the feedback")),
            "kind": django_filters.ChoiceFilter(
                choices=[
                    (value, label) for value, label in EventKind.choices if value in PUBLIC_EVENTS
                ],
                label=_("What happened"),
            ),
        },
    )
)

not_published("feedback.DivisionMember", "which member of staff handles feedback")
not_published("feedback.ApiKey", "keys of Open311 clients")
not_published("feedback.FeedbackFollower", "who follows feedback: personal data")
