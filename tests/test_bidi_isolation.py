"""Text that cannot lie: every name, address, note and message that a person wrote is isolated on every page
(``<bdi>``, ``dir="auto"``, or FSI ... PDI where no element can stand), so a RIGHT-TO-LEFT OVERRIDE in it cannot
turn the page's own words around it."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest

from tests.reciprocity.test_views import NEXT_MONDAY
from visa.accounts.models import Role, SpaceHost
from visa.directory.models import SpaceStatus
from visa.extensions import db
from visa.l10n import FSI, PDI
from visa.moderation.models import Report, ReportKind
from visa.passes.models import Pass, PassStatus, RequestStatus, VisitRequest
from visa.timeutil import utcnow

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: what follows it is drawn backwards, up to the end of its isolate
#: Elements whose text is not drawn on the page.
UNDRAWN = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Leaks(HTMLParser):
    """Every place where an RLO is drawn outside an isolate: text outside ``<bdi>``, an element with
    ``dir="auto"`` or FSI ... PDI, and attribute values without FSI ... PDI around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, isolates)
        self.leaks: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if value and RLO in value and name not in ("value", "data-text-valid") and not _wrapped(value):
                self.leaks.append(f"<{tag} {name}={value!r}>")
        if tag not in VOID:
            # dir="ltr" on <html> sets the page's direction; only <bdi> and dir="auto" mark text someone wrote.
            self.stack.append((tag, tag == "bdi" or ("dir", "auto") in attrs))

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag) -> None:
        for i in range(len(self.stack) - 1, -1, -1):  # unclosed <li>, <p>, <dd> end with their parent
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data) -> None:
        if RLO not in data or any(tag in UNDRAWN for tag, _ in self.stack):
            return
        if any(isolates for _, isolates in self.stack) or _wrapped(data):
            return
        if self.stack and self.stack[-1][0] == "textarea":
            return  # a form field holds the text as typed, drawn in its own box
        where = "/".join(tag for tag, _ in self.stack[-4:])
        self.leaks.append(f"{where}: {data.strip()[:80]!r}")


def _wrapped(text: str) -> bool:
    """Every RLO in *text* stands between an FSI and its PDI."""
    depth = 0
    for char in text:
        if char == FSI:
            depth += 1
        elif char == PDI:
            depth = max(depth - 1, 0)
        elif char == RLO and depth == 0:
            return False
    return True


def leaks(html: str) -> list[str]:
    parser = _Leaks()
    parser.feed(html)
    return parser.leaks


def test_the_checker_finds_a_raw_override_and_accepts_isolated_ones():
    assert len(leaks(f"<p>Welcome to {RLO}Evil</p>")) == 1
    assert leaks(f'<p>Welcome to <bdi>{RLO}Evil</bdi></p><p dir="auto">{RLO}x</p>') == []
    assert leaks(f"<title>{FSI}{RLO}Evil{PDI} · Site</title><a title='{FSI}{RLO}x{PDI}'>y</a>") == []
    assert leaks(f"<title>{RLO}Evil · Site</title>") and leaks(f"<a title='{RLO}x'>y</a>")
    assert leaks(f'<html dir="ltr"><p>{RLO}Evil</p></html>')  # the page's own direction isolates nothing
    assert leaks(f"<script>var x = '{RLO}';</script>") == []


@pytest.fixture
def rlo_network(app, make_space, make_user):
    """Two spaces, a pending one, their hosts, an admin, a member's pass and requests, a report: every text a
    person writes starts with an RLO."""
    terms = {"notes": f"{RLO}Bring your card", "request_contact": f"{RLO}Ask at the desk"}
    home = make_space(f"{RLO}Lisbon Hub", address_line1=f"{RLO}Rua Augusta 1", address_line2=f"{RLO}2nd floor",
                      postcode=f"{RLO}1100", region=f"{RLO}Lisboa Region", phone=f"{RLO}21 555",
                      description=f"{RLO}A desk", terms=terms)
    host = make_space(f"{RLO}Berlin Loft", lat=52.52, lon=13.405, country="DE", city="Berlin",
                      timezone="Europe/Berlin", address_line1=f"{RLO}Friedrichstr. 1",
                      terms={**terms, "weekdays": 127, "advance_notice_hours": 0, "free_days_per_month": 10})
    pending = make_space(f"{RLO}Pending Desk", lat=38.71, lon=-9.14, status=SpaceStatus.PENDING,
                         address_line1=f"{RLO}Rua Nova 3")
    host.terms_confirmed_at = utcnow() - timedelta(days=350)  # going stale soon: on the overview and stale page
    admin = make_user("admin@example.org", role=Role.ADMIN)
    home_host = make_user("home@example.org")
    claimer = make_user("claimer@example.org")
    db.session.add_all([SpaceHost(space_id=home.id, user_id=home_host.id, is_confirmed=True),
                        SpaceHost(space_id=host.id, user_id=home_host.id, is_confirmed=True),
                        SpaceHost(space_id=pending.id, user_id=home_host.id, is_confirmed=True),
                        SpaceHost(space_id=host.id, user_id=claimer.id, is_confirmed=False)])
    today = date.today()
    secret = secrets.token_urlsafe(24)
    member = Pass(id=secrets.token_hex(8), home_space_id=home.id, member_name=f"{RLO}Ana Sousa",
                  member_email="ana@example.org", valid_from=today - timedelta(days=10),
                  valid_to=today + timedelta(days=200), status=PassStatus.ACTIVE, issued_at=utcnow(),
                  token="header.payload.signature", access_hash=hashlib.sha256(secret.encode()).hexdigest(),
                  message=f"{RLO}Hello")
    asking = Pass(id=secrets.token_hex(8), home_space_id=home.id, member_name=f"{RLO}Bea Costa",
                  member_email="bea@example.org", valid_from=today, valid_to=today + timedelta(days=30),
                  status=PassStatus.REQUESTED, access_hash="x" * 64, message=f"{RLO}Please")
    db.session.add_all([member, asking])
    db.session.flush()
    db.session.add(VisitRequest(pass_id=member.id, host_space_id=host.id, home_space_id=home.id,
                                member_country="PT", first_day=today + timedelta(days=3),
                                last_day=today + timedelta(days=4), message=f"{RLO}May I come?",
                                status=RequestStatus.PENDING, created_at=datetime.now().astimezone()))
    db.session.add(Report(space_id=host.id, kind=ReportKind.NOT_HONORED, message=f"{RLO}Turned away",
                          reporter_email="ana@example.org"))
    db.session.commit()
    return {"home": home, "host": host, "pending": pending, "admin": admin, "secret": secret}


def _pages(net) -> dict[str, list[str]]:
    home, host, pending = net["home"].slug, net["host"].slug, net["pending"]
    trip = f"/trip?stops-0-place=Berlin&stops-0-start={NEXT_MONDAY}&stops-0-end={NEXT_MONDAY + timedelta(days=1)}"
    return {
        "visitor": ["/", "/?q=Loft", f"/spaces/{home}", f"/spaces/{host}", f"/spaces/{host}/reach", trip,
                    "/home?home=Lisbon", f"/pass/{net['secret']}", "/impact"],
        "home@example.org": ["/host", "/host/passes", "/host/visits", f"/spaces/{home}/edit",
                             f"/spaces/{home}/terms", f"/spaces/{home}/impact", f"/spaces/{home}/impact/print",
                             f"/host/spaces/{pending.slug}/preview"],
        "admin@example.org": ["/admin/", "/admin/overview", "/admin/revisions", f"/admin/spaces/{net['host'].id}",
                              f"/admin/spaces/{pending.id}", "/admin/stale", "/admin/host-flags"],
    }


def test_every_page_isolates_what_people_wrote(app, client, csrf_token, login, rlo_network):
    from visa.directory.revisions import Revision

    # The member's home space, kept in the session, is named in every page's header.
    client.post("/home", data={"home": rlo_network["home"].slug, "csrf_token": csrf_token()})
    found: dict[str, list[str]] = {}
    checked = 0
    for who, urls in _pages(rlo_network).items():
        if who != "visitor":
            client.post("/logout", data={"csrf_token": csrf_token("/login")})
            login(who)
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            html = r.get_data(as_text=True)
            assert RLO in html, url  # the page does show the text
            checked += 1
            if problems := leaks(html):
                found[url] = problems
    revision = db.session.scalars(db.select(Revision).where(Revision.space_id == rlo_network["host"].id)).first()
    html = client.get(f"/admin/revisions/{revision.id}/revert").get_data(as_text=True)
    if problems := leaks(html):
        found["revert"] = problems
    assert checked >= 20 and not found, "\n".join(f"{url}: {p}" for url, ps in found.items() for p in ps)


def test_a_name_in_a_sentence_is_isolated_within_it(client, rlo_network):
    html = client.get(f"/spaces/{rlo_network['host'].slug}").get_data(as_text=True)
    assert re.search(r"<h1><bdi>\u202eBerlin Loft</bdi></h1>", html)
    assert re.search(r"Network reach of <bdi>\u202eBerlin Loft</bdi>", html)
    assert f"<title>{FSI}{RLO}Berlin Loft{PDI} · " in html
