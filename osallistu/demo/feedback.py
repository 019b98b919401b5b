"""Demo feedback: fourteen service categories of four of the city's divisions, staff who
handle them, and about 2,000 pieces of feedback sent over two years in every district.

Most feedback concerns the urban environment (as in Helsinki, about four in five), and
snow comes in winter. Handling times are drawn per category around a typical median
(a day and a half for snow, ten days for services of older people) with a long tail,
so that some feedback is past the promised week; most is answered and done, some is
closed as not the city's, as impossible to fix or as a duplicate, a little is hidden
in moderation, and the latest waits for moderation. Everything is written in bulk
(past times cannot go through the services) with its history. A few items belong to
the tour: Aino's feedback done five days ago (she can reopen it), one of hers in
handling and one waiting for moderation; Mats's in Swedish. Built once: a second run
finds the feedback and leaves everything as it is.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from osallistu.accounts.models import User
from osallistu.areas.models import Area
from osallistu.core import geo
from osallistu.demo.divisions import build_divisions
from osallistu.feedback.models import (
    ANSWER_PROMISE_DAYS,
    ApiKey,
    DivisionMember,
    EventKind,
    Feedback,
    FeedbackEvent,
    FeedbackFollower,
    Moderation,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceCategory,
    Status,
)

from .feedback_city import (
    ANSWERS,
    CATEGORIES,
    DISTRICT_WEIGHTS,
    DIVISION_OF_STAFF,
    HIDE_REASONS,
    STREETS_BY_DISTRICT,
)

FEEDBACK_COUNT = 2000
DAYS = 730
# The demo application's key for POST requests.json (demo only, printed by `make demo`).
DEMO_API_KEY = "demo-open311-key-not-secret"


def build_feedback(today):
    """Build the demo's divisions, categories, staff and feedback once. Returns a short
    summary for the banner and the staff accounts."""
    with transaction.atomic():
        divisions = build_divisions()
        categories = build_categories(divisions)
        staff = build_staff(divisions)
        _api_key(staff[0])
        if not Feedback.objects.exists():
            _build(today, categories, staff)
    count = Feedback.objects.count()
    return f"{count} pieces of feedback in {len(categories)} categories", staff


def build_categories(divisions):
    categories = {}
    for position, (code, division, names, group, *_rest) in enumerate(CATEGORIES):
        categories[code] = ServiceCategory.objects.update_or_create(
            code=code,
            defaults={
                "division": divisions[division],
                "name_fi": names[0],
                "name_sv": names[1],
                "name_en": names[2],
                "group_fi": group[0],
                "group_sv": group[1],
                "group_en": group[2],
                "position": position,
            },
        )[0]
    playground = categories["211"]
    equipment, _created = ServiceAttribute.objects.update_or_create(
        service=playground,
        code="equipment",
        defaults={
            "datatype": ServiceAttribute.Datatype.SINGLEVALUELIST,
            "required": False,
            "order": 1,
            "description_fi": "Mikä väline on rikki?",
            "description_sv": "Vilken utrustning är trasig?",
            "description_en": "Which equipment is broken?",
        },
    )
    for position, (key, fi, sv, en) in enumerate(
        [
            ("swing", "Keinu", "Gunga", "Swing"),
            ("slide", "Liukumäki", "Rutschkana", "Slide"),
            ("sandpit", "Hiekkalaatikko", "Sandlåda", "Sandpit"),
            ("other", "Muu", "Annat", "Other"),
        ]
    ):
        ServiceAttributeValue.objects.update_or_create(
            attribute=equipment,
            key=key,
            defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": position},
        )
    return categories


def build_staff(divisions):
    """The demo's feedback handlers (made with their roles by ``people``) as members of
    their divisions."""
    people = []
    for email, division in DIVISION_OF_STAFF:
        user = User.objects.get(email=email)
        DivisionMember.objects.get_or_create(division=divisions[division], user=user)
        people.append(user)
    return people


def _api_key(issuer):
    ApiKey.objects.get_or_create(
        digest=ApiKey.digest_of(DEMO_API_KEY),
        defaults={"name": "Demo application", "prefix": DEMO_API_KEY[:8], "created_by": issuer},
    )


def _point_in(rng, slug):
    ring = geo.DISTRICT_OUTLINES[slug]
    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    south, north = min(p[1] for p in ring), max(p[1] for p in ring)
    while True:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if geo.district_of(lon, lat) == slug:
            return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _is_winter(moment):
    return timezone.localtime(moment).month in (11, 12, 1, 2, 3)


def _build(today, categories, staff):
    rng = random.Random(2026)
    now = timezone.now()
    start = now - datetime.timedelta(days=DAYS)
    districts = {area.slug: area for area in Area.objects.districts()}
    handlers = {
        division: [
            member.user
            for member in DivisionMember.objects.filter(division__slug=division).select_related(
                "user"
            )
        ]
        for division in {row[1] for row in CATEGORIES}
    }
    crowd = list(User.objects.filter(email__startswith="asukas").values_list("pk", flat=True))
    rows = CATEGORIES
    weights = [row[4] for row in rows]
    slugs = list(DISTRICT_WEIGHTS)
    district_weights = [DISTRICT_WEIGHTS[slug] for slug in slugs]
    made = []  # (feedback, story) where story lists the events to write
    while len(made) < FEEDBACK_COUNT:
        requested = start + datetime.timedelta(seconds=rng.uniform(0, DAYS * 86400))
        row = rng.choices(rows, weights)[0]
        code, division, _names, _group, _weight, median_days, winter_only, texts = row
        if winter_only and not _is_winter(requested):
            continue
        slug = rng.choices(slugs, district_weights)[0]
        with_point = rng.random() < 0.9
        latitude, longitude = _point_in(rng, slug) if with_point else (None, None)
        street = rng.choice(STREETS_BY_DISTRICT[slug])
        address = f"{street} {rng.randint(1, 60)}"
        title, text = rng.choice(texts)
        feedback = Feedback(
            service=categories[code],
            title=title,
            description=f"{text} Osoite: {address}.",
            address=address,
            language="fi",
            latitude=latitude,
            longitude=longitude,
            district=districts[slug],
            author_id=rng.choice(crowd) if crowd and rng.random() < 0.15 else None,
            contact_email=f"palaute{len(made)}@example.fi" if rng.random() < 0.4 else "",
            requested_at=requested,
            updated_at=requested,
            expected_at=requested + datetime.timedelta(days=median_days),
        )
        story = _handle(rng, feedback, now, median_days, handlers[division])
        made.append((feedback, story))
    _tour(made, districts, categories, handlers, now)
    Feedback.objects.bulk_create([feedback for feedback, _story in made], batch_size=500)
    _duplicates(rng, made)
    events = []
    for feedback, story in made:
        for kind, moment, status, note, actor in story:
            events.append(
                FeedbackEvent(
                    feedback=feedback,
                    kind=kind,
                    created_at=moment,
                    status=status,
                    note=note,
                    actor=actor,
                )
            )
    FeedbackEvent.objects.bulk_create(events, batch_size=1000)
    followers = User.objects.filter(
        email__in=["aino.virtanen@example.fi", "mats.lindqvist@example.fi"]
    )
    public = [feedback for feedback, _story in made if feedback.moderation == Moderation.PUBLIC]
    FeedbackFollower.objects.bulk_create(
        [
            FeedbackFollower(feedback=feedback, user=user)
            for user in followers
            for feedback in rng.sample(public, 3)
        ],
        ignore_conflicts=True,
    )


def _handle(rng, feedback, now, median_days, handlers):
    """Moderation, handling and answer of one demo feedback; its history."""
    requested = feedback.requested_at
    story = [(EventKind.SUBMITTED, requested, Status.RECEIVED, "", None)]
    moderated = requested + datetime.timedelta(hours=rng.uniform(1, 30))
    handler = rng.choice(handlers)
    if moderated > now:
        feedback.due_at = requested + datetime.timedelta(days=ANSWER_PROMISE_DAYS)
        return story
    if rng.random() < 0.04:
        feedback.moderation = Moderation.HIDDEN
        feedback.moderation_reason = rng.choice(HIDE_REASONS)
    else:
        feedback.moderation = Moderation.PUBLIC
        feedback.public_title = feedback.title
        # Staff leave the address out of the text; the place is shown beside it.
        feedback.public_description = feedback.description.split(" Osoite:")[0]
        feedback.public_address = feedback.address
    feedback.moderated_at = moderated
    feedback.moderated_by = handler
    story.append(
        (
            EventKind.PUBLISHED if feedback.moderation == Moderation.PUBLIC else EventKind.HIDDEN,
            moderated,
            Status.RECEIVED,
            feedback.moderation_reason,
            handler,
        )
    )
    feedback.updated_at = moderated
    # A long tail: most within a week or two of the median, some much later.
    handling = datetime.timedelta(days=median_days * rng.lognormvariate(0, 0.7))
    allocated = moderated + min(handling / 4, datetime.timedelta(days=1))
    closed = requested + max(handling, datetime.timedelta(hours=2))
    if allocated < now:
        feedback.status = Status.ALLOCATED
        feedback.handler = handler
        feedback.updated_at = allocated
        story.append((EventKind.ASSIGNED, allocated, Status.ALLOCATED, "", handler))
        story.append((EventKind.STATUS, allocated, Status.ALLOCATED, "", handler))
        started = allocated + (closed - allocated) / 3
        if started < now:
            feedback.status = Status.IN_HANDLING
            feedback.updated_at = started
            story.append(
                (
                    EventKind.STATUS,
                    started,
                    Status.IN_HANDLING,
                    "Työ on tilattu urakoitsijalta.",
                    handler,
                )
            )
    if closed < now:
        status = rng.choices([Status.DONE, Status.NOT_CITY, Status.CANNOT_FIX], [90, 5, 5])[0]
        answer = rng.choice(ANSWERS[status])
        feedback.status = status
        feedback.closed_at = closed
        feedback.handling_seconds = round((closed - requested).total_seconds())
        feedback.answer = answer
        feedback.answered_at = closed
        feedback.updated_at = closed
        story.append((EventKind.ANSWERED, closed, feedback.status, answer, handler))
        story.append(
            (EventKind.STATUS, closed, status, "" if status == Status.DONE else answer, handler)
        )
    else:
        feedback.due_at = requested + datetime.timedelta(days=ANSWER_PROMISE_DAYS)
    return story


def _duplicates(rng, made):
    """About one in forty public feedback repeats an earlier one of its category."""
    by_category = {}
    for feedback, story in made:
        if feedback.moderation != Moderation.PUBLIC or feedback.author_id is not None:
            continue
        earlier = by_category.setdefault(feedback.service_id, [])
        if earlier and rng.random() < 0.025:
            original = rng.choice(earlier[-20:])
            moment = feedback.moderated_at + datetime.timedelta(hours=1)
            Feedback.objects.filter(pk=feedback.pk).update(
                status=Status.DUPLICATE,
                duplicate_of=original,
                closed_at=moment,
                handling_seconds=None,
                due_at=None,
                answer="",
                answered_at=None,
                updated_at=moment,
            )
            story[:] = [
                *story[:2],
                (EventKind.MERGED, moment, Status.DUPLICATE, "", feedback.moderated_by),
            ]
        else:
            earlier.append(feedback)


def _tour(made, districts, categories, handlers, now):
    """The tour's feedback: Aino's three and Mats's one, replacing four of the crowd's."""
    aino = User.objects.filter(email="aino.virtanen@example.fi").first()
    mats = User.objects.filter(email="mats.lindqvist@example.fi").first()
    if aino is None or mats is None:
        return
    handler = handlers["urban-environment"][0]
    day = datetime.timedelta(days=1)
    lamp = Feedback(
        service=categories["172"],
        author=aino,
        title="Katuvalo pimeänä Fleminginkadulla",
        description="Katuvalo Fleminginkadun ja Helsinginkadun kulmassa on ollut pimeänä "
        "kaksi viikkoa. Koulumatka on illalla todella pimeä.",
        address="Fleminginkatu 20, 00510 Helsinki",
        postal_code="00510",
        latitude=Decimal("60.187300"),
        longitude=Decimal("24.950900"),
        district=districts["central"],
        language="fi",
        contact_email=aino.email,
        requested_at=now - 12 * day,
        moderation=Moderation.PUBLIC,
        public_title="Katuvalo pimeänä Fleminginkadulla",
        public_description="Katuvalo Fleminginkadun ja Helsinginkadun kulmassa on ollut "
        "pimeänä kaksi viikkoa. Koulumatka on illalla todella pimeä.",
        public_address="Fleminginkatu 20",
        moderated_at=now - 11 * day,
        moderated_by=handler,
        status=Status.DONE,
        handler=handler,
        answer="Kiitos palautteesta. Valaisimen lamppu on vaihdettu.",
        answered_at=now - 5 * day,
        closed_at=now - 5 * day,
        handling_seconds=7 * 86400,
        updated_at=now - 5 * day,
        expected_at=now - 6 * day,
    )
    lamp_story = [
        (EventKind.SUBMITTED, now - 12 * day, Status.RECEIVED, "", aino),
        (EventKind.PUBLISHED, now - 11 * day, Status.RECEIVED, "", handler),
        (EventKind.ASSIGNED, now - 11 * day, Status.ALLOCATED, "", handler),
        (EventKind.STATUS, now - 11 * day, Status.ALLOCATED, "", handler),
        (
            EventKind.STATUS,
            now - 8 * day,
            Status.IN_HANDLING,
            "Vika on ilmoitettu valaistusurakoitsijalle.",
            handler,
        ),
        (EventKind.ANSWERED, now - 5 * day, Status.DONE, lamp.answer, handler),
        (EventKind.STATUS, now - 5 * day, Status.DONE, "Lamppu vaihdettu.", handler),
    ]
    bench = Feedback(
        service=categories["180"],
        author=aino,
        title="Rikkinäinen penkki Tokoinrannassa",
        description="Tokoinrannan rantareitin penkistä puuttuu kaksi lautaa.",
        address="Tokoinranta",
        latitude=Decimal("60.180900"),
        longitude=Decimal("24.944200"),
        district=districts["central"],
        language="fi",
        requested_at=now - 3 * day,
        moderation=Moderation.PUBLIC,
        public_title="Rikkinäinen penkki Tokoinrannassa",
        public_description="Tokoinrannan rantareitin penkistä puuttuu kaksi lautaa.",
        public_address="Tokoinranta",
        moderated_at=now - 3 * day,
        moderated_by=handler,
        status=Status.IN_HANDLING,
        handler=handler,
        updated_at=now - 2 * day,
        due_at=now + 4 * day,
        expected_at=now + 4 * day,
    )
    bench_story = [
        (EventKind.SUBMITTED, now - 3 * day, Status.RECEIVED, "", aino),
        (EventKind.PUBLISHED, now - 3 * day, Status.RECEIVED, "", handler),
        (EventKind.ASSIGNED, now - 3 * day, Status.ALLOCATED, "", handler),
        (EventKind.STATUS, now - 3 * day, Status.ALLOCATED, "", handler),
        (
            EventKind.STATUS,
            now - 2 * day,
            Status.IN_HANDLING,
            "Puistotyöryhmä korjaa penkin.",
            handler,
        ),
    ]
    litter = Feedback(
        service=categories["176"],
        author=aino,
        title="Roskia Karhupuistossa",
        description="Karhupuiston nurmikolla on paljon roskia viikonlopun jäljiltä.",
        address="Karhupuisto, Kallio",
        district=districts["central"],
        language="fi",
        requested_at=now - datetime.timedelta(hours=3),
        updated_at=now - datetime.timedelta(hours=3),
        due_at=now + 7 * day - datetime.timedelta(hours=3),
        expected_at=now + 2 * day,
    )
    litter_story = [(EventKind.SUBMITTED, litter.requested_at, Status.RECEIVED, "", aino)]
    swedish = Feedback(
        service=categories["174"],
        author=mats,
        title="Halt vid busshållplatsen",
        description="Trottoaren vid busshållplatsen på Sturegatan är spegelblank och inte sandad.",
        address="Sturegatan 40",
        latitude=Decimal("60.190500"),
        longitude=Decimal("24.951000"),
        district=districts["central"],
        language="sv",
        requested_at=now - 2 * day,
        moderation=Moderation.PUBLIC,
        public_title="Halt vid busshållplatsen",
        public_description="Trottoaren vid busshållplatsen på Sturegatan är spegelblank och "
        "inte sandad.",
        public_address="Sturegatan 40",
        moderated_at=now - 2 * day,
        moderated_by=handler,
        updated_at=now - 2 * day,
        due_at=now + 5 * day,
        expected_at=now,
    )
    swedish_story = [
        (EventKind.SUBMITTED, now - 2 * day, Status.RECEIVED, "", mats),
        (EventKind.PUBLISHED, now - 2 * day, Status.RECEIVED, "", handler),
    ]
    made[:4] = [
        (lamp, lamp_story),
        (bench, bench_story),
        (litter, litter_story),
        (swedish, swedish_story),
    ]
