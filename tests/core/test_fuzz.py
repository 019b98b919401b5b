"""Hostile input into every form and query parameter of the site.

The demo Helsinki is built once for the module. An anonymous visitor, a resident
and a city administrator past the second factor each crawl the site from its front
page and from every route that needs no argument; the forms and query parameters are
read from the pages as a browser reads them (and the query parameters a view reads
itself from its source, and the API's from its OpenAPI schema). For every route of
the URL configuration, Hypothesis then sends huge numbers, exponents, Unicode digits,
control characters and NUL, over-long strings, deep JSON and crafted files into its
forms and parameters, as each role that reached it.

Each of a few extreme values goes first into every field of every form and page at
once; then Hypothesis draws further submissions, a few of each kind of value. Forms
behind other forms (the pages of a survey, the review of a ballot) are reached by
sending the forms before them again. Every submission is rolled back, so each starts
from the world as crawled, and the drawn examples are the same on every run (the
"repeatable" profile of tests/conftest.py).

What must hold: no answer is a server error, and nothing is saved silently changed:
when a form says yes (a redirect without a warning, having stored something), each
text it was sent is stored as it was sent, and a name or title with a direction
override is refused. A route that no role reaches fails the test until it is linked
or given an example page.
"""

import copy
import datetime
import io
import re
import traceback
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants, get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osallistu.accounts.models import User
from tests.core import fuzzing
from tests.factories import sign_in_past_second_factor

pytestmark = pytest.mark.integrity

ROLES = ("anonymous", "resident", "city_admin")
# A demo resident with bookings and a weekly series, verified at a library.
RESIDENT = "mats.lindqvist@example.fi"
CITY_ADMIN = "admin@osallistu.example"
# Drawn examples of each kind of value per route, after the extreme values have gone
# into every field. PostgreSQL runs the suite in one process: there the extreme values
# (NUL, integers past the database's, which it refuses where SQLite does not) matter
# most, and one drawn example of each kind keeps the run short.
EXAMPLES_PER_KIND = 2
EXAMPLES_PER_KIND_ON_POSTGRESQL = 1

ROUTES = fuzzing.site_routes()

# Forms the crawl sends to go on to the pages behind them, with the button that does
# (None: the form's first). The ballot's first button shows the plans again with other
# filters; Check my choices leads on to the review and the vote.
FOLLOWED = {
    "surveys:start": None,
    "surveys:answer": None,
    "budgeting:choose_district": None,
    "budgeting:ballot": "review",
}


# The token of a co-author invitation, as the link in its e-mail carries it.
INVITATION_TOKEN = "kutsu-fuzz-testiin"
DRAFT_TITLE = "Penkkejä Kallion kirjastoon"


def add_what_the_demo_lacks():
    """What the resident and staff would have made by using the site: the resident's
    own proposal and calendar address, a hidden proposal and comment to unhide, blocked
    time to free, and the resident's own initiative with an invitation to a co-author,
    and another one supported and followed."""
    from osallistu.budgeting import services as budgeting
    from osallistu.budgeting.models import Proposal, ProposalComment, Round, Theme
    from osallistu.premises import services as premises
    from osallistu.premises.models import Space

    resident = User.objects.get(email=RESIDENT)
    admin = User.objects.get(email=CITY_ADMIN)
    proposing = Round.objects.get(slug="omastadi-2027")
    budgeting.submit_proposal(
        round=proposing,
        author=resident,
        area=proposing.budgets.first().area,
        title="Penkkejä rantaan",
        description="Lisää penkkejä rantapolun varteen.",
        theme=Theme.PARKS,
        language="fi",
    )
    premises.calendar_feed_for(resident)
    proposal = Proposal.objects.filter(round=proposing).exclude(author=resident).first()
    budgeting.hide_proposal(proposal=proposal, reason="Kokeilu.", actor=admin)
    comment = ProposalComment.objects.filter(proposal__round=proposing).first()
    budgeting.hide_proposal_comment(comment=comment, reason="Kokeilu.", actor=admin)
    space = Space.objects.order_by("pk").first()
    begins = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
    premises.block_time(
        space=space,
        staff=admin,
        begins_at=begins,
        ends_at=begins + datetime.timedelta(hours=2),
        reason="Kokeilu.",
    )
    add_initiatives_of(resident, admin)
    add_paper_batches(admin)
    add_volunteering_of(resident)
    add_feedback_of(resident, admin)
    add_coaching_of(resident)


def add_feedback_of(resident, admin):
    """The resident's feedback marked done (so that they can reopen it), and another's
    public feedback they follow."""
    from osallistu.feedback import services as feedback
    from osallistu.feedback.models import Feedback, Status

    own = Feedback.objects.filter(author=resident).order_by("pk").first()
    feedback.change_status(feedback=own, staff=admin, status=Status.DONE, note="Hiekoitettu.")
    followed = Feedback.objects.public().exclude(author=resident).order_by("-pk").first()
    feedback.follow_feedback(feedback=followed, user=resident)


def add_coaching_of(resident):
    """The resident's meeting with their district's city coach, a question to the coach
    and a sign-up for an event, as *My requests* lists them."""
    from osallistu.coaches.models import CoachKind, Event, Topic
    from osallistu.coaches.selectors import public
    from osallistu.coaches.selectors.slots import free_slots
    from osallistu.coaches.services import appointments, events, requests

    district = resident.district
    profile = public.coaches_of(district, CoachKind.CITY).first()
    later = timezone.now() + datetime.timedelta(days=7)
    slot = next(s for s in free_slots([profile])[profile.user_id] if s.begins_at > later)
    topic = Topic.objects.filter(audience=CoachKind.CITY, is_active=True).first()
    appointments.book_appointment(
        coach=profile.user,
        district=district,
        begins_at=slot.begins_at,
        topic=topic,
        meeting_language=profile.languages[0],
        person=resident,
    )
    requests.ask_coach(
        asker=resident,
        district=district,
        kind=CoachKind.CITY,
        topic=topic,
        question="Miten ehdotan uutta penkkiä?",
    )
    event = next(
        event
        for event in Event.objects.published().filter(
            signup_required=True, cancelled_at=None, begins_at__gt=later
        )
        if event.places_left
    )
    events.sign_up(event=event, person=resident)


def add_initiatives_of(resident, admin):
    from osallistu.initiatives import services as initiatives
    from osallistu.initiatives.models import Category, Initiative, Invitation, State
    from osallistu.initiatives.services.drafting import token_digest

    draft = initiatives.start_initiative(
        author=resident,
        details=initiatives.AuthorDetails(kind="resident", public_name=resident.full_name),
        category=Category.GENERAL,
        title=DRAFT_TITLE,
        proposal="Lisää penkkejä.",
        rationale="Istumapaikkoja on liian vähän.",
        language="fi",
        area=resident.district,
    )
    invitation = initiatives.invite_coauthor(initiative=draft, actor=resident, email=admin.email)
    # The e-mail carries the token; only its digest is stored.
    Invitation.objects.filter(pk=invitation.pk).update(token_digest=token_digest(INVITATION_TOKEN))
    collecting = (
        Initiative.objects.filter(state=State.COLLECTING, category=Category.GENERAL)
        .exclude(authors__user=resident)
        .order_by("pk")
        .first()
    )
    initiatives.support_initiative(initiative=collecting, user=resident)
    initiatives.follow(initiative=collecting, user=resident)


# The service point staff of the Eastern district, who enter paper ballots there.
SERVICE_POINT = "palvelupiste.itainen@osallistu.example"


def add_paper_batches(admin):
    """Two envelopes of paper ballots of the round in voting: one the administrator is
    entering, with a slip in it, and one entered by someone else waiting for the
    administrator to reconcile it."""
    from osallistu.areas.models import Area
    from osallistu.budgeting import services as budgeting
    from osallistu.budgeting.models import Plan, Round

    voting = Round.objects.get(slug="omastadi-2025")
    eastern = Area.objects.get(slug="eastern")
    entering = budgeting.open_paper_batch(
        round=voting, district=eastern, label="Kirjasto", slips_declared=3, actor=admin
    )
    plan = Plan.objects.filter(round=voting, area=eastern).order_by("cost_high").first()
    budgeting.enter_paper_slip(batch=entering, plan_ids=[plan.pk], actor=admin)
    colleague = User.objects.get(email=SERVICE_POINT)
    waiting = budgeting.open_paper_batch(
        round=voting, district=eastern, label="Palvelupiste", slips_declared=1, actor=colleague
    )
    budgeting.enter_void_slip(batch=waiting, actor=colleague)
    budgeting.submit_paper_batch(batch=waiting, actor=colleague)


# The links of a guardian's and an organiser's invitation e-mails in volunteering.
GUARDIAN_TOKEN = "huoltajan-linkki-fuzz-testiin"
VOLUNTEERING_INVITATION = "jarjestajan-kutsu-fuzz-testiin"


def add_volunteering_of(resident):
    """What a member of an organiser would have: the resident manages a verified
    organiser (with a colleague) and signed up for one of its shifts, and proposed a
    talkoot; a 15-year-old waits for a guardian's consent; an invitation to the
    organiser is out."""
    from osallistu.volunteering import services as volunteering
    from osallistu.volunteering.models import (
        Invitation,
        Opportunity,
        Organiser,
        OrganiserMember,
        Shift,
        SignUp,
        Talkoot,
    )
    from osallistu.volunteering.services.signups import token_digest

    now = timezone.now()
    open_shifts = Shift.objects.filter(
        status=Shift.Status.OPEN,
        starts_at__gt=now + datetime.timedelta(days=3),
        taken__lt=models.F("capacity"),
        opportunity__in=Opportunity.objects.public(),
    ).order_by("starts_at", "pk")
    shift = open_shifts.filter(opportunity__under_18_allowed=False).first()
    organiser = Organiser.objects.get(pk=shift.opportunity.organiser_id)
    OrganiserMember.objects.get_or_create(organiser=organiser, user=resident)
    OrganiserMember.objects.get_or_create(
        organiser=organiser, user=User.objects.filter(is_staff=False).exclude(pk=resident.pk)[0]
    )
    volunteering.sign_up(shift=shift, volunteer=resident, name=resident.full_name)
    youth = open_shifts.filter(opportunity__youth_min_age__lte=15).first()
    teen = User.objects.create_user(
        email="nuori.fuzz@example.fi",
        password=None,
        full_name="Nuori Vapaaehtoinen",
        birth_date=timezone.localdate() - datetime.timedelta(days=15 * 366),
    )
    young = volunteering.sign_up(
        shift=youth,
        volunteer=teen,
        name="Nuori",
        guardian_name="Huoltaja",
        guardian_email="huoltaja.fuzz@example.fi",
    )
    SignUp.objects.filter(pk=young.pk).update(guardian_token_digest=token_digest(GUARDIAN_TOKEN))
    Invitation.objects.create(
        organiser=organiser,
        email="kutsu.fuzz@example.fi",
        token_digest=token_digest(VOLUNTEERING_INVITATION),
        invited_by=resident,
        created_at=now,
    )
    Talkoot.objects.create(
        proposer=resident,
        title="Rantasiivous",
        description="Kerätään roskat.",
        district=resident.district,
        place_text="Ranta",
        starts_on=timezone.localdate() + datetime.timedelta(days=30),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        expected_participants=10,
        created_at=now,
    )


def extra_pages(role):
    """Pages a person reaches by a link the crawl does not follow or by typing."""
    from osallistu.budgeting.models import PaperBatch, Plan, Proposal, Round
    from osallistu.coaches.models import Appointment, AppointmentState
    from osallistu.coaches.tokens import appointment_token
    from osallistu.feedback.models import Feedback
    from osallistu.initiatives.models import Follower, Initiative, PaperSupportBatch, State
    from osallistu.premises.models import CalendarFeed, Space
    from osallistu.surveys.models import Condition

    voting = Round.objects.get(slug="omastadi-2025")
    resident = User.objects.get(email=RESIDENT)
    # Two plans side by side, as the ballot's Compare button asks for them.
    compared = Plan.objects.filter(round=voting, area=resident.district).order_by("code")[:2]
    pages = [
        reverse("budgeting:ballot", args=[voting.slug, resident.district.slug]),
        reverse("budgeting:compare", args=[voting.slug, resident.district.slug])
        + "?"
        + urlencode([("plans", plan.pk) for plan in compared]),
        reverse("budgeting:receipt", args=[voting.slug]),
        # The ballots of the finished round, linked once its results are published.
        reverse("budgeting:ballots_download", args=["omastadi-2023", "helsinki"]),
        # The link of the registration e-mail, whose token only the e-mail knows.
        reverse("accounts:register_confirm", args=["not-a-token-of-any-registration"]),
        reverse("surveys:thanks", args=[Condition.objects.first().question.page.survey.slug]),
    ]
    follower = Follower.objects.get(user=resident)
    pages += [
        reverse("initiatives:invitation", args=[INVITATION_TOKEN]),
        reverse("initiatives:unsubscribe", args=[follower.token]),
    ]
    pages += feedback_pages()
    # The links of a guardian's and an organiser's invitation e-mails.
    pages += [
        reverse("volunteering:guardian", args=[GUARDIAN_TOKEN]),
        reverse("volunteering:invitation", args=[VOLUNTEERING_INVITATION]),
    ]
    # The link that confirms a meeting booked without an account, from its e-mail.
    waiting = Appointment.objects.filter(state=AppointmentState.PENDING).first()
    pages.append(reverse("coaches:appointment_confirm", args=[appointment_token(waiting)]))
    if role == "resident":
        from osallistu.volunteering.models import Talkoot

        # Their talkoot waiting for approval, which they may cancel.
        pages += [
            reverse("volunteering:talkoot", args=[pk])
            for pk in Talkoot.objects.filter(proposer=resident).values_list("pk", flat=True)
        ]
        # Their own feedback (to reopen) and the feedback they follow.
        pages += [
            reverse("feedback:detail", args=[pk])
            for pk in Feedback.objects.filter(
                Q(author=resident) | Q(followers__user=resident)
            ).values_list("pk", flat=True)
        ]
        feed = CalendarFeed.objects.get(user=resident)
        pages.append(reverse("premises:feed", args=[feed.token]))
        # A route's first pages are kept: the supported and followed initiative, the
        # resident's own draft and the one collecting support.
        draft = Initiative.objects.get(authors__user=resident, title=DRAFT_TITLE)
        collecting = Initiative.objects.filter(authors__user=resident, state=State.COLLECTING)
        pages += [
            reverse("initiatives:detail", args=[follower.initiative_id]),
            reverse("initiatives:detail", args=[draft.pk]),
            reverse("initiatives:detail", args=[collecting.first().pk]),
        ]
    # A file of the open data export, by the name its page links once the export ran,
    # and an address the API does not have.
    pages += ["/open-data/files/budgeting.zip", "/api/v1/no-such-resource/"]
    # An object of every API resource, by an id an application may type; the objects the
    # world holds are reached through the lists' links.
    pages += [
        reverse(route, kwargs={"key": 2**31})
        for route in ROUTES
        if route.startswith("api-v1:") and route.endswith("-detail")
    ]
    if role == "city_admin":
        # A person found at the desk, whose data staff download for them.
        pages.append(reverse("accounts:staff_person_data") + "?" + urlencode({"email": RESIDENT}))
        hidden = Proposal.objects.filter(
            Q(hidden_at__isnull=False) | Q(comments__hidden_at__isnull=False)
        ).distinct()
        pages += [reverse("budgeting:proposal", args=[p.round.slug, p.pk]) for p in hidden]
        someone = User.objects.filter(is_staff=False).order_by("pk").first()
        pages.append(reverse("budgeting:staff_record_ballot", args=[voting.slug, someone.pk]))
        pages.append(
            reverse("premises:staff_blocked", args=[Space.objects.order_by("pk").first().unit.slug])
        )
        pages += [
            reverse("budgeting:staff_paper_batch", args=[batch.round.slug, batch.pk])
            for batch in PaperBatch.objects.filter(reconciled_at=None).select_related("round")
        ]
        waiting = PaperSupportBatch.objects.filter(confirmed_at__isnull=True).first()
        unregistered = Initiative.objects.filter(state=State.SENT, registered_at=None).first()
        pages += [
            reverse("initiatives:staff_initiative", args=[waiting.initiative_id]),
            reverse("initiatives:staff_initiative", args=[unregistered.pk]),
        ]
        # A meeting on its coach's desk (every one is in a city administrator's reach).
        meeting = Appointment.objects.filter(state=AppointmentState.CONFIRMED).first()
        pages.append(reverse("coaches:desk_appointment", args=[meeting.pk]))
        for condition in Condition.objects.select_related("question__page")[:2]:
            survey_id = condition.question.page.survey_id
            pages.append(
                reverse("surveys:builder_question", args=[survey_id, condition.question_id])
            )
    return pages


def feedback_pages():
    """The receipt of feedback sent without signing in (its token is the sender's), and
    the Open311 API's addresses, which applications read rather than people."""
    from osallistu.feedback.models import Feedback, ServiceCategory

    anonymous = Feedback.objects.public().filter(author=None).order_by("pk").first()
    category = ServiceCategory.objects.order_by("pk").first()

    def api(name, **kwargs):
        return reverse(name, kwargs={"fmt": "json", **kwargs})

    return [
        reverse("feedback:sent", args=[anonymous.token]),
        api("open311-discovery"),
        api("open311-services"),
        api("open311-service", code=category.code),
        api("open311-requests"),
        api("open311-request", pk=anonymous.pk),
        api("open311-token", token=anonymous.token),
        api("open311-statistics"),
        reverse("open311-not-found", kwargs={"path": "v2/nothing.json"}),
    ]


# Routes that are not pages anyone is sent to with input, with the reason.
NOT_FUZZED = {
    "identity:oidc_callback": "answers the identity provider's redirect, tested in identity",
}

# Fields whose text is not stored as typed, by design: secrets are hashed or only
# checked, searches and confirmations are not stored at all.
NOT_STORED = {
    "password",
    "token",
    "otp_token",
    "person_code",
    "q",
    "next",
    "search",
    "csrfmiddlewaretoken",
    # Coordinates are typed as people write them (60,1699) and stored as numbers.
    "latitude",
    "longitude",
}
NAMES_AND_TITLES = re.compile(
    r"^(title|name|full_name|nickname|association|public_name|organisation)(_[a-z]{2})?$"
)
TEXT_KINDS = {"text", "search", "textarea"}


class World:
    def __init__(self):
        self.crawls = {}
        self.cookies = {}
        self.today = timezone.localdate()

    def sign_in(self, role):
        client = Client()
        if role == "resident":
            client.force_login(User.objects.get(email=RESIDENT))
        elif role == "city_admin":
            sign_in_past_second_factor(client, User.objects.get(email=CITY_ADMIN))
        return client

    def client(self, role):
        """A browser of ``role`` with the crawl's cookies: signed in as it was."""
        client = Client()
        client.cookies = copy.deepcopy(self.cookies[role])
        return client


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo Helsinki and what each role found in it, kept for the module and
    rolled back after it."""
    # Every login the fuzz tries hashes a password: a fast hasher keeps it quick.
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    # The crawl asks the open data API more often than an anonymous client may; the
    # limit itself is tested in tests/opendata.
    unthrottled = override_settings(
        REST_FRAMEWORK={
            **django_settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"},
        }
    )
    cache.clear()
    with fast_hashing, unthrottled, django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        add_what_the_demo_lacks()
        world = World()
        seeds = [f"/{fuzzing.LANGUAGE}/"] + [
            reverse(name) for name in ROUTES if not _needs_arguments(name)
        ]
        for role in ROLES:
            client = world.sign_in(role)
            world.crawls[role] = fuzzing.crawl(
                client, seeds + extra_pages(role), ROUTES, follow=FOLLOWED, today=world.today
            )
            world.cookies[role] = client.cookies
        world.api_keys = fuzzing.api_query_keys(Client())
        yield world
        transaction.set_rollback(True)


def _needs_arguments(name):
    try:
        reverse(name)
    except NoReverseMatch:
        return True
    return False


def test_every_route_is_reached_and_no_page_fails(world, db):
    reached = set().union(*(crawl.reached() for crawl in world.crawls.values()))
    missing = sorted(set(ROUTES) - reached - set(NOT_FUZZED))
    assert not missing, (
        "No role reached these routes: link them from a page, or add an example page "
        f"to extra_pages(): {missing}"
    )
    errors = [error for crawl in world.crawls.values() for error in crawl.errors]
    assert not errors, "\n".join(errors)


def targets_of(world, route):
    """(role, kind, target) of every form sent to ``route`` and every page of it with
    query parameters."""
    found = []
    for role, crawl in world.crawls.items():
        for form in crawl.forms:
            if form.route == route and form.fields:
                found.append((role, "form", form))
        keys = set(crawl.queries.get(route, ()))
        for page in crawl.pages.get(route, [])[:2]:
            path = page.split("?")[0]
            keys |= world.api_keys.get(path.replace("/api/v1", "", 1), set())
            keys |= world.api_keys.get(path, set())
            if keys:
                found.append((role, "query", fuzzing.QueryTarget(page, route, keys)))
            if re.search(r"/\d+(/|\.|$)", path):
                found.append((role, "path", fuzzing.QueryTarget(page, route, set())))
    return found


def where_it_failed(error):
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if "/osallistu/" in frame.filename
    ]
    if not frames:
        return ""
    frame = frames[-1]
    return f" at {frame.filename.split('/osallistu/')[-1]}:{frame.lineno} ({frame.name})"


# Tables a request writes whatever a form says: the session, the lockout log, the
# second factor's last use, the audit log and the job queue.
BOOKKEEPING = re.compile(r"^(core_session|core_auditentry|core_job|axes_|otp_|django_)")
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.I)


def said_yes(response, queries):
    """A form said yes when it redirected without a warning and stored something."""
    if response.status_code not in (301, 302, 303):
        return False
    if any(message.level >= constants.WARNING for message in get_messages(response.wsgi_request)):
        return False
    return bool(written_tables(queries))


def written_tables(queries):
    tables = {match.group(1) for query in queries if (match := WRITE.match(query["sql"]))}
    return {table for table in tables if not BOOKKEEPING.match(table)}


def stored_somewhere(text, tables):
    """Whether a text or JSON column of a model stored in ``tables`` holds ``text``."""
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, models.CharField | models.TextField | models.JSONField) and (
                model._meta.default_manager.filter(**{column.name: text}).exists()
            ):
                return True
    return False


def saved_check(form_fields, sent, response, queries):
    """What was said yes to must be stored as it was sent."""
    if not said_yes(response, queries):
        return None
    for name, value in sent.items():
        spec = form_fields.get(name)
        if spec is None or not isinstance(value, str):
            continue
        if NAMES_AND_TITLES.match(name) and "\u202e" in value:
            return f"{name}: a direction override was accepted in a name or title"
        if spec.kind not in TEXT_KINDS or name in NOT_STORED or not value.strip():
            continue
        tables = written_tables(queries)
        if not (stored_somewhere(value, tables) or stored_somewhere(value.strip(), tables)):
            return (
                f"{name}: said yes (wrote {', '.join(sorted(tables))}), "
                "but the text sent is stored nowhere as sent"
            )
    return None


def draw_submission(data, values, kind, target, today):
    """(method, url, data) with hostile values in one field, or in all of them."""
    if kind == "path":
        number = data.draw(st.sampled_from([str(2**63), "1" + "0" * 40, "0"]))
        url = re.sub(r"/\d+(?=/|\.|$)", f"/{number}", target.page, count=1)
        return "get", url, {}, {}
    if kind == "query":
        keys = sorted(target.keys)
        chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
        query = {key: data.draw(values) for key in chosen}
        return "get", target.page.split("?")[0], query, {}
    form = target
    sent = fuzzing.baseline(form, today)
    names = sorted(form.fields)
    everything = data.draw(st.booleans())
    chosen = names if everything else [data.draw(st.sampled_from(names))]
    files = {}
    for name in chosen:
        spec = form.fields[name]
        if spec.kind == "file":
            file_name, content = data.draw(fuzzing.FILES)
            files[name] = SimpleUploadedFile(file_name, content)
        elif spec.multiple and data.draw(st.booleans()):
            sent[name] = [*spec.default[:1], data.draw(values)]
        else:
            sent[name] = data.draw(values)
    return form.method, form.action, sent, files


def everywhere(kind, target, value, today):
    """(method, url, data, files): ``value`` in every field of a form or page."""
    if kind == "path":
        return "get", re.sub(r"/\d+(?=/|\.|$)", f"/{2**63}", target.page, count=1), {}, {}
    if kind == "query":
        return "get", target.page.split("?")[0], dict.fromkeys(sorted(target.keys), value), {}
    sent = fuzzing.baseline(target, today)
    # Hidden fields say which page or object the form is about; Hypothesis sends
    # values into them one at a time.
    sent.update(
        (name, value) for name, spec in target.fields.items() if spec.kind not in ("file", "hidden")
    )
    return target.method, target.action, sent, {}


def problem_of(client, kind, target, method, url, sent, files):
    """What is wrong with the answer to a submission, or None. Undone afterwards:
    every submission starts from the world as crawled."""
    try:
        with transaction.atomic():
            for step_method, step_url, step_data in getattr(target, "steps", ()):
                send(client, step_method, step_url, step_data, {})
            with CaptureQueriesContext(connection) as queries:
                response = send(client, method, url, sent, files)
            problem = None
            if response.status_code >= 500:
                problem = f"status {response.status_code}"
            elif kind == "form":
                problem = saved_check(target.fields, sent, response, queries)
            transaction.set_rollback(True)
    except Exception as error:
        problem = f"{type(error).__name__}: {str(error)[:120]}{where_it_failed(error)}"
    return problem


def send(client, method, url, sent, files):
    if method == "post":
        return client.post(url, {**sent, **files})
    return client.get(url, sent)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_hostile_input_gives_no_error_and_loses_nothing(route, world, db):
    if route in NOT_FUZZED:
        pytest.skip(NOT_FUZZED[route])
    targets = targets_of(world, route)
    if not targets:
        pytest.skip("no form, query parameter or number in the address reaches this route")
    problems = {}

    @settings(
        max_examples=EXAMPLES_PER_KIND_ON_POSTGRESQL
        if connection.vendor == "postgresql"
        else EXAMPLES_PER_KIND,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def submit(values, data):
        role, kind, target = data.draw(st.sampled_from(targets))
        attempt(role, kind, target, *draw_submission(data, values, kind, target, world.today))

    def attempt(role, kind, target, method, url, sent, files):
        problem = problem_of(world.client(role), kind, target, method, url, sent, files)
        if problem:
            shown = {
                name: (value if len(repr(value)) < 60 else f"{repr(value)[:57]}…")
                for name, value in sent.items()
            }
            key = re.sub(r"\d+", "N", problem)
            problems.setdefault(key, f"{role} {method.upper()} {url} {shown}: {problem}")

    seen = set()
    for role, kind, target in targets:
        signature = target.signature() if kind == "form" else (kind, target.page)
        if signature not in seen:
            seen.add(signature)
            for value in fuzzing.CANONICAL:
                attempt(role, kind, target, *everywhere(kind, target, value, world.today))
    # Every kind of value reaches every route a few times more, as Hypothesis draws.
    for values in fuzzing.KINDS:
        submit(values)
    assert not problems, "\n".join(problems.values())


@override_settings(ROOT_URLCONF="tests.core.fuzz_broken_site")
def test_the_checks_find_an_error_a_silent_cut_and_an_accepted_override(helsinki):
    """The fuzz can fail: a page that breaks on a Unicode digit, one that keeps part
    of a text and says yes, and one that takes a title with a direction override."""
    form = fuzzing.Form(
        page="/",
        method="post",
        action="/",
        route="broken",
        fields={"title": fuzzing.Field("title", "text"), "page": fuzzing.Field("page", "hidden")},
        buttons=[],
    )

    def problem(path, sent):
        return problem_of(Client(), "form", form, "post", path, sent, {})

    assert problem("/digits/", {"title": "²"}).startswith("ValueError")
    assert problem("/digits/", {"title": "2"}) is None
    assert "stored nowhere as sent" in problem("/cut/", {"title": "Kalasataman puisto"})
    assert problem("/cut/", {"title": "Puisto"}) is None
    assert "direction override" in problem("/cut/", {"title": "Pu\u202eisto"})
    assert problem("/cut/", {"title": "Puisto", "page": "x" * 50}) is None  # hidden: not text
