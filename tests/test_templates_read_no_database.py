"""Templates render what the view passed them: no page reads the database while its template renders
(a lazy load or a helper that queries would make a page's cost depend on its template)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import before_render_template, template_rendered

from visa.extensions import db


@pytest.fixture
def queries_while_rendering(app):
    """The SQL statements run while a template renders."""
    rendering, seen = [], []

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
