"""Checking a space's coordinates against its country, for every write path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app

from visa.geo.boundaries import CountryBoundaries


@lru_cache(maxsize=2)
def _load(path: str) -> CountryBoundaries:
    # Loading and repairing the outlines takes about a second: once per process.
    if not Path(path).exists():
        from geodata.countries_build import build_countries

        build_countries()
    return CountryBoundaries(path)


def boundaries() -> CountryBoundaries:
    return _load(current_app.config["VISA_COUNTRIES_PATH"])


def check_location(lat: float, lon: float, country: str) -> None:
    """:raise CoordinateError: when the point is not in the country."""
    boundaries().check(lat, lon, country)
