import io
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from osallistu.core import jobs
from osallistu.core.mail import send_later
from osallistu.core.models import Job

pytestmark = pytest.mark.integrity

ran = Counter()
lock = threading.Lock()


@jobs.task()
def record(*, key):
    with lock:
        ran[key] += 1
    return {"seen": key}


@jobs.task(attempts=2)
def fail(*, to):
    raise RuntimeError("mail server down")


@jobs.task(private=True)
def secret(*, ballot):
    return None


@pytest.fixture(autouse=True)
def _clear():
    ran.clear()


@pytest.mark.django_db
def test_a_job_runs_once_and_keeps_its_result():
    job = record.enqueue(key="a")
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == (Job.State.DONE, 1, {"seen": "a"})
    assert job.finished_at is not None
    assert jobs.run_pending() == 0
    assert ran["a"] == 1


@pytest.mark.django_db
def test_a_job_asked_for_in_a_rolled_back_transaction_does_not_exist():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record.enqueue(key="b")
        raise ZeroDivisionError
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_job_of_no_known_task_fails_without_running():
    job = Job.objects.create(name="tests.nobody", payload={"x": 1}, run_after=timezone.now())
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "No task" in job.error


def test_two_tasks_of_one_name_are_refused():
    with pytest.raises(ValueError, match="Two tasks"):
        jobs.task(name=record.name)(lambda: None)


@pytest.mark.django_db
def test_a_failing_job_is_retried_later_then_marked_failed():
    job = fail.enqueue(to="x")
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    assert job.run_after > timezone.now() + timedelta(seconds=20)
    assert "mail server down" in job.error
    assert jobs.run_pending() == 0  # not due yet

    Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)
    assert job.payload == {"to": "x"}  # kept for whoever looks into it


@pytest.mark.django_db
def test_a_private_payload_is_erased_when_the_job_finishes():
    job = secret.enqueue(ballot=["A1", "B2"])
    jobs.run_pending()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.payload == {}


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_taken_again_after_its_lease():
    job = record.enqueue(key="c")
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, leased_until=timezone.now() + timedelta(minutes=1)
    )
    assert jobs.run_pending() == 0
    Job.objects.filter(pk=job.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert jobs.run_pending() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, ran["c"]) == (Job.State.DONE, 2, 1)


@pytest.mark.django_db
def test_purge_deletes_only_jobs_finished_long_ago():
    old = record.enqueue(key="d")
    new = record.enqueue(key="e")
    queued = record.using(run_after=timezone.now() + timedelta(days=1)).enqueue(key="f")
    jobs.run_pending()
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=30))
    assert jobs.purge(older_than=timedelta(days=14)) == 1
    assert set(Job.objects.values_list("pk", flat=True)) == {new.pk, queued.pk}


@pytest.mark.django_db
def test_send_later_sends_after_the_worker_runs_with_attachments():
    send_later(
        to=["aino@example.fi"],
        subject="Varaus vahvistettu",
        body="Tervetuloa",
        html="<p>Tervetuloa</p>",
        attachments=[
            ("varaus.ics", "BEGIN:VCALENDAR\r\n", "text/calendar"),
            ("a.bin", b"\0\1", "application/octet-stream"),
        ],
    )
    assert mail.outbox == []
    jobs.run_pending()
    [message] = mail.outbox
    assert message.to == ["aino@example.fi"]
    assert message.subject == "Varaus vahvistettu"
    assert message.alternatives[0][1] == "text/html"
    assert [a[0] for a in message.attachments] == ["varaus.ics", "a.bin"]
    assert message.attachments[1][1] == b"\0\1"
    assert Job.objects.get().payload == {}


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_what_is_due_and_stops_with_once():
    record.enqueue(key="g")
    record.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(key="h")
    output = io.StringIO()
    call_command("worker", "--once", stdout=output)
    assert record.name in output.getvalue()
    assert ran == {"g": 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_running_side_by_side_run_every_job_exactly_once():
    for number in range(60):
        record.enqueue(key=number)
    counts = []

    def worker():
        try:
            counts.append(jobs.run_pending())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 60
    assert sorted(ran) == list(range(60))
    assert set(ran.values()) == {1}
    assert Job.objects.filter(state=Job.State.DONE).count() == 60
