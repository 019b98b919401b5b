"""Volunteering: organisers the city has verified, their published opportunities and
shifts with the places left, the themes and languages they are searched by, and the
talkoot the city has approved. Volunteers, organisers' members and contact people,
and the residents who propose talkoot are not published."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from osallistu.volunteering import selectors
from osallistu.volunteering.models import (
    Language,
    Opportunity,
    Organiser,
    Shift,
    Theme,
)

from ..filters import MomentFilter, WholeNumberFilter
from ..resources import Link, Resource, not_published, register


def district_filter():
    return django_filters.CharFilter(
        field_name="district__slug", label=_("Identifier of the district")
    )


register(
    Resource(
        name="volunteering/organisers",
        type="Organization",
        title=_("Organisers of volunteering"),
        description=_(
            "City units and associations that offer volunteering, once the city has "
            "verified them. Their members are not published."
        ),
        queryset=lambda: Organiser.objects.verified(),
        fields=("slug", "name", "kind", "description", "website", "created_at"),
        links={"district": Link("areas")},
        lookup="slug",
        ordering=("name", "pk"),
        filters={
            "district": district_filter(),
            "kind": django_filters.ChoiceFilter(choices=Organiser.Kind.choices, label=_("Kind")),
        },
        frequency="weekly",
    )
)


def term(name, type_name, title, description, model):
    register(
        Resource(
            name=name,
            type=type_name,
            title=title,
            description=description,
            queryset=lambda: model.objects.all(),
            fields=("slug", "position"),
            translated=("name",),
            lookup="slug",
            ordering=("position", "slug"),
            frequency="weekly",
        )
    )


term(
    "volunteering/themes",
    "DefinedTerm",
    _("Themes of volunteering"),
    _("What volunteering tasks are about: nature, children and young people, culture…"),
    Theme,
)
term(
    "volunteering/languages",
    "Language",
    _("Languages of volunteering"),
    _("Languages volunteers can manage with in a task."),
    Language,
)


register(
    Resource(
        name="volunteering/opportunities",
        type="VolunteeringOpportunity",
        title=_("Volunteering opportunities"),
        description=_(
            "Published volunteering tasks of verified organisers: what is done, where, "
            "for whom it suits and what volunteers get. Drafts and closed tasks are left "
            "out, and so are the contact people's names and addresses."
        ),
        queryset=lambda: Opportunity.objects.public(),
        fields=(
            "kind",
            "offers_training",
            "offers_insurance",
            "offers_certificate",
            "place_text",
            "latitude",
            "longitude",
            "remote",
            "accessible",
            "under_18_allowed",
            "youth_min_age",
            "cancel_hours_before",
            "published_at",
            "updated_at",
        ),
        translated=("title", "description", "tasks", "benefits", "accessibility_notes"),
        links={
            "organiser": Link("volunteering/organisers"),
            "district": Link("areas"),
            "themes": Link("volunteering/themes", many=True),
            "languages": Link("volunteering/languages", many=True),
        },
        ordering=("-published_at", "pk"),
        timestamps=("published_at", "updated_at"),
        point=("latitude", "longitude"),
        filters={
            "district": district_filter(),
            "organiser": django_filters.CharFilter(
                field_name="organiser__slug", label=_("Identifier of the organiser")
            ),
            "theme": django_filters.CharFilter(
                field_name="themes__slug", label=_("Identifier of a theme")
            ),
            "language": django_filters.CharFilter(
                field_name="languages__slug", label=_("Identifier of a language")
            ),
            "kind": django_filters.ChoiceFilter(
                choices=Opportunity.Kind.choices, label=_("One-off or ongoing")
            ),
            "remote": django_filters.BooleanFilter(label=_("Can be done remotely")),
        },
    )
)


register(
    Resource(
        name="volunteering/shifts",
        type="Schedule",
        title=_("Shifts of volunteering"),
        description=_(
            "Times when volunteers are needed for published opportunities, with the "
            "places and how many are left. Who signed up is not published."
        ),
        queryset=lambda: Shift.objects.filter(opportunity__in=Opportunity.objects.public()),
        fields=("starts_at", "ends_at", "place_text", "capacity", "status"),
        computed={
            "places_left": lambda: serializers.IntegerField(
                read_only=True, help_text=_("Places left.")
            )
        },
        links={"opportunity": Link("volunteering/opportunities")},
        ordering=("starts_at", "pk"),
        timestamps=("created_at",),
        filters={
            "opportunity": WholeNumberFilter(
                field_name="opportunity", label=_("Id of the opportunity")
            ),
            "status": django_filters.ChoiceFilter(choices=Shift.Status.choices, label=_("Status")),
            "starts_from": MomentFilter(
                field_name="starts_at",
                lookup_expr="gte",
                label=_("Only shifts that begin at or after this time."),
            ),
            "starts_until": MomentFilter(
                field_name="starts_at",
                lookup_expr="lt",
                label=_("Only shifts that begin before this time."),
            ),
        },
    )
)


def approved_talkoot():
    # Every approved talkoot: its page stays readable after its last day.
    return selectors.approved_talkoot(datetime.date.min)


register(
    Resource(
        name="volunteering/talkoot",
        type="Event",
        title=_("Talkoot"),
        description=_(
            "Clean-ups and other neighbourhood events that residents propose, once the "
            "city has approved them. Who proposed a talkoot is not published."
        ),
        queryset=approved_talkoot,
        fields=(
            "title",
            "description",
            "place_text",
            "latitude",
            "longitude",
            "starts_on",
            "ends_on",
            "expected_participants",
            "equipment",
            "equipment_notes",
        ),
        links={"district": Link("areas")},
        ordering=("starts_on", "pk"),
        timestamps=("decided_at",),
        point=("latitude", "longitude"),
        filters={
            "district": district_filter(),
            "date_from": django_filters.DateFilter(
                field_name="ends_on",
                lookup_expr="gte",
                label=_("Only talkoot whose last day is on or after this date."),
            ),
            "date_until": django_filters.DateFilter(
                field_name="starts_on",
                lookup_expr="lte",
                label=_("Only talkoot whose first day is on or before this date."),
            ),
        },
    )
)

not_published("volunteering.OrganiserMember", "who runs an organiser's account")
not_published("volunteering.Invitation", "invitations to organisers' accounts")
not_published("volunteering.SignUp", "who signed up for a shift")
not_published("volunteering.ShiftMessage", "messages to volunteers")
