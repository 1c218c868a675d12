"""The import's reasons and the merge's refusals reach the admin pages in the reader's language.

The CLI keeps printing them in English (tests/moderation/test_import_2012.py reads the same sheet there).
"""

from __future__ import annotations

import csv
import html as entities
import io
import re
from pathlib import Path

import pytest

from tests.browser.untranslated import english_left
from visa.accounts.models import Role

SHEET = Path(__file__).resolve().parent.parent / "data" / "coworking-visa-2012.csv"


@pytest.fixture
def admin(make_user, login):
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")


def _text(html: str, pattern: str = r'<section id="import-report">.*?</section>') -> str:
    part = re.search(pattern, html, flags=re.S).group(0)
    return entities.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part)))


def _data(text: str) -> list[str]:
    """What the sheet itself says: its headers, the values quoted back, the names in guillemets."""
    headers = next(csv.reader(io.StringIO(SHEET.read_text(encoding="utf-8-sig"))))
    quoted = re.findall(r"'[^']*'|\"[^\"]*\"", text)
    names = re.findall(r"« ([^»]*) »", text)
    return headers + quoted + names


def test_a_messy_sheet_is_reported_in_french_line_by_line(client, admin, csrf_token):
    r = client.post("/admin/import?lang=fr", data={"file": (io.BytesIO(SHEET.read_bytes()), SHEET.name),
                                                   "dry_run": "y", "csrf_token": csrf_token("/admin/import")},
                    content_type="multipart/form-data")
    assert r.status_code == 200
    text = _text(r.get_data(as_text=True))
    assert "Essai : rien n’a été enregistré. 53 lignes : 50 créées," in text
    # Rejected rows: the row's own reason, the point's (visa.l10n.coordinate_problem), each with its line.
    assert "ligne 56 : aucun nom" in text
    assert "ligne 58 : aucun pays, et la ville n’a pas permis d’en trouver un" in text
    # A point replaced from the address: the place and the point's own problem, in French.
    assert ("ligne 8 : placé d’après l’adresse (Austin, Texas, États-Unis) au lieu du point indiqué ; vérifiez-le : "
            "La latitude et la longitude semblent inversées") in text
    # A flag names its town and distance with the l10n helpers: the country in French.
    assert "ligne 61 : les coordonnées sont à 57 km de Baltimore, Maryland, États-Unis" in text
    assert ("ligne 59 : le même espace qu’à la ligne 4 (le même site web et la même ville) ; seule la ligne 4 est "
            "importée") in text
    # A value left out: the sheet's header and value as they are, the words around them in French.
    assert ("ligne 59 : Coworking Visa Accepted? (y/n) : oui ou non était attendu, pas 'maybe' ; "
            "valeur laissée de côté (non précisé)") in text
    assert english_left(text, "fr", _data(text)) == []


def test_a_file_that_cannot_be_read_or_is_no_sheet_is_refused_in_german(client, admin, csrf_token):
    r = client.post("/admin/import", data={"file": (io.BytesIO(b"Name,City\nA\x00B,Lisbon\n"), "nul.csv"),
                                           "csrf_token": csrf_token("/admin/import")},
                    content_type="multipart/form-data", headers={"Accept-Language": "de"})
    assert r.status_code == 400
    assert ("Diese Datei wurde nicht importiert: Zeile 2 enthält ein NUL-Byte: Das ist eine Binärdatei, kein CSV- "
            "oder GeoJSON-Text") in entities.unescape(r.get_data(as_text=True))
    r = client.post("/admin/import", data={"file": (io.BytesIO(b"Name,City\n"), "sheet.xlsx"),
                                           "csrf_token": csrf_token("/admin/import")},
                    content_type="multipart/form-data", headers={"Accept-Language": "de"})
    assert r.status_code == 400 and "Wählen Sie eine .csv-, .geojson- oder .json-Datei." in r.get_data(as_text=True)


def test_a_refused_merge_says_why_in_italian(client, admin, csrf_token, make_space):
    space = make_space("Alone")
    r = client.post("/admin/merge", data={"merged": space.slug, "keep": space.slug,
                                          "csrf_token": csrf_token("/admin/merge")},
                    headers={"Accept-Language": "it"})
    assert r.status_code == 400 and "Una scheda non può essere unita a se stessa." in r.get_data(as_text=True)


def test_a_refused_revert_says_why_in_french(client, admin, csrf_token, make_space):
    from visa.directory.services import update_space
    from visa.extensions import db

    space = make_space("Moving Desk", lat=38.7101, lon=-9.1367)
    moved = update_space(space, {"latitude": 41.1496, "longitude": -8.6110}, None, space.lock_version)
    update_space(space, {"country_code": "ES", "latitude": 40.4168, "longitude": -3.7038}, None, space.lock_version)
    db.session.commit()
    # Undoing the first move alone would put the Spanish listing back in Lisbon.
    r = client.post(f"/admin/revisions/{moved.id}/revert?lang=fr", data={"csrf_token": csrf_token("/admin/")},
                    follow_redirects=True)
    html = entities.unescape(r.get_data(as_text=True))
    assert "Non annulé : Le point 38.7101, -9.1367 est en mer, à 159 km du pays Espagne : corrigez le point." in html
