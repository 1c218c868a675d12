"""Another site frames the embedded map and sees its markers, while the home page refuses to be framed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.live import serving

pytestmark = pytest.mark.browser


@pytest.fixture
def other_site(live_server) -> Iterator[str]:
    """A page on another 127.0.0.1 port (another origin) that frames the embed and the home page."""
    other = Flask("other_site")

    @other.get("/")
    def framing_page():
        return (f'<!doctype html><html lang="en"><title>A network</title><link rel="icon" href="data:,"><h1>Our spaces</h1>'
                f'<iframe id="embed" title="Map" width="640" height="420" '
                f'src="{live_server}/embed/map?near=38.7101,-9.1367&radius_km=5&participating=1"></iframe>'
                f'<iframe id="home" name="home" title="Home" width="640" height="300" src="{live_server}/"></iframe>')

    with serving(other) as url:
        yield url + "/"


@pytest.mark.expect_console("frame-ancestors")  # Chromium says why it refused to frame the home page
def test_another_origin_frames_the_embed_but_not_the_home_page(watch, live_server, other_site, make_space,
                                                              screenshot_dir):
    make_space("Framed Takes Part", lat=38.7101, lon=-9.1367)
    make_space("Framed Declines", lat=38.7140, lon=-9.1400, terms={"is_participating": False})
    page = watch.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB").new_page()
    page.goto(other_site)
    embed = page.frame_locator("#embed")
    embed.locator(".space-marker").first.wait_for()
    page.wait_for_load_state("networkidle")
    # participating=1: the space that declines is not on the map.
    titles = embed.locator(".space-marker").evaluate_all("markers => markers.map(m => m.title)")
    assert len(titles) == 1 and titles[0].startswith("Framed Takes Part: Takes part")
    assert embed.locator(".leaflet-basemap-pane path").count() > 0  # the offline basemap beneath
    assert embed.locator("header, form").count() == 0
    # The home page's frame stays empty: the browser refused it.
    home = page.frame(name="home")
    assert home.locator("header.site").count() == 0
    page.screenshot(path=str(screenshot_dir / "embed-framed-1280.png"))
    # A marker opens the listing on the directory, in a new tab: the network's page stays.
    with page.context.expect_page() as opened:
        embed.locator(".space-marker").first.click()
    listing = opened.value
    listing.wait_for_load_state()
    assert listing.url.startswith(live_server + "/spaces/framed-takes-part")
    assert page.url == other_site


def test_the_copy_button_copies_the_code(watch, live_server):
    """Without a script the code sits in a readonly field; with one, a button copies it."""
    context = watch.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.goto(live_server + "/embed?country=PT&participating=y")
    code = page.locator("#embed-code")
    assert code.get_attribute("readonly") is not None
    button = page.get_by_role("button", name="Copy the HTML")
    button.click()
    page.get_by_role("button", name="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code.input_value()
    assert code.input_value().startswith(f'<iframe src="{live_server}/embed/map?country=PT&amp;participating=1')
