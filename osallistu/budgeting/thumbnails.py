"""The smaller copy of a plan's picture that the ballot's list shows.

A phone that lists a hundred plans should not load a hundred full pictures. The copy
is drawn with Pillow from the picture already cleaned of its metadata, and written
without any: a JPEG stays a JPEG, a PNG (drawings, transparency) a PNG.
"""

import io

from PIL import Image, UnidentifiedImageError

# The width the list shows at most, twice over for sharp screens.
THUMBNAIL_BOX = (480, 360)
QUALITY = 82


class NoThumbnail(Exception):
    """The picture could not be decoded."""


def thumbnail(data, extension):
    """``(bytes, width, height)`` of the smaller copy of a cleaned JPEG or PNG picture."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            copy = image.copy()
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        raise NoThumbnail from None
    copy.thumbnail(THUMBNAIL_BOX, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if extension == "png":
        if copy.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            copy = copy.convert("RGBA")
        copy.save(out, "PNG", optimize=True)
    else:
        copy.convert("RGB").save(out, "JPEG", quality=QUALITY, optimize=True)
    return out.getvalue(), copy.width, copy.height
