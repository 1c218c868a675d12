"""Host operations: placing a listing's address, submitting and claiming listings.

Plain values in, results or domain errors out: the pages map the errors onto their
form, and a command or the API can call the same functions.
"""

from __future__ import annotations

from visa.accounts.models import SpaceHost
from visa.directory.locations import check_location
from visa.directory.models import Space, SpaceStatus
from visa.directory.services import create_space, find_duplicates
from visa.extensions import db
from visa.geocoding.results import PlaceNotFound
from visa.geocoding.service import geocode


class AddressNotFound(Exception):
    """The address could not be placed and no pin was given: the host drags the pin instead."""


class LikelyDuplicate(Exception):
    """Listed or pending spaces nearby are, or may be, this one; *fields* is the listing as placed."""

    def __init__(self, twins: list[Space], fields: dict) -> None:
        super().__init__(f"{twins[0].name} is listed nearby")
        self.twins, self.fields = twins, fields


def address_query(fields: dict) -> str:
    """The address as one line for the geocoder: street, postcode and city, region, country."""
    parts = [fields.get("address_line1"), f"{fields.get('postcode') or ''} {fields.get('city') or ''}".strip(),
             fields.get("region"), fields.get("country_code")]
    return ", ".join(p for p in parts if p)


def place_listing(fields: dict, exclude_id: int | None = None, allow_duplicate: bool = False) -> dict:
    """*fields* with a checked point: the pin as given or, without one, the geocoded address.

    :raise AddressNotFound: no pin, and the geocoder cannot place the address.
    :raise CoordinateError: the point is not in the stated country.
    :raise LikelyDuplicate: a space nearby is likely the same one (unless *allow_duplicate*).
    """
    placed = dict(fields)
    if placed.get("latitude") is None or placed.get("longitude") is None:
        try:
            place = geocode(address_query(placed))
        except PlaceNotFound as missing:
            raise AddressNotFound(address_query(placed)) from missing
        placed |= {"latitude": place.lat, "longitude": place.lon, "geocode_precision": place.precision}
    check_location(placed["latitude"], placed["longitude"], placed["country_code"])
    if not allow_duplicate:
        twins = find_duplicates(placed["name"], placed["latitude"], placed["longitude"], exclude_id,
                                placed.get("website") or "", placed.get("address_line1") or "",
                                placed.get("city") or "")
        if twins:
            raise LikelyDuplicate(twins, placed)
    return placed


def submit_space(fields: dict, user_id: int) -> Space:
    """A new listing waits for an admin; its submitter (*user_id*) becomes its host."""
    space = create_space(fields | {"status": SpaceStatus.PENDING, "geocode_source": "web"}, {}, source="web",
                         user_id=user_id)
    db.session.add(SpaceHost(space_id=space.id, user_id=user_id, is_confirmed=True))
    return space


def claim_space(space_id: int, user_id: int) -> None:
    """*user_id* asks to host an existing listing; an admin confirms the claim."""
    db.session.add(SpaceHost(space_id=space_id, user_id=user_id, is_confirmed=False))
