"""The indicators of participation: what each counts, where the figures come from, and
how they are defined (each has a page in fi/sv/en).

Every part of the model contributes through its own app's selectors, which answer with
figures already aggregated by the database: ``[{year, district, age_group, channel,
people, …}]``. Monitoring reads them; no app imports monitoring.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from osallistu.budgeting import selectors as budgeting
from osallistu.initiatives import selectors as initiatives
from osallistu.premises import selectors as premises
from osallistu.surveys import selectors as surveys


class Unit:
    PEOPLE = "people"
    HOURS = "hours"
    SHARE = "share"


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    part: str
    definition: str
    source: object
    """``source(since=, until=, district=)``: rows aggregated by an app's selectors."""
    unit: str = Unit.PEOPLE
    channels: tuple = ()
    min_age: int | None = 0
    """Youngest age that takes part: the population against which the rate is counted.
    None when the indicator has no rate against the population."""
    by_age: bool = True
    notes: tuple = field(default=())

    def value_of(self, row):
        if self.unit == Unit.HOURS:
            duration = row.get("duration")
            return round(duration.total_seconds() / 3600, 1) if duration else 0
        if self.unit == Unit.SHARE:
            return row["decided"]
        return row["people"]

    def people_of(self, row):
        """How many people a row counts, for suppressing small cells; None when the
        figure is not about people."""
        if self.unit == Unit.SHARE:
            return None
        return row["people"]


ONLINE = ("online", _("Online"))

INDICATORS = [
    Indicator(
        key="budgeting-voters",
        title=_("Voters in participatory budgeting"),
        part=_("Participatory budgeting"),
        definition=_(
            "People who voted in a participatory budgeting round, counted once per round, "
            "by the year they voted. District and age group are those the voter had when "
            "voting (age on the last day of voting). The rate is counted against the "
            "residents aged 12 and over."
        ),
        source=budgeting.voters_by_group,
        channels=(
            ONLINE,
            ("assisted", _("Assisted at a service point")),
            ("paper", _("Paper ballot")),
        ),
        min_age=12,
    ),
    Indicator(
        key="survey-respondents",
        title=_("Survey respondents"),
        part=_("Surveys and hearings"),
        definition=_(
            "Responses sent to the city's surveys, one per person and survey, by the year "
            "they were sent. District and age group are those the respondent had when "
            "sending; responses sent without logging in have neither."
        ),
        source=surveys.respondents_by_group,
        channels=(ONLINE,),
    ),
    Indicator(
        key="initiative-supporters",
        title=_("Supporters of residents' initiatives"),
        part=_("Initiatives"),
        definition=_(
            "Supports given to residents' initiatives, one per person and initiative: "
            "electronic supports by the year they were given, with the district and age "
            "group the supporter had then, and valid signatures of confirmed paper lists "
            "by the year they were confirmed, whose district and age are not known. The "
            "rate is counted against the residents aged 13 and over."
        ),
        source=initiatives.supporters_by_group,
        channels=(ONLINE, ("paper", _("Paper lists"))),
        min_age=13,
    ),
    Indicator(
        key="initiative-answers",
        title=_("Initiatives answered on time"),
        part=_("Initiatives"),
        definition=_(
            "Of the initiatives the city decided in the year, the share decided by their "
            "deadline (an initiative without a deadline counts as on time), by the area "
            "of the initiative. Figures about initiatives, not people: no cell is "
            "suppressed, and there is no rate against the population."
        ),
        source=initiatives.answers_by_group,
        unit=Unit.SHARE,
        min_age=None,
        by_age=False,
    ),
    Indicator(
        key="premises-hours",
        title=_("Hours of city premises booked"),
        part=_("Opening the city's premises"),
        definition=_(
            "Hours of confirmed bookings of the city's premises by residents, for "
            "themselves or for an association, by the year the booked time begins. "
            "District and age group are those of the booker when booking. A cell is "
            "suppressed when fewer than five different people booked in it. The rate "
            "is hours per thousand residents."
        ),
        source=premises.bookings_by_group,
        unit=Unit.HOURS,
        channels=(("resident", _("For themselves")), ("association", _("For an association"))),
    ),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def indicator(key):
    return BY_KEY.get(key)
