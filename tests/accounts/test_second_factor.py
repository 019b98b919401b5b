"""The second factor of staff, tried as an attacker who has only a password would try it:
set up an app of their own, confirm a half-made one, replace the owner's, or race the
owner to the first one. An account's first app needs only the password, and only once;
every other change needs the second factor or a city administrator's reset, and each is
audit-logged and e-mailed to the person in their language."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from osallistu.accounts import services
from osallistu.accounts.models import StaffRole, User
from osallistu.accounts.views import AUTHENTICATOR_KEY_SESSION_KEY
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor

SETUP = "/fi/accounts/two-step/setup/"


def code_for(key):
    return f"{totp(bytes.fromhex(key)):06d}"


def shown_key(client):
    """The key the setup page shows (and keeps in this session only)."""
    response = client.get(SETUP)
    assert response.status_code == 200
    return client.session[AUTHENTICATOR_KEY_SESSION_KEY]


def audit_entry(user, action):
    return AuditEntry.objects.get(action=action, target_id=str(user.pk))


def enrol_first_app(user):
    """The person's own first app, and its e-mail sent and put aside."""
    key = services.new_authenticator_key()
    services.enrol_authenticator(user=user, key=key, token=code_for(key))
    jobs.run_pending()
    mail.outbox.clear()
    return key


def sent_mail():
    jobs.run_pending()
    return list(mail.outbox)


@pytest.fixture
def staff(db):
    """A member of staff whose e-mails are in Swedish (the pages tested are in Finnish)."""
    return UserFactory(is_staff=True, email="moderator@example.fi", preferred_language="sv")


@pytest.mark.django_db
def test_first_app_with_the_password_is_logged_and_mailed_in_the_persons_language(client, staff):
    client.force_login(staff)
    key = shown_key(client)
    response = client.post(SETUP, {"token": code_for(key), "next": "/fi/staff/"})
    assert response.status_code == 302
    assert response["Location"] == "/fi/staff/"
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed and device.key == key
    assert audit_entry(staff, "accounts.mfa_enrolled").data == {
        "first": True,
        "devices_replaced": 0,
    }
    (message,) = sent_mail()
    assert message.to == ["moderator@example.fi"]
    assert message.subject == "Tvåstegsverifieringen av ditt konto har ändrats"
    assert "stadens administratör" in message.body
    # The session passed the second step with the new app: staff pages open.
    assert client.get("/fi/staff/").status_code == 200


@pytest.mark.django_db
def test_with_only_the_password_no_second_app_can_be_added(client, staff):
    owner_key = enrol_first_app(staff)

    attacker = client
    attacker.force_login(staff)  # knows the password, not the phone
    response = attacker.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify") + "?next=")
    assert AUTHENTICATOR_KEY_SESSION_KEY not in attacker.session
    # Posting a code of a key of their own choosing changes nothing either.
    session = attacker.session
    session[AUTHENTICATOR_KEY_SESSION_KEY] = "ab" * 20
    session.save()
    response = attacker.post(SETUP, {"token": code_for("ab" * 20)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=staff).values_list("key", flat=True)) == [owner_key]
    assert attacker.get("/fi/staff/").status_code == 302  # still at the second step
    assert not sent_mail()


@pytest.mark.django_db
def test_an_app_half_set_up_in_one_session_cannot_be_finished_in_another(client, staff):
    """The key of an app being set up is not stored with the account, so an attacker who
    opened the page first does not get to know the key the owner then scans."""
    attacker, owner = client, client.__class__()
    attacker.force_login(staff)
    attacker_key = shown_key(attacker)
    owner.force_login(staff)
    owner_key = shown_key(owner)
    assert owner_key != attacker_key
    assert not TOTPDevice.objects.filter(user=staff).exists()

    assert owner.post(SETUP, {"token": code_for(owner_key)}).status_code == 302
    # The attacker's half-made app is of no use now: the account has its first app.
    response = attacker.post(SETUP, {"token": code_for(attacker_key)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    assert list(TOTPDevice.objects.filter(user=staff).values_list("key", flat=True)) == [owner_key]


@pytest.mark.django_db
def test_the_service_refuses_a_second_app_without_the_second_factor(staff):
    first = services.new_authenticator_key()
    services.enrol_authenticator(user=staff, key=first, token=code_for(first))
    second = services.new_authenticator_key()
    with pytest.raises(services.SecondFactorError) as refused:
        services.enrol_authenticator(user=staff, key=second, token=code_for(second))
    assert refused.value.code == "second_factor_needed"
    # Another person's device does not count as this person's second factor.
    stranger = TOTPDevice.objects.create(user=UserFactory(is_staff=True), confirmed=True)
    with pytest.raises(services.SecondFactorError):
        services.enrol_authenticator(
            user=staff, key=second, token=code_for(second), verified_with=stranger
        )
    assert TOTPDevice.objects.filter(user=staff).count() == 1


@pytest.mark.django_db
def test_a_wrong_code_turns_nothing_on(client, staff):
    client.force_login(staff)
    shown_key(client)
    with_letters = client.post(SETUP, {"token": "12345a"})
    assert "Koodissa on kuusi numeroa" in with_letters.content.decode()
    wrong = client.post(SETUP, {"token": "000000"})
    assert "Koodi ei täsmännyt" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists()


@pytest.mark.django_db
def test_with_the_second_factor_an_app_is_added_or_the_old_ones_replaced(client, staff):
    sign_in_past_second_factor(client, staff)
    old = TOTPDevice.objects.get(user=staff)
    page = client.get(SETUP).content.decode()
    assert "Lisää todennussovellus" in page and 'name="replace"' in page

    added_key = client.session[AUTHENTICATOR_KEY_SESSION_KEY]
    assert client.post(SETUP, {"token": code_for(added_key)}).status_code == 302
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 2
    assert audit_entry(staff, "accounts.mfa_enrolled").data == {
        "first": False,
        "devices_replaced": 0,
    }

    client.get(SETUP)
    new_key = client.session[AUTHENTICATOR_KEY_SESSION_KEY]
    response = client.post(SETUP, {"token": code_for(new_key), "replace": "on"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=staff).values_list("key", flat=True)) == [new_key]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    # The session goes on with the new app.
    assert client.get("/fi/staff/").status_code == 200
    subjects = [message.subject for message in sent_mail()]
    assert subjects == ["Tvåstegsverifieringen av ditt konto har ändrats"] * 2
    assert "ersätter" in mail.outbox[1].body


def reset_url(person):
    return f"/fi/accounts/staff/{person.pk}/reset-two-step/"


@pytest.mark.django_db
def test_a_city_administrator_resets_a_lost_app_and_the_person_sets_one_up_again(client, staff):
    enrol_first_app(staff)
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    sign_in_past_second_factor(client, admin)
    assert reset_url(staff) in client.get("/fi/accounts/staff/").content.decode()
    confirmation = client.get(reset_url(staff))
    assert "kuka tahansa hänen salasanansa tietävä" in confirmation.content.decode()
    assert TOTPDevice.objects.filter(user=staff).exists()

    response = client.post(reset_url(staff))
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/staff/"
    assert not TOTPDevice.objects.filter(user=staff).exists()
    entry = audit_entry(staff, "accounts.mfa_reset")
    assert entry.actor == admin and entry.data == {"devices": 1}
    (message,) = sent_mail()
    assert message.to == [staff.email]
    assert message.subject == "Tvåstegsverifieringen av ditt konto har återställts"

    # The person (or whoever has the password: hence the e-mail) sets up a new app once.
    person = client.__class__()
    person.force_login(staff)
    key = shown_key(person)
    assert person.post(SETUP, {"token": code_for(key)}).status_code == 302
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1


@pytest.mark.django_db
def test_only_a_city_administrator_past_the_second_step_resets(client, staff, helsinki):
    enrol_first_app(staff)
    moderator = StaffRoleFactory(
        role=StaffRole.Role.DISTRICT_MODERATOR, area=helsinki["eastern"]
    ).user
    with pytest.raises(services.SecondFactorError):
        services.reset_second_factor(actor=moderator, user=staff)
    sign_in_past_second_factor(client, moderator)
    assert client.get("/fi/accounts/staff/").status_code == 403
    assert client.post(reset_url(staff)).status_code == 403

    # A city administrator with only a password is sent to the second step.
    admin = StaffRoleFactory(role=StaffRole.Role.CITY_ADMIN).user
    TOTPDevice.objects.create(user=admin, confirmed=True)
    other = client.__class__()
    other.force_login(admin)
    response = other.post(reset_url(staff))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa_verify"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1
    assert not AuditEntry.objects.filter(action="accounts.mfa_reset").exists()


@pytest.mark.django_db
def test_residents_have_no_second_factor_to_set_up(client):
    resident = UserFactory()
    client.force_login(resident)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/profile/"
    assert not TOTPDevice.objects.exists()


def waiting_for_locks():
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the activity it read first.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_apps_at_the_same_moment_leave_one():
    """Two sessions with the password each confirm a first app at once. The person's row
    is held here while both enrolments start, so both have read "no app yet" if nothing
    made them wait; released, one app is made and the other refused."""
    staff = UserFactory(is_staff=True)
    keys = [services.new_authenticator_key() for _ in range(2)]
    outcomes = [None, None]

    def enrol(index):
        try:
            outcomes[index] = services.enrol_authenticator(
                user=staff, key=keys[index], token=code_for(keys[index])
            )
        except services.SecondFactorError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(index,)) for index in range(2)]
    with transaction.atomic():
        User.objects.select_for_update().get(pk=staff.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while waiting_for_locks() < 2 and any(t.is_alive() for t in threads):
            assert time.monotonic() < deadline, "the enrolments neither waited nor finished"
            time.sleep(0.02)
    for thread in threads:
        thread.join(timeout=30)

    made = [outcome for outcome in outcomes if isinstance(outcome, TOTPDevice)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, services.SecondFactorError)]
    assert len(made) == 1 and len(refused) == 1
    assert refused[0].code == "second_factor_needed"
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(action="accounts.mfa_enrolled").count() == 1
