import datetime
import threading

import pytest
from django.db import connection

from osallistu.accounts.models import StaffRole, User
from osallistu.core.models import AuditEntry, Session
from osallistu.identity import services
from osallistu.identity.models import IdentityVerification
from osallistu.identity.person_code import parse_person_code
from tests.factories import StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

CODE = "131052-308T"


def test_record_verification_stores_facts_history_and_audit():
    user = UserFactory()
    verification = services.record_verification(
        user=user, method="oidc", municipality_code="091", birth_date=datetime.date(2013, 1, 2)
    )
    user.refresh_from_db()
    assert user.is_strongly_identified
    assert user.birth_date == datetime.date(2013, 1, 2)
    assert user.verified_at == verification.verified_at
    assert verification.municipality_code == "091"
    entry = AuditEntry.objects.get(action="identity.verified")
    assert entry.actor == user
    assert entry.target_id == str(user.pk)
    assert entry.data["level"] == "substantial"


def test_birth_date_comes_from_the_code():
    user = UserFactory()
    services.record_verification(
        user=user, method="oidc", municipality_code="091", person_code=CODE
    )
    user.refresh_from_db()
    assert user.birth_date == datetime.date(1952, 10, 13)
    assert user.person_digest == parse_person_code(CODE).digest


def test_birth_date_that_contradicts_the_code_is_refused():
    user = UserFactory()
    with pytest.raises(services.IdentityError) as raised:
        services.record_verification(
            user=user,
            method="oidc",
            municipality_code="091",
            birth_date=datetime.date(1990, 1, 1),
            person_code=CODE,
        )
    assert raised.value.code == "birth_date_mismatch"
    assert not IdentityVerification.objects.exists()


def test_one_person_one_account():
    first, second = UserFactory(), UserFactory()
    services.record_verification(
        user=first, method="oidc", municipality_code="091", person_code=CODE
    )
    with pytest.raises(services.IdentityError) as raised:
        services.record_verification(
            user=second, method="oidc", municipality_code="091", person_code=CODE
        )
    assert raised.value.code == "already_verified"
    assert "already verified" in str(raised.value)
    second.refresh_from_db()
    assert second.person_digest is None and not second.verification_method
    refusal = AuditEntry.objects.get(action="identity.verification_refused")
    assert refusal.actor == second
    assert refusal.data == {"method": "oidc", "reason": "already_verified"}


def test_the_same_person_may_identify_again_after_moving():
    user = UserFactory()
    services.record_verification(
        user=user, method="oidc", municipality_code="091", person_code=CODE
    )
    services.record_verification(
        user=user, method="oidc", municipality_code="049", person_code=CODE
    )
    user.refresh_from_db()
    assert user.municipality_code == "049"
    assert user.identity_verifications.count() == 2


def test_an_account_cannot_change_person():
    user = UserFactory()
    services.record_verification(
        user=user, method="oidc", municipality_code="091", person_code=CODE
    )
    with pytest.raises(services.IdentityError) as raised:
        services.record_verification(
            user=user, method="oidc", municipality_code="091", person_code="010101A123N"
        )
    assert raised.value.code == "other_person"


def test_unknown_method_is_a_programming_error():
    with pytest.raises(LookupError):
        services.record_verification(
            user=UserFactory(), method="carrier_pigeon", municipality_code="091"
        )


def test_the_code_is_nowhere_in_the_database(client, settings):
    """Scan every row the identity flows write, and the sessions, for the raw code."""
    staff = StaffRoleFactory(role=StaffRole.Role.SERVICE_POINT).user
    services.verify_in_person(
        staff=staff,
        document_type="passport",
        person_code=CODE,
        municipality_code="091",
        full_name="Matti Meikäläinen",
    )
    with pytest.raises(services.IdentityError):
        services.record_verification(
            user=UserFactory(), method="oidc", municipality_code="091", person_code=CODE
        )
    client.force_login(UserFactory())
    needles = {CODE, CODE.replace("-", ""), "308T"}
    rows = [
        *User.objects.values(),
        *IdentityVerification.objects.values(),
        *AuditEntry.objects.values(),
        *(session.get_decoded() for session in Session.objects.all()),
    ]
    assert len(rows) > 5
    for row in rows:
        text = repr(row).upper()
        assert not any(needle in text for needle in needles), row


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_accounts_racing_for_one_person_code():
    """The unique digest holds when both requests pass the check at the same time."""
    users = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def identify(user):
        try:
            barrier.wait()
            services.record_verification(
                user=user, method="oidc", municipality_code="091", person_code=CODE
            )
            outcomes.append("verified")
        except services.IdentityError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=identify, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_verified", "verified"]
    assert User.objects.filter(person_digest__isnull=False).count() == 1
