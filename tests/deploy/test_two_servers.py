"""The written deployment, run: nginx (deploy/nginx/visa.conf) in front of two gunicorn app servers started with
deploy/systemd/visa.service's command line and deploy/visa.env's settings, sharing one PostgreSQL database and one
Redis, as one site.

Each file is used as written, with only the machine's paths, ports and secrets put in (each substitution checks that
the text it replaces is still there). TLS is real: a certificate made for the test, trusted by the client. The
database (``visa_deploy_test``) is created and dropped here, on the PostgreSQL server of the suite's PostgreSQL pass;
the rate-limit counters use a Redis database number of their own. Needs Debian's nginx, PostgreSQL and Redis:
without one of them the test is skipped with the reason, and fails under CI.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import ipaddress
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
import requests
import sqlalchemy as sa

from bench.wire import page_assets
from geodata import CHECKOUT_DIR
from tests.deploy.servers import free_port, wait_healthy
from visa.config import DEFAULTS

pytestmark = pytest.mark.deployment

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = Path("/usr/sbin/nginx")
BIN = Path(sys.executable).parent
SITE_PACKAGES = Path(requests.__file__).resolve().parents[1]
PG_SERVER = os.environ.get("VISA_TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "visa_deploy_test"
#: Database 13 of the local Redis, flushed before and after: the rate-limit setup's test uses 15, others 0.
REDIS_URL = "redis://127.0.0.1:6379/13"
ADMIN = ("deploy-admin@example.org", "correct horse battery")
#: The login form's limit per client and minute (10).
LOGIN_LIMIT = int(DEFAULTS["VISA_LOGIN_LIMIT"].removesuffix(" per minute"))
#: The kill test: client threads, and seconds of requests before and after the kill.
CLIENTS, BEFORE_KILL, AFTER_KILL = 4, 2.0, 4.0


def _require(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"{why} (CI requires the deployment test)")
        pytest.skip(why)


def _pg_url(database: str, driver: str = "") -> str:
    url = sa.engine.make_url(PG_SERVER.replace("postgresql+psycopg://", "postgresql://"))
    url = url.set(drivername="postgresql" + driver, database=database)
    return url.render_as_string(hide_password=False)


def _pg_answers() -> bool:
    try:
        psycopg.connect(_pg_url("postgres"), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _admin_sql(*statements: str) -> None:
    with psycopg.connect(_pg_url("postgres"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _replace(text: str, old: str, new: str) -> str:
    """*text* with *old* replaced; fails when the deployment file no longer says *old*."""
    assert old in text, f"the deployment file no longer contains {old!r}: update the test with it"
    return text.replace(old, new)


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, and its key; the client trusts the certificate itself."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _environment_file(tmp: Path) -> dict[str, str]:
    """deploy/visa.env read by sh, as deploy/visa-cli reads it, with this machine's database, Redis and folders."""
    template = DEPLOY / "visa.env"
    done = subprocess.run(["sh", "-c", f"set -a; . {shlex.quote(str(template))}; exec env -0"], env={},
                          capture_output=True, check=True)
    settings = dict(item.split("=", 1) for item in done.stdout.decode().split("\0") if "=" in item)
    ours = {"DATABASE_URL": _pg_url(DB_NAME), "SECRET_KEY": secrets.token_urlsafe(32),
            "RATELIMIT_STORAGE_URI": REDIS_URL, "VISA_GEODATA_DIR": str(CHECKOUT_DIR),
            "VISA_PASS_KEYS_DIR": str(tmp / "pass_keys"), "MAIL_SERVER": "",
            "VISA_BASE_URL": "https://localhost"}
    for key in ours:
        assert key in settings, f"deploy/visa.env no longer sets {key}"
    assert settings["VISA_PROXY_COUNT"] == "1"  # the one nginx in front
    return {**settings, **ours, "VISA_MAIL_DIR": str(tmp / "mail"), "VISA_TILE_URL": "none",
            "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp))}


def _unit_command(port: int, tmp: Path, name: str) -> list[str]:
    """The unit's ExecStart with this checkout's gunicorn and settings file, a port and one worker."""
    unit = (DEPLOY / "systemd" / "visa.service").read_text()
    (line,) = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    words = shlex.split(line.removeprefix("ExecStart="))
    values = {"--config": str(ROOT / "gunicorn.conf.py"), "--bind": f"127.0.0.1:{port}", "--workers": "1",
              "--control-socket": str(tmp / f"{name}.ctl"), "--access-logfile": str(tmp / f"{name}-access.log")}
    assert words[0] == "/srv/visa/venv/bin/gunicorn" and words[-1] == "visa.app:create_app()"
    words[0] = str(BIN / "gunicorn")
    for option, value in values.items():
        words[words.index(option) + 1] = value
    return words


def _nginx_site(tmp: Path, app_ports: list[int], port: int, cert: Path, key: Path) -> str:
    site = (DEPLOY / "nginx" / "visa.conf").read_text()
    site = _replace(site, "    server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;\n",
                    "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n" for p in app_ports))
    site = _replace(site, "    listen 80;\n    listen [::]:80;\n", f"    listen 127.0.0.1:{free_port()};\n")
    site = _replace(site, "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n",
                    f"    listen 127.0.0.1:{port} ssl http2;\n")
    site = _replace(site, "/etc/letsencrypt/live/visa.example.org/fullchain.pem", str(cert))
    site = _replace(site, "/etc/letsencrypt/live/visa.example.org/privkey.pem", str(key))
    site = _replace(site, "/srv/visa/venv/lib/python3.11/site-packages/visa/", f"{ROOT / 'visa'}/")
    site = _replace(site, "/srv/visa/venv/lib/python3.11/site-packages/xstatic/", f"{SITE_PACKAGES / 'xstatic'}/")
    return _replace(site, "/var/lib/visa/geodata/", f"{CHECKOUT_DIR}/")


def _nginx_conf(tmp: Path, site: Path) -> str:
    """The main configuration Debian's nginx.conf would be, in *tmp*: its own pid file, logs and temp folders."""
    temp = "\n".join(f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # The test's folders are private to root; a worker running as nobody could not buffer into them.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'nginx-error.log'};\n"
            f"events {{ worker_connections 256; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    access_log {tmp / 'nginx-access.log'};\n{temp}\n    include {site};\n}}\n")


@dataclass
class Deployment:
    base: str  # https://127.0.0.1:PORT, through nginx (one host for the cookies of both ways in)
    apps: dict[str, str]  # name -> http://127.0.0.1:PORT, straight to the app server
    processes: dict[str, subprocess.Popen]
    tmp: Path
    cert: Path

    def client(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE or a proxy of the machine must not replace these
        session.verify = str(self.cert)
        return session

    def direct(self, name: str, session: requests.Session, method: str, path: str, **kwargs) -> requests.Response:
        """A request straight to app server *name*, as nginx passes it on (HTTPS seen by nginx).

        The session cookie is Secure, so the client would keep it from plain HTTP: it is sent by hand, as nginx does.
        """
        host = self.apps[name].removeprefix("http://")
        # A form posted over HTTPS must come from a page of the site (Flask-WTF checks the Referer).
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{host}/", **kwargs.pop("headers", {})}
        if session.cookies:
            headers["Cookie"] = "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)
        return session.request(method, self.apps[name] + path, headers=headers, allow_redirects=False, timeout=30,
                                **kwargs)

    def access_log(self, name: str) -> str:
        return (self.tmp / f"{name}-access.log").read_text()


def _seed(database_url: str) -> None:
    """Schema by the migrations, an admin, and two Lisbon listings: one approved, one waiting for review."""
    from flask_migrate import upgrade

    from visa.accounts.models import Role
    from visa.accounts.services import create_user
    from visa.app import create_app
    from visa.directory.models import RequestMethod, SpaceStatus
    from visa.directory.services import create_space
    from visa.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "seed", "RATELIMIT_STORAGE_URI": "memory://",
                      "VISA_GEODATA_DIR": str(CHECKOUT_DIR)})
    with app.app_context():
        upgrade()
        create_user(*ADMIN, role=Role.ADMIN, is_confirmed=True)
        for name, status in (("Deploy Listed", SpaceStatus.APPROVED), ("Deploy Pending", SpaceStatus.PENDING)):
            create_space({"name": name, "latitude": 38.7223, "longitude": -9.1393, "country_code": "PT", "city": "Lisbon",
                          "status": status},
                         {"request_method": RequestMethod.EMAIL, "is_participating": True, "free_days_per_visit": 3})
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    _require(NGINX.exists(), f"Debian's nginx is not installed at {NGINX} (apt-get install nginx-light)")
    _require(_pg_answers(), f"PostgreSQL does not answer at {_pg_url('postgres')}")
    _require(_redis_answers(), f"Redis does not answer at {REDIS_URL}")
    tmp = tmp_path_factory.mktemp("deploy")
    _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)", f"CREATE DATABASE {DB_NAME}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    processes: dict[str, subprocess.Popen] = {}
    try:
        _seed(_pg_url(DB_NAME, "+psycopg"))
        environment = _environment_file(tmp)
        ports = {"a": free_port(), "b": free_port()}
        for name, port in ports.items():
            with (tmp / f"{name}.log").open("wb") as log:
                processes[name] = subprocess.Popen(_unit_command(port, tmp, name), cwd=tmp, env=environment,
                                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        cert, key = _self_signed(tmp)
        nginx_port = free_port()
        site = tmp / "visa.conf"
        site.write_text(_nginx_site(tmp, list(ports.values()), nginx_port, cert, key))
        conf = tmp / "nginx.conf"
        conf.write_text(_nginx_conf(tmp, site))
        nginx = [str(NGINX), "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log")]
        checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        processes["nginx"] = subprocess.Popen([*nginx, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL, start_new_session=True)
        apps = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        for name, url in apps.items():
            wait_healthy(url, processes[name], tmp / f"{name}.log")
        yield Deployment(f"https://127.0.0.1:{nginx_port}", apps, processes, tmp, cert)
    finally:
        for process in processes.values():
            _stop(process)
        _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(REDIS_URL).flushdb()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _login_form(d: Deployment, name: str, session: requests.Session) -> str:
    return _csrf(d.direct(name, session, "GET", "/login").text)


def _space_id(slug_name: str) -> tuple[int, str]:
    engine = sa.create_engine(_pg_url(DB_NAME, "+psycopg"))
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(sa.text("SELECT id, slug FROM space WHERE name = :n"), {"n": slug_name}).one())
    finally:
        engine.dispose()


def test_healthz_through_nginx_and_on_each_server(deployment):
    d = deployment
    answer = d.client().get(d.base + "/healthz", timeout=10)
    assert answer.status_code == 200
    for url in d.apps.values():
        checks = requests.get(url + "/healthz", timeout=10).json()["checks"]
        assert {name: check["ok"] for name, check in checks.items()} == {"database": True, "migrations": True,
                                                                         "redis": True}


def test_hashed_assets_come_from_disk_and_are_immutable(deployment):
    d = deployment
    client = d.client()
    home = client.get(d.base + "/", timeout=30)
    assert home.status_code == 200
    assets = [path for path in page_assets(home.text) if "?v=" in path]
    scripts = [path for path in assets if path.split("?")[0].endswith((".js", ".topojson"))]
    assert len(scripts) >= 4, assets  # Leaflet, markercluster, topojson-client, the site's script, the basemap
    for path in assets:
        answer = client.get(d.base + path, headers={"Accept-Encoding": "identity"}, timeout=30)
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        if path in scripts:  # from disk: the URL's hash is the file's
            assert hashlib.sha256(answer.content).hexdigest()[:16] == path.split("?v=")[1], path
    served_by_apps = d.access_log("a") + d.access_log("b")
    for path in scripts:
        assert path.split("?")[0] not in served_by_apps, f"{path} went through an app server"
    assert "site.css" in served_by_apps  # stylesheets go to the app, which hashes the images they name


def test_a_write_on_one_server_is_seen_at_once_on_the_other(deployment):
    d = deployment
    space_id, slug = _space_id("Deploy Pending")
    reader = d.client()
    # b's search index is built and warm before the write...
    assert d.direct("b", reader, "GET", "/api/v1/spaces?near=38.7223,-9.1393&radius_km=5").json()["features"]
    assert d.direct("b", reader, "GET", f"/api/v1/spaces/{slug}").status_code == 404
    admin = d.client()
    token = _login_form(d, "a", admin)
    signed_in = d.direct("a", admin, "POST", "/login", data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": token})
    assert signed_in.status_code == 302
    approved = d.direct("a", admin, "POST", f"/admin/spaces/{space_id}/approve", data={"csrf_token": token})
    assert approved.status_code == 302
    # ...and answers with the approval made on a at once.
    assert d.direct("b", reader, "GET", f"/api/v1/spaces/{slug}").status_code == 200
    found = d.direct("b", reader, "GET", "/api/v1/spaces?near=38.7223,-9.1393&radius_km=5").json()["features"]
    assert slug in {feature["properties"]["slug"] for feature in found}


def test_a_session_made_on_one_server_is_valid_on_the_other(deployment):
    d = deployment
    admin = d.client()
    token = _login_form(d, "b", admin)
    before = d.direct("a", admin, "GET", "/admin/")
    assert before.status_code == 302 and "/login" in before.headers["Location"]
    signed_in = d.direct("b", admin, "POST", "/login", data={"email": ADMIN[0], "password": ADMIN[1], "csrf_token": token})
    assert signed_in.status_code == 302
    assert d.direct("a", admin, "GET", "/admin/").status_code == 200
    through_nginx = admin.get(d.base + "/admin/", allow_redirects=False, timeout=30)
    assert through_nginx.status_code == 200  # the session cookie is Secure: sent over nginx's HTTPS


def test_rate_limits_are_counted_once_for_both_servers(deployment):
    d = deployment
    session = d.client()
    token = _login_form(d, "a", session)
    wrong = {"email": ADMIN[0], "password": "not the password", "csrf_token": token}
    client = {"X-Forwarded-For": "198.51.100.7"}  # as nginx passes on a client of that address
    codes = [d.direct("ab"[i % 2], session, "POST", "/login", data=wrong, headers=client).status_code
             for i in range(LOGIN_LIMIT + 2)]
    # Alternating servers: counted per process, each would allow the limit and none would refuse.
    assert codes == [400] * LOGIN_LIMIT + [429, 429]
    # Through nginx a client cannot borrow another's address: nginx appends the one it saw, the app takes that.
    spoofed = session.post(d.base + "/login", data=wrong, headers=client, allow_redirects=False, timeout=30)
    assert spoofed.status_code == 400


def test_killing_one_server_costs_at_most_its_requests_in_flight(deployment):
    d = deployment
    _, slug = _space_id("Deploy Listed")
    lock = threading.Lock()
    in_flight: set[int] = set()
    results: list[tuple[float, bool]] = []  # (started at, answered 200)
    kill: dict[str, float | int] = {}
    stop = time.monotonic() + BEFORE_KILL + AFTER_KILL

    def run(index: int) -> None:
        session = d.client()
        while time.monotonic() < stop:
            with lock:
                in_flight.add(index)
                started = time.monotonic()
            try:
                ok = session.get(f"{d.base}/api/v1/spaces/{slug}", timeout=10).status_code == 200
            except requests.RequestException:
                ok = False
            with lock:
                in_flight.discard(index)
                results.append((started, ok))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE_KILL)
    with lock:  # no request starts or ends while a is killed: the count in flight is exact
        os.killpg(d.processes["a"].pid, signal.SIGKILL)  # the master and its worker, mid-request
        kill.update(at=time.monotonic(), in_flight=len(in_flight))
    for thread in threads:
        thread.join()
    d.processes["a"].wait(5)
    lost = sum(1 for _, ok in results if not ok)
    started_after = [ok for started, ok in results if started > kill["at"]]
    print(f"\nnginx, two app servers, one killed (SIGKILL) under {CLIENTS} clients: {lost} of {len(results)} "
          f"requests lost ({kill['in_flight']} in flight at the kill, {len(started_after)} after it)")
    assert lost <= kill["in_flight"]
    assert started_after and all(started_after)  # nginx sent every later request to b
    assert d.client().get(d.base + "/healthz", timeout=10).status_code == 200


def test_healthz_names_migrations_that_are_behind(deployment):
    d = deployment
    engine = sa.create_engine(_pg_url(DB_NAME, "+psycopg"))
    try:
        with engine.begin() as conn:
            head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '5a2a55768705'"))
        try:
            answer = requests.get(d.apps["b"] + "/healthz", timeout=10)
            assert answer.status_code == 503
            assert answer.json()["down"] == ["migrations"]
        finally:
            with engine.begin() as conn:
                conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head})
        assert requests.get(d.apps["b"] + "/healthz", timeout=10).status_code == 200
    finally:
        engine.dispose()
