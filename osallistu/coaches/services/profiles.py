"""A coach's own page: made by the coach at their desk, with the texts residents read
in three languages, the languages they meet people in and how to reach them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from osallistu.core import audit

from .. import permissions
from ..models import CoachProfile, validate_languages
from .errors import check_length, refuse

TEXT_FIELDS = tuple(
    f"{name}_{code}" for name in ("introduction", "reach") for code in ("fi", "sv", "en")
)
TEXT_LENGTH = 2000


def _new_slug(coach):
    base = slugify(coach.full_name or coach.email.split("@")[0])[:60] or "coach"
    slug, number = base, 1
    while CoachProfile.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def save_profile(
    *,
    coach,
    texts,
    languages,
    phone="",
    email="",
    is_published=True,
    kind=None,
    photo=None,
    photo_alt=None,
):
    """Make or change ``coach``'s own page. The kind of coach is the coach's role; one
    with both roles chooses (``kind``). ``photo`` is a picture already re-encoded by
    ``core.images`` (a new one replaces the old), False to remove it, None to keep it;
    ``photo_alt`` None keeps the description. Refused: ``not_a_coach``,
    ``kind_required``, ``invalid_languages``, ``text_too_long``, ``phone_too_long``,
    ``photo_alt_too_long``."""
    kinds = permissions.coach_kinds(coach)
    if not kinds:
        refuse("not_a_coach", _("Only city coaches and business coaches have a coach page."))
    texts = {name: (texts.get(name) or "").strip() for name in TEXT_FIELDS}
    for value in texts.values():
        check_length(
            value, TEXT_LENGTH, "text_too_long", _("A text can be at most %(count)s characters.")
        )
    phone = (phone or "").strip()
    check_length(
        phone, 30, "phone_too_long", _("A phone number can be at most %(count)s characters.")
    )
    if photo_alt is not None:
        photo_alt = photo_alt.strip()
        check_length(
            photo_alt,
            300,
            "photo_alt_too_long",
            _("A description can be at most %(count)s characters."),
        )
    try:
        validate_languages(list(languages))
    except ValidationError:
        refuse("invalid_languages", _("Choose at least one language."))
    with transaction.atomic():
        profile = CoachProfile.objects.select_for_update().filter(user=coach).first()
        created = profile is None
        if created:
            if kind is None and len(kinds) == 1:
                kind = next(iter(kinds))
            if kind not in kinds:
                refuse(
                    "kind_required",
                    _("Choose whether this is your city coach or business coach page."),
                )
            profile = CoachProfile(user=coach, kind=kind, slug=_new_slug(coach))
        for name, value in texts.items():
            setattr(profile, name, value)
        profile.languages = list(languages)
        profile.phone = phone
        profile.email = (email or "").strip()
        profile.is_published = is_published
        if photo_alt is not None:
            profile.photo_alt = photo_alt
        replaced = profile.photo.name if photo is not None and profile.photo else None
        if photo is False:
            profile.photo = ""
        elif photo is not None:
            profile.photo.save(photo.name, photo, save=False)
        profile.save()
        if replaced:
            # The old file goes once the new row is committed (never a row without its file).
            transaction.on_commit(lambda: profile.photo.storage.delete(replaced))
        audit.record(
            action="coaches.profile_created" if created else "coaches.profile_changed",
            actor=coach,
            target=profile,
            data={"photo": "removed" if photo is False else "new" if photo else "kept"},
        )
    return profile
