"""Every malformed file gets one clear rejection line: exit code 1 from the CLI, a form error on the admin page."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from visa.moderation.exporter import export_csv

SHEET = Path(__file__).resolve().parent.parent / "data" / "coworking-visa-2012.csv"


def _huge_number(digits: str, where: str) -> bytes:
    """A FeatureCollection with one number of *digits* (raw JSON text) as its point's longitude or a property."""
    point = f'{{"type": "Point", "coordinates": [{digits if where == "lon" else "-9.14"}, 38.72]}}'
    props = f'{{"name": "Big Desk", "capacity": {digits if where == "prop" else 5}}}'
    return (f'{{"type": "FeatureCollection", "features": [{{"type": "Feature", "geometry": {point}, '
            f'"properties": {props}}}]}}').encode()


def _zipped() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("sheet.csv", SHEET.read_bytes())
    return out.getvalue()


MALFORMED = [
    ("huge.csv", b"Name,City\n" + b"A" * (130 * 1024) + b",Lisbon\n", "line 2: a field is longer than 128 KB"),
    ("nul.csv", b"Name,City\nA\x00B,Lisbon\n", "line 2 holds a NUL byte"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("list.geojson", b"[]", "must be a FeatureCollection object, found a list"),
    ("features.geojson", json.dumps({"type": "FeatureCollection", "features": [1, "x"]}).encode(),
     "feature 1 is not an object"),
    ("properties.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": ["Name"]}]}).encode(),
     "feature 1: properties are not an object"),
    ("zipped.csv", _zipped(), "this is a binary file, not CSV or GeoJSON text"),
    ("latin1.csv", "Name,City\nCafé Desk,Lisboa\n".encode("latin-1"), "line 2 is not UTF-8 text (byte 0xe9)"),
    ("broken.json", b'{"type": "FeatureCollection", "features": [', "line 1: not valid JSON"),
    # A number too long to convert: refused before int() raises or float() works through it.
    ("digits.geojson", _huge_number("1" * 5_000, "lon"),
     "features[0].geometry.coordinates[0] is a number of"),
    ("fraction.geojson", _huge_number("-9." + "1" * 100_000, "lon"),
     "characters; at most 40 are read"),
    ("property.geojson", _huge_number("7" * 100_000, "prop"), "features[0].properties.capacity is a number of"),
    ("wide.csv", ",".join(["Name", *(f"c{i}" for i in range(1000))]).encode() + b"\nA\n",
     "columns; a sheet of spaces has at most"),  # 1,001 on the page: numbers in the reader's words
    ("wide.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"name": "A"} | {f"p{i}": i for i in range(1200)}}]}).encode(),
     "columns; a sheet of spaces has at most"),
]


@pytest.mark.parametrize(("filename", "data", "reason"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_cli_rejects_the_file_in_one_line_with_exit_code_1(runner, tmp_path, filename, data, reason):
    path = tmp_path / filename
    path.write_bytes(data)
    result = runner.invoke(args=["visa", "import", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception  # no traceback
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("rejected the file: ") and reason in lines[0], result.output


@pytest.mark.parametrize(("filename", "data", "reason"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_admin_upload_shows_a_form_error(client, make_user, login, csrf_token, filename, data, reason):
    from visa.accounts.models import Role

    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    r = client.post("/admin/import", data={"file": (io.BytesIO(data), filename), "dry_run": "",
                                           "csrf_token": csrf_token("/admin/import")},
                    content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "This file was not imported" in html and 'class="error"' in html
    assert reason.replace("'", "&#39;").replace('"', "&#34;") in html or reason in html


def test_csv_export_neutralises_formulas(app, make_space):
    make_space("=HYPERLINK(\"http://evil.example\")", lat=38.7101, lon=-9.1367, phone="+351 21 555 0000",
               address_line1="@SUM(A1)", terms={"notes": "-2+3", "request_contact": "\tcmd"})
    make_space("Plain Desk", lat=38.7102, lon=-9.1368, address_line1="\rline")
    rows = list(csv.DictReader(io.StringIO(export_csv())))
    evil = next(r for r in rows if "HYPERLINK" in r["name"])
    assert evil["name"].startswith("'=HYPERLINK") and evil["address_line1"] == "'@SUM(A1)"
    assert evil["phone"] == "'+351 21 555 0000" and evil["notes"] == "'-2+3" and evil["request_contact"] == "'\tcmd"
    assert float(evil["longitude"]) == -9.1367  # numbers are numbers, not text: left alone
    plain = next(r for r in rows if r["name"] == "Plain Desk")
    assert plain["address_line1"] == "'\rline" and plain["participates"] == "yes"
