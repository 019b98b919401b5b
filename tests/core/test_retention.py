"""Retention: each rule erases or makes anonymous exactly what has outlived its period
(a setting), a second run finds nothing more, and each run that did something is in
the audit log."""

import datetime
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from osallistu.accounts.models import PendingRegistration, User
from osallistu.budgeting.models import Participation
from osallistu.budgeting.services import cast_ballot
from osallistu.core import personal_data, privacy
from osallistu.core.models import AuditEntry, Session
from osallistu.core.tasks import apply_retention
from osallistu.identity.models import IdentityVerification
from osallistu.initiatives.models import Invitation
from osallistu.premises.models import Booking
from tests.budgeting.factories import PlanFactory, RoundBudgetFactory, RoundFactory, close_and_mix
from tests.core import privacy_world
from tests.factories import VerifiedResidentFactory

pytestmark = pytest.mark.integrity


@pytest.fixture
def world(helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return privacy_world.build(helsinki)


def aged(queryset, field, days):
    queryset.update(**{field: timezone.now() - timedelta(days=days)})


def test_every_rule_has_a_setting_with_a_default(settings):
    for rule in personal_data.retention_rules():
        assert rule.period == timedelta(days=rule.default_days)
        setattr(settings, rule.setting, rule.default_days + 1)
        assert rule.period == timedelta(days=rule.default_days + 1)


def test_nothing_young_is_touched(world):
    before = privacy.apply_retention()
    assert set(before) == {rule.key for rule in personal_data.retention_rules()}
    assert sum(before.values()) == 0
    assert not AuditEntry.objects.filter(action="privacy.retention").exists()


def test_each_rule_erases_exactly_what_has_expired(world, helsinki):
    resident, _others = world
    now = timezone.now()
    # accounts: registrations, login attempts, a person recorded at a service point
    PendingRegistration.objects.create(email="old@example.fi", password="x", token_digest="o" * 64)
    aged(PendingRegistration.objects.filter(email="old@example.fi"), "created_at", 8)
    aged(AccessAttempt.objects.all(), "attempt_time", 31)
    walk_in = VerifiedResidentFactory(email=None, district=helsinki["eastern"])
    aged(User.objects.filter(pk=walk_in.pk), "date_joined", 181)
    fresh_walk_in = VerifiedResidentFactory(email=None, district=helsinki["eastern"])
    # identity: an earlier identification, three years old
    IdentityVerification.objects.create(
        user=resident, method="in_person", verified_at=now, document_type="passport"
    )
    old_check = IdentityVerification.objects.filter(user=resident, method="oidc")
    aged(old_check, "verified_at", 3 * 365 + 1)
    # budgeting: the round voted in ended over a year ago
    round = Participation.objects.get(voter=resident).round
    type(round).objects.filter(pk=round.pk).update(
        voting_starts_at=now - timedelta(days=400), voting_ends_at=now - timedelta(days=366)
    )
    # core: an expired session
    Session.objects.create(
        session_key="e" * 32, session_data="x", expire_date=now - timedelta(minutes=1)
    )
    # initiatives: an invitation 61 days old
    aged(Invitation.objects.all(), "invited_at", 61)
    # premises: a booking that ended over two years ago
    booking = Booking.objects.get(booker=resident)
    Booking.objects.filter(pk=booking.pk).update(
        begins_at=booking.begins_at - timedelta(days=730),
        ends_at=booking.ends_at - timedelta(days=730),
        occupied_from=booking.occupied_from - timedelta(days=730),
        occupied_until=booking.occupied_until - timedelta(days=730),
    )
    voters = Participation.objects.count()

    done = privacy.apply_retention()

    assert done == {
        "accounts.login_attempts": 1,
        "accounts.pending_registrations": 1,
        "accounts.service_point_people": 1,
        "budgeting.participations": voters,
        "core.sessions": 1,
        "identity.earlier_identifications": 1,
        "initiatives.invitations": 1,
        "premises.bookings": 1,
        # The world's records there are young (tests/core/test_retention_services.py).
        "coaches.appointments": 0,
        "coaches.event_signups": 0,
        "coaches.requests": 0,
        "feedback.contacts": 0,
        "volunteering.guardians": 0,
        "volunteering.signups": 0,
    }
    assert not User.objects.filter(pk=walk_in.pk).exists()
    assert User.objects.filter(pk=fresh_walk_in.pk).exists()
    assert Participation.objects.count() == voters
    assert not Participation.objects.filter(voter__isnull=False).exists()
    assert IdentityVerification.objects.filter(user=resident).count() == 1
    assert Booking.objects.get(pk=booking.pk).booker is None
    assert PendingRegistration.objects.filter(email=resident.email).exists()
    assert User.objects.filter(pk=resident.pk).exists()
    did_something = [rule for rule, count in done.items() if count]
    assert AuditEntry.objects.filter(action="privacy.retention").count() == len(did_something)

    # Idempotent: a second run finds nothing more.
    assert sum(apply_retention.call().values()) == 0
    did_something = [rule for rule, count in done.items() if count]
    assert AuditEntry.objects.filter(action="privacy.retention").count() == len(did_something)


def test_a_vote_in_a_round_not_yet_mixed_keeps_a_walk_in_person(helsinki, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    round = RoundFactory()
    RoundBudgetFactory(round=round, area=helsinki["eastern"])
    RoundBudgetFactory(round=round, area=helsinki["city"])
    plan = PlanFactory(round=round, area=helsinki["eastern"])
    walk_in = VerifiedResidentFactory(
        email=None, district=helsinki["eastern"], birth_date=datetime.date(1980, 1, 1)
    )
    cast_ballot(round=round, voter=walk_in, district=helsinki["eastern"], plan_ids=[plan.pk])
    aged(User.objects.filter(pk=walk_in.pk), "date_joined", 400)
    assert privacy.apply_retention()["accounts.service_point_people"] == 0
    close_and_mix(round)
    assert privacy.apply_retention()["accounts.service_point_people"] == 1


def test_the_worker_keeps_the_retention_job_queued_every_night(db):
    from osallistu.core import jobs
    from osallistu.core.models import Job

    jobs.schedule_daily()
    jobs.schedule_daily()
    (queued,) = Job.objects.filter(name="core.apply_retention", state=Job.State.QUEUED)
    due = timezone.localtime(queued.run_after)
    assert (due.hour, due.minute) == (3, 30)
    assert due > timezone.now()
