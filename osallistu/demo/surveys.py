"""Demo surveys and a hearing.

- "Pyöräily Helsingissä" is open: every kind of question, with branching (people who
  do not cycle skip the cycling pages), for anyone to answer.
- "Puistojen talvikunnossapito" has closed with a few thousand made-up responses, and
  its results are published.
- "Kalasataman puistosuunnitelma" is a hearing open for comments, with replies,
  support, a city's official answer and a comment a moderator has hid; its sections
  have pictures (drawn here, see ``_picture``), a plan description as a PDF and two
  polls with votes.

Made-up responses go through the same validators as real ones (``engine``) and are
written in bulk, so that building the demo is quick. ``add_responses`` is also used
by ``bench/surveys.py``, so it writes answers with plain INSERTs.
"""

import dataclasses
import datetime
import json
import random
import struct
import zlib
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from osallistu.accounts.models import StaffRole, User
from osallistu.areas.models import AgeGroup, Area, age_group_for
from osallistu.core import geo
from osallistu.surveys import engine, polls, selectors, services
from osallistu.surveys.models import (
    Answer,
    Comment,
    CommentFlag,
    CommentingPolicy,
    CommentSupport,
    Condition,
    Hearing,
    Option,
    Page,
    Poll,
    PollOption,
    Question,
    Response,
    ResponseStatus,
    Section,
    SectionAttachment,
    SectionImage,
    Selection,
    Survey,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
HELSINKI_BBOX = [24.78, 60.10, 25.26, 60.30]
CLOSED_SURVEY_RESPONSES = 3000


def build_surveys(today):
    """Build the demo surveys and hearing unless they exist; returns ``[(object, note)]``."""
    rng = random.Random(2017_11_13)
    admin = StaffRole.objects.filter(role=StaffRole.Role.CITY_ADMIN).select_related("user").first()
    staff = admin.user if admin else None
    return [
        (_open_survey(today), "open: every kind of question, with branching"),
        (
            _closed_survey(today, rng),
            f"closed: {CLOSED_SURVEY_RESPONSES} responses, results published",
        ),
        (_open_hearing(today, rng, staff), "open hearing with comments"),
    ]


def _at(day, hour=0):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


def _texts(field, fi, sv, en):
    return {f"{field}_fi": fi, f"{field}_sv": sv, f"{field}_en": en}


def _question(
    page, position, kind, text, *, help=None, required=False, choices=(), rows=(), **settings
):
    question = Question.objects.create(
        page=page,
        position=position,
        kind=kind,
        required=required,
        settings=settings,
        **_texts("text", *text),
        **(_texts("help_text", *help) if help else {}),
    )
    for role, items in ((Option.Role.CHOICE, choices), (Option.Role.ROW, rows)):
        for number, item in enumerate(items, start=1):
            Option.objects.create(
                question=question, role=role, position=number, **_texts("text", *item)
            )
    return question


def _page(survey, position, title=None):
    return Page.objects.create(
        survey=survey, position=position, **(_texts("title", *title) if title else {})
    )


def _option(question, position):
    return question.options.get(role=Option.Role.CHOICE, position=position)


@transaction.atomic
def _open_survey(today):
    existing = Survey.objects.filter(slug="pyoraily-2026").first()
    if existing:
        return existing
    survey = Survey.objects.create(
        slug="pyoraily-2026",
        published=True,
        opens_at=_at(today - datetime.timedelta(days=7), 9),
        closes_at=_at(today + datetime.timedelta(days=21), 16),
        **_texts("title", "Pyöräily Helsingissä", "Cykling i Helsingfors", "Cycling in Helsinki"),
        **_texts(
            "description",
            "Kerro, miten liikut kaupungissa ja mitä pyöräilyn pitäisi parantaa. "
            "Vastaaminen vie noin 5 minuuttia.",
            "Berätta hur du rör dig i staden och vad som borde förbättras för cyklister. "
            "Det tar cirka 5 minuter att svara.",
            "Tell us how you get around and what should be better for cycling. "
            "Answering takes about 5 minutes.",
        ),
    )
    first = _page(survey, 1, ("Liikkuminen", "Att röra sig", "Getting around"))
    _question(
        first,
        1,
        "info",
        ("Tervetuloa kyselyyn", "Välkommen till enkäten", "Welcome to the survey"),
        help=(
            "Vastauksesi käsitellään nimettöminä.",
            "Dina svar behandlas anonymt.",
            "Your answers are handled anonymously.",
        ),
    )
    cycles = _question(
        first,
        2,
        "single_choice",
        ("Pyöräiletkö Helsingissä?", "Cyklar du i Helsingfors?", "Do you cycle in Helsinki?"),
        required=True,
        choices=[
            ("Päivittäin", "Dagligen", "Every day"),
            ("Viikoittain", "Varje vecka", "Every week"),
            ("Harvoin tai en koskaan", "Sällan eller aldrig", "Rarely or never"),
        ],
    )
    _question(
        first,
        3,
        "multiple_choice",
        ("Millä muilla tavoilla liikut?", "Hur rör du dig annars?", "How else do you get around?"),
        choices=[
            ("Kävellen", "Till fots", "On foot"),
            ("Joukkoliikenteellä", "Med kollektivtrafik", "By public transport"),
            ("Autolla", "Med bil", "By car"),
        ],
        allow_other=True,
        max_choices=3,
    )
    second = _page(survey, 2, ("Pyöräily", "Cykling", "Cycling"))
    routes = _question(
        second,
        1,
        "ranking",
        (
            "Mikä on sinulle tärkeintä pyöräreiteissä?",
            "Vad är viktigast för dig i cykelvägarna?",
            "What matters most to you in cycle routes?",
        ),
        choices=[
            ("Turvallisuus", "Säkerhet", "Safety"),
            ("Talvikunnossapito", "Vinterunderhåll", "Winter maintenance"),
            ("Suorat reitit", "Raka rutter", "Direct routes"),
            ("Pyöräpysäköinti", "Cykelparkering", "Bicycle parking"),
        ],
        max_ranked=3,
    )
    rating = _question(
        second,
        2,
        "matrix",
        ("Miten arvioit pyöräilyn?", "Hur bedömer du cyklingen?", "How do you rate cycling?"),
        choices=[
            ("Hyvä", "Bra", "Good"),
            ("Kohtalainen", "Medel", "Fair"),
            ("Huono", "Dålig", "Poor"),
        ],
        rows=[
            ("Kesällä", "På sommaren", "In summer"),
            ("Talvella", "På vintern", "In winter"),
            ("Keskustassa", "I centrum", "In the centre"),
        ],
    )
    kilometres = _question(
        second,
        3,
        "number",
        (
            "Montako kilometriä pyöräilet viikossa?",
            "Hur många kilometer cyklar du i veckan?",
            "How many kilometres do you cycle a week?",
        ),
        min=0,
        max=1000,
        integer=False,
    )
    for question in (routes, rating, kilometres):
        Condition.objects.create(
            question=question, depends_on=cycles, operator="not_equals", option=_option(cycles, 3)
        )
    place_page = _page(survey, 3, ("Vaarallinen paikka", "Farlig plats", "A dangerous spot"))
    danger = _question(
        place_page,
        1,
        "map",
        (
            "Missä on pyöräilijälle vaarallinen paikka?",
            "Var finns en farlig plats för cyklister?",
            "Where is a spot that is dangerous for cyclists?",
        ),
        geometry="point",
        bbox=HELSINKI_BBOX,
    )
    Condition.objects.create(
        question=danger, depends_on=cycles, operator="not_equals", option=_option(cycles, 3)
    )
    why = _question(
        place_page,
        2,
        "long_text",
        ("Miksi paikka on vaarallinen?", "Varför är platsen farlig?", "Why is the spot dangerous?"),
        max_length=2000,
    )
    Condition.objects.create(
        question=why, depends_on=cycles, operator="not_equals", option=_option(cycles, 3)
    )
    last = _page(survey, 4, ("Lopuksi", "Till sist", "Finally"))
    _question(
        last,
        1,
        "scale",
        (
            "Kuinka tyytyväinen olet pyöräilyyn Helsingissä?",
            "Hur nöjd är du med cyklingen i Helsingfors?",
            "How satisfied are you with cycling in Helsinki?",
        ),
        required=True,
        min=0,
        max=10,
    )
    _question(
        last,
        2,
        "date",
        (
            "Milloin pyöräilit viimeksi?",
            "När cyklade du senast?",
            "When did you last cycle?",
        ),
        max=today.isoformat(),
    )
    _question(
        last,
        3,
        "short_text",
        ("Postinumerosi", "Ditt postnummer", "Your postal code"),
        max_length=5,
    )
    return survey


@transaction.atomic
def _closed_survey(today, rng):
    existing = Survey.objects.filter(slug="talvikunnossapito-2025").first()
    if existing:
        return existing
    survey = Survey.objects.create(
        slug="talvikunnossapito-2025",
        published=True,
        opens_at=_at(today - datetime.timedelta(days=120), 9),
        closes_at=_at(today - datetime.timedelta(days=60), 16),
        results_published=True,
        **_texts(
            "title",
            "Puistojen talvikunnossapito",
            "Vinterunderhåll i parkerna",
            "Winter maintenance of parks",
        ),
        **_texts(
            "description",
            "Kysyimme, mitkä puistoreitit pitäisi aurata ja hiekoittaa ensin.",
            "Vi frågade vilka parkstigar som borde plogas och sandas först.",
            "We asked which park paths should be ploughed and gritted first.",
        ),
    )
    page = _page(survey, 1)
    _question(
        page,
        1,
        "single_choice",
        (
            "Kuinka usein kuljet puistojen läpi talvella?",
            "Hur ofta går du genom parker på vintern?",
            "How often do you walk through parks in winter?",
        ),
        required=True,
        choices=[
            ("Päivittäin", "Dagligen", "Every day"),
            ("Viikoittain", "Varje vecka", "Every week"),
            ("Harvemmin", "Mer sällan", "Less often"),
        ],
        allow_other=True,
    )
    _question(
        page,
        2,
        "multiple_choice",
        (
            "Mitkä reitit pitäisi hoitaa ensin?",
            "Vilka stigar borde skötas först?",
            "Which paths should be cared for first?",
        ),
        choices=[
            ("Koulureitit", "Skolvägar", "Routes to schools"),
            ("Reitit asemille", "Vägar till stationer", "Routes to stations"),
            ("Ulkoilureitit", "Friluftsleder", "Outdoor trails"),
            ("Leikkipuistot", "Lekparker", "Playgrounds"),
        ],
        max_choices=2,
    )
    _question(
        page,
        3,
        "scale",
        (
            "Kuinka hyvin puistot on hoidettu talvella?",
            "Hur väl sköts parkerna på vintern?",
            "How well are parks looked after in winter?",
        ),
        required=True,
    )
    _question(
        page,
        4,
        "ranking",
        ("Aseta tärkeysjärjestykseen", "Rangordna efter vikt", "Rank by importance"),
        choices=[
            ("Auraus", "Plogning", "Ploughing"),
            ("Hiekoitus", "Sandning", "Gritting"),
            ("Valaistus", "Belysning", "Lighting"),
        ],
    )
    _question(
        page,
        5,
        "long_text",
        ("Mitä muuta haluat sanoa?", "Vad mer vill du säga?", "Anything else?"),
    )
    _question(
        page,
        6,
        "map",
        (
            "Missä puistoreitti on talvella huonossa kunnossa?",
            "Var är en parkstig i dåligt skick på vintern?",
            "Where is a park path in poor condition in winter?",
        ),
        geometry="point",
    )
    _question(
        page,
        7,
        "map",
        (
            "Rajaa alue, jonka puistot pitäisi hoitaa ensin",
            "Avgränsa ett område vars parker borde skötas först",
            "Outline an area whose parks should be cared for first",
        ),
        geometry="area",
    )
    add_responses(
        survey,
        CLOSED_SURVEY_RESPONSES,
        rng,
        submitted_at=survey.closes_at - datetime.timedelta(days=1),
    )
    return survey


FREE_TEXTS = [
    "Kallion puistoissa on usein jäistä.",
    "Hiekoitus tulee liian myöhään aamulla.",
    "Valaistus Keskuspuistossa on hyvä.",
    "Lastenvaunujen kanssa on vaikea kulkea.",
    "Kiitos hyvästä työstä!",
    "Gångvägarna i Tölö plogas sent.",
    "The path by the shore is often icy.",
]


def _post_data(spec, rng):
    """Made-up form data for one question, as a resident might post it."""
    name = spec.name
    if spec.kind in (engine.SHORT_TEXT, engine.LONG_TEXT):
        return (
            {name: [rng.choice(FREE_TEXTS)[: spec.settings["max_length"]]]}
            if rng.random() < 0.3
            else {}
        )
    if spec.kind == engine.SINGLE_CHOICE:
        if spec.settings["allow_other"] and rng.random() < 0.03:
            return {name: [engine.OTHER], f"{name}_other": [rng.choice(FREE_TEXTS)]}
        weights = [len(spec.choices) - index for index in range(len(spec.choices))]
        return {name: [str(rng.choices(spec.choices, weights=weights)[0])]}
    if spec.kind == engine.MULTIPLE_CHOICE:
        most = spec.settings["max_choices"] or len(spec.choices)
        chosen = rng.sample(spec.choices, rng.randint(1, min(most, len(spec.choices))))
        return {name: [str(option) for option in chosen]}
    if spec.kind == engine.RANKING:
        most = spec.settings["max_ranked"] or len(spec.choices)
        order = rng.sample(spec.choices, min(most, len(spec.choices)))
        return {f"{name}_{option}": [str(rank)] for rank, option in enumerate(order, start=1)}
    if spec.kind == engine.SCALE:
        low, high = spec.settings["min"], spec.settings["max"]
        return {name: [str(min(high, max(low, round(rng.gauss((low + high) * 0.6, 1.5)))))]}
    if spec.kind == engine.MATRIX:
        return {f"{name}_{row}": [str(rng.choice(spec.choices))] for row in spec.rows}
    if spec.kind == engine.NUMBER:
        return {name: [str(rng.randint(0, 100))]}
    if spec.kind == engine.DATE:
        return {name: ["2025-12-01"]}
    if spec.kind == engine.MAP:
        if rng.random() < 0.4:
            return {}
        bbox = spec.settings["bbox"] or geo.HELSINKI_BBOX
        lon, lat = _place_in_a_district(rng, bbox)
        if spec.settings["geometry"] == "area":
            ring = [
                [round(lon + dx, 5), round(lat + dy, 5)]
                for dx, dy in ((-0.006, -0.003), (0.006, -0.003), (0.004, 0.004), (-0.004, 0.004))
            ]
            ring = [_inside(position, bbox) for position in ring]
            return {f"{name}_geojson": [json.dumps({"type": "Polygon", "coordinates": [ring]})]}
        return {f"{name}_lat": [f"{lat:.5f}"], f"{name}_lon": [f"{lon:.5f}"]}
    return {}


def _place_in_a_district(rng, bbox):
    """A place near the middle of a district (where people live), inside ``bbox``."""
    ring = rng.choice(list(geo.DISTRICT_OUTLINES.values()))
    lon, lat = geo.centroid(ring)
    return _inside([lon + rng.gauss(0, 0.012), lat + rng.gauss(0, 0.006)], bbox)


def _inside(position, bbox):
    west, south, east, north = bbox
    return [min(east, max(west, position[0])), min(north, max(south, position[1]))]


def add_responses(survey, count, rng, *, submitted_at=None, chunk=2000):
    """Add ``count`` sent responses with made-up answers, in bulk. A third come from
    the demo crowd's districts and age groups; the rest were given without logging in."""
    structure = selectors.survey_structure(survey)
    value_field = Answer._meta.get_field("value")
    submitted_at = submitted_at or timezone.now()
    today = timezone.localdate(submitted_at)
    people = [
        (district, age_group_for(age))
        for district, age in (
            (user.district_id, user.age_on(today))
            for user in User.objects.filter(district__isnull=False).only("district", "birth_date")
        )
    ] or [(area.pk, AgeGroup.ADULT) for area in Area.objects.districts()]
    for start in range(0, count, chunk):
        with transaction.atomic():
            size = min(chunk, count - start)
            groups = [
                rng.choice(people) if rng.random() < 0.35 else (None, "") for _ in range(size)
            ]
            responses = Response.objects.bulk_create(
                Response(
                    survey=survey,
                    status=ResponseStatus.SUBMITTED,
                    started_at=submitted_at - datetime.timedelta(minutes=rng.randint(2, 30)),
                    submitted_at=submitted_at,
                    district_id=district,
                    age_group=age_group,
                )
                for district, age_group in groups
            )
            answers, selections = [], []
            next_answer = (Answer.objects.aggregate(Max("id"))["id__max"] or 0) + 1
            for response in responses:
                cleaned = {}
                for spec in structure.specs:
                    data = MultiValueDict(_post_data(spec, rng))
                    answer = engine.clean_answer(dataclasses.replace(spec, required=False), data)
                    if answer is not None:
                        cleaned[spec.id] = answer
                values = engine.keep_visible(
                    structure.specs,
                    {question: answer.value for question, answer in cleaned.items()},
                )
                for question in values:
                    answer = cleaned[question]
                    answers.append(
                        (
                            next_answer,
                            response.pk,
                            question,
                            value_field.get_db_prep_save(answer.value, connection),
                            answer.text,
                            answer.number,
                        )
                    )
                    selections += [
                        (next_answer, response.pk, question, option, row, rank)
                        for option, row, rank in answer.selections
                    ]
                    next_answer += 1
            _insert(
                Answer, ["id", "response_id", "question_id", "value", "text", "number"], answers
            )
            _insert(
                Selection,
                ["answer_id", "response_id", "question_id", "option_id", "row_id", "rank"],
                selections,
            )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Answer]):
            cursor.execute(statement)


def _insert(model, columns, rows):
    """Plain INSERTs for made-up rows: the ORM's per-object work would take most of
    the time of building a hundred thousand responses."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


@transaction.atomic
def _open_hearing(today, rng, staff):
    existing = Hearing.objects.filter(slug="kalasataman-puisto").first()
    if existing:
        return existing
    hearing = Hearing.objects.create(
        slug="kalasataman-puisto",
        opens_at=_at(today - datetime.timedelta(days=10), 9),
        closes_at=_at(today + datetime.timedelta(days=20), 16),
        commenting=CommentingPolicy.SIGNED_IN,
        map_comments=True,
        **_texts(
            "title",
            "Kalasataman puiston suunnitelma",
            "Planen för Fiskehamnens park",
            "The plan for Kalasatama park",
        ),
        **_texts(
            "lead",
            "Kalasatamaan rakennetaan uusi puisto. Kerro mielipiteesi luonnoksesta "
            "ennen kuin suunnitelma viedään päätettäväksi.",
            "En ny park byggs i Fiskehamnen. Säg vad du tycker om utkastet innan "
            "planen går till beslut.",
            "A new park is being built in Kalasatama. Tell us what you think of the "
            "draft before the plan goes to decision.",
        ),
    )
    sections = [
        Section.objects.create(
            hearing=hearing,
            position=1,
            kind=Section.Kind.MAIN,
            **_texts("title", "Yleiskuvaus", "Översikt", "Overview"),
            **_texts(
                "content",
                "Puistoon tulee leikkipaikka, oleskelunurmi ja rantaan johtava reitti.",
                "Parken får en lekplats, en gräsmatta och en väg ner till stranden.",
                "The park gets a playground, a lawn and a path down to the shore.",
            ),
        ),
        Section.objects.create(
            hearing=hearing,
            position=2,
            kind=Section.Kind.SCENARIO,
            **_texts(
                "title",
                "Vaihtoehto A: metsäinen puisto",
                "Alternativ A: skogspark",
                "Option A: a wooded park",
            ),
            **_texts(
                "content",
                "Enemmän puita ja varjoa, vähemmän avointa nurmea.",
                "Fler träd och mer skugga, mindre öppen gräsmatta.",
                "More trees and shade, less open lawn.",
            ),
        ),
        Section.objects.create(
            hearing=hearing,
            position=3,
            kind=Section.Kind.SCENARIO,
            **_texts(
                "title",
                "Vaihtoehto B: avoin puisto",
                "Alternativ B: öppen park",
                "Option B: an open park",
            ),
            **_texts(
                "content",
                "Laaja nurmi tapahtumille ja pelaamiselle.",
                "En stor gräsmatta för evenemang och spel.",
                "A wide lawn for events and games.",
            ),
        ),
    ]
    _hearing_pictures_and_plan(sections)
    commenters = list(User.objects.filter(email__startswith="asukas")[:40])
    _hearing_polls(sections[0], commenters, rng)
    now = timezone.now()
    texts = [
        ("Metsäinen vaihtoehto on parempi, varjoa tarvitaan kesällä.", 1),
        ("Avoin nurmi on hyvä lasten pelaamiseen.", 2),
        ("Lisää penkkejä rannan reitin varrelle, kiitos.", 0),
        ("Koirapuisto puuttuu suunnitelmasta.", 0),
        ("Jag föredrar alternativ A.", 1),
        ("Please keep the path lit in winter.", 0),
        ("Leikkipaikalle tarvitaan aita vilkkaan kadun takia.", 0),
    ]
    comments = []
    for number, (text, section) in enumerate(texts):
        author = commenters[number % len(commenters)] if commenters else None
        comments.append(
            Comment.objects.create(
                hearing=hearing,
                section=sections[section],
                author=author,
                nickname=author.full_name.split()[0] if author else "",
                text=text,
                created_at=now - datetime.timedelta(hours=rng.randint(2, 200)),
                address="Työpajankatu" if number == 6 else "",
                geojson={"type": "Point", "coordinates": [24.977, 60.187]} if number == 6 else None,
            )
        )
    if commenters:
        for comment in comments:
            for supporter in rng.sample(commenters, rng.randint(0, min(12, len(commenters)))):
                CommentSupport.objects.get_or_create(comment=comment, user=supporter)
        Comment.objects.create(
            hearing=hearing,
            section=comments[3].section,
            parent=comments[3],
            author=commenters[-1],
            nickname=commenters[-1].full_name.split()[0],
            text="Samaa mieltä, koirille tarvitaan oma alue.",
            created_at=now - datetime.timedelta(hours=1),
        )
        rude = Comment.objects.create(
            hearing=hearing,
            author=commenters[-2],
            text="Naapurin Matti pysäköi aina väärin!",
            created_at=now - datetime.timedelta(hours=3),
        )
        CommentFlag.objects.create(
            comment=rude, user=commenters[0], reason="Henkilö mainittu nimeltä"
        )
        if staff:
            services.hide_comment(
                comment=rude, actor=staff, reason="Kommentissa mainitaan yksityishenkilö nimeltä."
            )
    if staff:
        services.answer_officially(
            comment=comments[3],
            actor=staff,
            text="Kiitos! Selvitämme koira-aitauksen paikkaa puiston pohjoisosassa.",
        )
    return hearing


# Pictures and a plan description for the hearing, drawn here so that nothing is
# downloaded and no image library is needed.

PARK_COLOURS = {
    "lawn": (206, 232, 196),
    "sea": (156, 199, 228),
    "tree": (46, 110, 60),
    "path": (222, 200, 160),
    "play": (240, 170, 60),
}


def _png(width, height, pixels):
    """A PNG file of ``pixels``: rows of (r, g, b) tuples."""
    raw = b"".join(b"\x00" + b"".join(bytes(colour) for colour in row) for row in pixels)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _picture(trees, rng, width=480, height=270, playground=False):
    """A bird's-eye sketch of the park: lawn, the shore on the right, a path, ``trees``
    trees and optionally a playground."""
    rows = [[PARK_COLOURS["lawn"]] * width for _ in range(height)]
    for y in range(height):
        shore = int(width * 0.8 + 20 * ((y / height) - 0.5) ** 2 * 4)
        for x in range(shore, width):
            rows[y][x] = PARK_COLOURS["sea"]
        centre = int(40 + (shore - 80) * y / height)
        for x in range(max(0, centre - 6), min(width, centre + 6)):
            rows[y][x] = PARK_COLOURS["path"]
    if playground:
        for y in range(30, 90):
            for x in range(60, 150):
                rows[y][x] = PARK_COLOURS["play"]
    for _ in range(trees):
        cx, cy, radius = rng.randint(10, int(width * 0.75)), rng.randint(10, height - 10), 9
        for y in range(max(0, cy - radius), min(height, cy + radius)):
            for x in range(max(0, cx - radius), min(width, cx + radius)):
                if (x - cx) ** 2 + (y - cy) ** 2 <= radius**2:
                    rows[y][x] = PARK_COLOURS["tree"]
    return _png(width, height, rows)


def _pdf(lines):
    """A one-page PDF with ``lines`` of plain ASCII text."""
    text = "BT /F1 14 Tf 72 770 Td 18 TL " + " ".join(
        "(" + line.replace("\\", "").replace("(", "").replace(")", "") + ") '" for line in lines
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
    ]
    out = "%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("ascii")


def _hearing_pictures_and_plan(sections):
    rng = random.Random(2026)
    main, wooded, open_park = sections
    pictures = [
        (
            main,
            "yleiskuva.png",
            _picture(12, rng, playground=True),
            (
                "Puiston luonnos ylhäältä: nurmi, ranta oikealla, rantaan johtava polku ja "
                "oranssi leikkipaikka vasemmalla ylhäällä.",
                "Skiss av parken uppifrån: gräsmatta, stranden till höger, en stig ner till "
                "stranden och en orange lekplats uppe till vänster.",
                "Sketch of the park from above: lawn, the shore on the right, a path down to "
                "the shore and an orange playground at the top left.",
            ),
            ("Luonnos, ei mittakaavassa", "Skiss, inte skalenlig", "Sketch, not to scale"),
        ),
        (
            wooded,
            "vaihtoehto-a.png",
            _picture(70, rng),
            (
                "Vaihtoehto A ylhäältä: puita on tiheästi koko puistossa polun molemmin puolin.",
                "Alternativ A uppifrån: träden står tätt i hela parken på båda sidor om stigen.",
                "Option A from above: trees stand close together across the park on both "
                "sides of the path.",
            ),
            ("Noin 70 uutta puuta", "Cirka 70 nya träd", "About 70 new trees"),
        ),
        (
            open_park,
            "vaihtoehto-b.png",
            _picture(10, rng),
            (
                "Vaihtoehto B ylhäältä: laaja avoin nurmi ja muutama puu reunoilla.",
                "Alternativ B uppifrån: en stor öppen gräsmatta och några träd vid kanterna.",
                "Option B from above: a wide open lawn and a few trees at the edges.",
            ),
            ("Noin 10 uutta puuta", "Cirka 10 nya träd", "About 10 new trees"),
        ),
    ]
    for section, name, content, alt, caption in pictures:
        image = SectionImage(
            section=section, position=1, **_texts("alt_text", *alt), **_texts("caption", *caption)
        )
        image.image.save(name, ContentFile(content), save=False)
        image.save()
    plan = SectionAttachment(
        section=main,
        position=1,
        **_texts(
            "title",
            "Puistosuunnitelman selostus",
            "Beskrivning av parkplanen",
            "Description of the park plan",
        ),
    )
    plan.file.save(
        "kalasataman-puisto-selostus.pdf",
        ContentFile(
            _pdf(
                [
                    "Kalasatama park - plan description (demo)",
                    "",
                    "Area about 2.5 hectares by the shore.",
                    "Playground, lawn and a lit path to the shore.",
                    "Option A: about 70 new trees. Option B: about 10 new trees.",
                ]
            )
        ),
        save=False,
    )
    plan.save()


def _hearing_polls(section, voters, rng):
    which = Poll.objects.create(
        section=section,
        position=1,
        kind=Poll.Kind.SINGLE,
        voting=CommentingPolicy.SIGNED_IN,
        results_shown=Poll.ResultsShown.AFTER_VOTING,
        **_texts(
            "text",
            "Kumpi vaihtoehto on parempi?",
            "Vilket alternativ är bättre?",
            "Which option is better?",
        ),
    )
    needs = Poll.objects.create(
        section=section,
        position=2,
        kind=Poll.Kind.MULTIPLE,
        voting=CommentingPolicy.SIGNED_IN,
        results_shown=Poll.ResultsShown.AFTER_CLOSING,
        **_texts(
            "text",
            "Mitä puistoon tarvitaan lisäksi?",
            "Vad behövs mer i parken?",
            "What else does the park need?",
        ),
    )
    for poll, items in (
        (
            which,
            [
                ("Vaihtoehto A: metsäinen", "Alternativ A: skogspark", "Option A: wooded"),
                ("Vaihtoehto B: avoin", "Alternativ B: öppen park", "Option B: open"),
                ("En osaa sanoa", "Vet inte", "I cannot say"),
            ],
        ),
        (
            needs,
            [
                ("Penkkejä", "Bänkar", "Benches"),
                ("Koira-aitaus", "Hundrastgård", "A dog park"),
                ("Ulkokuntosali", "Utegym", "An outdoor gym"),
                ("Valaistus", "Belysning", "Lighting"),
            ],
        ),
    ):
        for position, item in enumerate(items, start=1):
            PollOption.objects.create(poll=poll, position=position, **_texts("text", *item))
    which_options, need_options = list(which.options.all()), list(needs.options.all())
    for voter in voters[:-1]:  # the last resident has not voted: the demo shows the form
        polls.vote(
            poll=which,
            user=voter,
            option_ids=[rng.choices(which_options, weights=[5, 4, 1])[0].pk],
            client_ip="",
        )
        polls.vote(
            poll=needs,
            user=voter,
            option_ids=[option.pk for option in rng.sample(need_options, rng.randint(1, 3))],
            client_ip="",
        )
