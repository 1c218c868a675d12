"""place-names.sqlite: GeoNames' names by id from a Debian package's catalogues, CLDR's cities as a fallback."""

from __future__ import annotations

import io
import sqlite3
import subprocess

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from geodata import BUILD_DIR, GeodataPaths
from geodata.names_build import cldr_cities, geonames_catalogues


def _mo(names: dict[str, str]) -> bytes:
    catalog = Catalog()
    for msgid, name in names.items():
        catalog.add(msgid, name)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def test_a_packages_catalogues_are_read_by_geonames_id(tmp_path):
    root = tmp_path / "pkg"
    for lang, names in {"de": {"2267057": "Lissabon", "PT.14": "Lissabon"}, "pt_BR": {}}.items():
        folder = root / f"usr/share/locale/{lang}/LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "geonames.mo").write_bytes(_mo(names))
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN/control").write_text("Package: libgeonames-common\nVersion: 0.3.0-1\nArchitecture: all\n"
                                         "Maintainer: test <test@example.org>\nDescription: test\n")
    deb = tmp_path / "libgeonames-common_0.3.0-1_all.deb"
    subprocess.run(["dpkg-deb", "-Zxz", "--build", str(root), str(deb)], check=True, capture_output=True)
    # An empty catalogue (the package's Brazilian one) is left out, so pt_BR falls back to Portuguese.
    assert geonames_catalogues(deb) == {"de": {"2267057": "Lissabon", "PT.14": "Lissabon"}}
    assert geonames_catalogues(None) == {}


def test_a_time_zones_city_is_the_most_populous_place_of_its_name_in_that_zone():
    places = [(2267057, "Lisbon", "PT", "14", 517_802, "Europe/Lisbon"),
              (1, "Lisbon", "PT", "14", 100, "Europe/Lisbon"),
              (4969398, "Lisbon", "US", "ME", 9_000, "America/New_York")]
    assert dict(cldr_cities("fr", places)) == {2267057: "Lisbonne"}
    sao_paulo = [(3448439, "São Paulo", "BR", "27", 10_021_295, "America/Sao_Paulo")]
    assert dict(cldr_cities("de", sao_paulo)) == {3448439: "São Paulo"}


def test_the_built_file_names_places_in_every_language_of_the_app():
    paths = GeodataPaths(BUILD_DIR)
    con = sqlite3.connect(f"file:{paths.place_names}?mode=ro", uri=True)
    names = dict(con.execute("SELECT lang, name FROM place_name WHERE id = 2267057"))
    assert names == {"de": "Lissabon", "es": "Lisboa", "fr": "Lisbonne", "it": "Lisbona", "pt": "Lisboa",
                     "pt_BR": "Lisboa"}
    assert con.execute("SELECT name FROM region_name WHERE lang = 'de' AND country = 'DE' AND admin1 = '07'"
                       ).fetchone() == ("Nordrhein-Westfalen",)
    assert paths.place_names.stat().st_size < 2_000_000  # opened per worker, read a row at a time


def test_a_build_without_the_package_is_partial_and_the_next_build_tries_again(tmp_path, monkeypatch):
    from geodata.gazetteer_build import schema_version
    from geodata.names_build import PARTIAL, SCHEMA_VERSION, build_place_names

    (tmp_path / "gazetteer.sqlite").symlink_to(GeodataPaths(BUILD_DIR).gazetteer)
    paths = GeodataPaths(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))  # no apt-get: CLDR's names only
    built = build_place_names(paths)
    assert schema_version(built) == PARTIAL != SCHEMA_VERSION
    con = sqlite3.connect(f"file:{built}?mode=ro", uri=True)
    assert con.execute("SELECT name FROM place_name WHERE lang = 'fr' AND id = 2267057").fetchone() == ("Lisbonne",)
    con.close()
    before = built.stat().st_mtime_ns
    build_place_names(paths)  # not taken as done: built again
    assert built.stat().st_mtime_ns != before
