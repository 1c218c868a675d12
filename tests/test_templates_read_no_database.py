"""Templates render what the view passed them: no page reads the database while its template renders
(a lazy load or a helper that queries would make a page's cost depend on its template)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import before_render_template, template_rendered

from visa.extensions import db
from visa.reciprocity.home import HOME_KEY


@pytest.fixture
def queries_while_rendering(app, monkeypatch):
    """The SQL statements run while a template renders, its context processors included."""
    rendering, seen = [], []
    update_context = app.update_template_context

    def context_processors(context):
        rendering.append("context processors")
        try:
            update_context(context)
        finally:
            rendering.pop()

    monkeypatch.setattr(app, "update_template_context", context_processors)

    def started(sender, template, context, **extra):
        rendering.append(template.name)

    def finished(sender, template, context, **extra):
        rendering.pop()

    def executed(conn, cursor, statement, parameters, context, executemany):
        if rendering:
            seen.append((rendering[-1], statement.split("\n")[0][:120]))

    before_render_template.connect(started, app)
    template_rendered.connect(finished, app)
    sa.event.listen(db.engine, "before_cursor_execute", executed)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", executed)
    before_render_template.disconnect(started, app)
    template_rendered.disconnect(finished, app)


def test_public_pages_read_nothing_while_rendering(client, make_space, queries_while_rendering):
    space = make_space("Northlight Yard", lat=38.7101, lon=-9.1367)
    for path in ("/", "/?q=Lisbon", f"/spaces/{space.slug}", f"/spaces/{space.slug}/record", "/impact", "/about"):
        assert client.get(path).status_code == 200, path
    assert queries_while_rendering == []


def test_the_header_home_space_is_read_before_the_page_renders(client, make_space, queries_while_rendering):
    home = make_space("Casa Azul", lat=41.15, lon=-8.61)
    space = make_space("Northlight Yard", lat=38.7101, lon=-9.1367)
    with client.session_transaction() as session:
        session[HOME_KEY] = home.slug
    # Pages whose view does not read the home space, first (a test shares g between requests), then pages whose
    # view does (the search, a space's verdict).
    for path in ("/about", "/impact", "/", f"/spaces/{space.slug}"):
        page = client.get(path)
        assert page.status_code == 200 and 'id="current-home"' in page.get_data(as_text=True), path
    assert queries_while_rendering == []


def test_an_error_page_refused_before_the_home_was_read_reads_it_neither(client, make_space,
                                                                         queries_while_rendering):
    home = make_space("Casa Azul", lat=41.15, lon=-8.61)
    with client.session_transaction() as session:
        session[HOME_KEY] = home.slug
    assert client.get("/about?q=%00").status_code == 400  # a control character: refused by the first hook
    assert queries_while_rendering == []
