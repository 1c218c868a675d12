"""A live server on 127.0.0.1 and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

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
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A page that records every request it makes, to check none leaves the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-GB")
    page = context.new_page()
    page.requested_urls = []
    page.on("request", lambda request: page.requested_urls.append(request.url))
    page.problems = []  # CSP violations and script errors: the map must work under the policy
    page.on("console", lambda m: page.problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda err: page.problems.append(str(err)))
    page.base_url = live_server
    yield page
    context.close()
    assert page.problems == []


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
