"""Pages of passes and visit requests."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("passes", __name__)
