"""Demo participatory budgeting: a finished round with results, a round whose voting has
just closed (ballots mixed, not yet counted), a round in voting and a round taking
proposals.

The open round has the district amounts of Helsinki's round 4 (2025–2026, 10 M €) and, for
the demo, a city-wide budget of 2,000,000 € as rounds 1–3 had; about 300 plans
made from believable titles in Finnish, Swedish and English, each with a theme, a
neighbourhood and a place on the map, and most with a picture (``demo/ballot.py``). A
part of the demo crowd has voted already; the named tour residents have not, so they
can.

The finished round follows round 3 (vote 28 Feb–17 Mar 2024, age 13 or over,
8.8 M € split 20 % city-wide and the rest by population); its ballots are made
up, counted with the round's rule and published, and its funded plans have news.
The next round takes proposals, written by demo residents in their own languages.

Demo ballots are sealed with the round's key and stored with their participations, the
rows ``cast_ballot`` writes (within each area's money), without sending e-mail; rounds
whose voting has closed then go through the same mixing as real ones. The closed round
has paper ballots too: paper votes at a service point and a reconciled batch of slips.
"""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from osallistu.accounts.models import StaffRole, User
from osallistu.areas.helsinki import load_helsinki_population
from osallistu.areas.models import Area, Neighbourhood, PostalCode
from osallistu.budgeting import sealing
from osallistu.budgeting.models import (
    Ballot,
    BallotChoice,
    Channel,
    PaperBatch,
    Participation,
    Plan,
    PlanStatus,
    Proposal,
    ProposalStatus,
    Round,
    RoundBudget,
    Theme,
)
from osallistu.budgeting.services import (
    Place,
    TallyError,
    create_plan_from_proposals,
    decide_proposal,
    mix_ballots,
    post_proposal_comment,
    publish_tally,
    record_plan_progress,
    run_count,
    split_budget,
    submit_proposal,
)
from osallistu.budgeting.services.ballots import snapshot_of_voter
from osallistu.budgeting.services.rounds import schedule_mixing
from osallistu.demo.ballot import POSTAL_AREA_NEIGHBOURHOOD, add_pictures, place_near

HELSINKI = ZoneInfo("Europe/Helsinki")

# Helsinki's round 4 district amounts (euros), from the city's published figures.
ROUND_4_DISTRICTS = {
    "southern": 1_868_353,
    "western": 1_723_412,
    "central": 1_572_408,
    "northern": 665_977,
    "north-eastern": 1_531_569,
    "south-eastern": 882_799,
    "eastern": 1_755_482,
}
DEMO_CITY_WIDE = 2_000_000

# Letters of plan codes, as the city's districts are known in Finnish.
CODE_PREFIX = {
    "helsinki": "H",
    "southern": "E",
    "western": "L",
    "central": "K",
    "northern": "P",
    "north-eastern": "KO",
    "south-eastern": "KA",
    "eastern": "I",
}

# theme, Finnish, Swedish, English, cost band (euros): plans for one neighbourhood
DISTRICT_PLANS = [
    (
        Theme.PARKS,
        "lisää penkkejä ja istutuksia puistoon",
        "fler bänkar och planteringar i parken",
        "more benches and plantings in the park",
        (20_000, 60_000),
    ),
    (
        Theme.SPORTS,
        "ulkokuntosali kaikenikäisille",
        "utegym för alla åldrar",
        "outdoor gym for all ages",
        (60_000, 120_000),
    ),
    (
        Theme.SPORTS,
        "skeittipaikka nuorille",
        "skateområde för unga",
        "skate spot for young people",
        (150_000, 350_000),
    ),
    (
        Theme.CULTURE,
        "kesäkonsertit puistossa",
        "sommarkonserter i parken",
        "summer concerts in the park",
        (20_000, 50_000),
    ),
    (
        Theme.COMMUNITY,
        "asukastilan kunnostus",
        "renovering av invånarlokalen",
        "renovating the residents' meeting room",
        (80_000, 150_000),
    ),
    (
        Theme.ECOLOGY,
        "kaupunkiviljelypalstat",
        "stadsodlingslotter",
        "urban allotment gardens",
        (30_000, 80_000),
    ),
    (Theme.PARKS, "koirapuisto", "hundpark", "dog park", (60_000, 140_000)),
    (
        Theme.BUILT,
        "valaistusta ulkoiluteille",
        "belysning längs friluftslederna",
        "lighting for the outdoor paths",
        (100_000, 250_000),
    ),
    (
        Theme.WELLBEING,
        "liikuntaa ikäihmisille",
        "motion för äldre",
        "exercise classes for older people",
        (20_000, 45_000),
    ),
    (
        Theme.LEARNING,
        "kirjaston lukupiirit ja läksykerho",
        "läsecirklar och läxhjälp på biblioteket",
        "reading circles and homework club at the library",
        (15_000, 40_000),
    ),
    (
        Theme.CULTURE,
        "katutaidetta alikulkuihin",
        "gatukonst i gångtunnlarna",
        "street art in the underpasses",
        (30_000, 70_000),
    ),
    (
        Theme.ECOLOGY,
        "pölyttäjäniitty",
        "äng för pollinerare",
        "meadow for pollinators",
        (15_000, 40_000),
    ),
    (
        Theme.SPORTS,
        "talviuintipaikka",
        "vinterbadplats",
        "winter swimming spot",
        (120_000, 300_000),
    ),
    (
        Theme.COMMUNITY,
        "kyläjuhla koko perheelle",
        "byfest för hela familjen",
        "neighbourhood festival for the whole family",
        (15_000, 35_000),
    ),
    (
        Theme.BUILT,
        "leikkipuiston uudet välineet",
        "ny utrustning till lekparken",
        "new equipment for the playground",
        (150_000, 300_000),
    ),
    (
        Theme.WELLBEING,
        "nuorten iltatoimintaa",
        "kvällsverksamhet för unga",
        "evening activities for young people",
        (40_000, 90_000),
    ),
    (
        Theme.ECOLOGY,
        "kierrätyspiste ja lainaamo",
        "återvinningsställe och lånebod",
        "recycling point and lending shed",
        (30_000, 70_000),
    ),
    (
        Theme.PARKS,
        "metsäpolun kunnostus",
        "iståndsättning av skogsstigen",
        "restoring the forest trail",
        (40_000, 100_000),
    ),
    (
        Theme.SPORTS,
        "pallokentän tekonurmi",
        "konstgräs på bollplanen",
        "artificial turf for the ball field",
        (250_000, 400_000),
    ),
    (
        Theme.LEARNING,
        "ohjelmointikerho lapsille",
        "programmeringsklubb för barn",
        "coding club for children",
        (15_000, 35_000),
    ),
    (
        Theme.CULTURE,
        "ulkoelokuvateatteri kesäksi",
        "utomhusbio på sommaren",
        "open-air cinema for the summer",
        (25_000, 60_000),
    ),
    (
        Theme.BUILT,
        "esteettömät kulkureitit rantaan",
        "tillgängliga gångvägar till stranden",
        "accessible paths to the shore",
        (120_000, 280_000),
    ),
    (
        Theme.WELLBEING,
        "juomapisteitä puistoihin",
        "dricksvattenposter i parkerna",
        "drinking fountains in the parks",
        (40_000, 90_000),
    ),
    (
        Theme.COMMUNITY,
        "yhteisöllinen kirpputori",
        "gemensam loppmarknad",
        "community flea market",
        (10_000, 25_000),
    ),
]

CITY_PLANS = [
    (
        Theme.SPORTS,
        "Maksuton uimakoulu kaikille 7-vuotiaille",
        "Gratis simskola för alla 7-åringar",
        "Free swimming lessons for every 7-year-old",
        (300_000, 600_000),
    ),
    (
        Theme.LEARNING,
        "Kaupunkiluonnon retket koululaisille",
        "Naturutflykter i staden för skolelever",
        "Urban nature trips for school pupils",
        (100_000, 250_000),
    ),
    (
        Theme.BUILT,
        "Lisää yleisiä vessoja",
        "Fler offentliga toaletter",
        "More public toilets",
        (400_000, 800_000),
    ),
    (
        Theme.WELLBEING,
        "Nuorten kesätyöpaikat puistoissa",
        "Sommarjobb för unga i parkerna",
        "Summer jobs for young people in the parks",
        (200_000, 450_000),
    ),
    (
        Theme.CULTURE,
        "Kirjastojen tapahtumat viittomakielellä",
        "Bibliotekens evenemang på teckenspråk",
        "Library events in sign language",
        (50_000, 120_000),
    ),
    (
        Theme.LEARNING,
        "Hiljaiset tilat kirjastoihin",
        "Tysta rum i biblioteken",
        "Quiet rooms in libraries",
        (80_000, 200_000),
    ),
    (
        Theme.WELLBEING,
        "Ilmaiset harrastukset yläkoululaisille",
        "Gratis hobbyer för högstadieelever",
        "Free hobbies for lower secondary pupils",
        (300_000, 700_000),
    ),
    (
        Theme.ECOLOGY,
        "Kaupunkipuiden istutusohjelma",
        "Planteringsprogram för stadsträd",
        "Planting programme for city trees",
        (200_000, 500_000),
    ),
    (
        Theme.LEARNING,
        "Ikäihmisten digituki",
        "Digitalt stöd för äldre",
        "Digital help for older people",
        (60_000, 150_000),
    ),
    (
        Theme.CULTURE,
        "Avoimet taidetyöpajat",
        "Öppna konstverkstäder",
        "Open art workshops",
        (80_000, 180_000),
    ),
    (
        Theme.SPORTS,
        "Pyöräilyn opetus aikuisille",
        "Cykelkurser för vuxna",
        "Cycling lessons for adults",
        (40_000, 90_000),
    ),
    (
        Theme.ECOLOGY,
        "Roskaretket ja siivoustalkoot",
        "Skräpplockning och städtalkon",
        "Litter picks and clean-up days",
        (30_000, 80_000),
    ),
    (
        Theme.COMMUNITY,
        "Naapuriapuverkosto",
        "Nätverk för grannhjälp",
        "Neighbourly help network",
        (50_000, 120_000),
    ),
    (
        Theme.COMMUNITY,
        "Kesäkatutapahtumat",
        "Sommargatuevenemang",
        "Summer street events",
        (100_000, 250_000),
    ),
    (
        Theme.BUILT,
        "Uimarantojen esteettömyys",
        "Tillgängliga badstränder",
        "Accessible beaches",
        (60_000, 150_000),
    ),
    (
        Theme.WELLBEING,
        "Nuorten mielenterveyden tuki chatissa",
        "Stöd för ungas psykiska hälsa i chatt",
        "Mental health chat support for young people",
        (150_000, 350_000),
    ),
    (
        Theme.PARKS,
        "Sieni- ja marjaretket lähimetsiin",
        "Svamp- och bärutflykter i närskogarna",
        "Mushroom and berry trips to nearby forests",
        (20_000, 50_000),
    ),
    (
        Theme.PARKS,
        "Lähiluonnon opasteet kolmella kielellä",
        "Skyltar i närnaturen på tre språk",
        "Nature trail signs in three languages",
        (80_000, 160_000),
    ),
    (
        Theme.CULTURE,
        "Perheiden ilmaiset museopäivät",
        "Gratis museidagar för familjer",
        "Free museum days for families",
        (100_000, 200_000),
    ),
    (
        Theme.ECOLOGY,
        "Sähköpyörien lainaus ikäihmisille",
        "Lån av elcyklar för äldre",
        "E-bike loans for older people",
        (120_000, 260_000),
    ),
]

DESCRIPTION = {
    "fi": (
        "Suunnitelma on koottu asukkaiden ehdotuksista yhdessä kaupungin asiantuntijoiden "
        "kanssa. Alue: {place}."
    ),
    "sv": (
        "Planen har sammanställts av invånarnas förslag tillsammans med stadens experter. "
        "Område: {place}."
    ),
    "en": (
        "The plan was put together from residents' proposals with the city's experts. "
        "Area: {place}."
    ),
}


def build_budgeting(today):
    """Build both demo rounds unless they exist; returns ``[(round, note)]`` for printing."""
    rng = random.Random(4_400_000)
    # The money is split by the districts' residents.
    load_helsinki_population()
    admin = StaffRole.objects.filter(role=StaffRole.Role.CITY_ADMIN).select_related("user").first()
    staff = admin.user if admin else None
    return [
        (_finished_round(rng, staff), "results published"),
        (_closed_round(today, rng), "voting closed: ballots mixed, ready to count"),
        (_open_round(today, rng, staff), "voting open"),
        (_proposal_round(today, rng, staff), "taking proposals"),
    ]


def _at(day, hour=0):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


@transaction.atomic
def _open_round(today, rng, staff):
    existing = Round.objects.filter(slug="omastadi-2025").first()
    if existing:
        return existing
    round = Round.objects.create(
        slug="omastadi-2025",
        name_fi="OmaStadi 2025–2026",
        name_sv="OmaStadi 2025–2026",
        name_en="OmaStadi 2025–2026",
        description_fi=(
            "Helsinkiläiset päättävät, mihin kaupunki käyttää 12 miljoonaa euroa. "
            "Äänestä oman alueesi ja koko kaupungin suunnitelmia."
        ),
        description_sv=(
            "Helsingforsborna bestämmer hur staden använder 12 miljoner euro. "
            "Rösta på planer i ditt område och i hela staden."
        ),
        description_en=(
            "Helsinki residents decide how the city spends 12 million euros. "
            "Vote for plans in your area and for the whole city."
        ),
        proposals_start=today - datetime.timedelta(days=300),
        proposals_end=today - datetime.timedelta(days=240),
        co_creation_start=today - datetime.timedelta(days=230),
        co_creation_end=today - datetime.timedelta(days=150),
        cost_estimates_start=today - datetime.timedelta(days=140),
        cost_estimates_end=today - datetime.timedelta(days=30),
        voting_starts_at=_at(today - datetime.timedelta(days=4), 9),
        voting_ends_at=_at(today + datetime.timedelta(days=14), 20),
        results_on=today + datetime.timedelta(days=30),
        implementation_start=today + datetime.timedelta(days=60),
        implementation_end=today + datetime.timedelta(days=790),
        minimum_voting_age=12,
    )
    areas = {area.slug: area for area in Area.objects.all()}
    RoundBudget.objects.create(round=round, area=Area.objects.city(), amount=DEMO_CITY_WIDE)
    for slug, amount in ROUND_4_DISTRICTS.items():
        RoundBudget.objects.create(round=round, area=areas[slug], amount=amount)
    _make_plans(round, rng, per_district=40, city_plans=len(CITY_PLANS), pictures=0.85)
    voters = _crowd_voters(on_day=round.last_voting_day, minimum_age=12)
    _make_ballots(round, rng, voters[: len(voters) // 3])
    schedule_mixing(round)
    return round


@transaction.atomic
def _finished_round(rng, staff):
    existing = Round.objects.filter(slug="omastadi-2023").first()
    if existing:
        return existing
    round = Round.objects.create(
        slug="omastadi-2023",
        name_fi="OmaStadi 2023–2024",
        name_sv="OmaStadi 2023–2024",
        name_en="OmaStadi 2023–2024",
        description_fi="Kolmas OmaStadi-kierros: 8,8 miljoonaa euroa asukkaiden ideoille.",
        description_sv="Den tredje OmaStadi-omgången: 8,8 miljoner euro för invånarnas idéer.",
        description_en="The third OmaStadi round: 8.8 million euros for residents' ideas.",
        proposals_start=datetime.date(2023, 1, 1),
        proposals_end=datetime.date(2023, 1, 31),
        co_creation_start=datetime.date(2023, 3, 1),
        co_creation_end=datetime.date(2023, 6, 30),
        cost_estimates_start=datetime.date(2023, 8, 1),
        cost_estimates_end=datetime.date(2024, 1, 31),
        voting_starts_at=_at(datetime.date(2024, 2, 28), 9),
        voting_ends_at=_at(datetime.date(2024, 3, 17), 20),
        results_on=datetime.date(2024, 3, 22),
        implementation_start=datetime.date(2024, 4, 1),
        implementation_end=datetime.date(2025, 12, 31),
        minimum_voting_age=13,
    )
    amounts = split_budget(
        total=8_800_000, city_share_percent=20, districts=Area.objects.districts()
    )
    for area, amount in amounts.items():
        RoundBudget.objects.create(round=round, area=area, amount=amount)
    _make_plans(round, rng, per_district=8, city_plans=8)
    voters = _crowd_voters(on_day=round.last_voting_day, minimum_age=13)
    _make_ballots(round, rng, voters[: len(voters) * 2 // 3])
    mix_ballots(round=round)
    for area in amounts:
        try:
            tally = run_count(round=round, area=area, actor=staff, tie_seed=2024)
        except TallyError:
            continue  # nobody in the demo crowd voted there
        publish_tally(tally=tally, actor=_second_city_admin())
    _follow_funded_plans(round, rng, staff)
    round.refresh_from_db()
    return round


def _second_city_admin():
    """The city administrator who publishes what the first one counted."""
    return User.objects.get(email="paatokset@osallistu.example")


@transaction.atomic
def _closed_round(today, rng):
    """Youth budgeting whose voting closed yesterday: the ballots are mixed into the
    ballot box, with a reconciled batch of paper slips, and wait to be counted."""
    existing = Round.objects.filter(slug="ruuti-2026").first()
    if existing:
        return existing
    round = Round.objects.create(
        slug="ruuti-2026",
        name_fi="Ruuti-budjetti 2026",
        name_sv="Ruuti-budgeten 2026",
        name_en="Ruuti youth budget 2026",
        description_fi=(
            "Nuoret päättävät, mihin heidän alueellaan käytetään 700 000 euroa. Äänestys on "
            "päättynyt, ja äänet lasketaan pian."
        ),
        description_sv=(
            "De unga bestämmer hur 700 000 euro används i deras område. Röstningen har "
            "avslutats, och rösterna räknas snart."
        ),
        description_en=(
            "Young people decide how 700,000 euros are spent in their area. Voting has "
            "closed, and the votes are counted soon."
        ),
        voting_starts_at=_at(today - datetime.timedelta(days=15), 9),
        voting_ends_at=_at(today - datetime.timedelta(days=1), 0),
        results_on=today + datetime.timedelta(days=7),
        minimum_voting_age=12,
        publication_needs_second_person=True,
    )
    for area in Area.objects.districts():
        RoundBudget.objects.create(round=round, area=area, amount=100_000)
    _make_plans(round, rng, per_district=6, city_plans=0)
    voters = _crowd_voters(on_day=round.last_voting_day, minimum_age=12)
    _make_ballots(round, rng, voters[: len(voters) // 4])
    _paper_ballots(round, rng)
    mix_ballots(round=round)
    round.refresh_from_db()
    return round


def _paper_ballots(round, rng):
    """Eastern residents who voted on paper at the library, and their slips entered by one
    member of staff and reconciled by another."""
    entering = User.objects.get(email="palvelupiste.itainen@osallistu.example")
    checking = User.objects.get(email="kirjasto.itainen@osallistu.example")
    eastern = Area.objects.get(slug="eastern")
    voted = Participation.objects.filter(round=round).values("voter")
    paper_voters = [
        voter
        for voter in _crowd_voters(on_day=round.last_voting_day, minimum_age=12)
        if voter.district_id == eastern.pk
        and voter.pk not in set(voted.values_list("voter", flat=True))
    ][:5]
    for voter in paper_voters:
        Participation.objects.create(
            round=round,
            voter=voter,
            channel=Channel.PAPER,
            recorded_by=entering,
            voted_at=round.voting_ends_at - datetime.timedelta(days=rng.randint(1, 10)),
            **snapshot_of_voter(voter, round),
        )
    batch = PaperBatch.objects.create(
        round=round,
        district=eastern,
        label="Itäkeskuksen kirjasto",
        slips_declared=len(paper_voters),
        entered_by=entering,
        submitted_at=round.voting_ends_at,
        reconciled_by=checking,
        reconciled_at=round.voting_ends_at,
        slips_counted=len(paper_voters),
    )
    plans = list(Plan.objects.filter(round=round, area=eastern).order_by("code"))
    for _slip in paper_voters:
        ballot = Ballot.objects.create(round=round, district=eastern, paper_batch=batch)
        BallotChoice.objects.bulk_create(
            BallotChoice(ballot=ballot, plan=plan) for plan in rng.sample(plans, 2)
        )


PROGRESS_NOTES = [
    (
        PlanStatus.IN_PROGRESS,
        datetime.date(2024, 9, 16),
        "Suunnittelu on alkanut, ja asukkaat pääsevät kommentoimaan luonnoksia syksyllä.",
        "Planeringen har börjat, och invånarna får kommentera utkasten på hösten.",
        "Planning has begun, and residents can comment on the drafts in the autumn.",
    ),
    (
        PlanStatus.IMPLEMENTED,
        datetime.date(2025, 6, 2),
        "Valmis! Kiitos kaikille, jotka ehdottivat, suunnittelivat ja äänestivät.",
        "Klart! Tack till alla som föreslog, planerade och röstade.",
        "Done! Thank you to everyone who proposed, planned and voted.",
    ),
]


def _follow_funded_plans(round, rng, staff):
    """Most funded plans of the finished round are under way, some are done."""
    for plan in Plan.objects.filter(round=round, status=PlanStatus.FUNDED).order_by("code"):
        steps = rng.choice([0, 1, 1, 2, 2])
        for status, day, fi, sv, en in PROGRESS_NOTES[:steps]:
            record_plan_progress(
                plan=plan,
                status=status,
                note={"fi": fi, "sv": sv, "en": en},
                happened_on=day,
                actor=staff,
            )


def _make_plans(round, rng, *, per_district, city_plans, pictures=0.0):
    """Plans of every district, named after its postal code areas, each in the
    neighbourhood of its area with a point or a small area on the map, and city-wide
    plans in neighbourhoods anywhere; ``pictures`` is the share that get a picture."""
    places = {}
    for postal_code in PostalCode.objects.select_related("district"):
        places.setdefault(postal_code.district.slug, []).append(postal_code)
    neighbourhoods = {n.slug: n for n in Neighbourhood.objects.select_related("district")}
    plans = []
    city = Area.objects.city()
    for number, (theme, fi, sv, en, band) in enumerate(CITY_PLANS[:city_plans], start=1):
        neighbourhood = rng.choice(sorted(neighbourhoods.values(), key=lambda n: n.number))
        plans.append(_plan(round, city, f"H-{number:03d}", theme, (fi, sv, en), band, rng, None))
        plans[-1].neighbourhood = neighbourhood
        plans[-1].place = place_near(neighbourhood, rng)
    for district in Area.objects.districts():
        combos = [
            (template, place) for template in DISTRICT_PLANS for place in places[district.slug]
        ]
        rng.shuffle(combos)
        prefix = CODE_PREFIX[district.slug]
        for number, ((theme, fi, sv, en, band), place) in enumerate(combos[:per_district], start=1):
            titles = (
                f"{place.name_fi}: {fi}",
                f"{place.name_sv}: {sv}",
                f"{place.name_fi}: {en}",
            )
            plan = _plan(round, district, f"{prefix}-{number:03d}", theme, titles, band, rng, place)
            plan.neighbourhood = neighbourhoods[POSTAL_AREA_NEIGHBOURHOOD[place.code]]
            plan.place = place_near(
                plan.neighbourhood, rng, area=theme == Theme.PARKS and rng.random() < 0.4
            )
            plan.place_name_fi, plan.place_name_sv = place.name_fi, place.name_sv
            plans.append(plan)
    Plan.objects.bulk_create(plans)
    if pictures:
        add_pictures(plans, rng, pictures)


def _plan(round, area, code, theme, titles, band, rng, place):
    low, high = band
    cost_high = rng.randrange(low, high + 1, 5_000)
    cost_low = max(5_000, cost_high - rng.randrange(5_000, max(10_000, cost_high // 3), 5_000))
    where = {
        "fi": place.name_fi if place else area.name_fi,
        "sv": place.name_sv if place else area.name_sv,
        "en": place.name_fi if place else area.name_en,
    }
    return Plan(
        round=round,
        area=area,
        code=code,
        theme=theme,
        title_fi=titles[0],
        title_sv=titles[1],
        title_en=titles[2],
        description_fi=DESCRIPTION["fi"].format(place=where["fi"]),
        description_sv=DESCRIPTION["sv"].format(place=where["sv"]),
        description_en=DESCRIPTION["en"].format(place=where["en"]),
        cost_low=min(cost_low, cost_high),
        cost_high=cost_high,
        status=PlanStatus.ON_BALLOT,
    )


def _crowd_voters(*, on_day, minimum_age):
    """The demo crowd's verified residents old enough on ``on_day``, in a fixed order."""
    return [
        user
        for user in User.objects.filter(
            email__startswith="asukas", municipality_code="091", district__isnull=False
        )
        .exclude(verification_method="")
        .order_by("email")
        if user.age_on(on_day) is not None and user.age_on(on_day) >= minimum_age
    ]


def _make_ballots(round, rng, voters):
    """Each voter votes in their home district (now and then another) and city-wide,
    picking plans they like (popular plans are liked more) while the money lasts. Some
    eastern residents vote at the library with a member of staff."""
    budgets = {budget.area_id: budget.amount for budget in round.budgets.all()}
    plans_by_area = {}
    for plan in Plan.objects.filter(round=round).order_by("code"):
        plans_by_area.setdefault(plan.area_id, []).append(plan)
    appeal = {plan.pk: rng.random() ** 2 for plans in plans_by_area.values() for plan in plans}
    districts = list(Area.objects.districts())
    city = Area.objects.city()
    library = User.objects.get(email="palvelupiste.itainen@osallistu.example")
    latest = min(timezone.now(), round.voting_ends_at)
    span = (latest - round.voting_starts_at).total_seconds()
    participations = []
    for voter in voters:
        district = voter.district if rng.random() < 0.9 else rng.choice(districts)
        chosen = []
        for area in (district, city):
            money = budgets.get(area.pk, 0)
            liked = [p for p in plans_by_area.get(area.pk, []) if rng.random() < appeal[p.pk]]
            rng.shuffle(liked)
            for plan in liked:
                if plan.cost <= money:
                    chosen.append(plan.pk)
                    money -= plan.cost
        if not chosen:
            continue
        assisted = voter.district.slug == "eastern" and rng.random() < 0.2
        voted_at = round.voting_starts_at + datetime.timedelta(seconds=rng.random() * span)
        participations.append(
            Participation(
                round=round,
                voter=voter,
                channel=Channel.ASSISTED if assisted else Channel.ONLINE,
                recorded_by=library if assisted else None,
                voted_at=voted_at,
                **snapshot_of_voter(voter, round),
                sealed_ballot=sealing.seal(
                    round.seal_public_key, district_id=district.pk, plan_ids=chosen
                ),
            )
        )
    Participation.objects.bulk_create(participations)


# title, description, theme, language: what residents wrote, each in their own words
PROPOSALS = [
    (
        "Lisää roska-astioita rantaan",
        "Kesällä roskat leviävät rannalle, koska astiat täyttyvät.",
        Theme.ECOLOGY,
        "fi",
    ),
    (
        "Katettu grillipaikka puistoon",
        "Paikka, jossa voi grillata myös sateella.",
        Theme.PARKS,
        "fi",
    ),
    (
        "Lukudiplomi-illat kirjastoon",
        "Yhteisiä lukuiltoja koululaisille ja vanhemmille.",
        Theme.LEARNING,
        "fi",
    ),
    ("Pingispöytä nuorisotalon pihalle", "Ulkopingis olisi kiva kesäisin.", Theme.SPORTS, "fi"),
    (
        "Mer belysning på cykelvägen",
        "Cykelvägen är mörk på vintern och känns otrygg.",
        Theme.BUILT,
        "sv",
    ),
    (
        "Språkcafé för nya invånare",
        "Ett ställe där man kan öva finska och svenska.",
        Theme.COMMUNITY,
        "sv",
    ),
    (
        "A community sauna by the sea",
        "A low-cost public sauna run with local volunteers.",
        Theme.WELLBEING,
        "en",
    ),
    (
        "Bike repair stand at the metro station",
        "Tools and a pump for quick fixes.",
        Theme.BUILT,
        "en",
    ),
    (
        "Perhoskasvien niitty koulun viereen",
        "Koululaiset voisivat seurata pölyttäjiä.",
        Theme.ECOLOGY,
        "fi",
    ),
    ("Ulkoshakki torille", "Iso shakkilauta, jota kaikki voivat käyttää.", Theme.COMMUNITY, "fi"),
    ("Talviuinti kaikille", "Avanto ja pukukoppi, joka on auki joka päivä.", Theme.SPORTS, "fi"),
    ("Konserter i parken på söndagar", "Lokala band kunde spela gratis.", Theme.CULTURE, "sv"),
]


# Where some proposals should happen: words, and a point (latitude, longitude).
PLACES = {
    "Lisää roska-astioita rantaan": ("Vuosaaren uimaranta", "60.2101", "25.1432"),
    "Mer belysning på cykelvägen": ("Cykelvägen längs Gamlastadsviken", "60.2128", "24.9862"),
    "A community sauna by the sea": ("Hernesaari shore", "60.1500", "24.9214"),
    "Ulkoshakki torille": ("Malmin tori", "", ""),
}

COMMENTS = [
    "Hyvä idea! Rannalla on kesäisin todella paljon roskia.",
    "Kannatan. Samaa tarvitaan myös Aurinkolahdessa.",
    "Bra förslag, jag cyklar där varje dag.",
]

FEASIBILITY = {
    "fi": "Vaatii ympäristöluvan. Ylläpito sisältyy puistojen hoitosopimukseen.",
    "sv": "Kräver miljötillstånd. Underhållet ingår i parkernas skötselavtal.",
    "en": "Needs an environmental permit. Upkeep is part of the parks' maintenance contract.",
}


@transaction.atomic
def _proposal_round(today, rng, staff):
    existing = Round.objects.filter(slug="omastadi-2027").first()
    if existing:
        return existing
    year = today.year + 1
    round = Round.objects.create(
        slug="omastadi-2027",
        name_fi=f"OmaStadi {year}–{year + 1}",
        name_sv=f"OmaStadi {year}–{year + 1}",
        name_en=f"OmaStadi {year}–{year + 1}",
        description_fi="Seuraava kierros: kerro ideasi nyt.",
        description_sv="Nästa omgång: berätta din idé nu.",
        description_en="The next round: tell us your idea now.",
        proposals_start=today - datetime.timedelta(days=10),
        proposals_end=today + datetime.timedelta(days=40),
        voting_starts_at=_at(today + datetime.timedelta(days=320), 9),
        voting_ends_at=_at(today + datetime.timedelta(days=338), 20),
    )
    for area, amount in split_budget(
        total=10_000_000, city_share_percent=20, districts=Area.objects.districts()
    ).items():
        RoundBudget.objects.create(round=round, area=area, amount=amount)
    authors = _crowd_voters(on_day=today, minimum_age=12)
    areas = list(Area.objects.order_by("number"))
    for number, (title, description, theme, language) in enumerate(PROPOSALS):
        text, latitude, longitude = PLACES.get(title, ("", "", ""))
        proposal = submit_proposal(
            round=round,
            author=authors[number * 7 % len(authors)],
            area=rng.choice(areas),
            title=title,
            description=description,
            theme=theme,
            language=language,
            place=Place(
                text=text,
                latitude=Decimal(latitude) if latitude else None,
                longitude=Decimal(longitude) if longitude else None,
            ),
        )
        if number < len(COMMENTS):
            post_proposal_comment(
                proposal=proposal,
                author=authors[(number * 7 + 3) % len(authors)],
                text=COMMENTS[number],
            )
        if number % 4 == 1:
            decide_proposal(proposal=proposal, accept=True, reason="", actor=staff)
        elif number % 4 == 3:
            decide_proposal(
                proposal=proposal,
                accept=False,
                reason="Tämä kuuluu kaupungin tavalliseen kunnossapitoon, joten se tehdään "
                "ilman osallistuvaa budjetointia.",
                actor=staff,
            )
    _co_create(round, staff)
    return round


def _co_create(round, staff):
    """Co-creation has begun: the first area with accepted proposals has a draft plan."""
    accepted = list(
        Proposal.objects.filter(round=round, status=ProposalStatus.ACCEPTED).order_by("pk")
    )
    if not accepted:
        return
    area = accepted[0].area
    create_plan_from_proposals(
        proposals=[p for p in accepted if p.area_id == area.pk],
        code=f"{area.name_fi[0].upper()}-001",
        title={
            "fi": f"Kohtaamispaikka: {area.name_fi}",
            "sv": f"Mötesplats: {area.name_sv}",
            "en": f"A meeting place: {area.name_en}",
        },
        description={
            language: DESCRIPTION[language].format(place=getattr(area, f"name_{language}"))
            for language in ("fi", "sv", "en")
        },
        feasibility=FEASIBILITY,
        theme=Theme.COMMUNITY,
        cost_low=60_000,
        cost_high=90_000,
        actor=staff,
    )
