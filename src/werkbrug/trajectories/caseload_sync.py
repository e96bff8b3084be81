"""The client's name on each team membership, kept by the database itself.

The caseload lists a person's clients in name order and searches their names. Read through the
client table, a large caseload means walking the region's clients in name order until a page of
the person's own is found — 10 000 index entries for a two-letter search in a caseload of
10 000, and the whole region for a rare name. With a copy of the client's first and last name
and client id on every membership, one index (`team_caseload_by_name`: person, last name, first
name, trajectory) gives a person's current clients in name order, and a search filters inside
that index: a page costs about the same for one client as for ten thousand.

The copy is never written by the application. Triggers write it, so that no code path — a
service, the admin, a bulk load, raw SQL — can leave it behind:

- a new or changed membership takes the name of its trajectory's client;
- a client's changed name or id is copied to the memberships of all their trajectories.

They are installed by migration `trajectories.0004` and again after every `migrate`
(`apps.py`): on SQLite, a later migration that rebuilds one of the two tables drops its triggers.
"""

# ruff: noqa: S608 — the SQL here is built from the table and column names above; no input reaches it

from __future__ import annotations

TEAM = "trajectories_teammembership"
TRAJECTORY = "trajectories_trajectory"
CLIENT = "clients_client"
COPIED = (("client_first_name", "first_name"), ("client_last_name", "last_name"), ("client_pseudonym", "pseudonym"))

_PG = [
    f"""
CREATE OR REPLACE FUNCTION werkbrug_team_client_copy() RETURNS trigger AS $$
DECLARE
    c RECORD;
BEGIN
    SELECT cl.first_name, cl.last_name, cl.pseudonym INTO c
    FROM {TRAJECTORY} t JOIN {CLIENT} cl ON cl.id = t.client_id WHERE t.id = NEW.trajectory_id;
    IF FOUND THEN
        NEW.client_first_name := c.first_name;
        NEW.client_last_name := c.last_name;
        NEW.client_pseudonym := c.pseudonym;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
""",
    f"DROP TRIGGER IF EXISTS {TEAM}_client_copy ON {TEAM}",
    f"CREATE TRIGGER {TEAM}_client_copy BEFORE INSERT OR UPDATE ON {TEAM} "
    "FOR EACH ROW EXECUTE FUNCTION werkbrug_team_client_copy()",
    f"""
CREATE OR REPLACE FUNCTION werkbrug_client_name_to_teams() RETURNS trigger AS $$
BEGIN
    UPDATE {TEAM} tm SET client_first_name = NEW.first_name, client_last_name = NEW.last_name,
        client_pseudonym = NEW.pseudonym
    FROM {TRAJECTORY} t WHERE t.id = tm.trajectory_id AND t.client_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    f"DROP TRIGGER IF EXISTS {CLIENT}_name_to_teams ON {CLIENT}",
    f"CREATE TRIGGER {CLIENT}_name_to_teams AFTER UPDATE OF first_name, last_name, pseudonym ON {CLIENT} "
    "FOR EACH ROW WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM "
    "NEW.last_name OR OLD.pseudonym IS DISTINCT FROM NEW.pseudonym) "
    "EXECUTE FUNCTION werkbrug_client_name_to_teams()",
]


def _sqlite_client_value(column: str) -> str:
    return (f"(SELECT cl.{column} FROM {TRAJECTORY} t JOIN {CLIENT} cl ON cl.id = t.client_id "
            "WHERE t.id = NEW.trajectory_id)")


def _sqlite_copy(event: str) -> str:
    # SQLite's triggers cannot change NEW: the row is set right after it is written. The WHEN
    # clause ends the update there even where recursive triggers are switched on.
    sets = ", ".join(f"{copy} = COALESCE({_sqlite_client_value(column)}, {copy})" for copy, column in COPIED)
    differs = " OR ".join(f"NEW.{copy} IS NOT {_sqlite_client_value(column)}" for copy, column in COPIED)
    return (
        f"CREATE TRIGGER IF NOT EXISTS {TEAM}_client_copy_{event.lower()} AFTER {event} ON {TEAM} "
        f"FOR EACH ROW WHEN {differs} BEGIN UPDATE {TEAM} SET {sets} WHERE id = NEW.id; END"
    )


_SQLITE = [
    _sqlite_copy("INSERT"),
    _sqlite_copy("UPDATE"),
    f"CREATE TRIGGER IF NOT EXISTS {CLIENT}_name_to_teams AFTER UPDATE OF first_name, last_name, pseudonym "
    f"ON {CLIENT} FOR EACH ROW BEGIN UPDATE {TEAM} SET client_first_name = NEW.first_name, "
    f"client_last_name = NEW.last_name, client_pseudonym = NEW.pseudonym "
    f"WHERE trajectory_id IN (SELECT id FROM {TRAJECTORY} WHERE client_id = NEW.id); END",
]

_REMOVE = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TEAM}_client_copy ON {TEAM}",
        f"DROP TRIGGER IF EXISTS {CLIENT}_name_to_teams ON {CLIENT}",
        "DROP FUNCTION IF EXISTS werkbrug_team_client_copy()",
        "DROP FUNCTION IF EXISTS werkbrug_client_name_to_teams()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TEAM}_client_copy_insert",
        f"DROP TRIGGER IF EXISTS {TEAM}_client_copy_update",
        f"DROP TRIGGER IF EXISTS {CLIENT}_name_to_teams",
    ],
}


def install(connection) -> None:
    """Create the triggers (idempotent)."""
    statements = {"postgresql": _PG, "sqlite": _SQLITE}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _REMOVE.get(connection.vendor, []):
            cursor.execute(sql)


def off_for_migration(apps, schema_editor) -> None:
    """`RunPython` step for a migration that rebuilds the client or membership table on SQLite
    (adding columns does): the rebuild would break these triggers, so they are taken off first and
    put back by `on_after_migration` at the migration's end (each is the other's reverse)."""
    remove(schema_editor.connection)


def on_after_migration(apps, schema_editor) -> None:
    install(schema_editor.connection)


def backfill(connection) -> None:
    """Copy every client's name to the memberships of their trajectories (once, at migration)."""
    sets = ", ".join(
        f"{copy} = (SELECT cl.{column} FROM {TRAJECTORY} t JOIN {CLIENT} cl ON cl.id = t.client_id "
        f"WHERE t.id = {TEAM}.trajectory_id)"
        for copy, column in COPIED
    )
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TEAM} SET {sets}")


def installed(connection) -> bool:
    """Are the triggers there? (Checked by a test after all migrations.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s) AND NOT tgisinternal",
                [f"{TEAM}_client_copy", f"{CLIENT}_name_to_teams"],
            )
            return cursor.fetchone()[0] == 2
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (%s, %s, %s)",
            [f"{TEAM}_client_copy_insert", f"{TEAM}_client_copy_update", f"{CLIENT}_name_to_teams"],
        )
        return cursor.fetchone()[0] == 3
