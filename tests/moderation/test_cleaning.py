"""Import cells go through the same website rule as the listing forms."""

from __future__ import annotations

import pytest

from visa.moderation.cleaning import CleaningError, website


@pytest.mark.parametrize("cell", ["https://javascript:alert(1).x", "javascript:alert(1)", "htp:/capitol hill",
                                  "http://192", "ftp://example.org"])
def test_an_imported_website_that_names_no_real_host_is_refused(cell):
    with pytest.raises(CleaningError):
        website(cell)


@pytest.mark.parametrize("cell,stored", [("example.org", "https://example.org"), ("", ""),
                                         ("http://www.impacthub.net/berlin", "http://www.impacthub.net/berlin")])
def test_an_imported_website_is_normalised_as_the_forms_do(cell, stored):
    assert website(cell) == stored
