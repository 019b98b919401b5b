"""Background tasks of volunteering: the reminder 48 hours before a shift, and a
held place given up when a guardian has not consented in time."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from osallistu.core import jobs

from . import notifications
from .models import Shift, SignUp

REMINDER_BEFORE = timedelta(hours=48)


@jobs.task(name="volunteering.remind_shift")
def remind_shift(*, shift, starts_at):
    """E-mail everyone with a confirmed place on ``shift``. Queued for 48 hours before
    ``starts_at``; a shift moved since has a new task and this one does nothing. Each
    person is reminded once, however often the task runs."""
    found = Shift.objects.filter(pk=shift).select_related("opportunity").first()
    if found is None or found.status != Shift.Status.OPEN:
        return {"reminded": 0}
    if found.starts_at.isoformat() != starts_at or found.starts_at <= timezone.now():
        return {"reminded": 0}
    reminded = 0
    with transaction.atomic():
        signups = (
            found.signups.filter(status=SignUp.Status.CONFIRMED, reminded_at__isnull=True)
            .select_for_update(of=("self",))
            .select_related("volunteer")
        )
        for signup in signups:
            notifications.reminder(signup)
            signup.reminded_at = timezone.now()
            signup.save(update_fields=["reminded_at"])
            reminded += 1
    return {"reminded": reminded}


@jobs.task(name="volunteering.lapse_consent")
def lapse_consent(*, signup):
    """Give up a place held for a guardian's consent once its time has run out."""
    from . import services

    found = SignUp.objects.filter(pk=signup).first()
    if found is None:
        return None
    lapsed = services.lapse_consent(signup=found)
    return {"lapsed": lapsed is not None}
