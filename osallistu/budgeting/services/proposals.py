"""Residents' proposals, their pictures and comments, and their moderation."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.core import audit

from ..images import ImageRejected, clean_image
from ..models import Proposal, ProposalComment, ProposalImage, ProposalStatus, Round
from .errors import ProposalError

# Enough for any resident's ideas; stops a script from flooding a round.
MAX_PROPOSALS_PER_PERSON = 20


@dataclass(frozen=True)
class Place:
    """Where a proposal should happen: words, and optionally a point (WGS84)."""

    text: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


# Helsinki with its sea area and Östersundom, generously: (south, west, north, east).
HELSINKI_BOUNDS = (Decimal("59.90"), Decimal("24.50"), Decimal("60.40"), Decimal("25.40"))
MAX_IMAGES_PER_PROPOSAL = 3


def check_place(place):
    if (place.latitude is None) != (place.longitude is None):
        raise ProposalError(
            _("Give both the latitude and the longitude, or neither."), code="place"
        )
    if place.latitude is not None:
        south, west, north, east = HELSINKI_BOUNDS
        if not (south <= place.latitude <= north and west <= place.longitude <= east):
            raise ProposalError(
                _("The point is not in Helsinki. Check the coordinates or write an address."),
                code="place",
            )


def submit_proposal(
    *, round, author, area, title, description, theme, language, place=None, images=()
):
    """A resident's proposal, accepted only while the round takes proposals.

    ``images`` are ``(file bytes, description)`` pairs; each is checked and stored
    without its metadata.
    """
    place = place or Place()
    check_place(place)
    prepared = _prepare_images(images)
    with _removing_files_on_error() as stored, transaction.atomic():
        round = Round.objects.get(pk=round.pk)
        if not round.proposals_open():
            raise ProposalError(_("This round does not take proposals now."), code="closed")
        if not round.budgets.filter(area=area).exists():
            raise ProposalError(_("Please choose one of the areas on the list."), code="area")
        # Lock the author's row so simultaneous submissions count each other.
        get_user_model().objects.select_for_update().filter(pk=author.pk).exists()
        if round.proposals.filter(author=author).count() >= MAX_PROPOSALS_PER_PERSON:
            raise ProposalError(
                _(
                    "You have sent %(count)s proposals to this round, which is the most one "
                    "person can send."
                )
                % {"count": MAX_PROPOSALS_PER_PERSON},
                code="too_many",
            )
        proposal = Proposal.objects.create(
            round=round,
            area=area,
            author=author,
            title=title.strip(),
            description=description.strip(),
            theme=theme,
            language=language,
            place_text=place.text.strip(),
            latitude=place.latitude,
            longitude=place.longitude,
        )
        _store_images(proposal, prepared, stored)
        audit.record(action="budgeting.proposal_submitted", actor=author, target=proposal)
    return proposal


def _prepare_images(images):
    """Check and clean ``(file bytes, description)`` pairs before anything is stored."""
    prepared = []
    for data, description in images:
        if not description.strip():
            raise ProposalError(
                _("Describe each image for people who cannot see it."), code="image_description"
            )
        try:
            cleaned, extension = clean_image(data)
        except ImageRejected as error:
            raise ProposalError(error.message, code="image") from None
        prepared.append((cleaned, extension, description.strip()))
    return prepared


def _store_images(proposal, prepared, stored):
    """Save cleaned images of ``proposal``; ``stored`` collects the files written, so that
    the caller can remove them if its transaction fails."""
    if proposal.images.count() + len(prepared) > MAX_IMAGES_PER_PROPOSAL:
        raise ProposalError(
            ngettext(
                "A proposal can have at most %(count)d image.",
                "A proposal can have at most %(count)d images.",
                MAX_IMAGES_PER_PROPOSAL,
            )
            % {"count": MAX_IMAGES_PER_PROPOSAL},
            code="too_many_images",
        )
    for cleaned, extension, description in prepared:
        image = ProposalImage(proposal=proposal, description=description)
        image.image.save(f"image.{extension}", ContentFile(cleaned), save=False)
        stored.append(image.image)
        image.save()


@contextmanager
def _removing_files_on_error():
    """Yield a list for the files a transaction writes; if the block fails, delete them
    again (the rows are rolled back, the files would otherwise stay behind)."""
    stored = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def check_author_may_edit(proposal, user):
    """Raise ProposalError unless ``user`` may still edit ``proposal``."""
    if proposal.author_id is None or proposal.author_id != user.pk:
        raise PermissionDenied("only the author edits a proposal")
    if not proposal.round.proposals_open():
        end = formats.date_format(proposal.round.proposals_end, "DATE_FORMAT")
        raise ProposalError(
            _(
                "Proposals could be edited until %(end)s, when the proposal phase ended. "
                "Your proposal stays as it was sent."
            )
            % {"end": end}
            if proposal.round.proposals_end
            else _("This round does not take proposals now."),
            code="closed",
        )
    if proposal.status == ProposalStatus.COMBINED:
        raise ProposalError(
            _("Your proposal is already part of a plan, so it can no longer be edited."),
            code="combined",
        )


def update_proposal(
    *, proposal, author, area, title, description, theme, place=None, images=(), remove_images=()
):
    """The author edits their proposal until the proposal phase ends.

    A proposal that was already accepted or declined goes back to waiting for review,
    because the decision was about the old text; the old decision stays in the audit log.
    """
    place = place or Place()
    check_place(place)
    prepared = _prepare_images(images)
    with _removing_files_on_error() as stored, transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("round").get(pk=proposal.pk)
        check_author_may_edit(proposal, author)
        if not proposal.round.budgets.filter(area=area).exists():
            raise ProposalError(_("Please choose one of the areas on the list."), code="area")
        previous = proposal.status
        proposal.area = area
        proposal.title = title.strip()
        proposal.description = description.strip()
        proposal.theme = theme
        proposal.place_text = place.text.strip()
        proposal.latitude = place.latitude
        proposal.longitude = place.longitude
        proposal.edited_at = timezone.now()
        if previous != ProposalStatus.SUBMITTED:
            proposal.status = ProposalStatus.SUBMITTED
            proposal.decision_reason = ""
            proposal.decided_at = None
            proposal.decided_by = None
        proposal.full_clean()
        proposal.save()
        removed = list(proposal.images.filter(pk__in=[image.pk for image in remove_images]))
        for image in removed:
            image.delete()
        _store_images(proposal, prepared, stored)
        audit.record(
            action="budgeting.proposal_edited",
            actor=author,
            target=proposal,
            data={"previous_status": previous, "images_removed": len(removed)},
        )
        for image in removed:
            transaction.on_commit(partial(image.image.storage.delete, image.image.name))
    return proposal


# Comments on proposals

COMMENTS_PER_PERSON_PER_DAY = 30


def post_proposal_comment(*, proposal, author, text):
    """A signed-in person comments on a proposal, until voting starts."""
    text = text.strip()
    if not text:
        raise ProposalError(_("Write a comment first."), code="empty")
    if len(text) > 2000:
        raise ProposalError(_("A comment can be at most 2000 characters."), code="too_long")
    with transaction.atomic():
        # Locked so that hiding the proposal waits for the comment, and marks it.
        proposal = (
            Proposal.objects.select_related("round")
            .select_for_update(of=("self",))
            .get(pk=proposal.pk)
        )
        if proposal.round.voting_has_started():
            raise ProposalError(
                _("Comments are closed: voting has started."), code="comments_closed"
            )
        if proposal.is_hidden:
            raise ProposalError(
                _("A moderator hid this proposal, so it cannot be commented on."),
                code="hidden",
            )
        get_user_model().objects.select_for_update().filter(pk=author.pk).exists()
        since = timezone.now() - timedelta(days=1)
        if (
            ProposalComment.objects.filter(author=author, written_at__gte=since).count()
            >= COMMENTS_PER_PERSON_PER_DAY
        ):
            raise ProposalError(
                _("You have written very many comments today. Please try again tomorrow."),
                code="rate_limited",
            )
        comment = ProposalComment.objects.create(proposal=proposal, author=author, text=text)
        audit.record(action="budgeting.comment_posted", actor=author, target=comment)
    return comment


HIDING_REASON_LENGTH = 300


def check_hiding_reason(reason, missing):
    """The reason for hiding, stripped, or a refusal: it is shown in place of the text."""
    reason = reason.strip()
    if not reason:
        raise ProposalError(missing, code="no_reason")
    if len(reason) > HIDING_REASON_LENGTH:
        raise ProposalError(
            _("Please say it in at most %(count)d characters.") % {"count": HIDING_REASON_LENGTH},
            code="too_long",
        )
    return reason


def hide_proposal_comment(*, comment, reason, actor):
    """A moderator hides a comment and says why; the text stays for the record."""
    reason = check_hiding_reason(reason, _("Please say why the comment is hidden."))
    with transaction.atomic():
        comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_hidden:
            raise ProposalError(_("This comment is already hidden."), code="hidden")
        comment.hidden_at = timezone.now()
        comment.hidden_reason = reason
        comment.hidden_by = actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit.record(
            action="budgeting.comment_hidden",
            actor=actor,
            target=comment,
            data={"reason": comment.hidden_reason},
        )
    return comment


def hide_proposal(*, proposal, reason, actor):
    """A moderator hides a proposal that breaks the rules (personal data, insults) and
    says why. The page stays with the reason in place of the text; the author still sees
    their own text, and the text stays for the record. A hidden proposal is not made
    into a plan."""
    reason = check_hiding_reason(reason, _("Please say why the proposal is hidden."))
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.is_hidden:
            raise ProposalError(_("This proposal is already hidden."), code="hidden")
        if proposal.status == ProposalStatus.COMBINED:
            raise ProposalError(
                _("This proposal is part of a plan. Take it out of the plan first."),
                code="combined",
            )
        proposal.hidden_at = timezone.now()
        proposal.hidden_reason = reason
        proposal.save(update_fields=["hidden_at", "hidden_reason"])
        proposal.comments.update(proposal_hidden=True)
        audit.record(
            action="budgeting.proposal_hidden",
            actor=actor,
            target=proposal,
            data={"reason": proposal.hidden_reason},
        )
    return proposal


def unhide_proposal_comment(*, comment, actor):
    """A moderator shows a hidden comment again (hidden by mistake, or the reason no
    longer holds). The reason leaves the comment; the audit log keeps it."""
    with transaction.atomic():
        comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
        if not comment.is_hidden:
            raise ProposalError(_("This comment is not hidden."), code="not_hidden")
        reason = comment.hidden_reason
        comment.hidden_at = None
        comment.hidden_reason = ""
        comment.hidden_by = None
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        audit.record(
            action="budgeting.comment_unhidden",
            actor=actor,
            target=comment,
            data={"reason": reason},
        )
    return comment


def unhide_proposal(*, proposal, actor):
    """A moderator shows a hidden proposal again. The reason leaves the proposal; the
    audit log keeps it."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_hidden:
            raise ProposalError(_("This proposal is not hidden."), code="not_hidden")
        reason = proposal.hidden_reason
        proposal.hidden_at = None
        proposal.hidden_reason = ""
        proposal.save(update_fields=["hidden_at", "hidden_reason"])
        proposal.comments.update(proposal_hidden=False)
        audit.record(
            action="budgeting.proposal_unhidden",
            actor=actor,
            target=proposal,
            data={"reason": reason},
        )
    return proposal


def decide_proposal(*, proposal, accept, reason, actor):
    """Accept a proposal for co-creation, or decline it with a reason the proposer reads."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != ProposalStatus.SUBMITTED:
            raise ProposalError(_("This proposal has already been decided."), code="decided")
        if not accept and not reason.strip():
            raise ProposalError(
                _("Please tell the proposer why the proposal cannot go on."), code="no_reason"
            )
        proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
        proposal.decision_reason = reason.strip()
        proposal.decided_at = timezone.now()
        proposal.decided_by = actor
        proposal.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
        audit.record(
            action="budgeting.proposal_decided",
            actor=actor,
            target=proposal,
            data={"status": proposal.status},
        )
    return proposal
