"""The ledger's schema, brought to the newest version by Alembic on every open and by `init`.

The same migrations (migrations/versions/) serve SQLite and PostgreSQL. They run inside one
transaction that first takes the migration lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
transaction-level advisory lock), so workers starting together migrate once, one after the
other; the later ones find the schema current. A ledger made before migrations existed (no
`alembic_version` table, `meta.schema_version` 1) is taken up in place by the first revision,
whose every statement is "if not exists".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from pipeline.ledger.db import Db

MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 7_302_026  # pg advisory lock id of the ledger's migrations


def _config(db: Db) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = db.connection
    return config


@cache
def head() -> str:
    """The newest revision (read from migrations/ once per process)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())


def current(db: Db) -> str | None:
    return MigrationContext.configure(db.connection).get_current_revision()


def upgrade(db: Db) -> None:
    """Bring the schema to the head revision; does nothing (one query) when it is there."""
    if current(db) == head():
        return
    with db.transaction():
        if not db.is_sqlite:
            db.execute("SELECT pg_advisory_xact_lock(:k)", {"k": _LOCK_KEY})
        command.upgrade(_config(db), "head")
