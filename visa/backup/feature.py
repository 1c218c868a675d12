"""How backup plugs into the app: ``visa backup`` and ``visa restore``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from visa.backup import cli  # noqa: F401  (its commands join the visa group)
