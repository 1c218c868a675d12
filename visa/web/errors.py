"""JSON errors: ``{"error": {"code", "message", "field"}}`` (the API, and JSON answers elsewhere)."""

from __future__ import annotations

from flask import jsonify


def error_response(status: int, code: str, message: str, field: str | None = None, **extra):
    body = {"error": {"code": code, "message": message, "field": field, **extra}}
    response = jsonify(body)
    response.status_code = status
    return response
