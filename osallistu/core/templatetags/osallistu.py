from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()


@register.filter
def euros(amount, decimals=None):
    """Money for the active language: ``1 234,50 €`` in Finnish and Swedish, ``€1,234.50``
    in English. Whole amounts print without decimals unless ``decimals`` is given."""
    if amount in (None, ""):
        return ""
    amount = Decimal(amount)
    if decimals is None:
        decimals = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, decimal_pos=int(decimals), force_grouping=True)
    if get_language() == "en":
        return f"€{number}"
    return f"{number}\N{NO-BREAK SPACE}€"
