"""The ledger's migrations: an empty database and a ledger made by the release before
migrations (tests/data/rilis-39303a0.tar.gz: the workspace, made by release 39303a0, of one
desa at Verifikasi with two usulan and a scan: its ledger, archive and outbox) both end at the head revision, nothing lost, and the pipeline goes on
with the migrated ledger. The same migrations run on PostgreSQL (`ledger_url`: both backends).
"""

from __future__ import annotations

import sqlite3
import tarfile
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.ledger import migrate
from pipeline.ledger.store import Ledger
from pipeline.run.batch import run_pass
from tests.conftest import desa_inbox

RILIS = Path(__file__).parent / "data" / "rilis-39303a0.tar.gz"
TABLES = ("tahap", "tahap_riwayat", "usulan", "inputs", "berkas", "audit")


def _counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        db.close()


def test_a_release_ledger_is_migrated_in_place(tmp_path: Path) -> None:
    with tarfile.open(RILIS) as tar:
        tar.extractall(tmp_path, filter="data")
    ws = Workspace(tmp_path / "ws")
    ledger_file = ws.root / "musrenbang.db"
    before = _counts(ledger_file)
    assert before["usulan"] == 2 and before["inputs"] == 2
    with sqlite3.connect(ledger_file) as db:  # made before migrations existed
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)  # fmt: skip
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "alembic_version" not in tables and "klaim" not in tables

    with Ledger(ledger_file) as ledger:
        assert migrate.current(ledger.db) == migrate.head()
        row = ledger.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert row is not None and row["value"] == "2"
        stage = ledger.region_year("12.05.01.2002", 2027)
        assert stage is not None and stage.stage == "Verifikasi"
        mark = ledger.change_mark()
        with pytest.raises(DBAPIError, match="append-only"):
            with ledger.transaction() as db:
                db.execute("DELETE FROM audit")
        assert ledger.change_mark() == mark  # a refused change moves nothing
    assert _counts(ledger_file) == before  # nothing lost

    # the pipeline goes on with it: the same workbook again is a duplicate, a new scan counts
    src = desa_inbox(ws)
    (src / "pindaian" / "berita-acara").mkdir(parents=True, exist_ok=True)
    from pipeline.scans.samples import make_scan

    make_scan(src / "pindaian" / "berita-acara" / "ba.jpg", "Berita Acara", fmt="jpg",
              size=(620, 877), dpi=75)  # fmt: skip
    result = run_pass(ws, load_settings(ws.root))
    assert [r.status.value for r in result.receipts] == ["accepted"], result.internal_errors
    after = _counts(ledger_file)
    assert after["berkas"] == before["berkas"] + 1 and after["usulan"] == 2
    with Ledger(ledger_file) as ledger:  # opening again: already at head, nothing to do
        assert migrate.current(ledger.db) == migrate.head()


def test_an_empty_ledger_gets_every_table(ledger_url: str | Path) -> None:
    with Ledger(ledger_url) as ledger:
        assert migrate.current(ledger.db) == migrate.head()
        for table in (*TABLES, "meta", "kecamatan_usulan", "paket_kecamatan", "klaim"):
            ledger.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        first = ledger.change_mark()
        with ledger.transaction() as db:
            db.execute("INSERT INTO audit (at, action) VALUES ('2026-12-07', 'uji')")
        assert ledger.change_mark() != first
        with pytest.raises(DBAPIError, match="append-only"):
            with ledger.transaction() as db:
                db.execute("UPDATE audit SET action = 'diubah'")
    with Ledger(ledger_url) as ledger:  # a second open migrates nothing and keeps the rows
        assert ledger.db.execute("SELECT COUNT(*) AS n FROM audit").fetchone()["n"] == 1
