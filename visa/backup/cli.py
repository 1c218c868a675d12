"""``visa backup FILE`` and ``visa restore FILE``: the whole database and the listings' photos, for the operator.

The photos' files are not in the database: they go into a tar archive beside the backup, ``FILE.photos.tar``
(:func:`photos_archive`), which ``visa restore FILE`` puts back into the photo store when it finds it.
"""

from __future__ import annotations

import os
import sys

import click

from visa.cli import visa_cli
from visa.extensions import db


def _whole_database(operation, file: str, failure: str) -> float:
    """Run backup or restore on this app's database; its time in seconds. On a BackupError print why, exit 1."""
    import time

    from visa.backup.dump import BackupError

    # Close this process's connections first: an open transaction would hold locks a restore waits for.
    db.session.remove()
    db.engine.dispose()
    started = time.perf_counter()
    try:
        operation(db.engine.url, file, progress=click.echo)
    except BackupError as err:
        click.echo(f"{failure}: {err}", err=True)
        sys.exit(1)
    return time.perf_counter() - started


@visa_cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
def backup_command(file: str) -> None:
    """Write the whole database (users, revisions, pending listings...) to FILE."""
    from flask import current_app

    from visa.backup.dump import backup
    from visa.photos.storage import write_archive

    seconds = _whole_database(backup, file, "Backup failed")
    click.echo(f"Backup written to {file} ({os.path.getsize(file) / 1e6:.1f} MB in {seconds:.1f} s).")
    store = current_app.extensions["visa.photo_store"]
    count = write_archive(store, store.names(), photos_archive(file))
    click.echo(f"Photos: {count} files written to {photos_archive(file)}; keep it beside {file}.")


def photos_archive(file: str) -> str:
    """The archive of the photos' files that goes with the database backup *file*."""
    return f"{file}.photos.tar"


@visa_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def restore_command(file: str) -> None:
    """Replace the whole database by the backup in FILE (made by `visa backup` on the same kind of database)."""
    from visa.backup.dump import restore
    from visa.directory.models import bump_registry_version

    seconds = _whole_database(restore, file, "Restore refused")
    # A new registry version: every process's spatial index reloads on its next request.
    bump_registry_version(db.session.connection())
    db.session.commit()
    click.echo(f"Restored {file} in {seconds:.1f} s.")
    _restore_photos(file)


def _restore_photos(file: str) -> None:
    """Put the backup's photo files back into the store; say which photos of the restored database lack a file."""
    from flask import current_app

    from visa.photos.services import file_names
    from visa.photos.storage import read_archive

    store = current_app.extensions["visa.photo_store"]
    archive = photos_archive(file)
    if os.path.exists(archive):
        click.echo(f"Photos: {read_archive(store, archive)} files restored from {archive}.")
    present = set(store.names())
    missing = [name for name in file_names() if name not in present]
    if missing:
        click.echo(f"Warning: {len(missing)} photo files named in the database are missing from the photo store "
                   f"(no {archive}?); those photos show as broken images until removed.", err=True)


@visa_cli.command("transfer")
@click.option("--to", "target_url", required=True, metavar="DATABASE_URL",
              help="The empty database to fill, e.g. postgresql://visa@127.0.0.1/visa (or sqlite:///path).")
def transfer_command(target_url: str) -> None:
    """Copy the whole database to another, empty one (SQLite to PostgreSQL or back), then check every row."""
    import time

    import sqlalchemy as sa
    from alembic import command
    from flask import current_app

    from visa.backup.transfer import TransferError, transfer
    from visa.config import driver_url

    def create_schema(connection) -> None:
        config = current_app.extensions["migrate"].migrate.get_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    target = sa.create_engine(driver_url(target_url))
    started = time.perf_counter()
    try:
        checks = transfer(db.engine, target, db.metadata.sorted_tables, create_schema, progress=click.echo)
    except TransferError as err:
        click.echo(f"Transfer refused: {err}", err=True)
        sys.exit(1)
    finally:
        target.dispose()
    rows = sum(check.rows for check in checks)
    different = [check for check in checks if check.differences]
    if different:
        for check in different:
            click.echo(f"{check.name}: {check.differences:,} rows differ, for example:", err=True)
            for line in check.shown:
                click.echo(f"  {line}", err=True)
        click.echo("Transfer done but the check found differences: do not switch over; keep the source.", err=True)
        sys.exit(1)
    shown = sa.make_url(driver_url(target_url)).render_as_string(hide_password=True)
    click.echo(f"Transferred {rows:,} rows in {len(checks)} tables to {shown}, every row checked "
               f"({time.perf_counter() - started:.1f} s). Set DATABASE_URL to it and restart the site.")
