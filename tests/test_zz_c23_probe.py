from tests.test_rate_limit_setup import _apps, _closed_port, _dispose
exec(open("/tmp/c23_routes_fn.py").read())


def test_probe(app_config, make_user, make_space):
    make_user()
    slug = make_space("Lisbon Hub").slug
    config = {**app_config, "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_port()}"}
    [app] = _apps(config, 1)
    client = app.test_client()
    codes = {}
    for name in ["sign-in", "sign-up", "reset", "report", "ask-pass", "geocoder", "search with a place", "trip planner"]:
        try:
            codes[name] = _every_limited_route.__code__ and None
        except Exception as e:
            codes[name] = repr(e)
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    print(_every_limited_route(client, slug))
    _dispose([app])
