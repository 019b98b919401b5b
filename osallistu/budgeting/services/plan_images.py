"""Pictures of plans: uploaded by staff or taken from the plan's proposals, each with a
description in Finnish, Swedish and English for people who cannot see it.

An upload is drawn anew by ``core.images.reencode``, as every uploaded picture is, so
that nothing but the picture is kept; a picture of a proposal was when the resident
added it. Pictures are added and removed only
before voting starts, like the rest of what voters compare; their descriptions are
texts, and can be corrected at any time.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from osallistu.core import audit
from osallistu.core.images import ImageRejected, reencode

from ..images import MAX_IMAGE_BYTES
from ..models import Plan, PlanImage, ProposalImage, Round
from ..thumbnails import NoThumbnail, thumbnail
from .errors import ProposalError, RoundLocked
from .proposals import _removing_files_on_error

MAX_IMAGES_PER_PLAN = 5
LANGUAGES = ("fi", "sv", "en")
MAX_ALT_TEXT = 300


def check_alt_text(alt_text):
    """The descriptions stripped, or ProposalError unless each language has one."""
    texts = {language: (alt_text.get(language) or "").strip() for language in LANGUAGES}
    if not all(texts.values()):
        raise ProposalError(
            _("Describe the picture in Finnish, Swedish and English for people who cannot see it."),
            code="alt_text",
        )
    if any(len(text) > MAX_ALT_TEXT for text in texts.values()):
        raise ProposalError(
            _("A description can be at most %(count)s characters.") % {"count": MAX_ALT_TEXT},
            code="alt_text",
        )
    return texts


def add_plan_image(*, plan, actor, alt_text, data=None, source=None):
    """Add a picture to ``plan``: the bytes of an upload (``data``), or ``source``, a
    picture of one of the plan's proposals. ``alt_text`` is ``{"fi": …, "sv": …,
    "en": …}``."""
    if (data is None) == (source is None):
        raise ValueError("give either the bytes of an upload or a proposal's picture")
    texts = check_alt_text(alt_text)
    if source is not None:
        source = ProposalImage.objects.select_related("proposal").get(pk=source.pk)
        if source.proposal.plan_id != plan.pk:
            raise ProposalError(
                _("Only the pictures of the plan's own proposals can be taken."), code="source"
            )
        with source.image.open("rb") as file:
            content, extension = file.read(), source.image.name.rsplit(".", 1)[-1].lower()
    else:
        try:
            clean = reencode(data, max_bytes=MAX_IMAGE_BYTES)
        except ImageRejected as error:
            raise ProposalError(error.message, code="image") from None
        content, extension = clean.content, clean.extension
    try:
        small, width, height = thumbnail(content, extension)
    except NoThumbnail:
        raise ProposalError(
            _("The image could not be read. Please try another file."), code="image"
        ) from None
    with _removing_files_on_error() as stored, transaction.atomic():
        _check_before_voting(plan)
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        images = PlanImage.objects.filter(plan=plan)
        if images.count() >= MAX_IMAGES_PER_PLAN:
            raise ProposalError(
                _("A plan can have at most %(count)s pictures.") % {"count": MAX_IMAGES_PER_PLAN},
                code="too_many_images",
            )
        image = PlanImage(
            plan=plan,
            position=(images.aggregate(last=Max("position"))["last"] or 0) + 1,
            thumbnail_width=width,
            thumbnail_height=height,
            source=source,
            **{f"alt_text_{language}": text for language, text in texts.items()},
        )
        image.image.save(f"image.{extension}", ContentFile(content), save=False)
        stored.append(image.image)
        image.thumbnail.save(f"small.{extension}", ContentFile(small), save=False)
        stored.append(image.thumbnail)
        image.save()
        audit.record(
            action="budgeting.plan_image_added",
            actor=actor,
            target=plan,
            data={"image": image.pk, "source": source.pk if source else None},
        )
    return image


def describe_plan_image(*, image, actor, alt_text):
    """Correct the descriptions of a plan's picture."""
    texts = check_alt_text(alt_text)
    with transaction.atomic():
        image = PlanImage.objects.select_for_update().get(pk=image.pk)
        changed = sorted(
            language
            for language, text in texts.items()
            if getattr(image, f"alt_text_{language}") != text
        )
        if not changed:
            return image
        for language in changed:
            setattr(image, f"alt_text_{language}", texts[language])
        image.save(update_fields=[f"alt_text_{language}" for language in changed])
        audit.record(
            action="budgeting.plan_image_described",
            actor=actor,
            target=image.plan,
            data={"image": image.pk, "languages": changed},
        )
    return image


def remove_plan_image(*, image, actor):
    """Take a picture off its plan, before voting starts; its files go once that has
    committed."""
    with transaction.atomic():
        _check_before_voting(image.plan)
        image = PlanImage.objects.select_for_update().select_related("plan").get(pk=image.pk)
        files = [image.image, image.thumbnail]
        plan, pk = image.plan, image.pk
        image.delete()
        audit.record(
            action="budgeting.plan_image_removed", actor=actor, target=plan, data={"image": pk}
        )
        transaction.on_commit(lambda: _delete_files(files))


def _delete_files(files):
    for file in files:
        file.storage.delete(file.name)


def _check_before_voting(plan):
    round = Round.objects.select_for_update().get(pk=plan.round_id)
    if round.voting_has_started():
        raise RoundLocked(
            _(
                "Voting has started, so the plan's pictures stay as they are. Their "
                "descriptions can still be corrected."
            ),
            code="voting_started",
        )
