"""Crafted picture files for the tests of uploads: real JPEGs and PNGs with the
metadata and the extra data that phones and attackers put in them."""

import io
import struct
import zlib

from PIL import Image, PngImagePlugin

# Kamppi, Helsinki, as a phone writes it into a photo's GPS block.
GPS = {1: "N", 2: (60.0, 10.0, 8.0), 3: "E", 4: (24.0, 55.0, 57.0)}
GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def exif(*, orientation=None, gps=True):
    tags = Image.Exif()
    tags[MAKE] = "PhoneMaker X200"
    if orientation is not None:
        tags[ORIENTATION] = orientation
    if gps:
        tags[GPS_IFD] = GPS
    return tags.tobytes()


def jpeg(size=(60, 40), colour=(200, 30, 30), **exif_options):
    """A JPEG with EXIF (the phone's make, GPS position unless ``gps=False``)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=95, exif=exif(**exif_options))
    return out.getvalue()


def left_half_red_jpeg(size=(60, 40), orientation=None, gps=False):
    """A JPEG whose left half is red and right half blue, with an orientation tag (and
    the phone's GPS position if ``gps``)."""
    picture = Image.new("RGB", size, (0, 0, 255))
    picture.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95, exif=exif(orientation=orientation, gps=gps))
    return out.getvalue()


def png(size=(30, 20), colour=(10, 120, 60), mode="RGB"):
    """A PNG with a text chunk naming a person and an eXIf chunk with a GPS position."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Aino Virtanen")
    info.add_text("Comment", "taken at home, Mannerheimintie 5")
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG", pnginfo=info, exif=exif())
    return out.getvalue()


def jpeg_with_a_second_jpeg_appended():
    """A photo followed by another whole JPEG with its own GPS position, as a "motion"
    or multi-picture file keeps a second image after the first one's end."""
    return jpeg() + jpeg(size=(8, 8), colour=(0, 0, 0))


def motion_photo():
    """A photo with a video after it, as phones write motion photos."""
    return jpeg() + b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"VIDEO-FRAMES" * 200


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bomb(width=60_000, height=60_000):
    """A small valid PNG header claiming ``width`` × ``height`` pixels, as in the report:
    about 8.8 kB that would decode to gigabytes."""
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    rows = zlib.compress(b"\x00" * (1 + 3 * width) * 50, 9)
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
