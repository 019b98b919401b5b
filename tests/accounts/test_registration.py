"""Registration tells nobody but the address's owner whether the address has an account:
the form answers the same either way and the rest goes by e-mail, a link that makes the
account or a note that one exists."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from osallistu.accounts import services
from osallistu.accounts.models import PendingRegistration, User
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("helsinki")]

FORM = {
    "email": " Mats@Example.fi ",
    "full_name": "Mats Lindqvist",
    "postal_code": "00330",
    "preferred_language": "sv",
    "password": "a long phrase about Munksnäs",
}


def register(client, language="fi", **changes):
    return client.post(f"/{language}/accounts/register/", {**FORM, **changes})


def sent_mail():
    jobs.run_pending()
    return list(mail.outbox)


def link_in(message):
    (link,) = re.findall(r"https?://\S+/accounts/register/confirm/\S+/", message.body)
    return link


def test_the_link_in_the_e_mail_makes_the_account_and_logs_in(client, helsinki):
    response = register(client)
    assert response.status_code == 302
    assert response["Location"] == "/fi/accounts/register/sent/"
    assert not User.objects.filter(email="mats@example.fi").exists()
    sent = client.get(response["Location"]).content.decode()
    assert "Tarkista sähköpostisi" in sent

    (message,) = sent_mail()
    assert message.to == ["mats@example.fi"]
    assert message.subject == "Slutför ditt Osallistu-konto"  # the language chosen
    link = link_in(message)
    assert link.startswith("http://testserver/sv/accounts/register/confirm/")
    path = link.removeprefix("http://testserver")

    # Opening the link (as a mail scanner does) makes nothing.
    page = client.get(path)
    assert page.status_code == 200 and "mats@example.fi" in page.content.decode()
    assert not User.objects.filter(email="mats@example.fi").exists()

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/sv/accounts/profile/"
    user = User.objects.get(email="mats@example.fi")
    assert (user.district, user.preferred_language) == (helsinki["western"], "sv")
    assert user.check_password(FORM["password"])
    assert not user.is_strongly_identified
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEntry.objects.filter(action="accounts.registered", target_id=str(user.pk))
    # The link worked once.
    assert not PendingRegistration.objects.exists()
    assert client.post(path).status_code == 400


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_a_note(client):
    owner = UserFactory(email="mats@example.fi", preferred_language="en", full_name="Mats")
    fresh = register(client.__class__(), email="new.person@example.fi")
    taken = register(client)
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert client.get(taken["Location"]).content == client.get(fresh["Location"]).content

    notes = [message for message in sent_mail() if message.to == ["mats@example.fi"]]
    (note,) = notes
    assert note.subject == "You already have an Osallistu account"  # the owner's language
    assert "http://testserver/en/accounts/login/" in note.body
    assert "/register/confirm/" not in note.body
    owner.refresh_from_db()
    assert owner.full_name == "Mats" and owner.check_password(TEST_PASSWORD)
    assert not PendingRegistration.objects.filter(email="mats@example.fi").exists()


def test_somebody_elses_registration_of_an_address_goes_nowhere_without_its_mailbox(client):
    """Someone registers an address that is not theirs; the owner registers it later. Only
    the link that reaches the mailbox counts, and it makes the owner's account."""
    register(client.__class__(), password="the squatters own password")
    squatter_link = link_in(sent_mail()[0]).removeprefix("http://testserver")
    mail.outbox.clear()
    register(client)
    owner_link = link_in(sent_mail()[0]).removeprefix("http://testserver")

    assert client.post(squatter_link).status_code == 400
    assert client.post(owner_link).status_code == 302
    assert User.objects.get(email="mats@example.fi").check_password(FORM["password"])


def test_a_link_older_than_a_day_does_not_work(client):
    register(client)
    path = link_in(sent_mail()[0]).removeprefix("http://testserver")
    PendingRegistration.objects.update(created_at=timezone.now() - timedelta(hours=25))
    page = client.get(path)
    assert page.status_code == 404
    assert "Linkki ei ole enää voimassa" not in page.content.decode()  # the link is in sv
    assert "Länken gäller inte längre" in page.content.decode()
    assert client.post(path).status_code == 400
    assert not User.objects.filter(email="mats@example.fi").exists()


def test_the_form_does_not_flood_an_inbox(client):
    for attempt in range(services.REGISTRATION_MAILS_PER_HOUR + 3):
        assert register(client, full_name=f"Try {attempt}").status_code == 302
    assert len(sent_mail()) == services.REGISTRATION_MAILS_PER_HOUR


def test_a_made_account_stores_the_address_as_logins_and_lockouts_read_it(client):
    # Upper case, spaces and full-width letters (as some phone keyboards type them).
    register(client, email="  Asa.Oberg@Example.\uff26\uff29 ")
    (message,) = sent_mail()
    assert message.to == ["asa.oberg@example.fi"]
    client.post(link_in(message).removeprefix("http://testserver"))
    assert User.objects.filter(email="asa.oberg@example.fi").exists()
