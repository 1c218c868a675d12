"""Passes and visits over HTTP: hosts issue and answer, the member's card and request, the door check."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale

from visa.extensions import db
from visa.l10n import date_label
from visa.passes import services, visits
from visa.passes.models import Pass, PassStatus, RequestStatus, Visit, VisitRequest

TODAY = date.today()


def _token_of(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _issue_by_form(client, login, network) -> Pass:
    login("home@example.org")
    r = client.post("/host/passes", data={"csrf_token": _token_of(client, "/host/passes"),
                                          "home_space_id": network["home"].id, "member_name": "Ana Sousa",
                                          "member_email": "ana@example.org", "valid_from": TODAY.isoformat(),
                                          "valid_to": (TODAY + timedelta(days=200)).isoformat()})
    assert r.status_code == 302
    return db.session.scalars(sa.select(Pass)).one()


def _card_link(mails) -> str:
    text = "\n".join(m.get_body(preferencelist=("plain",)).get_content() for m in mails() if m["To"] == "ana@example.org")
    return re.search(r"http://[^/\s]+(/pass/\S+)", text).group(1)


def test_host_issues_a_pass_and_the_member_card_shows_it_with_its_qr_code(app, client, login, network, mails):
    p = _issue_by_form(client, login, network)
    assert p.status == PassStatus.ACTIVE
    member = app.test_client()
    html = member.get(_card_link(mails)).get_data(as_text=True)
    assert "Ana Sousa" in html and "Lisbon Hub" in html and p.token in html
    assert 'src="data:image/svg+xml' in html  # the QR code, made here
    assert member.get("/pass/not-a-secret").status_code == 404


def test_only_the_home_host_sees_and_revokes_its_members_passes(app, client, login, network, mails):
    p = _issue_by_form(client, login, network)
    other = app.test_client()
    other.post("/login", data={"email": "berlin@example.org", "password": "correct horse battery",
                               "csrf_token": _token_of(other, "/login")})
    assert "ana@example.org" not in other.get("/host/passes").get_data(as_text=True)
    token = _token_of(other, "/host/passes")
    assert other.post(f"/host/passes/{p.id}/revoke", data={"csrf_token": token}).status_code == 403
    r = client.post(f"/host/passes/{p.id}/revoke", data={"csrf_token": _token_of(client, "/host/passes"),
                                                         "reason": "left"})
    assert r.status_code == 302 and p.status == PassStatus.REVOKED
    status = client.get(f"/passes/{p.id}/status")
    assert status.get_json() == {"pass_id": p.id, "status": "revoked", "revoked_at": p.revoked_at.isoformat()}
    assert status.headers["Access-Control-Allow-Origin"] == "*"


def test_member_asks_host_accepts_and_checks_in_at_the_door(app, client, login, network, mails):
    p = _issue_by_form(client, login, network)
    member = app.test_client()
    member.get(_card_link(mails))
    host_page = f"/spaces/{network['host'].slug}"
    html = member.get(host_page).get_data(as_text=True)
    assert 'id="visit-form"' in html and "<bdi>Ana Sousa</bdi>, member of <bdi>Lisbon Hub</bdi>" in html
    r = member.post(f"{host_page}/visit-requests", data={
        "csrf_token": _token_of(member, host_page), "first_day": TODAY.isoformat(), "last_day": TODAY.isoformat(),
        "message": "Two calls and a coffee"})
    assert r.status_code == 302 and r.headers["Location"].endswith("#visit")
    # Where the page opens (#visit): the confirmation in place of the form, not at the top of the page.
    sent = member.get(r.headers["Location"]).get_data(as_text=True)
    box = sent.split('id="visit"', 1)[1]
    assert 'id="visit-sent"' in box and "Your request is sent to" in box
    assert 'id="visit-form"' not in sent and sent.count("Your request is sent to") == 1
    request = db.session.scalars(sa.select(VisitRequest)).one()
    # The host's dashboard lists it with the verdict and the day's bookings against capacity.
    berlin = app.test_client()
    berlin.post("/login", data={"email": "berlin@example.org", "password": "correct horse battery",
                                "csrf_token": _token_of(berlin, "/login")})
    dashboard = berlin.get("/host").get_data(as_text=True)
    assert "Ana Sousa" in dashboard and "Your terms honor this member." in dashboard and "0 / 2" in dashboard
    csrf = _token_of(berlin, "/host")
    assert berlin.post(f"/host/visits/{request.id}/accept", data={"csrf_token": csrf}).status_code == 302
    assert request.status == RequestStatus.ACCEPTED
    # The door check: valid, for whom, from where, this host's verdict today, and the check-in due.
    door = berlin.post("/door/check", data={"csrf_token": _token_of(berlin, "/door"), "space_id": network["host"].id,
                                            "token": f"  {p.token}\n"}).get_json()
    assert door["ok"] and door["line"].startswith("Valid pass: \u2068Ana Sousa\u2069, member of \u2068Lisbon Hub\u2069")
    assert door["verdict"]["honored"] and door["verdict"]["line"].startswith("Honors your membership")
    assert berlin.post(door["check_in"]["url"], data={"csrf_token": csrf}).status_code == 302
    visit = db.session.scalars(sa.select(Visit)).one()
    assert (visit.visit_date, visit.host_space_id, visit.home_space_id) == (TODAY, network["host"].id,
                                                                           network["home"].id)
    assert "checked in" in member.get(_card_link(mails)).get_data(as_text=True)


def test_door_check_says_why_a_pass_is_refused(app, client, login, network):
    p = _issue_by_form(client, login, network)
    services.revoke_pass(p.id, "")
    client.post("/logout", data={"csrf_token": _token_of(client, "/host")})
    client.post("/login", data={"email": "berlin@example.org", "password": "correct horse battery",
                                "csrf_token": _token_of(client, "/login")})
    door = lambda text: client.post("/door/check", data={  # noqa: E731
        "csrf_token": _token_of(client, "/door"), "space_id": network["host"].id, "token": text}).get_json()
    revoked = door(p.token)
    assert not revoked["ok"] and revoked["code"] == "revoked"
    assert revoked["line"] == ("Not valid: the pass of \u2068Ana Sousa\u2069 (\u2068Lisbon Hub\u2069) is refused: its home "
                               "space has revoked it.")
    assert door(p.token[:-2] + ("AA" if not p.token.endswith("AA") else "BB"))["code"] == "bad_signature"
    assert door("hello")["code"] == "malformed"


def test_door_check_is_for_hosts_only(app, client, network, make_user, login):
    assert client.get("/door").status_code in (302, 401)
    make_user("nobody@example.org")
    login("nobody@example.org")
    assert client.get("/door").status_code == 403


def test_a_member_asks_their_home_space_for_a_pass(app, client, network, mails):
    page = f"/spaces/{network['home'].slug}"
    r = client.post(f"{page}/ask-pass", data={"csrf_token": _token_of(client, page), "member_name": "Cy Dahl",
                                              "member_email": "cy@example.org", "valid_from": TODAY.isoformat(),
                                              "valid_to": (TODAY + timedelta(days=30)).isoformat()})
    assert r.status_code == 302
    p = db.session.scalars(sa.select(Pass)).one()
    assert p.status == PassStatus.REQUESTED
    assert {m["To"] for m in mails()} == {"cy@example.org", "home@example.org"}
    dashboard = _signed_in(app, "home@example.org").get("/host").get_data(as_text=True)
    assert "(1 pass request waiting)" in dashboard


def test_the_pass_request_fields_are_rendered_once_per_language_and_sent_with_the_page_s_own_token(app, network,
                                                                                                  mails):
    from visa.passes.views import ask_pass_fields

    page = f"/spaces/{network['home'].slug}"
    french = app.test_client().get(f"{page}?lang=fr").get_data(as_text=True)
    assert 'for="member_name">Votre nom</label>' in french
    with app.test_request_context("/?lang=fr"):
        assert ask_pass_fields() is ask_pass_fields()  # kept, not rendered again
    reader = app.test_client()
    html = reader.get(page).get_data(as_text=True)
    form = re.search(r'<form method="post" action="[^"]+/ask-pass".*?</form>', html, re.S).group(0)
    assert 'for="member_name">Your name</label>' in form and 'name="member_email"' in form
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    r = reader.post(f"{page}/ask-pass", data={"csrf_token": token, "member_name": "Cy Dahl",
                                              "member_email": "cy@example.org", "valid_from": TODAY.isoformat(),
                                              "valid_to": (TODAY + timedelta(days=30)).isoformat()})
    assert r.status_code == 302 and db.session.scalars(sa.select(Pass)).one().member_name == "Cy Dahl"


def test_the_kept_pass_request_fields_offer_today_the_next_day_too(app, network, monkeypatch):
    """The fields are kept per language and day: a worker running past midnight offers the new day."""
    import visa.passes.views as views

    class Tomorrow(date):
        @classmethod
        def today(cls) -> date:
            return TODAY + timedelta(days=1)

    with app.test_request_context("/"):
        today = views.ask_pass_fields()
        assert f'value="{TODAY.isoformat()}"' in today and views.ask_pass_fields() is today
        monkeypatch.setattr(views, "date", Tomorrow)
        assert views.ask_pass_fields() is not today  # rendered again, with the form's defaults of that day


def test_jwks_is_published_at_the_well_known_url(client, network):
    r = client.get("/.well-known/jwks.json")
    (key,) = r.get_json()["keys"]
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("OKP", "Ed25519", "Ed25519", "sig") and key["kid"]
    assert "d" not in key and r.headers["Access-Control-Allow-Origin"] == "*"


def _signed_in(app, email: str):
    other = app.test_client()
    other.post("/login", data={"email": email, "password": "correct horse battery",
                               "csrf_token": _token_of(other, "/login")})
    return other


def test_host_declines_with_a_reason_and_other_hosts_never_see_the_request(app, network, make_space, make_user,
                                                                          mails):
    from visa.accounts.models import SpaceHost
    from visa.passes import visits

    third = make_space("Porto Desk", lat=41.15, lon=-8.61, city="Porto")
    db.session.add(SpaceHost(space_id=third.id, user_id=make_user("porto@example.org").id, is_confirmed=True))
    db.session.commit()
    p = db.session.get(Pass, services.issue_pass(network["home"].id, "Ana Sousa", "ana@example.org", TODAY,
                                                 TODAY + timedelta(days=30), None).pass_id)
    r = visits.request_visit(p.id, network["host"].id, TODAY, TODAY, "", TODAY)
    assert "Ana Sousa" not in _signed_in(app, "porto@example.org").get("/host").get_data(as_text=True)
    berlin = _signed_in(app, "berlin@example.org")
    berlin.post(f"/host/visits/{r.id}/decline", data={"csrf_token": _token_of(berlin, "/host"),
                                                      "reason": "Closed for a private event"})
    assert r.status == RequestStatus.DECLINED and r.decline_reason == "Closed for a private event"
    told = "\n".join(m.get_body(preferencelist=("plain",)).get_content() for m in mails() if m["To"] == "ana@example.org")
    assert "Berlin Loft has declined your visit" in told and "Closed for a private event" in told


def test_dashboard_shows_what_an_accept_would_break_and_offers_no_accept(app, network):
    from visa.passes import visits

    members = [db.session.get(Pass, services.issue_pass(network["home"].id, f"M{i}", f"m{i}@example.org", TODAY,
                                                        TODAY + timedelta(days=30), None).pass_id) for i in range(3)]
    asked = [visits.request_visit(m.id, network["host"].id, TODAY, TODAY, "", TODAY) for m in members]
    visits.accept_request(asked[0].id, None)
    visits.accept_request(asked[1].id, None)  # capacity 2: the third request can no longer be accepted
    html = _signed_in(app, "berlin@example.org").get("/host/visits").get_data(as_text=True)
    item = html[html.index(f'id="visit-request-{asked[2].id}"'):]
    item = item[:item.index("</li>")]
    assert "is full (2 of 2 places taken)" in item and "2 / 2" in item
    assert re.search(r"<button type=\"submit\" disabled>Accept</button>", item)


def test_asking_for_passes_is_limited_per_client(app, client, network):
    app.config["VISA_PASS_REQUEST_LIMIT"] = "2 per hour"
    page = f"/spaces/{network['home'].slug}"
    codes = [client.post(f"{page}/ask-pass", data={
        "csrf_token": _token_of(client, page), "member_name": f"M{i}", "member_email": f"m{i}@example.org",
        "valid_from": TODAY.isoformat(), "valid_to": TODAY.isoformat()}).status_code for i in range(3)]
    assert codes == [302, 302, 429]


def _member_holding_a_pass(app, network, mails, email: str = "ana@example.org"):
    """A browser that opened the card link of a pass just issued to *email*: it may ask for days."""
    services.issue_pass(network["home"].id, "Ana Sousa", email, TODAY, TODAY + timedelta(days=90), None)
    member = app.test_client()
    text = "\n".join(m.get_body(preferencelist=("plain",)).get_content() for m in mails() if m["To"] == email)
    member.get(re.search(r"http://[^/\s]+(/pass/\S+)", text).group(1))
    return member


def test_another_members_pass_link_asks_before_this_browser_holds_it(app, network, mails):
    member = _member_holding_a_pass(app, network, mails)
    other = services.issue_pass(network["home"].id, "Bo Lind", "bo@example.org", TODAY, TODAY + timedelta(days=30),
                                None)
    db.session.commit()
    other_card, host_page = f"/pass/{other.secret}", f"/spaces/{network['host'].slug}"
    html = member.get(other_card).get_data(as_text=True)
    assert "You are signed in as Ana Sousa. Continue as Bo Lind?" in html and "Bo Lind" in html
    assert "This browser now holds your pass" not in html
    # Nothing switched:
    assert "<bdi>Ana Sousa</bdi>, member of <bdi>Lisbon Hub</bdi>" in member.get(host_page).get_data(as_text=True)
    assert member.post(f"{other_card}/use", data={}).status_code == 400  # no CSRF token
    r = member.post(f"{other_card}/use", data={"csrf_token": _token_of(member, other_card)})
    assert r.status_code == 302 and r.headers["Location"] == other_card
    assert "<bdi>Bo Lind</bdi>, member of <bdi>Lisbon Hub</bdi>" in member.get(host_page).get_data(as_text=True)
    assert "You are signed in as" not in member.get(other_card).get_data(as_text=True)


def test_a_request_inside_the_host_s_notice_is_refused_next_to_the_dates_and_keeps_what_was_typed(app, network,
                                                                                                  mails):
    network["host"].terms.advance_notice_hours = 24
    db.session.commit()
    member = _member_holding_a_pass(app, network, mails)
    host_page = f"/spaces/{network['host'].slug}"
    r = member.post(f"{host_page}/visit-requests", data={
        "csrf_token": _token_of(member, host_page), "first_day": TODAY.isoformat(), "last_day": TODAY.isoformat(),
        "message": "Two calls and a coffee"})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    error = re.search(r'<div id="first_day-error" class="error" role="alert">(.*?)</div>', html, re.S).group(1)
    assert "This host asks for 24 hours of notice before the first day" in error
    assert 'aria-describedby="first_day-error"' in html and "Two calls and a coffee</textarea>" in html
    assert db.session.scalars(sa.select(VisitRequest)).all() == []


def test_a_member_cancels_from_their_pass_page_and_another_pass_link_cannot(app, network, mails):
    member = _member_holding_a_pass(app, network, mails)
    card = _card_link(mails)
    p = services.pass_by_secret(card.removeprefix("/pass/"))
    day = TODAY + timedelta(days=2)
    r = visits.request_visit(p.id, network["host"].id, day, day, "", TODAY)
    visits.accept_request(r.id, None)
    assert "Cancel this request" in member.get(card).get_data(as_text=True)

    other = services.issue_pass(network["home"].id, "Bo Lind", "bo@example.org", TODAY, TODAY + timedelta(days=30),
                                None)
    db.session.commit()
    intruder, other_card = app.test_client(), f"/pass/{other.secret}"
    cancel = f"/requests/{r.id}/cancel"
    assert intruder.post(other_card + cancel, data={"csrf_token": _token_of(intruder, other_card)}).status_code == 404
    assert intruder.post(f"/pass/not-a-pass{cancel}", data={"csrf_token": _token_of(intruder, other_card)}
                         ).status_code == 404
    assert member.post(card + cancel, data={}).status_code == 400  # no CSRF token
    assert r.status == RequestStatus.ACCEPTED

    answer = member.post(card + cancel, data={"csrf_token": _token_of(member, card)})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"{card}#my-requests")
    assert r.status == RequestStatus.CANCELLED
    page = member.get(card).get_data(as_text=True)
    assert "Your request to \u2068Berlin Loft\u2069 is cancelled, and its hosts are told." in page
    assert '<td class="request-status">cancelled</td>' in page and "Cancel this request" not in page
    assert f'id="visit-request-{r.id}"' not in _signed_in(app, "berlin@example.org").get("/host").get_data(as_text=True)
    assert "has cancelled their visit to Berlin Loft" in "\n".join(
        m.get_body(preferencelist=("plain",)).get_content() for m in mails() if m["To"] == "berlin@example.org")


def _plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_member_who_asked_in_portuguese_is_answered_in_portuguese_whoever_answers(app, client, network, mails):
    page = f"/spaces/{network['home'].slug}"
    client.post(f"{page}/ask-pass", headers={"Accept-Language": "pt"}, data={
        "csrf_token": _token_of(client, page), "member_name": "Ana Sousa", "member_email": "ana@example.org",
        "valid_from": TODAY.isoformat(), "valid_to": (TODAY + timedelta(days=60)).isoformat()})
    p = db.session.scalars(sa.select(Pass)).one()
    assert p.language == "pt"
    [asked] = [m for m in mails() if m["To"] == "ana@example.org"]
    assert asked["Subject"] == "O seu pedido de passe do Coworking Visa a Lisbon Hub"
    services.approve_pass(p.id, network["home_user"].id)
    day = TODAY + timedelta(days=3)
    r = visits.request_visit(p.id, network["host"].id, day, day, "", TODAY)

    berlin = _signed_in(app, "berlin@example.org")
    html = berlin.get("/host", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="en"' in html
    berlin.post(f"/host/visits/{r.id}/accept", data={"csrf_token": _token_of(berlin, "/host")},
                headers={"Accept-Language": "en"})
    assert r.status == RequestStatus.ACCEPTED
    accepted = [m for m in mails() if m["To"] == "ana@example.org"][-1]
    with force_locale("pt"):
        when = date_label(day)
    assert accepted["Subject"] == "A sua visita a Berlin Loft com o Coworking Visa"
    assert f"Berlin Loft aceitou a sua visita de {when}. Mostre o seu passe à entrada." in _plain(accepted)
    assert 'lang="pt"' in accepted.get_body(preferencelist=("html",)).get_content()


def test_the_issue_form_asks_the_member_s_language_the_page_s_by_default(app, client, login, network, mails):
    login("home@example.org")
    form = client.get("/host/passes", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert re.search(r'<option selected value="fr">Français</option>', form)
    client.post("/host/passes", data={"csrf_token": _token_of(client, "/host/passes"), "language": "de",
                                      "home_space_id": network["home"].id, "member_name": "Jonas Berg",
                                      "member_email": "jonas@example.org", "valid_from": TODAY.isoformat(),
                                      "valid_to": (TODAY + timedelta(days=30)).isoformat()})
    p = db.session.scalars(sa.select(Pass)).one()
    assert p.language == "de"
    [issued] = mails()
    assert issued["Subject"] == "Ihr Coworking-Visa-Pass von Lisbon Hub"


def _issue_to(client, network, address: str):
    return client.post("/host/passes", data={"csrf_token": _token_of(client, "/host/passes"),
                                             "home_space_id": network["home"].id, "member_name": "Jonas Müller",
                                             "member_email": address, "valid_from": TODAY.isoformat(),
                                             "valid_to": (TODAY + timedelta(days=30)).isoformat()})


def test_a_pass_issued_to_an_international_address_reaches_the_member(app, client, login, network, mails):
    login("home@example.org")
    assert _issue_to(client, network, "Müller@Member.example").status_code == 302
    p = db.session.scalars(sa.select(Pass)).one()
    assert p.member_email == "müller@member.example"
    [issued] = mails()
    assert issued["To"] == "müller@member.example"
    link = re.search(r"http://[^/\s]+(/pass/\S+)", issued.get_body(preferencelist=("plain",)).get_content()).group(1)
    assert "Jonas Müller" in app.test_client().get(link).get_data(as_text=True)


def test_without_smtputf8_no_pass_is_stored_for_an_address_mail_cannot_reach(app, client, login, network, mails):
    app.config["VISA_MAIL_SMTPUTF8"] = False
    login("home@example.org")
    r = _issue_to(client, network, "müller@member.example")
    assert r.status_code == 302  # this form's errors are flashed above it
    assert "cannot deliver to an address with ü before the @" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Pass.id))) == 0 and mails() == []
    # A member asking for a pass on the space's page is told the same, and nothing is stored either.
    page = f"/spaces/{network['home'].slug}"
    r = client.post(f"{page}/ask-pass", data={"csrf_token": _token_of(client, page), "member_name": "Jonas",
                                              "member_email": "müller@member.example",
                                              "valid_from": TODAY.isoformat(),
                                              "valid_to": (TODAY + timedelta(days=30)).isoformat()})
    assert r.status_code == 302
    assert "cannot deliver to an address with ü" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Pass.id))) == 0 and mails() == []
