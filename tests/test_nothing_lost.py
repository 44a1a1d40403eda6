"""Nothing lost, nothing stuck: what disks, USB sticks and operators really do (issue 8).

Each test drives real `musrenbang run` processes (or, where a fault must be placed inside a
pass, `run_pass` itself) over real files: a small tmpfs that fills up, names that are not
UTF-8, names of 255 bytes, files the pipeline user may not read (the pipeline run as user
`nobody`), symlinks and fifos swapped in after the listing, and failures while a failure is
being recorded.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from pipeline.core.config import load_settings
from pipeline.core.workspace import MAX_PATH_CHARS, Workspace, windows_length
from pipeline.run import inbox
from pipeline.run.batch import run_pass
from tests.conftest import desa_inbox, make_workspace
from tests.workbooks import make_desa_workbook

REPO = Path(__file__).resolve().parents[1]
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file system semantics")


def run_cli(root: Path, *, user: str | None = None) -> subprocess.CompletedProcess[str]:
    """One real `musrenbang run` process (as `user` through setpriv when given)."""
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    cmd = [sys.executable, "-m", "pipeline", "run", "--root", str(root)]
    if user is not None:
        env["HOME"] = str(root)
        cmd = ["setpriv", "--reuid", user, "--regid", user, "--clear-groups", *cmd]
    return subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=180
    )


def receipts(ws: Workspace) -> list[dict[str, object]]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(ws.receipts.glob("*.json"))
        if not p.name.startswith(".")
    ]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def photo_bytes(size: int, seed: int = 1) -> bytes:
    """A real JPEG photo (noise, so it does not compress) of at least about `size` bytes."""
    side = max(16, int((size / 1.5) ** 0.5))
    rng = random.Random(seed)
    img = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=95)
    return out.getvalue()


def claimed_files(ws: Workspace) -> list[Path]:
    return [p for p in ws.claims.rglob("*") if p.is_file() or p.is_symlink()]


def all_paths(folder: Path) -> Iterable[Path]:
    return (p for p in folder.rglob("*") if p.is_file())


# --- 1. a full disk ---------------------------------------------------------------------


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 16 MB tmpfs; skipped (with the reason) where it cannot be mounted."""
    if os.name != "posix" or shutil.which("mount") is None:
        pytest.skip("tmpfs needs a POSIX system with mount")
    mnt = Path(tempfile.mkdtemp(prefix="musrenbang-disk-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        mnt.rmdir()
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
        shutil.rmtree(mnt, ignore_errors=True)


def fill(disk: Path, leave: int) -> Path:
    """A filler file that leaves about `leave` bytes free on `disk`."""
    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    filler = disk / "pengisi.bin"
    with open(filler, "wb") as fh:
        remaining = max(0, free - leave)
        block = b"\0" * (1 << 20)
        while remaining > 0:
            remaining -= fh.write(block[: min(len(block), remaining)])
    return filler


@posix_only
def test_disk_full_while_archiving_never_loses_the_input(small_disk: Path) -> None:
    ws = make_workspace(small_disk / "ws")
    data = photo_bytes(3 * 1024 * 1024)
    photo = desa_inbox(ws) / "dokumen" / "foto" / "foto musrenbang.jpg"
    photo.write_bytes(data)
    filler = fill(small_disk, leave=1024 * 1024)  # the archive copy cannot fit

    for attempt in range(4):  # more than MAX_ATTEMPTS: a full disk never ends in a give-up
        done = run_cli(ws.root)
        assert done.returncode == 3, (attempt, done.stdout, done.stderr)
        assert receipts(ws) == [], "no receipt while the input is not archived"
        kept = [p for p in claimed_files(ws) if p.name == photo.name] or [photo]
        assert len(kept) == 1 and kept[0].read_bytes() == data, "the input still exists"
        archived = [p for p in all_paths(ws.arsip) if p.name.endswith(photo.name)]
        assert all(p.read_bytes() == data for p in archived), "never a partial archive copy"
    assert "No space left" in (ws.runtime / "logs" / "pipeline.log").read_text()

    filler.unlink()
    done = run_cli(ws.root)
    assert done.returncode == 0, done.stdout + done.stderr
    [receipt] = receipts(ws)
    assert receipt["status"] == "accepted" and receipt["sha256"] == sha(data)
    assert (ws.root / str(receipt["archived_as"])).read_bytes() == data
    assert claimed_files(ws) == [] and not photo.exists()


@posix_only
def test_disk_full_after_archiving_is_retried_not_given_up(
    small_disk: Path, tmp_path: Path
) -> None:
    """The archive fits but what follows (ledger, current workbook, documents, receipt) does
    not: retried by every pass, never counted towards a give-up receipt."""
    ws = make_workspace(small_disk / "ws")
    assert run_cli(ws.root).returncode == 0  # the ledger and the recaps exist
    book = make_desa_workbook(tmp_path / "bk.xlsx").read_bytes()
    target = desa_inbox(ws) / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx"
    target.write_bytes(book)
    filler = fill(small_disk, leave=len(book) + 64 * 1024)
    failed_after_archive = 0
    for _ in range(16):
        done = run_cli(ws.root)
        assert done.returncode == 3, done.stdout + done.stderr
        assert receipts(ws) == [] or all(r["status"] != "rejected" for r in receipts(ws))
        kept = [p for p in claimed_files(ws) if p.name == target.name] or [target]
        assert len(kept) == 1 and kept[0].read_bytes() == book, "the input still exists"
        if any(p.read_bytes() == book for p in all_paths(ws.arsip)):
            failed_after_archive += 1
            if failed_after_archive > 3:  # more than MAX_ATTEMPTS
                break
        else:  # the archive did not fit yet: a little more room
            os.truncate(filler, max(0, filler.stat().st_size - 32 * 1024))
    assert failed_after_archive > 3
    db = sqlite3.connect(ws.root / "musrenbang.db")
    assert db.execute("SELECT attempts, done FROM inputs").fetchall() == [(0, 0)]
    db.close()
    filler.unlink()
    done = run_cli(ws.root)
    assert done.returncode == 0, done.stdout + done.stderr
    [receipt] = receipts(ws)
    assert receipt["status"] == "accepted" and receipt["stage"] == "Verifikasi"
    assert (ws.root / str(receipt["archived_as"])).read_bytes() == book
    assert claimed_files(ws) == []


def test_a_claim_goes_only_once_its_archive_matches(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The give-up path of the issue: after repeated internal errors, the archive copy was
    lost; the give-up copies it again from the claimed file before releasing it, and a
    damaged archive copy is replaced from the claim, never trusted."""
    from pipeline.run.route import Stages

    def broken(self: Stages, path: Path, row: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(Stages, "examine", broken)
    data = make_desa_workbook(tmp_path / "bk.xlsx").read_bytes()
    (desa_inbox(workspace) / "bk.xlsx").write_bytes(data)
    settings = load_settings(workspace.root)
    for _ in range(2):
        assert run_pass(workspace, settings).exit_code == 3
    [archived] = list(all_paths(workspace.arsip))
    archived.write_bytes(b"rusak")  # the archive copy damaged (a bad sector, a bad admin)
    result = run_pass(workspace, settings)
    [r] = result.receipts
    assert [i.code for i in r.issues] == ["galat-internal"]
    assert archived.read_bytes() == data, "archive copied again from the claim"
    assert claimed_files(workspace) == []


# --- 2. names that are not UTF-8 ----------------------------------------------------------


@posix_only
def test_names_that_are_not_utf8_get_receipts(workspace: Workspace, tmp_path: Path) -> None:
    book = make_desa_workbook(tmp_path / "bk.xlsx").read_bytes()
    desa = os.fsencode(desa_inbox(workspace))
    names = {
        desa + b"/Buku Kerja Lau Damak \xe9dit\xe9 (cp1252).xlsx": book,
        desa + b"/dokumen/foto/foto \x81\x8d\xff.jpg": photo_bytes(5000),
        os.fsencode(workspace.inbox) + b"/kiriman \xff\xfe/catatan.txt": b"halo",
    }
    for raw, data in names.items():
        os.makedirs(os.path.dirname(raw), exist_ok=True)
        with open(raw, "wb") as fh:
            fh.write(data)
    good = desa_inbox(workspace) / "dokumen" / "foto" / "foto biasa.jpg"
    good.write_bytes(photo_bytes(4000, seed=2))

    done = run_cli(workspace.root)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    got = {str(r["file"]): r for r in receipts(workspace)}
    assert set(got) == {
        "Buku Kerja Lau Damak \ufffddit\ufffd (cp1252).xlsx",
        "foto \ufffd\ufffd\ufffd.jpg",
        "catatan.txt",
        "foto biasa.jpg",
    }
    assert got["Buku Kerja Lau Damak \ufffddit\ufffd (cp1252).xlsx"]["status"] == "accepted"
    for r in got.values():
        archived = workspace.root / str(r["archived_as"])
        assert sha(archived.read_bytes()) == r["sha256"]
        str(r["archived_as"]).encode("utf-8")  # every name written is valid UTF-8
    for path in workspace.receipts.iterdir():
        path.name.encode("utf-8")
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    kept = {bytes(r[0]) for r in db.execute("SELECT raw_rel FROM inputs WHERE raw_rel IS NOT NULL")}
    inbox_bytes = os.fsencode(workspace.inbox) + b"/"
    assert kept == {raw.removeprefix(inbox_bytes) for raw in names}, "original bytes journaled"
    assert inbox.list_inputs(workspace.inbox) == [] and claimed_files(workspace) == []
    again = run_cli(workspace.root)
    assert again.returncode == 0 and "0 berkas diproses" in again.stdout, again.stdout


# --- 3. long names -------------------------------------------------------------------------


@posix_only
def test_long_names_get_receipts_with_short_safe_names(
    workspace: Workspace, tmp_path: Path
) -> None:
    book = make_desa_workbook(tmp_path / "bk.xlsx").read_bytes()
    folder = desa_inbox(workspace)
    names = {
        "Buku Kerja " + "x" * 214 + ".xlsx": book,  # 230 bytes
        "y" * 251 + ".txt": b"catatan",  # 255 bytes, the most ext4 holds
        "é" * 125 + ".txt": b"catatan aksen",  # 254 bytes, 129 characters
    }
    for name, data in names.items():
        (folder / name).write_bytes(data)
    deep = workspace.inbox / "kiriman"
    for n in range(6):
        deep = deep / (f"map {n} " + "z" * 150)
    deep.mkdir(parents=True)
    (deep / ("w" * 200 + ".txt")).write_bytes(b"jauh di dalam")
    names["w" * 200 + ".txt"] = b"jauh di dalam"

    done = run_cli(workspace.root)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    got = {str(r["file"]): r for r in receipts(workspace)}
    assert set(got) == set(names), "every input has its receipt, with its full name"
    assert got["Buku Kerja " + "x" * 214 + ".xlsx"]["status"] == "accepted"
    for name, r in got.items():
        archived = workspace.root / str(r["archived_as"])
        assert archived.read_bytes() == names[name]
        assert windows_length(str(r["archived_as"])) < MAX_PATH_CHARS
        assert archived.suffix == Path(name).suffix, "the extension is kept"
    written = [p for p in (*all_paths(workspace.outbox), *all_paths(workspace.arsip))]
    for path in written:
        rel = path.relative_to(workspace.root).as_posix()
        assert windows_length(rel) < MAX_PATH_CHARS, rel
        assert len(path.name.encode()) <= 240, path.name
    assert inbox.list_inputs(workspace.inbox) == [] and claimed_files(workspace) == []


# --- 4. files the pipeline may not read ------------------------------------------------------


@pytest.fixture
def nobody_workspace() -> Iterator[Workspace]:
    """A workspace owned by user `nobody`, outside pytest's private tmp folder."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run the pipeline as another user")
    base = Path(tempfile.mkdtemp(prefix="musrenbang-nobody-"))
    os.chmod(base, 0o755)
    try:
        ws = make_workspace(base / "ws")
        subprocess.run(["chown", "-R", "65534:65534", str(base)], check=True)
        probe = run_cli(ws.root, user="65534")
        if probe.returncode != 0:
            pytest.skip(f"the pipeline cannot run as nobody here: {probe.stderr[-300:]}")
        yield ws
    finally:
        shutil.rmtree(base, ignore_errors=True)


@posix_only
def test_unreadable_file_gets_a_receipt_and_stays_in_the_inbox(
    nobody_workspace: Workspace,
) -> None:
    ws = nobody_workspace
    data = photo_bytes(6000)
    photo = desa_inbox(ws) / "dokumen" / "foto" / "foto terkunci.jpg"
    photo.write_bytes(data)
    os.chmod(photo, 0o000)  # owned by root: user nobody may not read it
    other = desa_inbox(ws) / "dokumen" / "foto" / "foto biasa.jpg"
    other.write_bytes(photo_bytes(5000, seed=3))
    os.chown(other, 65534, 65534)

    done = run_cli(ws.root, user="65534")
    assert done.returncode == 1, done.stdout + done.stderr
    got = {str(r["file"]): r for r in receipts(ws)}
    refused = got["foto terkunci.jpg"]
    assert [i["code"] for i in refused["issues"]] == ["berkas-tidak-terbaca"]  # type: ignore[union-attr]
    assert refused["archived_as"] is None and refused["region"] == "12.05.01.2002"
    assert got["foto biasa.jpg"]["status"] == "accepted", "the pass went on"
    assert photo.exists() and photo.read_bytes() == data, "stays where the operator sees it"

    again = run_cli(ws.root, user="65534")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(receipts(ws)) == 2, "one receipt per version of the file, not per pass"

    os.chmod(photo, 0o644)  # the operator fixes the permissions
    done = run_cli(ws.root, user="65534")
    assert done.returncode == 0, done.stdout + done.stderr
    accepted = [r for r in receipts(ws) if r["file"] == photo.name and r["status"] == "accepted"]
    assert len(accepted) == 1 and accepted[0]["sha256"] == sha(data)
    assert not photo.exists() and claimed_files(ws) == []


@posix_only
def test_unreadable_claimed_file_comes_back_to_the_inbox(nobody_workspace: Workspace) -> None:
    """A file whose permissions changed after it was claimed (or a claim left by a crash)."""
    ws = nobody_workspace
    rel = desa_inbox(ws).relative_to(ws.inbox) / "dokumen" / "foto" / "foto.jpg"
    claimed = ws.claims / "20261122T091502123-ab12cd" / rel
    claimed.parent.mkdir(parents=True)
    claimed.write_bytes(photo_bytes(3000))
    os.chmod(claimed, 0o000)
    subprocess.run(["chown", "-R", "65534:65534", str(ws.claims)], check=True)
    os.chown(claimed, 0, 0)

    done = run_cli(ws.root, user="65534")
    assert done.returncode == 1, done.stdout + done.stderr
    [r] = receipts(ws)
    assert [i["code"] for i in r["issues"]] == ["berkas-tidak-terbaca"]  # type: ignore[union-attr]
    assert (ws.inbox / rel).exists() and claimed_files(ws) == []


# --- 9. symlinks and fifos swapped in ----------------------------------------------------------


class SwapAfterListing(inbox.Readiness):
    """Between the listing and the claim, every listed file is replaced by `make(path)`."""

    def __init__(self, make: object) -> None:
        super().__init__(stable_seconds=0)
        self.make = make

    def ready(self, paths: Iterable[Path], now: float | None = None) -> list[Path]:
        out = list(paths)
        for path in out:
            path.unlink()
            self.make(path)  # type: ignore[operator]
        return out


@posix_only
@pytest.mark.timeout(60)
def test_symlink_or_fifo_swapped_in_is_never_followed(workspace: Workspace, tmp_path: Path) -> None:
    secret = tmp_path / "rahasia.txt"
    secret.write_bytes(b"kata sandi administrator")
    folder = desa_inbox(workspace) / "dokumen" / "foto"
    (folder / "foto.jpg").write_bytes(photo_bytes(2000))
    settings = load_settings(workspace.root)
    result = run_pass(
        workspace, settings, readiness=SwapAfterListing(lambda p: p.symlink_to(secret))
    )
    assert result.receipts == [] and result.exit_code == 0
    assert not any(p.read_bytes() == secret.read_bytes() for p in all_paths(workspace.arsip))
    assert (folder / "foto.jpg").is_symlink(), "the link goes back where it was"
    assert claimed_files(workspace) == [] and secret.read_bytes() == b"kata sandi administrator"

    (folder / "foto.jpg").unlink()
    (folder / "foto 2.jpg").write_bytes(photo_bytes(2000))
    result = run_pass(workspace, settings, readiness=SwapAfterListing(os.mkfifo))
    assert result.receipts == [] and claimed_files(workspace) == []


@posix_only
def test_links_and_fifos_in_the_claim_folder_are_not_read(
    workspace: Workspace, tmp_path: Path
) -> None:
    """What a crash right after claiming a swapped link leaves behind; a real process."""
    secret = tmp_path / "rahasia.txt"
    secret.write_bytes(b"kata sandi administrator")
    rel = desa_inbox(workspace).relative_to(workspace.inbox) / "dokumen" / "foto"
    first = workspace.claims / "20261122T091502123-ab12cd" / rel / "foto.jpg"
    first.parent.mkdir(parents=True)
    first.symlink_to(secret)
    second = workspace.claims / "20261122T091502124-ab12ce" / rel / "foto 2.jpg"
    second.parent.mkdir(parents=True)
    os.mkfifo(second)
    done = run_cli(workspace.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert receipts(workspace) == []
    assert not any(p.read_bytes() == secret.read_bytes() for p in all_paths(workspace.arsip))
    assert claimed_files(workspace) == []


# --- failures while a failure is being recorded -------------------------------------------------


class Unprintable(RuntimeError):
    def __str__(self) -> str:
        raise ValueError("__str__ rusak")


def test_failures_while_recording_a_failure_never_stop_the_pass(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.run.route import Stages

    real = Stages.examine

    def examine(self: Stages, path: Path, row: object) -> object:
        if getattr(row, "file", "").startswith("rusak"):
            raise Unprintable()
        return real(self, path, row)  # type: ignore[arg-type]

    monkeypatch.setattr(Stages, "examine", examine)
    book = make_desa_workbook(tmp_path / "bk.xlsx")
    folder = desa_inbox(workspace)
    shutil.copy(book, folder / "rusak \udce9.xlsx")  # a bug, and a name that is not UTF-8
    (folder / "dokumen" / "foto" / "foto.jpg").write_bytes(photo_bytes(2000))
    (workspace.runtime / "logs").parent.mkdir(parents=True, exist_ok=True)
    (workspace.runtime / "logs").write_text("not a folder: the log cannot be written")
    settings = load_settings(workspace.root)

    first = run_pass(workspace, settings)
    assert first.exit_code == 3
    assert [r.file for r in first.receipts] == ["foto.jpg"], "the pass went on"
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    [(stem,)] = db.execute("SELECT receipt_name FROM inputs WHERE file LIKE 'rusak%'")
    blocker = workspace.receipts / f"{stem}.txt"
    blocker.mkdir()  # the give-up receipt cannot be written
    shutil.copy(book, folder / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx")
    seen = []
    for _ in range(2):
        result = run_pass(workspace, settings)
        assert result.exit_code == 3
        seen += [r.file for r in result.receipts]
    assert seen == ["Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx"], "later inputs go on"
    assert len([p for p in claimed_files(workspace) if p.name.startswith("rusak")]) == 1
    assert not (workspace.receipts / f"{stem}.json").exists(), "no give-up receipt yet"

    blocker.rmdir()
    result = run_pass(workspace, settings)
    [given_up] = [r for r in result.receipts if r.file.startswith("rusak")]
    assert [i.code for i in given_up.issues] == ["galat-internal"]
    assert (workspace.root / str(given_up.archived_as)).read_bytes() == book.read_bytes()
    assert claimed_files(workspace) == []
