"""Checking a space's coordinates against its country, for every write path."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from visa.geo.boundaries import CountryBoundaries


def boundaries() -> CountryBoundaries:
    app = current_app
    loaded = app.extensions.get("visa.boundaries")
    if loaded is None:
        path = Path(app.config["VISA_COUNTRIES_PATH"])
        if not path.exists():
            from geodata.countries_build import build_countries

            build_countries()
        loaded = CountryBoundaries(path)
        app.extensions["visa.boundaries"] = loaded
    return loaded


def check_location(lat: float, lon: float, country: str) -> None:
    """:raise CoordinateError: when the point is not in the country."""
    boundaries().check(lat, lon, country)
