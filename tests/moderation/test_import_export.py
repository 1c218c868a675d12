"""Import of legacy spreadsheets and GeoJSON; export that GDAL opens."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import Revision
from visa.extensions import db

DATA = Path(__file__).resolve().parent.parent / "data"


def _spaces() -> dict[str, Space]:
    return {s.name: s for s in db.session.scalars(sa.select(Space)).unique()}


def test_legacy_csv_report_lists_every_row(runner):
    result = runner.invoke(args=["visa", "import", str(DATA / "legacy-network.csv")])
    out = result.output
    assert result.exit_code == 0, out
    assert "11 rows: 8 created, 0 updated, 0 unchanged, 1 skipped as duplicates, 2 rejected, 2 flagged" in out
    # Wrong coordinates do not drop a space that its address places: it waits for a reviewer, the reason given.
    assert ("line 4: flagged: placed from the address (Porto, Portugal) instead of the given point; check it: "
            "Latitude and longitude look swapped") in out
    assert "line 5: value left out: Coworking Visa?: expected yes or no, found 'maybe'; left out (not stated)" in out
    assert "line 10: rejected: no country, and none could be found from the city" in out
    assert "line 12: rejected: no name" in out
    assert "line 11: flagged: coordinates are" in out
    assert "line 9: duplicate: “Baixa Commons Lisbon” is already listed as “Baixa Commons”" in out

    spaces = _spaces()
    baixa = spaces["Baixa Commons"]
    assert (baixa.latitude, baixa.longitude, baixa.country_code) == (38.7101, -9.1367, "PT")  # decimal commas
    assert baixa.website == "https://baixacommons.example" and baixa.status == SpaceStatus.APPROVED
    assert (float(baixa.price_amount), baixa.price_currency, baixa.price_unit) == (25.0, "EUR", "day")
    assert baixa.terms.notes == "Bring your card" and baixa.terms.free_days_per_visit == 3
    spree = spaces["Spree Loft"]
    assert spree.country_code == "DE" and spree.geocode_source == "import:offline" and spree.geocode_precision == "city"
    paulista = spaces["Paulista Desk"]
    assert (float(paulista.price_amount), paulista.price_currency, paulista.price_unit) == (10.0, "BRL", "hour")
    assert spaces["Blank Visa Works"].terms.is_participating is None  # blank: not stated
    assert spaces["Maybe Space"].terms.is_participating is None  # unreadable: left out, the row kept
    assert spaces["Resting Room"].terms.is_participating is False
    assert spaces["Far Away Desk"].status == SpaceStatus.PENDING  # flagged rows wait for a reviewer
    swapped = spaces["Swapped Hub"]
    assert swapped.status == SpaceStatus.PENDING and swapped.geocode_source == "import:offline"
    assert (round(swapped.latitude, 1), round(swapped.longitude, 1)) == (41.1, -8.6)  # Porto, from the city
    assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.source == "import")) == 8


def test_running_twice_creates_nothing_twice(runner):
    runner.invoke(args=["visa", "import", str(DATA / "legacy-network.csv")])
    again = runner.invoke(args=["visa", "import", str(DATA / "legacy-network.csv")])
    assert "0 created, 0 updated, 8 unchanged" in again.output
    assert len(_spaces()) == 8


def test_dry_run_changes_nothing(runner):
    result = runner.invoke(args=["visa", "import", "--dry-run", str(DATA / "legacy-network.csv")])
    assert result.output.startswith("DRY RUN") or "DRY RUN: nothing was saved." in result.output
    assert _spaces() == {}


def test_geojson_import(runner):
    result = runner.invoke(args=["visa", "import", str(DATA / "legacy-network.geojson")])
    assert "3 rows: 3 created" in result.output
    assert ("line 2: flagged: placed from the address (Paris, Île-de-France, France) instead of the given point; "
            "check it: Latitude and longitude look swapped") in result.output
    assert _spaces()["Gracia Desk"].country_code == "ES"


def test_a_file_without_a_name_column_is_refused_clearly(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    result = runner.invoke(args=["visa", "import", str(bad)])
    assert result.exit_code == 1 and "rejected the file: no column holds the space's name" in result.output


@pytest.fixture
def exported(runner, make_space, tmp_path):
    make_space("Export One", lat=38.7101, lon=-9.1367)
    make_space('Quote "Two" <b>', lat=52.52, lon=13.405, country="DE", city="Berlin")
    make_space("Hidden", lat=38.72, lon=-9.15, status=SpaceStatus.PENDING)
    path = tmp_path / "registry.geojson"
    result = runner.invoke(args=["visa", "export", "--format", "geojson", "-o", str(path)])
    assert result.exit_code == 0
    return path


def test_geojson_export_is_rfc7946(exported):
    collection = json.loads(exported.read_text())
    assert collection["type"] == "FeatureCollection"
    names = sorted(f["properties"]["name"] for f in collection["features"])
    assert names == ["Export One", 'Quote "Two" <b>']
    berlin = next(f for f in collection["features"] if f["properties"]["country"] == "DE")
    assert berlin["geometry"]["coordinates"] == [13.405, 52.52]


def test_geojson_export_opens_in_gdal(exported):
    if shutil.which("ogrinfo") is None:
        if os.environ.get("CI"):
            pytest.fail("ogrinfo (Debian's gdal-bin) is required in CI")
        pytest.skip("ogrinfo not installed: apt-get install gdal-bin")
    result = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(exported)], capture_output=True, text=True, check=True)
    assert "Feature Count: 2" in result.stdout and "Geometry: Point" in result.stdout


def test_csv_export(runner, make_space):
    make_space("Export One", lat=38.7101, lon=-9.1367)
    result = runner.invoke(args=["visa", "export", "--format", "csv"])
    lines = result.output.splitlines()
    assert lines[0].startswith("slug,name,") and "export-one-lisbon,Export One" in lines[1]


def test_admin_import_page_reports_and_refuses_oversized(client, make_user, login, csrf_token):
    from io import BytesIO

    from visa.accounts.models import Role

    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    data = (DATA / "legacy-network.csv").read_bytes()
    r = client.post("/admin/import", data={"file": (BytesIO(data), "legacy.csv"), "csrf_token": csrf_token("/admin/import")},
                    content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert "DRY RUN" not in html and "8 created" in html and "Values left out" in html and "line 5: " in html
    # The declared length is enough for the server to refuse before reading the body.
    r = client.post("/admin/import", data=b"--x--", content_type="multipart/form-data; boundary=x",
                    environ_overrides={"CONTENT_LENGTH": str(11 * 1024 * 1024)})
    assert r.status_code == 413 and "at most 10 MB" in r.get_data(as_text=True)
