"""A search on a slow network: when the first list entry and the markers show, in Chromium throttled by CDP.

    python -m bench.slow_network [--runs 3]

Starts gunicorn on a temporary SQLite database with the demo network, then opens
``/?q=Lisbon`` in a fresh browser context each run (a cold cache) with Chrome
DevTools Protocol's ``Network.emulateNetworkConditions`` at 400 kbps down and up
and 400 ms latency, on a phone (390 × 844) and a desktop (1280 × 860). Times are
from the start of the navigation (``performance.now()`` in the page):

- the first list entry: the server's list, in the page and painted (first contentful paint);
- the markers: the first space marker (or group) drawn on the map; on a phone the
  list comes first and the map only after "Show the map", so there it is timed
  from that tap, with the scripts and the basemap the map needed by then;
- the home page's first contentful paint, and the bytes each page cost.

Chromium is Debian's (``/usr/bin/chromium``, ``VISA_CHROMIUM``) with the browser
tests' flags. :func:`main` prints a Markdown table and returns its rows (figure,
value, target) for ``python -m bench``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from bench.servers import ROOT
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

#: 400 kbps each way and 400 ms of latency, in the units CDP takes (bytes per second, milliseconds).
THROTTLE = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}
SEARCH = "/?q=Lisbon"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
#: The first list entry, once the page has painted (its stylesheets in: it shows, styled), and the first marker
#: or group the map drew (in view, with a size).
FIRST_ENTRY = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return document.querySelector('#results li') && paint && Math.max(paint.startTime, performance.now());
}"""
FIRST_MARKER = """() => {
  const drawn = [...document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon')]
    .some(m => m.getBoundingClientRect().width > 0);
  return drawn && performance.now();
}"""
#: Bytes the page received so far (every resource's transfer size, the document included).
BYTES = """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
  .reduce((sum, e) => sum + (e.transferSize || 0), 0)"""
MAP_ASSETS = ("leaflet.js", "leaflet.markercluster.js", "basemap")


def _throttled_page(browser, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    return context, page


def _search_run(browser, base: str, viewport: dict) -> dict:
    context, page = _throttled_page(browser, viewport)
    try:
        page.goto(base + SEARCH, wait_until="commit", timeout=60_000)
        entry = page.wait_for_function(FIRST_ENTRY, polling="raf", timeout=60_000).json_value()
        map_before = sorted({name for name in MAP_ASSETS for url in page.requested if name in url})
        bytes_at_entry = page.evaluate(BYTES)
        tapped = 0.0
        if viewport is PHONE:
            page.wait_for_load_state("load", timeout=60_000)
            tapped = page.evaluate("() => performance.now()")
            page.locator("#view-toggle").click()
        marker = page.wait_for_function(FIRST_MARKER, polling="raf", timeout=60_000).json_value()
        return {"entry_s": entry / 1000, "marker_s": (marker - tapped) / 1000, "bytes_at_entry": bytes_at_entry,
                "map_before_entry": map_before}
    finally:
        context.close()


def _home_run(browser, base: str) -> dict:
    context, page = _throttled_page(browser, PHONE)
    try:
        page.goto(base + "/", wait_until="load", timeout=60_000)
        paint = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
        return {"fcp_s": (paint or 0) / 1000, "bytes": page.evaluate(BYTES)}
    finally:
        context.close()


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _seconds(runs: list[dict], key: str) -> str:
    """The median and every run: "1.02 s (runs 1.02, 0.98, 1.10)"."""
    return f"{_median(runs, key):.2f} s (runs {', '.join(f'{run[key]:.2f}' for run in runs)}"


def measure(base: str, runs: int = 3) -> list[tuple[str, str, str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            _search_run(browser, base, DESKTOP)  # the server's first answers (index, templates) are not counted
            phone = [_search_run(browser, base, PHONE) for _ in range(runs)]
            desktop = [_search_run(browser, base, DESKTOP) for _ in range(runs)]
            home = [_home_run(browser, base) for _ in range(runs)]
        finally:
            browser.close()
    where = f"400 kbps, 400 ms latency, cold cache, median of {runs}"
    rows = []
    for name, found in (("phone 390 px", phone), ("desktop 1280 px", desktop)):
        rows.append((f"{SEARCH}, {name}: first list entry ({where})", f"{_seconds(found, 'entry_s')}; "
                     f"{_median(found, 'bytes_at_entry') / 1024:.0f} KB received by then)", "≤ 1.2 s"))
    rows.append((f"{SEARCH}, desktop 1280 px: first marker drawn ({where})",
                 _seconds(desktop, "marker_s") + ")",
                 "≤ 2.5 s"))
    rows.append((f"{SEARCH}, phone 390 px: first marker after “Show the map” ({where})",
                 _seconds(phone, "marker_s") + ")",
                 "≤ 2.5 s"))
    rows.append((f"{SEARCH}, phone 390 px: map scripts and basemap requested before the list showed",
                 ", ".join(phone[0]["map_before_entry"]) or "none", "none"))
    rows.append((f"Home page, phone 390 px: first contentful paint ({where})",
                 f"{_median(home, 'fcp_s'):.2f} s ({_median(home, 'bytes') / 1024:.0f} KB by the load event)", "-"))
    return rows


def main(argv: list[str] | None = None) -> list[tuple[str, str, str]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="cold-cache runs per figure (the median is given)")
    args = parser.parse_args(argv)
    from bench.__main__ import migrate, ours

    with tempfile.TemporaryDirectory(prefix="visa-slow-") as tmp:
        url = f"sqlite:///{tmp}/slow.sqlite"
        migrate(url)
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "visa", "seed-demo"], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "DATABASE_URL": url})
        server = ours(url, 1, 4)  # threads: a browser fetches the page's assets side by side
        try:
            rows = measure(server.base, args.runs)
        finally:
            server.close()
    print("| Figure | Value | Target |\n|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return rows


if __name__ == "__main__":
    main()
