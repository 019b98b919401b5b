"""Exact rational arithmetic for the counts.

gmpy2's ``mpq`` is used when it is installed: it is the same exact arithmetic as
``fractions.Fraction``, computed in C and many times faster. Without gmpy2 the counts are
identical, only slower; the tests run both.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import Any

from .model import Money

try:
    if os.environ.get("OSALLISTU_COUNTING_PURE_PYTHON"):
        raise ImportError
    from gmpy2 import mpq as rational
except ImportError:
    rational = Fraction

Rational = Any
"""An exact rational of whichever kind ``rational`` makes."""


def to_money(value: Rational) -> Money:
    """A plain ``int`` or ``Fraction`` for results, whatever arithmetic computed it."""
    fraction = Fraction(int(value.numerator), int(value.denominator))
    return fraction.numerator if fraction.denominator == 1 else fraction
