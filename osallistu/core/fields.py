"""Numbers from a browser that end up in a query: ids and amounts of money.

A browser can send any text where a form has a hidden id or a checkbox value. An id
the database cannot hold (``9223372036854775808``, ``٣``, ``1e3``) must be "not one of
the choices", never an error of the database driver: SQLite refuses integers past
2⁶³ and PostgreSQL a bigint past it, and Django only guards single-value lookups.
Money is held to an amount no budget reaches, far within the database's integers, so
that adding amounts up never overflows either.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest id of a BigAutoField on PostgreSQL and SQLite alike.
MAX_ID = 2**63 - 1
# More than any city's participatory budget by far; a thousand such amounts still
# add up within 2⁶³.
MAX_EUROS = 10**12

ID = re.compile(r"[0-9]{1,19}")


def parse_id(value):
    """``value`` as an id the database can hold, or None: ASCII digits only, 1 to 2⁶³−1."""
    if not isinstance(value, str) or not ID.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


def parse_ids(values):
    """The ids of ``values``, or None if any of them is not one."""
    ids = [parse_id(value) for value in values]
    return None if None in ids else ids


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Model choices by id, where a value that cannot be an id is an invalid choice
    before any query is made."""

    def clean(self, value):
        if self.to_field_name is None and isinstance(value, list | tuple):
            for item in value:
                if item not in self.empty_values and parse_id(str(item)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super().clean(value)


class EurosField(forms.IntegerField):
    """Whole euros, at most MAX_EUROS."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", MAX_EUROS)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)
        self.error_messages.setdefault(
            "max_value", _("An amount can be at most 1,000,000,000,000 euros.")
        )
