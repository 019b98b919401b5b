"""Which of the coaches' staff pages the menu of those pages offers: only those that
open for the person (a city coach has no companies page, a reporter no desk)."""

from django import template

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def coach_doors(context):
    user = context["request"].user
    return {
        "desk": permissions.may_use_desk(user),
        "companies": permissions.may_see_company_report(user),
        "activity": permissions.may_see_activity(user),
    }
