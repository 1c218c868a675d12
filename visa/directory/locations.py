"""Checking a space's coordinates against its country, for every write path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from visa.geo.boundaries import CountryBoundaries


class MissingGeodata(RuntimeError):
    """The built country outlines are not there; the build step makes them, never a request."""


@lru_cache(maxsize=2)
def _load(path: str) -> CountryBoundaries:
    # Loading and repairing the outlines takes about a second: once per process, at start-up
    # (visa.startup.warm_up). Building them needs npm and the network, so only the build step does.
    if not Path(path).exists():
        raise MissingGeodata(f"country outlines {path} are missing: run `make install` (python -m geodata.build)")
    return CountryBoundaries(path)


def boundaries() -> CountryBoundaries:
    """:raise MissingGeodata: when the build step has not made the outlines."""
    return _load(current_app.config["VISA_COUNTRIES_PATH"])


def check_location(lat: float, lon: float, country: str) -> None:
    """:raise CoordinateError: when the point is not in the country."""
    boundaries().check(lat, lon, country)
