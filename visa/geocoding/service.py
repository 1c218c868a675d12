"""The app's geocoder, built once per process from configuration."""

from __future__ import annotations

from flask import Flask, current_app

from visa.geocoding.models import DatabaseGeocodeCache
from visa.geocoding.providers import GeocodingService, build_service
from visa.geocoding.results import GeocodeResult


def init_app(app: Flask) -> None:
    app.extensions["visa.geocoder"] = None  # built on first use: the index may still be building at start-up


def geocoder() -> GeocodingService:
    app = current_app
    service = app.extensions.get("visa.geocoder")
    if service is None:
        _ensure_gazetteer(app.config["VISA_GAZETTEER_PATH"])
        service = build_service(app.config["VISA_GEOCODER"], app.config["VISA_GEOCODER_OPTIONS"],
                                app.config["VISA_GAZETTEER_PATH"], DatabaseGeocodeCache(),
                                app.config["VISA_GEOCODER_MIN_DELAY"])
        app.extensions["visa.geocoder"] = service
    return service


def geocode(query: str) -> GeocodeResult:
    """:raise PlaceNotFound: with suggestions."""
    return geocoder().geocode(query)


def _ensure_gazetteer(path: str) -> None:
    from pathlib import Path

    if not Path(path).exists():
        from geodata.gazetteer_build import build_gazetteer

        build_gazetteer(Path(path))
