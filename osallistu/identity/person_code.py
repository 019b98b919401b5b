"""The Finnish personal identity code (henkilötunnus): format, checksum, digest.

The code itself is never stored. ``person_digest`` turns it into a keyed HMAC so
that the same person is recognised across channels (one person, one account)
without the database holding anything that reveals the code.
"""

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import IdentityError

# Century signs: "+" 1800s; "-" and, since 2023, U–Y 1900s; A–F 2000s.
CENTURIES = {
    "+": 1800,
    **dict.fromkeys("-UVWXY", 1900),
    **dict.fromkeys("ABCDEF", 2000),
}
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
PATTERN = re.compile(r"(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])")
# People copy codes from documents and e-mails: typographic dashes mean a hyphen.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


class InvalidPersonCode(IdentityError):
    def __init__(self, message):
        super().__init__(message, code="invalid_person_code")


@dataclass(frozen=True)
class PersonCode:
    normalised: str
    birth_date: datetime.date

    def __repr__(self):
        # Keeps the code out of tracebacks, logs and error reports.
        return f"PersonCode(birth_date={self.birth_date.isoformat()})"

    @property
    def digest(self):
        return person_digest(self)


def parse_person_code(value):
    """Check a personal identity code and return it normalised with its birth date.

    Raises ``InvalidPersonCode`` with a message saying what is wrong.
    """
    normalised = "".join(str(value).split()).upper().translate(DASHES)
    match = PATTERN.fullmatch(normalised)
    if match is None:
        raise InvalidPersonCode(
            _(
                "A personal identity code has 11 characters: birth date, century sign, "
                "three digits and a check character, for example 131052-308T."
            )
        )
    day, month, year, century, individual, check = match.groups()
    try:
        birth_date = datetime.date(CENTURIES[century] + int(year), int(month), int(day))
    except ValueError:
        raise InvalidPersonCode(
            _("The first six digits of the personal identity code are not a real date.")
        ) from None
    if int(individual) < 2:
        raise InvalidPersonCode(_("The three digits after the century sign cannot be 000 or 001."))
    if CHECK_CHARACTERS[int(day + month + year + individual) % 31] != check:
        raise InvalidPersonCode(
            _(
                "The last character of the personal identity code does not match the "
                "rest. Please check the code for typing errors."
            )
        )
    return PersonCode(normalised=normalised, birth_date=birth_date)


def person_digest(person_code):
    """HMAC-SHA256 of the normalised code under ``IDENTITY_DIGEST_KEY``, in hex."""
    return hmac.new(
        settings.IDENTITY_DIGEST_KEY.encode(),
        person_code.normalised.encode(),
        hashlib.sha256,
    ).hexdigest()
