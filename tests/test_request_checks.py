"""Input hygiene (visa/request_checks.py): control characters, over-long query strings, page bounds.

Each case runs on SQLite and on PostgreSQL (which raised a 500 on a NUL byte in text).
"""

from __future__ import annotations

import pytest

from visa.accounts.models import Role


@pytest.fixture
def desk(make_space):
    return make_space("Baixa Desk", lat=38.7101, lon=-9.1367)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/spaces?q=Bai%00xa", "q"),
        ("/api/v1/spaces?near=38.7,-9.1&q=%00", "q"),
        ("/api/v1/spaces?honors=baixa-desk-lisbon%00", "honors"),
        ("/api/v1/spaces?home=%00baixa-desk-lisbon", "home"),
        ("/api/v1/reciprocity?home=baixa%00&host=baixa-desk-lisbon", "home"),
        ("/api/v1/reciprocity?home=baixa-desk-lisbon&host=baixa-desk-lisbon%00", "host"),
        ("/api/v1/spaces/baixa-desk%00-lisbon", "slug"),
        ("/api/v1/geocode?q=Lis%00bon", "q"),
        ("/api/v1/spaces?q=Bai%01xa", "q"),  # any C0 control character
        ("/api/v1/spaces?q=tab%09", "q"),
        ("/api/v1/spaces?q=del%7F", "q"),
        ("/api/v1/spaces?q=nel%C2%85", "q"),  # C1 control, U+0085
        ("/api/v1/spaces?country=P%00T", "country"),
        ("/api/v1/spaces?co%00untry=PT", "co\\x00untry"),  # the name itself, escaped in the message
    ],
)
def test_control_characters_in_api_input_are_a_400_naming_it(client, desk, url, field):
    r = client.get(url)
    assert r.status_code == 400 and r.is_json
    error = r.get_json()["error"]
    assert error["code"] == "control_character" and error["field"] == field
    assert field in error["message"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/?q=Lis%00bon", "q"),
        ("/?q=Lisbon&country=P%00T", "country"),
        ("/spaces/baixa%00-desk-lisbon", "slug"),
        ("/spaces/baixa-desk-lisbon%00/reach", "slug"),
        ("/spaces/baixa-desk-lisbon?date=2030-01-01%00", "date"),
        ("/trip?place=Lis%00bon", "place"),
    ],
)
def test_control_characters_in_pages_get_an_html_400_naming_them(client, desk, url, name):
    r = client.get(url)
    assert r.status_code == 400 and r.mimetype == "text/html"
    assert f"“{name}”" in r.get_data(as_text=True)


def test_control_characters_in_form_fields_are_refused_naming_the_field(client, csrf_token, desk, make_user):
    report = client.post("/spaces/baixa-desk-lisbon/report", data={
        "kind": "not_honored", "message": "They said\x00no", "csrf_token": csrf_token("/spaces/baixa-desk-lisbon")})
    assert report.status_code == 400 and "“message”" in report.get_data(as_text=True)
    home = client.post("/home", data={"home": "Baixa\x00 Desk", "csrf_token": csrf_token("/home")})
    assert home.status_code == 400 and "“home”" in home.get_data(as_text=True)
    signup = client.post("/signup", data={"email": "ana\x00@example.org", "password": "a long enough pw",
                                          "confirm": "a long enough pw", "csrf_token": csrf_token("/signup")})
    assert signup.status_code == 400 and "“email”" in signup.get_data(as_text=True)
    make_user()
    login = client.post("/login", data={"email": "host@example.org", "password": "correct\x00horse",
                                        "csrf_token": csrf_token("/login")})
    assert login.status_code == 400 and "“password”" in login.get_data(as_text=True)


def test_textareas_keep_their_line_breaks_and_tabs(client, csrf_token, desk):
    r = client.post("/spaces/baixa-desk-lisbon/report", data={
        "kind": "wrong_listing", "message": "Closed on Mondays.\r\n\tMoved to Rua Augusta.",
        "csrf_token": csrf_token("/spaces/baixa-desk-lisbon")})
    assert r.status_code == 302


def test_over_long_query_string_is_414_json_under_api_and_html_elsewhere(client):
    api = client.get("/api/v1/spaces?q=" + "x" * 5000)
    assert api.status_code == 414 and api.is_json
    assert api.get_json()["error"]["code"] == "request_uri_too_long"
    page = client.get("/?q=" + "x" * 5000)
    assert page.status_code == 414 and page.mimetype == "text/html"
    assert client.get("/api/v1/spaces?q=" + "x" * 150).status_code == 200


def test_every_api_error_is_json(client):
    missing = client.get("/api/v1/nowhere")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    for method in ("post", "put", "delete", "patch"):
        r = getattr(client, method)("/api/v1/spaces")
        assert r.status_code == 405 and r.get_json()["error"]["code"] == "method_not_allowed"
        assert set(r.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    page = client.post("/about")
    assert page.status_code == 405 and "GET" in page.headers["Allow"] and page.mimetype == "text/html"


@pytest.mark.parametrize("page", ["1000000000000000000", "99999999999999999999999", "-5", "0", "abc", "1e9"])
def test_absurd_page_numbers_do_not_reach_sql(client, make_user, login, page):
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    r = client.get(f"/admin/revisions?page={page}")
    assert r.status_code == 200


def test_gunicorn_lets_the_app_answer_over_long_queries(database_url, tmp_path):
    """Behind the real server: a 6 KB query string gets the app's JSON 414, not gunicorn's HTML page."""
    import http.client
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test", "VISA_MAIL_DIR": str(tmp_path)}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", "wsgi:app"], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Up to a minute: on a loaded 2-core machine gunicorn and the app's imports take more than 10 s.
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "gunicorn exited before it listened"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not listen within 60 s"
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/v1/spaces?q=" + "x" * 6000)
        response = conn.getresponse()
        body = response.read()
        assert response.status == 414 and response.getheader("Content-Type") == "application/json"
        assert b'"request_uri_too_long"' in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_server_errors_are_json_under_api(tmp_path):
    """A database that cannot be opened: the API still answers JSON, the pages HTML."""
    from visa.app import create_app

    broken = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite", "SECRET_KEY": "x"})
    client = broken.test_client()
    api = client.get("/api/v1/spaces?near=38.7,-9.1")
    assert api.status_code == 500 and api.get_json()["error"]["code"] == "internal_server_error"
    page = client.get("/spaces/baixa-desk-lisbon")
    assert page.status_code == 500 and page.mimetype == "text/html"


@pytest.mark.parametrize("query", [b"q=nel\xc2\x85", b"q=tab\x09", b"q=bell\x07&near=38.7,-9.1", b"co\x00untry=PT"])
def test_control_characters_sent_unescaped_are_refused_too(client, desk, query):
    # As a server hands the raw bytes over (WSGI: each byte a latin-1 character), not escaped by a client.
    r = client.get("/api/v1/spaces", environ_overrides={"QUERY_STRING": query.decode("latin-1")})
    assert r.status_code == 400 and r.get_json()["error"]["code"] == "control_character"


def test_a_printable_query_without_escapes_is_taken(client, desk):
    assert client.get("/api/v1/spaces?near=38.7101,-9.1367&radius_km=25&q=Baixa+Desk").status_code == 200
