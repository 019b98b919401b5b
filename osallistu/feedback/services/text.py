"""What the texts of feedback may hold. Text is stored as it was written, without the
spaces around it: nothing inside is changed. A line (a title, an address, a name, a
phone number) refuses control and format characters, a line break, NUL or a mark that
turns the direction of the text among them, since they hide what a reader sees;
longer text keeps its line breaks and tabs."""

import unicodedata

from django.utils.translation import gettext as _

from .errors import FeedbackError

# Control, format, surrogate, private use, unassigned, line and paragraph separators.
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# The zero-width joiners: part of correct Persian, Indic and emoji text.
JOINERS = {"\u200c", "\u200d"}
LINE_BREAKS = {"\n", "\r", "\t"}


def _check(value, field, allowed):
    value = value.strip()
    if any(
        unicodedata.category(character) in REFUSED_CATEGORIES and character not in allowed
        for character in value
    ):
        raise FeedbackError(
            _(
                "Remove the invisible control characters from the text, such as marks that "
                "change the direction of the text."
            ),
            code="control_characters",
            field=field,
        )
    return value


def line(value, *, field):
    """``value`` without surrounding spaces, or FeedbackError about ``field``."""
    return _check(value, field, JOINERS)


def lines(value, *, field):
    """Longer text: as ``line``, with line breaks and tabs."""
    return _check(value, field, JOINERS | LINE_BREAKS)
