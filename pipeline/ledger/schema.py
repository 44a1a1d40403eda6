"""The ledger's tables (DDL, the audit log's append-only triggers) and the connection to its file.

`LedgerFile` opens the SQLite file (WAL, synchronous writes), creates any missing table and
gives `transaction()`; the query mixins in journal.py and desa.py build on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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

-- at Bappeda: the kecamatan keys it trusts and the package it holds per kecamatan and year
CREATE TABLE IF NOT EXISTS kunci_kecamatan (
    region TEXT PRIMARY KEY,
    public_key BLOB NOT NULL,             -- raw 32-byte Ed25519 key
    fingerprint TEXT NOT NULL,
    registered_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS paket_kecamatan (
    region TEXT NOT NULL,
    year INTEGER NOT NULL,
    urutan INTEGER NOT NULL,              -- the kecamatan's Kirim count: later is newer
    dibuat TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    input_id INTEGER,
    merged_at TEXT NOT NULL,
    PRIMARY KEY (region, year)
);
"""


_BUMP = "UPDATE meta SET value = lower(hex(randomblob(8))) WHERE key = 'perubahan';"


class LedgerFile:
    """One connection to the ledger file, every table made. Use `transaction()` for every change."""

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
        self._mark_changes()

    def _mark_changes(self) -> None:
        """Every row written, changed or deleted in any table (but meta) gives meta
        'perubahan' a new random value (triggers, whoever writes: a pass, a merged package,
        `unlock`), so one query tells whether the ledger changed since a value was seen. A
        restored backup brings its own old value, never the one seen last."""
        tables = [
            r["name"]
            for r in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        have = {r["name"] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}  # fmt: skip
        script = [
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {table} BEGIN {_BUMP} END;"
            for table in tables
            for op in ("INSERT", "UPDATE", "DELETE")
            if (name := f"perubahan_{table}_{op.lower()}") not in have
        ]
        if not script:
            return
        try:
            with self.transaction() as db:
                db.execute(
                    "INSERT OR IGNORE INTO meta (key, value) "
                    "VALUES ('perubahan', lower(hex(randomblob(8))))"
                )
                for statement in script:
                    db.execute(statement)
        except sqlite3.OperationalError:  # a ledger this process may only read: no mark
            pass

    def change_mark(self) -> str | None:
        """meta 'perubahan': changes whenever anything in the ledger does (see _mark_changes)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'perubahan'").fetchone()
        return str(row["value"]) if row else None

    def close(self) -> None:
        self.db.close()

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
