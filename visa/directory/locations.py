"""Checking a space's coordinates against its country, for every write path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from geodata import CLAIMS_GEOJSON
from visa.geo.boundaries import CountryBoundaries
from visa.geocoding.namesakes import Namesakes

#: A GeoNames place of the stated country this close vouches for a point the outlines refuse:
#: small islands and harbours that the 1:50m drawing leaves in the sea, disputed towns.
VOUCH_KM = 10.0


class MissingGeodata(RuntimeError):
    """The built country outlines are not there; the build step makes them, never a request."""


@lru_cache(maxsize=2)
def _load(path: str) -> CountryBoundaries:
    # Loading and repairing the outlines takes about a second: once per process, at start-up
    # (visa.startup.warm_up). Building them needs npm and the network, so only the build step does.
    claims = Path(path).with_name(CLAIMS_GEOJSON.name)
    for needed in (Path(path), claims):
        if not needed.exists():
            raise MissingGeodata(f"{needed} is missing: run `flask visa build-geodata` (make install in a checkout)")
    return CountryBoundaries(path, claims)


@lru_cache(maxsize=2)
def _namesakes(path: str) -> Namesakes | None:
    return Namesakes(path) if Path(path).exists() else None


def boundaries() -> CountryBoundaries:
    """:raise MissingGeodata: when the build step has not made the outlines."""
    return _load(current_app.config["VISA_COUNTRIES_PATH"])


def namesakes() -> Namesakes | None:
    """The gazetteer's places by name and by proximity (None while the index is not built)."""
    return _namesakes(current_app.config["VISA_GAZETTEER_PATH"])


def gazetteer_vouches(lat: float, lon: float, country: str) -> bool:
    """GeoNames has a place of *country* within :data:`VOUCH_KM` of the point."""
    places = namesakes()
    return places is not None and bool(places.near(lat, lon, country, VOUCH_KM))


def check_location(lat: float, lon: float, country: str) -> None:
    """:raise CoordinateError: when the point is neither in the country, nor in an area it claims, nor at one
    of its GeoNames places."""
    boundaries().check(lat, lon, country, vouch=gazetteer_vouches)
