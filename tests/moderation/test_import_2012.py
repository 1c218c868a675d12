"""A messy 2012-style community sheet imports faithfully: nothing invented, nothing twice, every problem reported.

tests/data/coworking-visa-2012.csv holds real places with the headers such
sheets had ("Coworking Visa Accepted? (y/n)", "ZIP/Post Code", "Bio (150-word
or less)"...), Excel's quoting (doubled quotes, line breaks inside bios),
branches sharing a website, placeholder and wrong coordinates, counties in the
city column, England as the country, and y / n / blank visa columns.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from visa.directory.models import Space
from visa.directory.revisions import Revision
from visa.directory.terms_schema import FIELD_NAMES
from visa.extensions import db

SHEET = Path(__file__).resolve().parent.parent / "data" / "coworking-visa-2012.csv"


def _spaces() -> list[Space]:
    return list(db.session.scalars(sa.select(Space).order_by(Space.id)).unique())


def _named(name: str, city: str | None = None) -> Space:
    found = [s for s in _spaces() if s.name == name and (city is None or s.city == city)]
    assert len(found) == 1, (name, city, found)
    return found[0]


@pytest.fixture
def imported(runner):
    result = runner.invoke(args=["visa", "import", str(SHEET)])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_column_is_read_by_its_words_and_the_rest_are_named(imported):
    assert "columns not read: Submitted\n" in imported
    queen = _named("Queen West Workspace")
    assert (queen.region, queen.postcode, queen.phone, queen.email) == ("Ontario", "M5V 3A8", "416-555-0175",
                                                                        "work@queenwest.example")
    assert (float(queen.price_amount), queen.price_currency, queen.price_unit) == (20.0, "CAD", "day")
    assert _named("Gastown Desk").price_amount == 0  # "Free drop-in? (y/n)" said y
    second = _named("Second Street Commons")
    assert (float(second.price_amount), second.price_currency) == (25.0, "USD")  # "Drop-in day rate ($)"
    assert second.description == "Forty desks south of Market. Bring your own mug."
    assert second.links == {"twitter": "https://twitter.com/2ndstcommons"}  # the Twitter column, as a link


def test_doubled_quotes_and_multi_line_bios_read_right(imported):
    assert imported.splitlines()[0].startswith("53 rows:")  # 54 records, one of them blank: no phantom row
    garage = _named('The "Garage" at Kendall')
    assert garage.description == 'We call it the "Garage".\nOpen 8 to 8;\nmembers get 24/7 keys.'
    assert _named("Queen West Workspace").description.startswith('An old tin factory.\n"Quiet floor" upstairs')
    # Line numbers count the lines of multi-line bios: Congress Ave starts on line 8 of the file.
    assert "line 8: flagged: placed from the address (Austin, Texas, United States)" in imported


def test_visa_column_yes_no_and_not_stated(imported):
    for name in ("Hyde Park Hub", "Cardiff Bay Hive", "Bairro Alto Desk", "Södermalm Office", "Kilimani Hub",
                 "Plateau Desk"):
        assert _named(name).terms.is_participating is False, name
    for name in ("Surrey Hills Studio", "Malasaña Works", "Roma Norte Escritorio"):
        assert _named(name).terms.is_participating is None, name
    assert _named("Pearl Street Works", "Fort Collins").terms.is_participating is None
    for name in ("Second Street Commons", "Gastown Desk", "Northern Quarter Desk", "Schanze Coworking"):
        assert _named(name).terms.is_participating is True, name  # y, Y, yes, j


def test_no_term_is_invented_and_nothing_is_confirmed(imported):
    spaces = _spaces()
    assert len(spaces) >= 35  # the rows with readable places (wrong coordinates are judged elsewhere)
    for space in spaces:
        stated = {f: getattr(space.terms, f) for f in FIELD_NAMES if getattr(space.terms, f) is not None}
        assert set(stated) <= {"is_participating"}, (space.name, stated)
        assert space.terms_confirmed_at is None, space.name


def test_one_bad_value_drops_that_value_not_the_row(imported):
    assert ("line 18: value left out: Website: expected a website address, found 'htp:/capitol hill collective'; "
            "left out") in imported
    assert _named("Capitol Hill Collective").website == ""
    assert "line 19: value left out: Drop-in day rate ($): expected a price" in imported
    assert _named("Hyde Park Hub").price_amount is None
    assert "line 55: value left out: Email Address: expected an e-mail address, found 'info at waterfront'" in imported
    assert _named("Waterfront Works").email == ""
    pike = _named("Pike Place Commons")  # 47°36'N, 122°20'W: degrees and minutes, read as they are
    assert (pike.geocode_source, pike.latitude, round(pike.longitude, 4)) == ("import", 47.6, -122.3333)
    assert "line 17: value left out" not in imported
    assert "line 59: value left out: Coworking Visa Accepted? (y/n): expected yes or no, found 'maybe'" in imported
    assert "line 56: rejected: no name" in imported  # the one thing a row cannot do without


def test_counties_and_constituent_countries_resolve(imported):
    kent = _named("Garden of England Works")
    assert (kent.country_code, kent.city, kent.region) == ("GB", "Kent", "England")
    assert _named("Surrey Hills Studio").country_code == "GB"
    assert _named("Leith Walk Office").country_code == "GB" and _named("Cardiff Bay Hive").country_code == "GB"
    truro = _named("Truro Creative Desk")  # "Cornwall" in the city column, no coordinates
    assert truro.country_code == "GB" and abs(truro.latitude - 50.26) < 0.3 and abs(truro.longitude + 5.05) < 0.3


def test_branches_sharing_a_website_keep_their_own_keys(imported):
    branches = {s.city: s for s in _spaces() if s.name == "Pearl Street Works"}
    assert set(branches) == {"Boulder", "Denver", "Fort Collins"}
    assert len({s.import_key for s in branches.values()}) == 3
    assert branches["Denver"].email == "denver@pearlworks.example"


def test_importing_twice_creates_nothing_twice_and_adds_no_revision(runner, imported):
    before = {s.import_key: (s.id, s.city, s.email, s.latitude, s.longitude) for s in _spaces()}
    revisions = db.session.scalar(sa.select(sa.func.count(Revision.id)))
    again = runner.invoke(args=["visa", "import", str(SHEET)])
    assert again.exit_code == 0 and "0 created, 0 updated," in again.output, again.output
    db.session.expire_all()
    assert {s.import_key: (s.id, s.city, s.email, s.latitude, s.longitude) for s in _spaces()} == before
    assert db.session.scalar(sa.select(sa.func.count(Revision.id))) == revisions
    # The two reports, as issue 22's closing note quotes them (bench/results/2026-12-07-import-twice.md).
    print(f"\n-- first import --\n{imported}\n-- second import ({revisions} revisions before, "
          f"{revisions} after) --\n{again.output}")


def test_an_older_website_only_key_is_matched_once_and_rewritten(runner, make_space):
    old = make_space("Baixa Commons", lat=38.7101, lon=-9.1367, city="Lisboa", website="https://baixacommons.example",
                     import_key="web:baixacommons.example")
    result = runner.invoke(args=["visa", "import", str(SHEET)])
    assert result.exit_code == 0
    db.session.expire_all()
    assert db.session.get(Space, old.id).import_key == "web:baixacommons.example:PT:lisboa"
    assert len([s for s in _spaces() if s.name == "Baixa Commons"]) == 1
