"""Photos of feedback: at most three, each decoded and drawn anew by ``core.images`` (so
that no location, camera, time or anything hidden after the picture is kept) before
anything is stored, under a random name. They are shown in public only where
moderation lets them."""

import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy

from osallistu.core.images import ImageRejected, ImageUploadField, reencode

__all__ = ["ImageRejected", "Photo", "from_bytes", "from_form", "photo_field", "removed_on_error"]

from .models import FeedbackPhoto

MAX_PHOTO_BYTES = 10 * 1024 * 1024


def photo_field(number):
    return ImageUploadField(
        label=gettext_lazy("Photo %(number)s (optional)") % {"number": number},
        help_text=gettext_lazy(
            "A JPEG or PNG picture of at most 10 MB. Its location and camera details are removed."
        ),
        required=False,
        max_bytes=MAX_PHOTO_BYTES,
    )


@dataclass(frozen=True)
class Photo:
    """A cleaned picture ready to be stored with feedback."""

    content: ContentFile
    description: str = ""

    def save_for(self, feedback, position, stored):
        photo = FeedbackPhoto(feedback=feedback, description=self.description, position=position)
        photo.image.save(self.content.name, self.content, save=False)
        stored.append(photo.image)
        photo.save()
        return photo


def from_form(upload, description):
    """A photo the form's field has re-encoded already."""
    return Photo(content=upload, description=description.strip())


def from_bytes(data, description=""):
    """A photo from the bytes of an uploaded file (the API's ``media``), re-encoded here;
    ImageRejected with the reason when it is not a picture the site takes."""
    clean = reencode(data, max_bytes=MAX_PHOTO_BYTES)
    return Photo(
        content=ContentFile(clean.content, name=f"{uuid.uuid4().hex}.{clean.extension}"),
        description=description,
    )


@contextmanager
def removed_on_error():
    """Yield a list for the files a transaction writes; if the block fails, delete them
    again (the rows are rolled back, the files would otherwise stay behind)."""
    stored = []
    try:
        yield stored
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
