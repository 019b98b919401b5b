"""A volunteer leaves volunteering's records: when their account is deleted, and when
their sign-ups have outlived the retention period (``osallistu.volunteering.personal_data``).

A past sign-up keeps what the city counts (shift, status, age at the shift, attendance
and hours) without the person: the account, name, phone, message and the guardian's
details go, and ``removed_volunteer`` gets a random key shared by that person's removed
sign-ups, so that the figures still count them as one volunteer. The key is stored
nowhere else and leads to nobody. Upcoming sign-ups and talkoot are cancelled by the
same rules as the person's own cancellation.
"""

import uuid

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from osallistu.core import audit
from osallistu.core.models import AuditEntry

from ..models import (
    ACTIVE,
    Invitation,
    Opportunity,
    Organiser,
    OrganiserMember,
    SignUp,
    Talkoot,
)
from ..selectors import CITY_TZ
from . import signups as signup_services
from . import talkoot as talkoot_services
from .errors import VolunteeringError

PERSONAL_DETAILS = {
    "name": "",
    "phone": "",
    "message": "",
    "cancel_note": "",
    "guardian_name": "",
    "guardian_email": "",
    "guardian_language": "",
    "guardian_token_digest": None,
}


def running_talkoot(user, today):
    """Approved talkoot of the person going on today: they answer for them until over."""
    return Talkoot.objects.filter(
        proposer=user, status=Talkoot.Status.APPROVED, starts_on__lte=today, ends_on__gte=today
    ).order_by("starts_on")


def organisers_left_alone(user):
    """Verified organisers with published opportunities that only ``user`` manages."""
    published = Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED)
    return (
        Organiser.objects.filter(
            memberships__user=user,
            status=Organiser.Status.VERIFIED,
            opportunities__in=published,
        )
        .exclude(memberships__in=OrganiserMember.objects.exclude(user=user))
        .distinct()
        .order_by("name")
    )


def remove_volunteer(signups):
    """Leave the people out of ``signups``: each person's get one random key. Returns
    how many sign-ups were changed."""
    done = 0
    people = signups.filter(volunteer__isnull=False).values_list("volunteer", flat=True)
    for person in sorted(set(people)):
        mine = signups.filter(volunteer=person)
        ids = list(mine.values_list("pk", flat=True))
        done += SignUp.objects.filter(pk__in=ids).update(
            volunteer=None, removed_volunteer=uuid.uuid4(), **PERSONAL_DETAILS
        )
        # The log's entries on these sign-ups were named after the volunteer.
        AuditEntry.objects.filter(
            target_type=SignUp._meta.label_lower, target_id__in=[str(pk) for pk in ids]
        ).update(target_repr="")
    return done


def remove_person(*, user, remove_content=False, now=None):
    """Take ``user`` out of volunteering as their account is deleted. Returns
    ``(cancelled, kept, talkoot_removed)``."""
    now = now or timezone.now()
    today = timezone.localtime(now, CITY_TZ).date()
    cancelled = 0
    with transaction.atomic():
        coming = SignUp.objects.filter(
            volunteer=user, status__in=ACTIVE, shift__starts_at__gt=now
        ).order_by("shift__starts_at", "pk")
        for signup in coming:
            if signup_services.cancel_as_account_deleted(signup=signup, now=now) is not None:
                cancelled += 1
        planned = Talkoot.objects.filter(
            proposer=user, status__in=talkoot_services.COUNTED, starts_on__gt=today
        )
        for talkoot in planned:
            try:
                talkoot_services.cancel_talkoot(talkoot=talkoot, user=user, now=now)
                cancelled += 1
            except VolunteeringError:
                # Decided or begun meanwhile: kept or removed below with the rest.
                pass
        kept = remove_volunteer(SignUp.objects.filter(volunteer=user))
        # Talkoot never made public go; the approved ones stay as the city's events,
        # without their proposer, unless the person asks their content to go too.
        theirs = Talkoot.objects.filter(proposer=user)
        removed = theirs.exclude(status=Talkoot.Status.APPROVED).delete()[0]
        if remove_content:
            removed += theirs.delete()[0]
        kept += theirs.update(proposer=None)
        if user.email:
            Invitation.objects.filter(email__iexact=user.email).delete()
        if cancelled or kept or removed:
            audit.record(
                action="volunteering.person_removed",
                data={"cancelled": cancelled, "kept_without_person": kept, "removed": removed},
            )
    return cancelled, kept, removed


def apply_retention(*, signups_before=None, guardians_before=None):
    """The sign-ups of volunteers whose last shift ended before ``signups_before`` lose
    their person as on deletion; guardians' details go once the guardian answered or the sign-up was
    cancelled before ``guardians_before``. Returns how many sign-ups were changed;
    running it again changes nothing more."""
    done = 0
    with transaction.atomic():
        if signups_before is not None:
            # A person's sign-ups go together, a period after their last shift: split
            # between the account and a key, one person would count as two.
            gone_quiet = (
                SignUp.objects.filter(volunteer__isnull=False)
                .values("volunteer")
                .annotate(last=Max("shift__ends_at"))
                .filter(last__lt=signups_before)
                .values("volunteer")
            )
            done += remove_volunteer(SignUp.objects.filter(volunteer__in=gone_quiet))
        if guardians_before is not None:
            answered = Q(guardian_confirmed_at__lt=guardians_before) | Q(
                status=SignUp.Status.CANCELLED, cancelled_at__lt=guardians_before
            )
            done += (
                SignUp.objects.filter(answered)
                .exclude(guardian_email="")
                .update(
                    guardian_name="",
                    guardian_email="",
                    guardian_language="",
                    guardian_token_digest=None,
                )
            )
    return done
