"""Fixtures of the wire tests: a few listed spaces, and the home page's asset URLs as a browser finds them."""

from __future__ import annotations

import pytest

from bench.wire import page_assets


@pytest.fixture
def spaces(make_space):
    """Enough Lisbon spaces that a search answer is worth compressing."""
    return [make_space(f"Tagus Desk {i}", lat=38.70 + i / 1000, lon=-9.14 + i / 1000) for i in range(12)]


@pytest.fixture
def home_assets(app) -> list[str]:
    """The URLs of the stylesheets, scripts, icon and basemap that the home page makes a browser load."""
    client = app.test_client(use_cookies=False)
    return page_assets(client.get("/").get_data(as_text=True))
