from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import Area

from .common import CoachKind, Topic


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("Being handled")
    WAITING = "waiting", _("Waiting for the asker")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# Requests a coach still has something to do with.
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.IN_PROGRESS)


class ContactRequest(models.Model):
    """A question put to a coach ("ask the coach"): routed to the coach of the asker's
    district (``assigned_to``), answered from the coach's desk and followed by the asker
    under *My requests*. A coach can hand it to another coach."""

    kind = models.CharField(_("for"), max_length=10, choices=CoachKind.choices)
    district = models.ForeignKey(
        Area,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="coach_requests",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_coach_requests",
    )
    # Empty once the asker is removed: the request still counts in the coaches' figures.
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coach_requests",
    )
    company = models.ForeignKey(
        "coaches.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="requests"
    )
    wants_meeting = models.BooleanField(_("would like a meeting"), default=False)
    question = models.TextField(_("question"))
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    language = models.CharField(
        _("language of the answer"), max_length=5, choices=settings.LANGUAGES, default="fi"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    created_at = models.DateTimeField(_("sent"))
    first_response_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"))

    class Meta:
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["district", "kind", "status"], name="coaches_req_district_kind"),
            models.Index(fields=["assigned_to", "status"], name="coaches_req_assigned_status"),
            models.Index(fields=["asker", "created_at"], name="coaches_req_asker_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_at__isnull=True)
                | Q(first_response_at__gte=F("created_at")),
                name="coaches_request_answered_after_sent",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="coaches_request_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(first_response_at__isnull=False),
                name="coaches_request_answered_has_answer",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.topic}"

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def response_time(self):
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.created_at


class RequestMessage(models.Model):
    """One message of a request's conversation: the coach's answer or the asker's reply.
    The asker sees every message; notes are ``RequestNote``."""

    request = models.ForeignKey(
        ContactRequest,
        verbose_name=_("contact request"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_coach = models.BooleanField(_("from a coach"))
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request} {self.created_at:%Y-%m-%d %H:%M}"


class RequestNote(models.Model):
    """A note on a request that only coaches see."""

    request = models.ForeignKey(
        ContactRequest,
        verbose_name=_("contact request"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(pgettext_lazy("internal note", "note"))
    created_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = pgettext_lazy("internal note", "note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.request} {self.created_at:%Y-%m-%d %H:%M}"


class RequestHandover(models.Model):
    """A request handed from one coach to another, with a word on why."""

    request = models.ForeignKey(
        ContactRequest,
        verbose_name=_("contact request"),
        on_delete=models.CASCADE,
        related_name="handovers",
    )
    from_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("handover", "from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("handover", "to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(_("handed over"))

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_coach=F("to_coach")), name="coaches_handover_to_another"
            ),
        ]

    def __str__(self):
        return f"{self.request}: {self.from_coach} → {self.to_coach}"
