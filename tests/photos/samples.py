"""Photo files made in the tests: a phone's JPEG with its GPS position and a rotation tag, a decompression bomb,
an HTML page with a photo's name."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms

#: Where the phone says it was: Lisbon, as EXIF writes it (degrees, minutes, seconds).
GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (38.0, 42.0, 55.0),
       ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (9.0, 8.0, 21.0)}
RED, BLUE = (220, 20, 20), (20, 20, 220)


def phone_jpeg(width: int = 1200, height: int = 600, orientation: int = 6) -> bytes:
    """A JPEG stored on its side as phones do: its left half red, its right half blue, with an orientation tag
    (6: turn it a quarter clockwise to see it upright, so red ends on top), a GPS position, the camera's maker, an
    ICC profile and a comment: every kind of block a phone's file carries."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = GPS
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90, icc_profile=profile, comment=b"Shot at Rua Augusta 12")
    return out.getvalue()


def plain(kind: str = "PNG", size: tuple[int, int] = (640, 480), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (40, 120, 90) if mode == "RGB" else (40, 120, 90, 128)).save(out, kind)
    return out.getvalue()


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A PNG of a few dozen bytes whose header claims *width* × *height* pixels: a decompression bomb."""
    small = plain("PNG", (1, 1))
    header_at = 8  # after the signature: length (4), "IHDR" (4), then width and height
    body = bytearray(small)
    body[header_at + 8:header_at + 16] = struct.pack(">II", width, height)
    chunk = bytes(body[header_at + 4:header_at + 4 + 4 + 13])  # type and data
    body[header_at + 8 + 13:header_at + 8 + 13 + 4] = struct.pack(">I", zlib.crc32(chunk))
    return bytes(body)


HTML_AS_JPEG = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
