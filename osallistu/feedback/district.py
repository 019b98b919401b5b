"""Feedback on a district's page (``coaches.registry``): the latest public feedback of
the district, with its status, and a link to all of it on the map."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy

from osallistu.coaches import registry

from . import selectors

SHOWN = 6


def latest_of(district, now):
    return [
        registry.DistrictItem(
            title=feedback.public_title or feedback.service.name,
            url=reverse("feedback:detail", args=[feedback.pk]),
            detail=f"{feedback.service.name} · {feedback.get_status_display()}",
        )
        for feedback in selectors.public_feedback(district=district)[:SHOWN]
    ]


def all_of(district):
    return f"{reverse('feedback:list')}?{urlencode({'district': district.slug})}"


def register():
    registry.register_district_section(
        registry.DistrictSection(
            key="feedback",
            title=gettext_lazy("Feedback to the city"),
            items=latest_of,
            empty=gettext_lazy("No public feedback from this district yet."),
            more_url=all_of,
            more_text=gettext_lazy("All feedback of the district on the map"),
            order=45,
        )
    )
