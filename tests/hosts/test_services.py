"""Host services called as a command or the API would: an app context, no request, plain values."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import has_request_context

from visa.accounts.models import SpaceHost
from visa.directory.models import SpaceStatus
from visa.extensions import db
from visa.geo.boundaries import CoordinateError
from visa.hosts.services import (
    AddressNotFound,
    LikelyDuplicate,
    address_query,
    claim_space,
    place_listing,
    submit_space,
)

LISTING = {"name": "Tagus Desk", "description": "", "address_line1": "Rua Augusta 1", "address_line2": "",
           "postcode": "1100-048", "city": "Lisbon", "region": "", "country_code": "PT", "latitude": None,
           "longitude": None, "geocode_precision": "city", "website": "", "email": "", "phone": ""}


def test_no_request_here(app):
    assert not has_request_context()


def test_address_query_joins_what_is_given():
    assert address_query(LISTING) == "Rua Augusta 1, 1100-048 Lisbon, PT"
    assert address_query({"city": "Porto", "country_code": "PT"}) == "Porto, PT"


def test_place_listing_geocodes_an_address_without_a_pin(app):
    placed = place_listing(LISTING)
    assert 38.6 < placed["latitude"] < 38.8 and -9.3 < placed["longitude"] < -9.0
    assert placed["geocode_precision"] and LISTING["latitude"] is None  # the caller's dict is left as it was


def test_place_listing_keeps_a_pin_and_checks_its_country(app):
    pinned = LISTING | {"latitude": 41.1496, "longitude": -8.6110}
    assert place_listing(pinned)["latitude"] == 41.1496
    with pytest.raises(CoordinateError):
        place_listing(LISTING | {"latitude": 40.4168, "longitude": -3.7038})  # Madrid, said to be in Portugal


def test_place_listing_refuses_an_address_nobody_can_place(app):
    with pytest.raises(AddressNotFound):
        place_listing(LISTING | {"address_line1": "", "postcode": "", "city": "Qzxqzxvbnm", "country_code": "PT"})


def test_place_listing_names_a_likely_duplicate_unless_allowed(app, make_space):
    twin = make_space("Tagus Desk", lat=38.7101, lon=-9.1367)
    pinned = LISTING | {"latitude": 38.7101, "longitude": -9.1367}
    with pytest.raises(LikelyDuplicate) as found:
        place_listing(pinned)
    assert found.value.twins == [twin] and found.value.fields["latitude"] == 38.7101
    assert place_listing(pinned, allow_duplicate=True)["name"] == "Tagus Desk"
    assert place_listing(pinned, exclude_id=twin.id)["name"] == "Tagus Desk"  # editing the twin itself


def test_submit_and_claim_by_user_id(app, make_user, make_space):
    host, other = make_user("host@example.org"), make_user("other@example.org")
    space = submit_space(place_listing(LISTING | {"latitude": 38.7101, "longitude": -9.1367}), host.id)
    existing = make_space("Old Loft", lat=41.1496, lon=-8.6110, city="Porto")
    claim_space(existing.id, other.id)
    db.session.commit()
    assert space.status == SpaceStatus.PENDING and space.geocode_source == "web"
    links = {(link.space_id, link.user_id): link.is_confirmed for link in db.session.scalars(sa.select(SpaceHost))}
    assert links == {(space.id, host.id): True, (existing.id, other.id): False}
