"""Visa passes and visit requests.

A host issues a member a signed pass (``models``, ``signing``, ``services``);
the member shows it at the door (``verify``, the door check page) and asks a
host for days (``visits``: visit requests, capacity and free-days limits,
check-in). Visit requests live in this package rather than a ``visits``
package of their own because a request is always made with a pass and a
check-in is a pass scan: the two share their models and their pages.
"""

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
