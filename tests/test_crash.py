"""Crash safety: a watcher killed with SIGKILL at random moments, again and again, while
files are still being copied in; then one clean run. Every input must end up processed
exactly once: one receipt, one archived copy, one ledger row, no duplicate usulan, and
nothing half-written in outbox/.

The kill points are random (seeded; the seed is printed on failure) and bounded in time:
about ten kills within ~45 s. They fall before, during and after claims, validation, the
ledger commit, document rendering (and LibreOffice conversion when it is installed) and the
atomic writes.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.core.atomic import TMP_PREFIX
from pipeline.core.models import Wilayah
from pipeline.core.workspace import Workspace
from pipeline.ledger.store import Ledger
from pipeline.run.inbox import list_inputs, pending_claims
from tests.conftest import HAS_SOFFICE, make_workspace
from tests.pg import set_database_url
from tests.test_watch import (
    LAU_DAMAK,
    WatcherProcess,
    receipts,
    run_once,
    sha256,
    wait_until,
)
from tests.workbooks import DESA, KECAMATAN, KELURAHAN, make_desa_workbook

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL of a process group")

KILLS = 10
KILL_PHASE_SECONDS = 45.0
TIMBANG_LAWAN = Wilayah(kode="12.05.01.2003", nama="Timbang Lawan")
PEKAN = "12.05.01 Bahorok/12.05.01.1001 Pekan Bahorok"
TIMBANG = "12.05.01 Bahorok/12.05.01.2003 Timbang Lawan"


def _inputs(tmp: Path) -> dict[str, bytes]:
    """rel path below inbox -> content; every file name is unique."""
    book = make_desa_workbook(tmp / "lau-damak.xlsx").read_bytes()
    files = {
        f"{LAU_DAMAK}/Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx": book,
        # the very same content again: one of the two is accepted, the other a duplicate
        "kiriman ulang/Buku Kerja Lau Damak (salinan ñ).xlsx": book,
        f"{TIMBANG}/Buku Kerja Timbang Lawan.xlsx": make_desa_workbook(
            tmp / "timbang.xlsx", desa=TIMBANG_LAWAN, kecamatan=KECAMATAN
        ).read_bytes(),
        f"{PEKAN}/Buku Kerja Pekan Bahorok.xlsx": make_desa_workbook(
            tmp / "pekan.xlsx", desa=KELURAHAN, kecamatan=KECAMATAN
        ).read_bytes(),
    }
    rng = random.Random(7)
    for i in range(14):
        if i % 3 == 0:
            rel = f"{LAU_DAMAK}/dokumen/foto/foto musrenbang {i}.jpg"
            data = b"\xff\xd8\xff\xe0" + rng.randbytes(20_000) + b"\xff\xd9"
        elif i % 3 == 1:
            rel = f"{TIMBANG}/catatan {i}.txt"
            data = f"catatan rapat {i}\n".encode() * 200
        else:
            rel = f"lain-lain/berkas tak dikenal {i}.bin"
            data = rng.randbytes(50_000)
        files[rel] = data
    return files


def _feed(ws: Workspace, files: dict[str, bytes], seconds: float, seed: int) -> None:
    """Copy the inputs in at random moments of the kill phase, some slowly in pieces."""
    rng = random.Random(seed)
    items = list(files.items())
    rng.shuffle(items)
    start = time.monotonic()
    for n, (rel, data) in enumerate(items):
        due = start + seconds * 0.8 * n / len(items)
        time.sleep(max(0.0, due - time.monotonic()))
        path = ws.inbox / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        pieces = rng.choice([1, 1, 3, 6])
        step = -(-len(data) // pieces)
        with open(path, "wb") as fh:
            for i in range(0, len(data), step):
                fh.write(data[i : i + step])
                fh.flush()
                # pauses well below stabil_detik: a pause longer than that is the
                # operator's problem (a .txt cannot tell that it is incomplete)
                time.sleep(rng.uniform(0.05, 0.25) if pieces > 1 else 0)


def _check_outputs_whole(ws: Workspace) -> None:
    leftovers = [
        p for folder in (ws.outbox, ws.arsip) for p in folder.rglob(f"{TMP_PREFIX}*") if p.is_file()
    ] + list(ws.runtime.glob(f"{TMP_PREFIX}*"))
    assert leftovers == [], "half-written temporary files left behind"
    for path in ws.outbox.rglob("*"):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as zf:
                assert zf.testzip() is None, path
        elif suffix == ".pdf":
            assert len(PdfReader(path).pages) >= 1, path


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_repeated_sigkill_then_clean_run(tmp_path: Path, ledger_url: Path | str) -> None:
    """On SQLite and on PostgreSQL (where the watcher holds no workspace lock, and the
    claims of a killed watcher are taken over because its pid is gone)."""
    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 100_000))
    print(f"CRASH_SEED={seed}")
    rng = random.Random(seed)
    ws = make_workspace(tmp_path / "ws", pdf=HAS_SOFFICE)
    set_database_url(ws.root, ledger_url)
    toml = ws.root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("polling_detik = 5", "polling_detik = 0.5")
    text = text.replace("stabil_detik = 0\n", "stabil_detik = 1.0\n")
    toml.write_text(text, encoding="utf-8")
    files = _inputs(tmp_path)

    feeder = threading.Thread(target=_feed, args=(ws, files, KILL_PHASE_SECONDS, seed))
    feeder.start()
    started = time.monotonic()
    kills = 0
    try:
        while kills < KILLS and time.monotonic() - started < KILL_PHASE_SECONDS:
            with WatcherProcess(ws.root) as w:
                time.sleep(rng.uniform(0.3, 4.0))
                w.kill()
            kills += 1
    finally:
        feeder.join()
    assert kills >= 8, f"only {kills} kills (seed {seed})"

    names = {Path(rel).name: data for rel, data in files.items()}
    with WatcherProcess(ws.root) as w:

        def all_done() -> bool:
            got = Counter(r["file"] for r in receipts(ws))
            return all(got[n] >= 1 for n in names) and not pending_claims(ws)

        assert wait_until(all_done, 90, step=0.3), f"seed {seed}\n{w.output}"
        time.sleep(1.0)
        assert w.stop() == 0, w.output
    again = run_once(ws.root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "0 berkas diproses" in again.stdout, again.stdout

    # every input exactly once: one receipt with its content's hash
    got = receipts(ws)
    counts = Counter(r["file"] for r in got)
    assert counts == Counter(names.keys()), f"seed {seed}: {counts}"
    for r in got:
        assert r["sha256"] == sha256(names[r["file"]]), f"seed {seed}: {r['file']} read half-way"
        assert (ws.root / r["archived_as"]).read_bytes() == names[r["file"]]
    assert list_inputs(ws.inbox) == [] and pending_claims(ws) == []
    archived = [p for p in ws.arsip.rglob("*") if p.is_file()]
    assert len(archived) == len(files), f"seed {seed}: {sorted(p.name for p in archived)}"
    # receipt copies in the region folders: at most one per input, same content as the main one
    main = {r["file"]: r for r in got}
    for copy in ws.outbox.rglob("tanda-terima/*.json"):
        if copy.parent != ws.receipts:
            data = json.loads(copy.read_text(encoding="utf-8"))
            assert data == main[data["file"]]
    copies = Counter(
        json.loads(p.read_text(encoding="utf-8"))["file"]
        for p in ws.outbox.rglob("tanda-terima/*.json")
        if p.parent != ws.receipts
    )
    assert all(n == 1 for n in copies.values()), copies

    # one accepted and one duplicate of the twin workbooks; the others accepted
    status = {r["file"]: r["status"] for r in got}
    twins = sorted(
        [status["Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx"],
         status["Buku Kerja Lau Damak (salinan ñ).xlsx"]]
    )  # fmt: skip
    assert twins == ["accepted", "duplicate"], f"seed {seed}: {status}"
    assert status["Buku Kerja Timbang Lawan.xlsx"] == "accepted"
    assert status["Buku Kerja Pekan Bahorok.xlsx"] == "accepted"

    # the ledger: one finished row per input, no duplicate usulan
    with Ledger(ledger_url) as ledger:
        db = ledger.db
        rows = db.execute("SELECT file, done, status FROM inputs").fetchall()
        assert Counter(r[0] for r in rows) == Counter(names.keys())
        assert all(r[1] == 1 for r in rows)
        query = "SELECT region, count(*) FROM usulan GROUP BY region"
        per_region = {r[0]: r[1] for r in db.execute(query)}
        assert per_region == {DESA.kode: 5, TIMBANG_LAWAN.kode: 5, KELURAHAN.kode: 5}
        query = "SELECT region, stage FROM tahap WHERE year = 2027"
        stages = {r[0]: r[1] for r in db.execute(query)}
        assert {stages[k] for k in per_region} == {"Verifikasi"}
    _check_outputs_whole(ws)
    if HAS_SOFFICE:  # the documents of the three accepted workbooks, converted after all
        pdfs = [p for p in ws.outbox.rglob("Berita Acara Musrenbang*.pdf")]
        assert len(pdfs) == 3, pdfs
