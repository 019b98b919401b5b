"""Benchmark a resident's rights over their data and the retention job.

Builds, in a database of its own, a resident with about 1,000 records across apps
(proposal comments, survey responses with answers, past bookings, supports of sent
initiatives, hearing comments, meetings, questions and event sign-ups with city
coaches, feedback, volunteering shifts past and ahead, login attempts) among other
residents, then prints:

- the export (``privacy.export_data`` and the ZIP) of that resident, best of three;
- the deletion of their account (``privacy.delete_account``): a dry run, then the real
  one (target: under 2 s each);
- the retention job (``privacy.apply_retention``) over one million expired records
  (login attempts, expired sessions, registrations never confirmed, past bookings),
  with its time and the peak memory of the process.

    .venv/bin/python bench/personal_data.py                # SQLite in a temporary file
    DATABASE_URL=postgres://… .venv/bin/python bench/personal_data.py
    .venv/bin/python bench/personal_data.py --expired 100000   # a smaller run

It prints the machine's uptime and load first; run it when the load average is low.
"""

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def best_of(runs, action):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def build_resident(records):
    """A resident with ``records`` rows across apps; returns the resident."""
    import datetime
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    from osallistu.accounts.models import User
    from osallistu.areas.helsinki import load_helsinki_areas
    from osallistu.budgeting.models import Proposal, ProposalComment, Round
    from osallistu.initiatives.models import Initiative, State, Support
    from osallistu.premises.models import Booking, BookingState, Space, Unit, UnitType
    from osallistu.surveys.models import (
        Answer,
        Comment,
        Hearing,
        Page,
        Question,
        Response,
        ResponseStatus,
        Survey,
    )

    now = timezone.now()
    _city, districts = load_helsinki_areas()
    eastern = districts["eastern"]
    resident = User.objects.create_user(
        "bench.resident@example.fi",
        full_name="Bench Resident",
        district=eastern,
        birth_date=datetime.date(1980, 1, 1),
    )
    share = records // 10
    round = Round.objects.create(
        name="Bench",
        slug=f"bench-{int(time.time())}",
        voting_starts_at=now + timedelta(days=90),
        voting_ends_at=now + timedelta(days=100),
    )
    proposal = Proposal.objects.create(
        round=round, area=eastern, title="Bench", description="x", language="fi", theme="parks"
    )
    ProposalComment.objects.bulk_create(
        ProposalComment(proposal=proposal, author=resident, text=f"Comment {n}")
        for n in range(share)
    )
    # One response per person and survey: a survey for each.
    surveys = Survey.objects.bulk_create(
        Survey(
            title=f"Bench {n}",
            slug=f"bench-{round.pk}-{n}",
            opens_at=now,
            closes_at=now + timedelta(days=9),
        )
        for n in range(share // 2)
    )
    pages = Page.objects.bulk_create(Page(survey=survey, position=1) for survey in surveys)
    questions = Question.objects.bulk_create(
        Question(page=page, position=1, kind="text", text="Q") for page in pages
    )
    responses = Response.objects.bulk_create(
        Response(survey=survey, user=resident, status=ResponseStatus.SUBMITTED, submitted_at=now)
        for survey in surveys
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value="x", text="vastaus")
        for response, question in zip(responses, questions, strict=True)
    )
    unit = Unit.objects.create(
        type=UnitType.LIBRARY,
        name="Bench",
        slug=f"bench-{round.pk}",
        district=eastern,
        postal_code="00100",
    )
    space = Space.objects.create(
        unit=unit,
        name="Room",
        slug=f"bench-{round.pk}",
        capacity=10,
        min_minutes=60,
        max_minutes=240,
        slot_minutes=30,
        max_days_ahead=90,
        max_active_bookings=3,
        cancellable_hours_before=24,
    )
    bookings = []
    for n in range(share):
        begins = now - timedelta(days=n + 1)
        bookings.append(
            Booking(
                space=space,
                booker=resident,
                begins_at=begins,
                ends_at=begins + timedelta(hours=1),
                occupied_from=begins,
                occupied_until=begins + timedelta(hours=1),
                state=BookingState.CONFIRMED,
                description="Kerho",
                attendees=5,
            )
        )
    Booking.objects.bulk_create(bookings)
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            title=f"Aloite {n}",
            proposal="p",
            rationale="r",
            language="fi",
            area=eastern,
            state=State.SENT,
            sent_at=now,
        )
        for n in range(share)
    )
    Support.objects.bulk_create(
        Support(initiative=initiative, user=resident, counts=True) for initiative in initiatives
    )
    hearing = Hearing.objects.create(
        title="Bench", slug=f"bench-{round.pk}", opens_at=now, closes_at=now + timedelta(days=9)
    )
    Comment.objects.bulk_create(
        Comment(hearing=hearing, author=resident, text=f"Kommentti {n}") for n in range(share)
    )
    build_services(resident, eastern, share, now)
    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username=resident.email,
            ip_address="192.0.2.1",
            user_agent=f"bench {n}",  # one attempt per address and client
            http_accept="*",
            path_info="/",
            attempt_time=now,
            get_data="",
            post_data="",
            failures_since_start=1,
        )
        for n in range(records - 8 * share - share // 2 - UPCOMING)
    )
    return resident


# Sign-ups for shifts ahead, cancelled through the service when the account is deleted.
UPCOMING = 3


def build_services(resident, eastern, share, now):
    """Coaches, volunteering and feedback: ``3 * share + UPCOMING`` records of the
    resident (past meetings, answered questions with a message, past event sign-ups,
    feedback, past shifts attended, and sign-ups ahead)."""
    from datetime import timedelta

    from osallistu.accounts.models import Division, User
    from osallistu.coaches.models import (
        Appointment,
        AppointmentState,
        ContactRequest,
        Event,
        EventSignup,
        Place,
        RequestMessage,
        RequestStatus,
        Topic,
    )
    from osallistu.feedback.models import Feedback, ServiceCategory
    from osallistu.volunteering import services as volunteering
    from osallistu.volunteering.models import Opportunity, Organiser, Shift, SignUp

    tag = int(time.time())
    coach = User.objects.create_user(f"bench.coach{tag}@example.fi", is_staff=True)
    place = Place.objects.create(
        name="Bench", kind="library", district=eastern, postal_code="00930"
    )
    topic = Topic.objects.create(audience="city", slug=f"bench-{tag}", name="Bench")
    Appointment.objects.bulk_create(
        Appointment(
            coach=coach,
            coach_kind="city",
            district=eastern,
            begins_at=now - timedelta(days=n + 1),
            ends_at=now - timedelta(days=n + 1) + timedelta(minutes=30),
            place=place,
            person=resident,
            name="Bench Resident",
            email=resident.email,
            meeting_language="fi",
            topic=topic,
            details="Asia",
            state=AppointmentState.HELD,
        )
        for n in range(share // 2)
    )
    requests = ContactRequest.objects.bulk_create(
        ContactRequest(
            kind="city",
            district=eastern,
            assigned_to=coach,
            asker=resident,
            topic=topic,
            question="Kysymys",
            status=RequestStatus.CLOSED,
            created_at=now - timedelta(days=n + 2),
            closed_at=now - timedelta(days=n + 1),
            updated_at=now - timedelta(days=n + 1),
        )
        for n in range(share // 4)
    )
    RequestMessage.objects.bulk_create(
        RequestMessage(
            request=request, author=resident, from_coach=False, body="Kiitos", created_at=now
        )
        for request in requests
    )
    events = Event.objects.bulk_create(
        Event(
            kind="workshop",
            title=f"Bench {n}",
            district=eastern,
            organiser=coach,
            begins_at=now - timedelta(days=n + 1),
            ends_at=now - timedelta(days=n + 1) + timedelta(hours=1),
            place=place,
            signup_required=True,
            capacity=10,
            signup_count=1,
            published_at=now - timedelta(days=60),
        )
        for n in range(share // 2)
    )
    EventSignup.objects.bulk_create(
        EventSignup(event=event, person=resident, accessibility_needs="Tulkki") for event in events
    )
    division = Division.objects.create(slug=f"bench-{tag}", name="Bench")
    category = ServiceCategory.objects.create(code=f"b{tag}", division=division, name="Bench")
    Feedback.objects.bulk_create(
        Feedback(
            service=category,
            title="Kuoppa",
            description="Kuoppa kadulla",
            address="Itäkatu 1",
            district=eastern,
            language="fi",
            author=resident,
            contact_email=resident.email,
            contact_first_name="Bench",
            requested_at=now - timedelta(days=n),
            updated_at=now - timedelta(days=n),
        )
        for n in range(share // 2)
    )
    organiser = Organiser.objects.create(
        name="Bench ry", slug=f"bench-{tag}", kind="association", status="verified"
    )
    opportunity = Opportunity.objects.create(
        organiser=organiser,
        title="Bench",
        description="x",
        district=eastern,
        kind="one_off",
        contact_name="Bench",
        contact_email="bench@example.fi",
        status=Opportunity.Status.PUBLISHED,
        published_at=now,
    )
    shifts = Shift.objects.bulk_create(
        Shift(
            opportunity=opportunity,
            starts_at=now + timedelta(days=n - share + 1),
            ends_at=now + timedelta(days=n - share + 1, hours=3),
            capacity=5,
            taken=1 if n < share else 0,
        )
        for n in range(share + UPCOMING)
    )
    SignUp.objects.bulk_create(
        SignUp(
            shift=shift,
            volunteer=resident,
            name="Bench Resident",
            phone="0401234567",
            age=45,
            status=SignUp.Status.CONFIRMED,
            created_at=shift.starts_at - timedelta(days=7),
            held_since=shift.starts_at - timedelta(days=7),
            attendance=SignUp.Attendance.ATTENDED,
            hours=3,
        )
        for shift in shifts[:share]
    )
    for shift in shifts[share:]:
        volunteering.sign_up(shift=shift, volunteer=resident, name="Bench Resident")


def build_expired(count):
    """``count`` records whose retention has ended, in four kinds."""
    from datetime import timedelta

    from axes.models import AccessLog
    from django.utils import timezone

    from osallistu.accounts.models import PendingRegistration
    from osallistu.core.models import Session

    long_ago = timezone.now() - timedelta(days=400)
    batch = 5000
    quarter = count // 4
    for start in range(0, quarter * 2, batch):
        AccessLog.objects.bulk_create(
            AccessLog(
                username=f"p{n}@example.fi",
                ip_address="192.0.2.1",
                user_agent="bench",
                http_accept="*",
                path_info="/",
                attempt_time=long_ago,
                session_hash="",
            )
            for n in range(start, min(start + batch, quarter * 2))
        )
    # The attempt's time is set on saving: move it back.
    AccessLog.objects.filter(user_agent="bench").update(attempt_time=long_ago)
    for start in range(0, quarter, batch):
        Session.objects.bulk_create(
            Session(session_key=f"bench{n:035d}", session_data="x", expire_date=long_ago)
            for n in range(start, min(start + batch, quarter))
        )
        PendingRegistration.objects.bulk_create(
            PendingRegistration(
                email=f"bench{n}@example.fi",
                password="x",
                token_digest=f"{n:064d}",
                created_at=long_ago,
            )
            for n in range(start, min(start + batch, quarter))
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--expired", type=int, default=1_000_000)
    arguments = parser.parse_args()

    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    print(platform.platform(), platform.python_version())
    with tempfile.TemporaryDirectory() as directory:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{directory}/bench.sqlite3"
        setup(url)
        from django.db import connection

        from osallistu.core import privacy

        print(f"database: {connection.vendor}")
        resident = build_resident(arguments.records)
        exported = best_of(3, lambda: privacy.export_data(resident))
        zipped = best_of(3, lambda: privacy.export_zip(resident))
        rows = sum(len(s["rows"]) for s in privacy.export_data(resident)["data"])
        print(f"export of {rows} rows: JSON {exported:.2f} s, ZIP {zipped:.2f} s")
        dry = best_of(1, lambda: privacy.delete_account(user=resident, dry_run=True))
        real = best_of(1, lambda: privacy.delete_account(user=resident))
        print(f"deletion: dry run {dry:.2f} s, deletion {real:.2f} s")

        started = time.perf_counter()
        build_expired(arguments.expired)
        print(f"built {arguments.expired} expired records in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        done = privacy.apply_retention()
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"retention: {sum(done.values())} records in {took:.1f} s; {done}")
        print(f"peak memory of the process (including the build): {peak:.0f} MB")
        connection.close()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
