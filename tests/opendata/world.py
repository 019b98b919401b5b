"""A small city with something public and something private of every resource, so that
tests can see that the first is published and the second is not."""

import datetime
from decimal import Decimal

from django.utils import timezone

from osallistu.accounts.models import Division, StaffRole
from osallistu.areas.models import EntitledVoters, Neighbourhood, Population
from osallistu.budgeting.models import (
    Channel,
    Participation,
    PlanImage,
    PlanStatus,
    PlanUpdate,
    Proposal,
    ProposalComment,
    ProposalImage,
    ProposalStatus,
)
from osallistu.budgeting.services import cast_ballot, publish_tally, run_count
from osallistu.coaches.models import Event as CoachEvent
from osallistu.coaches.models import (
    EventSignup,
    OfficeHours,
    OfficeHoursException,
    Place,
    PlaceKind,
)
from osallistu.feedback.models import EventKind, FeedbackEvent, FeedbackPhoto, Moderation
from osallistu.initiatives.models import (
    Attachment,
    Author,
    AuthorKind,
    Initiative,
    State,
    Support,
    Transition,
)
from osallistu.monitoring.models import CommitteeReport, Goal, ParticipationPlan
from osallistu.premises.models import (
    Booking,
    BookingState,
    Equipment,
    OpeningException,
    OpeningHours,
    Purpose,
    Space,
    SpacePhoto,
    Unit,
    UnitPhoto,
)
from osallistu.surveys.models import (
    Answer,
    Comment,
    Hearing,
    Option,
    Page,
    Poll,
    PollChoice,
    PollOption,
    PollVote,
    Question,
    Response,
    Section,
    SectionAttachment,
    SectionImage,
    Selection,
    Survey,
)
from osallistu.volunteering.models import Language as VolunteeringLanguage
from osallistu.volunteering.models import Opportunity, Organiser, SignUp, Talkoot, Theme
from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory, close_and_mix
from tests.coaches.factories import CoachProfileFactory, PlaceFactory, TopicFactory
from tests.factories import StaffRoleFactory, UserFactory, VerifiedResidentFactory
from tests.feedback.factories import FeedbackFactory, PublicFeedbackFactory, playground_category
from tests.volunteering.factories import (
    OpportunityFactory,
    OrganiserFactory,
    ShiftFactory,
    TalkootFactory,
)

SECRET = "SECRET-must-not-be-published"


def texts(field, value):
    return {f"{field}_{code}": f"{value} ({code})" for code in ("fi", "sv", "en")}


def build(helsinki):
    """Returns ``{name: object}`` of what the tests look for."""
    now = timezone.now()
    world = {}
    eastern, central = helsinki["eastern"], helsinki["central"]
    Population.objects.create(year=2025, area=eastern, age_from=0, age_to=17, count=3)
    Population.objects.create(year=2025, area=eastern, age_from=18, count=80_000)
    EntitledVoters.objects.create(year=2025, count=520_000, source="electoral roll")

    # Budgeting: a round whose voting has closed and whose Eastern result is published.
    round = RoundFactory(slug="omastadi")
    RoundBudgetFactory(round=round, area=eastern, amount=300_000)
    funded = PlanFactory(round=round, area=eastern, code="I-001", cost_high=100_000)
    other = PlanFactory(round=round, area=eastern, code="I-002", cost_high=250_000)
    draft = PlanFactory(
        round=round,
        area=eastern,
        code="I-099",
        cost_low=500,
        cost_high=1000,
        status=PlanStatus.DRAFT,
        title_fi=SECRET,
        title_sv=SECRET,
        title_en=SECRET,
    )
    for number in range(6):
        cast_ballot(
            round=round,
            voter=VerifiedResidentFactory(
                district=eastern, birth_date=datetime.date(1980 + number, 1, 1)
            ),
            district=eastern,
            plan_ids=[funded.pk] if number else [other.pk],
        )
    close_and_mix(round)
    counter, publisher = StaffRoleFactory().user, StaffRoleFactory().user
    tally = run_count(round=round, area=eastern, actor=counter)
    publish_tally(tally=tally, actor=publisher)
    funded.refresh_from_db()
    PlanUpdate.objects.create(plan=funded, status=funded.status, note_fi="Rakennus alkoi")
    world.update(round=round, funded=funded, draft=draft, tally=tally)

    author = VerifiedResidentFactory(email="proposer@example.fi", full_name="Pirjo Proposer")
    proposal = Proposal.objects.create(
        round=round,
        area=eastern,
        author=author,
        title="Benches by the shore",
        description="More benches.",
        language="en",
        theme="parks",
        status=ProposalStatus.ACCEPTED,
        latitude=Decimal("60.210000"),
        longitude=Decimal("25.080000"),
    )
    hidden = Proposal.objects.create(
        round=round,
        area=eastern,
        author=author,
        title=SECRET,
        description=SECRET,
        language="fi",
        theme="parks",
        hidden_at=now,
        hidden_reason="abuse",
    )
    combined_into_draft = Proposal.objects.create(
        round=round,
        area=eastern,
        title="Part of a draft",
        description="x",
        language="fi",
        theme="parks",
        status=ProposalStatus.COMBINED,
        plan=draft,
    )
    ProposalImage.objects.create(
        proposal=proposal, image="budgeting/proposals/a.png", description="A bench"
    )
    ProposalImage.objects.create(
        proposal=hidden, image="budgeting/proposals/b.png", description=SECRET
    )
    ProposalComment.objects.create(proposal=proposal, author=author, text="Yes please")
    ProposalComment.objects.create(
        proposal=proposal, author=author, text=SECRET, hidden_at=now, hidden_reason="abuse"
    )
    world.update(proposal=proposal, hidden_proposal=hidden, combined=combined_into_draft)

    # Surveys: one with published results, one draft; a hearing and one not yet open.
    survey = Survey.objects.create(
        slug="parks",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
        published=True,
        results_published=True,
        **texts("title", "Parks"),
    )
    page = Page.objects.create(survey=survey, position=1)
    question = Question.objects.create(
        page=page, position=1, kind="single_choice", **texts("text", "Which park")
    )
    options = [
        Option.objects.create(
            question=question, position=position, **texts("text", f"Park {position}")
        )
        for position in (1, 2)
    ]
    for number in range(7):
        response = Response.objects.create(
            survey=survey, status="submitted", submitted_at=now, district=eastern, age_group="30-44"
        )
        chosen = options[number % 2]
        answer = Answer.objects.create(response=response, question=question, value=chosen.pk)
        Selection.objects.create(answer=answer, response=response, question=question, option=chosen)
    Survey.objects.create(
        slug="draft-survey",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=3),
        published=False,
        **texts("title", SECRET),
    )
    world["survey"] = survey

    hearing = Hearing.objects.create(
        slug="harbour",
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now - datetime.timedelta(days=2),
        commenting="anyone",
        **texts("title", "Harbour"),
    )
    hearing.districts.add(eastern, central)
    Hearing.objects.create(
        slug="future-hearing",
        opens_at=now + datetime.timedelta(days=5),
        closes_at=now + datetime.timedelta(days=10),
        **texts("title", SECRET),
    )
    section = Section.objects.create(
        hearing=hearing, position=1, kind="main", **texts("title", "Plan")
    )
    SectionImage.objects.create(
        section=section, position=1, image="surveys/x.png", **texts("alt_text", "Harbour view")
    )
    SectionAttachment.objects.create(
        section=section, position=1, file="surveys/plan.pdf", **texts("title", "Plan document")
    )
    poll = Poll.objects.create(section=section, position=1, **texts("text", "Ferry or bridge"))
    ferry = PollOption.objects.create(poll=poll, position=1, **texts("text", "Ferry"))
    PollOption.objects.create(poll=poll, position=2, **texts("text", "Bridge"))
    vote = PollVote.objects.create(poll=poll, user=author)
    PollChoice.objects.create(vote=vote, poll=poll, option=ferry)
    top = Comment.objects.create(
        hearing=hearing, section=section, author=author, nickname="Pirjo", text="Ferry!"
    )
    Comment.objects.create(
        hearing=hearing, author=author, text=SECRET, hidden_at=now, hidden_reason="abuse"
    )
    Comment.objects.create(hearing=hearing, parent=top, text="The city answers", is_official=True)
    world.update(hearing=hearing, comment=top)

    # Initiatives: a published one with supports and a draft.
    division = Division.objects.create(slug="urban", **texts("name", "Urban environment"))
    initiative = Initiative.objects.create(
        title="Open the beach sauna",
        proposal="Open it all year.",
        rationale="Because.",
        language="fi",
        area=eastern,
        state=State.COLLECTING,
        published_at=now,
        preparer_name=SECRET,
        help_message=SECRET,
    )
    Author.objects.create(
        initiative=initiative, user=author, kind=AuthorKind.RESIDENT, public_name=SECRET
    )
    Transition.objects.create(
        initiative=initiative, from_state=State.DRAFT, to_state=State.COLLECTING, by_city=False
    )
    Attachment.objects.create(initiative=initiative, title="Decision", file="x.pdf", size=10)
    for person in VerifiedResidentFactory.create_batch(2):
        Support.objects.create(initiative=initiative, user=person, counts=True)
    draft_initiative = Initiative.objects.create(
        title=SECRET, proposal=SECRET, rationale=SECRET, language="fi", area=eastern
    )
    Transition.objects.create(
        initiative=draft_initiative,
        from_state=State.COLLECTING,
        to_state=State.DRAFT,
        by_city=False,
        reason=SECRET,
    )
    world.update(initiative=initiative, division=division, draft_initiative=draft_initiative)

    # Premises: a published space with a booking, and an unpublished unit.
    unit = Unit.objects.create(
        slug="library",
        type="library",
        postal_code="00930",
        district=eastern,
        email="caretaker@example.fi",
        **texts("name", "Library"),
        **texts("street_address", "Street 1"),
    )
    space = Space.objects.create(unit=unit, slug="hall", capacity=30, **texts("name", "Hall"))
    purpose = Purpose.objects.create(slug="meeting", **texts("name", "Meeting"))
    equipment = Equipment.objects.create(slug="piano", **texts("name", "Piano"))
    space.purposes.add(purpose)
    space.equipment.add(equipment)
    UnitPhoto.objects.create(unit=unit, image="premises/units/a.png", **texts("alt_text", "Door"))
    SpacePhoto.objects.create(
        space=space, image="premises/spaces/a.png", **texts("alt_text", "Hall")
    )
    OpeningHours.objects.create(
        space=space, weekday=0, opens=datetime.time(8), closes=datetime.time(20)
    )
    OpeningException.objects.create(unit=unit, date=datetime.date(2026, 12, 24))
    begins = now + datetime.timedelta(days=2)
    booker = UserFactory(email="booker@example.fi")
    Booking.objects.create(
        space=space,
        booker=booker,
        purpose=purpose,
        description=SECRET,
        association=SECRET,
        begins_at=begins,
        ends_at=begins + datetime.timedelta(hours=2),
        occupied_from=begins,
        occupied_until=begins + datetime.timedelta(hours=2),
        state=BookingState.CONFIRMED,
    )
    hidden_unit = Unit.objects.create(
        slug="closed-unit",
        type="school",
        postal_code="00930",
        district=eastern,
        is_published=False,
        **texts("name", SECRET),
        **texts("street_address", SECRET),
    )
    Space.objects.create(unit=hidden_unit, slug="secret-room", capacity=5, **texts("name", SECRET))
    world.update(unit=unit, space=space)
    world["participations"] = Participation.objects.filter(round=round, channel=Channel.ONLINE)
    build_more(helsinki, world)
    return world


def build_more(helsinki, world):
    """Plan pictures, feedback, coaches, volunteering and monitoring: each with what is
    public beside what is not."""
    now = timezone.now()
    eastern = helsinki["eastern"]
    funded, draft = world["funded"], world["draft"]
    funded.neighbourhood = Neighbourhood.objects.filter(district=eastern).first()
    funded.save(update_fields=["neighbourhood"])
    for plan, alt in ((funded, "A playground"), (draft, SECRET)):
        PlanImage.objects.create(
            plan=plan,
            position=1,
            image="budgeting/plans/a.png",
            thumbnail="budgeting/plans/a-small.png",
            thumbnail_width=320,
            thumbnail_height=240,
            **texts("alt_text", alt),
        )

    # Feedback: public, hidden and unmoderated, each sent by someone with contact details.
    category = playground_category(world["division"])
    sender = UserFactory(email="sender@example.fi", full_name="Sakari Sender")
    contact = {
        "author": sender,
        "contact_email": "sender@example.fi",
        "contact_first_name": "Sakari",
        "contact_last_name": "Sender",
        "contact_phone": "+358401234567",
        "title": SECRET,
        "description": f"{SECRET} as the sender wrote it",
        "address": SECRET,
        "attribute_values": {"equipment": SECRET},
    }
    public = PublicFeedbackFactory(
        service=category,
        district=eastern,
        public_title="Broken swing",
        public_description="The swing in the park is broken.",
        public_address="Park 1",
        latitude=Decimal("60.210000"),
        longitude=Decimal("25.080000"),
        answer="We fix it next week.",
        answered_at=now,
        moderated_by=StaffRoleFactory().user,
        **contact,
    )
    hidden = FeedbackFactory(
        service=category,
        moderation=Moderation.HIDDEN,
        moderation_reason=SECRET,
        moderated_at=now,
        public_title=SECRET,
        public_description=SECRET,
        **contact,
    )
    FeedbackFactory(service=category, public_title=SECRET, public_description=SECRET, **contact)
    FeedbackPhoto.objects.create(
        feedback=public, image="feedback/a.png", description="The swing", is_public=True
    )
    FeedbackPhoto.objects.create(
        feedback=public, image="feedback/face.png", description=SECRET, is_public=False
    )
    FeedbackPhoto.objects.create(
        feedback=hidden, image="feedback/b.png", description=SECRET, is_public=True
    )
    handler = UserFactory(email="handler@example.fi", full_name="Hannu Handler")
    for kind, note in (
        (EventKind.SUBMITTED, ""),
        (EventKind.ASSIGNED, SECRET),
        (EventKind.STATUS, "Ordered the part"),
        (EventKind.REOPENED, SECRET),
    ):
        FeedbackEvent.objects.create(feedback=public, kind=kind, note=note, actor=handler)
    FeedbackEvent.objects.create(feedback=hidden, kind=EventKind.STATUS, note=SECRET)
    world.update(public_feedback=public, hidden_feedback=hidden)

    # Coaches: a published coach of the Eastern district and an unpublished one.
    library = PlaceFactory(district=eastern)
    online = Place.objects.create(
        kind=PlaceKind.ONLINE,
        online_link=f"https://meet.example.fi/{SECRET}",
        **texts("name", "Online"),
    )
    TopicFactory()
    TopicFactory(slug="retired-topic", is_active=False, **texts("name", SECRET))
    coach = UserFactory(is_staff=True, email="coach.login@example.fi", full_name="Kaarina Coach")
    StaffRole.objects.create(user=coach, role=StaffRole.Role.CITY_COACH, area=eastern)
    CoachProfileFactory(
        user=coach,
        slug="kaarina",
        phone="09 310 1234",
        email="coaches@hel.example.fi",
        **texts("introduction", "I help with budgeting"),
    )
    hidden_coach = UserFactory(is_staff=True, email="hidden.coach@example.fi", full_name=SECRET)
    StaffRole.objects.create(user=hidden_coach, role=StaffRole.Role.CITY_COACH, area=eastern)
    CoachProfileFactory(user=hidden_coach, slug="hidden-coach", is_published=False)
    for person in (coach, hidden_coach):
        OfficeHours.objects.create(
            coach=person,
            weekday=1,
            begins=datetime.time(10),
            ends=datetime.time(12),
            place=library,
            valid_from=datetime.date(2026, 1, 1),
        )
        OfficeHoursException.objects.create(
            coach=person, date=datetime.date(2026, 12, 24), **texts("reason", SECRET)
        )
    OfficeHoursException.objects.create(
        coach=coach,
        date=datetime.date(2026, 12, 30),
        begins=datetime.time(12),
        ends=datetime.time(14),
        place=online,
    )
    begins = now + datetime.timedelta(days=3)
    event = CoachEvent.objects.create(
        kind="resident_evening",
        district=eastern,
        organiser=coach,
        begins_at=begins,
        ends_at=begins + datetime.timedelta(hours=2),
        place=library,
        signup_required=True,
        capacity=20,
        signup_count=1,
        published_at=now,
        **texts("title", "Resident evening"),
    )
    EventSignup.objects.create(event=event, person=sender, accessibility_needs=SECRET)
    draft_event = CoachEvent.objects.create(
        kind="workshop",
        district=eastern,
        organiser=coach,
        begins_at=begins,
        ends_at=begins + datetime.timedelta(hours=2),
        place=library,
        **texts("title", SECRET),
    )
    world.update(coach_event=event, draft_event=draft_event)

    # Volunteering: a verified organiser with a published, a draft and a closed
    # opportunity; an organiser waiting for verification; talkoot approved and waiting.
    organiser = OrganiserFactory(
        slug="kumppanit", email="organiser@example.fi", phone="+358409999999"
    )
    opportunity = OpportunityFactory(
        organiser=organiser,
        contact_name="Kaisa Koordinaattori",
        contact_email="kaisa@example.fi",
        latitude=Decimal("60.200000"),
        longitude=Decimal("25.000000"),
    )
    opportunity.themes.add(Theme.objects.first())
    opportunity.languages.add(VolunteeringLanguage.objects.first())
    draft_opportunity = OpportunityFactory(
        organiser=organiser, status=Opportunity.Status.DRAFT, **texts("title", SECRET)
    )
    unverified = OrganiserFactory(slug="unverified", name=SECRET, status=Organiser.Status.PENDING)
    unverified_opportunity = OpportunityFactory(organiser=unverified, **texts("title", SECRET))
    shift = ShiftFactory(opportunity=opportunity)
    SignUp.objects.create(
        shift=shift, volunteer=sender, name="Sakari Sender", age=30, created_at=now
    )
    hidden_shift = ShiftFactory(opportunity=draft_opportunity, place_text=SECRET)
    ShiftFactory(opportunity=unverified_opportunity, place_text=SECRET)
    proposer = UserFactory(email="talkoot@example.fi", full_name="Tuula Talkoot")
    talkoot = TalkootFactory(proposer=proposer, status=Talkoot.Status.APPROVED, district=eastern)
    waiting = TalkootFactory(proposer=proposer, title=SECRET, description=SECRET)
    world.update(
        organiser=organiser,
        unverified_organiser=unverified,
        opportunity=opportunity,
        draft_opportunity=draft_opportunity,
        unverified_opportunity=unverified_opportunity,
        hidden_shift=hidden_shift,
        talkoot=talkoot,
        waiting_talkoot=waiting,
    )

    # Monitoring: an approved plan with a goal and a report made, one still being made,
    # and a draft plan.
    requester = UserFactory(email="reporter@example.fi", full_name="Raili Reporter")
    plan = ParticipationPlan.objects.create(
        division=world["division"],
        title="Participation plan",
        committee="Urban environment committee",
        first_year=2025,
        last_year=2028,
        approved_on=datetime.date(2025, 2, 1),
    )
    Goal.objects.create(plan=plan, indicator="budgeting-voters", target=Decimal("10.00"))
    draft_plan = ParticipationPlan.objects.create(
        division=world["division"], title=SECRET, committee=SECRET, first_year=2029, last_year=2030
    )
    Goal.objects.create(plan=draft_plan, indicator="budgeting-voters", target=1, description=SECRET)
    report = CommitteeReport.objects.create(
        plan=plan,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 3, 31),
        language="fi",
        commentary="Voting went well.",
        state=CommitteeReport.State.READY,
        requested_by=requester,
        made_at=now,
        pdf=b"%PDF-1.4",
        figures=[{"key": "budgeting-voters", "total": {"people": 6}}],
    )
    queued = CommitteeReport.objects.create(
        plan=plan,
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 6, 30),
        language="fi",
        commentary=SECRET,
        requested_by=requester,
    )
    draft_report = CommitteeReport.objects.create(
        plan=draft_plan,
        period_start=datetime.date(2029, 1, 1),
        period_end=datetime.date(2029, 3, 31),
        language="fi",
        commentary=SECRET,
        state=CommitteeReport.State.READY,
        made_at=now,
        pdf=b"%PDF-1.4",
        figures=[],
    )
    world.update(
        plan=plan,
        draft_plan=draft_plan,
        report=report,
        queued_report=queued,
        draft_report=draft_report,
    )
