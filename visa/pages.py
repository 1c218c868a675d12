"""Static pages (about, data sources) and HTML error pages."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, render_template, request, send_from_directory, url_for
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError

from visa.web.errors import error_response

bp = Blueprint("pages", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # Every HTTP error (414 and 431 included, and 500s, which Flask hands over as
    # InternalServerError), so none reaches /api as Werkzeug's HTML page.
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(StaleDataError, render_stale)


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (JSON from the API).
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


def render_error(err: Exception):
    """Every HTTP error: JSON ``{"error": {...}}`` under /api, the HTML error page elsewhere.

    Headers the error carries (``Allow`` on a 405, ``Retry-After`` on a 429) are kept.
    """
    if not isinstance(err, HTTPException):
        _roll_back()  # the page itself reads the database (the signed-in user): not from a failed transaction
        err = InternalServerError()
    headers = [(name, value) for name, value in err.get_headers() if name.lower() != "content-type"]
    if request.path.startswith("/api/"):
        code = getattr(err, "error_code", None) or (err.name or "error").lower().replace(" ", "_")
        response = error_response(err.code or 500, code, err.description or "", getattr(err, "field", None))
        response.headers.extend(headers)
        return response
    if err.code == 401:
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    if err.code == 413:
        err.description = "The upload is too large: at most 10 MB."
    return render_template("pages/error.html", error=err), err.code, headers


def _roll_back() -> None:
    from visa.extensions import db

    db.session.rollback()


def render_stale(_err: Exception):
    """Two saves of one row raced and this one lost, in a place with no conflict page of its own: a 409."""
    _roll_back()
    return render_error(Conflict(description="Someone else saved this at the same time. Reload the page and "
                                             "try again."))
