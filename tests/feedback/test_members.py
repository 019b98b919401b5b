"""Divisions' members: city administrators add a member of staff to a division with the
role of feedback handler of a district or the whole city, and remove them; the role and
staff status go through the accounts services."""

import pytest
from django.core.exceptions import PermissionDenied

from osallistu.accounts.models import StaffRole
from osallistu.core.models import AuditEntry
from osallistu.feedback import permissions, selectors, services
from osallistu.feedback.models import DivisionMember
from tests.factories import UserFactory, sign_in_past_second_factor
from tests.feedback.factories import FeedbackFactory

PAGE = "/fi/feedback/staff/members/"


def test_adding_a_member_makes_them_a_handler_of_the_district(
    city_admin, division, pothole, helsinki
):
    person = UserFactory(email="uusi@example.fi")
    services.add_member(
        added_by=city_admin, user=person, division=division, area=helsinki["central"]
    )
    person.refresh_from_db()
    assert person.is_staff
    assert person.roles.filter(role=StaffRole.Role.FEEDBACK, area=helsinki["central"]).exists()
    central = FeedbackFactory(service=pothole)
    eastern = FeedbackFactory(service=pothole, district=helsinki["eastern"])
    assert permissions.may_handle(person, central)
    assert not permissions.may_handle(person, eastern)
    assert AuditEntry.objects.filter(action="feedback.member_added").exists()


def test_removing_the_last_membership_takes_the_role_and_staff_status(
    city_admin, division, other_division
):
    person = UserFactory(email="uusi@example.fi")
    for each in (division, other_division):
        services.add_member(added_by=city_admin, user=person, division=each)
    first, second = DivisionMember.objects.filter(user=person)
    services.remove_member(removed_by=city_admin, member=first)
    assert person.roles.filter(role=StaffRole.Role.FEEDBACK).exists()  # still in the other
    services.remove_member(removed_by=city_admin, member=second)
    person.refresh_from_db()
    assert not person.roles.exists() and not person.is_staff


def test_a_role_without_membership_or_membership_without_role_reaches_nothing(
    city_admin, division, pothole
):
    feedback = FeedbackFactory(service=pothole)
    role_only = UserFactory(email="rooli@example.fi", is_staff=True)
    StaffRole.objects.create(user=role_only, role=StaffRole.Role.FEEDBACK)
    member_only = UserFactory(email="jasen@example.fi", is_staff=True)
    DivisionMember.objects.create(division=division, user=member_only)
    for person in (role_only, member_only):
        assert not permissions.may_handle(person, feedback)
        assert not permissions.reach(person).anything


def test_only_city_administrators_manage_members(handler, division):
    person = UserFactory(email="uusi@example.fi")
    with pytest.raises(PermissionDenied):
        services.add_member(added_by=handler, user=person, division=division)
    member = DivisionMember.objects.get(user=handler)
    with pytest.raises(PermissionDenied):
        services.remove_member(removed_by=handler, member=member)


def test_members_page(client, city_admin, handler, division, helsinki):
    sign_in_past_second_factor(client, handler)
    assert client.get(PAGE).status_code == 403
    sign_in_past_second_factor(client, city_admin)
    page = client.get(PAGE).content.decode()
    assert "kaisa.kasittelija@example.fi" in page
    unknown = client.post(PAGE, {"email": "ei@example.fi", "division": division.slug})
    assert unknown.status_code == 400 and 'id="id_email_error"' in unknown.content.decode()
    UserFactory(email="uusi.jasen@example.fi")
    added = client.post(
        PAGE, {"email": " Uusi.Jasen@example.fi", "division": division.slug, "area": "eastern"}
    )
    assert added.status_code == 302
    member = DivisionMember.objects.get(user__email="uusi.jasen@example.fi")
    assert member.user.roles.get(role=StaffRole.Role.FEEDBACK).area == helsinki["eastern"]
    client.post(f"/fi/feedback/staff/members/{member.pk}/remove/")
    assert not DivisionMember.objects.filter(pk=member.pk).exists()


def test_a_handler_of_a_division_without_categories_has_an_empty_desk(
    city_admin, other_division, pothole
):
    """The desk opens for a new division's handler before its categories are made; the
    queue then reaches nothing."""
    person = UserFactory(email="uusi@example.fi")
    services.add_member(added_by=city_admin, user=person, division=other_division)
    reach = permissions.reach(person)
    assert reach.anything and permissions.may_use_feedback_desk(person)
    FeedbackFactory(service=pothole)
    assert not permissions.may_handle(person, FeedbackFactory(service=pothole))
    assert not selectors.staff_queue(person, reach=reach, status="all").exists()
