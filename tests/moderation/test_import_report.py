"""The import report: a summary, then each kind's lines in file order, then the columns not read."""

from __future__ import annotations

from visa.moderation.importer import ImportReport, Problem


def test_lines_are_grouped_by_kind_in_file_order():
    report = ImportReport(rows=9, created=3, rejected=[Problem(9, "no name"), Problem(2, "no city")],
                          flagged=[Problem(7, "far from its city"), Problem(3, "two namesakes")],
                          duplicates=[Problem(5, "already listed")], unmapped=["fax", "owner"])
    assert report.lines() == [
        report.summary(),
        "line 2: rejected: no city", "line 9: rejected: no name",
        "line 3: flagged: two namesakes", "line 7: flagged: far from its city",
        "line 5: duplicate: already listed",
        "columns not read: fax, owner",
    ]
    assert [kind for kind, _label, _problems in report.groups()] == ["rejected", "flagged", "duplicates"]
