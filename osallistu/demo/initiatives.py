"""Demo residents' initiatives: fifteen of them in every state, in Finnish, Swedish and
English, one past the 2 % line (with paper supports confirmed by a second member of
staff), one overdue at the city, a youth initiative and one with a city coach.

Population figures are Helsinki's approximate ones (``load_helsinki_population``), so
the thresholds on these pages say they are approximate. The histories are written as
rows with their dates in the past, as the services would have written them over the
months, without sending e-mail. The demo's two registry staff accounts handle them:
the first entered the paper supports, the second confirmed them; one batch waits for
the second.
"""

import datetime
import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from osallistu.accounts.models import StaffRole, User
from osallistu.areas.helsinki import load_helsinki_population
from osallistu.areas.models import Area, age_group_for
from osallistu.demo.divisions import build_divisions
from osallistu.initiatives import thresholds
from osallistu.initiatives.models import (
    Author,
    AuthorKind,
    Category,
    Follower,
    Initiative,
    PaperSupportBatch,
    State,
    Support,
    Transition,
)

REGISTRY_STAFF = ["kirjaamo@osallistu.example", "kirjaamo2@osallistu.example"]


def build_initiatives(today):
    """Build the demo initiatives unless they exist. Returns ``[(initiative, note)]`` and
    the registry staff."""
    load_helsinki_population()
    registry = _registry_staff()
    divisions = _divisions()
    if Initiative.objects.exists():
        return [], registry
    with transaction.atomic():
        return _build(today, registry, divisions), registry


def _registry_staff():
    """The demo's two registry staff accounts (``people.STAFF``)."""
    return [User.objects.get(email=email) for email in REGISTRY_STAFF]


def _divisions():
    """The divisions by their Finnish names, as the stories below name them."""
    return {division.name_fi: division for division in build_divisions().values()}


def _at(day, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class _Builder:
    def __init__(self, today, registry, divisions):
        self.today = today
        self.rng = random.Random(2015_410_23)
        self.registry, self.checker = registry
        self.divisions = divisions
        self.areas = {area.slug: area for area in Area.objects.all()}
        crowd = User.objects.filter(
            email__startswith="asukas", verification_method="oidc", municipality_code="091"
        ).order_by("pk")
        self.supporters = [user for user in crowd if (user.age_on(today) or 0) >= 13]
        self.coaches = {
            role.area.slug: role.user
            for role in StaffRole.objects.filter(role=StaffRole.Role.CITY_COACH).select_related(
                "user", "area"
            )
        }

    def person(self, email):
        return User.objects.get(email=email)

    def initiative(
        self,
        *,
        title,
        proposal,
        rationale,
        language,
        area,
        author,
        kind=AuthorKind.RESIDENT,
        organisation="",
        category=Category.GENERAL,
        started,
        place="",
        point=None,
    ):
        initiative = Initiative.objects.create(
            title=title,
            proposal=proposal,
            rationale=rationale,
            language=language,
            area=self.areas[area],
            category=category,
            created_at=_at(started, 10),
            place_text=place,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
        )
        Author.objects.create(
            initiative=initiative,
            user=author,
            kind=kind,
            organisation=organisation,
            public_name=author.full_name,
            is_initiator=True,
            joined_at=_at(started, 10),
        )
        return initiative

    def move(self, initiative, to_state, day, *, by_city, actor, reason="", **fields):
        Transition.objects.create(
            initiative=initiative,
            from_state=initiative.state,
            to_state=to_state,
            at=_at(day, 14),
            reason=reason,
            by_city=by_city,
            actor=actor,
        )
        initiative.state = to_state
        for name, value in fields.items():
            setattr(initiative, name, value)
        initiative.save()

    def author_of(self, initiative):
        return initiative.authors.get(is_initiator=True).user

    def publish(self, initiative, day):
        self.move(
            initiative,
            State.COLLECTING,
            day,
            by_city=False,
            actor=self.author_of(initiative),
            published_at=_at(day, 14),
        )

    def supports(self, initiative, count, first_day, last_day):
        """``count`` supports from the demo crowd, spread over the days."""
        people = self.rng.sample(self.supporters, min(count, len(self.supporters)))
        span = max((last_day - first_day).days, 0)
        Support.objects.bulk_create(
            Support(
                initiative=initiative,
                user=person,
                supported_at=_at(first_day + timedelta(days=self.rng.randint(0, span)), 9)
                + timedelta(minutes=self.rng.randint(0, 600)),
                counts=person.age_on(self.today) >= 18,
                home_district_id=person.district_id,
                age_group=age_group_for(person.age_on(self.today)),
            )
            for person in people
        )

    def paper(self, initiative, label, signatures, valid, day, *, confirmed=True):
        PaperSupportBatch.objects.create(
            initiative=initiative,
            label=label,
            signatures=signatures,
            valid=valid,
            notes="" if valid == signatures else "Ei helsinkiläinen tai allekirjoitus kahdesti.",
            entered_by=self.registry,
            entered_at=_at(day, 11),
            confirmed_by=self.checker if confirmed else None,
            confirmed_at=_at(day + timedelta(days=1), 15) if confirmed else None,
        )

    def send(self, initiative, day):
        self.move(
            initiative, State.SENT, day, by_city=False, actor=self.author_of(initiative),
            sent_at=_at(day, 14),
        )  # fmt: skip

    def register(self, initiative, day, number):
        initiative.diary_number = f"HEL {day.year}-{number:06d}"
        initiative.registered_at = _at(day, 10)
        initiative.save()

    def prepare(self, initiative, day, division, preparer, email=""):
        self.move(
            initiative,
            State.PREPARING,
            day,
            by_city=True,
            actor=self.registry,
            division=self.divisions[division],
            preparer_name=preparer,
            preparer_email=email,
        )

    def decide(self, initiative, day, maker, answer, language="fi", url=""):
        self.move(
            initiative,
            State.DECIDED,
            day,
            by_city=True,
            actor=self.registry,
            decision_maker=maker,
            decision_date=day,
            answer=answer,
            answer_language=language,
            decision_url=url,
            closed_at=_at(day, 14),
        )

    def reach_thresholds(self, initiative):
        """Set the days the thresholds were reached, as the services would have."""
        online = initiative.supports.filter(counts=True).order_by("supported_at")
        paper = initiative.paper_batches.filter(confirmed_at__isnull=False).order_by("confirmed_at")
        events = [(support.supported_at, 1) for support in online] + [
            (batch.confirmed_at, batch.valid) for batch in paper
        ]
        progress = thresholds.progress_of(initiative, 0)
        total = 0
        for moment, count in sorted(events):
            total += count
            for threshold in progress.thresholds:
                field = f"{threshold.key}_threshold_reached_on"
                if total >= threshold.needed and getattr(initiative, field) is None:
                    setattr(initiative, field, timezone.localdate(moment))
        initiative.save()
        return progress


def _build(today, registry, divisions):
    b = _Builder(today, registry, divisions)
    aino = b.person("aino.virtanen@example.fi")
    mats = b.person("mats.lindqvist@example.fi")
    priya = b.person("priya.sharma@example.fi")
    crowd = b.supporters
    adults = [user for user in crowd if user.age_on(today) >= 18]
    youths = [user for user in crowd if 13 <= user.age_on(today) <= 17]
    built = []
    days = lambda n: today - timedelta(days=n)  # noqa: E731

    # 1. A draft of the tour's Aino Virtanen: only she sees it.
    draft = b.initiative(
        title="Kallion kirjasto auki myös sunnuntaisin",
        proposal="Esitämme, että Kallion kirjasto pidetään avoinna sunnuntaisin klo 12–18.",
        rationale=(
            "Kallion kirjasto on alueen olohuone. Arkisin se on täynnä, mutta sunnuntaisin "
            "lähin avoin kirjasto on keskustassa. Moni lapsiperhe ja opiskelija tarvitsisi "
            "rauhallisen paikan viikonloppuna."
        ),
        language="fi",
        area="central",
        author=aino,
        started=days(3),
        place="Kallion kirjasto, Viides linja 11",
        point=("60.184200", "24.950500"),
    )
    built.append((draft, "draft of aino.virtanen@example.fi"))

    # 2. A second draft, of a community.
    club = b.initiative(
        title="Koirapuisto Kontulan metsän laitaan",
        proposal="Kontulaan rakennetaan aidattu koirapuisto Kontulantien varteen.",
        rationale="Lähin koirapuisto on kahden kilometrin päässä, ja koiria on alueella paljon.",
        language="fi",
        area="eastern",
        author=adults[0],
        kind=AuthorKind.COMMUNITY,
        organisation="Kontulan koiraharrastajat ry",
        started=days(10),
    )
    built.append((club, "draft of a community"))

    # 3. Collecting, with a city coach helping, in the North-Eastern district.
    lights = b.initiative(
        title="Valaistus Tapanilan urheilupuiston kuntoradalle",
        proposal="Tapanilan urheilupuiston 2,5 kilometrin kuntorata valaistaan.",
        rationale=(
            "Pimeään aikaan rata on käyttökelvoton klo 16 jälkeen. Valaistu rata toisi "
            "liikkujia ja lisäisi turvallisuutta."
        ),
        language="fi",
        area="north-eastern",
        author=adults[1],
        started=days(40),
        place="Tapanilan urheilupuisto",
        point=("60.263500", "25.035200"),
    )
    b.publish(lights, days(38))
    b.supports(lights, 140, days(38), days(1))
    lights.help_requested_at = _at(days(30))
    lights.help_message = "Miten saamme paperilistat kerättyä ja toimitettua kaupungille?"
    lights.coach = b.coaches.get("north-eastern")
    lights.coach_assigned_at = _at(days(30)) if lights.coach else None
    lights.save()
    built.append((lights, "collecting support, a city coach helps"))

    # 4. Collecting in Swedish.
    daycare = b.initiative(
        title="Fler svenskspråkiga daghemsplatser i Drumsö",
        proposal="Staden öppnar en ny svenskspråkig daghemsgrupp på Drumsö senast hösten 2027.",
        rationale=(
            "Köerna till de svenskspråkiga daghemmen på Drumsö är långa och familjer får "
            "platser på andra sidan staden."
        ),
        language="sv",
        area="southern",
        author=mats,
        started=days(25),
    )
    b.publish(daycare, days(24))
    b.supports(daycare, 60, days(24), days(2))
    built.append((daycare, "collecting support, in Swedish"))

    # 5. Collecting in English, with a paper batch waiting for the second person.
    info = b.initiative(
        title="Health station information in English and Russian",
        proposal=(
            "Health stations publish their instructions and opening hours in English and "
            "Russian as well as in Finnish and Swedish."
        ),
        rationale=(
            "Tens of thousands of residents speak English or Russian at home. They miss "
            "vaccination campaigns and changed opening hours."
        ),
        language="en",
        area="helsinki",
        author=priya,
        started=days(60),
    )
    b.publish(info, days(58))
    b.supports(info, 180, days(58), days(1))
    b.paper(info, "Listat kirjaamosta 2.–4. päivältä, arkit 1–30", 410, 396, days(5))
    b.paper(info, "Listat kirjaamosta, arkit 31–45", 205, 198, days(1), confirmed=False)
    b.reach_thresholds(info)
    built.append((info, "collecting support, in English; a paper batch waits for confirming"))

    # 6. A youth initiative collecting support.
    youth = b.initiative(
        title="Nuorisotalo auki myös sunnuntai-iltaisin",
        proposal="Itäkeskuksen nuorisotalo on auki sunnuntaisin klo 16–21.",
        rationale="Sunnuntai-iltaisin nuorilla ei ole paikkaa, jossa olla kavereiden kanssa.",
        language="fi",
        area="eastern",
        author=youths[0] if youths else adults[2],
        category=Category.YOUTH,
        started=days(20),
    )
    b.publish(youth, days(19))
    b.supports(youth, 90, days(19), days(0))
    built.append((youth, "youth initiative (13–17), collecting support"))

    # 7. Sent a few days ago, waiting for the registry.
    bins = b.initiative(
        title="Lisää roska-astioita Vuosaaren uimarannoille",
        proposal="Aurinkolahden ja Kallahden uimarannoille lisätään roska-astioita kesäksi.",
        rationale="Kesäisin roska-astiat täyttyvät iltapäivään mennessä ja roskat leviävät.",
        language="fi",
        area="eastern",
        author=adults[3],
        started=days(30),
        place="Aurinkolahden uimaranta",
        point=("60.198700", "25.148900"),
    )
    b.publish(bins, days(29))
    b.supports(bins, 75, days(29), days(4))
    b.send(bins, days(3))
    built.append((bins, "sent, waiting for registering"))

    # 8. Sent and registered.
    path_lights = b.initiative(
        title="Katuvalot Paloheinän ulkoilureitille",
        proposal="Paloheinän ulkoilureitin ensimmäinen kilometri valaistaan.",
        rationale="Reittiä käyttävät koululaiset myös pimeällä.",
        language="fi",
        area="northern",
        author=adults[4],
        started=days(50),
    )
    b.send(path_lights, days(20))
    b.register(path_lights, days(18), 4117)
    built.append((path_lights, "sent straight from draft, registered"))

    # 9. Past the 2 % line: being prepared, with the law's six months running.
    forest = b.initiative(
        title="Keskuspuiston metsät suojeluun",
        proposal=(
            "Kaupunki rauhoittaa Keskuspuiston vanhat metsäalueet luonnonsuojelualueiksi ja "
            "jättää ne rakentamisen ulkopuolelle."
        ),
        rationale=(
            "Keskuspuisto on koko kaupungin yhteinen metsä. Sen vanhat kuusikot ovat "
            "uhanalaisten lajien elinympäristöä ja helsinkiläisten tärkein lähiluontokohde."
        ),
        language="fi",
        area="helsinki",
        author=adults[5],
        kind=AuthorKind.COMMUNITY,
        organisation="Keskuspuiston ystävät ry",
        started=days(200),
        place="Keskuspuisto",
        point=("60.205000", "24.915000"),
    )
    Author.objects.create(
        initiative=forest,
        user=adults[6],
        kind=AuthorKind.RESIDENT,
        public_name=adults[6].full_name,
        joined_at=_at(days(195)),
    )
    b.publish(forest, days(190))
    b.supports(forest, min(len(crowd), 320), days(190), days(75))
    progress = thresholds.progress_of(forest, 0)
    council = progress.threshold(thresholds.COUNCIL)
    needed = council.needed if council else 11_300
    online = forest.supports.filter(counts=True).count()
    paper_needed = max(needed - online, 0) + 640
    first = paper_needed // 2
    b.paper(forest, "Paperilistat, toimitettu 1. erä, arkit 1–600", first + 180, first, days(120))
    b.paper(
        forest,
        "Paperilistat, toimitettu 2. erä, arkit 601–1250",
        paper_needed - first + 215,
        paper_needed - first,
        days(82),
    )
    b.send(forest, days(75))
    b.reach_thresholds(forest)
    b.register(forest, days(74), 3902)
    b.prepare(
        forest, days(60), "Kaupunkiympäristön toimiala", "Liisa Metsänen",
        "liisa.metsanen@example.fi",
    )  # fmt: skip
    forest.deadline = thresholds.council_deadline(days(75))
    forest.deadline_by_law = True
    forest.save()
    Follower.objects.bulk_create(
        Follower(initiative=forest, user=user) for user in b.rng.sample(adults, 12)
    )
    built.append((forest, "past the 2 % line, being prepared, the council's six months running"))

    # 10. Overdue: being prepared past the deadline staff set.
    swim = b.initiative(
        title="Uimahallien aamuvuorot ikäihmisille",
        proposal="Itäkeskuksen uimahallissa on arkiaamuisin klo 7–9 vuoro yli 65-vuotiaille.",
        rationale="Aamun yleiset vuorot ovat ruuhkaisia, ja moni ikäihminen jättää uinnin väliin.",
        language="fi",
        area="eastern",
        author=adults[7],
        started=days(160),
    )
    b.publish(swim, days(158))
    b.supports(swim, 95, days(158), days(125))
    b.send(swim, days(120))
    b.register(swim, days(119), 3555)
    b.prepare(swim, days(110), "Kulttuurin ja vapaa-ajan toimiala", "Pekka Pulli")
    swim.deadline = days(14)
    swim.deadline_reason = "Toimiala lupasi vastata kolmessa kuukaudessa."
    swim.save()
    built.append((swim, "overdue on the staff queue"))

    # 11.–13. Decided, in three languages.
    benches = b.initiative(
        title="Lisää penkkejä Vallilan puistoihin",
        proposal="Vallilan puistoihin lisätään vähintään kaksikymmentä penkkiä.",
        rationale="Ikäihmisten on vaikea kulkea puistojen läpi, kun levähdyspaikkoja ei ole.",
        language="fi",
        area="central",
        author=adults[8],
        started=days(330),
    )
    b.publish(benches, days(328))
    b.supports(benches, 130, days(328), days(280))
    b.send(benches, days(275))
    b.register(benches, days(274), 2210)
    b.prepare(benches, days(260), "Kaupunkiympäristön toimiala", "Maria Penkkilä")
    b.decide(
        benches,
        days(150),
        "Kaupunkiympäristön toimialan katu- ja puistosuunnittelupäällikkö",
        (
            "Vallilan puistoihin lisätään 24 uutta penkkiä vuoden aikana. Sijainnit on "
            "valittu yhdessä Vallilan seniorineuvoston kanssa, ja ensimmäiset penkit "
            "asennetaan kevään aikana."
        ),
        url="https://paatokset.hel.fi/fi",
    )
    built.append((benches, "decided"))

    signs = b.initiative(
        title="Tvåspråkiga skyltar i Drumsö strandpark",
        proposal="Alla skyltar i Drumsö strandpark blir tvåspråkiga.",
        rationale="Drumsö är en tvåspråkig stadsdel, men de nya skyltarna är bara på finska.",
        language="sv",
        area="southern",
        author=mats,
        started=days(240),
    )
    b.send(signs, days(230))
    b.register(signs, days(229), 2788)
    b.prepare(signs, days(220), "Kaupunkiympäristön toimiala", "Anna Lindström")
    b.decide(
        signs,
        days(100),
        "Biträdande borgmästaren för stadsmiljö",
        (
            "Skyltarna byts ut mot tvåspråkiga skyltar under sommaren. Staden har också "
            "gått igenom skyltarna i andra parker på tvåspråkiga områden."
        ),
        language="sv",
    )
    built.append((signs, "decided, in Swedish"))

    playground = b.initiative(
        title="A shaded playground in Jätkäsaari",
        proposal="The city plants trees and builds shade over the Jätkäsaari playground.",
        rationale="In summer the playground is too hot to use from noon until the evening.",
        language="en",
        area="southern",
        author=priya,
        started=days(300),
        place="Jätkäsaari playground",
        point=("60.157000", "24.917500"),
    )
    b.publish(playground, days(298))
    b.supports(playground, 110, days(298), days(260))
    b.send(playground, days(255))
    b.register(playground, days(254), 2456)
    b.prepare(playground, days(240), "Kaupunkiympäristön toimiala", "Jukka Varjo")
    b.decide(
        playground,
        days(60),
        "Kaupunkiympäristölautakunta",
        (
            "Leikkipuistoon istutetaan kuusi puuta ja rakennetaan varjokatos ensi kesään "
            "mennessä. Varjoisuus otetaan huomioon myös uusien leikkipaikkojen suunnittelussa."
        ),
        url="https://paatokset.hel.fi/fi",
    )
    built.append((playground, "decided, the initiative in English"))

    # 14. Ended by the city without a decision.
    metro = b.initiative(
        title="Metro jatkettava Sipooseen",
        proposal="Helsinki vaatii, että metro jatketaan Mellunmäestä Sipooseen.",
        rationale="Östersundomin alueelle tarvitaan raideyhteys.",
        language="fi",
        area="eastern",
        author=adults[9],
        started=days(180),
    )
    b.send(metro, days(170))
    b.register(metro, days(169), 3311)
    reason = (
        "Asia ei ole yksin Helsingin päätettävissä: metron jatkamisesta päättävät "
        "seudun kunnat ja valtio yhdessä. Aloite on toimitettu tiedoksi HSL:lle."
    )
    b.move(
        metro,
        State.ENDED,
        days(140),
        by_city=True,
        actor=b.registry,
        reason=reason,
        end_reason=reason,
        closed_at=_at(days(140), 14),
    )
    built.append((metro, "ended without a decision by the city"))

    # 15. Withdrawn by its authors.
    food = b.initiative(
        title="Ruokarekat Hakaniemen torille iltaisin",
        proposal="Hakaniemen torille sallitaan ruokarekat arki-iltaisin.",
        rationale="Tori on iltaisin tyhjä.",
        language="fi",
        area="central",
        author=adults[10],
        started=days(90),
    )
    b.publish(food, days(88))
    b.supports(food, 25, days(88), days(50))
    reason = "Sama asia on jo käsittelyssä toisessa aloitteessa, jota tuemme."
    b.move(
        food,
        State.ENDED,
        days(45),
        by_city=False,
        actor=adults[10],
        reason=reason,
        end_reason=reason,
        closed_at=_at(days(45), 14),
    )
    built.append((food, "withdrawn by its authors"))

    for initiative, _note in built:
        b.reach_thresholds(initiative)
    return built
