"""``flask --app wsgi visa ...``: the one command group that every feature package adds its commands to.

Each package's ``cli`` module decorates its commands with ``@visa_cli.command(...)``;
its ``feature.init_app`` imports that module, and the factory adds the group once.
"""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

visa_cli = AppGroup("visa", help="Coworking Visa Directory commands.")


def init_app(app: Flask) -> None:
    app.cli.add_command(visa_cli)
