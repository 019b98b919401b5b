from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditEntry(models.Model):
    """One state change that matters: who did what, to what, on whose behalf, when.

    Rows are only ever added (see ``osallistu.core.audit.record``). The target is
    kept as a type label, a primary key and a short description so that an entry
    outlives the object it is about.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(
        pgettext_lazy("audit entry", "target"), max_length=200, blank=True
    )
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # An index in Meta, not db_index=True, which would add a pattern index for LIKE.
            models.Index(fields=["action"], name="core_audit_action"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class Job(models.Model):
    """Work done after the request that asked for it: an e-mail, a vote count.

    A job is a row added in the caller's transaction (``osallistu.core.jobs.enqueue``), so
    it exists exactly when the change that asked for it was committed. ``manage.py worker``
    runs due jobs; a job whose worker died is taken again when its lease has run out.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(_("job"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    run_after = models.DateTimeField(_("run after"))
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's two claim queries: due jobs in order, and expired leases.
            models.Index(
                fields=["run_after", "id"], condition=Q(state="queued"), name="core_job_due"
            ),
            models.Index(
                fields=["leased_until"], condition=Q(state="running"), name="core_job_leased"
            ),
        ]

    def __str__(self):
        return f"{self.name} #{self.pk} ({self.get_state_display()})"


class Session(AbstractBaseSession):
    """A browser's session as Django keeps it, with the person it is signed in as (None
    for nobody), written from the session's data at every save: a person's sessions end
    with their account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
