"""Residents' pictures: only real JPEG and PNG files, stripped of their metadata.

A phone photo carries the place where it was taken, the time and the phone's make in
its metadata (EXIF, XMP, text chunks). A proposal is public, so none of that may go
with it. This walks the file's own structure, keeps the parts that draw the picture
and drops the rest, without decoding the image; anything that does not parse as the
format it claims to be is refused.
"""

import struct

from django.utils.translation import gettext as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that draw the picture or say how to show its colours; text, EXIF and time go.
PNG_KEPT_CHUNKS = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
    b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
# JPEG segments before the image data that are metadata: APP1 (EXIF, XMP) to APP15 and
# comments. APP0 (JFIF) and APP14 (Adobe colour transform) are needed to show colours.
JPEG_DROPPED_MARKERS = {0xFE, *range(0xE1, 0xEE), 0xEF}


class ImageRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def clean_image(data):
    """``(bytes without metadata, extension)`` of an uploaded JPEG or PNG, or raise
    ImageRejected with a message for the resident."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRejected(_("An image can be at most 5 MB."))
    try:
        if data.startswith(PNG_SIGNATURE):
            return _clean_png(data), "png"
        if data.startswith(b"\xff\xd8"):
            return _clean_jpeg(data), "jpg"
    except (struct.error, IndexError, ValueError):
        pass
    else:
        raise ImageRejected(_("Only JPEG and PNG images can be added."))
    raise ImageRejected(_("The image could not be read. Please try another file."))


def _clean_png(data):
    kept = [PNG_SIGNATURE]
    position = len(PNG_SIGNATURE)
    seen_end = False
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data) or len(kind) != 4:
            raise ValueError("truncated chunk")
        if kind in PNG_KEPT_CHUNKS:
            kept.append(data[position:end])
        position = end
        if kind == b"IEND":
            seen_end = True
            break
    if not seen_end or len(kept) < 3:
        raise ValueError("no image data")
    return b"".join(kept)


def _clean_jpeg(data):
    kept = [b"\xff\xd8"]
    position = 2
    while True:
        if data[position] != 0xFF:
            raise ValueError("not a marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:  # end of image before any image data
            raise ValueError("no image data")
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("truncated segment")
        if marker not in JPEG_DROPPED_MARKERS:
            kept.append(data[position:end])
        if marker == 0xDA:  # start of scan: the rest is image data
            kept.append(data[end:])
            return b"".join(kept)
        position = end
