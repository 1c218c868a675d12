"""Which language a page is in: ?lang=, the saved choice (cookie, account), Accept-Language, English."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, gettext, ngettext

from visa.accounts.models import Role, SpaceHost, User
from visa.app import create_app
from visa.directory.models import SpaceStatus
from visa.extensions import db
from visa.i18n import parse_tag
from visa.moderation.words import REPORT_KIND_LABELS


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)">', response.get_data(as_text=True)).group(1)


def _switcher(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    return {code: href.replace("&amp;", "&") for href, code in re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', nav)}


@pytest.mark.parametrize(("header", "lang"), [
    ("pt-BR,pt;q=0.9,en;q=0.5", "pt-BR"),  # the region is kept for dates and numbers
    ("pt-PT", "pt-PT"),
    ("ja,de;q=0.7,en;q=0.3", "de"),  # the first shipped language the browser names
    ("ja", "en"),  # none shipped: English
    ("*", "en"),
    ("en-US,en;q=0.8", "en-US"),
    ("", "en"),
])
def test_accept_language_picks_the_first_shipped_language(client, header, lang):
    assert _lang(client.get("/about", headers={"Accept-Language": header})) == lang


def test_the_page_is_written_in_the_negotiated_language(client):
    html = client.get("/about", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert "Über das Coworking-Visa-Verzeichnis" in html and "Space finden" in html
    assert "About the Coworking Visa Directory" not in html


@pytest.mark.parametrize(("header", "text"), [("pt-BR", "Planejar uma viagem"), ("pt-PT", "Planear uma viagem"),
                                              ("pt", "Planear uma viagem")])
def test_brazil_and_portugal_each_read_their_portuguese(client, header, text):
    assert text in client.get("/about", headers={"Accept-Language": header}).get_data(as_text=True)


def test_lang_parameter_wins_and_is_remembered_in_a_cookie(client):
    r = client.get("/about?lang=fr", headers={"Accept-Language": "pt"})
    assert _lang(r) == "fr" and "lang=fr" in r.headers["Set-Cookie"]
    # Later pages, with no parameter: the cookie beats the browser's language.
    assert _lang(client.get("/", headers={"Accept-Language": "pt"})) == "fr"
    assert _lang(client.get("/?lang=it", headers={"Accept-Language": "pt"})) == "it"
    assert _lang(client.get("/about", headers={"Accept-Language": "pt"})) == "it"


def test_translated_answers_vary_by_language(app):
    """By Accept-Language always; by Cookie when the language cookie chose it. The API reads no cookie."""
    client = app.test_client()
    vary = client.get("/about", headers={"Accept-Language": "de"}).headers.get("Vary", "")
    assert "Accept-Language" in vary and "Cookie" not in vary
    client.get("/about?lang=pt")  # sets the language cookie
    page = client.get("/about", headers={"Accept-Language": "de"})
    assert _lang(page) == "pt" and "Cookie" in page.headers.get("Vary", "")
    api = client.get("/api/v1/spaces?q=%00", headers={"Accept-Language": "de"})
    assert "Cookie" not in api.headers.get("Vary", "") and "Accept-Language" in api.headers.get("Vary", "")


def test_per_locale_renders_a_macro_once_per_language_and_url_root(app):
    from flask import url_for
    from markupsafe import Markup

    from visa.i18n import per_locale

    calls = []

    def macro() -> Markup:
        calls.append(1)
        return Markup(url_for("pages.about"))

    kept = {}
    for query, base_url in (("/?lang=de", "http://localhost/"), ("/?lang=de", "http://localhost/"),
                            ("/", "http://localhost/"), ("/", "http://localhost/visa/")):
        with app.test_request_context(query, base_url=base_url):
            app.preprocess_request()
            kept[query, base_url] = per_locale("test", macro)
    assert len(calls) == 3  # German once, then English under each URL root
    assert kept["/", "http://localhost/"] == "/about" and kept["/", "http://localhost/visa/"] == "/visa/about"
    app.debug = True  # links look the files' hashes up again in debug mode: rendered every time
    with app.test_request_context("/"):
        app.preprocess_request()
        per_locale("test", macro)
    assert len(calls) == 4


def test_every_page_s_header_and_footer_are_in_its_language(client):
    """base.html's parts rendered once per locale (per_locale): each language gets its own."""
    english, german = (client.get("/about", headers={"Accept-Language": lang}).get_data(as_text=True)
                       for lang in ("en", "de"))
    assert 'class="skip" href="#main">Skip to content</a>' in english and "Embed the map</a>" in english
    assert "Skip to content" not in german and "Embed the map" not in german and "Space finden" in german


def test_an_unknown_lang_parameter_is_ignored(client):
    r = client.get("/about?lang=xx-<script>", headers={"Accept-Language": "es"})
    assert _lang(r) == "es" and "lang=" not in r.headers.get("Set-Cookie", "")


def test_parse_tag_keeps_only_shipped_languages():
    shipped = ("en", "pt", "de")
    assert parse_tag("pt-BR", shipped) == "pt_BR"
    assert parse_tag("DE", shipped) == "de"
    assert parse_tag("fr", shipped) is None
    assert parse_tag("xx-<script>", shipped) is None and parse_tag("", shipped) is None


def test_a_hosts_choice_is_kept_on_the_account(app, client, make_user, login):
    user = make_user("host@example.org")
    login("host@example.org")
    client.get("/host?lang=de")
    db.session.expire_all()
    assert db.session.get(User, user.id).language == "de"
    other = app.test_client()  # another browser: no cookie, but the account remembers
    login_page = other.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    other.post("/login", data={"email": "host@example.org", "password": "correct horse battery", "csrf_token": token})
    assert _lang(other.get("/host", headers={"Accept-Language": "it"})) == "de"


def test_the_switcher_keeps_the_page_and_its_query(client):
    html = client.get("/?q=Lisbon&radius_km=50&lang=es").get_data(as_text=True)
    links = _switcher(html)
    assert set(links) == {"en", "pt", "pt-BR", "es", "fr", "de", "it"}
    assert links["de"] == "/?q=Lisbon&radius_km=50&lang=de"  # the old lang replaced, the rest kept
    assert 'lang="es"' in html and re.search(r'hreflang="es" lang="es"\s*aria-current="true"', html)
    names = re.findall(r'lang="([\w-]+)"\s*(?:aria-current="true")?>([^<]+)</a>', html)
    assert ("pt", "Português") in names and ("de", "Deutsch") in names  # each named in itself
    assert ("pt-BR", "Português (Brasil)") in names


def test_public_pages_carry_hreflang_alternates_and_private_ones_do_not(client):
    html = client.get("/about?lang=pt").get_data(as_text=True)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))
    assert alternates["de"] == "http://localhost/about?lang=de" and alternates["x-default"] == "http://localhost/about"
    assert len(alternates) == 8 and alternates["pt-BR"] == "http://localhost/about?lang=pt_BR"
    assert 'rel="alternate"' not in client.get("/login").get_data(as_text=True)


def test_api_errors_speak_the_language_and_keep_their_codes(client):
    body = client.get("/api/v1/spaces?near=nowhere", headers={"Accept-Language": "es"}).get_json()["error"]
    assert body["code"] == "invalid_parameter" and body["field"] == "near"
    assert body["message"] == "near debe ser LAT,LON, por ejemplo near=38.72,-9.14."
    body = client.get("/api/v1/spaces/nope", headers={"Accept-Language": "fr"}).get_json()["error"]
    assert body["code"] == "not_found" and body["message"] == "Aucun espace approuvé avec le slug 'nope'."
    body = client.get("/api/v1/spaces?date_from=2030-01-01", headers={"Accept-Language": "de"}).get_json()["error"]
    assert body["code"] == "missing_parameter" and body["message"] == "date_from und date_to gehören zusammen."
    body = client.get("/api/v1/spaces?date_from=2030-01-02&date_to=2030-01-01&lang=it").get_json()["error"]
    assert body["field"] == "date_to" and body["message"].startswith("date_to è uguale o successiva a date_from")
    body = client.get("/geodata/labels?zoom=3", headers={"Accept-Language": "pt-BR"}).get_json()["error"]
    assert body["message"] == "bbox=WEST,SOUTH,EAST,NORTH e zoom são obrigatórios."


def test_error_pages_speak_the_language(client):
    r = client.get("/no/such/page", headers={"Accept-Language": "it"})
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and "404 Non trovato" in html and "Not Found" not in html


def test_mails_go_out_in_the_recipients_language(client, csrf_token, make_user, make_space, login, mails):
    host = make_user("host@example.org")
    host.language = "de"
    space = make_space("Neuer Ort", status=SpaceStatus.PENDING)
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    r = client.post(f"/admin/spaces/{space.id}/approve", data={"csrf_token": csrf_token("/admin/")},
                    headers={"Accept-Language": "pt"})
    assert r.status_code == 302
    [message] = mails()
    assert message["Subject"] == "„Neuer Ort“ ist jetzt eingetragen"  # the host's German, not the admin's Portuguese
    assert "Ihr Eintrag „Neuer Ort“ ist freigegeben" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_report_reaches_the_host_in_the_hosts_language(client, csrf_token, make_user, make_space, mails):
    """The reporter reads Portuguese; the host keeps German, and the report's kind is said in German too."""
    host = make_user("host@example.org")
    host.language = "de"
    space = make_space("Neuer Ort")
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    db.session.commit()
    r = client.post(f"/spaces/{space.slug}/report", headers={"Accept-Language": "pt"},
                    data={"kind": "not_honored", "message": "Fechado.", "csrf_token": csrf_token(f"/spaces/{space.slug}")})
    assert r.status_code in (200, 302)
    [message] = mails()
    assert message["Subject"] == "Eine reisende Person hat „Neuer Ort“ gemeldet"
    with force_locale("de"):
        kind = str(REPORT_KIND_LABELS["not_honored"])
    assert kind in message.get_body(preferencelist=("plain",)).get_content()


def test_mails_to_an_account_with_no_language_are_in_english(client, csrf_token, make_user, mails):
    make_user("host@example.org")
    client.post("/reset", data={"email": "host@example.org", "csrf_token": csrf_token("/reset")},
                headers={"Accept-Language": "de"})
    [message] = mails()
    assert message["Subject"] == "Reset your Coworking Visa Directory password"


def test_distances_in_miles_for_us_and_uk_readers(client):
    us = client.get("/", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert '<option selected value="25">16 mi</option>' in us
    gb = client.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert ">16 mi</option>" in gb
    de = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<option selected value="25">25 km</option>' in de and " mi</option>" not in de


def test_country_select_is_named_and_sorted_in_the_readers_language(client, make_space):
    # The select offers the countries that have a listed space.
    for country, lat, lon in (("DE", 52.52, 13.405), ("US", 40.7128, -74.006), ("EG", 30.0444, 31.2357),
                              ("AL", 41.3275, 19.8187), ("CY", 35.1856, 33.3823)):
        make_space(country=country, lat=lat, lon=lon, city="-")
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    select = re.search(r'<select[^>]*name="country".*?</select>', html, re.S).group(0)
    names = re.findall(r'<option[^>]*value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    assert "Deutschland" in names and "Vereinigte Staaten" in names and "Germany" not in names
    assert names.index("Ägypten") < names.index("Albanien") < names.index("Zypern")  # Ä sorts with A


@pytest.fixture
def arabic_catalog(tmp_path):
    """A right-to-left catalogue that no one ships, as a translator would add one (the German texts will do)."""
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = Path(__file__).resolve().parent.parent / "visa" / "translations" / "de" / "LC_MESSAGES"
    shutil.copy(source / "messages.po", folder / "messages.po")
    with (folder / "messages.po").open("rb") as po, (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, read_po(po, locale="ar"))
    return tmp_path


def test_a_right_to_left_catalogue_turns_the_page(_schema, app_config, arabic_catalog):
    app = create_app({**app_config, "BABEL_TRANSLATION_DIRECTORIES": f"translations;{arabic_catalog}"})
    page = app.test_client().get("/about", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()  # this app's own engine: close its connections
    assert '<html lang="ar" dir="rtl">' in page
    assert 'hreflang="ar"' in page  # a catalogue is all it takes to be offered


def _visible_text(html: str) -> str:
    import html as entities

    html = re.sub(r"<(script|style|datalist)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<option value="[A-Z]{2}"[^>]*>[^<]*</option>', " ", html)  # country names: CLDR's, not ours
    return entities.unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", ["pt", "de"])
def test_host_and_admin_pages_leave_no_english(client, make_space, make_user, login, language):
    from tests.browser.untranslated import english_left

    space = make_space("Open House", lat=38.7101, lon=-9.1367)
    host = make_user("host@example.org")
    db.session.add(SpaceHost(space_id=space.id, user_id=host.id, is_confirmed=True))
    make_user("admin@example.org", role=Role.ADMIN)
    db.session.commit()
    names = ["Open House", "Lisbon", "Portugal", "GeoNames", "Natural Earth", "CC BY", "OpenStreetMap",
             "host@example.org", "admin@example.org"]
    pages = {"host@example.org": ["/host", "/host/spaces/new", f"/spaces/{space.slug}/edit",
                                  f"/spaces/{space.slug}/terms"],
             # /admin/revisions is left out: its diff shows field names and stored values as they are kept.
             "admin@example.org": ["/admin/", "/admin/merge", "/admin/stale", "/admin/import"]}
    for user, paths in pages.items():
        login(user)
        for path in paths:
            html = client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)
            assert english_left(_visible_text(html), language, names) == [], path
        client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                                             html).group(1)})


def test_a_render_finds_the_catalogue_once_not_once_per_text(app, monkeypatch):
    """Jinja's gettext for a render is bound to the reader's catalogue (visa.i18n._render_translations):
    Flask-Babel's own, on the environment, would look the catalogue up again for every text."""
    import flask_babel

    lookups = []
    original = flask_babel.get_translations

    def counted():
        lookups.append(1)
        return original()

    monkeypatch.setattr(flask_babel, "get_translations", counted)  # what Flask-Babel's Jinja callables call
    source = '{{ _("Find a space") }} · {{ _("About") }} · {{ ngettext("%(num)d space", "%(num)d spaces", 3) }}'
    with app.test_request_context("/?lang=de"):
        text = render_template_string(source)
    assert lookups == []
    with force_locale("de"):
        expected = f"{gettext('Find a space')} · {gettext('About')} · {ngettext('%(num)d space', '%(num)d spaces', 3)}"
    assert text == expected and text != "Find a space · About · 3 spaces"
