"""Backups: the database and the uploaded files in one archive, and the way back.

One ``.tar.gz`` holds ``manifest.json``, the database (``database.dump``, pg_dump's custom format,
on PostgreSQL; ``database.sqlite3``, a copy made with SQLite's online backup API, on SQLite) and
every file under ``MEDIA_ROOT`` (``media/...``). Both copies are consistent while the app keeps
serving: pg_dump reads one snapshot and SQLite's backup API copies committed pages only.

``manage.py backup`` and ``manage.py restore <file>`` call these two functions.
"""

import json
import os
import shutil
import sqlite3

# Runs pg_dump/pg_restore with an argument list, never a shell (bandit B404/B603).
import subprocess  # nosec B404
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.dump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _engine(connection) -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite":
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def pg_tool(name: str, connection=None) -> str:
    """The pg_dump/pg_restore matching the server's major version (older tools refuse newer servers).

    ``PG_BIN_DIR`` in the environment wins; then Debian's ``/usr/lib/postgresql/<major>/bin``;
    then whatever is on the PATH.
    """
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(Path(os.environ["PG_BIN_DIR"]) / name)
    if connection is not None:
        connection.ensure_connection()
        major = connection.pg_version // 10000
        candidates.append(Path(f"/usr/lib/postgresql/{major}/bin") / name)
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client or set PG_BIN_DIR.")
    return found


def _pg_args(connection) -> tuple[list[str], dict]:
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    sslmode = (params.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(command: list[str], env: dict) -> None:
    # An argument list (no shell) naming a PostgreSQL tool and the configured connection: no user input.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()}")


def _dump_database(connection, work: Path) -> Path:
    if _engine(connection) == "postgresql":
        target = work / PG_NAME
        args, env = _pg_args(connection)
        name = connection.settings_dict["NAME"]
        _run([pg_tool("pg_dump", connection), *args, "--format=custom", "--no-owner", "--file", str(target), name], env)
        return target
    target = work / SQLITE_NAME
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # The live connection works for a file and for the test suite's in-memory database alike.
        connection.connection.backup(destination)
    finally:
        destination.close()
    return target


def _restore_database(connection, dump: Path) -> None:
    if _engine(connection) == "postgresql":
        args, env = _pg_args(connection)
        name = connection.settings_dict["NAME"]
        # Other sessions of this process would hold locks that --clean waits for.
        connection.close()
        _run(
            [
                pg_tool("pg_restore", connection),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--dbname",
                name,
                str(dump),
            ],
            env,
        )
        return
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def default_backup_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "backups"))


def backup_create(*, output: Path | None = None, using: str = "default") -> Path:
    """Write the database and MEDIA_ROOT into one archive and return its path."""
    connection = connections[using]
    engine = _engine(connection)
    media_root = Path(settings.MEDIA_ROOT)
    if output is None:
        directory = default_backup_dir()
        directory.mkdir(parents=True, exist_ok=True)
        output = directory / f"cat-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    with tempfile.TemporaryDirectory(prefix="cat-backup-") as tmp:
        work = Path(tmp)
        dump = _dump_database(connection, work)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "database": dump.name,
            "created": timezone.now().isoformat(),
            "media_files": len(files),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        # Written beside the target and renamed at the end: a half-written archive never has the final name.
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
            for path in files:
                archive.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}")
        partial.replace(output)
    return output


def backup_read_manifest(archive_path: Path) -> dict:
    with tarfile.open(archive_path, "r:gz") as archive:
        try:
            member = archive.extractfile(MANIFEST)
        except KeyError:
            member = None
        if member is None:
            raise BackupError("The archive has no manifest: it is not a CAT backup.")
        return json.loads(member.read())


def backup_restore(*, archive_path: Path, using: str = "default") -> dict:
    """Put the database and MEDIA_ROOT back as they were in the archive; return its manifest.

    The database is replaced as a whole; MEDIA_ROOT ends holding exactly the archive's files
    (files uploaded since the backup are removed, as the rows pointing at them are gone).
    """
    connection = connections[using]
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} does not exist.")
    manifest = backup_read_manifest(archive_path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    if manifest["engine"] != _engine(connection):
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the configured one is {_engine(connection)}."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="cat-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
            archive.extractall(work, filter="data")
        _restore_database(connection, work / manifest["database"])
        restored_media = work / MEDIA_DIR
        media_root.mkdir(parents=True, exist_ok=True)
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        if restored_media.exists():
            shutil.copytree(restored_media, media_root, dirs_exist_ok=True)
    return manifest


def backup_prune(*, keep: int, directory: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` archives in the backup folder; return what was deleted."""
    directory = Path(directory or default_backup_dir())
    archives = sorted(directory.glob("cat-backup-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    removed = archives[keep:]
    for path in removed:
        path.unlink()
    return removed
