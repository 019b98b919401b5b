"""What a name or a title may be: visible text that does not pass for the city.

A right-to-left override (U+202E) makes "Tiina gnp.exe" read as "Tiina exe.png" and
can turn a title around; other invisible characters make two names look the same.
So names and titles refuse control and format characters, except the two joiners that
some scripts and emoji need.

A person, a nickname or an association must not pass for the city or its staff:
"Helsingin kaupunki (virallinen)" next to a hearing comment reads as the city
speaking. ``validate_person_name`` compares the name in a form that ignores case,
accents, width and look-alike letters (after Unicode NFKC) with the city's names and
the words of staff roles, in Finnish, Swedish and English.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Zero-width non-joiner and joiner: part of correct Persian, Indic and emoji text.
ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}
# Control, format (bidi overrides, isolates and marks, invisible operators, soft
# hyphen), surrogate, private use, unassigned, line and paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}

# Letters of other scripts that look like Latin ones, as they would be used to
# spell a reserved word past the check (Cyrillic and Greek).
LOOK_ALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
        "х": "x", "ѕ": "s", "ԁ": "d", "ɡ": "g", "ӏ": "l", "α": "a", "β": "b", "ε": "e",
        "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
        "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae",
    }
)  # fmt: skip

# The city's own names, in the forms Finnish and Swedish inflect them into; each
# position lists the words that may stand there. Whole words only: "Helsingin
# Kaupunkilähetys" is an association of its own.
FINNISH_CITY = (
    "kaupunki", "kaupungin", "kaupunkia", "kaupungissa", "kaupungista", "kaupunkiin",
    "kaupungilla", "kaupungilta", "kaupungille", "kaupunkina",
)  # fmt: skip
CITY_NAMES = [
    (("helsingin",), FINNISH_CITY),
    (("helsingfors",), ("stad", "stads")),
    (("city",), ("of",), ("helsinki",)),
    (("helsinki",), ("city",)),
]
# Words of staff roles and official status, as they begin: "virallinen",
# "virallisen"; "moderaattorin"; "administratör" (accents are ignored).
RESERVED_WORD_STARTS = (
    "virallinen",
    "virallis",
    "official",
    "officiel",
    "moderaattori",
    "moderator",
    "admin",
    "yllapit",
    "webmaster",
)


def _spellings(name):
    """Every way of writing ``name`` with its words run together."""
    spellings = [""]
    for choices in name:
        spellings = [start + choice for start in spellings for choice in choices]
    return spellings


RESERVED_NAMES = {spelling for name in CITY_NAMES for spelling in _spellings(name)}
LONGEST_NAME = max(len(name) for name in RESERVED_NAMES)


def validate_plain_text(value):
    """Refuses control and format characters, bidirectional overrides among them."""
    if any(
        unicodedata.category(character) in REFUSED_CATEGORIES
        and character not in ALLOWED_FORMAT_CHARACTERS
        for character in value
    ):
        raise ValidationError(
            _(
                "Remove the invisible control characters from the text, such as marks that "
                "change the direction of the text."
            ),
            code="control_characters",
        )


def comparable_words(value):
    """The words of ``value`` as compared with reserved ones: NFKC, no case, no
    accents, look-alike letters as the Latin ones, letters only."""
    text = unicodedata.normalize("NFKC", value).casefold()
    text = "".join(
        character
        for character in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(character)
    )
    return re.findall(r"[^\W\d_]+", text.translate(LOOK_ALIKES))


def impersonates_the_city(value):
    words = comparable_words(value)
    if any(word.startswith(RESERVED_WORD_STARTS) for word in words):
        return True
    # Consecutive words run together, so that "Helsingin kaupunki", "HelsinginKaupunki"
    # and "H e l s i n g i n k a u p u n k i" are all found.
    for first in range(len(words)):
        joined = ""
        for word in words[first:]:
            joined += word
            if joined in RESERVED_NAMES:
                return True
            if len(joined) >= LONGEST_NAME:
                break
    return False


def validate_person_name(value):
    """For the names of people, nicknames and associations shown to others."""
    validate_plain_text(value)
    if impersonates_the_city(value):
        raise ValidationError(
            _(
                "This name could be taken for the city or its staff, so it cannot be used. "
                "Please choose another one."
            ),
            code="reserved_name",
        )
