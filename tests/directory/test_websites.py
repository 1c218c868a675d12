"""Website addresses: a real host name or nothing, for the forms and the importer alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from visa.directory.models import Space
from visa.directory.websites import InvalidWebsite, normalize_website
from visa.extensions import db


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("example.org", "https://example.org"),
        ("  www.example.org/visa  ", "https://www.example.org/visa"),
        ("http://example.org:8080/a?b=c#d", "http://example.org:8080/a?b=c#d"),
        ("HTTPS://Example.ORG", "HTTPS://Example.ORG"),
        ("https://münchen-cowork.de", "https://münchen-cowork.de"),
        ("https://xn--mnchen-3ya.de", "https://xn--mnchen-3ya.de"),
        ("https://my-space.co.uk/", "https://my-space.co.uk/"),
        ("", ""),
        (None, ""),
    ],
)
def test_real_websites_are_kept(given, stored):
    assert normalize_website(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "https://javascript:alert(1).x",  # the host is "javascript", the "port" is script
        "javascript:alert(1)",
        "https://javascript:alert(1)//example.org",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org",
        "https://user:secret@example.org",
        "https://evil.org@example.org",
        "https://exa mple.org",
        "https://example.org/\x00",
        "https://under_score.org",
        "https://-leading.org",
        "https://trailing-.org",
        "https://localhost",
        "https://1.2.3.4",
        "https://example..org",
        "https://" + "a" * 64 + ".org",
        "https://example.org:99999",
        "https://<b>.org",
        "https://example.org/" + "x" * 300,
        "https://",
    ],
)
def test_anything_else_is_refused(given):
    with pytest.raises(InvalidWebsite):
        normalize_website(given)


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202b", "\u2066", "\u2067", "\u2068", "\u2069",
                                     "\u200e", "\u200f", "\u061c"])
def test_a_bidirectional_control_is_refused_wherever_it_stands(control):
    for given in (f"https://example.org/{control}gpj.exe", f"https://exa{control}mple.org", f"example.org?q={control}"):
        with pytest.raises(InvalidWebsite) as refused:
            normalize_website(given)
        assert refused.value.code == "website_bidi" and f"U+{ord(control):04X}" in str(refused.value)


def test_listing_form_refuses_a_website_that_reads_backwards(client, csrf_token, make_user, login):
    make_user("host@example.org")
    login("host@example.org")
    r = client.post("/host/spaces/new", data={
        "name": "Alfama Desk", "address_line1": "Rua dos Remédios 10", "postcode": "1100-441", "city": "Lisboa",
        "country_code": "PT", "website": "https://alfamadesk.example/\u202egpj.exe",
        "csrf_token": csrf_token("/host/spaces/new")})
    assert r.status_code == 400 and "a website address cannot hold U+202E" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Space)) == 0


def test_listing_form_refuses_a_script_as_website(client, csrf_token, make_user, login):
    make_user("host@example.org")
    login("host@example.org")
    r = client.post("/host/spaces/new", data={
        "name": "Alfama Desk", "address_line1": "Rua dos Remédios 10", "postcode": "1100-441", "city": "Lisboa",
        "country_code": "PT", "website": "https://javascript:alert(1).x", "email": "visa@alfamadesk.example",
        "csrf_token": csrf_token("/host/spaces/new")})
    assert r.status_code == 400
    assert "is not a host name" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Space)) == 0


def test_listing_form_says_what_is_wrong_with_the_website_in_german(client, csrf_token, make_user, login):
    make_user("host@example.org")
    login("host@example.org")
    r = client.post("/host/spaces/new", data={
        "name": "Alfama Desk", "address_line1": "Rua dos Remédios 10", "postcode": "1100-441", "city": "Lisboa",
        "country_code": "PT", "website": "ftp://alfamadesk.example", "csrf_token": csrf_token("/host/spaces/new")},
        headers={"Accept-Language": "de"})
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "eine Website-Adresse beginnt mit http:// oder https://, nicht mit ftp://" in html
    assert "starts with" not in html
