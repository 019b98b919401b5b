"""The Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.

The check digit is worked out from the seven digits with the weights 7, 9, 10, 5, 8, 4
and 2: the remainder of their weighted sum divided by 11 is 0 (check digit 0) or
2–10 (check digit 11 minus it); a remainder of 1 is never given out. Old IDs of six
digits are written with a leading zero. Pure Python, no Django.
"""

import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
SHAPE = re.compile(r"^(\d{6,7})-(\d)$")


def check_digit(digits):
    """The check digit of seven digits, or None when no ID can have them (remainder 1)."""
    remainder = sum(int(digit) * weight for digit, weight in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalise(value):
    """``value`` written the standard way (``0112038-9``), or None when it is not a
    business ID: wrong shape, or a check digit that does not match. Spaces around it
    and an old six-digit number are accepted."""
    found = SHAPE.match((value or "").strip())
    if found is None:
        return None
    digits = found.group(1).zfill(7)
    if check_digit(digits) != int(found.group(2)):
        return None
    return f"{digits}-{found.group(2)}"


def is_valid(value):
    return normalise(value) is not None
