"""``{% load volunteering %}``: ``{{ value|hours }}`` writes hours as people do, without
trailing zeros, for the active language (2,5 in Finnish, 2.5 in English)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(value):
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return number_format(value.quantize(Decimal(1)))
    return number_format(value.normalize())
