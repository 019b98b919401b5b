"""``kill -9`` of the app server while ballots are being cast, and of the worker while it
mixes them: no committed ballot is lost and none is counted twice. On PostgreSQL, with
real gunicorn and worker processes."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.utils import timezone

from osallistu.accounts.models import User
from osallistu.budgeting import sealing
from osallistu.budgeting.models import Ballot, BallotChoice, Participation, Round
from osallistu.budgeting.tasks import mix_round, send_ballot_receipt
from osallistu.core import jobs
from osallistu.core.models import AuditEntry, Job
from osallistu.core.sessions import SessionStore
from tests.budgeting.factories import close_and_mix
from tests.factories import VerifiedResidentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def database_url(application_name):
    """The test database, for processes of our own."""
    db = connection.settings_dict
    return (
        f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}?application_name={application_name}"
    )


def process_environment(application_name):
    return {
        **os.environ,
        "DATABASE_URL": database_url(application_name),
        "DEBUG": "1",
        "DB_CONN_MAX_AGE": "0",
        "BALLOT_SEAL_KEY": settings.BALLOT_SEAL_KEY,
        "SECRET_KEY": settings.SECRET_KEY,
        "AXES_ENABLED": "0",
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """gunicorn as production runs it, in its own process group so that one signal
    kills the master and its workers at once."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        environment = process_environment("crash-test-web")
        environment.update(GUNICORN_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY="2")
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def request(self, method, path, body=None, headers=None):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            client.request(method, path, body=body, headers=headers or {})
            response = client.getresponse()
            response.read()
            return response.status, response.getheader("Location", "")
        finally:
            client.close()


def signed_in(voter):
    """Cookies of a browser signed in as ``voter``, with a CSRF secret."""
    session = SessionStore()
    session[SESSION_KEY] = str(voter.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = voter.get_session_auth_hash()
    session.create()
    csrf = secrets.token_hex(16)
    return f"sessionid={session.session_key}; csrftoken={csrf}", csrf


def test_killing_the_app_server_while_voting_loses_and_doubles_no_ballot(
    voting_round, plans, helsinki
):
    voters = [VerifiedResidentFactory(district=helsinki["eastern"]) for _ in range(60)]
    browsers = {voter.pk: signed_in(voter) for voter in voters}
    path = f"/en/budgeting/{voting_round.slug}/vote/eastern/confirm/"
    chosen = [plans["east_a"].pk, plans["city_a"].pk]
    server = AppServer()
    server.start()
    answers = {}
    answered = threading.Semaphore(0)

    def press_vote(voter):
        cookie, csrf = browsers[voter.pk]
        body = urlencode({"csrfmiddlewaretoken": csrf, "plans": chosen}, doseq=True)
        try:
            answers[voter.pk] = server.request(
                "POST",
                path,
                body,
                {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )
        except OSError as error:  # the server died under the request
            answers[voter.pk] = (None, str(error))
        answered.release()

    threads = [threading.Thread(target=press_vote, args=(voter,)) for voter in voters]
    for thread in threads:
        thread.start()
    for _ in range(15):  # some ballots are in, many are on their way
        answered.acquire(timeout=60)
    server.kill()
    for thread in threads:
        thread.join(timeout=60)

    receipt = f"/en/budgeting/{voting_round.slug}/receipt/"
    confirmed = {pk for pk, (status, where) in answers.items() if (status, where) == (302, receipt)}
    assert len(confirmed) >= 15
    cut_off = [pk for pk, (status, _where) in answers.items() if status is None]
    assert cut_off, "every request was answered before the server was killed"
    participations = Counter(Participation.objects.values_list("voter_id", flat=True))
    # Every voter who saw their receipt has exactly one ballot; nobody has two.
    assert confirmed <= set(participations)
    assert set(participations.values()) == {1}
    # A ballot is in with its audit entry and receipt e-mail, or not at all.
    complete_ballots(expected=set(participations))

    # After a restart the cut-off voters press Vote again: one ballot each, still.
    server.start()
    try:
        for voter in voters:
            if voter.pk in cut_off or voter.pk not in participations:
                press_vote(voter)
    finally:
        server.kill()
    assert Counter(Participation.objects.values_list("voter_id", flat=True)) == Counter(
        voter.pk for voter in voters
    )
    complete_ballots(expected={voter.pk for voter in voters})
    close_and_mix(voting_round)
    assert Ballot.objects.count() == len(voters)
    assert BallotChoice.objects.count() == 2 * len(voters)


def complete_ballots(*, expected):
    """Each participation has its sealed ballot, one audit entry and one receipt."""
    participations = Participation.objects.all()
    assert {p.voter_id for p in participations} == expected
    assert not participations.filter(sealed_ballot=None).exists()
    audited = Counter(
        int(entry.target_id) for entry in AuditEntry.objects.filter(action="budgeting.ballot_cast")
    )
    assert audited == Counter(p.pk for p in participations)
    receipts = Counter(job.payload["voter"] for job in send_ballot_receipt.jobs())
    assert receipts == Counter(expected)


def sealed_round(helsinki, plans_by_area, voters):
    """A round whose voting has just ended with ``len(voters)`` sealed ballots; returns the
    round and the choices, as the ballots' ``(district id, sorted plan ids)``."""
    round = Round.objects.get()
    choices = []
    participations = []
    for number, voter in enumerate(voters):
        district = helsinki["eastern"] if number % 2 else helsinki["western"]
        picked = sorted(plans_by_area[district.pk][: 1 + number % 3])
        choices.append((district.pk, picked))
        participations.append(
            Participation(
                round=round,
                voter=voter,
                channel="online",
                sealed_ballot=sealing.seal(
                    round.seal_public_key, district_id=district.pk, plan_ids=picked
                ),
            )
        )
    Participation.objects.bulk_create(participations, batch_size=2000)
    Round.objects.filter(pk=round.pk).update(voting_ends_at=timezone.now() - timedelta(seconds=1))
    return Round.objects.get(), choices


def ballot_box():
    plans = {}
    for ballot_id, plan_id in BallotChoice.objects.values_list("ballot_id", "plan_id"):
        plans.setdefault(ballot_id, []).append(plan_id)
    return Counter(
        (ballot.district_id, tuple(sorted(plans[ballot.pk]))) for ballot in Ballot.objects.all()
    )


def test_killing_the_worker_while_it_mixes_loses_and_doubles_no_ballot(
    voting_round, plans, helsinki
):
    voters = User.objects.bulk_create(
        User(email=f"voter{number}@example.fi", municipality_code="091") for number in range(8000)
    )
    plans_by_area = {
        area.pk: [plan.pk for plan in plans.values() if plan.area_id == area.pk]
        for area in (helsinki["eastern"], helsinki["western"])
    }
    round, choices = sealed_round(helsinki, plans_by_area, voters)
    expected = Counter((district, tuple(picked)) for district, picked in choices)
    mix_round.enqueue(round=round.pk)

    worker = subprocess.Popen(
        [BIN / "python", "manage.py", "worker", "--once"],
        cwd=ROOT,
        env=process_environment("crash-test-worker"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill it once its mixing transaction has written (PostgreSQL gave it an id).
    deadline = time.monotonic() + 120
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
                " AND backend_xid IS NOT NULL",
                ["crash-test-worker"],
            )
            round.refresh_from_db()
            if cursor.fetchone()[0] and round.ballot_box_closed_at is not None:
                break
            assert worker.poll() is None, "the worker finished before it could be killed"
            time.sleep(0.01)
        worker.kill()
        worker.wait(timeout=30)
        while time.monotonic() < deadline:  # until PostgreSQL has rolled it back
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                ["crash-test-worker"],
            )
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.05)

    round.refresh_from_db()
    assert round.ballot_box_closed_at is not None  # closed before it died
    assert round.ballots_mixed_at is None
    assert not Ballot.objects.exists()  # what it had written was rolled back
    assert Participation.objects.exclude(sealed_ballot=None).count() == len(voters)

    # The task is taken again when its lease runs out, and mixes every ballot once.
    job = mix_round.jobs().get()
    assert job.state == Job.State.RUNNING
    Job.objects.filter(pk=job.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert jobs.run_pending() == 1
    round.refresh_from_db()
    assert round.ballots_mixed
    assert ballot_box() == expected
    assert not Participation.objects.exclude(sealed_ballot=None).exists()

    # Running it again changes nothing: the same ballot box.
    ids = set(Ballot.objects.values_list("pk", flat=True))
    mix_round.call(round=round.pk)
    assert set(Ballot.objects.values_list("pk", flat=True)) == ids
