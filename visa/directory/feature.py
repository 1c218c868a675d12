"""How directory plugs into the app: its models, its CLI command, and the words of the maps' markers and legend."""

from __future__ import annotations

from flask import Flask, current_app
from markupsafe import Markup

from visa.i18n import once_per_locale

_LEGENDS = "visa.directory.legends"


def init_app(app: Flask) -> None:
    from visa.directory import cli, models, presenters, revisions  # noqa: F401  (models: Alembic and create_all see the tables)

    # The maps' markers and legend (templates/directory/_markers.html): one wording on every page.
    app.add_template_global(presenters.MARKER_STATES, "marker_states")
    app.add_template_global(presenters.stale_words)
    app.add_template_filter(presenters.marker_state)
    app.add_template_filter(presenters.marker_words)
    app.add_template_global(rendered_legend)


def rendered_legend(element_id: str) -> Markup:
    """The maps' legend in the reader's language, rendered once per locale and process: its words never change."""
    def render() -> Markup:
        return Markup(current_app.jinja_env.get_template("directory/_markers.html").module.legend_markup(element_id))

    return once_per_locale(f"{_LEGENDS}.{element_id}", render)
