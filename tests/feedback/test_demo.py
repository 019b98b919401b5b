"""The demo feedback: about 2,000 pieces over two years in every district and category,
realistic handling times, the tour's feedback, and a second run that changes nothing."""

import datetime
import statistics
from collections import Counter

import pytest
from django.utils import timezone

from osallistu.demo.feedback import build_feedback
from osallistu.demo.people import build_people
from osallistu.feedback import permissions, selectors
from osallistu.feedback.models import (
    EventKind,
    Feedback,
    FeedbackEvent,
    Moderation,
    ServiceCategory,
    Status,
)

pytestmark = pytest.mark.django_db


def test_demo_feedback(helsinki):
    today = datetime.date.today()
    build_people(today=today)
    summary, staff = build_feedback(today)
    assert build_feedback(today)[0] == summary  # a second run changes nothing

    feedback = Feedback.objects.all()
    assert 1900 <= feedback.count() <= 2100
    oldest = feedback.order_by("requested_at").first().requested_at
    assert timezone.now() - oldest > datetime.timedelta(days=700)
    assert {item.district.slug for item in feedback.select_related("district")} == {
        key for key in helsinki if key != "city"
    }
    by_category = Counter(feedback.values_list("service__code", flat=True))
    assert set(by_category) == set(ServiceCategory.objects.values_list("code", flat=True))
    urban = feedback.filter(service__division__slug="urban-environment").count()
    assert 0.7 < urban / feedback.count() < 0.9
    # Snow only in winter.
    months = {
        item.month
        for item in feedback.filter(service__code="174").values_list("requested_at", flat=True)
    }
    assert months <= {10, 11, 12, 1, 2, 3, 4}

    moderation = Counter(feedback.values_list("moderation", flat=True))
    assert moderation[Moderation.PUBLIC] > 0.9 * feedback.count()
    assert moderation[Moderation.HIDDEN] > 20 and moderation[Moderation.UNMODERATED] > 0
    status = Counter(feedback.values_list("status", flat=True))
    assert status[Status.DONE] > 0.8 * feedback.count()
    assert all(status[s] > 0 for s in Status.values)
    duplicates = feedback.filter(status=Status.DUPLICATE)
    assert all(item.duplicate_of.status != Status.DUPLICATE for item in duplicates)
    assert feedback.overdue().exists()

    # Handling times per category around their medians: snow fast, older people's slow.
    medians = {
        row.service.code: row.median_seconds / 86400 for row in selectors.service_statistics()
    }
    assert medians["174"] < 3 < medians["360"]
    assert 2 < statistics.median(medians.values()) < 8

    # Every feedback has its history from the moment it was sent.
    first_events = FeedbackEvent.objects.filter(kind=EventKind.SUBMITTED)
    assert first_events.count() == feedback.count()

    # The tour: Aino can reopen her street light; staff reach what they should.
    lamp = feedback.get(author__email="aino.virtanen@example.fi", status=Status.DONE)
    assert lamp.closed_at > timezone.now() - datetime.timedelta(days=30)
    assert feedback.filter(
        author__email="aino.virtanen@example.fi", moderation=Moderation.UNMODERATED
    ).exists()
    eastern_staff = next(
        user for user in staff if user.email == "palaute.itainen@osallistu.example"
    )
    assert not permissions.may_handle(eastern_staff, lamp)
    assert permissions.may_handle(staff[0], lamp)
