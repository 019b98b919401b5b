"""Organisers: registration, verification by staff, members who touch only their own
organiser's opportunities, publishing, hours confirmed after a shift, messages, and the
certificate of confirmed hours."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from osallistu.volunteering import permissions, services
from osallistu.volunteering.models import Opportunity, Organiser, SignUp
from osallistu.volunteering.services import VolunteeringError
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor
from tests.volunteering.conftest import adult
from tests.volunteering.factories import (
    MemberFactory,
    OpportunityFactory,
    OrganiserFactory,
    ShiftFactory,
)

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def staff(role, area=None):
    return StaffRoleFactory(role=role, area=area).user


def code_of(function, **kwargs):
    with pytest.raises(VolunteeringError) as caught:
        function(**kwargs)
    return caught.value.code


# ---------------------------------------------------------------------------- verification


def test_registered_organiser_waits_and_cannot_publish(helsinki):
    user = UserFactory()
    organiser = services.register_organiser(
        user=user, name="Kallion Kumppanit ry", kind="association", email="Info@Kallio.fi"
    )
    assert organiser.status == Organiser.Status.PENDING and organiser.email == "info@kallio.fi"
    assert permissions.may_manage_organiser(user, organiser)
    opportunity = services.save_opportunity(
        organiser=organiser,
        member=user,
        fields={
            "title_fi": "Lukukaveri",
            "description_fi": "Luetaan lasten kanssa.",
            "kind": "ongoing",
            "contact_name": "A",
            "contact_email": "a@example.fi",
        },
    )
    assert code_of(services.publish_opportunity, opportunity=opportunity, member=user) == (
        "organiser_not_verified"
    )
    admin = staff(Role.CITY_ADMIN)
    services.verify_organiser(organiser=organiser, staff=admin, note=" Tervetuloa! ")
    organiser.refresh_from_db()
    assert organiser.status_reason == "Tervetuloa!"  # the note its members see
    services.publish_opportunity(opportunity=opportunity, member=user)
    assert Opportunity.objects.public().filter(pk=opportunity.pk).exists()
    # Refusing later hides everything it published.
    services.refuse_organiser(organiser=organiser, staff=admin, reason="Ei toimintaa")
    assert not Opportunity.objects.public().filter(pk=opportunity.pk).exists()
    assert AuditEntry.objects.filter(action="volunteering.organiser_refused").exists()


def test_who_verifies_organisers_and_decides_on_talkoot(helsinki):
    central, eastern = helsinki["central"], helsinki["eastern"]
    local = OrganiserFactory(status="pending", district=central)
    citywide = OrganiserFactory(status="pending", district=None)
    admin = staff(Role.CITY_ADMIN)
    coach = staff(Role.CITY_COACH, central)
    moderator = staff(Role.DISTRICT_MODERATOR, central)
    eastern_coach = staff(Role.CITY_COACH, eastern)
    others = [
        staff(Role.PREMISES_MANAGER),
        staff(Role.REPORTER),
        staff(Role.SERVICE_POINT),
        staff(Role.REGISTRY),
    ]

    assert permissions.may_verify(admin, local) and permissions.may_verify(admin, citywide)
    assert permissions.may_verify(coach, local) and not permissions.may_verify(coach, citywide)
    assert not permissions.may_verify(eastern_coach, local)
    assert not permissions.may_verify(moderator, local)
    for person in others:
        assert not permissions.may_verify(person, local)
        assert not permissions.may_decide_talkoot(person, central)
    assert permissions.may_decide_talkoot(moderator, central)
    assert not permissions.may_decide_talkoot(moderator, eastern)
    assert permissions.may_decide_talkoot(coach, central)
    assert permissions.may_see_figures(others[1]) and not permissions.may_see_figures(coach)
    # The services refuse too.
    assert code_of(services.verify_organiser, organiser=local, staff=eastern_coach) == "not_allowed"
    assert code_of(services.verify_organiser, organiser=citywide, staff=coach) == "not_allowed"
    services.verify_organiser(organiser=local, staff=coach)


def test_staff_pages_need_the_second_factor_and_a_role(helsinki):
    organiser = OrganiserFactory(status="pending", district=helsinki["central"])
    url = f"/fi/volunteering/staff/organisers/{organiser.pk}/"
    coach = staff(Role.CITY_COACH, helsinki["central"])
    client = Client()
    client.force_login(coach)
    assert client.get(url).status_code == 302  # to the second factor
    sign_in_past_second_factor(client, coach)
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "refuse", "reason": ""})
    assert response.status_code == 200  # the reason is required
    organiser.refresh_from_db()
    assert organiser.status == Organiser.Status.PENDING
    client.post(url, {"action": "approve", "reason": ""})
    organiser.refresh_from_db()
    assert organiser.status == Organiser.Status.VERIFIED and organiser.decided_by == coach

    other = Client()
    sign_in_past_second_factor(other, staff(Role.CITY_COACH, helsinki["eastern"]))
    assert other.get(url).status_code == 404
    manager = Client()
    sign_in_past_second_factor(manager, staff(Role.PREMISES_MANAGER))
    assert manager.get("/fi/volunteering/staff/").status_code == 403
    resident = Client()
    resident.force_login(UserFactory())
    assert resident.get("/fi/volunteering/staff/").status_code == 403


# ---------------------------------------------------------------------------- members


def test_a_member_touches_only_their_own_organisers_opportunities(helsinki):
    mine = MemberFactory()
    theirs = ShiftFactory()
    member = mine.user
    assert (
        code_of(
            services.save_opportunity,
            organiser=theirs.opportunity.organiser,
            member=member,
            fields={"title_fi": "x"},
        )
        == "not_allowed"
    )
    assert (
        code_of(
            services.save_opportunity,
            organiser=mine.organiser,
            member=member,
            opportunity=theirs.opportunity,
            fields={"title_fi": "x"},
        )
        == "not_allowed"
    )
    for function, kwargs in [
        (services.publish_opportunity, {"opportunity": theirs.opportunity}),
        (services.close_opportunity, {"opportunity": theirs.opportunity}),
        (services.cancel_shift, {"shift": theirs, "reason": "x"}),
        (services.message_shift, {"shift": theirs, "subject": "s", "body": "b"}),
        (services.record_attendance, {"shift": theirs, "entries": {}}),
        (
            services.add_shift,
            {
                "opportunity": theirs.opportunity,
                "starts_at": theirs.starts_at,
                "ends_at": theirs.ends_at,
                "capacity": 3,
            },
        ),
    ]:
        assert code_of(function, member=member, **kwargs) == "not_allowed", function
    signup = services.sign_up(shift=theirs, volunteer=adult(), name="V")
    assert code_of(services.remove_signup, signup=signup, member=member, reason="x") == (
        "not_allowed"
    )
    # Their pages answer 404.
    client = Client()
    client.force_login(member)
    for url in [
        f"/fi/volunteering/manage/{theirs.opportunity.organiser.slug}/",
        f"/fi/volunteering/manage/opportunities/{theirs.opportunity.pk}/",
        f"/fi/volunteering/manage/opportunities/{theirs.opportunity.pk}/edit/",
        f"/fi/volunteering/manage/shifts/{theirs.pk}/",
        f"/fi/volunteering/manage/shifts/{theirs.pk}/message/",
        f"/fi/volunteering/manage/sign-ups/{signup.pk}/remove/",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/fi/volunteering/manage/{mine.organiser.slug}/").status_code == 200


def test_invitation_makes_a_member_once(helsinki):
    membership = MemberFactory()
    services.invite_member(
        organiser=membership.organiser, member=membership.user, email="New@Example.fi"
    )
    jobs.run_pending()
    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == ["new@example.fi"]
    token = invitation_mail.body.split("/volunteering/invitations/")[1].split("/")[0]
    newcomer = UserFactory()
    assert services.accept_invitation(token=token, user=newcomer) == membership.organiser
    assert permissions.may_manage_organiser(newcomer, membership.organiser)
    assert code_of(services.accept_invitation, token=token, user=UserFactory()) == "used"
    services.remove_member(organiser=membership.organiser, member=newcomer, user=membership.user)
    assert (
        code_of(
            services.remove_member, organiser=membership.organiser, member=newcomer, user=newcomer
        )
        == "last_member"
    )


def test_expired_invitation(helsinki):
    membership = MemberFactory()
    services.invite_member(
        organiser=membership.organiser,
        member=membership.user,
        email="late@example.fi",
        now=timezone.now() - datetime.timedelta(days=15),
    )
    jobs.run_pending()
    token = mail.outbox[-1].body.split("/volunteering/invitations/")[1].split("/")[0]
    assert code_of(services.accept_invitation, token=token, user=UserFactory()) == "expired"


def test_opportunity_form_keeps_bad_input_with_errors(helsinki):
    membership = MemberFactory()
    client = Client()
    client.force_login(membership.user)
    url = f"/fi/volunteering/manage/{membership.organiser.slug}/opportunities/new/"
    response = client.post(
        url,
        {
            "title_sv": "Läsvän",
            "kind": "ongoing",
            "under_18_allowed": "on",
            "latitude": "70,1",
            "longitude": "24,9",
            "contact_name": "A",
            "contact_email": "a@example.fi",
            "cancel_hours_before": "24",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"description_fi", "youth_min_age", "latitude"}
    assert 'value="Läsvän"' in response.content.decode()
    assert not Opportunity.objects.filter(organiser=membership.organiser).exists()
    huge = client.post(url, {"themes": ["99999999999999999999999"], "longitude": "-1e999"})
    assert huge.status_code == 200
    assert {"themes", "longitude"} <= set(huge.context["form"].errors)


# ---------------------------------------------------------------------------- hours


def started(shift):
    return shift.starts_at + datetime.timedelta(minutes=5)


def test_hours_confirmed_after_the_shift_count_on_the_certificate(helsinki):
    shift = ShiftFactory()
    member = MemberFactory(organiser=shift.opportunity.organiser).user
    came = services.sign_up(shift=shift, volunteer=adult(full_name="Aino Ässä"), name="Aino")
    absent = services.sign_up(shift=shift, volunteer=adult(), name="Ben")
    assert (
        code_of(
            services.record_attendance,
            shift=shift,
            member=member,
            entries={came: ("attended", Decimal(3))},
        )
        == "not_yet"
    )
    assert (
        code_of(
            services.record_attendance,
            shift=shift,
            member=member,
            entries={came: ("attended", None)},
            now=started(shift),
        )
        == "invalid_hours"
    )
    services.record_attendance(
        shift=shift,
        member=member,
        entries={came: ("attended", Decimal("2.5")), absent: ("absent", None)},
        now=started(shift),
    )
    came.refresh_from_db()
    absent.refresh_from_db()
    assert came.hours == Decimal("2.5") and came.attendance_by == member
    assert absent.attendance == SignUp.Attendance.ABSENT and absent.hours is None

    other = ShiftFactory(opportunity=shift.opportunity)
    elsewhere = services.sign_up(shift=other, volunteer=adult(), name="C")
    assert (
        code_of(
            services.record_attendance,
            shift=shift,
            member=member,
            entries={elsewhere: ("attended", Decimal(1))},
            now=started(shift),
        )
        == "not_allowed"
    )

    client = Client()
    client.force_login(came.volunteer)
    for language, words in [
        ("fi", b"Vapaaehtoistodistus"),
        ("sv", b"Intyg"),
        ("en", b"Certificate"),
    ]:
        response = client.get(f"/{language}/volunteering/my/certificate.pdf")
        assert response["Content-Type"] == "application/pdf"
        content = response.content
        assert content.startswith(b"%PDF")
        assert words in _pdf_text(content), language

    # What the certificate says, in each language: the name, the task's title in that
    # language, and the hours written as that language writes them.
    from django.utils import translation

    from osallistu.volunteering import certificates, selectors

    rows = selectors.confirmed_hours_of(came.volunteer)
    opportunity = shift.opportunity
    for language, title, summary in [
        ("fi", opportunity.title_fi, "Aino Ässä on tehnyt vapaaehtoistyötä 1 vuorossa"),
        ("sv", opportunity.title_sv, "Aino Ässä har arbetat frivilligt under 1 pass"),
        ("en", opportunity.title_en, "Aino Ässä has volunteered on 1 shift, as its"),
    ]:
        with translation.override(language):
            said = certificates.certificate_content(came.volunteer, rows, now=started(shift))
        assert said.summary.startswith(summary), said.summary
        assert said.summary.endswith({"en": ": 2.5."}.get(language, ": 2,5.")), said.summary
        assert [row[1:] for row in said.rows] == [
            [title, opportunity.organiser.name, said.total[3]]
        ]


def _pdf_text(content):
    """The title of a PDF from its metadata (the body's text is compressed)."""
    import re

    found = re.search(rb"/Title \((.*?)\)", content)
    return found[1] if found else b""


def test_a_place_waiting_for_consent_gets_no_hours(helsinki):
    from tests.volunteering.conftest import teen

    shift = ShiftFactory(opportunity=OpportunityFactory(under_18_allowed=True, youth_min_age=13))
    member = MemberFactory(organiser=shift.opportunity.organiser).user
    young = services.sign_up(
        shift=shift, volunteer=teen(15), name="T", guardian_name="G", guardian_email="g@example.fi"
    )
    assert (
        code_of(
            services.record_attendance,
            shift=shift,
            member=member,
            entries={young: ("attended", Decimal(2))},
            now=started(shift),
        )
        == "not_confirmed"
    )


def test_message_to_a_shift_reaches_those_with_places(helsinki):
    shift = ShiftFactory(capacity=1)
    member = MemberFactory(organiser=shift.opportunity.organiser).user
    holder = services.sign_up(shift=shift, volunteer=adult(preferred_language="en"), name="H")
    services.sign_up(shift=shift, volunteer=adult(), name="W")
    mail.outbox.clear()
    jobs.run_pending()
    mail.outbox.clear()
    message = services.message_shift(
        shift=shift, member=member, subject="Sadevaatteet", body="Ota sadevaatteet mukaan."
    )
    assert message.recipients == 1
    jobs.run_pending()
    assert [m.to for m in mail.outbox] == [[holder.volunteer.email]]
    assert "Ota sadevaatteet mukaan." in mail.outbox[0].body
    assert mail.outbox[0].body.startswith("A message from")


def test_cancelling_a_shift_tells_everyone(helsinki):
    shift = ShiftFactory(capacity=1)
    member = MemberFactory(organiser=shift.opportunity.organiser).user
    services.sign_up(shift=shift, volunteer=adult(), name="H")
    services.sign_up(shift=shift, volunteer=adult(), name="W")
    services.cancel_shift(shift=shift, member=member, reason="Myrskyvaroitus")
    shift.refresh_from_db()
    assert shift.taken == 0
    assert set(shift.signups.values_list("status", flat=True)) == {SignUp.Status.CANCELLED}
    mail.outbox.clear()
    jobs.run_pending()
    assert sum("Myrskyvaroitus" in m.body for m in mail.outbox) == 2


def calendar_of(message):
    """The (SEQUENCE, STATUS, DTSTART) of the .ics attached to ``message``."""
    from icalendar import Calendar

    event = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]
    return event["SEQUENCE"], str(event["STATUS"]), event.decoded("DTSTART")


def test_moving_and_cancelling_a_shift_updates_everyones_calendar(helsinki):
    from osallistu.volunteering import tasks

    shift = ShiftFactory()
    member = MemberFactory(organiser=shift.opportunity.organiser).user
    volunteer = adult(preferred_language="en")
    services.sign_up(shift=shift, volunteer=volunteer, name="Vera")
    later = (shift.starts_at + datetime.timedelta(days=1)).replace(microsecond=0)
    services.update_shift(
        shift=shift,
        member=member,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=2),
        capacity=shift.capacity,
    )
    reminder = tasks.remind_shift.jobs().get(payload__shift=shift.pk)
    assert reminder.run_after == later - datetime.timedelta(hours=48)
    mail.outbox.clear()
    jobs.run_pending()
    changed = next(m for m in mail.outbox if m.subject.startswith("Shift changed"))
    assert calendar_of(changed) == (1, "CONFIRMED", later)

    services.cancel_shift(shift=shift, member=member, reason="Storm warning")
    mail.outbox.clear()
    jobs.run_pending()
    cancelled = next(m for m in mail.outbox if m.subject.startswith("Shift cancelled"))
    assert calendar_of(cancelled) == (2, "CANCELLED", later)


def test_a_member_makes_publishes_and_staffs_an_opportunity_through_the_pages(helsinki):
    from osallistu.volunteering.models import Language, Shift, Theme

    membership = MemberFactory()
    client = Client()
    client.force_login(membership.user)
    response = client.post(
        f"/fi/volunteering/manage/{membership.organiser.slug}/opportunities/new/",
        {
            "title_sv": "Läsvän",
            "description_sv": "Vi läser med barn.",
            "kind": "ongoing",
            "themes": [Theme.objects.get(slug="children").pk],
            "languages": [Language.objects.get(slug="sv").pk],
            "district": helsinki["southern"].pk,
            "place_text": "Rikhardinkadun kirjasto",
            "latitude": "60,1652",
            "longitude": "24,9445",
            "under_18_allowed": "on",
            "youth_min_age": "15",
            "contact_name": "Anna",
            "contact_email": "anna@example.fi",
            "cancel_hours_before": "12",
        },
    )
    opportunity = Opportunity.objects.get(organiser=membership.organiser)
    assert response.status_code == 302
    assert opportunity.title_sv == "Läsvän" and opportunity.latitude == Decimal("60.1652")
    assert opportunity.status == Opportunity.Status.DRAFT
    assert list(opportunity.themes.values_list("slug", flat=True)) == ["children"]
    day = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    url = f"/fi/volunteering/manage/opportunities/{opportunity.pk}/"
    client.post(url, {"date": day, "begins": "17:00", "ends": "19:00", "capacity": "4"})
    shift = Shift.objects.get(opportunity=opportunity)
    assert shift.capacity == 4
    client.post(f"{url}status/", {"action": "publish"})
    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.PUBLISHED
    page = Client().get(f"/fi/volunteering/opportunities/{opportunity.pk}/")
    assert page.status_code == 200 and "Läsvän" in page.content.decode()
    assert 'class="place-map"' in page.content.decode()
    # The reminder is queued 48 hours before the shift.
    from osallistu.volunteering import tasks

    job = tasks.remind_shift.jobs().get()
    assert job.run_after == shift.starts_at - datetime.timedelta(hours=48)
