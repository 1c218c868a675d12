"""Photos as pages, the API and the export show them: URLs of the published files, srcset, plain JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson
from flask import request, url_for
from sqlalchemy.orm import lazyload

from visa.extensions import db
from visa.photos.images import ENCODINGS, file_name
from visa.photos.models import Photo

#: The width of a thumbnail in the list and the map's popup (the narrowest published).
THUMBNAIL_WIDTH = 320
#: What the gallery's <img> asks for, by the width of the screen (one photo a row on a phone, two beside).
GALLERY_SIZES = "(max-width: 760px) 100vw, 50vw"


def file_url(photo: Photo, width: int, extension: str, url: Callable[..., str] = url_for) -> str:
    return url("photos.file", name=file_name(photo.key, width, extension))


def srcset(photo: Photo, extension: str) -> str:
    return ", ".join(f"{file_url(photo, w, extension)} {w}w" for w in photo.widths)


def height_at(photo: Photo, width: int) -> int:
    return max(1, round(photo.height * width / photo.width))


@dataclass(frozen=True)
class Shown:
    """One photo of a gallery: what its <picture> needs."""

    photo: Photo
    webp_srcset: str
    jpeg_srcset: str
    src: str  # the JPEG at the width nearest 800: what a browser without srcset shows

    @property
    def alt(self) -> str:
        return self.photo.alt


def gallery(photos: Iterable[Photo]) -> list[Shown]:
    shown = []
    for photo in photos:
        middle = min(photo.widths, key=lambda w: abs(w - 800))
        shown.append(Shown(photo, srcset(photo, "webp"), srcset(photo, "jpg"), file_url(photo, middle, "jpg")))
    return shown


def thumbnail(photo: Photo, url: Callable[..., str] = url_for) -> dict:
    """The first photo of a listing as the list and the map's popup show it."""
    width = min(photo.widths)
    return {"url": file_url(photo, width, "webp", url), "alt": photo.alt, "lang": photo.lang, "width": width,
            "height": height_at(photo, width)}


def photo_json(photo: Photo, url: Callable[..., str] = url_for) -> dict:
    """A photo in the API and the export: its alt text, caption and every published file."""
    largest = max(photo.widths)
    return {
        "url": file_url(photo, largest, "jpg", url), "alt": photo.alt, "caption": photo.caption, "lang": photo.lang,
        "width": photo.width, "height": photo.height,
        "files": [{"url": file_url(photo, w, extension, url), "width": w, "height": height_at(photo, w),
                   "type": ENCODINGS[extension][1]} for w in photo.widths for extension in ENCODINGS],
    }


def shown_photos(space_ids: Iterable[int] | None = None) -> dict[int, list[Photo]]:
    """The approved photos of each of *space_ids* (of every listing when None), in gallery order; a listing
    without any is left out."""
    ids = None if space_ids is None else list(space_ids)
    if ids == []:
        return {}  # before building the query: a search page without results asks nothing
    query = Photo.shown() if ids is None else Photo.shown().where(Photo.space_id.in_(ids))
    # Galleries and exports read the photos' own columns: no space, terms and uploader joined to every row.
    query = query.options(lazyload(Photo.space), lazyload(Photo.uploaded_by))
    found: dict[int, list[Photo]] = {}
    for photo in db.session.scalars(query).unique():
        found.setdefault(photo.space_id, []).append(photo)
    return found


_NO_PHOTO = b',"photo":null'


def first_thumbnails(index) -> dict[int, dict]:
    """:func:`thumbnail` of each listed space's first photo, by space id (spaces without one are left out);
    computed once per registry version (a photo's approval, order or removal bumps it) for every listed space."""

    def compute(_index) -> dict[int, dict]:
        firsts: dict[int, dict] = {}
        for photo in db.session.scalars(Photo.shown()).unique():
            if photo.space_id not in firsts:
                firsts[photo.space_id] = thumbnail(photo)
        return firsts

    # The URLs inside depend on where the app is mounted, as the Features' own (visa.directory.fragments).
    return index.derived("photos.first_thumbnails" + request.script_root, compute)


def encoded_thumbnails(index) -> Callable[[Iterable[int]], list[bytes]]:
    """Pre-encoded ``"photo"`` properties of the search's Features, by space id (see :func:`first_thumbnails`)."""
    firsts = first_thumbnails(index)  # outside compute: derived() holds the index's lock while computing

    def compute(_index) -> dict[int, bytes]:
        return {space_id: b',"photo":' + orjson.dumps(found) for space_id, found in firsts.items()}

    found = index.derived("photos.thumbnails" + request.script_root, compute)
    return lambda ids: [found.get(int(space_id), _NO_PHOTO) for space_id in ids]
