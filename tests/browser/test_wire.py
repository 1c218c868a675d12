"""In Chromium: assets arrive brotli-compressed, are not asked for again on the next page, and no cookie is set."""

from __future__ import annotations

import pytest
from flask import request

pytestmark = pytest.mark.browser


def test_a_first_visit_gets_brotli_and_the_next_page_reuses_the_assets(app, page, make_space):
    make_space("Open House", lat=38.7101, lon=-9.1367)
    served: list[str] = []
    app.after_request(lambda response: served.append(request.full_path.rstrip("?")) or response)
    encodings = {}
    page.on("response", lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding", "identity")))

    page.goto(page.base_url + "/?q=Lisbon")
    page.locator(".leaflet-marker-icon").first.wait_for(state="visible")
    scripts = [url for url in encodings if "/vendor/leaflet/leaflet.js?v=" in url or "/static/js/visa-map.js?v=" in url]
    assert len(scripts) == 2 and all(encodings[url] == "br" for url in scripts), encodings
    assert page.context.cookies() == []  # an anonymous visit leaves no cookie

    # The first page's own late requests (the basemap after the first markers, the icon after the load) are
    # its, not the next page's: the first markers are drawn before them.
    page.wait_for_load_state("networkidle")
    first_visit = list(served)
    page.goto(page.base_url + "/about")
    page.get_by_role("heading").first.wait_for()
    again = served[len(first_visit):]
    assert any(path.startswith("/about") for path in again)
    assert not [path for path in again if "?v=" in path], again  # immutable: taken from the browser's cache
