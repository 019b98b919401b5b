"""The thresholds of the Local Government Act (410/2015 § 23) and the progress of an
initiative towards them.

Support from 2 % of the city's residents entitled to vote in municipal elections makes
the council take the matter up within six months of the initiative's being made; 4 %
may demand a municipal referendum, which the council then decides on without delay.
The number of residents entitled to vote is the latest figure up to the end of the
year before (``osallistu.areas.selectors.entitled_voters``): the electoral roll's
count where the city has set one, otherwise the residents aged 18 and over.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.selectors import Figure, entitled_voters

COUNCIL = "council"
REFERENDUM = "referendum"
# key, per cent of the residents entitled to vote
LEGAL_THRESHOLDS = ((COUNCIL, 2), (REFERENDUM, 4))
COUNCIL_MONTHS = 6


@dataclass(frozen=True)
class Threshold:
    key: str
    percent: int
    needed: int
    counted: int

    @property
    def reached(self):
        return self.counted >= self.needed

    @property
    def share(self):
        """How far along, 0–100, for a progress bar."""
        return min(100, self.counted * 100 // self.needed) if self.needed else 100

    @property
    def label(self):
        if self.key == COUNCIL:
            return _("2 %: the council takes it up within six months")
        return _("4 %: a municipal referendum may be demanded")


@dataclass(frozen=True)
class Progress:
    """Supports of an initiative against the thresholds. ``voters`` is None when the
    city has no figures, and then there are no thresholds to show."""

    counted: int
    voters: Figure | None
    thresholds: tuple

    def threshold(self, key):
        return next((item for item in self.thresholds if item.key == key), None)


def needed(voters, percent):
    """Supports needed for ``percent`` of ``voters``, rounded up: 2 % of 101 is 3."""
    return -(-voters * percent // 100)


def figures_year(initiative):
    """The year whose figures count for ``initiative``: the last one ended before it was
    sent (before today while it is not sent)."""
    moment = initiative.sent_at or timezone.now()
    return timezone.localtime(moment).year - 1


def progress(counted, voters):
    if voters is None or voters.count == 0:
        return Progress(counted=counted, voters=voters, thresholds=())
    return Progress(
        counted=counted,
        voters=voters,
        thresholds=tuple(
            Threshold(
                key=key, percent=percent, needed=needed(voters.count, percent), counted=counted
            )
            for key, percent in LEGAL_THRESHOLDS
        ),
    )


def progress_of(initiative, counted, voters_by_year=None):
    """Progress of ``initiative`` with ``counted`` supports. ``voters_by_year`` caches
    the figures of each year across a list of initiatives."""
    year = figures_year(initiative)
    if voters_by_year is None:
        return progress(counted, entitled_voters(year=year))
    if year not in voters_by_year:
        voters_by_year[year] = entitled_voters(year=year)
    return progress(counted, voters_by_year[year])


def add_months(day, months):
    """The same day ``months`` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def council_deadline(sent_on):
    """The day by which the council must have taken up an initiative sent on ``sent_on``
    with 2 % support."""
    return add_months(sent_on, COUNCIL_MONTHS)
