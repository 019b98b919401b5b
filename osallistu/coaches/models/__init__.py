from .appointments import (
    HOLDING_STATES,
    OPEN_STATES,
    Appointment,
    AppointmentState,
)
from .common import (
    CITY_TZ,
    SPOKEN_LANGUAGES,
    CoachKind,
    Place,
    PlaceKind,
    Topic,
    Weekday,
    language_names,
    validate_languages,
)
from .companies import Company, CompanyContact, ContactChannel, Sector, validate_business_id
from .events import Event, EventKind, EventSignup
from .hours import SLOT_MINUTES_MAX, SLOT_MINUTES_MIN, OfficeHours, OfficeHoursException
from .profiles import CoachProfile
from .requests import (
    OPEN_STATUSES,
    ContactRequest,
    RequestHandover,
    RequestMessage,
    RequestNote,
    RequestStatus,
)

__all__ = [
    "CITY_TZ",
    "HOLDING_STATES",
    "OPEN_STATES",
    "OPEN_STATUSES",
    "SLOT_MINUTES_MAX",
    "SLOT_MINUTES_MIN",
    "SPOKEN_LANGUAGES",
    "Appointment",
    "AppointmentState",
    "CoachKind",
    "CoachProfile",
    "Company",
    "CompanyContact",
    "ContactChannel",
    "ContactRequest",
    "Event",
    "EventKind",
    "EventSignup",
    "OfficeHours",
    "OfficeHoursException",
    "Place",
    "PlaceKind",
    "RequestHandover",
    "RequestMessage",
    "RequestNote",
    "RequestStatus",
    "Sector",
    "Topic",
    "Weekday",
    "language_names",
    "validate_business_id",
    "validate_languages",
]
