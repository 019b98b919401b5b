"""Filters of each resource: its own, ``updated_since`` where it has timestamps and the
audit log, ``bbox`` where it has a place."""

import datetime

import django_filters
from django import forms
from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from osallistu.core.models import AuditEntry

from . import resources


class MomentField(IsoDateTimeField):
    """An ISO 8601 time, as UTC: PostgreSQL takes no offset beyond ±15:59, and ISO 8601
    allows up to ±23:59."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                _("Give a time between the years 1 and 9999."), code="invalid"
            ) from None


class MomentFilter(django_filters.IsoDateTimeFilter):
    """Filters by a time; every time filter of the API is one of these."""

    field_class = MomentField


INTEGER_KEYS = ("AutoField", "BigAutoField", "SmallAutoField")

# The largest id and number the databases hold (a signed 64-bit integer).
LARGEST = 2**63 - 1


class WholeNumberFilter(django_filters.NumberFilter):
    """A whole number the database can hold: anything larger is a clear 400, not an
    overflow in the database."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", LARGEST)
        super().__init__(**kwargs)


class BoundingBoxField(forms.CharField):
    """``west,south,east,north`` in degrees."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise forms.ValidationError(
                _("Give four numbers separated by commas: west,south,east,north."),
                code="invalid_bbox",
            ) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(
                _(
                    "West must not be east of east, nor south north of north, and the "
                    "degrees must be within ±180 and ±90."
                ),
                code="invalid_bbox",
            )
        return west, south, east, north


@extend_schema_field(
    {
        "type": "string",
        "description": resources.BBOX_HELP,
        "pattern": r"^-?[0-9]+(\.[0-9]+)?(,-?[0-9]+(\.[0-9]+)?){3}$",
    }
)
class BoundingBoxFilter(django_filters.Filter):
    field_class = BoundingBoxField

    def __init__(self, point, **kwargs):
        self.point = point
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        west, south, east, north = value
        latitude, longitude = self.point
        return queryset.filter(
            **{
                f"{latitude}__gte": south,
                f"{latitude}__lte": north,
                f"{longitude}__gte": west,
                f"{longitude}__lte": east,
            }
        )


class UpdatedSinceFilter(MomentFilter):
    """Objects whose own timestamps, or the audit log's entries about them, are at or
    after the time given: changes made through services and the admin are in the log."""

    def __init__(self, resource, **kwargs):
        self.resource = resource
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if value is None:
            return queryset
        # The ids changed since ``value`` as a union of one query per timestamp and one of
        # the log, each of which an index can answer; conditions joined by OR with a
        # subquery of the log would make the database read every row.
        if queryset.model._meta.pk.get_internal_type() in INTEGER_KEYS:
            key = Cast("target_id", BigIntegerField())
        else:
            key = F("target_id")
        changed = [
            AuditEntry.objects.filter(
                target_type=queryset.model._meta.label_lower, created_at__gte=value
            )
            .order_by()
            .annotate(key=key)
            .values("key")
        ]
        base = queryset.order_by()
        for name in self.resource.timestamps:
            changed.append(base.filter(**{f"{name}__gte": value}).values("pk"))
        return queryset.filter(pk__in=changed[0].union(*changed[1:]))


def filterset_for(resource):
    declared = dict(resource.filters)
    declared["updated_since"] = UpdatedSinceFilter(resource, label=resources.UPDATED_SINCE_HELP)
    if resource.point:
        declared["bbox"] = BoundingBoxFilter(resource.point, label=resources.BBOX_HELP)
    meta = type("Meta", (), {"model": resource.model, "fields": []})
    name = "".join(part.capitalize() for part in resource.basename.split("-")) + "Filter"
    return type(name, (django_filters.FilterSet,), {**declared, "Meta": meta})
