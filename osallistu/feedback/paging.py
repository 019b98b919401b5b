"""Pages of long lists that never count every row: a page is read with one more row
than it shows (so "Next" is known), and the total is counted only up to a cap. With
200,000 pieces of feedback an exact count of a broad search costs more than the page
itself; nobody reads past the first pages of such a search, and "more than 1 000" says
what matters."""

import re
from dataclasses import dataclass

COUNT_CAP = 1000
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page:
    object_list: list
    number: int
    has_next: bool
    total: int
    """Rows found, counted up to ``COUNT_CAP``; see ``more_than_cap``."""
    more_than_cap: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def page_of(queryset, number, size):
    """Page ``number`` (text from the address; anything else is page 1) of
    ``queryset``, ``size`` rows: two queries however many rows match."""
    # ASCII digits only: str.isdigit() takes "²" and "٣", which int() then refuses or
    # reads, and a number of thousands of digits int() refuses too.
    number = int(number) if re.fullmatch(r"[0-9]{1,6}", str(number or "")) else 1
    number = min(max(number, 1), MAX_PAGE)
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    total = queryset[: COUNT_CAP + 1].count()
    return Page(
        object_list=rows[:size],
        number=number,
        has_next=len(rows) > size,
        total=min(total, COUNT_CAP),
        more_than_cap=total > COUNT_CAP,
    )
