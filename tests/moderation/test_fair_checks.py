"""The import's coordinate and duplicate checks are fair to real places (tests/data/fair-checks.csv)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from visa.directory.models import Space, SpaceStatus
from visa.extensions import db

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def report(runner) -> str:
    result = runner.invoke(args=["visa", "import", str(DATA / "fair-checks.csv")])
    assert result.exit_code == 0, result.output
    return result.output


def _line(output: str, number: int) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"line {number}:")]


def _status(name: str) -> SpaceStatus | None:
    return db.session.scalar(sa.select(Space.status).where(Space.name == name))


def test_summary(report):
    assert ("22 rows: 20 created, 0 updated, 0 unchanged, 1 skipped as duplicates, 1 rejected, "
            "4 flagged for review (imported as pending), 1 possible duplicates kept.") in report


def test_same_named_towns_in_one_country(report):
    """Duluth GA is a Duluth of the United States; stated as Duluth, MN it is caught, naming the one in MN."""
    assert _line(report, 2) == [] and _status("Gwinnett Desk") == SpaceStatus.APPROVED
    assert _line(report, 3) == ["line 3: flagged: coordinates are 1,571 km from Duluth, Minnesota, United States"]
    assert _line(report, 4) == [] and _status("Peach Loft") == SpaceStatus.APPROVED
    assert _line(report, 5) == ["line 5: flagged: coordinates are 429 km from Springfield, Illinois, United States"]
    assert _line(report, 6) == [] and _line(report, 7) == []
    assert _status("Lake Superior Works") == _status("Capitol Desk") == SpaceStatus.PENDING


@pytest.mark.parametrize(("line", "name"), [(8, "Simferopol Hub"), (9, "Sevastopol Bay Desk"), (10, "Sahara Desk"),
                                            (11, "Atlantic Studio"), (12, "Prishtina Works"),
                                            (13, "Taipei Commons")])
def test_disputed_areas_under_each_claimant(report, line, name):
    assert _line(report, line) == []
    assert _status(name) == SpaceStatus.APPROVED


def test_a_claim_is_not_a_licence(report):
    assert _line(report, 23)[0].startswith("line 23: rejected: The point 27.1536, -13.2033 is in Morocco, not in Spain")


@pytest.mark.parametrize(("line", "name"), [(14, "Penghu Desk"), (15, "Kish Island Works")])
def test_small_island_towns_are_not_in_the_sea(report, line, name):
    assert _line(report, line) == []
    assert _status(name) == SpaceStatus.APPROVED


def test_two_branches_of_one_chain_in_one_street(report):
    assert _status("Impact Hub Berlin") == _status("Impact Hub Berlin Kreuzberg") == SpaceStatus.APPROVED
    assert _line(report, 17) == [
        "line 17: possible duplicate, kept: “Impact Hub Berlin Kreuzberg” is near “Impact Hub Berlin” "
        "(impact-hub-berlin) but has a different website and a different street address and “kreuzberg” in one "
        "name only"]


def test_a_shared_point_is_flagged_not_a_duplicate(report):
    assert _status("Graça Studio") == SpaceStatus.PENDING
    assert _line(report, 19) == ["line 19: flagged: same coordinates as “Alfama Desk”, a different space: a "
                                 "placeholder or a city centre? Set each space's own point"]


def test_the_same_space_twice_is_skipped(report):
    assert _line(report, 21) == ["line 21: duplicate: “Harbour Desk” is already listed as “Harbor Desk”"]
    assert _status("Harbour Desk") is None


def test_a_lost_sign_names_the_fix(report):
    # The space is kept, placed from its address, for a reviewer to check against the fix named.
    assert _line(report, 22) == ["line 22: flagged: placed from the address (Lisbon, Portugal) instead of the given "
                                 "point; check it: A sign looks lost; change the sign of the longitude: 38.7223, "
                                 "-9.1393 would be in Portugal."]
