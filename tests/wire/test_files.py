"""Asset files: content-hashed URLs sent immutable, unhashed ones revalidated, precompressed bodies."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import flask
import pytest
import xstatic.pkg.leaflet as xleaflet
import xstatic.pkg.leaflet_markercluster as xcluster

from geodata import BASEMAP_TOPOJSON, TOPOJSON_CLIENT_JS
from visa.wire import files
from visa.wire.files import IMMUTABLE

ROOT = Path(__file__).resolve().parents[2]


def _file_behind(url: str) -> Path | None:
    path = url.split("?")[0]
    for prefix, directory in (("/static/", ROOT / "visa" / "static"), ("/vendor/leaflet/", Path(xleaflet.BASE_DIR)),
                              ("/vendor/markercluster/", Path(xcluster.BASE_DIR))):
        if path.startswith(prefix):
            return directory / path.removeprefix(prefix)
    return {"/geodata/basemap.topojson": BASEMAP_TOPOJSON, "/vendor/topojson-client.min.js": TOPOJSON_CLIENT_JS}.get(path)


def test_every_local_asset_url_of_the_home_page_is_hashed_and_immutable(app, home_assets):
    client = app.test_client(use_cookies=False)
    assert len(home_assets) >= 10  # 4 stylesheets, 4 scripts, the icon, the basemap
    for url in home_assets:
        assert re.search(r"[?&]v=[0-9a-f]{16}$", url), url
        response = client.get(url, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE, url
        # The hash is of what is sent, so new content has a new URL; a script's is its file's as stored (nginx
        # sends that from disk; the app sends it minified).
        sent = _file_behind(url).read_bytes() if url.split("?")[0].endswith(".js") else response.get_data()
        assert url.endswith("v=" + hashlib.sha256(sent).hexdigest()[:16]), url


def test_images_named_by_a_stylesheet_are_hashed_and_immutable_too(client, home_assets):
    css_url = next(url for url in home_assets if url.startswith("/vendor/leaflet/leaflet.css"))
    css = client.get(css_url).get_data(as_text=True)
    images = re.findall(r"url\((images/[^)]+)\)", css)
    assert len(images) == 3 and all(re.search(r"\.png\?v=[0-9a-f]{16}$", image) for image in images), images
    for image in images:
        response = client.get(f"/vendor/leaflet/{image}")
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert image.endswith(hashlib.sha256(response.get_data()).hexdigest()[:16])
    assert "url(#default#VML)" in css  # not a file: left as it was


def test_pages_with_maps_hash_the_basemap_url_handed_to_the_script(client, spaces):
    slug = client.get("/api/v1/spaces").get_json()["features"][0]["id"]
    page = client.get(f"/spaces/{slug}").get_data(as_text=True)
    assert re.search(r'"/geodata/basemap\.topojson\?v=[0-9a-f]{16}"', page)


@pytest.mark.parametrize("url", ["/static/js/visa-map.js", "/vendor/leaflet/leaflet.css", "/geodata/basemap.topojson",
                                 "/static/js/visa-map.js?v=0000000000000000"])
def test_an_unhashed_or_outdated_url_still_works_and_is_revalidated(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


@pytest.mark.parametrize("url", ["/vendor/leaflet/../../../../../etc/passwd", "/vendor/leaflet/%2e%2e/setup.py",
                                 "/static/../__init__.py", "/vendor/leaflet/missing.js", "/vendor/leaflet/images"])
def test_nothing_outside_the_asset_folders_is_served(client, url):
    assert client.get(url).status_code == 404


def test_a_png_is_sent_as_it_is(client):
    response = client.get("/vendor/leaflet/images/marker-icon.png", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (Path(xleaflet.BASE_DIR) / "images" / "marker-icon.png").read_bytes()


def test_a_changed_file_gets_a_new_hash_and_new_bodies(app, tmp_path):
    script = tmp_path / "app.js"
    script.write_text("var first = 1;\n" * 100)
    before = files.load(script)
    script.write_text("var second = 2;\n" * 120)
    after = files.load(script)
    assert before.digest != after.digest
    assert brotli.decompress(after.bodies["br"]) == gzip.decompress(after.bodies["gzip"]) == after.bodies["identity"]
    assert after.bodies["identity"] == files.minified_script(script.read_bytes())


def test_the_apps_scripts_are_sent_minified_and_shipped_minified_ones_as_they_came(client):
    source = (ROOT / "visa" / "static" / "js" / "visa-map.js").read_bytes()
    sent = client.get("/static/js/visa-map.js", headers={"Accept-Encoding": "identity"}).get_data()
    assert len(sent) < len(source) * 0.7 and b"/*" not in sent
    assert b"function initSearch(" in sent and b'"visa:map-extras"' in sent  # names and strings are kept
    leaflet = client.get("/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "identity"}).get_data()
    assert leaflet == (Path(xleaflet.BASE_DIR) / "leaflet.js").read_bytes()  # its licence comment included


def test_small_or_opaque_files_are_kept_in_one_encoding(app, tmp_path):
    small = tmp_path / "tiny.css"
    small.write_text("a{color:red}")
    opaque = tmp_path / "blob.png"
    opaque.write_bytes(b"\x89PNG" + bytes(range(256)) * 8)
    assert set(files.load(small).bodies) == {"identity"}
    assert set(files.load(opaque).bodies) == {"identity"}


def test_warm_prepares_every_file_the_pages_link(app, home_assets):
    loaded = files.loaded_files(app).files
    loaded.clear()
    files.warm(app)
    for url in home_assets:
        source = _file_behind(url)
        if source is not None:
            assert source in loaded, url


def _linked_hash(app) -> str:
    with app.test_request_context("/"):
        return flask.url_for("static", filename="page.js").split("v=")[1]


def test_a_page_links_each_file_under_the_hash_found_first_and_looks_again_in_debug_mode(tmp_path):
    """url_for looks a file's hash up once per process (no stat on every link); debug mode sees every edit."""
    app = flask.Flask(__name__, static_folder=str(tmp_path))
    files.init_app(app)
    script = tmp_path / "page.js"
    script.write_text("var first = 1;\n")
    first = _linked_hash(app)
    script.write_text("var second = 22;\n")
    assert _linked_hash(app) == first
    app.debug = True
    with app.app_context():
        assert _linked_hash(app) == files.load(script).digest != first


def test_each_app_keeps_its_own_files(tmp_path):
    """What a process read is kept by the app that read it, not by the module: a second app reads afresh."""
    script = tmp_path / "page.js"
    script.write_text("var first = 1;\n")
    apps = [flask.Flask(__name__, static_folder=str(tmp_path)) for _ in range(2)]
    for app in apps:
        files.init_app(app)
        with app.app_context():
            files.load(script)
    assert [list(files.loaded_files(app).files) for app in apps] == [[script], [script]]
    assert files.loaded_files(apps[0]) is not files.loaded_files(apps[1])
