"""The demo volunteering: thirty organisers, 150 opportunities, a season of shifts whose
counts of taken places agree with their sign-ups, confirmed hours, talkoot waiting, and
a second run that changes nothing."""

import datetime

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from osallistu.demo.people import build_people
from osallistu.demo.volunteering import build_volunteering
from osallistu.volunteering import selectors
from osallistu.volunteering.models import Opportunity, Organiser, Shift, SignUp, Talkoot

pytestmark = pytest.mark.django_db


def test_demo_volunteering(helsinki):
    today = datetime.date.today()
    build_people(today=today)
    summary = build_volunteering(today)
    assert summary == build_volunteering(today)

    assert Organiser.objects.count() == 30
    assert Organiser.objects.filter(status=Organiser.Status.PENDING).count() == 3
    assert Opportunity.objects.count() == 150
    assert Opportunity.objects.public().count() >= 130
    now = timezone.now()
    assert Shift.objects.filter(starts_at__lt=now).exists()
    assert Shift.objects.filter(starts_at__gt=now).exists()
    mismatched = Shift.objects.annotate(
        holding=Count("signups", filter=Q(signups__status__in=["confirmed", "awaiting_guardian"]))
    ).exclude(taken=F("holding"))
    assert not mismatched.exists()
    assert SignUp.objects.filter(attendance="attended", hours__gt=0).count() > 500
    assert SignUp.objects.filter(status="waiting").exists()
    assert SignUp.objects.filter(age__lt=18, status="confirmed").exists()
    assert Talkoot.objects.filter(status=Talkoot.Status.WAITING).count() >= 3
    assert (
        Organiser.objects.get(slug="kallion-kumppanit-ry")
        .members.filter(email="aino.virtanen@example.fi")
        .exists()
    )
    found = selectors.search(now=now, under_18=True, district=helsinki["eastern"])
    assert found.total > 0 and any(result.places_left for result in found.results)
    figures = selectors.figures(first_day=today - datetime.timedelta(days=70), last_day=today)
    assert figures.hours > 0 and len(figures.by_district) >= 7
