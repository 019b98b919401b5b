"""Uploaded pictures: decoded and drawn anew, so that nothing but the picture is kept.

A phone photo carries where and when it was taken and the phone's make (EXIF, XMP,
text chunks), and a file can carry more than its picture: a second image with its own
location after the first one, the video of a "motion photo", anything at all after
the end of the image data. A header can also claim billions of pixels so that
decoding exhausts the server's memory. So every picture uploaded to the site goes
through ``reencode``: its size in pixels is checked before anything is decoded, it is
decoded with Pillow, turned upright as its orientation tag says, converted to sRGB,
made at most ``MAX_SIDE`` pixels long, and encoded anew as JPEG or PNG without any
metadata. Only the pixels of the first picture survive.

``ImageFileField`` is the model field of every uploaded picture: its form field (the
admin's too) does this before the file reaches storage, and gives it a random name
because the uploader's file name may carry personal details.
"""

import io
import struct
import uuid
import warnings
import zlib
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

MAX_IMAGE_BYTES = 10 * 1024 * 1024
# A 50-megapixel camera's full picture; the check comes before any pixel is decoded.
MAX_IMAGE_PIXELS = 50_000_000
# Longer than any page shows a picture; a larger one is made smaller.
MAX_SIDE = 2560
JPEG_QUALITY = 88

ACCEPT = "image/jpeg,image/png"
# The formats read, by the signature a file starts with, and the extension written.
SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}
# What a decoder raises on a broken or hostile file. Each means the same to the
# person: the file is not a picture that can be read.
DECODING_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)
SRGB = ImageCms.createProfile("sRGB")


class ImageRejected(ValidationError):
    """The file is not a picture the site takes; ``message`` says why, in the person's
    language."""


class CleanImage(NamedTuple):
    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int


def reencode(data, *, max_bytes=MAX_IMAGE_BYTES):
    """The picture in ``data`` (bytes of a JPEG or PNG file) drawn anew without metadata,
    or ImageRejected."""
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    source_format = next(
        (name for signature, name in SIGNATURES.items() if data.startswith(signature)), None
    )
    if source_format is None:
        raise ImageRejected(_("Only JPEG and PNG images can be added."), code="image_format")
    try:
        with warnings.catch_warnings():
            # Damaged metadata only costs its orientation, which is dropped with it.
            warnings.simplefilter("ignore", UserWarning)
            # Pillow only warns below twice its own limit; ours is lower anyway.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[source_format])
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels()
            if source_format == "JPEG":
                # Decode at a reduced scale where the picture is far larger than kept:
                # a large photo then never occupies its full size in memory.
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image = ImageOps.exif_transpose(image)  # decodes the first frame only
            image = _in_srgb(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except DECODING_ERRORS:
        raise ImageRejected(
            _("The image could not be read. Please try another file."), code="image_unreadable"
        ) from None
    return _encode(image, source_format)


def _too_large(max_bytes):
    return ImageRejected(
        _("An image can be at most %(megabytes)s MB.") % {"megabytes": max_bytes // (1024 * 1024)},
        code="image_too_large",
    )


def _too_many_pixels():
    return ImageRejected(
        _(
            "The image has too many pixels: at most %(megapixels)s million are accepted. "
            "Please make it smaller and try again."
        )
        % {"megapixels": MAX_IMAGE_PIXELS // 1_000_000},
        code="image_too_many_pixels",
    )


def _in_srgb(image):
    """Colours as the picture's own colour profile meant them, in sRGB, so that dropping
    the profile changes nothing a person sees."""
    profile = image.info.get("icc_profile")
    if profile and image.mode in ("RGB", "RGBA", "CMYK"):
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        try:
            return ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(profile)), SRGB, outputMode=mode
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the pixels as they are
    return image


def _encode(image, written_format):
    if written_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
    elif image.mode not in ("1", "L", "LA", "RGB", "RGBA"):
        has_alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    # Nothing from the original file is written: no EXIF, ICC, XMP or text.
    image.info = {}
    out = io.BytesIO()
    if written_format == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        image.save(out, "PNG")
    return CleanImage(out.getvalue(), EXTENSIONS[written_format], image.width, image.height)


class ImageUploadField(forms.FileField):
    """A picture upload; what it cleans to is the re-encoded file under a random name."""

    def __init__(self, *, max_bytes=MAX_IMAGE_BYTES, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > self.max_bytes:
            raise _too_large(self.max_bytes)  # before the file is read into memory
        upload.seek(0)
        clean = reencode(upload.read(), max_bytes=self.max_bytes)
        return ContentFile(clean.content, name=f"{uuid.uuid4().hex}.{clean.extension}")


class ImageFileField(models.FileField):
    """A model's uploaded picture: forms built from the model (the admin's included)
    re-encode it with ``reencode`` before it is stored."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})
