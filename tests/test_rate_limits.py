"""Geocoding is rate-limited per client, in one bucket shared by the API, the search page and the trip planner."""

from __future__ import annotations

from visa.config import DEFAULT_GEOCODE_LIMIT


def test_geocoding_shares_one_bucket_per_client(client):
    allowed = int(DEFAULT_GEOCODE_LIMIT.split()[0])
    for _ in range(allowed - 1):
        assert client.get("/api/v1/geocode?q=Lisbon").status_code == 200
    assert client.get("/?q=Porto").status_code == 200  # the last lookup of the minute
    api = client.get("/api/v1/geocode?q=Lisbon")
    assert api.status_code == 429 and api.is_json and api.get_json()["error"]["code"] == "too_many_requests"
    page = client.get("/?q=Lisbon")
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert client.get("/trip?stops-0-place=Lisbon").status_code == 429
    # What does not geocode typed text is not limited by it.
    assert client.get("/?near=38.72,-9.14").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/spaces?near=38.72,-9.14").status_code == 200
    other = client.get("/api/v1/geocode?q=Lisbon", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200  # another client has its own bucket


def test_a_trip_costs_one_lookup_per_stop(app, client):
    app.config["VISA_GEOCODE_LIMIT"] = "4 per minute"
    stops = "&".join(f"stops-{i}-place=Lisbon" for i in range(3))
    assert client.get(f"/trip?{stops}").status_code == 200
    assert client.get("/api/v1/geocode?q=Lisbon").status_code == 200
    assert client.get("/api/v1/geocode?q=Lisbon").status_code == 429
