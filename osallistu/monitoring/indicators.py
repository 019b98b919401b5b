"""The indicators of participation: what each counts, where the figures come from, and
how they are defined (each has a page in fi/sv/en).

Every part of the model contributes through its own app's selectors, which answer with
figures already aggregated by the database: ``[{year, district, age_group, channel,
people, …}]``. Monitoring reads them; no app imports monitoring.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.budgeting import selectors as budgeting
from osallistu.coaches import selectors as coaches
from osallistu.feedback import selectors as feedback
from osallistu.initiatives import selectors as initiatives
from osallistu.premises import selectors as premises
from osallistu.surveys import selectors as surveys
from osallistu.volunteering import selectors as volunteering


class Unit:
    PEOPLE = "people"
    HOURS = "hours"
    SHARE = "share"
    COUNT = "count"
    """Things counted (pieces of feedback, contacts, events); the rate is per thousand
    residents."""


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
    value_key: str = "people"
    """The rows' field that is the figure (people and things counted)."""
    people_key: str | None = "people"
    """The rows' field that counts the people behind a figure, for suppressing small
    cells; None when the figure is not about people."""
    share_keys: tuple = ("decided", "on_time")
    """For a share: the rows' fields of the whole and of the part."""
    unit_text: str | None = None
    """The unit written after a figure, when the unit is not people, hours or a share."""
    column_text: str | None = None
    """The heading of the figures' column in a table, given with ``unit_text``."""
    count_text: str = pgettext_lazy("count of initiatives", "Decided")
    share_sentence: str = _("%(share)s %% of %(count)s decided initiatives were answered on time.")
    share_empty: str = _("No initiatives were decided.")
    group_label: str | None = None
    """The name of one more breakdown (a division, a coach, a theme): from the rows'
    ``group`` field, or from ``group_source`` when a row can be in several groups."""
    group_caption: str | None = None
    group_names: object = None
    """``group_names(keys)`` -> ``{key: name}``: the rows' ``group`` are keys (a
    division, a theme, a coach), named when shown, in the page's language and as they
    are called today, so that kept figures carry no names."""
    group_source: object = None
    group_public: bool = True
    """False: the breakdown is shown to staff only and never published or downloaded."""

    def value_of(self, row):
        if self.unit == Unit.HOURS:
            if "duration" in row:
                duration = row["duration"]
                return round(duration.total_seconds() / 3600, 1) if duration else 0
            return round(float(row.get("hours") or 0), 1)
        if self.unit == Unit.SHARE:
            return row[self.share_keys[0]]
        return row[self.value_key]

    def people_of(self, row):
        """How many people a row counts, for suppressing small cells; None when the
        figure is not about people."""
        if self.unit == Unit.SHARE or self.people_key is None:
            return None
        return row[self.people_key]


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

INDICATORS += [
    Indicator(
        key="feedback-sent",
        title=_("Feedback sent to the city"),
        part=_("Feedback"),
        definition=_(
            "Feedback sent to the city through the feedback form or an application over "
            "the feedback API, by the year it was sent, the district it is about and the "
            "division that handles its category. A cell is suppressed when it has fewer "
            "than five pieces of feedback. The rate is feedback per thousand residents."
        ),
        source=feedback.feedback_by_group,
        unit=Unit.COUNT,
        unit_text=_("pieces of feedback"),
        column_text=pgettext_lazy("column heading", "Feedback"),
        value_key="feedback",
        people_key="feedback",
        channels=(("web", _("Feedback form")), ("application", _("Application (API)"))),
        by_age=False,
        group_label=_("Division"),
        group_caption=_("By division"),
        group_names=feedback.division_names,
    ),
    Indicator(
        key="feedback-answered",
        title=_("Feedback answered within a week"),
        part=_("Feedback"),
        definition=_(
            "Of the feedback sent in the year whose week has passed or that has been "
            "answered, the share the city answered or closed within the week it promises, "
            "by the district the feedback is about, the division that handles it and the "
            "channel. Figures about the city's work, not people: no cell is suppressed, "
            "and there is no rate against the population."
        ),
        source=feedback.feedback_by_group,
        unit=Unit.SHARE,
        unit_text=_("per cent answered within a week"),
        column_text=pgettext_lazy("column heading", "Answered within a week, %"),
        share_keys=("due", "on_time"),
        count_text=_("Due"),
        share_sentence=_(
            "%(share)s %% of %(count)s pieces of feedback were answered within a week."
        ),
        share_empty=_("No feedback was due for an answer."),
        channels=(("web", _("Feedback form")), ("application", _("Application (API)"))),
        min_age=None,
        by_age=False,
        group_label=_("Division"),
        group_caption=_("By division"),
        group_names=feedback.division_names,
    ),
    Indicator(
        key="coach-contacts",
        title=_("Contacts with city and business coaches"),
        part=_("City coaches and business coaches"),
        definition=_(
            "Contact requests to the city coaches and business coaches, contacts with "
            "companies that business coaches logged, and meetings confirmed or held, by "
            "the year and the district of the contact. A cell is suppressed when it has "
            "fewer than five contacts. The rate is contacts per thousand residents; the "
            "figures of each coach are shown to staff only."
        ),
        source=coaches.activity_by_group,
        unit=Unit.COUNT,
        unit_text=_("contacts"),
        column_text=pgettext_lazy("column heading", "Contacts"),
        value_key="contacts",
        people_key="contacts",
        channels=(
            ("requests", _("Contact requests")),
            ("company_contacts", _("Contacts with companies")),
            ("appointments", _("Meetings")),
        ),
        by_age=False,
        group_label=_("Coach"),
        group_caption=_("By coach"),
        group_names=coaches.coach_names,
        group_public=False,
    ),
    Indicator(
        key="coach-events",
        title=_("Events of city and business coaches"),
        part=_("City coaches and business coaches"),
        definition=_(
            "Events that coaches organised and did not cancel, by the year and the "
            "district of the event. Figures about events, not people: no cell is "
            "suppressed, and there is no rate against the population; the figures of "
            "each coach are shown to staff only."
        ),
        source=coaches.activity_by_group,
        unit=Unit.COUNT,
        unit_text=pgettext_lazy("unit after a number", "events"),
        column_text=pgettext_lazy("column heading", "Events"),
        value_key="events",
        people_key=None,
        min_age=None,
        by_age=False,
        group_label=_("Coach"),
        group_caption=_("By coach"),
        group_names=coaches.coach_names,
        group_public=False,
    ),
    Indicator(
        key="coach-event-participants",
        title=_("Participants in coaches' events"),
        part=_("City coaches and business coaches"),
        definition=_(
            "People at the events of city and business coaches: as the coach recorded "
            "them after the event, otherwise those signed up, by the year and the "
            "district of the event. The rate is counted against all residents; the "
            "figures of each coach are shown to staff only."
        ),
        source=coaches.activity_by_group,
        value_key="participants",
        people_key="participants",
        by_age=False,
        group_label=_("Coach"),
        group_caption=_("By coach"),
        group_names=coaches.coach_names,
        group_public=False,
    ),
    Indicator(
        key="volunteers",
        title=_("Volunteers"),
        part=_("Volunteering"),
        definition=_(
            "People with a confirmed place on a volunteering shift held, counted once per "
            "year, district and age group, by the year of the shift, the district of the "
            "opportunity (remote and city-wide ones have none) and the age the volunteer "
            "had at the shift; under-18s are the youngest group. By theme, an opportunity "
            "with several themes counts in each."
        ),
        source=volunteering.volunteers_by_group,
        group_label=_("Theme"),
        group_caption=_("By theme"),
        group_names=volunteering.theme_names,
        group_source=volunteering.volunteers_by_theme,
    ),
    Indicator(
        key="volunteer-hours",
        title=_("Hours of volunteering"),
        part=_("Volunteering"),
        definition=_(
            "Hours of volunteering that organisers confirmed, by the year of the shift, "
            "the district of the opportunity and the volunteer's age group at the shift. "
            "A cell is suppressed when fewer than five different people volunteered in "
            "it. The rate is hours per thousand residents."
        ),
        source=volunteering.volunteers_by_group,
        unit=Unit.HOURS,
        group_label=_("Theme"),
        group_caption=_("By theme"),
        group_names=volunteering.theme_names,
        group_source=volunteering.volunteers_by_theme,
    ),
    Indicator(
        key="volunteer-places",
        title=_("Volunteering places filled"),
        part=_("Volunteering"),
        definition=_(
            "Of the places on the volunteering shifts held in the year, the share that "
            "volunteers took, by the district of the opportunity. Figures about shifts, "
            "not people: no cell is suppressed, and there is no rate against the "
            "population."
        ),
        source=volunteering.places_by_group,
        unit=Unit.SHARE,
        unit_text=_("per cent of places filled"),
        column_text=pgettext_lazy("column heading", "Places filled, %"),
        share_keys=("places", "filled"),
        count_text=_("Places"),
        share_sentence=_("%(share)s %% of %(count)s places were filled."),
        share_empty=_("No shifts were held."),
        min_age=None,
        by_age=False,
    ),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def indicator(key):
    return BY_KEY.get(key)
