"""The inputs journal (one row per input; its `done` flag lets a killed pipeline finish or redo
its work) and the append-only audit log."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from pipeline.core.sql import Sql, SqlRow
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
        row = self.db.execute(
            "SELECT * FROM inputs WHERE token = :token", {"token": token}
        ).fetchone()
        return _input(row) if row else None

    def receipt_name_taken(self, name: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM inputs WHERE receipt_name = :name", {"name": name}
        ).fetchone()
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
                " archived_as, raw_rel) VALUES (:token, :file, :rel, :sha256, :size, :received_at,"
                " :receipt_name, :archived_as, :raw_rel)",
                {
                    "token": token,
                    "file": file,
                    "rel": rel,
                    "sha256": sha256,
                    "size": size,
                    "received_at": received_at.isoformat(),
                    "receipt_name": receipt_name,
                    "archived_as": archived_as,
                    "raw_rel": raw_rel,
                },
            )
        found = self.input_by_token(token)
        assert found is not None
        return found

    def accepted_before(self, sha256: str, purpose: str) -> InputRow | None:
        """The earlier accepted input with these exact bytes for this purpose, if any."""
        row = self.db.execute(
            "SELECT * FROM inputs WHERE sha256 = :sha256 AND purpose = :purpose"
            " AND status = 'accepted' ORDER BY id LIMIT 1",
            {"sha256": sha256, "purpose": purpose},
        ).fetchone()
        return _input(row) if row else None

    def finish_input(
        self,
        db: Sql,
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
            "UPDATE inputs SET status = :status, kind = :kind, purpose = :purpose,"
            " region = :region, year = :year, receipt_json = :receipt_json WHERE id = :id",
            {
                "status": status,
                "kind": kind,
                "purpose": purpose,
                "region": region,
                "year": year,
                "receipt_json": receipt_json,
                "id": input_id,
            },
        )

    def mark_done(self, input_id: int) -> None:
        with self.transaction() as db:
            db.execute("UPDATE inputs SET done = 1 WHERE id = :id", {"id": input_id})

    def count_failure(self, input_id: int) -> int:
        """One more failed try of this input; returns how many there have been."""
        with self.transaction() as db:
            row = db.execute(
                "UPDATE inputs SET attempts = attempts + 1 WHERE id = :id RETURNING attempts",
                {"id": input_id},
            ).fetchone()
        return int(row["attempts"])

    def give_up(self, input_id: int, receipt_json: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE inputs SET status = 'rejected', receipt_json = :receipt_json, done = 1"
                " WHERE id = :id",
                {"receipt_json": receipt_json, "id": input_id},
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
                " VALUES (:token, :file, :rel, '', :size, :received_at, :receipt_name, '',"
                " 'unknown', :purpose, 'rejected', :receipt_json, 1, :raw_rel)",
                {"token": token, "file": file, "rel": rel, "size": size,
                 "received_at": received_at.isoformat(), "receipt_name": receipt_name,
                 "purpose": f"tidak-terbaca/{signature}", "receipt_json": receipt_json,
                 "raw_rel": raw_rel},
            )  # fmt: skip

    def unreadable_seen(self, rel: str, signature: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM inputs WHERE rel = :rel AND purpose = :purpose",
            {"rel": rel, "purpose": f"tidak-terbaca/{signature}"},
        ).fetchone()
        return row is not None

    def rehash(self, input_id: int, sha256: str, size: int) -> None:
        """The claimed file changed after it was journaled (a copy still writing into it):
        the journal takes the bytes actually archived, before anything was examined."""
        with self.transaction() as db:
            db.execute(
                "UPDATE inputs SET sha256 = :sha256, size = :size"
                " WHERE id = :id AND status = 'processing'",
                {"sha256": sha256, "size": size, "id": input_id},
            )

    def inputs_not_done(self) -> list[InputRow]:
        rows = self.db.execute("SELECT * FROM inputs WHERE done = 0 ORDER BY id").fetchall()
        return [_input(r) for r in rows]

    # ----------------------------------------------------------------- audit

    def audit(
        self,
        db: Sql,
        action: str,
        *,
        at: str,
        region: str | None = None,
        year: int | None = None,
        **details: Any,
    ) -> None:
        db.execute(
            "INSERT INTO audit (at, action, region, year, details_json)"
            " VALUES (:at, :action, :region, :year, :details_json)",
            {
                "at": at,
                "action": action,
                "region": region,
                "year": year,
                "details_json": json.dumps(details, ensure_ascii=False, default=str),
            },
        )

    def audit_log(self, region: str | None = None) -> list[SqlRow]:
        if region:
            return self.db.execute(
                "SELECT * FROM audit WHERE region = :region ORDER BY id", {"region": region}
            ).fetchall()
        return self.db.execute("SELECT * FROM audit ORDER BY id").fetchall()


def _input(row: SqlRow) -> InputRow:
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
