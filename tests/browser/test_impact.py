"""The network impact page in a real browser: charts drawn by the app, no outside request, a screenshot."""

from __future__ import annotations

from tests.impact.sample import load_sample_visits


def test_impact_page_shows_charts_and_the_corridor_map_offline(app, page, demo_network, screenshot_dir):
    load_sample_visits()
    page.goto(page.base_url + "/impact")
    chart = page.locator("svg.bars").first
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    assert page.locator("#visits-chart rect, svg.bars rect").count() >= 12
    assert page.locator("path.corridor").count() >= 1
    assert page.locator("#corridor-table tbody tr").count() == page.locator("path.corridor").count()
    assert all(url.startswith(page.base_url) for url in page.requested_urls)
    page.screenshot(path=str(screenshot_dir / "impact-network.png"), full_page=True)
