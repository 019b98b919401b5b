"""``{% load feedback %}``: handling times written for people."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(seconds):
    """``3 d 4 h``, or ``5 h``, or ``–`` when there is no time."""
    if seconds is None:
        return "–"
    hours = round(seconds / 3600)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    return _("%(hours)s h") % {"hours": hours}
