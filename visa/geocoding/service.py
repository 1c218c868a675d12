"""The app's geocoder, built once per process from configuration, and the slots that cap lookups at once."""

from __future__ import annotations

import threading

from flask import Flask, current_app

from visa.config import geocode_slots
from visa.geocoding.models import DatabaseGeocodeCache
from visa.geocoding.processes import LookupProcesses
from visa.geocoding.providers import GeocodingService, build_service
from visa.geocoding.results import GeocoderBusy, GeocodeResult


def init_app(app: Flask) -> None:
    app.extensions["visa.geocoder"] = None  # built on first use: the index may still be building at start-up
    # Per worker (each process builds its own app or forks before any lookup): see geocode().
    app.extensions["visa.geocode_slots"] = threading.BoundedSemaphore(app.config["VISA_GEOCODE_SLOTS"])


def fit_slots_to_threads(app: Flask, threads: int, slots_set: str | None) -> int:
    """Size the lookup slots by the worker's real thread count (gunicorn's ``--threads``), unless
    ``VISA_GEOCODE_SLOTS`` (*slots_set*) says; called in each worker before its first request."""
    app.config["VISA_GEOCODE_SLOTS"] = geocode_slots(slots_set, str(threads))
    app.extensions["visa.geocode_slots"] = threading.BoundedSemaphore(app.config["VISA_GEOCODE_SLOTS"])
    return app.config["VISA_GEOCODE_SLOTS"]


def all_slots_taken(app: Flask) -> bool:
    """Whether a lookup asked for now would be refused (visa.api.geocode_door).

    A look at the semaphore's count, which takes nothing: taking a slot to see and giving it back could, at
    that instant, make another thread's lookup find none and be refused.
    """
    return app.extensions["visa.geocode_slots"]._value == 0  # CPython's Semaphore keeps its count there


def start_lookup_processes(app: Flask) -> LookupProcesses:
    """Offline lookups in processes of their own, one per slot (visa.geocoding.processes): called in each
    gunicorn worker before its first request, after :func:`fit_slots_to_threads`."""
    with app.app_context():
        offline = geocoder().offline
        offline.processes = LookupProcesses(app.config["VISA_GAZETTEER_PATH"], app.config["VISA_GEOCODE_SLOTS"])
        return offline.processes


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


def geocode(query: str, wait: float = 0.0) -> GeocodeResult:
    """:raise PlaceNotFound: with suggestions.
    :raise GeocoderBusy: when every slot is taken and none frees within *wait* seconds.

    A lookup is CPU work in the gazetteer or a wait on a remote provider. Without a cap, a flood of lookups
    from many addresses (each under its own rate limit) takes every thread of every worker and the map's
    searches queue behind it; with ``VISA_GEOCODE_SLOTS`` (half a worker's threads) the rest stay free. In a
    gunicorn worker the gazetteer's CPU work runs in the worker's lookup processes (:func:`start_lookup_processes`),
    so the threads left free also keep their share of the GIL.
    Requests do not queue for a slot (*wait* 0): a queued request holds its thread all the same. An import,
    one thread doing many lookups, waits its turn instead.
    """
    slots = current_app.extensions["visa.geocode_slots"]
    acquired = slots.acquire(timeout=wait) if wait > 0 else slots.acquire(blocking=False)
    if not acquired:
        raise GeocoderBusy()
    try:
        return geocoder().geocode(query)
    finally:
        slots.release()


def _ensure_gazetteer(path: str) -> None:
    from pathlib import Path

    if not Path(path).exists():
        from geodata.gazetteer_build import build_gazetteer

        build_gazetteer(Path(path))
