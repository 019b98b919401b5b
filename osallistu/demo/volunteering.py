"""Demo volunteering: thirty organisers (city units and associations; three still
waiting for verification), 150 opportunities across the districts, a season of shifts
(two months back, two months ahead) with sign-ups, waiting lists and confirmed hours,
and talkoot, a few of them waiting for approval.

Written in bulk, in one transaction: the season's past cannot go through the services,
which refuse past times. What the database holds is still what the services would make:
each shift's ``taken`` is the number of sign-ups holding its places, under-18s hold a
place only with their guardian's consent, hours only for those who came. Aino Virtanen
is a member of Kallion Kumppanit ry, so the tour can show an organiser's pages. Built
once: a second run finds the organisers and leaves everything as it is.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from osallistu.accounts.models import User
from osallistu.areas.models import Area
from osallistu.core import geo
from osallistu.volunteering.models import (
    Language,
    Opportunity,
    Organiser,
    OrganiserMember,
    Shift,
    SignUp,
    Talkoot,
    Theme,
)
from osallistu.volunteering.selectors import local_datetime

ORGANISERS = [
    ("Kallion Kumppanit ry", "association", "central"),
    ("Helsingin kaupunginkirjasto", "city_unit", None),
    ("Nuorisopalvelut, Itä", "city_unit", "eastern"),
    ("Nuorisopalvelut, Pohjoinen", "city_unit", "northern"),
    ("Stadin Ikäihmiset ry", "association", "southern"),
    ("Vuosaaren Rantaraati ry", "association", "eastern"),
    ("Malmin Martat ry", "association", "north-eastern"),
    ("Herttoniemen Kotiseutuyhdistys ry", "association", "south-eastern"),
    ("Pohjois-Haagan Puistokummit ry", "association", "western"),
    ("Kannelmäen Liikuntaseura ry", "association", "western"),
    ("Ruokapankki Helsinki ry", "association", None),
    ("Pikku Huopalahden Asukasyhdistys ry", "association", "western"),
    ("Kontulan Kohtaamispaikka ry", "association", "eastern"),
    ("Helsingin luontokoulut", "city_unit", None),
    ("Kulttuurikeskus Stoa", "city_unit", "eastern"),
    ("Kaupunginmuseon ystävät ry", "association", "southern"),
    ("Lauttasaaren Lukukaverit ry", "association", "southern"),
    ("Käpylän Kirkkopiiri ry", "association", "central"),
    ("Digitukiverkosto Helsinki", "city_unit", None),
    ("Pihlajamäen Pihapiiri ry", "association", "north-eastern"),
    ("Maunulan Maja ry", "association", "northern"),
    ("Eläinsuojeluyhdistys Tassu ry", "association", None),
    ("Kallion Kielikahvila ry", "association", "central"),
    ("Mellunmäen Metsäporukka ry", "association", "eastern"),
    ("Seniorikeskus Kinapori", "city_unit", "south-eastern"),
    ("Itäkeskuksen Nuorten Ääni ry", "association", "eastern"),
    ("Suomenlinnan Saaristoseura ry", "association", "southern"),
    ("Tapaninvainion Talkooväki ry", "association", "north-eastern"),
    ("Oulunkylän Omaishoitajat ry", "association", "northern"),
    ("Meilahden Musiikkiyhdistys ry", "association", "central"),
]
PENDING = {"Pihlajamäen Pihapiiri ry", "Maunulan Maja ry", "Meilahden Musiikkiyhdistys ry"}

# (fi, sv, en) title, theme slugs, kind, under-18s from this age (None: adults), hours
TASKS = [
    (
        ("Puistosiivous", "Parkstädning", "Park clean-up"),
        ["nature", "neighbourhood"],
        "one_off",
        10,
        3,
    ),
    (
        ("Lukukaveri lapsille", "Läsvän för barn", "Reading buddy for children"),
        ["children"],
        "ongoing",
        None,
        2,
    ),
    (
        (
            "Ulkoiluystävä ikäihmiselle",
            "Promenadvän för äldre",
            "Walking friend for an older person",
        ),
        ["elderly"],
        "ongoing",
        15,
        2,
    ),
    (("Ruoka-avun jakaja", "Utdelare av mathjälp", "Food aid helper"), ["food"], "one_off", 16, 4),
    (
        ("Kielikahvilan emäntä tai isäntä", "Värd på språkcafé", "Language café host"),
        ["integration"],
        "ongoing",
        15,
        2,
    ),
    (
        ("Tapahtuman järjestyksenvalvoja", "Evenemangsvärd", "Event steward"),
        ["culture"],
        "one_off",
        None,
        5,
    ),
    (
        ("Digituki kirjastossa", "Digitalt stöd på biblioteket", "Digital help at the library"),
        ["digital", "elderly"],
        "ongoing",
        15,
        2,
    ),
    (
        ("Liikuntakerhon apuohjaaja", "Hjälpledare i idrottsklubb", "Assistant sports club leader"),
        ["sports", "children"],
        "ongoing",
        13,
        2,
    ),
    (
        ("Vieraslajitalkoot", "Talko mot främmande arter", "Invasive plant removal"),
        ["nature"],
        "one_off",
        13,
        3,
    ),
    (("Eläinten ulkoiluttaja", "Rastare av djur", "Animal walker"), ["animals"], "ongoing", 16, 2),
]
PLACES = ["Leikkipuisto", "Kirjasto", "Nuorisotalo", "Asukastalo", "Ranta", "Kulttuurikeskus"]
EXTRA_LANGUAGES = ["ru", "et", "so", "ar"]


def build_volunteering(today):
    """Build the demo volunteering unless it exists. Returns a one-line summary."""
    if not Organiser.objects.filter(slug="kallion-kumppanit-ry").exists():
        with transaction.atomic():
            _build(today, random.Random(2026_17))
    return (
        f"{Organiser.objects.count()} organisers, {Opportunity.objects.count()} opportunities, "
        f"{Shift.objects.count()} shifts, {SignUp.objects.count()} sign-ups, "
        f"{Talkoot.objects.filter(status=Talkoot.Status.WAITING).count()} talkoot waiting"
    )


def _point(rng, slug):
    ring = geo.DISTRICT_OUTLINES[slug]
    lon, lat = geo.centroid(ring)
    return (
        Decimal(f"{lat + rng.uniform(-0.008, 0.008):.6f}"),
        Decimal(f"{lon + rng.uniform(-0.015, 0.015):.6f}"),
    )


def _build(today, rng):
    now = timezone.now()
    districts = {area.slug: area for area in Area.objects.districts()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    languages = {language.slug: language for language in Language.objects.all()}
    people = list(
        User.objects.filter(email__startswith="asukas", birth_date__isnull=False).only(
            "pk", "full_name", "birth_date", "email", "preferred_language"
        )
    )
    aino = User.objects.filter(email="aino.virtanen@example.fi").first()

    organisers = Organiser.objects.bulk_create(
        Organiser(
            name=name,
            slug=_slug(name),
            kind=kind,
            district=districts.get(district),
            email=f"{_slug(name)}@example.fi",
            description="Toimimme yhdessä lähiympäristön hyväksi.",
            status=Organiser.Status.PENDING if name in PENDING else Organiser.Status.VERIFIED,
            decided_at=None if name in PENDING else now,
        )
        for name, kind, district in ORGANISERS
    )
    members = [OrganiserMember(organiser=organisers[0], user=aino)] if aino else []
    members += [
        OrganiserMember(organiser=organiser, user=rng.choice(people))
        for organiser in organisers[1:]
    ]
    OrganiserMember.objects.bulk_create(members, ignore_conflicts=True)

    opportunities, chosen = [], []
    for index in range(150):
        organiser = organisers[index % len(organisers)]
        titles, theme_slugs, kind, youth, hours = TASKS[
            (index // len(organisers) + index) % len(TASKS)
        ]
        slug = organiser.district.slug if organiser.district else rng.choice(list(districts))
        remote = theme_slugs == ["digital", "elderly"] and index % 3 == 0
        latitude, longitude = (None, None) if remote else _point(rng, slug)
        place = f"{rng.choice(PLACES)}, {districts[slug].name_fi}"
        opportunities.append(
            Opportunity(
                organiser=organiser,
                title=titles[0],
                title_fi=titles[0],
                title_sv=titles[1],
                title_en=titles[2],
                description=f"{titles[0]}: tule mukaan, perehdytämme sinut tehtävään.",
                description_fi=f"{titles[0]}: tule mukaan, perehdytämme sinut tehtävään.",
                description_sv=f"{titles[1]}: kom med, vi introducerar dig i uppdraget.",
                description_en=f"{titles[2]}: join us, we show you what to do.",
                tasks_fi="Tehtävät sovitaan yhdessä, kokemusta ei tarvita.",
                tasks_en="We agree on the tasks together; no experience needed.",
                offers_training=index % 2 == 0,
                offers_insurance=True,
                offers_certificate=index % 4 == 0,
                district=None if remote else districts[slug],
                place_text="" if remote else place,
                latitude=latitude,
                longitude=longitude,
                kind=kind,
                remote=remote,
                accessible=index % 3 != 1,
                under_18_allowed=youth is not None,
                youth_min_age=youth,
                contact_name="Kaisa Koordinaattori",
                contact_email=organiser.email,
                status=Opportunity.Status.DRAFT
                if organiser.name in PENDING
                else Opportunity.Status.PUBLISHED,
                published_at=None if organiser.name in PENDING else now,
            )
        )
        chosen.append((theme_slugs, hours))
    opportunities = Opportunity.objects.bulk_create(opportunities)
    Opportunity.themes.through.objects.bulk_create(
        Opportunity.themes.through(opportunity=opportunity, theme=themes[slug])
        for opportunity, (theme_slugs, _hours) in zip(opportunities, chosen, strict=True)
        for slug in theme_slugs
    )
    Opportunity.languages.through.objects.bulk_create(
        Opportunity.languages.through(opportunity=opportunity, language=languages[code])
        for index, opportunity in enumerate(opportunities)
        for code in [
            "fi",
            *(["sv"] if index % 3 == 0 else []),
            *(["en"] if index % 2 == 0 else []),
            *([EXTRA_LANGUAGES[index % 4]] if index % 5 == 0 else []),
        ]
    )
    _season(today, now, rng, opportunities, chosen, people)
    _talkoot(today, now, rng, districts, people)


def _slug(name):
    return slugify(name)[:70]


def _season(today, now, rng, opportunities, chosen, people):
    """Shifts from two months back to two months ahead, every ten days or so per
    opportunity, with sign-ups; past shifts have the hours organisers confirmed."""
    shifts = []
    for opportunity, (_themes, hours) in zip(opportunities, chosen, strict=True):
        day = today - datetime.timedelta(days=60 - rng.randint(0, 9))
        while day <= today + datetime.timedelta(days=60):
            begins = local_datetime(day, datetime.time(rng.choice([10, 13, 17])))
            shifts.append(
                Shift(
                    opportunity=opportunity,
                    starts_at=begins,
                    ends_at=begins + datetime.timedelta(hours=hours),
                    capacity=rng.choice([4, 6, 8, 10, 12]),
                )
            )
            day += datetime.timedelta(days=rng.randint(7, 14))
    shifts = Shift.objects.bulk_create(shifts)
    by_pk = {opportunity.pk: opportunity for opportunity in opportunities}
    signups = []
    for shift in shifts:
        opportunity = by_pk[shift.opportunity_id]
        if opportunity.status != Opportunity.Status.PUBLISHED:
            continue
        day = timezone.localtime(shift.starts_at).date()
        past = shift.starts_at < now
        youngest = opportunity.youth_min_age or 18
        wanted = rng.randint(shift.capacity // 2, shift.capacity + 3)
        seen = set()
        for person in rng.sample(people, min(len(people), wanted * 3)):
            if len(seen) >= wanted:
                break
            age = person.age_on(day)
            if age < youngest or person.pk in seen:
                continue
            seen.add(person.pk)
            holds = shift.taken < shift.capacity
            if not holds and past:
                continue  # the waiting list of a past shift is not kept
            signed = shift.starts_at - datetime.timedelta(days=rng.randint(3, 20))
            consented = signed + datetime.timedelta(hours=5) if age < 18 else None
            attended = past and holds and rng.random() < 0.85
            signups.append(
                SignUp(
                    shift=shift,
                    volunteer=person,
                    name=person.full_name,
                    age=age,
                    status=SignUp.Status.CONFIRMED if holds else SignUp.Status.WAITING,
                    created_at=signed,
                    held_since=signed if holds else None,
                    guardian_name="Huoltaja" if age < 18 else "",
                    guardian_email=f"huoltaja.{person.pk}@example.fi" if age < 18 else "",
                    guardian_language=person.preferred_language if age < 18 else "",
                    guardian_confirmed_at=consented,
                    attendance=(
                        SignUp.Attendance.ATTENDED if attended else SignUp.Attendance.ABSENT
                    )
                    if past and holds
                    else "",
                    hours=Decimal(shift.duration_hours).quantize(Decimal("0.25"))
                    if attended
                    else None,
                    attendance_at=shift.ends_at if past and holds else None,
                )
            )
            if holds:
                shift.taken += 1
    SignUp.objects.bulk_create(signups, batch_size=2000)
    Shift.objects.bulk_update(
        [shift for shift in shifts if shift.taken], ["taken"], batch_size=2000
    )


def _talkoot(today, now, rng, districts, people):
    plans = [
        ("Kevätsiivous Karhupuistossa", "central", 10, Talkoot.Status.WAITING),
        ("Rantasiivous Aurinkolahdessa", "eastern", 14, Talkoot.Status.WAITING),
        ("Metsäpolun raivaus", "north-eastern", 21, Talkoot.Status.WAITING),
        ("Pihatalkoot Pikku Huopalahdessa", "western", 8, Talkoot.Status.WAITING),
        ("Puistosiivous Kumpulassa", "central", 12, Talkoot.Status.APPROVED),
        (
            "Vieraslajien kitkentä Vanhankaupunginlahdella",
            "north-eastern",
            18,
            Talkoot.Status.APPROVED,
        ),
        ("Lumien jälkeinen roskaharavointi", "southern", 25, Talkoot.Status.APPROVED),
    ]
    Talkoot.objects.bulk_create(
        Talkoot(
            proposer=rng.choice(people),
            title=title,
            description="Kerätään roskat ja haravoidaan yhdessä. Kaikki ovat tervetulleita!",
            district=districts[slug],
            place_text=title.split(" ", 1)[-1],
            starts_on=today + datetime.timedelta(days=days),
            ends_on=today + datetime.timedelta(days=days),
            expected_participants=rng.randint(5, 40),
            equipment=["bags", "gloves", "pickers"],
            status=status,
            decided_at=now if status == Talkoot.Status.APPROVED else None,
            created_at=now - datetime.timedelta(days=2),
        )
        for title, slug, days, status in plans
    )
