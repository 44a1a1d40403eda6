"""What the rest of the pipeline may assume of a ledger connection, whatever the database.

The ledger (ledger/db.py) runs on SQLAlchemy Core over SQLite or PostgreSQL. Stages and readers
get a `Sql`: `execute(sql, params)` with named `:name` parameters and portable SQL, rows read
by column name (`row["kode"]`) or position (`row[0]`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol


class SqlRow(Protocol):
    def __getitem__(self, key: str | int) -> Any: ...

    def keys(self) -> Any: ...


class SqlResult(Protocol):
    def fetchone(self) -> SqlRow | None: ...

    def fetchall(self) -> list[SqlRow]: ...

    def one(self) -> SqlRow: ...

    def __iter__(self) -> Iterator[SqlRow]: ...


class Sql(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> SqlResult: ...

    def columns(self, table: str) -> list[str]:
        """The table's column names, in order, from the database's own catalogue."""
        ...
