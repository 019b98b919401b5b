"""Core's personal data, and that of the Django apps core runs on (the admin's log,
permissions, content types): see ``personal_data``."""

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session as DjangoSession
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Job, Session
from .personal_data import Basis, Purpose, register_model, register_retention

AUDIT = Purpose(
    key="core.audit",
    title=_("Log of actions"),
    description=_(
        "Who did what and on whose behalf, so that staff acts and changes to votes, "
        "bookings and accounts can be checked afterwards."
    ),
    basis=Basis.LEGAL_OBLIGATION,
    retention=_(
        "Kept as the city's record. When an account is deleted, the log no longer names the person."
    ),
    order=900,
)
SESSIONS = Purpose(
    key="core.sessions",
    title=_("Signed-in sessions"),
    description=_("To keep you signed in between pages."),
    basis=Basis.PUBLIC_TASK,
    retention=_("Until you sign out or the session expires; expired sessions are erased daily."),
    order=910,
)
JOBS = Purpose(
    key="core.jobs",
    title=_("E-mails waiting to be sent"),
    description=_("E-mails and other work done shortly after what asked for it."),
    basis=Basis.PUBLIC_TASK,
    retention=_(
        "Erased once done: a job's details are emptied when it holds anything private, and "
        "finished jobs are deleted after 14 days."
    ),
    order=920,
)

register_model(
    AuditEntry,
    personal={AUDIT: ["actor", "on_behalf_of", "target_repr", "data"]},
    other=["created_at", "action", "target_type", "target_id"],
    of_person=lambda user: (
        AuditEntry.objects.filter(actor=user) | AuditEntry.objects.filter(on_behalf_of=user)
    ),
)
register_model(
    Job,
    personal={JOBS: ["payload", "result", "error"]},
    other=["name", "state", "attempts", "run_after", "leased_until", "created_at", "finished_at"],
)
register_model(
    Session,
    personal={SESSIONS: ["user", "session_key", "session_data", "expire_date"]},
    secret=["session_key", "session_data"],
    of_person=lambda user: Session.objects.filter(user=user),
)
# Django's own session table is installed but not used (SESSION_ENGINE is core's).
register_model(
    DjangoSession,
    personal={SESSIONS: ["session_key", "session_data", "expire_date"]},
    secret=["session_key", "session_data"],
)
register_model(
    LogEntry,
    personal={AUDIT: ["user", "object_repr", "change_message"]},
    other=["action_time", "content_type", "object_id", "action_flag"],
    of_person=lambda user: LogEntry.objects.filter(user=user),
)
register_model(Permission, other=["name", "content_type", "codename"])
register_model(Group, other=["name", "permissions"])
register_model(ContentType, other=["app_label", "model"])


def erase_expired_sessions(*, before):
    expired, _counts = Session.objects.filter(expire_date__lt=before).delete()
    old, _counts = DjangoSession.objects.filter(expire_date__lt=before).delete()
    return expired + old


register_retention(
    key="core.sessions",
    title=_("Expired sessions"),
    setting="RETENTION_EXPIRED_SESSIONS_DAYS",
    default_days=0,
    apply=erase_expired_sessions,
)
