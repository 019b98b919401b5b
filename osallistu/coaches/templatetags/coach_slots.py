"""The free times of a coach, week by week. A district page shows hundreds of them, so
the markup is joined here in one pass rather than in template loops (several times
faster); ``format_html`` escapes every value."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import ngettext

register = template.Library()

HEADINGS = {"h3", "h4", "h5"}


def _week_summary(week):
    return ngettext(
        "Week %(number)s, %(first)s–%(last)s: %(counter)s free time",
        "Week %(number)s, %(first)s–%(last)s: %(counter)s free times",
        week["count"],
    ) % {
        "number": week["number"],
        "first": date_format(week["monday"], "j.n."),
        "last": date_format(week["last_day"], "j.n.Y"),
        "counter": week["count"],
    }


def _day(day, heading):
    links = format_html_join(
        "",
        '<li><a href="{}">{}<span class="visually-hidden">, {}, {}</span></a></li>',
        ((url, time, day["label"], place) for time, url, place in day["slots"]),
    )
    return format_html(
        '<{0}>{1}</{0}>\n<ul class="slots">{2}</ul>\n', heading, capfirst(day["label"]), links
    )


@register.simple_tag
def slot_weeks(weeks, heading="h5"):
    """Each week of ``weeks`` (see ``views.slot_weeks``) as a ``<details>``, the first
    open, its days under ``heading`` with their links named by time, day and place."""
    if heading not in HEADINGS:
        raise template.TemplateSyntaxError(f"slot_weeks: heading {heading!r}")
    parts = []
    for number, week in enumerate(weeks):
        # Each part comes from format_html, which has escaped its values.
        days = mark_safe("".join(_day(day, heading) for day in week["days"]))
        parts.append(
            format_html(
                "<details{}>\n<summary>{}</summary>\n{}</details>\n",
                mark_safe(" open") if number == 0 else "",
                _week_summary(week),
                days,
            )
        )
    return format_html('<div class="weeks">\n{}</div>', mark_safe("".join(parts)))
