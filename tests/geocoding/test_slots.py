"""A worker runs at most VISA_GEOCODE_SLOTS place lookups at once (half its threads) and refuses the rest at
once with a 503, so a flood of lookups from many addresses never holds every thread the map's searches need."""

from __future__ import annotations

import threading

import pytest

from visa.config import from_environment, geocode_slots
from visa.geocoding.results import GeocoderBusy
from visa.geocoding.service import fit_slots_to_threads, geocode


@pytest.fixture
def busy(app):
    """Every slot of this worker taken, as by lookups still running in other threads."""
    slots = app.extensions["visa.geocode_slots"]
    taken = [slots.acquire(blocking=False) for _ in range(app.config["VISA_GEOCODE_SLOTS"])]
    assert all(taken)
    yield slots
    for _ in taken:
        slots.release()


def test_half_a_workers_threads_by_default_and_at_least_one(monkeypatch, tmp_path):
    assert from_environment(str(tmp_path))["VISA_GEOCODE_SLOTS"] == 2  # `make run`: 4 threads a worker
    monkeypatch.setenv("VISA_WORKER_THREADS", "8")
    assert from_environment(str(tmp_path))["VISA_GEOCODE_SLOTS"] == 4
    assert geocode_slots(None, "1") == 1 and geocode_slots("3", "8") == 3
    with pytest.raises(ValueError, match="VISA_GEOCODE_SLOTS must be a whole number"):
        geocode_slots("many", "4")


def test_each_worker_fits_its_slots_to_its_real_threads(app):
    assert fit_slots_to_threads(app, 8, None) == 4 == app.config["VISA_GEOCODE_SLOTS"]
    slots = app.extensions["visa.geocode_slots"]
    assert [slots.acquire(blocking=False) for _ in range(5)] == [True] * 4 + [False]
    assert fit_slots_to_threads(app, 8, "1") == 1  # VISA_GEOCODE_SLOTS set: it says


def test_a_lookup_beyond_the_slots_is_refused_at_once_and_the_map_still_answers(client, busy, make_space):
    make_space("Baixa Commons", lat=38.7101, lon=-9.1367)
    r = client.get("/api/v1/geocode?q=Lisbon")
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    assert r.get_json()["error"]["code"] == "geocoder_busy"
    assert "Too many place look-ups at once" in r.get_json()["error"]["message"]
    page = client.get("/?q=Lisbon&radius_km=50", headers={"Accept-Language": "de"})
    html = page.get_data(as_text=True)
    assert page.status_code == 503 and "Zu viele Ortssuchen gleichzeitig" in html
    assert 'name="q" value="Lisbon"' in html and 'name="radius_km" value="50"' in html  # the same search again
    spaces = client.get("/api/v1/spaces?near=38.71,-9.14")
    assert spaces.status_code == 200 and len(spaces.get_json()["features"]) == 1
    busy.release()  # one lookup finished: the next one runs
    try:
        assert client.get("/api/v1/geocode?q=Lisbon").status_code == 200
    finally:
        busy.acquire()


def test_a_request_is_refused_at_once_and_an_import_waits_for_a_slot(app, busy):
    with pytest.raises(GeocoderBusy):
        geocode("Porto, Portugal")
    threading.Timer(0.3, busy.release).start()  # a lookup in another thread finishes
    try:
        assert geocode("Porto, Portugal", wait=10).country == "PT"  # what the importer asks for
    finally:
        busy.acquire()
