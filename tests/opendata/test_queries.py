"""The busiest lists ask the database the same number of questions whatever the page
size: one for the count, one for the page, one per link and one per link of what
include= expands, never one per object (bench/opendata.py measures them at 100,000)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from osallistu.budgeting.models import ProposalComment
from osallistu.coaches.models import CoachKind
from osallistu.premises.models import Booking, BookingState
from osallistu.volunteering.models import Language, Theme
from tests.coaches.factories import PlaceFactory, make_coach
from tests.feedback.factories import PublicFeedbackFactory
from tests.volunteering.factories import OpportunityFactory, ShiftFactory

pytestmark = pytest.mark.django_db

BUSY_LISTS = [
    ("/api/v1/budgeting/proposals/", "round,area,plan"),
    ("/api/v1/budgeting/proposal-comments/", "proposal"),
    ("/api/v1/budgeting/plans/", "round,area"),
    ("/api/v1/feedback/feedback/", "service,district"),
    ("/api/v1/feedback/events/", "feedback"),
    ("/api/v1/coaches/coaches/", ""),
    ("/api/v1/coaches/events/", "place,district"),
    ("/api/v1/volunteering/opportunities/", "themes"),
    ("/api/v1/volunteering/shifts/", ""),
    ("/api/v1/initiatives/initiatives/", ""),
    ("/api/v1/premises/busy-times/", ""),
]


def copy(obj, **changes):
    """Another object like ``obj`` (a second row of its list), with ``changes``."""
    obj.pk = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


@pytest.fixture
def more(world, helsinki):
    """Two more public objects of each busy list, linked to other objects than the first."""
    for number, district in enumerate((helsinki["central"], helsinki["southern"])):
        copy(world["proposal"], area=district, title=f"Benches in {district.slug}")
        copy(world["funded"], area=district, code=f"I-9{number}")
        ProposalComment.objects.create(proposal=world["combined"], text="Me too")
        PublicFeedbackFactory(service=world["public_feedback"].service, district=district)
        make_coach(None, kind=CoachKind.BUSINESS, slug=f"business-{district.slug}")
        copy(world["coach_event"], district=district, place=PlaceFactory(district=district))
        opportunity = OpportunityFactory(organiser=world["organiser"], district=district)
        opportunity.themes.add(Theme.objects.last())
        opportunity.languages.add(Language.objects.last())
        ShiftFactory(opportunity=world["opportunity"])
        copy(world["initiative"], title=f"Light the beach of {district.slug}")
        booking = Booking.objects.filter(state=BookingState.CONFIRMED).last()
        later = datetime.timedelta(days=1)
        copy(
            booking,
            begins_at=booking.begins_at + later,
            ends_at=booking.ends_at + later,
            occupied_from=booking.occupied_from + later,
            occupied_until=booking.occupied_until + later,
        )
    return world


def queries(client, path, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, query)
    assert response.status_code == 200, response.content
    return len(captured), response.json()["data"]


@pytest.mark.parametrize(("path", "include"), BUSY_LISTS)
def test_queries_are_the_same_at_every_page_size(client, more, path, include):
    query = {"include": include} if include else {}
    # Two objects link to every kind of object the list links to; the page of 100 has
    # more objects than that.
    few, _first = queries(client, path, page_size=2, **query)
    many, page = queries(client, path, page_size=100, **query)
    assert len(page) > 2
    assert many == few
