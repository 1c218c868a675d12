"""The network impact page in a real browser: charts drawn by the app, no outside request, a screenshot."""

from __future__ import annotations

from tests.browser.conftest import axe_violations, sign_in
from tests.impact.sample import load_sample_visits


def test_impact_page_shows_charts_and_the_corridor_map_offline(app, page, demo_network, screenshot_dir, axe_source):
    load_sample_visits()
    page.goto(page.base_url + "/impact")
    chart = page.locator("svg.bars").first
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    assert page.locator("#visits-chart rect, svg.bars rect").count() >= 12
    assert page.locator("path.corridor").count() >= 1
    assert page.locator("#corridor-table tbody tr").count() == page.locator("path.corridor").count()
    assert all(url.startswith(page.base_url) for url in page.requested_urls)
    page.screenshot(path=str(screenshot_dir / "impact-network.png"), full_page=True)
    assert axe_violations(page, axe_source) == []


def test_space_report_prints_on_one_page(app, page, demo_network, make_user, screenshot_dir):
    import sqlalchemy as sa

    from visa.accounts.models import SpaceHost
    from visa.directory.models import Space
    from visa.extensions import db
    from visa.passes.models import Visit

    load_sample_visits()
    busiest = db.session.scalar(sa.select(Visit.host_space_id).group_by(Visit.host_space_id)
                                .order_by(sa.func.count().desc()).limit(1))
    slug = db.session.get(Space, busiest).slug
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=busiest, user_id=host.id, is_confirmed=True))
    db.session.commit()
    sign_in(page, "host@example.org", "correct horse battery")
    page.goto(page.base_url + f"/spaces/{slug}/impact/print")
    page.emulate_media(media="print")
    assert page.locator("svg.bars").count() == 2 and page.locator(".no-print").is_hidden()
    assert all(url.startswith(page.base_url) for url in page.requested_urls)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # one sheet for the landlord
    page.screenshot(path=str(screenshot_dir / "impact-space-print.png"), full_page=True)
