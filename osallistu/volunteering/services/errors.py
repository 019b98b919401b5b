import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy

from osallistu.core.errors import DomainError

from ..selectors import CITY_TZ


class VolunteeringError(DomainError):
    """A volunteering action was refused; ``message`` says why."""


def _render(message, params):
    rendered = {}
    for name, value in params.items():
        if isinstance(value, datetime.datetime):
            rendered[name] = date_format(timezone.localtime(value, CITY_TZ), "DATETIME_FORMAT")
        elif isinstance(value, datetime.date):
            rendered[name] = date_format(value, "DATE_FORMAT")
        else:
            rendered[name] = value
    return str(message) % rendered


_render_lazy = lazy(_render, str)


def refuse(code, message, **params):
    """Raise ``VolunteeringError``; the message is rendered in the language active when
    it is shown, with dates written for that language."""
    raise VolunteeringError(_render_lazy(message, params) if params else message, code=code)
