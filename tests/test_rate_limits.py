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


def _exhaust(client, limit: int, **kwargs) -> None:
    for _ in range(limit):
        assert client.get("/api/v1/geocode?q=Lisbon", **kwargs).status_code == 200


def test_the_limited_search_keeps_its_form_and_query_and_says_when(app, client):
    app.config["VISA_GEOCODE_LIMIT"] = "2 per minute"
    _exhaust(client, 2)
    page = client.get("/?q=Lisbon&radius_km=50")
    assert page.status_code == 429
    wait = int(page.headers["Retry-After"])
    assert 1 <= wait <= 60
    html = page.get_data(as_text=True)
    assert 'name="q" value="Lisbon"' in html and 'name="radius_km" value="50"' in html
    assert f"Try again in {wait} second" in html
    api = client.get("/api/v1/geocode?q=Lisbon")
    assert api.status_code == 429 and 1 <= int(api.headers["Retry-After"]) <= 60


def test_members_behind_one_address_each_have_their_own_bucket(app):
    """A coworking space's members share one address: each browser session counts alone, under a larger cap."""
    app.config.update(VISA_GEOCODE_LIMIT="3 per minute", VISA_GEOCODE_ADDRESS_LIMIT="8 per minute")
    members = [app.test_client() for _ in range(3)]
    for number, member in enumerate(members):
        with member.session_transaction() as session:  # as a home space or a form's token leaves it
            session["home_slug"] = f"space-{number}"
    _exhaust(members[0], 3)
    assert members[0].get("/?q=Porto").status_code == 429  # this member's own bucket is spent
    _exhaust(members[1], 3)  # the next member, same address, searches normally
    assert members[2].get("/?q=Porto").status_code == 200  # the 7th lookup from the address
    assert members[2].get("/?q=Porto").status_code == 200  # the 8th
    assert members[2].get("/?q=Porto").status_code == 429  # the address's cap, though this session has room
    # Without a session (a script, a first visit) the client counts by its address alone.
    fresh = app.test_client()
    assert fresh.get("/api/v1/geocode?q=Lisbon", environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 200


def test_a_forged_session_cookie_counts_by_address(app):
    app.config["VISA_GEOCODE_LIMIT"] = "2 per minute"
    first, second = app.test_client(), app.test_client()
    first.set_cookie("session", "forged")
    second.set_cookie("session", "forged-too")
    _exhaust(first, 2)
    assert second.get("/api/v1/geocode?q=Lisbon").status_code == 429
