"""The list of a day's free times. A district page shows hundreds of them, so the links
are joined here in one pass rather than in a template loop (several times faster);
``format_html_join`` escapes every value."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def slot_list(day):
    """``<ul class="slots">`` of ``day["slots"]`` (time, url, place), each link named with
    its time, day and place."""
    links = format_html_join(
        "",
        '<li><a href="{}">{}<span class="visually-hidden">, {}, {}</span></a></li>',
        ((url, time, day["label"], place) for time, url, place in day["slots"]),
    )
    return format_html('<ul class="slots">{}</ul>', links)
