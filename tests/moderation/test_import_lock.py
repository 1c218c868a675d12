"""One import at a time, and one listing per import key whatever happens.

Two admins who import at the same moment over real HTTP (Werkzeug's threaded
server on 127.0.0.1, so each import runs in its own request, app context and
database session) get one import and, for the other, a page that says who
started the running import and when: never a 500, never a listing twice.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.live import csrf, serving, signed_in
from visa.accounts.models import Role
from visa.directory.models import Space
from visa.extensions import db
from visa.moderation.import_lock import ImportRunning, import_lock
from visa.moderation.models import ImportLock
from visa.timeutil import utcnow

SHEET = Path(__file__).resolve().parent.parent / "data" / "coworking-visa-2012.csv"
ROWS = 600


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "RATELIMIT_ENABLED": False}


def _big_sheet(path: Path) -> Path:
    """ROWS spaces across Lisbon: long enough an import that two started together overlap."""
    lines = ["Name,City,Country,Latitude,Longitude,Website"]
    lines += [f"Desk {i},Lisbon,Portugal,{38.715 + (i % 30) * 0.003:.4f},{-9.19 + (i // 30) * 0.004:.4f},"
              f"desk{i}.example" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _keys() -> list[str]:
    return list(db.session.scalars(sa.select(Space.import_key)))


def test_two_admins_importing_at_once_get_one_import_and_a_clear_refusal(app, make_user, tmp_path):
    sheet = _big_sheet(tmp_path / "lisbon.csv").read_bytes()
    admins = ["ana@example.org", "bruno@example.org"]
    for email in admins:
        make_user(email, role=Role.ADMIN)
    answers: dict[str, tuple[int, str]] = {}
    with serving(app) as server:
        browsers = {email: signed_in(server, email) for email in admins}
        tokens = {email: csrf(b, f"{server}/admin/import") for email, b in browsers.items()}
        start = threading.Barrier(len(admins))

        def upload(email: str) -> None:
            start.wait()
            r = browsers[email].post(f"{server}/admin/import", data={"csrf_token": tokens[email]},
                                     files={"file": ("lisbon.csv", sheet, "text/csv")}, timeout=300)
            answers[email] = (r.status_code, r.text)

        threads = [threading.Thread(target=upload, args=(email,)) for email in admins]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    codes = sorted(code for code, _ in answers.values())
    print(f"\ntwo imports at once on {db.engine.dialect.name}: {codes}")
    assert codes == [200, 409], codes
    (winner,) = [email for email, (code, _) in answers.items() if code == 200]
    (refused,) = [html for code, html in answers.values() if code == 409]
    assert f"An import is running, started by {winner} at " in refused
    assert f"{ROWS} rows: {ROWS} created" in answers[winner][1]
    db.session.expire_all()
    keys = _keys()
    assert len(keys) == len(set(keys)) == ROWS
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportLock)) == 0  # released


def test_an_import_while_another_runs_is_refused_on_the_page_and_the_command_line(client, runner, make_user, login,
                                                                                   csrf_token):
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    token = csrf_token("/admin/import")
    with import_lock("other@example.org", "big.csv"):
        r = client.post("/admin/import", data={"file": (SHEET.open("rb"), SHEET.name), "csrf_token": token},
                        content_type="multipart/form-data")
        assert r.status_code == 409
        assert "An import is running, started by other@example.org at " in r.get_data(as_text=True)
        result = runner.invoke(args=["visa", "import", str(SHEET)])
        assert result.exit_code == 1
        assert "Not imported: an import is running, started by other@example.org at " in result.output
        with pytest.raises(ImportRunning), import_lock("third@example.org"):
            pass
    assert _keys() == []
    result = runner.invoke(args=["visa", "import", str(SHEET)])  # released: the next import runs
    assert result.exit_code == 0 and "50 created" in result.output


def test_a_lock_left_by_a_worker_that_died_is_taken_over(runner):
    with db.engine.begin() as conn:
        conn.execute(sa.insert(ImportLock.__table__).values(id=1, started_by="gone@example.org", filename="x.csv",
                                                            started_at=utcnow() - timedelta(hours=2)))
    result = runner.invoke(args=["visa", "import", str(SHEET)])
    assert result.exit_code == 0 and "50 created" in result.output, result.output


def test_a_failed_import_lets_go_of_the_lock_and_keeps_nothing(app):
    with pytest.raises(RuntimeError), import_lock("admin@example.org", "x.csv"):
        db.session.add(Space(slug="half", name="Half", country_code="PT", latitude=38.7, longitude=-9.1,
                             import_key="name:PT:lisbon:half"))
        db.session.flush()
        raise RuntimeError("the worker's import failed mid-way")
    assert _keys() == []
    with import_lock("admin@example.org"):
        pass


def test_the_import_key_is_unique_in_the_database(make_space):
    make_space("One", import_key="web:one.example:PT:lisbon")
    with pytest.raises(sa.exc.IntegrityError):
        make_space("One Again", import_key="web:one.example:PT:lisbon")
