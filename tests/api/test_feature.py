"""What a JSON read skips of the app-wide hooks, and that the hooks it does not skip keep their order."""

from __future__ import annotations

from flask import Flask, request

from visa.api.feature import _skip


def _app_calling(calls: list[str]) -> Flask:
    app = Flask(__name__)

    def hook(name: str, answer=None):
        def before():
            calls.append(name)
            return answer

        def after(response):
            calls.append(name)
            return response

        def teardown(_error):
            calls.append(name)

        return before, after, teardown

    names = ["a", "page1", "b", "page2", "c"]
    hooks = {name: hook(name) for name in names}
    for name in names:
        before, after, teardown = hooks[name]
        app.before_request(before)
        app.after_request(after)
        app.teardown_request(teardown)

    @app.get("/api/x")
    @app.get("/page")
    def view():
        calls.append("view")
        return "ok"

    skipped = {f for name in ("page1", "page2") for f in hooks[name]}
    _skip(app, skipped, lambda: request.path.startswith("/api/"))
    return app


def test_a_json_read_skips_the_page_hooks_and_keeps_the_others_in_order():
    calls: list[str] = []
    _app_calling(calls).test_client().get("/api/x")
    # Flask calls after-request and teardown functions last registered first.
    assert calls == ["a", "b", "c", "view", "c", "b", "a", "c", "b", "a"]


def test_a_page_runs_every_hook_the_skipped_ones_where_the_first_of_them_was():
    calls: list[str] = []
    _app_calling(calls).test_client().get("/page")
    assert calls == ["a", "page1", "page2", "b", "c", "view", "c", "b", "page2", "page1", "a",
                     "c", "b", "page2", "page1", "a"]


def test_a_skipped_before_hook_that_answers_ends_the_request():
    app = Flask(__name__)
    calls: list[str] = []

    def refuse():
        calls.append("refuse")
        return "refused", 403

    def later():
        calls.append("later")

    app.before_request(refuse)
    app.before_request(later)

    @app.get("/page")
    def view():
        calls.append("view")
        return "ok"

    _skip(app, {refuse, later}, lambda: False)
    answer = app.test_client().get("/page")
    assert (answer.status_code, calls) == (403, ["refuse"])
