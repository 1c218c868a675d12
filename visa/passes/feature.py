"""How passes (and visit requests) plug into the app: settings, models, blueprint, CLI commands."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the models, the blueprint and the CLI commands of passes and visits.

    ``VISA_PASS_KEYS_DIR`` (environment or config) is the folder of the signing keys;
    by default ``pass_keys`` in the instance folder, made on first use.
    """
    import os

    # Members asking a space for a pass, per client.
    app.config.setdefault("VISA_PASS_REQUEST_LIMIT", os.environ.get("VISA_PASS_REQUEST_LIMIT") or "5 per hour")
    app.config.setdefault("VISA_PASS_KEYS_DIR", os.environ.get("VISA_PASS_KEYS_DIR")
                          or os.path.join(app.instance_path, "pass_keys"))
    from visa.passes import models as _models  # noqa: F401 - Alembic and create_all see the tables
    from visa.passes.cli import register_commands
    from visa.passes.views import bp

    app.register_blueprint(bp)
    register_commands(app)
