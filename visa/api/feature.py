"""How api plugs into the app: the /api/v1 blueprint, read-only JSON, and what a JSON read does without.

Every /api/v1 route is a read that answers JSON. The app's page machinery runs
for it all the same unless told otherwise, and cost it more than Flask itself:
so a JSON read

- opens no session and reads no session cookie (``visa.wire.session``), so it
  never sets one, nor refreshes Flask-Login's remember cookie;
- needs no CSRF token (the blueprint is exempt) and no CSP nonce;
- gets fixed security headers (as OWASP's REST cheat sheet lists them) instead
  of a page's policy built per response: the CSP forbids everything, so an
  answer opened as a page loads nothing and cannot be framed;
- negotiates its language from ``lang=`` and Accept-Language only
  (``visa.i18n.select_locale``), so its answers never vary on Cookie;
- is not counted by the rate limiter, except the geocoder's (``visa.rate_limits``);
- on the geocoder, is refused before Flask reads it when the worker's lookup slots are all taken
  (``visa.api.geocode_door``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Flask, Response, request
from flask_limiter import Limiter

from visa.extensions import limiter

#: The API's reads that no rate limit applies to (the map asks for them on every pan and zoom): the
#: limiter is not asked, instead of working out on every request that it has nothing to count.
#: The geocoder's endpoint has its limit (visa.rate_limits) and is not one of them.
UNLIMITED_ENDPOINTS = frozenset({"api.spaces", "api.space", "api.reciprocity", "api.openapi"})

#: The security headers of every JSON answer (Strict-Transport-Security is added as on pages).
API_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


def init_app(app: Flask) -> None:
    from visa.api.views import bp
    from visa.extensions import csrf, login_manager, talisman

    app.register_blueprint(bp)
    csrf.exempt(bp)  # read-only JSON; writes through the API are not offered

    headers = {**API_HEADERS, "Referrer-Policy": talisman.referrer_policy}

    def security_headers(response: Response) -> Response:
        response.headers.extend(headers)  # a JSON answer is made here, with none of them yet
        if talisman.strict_transport_security:
            talisman._set_hsts_headers(response.headers)  # Talisman's own rule: only over HTTPS, when forced
        return response

    app.after_request_funcs.setdefault(bp.name, []).append(security_headers)  # this app's, for bp's routes

    # Page work a JSON read skips: the nonce and the page's policy (Talisman), the remember cookie (Flask-Login),
    # the account's language (the API reads no cookie) and the mail queue (it sends none); and the limiter,
    # which has nothing to count for the unlimited reads.
    from visa import i18n, mailer

    page_hooks = {talisman._make_nonce, talisman._set_response_headers, login_manager._update_remember_cookie,
                  i18n.save_account_choice, mailer.close_queue}
    _skip(app, page_hooks, lambda: request.blueprint == bp.name)
    _skip(app, _limiter_hooks(app), lambda: request.endpoint in UNLIMITED_ENDPOINTS)

    from visa.api import geocode_door

    geocode_door.init_app(app)  # a lookup with no slot free is refused before any of the above


def _limiter_hooks(app: Flask) -> set[Callable]:
    """Flask-Limiter's hooks: its check, the headers it adds after, and the release of what it kept."""
    inject_headers = Limiter._Limiter__inject_headers  # registered as a partial bound to the limiter
    added = [hook for hook in app.after_request_funcs.get(None, [])
             if isinstance(hook, functools.partial) and hook.func is inject_headers]
    return {limiter._check_request_limit, limiter._Limiter__release_context, *added}


def _skip(app: Flask, hooks: set[Callable], when: Callable[[], bool]) -> None:
    """The app-wide before-request, after-request and teardown *hooks* run for every request but those *when*
    says. Skipped hooks next to each other in a list run as one, so *when* is asked once for them; every hook
    keeps its place."""
    for registry, run in ((app.before_request_funcs, _run_before), (app.after_request_funcs, _run_after),
                          (app.teardown_request_funcs, _run_teardown)):
        kept: list[Callable] = []
        neighbours: list[Callable] | None = None  # the skipped hooks of the group being made
        for hook in registry.get(None, []):
            if hook not in hooks:
                kept.append(hook)
                neighbours = None
            elif neighbours is not None:
                neighbours.append(hook)
            else:
                neighbours = [hook]
                kept.append(_unless(run, neighbours, when))
        registry[None] = kept


def _unless(run: Callable, hooks: list[Callable], when: Callable[[], bool]) -> Callable:
    def hooks_unless(*args):
        if when():
            return args[0] if args and run is _run_after else None  # an after-request hook hands the response on
        return run(hooks, *args)

    return hooks_unless


def _run_before(hooks: list[Callable]):
    for hook in hooks:
        answer = hook()
        if answer is not None:  # a hook that answers ends the request, as Flask's own loop does
            return answer
    return None


def _run_after(hooks: list[Callable], response: Response) -> Response:
    for hook in reversed(hooks):  # Flask calls after-request and teardown functions last registered first
        response = hook(response)
    return response


def _run_teardown(hooks: list[Callable], error: BaseException | None) -> None:
    for hook in reversed(hooks):
        hook(error)
