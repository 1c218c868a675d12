"""Static pages (about, data sources) and HTML error pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from visa.api.errors import error_response

bp = Blueprint("pages", __name__)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


def render_error(err: Exception):
    if not isinstance(err, HTTPException):
        err = InternalServerError()
    if request.path.startswith("/api/"):
        return error_response(err.code or 500, (err.name or "error").lower().replace(" ", "_"), err.description or "")
    return render_template("pages/error.html", error=err), err.code
