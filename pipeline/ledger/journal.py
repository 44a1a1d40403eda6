"""The inputs journal (one row per input; its `done` flag lets a killed pipeline finish or redo
its work) and the append-only audit log."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from pipeline.ledger.schema import LedgerFile


@dataclass
class InputRow:
    id: int
    token: str
    file: str
    rel: str
    sha256: str
    size: int
    received_at: dt.datetime
    receipt_name: str
    archived_as: str
    kind: str | None
    purpose: str | None
    region: str | None
    year: int | None
    status: str
    receipt_json: str | None
    done: bool


class Journal(LedgerFile):
    """The `inputs` and `audit` tables."""

    # ----------------------------------------------------------------- inputs (journal)

    def input_by_token(self, token: str) -> InputRow | None:
        row = self.db.execute("SELECT * FROM inputs WHERE token = ?", (token,)).fetchone()
        return _input(row) if row else None

    def receipt_name_taken(self, name: str) -> bool:
        row = self.db.execute("SELECT 1 FROM inputs WHERE receipt_name = ?", (name,)).fetchone()
        return row is not None

    def add_input(
        self,
        *,
        token: str,
        file: str,
        rel: str,
        sha256: str,
        size: int,
        received_at: dt.datetime,
        receipt_name: str,
        archived_as: str,
        raw_rel: bytes | None = None,
    ) -> InputRow:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO inputs (token, file, rel, sha256, size, received_at, receipt_name,"
                " archived_as, raw_rel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    token,
                    file,
                    rel,
                    sha256,
                    size,
                    received_at.isoformat(),
                    receipt_name,
                    archived_as,
                    raw_rel,
                ),
            )
        found = self.input_by_token(token)
        assert found is not None
        return found

    def accepted_before(self, sha256: str, purpose: str) -> InputRow | None:
        """The earlier accepted input with these exact bytes for this purpose, if any."""
        row = self.db.execute(
            "SELECT * FROM inputs WHERE sha256 = ? AND purpose = ? AND status = 'accepted'"
            " ORDER BY id LIMIT 1",
            (sha256, purpose),
        ).fetchone()
        return _input(row) if row else None

    def finish_input(
        self,
        db: sqlite3.Connection,
        input_id: int,
        *,
        status: str,
        kind: str | None,
        purpose: str | None,
        region: str | None,
        year: int | None,
        receipt_json: str,
    ) -> None:
        """Record the outcome; called inside the transaction that changes the ledger."""
        db.execute(
            "UPDATE inputs SET status = ?, kind = ?, purpose = ?, region = ?, year = ?,"
            " receipt_json = ? WHERE id = ?",
            (status, kind, purpose, region, year, receipt_json, input_id),
        )

    def mark_done(self, input_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE inputs SET done = 1 WHERE id = ?", (input_id,))

    def count_failure(self, input_id: int) -> int:
        """One more failed try of this input; returns how many there have been."""
        with self.transaction() as db:
            db.execute("UPDATE inputs SET attempts = attempts + 1 WHERE id = ?", (input_id,))
            row = db.execute("SELECT attempts FROM inputs WHERE id = ?", (input_id,)).fetchone()
        return int(row["attempts"])

    def give_up(self, input_id: int, receipt_json: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE inputs SET status = 'rejected', receipt_json = ?, done = 1 WHERE id = ?",
                (receipt_json, input_id),
            )

    def add_unreadable(
        self,
        *,
        token: str,
        file: str,
        rel: str,
        signature: str,
        size: int,
        received_at: dt.datetime,
        receipt_name: str,
        receipt_json: str,
        raw_rel: bytes | None,
    ) -> None:
        """Journal a file that could not be read (it stays in the inbox): done at once, so
        only its receipt is kept; `signature` (size and mtime) tells a later pass that this
        very file already has its receipt."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO inputs (token, file, rel, sha256, size, received_at, receipt_name,"
                " archived_as, kind, purpose, status, receipt_json, done, raw_rel)"
                " VALUES (?, ?, ?, '', ?, ?, ?, '', 'unknown', ?, 'rejected', ?, 1, ?)",
                (token, file, rel, size, received_at.isoformat(), receipt_name,
                 f"tidak-terbaca/{signature}", receipt_json, raw_rel),
            )  # fmt: skip

    def unreadable_seen(self, rel: str, signature: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM inputs WHERE rel = ? AND purpose = ?",
            (rel, f"tidak-terbaca/{signature}"),
        ).fetchone()
        return row is not None

    def rehash(self, input_id: int, sha256: str, size: int) -> None:
        """The claimed file changed after it was journaled (a copy still writing into it):
        the journal takes the bytes actually archived, before anything was examined."""
        with self.transaction() as db:
            db.execute(
                "UPDATE inputs SET sha256 = ?, size = ? WHERE id = ? AND status = 'processing'",
                (sha256, size, input_id),
            )

    def inputs_not_done(self) -> list[InputRow]:
        rows = self.db.execute("SELECT * FROM inputs WHERE done = 0 ORDER BY id").fetchall()
        return [_input(r) for r in rows]

    # ----------------------------------------------------------------- audit

    def audit(
        self,
        db: sqlite3.Connection,
        action: str,
        *,
        at: str,
        region: str | None = None,
        year: int | None = None,
        **details: Any,
    ) -> None:
        db.execute(
            "INSERT INTO audit (at, action, region, year, details_json) VALUES (?, ?, ?, ?, ?)",
            (at, action, region, year, json.dumps(details, ensure_ascii=False, default=str)),
        )

    def audit_log(self, region: str | None = None) -> list[sqlite3.Row]:
        if region:
            return self.db.execute(
                "SELECT * FROM audit WHERE region = ? ORDER BY id", (region,)
            ).fetchall()
        return self.db.execute("SELECT * FROM audit ORDER BY id").fetchall()


def _input(row: sqlite3.Row) -> InputRow:
    return InputRow(
        id=row["id"],
        token=row["token"],
        file=row["file"],
        rel=row["rel"],
        sha256=row["sha256"],
        size=row["size"],
        received_at=dt.datetime.fromisoformat(row["received_at"]),
        receipt_name=row["receipt_name"],
        archived_as=row["archived_as"],
        kind=row["kind"],
        purpose=row["purpose"],
        region=row["region"],
        year=row["year"],
        status=row["status"],
        receipt_json=row["receipt_json"],
        done=bool(row["done"]),
    )
