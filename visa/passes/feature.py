"""How passes (and visit requests) plug into the app: settings, models, blueprint, CLI commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the models, the blueprint and the CLI commands of passes and visits.

    ``VISA_PASS_KEYS_DIR`` and ``VISA_PASS_REQUEST_LIMIT`` are read in visa/config.py.
    """
    from visa.passes import models as _models  # noqa: F401 - Alembic and create_all see the tables
    from visa.passes.cli import register_commands
    from visa.passes.views import bp, dashboard_box

    app.register_blueprint(bp)
    # The hosts' dashboard (a lower layer) asks each feature above it for its panel.
    from visa.hosts.views import DASHBOARD_PANELS

    app.extensions.setdefault(DASHBOARD_PANELS, {})["passes"] = dashboard_box
    register_commands(app)
