"""Branches that share a website and a city stay apart, and nothing in a sheet is lost for want of a repair.

tests/data/coworking-visa-branches.csv has the 2012 sheet's headers (and the
link columns such sheets had: Facebook, Twitter, Logo, Yelp, Google Places)
and rows of real spaces of the time whose branches shared a website and a city:
The Creative Farm's Colfax and Highlands houses in Denver, Tenpod's two
Portland buildings, Sunshine Suites TriBeCa and NoHo, and two ThincSavannah
rows. Names and cities are the spaces' own, and ThincSavannah's 35 Barnard St;
the other streets are the branches' neighbourhoods, and websites, e-mails and
phones are stand-ins (.example, 555), as in coworking-visa-2012.csv. It also
has coordinates in degrees, minutes and seconds with a Portuguese west
("49° 16’ 49.66”O"), an e-mail typed with spaces around the @, and wrong
coordinates (scaled by 10^6, a lost sign) on rows whose address places them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus
from visa.directory.revisions import Revision
from visa.directory.services import revert
from visa.extensions import db
from visa.moderation.revision_words import changes_of

DATA = Path(__file__).resolve().parent.parent / "data"
SHEET = DATA / "coworking-visa-branches.csv"
HEADER = SHEET.read_text(encoding="utf-8").splitlines()[0]


def _spaces(name: str | None = None) -> list[Space]:
    query = sa.select(Space).order_by(Space.id)
    if name is not None:
        query = query.where(Space.name == name)
    return list(db.session.scalars(query).unique())


def _revisions() -> int:
    return db.session.scalar(sa.select(sa.func.count(Revision.id)))


def _import(runner, path: Path = SHEET) -> str:
    """The report of ``visa import PATH``, which must have imported something."""
    result = runner.invoke(args=["visa", "import", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def imported(runner) -> str:
    return _import(runner)


def test_branches_sharing_a_website_and_a_city_are_listed_apart(imported):
    assert imported.startswith("10 rows: 10 created, 0 updated, 0 unchanged, 0 skipped as duplicates, 0 rejected")
    farms = {s.address_line1: s for s in _spaces("The Creative Farm")}
    assert set(farms) == {"1660 E Colfax Ave", "3457 W 32nd Ave"}
    assert farms["1660 E Colfax Ave"].email == "colfax@creativefarm.example"
    assert farms["3457 W 32nd Ave"].email == "highlands@creativefarm.example"
    assert {s.address_line1 for s in _spaces("Tenpod")} == {"2505 SE 11th Ave", "1233 NW Northrup St"}
    assert {s.email for s in _spaces("ThincSavannah")} == {"hello@thincsavannah.example",
                                                          "starland@thincsavannah.example"}
    assert len(_spaces("Sunshine Suites TriBeCa")) == len(_spaces("Sunshine Suites NoHo")) == 1
    keys = [s.import_key for s in _spaces()]
    assert len(set(keys)) == len(keys) == 10


def test_importing_the_branches_again_changes_nothing_and_adds_no_revision(runner, imported):
    before = {s.id: (s.import_key, s.name, s.address_line1, s.email, s.latitude, s.longitude, s.links)
              for s in _spaces()}
    revisions = _revisions()
    for _round in range(2):
        again = _import(runner)
        assert "0 created, 0 updated, 10 unchanged" in again, again
        db.session.expire_all()
        assert {s.id: (s.import_key, s.name, s.address_line1, s.email, s.latitude, s.longitude, s.links)
                for s in _spaces()} == before
        assert _revisions() == revisions


def test_a_listing_keyed_before_its_branch_came_keeps_its_own_street(runner, make_space):
    # An earlier import of a sheet with the Highlands house alone gave it the short key (website and city).
    highlands = make_space("The Creative Farm", lat=39.7620, lon=-105.0327, country="US", city="Denver",
                           website="https://creativefarm.example", address_line1="3457 W 32nd Ave",
                           email="highlands@creativefarm.example",
                           import_key="web:creativefarm.example:US:denver")
    result = _import(runner)
    assert "9 created, 1 updated" in result, result
    db.session.expire_all()
    farms = {s.id: s for s in _spaces("The Creative Farm")}
    assert len(farms) == 2
    assert farms[highlands.id].email == "highlands@creativefarm.example"  # never the Colfax house's
    assert farms[highlands.id].import_key.endswith(":3457-w-32nd-ave:the-creative-farm")
    (colfax,) = [s for i, s in farms.items() if i != highlands.id]
    assert (colfax.address_line1, colfax.email) == ("1660 E Colfax Ave", "colfax@creativefarm.example")


def test_two_rows_with_one_key_are_reported_together_and_the_first_is_kept(runner, tmp_path):
    sheet = tmp_path / "twice.csv"
    rows = SHEET.read_text(encoding="utf-8").splitlines()
    colfax = rows[1]
    sheet.write_text("\n".join([HEADER, colfax, rows[3], colfax.replace("colfax@", "front-desk@")]) + "\n",
                     encoding="utf-8")
    result = _import(runner, sheet)
    assert "3 rows: 2 created, 0 updated, 0 unchanged, 1 skipped as duplicates" in result
    assert "line 4: duplicate: the same space as line 2 (the same website and city); only line 2 is imported" in result
    assert [s.email for s in _spaces("The Creative Farm")] == ["colfax@creativefarm.example"]
    # Branches in the same file: the street and the name are part of the key, and of the report's reason.
    sheet.write_text("\n".join([HEADER, *rows[1:3], rows[2].replace("highlands@", "info@")]) + "\n",
                     encoding="utf-8")
    assert ("line 4: duplicate: the same space as line 3 (the same website, city, street and name); only line 3 "
            "is imported") in _import(runner, sheet)
    assert sorted(s.email for s in _spaces("The Creative Farm")) == ["colfax@creativefarm.example",
                                                                      "highlands@creativefarm.example"]


def test_wrong_coordinates_are_replaced_from_the_address_and_flagged(imported):
    assert ("line 5: flagged: placed from the address (Portland, Oregon, United States) instead of the given point; "
            "check it: The coordinates look multiplied by 10^6") in imported
    assert ("line 7: flagged: placed from the address (New York City, New York, United States) instead of the given "
            "point; check it: A sign looks lost") in imported
    northrup = next(s for s in _spaces("Tenpod") if s.address_line1 == "1233 NW Northrup St")
    noho = _spaces("Sunshine Suites NoHo")[0]
    for space, (lat, lon) in ((northrup, (45.52, -122.68)), (noho, (40.71, -74.01))):
        assert space.status == SpaceStatus.PENDING and space.geocode_source == "import:offline"
        assert abs(space.latitude - lat) < 0.1 and abs(space.longitude - lon) < 0.1


def test_wrong_coordinates_and_an_address_nobody_can_place_are_rejected_with_the_line(runner, tmp_path):
    sheet = tmp_path / "nowhere.csv"
    sheet.write_text(HEADER + "\n" + ",Nowhere Desk,,Xyzzyqqville,,,USA,3774930,-12241940,,,,,,,,,,,,\n",
                     encoding="utf-8")
    result = runner.invoke(args=["visa", "import", str(sheet)])
    assert "line 2: rejected: The coordinates look multiplied by 10^5" in result.output, result.output
    assert _spaces() == []


def test_degrees_minutes_and_seconds_with_a_portuguese_west_are_read(imported):
    aldeia = _spaces("Aldeia Coworking")[0]
    assert aldeia.latitude == pytest.approx(-(25 + 26 / 60 + 11.79 / 3600))
    assert aldeia.longitude == pytest.approx(-(49 + 16 / 60 + 49.66 / 3600))
    assert (aldeia.country_code, aldeia.status, aldeia.geocode_source) == ("BR", SpaceStatus.APPROVED, "import")


def test_spaces_around_the_at_are_repaired_and_reported(imported):
    assert _spaces("Coworking Stuttgart")[0].email == "coworking.stuttgart@gmail.example"
    assert ("line 11: value repaired: Email Address: spaces around the @ taken out: "
            "'coworking.stuttgart @ gmail.example' is read as 'coworking.stuttgart@gmail.example'") in imported


def test_social_and_web_links_are_kept_in_the_listing_and_its_revisions(imported, client):
    colfax = next(s for s in _spaces("The Creative Farm") if s.address_line1 == "1660 E Colfax Ave")
    assert colfax.links == {"facebook": "https://facebook.com/creativefarm.example",
                            "twitter": "https://twitter.com/creativefarm",
                            "yelp": "http://www.yelp.com/biz/the-creative-farm-denver",
                            "logo": "http://creativefarm.example/logo.png"}
    assert _spaces("Sunshine Suites TriBeCa")[0].links == {"twitter": "https://twitter.com/sunshinesuites",
                                                           "google_places": "https://maps.google.com/?cid=4711"}
    created = db.session.scalars(sa.select(Revision).where(Revision.space_id == colfax.id)).one()
    assert created.changes["links"] == [None, colfax.links]
    assert "columns not read: Submitted\n" in imported
    page = client.get(f"/spaces/{colfax.slug}").get_data(as_text=True)
    for url in colfax.links.values():
        assert f'href="{url}" rel="nofollow noopener"' in page


def test_a_changed_link_is_a_revision_of_its_own(runner, imported, tmp_path):
    sheet = tmp_path / "moved.csv"
    sheet.write_text(SHEET.read_text(encoding="utf-8").replace("@thincsavannah,facebook.com/thincsavannah.example",
                                                               "@thincsav,facebook.com/thincsavannah.example"),
                     encoding="utf-8")
    result = _import(runner, sheet)
    assert "0 created, 1 updated, 9 unchanged" in result, result
    barnard = next(s for s in _spaces("ThincSavannah") if s.address_line1 == "35 Barnard St")
    latest = db.session.scalars(sa.select(Revision).where(Revision.space_id == barnard.id)
                                .order_by(Revision.id.desc())).first()
    assert latest.source == "import" and set(latest.changes) == {"links"}
    assert latest.changes["links"][1]["twitter"] == "https://twitter.com/thincsav"
    (change,) = changes_of(latest)  # the admin's feed names it and its links
    assert change.label == "Links" and change.after.endswith(", Twitter: https://twitter.com/thincsav")
    revert(latest, None)  # and it reverts like any change
    db.session.commit()
    assert barnard.links["twitter"] == "https://twitter.com/thincsavannah"


def test_a_wrong_point_never_overwrites_a_listings_own_point(runner, imported):
    northrup = next(s for s in _spaces("Tenpod") if s.address_line1 == "1233 NW Northrup St")
    northrup.latitude, northrup.longitude, northrup.geocode_source = 45.5319, -122.6853, "web"  # its host's pin
    db.session.commit()
    report = _import(runner)
    assert ("line 5: value left out: the listing keeps its point instead of the given one: The coordinates look "
            "multiplied by 10^6") in report
    db.session.expire_all()
    assert (northrup.latitude, northrup.longitude) == (45.5319, -122.6853)
    assert "0 created, 0 updated, 10 unchanged" in report


def test_a_listing_keyed_by_its_website_alone_is_taken_by_its_own_branch_only(runner, make_space):
    """Imports before 2026-11-24 keyed a space by its website alone: the branch on its street takes it."""
    highlands = make_space("The Creative Farm", lat=39.7620, lon=-105.0327, country="US", city="Denver",
                           website="https://creativefarm.example", address_line1="3457 W 32nd Ave",
                           email="highlands@creativefarm.example", import_key="web:creativefarm.example")
    assert "9 created, 1 updated" in _import(runner)  # the Colfax row comes first, and is a new space
    db.session.expire_all()
    farms = {s.address_line1: s for s in _spaces("The Creative Farm")}
    assert farms["3457 W 32nd Ave"].id == highlands.id
    assert farms["3457 W 32nd Ave"].email == "highlands@creativefarm.example"
    assert farms["1660 E Colfax Ave"].email == "colfax@creativefarm.example"
