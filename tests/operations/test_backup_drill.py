"""The backup drill: back up a database with the demo's data and documents, restore it into a new
empty database, and compare every table's row count and the access log's chain.

Runs on PostgreSQL only (DATABASE_URL=postgres://…); pg_dump and pg_restore must be on the PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the backup drill needs PostgreSQL (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
]


def _psycopg(dbname: str):
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=dbname, host=db.get("HOST") or None, port=db.get("PORT") or None,
        user=db.get("USER") or None, password=db.get("PASSWORD") or None, autocommit=True,
    )


def _row_counts(dbname: str) -> dict[str, int]:
    with _psycopg(dbname) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def _werkbrug(*args: str, database: str, var_dir: Path) -> subprocess.CompletedProcess:
    db = settings.DATABASES["default"]
    user = f"{db['USER']}@" if db.get("USER") else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "werkbrug.conf.test",
        "DATABASE_URL": f"postgres://{user}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{database}",
        "WERKBRUG_VAR_DIR": str(var_dir),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return subprocess.run([sys.executable, "-m", "werkbrug", *args], env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_an_empty_database_with_the_same_rows(tmp_path, settings):
    from werkbrug.core.access_log import access_log_seal

    settings.MEDIA_ROOT = tmp_path / "media"
    document = settings.MEDIA_ROOT / "documents" / "2026" / "cv.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.7 synthetic document\n" * 100)
    call_command("demo", quiet=True)
    access_log_seal(grace_seconds=0)

    archive = tmp_path / "werkbrug.tar"
    call_command("backup", str(archive))
    source_counts = _row_counts(connection.settings_dict["NAME"])
    assert source_counts["core_accesslogrecord"] > 0 and source_counts["django_migrations"] > 0

    drill = f"{connection.settings_dict['NAME']}_restore_drill"
    with _psycopg("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{drill}"')
        admin.execute(f'CREATE DATABASE "{drill}"')
    try:
        restored_var = tmp_path / "restored-var"
        done = _werkbrug("restore", str(archive), database=drill, var_dir=restored_var)
        assert done.returncode == 0, done.stderr
        assert _row_counts(drill) == source_counts

        verified = _werkbrug("verify_access_log", database=drill, var_dir=restored_var)
        assert verified.returncode == 0, verified.stderr
        assert " 0 problems, 0 gaps" in verified.stdout
        assert f"checked {source_counts['core_accesslogseal']} sealed records" in verified.stdout

        assert (restored_var / "media" / "documents" / "2026" / "cv.pdf").read_bytes() == document.read_bytes()

        again = _werkbrug("restore", str(archive), database=drill, var_dir=restored_var)
        assert again.returncode != 0 and "is not empty" in again.stderr
    finally:
        with _psycopg("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{drill}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_changes(tmp_path, settings):
    import tarfile

    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "a.txt").parent.mkdir(parents=True)
    (settings.MEDIA_ROOT / "a.txt").write_text("original")
    archive = tmp_path / "werkbrug.tar"
    call_command("backup", str(archive))
    call_command("restore", str(archive), check=True)

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as sink:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith("a.txt"):
                data = b"changed!"
            member.size = len(data)
            import io

            sink.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="checksum does not match"):
        call_command("restore", str(damaged), check=True)
