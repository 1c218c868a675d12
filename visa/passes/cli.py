"""``flask visa`` commands for passes."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    pass
