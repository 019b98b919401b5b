import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy

from osallistu.core.errors import DomainError

from ..models import CITY_TZ


class CoachesError(DomainError):
    """An action of coaches was refused; ``message`` says why, ``code`` names it."""


def _render(message, params):
    rendered = {}
    for name, value in params.items():
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value, CITY_TZ)
            rendered[name] = f"{date_format(local, 'DATE_FORMAT')} {local:%H.%M}"
        elif isinstance(value, datetime.date):
            rendered[name] = date_format(value, "DATE_FORMAT")
        else:
            rendered[name] = value
    return str(message) % rendered


_render_lazy = lazy(_render, str)


def refuse(code, message, **params):
    """Raise ``CoachesError``; ``params`` fill the message when it is shown, dates and
    times in the city's time and the language of that moment."""
    raise CoachesError(_render_lazy(message, params) if params else message, code=code)


def check_length(value, limit, code, message):
    if len(value) > limit:
        refuse(code, message, count=limit)
