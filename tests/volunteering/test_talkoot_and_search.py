"""Residents' talkoot under the park clean-up service's rules, staff decisions on
them, the search and its constant number of queries, and figures for monitoring."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import AgeGroup
from osallistu.volunteering import selectors, services
from osallistu.volunteering.models import Talkoot, Theme
from osallistu.volunteering.services import VolunteeringError
from tests.factories import StaffRoleFactory, UserFactory
from tests.volunteering.conftest import adult, teen
from tests.volunteering.factories import (
    MemberFactory,
    OpportunityFactory,
    ShiftFactory,
    TalkootFactory,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def propose(district, first, last=None, **kwargs):
    return services.propose_talkoot(
        proposer=kwargs.pop("proposer", None) or UserFactory(),
        title="Rantasiivous",
        description="Kerätään roskat rannalta.",
        district=district,
        place_text="Aurinkolahden ranta",
        starts_on=first,
        ends_on=last or first,
        expected_participants=12,
        equipment=["gloves", "bags"],
        **kwargs,
    )


def code(function, *args, **kwargs):
    with pytest.raises(VolunteeringError) as caught:
        function(*args, **kwargs)
    return caught.value.code


@pytest.mark.parametrize(
    ("first", "length", "expected"),
    [
        (5, 1, "too_soon"),
        (6, 1, None),
        (90, 1, None),
        (91, 1, "too_far"),
        (10, 7, None),
        (10, 8, "too_long"),
    ],
)
def test_talkoot_dates(helsinki, first, length, expected):
    starts = today() + datetime.timedelta(days=first)
    ends = starts + datetime.timedelta(days=length - 1)
    if expected is None:
        assert propose(helsinki["eastern"], starts, ends).status == Talkoot.Status.WAITING
    else:
        assert code(propose, helsinki["eastern"], starts, ends) == expected


def test_at_most_three_a_day_in_a_district(helsinki, settings):
    day = today() + datetime.timedelta(days=20)
    for _ in range(3):
        propose(helsinki["eastern"], day)
    assert code(propose, helsinki["eastern"], day - datetime.timedelta(days=1), day) == (
        "district_day_full"
    )
    propose(helsinki["central"], day)  # another district
    propose(helsinki["eastern"], day + datetime.timedelta(days=1))
    # A refused or cancelled one frees its day.
    TalkootFactory(
        district=helsinki["southern"], starts_on=day, status="refused", decision_reason="x"
    )
    for _ in range(3):
        propose(helsinki["southern"], day)
    settings.VOLUNTEERING_TALKOOT_PER_DISTRICT_PER_DAY = 4
    propose(helsinki["southern"], day)


def test_staff_decide_with_a_reason(helsinki):
    talkoot = propose(helsinki["eastern"], today() + datetime.timedelta(days=10))
    moderator = StaffRoleFactory(
        role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["eastern"]
    ).user
    outsider = StaffRoleFactory(
        role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["central"]
    ).user
    assert code(services.approve_talkoot, talkoot=talkoot, staff=outsider) == "not_allowed"
    assert code(services.refuse_talkoot, talkoot=talkoot, staff=moderator, reason=" ") == (
        "reason_required"
    )
    services.refuse_talkoot(talkoot=talkoot, staff=moderator, reason="Alue on pesimärauhassa.")
    talkoot.refresh_from_db()
    assert talkoot.status == Talkoot.Status.REFUSED and talkoot.decided_by == moderator
    assert code(services.approve_talkoot, talkoot=talkoot, staff=moderator) == "already_decided"


def test_approval_checks_the_day_again(helsinki, settings):
    day = today() + datetime.timedelta(days=10)
    first = propose(helsinki["eastern"], day)
    settings.VOLUNTEERING_TALKOOT_PER_DISTRICT_PER_DAY = 1
    TalkootFactory(district=helsinki["eastern"], starts_on=day, status="approved")
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    assert code(services.approve_talkoot, talkoot=first, staff=admin) == "district_day_full"


def test_talkoot_form_shows_the_rule_next_to_the_field(helsinki):
    client = Client()
    client.force_login(UserFactory())
    response = client.post(
        "/en/volunteering/talkoot/new/",
        {
            "title": "Spring clean",
            "description": "Raking",
            "district": helsinki["central"].pk,
            "place_text": "Karhupuisto",
            "starts_on": (today() + datetime.timedelta(days=2)).isoformat(),
            "ends_on": (today() + datetime.timedelta(days=2)).isoformat(),
            "expected_participants": "5",
        },
    )
    assert response.status_code == 200
    assert "starts_on" in response.context["form"].errors
    assert not Talkoot.objects.exists()


# ---------------------------------------------------------------------------- search


def test_search_filters_and_places_left(helsinki):
    nature = Theme.objects.get(slug="nature")
    youth = OpportunityFactory(
        under_18_allowed=True, youth_min_age=13, district=helsinki["eastern"]
    )
    youth.themes.add(nature)
    adults = OpportunityFactory(district=helsinki["eastern"])
    elsewhere = OpportunityFactory(district=helsinki["central"], accessible=True)
    first = ShiftFactory(opportunity=youth, capacity=5)
    ShiftFactory(
        opportunity=youth, capacity=2, starts_at=first.starts_at + datetime.timedelta(days=1)
    )
    ShiftFactory(opportunity=adults)
    ShiftFactory(opportunity=elsewhere)
    ShiftFactory(opportunity=OpportunityFactory(status="draft"))
    services.sign_up(shift=first, volunteer=adult(), name="A")
    now = timezone.now()

    def ids(**kwargs):
        return [r.opportunity.pk for r in selectors.search(now=now, **kwargs).results]

    assert set(ids()) == {youth.pk, adults.pk, elsewhere.pk}
    assert set(ids(district=helsinki["eastern"])) == {youth.pk, adults.pk}
    assert ids(district=helsinki["eastern"], under_18=True) == [youth.pk]
    assert ids(age=12) == [] and ids(age=13) == [youth.pk]
    assert ids(themes=[nature]) == [youth.pk]
    assert ids(accessible=True) == [elsewhere.pk]
    found = selectors.search(now=now, district=helsinki["eastern"], under_18=True)
    assert found.results[0].places_left == 6 and found.results[0].shifts == 2
    later = first.starts_at.date() + datetime.timedelta(days=1)
    assert selectors.search(now=now, under_18=True, date_from=later).results[0].places_left == 2


def test_near_me_orders_by_distance(helsinki):
    near = OpportunityFactory(latitude=Decimal("60.2100"), longitude=Decimal("25.0800"))
    far = OpportunityFactory(latitude=Decimal("60.2300"), longitude=Decimal("25.1000"))
    OpportunityFactory(latitude=Decimal("60.1600"), longitude=Decimal("24.9400"))  # out of reach
    for opportunity in (near, far):
        ShiftFactory(opportunity=opportunity)
    found = selectors.search(now=timezone.now(), near=(60.2095, 25.0795), radius_km=5)
    assert [r.opportunity.pk for r in found.results] == [near.pk, far.pk]
    assert found.results[0].distance_km < 0.2 < found.results[1].distance_km < 5


def test_search_page_queries_do_not_grow(helsinki, client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/fi/volunteering/?district={helsinki['eastern'].pk}")
        assert response.status_code == 200
        return len(queries)

    for _ in range(2):
        ShiftFactory(opportunity=OpportunityFactory(district=helsinki["eastern"]))
    few = count_queries()
    for _ in range(15):
        opportunity = OpportunityFactory(district=helsinki["eastern"])
        opportunity.themes.add(Theme.objects.first())
        ShiftFactory(opportunity=opportunity)
    assert count_queries() == few


def test_search_form_errors_are_shown_not_500(helsinki, client):
    response = client.get("/fi/volunteering/?date_from=2031-13-40&latitude=abc&age=-3")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date_from", "latitude", "age"}
    # Numbers past what the database holds are refused by the form, not the database.
    huge = "99999999999999999999999"
    response = client.get(f"/fi/volunteering/?theme={huge}&latitude=1e999&longitude=1")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"theme", "latitude"}


# ---------------------------------------------------------------------------- figures


def test_figures_by_district_theme_age_and_organiser(helsinki):
    nature = Theme.objects.get(slug="nature")
    opportunity = OpportunityFactory(under_18_allowed=True, youth_min_age=13)
    opportunity.themes.add(nature)
    shift = ShiftFactory(opportunity=opportunity, capacity=5)
    member = MemberFactory(organiser=opportunity.organiser).user
    grown = services.sign_up(shift=shift, volunteer=adult(), name="A")
    young = services.sign_up(
        shift=shift, volunteer=teen(15), name="T", guardian_name="G", guardian_email="g@example.fi"
    )
    # The guardian consents (the link's own path is tested in test_signups).
    young.guardian_confirmed_at = timezone.now()
    young.status = "confirmed"
    young.save()
    services.record_attendance(
        shift=shift,
        member=member,
        entries={grown: ("attended", Decimal(3)), young: ("attended", Decimal(2))},
        now=shift.starts_at + datetime.timedelta(hours=1),
    )
    day = timezone.localtime(shift.starts_at).date()
    figures = selectors.figures(first_day=day, last_day=day)
    assert (figures.volunteers, figures.shifts, figures.hours) == (2, 1, Decimal(5))
    assert figures.by_district[0].key == helsinki["central"]
    assert figures.by_theme[0].key == nature and figures.by_theme[0].hours == Decimal(5)
    groups = {row.key: row for row in figures.by_age_group}
    assert list(groups) == AgeGroup.known()
    assert groups[AgeGroup.UNDER_18].volunteers == 1
    assert groups[AgeGroup.UNDER_18].hours == Decimal(2)
    assert groups[AgeGroup.ADULT].hours == Decimal(3)  # born 1990
    assert figures.by_organiser[0].key == opportunity.organiser


def test_search_reads_shifts_in_time_order_and_says_when_there_is_more(helsinki, monkeypatch):
    soon = datetime.timedelta(days=2)
    opportunities = [OpportunityFactory() for _ in range(3)]
    for index, opportunity in enumerate(opportunities):
        for repeat in range(2):
            ShiftFactory(
                opportunity=opportunity,
                starts_at=timezone.now() + soon + datetime.timedelta(hours=index + 10 * repeat),
            )
    now = timezone.now()
    found = selectors.search(now=now)
    assert (found.total, found.more) == (3, False)
    assert [r.opportunity for r in found.results] == opportunities
    assert [r.shifts for r in found.results] == [2, 2, 2]
    monkeypatch.setattr(selectors, "SCAN_SHIFTS", 2)
    monkeypatch.setattr(selectors, "SCAN_PER_RESULT", 0)
    found = selectors.search(now=now)
    assert (found.total, found.more) == (2, True)
    assert [r.opportunity for r in found.results] == opportunities[:2]


def test_staff_pages_decide_talkoot_and_show_figures(helsinki):
    from tests.factories import sign_in_past_second_factor

    talkoot = propose(
        helsinki["eastern"],
        today() + datetime.timedelta(days=9),
        latitude=Decimal("60.2060"),
        longitude=Decimal("25.1400"),
    )
    moderator = StaffRoleFactory(
        role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["eastern"]
    ).user
    client = sign_in_past_second_factor(Client(), moderator)
    home = client.get("/fi/volunteering/staff/")
    assert home.status_code == 200 and "Rantasiivous" in home.content.decode()
    assert client.get("/fi/volunteering/staff/figures/").status_code == 403
    client.post(f"/fi/volunteering/staff/talkoot/{talkoot.pk}/", {"action": "approve"})
    talkoot.refresh_from_db()
    assert talkoot.status == Talkoot.Status.APPROVED and talkoot.decided_by == moderator
    assert "Rantasiivous" in Client().get("/fi/volunteering/talkoot/").content.decode()
    shown = Client().get(f"/fi/volunteering/talkoot/{talkoot.pk}/").content.decode()
    assert 'class="place-map"' in shown

    reporter = StaffRoleFactory(role=StaffRole.Role.REPORTER).user
    reporting = sign_in_past_second_factor(Client(), reporter)
    ShiftFactory()
    page = reporting.get("/fi/volunteering/staff/figures/")
    assert page.status_code == 200 and "Suurpiireittäin" in page.content.decode()
    bad = reporting.get("/fi/volunteering/staff/figures/?first_day=2031-02-30&last_day=x")
    assert bad.status_code == 200 and bad.context["figures"] is None
    assert reporting.get(f"/fi/volunteering/staff/talkoot/{talkoot.pk}/").status_code == 404


def test_shift_calendar_file_is_public_and_names_nobody(helsinki):
    shift = ShiftFactory()
    services.sign_up(shift=shift, volunteer=adult(full_name="Salainen Nimi"), name="Salainen")
    response = Client().get(f"/en/volunteering/shifts/{shift.pk}/shift.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"SUMMARY:{shift.opportunity.title_en}" in body and "Salainen" not in body
    draft = ShiftFactory(opportunity=OpportunityFactory(status="draft"))
    assert Client().get(f"/en/volunteering/shifts/{draft.pk}/shift.ics").status_code == 404
