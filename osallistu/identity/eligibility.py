"""Who may take part: signed in, identified, resident, old enough.

``check_eligibility`` answers with a code that code can branch on and a reason the
person can read. The reason is lazy, so it is rendered in whatever language is
active when it is shown (a ballot page in Swedish, an e-mail in the recipient's
language), dates included.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

AGE_ON_DATE = "on_date"
AGE_DURING_YEAR = "during_year"


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    code: str  # "ok", "not_signed_in", "not_verified", "birth_date_unknown",
    # "too_young", "not_resident", "inactive"
    reason: str  # lazy translation, rendered in the active language

    def __bool__(self):
        return self.allowed


def _render(message, params):
    return str(message) % {
        name: date_format(value, "DATE_FORMAT") if isinstance(value, datetime.date) else value
        for name, value in params.items()
    }


_render_lazy = lazy(_render, str)


def _answer(code, message, **params):
    return Eligibility(allowed=code == "ok", code=code, reason=_render_lazy(message, params))


def birthday_of_age(birth_date, age):
    """The day a person born on ``birth_date`` turns ``age``.

    Someone born on 29 February turns a year older on 1 March in common years,
    as ``User.age_on`` counts it.
    """
    try:
        return birth_date.replace(year=birth_date.year + age)
    except ValueError:
        return datetime.date(birth_date.year + age, 3, 1)


def check_eligibility(
    user,
    *,
    on_date,
    minimum_age=None,
    age_counted=AGE_ON_DATE,
    require_residence=True,
    require_strong_identification=True,
):
    """May ``user`` take part on ``on_date``?

    ``age_counted="on_date"``: the person has completed ``minimum_age`` years on
    ``on_date`` (Helsinki counts age on the last day of voting).
    ``age_counted="during_year"``: the person turns ``minimum_age`` during the year
    of ``on_date`` or earlier ("12 in the voting year").
    """
    if age_counted not in (AGE_ON_DATE, AGE_DURING_YEAR):
        raise ValueError(f"age_counted must be {AGE_ON_DATE!r} or {AGE_DURING_YEAR!r}")

    if user is None or not user.is_authenticated:
        return _answer(
            "not_signed_in",
            _("Please log in first. Then we can check whether you can take part."),
        )
    if not user.is_active:
        return _answer(
            "inactive",
            _("Your account is closed. Ask at a library or service point for help."),
        )
    if require_strong_identification and not user.is_strongly_identified:
        return _answer(
            "not_verified",
            _(
                "First you need to prove who you are: with online banking, a mobile "
                "certificate or your school login, or with an ID card at a library."
            ),
        )
    if require_residence and user.municipality_code != settings.CITY_MUNICIPALITY_CODE:
        if not user.municipality_code:
            return _answer(
                "not_resident",
                _(
                    "We do not know where you live. Only people who live in Helsinki can "
                    "take part. Prove who you are with online banking or at a library."
                ),
            )
        return _answer(
            "not_resident",
            _(
                "Only people who live in Helsinki can take part. Our information says "
                "that you live in another municipality."
            ),
        )
    if minimum_age is not None:
        if user.birth_date is None:
            return _answer(
                "birth_date_unknown",
                _(
                    "We do not know your birth date, so we cannot check your age. Prove "
                    "who you are with online banking or with an ID card at a library."
                ),
            )
        birthday = birthday_of_age(user.birth_date, minimum_age)
        if age_counted == AGE_ON_DATE and user.age_on(on_date) < minimum_age:
            return _answer(
                "too_young",
                _(
                    "You can take part if you are %(age)s or older on %(day)s. "
                    "You turn %(age)s on %(birthday)s."
                ),
                age=minimum_age,
                day=on_date,
                birthday=birthday,
            )
        if age_counted == AGE_DURING_YEAR and birthday.year > on_date.year:
            return _answer(
                "too_young",
                _(
                    "You can take part if you turn %(age)s in %(year)s or earlier. "
                    "You turn %(age)s on %(birthday)s."
                ),
                age=minimum_age,
                year=str(on_date.year),
                birthday=birthday,
            )
    return _answer("ok", _("You can take part."))
