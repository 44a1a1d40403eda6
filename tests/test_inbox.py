"""Inbox: ignored files, lock files, completeness, listing, readiness, claims, workspace lock."""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

from pipeline.core.workspace import Workspace
from pipeline.run.inbox import (
    Claim,
    Readiness,
    claim,
    is_ignored,
    list_inputs,
    lock_file_beside,
    looks_complete,
    new_token,
    pending_claims,
    ready_once,
    release,
)
from pipeline.run.lock import WorkspaceBusy, workspace_lock

NON_ASCII_DIR = "12.05.01.2002 Lau Damak"
NON_ASCII_NAME = "Buku Kerja Musrenbang Desa Lau Damak 2027 (salinan ñ).xlsx"


# --- real file makers -------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Usulan"
    for row in range(2, 200):
        ws.cell(row=row, column=1, value=f"Pembangunan jalan desa {row}")
        ws.cell(row=row, column=2, value=row * 1_000_000)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def image_bytes(fmt: str) -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def write(path: Path, data: bytes, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace(tmp_path / "ruang kerja ñ")
    w.inbox.mkdir(parents=True)
    return w


# --- is_ignored -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    [
        "~$Buku Kerja.xlsx",
        ".~lock.Buku Kerja.xlsx#",
        ".DS_Store",
        ".hidden/Buku Kerja.xlsx",
        "desa/.sync/foto.jpg",
        "Thumbs.db",
        "THUMBS.DB",
        "desa/Desktop.ini",
        "unduhan.xlsx.part",
        "unduhan.xlsx.crdownload",
        "simpan.TMP",
        "outbox/.~tmp-abc123.xlsx",
    ],
)
def test_never_inputs(rel: str) -> None:
    assert is_ignored(Path(rel))


@pytest.mark.parametrize(
    "rel",
    [
        "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx",
        f"{NON_ASCII_DIR}/{NON_ASCII_NAME}",
        "12.05.01 Bahorok/12.05.01.2001 Sei Bamban/pindaian/berita-acara/ba.pdf",
        "foto.part.jpg",
        "tmp/daftar hadir.png",
    ],
)
def test_inputs(rel: str) -> None:
    assert not is_ignored(Path(rel))


def test_ignored_judges_only_below_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / ".tersembunyi" / "inbox"
    assert not is_ignored(inbox / "desa" / "a.xlsx", inbox)
    assert not is_ignored(inbox / "desa" / "a.xlsx")  # absolute: judged by its name
    assert is_ignored(inbox / ".git" / "a.xlsx", inbox)
    assert is_ignored(inbox / "desa" / "~$a.xlsx")


# --- lock files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lock_name",
    [
        "~$" + NON_ASCII_NAME,
        "~$" + NON_ASCII_NAME[2:],  # Excel/Word truncate long names
        ".~lock." + NON_ASCII_NAME + "#",
    ],
)
def test_lock_file_beside(tmp_path: Path, lock_name: str) -> None:
    book = write(tmp_path / NON_ASCII_DIR / NON_ASCII_NAME, b"x")
    assert not lock_file_beside(book)
    lock = write(book.parent / lock_name, b"owner")
    assert lock_file_beside(book)
    old = time.time() - 3600
    os.utime(lock, (old, old))
    assert lock_file_beside(book)
    assert not lock_file_beside(book, stale_after=600)


def test_lock_of_another_file_does_not_count(tmp_path: Path) -> None:
    book = write(tmp_path / "Desa A.xlsx", b"x")
    write(tmp_path / "~$Desa B.xlsx", b"owner")
    write(tmp_path / "other" / ".~lock.Desa A.xlsx#", b"owner")
    assert not lock_file_beside(book)


# --- looks_complete ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "maker"),
    [
        (".xlsx", xlsx_bytes),
        (".pdf", pdf_bytes),
        (".jpg", lambda: image_bytes("JPEG")),
        (".png", lambda: image_bytes("PNG")),
    ],
)
def test_complete_and_cut_files(tmp_path: Path, suffix: str, maker: object) -> None:
    assert callable(maker)
    data: bytes = maker()
    whole = write(tmp_path / f"utuh{suffix}", data)
    assert looks_complete(whole)
    # a copy stopped half-way
    assert not looks_complete(write(tmp_path / f"separuh{suffix}", data[: len(data) // 2]))
    # Windows Explorer sets the final size first: the rest is still zeros
    zeros = data[: len(data) // 2] + b"\x00" * (len(data) - len(data) // 2)
    assert not looks_complete(write(tmp_path / f"nol{suffix}", zeros))
    assert not looks_complete(write(tmp_path / f"kosong{suffix}", b""))


def test_complete_details(tmp_path: Path) -> None:
    jpg = image_bytes("JPEG")
    assert looks_complete(write(tmp_path / "padded.JPEG", jpg + b"\x00\x00\r\n"))
    assert looks_complete(write(tmp_path / "samsung.jpg", jpg + b"\x00" * 40 + b"SEFT"))
    docx = tmp_path / "undangan.docx"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    assert looks_complete(docx)
    assert looks_complete(write(tmp_path / "video.mp4", b"\x00" * 100))
    assert not looks_complete(tmp_path / "tidak-ada.xlsx")
    assert not looks_complete(write(tmp_path / "palsu.xlsx", b"PK bukan zip"))
    assert looks_complete(write(tmp_path / "Laporan.PDF", b"%PDF-1.4\n...\n%%EOF\n\n"))


# --- list_inputs ------------------------------------------------------------------------


def test_list_inputs(ws: Workspace) -> None:
    t0 = time.time() - 1000
    a = write(ws.inbox / "12.05.01 Bahorok" / NON_ASCII_DIR / NON_ASCII_NAME, b"a", t0 + 30)
    b = write(ws.inbox / "root.pdf", b"b", t0 + 10)
    c = write(ws.inbox / "12.05.01 Bahorok" / "pindaian" / "rekap" / "scan.jpg", b"c", t0 + 20)
    d = write(ws.inbox / "same-time-b.png", b"d", t0 + 20)
    for ignored in ["~$x.xlsx", ".~lock.x.xlsx#", "Thumbs.db", "x.part", ".git/config"]:
        write(ws.inbox / "12.05.01 Bahorok" / ignored, b"i", t0)
    (ws.inbox / "folder kosong" / "lagi").mkdir(parents=True)
    assert list_inputs(ws.inbox) == [b, c, d, a] or list_inputs(ws.inbox) == [b, d, c, a]
    # ties on mtime are broken by path
    ties = list_inputs(ws.inbox)[1:3]
    assert [str(p) for p in ties] == sorted(str(p) for p in ties)
    assert list_inputs(ws.root / "tidak-ada") == []


def test_list_inputs_is_fast_on_many_folders(ws: Workspace) -> None:
    for i in range(500):
        base = ws.inbox / f"12.05.{i // 20:02d} Kec" / f"12.05.{i // 20:02d}.{2000 + i} Desa {i}"
        for sub in (
            "dokumen/foto",
            "dokumen/video",
            "pindaian/daftar-hadir",
            "pindaian/berita-acara",
        ):
            (base / sub).mkdir(parents=True)
        if i % 50 == 0:
            write(base / f"Buku {i}.xlsx", b"x")
    start = time.perf_counter()
    found = list_inputs(ws.inbox)
    elapsed = time.perf_counter() - start
    assert len(found) == 10
    assert elapsed < 1.0, f"list_inputs over 500 desa folders took {elapsed:.3f} s"


# --- readiness --------------------------------------------------------------------------


def test_readiness_needs_stable_polls(ws: Workspace) -> None:
    book = write(ws.inbox / NON_ASCII_NAME, xlsx_bytes())
    r = Readiness(stable_seconds=2)
    now = time.time()
    assert r.ready([book], now) == []  # first sight: never ready yet
    assert r.next_check(now) == pytest.approx(2)
    assert r.ready([book], now + 1.9) == []
    assert r.ready([book], now + 2.0) == [book]
    # a change resets the clock
    os.utime(book, (now + 3, now + 3))
    assert r.ready([book], now + 3) == []
    assert r.ready([book], now + 4.9) == []
    assert r.ready([book], now + 5.1) == [book]


def test_readiness_lock_file_defers(ws: Workspace) -> None:
    book = write(ws.inbox / "desa" / NON_ASCII_NAME, xlsx_bytes())
    lock = write(book.parent / (".~lock." + book.name + "#"), b"owner")
    r = Readiness(stable_seconds=1)
    now = time.time()
    r.ready([book], now)
    assert r.ready([book], now + 5) == []
    assert r.ready([book], now + 500) == []  # a fresh lock defers for as long as it is there
    lock.unlink()
    assert r.ready([book], now + 501) == [book]


def test_readiness_incomplete_waits_then_gives_up(ws: Workspace) -> None:
    data = xlsx_bytes()
    book = write(ws.inbox / "rusak.xlsx", data[: len(data) // 2])
    r = Readiness(stable_seconds=2, give_up_seconds=60)
    now = time.time()
    r.ready([book], now)
    assert r.ready([book], now + 10) == []
    assert 0 < (r.next_check(now + 10) or 0) <= 2
    assert r.ready([book], now + 61) == [book]  # corrupt for good: hand it over for a receipt


def test_readiness_forgets_vanished(ws: Workspace) -> None:
    a = write(ws.inbox / "a.pdf", pdf_bytes())
    r = Readiness(stable_seconds=0)
    r.ready([a])
    assert r.waiting == 1
    a.unlink()
    assert r.ready([a]) == []
    assert r.waiting == 0
    assert r.next_check() is None


def test_ready_once(ws: Workspace) -> None:
    now = time.time()
    old = write(ws.inbox / "lama.xlsx", xlsx_bytes(), now - 30)
    fresh = write(ws.inbox / "baru.xlsx", xlsx_bytes())
    cut = write(ws.inbox / "terpotong.pdf", pdf_bytes()[:-20], now - 30)
    locked = write(ws.inbox / "dibuka.xlsx", xlsx_bytes(), now - 30)
    write(ws.inbox / ("~$" + locked.name), b"owner")
    paths = [old, fresh, cut, locked]
    # ctime of the old files is now (utime changes it), so ask a minute later
    assert ready_once(paths, 2, now=now + 10) == [old, fresh]
    assert ready_once(paths, 2, now=now + 120) == [old, fresh, cut]
    assert ready_once(paths, 2, now=now - 60) == []


# --- claims -----------------------------------------------------------------------------


def test_tokens_sort_by_time() -> None:
    tokens = [new_token() for _ in range(200)]
    assert tokens == sorted(tokens)
    assert len(set(tokens)) == 200
    assert len(tokens[0]) == len("20261122T091502123-ab12cd")


def test_claim_moves_keeping_relative_path(ws: Workspace) -> None:
    rel = f"12.05.01 Bahorok/{NON_ASCII_DIR}/{NON_ASCII_NAME}"
    data = xlsx_bytes()
    src = write(ws.inbox / rel, data)
    c = claim(ws, src)
    assert isinstance(c, Claim)
    assert not src.exists()
    assert src.parent.is_dir()  # the desa folder stays for the next drop
    assert c.path == ws.claims / c.token / rel
    assert c.path.read_bytes() == data
    assert (c.rel, c.name) == (rel, NON_ASCII_NAME)
    assert c.folder == ws.claims / c.token
    assert claim(ws, src) is None  # gone: someone else has it
    assert [p.name for p in ws.claims.iterdir()] == [c.token]  # no empty token folder left

    assert pending_claims(ws) == [c]
    release(c)
    assert not (ws.claims / c.token).exists()
    assert pending_claims(ws) == []


def test_pending_claims_oldest_first_and_cleans(ws: Workspace) -> None:
    claims = []
    for i in range(5):
        claims.append(claim(ws, write(ws.inbox / f"d{i}" / f"f{i}.pdf", pdf_bytes())))
    (ws.claims / "20200101T000000000-000000").mkdir()  # an empty token folder
    assert pending_claims(ws) == claims
    assert not (ws.claims / "20200101T000000000-000000").exists()


def _claimer(root: str, rels: list[str], barrier: object, queue: object) -> None:
    ws = Workspace(Path(root))
    order = rels[:]
    random.shuffle(order)
    barrier.wait()  # type: ignore[attr-defined]
    got = []
    for rel in order:
        c = claim(ws, ws.inbox / rel)
        if c is not None:
            got.append(c.rel)
    queue.put(got)  # type: ignore[attr-defined]


def test_concurrent_processes_claim_each_file_once(ws: Workspace) -> None:
    rels = [f"kec {i % 5}/desa ñ {i % 7}/berkas {i}.xlsx" for i in range(50)]
    for rel in rels:
        write(ws.inbox / rel, b"PK")
    ctx = multiprocessing.get_context("spawn")
    n = 4
    barrier = ctx.Barrier(n)
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_claimer, args=(str(ws.root), rels, barrier, queue)) for _ in range(n)
    ]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    claimed = [rel for got in results for rel in got]
    assert sorted(claimed) == sorted(rels)  # every file exactly once
    assert list_inputs(ws.inbox) == []
    assert sorted(c.rel for c in pending_claims(ws)) == sorted(rels)


# --- workspace lock ---------------------------------------------------------------------


def _hold_lock(root: str, held: object, release_evt: object) -> None:
    with workspace_lock(Workspace(Path(root))):
        held.set()  # type: ignore[attr-defined]
        release_evt.wait(30)  # type: ignore[attr-defined]


def test_workspace_lock_excludes_other_processes(ws: Workspace) -> None:
    ctx = multiprocessing.get_context("spawn")
    held, release_evt = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(ws.root), held, release_evt))
    proc.start()
    try:
        assert held.wait(30)
        start = time.monotonic()
        with pytest.raises(WorkspaceBusy) as info:
            with workspace_lock(ws, timeout=0.3):
                pass
        assert time.monotonic() - start >= 0.25
        assert f"pid {proc.pid}" in str(info.value)
    finally:
        release_evt.set()
        proc.join(30)
    with workspace_lock(ws, timeout=5):
        with workspace_lock(ws, timeout=0):  # reentrant in one thread
            pass


def test_workspace_lock_is_freed_when_holder_is_killed(ws: Workspace) -> None:
    ctx = multiprocessing.get_context("spawn")
    held, release_evt = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(ws.root), held, release_evt))
    proc.start()
    assert held.wait(30)
    proc.kill()
    proc.join(30)
    with workspace_lock(ws, timeout=5):
        pass
