"""The ledger's connection: SQLAlchemy Core over SQLite (embedded) or PostgreSQL (psycopg 3).

One connection per `Ledger`, in autocommit mode: a read outside `transaction()` sees the
newest committed state (other workers' too) and holds no snapshot open; `transaction()` is an
explicit BEGIN … COMMIT on that same connection, so reads inside it see its own writes. On
SQLite the BEGIN is IMMEDIATE (the write lock first, as before: two writers never deadlock on
an upgrade) with WAL and synchronous=FULL; on PostgreSQL it is READ COMMITTED and the region
locks (ledger/klaim.py) keep two workers off one region.

Statements are portable SQL text with named `:name` parameters (pipeline/core/sql.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.pool import NullPool

from pipeline.core.sql import SqlRow

__all__ = ["Db", "Row", "Rows", "engine_for", "sqlite_url"]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def engine_for(target: str | Path) -> Engine:
    """An engine for a ledger: a Path is the SQLite file, a string a SQLAlchemy URL.

    NullPool: each `Ledger` owns its connection for its life and closes it; nothing is kept
    between passes (a watcher would otherwise hold idle server connections)."""
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(target)
    elif target.startswith("postgresql://"):  # as an operator writes it: psycopg 3 drives it
        url = "postgresql+psycopg://" + target.removeprefix("postgresql://")
    else:
        url = target
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args={"timeout": 30},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 10, "application_name": "musrenbang"},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Row:
    """A result row read by column name or position (what sqlite3.Row offered)."""

    __slots__ = ("_map", "_values")

    def __init__(self, keys: tuple[str, ...], values: tuple[Any, ...]) -> None:
        self._values = values
        self._map = dict(zip(keys, values, strict=True))

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, str):
            return self._map[key]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._map)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({self._map!r})"


class Rows:
    """Every row of a statement, fetched at once (the connection is free again at once)."""

    def __init__(self, rows: list[SqlRow], rowcount: int) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount

    def fetchone(self) -> SqlRow | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def one(self) -> SqlRow:
        """The next row, which must exist (an aggregate, RETURNING of a row just written)."""
        row = self.fetchone()
        if row is None:
            raise LookupError("pernyataan SQL tidak mengembalikan baris")
        return row

    def fetchall(self) -> list[SqlRow]:
        rest = self._rows[self._next :]
        self._next = len(self._rows)
        return rest

    def __iter__(self) -> Iterator[SqlRow]:
        return iter(self.fetchall())


class Db:
    """The one ledger connection: `execute(sql, params)` and `transaction()`."""

    def __init__(self, target: str | Path) -> None:
        self.engine = engine_for(target)
        self.dialect = self.engine.dialect.name  # "sqlite" | "postgresql"
        self.connection: Connection = self.engine.connect()
        self.in_transaction = False

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Rows:
        result: CursorResult[Any] = self.connection.execute(text(sql), dict(params or {}))
        if not result.returns_rows:
            return Rows([], result.rowcount)
        keys = tuple(result.keys())
        rows: list[SqlRow] = [Row(keys, tuple(r)) for r in result]
        return Rows(rows, result.rowcount)

    def columns(self, table: str) -> list[str]:
        return [str(c["name"]) for c in inspect(self.connection).get_columns(table)]

    @contextmanager
    def transaction(self) -> Iterator[Db]:
        """All or nothing: a crash inside leaves the ledger as before. Not reentrant."""
        if self.in_transaction:
            raise RuntimeError("transaksi ledger bersarang")
        self.connection.exec_driver_sql("BEGIN IMMEDIATE" if self.is_sqlite else "BEGIN")
        self.in_transaction = True
        try:
            yield self
        except BaseException:
            self.in_transaction = False
            self.connection.exec_driver_sql("ROLLBACK")
            raise
        self.in_transaction = False
        try:
            self.connection.exec_driver_sql("COMMIT")
        except BaseException:
            try:  # a COMMIT that failed (a full disk) may leave the transaction open
                self.connection.exec_driver_sql("ROLLBACK")
            except Exception:  # noqa: BLE001 - already gone: the first error is the one to see
                pass
            raise

    def close(self) -> None:
        try:
            self.connection.close()
        finally:
            self.engine.dispose()
