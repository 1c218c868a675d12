"""Static pages (about, data sources) and HTML error pages."""

from __future__ import annotations

import time

from flask import Blueprint, Flask, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, ServiceUnavailable

from visa.geocoding.results import GeocoderBusy
from visa.web.errors import error_response
from visa.web.forms import form_error_list

bp = Blueprint("pages", __name__)

#: Werkzeug names and explains HTTP errors in English; these are said in the reader's language instead.
ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Forbidden"), _l("You may not open this page.")),
    404: (_l("Not found"), _l("There is nothing at this address. Check the link, or start again from the map.")),
    405: (_l("Method not allowed"), _l("This address does not take that kind of request.")),
    409: (_l("Conflict"), _l("The request conflicts with the current state of the page.")),
    413: (_l("Too large"), _l("The upload is too large: at most 10 MB.")),
    414: (_l("Address too long"), _l("The address of the page is too long.")),
    # A 429's page says how many seconds to wait instead (render_error); this is the text without them.
    429: (_l("Too many requests"), _l("Too many requests in a short time: wait a minute and try again.")),
    431: (_l("Headers too large"), _l("The request's headers are too large.")),
    500: (_l("Internal server error"), _l("Something went wrong on our side. Try again in a moment.")),
    503: (_l("Busy"), _l("Too many requests at once: try again in a moment.")),
}


def _say_in_language(err: HTTPException) -> str:
    """The error's name in the reader's language; Werkzeug's default English description is replaced too."""
    texts = ERROR_TEXTS.get(err.code or 500)
    if texts is None:
        return err.name
    if err.description == type(err).description or err.code in (413, 429):
        err.description = str(texts[1])
    return str(texts[0])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(form_error_list)  # the error summary at the top of every page with a form (base.html)
    # Every HTTP error (414 and 431 included, and 500s, which Flask hands over as
    # InternalServerError), so none reaches /api as Werkzeug's HTML page.
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(StaleDataError, render_stale)
    app.register_error_handler(GeocoderBusy, render_busy)


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (JSON from the API).
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/about")
def about():
    return render_template("pages/about.html")


def render_error(err: Exception):
    """Every HTTP error: JSON ``{"error": {...}}`` under /api, the HTML error page elsewhere.

    Headers the error carries (``Allow`` on a 405, ``Retry-After`` on a 429) are kept. Whatever the request
    wrote is rolled back first: an error saves nothing, and the page itself reads the database (the signed-in
    user), never through a failed transaction (Flask hands an unhandled exception over as InternalServerError).
    """
    _roll_back()
    if not isinstance(err, HTTPException):
        err = InternalServerError()
    headers = [(name, value) for name, value in err.get_headers() if name.lower() != "content-type"]
    code = getattr(err, "error_code", None) or (err.name or "error").lower().replace(" ", "_")
    title = _say_in_language(err)  # after the API's code is taken from the English name: codes stay the same
    if err.code == 429:  # when to try again, in the header and in words
        retry = _retry_after(err)
        headers = [(name, value) for name, value in headers if name.lower() != "retry-after"]
        headers.append(("Retry-After", str(retry)))
        # Translators: %(num)d is a number of seconds.
        err.description = ngettext("Too many requests in a short time from this browser or address. "
                                   "Try again in %(num)d second.",
                                   "Too many requests in a short time from this browser or address. "
                                   "Try again in %(num)d seconds.", retry)
    if request.path.startswith("/api/"):
        response = error_response(err.code or 500, code, err.description or "", getattr(err, "field", None))
        response.headers.extend(headers)
        return response
    if err.code == 401:
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    return render_template("pages/error.html", error=err, title=title, search=_search_to_retry(err)), err.code, \
        headers


def _retry_after(err: HTTPException) -> int:
    """Seconds until the breached limit lets the client in again; its whole window when the counters are unreachable."""
    from visa.extensions import limiter

    current = limiter.current_limit
    try:
        if current is not None and current.breached:
            return max(1, int(current.reset_at - time.time()))  # reset_at is rounded up already
    except Exception:  # the storage went away in between: its window is a safe answer
        pass
    limit = getattr(err, "limit", None)
    return int(limit.limit.get_expiry()) if limit is not None else 60


def _search_to_retry(err: HTTPException) -> dict[str, str] | None:
    """A limited or refused search (429, or 503 when no lookup slot is free) keeps its query: the page offers the
    same search again (its parameters), else None."""
    if err.code not in (429, 503) or request.endpoint != "directory.search_page":
        return None
    return {k: v for k, v in request.args.items() if k != "q"}


def _roll_back() -> None:
    from visa.extensions import db

    db.session.rollback()


def render_busy(_err: Exception):
    """Every place-lookup slot of this worker is taken (visa.geocoding.service.geocode): a 503 at once."""
    _roll_back()
    busy = ServiceUnavailable(description=_("Too many place look-ups at once: try again in a moment."),
                              retry_after=1)
    busy.error_code = "geocoder_busy"
    return render_error(busy)


def render_stale(_err: Exception):
    """Two saves of one row raced and this one lost, in a place with no conflict page of its own: a 409."""
    _roll_back()  # before the text: choosing its language reads the signed-in user
    return render_error(Conflict(description=_("Someone else saved this at the same time. Reload the page and "
                                               "try again.")))
