"""Conversions overlap the pass (issue 14, item 1; run/pending.py, documents/deferred.py).

Real LibreOffice, real files: a deferred document batch publishes exactly what the
synchronous one does (outputs, issues and their order, also when every conversion fails);
in a pass every receipt is written only once the outputs it names exist, in arrival order;
a pass killed after an input's ledger commit but before its conversions finished is
redone by the next pass.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.core.config import Settings, load_settings
from pipeline.core.workspace import Workspace
from pipeline.desa.documents import produce_desa_documents
from pipeline.documents import deferred
from pipeline.documents.convert import Converter, check_pdf
from pipeline.run.batch import run_pass
from pipeline.run.inbox import pending_claims
from pipeline.run.pending import conflicts
from tests import snapshots as S
from tests.conftest import HAS_SOFFICE, desa_inbox, make_workspace
from tests.test_crash import TIMBANG_LAWAN, _check_outputs_whole
from tests.test_watch import receipts, run_once
from tests.workbooks import KECAMATAN, KELURAHAN, make_desa_workbook

needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) tidak terpasang")
REPO = Path(__file__).resolve().parents[1]


def _blank_ws(root: Path) -> Workspace:
    ws = Workspace(root)
    ws.templates.mkdir(parents=True)
    return ws


def _seen(outputs: list[Path], ws: Workspace) -> list[str]:
    return [p.relative_to(ws.root).as_posix() for p in outputs]


def _compare(tmp_path: Path, settings: Settings, timeout: float | None) -> list[str]:
    """The same snapshot produced synchronously and deferred: the same result."""
    snap = S.realistic()
    sync_ws, later_ws = _blank_ws(tmp_path / "sync"), _blank_ws(tmp_path / "later")
    with Converter(settings.pdf, tmp_path / "rt-sync", timeout=timeout) as conv:
        sync = produce_desa_documents(sync_ws, settings, snap, conv)
    with Converter(settings.pdf, tmp_path / "rt-later", timeout=timeout) as conv:
        with deferred.collecting() as laters:
            announced = produce_desa_documents(later_ws, settings, snap, conv)
        assert len(laters) == 1
        folder = later_ws.outbox_desa(S.KECAMATAN, S.DESA, 2027)
        assert not folder.exists() or not list(folder.iterdir())  # nothing published yet
        outputs, issues = laters[0].apply(announced.outputs, announced.issues)
    assert _seen(outputs, later_ws) == _seen(sync.outputs, sync_ws)
    mine = [(i.code, i.message.replace(str(later_ws.root), "<ws>")) for i in issues]
    assert mine == [(i.code, i.message.replace(str(sync_ws.root), "<ws>")) for i in sync.issues]
    for ws in (sync_ws, later_ws):
        folder = ws.outbox_desa(S.KECAMATAN, S.DESA, 2027)
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            Path(p).name for p in _seen(sync.outputs, sync_ws)
        )  # nothing else: no half-written PDF, no temp file
        assert list(ws.tmp.iterdir()) == []
    for path in outputs:
        if path.suffix == ".pdf":
            assert check_pdf(path)
    return [i.code for i in issues]


@needs_soffice
def test_deferred_documents_publish_what_the_synchronous_path_does(tmp_path: Path) -> None:
    codes = _compare(tmp_path, Settings(), None)
    assert "pdf-dilewati" not in codes


@needs_soffice
def test_deferred_failed_conversions_keep_the_same_receipt_issues(tmp_path: Path) -> None:
    # a lambang that is not there (its issue comes after the failed conversions) and a
    # time limit no LibreOffice meets: every conversion fails, for real
    settings = Settings.model_validate({"kop": {"logo": "tidak-ada.png"}})
    codes = _compare(tmp_path, settings, 0.05)
    assert codes == ["pdf-dilewati"] * 3 + ["lambang-tidak-ada"]


def test_region_keys_that_may_race() -> None:
    assert conflicts({"12.05.01.2002"}, "12.05.01.2002")
    assert conflicts({"12.05.01.2002"}, "12.05.01")  # its kecamatan waits
    assert conflicts({"12.05.01"}, "12.05.01.2003")
    assert conflicts({None}, "12.05.01.2003") and conflicts({"12.05.01.2002"}, None)
    assert not conflicts({"12.05.01.2002"}, "12.05.01.2003")
    assert not conflicts({"12.05.01.2002", "12.05.01.2003"}, "12.05.10")
    assert not conflicts({"12.05.01"}, "12.05.010")


def _drop_three(ws: Workspace, tmp: Path) -> list[str]:
    """Three desa workbooks, one after the other; returns the file names in arrival order."""
    names = []
    for n, (desa, kode) in enumerate(
        [(None, "12.05.01.2002"), (TIMBANG_LAWAN, "12.05.01.2003"), (KELURAHAN, "12.05.01.1001")]
    ):
        name = f"Buku Kerja {n}.xlsx"
        kwargs = {} if desa is None else {"desa": desa, "kecamatan": KECAMATAN}
        target = desa_inbox(ws, kode) / name
        make_desa_workbook(tmp / name, **kwargs)  # type: ignore[arg-type]
        target.write_bytes((tmp / name).read_bytes())
        stamp = time.time() - 600 + n  # arrived one after the other, long stable
        os.utime(target, (stamp, stamp))
        names.append(name)
    return names


@needs_soffice
def test_pass_writes_each_receipt_once_its_outputs_exist_in_order(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", pdf=True)
    names = _drop_three(ws, tmp_path)
    lines: list[str] = []
    checked: set[str] = set()

    def log(line: str) -> None:
        lines.append(line)
        for r in receipts(ws):  # every receipt written so far names files that exist
            assert r["outputs"], r["file"]
            for rel in r["outputs"]:
                path = ws.root / rel
                assert path.exists(), (r["file"], rel)
                if path.suffix == ".pdf":
                    assert check_pdf(path), rel
            checked.add(r["file"])

    result = run_pass(ws, load_settings(ws.root), log=log)
    assert result.exit_code == 0, result.internal_errors
    assert [r.file for r in result.receipts] == names  # arrival order
    assert [next(n for n in names if n in line) for line in lines] == names
    assert checked == set(names)
    for r in result.receipts:
        assert sum(o.endswith(".pdf") for o in r.outputs) == 3, r.outputs
    assert not pending_claims(ws)


def _ledger_state(db: Path) -> list[tuple[str, int]]:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return list(con.execute("SELECT status, done FROM inputs"))
        finally:
            con.close()
    except sqlite3.Error:
        return []


@needs_soffice
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL of a process group")
def test_pass_killed_while_conversions_pend_is_redone(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", pdf=True)
    names = _drop_three(ws, tmp_path)
    env = {**os.environ, "PYTHONUTF8": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--root", str(ws.root)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    db = ws.root / "musrenbang.db"
    caught = False
    deadline = time.monotonic() + 120
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            # an input whose ledger change committed, its receipt not yet written
            if any(s == "accepted" and d == 0 for s, d in _ledger_state(db)):
                os.killpg(proc.pid, signal.SIGKILL)
                caught = True
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert caught, "the pass ended before an accepted input was seen waiting"
    before = {r["file"] for r in receipts(ws)}
    assert set(names) - before  # at least one input had no receipt yet

    done = run_once(ws.root)  # reaps the orphaned LibreOffice, redoes the unfinished input
    assert done.returncode == 0, done.stdout + done.stderr
    got = receipts(ws)
    assert sorted(r["file"] for r in got) == sorted(names)  # exactly one receipt each
    for r in got:
        assert r["status"] == "accepted"
        pdfs = [ws.root / o for o in r["outputs"] if o.endswith(".pdf")]
        assert len(pdfs) == 3 and all(check_pdf(p) for p in pdfs), r["outputs"]
    assert all(d == 1 for _s, d in _ledger_state(db))
    assert not pending_claims(ws)
    _check_outputs_whole(ws)  # no half-written file anywhere in outbox/
