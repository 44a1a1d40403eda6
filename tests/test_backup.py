"""`musrenbang cadangan`, watch's daily backup, and the restore written up in docs/operasi.md:
backup, damage the ledger, restore as the doc says, run again, the same status."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipeline.cli import main
from pipeline.core.config import load_settings
from pipeline.core.models import Wilayah
from pipeline.core.workspace import Workspace
from pipeline.ledger.backup import PREFIX_DAILY, daily_backup, make_backup, read_manifest
from tests.conftest import desa_inbox, make_workspace
from tests.test_watch import WatcherProcess, drop, wait_until, watch_workspace, workbook_bytes
from tests.workbooks import make_desa_workbook

REPO = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Jakarta")


def _status(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["status", "--json", "--root", str(root)]) == 0
    data = json.loads(capsys.readouterr().out)
    data.pop("dibuat")
    return data  # type: ignore[no-any-return]


def _worked(tmp_path: Path) -> Workspace:
    """A workspace whose ledger holds a desa at Verifikasi and a kelurahan at Persiapan."""
    ws = make_workspace(tmp_path / "ws")
    make_desa_workbook(desa_inbox(ws) / "bk.xlsx")
    make_desa_workbook(
        desa_inbox(ws, "12.05.01.2003") / "bk.xlsx", tahap="Persiapan", usulan=[],
        desa=Wilayah(kode="12.05.01.2003", nama="Timbang Lawan"),
    )  # fmt: skip
    assert main(["run", "--root", str(ws.root)]) in (0, 1)
    return ws


def test_backup_holds_a_checked_ledger_settings_and_region_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = _worked(tmp_path)
    capsys.readouterr()
    assert main(["cadangan", "--root", str(ws.root)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.parent == ws.root / "cadangan" and path.name.startswith("cadangan-")
    manifest = read_manifest(path)  # every member's sha256 checked
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == [
            "manifest.json", "musrenbang.db", "musrenbang.toml", "wilayah.csv"
        ]  # fmt: skip
        z.extract("musrenbang.db", tmp_path / "isi")
    ledger = manifest["ledger"]
    assert isinstance(ledger, dict) and ledger["integrity_check"] == "ok"
    assert ledger["pulihkan_ke"] == "musrenbang.db"
    copy = sqlite3.connect(tmp_path / "isi" / "musrenbang.db")
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal needed
    live = sqlite3.connect(ws.root / "musrenbang.db")
    for table in ("inputs", "tahap", "usulan", "audit"):
        n = live.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert copy.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == n > 0
        assert ledger["baris"][table] == n
    # --ke DIR
    other = tmp_path / "usb" / "cadangan"
    assert main(["cadangan", "--ke", str(other), "--root", str(ws.root)]) == 0
    assert Path(capsys.readouterr().out.strip()).parent == other


def test_restore_as_the_doc_says_gives_the_same_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = (REPO / "docs" / "operasi.md").read_text(encoding="utf-8")
    steps = doc[doc.index("### Memulihkan ledger") :]
    for needle in ("musrenbang.db-wal", "musrenbang.db-shm", "unzip -o", "Expand-Archive"):
        assert needle in steps
    ws = _worked(tmp_path)
    capsys.readouterr()
    before = _status(ws.root, capsys)
    assert main(["cadangan", "--root", str(ws.root)]) == 0
    backup = Path(capsys.readouterr().out.strip())

    # the disk damages the ledger while a -wal file is beside it
    db = ws.root / "musrenbang.db"
    sqlite3.connect(db).execute("PRAGMA journal_mode=WAL").connection.close()
    data = bytearray(db.read_bytes())
    data[0:100] = b"\xde\xad" * 50  # the header
    db.write_bytes(bytes(data))
    (ws.root / "musrenbang.db-wal").write_bytes(b"\x00" * 4096)
    assert main(["run", "--root", str(ws.root)]) == 3
    assert "pulihkan musrenbang.db dari cadangan" in capsys.readouterr().err
    assert main(["cadangan", "--root", str(ws.root)]) == 3  # never a backup of a damaged ledger
    capsys.readouterr()

    # 2. set the damaged ledger aside, with its -wal and -shm
    aside = ws.root / "rusak"
    aside.mkdir()
    for name in ("musrenbang.db", "musrenbang.db-wal", "musrenbang.db-shm"):
        if (ws.root / name).exists():
            shutil.move(ws.root / name, aside / name)
    # 3. take musrenbang.db from the newest backup into the root (unzip -o ... -d ROOT)
    newest = max((ws.root / "cadangan").glob("cadangan-*.zip"))
    assert newest == backup
    with zipfile.ZipFile(newest) as z:
        z.extract("musrenbang.db", ws.root)
    # 4. check, 5. run again
    assert _status(ws.root, capsys) == before
    assert main(["run", "--root", str(ws.root)]) == 0
    capsys.readouterr()
    assert _status(ws.root, capsys) == before


def test_daily_backups_once_a_day_oldest_pruned(tmp_path: Path) -> None:
    ws = _worked(tmp_path)
    settings = load_settings(ws.root)
    settings.cadangan.simpan = 3
    manual = make_backup(ws, settings)
    day = dt.datetime(2026, 11, 1, 7, 0, tzinfo=TZ)
    made = []
    for n in range(5):
        when = day + dt.timedelta(days=n)
        made.append(daily_backup(ws, settings, now=when))
        assert daily_backup(ws, settings, now=when + dt.timedelta(hours=5)) is None  # once a day
    folder = ws.root / "cadangan"
    kept = sorted(p.name for p in folder.glob(f"{PREFIX_DAILY}*.zip"))
    assert kept == [p.name for p in made[-3:] if p is not None]
    assert kept[-1] == "cadangan-harian-20261105-070000.zip"
    assert manual.exists()  # a backup made by the command is never pruned
    settings.cadangan.harian = False
    assert daily_backup(ws, settings, now=day + dt.timedelta(days=9)) is None


def test_backup_while_watch_runs_and_watch_makes_the_daily_one(tmp_path: Path) -> None:
    ws = watch_workspace(tmp_path / "ws", stabil=0.2, polling=0.5)
    desa = desa_inbox(ws).relative_to(ws.inbox).as_posix()
    with WatcherProcess(ws.root) as watcher:
        folder = ws.root / "cadangan"
        assert wait_until(lambda: any(folder.glob(f"{PREFIX_DAILY}*.zip")), 60), watcher.output
        assert "Cadangan harian:" in watcher.output
        paths = []
        for n in range(4):  # workbooks keep arriving while backups are taken
            drop(ws, f"{desa}/bk-{n}.xlsx", workbook_bytes(tmp_path, f"bk-{n}.xlsx"))
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            done = subprocess.run(
                [sys.executable, "-m", "pipeline", "cadangan", "--root", str(ws.root)],
                cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            paths.append(Path(done.stdout.strip()))
        assert wait_until(lambda: len(list(ws.receipts.glob("*.json"))) == 4, 60)
        assert watcher.stop() == 0
    for path in paths:
        manifest = read_manifest(path)
        assert manifest["ledger"]["integrity_check"] == "ok"  # type: ignore[index]
    assert len(list(folder.glob(f"{PREFIX_DAILY}*.zip"))) == 1  # one a day, not one a pass
