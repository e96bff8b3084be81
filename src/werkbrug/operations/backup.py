"""Backup and restore: the PostgreSQL database and the uploaded documents in one archive.

The archive is a tar file holding
- `database.dump`: `pg_dump --format=custom` of the database (compressed by pg_dump itself);
- `files/<storage>/…`: the uploaded documents, one folder per local file storage (MEDIA_ROOT
  as `files/default`, and each other FileSystemStorage in STORAGES with its own location);
- `manifest.json`: when and from what it was made (Werkbrug, Django, PostgreSQL and pg_dump
  versions), the migrations applied, and the size and SHA-256 of every other member.

Restore checks every checksum before it touches anything, refuses a database that already has
tables (restore into an empty database, then switch over), loads the dump in one transaction
and puts the files back in place, refusing to overwrite a file that differs. The embedded
SQLite database is not backed up this way: it is one file under WERKBRUG_VAR_DIR; stop the
demo and copy that folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.storage.filesystem import FileSystemStorage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import werkbrug

FORMAT = 1
DUMP = "database.dump"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """Backup or restore cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Restored:
    manifest: dict[str, Any]
    files: int


def _require_postgresql() -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise BackupError(
            "backup and restore work on PostgreSQL only. The embedded demo keeps its SQLite "
            f"database in one file under {settings.VAR_DIR}: stop the demo and copy that folder."
        )
    return settings.DATABASES["default"]


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, the password in the environment only."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def local_storages() -> dict[str, Path]:
    """The folders of uploaded documents: MEDIA_ROOT and every local file storage but static files."""
    found: dict[str, Path] = {}
    for alias in settings.STORAGES:
        if alias == "staticfiles":
            continue  # built from the code by collectstatic; not data
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            found[alias] = Path(storage.location)
    if settings.MEDIA_ROOT and Path(settings.MEDIA_ROOT) not in found.values():
        found.setdefault("media", Path(settings.MEDIA_ROOT))
    return found


def _sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _sha256_of(handle)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    # The arguments are the program's full path and values from the settings, never user input.
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)  # noqa: S603


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def backup_create(*, output: Path) -> dict[str, Any]:
    """Write the archive to `output` (a new file) and return its manifest."""
    db = _require_postgresql()
    if output.exists():
        raise BackupError(f"{output} exists already; a backup never overwrites one.")
    args, env = _pg_env(db)
    with tempfile.TemporaryDirectory(prefix="werkbrug-backup-") as scratch:
        dump = Path(scratch) / DUMP
        # The dump is one consistent snapshot of the database, taken without locking writers out.
        pg_dump = _program("pg_dump")
        result = _run([pg_dump, *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump),
                       db["NAME"]], env=env)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed:\n{result.stderr.strip()}")
        pg_dump_version = _run([pg_dump, "--version"], check=True).stdout.strip()
        members: dict[str, dict[str, Any]] = {DUMP: {"size": dump.stat().st_size, "sha256": _sha256(dump)}}
        sources: dict[str, Path] = {DUMP: dump}
        folders = local_storages()
        for alias, root in folders.items():
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    name = str(PurePosixPath("files", alias, *path.relative_to(root).parts))
                    members[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
                    sources[name] = path
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "werkbrug": werkbrug.__version__,
            "django": django.get_version(),
            "postgresql": _server_version(),
            "pg_dump": pg_dump_version,
            "database": db["NAME"],
            "migrations": _applied_migrations(),
            "storages": {alias: str(root) for alias, root in folders.items()},
            "members": members,
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in sources.items():
                archive.add(str(path), arcname=name, recursive=False)
        partial.rename(output)  # a half-written archive never carries the final name
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = archive.extractfile(MANIFEST)
    except KeyError as error:
        raise BackupError("the archive has no manifest.json: not a Werkbrug backup.") from error
    manifest = json.load(handle)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}.")
    return manifest


def backup_verify(*, archive_path: Path) -> dict[str, Any]:
    """Check every member against the manifest; returns the manifest."""
    with tarfile.open(archive_path, "r") as archive:
        manifest = _read_manifest(archive)
        expected = dict(manifest["members"])
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            entry = expected.pop(member.name, None)
            if entry is None or not member.isfile():
                raise BackupError(f"{member.name}: not in the manifest.")
            if _sha256_of(archive.extractfile(member)) != entry["sha256"]:
                raise BackupError(f"{member.name}: checksum does not match the manifest.")
        if expected:
            raise BackupError(f"missing from the archive: {', '.join(sorted(expected))}.")
    return manifest


def _target(folders: dict[str, Path], name: str) -> Path:
    parts = PurePosixPath(name).parts
    if len(parts) < 3 or parts[0] != "files" or parts[1] not in folders or ".." in parts:
        raise BackupError(f"{name}: no storage here to restore it to.")
    root = folders[parts[1]].resolve()
    target = root.joinpath(*parts[2:]).resolve()
    if root not in target.parents:
        raise BackupError(f"{name}: lies outside its storage.")
    return target


def backup_restore(*, archive_path: Path) -> Restored:
    """Restore the archive into the (empty) database and the storage folders of these settings."""
    db = _require_postgresql()
    manifest = backup_verify(archive_path=archive_path)
    if connection.introspection.table_names():
        raise BackupError(
            f"database {db['NAME']} is not empty. Restore into a new, empty database "
            "(createdb), point DATABASE_URL at it, and switch over once it is checked."
        )
    folders = local_storages()
    args, env = _pg_env(db)
    with tarfile.open(archive_path, "r") as archive, tempfile.TemporaryDirectory(prefix="werkbrug-restore-") as scratch:
        file_members = [m for m in archive.getmembers() if m.name not in (MANIFEST, DUMP)]
        targets = {member.name: _target(folders, member.name) for member in file_members}
        for member in file_members:
            target = targets[member.name]
            if target.exists() and _sha256(target) != manifest["members"][member.name]["sha256"]:
                raise BackupError(f"{target} exists and differs from the backup; nothing was restored.")
        dump = Path(scratch) / DUMP
        with archive.extractfile(DUMP) as source, dump.open("wb") as sink:
            shutil.copyfileobj(source, sink)
        result = _run([_program("pg_restore"), *args, "--no-owner", "--no-privileges", "--single-transaction",
                       "--exit-on-error", "--dbname", db["NAME"], str(dump)], env=env)
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed, the database is unchanged:\n{result.stderr.strip()}")
        restored = 0
        for member in file_members:
            target = targets[member.name]
            if target.exists():
                continue  # the same file is there already (checked above)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            restored += 1
    connection.close()  # the tables appeared behind this connection's back
    missing = set(manifest["migrations"]) - set(_applied_migrations())
    if missing:
        raise BackupError(f"after restore these migrations are not recorded: {', '.join(sorted(missing))}")
    return Restored(manifest=manifest, files=restored)
