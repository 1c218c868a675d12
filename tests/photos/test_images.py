"""visa.photos.images: recognised by content, bombs refused, turned upright, every metadata block dropped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.photos.samples import BLUE, HTML_AS_JPEG, RED, phone_jpeg, plain, png_bomb
from visa.photos.images import MAX_BYTES, PhotoRefused, content_type_of, process


def _close(pixel, colour) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def test_a_phone_photo_is_stored_upright_with_no_exif_at_all():
    original = phone_jpeg(1200, 600, orientation=6)
    opened = Image.open(io.BytesIO(original))
    assert b"PhoneMaker" in original and opened.getexif().get_ifd(0x8825)
    assert "icc_profile" in opened.info and b"Rua Augusta" in original

    processed = process(original)

    # Upright: the stored 1200 × 600 turned a quarter, 600 wide and 1200 high, the red half on top.
    assert (processed.width, processed.height) == (600, 1200)
    assert processed.widths == [320, 600]
    assert {(r.extension, r.width) for r in processed.renditions} == {
        ("webp", 320), ("jpg", 320), ("webp", 600), ("jpg", 600)}
    for rendition in processed.renditions:
        image = Image.open(io.BytesIO(rendition.data))
        assert image.format == {"webp": "WEBP", "jpg": "JPEG"}[rendition.extension]
        assert image.size == (rendition.width, rendition.height) == (rendition.width, rendition.width * 2)
        rgb = image.convert("RGB")
        assert _close(rgb.getpixel((rendition.width // 2, rendition.height // 8)), RED)
        assert _close(rgb.getpixel((rendition.width // 2, rendition.height * 7 // 8)), BLUE)
        # No metadata block at all: no EXIF (GPS, orientation, maker), no XMP, no ICC profile.
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
        assert "icc_profile" not in image.info and "comment" not in image.info
        assert b"Exif" not in rendition.data and b"PhoneMaker" not in rendition.data
        assert b"Rua Augusta" not in rendition.data and b"ICC_PROFILE" not in rendition.data


def test_the_name_is_the_uploads_sha256_and_the_same_upload_gives_the_same_files():
    import hashlib

    data = plain("PNG", (900, 600))
    first, second = process(data), process(data)
    assert first.key == second.key == hashlib.sha256(data).hexdigest()
    assert [r.data for r in first.renditions] == [r.data for r in second.renditions]
    names = {r.name(first.key) for r in first.renditions}
    assert names == {f"{first.key}-{w}.{e}" for w in (320, 800, 900) for e in ("webp", "jpg")}
    assert all(content_type_of(name) in ("image/webp", "image/jpeg") for name in names)


@pytest.mark.parametrize(("kind", "mode"), [("PNG", "RGBA"), ("WEBP", "RGB"), ("JPEG", "RGB")])
def test_png_webp_and_jpeg_are_taken(kind, mode):
    processed = process(plain(kind, (2400, 1600), mode))
    assert processed.widths == [320, 800, 1600] and processed.height == 1067


@pytest.mark.parametrize(("data", "code"), [
    (HTML_AS_JPEG, "photo_not_an_image"),
    (b"GIF89a" + plain("GIF")[6:], "photo_not_an_image"),  # a real GIF: not among the formats taken
    (png_bomb(30_000, 30_000), "photo_too_many_pixels"),  # Pillow's own refusal (over twice its limit)
    (png_bomb(10_000, 10_000), "photo_too_many_pixels"),  # Pillow's warning, turned into a refusal
    (png_bomb(8_000, 8_000), "photo_too_many_pixels"),  # under Pillow's limit, over ours
    (phone_jpeg()[:2000], "photo_broken"),
    (b"\xff\xd8\xff" + b"\0" * (MAX_BYTES + 1), "photo_too_large"),
])
def test_what_is_refused_and_why(data, code):
    with pytest.raises(PhotoRefused) as refused:
        process(data)
    assert refused.value.code == code


def test_pillows_bomb_warning_is_a_refusal_even_where_warnings_are_ignored():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in production, unlike this suite (filterwarnings = error)
        with pytest.raises(PhotoRefused) as refused:
            process(png_bomb(10_000, 10_000))
    assert isinstance(refused.value.__cause__, Image.DecompressionBombWarning)
