"""No work for nothing (issue 14): a `run` with nothing new in the inbox rewrites no file.

A workspace of a few desa takes one pass with real workbooks (desa outputs, current
workbooks, receipts, the kabupaten Rekap and Pemantauan); a second `musrenbang run`, the
command itself, then finds nothing new: every file of the workspace keeps its bytes and its
modification time, and no receipt is written. Only the run-time folder `.musrenbang/` (the
workspace lock and the pid of its holder) is the pass's own business.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

from pipeline.cli import main
from pipeline.core.config import load_settings
from pipeline.run.batch import run_pass
from tests.conftest import desa_inbox, make_workspace
from tests.workbooks import KELURAHAN, make_desa_workbook


def files_of(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file below `root` but the run-time folder: (mtime_ns, content) by path."""
    out = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".musrenbang"]
        for name in names:
            path = Path(folder) / name
            out[str(path.relative_to(root))] = (path.stat().st_mtime_ns, path.read_bytes())
    return out


def cli_run(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["run", "--root", str(root)])
    return code, out.getvalue()


def test_second_run_rewrites_nothing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    lau = make_desa_workbook(tmp_path / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx")
    pekan = make_desa_workbook(
        tmp_path / "Buku Kerja Musrenbang Kelurahan Pekan Bahorok 2027.xlsx", desa=KELURAHAN
    )
    lau.rename(desa_inbox(ws) / lau.name)
    pekan.rename(desa_inbox(ws, KELURAHAN.kode) / pekan.name)
    first = run_pass(ws, load_settings(ws.root))
    assert [r.status.value for r in first.receipts] == ["accepted", "accepted"]
    before = files_of(ws.root)
    receipts = sorted(p.name for p in ws.receipts.iterdir())
    assert any(p.endswith(".xlsx") and "Rekap Usulan" in p for p in before)
    assert any(p.endswith(".html") and "Pemantauan" in p for p in before)
    assert any("Kompilasi Usulan" in p for p in before)

    code, out = cli_run(ws.root)
    assert code == 0, out
    assert "0 berkas diproses" in out
    after = files_of(ws.root)
    assert sorted(after) == sorted(before)  # nothing new, nothing gone
    changed = [p for p in before if after[p] != before[p]]
    assert changed == []  # neither the bytes nor the modification time of any file
    assert sorted(p.name for p in ws.receipts.iterdir()) == receipts


def test_a_new_input_still_refreshes_the_kabupaten_reports(tmp_path: Path) -> None:
    """The no-op pass keeps what is up to date, not what is stale: after a new workbook the
    Pemantauan shows it."""
    ws = make_workspace(tmp_path / "ws")
    lau = make_desa_workbook(tmp_path / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx")
    lau.rename(desa_inbox(ws) / lau.name)
    assert cli_run(ws.root)[0] == 0
    page = next(ws.outbox.glob("Pemantauan*.html"))
    assert "Pekan Bahorok" in page.read_text(encoding="utf-8")
    before = page.read_text(encoding="utf-8")
    assert cli_run(ws.root)[0] == 0
    assert page.read_text(encoding="utf-8") == before
    pekan = make_desa_workbook(
        tmp_path / "Buku Kerja Musrenbang Kelurahan Pekan Bahorok 2027.xlsx", desa=KELURAHAN
    )
    pekan.rename(desa_inbox(ws, KELURAHAN.kode) / pekan.name)
    assert cli_run(ws.root)[0] == 0
    assert page.read_text(encoding="utf-8") != before  # Pekan Bahorok now at Verifikasi


def test_reports_rebuilt_when_deleted_or_the_ledger_changed(tmp_path: Path) -> None:
    """The pass skips the kabupaten reports only while they are as it left them and the
    ledger has not changed, whoever changed it."""
    from pipeline.ledger.store import Ledger

    ws = make_workspace(tmp_path / "ws")
    lau = make_desa_workbook(tmp_path / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx")
    lau.rename(desa_inbox(ws) / lau.name)
    assert cli_run(ws.root)[0] == 0
    page = next(ws.outbox.glob("Pemantauan*.html"))
    shown = page.read_text(encoding="utf-8")
    page.unlink()
    assert cli_run(ws.root)[0] == 0
    assert page.read_text(encoding="utf-8") == shown  # made again, the same
    settings = load_settings(ws.root)
    with Ledger(settings.database_path(ws.root)) as ledger:
        mark = ledger.change_mark()
        assert mark and ledger.change_mark() == mark  # reading changes nothing
        with ledger.transaction() as db:  # not a pass: e.g. a tool or a merged package
            db.execute("UPDATE tahap SET stage = 'Pelaksanaan' WHERE region = '12.05.01.2002'")
        assert ledger.change_mark() != mark
    assert cli_run(ws.root)[0] == 0
    now = page.read_text(encoding="utf-8")
    assert now != shown and "Pelaksanaan" in now


def test_reports_rebuilt_when_the_settings_change(tmp_path: Path) -> None:
    """Settings name and lay out the reports: other settings, other reports, same ledger."""
    ws = make_workspace(tmp_path / "ws")
    lau = make_desa_workbook(tmp_path / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx")
    lau.rename(desa_inbox(ws) / lau.name)
    settings = load_settings(ws.root)
    first = run_pass(ws, settings)
    assert any("Kabupaten Langkat" in p.name for p in first.reports)
    settings.kabupaten.nama = "Kabupaten Langkat Baru"
    again = run_pass(ws, settings)
    assert again.reports and all("Langkat Baru" in p.name for p in again.reports)
    assert all(p.exists() for p in again.reports)
