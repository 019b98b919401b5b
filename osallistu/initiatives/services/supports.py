"""Supports: online after strong identification (one per person, held by the database),
withdrawn until the initiative is sent; paper supports entered by registry staff and
confirmed by a second member of staff; and the legal thresholds they reach."""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas.selectors import VOTING_AGE, demographics_of
from osallistu.core import audit
from osallistu.identity.eligibility import check_eligibility

from .. import notifications, thresholds
from ..models import PaperSupportBatch, State, Support
from .common import check_handler, check_state, lock
from .errors import InitiativeError

# Supporting is open to residents from the age at which youth initiatives are made.
SUPPORT_MINIMUM_AGE = 13
PAPER_STATES = (State.COLLECTING, State.SENT, State.PREPARING)


def check_supporter(user, today=None):
    """Raise InitiativeError unless ``user`` may support initiatives today: strongly
    identified, a resident of the city, 13 or older."""
    eligibility = check_eligibility(
        user, on_date=today or timezone.localdate(), minimum_age=SUPPORT_MINIMUM_AGE
    )
    if not eligibility:
        raise InitiativeError(eligibility.reason, code=eligibility.code)


def already_supported():
    return InitiativeError(
        _("You already support this initiative. Each person can support it once."),
        code="already_supported",
    )


def check_not_supported(initiative, user):
    if Support.objects.filter(initiative=initiative, user=user).exists():
        raise already_supported()


def support_initiative(*, initiative, user, now=None):
    """``user`` supports ``initiative``. The support counts towards the thresholds when
    the person is of voting age on the day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    check_supporter(user, today)
    # Kept with the support as they are today, for monitoring.
    district, age_group = demographics_of(user, today)
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            [State.COLLECTING],
            _("This initiative does not collect support now."),
            code="not_collecting",
        )
        check_not_supported(initiative, user)
        try:
            # A savepoint: if the constraint refuses the row, the rest still commits
            # nothing and the person is told why.
            with transaction.atomic():
                support = Support.objects.create(
                    initiative=initiative,
                    user=user,
                    supported_at=now,
                    counts=user.age_on(today) >= VOTING_AGE,
                    home_district_id=district,
                    age_group=age_group,
                )
        except IntegrityError:
            raise already_supported() from None
        audit.record(action="initiatives.supported", actor=user, target=initiative)
        update_thresholds(initiative, today=today)
    return support


def withdraw_support(*, initiative, user):
    """Take back a support, possible until the initiative is sent."""
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            [State.COLLECTING],
            _("The initiative has been sent to the city, so supports can no longer be withdrawn."),
            code="not_collecting",
        )
        removed, _counts = Support.objects.filter(initiative=initiative, user=user).delete()
        if not removed:
            raise InitiativeError(_("You do not support this initiative."), code="not_supported")
        audit.record(action="initiatives.support_withdrawn", actor=user, target=initiative)
        update_thresholds(initiative, today=timezone.localdate())
    return initiative


def counted_supports(initiative):
    """Supports that count towards the thresholds: online supporters of voting age and
    valid signatures of confirmed paper batches."""
    online = Support.objects.filter(initiative=initiative, counts=True).count()
    paper = PaperSupportBatch.objects.filter(
        initiative=initiative, confirmed_at__isnull=False
    ).aggregate(valid=Sum("valid"))["valid"]
    return online + (paper or 0)


def update_thresholds(initiative, *, today):
    """Record a threshold ``initiative`` (locked, saved here) has crossed, and tell its
    authors and the registry with the deadline; before it is sent, a threshold that
    withdrawals have taken it below again is no longer reached."""
    progress = thresholds.progress_of(initiative, counted_supports(initiative))
    fields = []
    for threshold in progress.thresholds:
        field = f"{threshold.key}_threshold_reached_on"
        reached_on = getattr(initiative, field)
        if threshold.reached and reached_on is None:
            setattr(initiative, field, today)
            fields.append(field)
            if threshold.key == thresholds.COUNCIL and initiative.sent_at is not None:
                fields += _set_legal_deadline(initiative)
            audit.record(
                action="initiatives.threshold_reached",
                target=initiative,
                data={"threshold": threshold.key, "supports": threshold.counted},
            )
            notifications.threshold_reached(initiative, threshold)
        elif not threshold.reached and reached_on is not None and initiative.sent_at is None:
            setattr(initiative, field, None)
            fields.append(field)
    if fields:
        initiative.save(update_fields=fields)
    return progress


def _set_legal_deadline(initiative):
    """Six months from when it was sent, unless staff have set an earlier day."""
    legal = thresholds.council_deadline(timezone.localdate(initiative.sent_at))
    if initiative.deadline is not None and initiative.deadline <= legal:
        return []
    initiative.deadline = legal
    initiative.deadline_by_law = True
    initiative.deadline_reason = ""
    return ["deadline", "deadline_by_law", "deadline_reason"]


# Paper supports


def enter_paper_batch(*, initiative, actor, label, signatures, valid, notes=""):
    """Registry staff enter checked paper lists: the signatures on them and how many are
    valid. The batch counts once a second member of staff confirms it."""
    check_handler(initiative, actor)
    if valid > signatures:
        raise InitiativeError(
            _("There cannot be more valid signatures than signatures."), code="counts"
        )
    if valid < signatures and not notes.strip():
        raise InitiativeError(
            _("Please say why some signatures were not accepted."), code="no_notes"
        )
    with transaction.atomic():
        initiative = lock(initiative)
        check_state(
            initiative,
            PAPER_STATES,
            _("Paper supports are entered while the initiative collects support or is handled."),
            code="state",
        )
        batch = PaperSupportBatch.objects.create(
            initiative=initiative,
            label=label.strip(),
            signatures=signatures,
            valid=valid,
            notes=notes.strip(),
            entered_by=actor,
        )
        audit.record(
            action="initiatives.paper_batch_entered",
            actor=actor,
            target=initiative,
            data={"batch": batch.pk, "signatures": signatures, "valid": valid},
        )
    return batch


def _waiting_batch(batch, actor):
    batch = PaperSupportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.entered_by_id == actor.pk:
        raise InitiativeError(
            _("Someone else than the person who entered the batch must check it."),
            code="same_person",
        )
    if not batch.is_waiting:
        raise InitiativeError(_("This batch has already been checked."), code="checked")
    return batch


def confirm_paper_batch(*, batch, actor, valid_counted):
    """A second member of staff counted the valid signatures again: when the counts
    agree, the batch counts towards the thresholds."""
    check_handler(batch.initiative, actor)
    with transaction.atomic():
        initiative = lock(batch.initiative)
        batch = _waiting_batch(batch, actor)
        if valid_counted != batch.valid:
            raise InitiativeError(
                _(
                    "You counted %(counted)s valid signatures, but %(entered)s were entered. "
                    "Count again, or return the batch."
                )
                % {"counted": valid_counted, "entered": batch.valid},
                code="counts_differ",
            )
        batch.confirmed_by = actor
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["confirmed_by", "confirmed_at"])
        audit.record(
            action="initiatives.paper_batch_confirmed",
            actor=actor,
            target=initiative,
            data={"batch": batch.pk, "valid": batch.valid},
        )
        update_thresholds(initiative, today=timezone.localdate())
    return batch


def return_paper_batch(*, batch, actor, reason):
    """The second member of staff does not confirm the batch; it never counts, and the
    lists are entered again as a new batch."""
    reason = reason.strip()
    if not reason:
        raise InitiativeError(_("Please say what is wrong with the batch."), code="no_reason")
    check_handler(batch.initiative, actor)
    with transaction.atomic():
        initiative = lock(batch.initiative)
        batch = _waiting_batch(batch, actor)
        batch.returned_by = actor
        batch.returned_at = timezone.now()
        batch.return_reason = reason
        batch.save(update_fields=["returned_by", "returned_at", "return_reason"])
        audit.record(
            action="initiatives.paper_batch_returned",
            actor=actor,
            target=initiative,
            data={"batch": batch.pk, "reason": reason},
        )
    return batch
