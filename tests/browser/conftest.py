"""A live server on 127.0.0.1 and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("VISA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = f"no Chromium at {CHROMIUM}: install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI requires the browser tests")
    pytest.skip(message)


@pytest.fixture
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


# What a person would see as broken, watched in every page of every browser test (ISSUE 21): a same-origin
# request answered 4xx or 5xx, an image or CSS background that did not decode, a console error, an uncaught
# exception. A test that expects a status says so: @pytest.mark.expect_status(404) (or watch.expect_status).

#: Added to every page before its own scripts (not subject to the page's CSP): an <img> that fails to load
#: at any time, a marker drawn long after the page loaded included, is written to the console as an error.
IMAGE_ERRORS_JS = """window.addEventListener('error', (event) => {
  const img = event.target;
  if (img && img.tagName === 'IMG') console.error('[watch] image did not load: ' + (img.currentSrc || img.src));
}, true);"""

#: Every <img> of the page that is not drawn, and every CSS background image (of elements and their ::before
#: and ::after) that does not decode; loaded again here, so a background of a hidden element counts too.
UNDRAWN_IMAGES_JS = """async () => {
  const bad = [], settle = (img) => new Promise((done) => {
    if (img.complete) return done();
    img.addEventListener('load', done, {once: true});
    img.addEventListener('error', done, {once: true});
    setTimeout(done, 5000);
  });
  for (const img of document.images) {
    if (!img.getAttribute('src') && !img.srcset) continue;
    await settle(img);
    if (!(img.complete && img.naturalWidth > 0))
      bad.push('<img> not drawn: ' + (img.currentSrc || img.src) + (img.alt ? ' (alt ' + JSON.stringify(img.alt) + ')' : ''));
  }
  const urls = new Set();
  for (const el of document.querySelectorAll('*'))
    for (const part of [null, '::before', '::after'])
      for (const m of getComputedStyle(el, part).backgroundImage.matchAll(/url\\("?(.*?)"?\\)/g)) urls.add(m[1]);
  for (const url of urls) {
    const img = new Image();
    img.src = url;
    try { await img.decode(); } catch (e) { bad.push('CSS background not drawn: ' + url); }
  }
  return bad;
}"""


class Watcher:
    """Watches the pages of browser contexts for what a person would see as broken; :meth:`finish` says what."""

    def __init__(self, origin: str, expected_statuses=(), expected_console=()) -> None:
        self.origin = _origin(origin)
        self.expected_statuses = set(expected_statuses)
        self.expected_console = [re.compile(p) for p in expected_console]
        self.problems: list[str] = []
        self.pages: list = []

    def expect_status(self, *statuses: int) -> None:
        self.expected_statuses.update(statuses)

    def watch_context(self, context):
        """Watch every page *context* opens from now on (call before ``new_page``)."""
        context.add_init_script(IMAGE_ERRORS_JS)
        context.on("page", self.watch_page)
        return context

    def watch_page(self, page):
        if page in self.pages:
            return page
        self.pages.append(page)
        page.on("response", self._on_response)
        page.on("console", lambda message: self._on_console(page, message))
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception on {page.url}: {error}"))
        return page

    def _on_response(self, response) -> None:
        if _origin(response.url) != self.origin:
            return
        if response.status >= 400 and response.status not in self.expected_statuses:
            self.problems.append(f"{response.status} for {response.request.method} {response.url}")

    def _on_console(self, page, message) -> None:
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        text = message.text + (f" ({source})" if source else "")
        if any(p.search(text) for p in self.expected_console):
            return
        # Chromium logs each failed load: one answered by the app is counted (or expected) in _on_response.
        if message.text.startswith("Failed to load resource: the server responded") and _origin(source) == self.origin:
            return
        self.problems.append(f"console error on {page.url}: {text}")

    def check_images(self, page) -> list[str]:
        """The images of *page* as it is now that are not drawn (added to the problems, and returned)."""
        if page.is_closed():
            return []
        found = [f"on {page.url}: {line}" for line in page.evaluate(UNDRAWN_IMAGES_JS)]
        self.problems.extend(found)
        return found

    def finish(self) -> list[str]:
        """Check the images of every page still open; the problems seen, once each."""
        for page in self.pages:
            try:
                self.check_images(page)
            except Exception as err:  # a page closing under us (its context closed by the test) has no images
                if not page.is_closed() and "closed" not in str(err):
                    raise
        return list(dict.fromkeys(self.problems))


def _origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def watch(request, browser, live_server):
    """The shared watcher of every browser test: ``watch.new_context(...)`` for a test's own browser context."""
    statuses = [s for mark in request.node.iter_markers("expect_status") for s in mark.args]
    console = [p for mark in request.node.iter_markers("expect_console") for p in mark.args]
    watcher = Watcher(live_server, statuses, console)
    contexts = []

    def new_context(**options):
        context = watcher.watch_context(browser.new_context(**options))
        contexts.append(context)
        return context

    watcher.new_context = new_context
    yield watcher
    problems = watcher.finish()
    for context in contexts:
        context.close()
    assert problems == [], "the pages showed something broken:\n" + "\n".join(problems)


@pytest.fixture
def page(watch, live_server):
    """A watched page (see :func:`watch`) that also records every request it makes, to check none leaves the app."""
    page = watch.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB").new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    page.base_url = live_server
    return page


def search_place(page, place: str) -> None:
    """Type *place* into the search box, submit, and wait for the results page."""
    from urllib.parse import quote_plus

    page.get_by_label("Place or address").fill(place)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(f"**q={quote_plus(place)}*")


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


AXE_VERSION = "4.14.1"
AXE_DIR = Path(__file__).resolve().parents[2] / ".cache" / "npm"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, fetched once from the npm registry into .cache/ (test tooling, never served)."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            message = "npm is needed once to fetch axe-core for the accessibility checks"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                        f"axe-core@{AXE_VERSION}"], check=True, timeout=300)
    return script.read_text()


def axe_violations(page, axe_source: str) -> list[tuple[str, str, str]]:
    """(rule, impact, first element) of every axe-core violation of moderate impact or worse on the page."""
    page.evaluate(axe_source)  # evaluate is not subject to the page's CSP, which refuses inline scripts
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => [v.id, v.impact, v.nodes[0].target.join(' ')])")
    return [tuple(v) for v in found if v[1] in ("moderate", "serious", "critical")]


def sign_in(page, email: str, password: str, base: str | None = None) -> None:
    """Sign in through the login form (*base*: the live server, for a page made without ``page.base_url``)."""
    page.goto((base or page.base_url) + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/host")


def sign_up(page, mails, email: str, password: str):
    """Sign up through the form and open the confirmation link of the mail it sends; returns that mail."""
    page.goto(page.base_url + "/signup")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("Check your e-mail").wait_for()
    [message] = mails()
    link = re.search(r"https?://\S+/confirm/\S+", message.get_body(preferencelist=("plain",)).get_content()).group(0)
    page.goto(page.base_url + urlparse(link).path)
    page.wait_for_url("**/host")
    return message


@pytest.fixture
def demo_network(app) -> None:
    """The demo network (about 360 spaces on six continents), committed so the live server sees it."""
    from visa.directory.demo import seed_demo
    from visa.extensions import db

    seed_demo(app.config["VISA_GAZETTEER_PATH"])
    db.session.commit()
