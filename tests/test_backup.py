"""`visa backup FILE` and `visa restore FILE`: a round trip gives back every table and the same API answers.

Runs on the suite's database: SQLite (online backup API) or PostgreSQL (pg_dump
and pg_restore in custom format, which must be installed).
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from visa.accounts.models import Role, SpaceHost
from visa.directory.models import RegistryVersion, SpaceStatus
from visa.directory.services import update_space
from visa.extensions import db
from visa.moderation.models import Report, ReportKind
from visa.timeutil import utcnow

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _client_tools(app):
    if db.engine.dialect.name == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed (Debian: postgresql-client; .ci/run installs it)")


def _tables() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order; the registry version is left out (a restore changes it)."""
    db.session.commit()
    return {table.name: [tuple(row) for row in db.session.execute(
                sa.select(table).order_by(*table.primary_key.columns))]
            for table in db.metadata.sorted_tables if table.name != RegistryVersion.__tablename__}


def _registry_version() -> int:
    db.session.commit()
    return db.session.scalar(sa.select(RegistryVersion.version))


API = ["/api/v1/spaces?near=38.72,-9.14&radius_km=100", "/api/v1/spaces?bbox=-30,20,40,70&zoom=3",
       "/api/v1/spaces?q=porto", "/api/v1/spaces/backed-up-lisbon", "/api/v1/spaces/porto-hub",
       "/api/v1/reciprocity?home=backed-up-lisbon&host=porto-hub"]


def _answers(client) -> list[bytes]:
    return [client.get(url).get_data() for url in API]


@pytest.fixture
def registry(make_space, make_user):
    """A little of everything: approved and pending listings, hosts, an admin, revisions, a report."""
    host = make_user("host@example.org")
    make_user("admin@example.org", role=Role.ADMIN)
    lisbon = make_space("Backed Up", terms={"free_days_per_visit": 3, "advance_notice_hours": 24})
    porto = make_space("Porto Hub", lat=41.1496, lon=-8.611, city="Porto", terms={"min_distance_km": 50})
    make_space("Waiting", lat=38.75, lon=-9.15, status=SpaceStatus.PENDING)
    update_space(porto, {"phone": "+351 22 000 0000", "terms_confirmed_at": utcnow() - timedelta(days=30)},
                 host.id, porto.lock_version)
    db.session.add(SpaceHost(space_id=lisbon.id, user_id=host.id, is_confirmed=True))
    db.session.add(Report(space_id=porto.id, kind=ReportKind.WRONG_LISTING, message="Moved «next door» ✓"))
    db.session.commit()
    assert lisbon.slug == "backed-up-lisbon" and porto.slug == "porto-hub"


def test_round_trip_gives_back_every_table_and_the_same_api_answers(app, client, runner, registry, make_space,
                                                                     tmp_path):
    tables, answers, version = _tables(), _answers(client), _registry_version()
    assert all(answers) and len(tables["space"]) == 3 and tables["revision"] and tables["report"]
    backup_file = tmp_path / "registry.backup"
    result = runner.invoke(args=["visa", "backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.stat().st_size > 0 and f"Backup written to {backup_file}" in result.output
    assert len(result.output.splitlines()) >= 2  # progress, then the result

    # Life goes on after the backup: a new space, a deleted one, a changed one.
    make_space("Added Later", lat=38.71, lon=-9.13)
    db.session.execute(sa.delete(SpaceHost))
    db.session.commit()
    assert _answers(client) != answers  # the API (and its per-process index) saw the changes

    result = runner.invoke(args=["visa", "restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert f"Restored {backup_file} in " in result.output
    db.session.remove()
    assert _tables() == tables
    assert _registry_version() not in (version, None)  # a new version: every process's index reloads
    assert _answers(client) == answers  # byte for byte


@pytest.mark.parametrize("name", ["legacy-network.csv", "other-database.pgdump", "sqlite-of-another-app",
                                  "empty"])
def test_restore_refuses_a_file_of_the_wrong_kind(app, runner, registry, tmp_path, name):
    if name == "empty":
        path = tmp_path / "empty.backup"
        path.write_bytes(b"")
    elif name == "sqlite-of-another-app":
        path = tmp_path / "other.sqlite"
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE note (body TEXT)")
        con.commit()
        con.close()
    else:
        path = DATA / name
    tables = _tables()
    result = runner.invoke(args=["visa", "restore", str(path)])
    assert result.exit_code == 1, result.output
    assert "Restore refused:" in result.output and "Nothing was changed." in result.output
    db.session.remove()
    assert _tables() == tables


def test_backup_to_a_folder_that_does_not_exist_fails_clearly(app, runner, tmp_path):
    result = runner.invoke(args=["visa", "backup", str(tmp_path / "no" / "such" / "folder" / "x.backup")])
    assert result.exit_code == 1 and "Backup failed:" in result.output


def _add_photo(slug: str, size: tuple[int, int], kind: str, alt: str):
    """An approved photo on the listing *slug*, through the service, its files in the app's photo store."""
    from flask import current_app
    from PIL import Image

    from visa.directory.models import Space
    from visa.photos.images import process
    from visa.photos.services import add_photo

    space = db.session.scalars(sa.select(Space).where(Space.slug == slug)).unique().one()
    store = current_app.extensions["visa.photo_store"]
    picture = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(picture, kind)
    photo = add_photo(space, process(picture.getvalue()), alt, "", "en", None, True, store)
    db.session.commit()
    return photo, store


def test_backup_and_restore_keep_the_photos(app, client, runner, registry, tmp_path):
    photo, store = _add_photo("backed-up-lisbon", (1000, 750), "JPEG", "The big room")
    url = f"/photos/{photo.key}-800.webp"
    served = client.get(url).get_data()
    files = sorted(store.names())
    assert len(files) == 6 and served

    backup_file = tmp_path / "registry.backup"
    result = runner.invoke(args=["visa", "backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert f"Photos: 6 files written to {backup_file}.photos.tar" in result.output

    for name in files:  # the disk with the photos is lost
        store.delete(name)
    assert client.get(url).status_code == 404

    result = runner.invoke(args=["visa", "restore", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert "Photos: 6 files restored" in result.output and "Warning" not in result.output
    db.session.remove()
    assert sorted(store.names()) == files and client.get(url).get_data() == served
    assert client.get("/api/v1/spaces/backed-up-lisbon").get_json()["properties"]["photos"][0]["alt"] == "The big room"


def test_restore_without_the_photo_archive_says_which_files_are_missing(app, runner, registry, tmp_path):
    _photo, store = _add_photo("porto-hub", (500, 400), "PNG", "Desks")
    backup_file = tmp_path / "registry.backup"
    assert runner.invoke(args=["visa", "backup", str(backup_file)]).exit_code == 0
    Path(f"{backup_file}.photos.tar").unlink()
    for name in list(store.names()):
        store.delete(name)
    result = runner.invoke(args=["visa", "restore", str(backup_file)])
    assert result.exit_code == 0 and "Warning: 4 photo files named in the database are missing" in result.output
