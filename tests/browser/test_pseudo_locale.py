"""Every page holds its layout in a pseudo-locale (accented, 30 % longer) and right to left.

The pseudo-locale is made at test time from the template (messages.pot), so it
always covers every message the code has. It is served under a language code
that no catalogue ships ("eo"), and again as "ar", which Babel knows to be
written right to left: a translator adding Arabic or Hebrew needs no code.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from visa.accounts.models import Role, SpaceHost
from visa.catalogs import TEMPLATE, read_catalog
from visa.extensions import db

pytestmark = pytest.mark.browser

PSEUDO = "eo"  # Esperanto: a real locale that Babel knows and that no catalogue here ships
RTL = "ar"
ACCENTED = str.maketrans("AaCcEeGgIiLlNnOoRrSsUuYyZz", "ÅåÇçÉéĜĝÎîĹĺÑñÖöŔŕŠšÜüÝýŽž")
_PLACEHOLDER = re.compile(r"(%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%])")
MONDAY = date.today() + timedelta(days=7 - date.today().weekday() + 7)


def pseudo(text: str) -> str:
    """Accented, and 30 % longer with padding words that may wrap: "Search" -> "Šéåŕçĥ ẋẋ"; placeholders kept."""
    if not text.strip():
        return text
    accented = "".join(part if _PLACEHOLDER.fullmatch(part) else part.translate(ACCENTED)
                       for part in _PLACEHOLDER.split(text))
    extra = math.ceil(len(text) * 0.3)
    padding = " ".join("ẋ" * min(6, extra - i) for i in range(0, extra, 7))
    return f"{accented} {padding}".rstrip() if not text.endswith("\n") else f"{accented.rstrip()} {padding}\n"


def test_pseudo_keeps_placeholders_and_grows_by_a_third():
    assert pseudo("Stop %(n)d") == "Štöp %(n)d ẋẋẋ"
    assert len(pseudo("Spaces near %(place)s")) >= 1.3 * len("Spaces near %(place)s")


def _write_catalog(folder, language: str) -> None:
    catalog = Catalog(locale=language)
    for message in read_catalog(TEMPLATE):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string = tuple(pseudo(message.id[min(i, 1)]) for i in range(catalog.num_plurals))
        else:
            string = pseudo(message.id)
        catalog.add(message.id, string, flags=message.flags)
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as po:
        write_po(po, catalog)
    with (target / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)


@pytest.fixture
def app_config(app_config, tmp_path):
    """The app with the shipped catalogues and the two made here."""
    folder = tmp_path / "pseudo-translations"
    for language in (PSEUDO, RTL):
        _write_catalog(folder, language)
    return {**app_config, "BABEL_TRANSLATION_DIRECTORIES": f"translations;{folder}", "WTF_CSRF_ENABLED": True}


@pytest.fixture
def site(make_space, make_user):
    home = make_space("Spree Works", lat=52.52, lon=13.405, country="DE", city="Berlin")
    space = make_space("Open House", lat=38.7101, lon=-9.1367, terms={"advance_notice_hours": 48},
                       address_line1="Rua Augusta 1", postcode="1100-048", email="hello@example.org")
    make_space("Picky Loft", lat=38.7150, lon=-9.1400, terms={"min_distance_km": 5000})
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    make_user("admin@example.org", role=Role.ADMIN)
    db.session.commit()
    return {"home": home, "space": space}


TRAVELLER_PAGES = ["/", "/?q=Lisbon&date_from={monday}&date_to={friday}", "/?q=Nowhere%20Atall",
                   "/spaces/open-house-lisbon", "/spaces/open-house-lisbon/reach", "/about",
                   "/trip?stops-0-place=Lisbon&stops-0-start={monday}&stops-0-end={friday}",
                   "/login", "/signup", "/reset", "/no/such/page"]
HOST_PAGES = ["/host", "/host/spaces/new", "/spaces/open-house-lisbon/edit", "/spaces/open-house-lisbon/terms"]
ADMIN_PAGES = ["/admin/", "/admin/revisions", "/admin/merge", "/admin/stale", "/admin/import"]

# Elements sticking out of the viewport, or text cut off inside a box that hides its overflow.
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth, found = [];
  if (root.scrollWidth > width + 1) found.push('page scrolls sideways: ' + root.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    // Hidden or clipped on purpose:
    if (el.closest('.leaflet-container, .skip, .visually-hidden, datalist, option, select, script')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    let scrolled = false;  // inside a box that scrolls on its own (a wide table on a phone): not the page's overflow
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) { scrolled = true; break; }
    if (scrolled) continue;
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls;
    if (box.right > width + 1 || box.left < -1)
      found.push(name + ' outside the page: ' + Math.round(box.left) + '..' + Math.round(box.right));
    const style = getComputedStyle(el);
    if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'INPUT')
      found.push(name + ' cuts its text');
  }
  return found;
}"""


def _sign_in(page, email: str) -> None:
    page.goto(page.base_url + "/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("language", "width"), [(PSEUDO, 1280), (PSEUDO, 390), (RTL, 1280), (RTL, 390)])
@pytest.mark.expect_status(404)  # /no/such/page
def test_every_page_holds_its_layout(watch, live_server, site, language, width):
    context = watch.new_context(viewport={"width": width, "height": 900}, locale=language)
    page = context.new_page()
    page.base_url = live_server
    problems: dict[str, list[str]] = {}
    friday = MONDAY + timedelta(days=4)

    def check(paths):
        for path in paths:
            page.goto(live_server + path.format(monday=MONDAY, friday=friday))
            page.wait_for_load_state("networkidle")
            html = page.locator("html")
            assert html.get_attribute("lang") == language
            assert html.get_attribute("dir") == ("rtl" if language == RTL else "ltr")
            assert "ẋ" in page.locator("main").inner_text(), path  # the pseudo texts are shown
            found = page.evaluate(OVERFLOW)
            if found:
                problems[path] = found

    # The home space set, so the verdicts (the longest sentences) are on the pages.
    page.goto(live_server + "/")
    page.locator("#home-input").fill("spree-works-berlin")
    page.locator(".home-form button[type=submit]").click()
    page.wait_for_load_state()
    check(TRAVELLER_PAGES)
    _sign_in(page, "host@example.org")
    check(HOST_PAGES)
    page.locator("header form button").click()  # sign out
    _sign_in(page, "admin@example.org")
    check(ADMIN_PAGES)
    if language == RTL and width == 1280:
        # Mirrored: the site's name at the right, the navigation at the left.
        page.goto(live_server + "/about")
        brand, nav = page.locator(".brand").bounding_box(), page.locator("header nav").first.bounding_box()
        assert brand["x"] > nav["x"]
    assert problems == {}, "\n".join(f"{path}: {found[:4]}" for path, found in problems.items())
