"""A space page's parts that every reader of a language sees alike: kept, and renewed by any edit."""

from __future__ import annotations

import pytest

from visa.directory import services
from visa.extensions import db
from visa.finder import space_parts

PAGE = "/spaces/baixa-desk-lisbon"


@pytest.fixture
def baixa(make_space):
    return make_space("Baixa Desk", lat=38.7101, lon=-9.1367, terms={"advance_notice_hours": 48},
                      description="Quiet desks near the river.")


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """The space ids whose terms table was worded, once per render of the parts."""
    worded: list[int] = []
    real = space_parts.term_rows

    def counted(terms):
        worded.append(terms.space_id)
        return real(terms)

    monkeypatch.setattr(space_parts, "term_rows", counted)
    return worded


def test_a_second_reader_gets_the_parts_rendered_for_the_first(client, baixa, renders):
    first = client.get(PAGE).get_data(as_text=True)
    second = client.get(PAGE).get_data(as_text=True)
    assert renders == [baixa.id]
    assert "email 48 h ahead" in second and "Quiet desks near the river." in second
    assert _between(first, '<dl class="facts">', '<section class="record"') == \
        _between(second, '<dl class="facts">', '<section class="record"')


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end)]


def test_an_edit_of_the_terms_or_the_listing_shows_on_the_next_view(client, baixa, renders):
    assert "email 48 h ahead" in client.get(PAGE).get_data(as_text=True)

    services.update_terms(baixa, {"advance_notice_hours": 72}, None, baixa.lock_version)
    db.session.commit()
    html = client.get(PAGE).get_data(as_text=True)
    assert "email 72 h ahead" in html and "48 h ahead" not in html

    services.update_space(baixa, {"description": "Now with a roof terrace."}, None, baixa.lock_version)
    db.session.commit()
    html = client.get(PAGE).get_data(as_text=True)
    assert "Now with a roof terrace." in html and "Quiet desks" not in html
    assert renders == [baixa.id] * 3


def test_each_language_gets_its_own_parts(client, baixa):
    assert "Visa terms" in client.get(PAGE).get_data(as_text=True)
    german = client.get(PAGE + "?lang=de").get_data(as_text=True)
    assert "Visa-Bedingungen" in german and "Visa terms" not in german
    assert "Visa terms" in client.get(PAGE + "?lang=en").get_data(as_text=True)


def test_a_hosts_preview_is_rendered_every_time(app, baixa, renders):
    with app.test_request_context(PAGE):
        from visa.directory.spatial_index import get_index

        index = get_index(db.session)
        space_parts.space_parts(baixa, index, preview=True)
        space_parts.space_parts(baixa, index, preview=True)
    assert renders == [baixa.id] * 2
