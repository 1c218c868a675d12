"""The maps' legend, rendered once per locale and process."""

from __future__ import annotations

import re


def _legend(client, language: str) -> str:
    html = client.get("/", headers={"Accept-Language": language}).get_data(as_text=True)
    return re.search(r'<ul class="map-legend".*?</ul>', html, re.S).group(0)


def test_the_legend_is_kept_per_locale(client):
    english = _legend(client, "en")
    assert 'aria-label="Map legend"' in english
    german = _legend(client, "de")
    assert 'aria-label="Kartenlegende"' in german and "Map legend" not in german
    assert _legend(client, "en") == english
