"""Text that cannot lie: every name, address, note and message that a person wrote is isolated on every page
(``<bdi>``, ``dir="auto"``, or FSI ... PDI where no element can stand), so a RIGHT-TO-LEFT OVERRIDE in it cannot
turn the page's own words around it."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

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


@pytest.fixture
def rlo_queue(rlo_network, make_user):
    """The volunteers' queue and a campaign about the same listings: a task whose finding waits for review, one
    whose finding was rejected with a comment, and a campaign (its name, too, typed by a person) with answers."""
    from visa.campaigns import services as campaigns
    from visa.campaigns.models import CampaignEntry
    from visa.campaigns.tokens import make_check_token
    from visa.volunteers import services as volunteers
    from visa.volunteers.models import OpenState, SourceKind

    helper = make_user("helper@example.org", role=Role.VOLUNTEER)
    validator = make_user("validator@example.org", role=Role.VOLUNTEER)
    volunteers.approve_volunteer(helper.id)
    volunteers.approve_volunteer(validator.id)
    volunteers.set_validator(validator.id, True)
    home, host = rlo_network["home"], rlo_network["host"]
    found = volunteers.FindingInput(open_state=OpenState.OPEN, terms={"notes": f"{RLO}Bring two cards"},
                                    source_kind=SourceKind.WEBSITE, source_url=f"https://loft.example/{RLO}terms",
                                    note=f"{RLO}Spoke with Rita")
    waiting = volunteers.open_task(host.id, "mail_refused", f"{RLO}550 mailbox unavailable")
    rejected = volunteers.open_task(home.id, "mail_refused", f"{RLO}550 no such user")
    db.session.flush()
    for task in (waiting, rejected):
        volunteers.take_task(task.id, helper.id)
        volunteers.record_finding(task.id, helper.id, found)
    finding = db.session.scalars(db.select(volunteers.Finding).where(volunteers.Finding.task_id == rejected.id)).one()
    volunteers.reject_finding(finding.id, validator.id, f"{RLO}The website says otherwise")

    home.email, host.email = "hello@home.example", "hello@host.example"
    campaign, _added = campaigns.create_campaign(f"{RLO}Spring check", campaigns.Selection())
    entries = db.session.scalars(db.select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id)
                                 .order_by(CampaignEntry.space_id)).all()
    answered = next(e for e in entries if e.space_id == home.id)
    campaigns.answer_wrong_address(answered)
    db.session.commit()
    return {"campaign": campaign, "task": waiting, "open": make_check_token(next(e for e in entries if e is not
                                                                                 answered)),
            "answered": make_check_token(answered)}


def test_the_volunteers_and_campaign_pages_isolate_what_people_wrote(client, csrf_token, login, rlo_queue):
    campaign = rlo_queue["campaign"]
    pages = {
        "helper@example.org": ["/volunteer", f"/volunteer/tasks/{rlo_queue['task'].id}", "/volunteer/history"],
        "validator@example.org": ["/volunteer/review"],
        "admin@example.org": ["/admin/volunteers", "/admin/campaigns/", f"/admin/campaigns/{campaign.id}",
                              f"/admin/campaigns/{campaign.id}/preview/en"],
        "": [f"/check/{rlo_queue['open']}", f"/check/{rlo_queue['answered']}/answered"],
    }
    found: dict[str, list[str]] = {}
    for who, urls in pages.items():
        client.post("/logout", data={"csrf_token": csrf_token("/login")})
        if who:
            login(who)
        for url in urls:
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
            html = r.get_data(as_text=True)
            assert RLO in html or url == "/admin/volunteers", url  # the page does show the text
            if problems := leaks(html):
                found[url] = problems
    assert not found, "\n".join(f"{url}: {p}" for url, ps in found.items() for p in ps)


def test_the_door_check_line_isolates_the_names(app, rlo_network):
    from visa.passes.services import issue_pass
    from visa.passes.views import door_result

    today = date.today()
    issued = issue_pass(rlo_network["home"].id, f"{RLO}Ana Sousa", "ana@example.org", today,
                        today + timedelta(days=30), None)
    db.session.commit()
    member = db.session.get(Pass, issued.pass_id)
    with app.test_request_context():
        valid = door_result(member.token, rlo_network["host"], today)
        member.status = PassStatus.REVOKED
        member.revoked_at = utcnow()
        db.session.commit()
        refused = door_result(member.token, rlo_network["host"], today)
    assert valid["ok"] and valid["line"].startswith(f"Valid pass: {FSI}{RLO}Ana Sousa{PDI}, member of {FSI}{RLO}Lisbon")
    assert not refused["ok"] and RLO in refused["line"] and _wrapped(refused["line"])


#: Every mail the site sends, with what each needs (the names and texts a person wrote start with an RLO).
MAILS = ["approved", "campaign_check", "changes_asked", "claim_accepted", "claim_refused", "hosts_flagged",
         "pass_approved", "pass_declined", "pass_issued", "pass_request", "pass_requested", "rejected", "reported",
         "requests_waiting", "suspended", "survey_invitation", "visit_accepted", "visit_cancelled", "visit_declined",
         "visit_requested"]


def test_every_mail_isolates_what_people_wrote(app, rlo_network):
    from pathlib import Path

    from visa.mailer import render_message

    shipped = {p.stem for p in (Path(app.root_path).parent / "templates" / "mail").glob("*.txt")}
    assert set(MAILS) == shipped - {"confirm_email", "reset_password"}  # those two name nobody
    member = db.session.scalars(db.select(Pass).where(Pass.status == PassStatus.ACTIVE)).one()
    member.revoke_reason = f"{RLO}Left the space"
    visit = db.session.scalars(db.select(VisitRequest)).one()
    visit.decline_reason = f"{RLO}Full that week"
    host = rlo_network["host"]
    context = {"p": member, "r": visit, "space": host, "spaces": [host, rlo_network["home"]], "count": 2,
               "message": f"{RLO}Please add your hours", "reason": f"{RLO}Not a coworking space",
               "kind": "closed", "link": "http://127.0.0.1:5000/x", "reminder": False,
               "wave": SimpleNamespace(ends_on=date.today())}
    found: dict[str, list[str]] = {}
    with app.test_request_context():
        for name in MAILS:
            subject, summary, text, html = render_message(name, "en", **context)
            assert RLO in summary + text, name
            problems = [f"{part}: {value!r}" for part, value in (("subject", subject), ("text", text))
                        if not _wrapped(value)] + leaks(html)
            if problems:
                found[name] = problems
    assert not found, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)
