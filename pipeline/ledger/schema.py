"""The ledger's connection and schema: `LedgerFile` opens it and migrates it to the newest
revision (ledger/migrate.py, migrations/versions/), then gives `transaction()`; the query
mixins in journal.py and desa.py build on it.

The tables, the audit log's append-only triggers and the change mark are made by the
migrations, the same for SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.ledger import migrate
from pipeline.ledger.db import Db

SCHEMA_VERSION = 2  # meta.schema_version after the newest migration


class LedgerFile:
    """One connection to the ledger, its schema current. Use `transaction()` for every change."""

    def __init__(self, target: str | Path) -> None:
        """`target`: the SQLite file's path, or a SQLAlchemy URL (`postgresql+psycopg://…`)."""
        self.target = target
        self.db = Db(target)
        try:
            migrate.upgrade(self.db)
        except BaseException:
            self.db.close()
            raise

    @property
    def is_sqlite(self) -> bool:
        return self.db.is_sqlite

    def change_mark(self) -> str | None:
        """Changes whenever anything in the ledger but its claims does: meta 'perubahan' (a
        random value every SQLite trigger rewrites; a restored backup brings its own, never the
        one seen last), or PostgreSQL's `perubahan_seq` with the database's own identity."""
        if self.db.is_sqlite:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'perubahan'").fetchone()
            return str(row["value"]) if row else None
        row = self.db.execute(
            "SELECT last_value, is_called, "
            "(SELECT system_identifier FROM pg_control_system()) AS sid, "
            "current_database() AS db FROM perubahan_seq"
        ).fetchone()
        return None if row is None else f"{row['sid']}/{row['db']}/{row[0]}/{row[1]}"

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[Db]:
        """All or nothing: a crash inside leaves the ledger as before."""
        with self.db.transaction() as db:
            yield db
