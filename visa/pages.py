"""Static pages (about, data sources) and HTML error pages."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, send_from_directory, url_for
from werkzeug.exceptions import HTTPException, InternalServerError

from visa.api.errors import error_response

bp = Blueprint("pages", __name__)


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (JSON from the API).
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


def render_error(err: Exception):
    if not isinstance(err, HTTPException):
        err = InternalServerError()
    if request.path.startswith("/api/"):
        return error_response(err.code or 500, (err.name or "error").lower().replace(" ", "_"), err.description or "")
    if err.code == 401:
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    if err.code == 413:
        err.description = "The upload is too large: at most 10 MB."
    return render_template("pages/error.html", error=err), err.code
