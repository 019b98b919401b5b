"""Residents' initiatives (kuntalaisaloite, Local Government Act 410/2015 § 23).

A resident, a community or foundation active in the city, or a user of the city's
services writes an initiative with co-authors (``Author``, ``Invitation``). It is a
draft that only its authors see until they publish it to collect support or send it
to the city. Residents support it online after strong identification, once each
(``Support``, held by the database); authors may also collect paper supports, which
registry staff check and enter and a second member of staff confirms
(``PaperSupportBatch``). Support from 2 % of the residents entitled to vote makes the
council take the matter up within six months; 4 % may demand a referendum.

The city registers a sent initiative with a diary number, a division prepares it with
a named preparer, and it is decided (decision-maker, date, answer, link, attachments)
or ended without a decision. Every change of state is a public ``Transition`` with its
reason and an audit-log entry.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from osallistu.areas.models import AgeGroup, Area


class Category(models.TextChoices):
    GENERAL = "general", _("Initiative")
    # Helsinki's channel of its own for 13–17-year-olds.
    YOUTH = "youth", _("Youth initiative (13–17)")


class AuthorKind(models.TextChoices):
    """Who may make an initiative under § 23."""

    RESIDENT = "resident", _("Resident of the city")
    COMMUNITY = "community", _("Community or foundation active in the city")
    SERVICE_USER = "service_user", _("User of the city's services")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COLLECTING = "collecting", _("Collecting support")
    SENT = "sent", _("Sent to the city")
    PREPARING = "preparing", _("Being prepared")
    DECIDED = "decided", _("Decided")
    ENDED = "ended", _("Ended without a decision")


# States in which the city handles the initiative and a deadline can pass.
OPEN_AT_THE_CITY = (State.SENT, State.PREPARING)
# States the public sees.
PUBLIC_STATES = (State.COLLECTING, State.SENT, State.PREPARING, State.DECIDED, State.ENDED)


class Initiative(models.Model):
    category = models.CharField(
        _("category"), max_length=10, choices=Category.choices, default=Category.GENERAL
    )
    title = models.CharField(_("title"), max_length=150)
    proposal = models.TextField(_("what is asked"), max_length=2000)
    rationale = models.TextField(_("rationale"), max_length=10000)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A district, or the city as a whole."),
    )
    place_text = models.CharField(_("address or place"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    diary_number = models.CharField(_("diary number"), max_length=40, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    division = models.ForeignKey(
        "accounts.Division",
        verbose_name=_("division"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    preparer_name = models.CharField(_("preparer"), max_length=150, blank=True)
    preparer_email = models.EmailField(_("preparer's e-mail address"), blank=True)
    decision_maker = models.CharField(_("decision-maker"), max_length=200, blank=True)
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    answer = models.TextField(_("the city's answer"), max_length=20000, blank=True)
    answer_language = models.CharField(
        _("language of the answer"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    decision_url = models.URLField(_("link to the decision"), max_length=500, blank=True)
    end_reason = models.TextField(_("why it ended"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("decided or ended at"), null=True, blank=True)

    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # The law's six months (2 % support), or a deadline staff set with a reason.
    deadline_by_law = models.BooleanField(_("deadline set by law"), default=False)
    deadline_reason = models.CharField(_("reason for the deadline"), max_length=300, blank=True)
    council_threshold_reached_on = models.DateField(_("day 2 % was reached"), null=True, blank=True)
    referendum_threshold_reached_on = models.DateField(
        _("day 4 % was reached"), null=True, blank=True
    )

    help_requested_at = models.DateTimeField(_("help asked for at"), null=True, blank=True)
    help_message = models.TextField(_("what help is needed"), max_length=2000, blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("city coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_initiatives",
    )
    coach_assigned_at = models.DateTimeField(_("coach assigned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-sent_at"], name="initiative_state_sent"),
            models.Index(fields=["state", "deadline"], name="initiative_state_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="initiative_point_has_both_coordinates",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
            models.UniqueConstraint(
                fields=["diary_number"],
                condition=~Q(diary_number=""),
                name="initiative_diary_number_unique",
                violation_error_message=_("Another initiative has this diary number."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["sent", "preparing", "decided"]) | Q(sent_at__isnull=False),
                name="initiative_sent_has_time",
                violation_error_message=_("A sent initiative has the time it was sent."),
            ),
            models.CheckConstraint(
                condition=~Q(state="collecting") | Q(published_at__isnull=False),
                name="initiative_collecting_is_published",
                violation_error_message=_("An initiative collecting support is published."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["preparing", "decided"])
                | (~Q(diary_number="") & Q(registered_at__isnull=False)),
                name="initiative_prepared_is_registered",
                violation_error_message=_(
                    "An initiative is registered with a diary number before it is prepared."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["preparing", "decided"])
                | (Q(division__isnull=False) & ~Q(preparer_name="")),
                name="initiative_prepared_has_division_and_preparer",
                violation_error_message=_(
                    "An initiative being prepared has a division and a named preparer."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="decided")
                | (
                    ~Q(decision_maker="")
                    & Q(decision_date__isnull=False)
                    & ~Q(answer="")
                    & ~Q(answer_language="")
                ),
                name="initiative_decided_has_decision",
                violation_error_message=_(
                    "A decided initiative has its decision-maker, date and answer."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | ~Q(end_reason=""),
                name="initiative_ended_has_reason",
                violation_error_message=_("An initiative ended without a decision says why."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["decided", "ended"]) | Q(closed_at__isnull=True),
                name="initiative_closed_only_when_decided_or_ended",
                violation_error_message=_("Only a decided or ended initiative is closed."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True, deadline_by_law=False, deadline_reason="")
                | (Q(deadline__isnull=False) & (Q(deadline_by_law=True) | ~Q(deadline_reason=""))),
                name="initiative_deadline_has_reason",
                violation_error_message=_("A deadline says where it comes from."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_point(self):
        return self.latitude is not None

    @property
    def is_public(self):
        return self.state != State.DRAFT

    @property
    def is_open_at_the_city(self):
        return self.state in OPEN_AT_THE_CITY

    @property
    def takes_supports(self):
        return self.state == State.COLLECTING

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_open_at_the_city and self.deadline is not None and self.deadline < today


class Author(models.Model):
    """One of an initiative's authors, shown with it under the name they chose. The
    first is its initiator, who answers for it; others joined by invitation."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="authors"
    )
    # Empty once the author deleted their account: the initiative keeps them as a
    # removed author (osallistu/initiatives/personal_data.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.PROTECT,
        related_name="initiative_authorships",
    )
    kind = models.CharField(_("making it as"), max_length=12, choices=AuthorKind.choices)
    organisation = models.CharField(
        _("community or service"),
        max_length=200,
        blank=True,
        help_text=_("The community or foundation, or the service used."),
    )
    public_name = models.CharField(_("name shown"), max_length=150)
    is_initiator = models.BooleanField(_("initiator"), default=False)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("citizens' initiative", "author")
        verbose_name_plural = _("authors")
        ordering = ["initiative", "-is_initiator", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"],
                name="author_once_per_initiative",
                violation_error_message=_("This person is already an author."),
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(is_initiator=True),
                name="author_one_initiator",
            ),
            models.CheckConstraint(
                condition=Q(kind="resident") | ~Q(organisation=""),
                name="author_community_or_service_named",
                violation_error_message=_("Name the community, foundation or service."),
            ),
            # An author who deleted their account is shown as removed, without a name.
            models.CheckConstraint(
                condition=~Q(public_name="") | Q(user__isnull=True),
                name="author_has_public_name",
                violation_error_message=_("An author is shown with a name."),
            ),
        ]

    def __str__(self):
        return self.public_name


def new_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An author's invitation to a co-author, sent by e-mail. Only the digest of the
    link's secret is kept, so the table alone does not let anyone join."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["initiative", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "email"],
                name="invitation_once_per_address",
                violation_error_message=_("This address has already been invited."),
            )
        ]

    def __str__(self):
        return self.email


class Support(models.Model):
    """A strongly identified resident supports an initiative: once, whatever happens at
    the same moment (the unique constraint). ``counts`` says whether the supporter was
    of voting age on the day, so that the support counts towards the legal thresholds.
    Withdrawn supports are deleted: they are no longer anyone's support."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="supports"
    )
    # Empty once the supporter deleted their account after the initiative was sent: the
    # support still counts, without them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("citizens' initiative", "supporter"),
        null=True,
        on_delete=models.PROTECT,
        related_name="initiative_supports",
    )
    supported_at = models.DateTimeField(_("supported at"), default=timezone.now)
    counts = models.BooleanField(_("counts towards the thresholds"))
    # The supporter's home district and age group on the day of supporting, kept for monitoring so
    # that a later change of profile does not change a past figure (no choices, no names).
    home_district = models.ForeignKey(
        Area,
        verbose_name=_("home district then"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    age_group = models.CharField(
        _("age group then"), max_length=5, choices=AgeGroup.choices, blank=True
    )

    class Meta:
        verbose_name = pgettext_lazy("citizens' initiative", "support")
        verbose_name_plural = pgettext_lazy("citizens' initiative", "supports")
        indexes = [
            models.Index(fields=["initiative", "supported_at"], name="support_by_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "user"],
                name="support_one_per_person",
                violation_error_message=_("You already support this initiative."),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.initiative}"


class PaperSupportBatch(models.Model):
    """Paper support lists the authors handed in, checked by registry staff: how many
    signatures the lists hold and how many are valid (a resident entitled to vote,
    legible, not twice). A second member of staff counts the valid ones again and
    confirms the batch; only confirmed batches count. Nobody confirms a batch they
    entered."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="paper_batches",
    )
    label = models.CharField(
        _("which lists"),
        max_length=150,
        help_text=_("For example: lists handed in at the registry on 3 May, sheets 1–40."),
    )
    signatures = models.PositiveIntegerField(_("signatures on the lists"))
    valid = models.PositiveIntegerField(_("valid signatures"))
    notes = models.TextField(_("why signatures were not accepted"), max_length=2000, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("why it was returned"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("batch of paper supports")
        verbose_name_plural = _("batches of paper supports")
        ordering = ["initiative", "entered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid__lte=F("signatures")),
                name="paperbatch_valid_within_signatures",
                violation_error_message=_("There cannot be more valid signatures than signatures."),
            ),
            models.CheckConstraint(
                condition=~Q(confirmed_by=F("entered_by")) & ~Q(returned_by=F("entered_by")),
                name="paperbatch_checked_by_another_person",
                violation_error_message=_(
                    "A batch is confirmed or returned by another person than the one who "
                    "entered it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="paperbatch_confirmation_complete",
            ),
            models.CheckConstraint(
                condition=Q(returned_by__isnull=True, returned_at__isnull=True, return_reason="")
                | (Q(returned_by__isnull=False, returned_at__isnull=False) & ~Q(return_reason="")),
                name="paperbatch_return_complete",
                violation_error_message=_("A returned batch says why."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(returned_at__isnull=True),
                name="paperbatch_confirmed_or_returned",
                violation_error_message=_("A batch is either confirmed or returned."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def is_waiting(self):
        return self.confirmed_at is None and self.returned_at is None


class Transition(models.Model):
    """A change of an initiative's state, with its reason: public, in order."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_state = models.CharField(_("from"), max_length=10, choices=State.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=State.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(pgettext_lazy("justification", "reason"), max_length=2000, blank=True)
    by_city = models.BooleanField(_("made by the city"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("change of state")
        verbose_name_plural = _("changes of state")
        ordering = ["initiative", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_state=F("to_state")),
                name="transition_changes_state",
            )
        ]

    def __str__(self):
        return f"{self.initiative}: {self.from_state} → {self.to_state}"


def attachment_path(attachment, filename):
    """A random file name: the uploader's own file name may carry personal details."""
    return f"initiatives/attachments/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    """A PDF of the decision or its preparation, public with the decision."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title"), max_length=200)
    # Only PDFs, written by the service after it has checked the file's signature.
    file = models.FileField(
        _("file"), upload_to=attachment_path, validators=[FileExtensionValidator(["pdf"])]
    )
    size = models.PositiveIntegerField(_("size in bytes"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["initiative", "added_at", "id"]

    def __str__(self):
        return self.title


class Follower(models.Model):
    """A person who asked for an e-mail on every change of an initiative's state. The
    token makes the unsubscribe link in each e-mail work without logging in."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="followed_initiatives",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    followed_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="follower_once")]

    def __str__(self):
        return f"{self.user} → {self.initiative}"
