"""One small city with something behind every URL, for the site-wide tests
(``test_permission_matrix``, ``test_unlocalised_attributes``).

``build_world()`` makes it; ``world`` (a module-scoped fixture in each test module)
builds it once per module inside a transaction that is rolled back at the end, and
each test runs in a savepoint inside it, so a POST that changes something is undone
before the next test.

The people are the principals of the matrix: ``PRINCIPALS`` names them. District roles
are in the Eastern district, where the district objects are (a plan, a proposal, a
survey, a premises unit); ``*_west`` staff have the same role in the Western district.
"""

import datetime
import hashlib
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import AutoField, BigAutoField, SmallAutoField
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts.models import Division, PendingRegistration, StaffRole
from osallistu.areas.helsinki import load_helsinki_areas
from osallistu.areas.models import Area, Population
from osallistu.budgeting.models import ProposalComment
from osallistu.budgeting.services import (
    Place,
    cast_ballot,
    decide_proposal,
    enter_void_slip,
    hide_proposal,
    hide_proposal_comment,
    open_paper_batch,
    publish_tally,
    run_count,
    submit_paper_batch,
    submit_proposal,
)
from osallistu.coaches.models import CoachKind, CoachProfile, PlaceKind, Topic
from osallistu.coaches.models import Place as CoachPlace
from osallistu.coaches.selectors.slots import slot_key
from osallistu.coaches.services import appointments
from osallistu.coaches.services import events as coach_events
from osallistu.coaches.services import hours as coach_hours
from osallistu.coaches.services import profiles as coach_profiles
from osallistu.coaches.services import requests as coach_requests
from osallistu.coaches.tokens import appointment_token
from osallistu.feedback.models import DivisionMember, FeedbackFollower, Status
from osallistu.feedback.services import issue_api_key
from osallistu.initiatives import selectors as initiative_selectors
from osallistu.initiatives import services as initiative_services
from osallistu.initiatives.models import AuthorKind, Category, Invitation
from osallistu.initiatives.services.drafting import token_digest as invitation_digest
from osallistu.monitoring.models import CommitteeReport, Goal, ParticipationPlan
from osallistu.premises import services as premises_services
from osallistu.premises.models import Booking, BookingState, Confirmation
from osallistu.premises.selectors import CITY_TZ, local_datetime
from osallistu.surveys.models import Audience, Comment, Response, ResponseStatus
from osallistu.volunteering import services as volunteering_services
from osallistu.volunteering.models import Opportunity, Organiser, OrganiserMember, SignUp
from osallistu.volunteering.services.signups import token_digest as volunteering_digest
from tests.budgeting.factories import (
    PlanFactory,
    RoundBudgetFactory,
    RoundFactory,
    checked_in_person,
    close_and_mix,
)
from tests.factories import (
    DivisionFactory,
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
)
from tests.feedback.factories import FeedbackFactory, PublicFeedbackFactory, ServiceCategoryFactory
from tests.premises.factories import EquipmentFactory, PurposeFactory, SpaceFactory, UnitFactory
from tests.surveys.factories import (
    ConditionFactory,
    HearingFactory,
    OptionFactory,
    PageFactory,
    PollFactory,
    PollOptionFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
)
from tests.volunteering.factories import (
    MemberFactory,
    OpportunityFactory,
    OrganiserFactory,
    ShiftFactory,
    TalkootFactory,
)

Role = StaffRole.Role

# name: (role, district slug or None for the whole city, past the second factor)
STAFF = {
    "city_admin": (Role.CITY_ADMIN, None, True),
    "moderator": (Role.DISTRICT_MODERATOR, "eastern", True),
    "coach": (Role.CITY_COACH, "eastern", True),
    "premises": (Role.PREMISES_MANAGER, "eastern", True),
    "reporter": (Role.REPORTER, None, True),
    "service_point": (Role.SERVICE_POINT, "eastern", True),
    "moderator_west": (Role.DISTRICT_MODERATOR, "western", True),
    "coach_west": (Role.CITY_COACH, "western", True),
    "premises_west": (Role.PREMISES_MANAGER, "western", True),
    "service_point_west": (Role.SERVICE_POINT, "western", True),
    "registry": (Role.REGISTRY, "eastern", True),
    "registry_west": (Role.REGISTRY, "western", True),
    "feedback": (Role.FEEDBACK, "eastern", True),
    "feedback_west": (Role.FEEDBACK, "western", True),
    "business_coach": (Role.BUSINESS_COACH, "eastern", True),
}
# The same people signed in with their password only.
WITHOUT_SECOND_FACTOR = {
    f"{name}_no2fa": (role, area, False)
    for name, (role, area, verified) in STAFF.items()
    if not name.endswith("_west")
}
PRINCIPALS = (
    "anonymous",
    "resident",
    *STAFF,
    *WITHOUT_SECOND_FACTOR,
    "superuser",
    "superuser_no2fa",
)

AUTO_FIELDS = (AutoField, BigAutoField, SmallAutoField)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, world, principal):
    """Sign ``principal`` in on ``client`` (nobody for ``anonymous``) with the session
    made for them with the world: logging in for every request would take as long as
    the request."""
    if principal != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[principal]
    return client


def _session_of(user, device):
    client = Client()
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@contextmanager
def ids_from(first):
    """New rows of every table get ids from ``first`` on while this lasts, so that the
    ids a page writes are numbers a language would group (12 345), as they are in
    production. Each table's counter (PostgreSQL's sequence, SQLite's row in
    ``sqlite_sequence``) is set, then put back: use it outside the transaction.
    """
    tables = [
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_models(include_auto_created=True)
        if isinstance(model._meta.pk, AUTO_FIELDS)
    ]
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            counters = []
            for table, column in tables:
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                counters.append(cursor.fetchone()[0])
            kept = {}
            for sequence in counters:
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                kept[sequence] = cursor.fetchone()
                cursor.execute("SELECT setval(%s, %s, false)", [sequence, first])
        else:
            counters = [table for table, _column in tables]
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            kept = dict(cursor.fetchall())
            cursor.execute("DELETE FROM sqlite_sequence")
            cursor.executemany(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                [(table, max(first - 1, kept.get(table, 0))) for table in counters],
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if postgresql:
                for sequence, (value, called) in kept.items():
                    cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value, called])
            else:
                cursor.execute("DELETE FROM sqlite_sequence")
                cursor.executemany(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", list(kept.items())
                )


def _next_tuesday(days_ahead=7):
    day = timezone.localtime(timezone.now(), CITY_TZ).date() + datetime.timedelta(days=days_ahead)
    return day + datetime.timedelta(days=(1 - day.weekday()) % 7)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def build_world():
    city, districts = load_helsinki_areas()
    east, west = districts["eastern"], districts["western"]
    w = SimpleNamespace(city=city, east=east, west=west)

    # People
    w.resident = VerifiedResidentFactory(
        email="resident@example.fi", birth_date=datetime.date(1990, 5, 1), district=east
    )
    people = {"resident": (w.resident, None)}
    users = {}
    for name, (role, area_slug, verified) in {**STAFF, **WITHOUT_SECOND_FACTOR}.items():
        key = name.removesuffix("_no2fa")
        if key not in users:
            area = districts[area_slug] if area_slug else None
            user = StaffRoleFactory(
                role=role, area=area, user__email=f"{key}@osallistu.example"
            ).user
            device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
            users[key] = (user, device)
        user, device = users[key]
        people[name] = (user, device if verified else None)
    superuser = UserFactory(email="super@osallistu.example", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    people["superuser"] = (superuser, device)
    people["superuser_no2fa"] = (superuser, None)
    w.people = people
    # A registration waiting for its e-mailed link; the link's token is kept as a digest.
    w.registration_token = "rekisteroitymislinkki"
    PendingRegistration.objects.create(
        email="new@example.fi",
        full_name="Uusi Asukas",
        password=make_password(None),
        token_digest=hashlib.sha256(w.registration_token.encode()).hexdigest(),
    )
    w.sessions = {name: _session_of(user, device) for name, (user, device) in people.items()}
    w.admin = users["city_admin"][0]

    # Budgeting: a round in voting with plans city-wide and in two districts ...
    w.round = RoundFactory(slug="omastadi")
    RoundBudgetFactory(round=w.round, area=city, amount=400_000)
    for district in districts.values():
        RoundBudgetFactory(round=w.round, area=district, amount=300_000)
    w.plan_city = PlanFactory(round=w.round, area=city, code="H-001")
    w.plan_east = PlanFactory(round=w.round, area=east, code="I-001")
    w.plan_west = PlanFactory(round=w.round, area=west, code="L-001")

    # ... a round taking proposals, with one proposal of the resident's and a comment,
    # an accepted proposal, a hidden proposal and a hidden comment ...
    today = timezone.localdate()
    w.ideas = RoundFactory(
        slug="ideat",
        proposals_start=today - datetime.timedelta(days=5),
        proposals_end=today + datetime.timedelta(days=20),
        voting_starts_at=timezone.now() + datetime.timedelta(days=200),
        voting_ends_at=timezone.now() + datetime.timedelta(days=220),
    )
    for area in (city, *districts.values()):
        RoundBudgetFactory(round=w.ideas, area=area)
    w.proposal = submit_proposal(
        round=w.ideas,
        author=w.resident,
        area=east,
        title="Uimaranta",
        description="Ranta ja laituri.",
        theme="sports",
        language="fi",
        place=Place(
            text="Vuosaaren satama", latitude=Decimal("60.2101"), longitude=Decimal("25.1432")
        ),
    )
    w.comment = ProposalComment.objects.create(
        proposal=w.proposal, author=w.resident, text="Hyvä ajatus."
    )
    accepted = submit_proposal(
        round=w.ideas,
        author=UserFactory(),
        area=east,
        title="Penkit",
        description="Penkkejä puistoon.",
        theme="parks",
        language="fi",
    )
    decide_proposal(proposal=accepted, accept=True, reason="", actor=None)
    w.hidden_proposal = submit_proposal(
        round=w.ideas,
        author=UserFactory(),
        area=east,
        title="Mainos",
        description="Ostakaa tuotteitamme.",
        theme="parks",
        language="fi",
    )
    hide_proposal(proposal=w.hidden_proposal, reason="Mainos", actor=w.admin)
    w.hidden_comment = ProposalComment.objects.create(
        proposal=w.proposal, author=UserFactory(), text="Asiaton."
    )
    hide_proposal_comment(comment=w.hidden_comment, reason="Asiaton", actor=w.admin)

    # ... a batch of paper ballots of the Eastern district opened at a service point ...
    w.paper_batch = open_paper_batch(
        round=w.round,
        district=east,
        label="Itäkeskuksen kirjasto 1",
        slips_declared=3,
        actor=users["service_point"][0],
    )

    # ... and another that its opener entered in full and submitted, for a second person
    # to reconcile; a resident of the Eastern district whose identity document the
    # Eastern service point checked, so that a ballot for them needs someone else ...
    service_point = users["service_point"][0]
    w.submitted_batch = open_paper_batch(
        round=w.round,
        district=east,
        label="Itäkeskuksen kirjasto 2",
        slips_declared=1,
        actor=service_point,
    )
    enter_void_slip(batch=w.submitted_batch, actor=service_point)
    submit_paper_batch(batch=w.submitted_batch, actor=service_point)
    w.checked_voter = checked_in_person(east, by=service_point)

    # ... and a finished round whose Eastern result one administrator counted and
    # another published, and whose Western result the superuser counted and nobody has
    # published yet.
    w.finished = RoundFactory(slug="valmis")
    for district, code in ((east, "I-101"), (west, "L-101")):
        RoundBudgetFactory(round=w.finished, area=district, amount=300_000)
        finished_plan = PlanFactory(round=w.finished, area=district, code=code, cost_high=100_000)
        cast_ballot(
            round=w.finished,
            voter=VerifiedResidentFactory(district=district),
            district=district,
            plan_ids=[finished_plan.pk],
        )
    close_and_mix(w.finished)
    tally = run_count(round=w.finished, area=east, actor=superuser)
    publish_tally(tally=tally, actor=w.admin)
    w.unpublished_tally = run_count(round=w.finished, area=west, actor=superuser)

    # Surveys: one for the residents of the Eastern district (the resident is answering
    # it), one for anyone (the resident has sent a response; results are published);
    # each with a question with options on its first page and a question on the second
    # page shown on a condition.
    w.survey_east = _survey("itainen", audience=Audience.DISTRICTS, districts=[east])
    w.survey_city = _survey("koko-kaupunki", audience=Audience.ANYONE, results_published=True)
    Response.objects.create(survey=w.survey_east, user=w.resident, current_page=w.survey_east.page)
    Response.objects.create(
        survey=w.survey_city,
        user=w.resident,
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )

    # A hearing for the whole city with a section, a poll and a comment, and one of the
    # Eastern district with a comment.
    w.hearing = HearingFactory(slug="kuuleminen", map_comments=True)
    section = SectionFactory(hearing=w.hearing)
    w.poll = PollFactory(section=section)
    PollOptionFactory(poll=w.poll)
    PollOptionFactory(poll=w.poll)
    w.hearing_comment = Comment.objects.create(
        hearing=w.hearing, section=section, author=w.resident, text="Hyvä suunnitelma."
    )
    w.hearing_east = HearingFactory(slug="itakeskuksen-puisto")
    w.hearing_east.districts.set([east])
    w.hearing_east_comment = Comment.objects.create(
        hearing=w.hearing_east,
        section=SectionFactory(hearing=w.hearing_east),
        author=w.resident,
        text="Lisää penkkejä.",
    )

    # Premises: a unit in the Eastern district with a space handled by staff, the
    # resident's booking waiting for handling, a weekly series and staff-blocked time.
    w.unit = UnitFactory(slug="itakeskus", district=east)
    w.space = SpaceFactory(unit=w.unit, slug="sali", confirmation=Confirmation.HANDLED)
    w.space.purposes.add(PurposeFactory())
    w.space.equipment.add(EquipmentFactory())
    tuesday = _next_tuesday()
    w.booking = premises_services.create_booking(
        space=w.space,
        booker=w.resident,
        begins_at=local_datetime(tuesday, datetime.time(10)),
        ends_at=local_datetime(tuesday, datetime.time(12)),
        attendees=5,
    )
    assert w.booking.state == BookingState.REQUIRES_HANDLING
    first = tuesday + datetime.timedelta(weeks=1)
    w.series = premises_services.create_series(
        space=w.space,
        booker=w.resident,
        first_date=first,
        last_date=first + datetime.timedelta(weeks=1),
        begins=datetime.time(14),
        ends=datetime.time(15),
        attendees=3,
        dates=[first, first + datetime.timedelta(weeks=1)],
    )
    w.block = premises_services.block_time(
        space=w.space,
        staff=w.admin,
        begins_at=local_datetime(tuesday, datetime.time(16)),
        ends_at=local_datetime(tuesday, datetime.time(18)),
        reason="Huolto",
    )
    assert Booking.objects.blocked().filter(pk=w.block.pk).exists()
    w.feed = premises_services.calendar_feed_for(w.resident)
    w.districts = Area.objects.districts()

    _initiatives(w, registry=users["registry"][0])
    _feedback(w, handlers=(users["feedback"][0], users["feedback_west"][0]))
    _coaches(w, coach=users["coach"][0], business_coach=users["business_coach"][0])
    _volunteering(w)
    _monitoring(w)
    return w


def _feedback(w, *, handlers):
    """Feedback in a category of the urban environment, whose division has the Eastern
    and the Western feedback handler as members: public feedback of the Eastern
    district (another resident's; the resident follows it) and of an unknown district
    (an address only), the resident's own done three days ago and waiting for
    moderation, another's waiting for moderation, and an application's API keys."""
    division = DivisionFactory()
    w.category = ServiceCategoryFactory(division=division)
    w.member_east, w.member_west = (
        DivisionMember.objects.create(division=division, user=user) for user in handlers
    )
    at_vuosaari = {
        "district": w.east,
        "latitude": Decimal("60.210000"),
        "longitude": Decimal("25.143000"),
        "address": "Vuotie 45",
    }
    w.feedback_east = PublicFeedbackFactory(service=w.category, **at_vuosaari)
    w.feedback_unknown_place = PublicFeedbackFactory(
        service=w.category, district=None, latitude=None, longitude=None, address="Rantatie"
    )
    done = timezone.now() - datetime.timedelta(days=3)
    w.feedback_done = PublicFeedbackFactory(
        service=w.category,
        author=w.resident,
        status=Status.DONE,
        closed_at=done,
        handling_seconds=3600,
        **at_vuosaari,
    )
    w.feedback_mine_waiting = FeedbackFactory(service=w.category, author=w.resident, **at_vuosaari)
    w.feedback_waiting = FeedbackFactory(service=w.category, **at_vuosaari)
    FeedbackFollower.objects.create(feedback=w.feedback_east, user=w.resident)
    w.api_key, w.api_key_secret = issue_api_key(name="Palauteappi", staff=w.admin)


def _coaches(w, *, coach, business_coach):
    """The Eastern district's city coach and business coach with their pages and office
    hours (the city coach's with a day off ahead); the resident's meeting with the city
    coach, their question to them, and their sign-up for the coach's event."""
    topic = Topic.objects.create(
        audience=CoachKind.CITY,
        slug="budjetointi",
        name_fi="Osallistuva budjetointi",
        name_sv="Deltagande budgetering",
        name_en="Participatory budgeting",
    )
    Topic.objects.create(
        audience=CoachKind.BUSINESS,
        slug="luvat",
        name_fi="Luvat",
        name_sv="Tillstånd",
        name_en="Permits",
    )
    place = CoachPlace.objects.create(
        name_fi="Itäkeskuksen kirjasto",
        name_sv="Östra centrums bibliotek",
        name_en="Itäkeskus library",
        kind=PlaceKind.LIBRARY,
        street_address_fi="Turunlinnantie 1",
        postal_code="00930",
        district=w.east,
    )
    today = timezone.localtime(timezone.now(), CITY_TZ).date()
    for user in (coach, business_coach):
        coach_profiles.save_profile(coach=user, texts={}, languages=["fi", "sv"])
        for weekday in range(5):
            coach_hours.add_office_hours(
                staff=user,
                coach=user,
                weekday=weekday,
                begins=datetime.time(9),
                ends=datetime.time(16),
                slot_minutes=30,
                place=place,
                valid_from=today,
            )
    w.coach_profile = CoachProfile.objects.get(user=coach)
    # Hours that nothing is booked in, to end; a day without office hours, to remove.
    w.coach_hours = coach_hours.add_office_hours(
        staff=coach,
        coach=coach,
        weekday=5,
        begins=datetime.time(10),
        ends=datetime.time(12),
        slot_minutes=30,
        place=place,
        valid_from=today,
    )
    tuesday = _next_tuesday()
    w.coach_exception = coach_hours.add_exception(
        staff=coach, coach=coach, date=tuesday + datetime.timedelta(weeks=2)
    )
    w.slot_key = slot_key(local_datetime(tuesday, datetime.time(11)))
    w.appointment = appointments.book_appointment(
        coach=coach,
        district=w.east,
        begins_at=local_datetime(tuesday, datetime.time(10)),
        topic=topic,
        meeting_language="fi",
        person=w.resident,
    )
    w.appointment_token = appointment_token(w.appointment)
    w.coach_request = coach_requests.ask_coach(
        asker=w.resident,
        district=w.east,
        kind=CoachKind.CITY,
        topic=topic,
        question="Miten teen ehdotuksen?",
    )
    w.coach_event = coach_events.create_event(
        staff=coach,
        district=w.east,
        kind="resident_evening",
        texts={"title_fi": "Asukasilta", "title_sv": "Invånarkväll", "title_en": "Evening"},
        begins_at=local_datetime(tuesday, datetime.time(17)),
        ends_at=local_datetime(tuesday, datetime.time(19)),
        place=place,
        signup_required=True,
        capacity=20,
        publish=True,
    )
    coach_events.sign_up(event=w.coach_event, person=w.resident)


def _volunteering(w):
    """Volunteering: an Eastern organiser whose member is the resident (with another
    member), its published task with a shift on which a 15-year-old waits for a
    guardian's consent and a draft task; a Western organiser's task whose shift the
    resident signed up for; organisers waiting for verification in the Eastern district
    and for the whole city; the resident's talkoot waiting for approval and someone's
    approved one, both in the Eastern district."""
    w.organiser = OrganiserFactory(slug="itakeskuksen-kumppanit", district=w.east)
    OrganiserMember.objects.create(organiser=w.organiser, user=w.resident)
    w.co_member = MemberFactory(organiser=w.organiser).user
    w.opportunity = OpportunityFactory(
        organiser=w.organiser,
        district=w.east,
        under_18_allowed=True,
        youth_min_age=13,
        latitude=Decimal("60.2101"),
        longitude=Decimal("25.1432"),
    )
    w.draft_opportunity = OpportunityFactory(
        organiser=w.organiser, district=w.east, status=Opportunity.Status.DRAFT
    )
    w.shift = ShiftFactory(opportunity=w.opportunity, capacity=5)
    teen = UserFactory(birth_date=timezone.localdate() - datetime.timedelta(days=15 * 366))
    w.teen_signup = volunteering_services.sign_up(
        shift=w.shift,
        volunteer=teen,
        name="Nuori Vapaaehtoinen",
        guardian_name="Huoltaja",
        guardian_email="huoltaja@example.fi",
    )
    # The guardian's e-mail carries the token; only its digest is stored.
    w.guardian_token = "huoltajan-linkki"
    SignUp.objects.filter(pk=w.teen_signup.pk).update(
        guardian_token_digest=volunteering_digest(w.guardian_token)
    )
    w.volunteering_invitation_token = "jarjestajan-kutsu"
    w.volunteering_invitation = w.organiser.invitations.create(
        email="uusi.jasen@example.fi",
        token_digest=volunteering_digest(w.volunteering_invitation_token),
        invited_by=w.co_member,
        created_at=timezone.now(),
    )
    other = OrganiserFactory(slug="lansi-talkoot", district=w.west)
    w.other_shift = ShiftFactory(opportunity=OpportunityFactory(organiser=other, district=w.west))
    w.signup = volunteering_services.sign_up(
        shift=w.other_shift, volunteer=w.resident, name="Asukas"
    )
    w.pending_organiser = OrganiserFactory(
        slug="itainen-odottaa", district=w.east, status=Organiser.Status.PENDING
    )
    w.pending_city_organiser = OrganiserFactory(
        slug="koko-kaupunki-odottaa", district=None, status=Organiser.Status.PENDING
    )
    w.talkoot = TalkootFactory(proposer=w.resident, district=w.east)
    w.talkoot_approved = TalkootFactory(
        district=w.east,
        status="approved",
        latitude=Decimal("60.1980"),
        longitude=Decimal("25.1750"),
    )


def _monitoring(w):
    """A division's participation plan with a goal, and a report of it in the archive."""
    w.participation_plan = ParticipationPlan.objects.create(
        division=Division.objects.create(slug="seuranta", name="Kaupunginkanslia (seuranta)"),
        title="Osallisuussuunnitelma",
        committee="Kaupunginhallitus",
        first_year=2025,
        last_year=2027,
        approved_on=datetime.date(2025, 2, 1),
    )
    w.goal = Goal.objects.create(
        plan=w.participation_plan, indicator="budgeting-voters", target=Decimal(100)
    )
    w.committee_report = CommitteeReport.objects.create(
        plan=w.participation_plan,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 3, 31),
        language="fi",
        state=CommitteeReport.State.READY,
        pdf=b"%PDF-1.7 world",
        figures={"indicators": [], "goals": []},
        made_at=timezone.now(),
    )


def _initiatives(w, *, registry):
    """Residents' initiatives: the resident's draft with an invitation out, a draft of
    theirs that asked a city coach for help, and one collecting support that they
    support; another resident's that collects support (the resident follows it), and
    sent ones of the Eastern district (with a batch of paper supports the Eastern
    registry entered) and of the whole city."""
    Population.objects.create(
        area=w.city, year=timezone.localdate().year - 1, age_from=18, count=1000
    )
    DivisionFactory(slug="education", name_fi="Kasvatuksen ja koulutuksen toimiala")
    other = VerifiedResidentFactory(district=w.east, full_name="Olli Muu")

    def start(author, area, title):
        return initiative_services.start_initiative(
            author=author,
            details=initiative_services.AuthorDetails(
                kind=AuthorKind.RESIDENT, public_name=author.full_name or "Asukas"
            ),
            category=Category.GENERAL,
            title=title,
            proposal="Rantaan lisätään penkkejä.",
            rationale="Levähdyspaikkoja tarvitaan.",
            language="fi",
            area=area,
            place=initiative_services.Place(),
        )

    def published(author, area, title):
        initiative = start(author, area, title)
        return initiative_services.publish_initiative(initiative=initiative, actor=author)

    def sent(author, area, title):
        initiative = published(author, area, title)
        return initiative_services.send_initiative(initiative=initiative, actor=author)

    w.draft = start(w.resident, w.east, "Penkkejä rantaan")
    w.invitation_token = "kutsulinkki"
    w.invitation = Invitation.objects.create(
        initiative=w.draft,
        email="kanssa@example.fi",
        token_digest=invitation_digest(w.invitation_token),
        invited_by=w.resident,
    )
    w.draft_helped = start(w.resident, w.east, "Koirapuisto")
    initiative_services.request_help(
        initiative=w.draft_helped, actor=w.resident, message="Miten kerään tukea?"
    )
    w.collecting = published(w.resident, w.east, "Uimalaituri")
    initiative_services.support_initiative(initiative=w.collecting, user=w.resident)
    w.others = published(other, w.city, "Lisää kirjastoja")
    w.follower = initiative_services.follow(initiative=w.others, user=w.resident)
    w.sent_east = sent(other, w.east, "Valaistus puistoon")
    w.support_batch = initiative_services.enter_paper_batch(
        initiative=w.sent_east, actor=registry, label="Listat 1–3", signatures=30, valid=30
    )
    w.sent_city = sent(other, w.city, "Kaupunkipyörät talveksi")
    w.report_period = initiative_selectors.current_period()


def _survey(slug, **fields):
    districts = fields.pop("districts", [])
    survey = SurveyFactory(slug=slug, **fields)
    survey.districts.set(districts)
    page = PageFactory(survey=survey, position=1)
    first = QuestionFactory(page=page, position=1, kind="single_choice")
    option = OptionFactory(question=first, position=1)
    OptionFactory(question=first, position=2)
    # Questions whose settings are numbers in attributes: a length, bounds, a map.
    QuestionFactory(page=page, position=2, kind="long_text")
    QuestionFactory(page=page, position=3, kind="number", settings={"min": 0, "max": 5000})
    QuestionFactory(page=page, position=4, kind="map", settings={"geometry": "area"})
    later = PageFactory(survey=survey, position=2)
    second = QuestionFactory(page=later, position=1, kind="long_text")
    condition = ConditionFactory(
        question=second, depends_on=first, operator="equals", option=option
    )
    survey.page, survey.question, survey.option, survey.condition = page, first, option, condition
    return survey
