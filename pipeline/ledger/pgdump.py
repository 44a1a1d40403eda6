"""A PostgreSQL ledger's backup: `pg_dump --format=custom`, checked with `pg_restore --list`.

The dump is taken from one snapshot: a connection of our own opens a REPEATABLE READ
transaction, exports its snapshot (`pg_export_snapshot()`), counts the rows of every table in
it and keeps it open while `pg_dump --snapshot=...` reads exactly that state; workers keep
writing meanwhile. The password never appears on a command line (`ps` shows those to every
user): pg_dump gets the URL without it and the password as PGPASSWORD in its own environment.
The dump is written under a temporary name and renamed when pg_dump succeeded, then
`pg_restore --list` must read it and list the data of every table counted; otherwise no
backup is made. backup.py puts the file into the cadangan zip like the SQLite copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

DUMP_SUFFIX = ".pgdump"  # pg_dump's custom format; restore with pg_restore
_TABLE_DATA = re.compile(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) ", re.M)


class PgDumpError(Exception):
    """No dump could be made; the message (Indonesian) is for the operator."""


@dataclass
class PgDump:
    path: Path  # the checked dump in the work folder
    where: str  # the database, its URL without the password
    rows: dict[str, int]  # rows of every table, counted in the dump's snapshot
    entries: int  # entries `pg_restore --list` read from the dump
    schema_version: str | None


@dataclass
class Connection:
    """How to reach the database without a password on a command line."""

    url: str  # postgresql://user@host:port/db?options, no password
    env: dict[str, str]  # the child's environment: PGPASSWORD when the URL had one
    dbname: str


def connection(database_url: str) -> Connection:
    """`[ledger] database_url` (postgresql:// or postgresql+psycopg://) split for libpq."""
    parts = urlsplit(database_url.replace("postgresql+psycopg://", "postgresql://", 1))
    netloc = parts.netloc.rpartition("@")
    userinfo, host = (netloc[0], netloc[2]) if netloc[1] else ("", parts.netloc)
    user, _, password = userinfo.partition(":")
    url = urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))
    env = {"PGCONNECT_TIMEOUT": "30"}
    if password:
        env["PGPASSWORD"] = unquote(password)
    return Connection(url, env, unquote(parts.path.lstrip("/")) or unquote(user) or "postgres")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise PgDumpError(
            f"{name} tidak ditemukan: cadangan ledger PostgreSQL memerlukan {name}. Pasang "
            "paket klien PostgreSQL (Debian/Ubuntu: sudo apt install postgresql-client) "
            "dengan versi yang sama atau lebih baru dari server, lalu ulangi."
        )
    return found


def _run(argv: list[str], conn: Connection, what: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **conn.env}
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise PgDumpError(f"{what} tidak dapat dijalankan ({argv[0]}): {exc}") from exc
    if done.returncode != 0:
        why = done.stderr.strip().replace(conn.env.get("PGPASSWORD", "\0"), "***")
        raise PgDumpError(
            f"{what} gagal (kode {done.returncode}) untuk ledger {conn.url}; cadangan tidak "
            f"dibuat. Pesan: {why or '(kosong)'}"
        )
    return done


def _counted(cur: psycopg.Cursor[tuple[Any, ...]]) -> dict[str, int]:
    tables = cur.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY schemaname, tablename"
    ).fetchall()
    rows: dict[str, int] = {}
    for schema, table in tables:
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(str(schema)), sql.Identifier(str(table))
        )
        found = cur.execute(query).fetchone()
        name = str(table) if schema == "public" else f"{schema}.{table}"
        rows[name] = int(found[0]) if found else 0
    return rows


def _schema_version(cur: psycopg.Cursor[tuple[Any, ...]]) -> str | None:
    """Alembic's revision when the ledger has one, else the old `meta` row."""
    if cur.execute("SELECT to_regclass('alembic_version')").fetchone() != (None,):
        row = cur.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    if cur.execute("SELECT to_regclass('meta')").fetchone() != (None,):
        row = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return str(row[0]) if row else None
    return None


def dump(database_url: str, work: Path) -> PgDump:
    """Dump the ledger at `database_url` into `work`; the checked dump and what it holds."""
    conn = connection(database_url)
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    out = work / f"{conn.dbname}{DUMP_SUFFIX}"
    partial = work / f"{out.name}.part"
    try:
        db = psycopg.connect(conn.url, password=conn.env.get("PGPASSWORD"), connect_timeout=30)
    except psycopg.Error as exc:
        raise PgDumpError(
            f"Ledger PostgreSQL {conn.url} tidak dapat dihubungi ({str(exc).strip()}); cadangan "
            "tidak dibuat. Periksa database_url di musrenbang.toml dan bahwa server menyala."
        ) from exc
    with db:
        db.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        db.read_only = True
        with db.transaction(), db.cursor() as cur:
            snapshot = cur.execute("SELECT pg_export_snapshot()").fetchone()
            assert snapshot is not None
            rows, version = _counted(cur), _schema_version(cur)
            argv = [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot[0]}",
                    f"--file={partial}", f"--dbname={conn.url}"]  # fmt: skip
            _run(argv, conn, "pg_dump")
    os.replace(partial, out)
    listed = _run([pg_restore, "--list", str(out)], conn, "pg_restore --list").stdout
    in_dump = {n if s == "public" else f"{s}.{n}" for s, n in _TABLE_DATA.findall(listed)}
    missing = sorted(set(rows) - in_dump)
    if missing:
        raise PgDumpError(
            f"Dump ledger {conn.url} tidak memuat data tabel {', '.join(missing)} "
            "(pg_restore --list); cadangan tidak dibuat."
        )
    entries = sum(1 for line in listed.splitlines() if line and not line.startswith(";"))
    return PgDump(out, conn.url, rows, entries, version)
