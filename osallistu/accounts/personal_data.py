"""Accounts' personal data (see ``osallistu.core.personal_data``): the account itself,
staff roles and authenticator apps, registrations waiting for their link, and the
record of login attempts kept against password guessing."""

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice
from helusers.models import ADGroup, ADGroupMapping, OIDCBackChannelLogoutEvent

from osallistu.core import privacy
from osallistu.core.personal_data import (
    Basis,
    Purpose,
    register_erasure,
    register_model,
    register_retention,
)

from .models import Division, HelsinkiProfile, PendingRegistration, StaffRole, User

ACCOUNT = Purpose(
    key="accounts.account",
    title=gettext_lazy("Your account"),
    description=gettext_lazy(
        "To sign you in, to write to you in your language, and to show you what concerns "
        "your district."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "Until you delete your account. A registration whose link was not followed is "
        "erased after a week."
    ),
    order=10,
)
IDENTITY = Purpose(
    key="accounts.identity",
    title=gettext_lazy("Identity, age and municipality"),
    description=gettext_lazy(
        "To know that you may vote or support an initiative, and that each person does so "
        "once: your birth date and municipality as the identification told them, and a "
        "keyed digest of your personal identity code (never the code itself)."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "Until you delete your account. Earlier identifications are erased after three "
        "years; a person recorded at a service point without an account is erased half a "
        "year later, once the ballots of their rounds are mixed."
    ),
    order=20,
)
STAFF = Purpose(
    key="accounts.staff",
    title=gettext_lazy("Staff roles and authenticator apps"),
    description=gettext_lazy(
        "What a member of staff may do and where, and the second factor that protects "
        "their account."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy("While the person works with the service."),
    order=800,
)
LOGIN_SECURITY = Purpose(
    key="accounts.login_attempts",
    title=gettext_lazy("Login attempts"),
    description=gettext_lazy(
        "The address typed, the device's network address and browser, to stop password "
        "guessing (GDPR Art. 32, security of processing)."
    ),
    basis=Basis.LEGAL_OBLIGATION,
    retention=gettext_lazy("30 days."),
    order=810,
)

register_model(
    User,
    personal={
        ACCOUNT: [
            "email",
            "full_name",
            "preferred_language",
            "postal_code",
            "district",
            "password",
            "last_login",
            "is_active",
            "date_joined",
        ],
        IDENTITY: [
            "birth_date",
            "municipality_code",
            "verification_method",
            "verified_at",
            "person_digest",
        ],
        STAFF: ["is_staff", "is_superuser", "groups", "user_permissions"],
    },
    secret=["password", "person_digest"],
    of_person=lambda user: User.objects.filter(pk=user.pk),
)
register_model(
    PendingRegistration,
    personal={
        ACCOUNT: [
            "email",
            "full_name",
            "preferred_language",
            "postal_code",
            "password",
            "token_digest",
            "created_at",
        ]
    },
    secret=["password", "token_digest"],
    of_person=lambda user: PendingRegistration.objects.filter(email=user.email or ""),
)
register_model(
    StaffRole,
    personal={STAFF: ["user", "role", "area", "granted_at"]},
    of_person=lambda user: StaffRole.objects.filter(user=user),
)
register_model(
    TOTPDevice,
    personal={
        STAFF: [
            "user",
            "name",
            "confirmed",
            "created_at",
            "last_used_at",
            "throttling_failure_timestamp",
            "throttling_failure_count",
            "key",
        ]
    },
    other=["step", "t0", "digits", "tolerance", "drift", "last_t"],
    secret=["key"],
    of_person=lambda user: TOTPDevice.objects.filter(user=user),
)
ATTEMPT_FIELDS = ["user_agent", "ip_address", "username", "http_accept", "path_info"]
register_model(
    AccessAttempt,
    personal={
        LOGIN_SECURITY: [
            *ATTEMPT_FIELDS,
            "attempt_time",
            "get_data",
            "post_data",
            "failures_since_start",
        ]
    },
    of_person=lambda user: AccessAttempt.objects.filter(username=user.email or ""),
)
register_model(
    AccessFailureLog,
    personal={LOGIN_SECURITY: [*ATTEMPT_FIELDS, "attempt_time", "locked_out"]},
    of_person=lambda user: AccessFailureLog.objects.filter(username=user.email or ""),
)
register_model(
    AccessLog,
    personal={LOGIN_SECURITY: [*ATTEMPT_FIELDS, "attempt_time", "logout_time", "session_hash"]},
    secret=["session_hash"],
    of_person=lambda user: AccessLog.objects.filter(username=user.email or ""),
)
register_model(Division, other=["slug", "name", "position", "is_active"])
register_model(AccessAttemptExpiration, other=["access_attempt", "expires_at"])
register_model(
    HelsinkiProfile,
    personal={ACCOUNT: ["user", "subject", "profile_id", "linked_at"]},
    of_person=lambda user: HelsinkiProfile.objects.filter(user=user),
)
# django-helusers: directory groups are not used; logouts the identity provider reports
# name the person's session there.
register_model(ADGroup, other=["name", "display_name"])
register_model(ADGroupMapping, other=["group", "ad_group"])
register_model(
    OIDCBackChannelLogoutEvent, personal={LOGIN_SECURITY: ["created_at", "iss", "sub", "sid"]}
)


def deletion_blockers(user):
    if user.is_staff or user.is_superuser or StaffRole.objects.filter(user=user).exists():
        return [_("This is a staff account. A city administrator removes its roles and closes it.")]
    return []


def erase(user, *, remove_content):
    address = user.email or ""
    done = []
    if address:
        registrations, _counts = PendingRegistration.objects.filter(email=address).delete()
        attempts = sum(
            model.objects.filter(username=address).delete()[0]
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
        )
        if registrations or attempts:
            done.append(_("Registrations and login attempts under your address are erased."))
    done.append(_("Your account, its identity details and its sessions are deleted."))
    return done


# Last: the account row itself goes after every app has let go of it.
register_erasure(app_label="accounts", blockers=deletion_blockers, erase=erase, order=1000)


def erase_pending_registrations(*, before):
    return PendingRegistration.objects.filter(created_at__lt=before).delete()[0]


def erase_login_attempts(*, before):
    return sum(
        model.objects.filter(attempt_time__lt=before).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def erase_service_point_people(*, before):
    """People recorded at a service point to vote, who have no account to log in to:
    once nothing keeps them (their ballots mixed), the record of them goes."""
    erased = 0
    people = User.objects.filter(
        Q(email__isnull=True) | Q(email=""),
        is_staff=False,
        date_joined__lt=before,
    )
    for person in people.iterator():
        if not privacy.deletion_blockers(person):
            privacy.delete_account(user=person)
            erased += 1
    return erased


register_retention(
    key="accounts.pending_registrations",
    title=gettext_lazy("Registrations whose link was not followed"),
    setting="RETENTION_PENDING_REGISTRATION_DAYS",
    default_days=7,
    apply=erase_pending_registrations,
)
register_retention(
    key="accounts.login_attempts",
    title=gettext_lazy("Login attempts"),
    setting="RETENTION_LOGIN_ATTEMPTS_DAYS",
    default_days=30,
    apply=erase_login_attempts,
)
register_retention(
    key="accounts.service_point_people",
    title=gettext_lazy("People recorded at a service point without an account"),
    setting="RETENTION_SERVICE_POINT_PEOPLE_DAYS",
    default_days=180,
    apply=erase_service_point_people,
)
