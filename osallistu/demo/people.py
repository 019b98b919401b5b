"""Demo people: named residents for the tour, staff of every role, and a crowd of
residents of every age and district so that figures look like a city's."""

import base64
import random
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts.models import StaffRole, User, VerificationMethod
from osallistu.areas.models import Area, PostalCode

DEMO_PASSWORD = "osallistu-demo-2026"
# One authenticator entry serves every demo staff account. Demo only.
DEMO_TOTP_KEY_HEX = "3132333435363738393031323334353637383930"


def demo_totp_secret():
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def _years_ago(today, years, days_after=0):
    """The same day ``years`` ago; 28 February when today is 29 February and that year
    is not a leap year (otherwise the demo could not be built on a leap day)."""
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days_after)


# email, name, language, postal code, age in years, extra days, verification, municipality
def _named_residents(today):
    twelfth_birthday_passed = _years_ago(today, 12, days_after=30)
    turns_twelve_next_month = _years_ago(today, 12) + timedelta(days=30)
    return [
        (
            "aino.virtanen@example.fi",
            "Aino Virtanen",
            "fi",
            "00530",
            _years_ago(today, 34, 100),
            VerificationMethod.OIDC,
            "091",
        ),
        (
            "eetu.nieminen@example.fi",
            "Eetu Nieminen",
            "fi",
            "00940",
            twelfth_birthday_passed,
            VerificationMethod.SCHOOL,
            "091",
        ),
        (
            "ella.korhonen@example.fi",
            "Ella Korhonen",
            "fi",
            "00200",
            turns_twelve_next_month,
            VerificationMethod.SCHOOL,
            "091",
        ),
        (
            "mats.lindqvist@example.fi",
            "Mats Lindqvist",
            "sv",
            "00330",
            _years_ago(today, 71, 40),
            VerificationMethod.IN_PERSON,
            "091",
        ),
        (
            "priya.sharma@example.fi",
            "Priya Sharma",
            "en",
            "00220",
            _years_ago(today, 29, 200),
            VerificationMethod.OIDC,
            "091",
        ),
        ("olli.laine@example.fi", "Olli Laine", "fi", "00700", None, VerificationMethod.NONE, ""),
        (
            "sanna.espoolainen@example.fi",
            "Sanna Lehto",
            "fi",
            "",
            _years_ago(today, 45, 10),
            VerificationMethod.OIDC,
            "049",
        ),
    ]


STAFF = [
    ("admin@osallistu.example", "Helena Hallinto", StaffRole.Role.CITY_ADMIN, None, True),
    (
        "moderaattori.itainen@osallistu.example",
        "Timo Tarkka",
        StaffRole.Role.DISTRICT_MODERATOR,
        "eastern",
        False,
    ),
    (
        "luotsi.koillinen@osallistu.example",
        "Leena Luotsi",
        StaffRole.Role.CITY_COACH,
        "north-eastern",
        False,
    ),
    (
        "luotsi.kaakkoinen@osallistu.example",
        "Kari Koski",
        StaffRole.Role.CITY_COACH,
        "south-eastern",
        False,
    ),
    ("paatokset@osallistu.example", "Anders Berg", StaffRole.Role.CITY_ADMIN, None, False),
    (
        "palvelupiste.itainen@osallistu.example",
        "Sari Salo",
        StaffRole.Role.SERVICE_POINT,
        "eastern",
        False,
    ),
    (
        "kirjasto.itainen@osallistu.example",
        "Jussi Järvi",
        StaffRole.Role.SERVICE_POINT,
        "eastern",
        False,
    ),
    ("tilat@osallistu.example", "Pekka Paikka", StaffRole.Role.PREMISES_MANAGER, None, False),
    ("raportit@osallistu.example", "Riikka Raportti", StaffRole.Role.REPORTER, None, False),
    # Two, so that one enters paper supports of initiatives and the other confirms them.
    ("kirjaamo@osallistu.example", "Kaisa Kirjaaja", StaffRole.Role.REGISTRY, None, False),
    ("kirjaamo2@osallistu.example", "Mikael Merkitsijä", StaffRole.Role.REGISTRY, None, False),
    # Feedback handlers: demo/feedback.py makes each a member of a division.
    (
        "palaute.kymp@osallistu.example",
        "Kalle Kunnossapito",
        StaffRole.Role.FEEDBACK,
        None,
        False,
    ),
    (
        "palaute.itainen@osallistu.example",
        "Iida Itäranta",
        StaffRole.Role.FEEDBACK,
        "eastern",
        False,
    ),
    ("palaute.kasko@osallistu.example", "Outi Opetus", StaffRole.Role.FEEDBACK, None, False),
    ("palaute.kuva@osallistu.example", "Ville Vapaa", StaffRole.Role.FEEDBACK, None, False),
    ("palaute.sote@osallistu.example", "Terhi Terveys", StaffRole.Role.FEEDBACK, None, False),
    # The other coaches, and this one's other districts, are in demo/coaches.py.
    (
        "yritysluotsi.keskusta@osallistu.example",
        "Oskar Lind",
        StaffRole.Role.BUSINESS_COACH,
        "southern",
        False,
    ),
]

FIRST_NAMES = [
    "Aada",
    "Aleksi",
    "Amir",
    "Anna",
    "Anton",
    "Elias",
    "Emma",
    "Helmi",
    "Iida",
    "Ilari",
    "Joel",
    "Juho",
    "Kaisa",
    "Lauri",
    "Leo",
    "Liisa",
    "Linnea",
    "Maria",
    "Mikael",
    "Nea",
    "Noora",
    "Oskar",
    "Pauliina",
    "Saga",
    "Sofia",
    "Tuomas",
    "Venla",
    "Vilho",
    "Yusuf",
    "Zahra",
]
LAST_NAMES = [
    "Aalto",
    "Ahmed",
    "Heikkinen",
    "Hämäläinen",
    "Järvinen",
    "Karjalainen",
    "Koskinen",
    "Laaksonen",
    "Lindholm",
    "Mäkelä",
    "Nguyen",
    "Nyström",
    "Ojala",
    "Rantanen",
    "Salminen",
    "Savolainen",
    "Söderberg",
    "Tuominen",
    "Virtanen",
    "Wikström",
]
CROWD_SIZE = 400


@transaction.atomic
def build_people(today=None):
    """Create or refresh every demo person. Returns the named logins for the banner."""
    today = today or timezone.localdate()
    now = timezone.now()
    password = make_password(DEMO_PASSWORD)
    postal_codes = {pc.code: pc for pc in PostalCode.objects.select_related("district")}

    named = []
    for email, name, language, code, birth, method, municipality in _named_residents(today):
        user = _upsert(
            email,
            password=password,
            full_name=name,
            preferred_language=language,
            postal_code=code,
            district=postal_codes[code].district if code else None,
            birth_date=birth,
            verification_method=method,
            verified_at=now if method else None,
            municipality_code=municipality,
        )
        named.append(user)

    areas = {area.slug: area for area in Area.objects.all()}
    staff = []
    for email, name, role, area_slug, superuser in STAFF:
        user = _upsert(
            email,
            password=password,
            full_name=name,
            preferred_language="fi",
            is_staff=True,
            is_superuser=superuser,
        )
        StaffRole.objects.get_or_create(
            user=user, role=role, area=areas[area_slug] if area_slug else None
        )
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
        )
        staff.append(user)

    _build_crowd(today, now, password, list(postal_codes.values()))
    return named, staff


def _upsert(email, **fields):
    user, _ = User.objects.update_or_create(email=email, defaults=fields)
    return user


def _build_crowd(today, now, password, postal_codes):
    """Residents aged 12 to 90 spread over the city, most of them verified."""
    rng = random.Random(2026)
    existing = set(User.objects.filter(email__startswith="asukas").values_list("email", flat=True))
    crowd = []
    for number in range(1, CROWD_SIZE + 1):
        email = f"asukas{number:04d}@example.fi"
        if email in existing:
            continue
        postal_code = rng.choice(postal_codes)
        age_days = rng.randint(12 * 365 + 3, 90 * 365)
        verified = rng.random() < 0.85
        crowd.append(
            User(
                email=email,
                password=password,
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                preferred_language=rng.choices(["fi", "sv", "en"], weights=[85, 6, 9])[0],
                postal_code=postal_code.code,
                district=postal_code.district,
                birth_date=today - timedelta(days=age_days),
                municipality_code="091" if verified else "",
                verification_method=VerificationMethod.OIDC if verified else "",
                verified_at=now if verified else None,
            )
        )
    User.objects.bulk_create(crowd)


def age_label(user, today=None):
    age = user.age_on(today or date.today())
    return "" if age is None else f"age {age}"
