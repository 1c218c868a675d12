"""A lookup on /api/v1/geocode finds no slot free: refused at the door (visa.api.geocode_door), before Flask reads
it, with the answer Flask gives (JSON naming the reason, in the reader's language, the API's headers)."""

from __future__ import annotations

import threading

import pytest

from visa.api.geocode_door import ANSWERS
from visa.geocoding.service import all_slots_taken


@pytest.fixture
def busy(app):
    """Every slot of this worker taken, as by lookups still running in other threads."""
    slots = app.extensions["visa.geocode_slots"]
    taken = [slots.acquire(blocking=False) for _ in range(app.config["VISA_GEOCODE_SLOTS"])]
    yield slots
    for _ in taken:
        slots.release()


def test_a_refused_lookup_costs_the_client_nothing_of_its_rate_limit(app, client, busy):
    app.config["VISA_GEOCODE_LIMIT"] = "3 per minute"
    for _ in range(10):  # inside Flask each would be counted, and the fourth answered 429
        assert client.get("/api/v1/geocode?q=Lisbon").status_code == 503
    busy.release()  # a lookup finished: the client's bucket is as full as before the refusals
    try:
        assert [client.get("/api/v1/geocode?q=Lisbon").status_code for _ in range(4)] == [200, 200, 200, 429]
    finally:
        busy.acquire()


def test_the_refusal_is_flasks_answer_in_the_readers_language(app, client, busy):
    english = client.get("/api/v1/geocode?q=Lisbon")
    german = client.get("/api/v1/geocode?q=Lisbon", headers={"Accept-Language": "de-DE,de;q=0.9"})
    french = client.get("/api/v1/geocode?q=Lisbon&lang=fr", headers={"Accept-Language": "de"})
    again = client.get("/api/v1/geocode?q=Porto", headers={"Accept-Language": "de"})
    assert {r.status_code for r in (english, german, french, again)} == {503}
    assert english.get_json()["error"] == {"code": "geocoder_busy", "field": None,
                                           "message": "Too many place look-ups at once: try again in a moment."}
    assert german.get_json()["error"]["message"].startswith("Zu viele Ortssuchen gleichzeitig")
    assert french.get_json()["error"]["message"].startswith("Trop de recherches de lieux")
    assert again.get_data() == german.get_data()  # made once per language, then replayed
    assert sorted(app.extensions[ANSWERS]) == [("de", False), ("de_DE", False), ("en", False), ("fr", False)]
    for answer in (english, german):
        assert answer.headers["Retry-After"] == "1" and answer.mimetype == "application/json"
        assert answer.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert "Accept-Language" in answer.headers["Vary"] and "Set-Cookie" not in answer.headers
    secure = client.get("/api/v1/geocode?q=Lisbon", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 503 and ("en", True) in app.extensions[ANSWERS]


def test_with_a_slot_free_the_lookup_goes_on_to_the_app(client, busy):
    busy.release()
    try:
        assert client.get("/api/v1/geocode?q=Lisbon").get_json()["country"] == "PT"
        assert client.get("/api/v1/geocode").status_code == 400
    finally:
        busy.acquire()


def test_looking_at_the_slots_takes_none(app):
    """A slot taken to look, even for an instant, could make another thread's lookup find none and be refused."""

    class Watched(threading.BoundedSemaphore):
        taken = 0

        def acquire(self, *args, **kwargs):
            Watched.taken += 1
            return super().acquire(*args, **kwargs)

    app.extensions["visa.geocode_slots"] = Watched(1)
    assert not all_slots_taken(app)
    app.extensions["visa.geocode_slots"].acquire()
    assert all_slots_taken(app)
    assert Watched.taken == 1  # only the test's own
