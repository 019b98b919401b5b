"""The city, its major districts and their neighbourhoods, postal codes and population
figures."""

import django_filters
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import Area, EntitledVoters, Neighbourhood, Population, PostalCode

from ..filters import WholeNumberFilter
from ..resources import Link, Resource, register
from ..suppression import SuppressedCountField

register(
    Resource(
        name="areas",
        type="AdministrativeArea",
        title=_("Areas"),
        description=_("The city as a whole and its seven major districts."),
        queryset=lambda: Area.objects.all(),
        fields=("slug", "kind", "number"),
        translated=("name",),
        lookup="slug",
        ordering=("number",),
        filters={"kind": django_filters.ChoiceFilter(choices=Area.Kind.choices, label=_("Kind"))},
        frequency="annual",
    )
)

register(
    Resource(
        name="postal-codes",
        type="PostalCode",
        title=_("Postal codes"),
        description=_(
            "Postal codes of the city and the major district each is placed in. Postal "
            "code areas do not follow district borders: the table is an approximation."
        ),
        queryset=lambda: PostalCode.objects.all(),
        fields=("code", "approximate"),
        translated=("name",),
        links={"district": Link("areas")},
        ordering=("code",),
        filters={
            "district": django_filters.CharFilter(
                field_name="district__slug", label=_("Identifier of the district")
            )
        },
        frequency="annual",
    )
)

register(
    Resource(
        name="population",
        type="Observation",
        title=_("Population"),
        description=_(
            "Residents at the end of a year by area, age band and gender. A figure under "
            "5 people is not published (null)."
        ),
        queryset=lambda: Population.objects.all(),
        fields=("year", "age_from", "age_to", "gender", "approximate", "source"),
        computed={
            "count": lambda: SuppressedCountField(help_text=_("Residents; null when fewer than 5."))
        },
        links={"area": Link("areas")},
        ordering=("-year", "area__number", "gender", "age_from"),
        filters={
            "year": WholeNumberFilter(label=_("Year")),
            "area": django_filters.CharFilter(
                field_name="area__slug", label=_("Identifier of the area")
            ),
        },
        frequency="annual",
    )
)

register(
    Resource(
        name="entitled-voters",
        type="Observation",
        title=_("Residents entitled to vote"),
        description=_(
            "The number of residents entitled to vote in municipal elections per year, "
            "from the electoral roll."
        ),
        queryset=lambda: EntitledVoters.objects.all(),
        fields=("year", "count", "source"),
        ordering=("-year",),
        frequency="annual",
    )
)

register(
    Resource(
        name="neighbourhoods",
        type="AdministrativeArea",
        title=_("Neighbourhoods"),
        description=_(
            "The neighbourhoods (basic districts) of each major district, with the city's "
            "number and a point near the middle for placing them on a map, not their "
            "borders."
        ),
        queryset=lambda: Neighbourhood.objects.all(),
        fields=("slug", "number", "latitude", "longitude", "approximate"),
        translated=("name",),
        links={"district": Link("areas")},
        lookup="slug",
        ordering=("number",),
        point=("latitude", "longitude"),
        filters={
            "district": django_filters.CharFilter(
                field_name="district__slug", label=_("Identifier of the district")
            )
        },
        frequency="annual",
    )
)
