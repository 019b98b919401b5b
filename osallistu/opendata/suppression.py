"""Cell suppression: a count of fewer than five people in a breakdown is not published,
so that nobody can be picked out of a small group."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

SMALLEST_PUBLISHED = 5


def suppressed(count):
    """``count``, or None when it is from 1 to 4 people (0 says nobody, which is safe)."""
    if count is None or 0 < count < SMALLEST_PUBLISHED:
        return None
    return count


@extend_schema_field({"type": "integer", "nullable": True})
class SuppressedCountField(serializers.Field):
    """A count of people, ``null`` when it is from 1 to 4."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return suppressed(value)
