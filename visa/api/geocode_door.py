"""The geocoder's door: a lookup on /api/v1/geocode is refused before Flask reads it when every lookup slot of
this worker is taken (visa.geocoding.service.geocode).

Refused inside Flask, a lookup cost as much CPU as a map search (about 1 ms: the request's context, the rate
limiter's two buckets, the view, the error page and every after-request hook), and a flood of them stood in
gunicorn's queue ahead of the map's searches: measured under a flood of random text from many addresses, 97% of
the lookups were refused, and they took most of the workers' time. Here a refusal is a comparison, a peek at
the slots and an answer made once per language and scheme, then replayed.

The answer is Flask's own (:func:`visa.pages.render_busy` and the after-request hooks: JSON naming the reason,
``Retry-After``, the API's headers), made the first time through a request context for that request. A refused
lookup is not counted by the rate limiter: it cost nothing. Pages that geocode (the search page, the trip
planner) still refuse inside Flask, where their page with its form is made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask
from flask_babel import refresh
from werkzeug.wrappers import Request

from visa.geocoding.results import GeocoderBusy
from visa.geocoding.service import all_slots_taken
from visa.i18n import cookieless_locale

ENDPOINT = "api.geocode_place"
#: app.extensions key: the refusals made so far, by (language, whether over HTTPS): status, headers, body.
ANSWERS = "visa.geocode_door_answers"


class GeocodeDoor:
    """WSGI middleware in front of *app*'s ``wsgi_app`` (installed by visa.api.feature)."""

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app, self.app = wsgi_app, app
        self.path = next(rule.rule for rule in app.url_map.iter_rules(ENDPOINT))
        app.extensions[ANSWERS] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if (environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") != "GET"
                or not all_slots_taken(self.app)):
            return self.wsgi_app(environ, start_response)
        request = Request(environ)
        locale = cookieless_locale(self.app, request.args.get("lang"), request.accept_languages)
        # Talisman's rule for Strict-Transport-Security, which the answer carries or not.
        secure = request.scheme == "https" or request.headers.get("X-Forwarded-Proto") == "https"
        answers = self.app.extensions[ANSWERS]
        key = (str(locale), secure)
        if key not in answers:
            answers[key] = self._refusal(environ)
        status, headers, body = answers[key]
        start_response(status, list(headers))
        return [body]

    def _refusal(self, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
        """Flask's answer to this request when its lookup finds no slot free, as the view would give it."""
        with self.app.request_context(environ):
            refresh()  # as visa.i18n's first hook: the language of a request served in a pushed app context
            response = self.app.finalize_request(self.app.handle_user_exception(GeocoderBusy()))
            return response.status, list(response.headers.items()), response.get_data()


def init_app(app: Flask) -> None:
    """After the API's blueprint is registered: the door answers before the rest of the app's WSGI stack."""
    app.wsgi_app = GeocodeDoor(app.wsgi_app, app)
