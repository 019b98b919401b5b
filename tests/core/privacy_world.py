"""A resident with data in every app, for the tests of export and deletion: every
personal field of each of their rows filled, with others' data around it."""

import datetime
import uuid
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.files.base import ContentFile
from django.utils import timezone

from osallistu.accounts.models import HelsinkiProfile, PendingRegistration
from osallistu.budgeting.models import Proposal, ProposalComment, ProposalImage
from osallistu.budgeting.services import cast_ballot
from osallistu.coaches.models import (
    Appointment,
    AppointmentState,
    ContactRequest,
    Event,
    EventSignup,
    RequestMessage,
    RequestStatus,
)
from osallistu.core import audit
from osallistu.core.models import Session
from osallistu.feedback.models import FeedbackFollower, FeedbackPhoto
from osallistu.feedback.models import Status as FeedbackStatus
from osallistu.identity.models import IdentityVerification
from osallistu.initiatives.models import (
    Author,
    Follower,
    Initiative,
    Invitation,
    State,
    Support,
)
from osallistu.premises.models import Booking, BookingSeries, BookingState, CalendarFeed
from osallistu.surveys.models import (
    Answer,
    Comment,
    CommentFlag,
    CommentSupport,
    PollChoice,
    PollVote,
    Response,
    ResponseStatus,
    Selection,
)
from osallistu.volunteering.models import SignUp, Talkoot
from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory, close_and_mix
from tests.coaches.factories import PlaceFactory as CoachPlaceFactory
from tests.coaches.factories import TopicFactory, make_coach
from tests.factories import VerifiedResidentFactory
from tests.feedback.factories import PublicFeedbackFactory
from tests.premises.factories import PurposeFactory, SpaceFactory
from tests.surveys.factories import (
    HearingFactory,
    OptionFactory,
    PageFactory,
    PollFactory,
    PollOptionFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
)
from tests.volunteering.factories import OpportunityFactory, ShiftFactory, TalkootFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def build(helsinki, *, voters=3):
    """``(resident, others)``: the resident with rows in every app, and other residents
    who voted in the same round and booked the same space."""
    now = timezone.now()
    eastern = helsinki["eastern"]
    resident = VerifiedResidentFactory(
        email="aino@example.fi",
        full_name="Aino Virtanen",
        postal_code="00930",
        district=eastern,
        birth_date=datetime.date(1990, 5, 1),
        person_digest="a" * 64,
        last_login=now,
    )
    others = [VerifiedResidentFactory(district=eastern) for _ in range(voters)]

    # accounts, identity, core
    IdentityVerification.objects.create(
        user=resident,
        method="oidc",
        verified_at=now,
        verified_by=others[0],
        document_type="passport",
        birth_date=resident.birth_date,
        municipality_code="091",
    )
    Session.objects.create(
        session_key="k" * 32, session_data="x", expire_date=now + timedelta(hours=1), user=resident
    )
    PendingRegistration.objects.create(
        email=resident.email,
        full_name="Aino V",
        postal_code="00930",
        password="x",
        token_digest="d" * 64,
    )
    audit.record(
        action="test.done", actor=resident, on_behalf_of=others[0], target=resident, data={"a": 1}
    )
    audit.record(action="auth.login", actor=resident, target=resident, data={"ip": "192.0.2.7"})
    audit.record(action="auth.login_failed", data={"username": resident.email, "ip": "192.0.2.7"})
    attempt = {
        "user_agent": "Firefox",
        "ip_address": "192.0.2.1",
        "username": resident.email,
        "http_accept": "text/html",
        "path_info": "/fi/accounts/login/",
    }
    AccessAttempt.objects.create(**attempt, get_data="a", post_data="b", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt, locked_out=False)
    AccessLog.objects.create(**attempt, logout_time=now, session_hash="h" * 32)

    HelsinkiProfile.objects.create(user=resident, subject=uuid.uuid4(), profile_id=uuid.uuid4())

    # budgeting: a vote in a mixed round, a proposal with a picture, a comment
    round = RoundFactory(slug="mixed")
    RoundBudgetFactory(round=round, area=eastern, amount=300_000)
    RoundBudgetFactory(round=round, area=helsinki["city"], amount=300_000)
    plan = PlanFactory(round=round, area=eastern, cost_high=100_000)
    for voter in [resident, *others]:
        cast_ballot(round=round, voter=voter, district=eastern, plan_ids=[plan.pk])
    round = close_and_mix(round)
    proposal = Proposal.objects.create(
        round=round,
        area=eastern,
        author=resident,
        title="Penkki",
        description="Penkki puistoon",
        language="fi",
        theme="parks",
        place_text="Itäkeskus",
        latitude="60.210000",
        longitude="25.080000",
        edited_at=now,
        decided_by=others[0],
    )
    image = ProposalImage(proposal=proposal, description="Puisto")
    image.image.save("puisto.png", ContentFile(PNG), save=True)
    ProposalComment.objects.create(
        proposal=proposal,
        author=resident,
        text="Hyvä",
        hidden_at=now,
        hidden_reason="Aiheeton",
        hidden_by=others[0],
    )
    ProposalComment.objects.create(proposal=proposal, author=others[0], text="Samaa mieltä")

    # surveys: a sent response with an answer and a choice; a poll vote; comments
    survey = SurveyFactory()
    page = PageFactory(survey=survey)
    question = QuestionFactory(page=page)
    option = OptionFactory(question=question)
    response = Response.objects.create(
        survey=survey,
        user=resident,
        status=ResponseStatus.SUBMITTED,
        current_page=page,
        submitted_at=now,
        district=eastern,
        age_group="30-39",
    )
    answer = Answer.objects.create(
        response=response, question=question, value="x", text="vapaa", number=3
    )
    Selection.objects.create(
        answer=answer, response=response, question=question, option=option, row=option, rank=1
    )
    hearing = HearingFactory()
    section = SectionFactory(hearing=hearing)
    poll = PollFactory(section=section)
    vote = PollVote.objects.create(poll=poll, user=resident)
    PollChoice.objects.create(vote=vote, poll=poll, option=PollOptionFactory(poll=poll))
    Comment.objects.create(
        hearing=hearing,
        section=section,
        author=resident,
        nickname="Aino",
        text="Kommentti",
        geojson={"type": "Point", "coordinates": [25.08, 60.21]},
        address="Itäkeskus",
        hidden_by=others[0],
    )
    others_comment = Comment.objects.create(
        hearing=hearing, section=section, author=others[0], text="Toinen"
    )
    CommentSupport.objects.create(comment=others_comment, user=resident)
    CommentFlag.objects.create(comment=others_comment, user=resident, reason="spam")

    # premises: a past booking of a series, a calendar feed
    space = SpaceFactory()
    begins = now - timedelta(days=10)
    series = BookingSeries.objects.create(
        space=space,
        booker=resident,
        weekday=begins.weekday(),
        begins=datetime.time(10),
        ends=datetime.time(11),
        first_date=begins.date(),
        last_date=begins.date(),
    )
    Booking.objects.create(
        space=space,
        booker=resident,
        purpose=PurposeFactory(),
        description="Kerhon kokous",
        attendees=8,
        association="Kerho ry",
        free_of_charge_requested=True,
        begins_at=begins,
        ends_at=begins + timedelta(hours=1),
        occupied_from=begins,
        occupied_until=begins + timedelta(hours=1),
        state=BookingState.CONFIRMED,
        state_reason="ok",
        series=series,
        created_by=resident,
        handled_by=others[0],
        cancelled_by=others[0],
    )
    CalendarFeed.objects.create(user=resident)

    # initiatives: one decided that the resident led, one sent that they support
    decided = Initiative.objects.create(
        title="Aloite",
        proposal="Tehkää",
        rationale="Koska",
        language="fi",
        area=eastern,
        state=State.ENDED,
        end_reason="Peruttu",
        closed_at=now,
        help_message="Apua",
        help_requested_at=now,
        preparer_name="Valmistelija",
        preparer_email="valmistelija@hel.fi",
        coach=others[0],
        coach_assigned_at=now,
    )
    Author.objects.create(
        initiative=decided,
        user=resident,
        kind="community",
        organisation="Kerho ry",
        public_name="Aino V.",
        is_initiator=True,
    )
    Invitation.objects.create(
        initiative=decided,
        email="friend@example.fi",
        token_digest="t" * 64,
        invited_by=resident,
        accepted_at=now,
    )
    sent = Initiative.objects.create(
        title="Toinen",
        proposal="P",
        rationale="R",
        language="fi",
        area=eastern,
        state=State.SENT,
        sent_at=now,
    )
    Support.objects.create(initiative=sent, user=resident, counts=True)
    Follower.objects.create(initiative=sent, user=resident)

    build_services(resident, others, eastern, now)
    return resident, others


def build_services(resident, others, eastern, now):
    """Feedback, coaches and volunteering: the resident's past records there."""
    handler = others[0]
    # feedback: sent signed in, with contacts and a photo, closed; followed
    feedback = PublicFeedbackFactory(
        author=resident,
        title="Rikki penkki",
        description="Penkki on rikki",
        address="Itäkatu 1",
        postal_code="00930",
        attribute_values={"since": "eilen"},
        contact_email=resident.email,
        contact_first_name="Aino",
        contact_last_name="Virtanen",
        contact_phone="+358401234567",
        media_url="https://example.fi/penkki.jpg",
        moderated_by=handler,
        handler=handler,
        status=FeedbackStatus.DONE,
        closed_at=now - timedelta(days=2),
    )
    photo = FeedbackPhoto(feedback=feedback, description="Penkki")
    photo.image.save("penkki.png", ContentFile(PNG), save=True)
    FeedbackFollower.objects.create(feedback=feedback, user=resident)

    # coaches: a held meeting, a past event's sign-up, an answered question
    coach = make_coach(eastern, email="coach@example.fi")
    place, topic = CoachPlaceFactory(), TopicFactory()
    begun = now - timedelta(days=5)
    Appointment.objects.create(
        coach=coach,
        coach_kind="city",
        district=eastern,
        begins_at=begun,
        ends_at=begun + timedelta(minutes=30),
        place=place,
        person=resident,
        name="Aino Virtanen",
        email=resident.email,
        phone="+358401234567",
        email_language="fi",
        meeting_language="fi",
        topic=topic,
        details="Puhutaan penkistä",
        accessibility_needs="Pyörätuoli",
        state=AppointmentState.CANCELLED,
        cancelled_at=begun - timedelta(days=1),
        cancelled_by=coach,
        cancel_reason="Sairaana",
    )
    event = Event.objects.create(
        kind="workshop",
        title="Infoilta",
        district=eastern,
        organiser=coach,
        begins_at=begun,
        ends_at=begun + timedelta(hours=2),
        place=place,
        signup_required=True,
        capacity=10,
        signup_count=1,
        published_at=begun - timedelta(days=10),
    )
    EventSignup.objects.create(event=event, person=resident, accessibility_needs="Tulkki")
    EventSignup.objects.create(event=event, person=resident, cancelled_at=begun - timedelta(days=1))
    request = ContactRequest.objects.create(
        kind="city",
        district=eastern,
        assigned_to=coach,
        asker=resident,
        topic=topic,
        question="Miten teen aloitteen, Aino Virtanen?",
        phone="+358401234567",
        language="fi",
        status=RequestStatus.ANSWERED,
        created_at=begun,
        first_response_at=begun + timedelta(hours=1),
        updated_at=begun + timedelta(hours=2),
    )
    RequestMessage.objects.create(
        request=request, author=coach, from_coach=True, body="Hei Aino!", created_at=begun
    )
    RequestMessage.objects.create(
        request=request, author=resident, from_coach=False, body="Kiitos", created_at=begun
    )

    # volunteering: a shift attended, one as a minor with a guardian; a talkoot held
    shift = ShiftFactory(
        opportunity=OpportunityFactory(district=eastern),
        starts_at=begun,
        ends_at=begun + timedelta(hours=3),
        taken=2,
    )
    base = {"shift": shift, "volunteer": resident, "status": SignUp.Status.CONFIRMED}
    SignUp.objects.create(
        **base,
        name="Aino Virtanen",
        phone="+358401234567",
        message="Tulen",
        age=34,
        created_at=begun - timedelta(days=3),
        attendance=SignUp.Attendance.ATTENDED,
        hours=3,
        attendance_by=handler,
    )
    earlier = ShiftFactory(
        opportunity=shift.opportunity,
        starts_at=begun - timedelta(days=1),
        ends_at=begun - timedelta(days=1) + timedelta(hours=2),
        taken=1,
    )
    SignUp.objects.create(
        **{**base, "shift": earlier},
        name="Aino Virtanen",
        age=16,
        created_at=begun - timedelta(days=4),
        guardian_name="Äiti Virtanen",
        guardian_email="aiti@example.fi",
        guardian_language="fi",
        guardian_token_digest="g" * 64,
        guardian_confirmed_at=begun - timedelta(days=3),
    )
    TalkootFactory(
        proposer=resident,
        title="Penkkitalkoot",
        description="Korjataan penkki",
        district=eastern,
        place_text="Itäkeskus",
        latitude="60.210000",
        longitude="25.080000",
        starts_on=begun.date(),
        ends_on=begun.date(),
        status=Talkoot.Status.APPROVED,
        decided_by=handler,
        decided_at=begun - timedelta(days=9),
    )
