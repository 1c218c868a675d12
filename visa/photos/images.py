"""An uploaded photo made safe to publish: recognised by its content, checked, turned upright, stripped, re-encoded.

Pure (no Flask). Only JPEG, PNG and WebP are opened, whatever the file is called: Pillow reads the first bytes,
so an HTML page named ``photo.jpg`` is no image here. A decompression bomb (a small file that claims a huge
picture) is refused before its pixels are decoded: Pillow's ``DecompressionBombWarning`` is turned into an
error, and above ``MAX_PIXELS`` the photo is refused in any case. The EXIF orientation is applied (Pillow does
not do it on its own), then the pixels are copied into a new image, so nothing of the file's metadata (EXIF
with its GPS position, XMP, ICC profile, comments) reaches the published files.

Each photo is published in :data:`WIDTHS` (never wider than it came), in WebP and in JPEG, under a name made
of the SHA-256 of the uploaded file: the same upload gives the same names, so the files can be cached forever.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from visa.messages import N_, MessageError, define

#: The largest upload taken, in bytes.
MAX_BYTES = 10 * 1024 * 1024
#: The most pixels a photo may have: 50 megapixels, well above a phone's 12 to 48, far below a bomb's billions.
MAX_PIXELS = 50_000_000
#: What Pillow may open: recognised by content, never by the file's name.
FORMATS = ("JPEG", "PNG", "WEBP")
#: The published widths, in pixels (a photo narrower than one is published at its own width).
WIDTHS = (320, 800, 1600)
#: Published format -> (Pillow's name, content type, encoder settings).
ENCODINGS = {
    "webp": ("WEBP", "image/webp", {"quality": 80, "method": 4}),
    "jpg": ("JPEG", "image/jpeg", {"quality": 82, "optimize": True, "progressive": True}),
}
#: A published file's name: the upload's SHA-256, the width, the format.
FILE_NAME = re.compile(r"(?P<key>[0-9a-f]{64})-(?P<width>[0-9]{2,4})\.(?P<ext>webp|jpg)")

_ORIENTATION = 0x0112  # the EXIF tag

define({
    # Translators: %(limit)s is the largest photo accepted, in megabytes (10).
    "photo_too_large": N_("This file is larger than %(limit)s MB. Choose a smaller photo."),
    "photo_not_an_image": N_("This file is not a JPEG, PNG or WebP photo."),
    # Translators: %(limit)s is the most megapixels a photo may have (50).
    "photo_too_many_pixels": N_("This picture is too large to open safely (more than %(limit)s megapixels)."),
    "photo_broken": N_("This photo could not be read: the file is damaged or incomplete."),
})


class PhotoRefused(MessageError):
    """The upload is not taken; the message says why, for the form's photo field."""


@dataclass(frozen=True)
class Rendition:
    """One published file of a photo."""

    width: int
    height: int
    extension: str  # a key of ENCODINGS
    data: bytes

    @property
    def content_type(self) -> str:
        return ENCODINGS[self.extension][1]

    def name(self, key: str) -> str:
        return file_name(key, self.width, self.extension)


@dataclass(frozen=True)
class Processed:
    key: str  # the SHA-256 of the uploaded file, in hexadecimal
    width: int  # upright, as published at its largest
    height: int
    renditions: tuple[Rendition, ...]

    @property
    def widths(self) -> list[int]:
        return sorted({r.width for r in self.renditions})


def file_name(key: str, width: int, extension: str) -> str:
    return f"{key}-{width}.{extension}"


def content_type_of(name: str) -> str | None:
    """The content type of a published file's *name*; None for any other name."""
    match = FILE_NAME.fullmatch(name)
    return ENCODINGS[match["ext"]][1] if match else None


def process(data: bytes, widths: tuple[int, ...] = WIDTHS) -> Processed:
    """Check *data* and make its published renditions.

    :raise PhotoRefused: too large, not a JPEG, PNG or WebP, a decompression bomb, or unreadable.
    """
    if len(data) > MAX_BYTES:
        raise PhotoRefused("photo_too_large", limit=MAX_BYTES // (1024 * 1024))
    upright = _open_upright(data, max(widths))
    renditions = []
    source = upright
    # Widest first, each narrower one from the last: resampling 12 megapixels once, not three times.
    for width in sorted({min(w, upright.width) for w in widths}, reverse=True):
        height = max(1, round(upright.height * width / upright.width))
        if width != source.width:
            source = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=2.0)
        for extension in ENCODINGS:
            renditions.append(Rendition(width, height, extension, _encode(source, extension)))
    renditions.reverse()
    largest = renditions[-1]
    return Processed(hashlib.sha256(data).hexdigest(), largest.width, largest.height, tuple(renditions))


def _open_upright(data: bytes, widest: int) -> Image.Image:
    """The picture of *data*, upright, in a new image that carries no metadata at all.

    A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) that still gives *widest* pixels across once upright:
    a 12-megapixel photo then costs a quarter of the decoding.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except UnidentifiedImageError as err:
            raise PhotoRefused("photo_not_an_image") from err
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise PhotoRefused("photo_too_many_pixels", limit=MAX_PIXELS // 1_000_000) from err
        if image.width * image.height > MAX_PIXELS:
            raise PhotoRefused("photo_too_many_pixels", limit=MAX_PIXELS // 1_000_000)
        try:
            if image.format == "JPEG":
                turned = image.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8)  # a quarter turn swaps the sides
                image.draft(None, (1, widest) if turned else (widest, 1))
            image.load()  # decodes here, so a truncated file is refused now rather than half published
            upright = ImageOps.exif_transpose(image)
        except (OSError, ValueError, SyntaxError) as err:
            raise PhotoRefused("photo_broken") from err
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    mode = "RGBA" if has_alpha else "RGB"
    converted = upright.convert(mode)  # a new image (a copy when the mode is the same)
    # The pixels alone go on: no EXIF (GPS), XMP, ICC profile or comment is left for an encoder to write.
    converted.info = {}
    return converted


def _encode(image: Image.Image, extension: str) -> bytes:
    kind, _content_type, settings = ENCODINGS[extension]
    if kind == "JPEG" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, (255, 255, 255))  # JPEG has no transparency: on white, as pages are
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    out = io.BytesIO()
    image.save(out, kind, **settings)
    return out.getvalue()
