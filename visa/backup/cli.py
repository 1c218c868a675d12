"""``visa backup FILE`` and ``visa restore FILE``: the whole database, for the operator."""

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
    from visa.backup.dump import backup

    seconds = _whole_database(backup, file, "Backup failed")
    click.echo(f"Backup written to {file} ({os.path.getsize(file) / 1e6:.1f} MB in {seconds:.1f} s).")


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
