"""Several workers on one PostgreSQL ledger and one inbox (issue 15).

Thirty desa drop ten inputs each (a Verifikasi workbook, a copy of it, two signed scans, five
photos, a note) into one inbox at once. Three `musrenbang run` processes share the workspace
and a PostgreSQL ledger; the same inputs go through one worker into another database. Every
input must get exactly one receipt, the two ledgers must hold the same content, and the
ledger's own record of region holds (`kerja_wilayah`) must show no region held by two workers
at once, and more than one worker doing the work. A worker killed with SIGKILL mid-input is
taken over by the next one after `proses.ambil_alih_detik`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import pytest
import sqlalchemy as sa

from pipeline.commands import issue_desa_workbook
from pipeline.demo import Operator
from pipeline.demo_operators import working_days_before
from pipeline.scans.samples import make_photo, make_scan
from tests.conftest import make_workspace
from tests.kabupaten_acak import KECAMATAN
from tests.pg import admin_url, fresh_database, set_database_url

pytestmark = pytest.mark.timeout(900)

KUALA = ("12.05.03", ("Kuala", ["12.05.03.1001,Pekan Kuala", "12.05.03.1019,Bela Rakyat",
    "12.05.03.2002,Dalan Naman", "12.05.03.2003,Balai Kasih", "12.05.03.2004,Bekiung",
    "12.05.03.2005,Blankahan", "12.05.03.2006,Besadi", "12.05.03.2007,Beruam",
    "12.05.03.2009,Raja Tengah", "12.05.03.2011,Namo Mbelin"]))  # fmt: skip
TAHUN = 2027


def _wilayah() -> tuple[str, list[str]]:
    lines, desa = ["kode,nama", "12,Sumatera Utara", "12.05,Kabupaten Langkat"], []
    for kec, (nama, rows) in [*KECAMATAN.items(), KUALA]:
        lines.append(f"{kec},{nama}")
        lines += rows
        desa += [r.split(",", 1)[0] for r in rows]
    return "\n".join(lines) + "\n", desa


WILAYAH, DESA = _wilayah()


def _drop_inputs(ws: Any, kode: str, n: int) -> None:
    """Ten inputs of one desa, each unique to it (no duplicate across desa)."""
    op = Operator(ws, kode, TAHUN)
    tanggal = working_days_before(dt.date.today(), 3)
    kel = kode.split(".")[3].startswith("1")
    book = op.drop(
        {
            "Tahap": "Verifikasi",
            "Tanggal Musrenbang": tanggal,
            "Jam Mulai": "09.00",
            "Tempat": f"Balai {op.desa.nama}",
            "Alamat": f"Jl. Utama {op.desa.nama}",
            "Nama Kepala Desa/Lurah": f"Kepala {op.desa.nama}",
            "Pimpinan Rapat": f"Ketua {op.desa.nama}",
            "Notulen": f"Notulen {op.desa.nama}",
            "Jumlah Peserta Laki-laki": 6,
            "Jumlah Peserta Perempuan": 4,
        },
        peserta=[(f"Warga {i} {op.desa.nama}", "P" if i % 2 else "L",
                  "Pemerintah Kelurahan" if kel else "BPD", "Anggota") for i in range(10)],
        usulan=[("Masyarakat", "Infrastruktur dan Kewilayahan" if kel else
                 "Pelaksanaan Pembangunan Desa", f"Rabat beton jalan {op.desa.nama} {j}",
                 f"Dusun {j}", 10 + j + n, "meter", 7_500_000 * (j + 1),
                 "Dana Kelurahan" if kel else "APBDes") for j in range(3)],
        decisions=[(j + 1, "Diterima", "") for j in range(3)],
    )  # fmt: skip
    shutil.copy2(book, book.with_name("salinan buku kerja.xlsx"))
    title = f"Musrenbang {op.desa.nama} {TAHUN}"
    small = {"size": (620, 877), "dpi": 75}
    make_scan(op.inbox / "pindaian" / "berita-acara" / "ba.jpg", title, fmt="jpg", seed=n, **small)
    make_scan(op.inbox / "pindaian" / "daftar-hadir" / "dh.pdf", title, seed=n + 1, **small)
    for k in range(5):
        make_photo(op.inbox / "dokumen" / "foto" / f"IMG_{k}.jpg", title, size=(320, 240),
                   seed=100 * n + k)  # fmt: skip
    (op.inbox / "catatan.txt").write_text(f"catatan {op.desa.nama}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 300 inputs, made once: a copy of a workspace's inbox."""
    ws = make_workspace(tmp_path_factory.mktemp("sumber") / "ws", wilayah=WILAYAH)
    for n, kode in enumerate(DESA):
        issue_desa_workbook(ws.root, kode, TAHUN)
        _drop_inputs(ws, kode, n)
    files = [p for p in ws.inbox.rglob("*") if p.is_file()]
    assert len(files) == 10 * len(DESA) == 300
    return ws.inbox


def _workspace(
    root: Path,
    inbox: Path,
    url: str,
    takeover: float = 120,
    only: int | None = None,
    processes: int = 1,
    pdf: bool = False,
) -> Path:
    ws = make_workspace(root, wilayah=WILAYAH, pdf=pdf)
    set_database_url(ws.root, url)
    toml = ws.root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("ambil_alih_detik = 120", f"ambil_alih_detik = {takeover:g}")
    # [proses] pekerja: one process per worker unless a test asks for more
    text = re.sub(r"(?m)^pekerja = 0 +# proses.*$", f"pekerja = {processes}", text)
    toml.write_text(text, encoding="utf-8")
    shutil.rmtree(ws.inbox)
    shutil.copytree(inbox, ws.inbox, copy_function=shutil.copy2)
    if only is not None:  # the first `only` desa's inputs
        keep = {kode for kode in DESA[:only]}
        for folder in ws.inbox.glob("*/*"):
            if folder.is_dir() and folder.name.split(" ", 1)[0] not in keep:
                shutil.rmtree(folder)
    return ws.root


def _worker(root: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _receipts(root: Path) -> list[dict[str, Any]]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((root / "outbox" / "tanda-terima").glob("*.json"))
    ]


def _receipt_view(r: dict[str, Any]) -> tuple[Any, ...]:
    codes = tuple(sorted(i["code"] for i in r.get("issues", [])))
    return (r["file"], r["sha256"], r["status"], r["kind"], r["region"], r["stage"], codes)


# what a ledger holds, without ids, times, tokens and names that carry a time
LEDGER_VIEW = {
    "tahap": "SELECT region, year, level, stage, identitas_json, peserta_json, next_seq, late "
    "FROM tahap",
    "tahap_riwayat": "SELECT region, year, from_stage, to_stage, reason FROM tahap_riwayat",
    "usulan": "SELECT kode, region, year, position, data_json FROM usulan",
    "usulan_riwayat": "SELECT kode, file, field, old, new FROM usulan_riwayat",
    "inputs": "SELECT file, rel, sha256, size, kind, purpose, region, year, status, done "
    "FROM inputs",
    "berkas": "SELECT region, year, kategori, jenis, file, size, sha256, folder FROM berkas",
    "audit": "SELECT action, region, year FROM audit",
}


def _ledger(url: str) -> dict[str, Counter[tuple[Any, ...]]]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as c:
            return {t: Counter(tuple(r) for r in c.execute(sa.text(q))) for t, q in LEDGER_VIEW.items()}  # fmt: skip
    finally:
        engine.dispose()


def _holds(url: str) -> list[tuple[str, str, float, float | None]]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as c:
            q = "SELECT region, worker, mulai, selesai FROM kerja_wilayah ORDER BY region, mulai"
            return [tuple(r) for r in c.execute(sa.text(q))]  # type: ignore[misc]
    finally:
        engine.dispose()


def _outputs(root: Path) -> set[str]:
    out = root / "outbox"
    return {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and "tanda-terima" not in p.parts
    }


def test_three_workers_share_one_inbox_and_ledger(inputs: Path, tmp_path: Path) -> None:
    with fresh_database(admin_url()) as one_url, fresh_database(admin_url()) as three_url:
        _three_workers(inputs, tmp_path, one_url, three_url)


def _three_workers(inputs: Path, tmp_path: Path, one_url: str, three_url: str) -> None:
    one = _workspace(tmp_path / "satu", inputs, one_url)
    three = _workspace(tmp_path / "tiga", inputs, three_url)

    started = time.monotonic()
    solo = _worker(one)
    solo_out, _ = solo.communicate(timeout=800)
    assert solo.returncode in (0, 1), solo_out
    print(f"satu pekerja: {time.monotonic() - started:.1f} s")
    started = time.monotonic()

    workers = [_worker(three) for _ in range(3)]
    outs = [w.communicate(timeout=800)[0] for w in workers]
    print(f"tiga pekerja: {time.monotonic() - started:.1f} s")
    for w, out in zip(workers, outs, strict=True):
        assert w.returncode in (0, 1), out
        assert "galat internal" not in out, out

    assert [p for p in (three / "inbox").rglob("*") if p.is_file()] == []
    receipts = _receipts(three)
    assert len(receipts) == 300  # exactly one each, nothing twice
    assert Counter(map(_receipt_view, receipts)) == Counter(map(_receipt_view, _receipts(one)))
    assert Counter(r["status"] for r in receipts)["accepted"] >= 30 * 8
    assert _ledger(three_url) == _ledger(one_url)
    assert _outputs(three) == _outputs(one)

    holds = _holds(three_url)
    assert len({worker for _r, worker, _a, _b in holds}) >= 2, holds  # the work was shared
    by_region: dict[str, list[tuple[float, float]]] = {}
    for region, _worker_id, start, end in holds:
        assert end is not None, (region, "never let go")
        by_region.setdefault(region, []).append((start, end))
    for region, spans in by_region.items():
        for (_a0, a1), (b0, _b1) in zip(spans, spans[1:], strict=False):
            assert a1 <= b0, f"{region} dipegang dua pekerja sekaligus: {spans}"
    assert set(DESA) <= set(by_region)


def _kill_mid_input(root: Path, engine: sa.Engine) -> None:
    """Start a worker and SIGKILL it while an input is claimed and not done."""
    first = _worker(root)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with engine.connect() as c:
                busy = c.execute(
                    sa.text(
                        "SELECT count(*) FROM klaim k JOIN inputs i ON i.token = k.token "
                        "WHERE i.done = 0 AND i.id > 6"
                    )  # fmt: skip
                ).scalar()
        except sa.exc.DBAPIError:
            busy = 0  # tables not made yet
        if busy:
            break
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=30)
    with engine.connect() as c:
        held = c.execute(sa.text("SELECT count(*) FROM kunci_wilayah")).scalar()
        claimed = c.execute(sa.text("SELECT count(*) FROM klaim")).scalar()
    assert held and claimed  # the dead worker's region and claim are still recorded


def _finish(root: Path, engine: sa.Engine, n_inputs: int) -> float:
    """Run a second worker to the end; every input exactly once. Returns its seconds."""
    started = time.monotonic()
    second = _worker(root)
    out, _ = second.communicate(timeout=800)
    seconds = time.monotonic() - started
    assert second.returncode in (0, 1), out
    receipts = _receipts(root)
    names = Counter(r["sha256"] + r["file"] for r in receipts)
    assert len(receipts) == n_inputs and max(names.values()) == 1
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM inputs WHERE done = 0")).scalar() == 0
        assert c.execute(sa.text("SELECT count(*) FROM klaim")).scalar() == 0
        assert c.execute(sa.text("SELECT count(*) FROM kunci_wilayah")).scalar() == 0
    return seconds


def test_a_killed_worker_on_another_machine_is_taken_over_after_the_timeout(
    inputs: Path, tmp_path: Path, pg_url: str
) -> None:
    root = _workspace(tmp_path / "ws", inputs, pg_url, takeover=4, only=3)
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        _kill_mid_input(root, engine)
        with engine.begin() as c:  # as if it had run on another PC: no pid to look at
            c.execute(sa.text("UPDATE pekerja SET host = 'pc-lain'"))
            region, dead, beat = c.execute(
                sa.text("SELECT region, worker, heartbeat FROM kunci_wilayah")
            ).one()
        _finish(root, engine, 30)
        with engine.connect() as c:  # its region was taken only once the timeout had passed
            taken = c.execute(
                sa.text("SELECT min(mulai) FROM kerja_wilayah WHERE region = :r AND worker != :w"),
                {"r": region, "w": dead},
            ).scalar()
        assert taken is not None and taken >= beat + 4 - 0.1, (taken, beat)
    finally:
        engine.dispose()


def test_a_killed_worker_on_this_machine_is_taken_over_at_once(
    inputs: Path, tmp_path: Path, pg_url: str
) -> None:
    root = _workspace(tmp_path / "ws", inputs, pg_url, takeover=600, only=3)
    engine = sa.create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        _kill_mid_input(root, engine)
        assert _finish(root, engine, 30) < 300  # its pid is gone: no 600 s wait
    finally:
        engine.dispose()


def test_a_big_run_on_sqlite_puts_a_second_process_to_work(inputs: Path, tmp_path: Path) -> None:
    """`[proses] pekerja = 2`: a run over sixteen desa starts one child process; together they
    process every input exactly once, each region held by one of them at a time, and the
    run reports every receipt (its own and the child's). They share `[pdf] pekerja` (0 =
    cores): never more LibreOffice at once than the machine has cores."""
    ledger_file = tmp_path / "musrenbang.db"
    url = f"sqlite:///{ledger_file}"
    root = _workspace(tmp_path / "ws", inputs, url, only=16, processes=2, pdf=True)
    run = _worker(root)
    answer: list[str] = []
    reader = threading.Thread(target=lambda: answer.append(run.communicate(timeout=800)[0]))
    reader.start()
    offices = 0  # the most LibreOffice processes alive at once, parent's and child's together
    while reader.is_alive():
        with contextlib.suppress(psutil.Error):
            tree = psutil.Process(run.pid).children(recursive=True)
            offices = max(offices, sum(1 for p in tree if p.name().startswith("soffice.bin")))
        time.sleep(0.2)
    out = answer[0]
    assert run.returncode in (0, 1), out
    assert "Selesai: 160 berkas diproses" in out, out
    assert 1 <= offices <= (os.cpu_count() or 1), offices  # [pdf] pekerja 0 shared, not doubled
    receipts = _receipts(root)
    assert len(receipts) == 160
    holds = _holds(url)
    workers = {worker for _r, worker, _a, _b in holds}
    assert len(workers) == 2, holds  # the parent and its child both held regions
    spans: dict[str, list[tuple[float, float]]] = {}
    for region, _w, start, end in holds:
        assert end is not None
        spans.setdefault(region, []).append((start, end))
    for region, held in spans.items():
        for (_a0, a1), (b0, _b1) in zip(held, held[1:], strict=False):
            assert a1 <= b0, f"{region}: {held}"
