"""The ledger: an SQLite file that alone knows the state of every region and year.

Tables are keyed by region kode and year with a `level` column, so kecamatan and kabupaten
rows sit beside desa rows without a schema change. The audit log is append-only (triggers
refuse UPDATE and DELETE). Every input is a row of `inputs`; its `done` flag is the journal
that lets a killed pipeline finish or redo its work.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.models import IdentitasDesa, Peserta, Usulan
from pipeline.core.standard import Tahap

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS tahap (
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    level TEXT NOT NULL,                 -- desa | kelurahan | kecamatan
    stage TEXT NOT NULL,
    identitas_json TEXT NOT NULL DEFAULT '{}',
    peserta_json TEXT NOT NULL DEFAULT '[]',
    next_seq INTEGER NOT NULL DEFAULT 1, -- next Kode Usulan number: never reused
    started_at TEXT,                     -- first time at Pelaksanaan (SOP step 7)
    sent_at TEXT,
    late INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (region, year)
);

CREATE TABLE IF NOT EXISTS tahap_riwayat (
    id INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    at TEXT NOT NULL,
    input_id INTEGER,
    reason TEXT
);

CREATE TABLE IF NOT EXISTS usulan (
    kode TEXT PRIMARY KEY,
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    position INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    input_id INTEGER
);
CREATE INDEX IF NOT EXISTS usulan_region ON usulan (region, year, position);

CREATE TABLE IF NOT EXISTS usulan_riwayat (
    id INTEGER PRIMARY KEY,
    kode TEXT NOT NULL,
    at TEXT NOT NULL,
    input_id INTEGER,
    file TEXT,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE INDEX IF NOT EXISTS usulan_riwayat_kode ON usulan_riwayat (kode);

CREATE TABLE IF NOT EXISTS inputs (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,          -- the claim token: one input, one row, one receipt
    file TEXT NOT NULL,                  -- original file name
    rel TEXT NOT NULL,                   -- original path below inbox/
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    receipt_name TEXT NOT NULL UNIQUE,   -- stem of outbox/tanda-terima/<name>.json|.txt
    archived_as TEXT NOT NULL,
    kind TEXT,
    purpose TEXT,                        -- e.g. workbook-desa, pindaian/berita-acara
    region TEXT,
    year INTEGER,
    status TEXT NOT NULL DEFAULT 'processing',
    receipt_json TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, -- failed tries (internal errors) so far
    done INTEGER NOT NULL DEFAULT 0,
    raw_rel BLOB                         -- the original bytes of rel when not UTF-8
);
CREATE INDEX IF NOT EXISTS inputs_sha ON inputs (sha256, status);

CREATE TABLE IF NOT EXISTS berkas (
    id INTEGER PRIMARY KEY,
    input_id INTEGER NOT NULL,
    region TEXT NOT NULL,
    year INTEGER,                        -- NULL: arrived before the desa's first workbook
    kategori TEXT NOT NULL,              -- pindaian | dokumen
    jenis TEXT NOT NULL,                 -- berita-acara, daftar-hadir, foto, ...
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL,
    folder TEXT NOT NULL,
    archived_as TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS berkas_region ON berkas (region, year, kategori, jenis);

CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    region TEXT,
    year INTEGER,
    details_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- the kecamatan's own stage, workbook data and decisions (see ledger_kecamatan.py)
CREATE TABLE IF NOT EXISTS kecamatan_tahap (
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    stage TEXT NOT NULL,
    identitas_json TEXT NOT NULL DEFAULT '{}',
    jadwal_json TEXT NOT NULL DEFAULT '[]',
    peserta_json TEXT NOT NULL DEFAULT '[]',
    next_seq INTEGER NOT NULL DEFAULT 1,  -- next UPT Kode Usulan number: never reused
    sent_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (region, year)
);

CREATE TABLE IF NOT EXISTS kecamatan_usulan (
    kode TEXT NOT NULL,                   -- a desa's Kode Usulan or the kecamatan's own
    region TEXT NOT NULL,                 -- the kecamatan
    year INTEGER NOT NULL,
    position INTEGER NOT NULL,
    data_json TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    input_id INTEGER,
    PRIMARY KEY (kode, region)
);
"""


def now_iso(tz: dt.tzinfo) -> str:
    return dt.datetime.now(tz).isoformat(timespec="seconds")


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


@dataclass
class RegionYear:
    region: str
    year: int
    level: str
    stage: Tahap
    identitas: IdentitasDesa
    peserta: list[Peserta]
    next_seq: int
    started_at: str | None
    sent_at: str | None
    late: bool
    updated_at: str


@dataclass
class BerkasRow:
    jenis: str
    kategori: str
    file: str
    size: int
    sha256: str
    received_at: str
    folder: str
    archived_as: str
    input_id: int


class Ledger:
    """One connection to the ledger file. Use `transaction()` for every change."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        columns = {r["name"] for r in self.db.execute("PRAGMA table_info(inputs)")}
        if "raw_rel" not in columns:  # ledgers made before file names were kept as bytes
            self.db.execute("ALTER TABLE inputs ADD COLUMN raw_rel BLOB")
        self.db.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a crash inside leaves the ledger as before."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

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

    # ----------------------------------------------------------------- regions and stages

    def region_year(self, region: str, year: int) -> RegionYear | None:
        row = self.db.execute(
            "SELECT * FROM tahap WHERE region = ? AND year = ?", (region, year)
        ).fetchone()
        return _region_year(row) if row else None

    def years_of(self, region: str) -> list[RegionYear]:
        rows = self.db.execute(
            "SELECT * FROM tahap WHERE region = ? ORDER BY year", (region,)
        ).fetchall()
        return [_region_year(r) for r in rows]

    def all_region_years(self, year: int | None = None) -> list[RegionYear]:
        if year is None:
            rows = self.db.execute("SELECT * FROM tahap ORDER BY region, year").fetchall()
        else:
            rows = self.db.execute(
                "SELECT * FROM tahap WHERE year = ? ORDER BY region", (year,)
            ).fetchall()
        return [_region_year(r) for r in rows]

    def open_year(self, region: str) -> RegionYear | None:
        """The latest year of a region not yet sent (where scans belong)."""
        years = [ry for ry in self.years_of(region) if ry.stage is not Tahap.KIRIM]
        return years[-1] if years else None

    def set_stage(
        self,
        db: sqlite3.Connection,
        *,
        region: str,
        year: int,
        level: str,
        stage: Tahap,
        at: str,
        input_id: int | None,
        reason: str | None = None,
        identitas: IdentitasDesa | None = None,
        peserta: list[Peserta] | None = None,
        late: bool | None = None,
    ) -> None:
        current = self.region_year(region, year)
        if current is None:
            db.execute(
                "INSERT INTO tahap (region, year, level, stage, updated_at) VALUES (?, ?, ?, ?, ?)",
                (region, year, level, stage.value, at),
            )
            # scans and documents that came before the first workbook belong to this year
            db.execute(
                "UPDATE berkas SET year = ? WHERE region = ? AND year IS NULL", (year, region)
            )
        if current is None or current.stage is not stage:
            db.execute(
                "INSERT INTO tahap_riwayat (region, year, from_stage, to_stage, at, input_id,"
                " reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    region,
                    year,
                    current.stage.value if current else None,
                    stage.value,
                    at,
                    input_id,
                    reason,
                ),
            )
        sets = ["stage = ?", "updated_at = ?"]
        args: list[Any] = [stage.value, at]
        if identitas is not None:
            sets.append("identitas_json = ?")
            args.append(identitas.model_dump_json())
        if peserta is not None:
            sets.append("peserta_json = ?")
            args.append(json.dumps([p.model_dump(mode="json") for p in peserta]))
        if stage is not Tahap.PERSIAPAN:  # SOP step 7: the start is stamped once
            sets.append("started_at = COALESCE(started_at, ?)")
            args.append(at)
        if stage is Tahap.KIRIM:
            sets.append("sent_at = ?")
            args.append(at)
        elif current is not None and current.stage is Tahap.KIRIM:
            sets.append("sent_at = NULL")
        if late is not None:
            sets.append("late = ?")
            args.append(int(late))
        db.execute(
            f"UPDATE tahap SET {', '.join(sets)} WHERE region = ? AND year = ?",
            (*args, region, year),
        )

    def stage_history(self, region: str, year: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM tahap_riwayat WHERE region = ? AND year = ? ORDER BY id", (region, year)
        ).fetchall()

    # ----------------------------------------------------------------- usulan

    def usulan_of(self, region: str, year: int) -> list[Usulan]:
        rows = self.db.execute(
            "SELECT kode, data_json FROM usulan WHERE region = ? AND year = ? ORDER BY position",
            (region, year),
        ).fetchall()
        out = []
        for r in rows:
            u = Usulan.model_validate_json(r["data_json"])
            out.append(u.model_copy(update={"kode_usulan": r["kode"], "row": None}))
        return out

    def save_usulan(
        self,
        db: sqlite3.Connection,
        *,
        region: str,
        year: int,
        usulan: list[Usulan],
        at: str,
        input_id: int,
        file: str,
    ) -> list[Usulan]:
        """Store the workbook's usulan in its order: new ones get the next Kode Usulan.

        Returns the usulan with every Kode Usulan filled. Each changed field is kept in
        usulan_riwayat with its old and new value; nothing is ever deleted.
        """
        row = db.execute(
            "SELECT next_seq FROM tahap WHERE region = ? AND year = ?", (region, year)
        ).fetchone()
        next_seq = int(row["next_seq"]) if row else 1
        existing = {
            r["kode"]: json.loads(r["data_json"])
            for r in db.execute(
                "SELECT kode, data_json FROM usulan WHERE region = ? AND year = ?", (region, year)
            )
        }
        out: list[Usulan] = []
        for position, u in enumerate(usulan, start=1):
            data = u.data()
            kode = u.kode_usulan
            if not kode:
                kode = f"{region}-{year}-{next_seq:04d}"
                next_seq += 1
            old = existing.get(kode)
            if old is None:
                db.execute(
                    "INSERT INTO usulan (kode, region, year, position, data_json, created_at,"
                    " updated_at, input_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (kode, region, year, position, json.dumps(data), at, at, input_id),
                )
                db.execute(
                    "INSERT INTO usulan_riwayat (kode, at, input_id, file, field, old, new)"
                    " VALUES (?, ?, ?, ?, '*', NULL, ?)",
                    (kode, at, input_id, file, json.dumps(data, ensure_ascii=False)),
                )
            else:
                changed = {k: v for k, v in data.items() if old.get(k) != v}
                for field, new in changed.items():
                    db.execute(
                        "INSERT INTO usulan_riwayat (kode, at, input_id, file, field, old, new)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (kode, at, input_id, file, field, _text(old.get(field)), _text(new)),
                    )
                db.execute(
                    "UPDATE usulan SET position = ?, data_json = ?,"
                    " updated_at = CASE WHEN ? THEN ? ELSE updated_at END WHERE kode = ?",
                    (position, json.dumps(data), bool(changed), at, kode),
                )
            out.append(u.model_copy(update={"kode_usulan": kode}))
        db.execute(
            "UPDATE tahap SET next_seq = ? WHERE region = ? AND year = ?", (next_seq, region, year)
        )
        return out

    def usulan_history(self, kode: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM usulan_riwayat WHERE kode = ? ORDER BY id", (kode,)
        ).fetchall()

    # ----------------------------------------------------------------- scans and documents

    def add_berkas(self, db: sqlite3.Connection, **fields: Any) -> None:
        cols = ", ".join(fields)
        marks = ", ".join("?" for _ in fields)
        db.execute(f"INSERT INTO berkas ({cols}) VALUES ({marks})", tuple(fields.values()))

    def berkas_of(
        self, region: str, year: int | None, kategori: str | None = None
    ) -> list[BerkasRow]:
        """Scans/documents of a region and year; year None: those still waiting for one."""
        if year is None:
            sql = "SELECT * FROM berkas WHERE region = ? AND year IS NULL"
            args: list[Any] = [region]
        else:
            sql = "SELECT * FROM berkas WHERE region = ? AND year = ?"
            args = [region, year]
        if kategori:
            sql += " AND kategori = ?"
            args.append(kategori)
        rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        names = [f.name for f in dataclasses.fields(BerkasRow)]
        return [BerkasRow(**{name: r[name] for name in names}) for r in rows]

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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


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


def _region_year(row: sqlite3.Row) -> RegionYear:
    return RegionYear(
        region=row["region"],
        year=row["year"],
        level=row["level"],
        stage=Tahap(row["stage"]),
        identitas=IdentitasDesa.model_validate_json(row["identitas_json"]),
        peserta=[Peserta.model_validate(p) for p in json.loads(row["peserta_json"])],
        next_seq=row["next_seq"],
        started_at=row["started_at"],
        sent_at=row["sent_at"],
        late=bool(row["late"]),
        updated_at=row["updated_at"],
    )
