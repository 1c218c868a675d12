"""The terms fields are declared once: every layer offers every field of the schema, and each may be not stated."""

from __future__ import annotations

from datetime import date

import pytest

from visa.directory import terms_schema
from visa.directory.models import VisaTerms
from visa.directory.presenters import term_rows, terms_dict
from visa.directory.revisions import snapshot_of_values
from visa.directory.terms_form import TermsForm
from visa.moderation.exporter import CSV_COLUMNS
from visa.moderation.rows import map_headers

FIELDS = terms_schema.TERMS


def _at(data: dict, path: tuple[str, ...]):
    for key in path:
        data = data[key]
    return data


@pytest.mark.parametrize("field", FIELDS, ids=[f.name for f in FIELDS])
def test_every_layer_has_the_field_and_it_may_be_not_stated(app, field):
    column = VisaTerms.__table__.c[field.name]
    assert column.nullable
    assert field.name in TermsForm.__dict__ or hasattr(TermsForm, field.name)
    assert field.export in CSV_COLUMNS
    assert f"terms.{field.name}" in snapshot_of_values({}, {})
    assert map_headers([field.import_words[0]]) == {field.import_words[0]: field.name}
    empty = VisaTerms(excluded_spaces=[])
    if field.api[0] != "season":  # the season is one object of two bounds, null when either is not stated
        assert _at(terms_dict(empty), field.api) is None
    with app.test_request_context():
        assert len(term_rows(empty)) == len(FIELDS)


@pytest.mark.parametrize(
    ("name", "cell", "value"),
    [
        ("is_participating", "Y", True), ("is_participating", "n", False), ("is_participating", "", None),
        ("free_days_per_visit", "3", 3), ("request_method", "E-mail", terms_schema.RequestMethod.EMAIL),
        ("weekdays", "Mon-Fri", 31), ("weekdays", "sat sun", 96), ("season_start", "09-01", date(2000, 9, 1)),
        ("blackout_dates", "2026-12-24 to 2027-01-02", [{"start": "2026-12-24", "end": "2027-01-02"}]),
        ("notes", "  Bring your card ", "Bring your card"),
    ],
)
def test_cells_read_and_write_back(name, cell, value):
    field = terms_schema.BY_NAME[name]
    assert field.parse(cell) == value
    if value is not None:
        assert field.parse(str(field.to_cell(value))) == value
        assert field.from_plain(field.to_plain(value)) == value


@pytest.mark.parametrize(("name", "cell"), [("free_days_per_visit", "32"), ("free_days_per_visit", "2.5"),
                                            ("weekdays", "someday"), ("season_end", "13-40"),
                                            ("blackout_dates", "christmas"), ("request_method", "pigeon")])
def test_unreadable_cells_say_what_was_expected(name, cell):
    with pytest.raises(terms_schema.CleaningError, match="expected"):
        terms_schema.BY_NAME[name].parse(cell)
