"""Writing an initiative: starting it, editing the draft, co-authors, publishing it to
collect support, sending it to the city, and withdrawing it."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.areas.models import Area
from osallistu.core import audit

from .. import notifications
from ..models import (
    Author,
    AuthorKind,
    Category,
    Initiative,
    Invitation,
    State,
    new_token,
)
from ..thresholds import council_deadline
from .common import change_state, check_author, check_place, check_state, lock
from .errors import InitiativeError

YOUTH_AGES = (13, 17)
# Enough for any person's initiatives and co-authors; stops a script from flooding.
MAX_DRAFTS_PER_PERSON = 10
MAX_INVITATIONS = 30
INVITATION_DAYS = 30


@dataclass(frozen=True)
class Place:
    """Where an initiative is about: words, and optionally a point (WGS84)."""

    text: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class AuthorDetails:
    """As whom a person makes an initiative, and the name shown with it."""

    kind: str
    public_name: str
    organisation: str = ""


def check_author_details(details, user):
    if details.kind not in AuthorKind.values:
        raise InitiativeError(_("Please choose as whom you make the initiative."), code="kind")
    if not details.public_name.strip():
        raise InitiativeError(
            _("Please give the name to show with the initiative."), code="public_name"
        )
    if details.kind != AuthorKind.RESIDENT and not details.organisation.strip():
        raise InitiativeError(
            _("Please name the community or foundation, or the service you use."),
            code="organisation",
        )
    if (
        details.kind == AuthorKind.RESIDENT
        and user.municipality_code
        and user.municipality_code != settings.CITY_MUNICIPALITY_CODE
    ):
        raise InitiativeError(
            _(
                "Our information says that you live in another municipality. You can make an "
                "initiative as a user of the city's services or for a community active in "
                "the city."
            ),
            code="not_resident",
        )


def check_youth_author(user, today):
    """A youth initiative is made by a person aged 13–17, whose age is known."""
    youngest, oldest = YOUTH_AGES
    if not user.is_strongly_identified or user.birth_date is None:
        raise InitiativeError(
            _(
                "A youth initiative needs your age: identify yourself first with your school "
                "login or online banking."
            ),
            code="youth_age_unknown",
        )
    if not youngest <= user.age_on(today) <= oldest:
        raise InitiativeError(
            _("Youth initiatives are made by people aged %(youngest)s to %(oldest)s.")
            % {"youngest": youngest, "oldest": oldest},
            code="youth_age",
        )


def _check_content(*, category, area, place, user, today):
    if category not in Category.values:
        raise InitiativeError(_("Please choose the kind of initiative."), code="category")
    if category == Category.YOUTH:
        check_youth_author(user, today)
    if area is None or not Area.objects.filter(pk=area.pk).exists():
        raise InitiativeError(_("Please choose one of the areas on the list."), code="area")
    check_place(place.latitude, place.longitude)


def _content_fields(*, category, title, proposal, rationale, language, area, place):
    return {
        "category": category,
        "title": title.strip(),
        "proposal": proposal.strip(),
        "rationale": rationale.strip(),
        "language": language,
        "area": area,
        "place_text": place.text.strip(),
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def start_initiative(
    *, author, details, category, title, proposal, rationale, language, area, place=None
):
    """A new draft with ``author`` as its initiator; only its authors see it."""
    place = place or Place()
    today = timezone.localdate()
    check_author_details(details, author)
    _check_content(category=category, area=area, place=place, user=author, today=today)
    with transaction.atomic():
        # The person's row is locked so that simultaneous starts count each other.
        get_user_model().objects.select_for_update().filter(pk=author.pk).exists()
        drafts = Initiative.objects.filter(
            state=State.DRAFT, authors__user=author, authors__is_initiator=True
        )
        if drafts.count() >= MAX_DRAFTS_PER_PERSON:
            raise InitiativeError(
                _("You have %(count)s drafts already. Send or delete one before you start another.")
                % {"count": MAX_DRAFTS_PER_PERSON},
                code="too_many_drafts",
            )
        initiative = Initiative.objects.create(
            **_content_fields(
                category=category,
                title=title,
                proposal=proposal,
                rationale=rationale,
                language=language,
                area=area,
                place=place,
            )
        )
        Author.objects.create(
            initiative=initiative,
            user=author,
            kind=details.kind,
            organisation=details.organisation.strip(),
            public_name=details.public_name.strip(),
            is_initiator=True,
        )
        audit.record(action="initiatives.started", actor=author, target=initiative)
    return initiative


def update_initiative(
    *, initiative, actor, category, title, proposal, rationale, language, area, place=None
):
    """Authors edit their draft. Once published, the text is what people supported, so
    it stays as it is."""
    place = place or Place()
    _check_content(
        category=category, area=area, place=place, user=actor, today=timezone.localdate()
    )
    with transaction.atomic():
        initiative = lock(initiative)
        check_author(initiative, actor)
        check_state(
            initiative,
            [State.DRAFT],
            _("Only a draft can be edited: people have supported the published text."),
            code="not_draft",
        )
        fields = _content_fields(
            category=category,
            title=title,
            proposal=proposal,
            rationale=rationale,
            language=language,
            area=area,
            place=place,
        )
        changed = sorted(
            name for name, value in fields.items() if getattr(initiative, name) != value
        )
        for name, value in fields.items():
            setattr(initiative, name, value)
        initiative.edited_at = timezone.now()
        initiative.save()
        audit.record(
            action="initiatives.edited", actor=actor, target=initiative, data={"fields": changed}
        )
    return initiative


def delete_draft(*, initiative, actor):
    """The initiator deletes a draft nobody else has seen."""
    with transaction.atomic():
        initiative = lock(initiative)
        author = check_author(initiative, actor)
        if not author.is_initiator:
            raise InitiativeError(
                _("Only the initiator can delete the draft."), code="not_initiator"
            )
        check_state(initiative, [State.DRAFT], _("Only a draft can be deleted."), code="not_draft")
        audit.record(
            action="initiatives.draft_deleted",
            actor=actor,
            target=initiative,
            data={"title": initiative.title},
        )
        initiative.delete()


def publish_initiative(*, initiative, actor):
    """Make a draft public so that residents can support it."""
    with transaction.atomic():
        initiative = lock(initiative)
        check_author(initiative, actor)
        check_state(
            initiative,
            [State.DRAFT],
            _("The initiative is already published."),
            code="not_draft",
        )
        initiative.published_at = timezone.now()
        change_state(initiative, State.COLLECTING, actor=actor, by_city=False)
        initiative.save()
    return initiative


def send_initiative(*, initiative, actor):
    """The authors send the initiative to the city: supports can no longer be given or
    withdrawn, and the registry is told to register it. With 2 % support reached, the
    council's six months start now."""
    with transaction.atomic():
        initiative = lock(initiative)
        check_author(initiative, actor)
        check_state(
            initiative,
            [State.DRAFT, State.COLLECTING],
            _("The initiative has already been sent to the city."),
            code="already_sent",
        )
        now = timezone.now()
        initiative.sent_at = now
        if initiative.council_threshold_reached_on is not None:
            initiative.deadline = council_deadline(timezone.localdate(now))
            initiative.deadline_by_law = True
            initiative.deadline_reason = ""
        change_state(initiative, State.SENT, actor=actor, by_city=False)
        initiative.save()
        notifications.sent_to_registry(initiative)
    return initiative


def withdraw_initiative(*, initiative, actor, reason):
    """The authors stop collecting support and end the initiative before sending it."""
    reason = reason.strip()
    if not reason:
        raise InitiativeError(_("Please say why you withdraw the initiative."), code="no_reason")
    with transaction.atomic():
        initiative = lock(initiative)
        check_author(initiative, actor)
        check_state(
            initiative,
            [State.COLLECTING],
            _("Only an initiative that is collecting support can be withdrawn here."),
            code="not_collecting",
        )
        initiative.end_reason = reason
        initiative.closed_at = timezone.now()
        change_state(initiative, State.ENDED, actor=actor, by_city=False, reason=reason)
        initiative.save()
    return initiative


# Co-authors


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite_coauthor(*, initiative, actor, email):
    """Invite a co-author by e-mail; the link in the e-mail lets them join. Returns the
    invitation."""
    email = email.strip().lower()
    with transaction.atomic():
        initiative = lock(initiative)
        check_author(initiative, actor)
        check_state(
            initiative,
            [State.DRAFT, State.COLLECTING],
            _("Co-authors can be invited until the initiative is sent."),
            code="already_sent",
        )
        if initiative.authors.filter(user__email__iexact=email).exists():
            raise InitiativeError(
                _("The person with this address is already an author."), code="already_author"
            )
        if initiative.invitations.filter(email=email).exists():
            raise InitiativeError(
                _("This address has already been invited."), code="already_invited"
            )
        if initiative.invitations.count() >= MAX_INVITATIONS:
            raise InitiativeError(
                _("An initiative can have at most %(count)s invitations.")
                % {"count": MAX_INVITATIONS},
                code="too_many_invitations",
            )
        token = new_token()
        invitation = Invitation.objects.create(
            initiative=initiative, email=email, token_digest=token_digest(token), invited_by=actor
        )
        audit.record(
            action="initiatives.coauthor_invited",
            actor=actor,
            target=initiative,
            data={"invitation": invitation.pk},
        )
        notifications.invitation(invitation, token, inviter=check_author(initiative, actor))
    return invitation


def invitation_for(token):
    """The open invitation of ``token``, or None (unknown, used or expired)."""
    invitation = (
        Invitation.objects.select_related("initiative")
        .filter(token_digest=token_digest(token), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.invited_at < timezone.now() - timedelta(
        days=INVITATION_DAYS
    ):
        return None
    return invitation


def accept_invitation(*, token, user, details):
    """``user`` joins as a co-author through the link they were sent."""
    check_author_details(details, user)
    with transaction.atomic():
        invitation = invitation_for(token)
        if invitation is None:
            raise InitiativeError(
                _(
                    "This invitation is not valid: it has been used or it is more than "
                    "%(days)s days old. Ask the authors for a new one."
                )
                % {"days": INVITATION_DAYS},
                code="invitation_invalid",
            )
        initiative = lock(invitation.initiative)
        check_state(
            initiative,
            [State.DRAFT, State.COLLECTING],
            _("The initiative has already been sent, so no more authors can join."),
            code="already_sent",
        )
        if initiative.authors.filter(user=user).exists():
            raise InitiativeError(
                _("You are already an author of this initiative."), code="already_author"
            )
        if initiative.category == Category.YOUTH:
            check_youth_author(user, timezone.localdate())
        try:
            with transaction.atomic():
                Author.objects.create(
                    initiative=initiative,
                    user=user,
                    kind=details.kind,
                    organisation=details.organisation.strip(),
                    public_name=details.public_name.strip(),
                )
        except IntegrityError:
            raise InitiativeError(
                _("You are already an author of this initiative."), code="already_author"
            ) from None
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit.record(
            action="initiatives.coauthor_joined",
            actor=user,
            target=initiative,
            data={"invitation": invitation.pk},
        )
    return initiative


def cancel_invitation(*, invitation, actor):
    with transaction.atomic():
        initiative = lock(invitation.initiative)
        check_author(initiative, actor)
        removed, _counts = initiative.invitations.filter(
            pk=invitation.pk, accepted_at__isnull=True
        ).delete()
        if not removed:
            raise InitiativeError(
                _("The invitation has already been accepted."), code="invitation_accepted"
            )
        audit.record(
            action="initiatives.invitation_cancelled",
            actor=actor,
            target=initiative,
            data={"invitation": invitation.pk},
        )
