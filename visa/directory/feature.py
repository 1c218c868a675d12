"""How directory plugs into the app: its models, its CLI command and the words of the maps' markers."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.directory import cli, models, presenters, revisions  # noqa: F401  (models: Alembic and create_all see the tables)

    # The maps' markers and legend (templates/directory/_markers.html): one wording on every page.
    app.add_template_global(presenters.MARKER_STATES, "marker_states")
    app.add_template_global(presenters.stale_words)
    app.add_template_filter(presenters.marker_state)
    app.add_template_filter(presenters.marker_words)
