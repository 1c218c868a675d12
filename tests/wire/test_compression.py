"""Every text the app answers with is compressed as the client asks: brotli, gzip, or not at all."""

from __future__ import annotations

import gzip

import brotli
import pytest

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, "identity": lambda body: body}


def _text_urls(home_assets: list[str]) -> list[str]:
    return ["/", "/?q=Lisbon", "/about", "/api/v1/spaces?near=38.72,-9.14&radius_km=25", "/api/v1/openapi.json",
            "/geodata/labels?bbox=-20,30,40,60&zoom=6", *home_assets]


@pytest.mark.parametrize("asked, expected", [("br, gzip", "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip"),
                                             ("identity", "identity"), ("", "identity")])
def test_pages_json_scripts_styles_and_topojson_are_compressed_as_asked(app, spaces, home_assets, asked, expected):
    client = app.test_client(use_cookies=False)
    compressed = 0
    for url in _text_urls(home_assets):
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        response = client.get(url, headers={"Accept-Encoding": asked})
        assert response.status_code == 200, url
        if len(plain.get_data()) < 500:  # too small to gain: sent as it is
            assert "Content-Encoding" not in response.headers, url
            continue
        assert response.headers.get("Content-Encoding", "identity") == expected, url
        assert "accept-encoding" in response.headers["Vary"].lower(), url
        body = DECODE[expected](response.get_data())
        if url.startswith(("/?", "/about")) or url == "/":
            # A page carries a fresh CSP nonce each time: compare it without.
            assert len(body) == len(plain.get_data()), url
        else:
            assert body == plain.get_data(), url
        if expected != "identity":
            assert len(response.get_data()) < 0.6 * len(body), url
        compressed += 1
    assert compressed == len(_text_urls(home_assets)) - 1  # all but the 204-byte icon


def test_the_home_page_and_its_assets_weigh_at_most_150_kb_with_brotli_or_gzip(app, home_assets):
    client = app.test_client(use_cookies=False)
    for asked, limit in (("br", 150 * 1024), ("gzip", 150 * 1024)):
        total = sum(len(client.get(url, headers={"Accept-Encoding": asked}).get_data()) for url in ["/", *home_assets])
        assert total <= limit, (asked, total)


def test_an_etag_names_the_encoding_so_caches_keep_them_apart(client):
    tags = {client.get("/static/js/visa-map.js", headers={"Accept-Encoding": asked}).headers["ETag"]
            for asked in ("br", "gzip", "identity")}
    assert len(tags) == 3



def test_the_head_asks_for_the_stylesheet_before_any_script(client):
    """The first paint waits for site.css alone: the site's scripts are linked after the page (on a slow
    network the stylesheet then has the first round trip's bytes to itself for longer)."""
    page = client.get("/?q=Lisbon").get_data(as_text=True)
    head, body = page.split("</head>", 1)
    assert "css/site.css" in head and "<script" not in head
    assert body.index("js/page.js") < body.index("js/map-loader.js")
