"""Every uploaded picture is decoded and drawn anew: nothing of the file but the
pixels of its first picture survives, and a file that claims too many pixels is
refused before anything is decoded."""

import io
import struct
import time

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms import modelform_factory
from django.test import RequestFactory
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from osallistu.core.images import (
    MAX_IMAGE_PIXELS,
    MAX_SIDE,
    ImageFileField,
    ImageRejected,
    ImageUploadField,
    reencode,
)
from osallistu.initiatives.models import Attachment
from osallistu.premises.models import SpacePhoto, Unit, UnitPhoto
from osallistu.surveys.models import SectionAttachment, SectionImage
from tests import images
from tests.factories import UserFactory

# Files that are not pictures, with what is checked instead of re-encoding them.
NOT_PICTURES = {
    (SectionAttachment, "file"): "documents: PDF and office files, never an image type",
    (Attachment, "file"): "decisions of initiatives: PDFs, their signature checked",
}


def png_chunks(data):
    """The kinds of a PNG file's chunks, in order, and what follows IEND."""
    kinds, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kinds.append(data[position + 4 : position + 8])
        position += 12 + length
        if kinds[-1] == b"IEND":
            break
    return kinds, data[position:]


def jpeg_segments(data):
    """The markers of a JPEG file's segments before its image data."""
    markers, position = [], 2
    while data[position + 1] != 0xDA:
        markers.append(data[position + 1])
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length
    return markers


def assert_no_trace_of_the_file(clean, original):
    for secret in (b"PhoneMaker", b"Exif", b"GPS", b"Aino", b"Mannerheimintie", b"ftyp"):
        if secret in original:
            assert secret not in clean.content
    assert not Image.open(io.BytesIO(clean.content)).getexif()


def test_a_second_jpeg_with_its_own_gps_after_the_first_is_dropped():
    original = images.jpeg_with_a_second_jpeg_appended()
    assert original.count(b"PhoneMaker") == 2  # the crafted file has both
    clean = reencode(original)
    assert clean.extension == "jpg" and (clean.width, clean.height) == (60, 40)
    # One image, from its start to its end marker, with nothing after it.
    assert clean.content.count(b"\xff\xd8\xff") == 1
    assert clean.content.endswith(b"\xff\xd9")
    assert clean.content.index(b"\xff\xd9") == len(clean.content) - 2
    assert_no_trace_of_the_file(clean, original)
    # Only the JFIF header and the tables that draw the picture: no APP1 (EXIF, XMP),
    # no comment, no other application segment.
    assert {marker for marker in jpeg_segments(clean.content)} <= {0xE0, 0xDB, 0xC0, 0xC4}


def test_the_video_of_a_motion_photo_is_dropped():
    original = images.motion_photo()
    clean = reencode(original)
    assert b"VIDEO-FRAMES" not in clean.content and b"mp42" not in clean.content
    assert clean.content.endswith(b"\xff\xd9")
    assert_no_trace_of_the_file(clean, original)


def test_a_png_keeps_only_the_chunks_that_draw_it():
    original = images.png()
    assert b"tEXt" in original and b"eXIf" in original
    clean = reencode(original)
    kinds, after = png_chunks(clean.content)
    assert clean.extension == "png"
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert set(kinds) == {b"IHDR", b"IDAT", b"IEND"}
    assert after == b""
    assert_no_trace_of_the_file(clean, original)


def test_data_after_the_end_of_a_png_is_dropped():
    original = images.png() + images.jpeg()
    clean = reencode(original)
    assert png_chunks(clean.content)[1] == b""
    assert b"PhoneMaker" not in clean.content


def test_a_picture_is_turned_upright_as_its_orientation_tag_says():
    # Orientation 6: the camera was turned; shown rotated 90° clockwise, so the left
    # half of the stored pixels is the top of the picture.
    clean = reencode(images.left_half_red_jpeg(size=(60, 40), orientation=6))
    picture = Image.open(io.BytesIO(clean.content)).convert("RGB")
    assert picture.size == (40, 60)
    red, _g, blue = picture.getpixel((20, 5))
    assert red > 200 and blue < 60
    red, _g, blue = picture.getpixel((20, 55))
    assert red < 60 and blue > 200
    # The tag is gone with the rest of the metadata, so no viewer turns it again.
    assert Image.open(io.BytesIO(clean.content)).getexif().get(images.ORIENTATION) is None


def test_an_upright_picture_stays_as_it_is():
    clean = reencode(images.left_half_red_jpeg(size=(60, 40)))
    picture = Image.open(io.BytesIO(clean.content)).convert("RGB")
    assert picture.size == (60, 40)
    assert picture.getpixel((5, 20))[0] > 200 and picture.getpixel((55, 20))[2] > 200


def test_a_decompression_bomb_is_refused_from_its_header():
    bomb = images.png_bomb()
    assert len(bomb) < 10_000  # 8.8 kB claiming 60,000 × 60,000 pixels
    started = time.monotonic()
    with translation.override("en"), pytest.raises(ImageRejected) as refused:
        reencode(bomb)
    assert time.monotonic() - started < 1
    assert refused.value.code == "image_too_many_pixels"
    assert "at most 50 million" in refused.value.message


def test_just_over_the_pixel_limit_is_refused_before_decoding():
    # Below Pillow's own limit, above ours: refused by our check of the header.
    width = 10_000
    height = MAX_IMAGE_PIXELS // width + 1
    with pytest.raises(ImageRejected) as refused:
        reencode(images.png_bomb(width=width, height=height))
    assert refused.value.code == "image_too_many_pixels"


def test_a_large_picture_is_made_smaller():
    clean = reencode(images.jpeg(size=(MAX_SIDE * 2, 300)))
    assert (clean.width, clean.height) == (MAX_SIDE, 150)


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image_format", "Only JPEG and PNG images"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image_format", "Only JPEG and PNG images"),
        (b"%PDF-1.4\n", "image_format", "Only JPEG and PNG images"),
        (b"", "image_format", "Only JPEG and PNG images"),
        (images.jpeg()[:300], "image_unreadable", "The image could not be read."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image_unreadable", "The image could not be read."),
        (b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024), "image_too_large", "at most 10 MB"),
    ],
)
def test_what_is_not_a_readable_jpeg_or_png_is_refused_with_a_reason(data, code, message):
    with translation.override("en"), pytest.raises(ImageRejected) as refused:
        reencode(data)
    assert refused.value.code == code
    assert message in refused.value.message


def test_the_reasons_are_translated():
    with translation.override("fi"), pytest.raises(ImageRejected) as refused:
        reencode(images.png_bomb())
    assert "miljoonaa" in refused.value.message
    with translation.override("sv"), pytest.raises(ImageRejected) as refused:
        reencode(b"GIF89a")
    assert "JPEG" in refused.value.message and "bilder" in refused.value.message


def test_a_cmyk_jpeg_is_written_as_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (10, 10), (0, 255, 255, 0)).save(out, "JPEG")
    clean = reencode(out.getvalue())
    picture = Image.open(io.BytesIO(clean.content))
    assert picture.mode == "RGB"
    red, green, blue = picture.getpixel((5, 5))
    assert red > 200 and green < 60 and blue < 60


def test_a_transparent_png_keeps_its_transparency():
    clean = reencode(images.png(mode="RGBA", colour=(10, 20, 30, 0)))
    picture = Image.open(io.BytesIO(clean.content))
    assert picture.mode == "RGBA" and picture.getpixel((1, 1))[3] == 0


def test_the_upload_field_cleans_to_the_reencoded_file_under_a_random_name():
    field = ImageUploadField()
    cleaned = field.clean(
        SimpleUploadedFile("IMG_Aino_Virtanen_home.jpg", images.jpeg_with_a_second_jpeg_appended())
    )
    content = cleaned.read()
    assert cleaned.name.endswith(".jpg") and "Aino" not in cleaned.name
    assert content.count(b"\xff\xd8\xff") == 1 and b"PhoneMaker" not in content


def test_the_upload_field_refuses_a_too_large_file_before_reading_it():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read although too large")

    field = ImageUploadField(max_bytes=1024)
    with pytest.raises(ImageRejected):
        field.clean(Unreadable("big.jpg", b"\xff\xd8\xff" + b"\x00" * 2000))


def every_file_field():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def test_every_uploaded_file_of_every_model_is_a_reencoded_picture_or_a_declared_document():
    """A file field added later is either a picture, re-encoded, or listed here with
    the reason it is not one."""
    found = list(every_file_field())
    assert {(model, field.name) for model, field in found} >= {
        (SectionImage, "image"),
        (UnitPhoto, "image"),
        (SpacePhoto, "image"),
    }
    for model, field in found:
        if (model, field.name) in NOT_PICTURES:
            extensions = {
                extension
                for validator in field.validators
                for extension in getattr(validator, "allowed_extensions", None) or ["(any)"]
            }
            assert extensions and not extensions & {"(any)", "jpg", "jpeg", "png", "gif", "webp"}
            continue
        assert isinstance(field, ImageFileField), f"{model.__name__}.{field.name}"
        assert isinstance(field.formfield(), ImageUploadField)


@pytest.mark.django_db
def test_the_admin_forms_of_pictures_reencode_them():
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    unit_admin = admin.site.get_model_admin(Unit)
    photo_inline = next(
        inline for inline in unit_admin.get_inline_instances(request) if inline.model is UnitPhoto
    )
    form = photo_inline.get_formset(request).form
    assert isinstance(form.base_fields["image"], ImageUploadField)
    # The same field in any form built from a model with a picture.
    form = modelform_factory(SpacePhoto, fields=["image"])(
        files={"image": SimpleUploadedFile("kuva.png", images.png())}
    )
    form.is_valid()
    assert "image" not in form.errors
    assert b"Aino" not in form.cleaned_data["image"].read()
    refused = modelform_factory(SpacePhoto, fields=["image"])(
        files={"image": SimpleUploadedFile("pommi.png", images.png_bomb())}
    )
    assert not refused.is_valid() and "image" in refused.errors


VALID_FILES = [images.jpeg(), images.png(), images.left_half_red_jpeg(orientation=6)]


@settings(max_examples=300, deadline=None)
@given(
    original=st.sampled_from(VALID_FILES),
    changes=st.lists(st.tuples(st.integers(0, 2_000), st.integers(0, 255)), max_size=8),
    cut=st.none() | st.integers(0, 2_000),
)
def test_a_damaged_file_is_drawn_anew_or_refused_never_an_error(original, changes, cut):
    """Whatever the bytes of a file are, the answer is a clean picture or a reason."""
    data = bytearray(original)
    for position, value in changes:
        data[position % len(data)] = value
    if cut is not None:
        data = data[:cut]
    try:
        clean = reencode(bytes(data))
    except ImageRejected:
        return
    assert b"PhoneMaker" not in clean.content
    Image.open(io.BytesIO(clean.content)).load()
