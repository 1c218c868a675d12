"""A clean list of 2,000 real GeoNames towns imports with no false alarm; every spoiled row is caught (bench/)."""

from __future__ import annotations

from bench.clean_list import SPOILS, judge, write_clean_list
from visa.extensions import db
from visa.moderation.importer import import_file


def test_clean_towns_pass_and_spoiled_rows_are_caught(app, tmp_path):
    listed = write_clean_list(tmp_path / "clean.csv", rows=2000, spoiled=len(SPOILS) * 5)
    assert set(listed.spoiled_lines.values()) == set(SPOILS)
    with listed.path.open("rb") as stream:
        report = import_file(stream, listed.path.name)
    db.session.commit()
    figures = judge(listed, report)
    assert figures["clean_examples"] == []
    assert (figures["clean_flagged"], figures["clean_rejected"], figures["clean_skipped"]) == (0, 0, 0)
    assert figures["spoiled_missed"] == {}
    assert figures["spoiled_caught"] == len(SPOILS) * 5
    assert figures["created"] + figures["rejected"] == 2000 + len(SPOILS) * 5
