"""Demo city premises: about forty spaces in libraries, youth centres, schools and
residents' houses across the seven major districts, with opening hours, the season's
holidays and a season of bookings (two months back, two months ahead).

Most bookings are written in bulk (past bookings cannot go through the service, which
refuses past times); they never overlap, as the database requires. A few go through
the services so that the tour has something to show: Aino's confirmed booking, Mats's
weekly series, an association's free-of-charge application waiting for staff and
time blocked for maintenance. Built once: a second run finds the units and leaves
everything as it is.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from osallistu.accounts.models import StaffRole, User
from osallistu.areas.models import Area, age_group_for
from osallistu.premises import services
from osallistu.premises.models import (
    AuthenticationLevel,
    Booking,
    BookingState,
    Confirmation,
    Equipment,
    OpeningException,
    OpeningHours,
    PriceKind,
    Purpose,
    Space,
    Unit,
    UnitType,
)
from osallistu.premises.selectors import local_datetime

PURPOSES = [
    ("meeting", "Kokous", "Möte", "Meeting"),
    ("club", "Kerho tai harrastus", "Klubb eller hobby", "Club or hobby"),
    ("celebration", "Juhla", "Fest", "Celebration"),
    ("music", "Musiikki", "Musik", "Music"),
    ("sports", "Liikunta", "Motion", "Sports"),
    ("workshop", "Työpaja tai käsityöt", "Verkstad eller hantverk", "Workshop or crafts"),
    ("gaming", "Pelit", "Spel", "Gaming"),
    ("event", "Tilaisuus tai luento", "Evenemang eller föreläsning", "Event or talk"),
]

EQUIPMENT = [
    ("projector", "Videotykki", "Projektor", "Projector"),
    ("display", "Näyttö", "Skärm", "Display screen"),
    ("sound", "Äänentoisto", "Ljudanläggning", "Sound system"),
    ("piano", "Piano", "Piano", "Piano"),
    ("kitchen", "Keittiö", "Kök", "Kitchen"),
    ("whiteboard", "Valkotaulu", "Whiteboard", "Whiteboard"),
    ("video", "Etäkokouslaitteet", "Utrustning för distansmöten", "Video conferencing"),
    ("consoles", "Pelikonsolit", "Spelkonsoler", "Game consoles"),
    ("sports", "Liikuntavälineet", "Idrottsredskap", "Sports equipment"),
]


@dataclass(frozen=True)
class SpaceKind:
    names: tuple  # fi, sv, en
    capacity: int
    purposes: tuple
    equipment: tuple
    min_minutes: int = 60
    max_minutes: int = 240
    slot_minutes: int = 30
    buffer_after: int = 0
    confirmation: str = Confirmation.INSTANT
    price_kind: str = PriceKind.FREE
    price: Decimal = Decimal(0)
    free_for_associations: bool = False
    authentication: str = AuthenticationLevel.SIGNED_IN
    induction_loop: bool = False


KINDS = {
    "meeting": SpaceKind(
        ("Kokoushuone", "Mötesrum", "Meeting room"),
        12,
        ("meeting", "club", "workshop"),
        ("display", "whiteboard", "video"),
    ),
    "group": SpaceKind(
        ("Ryhmätila", "Grupprum", "Group room"),
        6,
        ("meeting", "club", "gaming"),
        ("display", "whiteboard"),
        max_minutes=180,
    ),
    "hall": SpaceKind(
        ("Tapahtumasali", "Evenemangssal", "Event hall"),
        80,
        ("event", "celebration", "music", "meeting"),
        ("projector", "sound", "piano"),
        min_minutes=120,
        max_minutes=480,
        slot_minutes=60,
        buffer_after=30,
        confirmation=Confirmation.HANDLED,
        price_kind=PriceKind.HOURLY,
        price=Decimal("35.00"),
        free_for_associations=True,
        induction_loop=True,
    ),
    "studio": SpaceKind(
        ("Musiikkistudio", "Musikstudio", "Music studio"),
        6,
        ("music",),
        ("sound", "piano"),
        max_minutes=180,
        authentication=AuthenticationLevel.STRONG,
    ),
    "youth_hall": SpaceKind(
        ("Nuorisotalon sali", "Ungdomsgårdens sal", "Youth centre hall"),
        30,
        ("sports", "celebration", "gaming", "club"),
        ("sound", "consoles", "projector"),
        max_minutes=180,
    ),
    "kitchen": SpaceKind(
        ("Opetuskeittiö", "Undervisningskök", "Teaching kitchen"),
        14,
        ("workshop", "celebration", "club"),
        ("kitchen",),
        min_minutes=120,
        buffer_after=30,
    ),
    "gym": SpaceKind(
        ("Liikuntasali", "Gymnastiksal", "Gym"),
        60,
        ("sports",),
        ("sports", "sound"),
        slot_minutes=60,
        max_minutes=180,
        confirmation=Confirmation.HANDLED,
        price_kind=PriceKind.HOURLY,
        price=Decimal("18.00"),
        free_for_associations=True,
    ),
    "classroom": SpaceKind(
        ("Luokkahuone", "Klassrum", "Classroom"),
        28,
        ("meeting", "workshop", "club", "event"),
        ("projector", "whiteboard"),
        price_kind=PriceKind.HOURLY,
        price=Decimal("10.00"),
        free_for_associations=True,
    ),
    "auditorium": SpaceKind(
        ("Auditorio", "Auditorium", "Auditorium"),
        120,
        ("event", "music", "celebration"),
        ("projector", "sound", "piano"),
        min_minutes=120,
        max_minutes=360,
        slot_minutes=60,
        buffer_after=60,
        confirmation=Confirmation.HANDLED,
        price_kind=PriceKind.FIXED,
        price=Decimal("120.00"),
        free_for_associations=True,
        induction_loop=True,
    ),
    "club_room": SpaceKind(
        ("Kerhohuone", "Klubbrum", "Club room"),
        20,
        ("club", "meeting", "celebration", "workshop"),
        ("kitchen", "display"),
        max_minutes=300,
    ),
}

# Weekly hours by unit type: (weekdays, opens, closes).
HOURS = {
    UnitType.LIBRARY: [(range(0, 4), 8, 20), ((4,), 8, 18), ((5, 6), 10, 16)],
    UnitType.YOUTH_CENTRE: [(range(0, 5), 14, 21), ((5,), 12, 18)],
    UnitType.SCHOOL: [(range(0, 5), 17, 21), ((5, 6), 9, 16)],
    UnitType.RESIDENTS_HOUSE: [(range(0, 5), 9, 20), ((5,), 10, 15)],
}

T = UnitType
# slug, type, district, fi, sv, en, street address fi, sv, postal code, spaces
UNITS = [
    (
        "oodi",
        T.LIBRARY,
        "southern",
        "Keskustakirjasto Oodi",
        "Centrumbiblioteket Ode",
        "Central Library Oodi",
        "Töölönlahdenkatu 4",
        "Tölöviksgatan 4",
        "00100",
        [("meeting", "Kaisla"), ("group", "Ruoko"), ("hall", "Maija")],
    ),
    (
        "lauttasaaren-kirjasto",
        T.LIBRARY,
        "southern",
        "Lauttasaaren kirjasto",
        "Drumsö bibliotek",
        "Lauttasaari Library",
        "Pajalahdentie 10",
        "Pajaviksvägen 10",
        "00200",
        [("meeting", "Meri"), ("group", "Laituri")],
    ),
    (
        "ruoholahden-nuorisotalo",
        T.YOUTH_CENTRE,
        "southern",
        "Ruoholahden nuorisotalo",
        "Gräsvikens ungdomsgård",
        "Ruoholahti Youth Centre",
        "Messitytönkatu 4",
        "Messflickegatan 4",
        "00180",
        [("studio", ""), ("youth_hall", "")],
    ),
    (
        "kannelmaen-kirjasto",
        T.LIBRARY,
        "western",
        "Kannelmäen kirjasto",
        "Gamlas bibliotek",
        "Kannelmäki Library",
        "Klaneettitie 5",
        "Klarinettvägen 5",
        "00420",
        [("meeting", "Klarinetti"), ("group", "Oboe")],
    ),
    (
        "haagan-kirjasto",
        T.LIBRARY,
        "western",
        "Haagan kirjasto",
        "Haga bibliotek",
        "Haaga Library",
        "Hopeatie 6",
        "Silvervägen 6",
        "00440",
        [("meeting", "Hopea")],
    ),
    (
        "pitajanmaen-koulu",
        T.SCHOOL,
        "western",
        "Pitäjänmäen peruskoulu",
        "Sockenbacka grundskola",
        "Pitäjänmäki Comprehensive School",
        "Turkismiehenkuja 2",
        "Körsnärsgränden 2",
        "00370",
        [("gym", ""), ("classroom", "")],
    ),
    (
        "kallion-kirjasto",
        T.LIBRARY,
        "central",
        "Kallion kirjasto",
        "Berghälls bibliotek",
        "Kallio Library",
        "Viides linja 11",
        "Femte linjen 11",
        "00530",
        [("meeting", "Torni"), ("group", "Linja"), ("hall", "Kallio")],
    ),
    (
        "pasilan-kirjasto",
        T.LIBRARY,
        "central",
        "Pasilan kirjasto",
        "Böle bibliotek",
        "Pasila Library",
        "Kellosilta 9",
        "Klockbron 9",
        "00520",
        [("meeting", "Silta")],
    ),
    (
        "vallilan-nuorisotalo",
        T.YOUTH_CENTRE,
        "central",
        "Vallilan nuorisotalo",
        "Vallgårds ungdomsgård",
        "Vallila Youth Centre",
        "Päijänteentie 5",
        "Päijännevägen 5",
        "00550",
        [("studio", ""), ("youth_hall", ""), ("kitchen", "")],
    ),
    (
        "arabian-asukastalo",
        T.RESIDENTS_HOUSE,
        "central",
        "Arabianrannan asukastalo",
        "Arabiastrandens invånarhus",
        "Arabianranta Residents' House",
        "Hämeentie 135",
        "Tavastvägen 135",
        "00560",
        [("club_room", "")],
    ),
    (
        "maunulatalo",
        T.LIBRARY,
        "northern",
        "Maunulan kirjasto ja Maunulatalo",
        "Månsas bibliotek och Månsashuset",
        "Maunula Library and Maunula House",
        "Metsäpurontie 4",
        "Skogsbäcksvägen 4",
        "00630",
        [("meeting", "Puro"), ("hall", "Maunula"), ("kitchen", "")],
    ),
    (
        "oulunkylan-kirjasto",
        T.LIBRARY,
        "northern",
        "Oulunkylän kirjasto",
        "Åggelby bibliotek",
        "Oulunkylä Library",
        "Kylänvanhimmantie 27",
        "Byäldstevägen 27",
        "00640",
        [("group", "Kylä")],
    ),
    (
        "pakilan-koulu",
        T.SCHOOL,
        "northern",
        "Pakilan ala-asteen koulu",
        "Baggböle lågstadieskola",
        "Pakila Primary School",
        "Pakilantie 50",
        "Baggbölevägen 50",
        "00660",
        [("gym", "")],
    ),
    (
        "malmitalo",
        T.LIBRARY,
        "north-eastern",
        "Malmin kirjasto",
        "Malms bibliotek",
        "Malmi Library",
        "Ala-Malmin tori 1",
        "Nedre Malms torg 1",
        "00700",
        [("meeting", "Lentokenttä"), ("group", "Kiitotie"), ("auditorium", "Malmi")],
    ),
    (
        "pihlajamaen-nuorisotalo",
        T.YOUTH_CENTRE,
        "north-eastern",
        "Pihlajamäen nuorisotalo",
        "Rönnbacka ungdomsgård",
        "Pihlajamäki Youth Centre",
        "Liusketie 3",
        "Skiffervägen 3",
        "00710",
        [("youth_hall", ""), ("studio", "")],
    ),
    (
        "siltamaen-asukastalo",
        T.RESIDENTS_HOUSE,
        "north-eastern",
        "Siltamäen asukastalo",
        "Brobacka invånarhus",
        "Siltamäki Residents' House",
        "Kämnerintie 11",
        "Kämnärsvägen 11",
        "00740",
        [("club_room", "")],
    ),
    (
        "herttoniemen-kirjasto",
        T.LIBRARY,
        "south-eastern",
        "Herttoniemen kirjasto",
        "Hertonäs bibliotek",
        "Herttoniemi Library",
        "Linnanrakentajantie 2",
        "Slottsbyggarvägen 2",
        "00810",
        [("meeting", "Linna"), ("group", "Torni")],
    ),
    (
        "laajasalon-koulu",
        T.SCHOOL,
        "south-eastern",
        "Laajasalon peruskoulu",
        "Degerö grundskola",
        "Laajasalo Comprehensive School",
        "Koulutanhua 2",
        "Skolgården 2",
        "00840",
        [("gym", ""), ("auditorium", "")],
    ),
    (
        "laajasalon-nuorisotalo",
        T.YOUTH_CENTRE,
        "south-eastern",
        "Laajasalon nuorisotalo",
        "Degerö ungdomsgård",
        "Laajasalo Youth Centre",
        "Reiherintie 6",
        "Reihersvägen 6",
        "00870",
        [("youth_hall", "")],
    ),
    (
        "itakeskuksen-kirjasto",
        T.LIBRARY,
        "eastern",
        "Itäkeskuksen kirjasto",
        "Östra centrums bibliotek",
        "Itäkeskus Library",
        "Turunlinnantie 1",
        "Åbohusvägen 1",
        "00930",
        [("meeting", "Stoa"), ("group", "Aukio")],
    ),
    (
        "vuosaaren-kirjasto",
        T.LIBRARY,
        "eastern",
        "Vuosaaren kirjasto",
        "Nordsjö bibliotek",
        "Vuosaari Library",
        "Mosaiikkitori 2",
        "Mosaiktorget 2",
        "00980",
        [("meeting", "Satama"), ("hall", "Mosaiikki")],
    ),
    (
        "kontulan-koulu",
        T.SCHOOL,
        "eastern",
        "Kontulan peruskoulu",
        "Gårdsbacka grundskola",
        "Kontula Comprehensive School",
        "Ostostie 4",
        "Köpvägen 4",
        "00940",
        [("gym", ""), ("kitchen", ""), ("classroom", "")],
    ),
    (
        "myllypuron-asukastalo",
        T.RESIDENTS_HOUSE,
        "eastern",
        "Myllypuron asukastalo",
        "Kvarnbäckens invånarhus",
        "Myllypuro Residents' House",
        "Kiviportintie 5",
        "Stenportsvägen 5",
        "00920",
        [("club_room", "")],
    ),
]

UNIT_DESCRIPTIONS = {
    T.LIBRARY: (
        "Kirjaston tiloja voi varata maksutta kokouksiin, kerhoihin ja opiskeluun.",
        "Bibliotekets lokaler kan bokas avgiftsfritt för möten, klubbar och studier.",
        "The library's rooms can be booked free of charge for meetings, clubs and study.",
    ),
    T.YOUTH_CENTRE: (
        "Nuorisotalon tiloja voivat varata nuoret ja nuorten ryhmät iltaisin.",
        "Ungdomsgårdens lokaler kan bokas av unga och ungdomsgrupper på kvällarna.",
        "Young people and youth groups can book the youth centre's rooms in the evenings.",
    ),
    T.SCHOOL: (
        "Koulun tiloja vuokrataan iltaisin ja viikonloppuisin yhdistyksille ja asukkaille.",
        "Skolans lokaler hyrs ut på kvällar och veckoslut till föreningar och invånare.",
        "The school's rooms are let to associations and residents on evenings and weekends.",
    ),
    T.RESIDENTS_HOUSE: (
        "Asukastalo on alueen asukkaiden ja yhdistysten yhteinen olohuone.",
        "Invånarhuset är ett gemensamt vardagsrum för områdets invånare och föreningar.",
        "The residents' house is a shared living room for local people and associations.",
    ),
}

TERMS = (
    "Varaaja vastaa tilan siisteydestä ja siitä, että tila on sovittuna aikana tyhjä. "
    "Tilassa ei saa tarjoilla alkoholia.",
    "Den som bokar ansvarar för att lokalen är städad och tom vid utsatt tid. "
    "Alkohol får inte serveras i lokalen.",
    "The booker keeps the space tidy and leaves it on time. No alcohol may be served.",
)

ASSOCIATIONS = [
    "Kallion kuoro ry",
    "Vuosaaren shakkikerho ry",
    "Malmin partiolaiset ry",
    "Herttoniemen eläkeläiset ry",
    "Pihlajamäen kotiseutuyhdistys ry",
    "Maunulan taideseura ry",
    "Kontulan Futis ry",
    "Föreningen Svenska Hemmet i Helsingfors rf",
]

SEASON_BACK_DAYS = 60
SEASON_AHEAD_DAYS = 60


def _texts(field, fi, sv, en):
    return {f"{field}_fi": fi, f"{field}_sv": sv, f"{field}_en": en}


def _holidays(today):
    """Fixed holidays within the season: closed days and New Year's Eve's short day."""
    closed = [(12, 6), (12, 24), (12, 25), (12, 26), (1, 1), (1, 6), (5, 1)]
    first = today - datetime.timedelta(days=SEASON_BACK_DAYS)
    last = today + datetime.timedelta(days=SEASON_AHEAD_DAYS)
    days = []
    for year in (first.year, last.year):
        for month, day in closed:
            date = datetime.date(year, month, day)
            if first <= date <= last:
                days.append((date, None, None))
        eve = datetime.date(year, 12, 31)
        if first <= eve <= last:
            days.append((eve, datetime.time(10), datetime.time(14)))
    return sorted(set(days), key=lambda item: item[0])


@transaction.atomic
def _build_catalogue(today):
    purposes = {}
    for position, (slug, fi, sv, en) in enumerate(PURPOSES):
        purposes[slug], _created = Purpose.objects.update_or_create(
            slug=slug, defaults={"position": position, **_texts("name", fi, sv, en)}
        )
    equipment = {}
    for position, (slug, fi, sv, en) in enumerate(EQUIPMENT):
        equipment[slug], _created = Equipment.objects.update_or_create(
            slug=slug, defaults={"position": position, **_texts("name", fi, sv, en)}
        )
    districts = {area.slug: area for area in Area.objects.districts()}
    rng = random.Random(6)
    spaces = []
    for slug, unit_type, district, fi, sv, en, street_fi, street_sv, code, rooms in UNITS:
        unit = Unit.objects.create(
            slug=slug,
            type=unit_type,
            district=districts[district],
            postal_code=code,
            email=f"{slug}@hel.example",
            accessible_entrance=rng.random() < 0.85,
            accessible_toilet=rng.random() < 0.75,
            accessible_parking=rng.random() < 0.5,
            **_texts("name", fi, sv, en),
            **_texts("street_address", street_fi, street_sv, street_fi),
            **_texts("description", *UNIT_DESCRIPTIONS[unit_type]),
            **_texts("terms", *TERMS),
        )
        for date, opens, closes in _holidays(today):
            OpeningException.objects.create(
                unit=unit,
                date=date,
                opens=opens,
                closes=closes,
                **_texts("reason", "Pyhäpäivä", "Helgdag", "Public holiday")
                if opens is None
                else _texts("reason", "Uudenvuodenaatto", "Nyårsafton", "New Year's Eve"),
            )
        for kind_key, proper in rooms:
            kind = KINDS[kind_key]
            names = [f"{base} {proper}".strip() for base in kind.names]
            space = Space.objects.create(
                unit=unit,
                slug=f"{slug}-{kind_key}",
                capacity=kind.capacity,
                step_free_access=unit.accessible_entrance and rng.random() < 0.9,
                induction_loop=kind.induction_loop,
                min_minutes=kind.min_minutes,
                max_minutes=kind.max_minutes,
                slot_minutes=kind.slot_minutes,
                buffer_after_minutes=kind.buffer_after,
                max_days_ahead=90,
                max_active_bookings=3,
                cancellable_hours_before=24 if kind.price_kind == PriceKind.FREE else 72,
                price_kind=kind.price_kind,
                price=kind.price,
                free_for_associations=kind.free_for_associations,
                confirmation=kind.confirmation,
                authentication=kind.authentication,
                **_texts("name", *names),
            )
            space.purposes.set([purposes[key] for key in kind.purposes])
            space.equipment.set([equipment[key] for key in kind.equipment])
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    space=space,
                    weekday=weekday,
                    opens=datetime.time(opens),
                    closes=datetime.time(closes),
                )
                for weekdays, opens, closes in HOURS[unit_type]
                for weekday in weekdays
            )
            spaces.append(space)
    return spaces


def _tour_bookings(today, spaces):
    """A few bookings made through the services, as residents and staff would. One
    that a rule refuses (the day chosen happens to be a holiday) is left out."""
    made = []
    for make in _tour_steps(today, spaces):
        try:
            made.append(make())
        except services.BookingError:
            continue
    return made


def _tour_steps(today, spaces):
    """Callables, each making one tour booking through a service."""
    by_slug = {space.slug: space for space in spaces}
    people = {user.email: user for user in User.objects.filter(email__endswith="@example.fi")}
    manager = (
        StaffRole.objects.filter(role=StaffRole.Role.PREMISES_MANAGER)
        .select_related("user")
        .first()
    )
    next_tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    aino = people.get("aino.virtanen@example.fi")
    if aino:
        yield lambda: services.create_booking(
            space=by_slug["kallion-kirjasto-meeting"],
            booker=aino,
            begins_at=local_datetime(next_tuesday, datetime.time(17)),
            ends_at=local_datetime(next_tuesday, datetime.time(19)),
            attendees=8,
            purpose=Purpose.objects.get(slug="meeting"),
            description="Taloyhtiön pihatoimikunnan kokous",
        )
    mats = people.get("mats.lindqvist@example.fi")
    if mats:
        thursday = next_tuesday + datetime.timedelta(days=2)
        arguments = {
            "space": by_slug["malmitalo-group"],
            "booker": mats,
            "first_date": thursday,
            "last_date": thursday + datetime.timedelta(weeks=7),
            "begins": datetime.time(18),
            "ends": datetime.time(20),
            "attendees": 6,
        }

        def weekly_club():
            preview = services.preview_series(**arguments)
            return services.create_series(
                **arguments,
                dates=[item.date for item in preview.bookable],
                purpose=Purpose.objects.get(slug="club"),
                description="Schackklubb på svenska",
                association="Föreningen Svenska Hemmet i Helsingfors rf",
            )

        yield weekly_club
    olli = people.get("olli.laine@example.fi")
    if olli:
        saturday = next_tuesday + datetime.timedelta(days=4)
        yield lambda: services.create_booking(
            space=by_slug["kallion-kirjasto-hall"],
            booker=olli,
            begins_at=local_datetime(saturday, datetime.time(12)),
            ends_at=local_datetime(saturday, datetime.time(15)),
            attendees=60,
            purpose=Purpose.objects.get(slug="music"),
            description="Kuoron kevätkonsertti",
            association="Kallion kuoro ry",
            free_of_charge_requested=True,
        )
    if manager:
        wednesday = next_tuesday + datetime.timedelta(days=8)
        yield lambda: services.block_time(
            space=by_slug["vallilan-nuorisotalo-youth_hall"],
            staff=manager.user,
            begins_at=local_datetime(wednesday, datetime.time(14)),
            ends_at=local_datetime(wednesday, datetime.time(21)),
            reason="Lattian huolto",
        )


def _season(today, spaces, rng):
    """Bookings from two months back to two months ahead, written in bulk."""
    now = timezone.now()
    crowd = list(User.objects.filter(email__startswith="asukas"))
    if not crowd:
        return 0
    purposes = {p.slug: p.pk for p in Purpose.objects.all()}
    space_purposes = {
        space.pk: [purposes[slug] for slug in KINDS[space.slug.split("-")[-1]].purposes]
        for space in spaces
    }
    taken = {space.pk: [] for space in spaces}
    for space_id, begins, ends in Booking.objects.active().values_list(
        "space_id", "occupied_from", "occupied_until"
    ):
        taken[space_id].append((begins, ends))
    hours = {}
    for row in OpeningHours.objects.filter(space__in=spaces):
        hours.setdefault((row.space_id, row.weekday), []).append((row.opens, row.closes))
    closed = {
        (row.unit_id, row.date)
        for row in OpeningException.objects.filter(unit__in={s.unit_id for s in spaces})
    }
    rows = []
    first = today - datetime.timedelta(days=SEASON_BACK_DAYS)
    for offset in range(SEASON_BACK_DAYS + SEASON_AHEAD_DAYS):
        day = first + datetime.timedelta(days=offset)
        for space in spaces:
            if (space.unit_id, day) in closed:
                continue
            for opens, closes in hours.get((space.pk, day.weekday()), []):
                for _attempt in range(rng.choice((0, 1, 1, 2, 3))):
                    slot = space.slot_minutes
                    length = rng.randrange(space.min_minutes, space.max_minutes + 1, slot)
                    open_minutes = (closes.hour - opens.hour) * 60
                    if length > open_minutes:
                        continue
                    start = opens.hour * 60 + rng.randrange(0, open_minutes - length + 1, slot)
                    begins_at = local_datetime(day, datetime.time()) + datetime.timedelta(
                        minutes=start
                    )
                    ends_at = begins_at + datetime.timedelta(minutes=length)
                    occupied = (begins_at, ends_at + space.buffer_after)
                    if any(b < occupied[1] and e > occupied[0] for b, e in taken[space.pk]):
                        continue
                    taken[space.pk].append(occupied)
                    rows.append(
                        _season_booking(
                            space, begins_at, ends_at, now, rng, crowd, space_purposes[space.pk]
                        )
                    )
    Booking.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _season_booking(space, begins_at, ends_at, now, rng, crowd, purposes):
    association = rng.choice(ASSOCIATIONS) if rng.random() < 0.35 else ""
    free = bool(association) and space.free_for_associations and rng.random() < 0.5
    handled = space.confirmation == Confirmation.HANDLED or free
    roll = rng.random()
    if roll < 0.08:
        state = BookingState.CANCELLED
    elif handled and begins_at > now and roll < 0.3:
        state = BookingState.REQUIRES_HANDLING
    elif handled and roll < 0.12:
        state = BookingState.DENIED
    else:
        state = BookingState.CONFIRMED
    minutes = (ends_at - begins_at).total_seconds() / 60
    price = Decimal(0) if free and state == BookingState.CONFIRMED else space.price_for(minutes)
    created_at = begins_at - datetime.timedelta(days=rng.randint(1, 40))
    booker = rng.choice(crowd)
    return Booking(
        space=space,
        booker=booker,
        booker_district_id=booker.district_id,
        booker_age_group=age_group_for(booker.age_on(created_at.date())),
        created_by=None,
        purpose_id=rng.choice(purposes),
        attendees=rng.randint(2, space.capacity),
        association=association,
        free_of_charge_requested=free,
        begins_at=begins_at,
        ends_at=ends_at,
        occupied_from=begins_at,
        occupied_until=ends_at + space.buffer_after,
        state=state,
        state_reason="Varaaja perui."
        if state == BookingState.CANCELLED
        else (
            "Tila on jo käytössä koulun omassa tilaisuudessa."
            if state == BookingState.DENIED
            else ""
        ),
        price=price,
        handled_at=created_at if handled and state != BookingState.REQUIRES_HANDLING else None,
        cancelled_at=created_at if state == BookingState.CANCELLED else None,
    )


def build_premises(today):
    """Build the demo premises unless they exist. Returns a one-line summary."""
    if not Unit.objects.filter(slug="oodi").exists():
        spaces = _build_catalogue(today)
        with transaction.atomic():
            _tour_bookings(today, spaces)
            _season(today, spaces, random.Random(2026_06))
    return (
        f"{Space.objects.count()} spaces in {Unit.objects.count()} units, "
        f"{Booking.objects.bookings().count()} bookings, "
        f"{Booking.objects.filter(state=BookingState.REQUIRES_HANDLING).count()} "
        "waiting for staff"
    )
