"""The badge tells what the listing's record says today, with its caching headers; bad parameters are 400."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from visa.directory.models import SpaceStatus
from visa.directory.services import update_terms
from visa.extensions import db
from visa.timeutil import utcnow

SVG = "{http://www.w3.org/2000/svg}"


def _texts(response) -> str:
    """Everything the badge writes, as one string (its <text> lines and its <title>)."""
    root = ET.fromstring(response.data)  # well-formed XML, or this raises
    return " ".join("".join(node.itertext()) for node in root.iter() if node.tag in (SVG + "text", SVG + "title"))


@pytest.fixture
def space(make_space):
    space = make_space("Badge House")
    space.terms_confirmed_at = utcnow()
    db.session.commit()
    return space


def test_the_badge_follows_the_listing_through_its_states(client, space):
    url = f"/spaces/{space.slug}/badge.svg"
    space.terms_confirmed_at = utcnow() - timedelta(days=30)
    db.session.commit()
    month = space.terms_confirmed_at.strftime("%B %Y")
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert "Coworking Visa host: 3 free days" in _texts(r) and f"Confirmed {month}" in _texts(r)
    assert r.headers["Cache-Control"] in ("public, max-age=300", "max-age=300, public")
    first_etag = r.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": first_etag}).status_code == 304

    # Stale: the markers' rule (a year without confirmation), with the day it was last confirmed.
    space.terms_confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    r = client.get(url, headers={"If-None-Match": first_etag})
    assert r.status_code == 200 and r.headers["ETag"] != first_etag
    day = space.terms_confirmed_at
    assert f"Coworking Visa: not confirmed since {day.strftime('%b')} {day.day}, {day.year}" in _texts(r)
    assert "free days" not in _texts(r)

    update_terms(space, {"is_participating": False}, None, space.lock_version)
    db.session.commit()
    assert "Not taking part in the Coworking Visa" in _texts(client.get(url))

    space.status = SpaceStatus.SUSPENDED
    db.session.commit()
    texts = _texts(client.get(url))
    assert "Coworking Visa: listing suspended" in texts and "taking part" not in texts

    space.status = SpaceStatus.CLOSED
    db.session.commit()
    assert "Coworking Visa: listing archived" in _texts(client.get(url))

    space.status = SpaceStatus.PENDING
    db.session.commit()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("shape", ["wide", "square", "card"])
def test_every_shape_is_well_formed_and_escapes_the_name(client, make_space, shape):
    space = make_space('<b>&"Café\x01 مساحة', terms={"free_days_per_visit": 1})
    space.terms_confirmed_at = utcnow()
    db.session.commit()
    r = client.get(f"/spaces/{space.slug}/badge.svg?shape={shape}")
    assert r.status_code == 200
    texts = _texts(r)
    assert "Coworking Visa host: 1 free day" in texts
    assert '<b>&"Café مساحة' in texts and b"<b>" not in r.data  # escaped, and the control character dropped
    root = ET.fromstring(r.data)
    assert all(float(t.get("textLength")) > 0 for t in root.iter(SVG + "text") if "".join(t.itertext()).strip())


def test_size_and_language(client, space):
    r = client.get(f"/spaces/{space.slug}/badge.svg?shape=square&size=300&lang=de")
    root = ET.fromstring(r.data)
    assert root.get("width") == "300.00" and root.get("height") == "300.00"
    assert "Gastgeber im Coworking Visa: 3 Gratistage" in _texts(r)
    assert "Set-Cookie" not in r.headers  # lang= on an image is not remembered: another site shows it
    # Shared caches keep one copy per language, and none per visitor: the badge reads no cookie.
    assert "Accept-Language" in r.headers["Vary"] and "Cookie" not in r.headers["Vary"]
    assert "private" not in r.headers["Cache-Control"]
    wide = ET.fromstring(client.get(f"/spaces/{space.slug}/badge.svg?size=40").data)
    assert wide.get("height") == "40.00"


@pytest.mark.parametrize(("query", "field"), [
    ("shape=round", "shape"), ("size=0", "size"), ("size=10000", "size"), ("size=big", "size"),
    ("shape=card&size=100", "size"), ("colour=red", "colour"),
])
def test_bad_parameters_are_refused_by_name(client, space, query, field):
    r = client.get(f"/spaces/{space.slug}/badge.svg?{query}")
    assert r.status_code == 400 and r.json["error"]["field"] == field


def test_an_unknown_listing_has_no_badge(client):
    assert client.get("/spaces/no-such-space/badge.svg").status_code == 404


@pytest.mark.parametrize("shape", ["wide", "square", "card"])
def test_the_network_mark(client, shape):
    r = client.get(f"/we-are-coworking.svg?shape={shape}")
    assert r.status_code == 200 and "We are coworking" in _texts(r)
    assert "max-age=300" in r.headers["Cache-Control"] and r.headers["ETag"]
    assert client.get(f"/we-are-coworking.svg?shape={shape}&size=1").status_code == 400


def test_a_signed_in_reader_gets_the_same_public_badge(client, login, make_user, space):
    make_user("host@example.org")
    login("host@example.org")
    r = client.get(f"/spaces/{space.slug}/badge.svg?lang=fr")
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    assert "Cookie" not in r.headers.get("Vary", "") and "private" not in r.headers["Cache-Control"]
