"""Organisers: registering one, its members and their invitations, and staff's
verification."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from osallistu.accounts.models import normalise_email
from osallistu.core import audit

from .. import notifications
from ..models import Invitation, Organiser, OrganiserMember
from ..permissions import may_manage_organiser, may_verify
from .errors import refuse
from .signups import token_digest

EDITABLE = ("name", "kind", "district", "description", "business_id", "email", "phone", "website")


def _unique_slug(name):
    base = slugify(name)[:70] or "organiser"
    slug, number = base, 1
    while Organiser.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def require_member(user, organiser):
    if not may_manage_organiser(user, organiser):
        refuse("not_allowed", _("You do not manage this organiser's opportunities."))


def register_organiser(
    *, user, name, kind, district=None, description="", business_id="", email, phone="", website=""
):
    """A resident registers an organiser and becomes its first member. It waits for
    staff to verify it before anything it makes is shown."""
    if user is None or not user.is_authenticated:
        refuse("not_signed_in", _("Please log in first."))
    with transaction.atomic():
        organiser = Organiser.objects.create(
            name=name.strip(),
            slug=_unique_slug(name),
            kind=kind,
            district=district,
            description=description.strip(),
            business_id=business_id.strip(),
            email=normalise_email(email),
            phone=phone.strip(),
            website=website.strip(),
            created_by=user,
        )
        OrganiserMember.objects.create(organiser=organiser, user=user)
        audit.record(action="volunteering.organiser_registered", actor=user, target=organiser)
    return organiser


def update_organiser(*, organiser, member, **fields):
    require_member(member, organiser)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        organiser = Organiser.objects.select_for_update().get(pk=organiser.pk)
        for name, value in fields.items():
            setattr(organiser, name, value.strip() if isinstance(value, str) else value)
        organiser.email = normalise_email(organiser.email)
        organiser.save()
        audit.record(
            action="volunteering.organiser_changed",
            actor=member,
            target=organiser,
            data={"fields": sorted(fields)},
        )
    return organiser


def _decide(organiser, staff, status, reason, now):
    if not may_verify(staff, organiser):
        refuse("not_allowed", _("You do not verify the organisers of this district."))
    with transaction.atomic():
        organiser = Organiser.objects.select_for_update().get(pk=organiser.pk)
        organiser.status = status
        organiser.status_reason = reason
        organiser.decided_by = staff
        organiser.decided_at = now
        organiser.save(update_fields=["status", "status_reason", "decided_by", "decided_at"])
        audit.record(
            action=f"volunteering.organiser_{status}",
            actor=staff,
            target=organiser,
            data={"reason": reason} if reason else None,
        )
        notifications.organiser_decided(organiser)
    return organiser


def verify_organiser(*, organiser, staff, note="", now=None):
    """Staff verify an organiser, with a note its members are shown if given: its
    published opportunities are shown from now on."""
    return _decide(organiser, staff, Organiser.Status.VERIFIED, note.strip(), now or timezone.now())


def refuse_organiser(*, organiser, staff, reason, now=None):
    """Staff refuse an organiser (or withdraw a verification), with a reason its
    members are told; its opportunities are no longer shown."""
    if not reason.strip():
        refuse("reason_required", _("Give the reason; the organiser is told it."))
    return _decide(
        organiser, staff, Organiser.Status.REFUSED, reason.strip(), now or timezone.now()
    )


def invite_member(*, organiser, member, email, now=None):
    """E-mail an invitation to join ``organiser``. The answer is the same whether or
    not the address has an account."""
    now = now or timezone.now()
    require_member(member, organiser)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organiser=organiser,
            email=normalise_email(email),
            token_digest=token_digest(token),
            invited_by=member,
            created_at=now,
        )
        audit.record(
            action="volunteering.member_invited",
            actor=member,
            target=organiser,
            data={"invitation": invitation.pk},
        )
        notifications.invitation(invitation, token, member)
    return invitation


def invitation_for(token):
    if not token:
        return None
    return (
        Invitation.objects.filter(token_digest=token_digest(token))
        .select_related("organiser")
        .first()
    )


def accept_invitation(*, token, user, now=None):
    """Whoever follows an invitation's link while logged in becomes a member."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated:
        refuse("not_signed_in", _("Please log in first."))
    with transaction.atomic():
        invitation = invitation_for(token)
        if invitation is None:
            refuse("unknown_link", _("This link is not valid. Please check the address."))
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            refuse("used", _("This invitation has already been used."))
        if invitation.has_expired(now):
            refuse("expired", _("This invitation has expired. Please ask for a new one."))
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        _membership, made = OrganiserMember.objects.get_or_create(
            organiser=invitation.organiser, user=user
        )
        if made:
            audit.record(
                action="volunteering.member_added",
                actor=user,
                target=invitation.organiser,
                data={"invitation": invitation.pk},
            )
    return invitation.organiser


def remove_member(*, organiser, member, user):
    """A member removes another member, or leaves; the last member stays."""
    require_member(member, organiser)
    with transaction.atomic():
        Organiser.objects.select_for_update().get(pk=organiser.pk)
        memberships = OrganiserMember.objects.filter(organiser=organiser)
        if not memberships.filter(user=user).exists():
            refuse("not_member", _("This person is not a member."))
        if memberships.count() == 1:
            refuse(
                "last_member",
                _("The last member cannot be removed: invite someone else first."),
            )
        memberships.filter(user=user).delete()
        audit.record(
            action="volunteering.member_removed",
            actor=member,
            target=organiser,
            data={"user": user.pk},
        )
