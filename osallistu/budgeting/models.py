"""Participatory budgeting: rounds and their budgets, proposals, plans, ballots,
counts, and progress notes on funded plans.

Ballot secrecy is built into the tables. ``Participation`` records *who* voted
(person, channel, staff members, times). While voting is open it also holds the
voter's choices sealed with the round's public key, so that a ballot can be changed
and a second one is refused by the database. When voting closes, mixing
(``services.ballot_box``) opens the sealed ballots, writes them to the anonymous
ballot box (``Ballot``, ``BallotChoice``) in a random order in one transaction, and
erases the sealed copies. Only the ballot box is counted; no column joins it to a
person, and ballots have random ids and no timestamps. Paper ballots are anonymous
from the start: staff mark the person as having voted, and the slips are entered in
batches (``PaperBatch``) that a second person reconciles with the count of slips.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import AgeGroup, Area, Neighbourhood
from osallistu.core.images import ImageFileField

from . import sealing


class AgeRule(models.TextChoices):
    ON_DATE = "on_date", _("Age in completed years on the last day of voting")
    DURING_YEAR = "during_year", _("Age reached during the year of voting")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first, while money lasts (greedy)")
    MES = "mes", _("Method of Equal Shares")


class Round(models.Model):
    """One round of participatory budgeting, from proposals to implementation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)

    proposals_start = models.DateField(_("proposals start"), null=True, blank=True)
    proposals_end = models.DateField(_("proposals end"), null=True, blank=True)
    co_creation_start = models.DateField(_("co-creation starts"), null=True, blank=True)
    co_creation_end = models.DateField(_("co-creation ends"), null=True, blank=True)
    cost_estimates_start = models.DateField(_("cost estimates start"), null=True, blank=True)
    cost_estimates_end = models.DateField(_("cost estimates end"), null=True, blank=True)
    voting_starts_at = models.DateTimeField(_("voting starts"))
    voting_ends_at = models.DateTimeField(_("voting ends"))
    results_on = models.DateField(_("results published"), null=True, blank=True)
    implementation_start = models.DateField(_("implementation starts"), null=True, blank=True)
    implementation_end = models.DateField(_("implementation ends"), null=True, blank=True)

    minimum_voting_age = models.PositiveSmallIntegerField(_("minimum voting age"), default=12)
    age_rule = models.CharField(
        _("how age is counted"), max_length=12, choices=AgeRule.choices, default=AgeRule.ON_DATE
    )
    counting_rule = models.CharField(
        _("counting rule"), max_length=10, choices=CountingRule.choices, default=CountingRule.GREEDY
    )
    ballot_changeable = models.BooleanField(
        _("voters may change their ballot until voting ends"), default=False
    )
    min_plans_per_area = models.PositiveSmallIntegerField(
        _("fewest plans to choose in each area"),
        default=0,
        help_text=_("0: a voter may leave an area's part of the ballot empty."),
    )
    max_plans_per_area = models.PositiveSmallIntegerField(
        _("most plans to choose in each area"),
        null=True,
        blank=True,
        help_text=_("Empty: as many as the area's money allows."),
    )
    publication_needs_second_person = models.BooleanField(
        _("a result is published by another person than the one who counted it"),
        default=True,
    )

    # The ballot box's key pair: voters' choices are sealed with the public key; the
    # private key is derived from BALLOT_SEAL_KEY and this random salt, which mixing
    # erases, so that after mixing nobody can open a sealed copy, even from a backup
    # taken after it.
    seal_public_key = models.BinaryField(_("public key of the ballot box"), editable=False)
    seal_key_salt = models.BinaryField(null=True, editable=False)
    ballot_box_closed_at = models.DateTimeField(
        _("ballot box closed at"), null=True, blank=True, editable=False
    )
    ballots_mixed_at = models.DateTimeField(
        _("ballots moved to the ballot box at"), null=True, blank=True, editable=False
    )

    # What the voting service refuses to change once voting has started.
    LOCKED_WHEN_VOTING = (
        "voting_starts_at",
        "voting_ends_at",
        "minimum_voting_age",
        "age_rule",
        "counting_rule",
        "ballot_changeable",
        "min_plans_per_area",
        "max_plans_per_area",
    )

    class Meta:
        verbose_name = _("budgeting round")
        verbose_name_plural = _("budgeting rounds")
        ordering = ["-voting_starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_ends_at__gt=F("voting_starts_at")),
                name="round_voting_ends_after_start",
                violation_error_message=_("Voting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(max_plans_per_area__isnull=True)
                | Q(max_plans_per_area__gte=F("min_plans_per_area")),
                name="round_plan_limits_in_order",
                violation_error_message=_(
                    "The most plans per area cannot be fewer than the fewest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_plans_per_area__isnull=True) | Q(max_plans_per_area__gt=0),
                name="round_max_plans_positive",
                violation_error_message=_("The most plans per area must be at least 1."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.seal_public_key and not self.ballots_mixed:
            self.seal_key_salt, self.seal_public_key = sealing.new_key()
        super().save(*args, **kwargs)

    # Each phase's (start, end) pair of dates; a phase is either dated or left out.
    PHASES = (
        ("proposals_start", "proposals_end"),
        ("co_creation_start", "co_creation_end"),
        ("cost_estimates_start", "cost_estimates_end"),
        ("implementation_start", "implementation_end"),
    )

    def clean(self):
        super().clean()
        errors = {}
        for start, end in self.PHASES:
            first, last = getattr(self, start), getattr(self, end)
            if last and not first:
                errors[start] = _("Give the start of this phase too.")
            elif first and not last and end != "implementation_end":
                errors[end] = _("Give the end of this phase too.")
            elif first and last and last < first:
                errors[end] = _("The end cannot be before the start.")
        if self.voting_starts_at and self.voting_ends_at:
            if self.voting_ends_at <= self.voting_starts_at:
                errors["voting_ends_at"] = _("Voting must end after it starts.")
            elif self.results_on and self.results_on < self.last_voting_day:
                errors["results_on"] = _("Results cannot be published before voting ends.")
        if (
            self.proposals_end
            and self.voting_starts_at
            and self.proposals_end >= timezone.localtime(self.voting_starts_at).date()
        ):
            errors.setdefault("proposals_end", _("Proposals must end before voting starts."))
        if self.max_plans_per_area == 0:
            errors["max_plans_per_area"] = _("The most plans per area must be at least 1.")
        elif (
            self.max_plans_per_area is not None
            and self.min_plans_per_area is not None
            and self.max_plans_per_area < self.min_plans_per_area
        ):
            errors["max_plans_per_area"] = _(
                "The most plans per area cannot be fewer than the fewest."
            )
        if errors:
            raise ValidationError(errors)

    def proposals_open(self, today=None):
        today = today or timezone.localdate()
        return bool(
            self.proposals_start
            and self.proposals_end
            and self.proposals_start <= today <= self.proposals_end
        )

    def voting_has_started(self, now=None):
        return (now or timezone.now()) >= self.voting_starts_at

    def voting_is_open(self, now=None):
        now = now or timezone.now()
        return self.voting_starts_at <= now < self.voting_ends_at

    def voting_has_ended(self, now=None):
        return (now or timezone.now()) >= self.voting_ends_at

    @property
    def ballots_mixed(self):
        return self.ballots_mixed_at is not None

    @property
    def last_voting_day(self):
        """The local calendar day of the last moment of voting, on which age is counted."""
        return timezone.localtime(self.voting_ends_at - timedelta(microseconds=1)).date()


class RoundBudget(models.Model):
    """The money of one area in a round: the city-wide budget or a district's."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="budgets"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(_("amount (whole euros)"))

    class Meta:
        verbose_name = _("area budget")
        verbose_name_plural = _("area budgets")
        ordering = ["round", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "area"], name="roundbudget_one_per_area"),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="roundbudget_amount_positive",
                violation_error_message=_("A budget must be more than 0 euros."),
            ),
        ]

    def __str__(self):
        return f"{self.round} – {self.area}"


class Theme(models.TextChoices):
    ECOLOGY = "ecology", _("Ecology")
    CULTURE = "culture", _("Culture")
    SPORTS = "sports", _("Sports and exercise")
    LEARNING = "learning", _("Learning and skills")
    PARKS = "parks", _("Parks and nature")
    BUILT = "built", _("Built environment")
    WELLBEING = "wellbeing", _("Health and well-being")
    COMMUNITY = "community", _("Community")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ON_BALLOT = "on_ballot", _("On the ballot")
    FUNDED = "funded", _("Funded")
    NOT_FUNDED = "not_funded", _("Not funded")
    IN_PROGRESS = "in_progress", _("Being carried out")
    IMPLEMENTED = "implemented", _("Carried out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Plans that were on the ballot and so have votes to count.
VOTED_STATUSES = (
    PlanStatus.ON_BALLOT,
    PlanStatus.FUNDED,
    PlanStatus.NOT_FUNDED,
    PlanStatus.IN_PROGRESS,
    PlanStatus.IMPLEMENTED,
)


class PlanQuerySet(models.QuerySet):
    def on_ballot(self):
        return self.filter(status=PlanStatus.ON_BALLOT)


class Plan(models.Model):
    """A plan made with city experts from residents' proposals, costed in a price band.

    The top of the band is what the plan reserves if it wins, so it is what a
    ballot and the count use.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="plans"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Public code of the plan, for example K-023.")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.CharField(_("theme"), max_length=12, choices=Theme.choices)
    cost_low = models.PositiveBigIntegerField(_("cost estimate, lower end (euros)"))
    cost_high = models.PositiveBigIntegerField(_("cost estimate, upper end (euros)"))
    feasibility = models.TextField(
        _("feasibility notes"),
        blank=True,
        help_text=_("What the city's experts found: permits, upkeep, risks, what is left out."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The neighbourhood the plan serves."),
    )
    place_name = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("Where it happens, in words: a park, a street, a school."),
    )
    # GeoJSON (WGS84, longitude first): a Point, a MultiPoint or a Polygon with one ring,
    # checked by services.plans.check_place.
    place = models.JSONField(_("place on the map"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["round", "code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="plan_code_unique_in_round"),
            models.CheckConstraint(
                condition=Q(cost_high__gte=F("cost_low")) & Q(cost_high__gt=0),
                name="plan_cost_band_in_order",
                violation_error_message=_(
                    "The upper end of the cost estimate must be above 0 and at least the lower end."
                ),
            ),
        ]
        indexes = [models.Index(fields=["round", "area", "status"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def cost(self):
        """What the plan reserves from its area's money if it is funded."""
        return self.cost_high

    @property
    def place_points(self):
        """``[(longitude, latitude)]`` of the plan's points, or of its area's corners."""
        if not self.place:
            return []
        coordinates = self.place["coordinates"]
        if self.place["type"] == "Point":
            return [tuple(coordinates)]
        if self.place["type"] == "MultiPoint":
            return [tuple(point) for point in coordinates]
        return [tuple(corner) for corner in coordinates[0][:-1]]

    @property
    def place_is_area(self):
        return bool(self.place) and self.place["type"] == "Polygon"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    ASSISTED = "assisted", _("Assisted at a service point")
    PAPER = "paper", _("Paper ballot")


def new_receipt_code():
    """Twelve characters a person can read aloud: no 0/O, 1/I/L. The twelve are the
    digits of one random number, drawn with one read of the system's randomness
    instead of twelve."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    number = secrets.randbelow(len(alphabet) ** 12)
    code = []
    while len(code) < 12:
        number, digit = divmod(number, len(alphabet))
        code.append(alphabet[digit])
    return f"{''.join(code[:4])}-{''.join(code[4:8])}-{''.join(code[8:])}"


class Participation(models.Model):
    """That a person voted in a round, how, and when; while voting is open, also their
    choices sealed with the round's public key (never for paper ballots, whose slips
    are anonymous), erased when the ballots are mixed."""

    # Found through the unique (round, voter) index; one index less to write per ballot.
    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="participations",
        db_index=False,
    )
    # Empty once the voter deleted their account after the ballots were mixed: the
    # participation then stays as an anonymous count, with the home district and age
    # group kept with it for turnout.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        null=True,
        on_delete=models.PROTECT,
        related_name="budgeting_participations",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The member of staff who recorded an assisted or paper ballot."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "A second member of staff who confirmed the voter's identity, where nobody "
            "else had checked it."
        ),
    )
    sealed_ballot = models.BinaryField(null=True, editable=False)
    receipt_code = models.CharField(
        _("receipt code"), max_length=14, default=new_receipt_code, editable=False
    )
    voted_at = models.DateTimeField(_("voted at"), default=timezone.now)
    changed_at = models.DateTimeField(_("ballot last changed at"), null=True, blank=True)
    # The voter's home district and age group on the day of voting, kept for monitoring so
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
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["round", "voted_at"]
        # Monitoring counts the voters of the years since the last settled one from this
        # index alone (``selectors.voters_by_group``), not from the whole table. Every
        # column is a key: SQLite has no INCLUDE.
        indexes = [
            models.Index(
                fields=["voted_at", "home_district", "age_group", "channel"],
                name="participation_monitoring_idx",
            ),
        ]
        constraints = [
            # One person, one ballot per round, whatever the channel.
            models.UniqueConstraint(fields=["round", "voter"], name="participation_one_per_voter"),
            # A constraint, not unique=True, which would add a pattern index for LIKE.
            models.UniqueConstraint(fields=["receipt_code"], name="participation_receipt_unique"),
            models.CheckConstraint(
                condition=Q(channel="online", recorded_by__isnull=True)
                | (~Q(channel="online") & Q(recorded_by__isnull=False)),
                name="participation_staff_records_offline_channels",
                violation_error_message=_(
                    "Assisted and paper ballots are recorded by staff; online ballots are not."
                ),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True)
                | (~Q(confirmed_by=F("recorded_by")) & ~Q(confirmed_by=F("voter"))),
                name="participation_confirmed_by_a_second_person",
                violation_error_message=_(
                    "The second member of staff must be another person than the one who "
                    "recorded the ballot."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(channel="paper") | Q(sealed_ballot__isnull=True),
                name="participation_paper_ballots_are_anonymous",
                violation_error_message=_("A paper ballot is never stored with its voter."),
            ),
        ]

    def __str__(self):
        voter = self.voter if self.voter_id else _("a removed voter")
        return f"{self.round} – {voter}"

    def changeable_online(self, round):
        """The voter may change this ballot themself: the round allows changes and the
        ballot was cast online, not recorded by staff."""
        return round.ballot_changeable and self.channel == Channel.ONLINE


class BallotQuerySet(models.QuerySet):
    def counted(self):
        """Ballots that count: mixed from online and assisted voting, and paper ballots
        of reconciled batches."""
        return self.filter(
            Q(paper_batch__isnull=True) | Q(paper_batch__reconciled_at__isnull=False)
        )


class Ballot(models.Model):
    """What one anonymous voter chose: a district and plans in it and city-wide.

    Written by mixing in a random order, or entered from a paper slip in a batch.
    """

    id = models.UUIDField(_("public id"), primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="ballots"
    )
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    paper_batch = models.ForeignKey(
        "PaperBatch",
        verbose_name=_("paper batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ballots",
    )
    plans = models.ManyToManyField(
        Plan, verbose_name=_("chosen plans"), through="BallotChoice", related_name="+"
    )

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "id"]

    def __str__(self):
        return str(self.id)


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Found through the unique (ballot, plan) index; one index less to write per choice.
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="choices", db_index=False
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="choices")

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "plan"], name="ballotchoice_plan_once"),
        ]

    def __str__(self):
        return f"{self.ballot_id} {self.plan_id}"


class PaperBatch(models.Model):
    """An envelope of paper ballots of one district from one service point.

    The person who opens it writes down how many slips it holds and enters them; a
    second person counts the slips again and reconciles the batch, which only then is
    counted. Nobody can reconcile a batch they entered.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="paper_batches"
    )
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(
        _("where the slips come from"),
        max_length=120,
        help_text=_("The service point and the date, for example Itäkeskus library 12.3."),
    )
    slips_declared = models.PositiveIntegerField(_("slips in the envelope"))
    void_slips = models.PositiveIntegerField(_("void slips"), default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("entered in full at"), null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reconciled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    slips_counted = models.PositiveIntegerField(
        _("slips counted by the second person"), null=True, blank=True
    )
    # The last time the second person sent the batch back, and what they asked to be
    # corrected: the person entering it reads this on the batch's page.
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.CharField(_("what needs correcting"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("batch of paper ballots")
        verbose_name_plural = _("batches of paper ballots")
        ordering = ["round", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reconciled_by=F("entered_by")),
                name="paperbatch_reconciled_by_another_person",
                violation_error_message=_(
                    "A batch is reconciled by another person than the one who entered it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reconciled_at__isnull=True)
                | Q(submitted_at__isnull=False, slips_counted=F("slips_declared")),
                name="paperbatch_reconciled_when_counts_agree",
                violation_error_message=_(
                    "A batch is reconciled only when it is entered in full and the two "
                    "counts of slips agree."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.round} – {self.label}"

    @property
    def is_reconciled(self):
        return self.reconciled_at is not None


class TallyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Tally(models.Model):
    """One count of an area's ballots with the round's rule: a preview until published.

    ``result`` is the counting package's result (``Result.as_dict()``): funded plans in
    order, and for every plan its votes and a coded explanation, keyed by plan code.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="tallies"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(_("counting rule"), max_length=10, choices=CountingRule.choices)
    budget = models.PositiveBigIntegerField(_("budget (whole euros)"))
    ballots_counted = models.PositiveIntegerField(_("ballots counted"))
    result = models.JSONField(_("result"))
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        ordering = ["round", "area__number", "-counted_at"]
        constraints = [
            # An area's result is published once; a published result is final.
            models.UniqueConstraint(
                fields=["round", "area"],
                condition=Q(published_at__isnull=False),
                name="tally_one_published_per_area",
            ),
        ]

    def __str__(self):
        return f"{self.round} – {self.area} ({self.counted_at:%Y-%m-%d %H:%M})"

    @property
    def selected(self):
        return self.result["selected"]

    @property
    def total_cost(self):
        return self.result["total_cost"]


# How a funded plan moves on; a note may also be added without a change.
PROGRESS_STEPS = {
    PlanStatus.FUNDED: (PlanStatus.FUNDED, PlanStatus.IN_PROGRESS, PlanStatus.IMPLEMENTED),
    PlanStatus.IN_PROGRESS: (PlanStatus.IN_PROGRESS, PlanStatus.IMPLEMENTED),
    PlanStatus.IMPLEMENTED: (PlanStatus.IMPLEMENTED,),
}


class PlanUpdate(models.Model):
    """A public note on how a funded plan is being carried out."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="updates"
    )
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices)
    note = models.TextField(_("what happened"))
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["plan", "-happened_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["funded", "in_progress", "implemented"]),
                name="planupdate_only_funded_plans",
                violation_error_message=_("Only funded plans are carried out."),
            ),
        ]

    def __str__(self):
        return f"{self.plan.code} {self.happened_on}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Goes on to co-creation")
    DECLINED = "declined", _("Cannot go on")
    COMBINED = "combined", _("Became part of a plan")


class Proposal(models.Model):
    """A resident's idea, in the resident's own words and language.

    Accepted proposals are combined into plans with the city's experts
    (co-creation); a declined proposal always says why.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="proposals"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="budgeting_proposals",
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=3000)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    theme = models.CharField(_("theme"), max_length=12, choices=Theme.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    place_text = models.CharField(
        _("address or place"),
        max_length=300,
        blank=True,
        help_text=_("Where it should happen, in words: an address, a park, a school."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["round", "-submitted_at"]
        # The open data API's list of proposals at 100,000 of them: its order and count,
        # bbox and updated_since (bench/opendata.py).
        indexes = [
            models.Index(
                fields=["-submitted_at", "id"],
                condition=Q(hidden_at__isnull=True),
                name="proposal_public_newest_idx",
            ),
            models.Index(
                fields=["latitude", "longitude"],
                condition=Q(hidden_at__isnull=True),
                name="proposal_public_point_idx",
            ),
            models.Index(fields=["edited_at"], name="proposal_edited_idx"),
            models.Index(fields=["decided_at"], name="proposal_decided_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="proposal_declined_has_reason",
                violation_error_message=_("A declined proposal needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(status="combined", plan__isnull=False)
                | (~Q(status="combined") & Q(plan__isnull=True)),
                name="proposal_combined_has_plan",
                violation_error_message=_("A proposal is part of a plan exactly when combined."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="proposal_point_has_both_coordinates",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="proposal_hidden_has_reason",
                violation_error_message=_("A hidden proposal needs a reason."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_point(self):
        return self.latitude is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None


def proposal_image_path(image, filename):
    """A random file name: the uploader's own file name may carry personal details."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"budgeting/proposals/{uuid.uuid4().hex}.{extension}"


class ProposalImage(models.Model):
    """A picture a resident attached to a proposal, stripped of its metadata."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="images"
    )
    image = ImageFileField(_("image"), upload_to=proposal_image_path)
    description = models.CharField(
        _("image description"),
        max_length=200,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("proposal image")
        verbose_name_plural = _("proposal images")
        ordering = ["proposal", "added_at", "id"]

    def __str__(self):
        return self.description


class ProposalComment(models.Model):
    """A resident's comment on a proposal. Moderators hide, never delete, and say why."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="budgeting_comments",
    )
    text = models.TextField(_("comment"), max_length=2000)
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept by hiding and showing the proposal, so that the public list of comments
    # needs no join with the proposals' visibility.
    proposal_hidden = models.BooleanField(_("proposal hidden"), default=False, editable=False)

    class Meta:
        verbose_name = _("comment on a proposal")
        verbose_name_plural = _("comments on proposals")
        ordering = ["proposal", "written_at", "id"]
        # The open data API's list of comments, oldest first.
        indexes = [
            models.Index(
                fields=["written_at", "id"],
                condition=Q(hidden_at__isnull=True, proposal_hidden=False),
                name="comment_public_written_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="proposalcomment_hidden_has_reason",
                violation_error_message=_("A hidden comment needs a reason."),
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def is_hidden(self):
        return self.hidden_at is not None


def plan_image_path(image, filename):
    """A random file name, as for proposals' pictures."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"budgeting/plans/{uuid.uuid4().hex}.{extension}"


class PlanImage(models.Model):
    """A picture of a plan on the ballot: uploaded by staff or taken from one of the
    plan's proposals, with a description in every language for people who cannot see
    it, and a smaller copy for lists."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="images"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    image = ImageFileField(_("image"), upload_to=plan_image_path)
    # Drawn by the app from ``image`` (``thumbnails``), never uploaded; a form that
    # ever offers it re-encodes it as every picture is.
    thumbnail = ImageFileField(_("smaller copy"), upload_to=plan_image_path)
    thumbnail_width = models.PositiveSmallIntegerField(_("width of the smaller copy"))
    thumbnail_height = models.PositiveSmallIntegerField(_("height of the smaller copy"))
    alt_text = models.CharField(
        _("image description"),
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    source = models.ForeignKey(
        ProposalImage,
        verbose_name=_("taken from the proposal's image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("plan image")
        verbose_name_plural = _("plan images")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="planimage_position_unique"),
        ]

    def __str__(self):
        return self.alt_text


class Shortlist(models.Model):
    """The plans a voter has ticked while choosing, kept so that they find them again
    on another day or device until they vote.

    Private to the voter: encrypted with a key derived from ``BALLOT_SEAL_KEY`` and the
    round's salt (``sealing.seal_shortlist``), shown on no staff page and not in the
    admin. Deleted in the transaction that records the person's ballot or paper vote,
    and every shortlist of a round when its ballot box closes, so that none outlives
    the vote or becomes a second record of choices next to a person. No times: when
    someone chose is nobody's business either.
    """

    # Found through the unique (round, voter) index.
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voter"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sealed_plans = models.BinaryField(editable=False)

    class Meta:
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="shortlist_one_per_voter"),
        ]

    def __str__(self):
        return str(_("shortlist"))
