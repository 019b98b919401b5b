from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..exports import column_label, rate_label, unit_label
from ..indicators import Unit

register = template.Library()


@register.inclusion_tag("monitoring/_cells.html")
def cells_table(figures, cells, group_label, caption):
    """The table of one breakdown, with the columns that the indicator has."""
    indicator = figures.indicator
    has_rate = indicator.min_age is not None
    return {
        "cells": cells,
        "group_label": group_label,
        "caption": caption,
        "unit": column_label(indicator),
        "show_people": indicator.unit == Unit.HOURS,
        "show_count": indicator.unit == Unit.SHARE,
        "count_label": indicator.count_text,
        "show_rate": has_rate,
        "show_index": has_rate and group_label != _("Year"),
        "rate_label": rate_label(indicator).capitalize(),
    }


@register.simple_tag
def indicator_total(figures):
    """One sentence: the total, and its rate when the indicator has one."""
    total = figures.total
    if total.suppressed:
        return _("Fewer than 5 people: the figure is not published.")
    value = number_format(total.value or 0, force_grouping=True)
    if figures.indicator.unit == Unit.SHARE:
        if total.value is None:
            return str(figures.indicator.share_empty)
        return str(figures.indicator.share_sentence) % {
            "share": value,
            "count": number_format(total.count, force_grouping=True),
        }
    text = f"{_('Total')}: {value} {unit_label(figures.indicator)}"
    if total.rate is not None:
        text += " – " + _("%(rate)s %(label)s") % {
            "rate": number_format(total.rate, force_grouping=True),
            "label": rate_label(figures.indicator),
        }
    return text
