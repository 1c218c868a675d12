"""Street tiles: OpenStreetMap's by default over the offline basemap, ``none`` for strictly offline."""

from __future__ import annotations

from visa.app import create_app
from visa.config import OSM_TILE_URL, from_environment, normalise_tiles
from visa.extensions import db


def test_default_is_openstreetmap_with_its_attribution(monkeypatch, tmp_path):
    monkeypatch.delenv("VISA_TILE_URL", raising=False)
    monkeypatch.delenv("VISA_TILE_ATTRIBUTION", raising=False)
    config = from_environment(str(tmp_path))
    normalise_tiles(config)
    assert config["VISA_TILE_URL"] == OSM_TILE_URL
    assert "OpenStreetMap" in config["VISA_TILE_ATTRIBUTION"]


def test_none_switches_tiles_off():
    config = {"VISA_TILE_URL": " None ", "VISA_TILE_ATTRIBUTION": ""}
    normalise_tiles(config)
    assert config["VISA_TILE_URL"] == ""


def test_pages_draw_tiles_over_the_basemap_and_the_policy_allows_only_their_host(_schema, app_config):
    app = create_app({**app_config, "VISA_TILE_URL": OSM_TILE_URL})
    with app.app_context():
        page = app.test_client().get("/")
        db.session.remove()
        db.engine.dispose()  # the page read the registry (its country select): close this app's connections
    assert page.status_code == 200
    assert OSM_TILE_URL.encode() in page.data and b"OpenStreetMap" in page.data
    policy = page.headers["Content-Security-Policy"]
    img = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img
    assert "tile.openstreetmap.org" not in policy.replace(img, "")  # images only: no script, style or fetch


def test_tiles_off_leaves_no_other_host_in_the_page(client):
    page = client.get("/")
    assert b"openstreetmap" not in page.data.lower()
    assert "openstreetmap" not in page.headers["Content-Security-Policy"]
