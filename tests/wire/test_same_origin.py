"""CSRF still guards every form; the header's home form of a visitor without a session is checked by origin."""

from __future__ import annotations

import re

import pytest

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _home_bar(html: str) -> str:
    return re.search(r'<section class="home-bar".*?</section>', html, re.S).group(0)


def test_a_visitor_without_a_session_gets_the_home_form_without_a_token(app):
    page = app.test_client(use_cookies=False).get("/")
    assert 'action="/home"' in _home_bar(page.get_data(as_text=True))
    assert not TOKEN.search(page.get_data(as_text=True)) and "Set-Cookie" not in page.headers


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://localhost"},
                                     {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}])
def test_the_token_less_home_form_is_taken_from_our_own_pages(client, spaces, headers):
    r = client.post("/home", data={"home": spaces[0].slug, "next": "/?q=Lisbon"}, headers=headers)
    assert r.status_code == 302 and r.headers["Location"] == "/?q=Lisbon"
    assert "Your home space:" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                                     {"Origin": "http://evil.example"}, {"Origin": "null"},
                                     {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"}, {}])
def test_a_forged_or_unproven_token_less_post_changes_nothing(client, spaces, headers):
    r = client.post("/home", data={"home": spaces[0].slug}, headers=headers)
    assert r.status_code == 400
    assert "Your home space:" not in client.get("/").get_data(as_text=True)


def test_a_browser_that_proves_nothing_is_offered_the_form_with_a_token(client, spaces):
    refused = client.post("/home", data={"home": spaces[0].slug})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    token = TOKEN.search(html).group(1)
    assert spaces[0].slug in html  # what was typed is kept
    r = client.post("/home", data={"home": spaces[0].slug, "csrf_token": token})
    assert r.status_code == 302 and "Your home space:" in client.get("/").get_data(as_text=True)


def test_a_wrong_token_is_refused_even_from_our_own_pages(client, spaces, csrf_token):
    csrf_token()
    r = client.post("/home", data={"home": spaces[0].slug, "csrf_token": "forged"},
                    headers={"Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 400 and "Your home space:" not in client.get("/").get_data(as_text=True)


def test_with_a_session_the_page_forms_carry_tokens_and_the_other_forms_still_need_them(client, spaces, csrf_token):
    assert client.post("/home", data={"home": spaces[0].slug}, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert TOKEN.search(_home_bar(page))  # the Change form
    assert client.post("/home/forget", headers={"Sec-Fetch-Site": "same-origin"}).status_code == 400
    assert client.post("/login", data={"email": "a@example.org", "password": "x"},
                       headers={"Sec-Fetch-Site": "same-origin"}).status_code == 400
    assert client.post("/home/forget", data={"csrf_token": TOKEN.search(page).group(1)}).status_code == 302


def test_the_csp_still_allows_scripts_by_nonce_only_on_a_compressed_page(app, spaces):
    import brotli

    response = app.test_client(use_cookies=False).get("/?q=Lisbon", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp).group(1)
    assert "unsafe-inline" not in csp
    html = brotli.decompress(response.get_data()).decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
