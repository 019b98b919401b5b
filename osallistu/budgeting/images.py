"""Residents' pictures of proposals: at most 5 MB, drawn anew by ``core.images``.

A proposal is public, so nothing of a resident's file but its picture may go with it:
no location, camera or time, nothing after the image data.
"""

from osallistu.core.images import ImageRejected, reencode

MAX_IMAGE_BYTES = 5 * 1024 * 1024

__all__ = ["MAX_IMAGE_BYTES", "ImageRejected", "clean_image"]


def clean_image(data):
    """``(bytes of the re-encoded picture, extension)`` of an uploaded JPEG or PNG, or
    ImageRejected with a message for the resident."""
    clean = reencode(data, max_bytes=MAX_IMAGE_BYTES)
    return clean.content, clean.extension
