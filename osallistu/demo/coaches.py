"""Demo coaches: a city coach in each of the seven districts and three business coaches,
their meeting places and office hours, a month of booked and free slots, requests in
every state, events across the districts, and companies the business coaches met.

Meetings, requests and contacts are written in bulk (past meetings cannot go through
the services, which refuse past times, and the demo should not queue hundreds of
e-mails); they keep every rule the database holds. One event books a city space
through the premises services, as a coach would. Built once: a second run finds the
coaches' meetings and leaves everything as it is.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts.models import StaffRole, User
from osallistu.areas.models import Area
from osallistu.coaches.business_id import check_digit
from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    CoachKind,
    CoachProfile,
    Company,
    CompanyContact,
    ContactChannel,
    ContactRequest,
    Event,
    EventKind,
    EventSignup,
    OfficeHours,
    OfficeHoursException,
    Place,
    PlaceKind,
    RequestHandover,
    RequestMessage,
    RequestNote,
    RequestStatus,
    Sector,
    Topic,
)
from osallistu.coaches.selectors.slots import all_slots, local_datetime
from osallistu.premises import selectors as premises_selectors
from osallistu.premises import services as premises_services

from .people import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX

Role = StaffRole.Role

# slug, audience, fi, sv, en
TOPICS = [
    (
        "budgeting",
        "city",
        "Osallistuva budjetointi",
        "Deltagande budgetering",
        "Participatory budgeting",
    ),
    (
        "initiative",
        "city",
        "Aloite tai kehittämisehdotus",
        "Initiativ eller utvecklingsförslag",
        "An initiative or a development proposal",
    ),
    (
        "channel",
        "city",
        "Oikean kanavan löytäminen",
        "Att hitta rätt kanal",
        "Finding the right channel",
    ),
    (
        "community",
        "city",
        "Yhteisöt ja verkostot",
        "Gemenskaper och nätverk",
        "Communities and networks",
    ),
    ("event", "city", "Tapahtuman järjestäminen", "Att ordna ett evenemang", "Organising an event"),
    (
        "starting",
        "business",
        "Yrityksen perustaminen",
        "Att starta ett företag",
        "Starting a business",
    ),
    ("business-premises", "business", "Toimitilat", "Lokaler", "Business premises"),
    ("permits", "business", "Luvat", "Tillstånd", "Permits"),
    ("hiring", "business", "Rekrytointi", "Rekrytering", "Hiring"),
    (
        "procurement",
        "business",
        "Kaupungin hankinnat",
        "Stadens upphandlingar",
        "The city's procurement",
    ),
]

# key, kind, fi, sv, en, street fi, street sv, postal code, district slug, step-free, loop
PLACES = [
    (
        "oodi",
        PlaceKind.LIBRARY,
        "Keskustakirjasto Oodi",
        "Centrumbiblioteket Ode",
        "Central Library Oodi",
        "Töölönlahdenkatu 4",
        "Tölöviksgatan 4",
        "00100",
        "southern",
        True,
        True,
    ),
    (
        "kannelmaki",
        PlaceKind.LIBRARY,
        "Kannelmäen kirjasto",
        "Gamlas bibliotek",
        "Kannelmäki Library",
        "Klaneettitie 5",
        "Klarinettvägen 5",
        "00420",
        "western",
        True,
        True,
    ),
    (
        "kallio",
        PlaceKind.LIBRARY,
        "Kallion kirjasto",
        "Berghälls bibliotek",
        "Kallio Library",
        "Viides linja 11",
        "Femte linjen 11",
        "00530",
        "central",
        False,
        True,
    ),
    (
        "oulunkyla",
        PlaceKind.LIBRARY,
        "Oulunkylän kirjasto",
        "Åggelby bibliotek",
        "Oulunkylä Library",
        "Kylänvanhimmantie 26",
        "Byäldstevägen 26",
        "00640",
        "northern",
        True,
        False,
    ),
    (
        "malmitalo",
        PlaceKind.SERVICE_POINT,
        "Malmitalo",
        "Malms kulturhus",
        "Malmitalo",
        "Ala-Malmin tori 1",
        "Nedre Malms torg 1",
        "00700",
        "north-eastern",
        True,
        True,
    ),
    (
        "herttoniemi",
        PlaceKind.LIBRARY,
        "Herttoniemen kirjasto",
        "Hertonäs bibliotek",
        "Herttoniemi Library",
        "Linnanrakentajantie 2",
        "Slottsbyggarvägen 2",
        "00880",
        "south-eastern",
        True,
        False,
    ),
    (
        "stoa",
        PlaceKind.SERVICE_POINT,
        "Stoa",
        "Stoa",
        "Stoa",
        "Turunlinnantie 1",
        "Åbohusvägen 1",
        "00930",
        "eastern",
        True,
        True,
    ),
    (
        "business",
        PlaceKind.BUSINESS_SERVICES,
        "Yrityspalvelut, Kampin palvelukeskus",
        "Företagstjänster, Kampens servicecentral",
        "Business services, Kamppi",
        "Salomonkatu 21 B",
        "Salomonsgatan 21 B",
        "00100",
        "southern",
        True,
        True,
    ),
]
ONLINE = (
    "online",
    "Etätapaaminen",
    "Distansmöte",
    "Online meeting",
    "https://meet.example.fi/osallistu",
)

# email, name, district, languages, (weekday, begins, ends, place key) × 2, introduction fi/sv/en
CITY_COACHES = [
    (
        "luotsi.etelainen@osallistu.example",
        "Sanna Saari",
        "southern",
        ["fi", "sv", "en"],
        [(1, 10, 13, "oodi"), (3, 15, 18, "online")],
    ),
    (
        "luotsi.lantinen@osallistu.example",
        "Mikko Mäki",
        "western",
        ["fi", "en"],
        [(0, 12, 15, "kannelmaki"), (3, 9, 11, "online")],
    ),
    (
        "luotsi.keskinen@osallistu.example",
        "Aada Aalto",
        "central",
        ["fi", "en", "so"],
        [(1, 14, 17, "kallio"), (4, 9, 12, "kallio")],
    ),
    (
        "luotsi.pohjoinen@osallistu.example",
        "Ville Virta",
        "northern",
        ["fi", "sv"],
        [(2, 10, 13, "oulunkyla"), (3, 13, 15, "online")],
    ),
    (
        "luotsi.koillinen@osallistu.example",
        "Leena Luotsi",
        "north-eastern",
        ["fi", "en", "ru"],
        [(0, 9, 12, "malmitalo"), (2, 14, 17, "malmitalo")],
    ),
    (
        "luotsi.kaakkoinen@osallistu.example",
        "Kari Koski",
        "south-eastern",
        ["fi", "sv"],
        [(1, 9, 12, "herttoniemi"), (3, 14, 16, "online")],
    ),
    (
        "luotsi.itainen@osallistu.example",
        "Hanna Hiltunen",
        "eastern",
        ["fi", "en", "ar"],
        [(0, 13, 16, "stoa"), (2, 9, 12, "stoa")],
    ),
]
BUSINESS_COACHES = [
    (
        "yritysluotsi.keskusta@osallistu.example",
        "Oskar Lind",
        ["southern", "western", "central"],
        ["fi", "sv", "en"],
        [(2, 9, 12, "business"), (4, 10, 12, "online")],
    ),
    (
        "yritysluotsi.pohjoinen@osallistu.example",
        "Maria Nieminen",
        ["northern", "north-eastern"],
        ["fi", "en", "et"],
        [(1, 9, 12, "malmitalo"), (3, 9, 11, "online")],
    ),
    (
        "yritysluotsi.ita@osallistu.example",
        "Yusuf Ahmed",
        ["south-eastern", "eastern"],
        ["fi", "en", "so", "ar"],
        [(0, 9, 12, "stoa"), (3, 12, 14, "online")],
    ),
]

COMPANY_NAMES = [
    "Kahvila Kulma",
    "Pyöräkorjaamo Vauhti",
    "Kampaamo Kiharat",
    "Rakennus Rautio",
    "Koodipaja",
    "Leipomo Limppu",
    "Studio Valo",
    "Siivous Kirkas",
    "Kukkakauppa Kielo",
    "Tilitoimisto Tase",
    "Kierrätys Kiertoon",
    "Fysio Liike",
    "Ravintola Saari",
    "Muuttopalvelu Muutto",
    "Pelistudio Pulma",
    "Kirjakauppa Sivu",
    "Korjaamo Ruuvi",
    "Tapahtumatoimisto Tori",
    "Ompelimo Pisto",
    "Kuljetus Nopea",
    "Lastenhoito Pesä",
    "Sähkö Virta",
    "Vaatekauppa Vyö",
    "Käännöstoimisto Sana",
    "Puutarha Verso",
]


def _texts(field, fi, sv, en):
    return {f"{field}_fi": fi, f"{field}_sv": sv, f"{field}_en": en}


def _business_ids(count, rng):
    """Valid business IDs (check digit worked out), different from one another."""
    found = set()
    while len(found) < count:
        digits = f"{rng.randint(1000000, 3299999):07d}"
        check = check_digit(digits)
        if check is not None:
            found.add(f"{digits}-{check}")
    return sorted(found)


@transaction.atomic
def build_coaches(today=None):
    """Build the demo coaches; returns the lines the demo command prints."""
    today = today or timezone.localdate()
    now = timezone.now()
    if Appointment.objects.exists():
        return _summary()
    rng = random.Random(2026)
    areas = {area.slug: area for area in Area.objects.all()}
    topics = _topics()
    places = _places(areas)
    coaches = _coaches(areas, places, today)
    residents = list(
        User.objects.filter(email__startswith="asukas")
        .select_related("district")
        .order_by("email")[:300]
    )
    _appointments(coaches, topics, residents, today, now, rng)
    companies = _companies(areas, rng)
    _requests(coaches, topics, residents, companies, areas, now, rng)
    _contacts(coaches, topics, companies, today, rng)
    _events(coaches, places, areas, residents, today, now)
    return _summary()


def _topics():
    made = {}
    for position, (slug, audience, fi, sv, en) in enumerate(TOPICS):
        made[slug] = Topic.objects.update_or_create(
            slug=slug,
            defaults={"audience": audience, "position": position, **_texts("name", fi, sv, en)},
        )[0]
    return made


def _places(areas):
    made = {}
    for key, kind, fi, sv, en, street_fi, street_sv, code, district, step_free, loop in PLACES:
        made[key] = Place.objects.update_or_create(
            name_fi=fi,
            defaults={
                "kind": kind,
                **_texts("name", fi, sv, en),
                **_texts("street_address", street_fi, street_sv, street_fi),
                "postal_code": code,
                "district": areas[district],
                "step_free": step_free,
                "induction_loop": loop,
            },
        )[0]
    key, fi, sv, en, link = ONLINE
    made[key] = Place.objects.update_or_create(
        name_fi=fi,
        defaults={"kind": PlaceKind.ONLINE, **_texts("name", fi, sv, en), "online_link": link},
    )[0]
    return made


def _staff(email, name, password):
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "full_name": name,
            "is_staff": True,
            "preferred_language": "fi",
            "password": password,
        },
    )
    TOTPDevice.objects.update_or_create(
        user=user, name="Demo authenticator", defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True}
    )
    return user


def _coaches(areas, places, today):
    """[(user, profile, [district, …])] of every demo coach, with roles and hours."""
    made = []
    specs = [(e, n, [d], lang, h, CoachKind.CITY) for e, n, d, lang, h in CITY_COACHES] + [
        (e, n, d, lang, h, CoachKind.BUSINESS) for e, n, d, lang, h in BUSINESS_COACHES
    ]
    password = make_password(DEMO_PASSWORD)
    for email, name, districts, languages, hours, kind in specs:
        user = _staff(email, name, password)
        role = Role.CITY_COACH if kind == CoachKind.CITY else Role.BUSINESS_COACH
        for slug in districts:
            StaffRole.objects.get_or_create(user=user, role=role, area=areas[slug])
        district_names = ", ".join(areas[slug].name_fi for slug in districts)
        profile, _ = CoachProfile.objects.update_or_create(
            user=user,
            defaults={
                "kind": kind,
                "slug": email.split("@")[0].replace(".", "-"),
                "languages": languages,
                "phone": f"09 310 {_phone(email)}",
                "email": email,
                **_texts(
                    "introduction",
                    f"Autan {district_names} -alueen asukkaita ja yhteisöjä osallistumaan."
                    if kind == CoachKind.CITY
                    else f"Autan yrityksiä alueilla {district_names}: perustaminen, tilat, "
                    "luvat ja rekrytointi.",
                    "Jag hjälper invånare och gemenskaper att delta."
                    if kind == CoachKind.CITY
                    else "Jag hjälper företag med start, lokaler, tillstånd och rekrytering.",
                    "I help residents and communities take part."
                    if kind == CoachKind.CITY
                    else "I help companies with starting up, premises, permits and hiring.",
                ),
                **_texts(
                    "reach",
                    "Vastaan puhelimeen ma–to klo 9–15.",
                    "Jag svarar i telefon mån–tors kl. 9–15.",
                    "I answer the phone Mon–Thu 9.00–15.00.",
                ),
            },
        )
        OfficeHours.objects.filter(coach=user).delete()
        for weekday, begins, ends, place in hours:
            OfficeHours.objects.create(
                coach=user,
                weekday=weekday,
                begins=datetime.time(begins),
                ends=datetime.time(ends),
                slot_minutes=30 if kind == CoachKind.CITY else 45,
                place=places[place],
                valid_from=today - datetime.timedelta(days=60),
            )
        made.append((user, profile, [areas[slug] for slug in districts]))
    _exceptions(made, places, today)
    return made


def _phone(email):
    return f"{sum(map(ord, email)) % 9000 + 1000}"


def _exceptions(coaches, places, today):
    """A day off for every coach in the coming month, and a day at another place."""
    for index, (user, _profile, _districts) in enumerate(coaches):
        hours = list(OfficeHours.objects.filter(coach=user).order_by("weekday"))
        day_off = _next_weekday(today + datetime.timedelta(days=8 + index % 5), hours[0].weekday)
        OfficeHoursException.objects.get_or_create(
            coach=user,
            date=day_off,
            defaults=_texts("reason", "Koulutuspäivä", "Utbildningsdag", "Training day"),
        )
        moved = _next_weekday(today + datetime.timedelta(days=15), hours[-1].weekday)
        OfficeHoursException.objects.get_or_create(
            coach=user,
            date=moved,
            begins=hours[-1].begins,
            ends=hours[-1].ends,
            defaults={
                "place": places["oodi"],
                "slot_minutes": hours[-1].slot_minutes,
                **_texts("reason", "Oodissa tänään", "På Ode i dag", "At Oodi today"),
            },
        )


def _next_weekday(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _appointments(coaches, topics, residents, today, now, rng):
    """A month back and a month ahead: about half of the slots booked."""
    city_topics = [t for t in topics.values() if t.audience == CoachKind.CITY]
    business_topics = [t for t in topics.values() if t.audience == CoachKind.BUSINESS]
    first, last = today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)
    slots = all_slots([user.pk for user, _p, _d in coaches], first, last)
    rows = []
    for user, profile, districts in coaches:
        for slot in slots[user.pk]:
            if rng.random() > (0.55 if slot.begins_at < now else 0.4):
                continue
            person = rng.choice(residents)
            past = slot.begins_at < now
            state = AppointmentState.CONFIRMED
            if past:
                state = rng.choices(
                    [AppointmentState.HELD, AppointmentState.NO_SHOW, AppointmentState.CANCELLED],
                    weights=[85, 5, 10],
                )[0]
            elif rng.random() < 0.05:
                state = AppointmentState.CANCELLED
            district = person.district if person.district in districts else districts[0]
            rows.append(
                Appointment(
                    coach=user,
                    coach_kind=profile.kind,
                    district=district,
                    begins_at=slot.begins_at,
                    ends_at=slot.ends_at,
                    place=slot.place,
                    person=person,
                    name=person.full_name,
                    email=person.email,
                    email_language=person.preferred_language,
                    meeting_language=rng.choice(profile.languages),
                    topic=rng.choice(
                        city_topics if profile.kind == CoachKind.CITY else business_topics
                    ),
                    details="",
                    state=state,
                    confirmed_at=slot.begins_at - datetime.timedelta(days=rng.randint(2, 20)),
                    cancelled_at=slot.begins_at - datetime.timedelta(days=1)
                    if state == AppointmentState.CANCELLED
                    else None,
                    reminded_at=slot.begins_at - datetime.timedelta(hours=20) if past else None,
                )
            )
    Appointment.objects.bulk_create(rows)
    # Two bookings made without an account: one not confirmed in time, one waiting now.
    upcoming = [row for row in rows if row.begins_at > now + datetime.timedelta(days=3)]
    for row, state in zip(
        upcoming[:2], [AppointmentState.EXPIRED, AppointmentState.PENDING], strict=False
    ):
        Appointment.objects.filter(pk=row.pk).update(
            state=state,
            person=None,
            email="vieras@example.fi",
            confirmed_at=None,
            hold_until=now
            + datetime.timedelta(minutes=30 if state == AppointmentState.PENDING else -10),
        )


def _companies(areas, rng):
    districts = [area for area in areas.values() if area.kind == Area.Kind.DISTRICT]
    made = []
    for name, business_id in zip(
        COMPANY_NAMES, _business_ids(len(COMPANY_NAMES), rng), strict=True
    ):
        made.append(
            Company.objects.get_or_create(
                business_id=business_id,
                defaults={
                    "name": f"{name} Oy",
                    "sector": rng.choice(Sector.values),
                    "district": rng.choice(districts),
                },
            )[0]
        )
    return made


QUESTIONS = [
    "Miten voin tehdä ehdotuksen puistomme valaistuksesta?",
    "Haluaisimme järjestää pihatapahtuman. Mistä saamme luvan ja tilan?",
    "Kuka päättää leikkipuiston kunnostuksesta ja miten voin vaikuttaa siihen?",
    "Voisitteko auttaa kirjoittamaan aloitteen koulumatkojen turvallisuudesta?",
    "Mistä löydän asukasyhdistyksen alueeltamme?",
]
BUSINESS_QUESTIONS = [
    "Aloitamme kahvilan. Mitä lupia tarvitsemme?",
    "Etsimme pientä liiketilaa kadun varrelta.",
    "Miten pääsemme mukaan kaupungin hankintoihin?",
    "Palkkaamme ensimmäisen työntekijän. Mitä tukia on saatavilla?",
]
ANSWER = (
    "Kiitos kysymyksestä! Kannattaa aloittaa kaupungin palautekanavasta; autan mielelläni "
    "ehdotuksen muotoilussa. Voimme myös tavata vastaanotollani."
)


def _requests(coaches, topics, residents, companies, areas, now, rng):
    """Requests in every state, to every coach, some handed over, some with notes."""
    city = [(u, p, d) for u, p, d in coaches if p.kind == CoachKind.CITY]
    business = [(u, p, d) for u, p, d in coaches if p.kind == CoachKind.BUSINESS]
    statuses = list(RequestStatus.values)
    number = 0
    for group, questions, topic_kind in (
        (city, QUESTIONS, "city"),
        (business, BUSINESS_QUESTIONS, "business"),
    ):
        topic_list = [t for t in topics.values() if t.audience == topic_kind]
        for user, _profile, districts in group:
            for status in statuses:
                number += 1
                sent = now - datetime.timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
                asker = residents[number % len(residents)]
                answered = status in (
                    RequestStatus.WAITING,
                    RequestStatus.ANSWERED,
                    RequestStatus.CLOSED,
                )
                first_response = (
                    sent + datetime.timedelta(hours=rng.randint(2, 60)) if answered else None
                )
                request = ContactRequest.objects.create(
                    kind=topic_kind,
                    district=districts[number % len(districts)],
                    assigned_to=user,
                    asker=asker,
                    company=rng.choice(companies) if topic_kind == "business" else None,
                    topic=rng.choice(topic_list),
                    wants_meeting=topic_kind == "business" and number % 2 == 0,
                    question=questions[number % len(questions)],
                    language=asker.preferred_language,
                    status=status,
                    created_at=sent,
                    first_response_at=first_response,
                    closed_at=min(now, first_response + datetime.timedelta(days=2))
                    if status == RequestStatus.CLOSED
                    else None,
                    updated_at=first_response or sent,
                )
                if first_response:
                    RequestMessage.objects.create(
                        request=request,
                        author=user,
                        from_coach=True,
                        body=ANSWER,
                        created_at=first_response,
                    )
                if status == RequestStatus.IN_PROGRESS:
                    RequestNote.objects.create(
                        request=request,
                        author=user,
                        body="Soitin asukkaalle, selvitän asiaa rakennusvirastosta.",
                        created_at=sent + datetime.timedelta(hours=3),
                    )
    # One request handed from a city coach to a business coach.
    first_city, first_business = city[0][0], business[0][0]
    handed = ContactRequest.objects.filter(assigned_to=first_city, status=RequestStatus.NEW).first()
    if handed is not None:
        RequestHandover.objects.create(
            request=handed,
            from_coach=first_city,
            to_coach=first_business,
            note="Kysyjä perustaa yritystä – sopii paremmin yritysluotsille.",
            created_at=handed.created_at + datetime.timedelta(hours=5),
        )
        handed.assigned_to = first_business
        handed.save(update_fields=["assigned_to"])


def _contacts(coaches, topics, companies, today, rng):
    business_topics = [t for t in topics.values() if t.audience == CoachKind.BUSINESS]
    rows = []
    for user, profile, districts in coaches:
        if profile.kind != CoachKind.BUSINESS:
            continue
        own = [company for company in companies if company.district in districts] or companies
        for _ in range(18):
            company = rng.choice(own)
            rows.append(
                CompanyContact(
                    coach=user,
                    company=company,
                    district=company.district,
                    topic=rng.choice(business_topics),
                    channel=rng.choice(ContactChannel.values),
                    happened_on=today - datetime.timedelta(days=rng.randint(0, 120)),
                )
            )
    CompanyContact.objects.bulk_create(rows)


# kind, fi, sv, en, days from today, begins hour, hours, sign-up capacity (None: none)
EVENTS = [
    (
        EventKind.RESIDENT_EVENING,
        "Pormestarin asukasilta",
        "Borgmästarens invånarkväll",
        "The mayor's resident evening",
        9,
        17,
        2,
        120,
    ),
    (
        EventKind.SUPPORTED_VOTING,
        "Tuettu äänestyspiste",
        "Stödd röstningsplats",
        "Supported voting point",
        5,
        12,
        3,
        None,
    ),
    (
        EventKind.WORKSHOP,
        "Ideatyöpaja: oma lähiö",
        "Idéverkstad: mitt område",
        "Idea workshop: our neighbourhood",
        12,
        17,
        2,
        25,
    ),
    (
        EventKind.BUSINESS_BREAKFAST,
        "Yritysaamiainen",
        "Företagsfrukost",
        "Business breakfast",
        14,
        8,
        1,
        40,
    ),
]


def _events(coaches, places, areas, residents, today, now):
    city_coaches = [(u, d[0]) for u, p, d in coaches if p.kind == CoachKind.CITY]
    business_coaches = [(u, d[0]) for u, p, d in coaches if p.kind == CoachKind.BUSINESS]
    place_of_district = {place.district_id: place for place in places.values() if place.district_id}
    made = []
    for index, (user, district) in enumerate(city_coaches):
        for kind, fi, sv, en, days, hour, length, capacity in EVENTS[:3]:
            begins = local_datetime(
                today + datetime.timedelta(days=days + index), datetime.time(hour)
            )
            made.append(
                _event(
                    user,
                    district,
                    kind,
                    (fi, sv, en),
                    begins,
                    length,
                    place_of_district.get(district.pk) or places["oodi"],
                    capacity,
                    now,
                )
            )
    for index, (user, district) in enumerate(business_coaches):
        kind, fi, sv, en, days, hour, length, capacity = EVENTS[3]
        begins = local_datetime(
            today + datetime.timedelta(days=days + index * 2), datetime.time(hour)
        )
        made.append(
            _event(
                user,
                district,
                kind,
                (fi, sv, en),
                begins,
                length,
                places["business"],
                capacity,
                now,
            )
        )
    # A past evening with its participants, a cancelled workshop, a city-wide event.
    past = _event(
        city_coaches[0][0],
        city_coaches[0][1],
        EventKind.RESIDENT_EVENING,
        ("Asukasilta", "Invånarkväll", "Resident evening"),
        now - datetime.timedelta(days=20),
        2,
        places["oodi"],
        None,
        now,
    )
    Event.objects.filter(pk=past.pk).update(participants=64)
    _signups(made, residents)
    Event.objects.filter(pk=made[2].pk).update(
        cancelled_at=now, cancel_reason="Ohjaaja sairastui.", sequence=1
    )
    _event(
        city_coaches[2][0],
        areas["helsinki"],
        EventKind.OTHER,
        ("Stadiluotsien avoimet ovet", "Stadslotsarnas öppet hus", "City coaches' open house"),
        local_datetime(today + datetime.timedelta(days=20), datetime.time(16)),
        3,
        places["oodi"],
        None,
        now,
    )
    _event_in_city_space(city_coaches[2][0], city_coaches[2][1], today, now)


def _event(user, district, kind, titles, begins, hours, place, capacity, now):
    return Event.objects.create(
        kind=kind,
        **_texts("title", *titles),
        **_texts(
            "description",
            "Tervetuloa keskustelemaan alueen asioista! Kahvitarjoilu.",
            "Välkommen att diskutera områdets frågor! Kaffeservering.",
            "Come and talk about the area! Coffee served.",
        ),
        district=district,
        organiser=user,
        begins_at=begins,
        ends_at=begins + datetime.timedelta(hours=hours),
        place=place,
        languages=["fi", "sv"] if kind == EventKind.RESIDENT_EVENING else ["fi"],
        step_free=place.step_free,
        induction_loop=place.induction_loop,
        signup_required=capacity is not None,
        capacity=capacity,
        published_at=now - datetime.timedelta(days=3),
    )


def _signups(events, residents):
    for index, event in enumerate(events):
        if not event.signup_required:
            continue
        count = min(event.capacity, 3 + index * 2)
        people = residents[index * 7 : index * 7 + count]
        EventSignup.objects.bulk_create(
            EventSignup(event=event, person=person) for person in people
        )
        Event.objects.filter(pk=event.pk).update(signup_count=len(people))


def _event_in_city_space(user, district, today, now):
    """A workshop in a city space, booked through the premises services as a coach
    would; the first free evening of a meeting room in the district is taken."""
    spaces = list(premises_selectors.searchable_spaces(district=district, people=10)[:3])
    for days in range(18, 40):
        for space in spaces:
            begins = local_datetime(today + datetime.timedelta(days=days), datetime.time(18))
            try:
                with transaction.atomic():
                    booking = premises_services.create_booking(
                        space=space,
                        booker=user,
                        begins_at=begins,
                        ends_at=begins + datetime.timedelta(hours=2),
                        attendees=10,
                        description="Kortteliverstas",
                        now=now,
                    )
                    Event.objects.create(
                        kind=EventKind.WORKSHOP,
                        **_texts("title", "Kortteliverstas", "Kvartersverkstad", "Block workshop"),
                        district=district,
                        organiser=user,
                        begins_at=booking.begins_at,
                        ends_at=booking.ends_at,
                        space_booking=booking,
                        languages=["fi", "en"],
                        step_free=space.step_free_access,
                        signup_required=True,
                        capacity=10,
                        published_at=now,
                    )
            except premises_services.BookingError:
                continue
            return


def _summary():
    coaches = CoachProfile.objects.select_related("user").order_by("kind", "slug")
    lines = [f"    {profile.user.email:<44} {profile.get_kind_display()}" for profile in coaches]
    counts = (
        f"{Appointment.objects.count()} meetings, {ContactRequest.objects.count()} requests, "
        f"{Event.objects.count()} events, {Company.objects.count()} companies"
    )
    return lines, counts
