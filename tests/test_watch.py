"""The watcher as a real process (`python -m pipeline watch`), and the service files.

Slow copies are never read half-way, a burst is processed exactly once even with two
watchers and a scheduled run on one workspace, lock files defer processing, a failing pass is
logged and the watcher goes on, SIGTERM and the stop file stop it cleanly, the heartbeat is
kept. Also: deploy/ unit files verify, the Windows task files parse, and the watcher's
modules use no POSIX-only calls.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.workspace import Workspace
from pipeline.run.inbox import (
    Readiness,
    claim,
    is_ignored,
    list_inputs,
    lock_file_beside,
    looks_complete,
    pending_claims,
    ready_once,
    release,
)
from tests.conftest import make_workspace
from tests.workbooks import DESA, KECAMATAN, make_desa_workbook

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
LAU_DAMAK = "12.05.01 Bahorok/12.05.01.2002 Lau Damak"
NON_ASCII_NAME = "Buku Kerja Musrenbang Desa Lau Damak 2027 (salinan ñ).xlsx"
UNKNOWN_DESA = DESA.model_copy(update={"kode": "12.05.01.2099", "nama": "Tidak Terdaftar"})


# --- helpers shared with test_crash.py ------------------------------------------------


def watch_workspace(root: Path, *, stabil: float = 0.5, polling: float = 1.0) -> Workspace:
    """A real workspace (`musrenbang init`) with fast watch settings, PDFs skipped."""
    ws = make_workspace(root)
    toml = ws.root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r"polling_detik = [0-9.]+", f"polling_detik = {polling}", text)
    text = re.sub(r"stabil_detik = [0-9.]+", f"stabil_detik = {stabil}", text)
    toml.write_text(text, encoding="utf-8")
    return ws


class WatcherProcess:
    """`python -m pipeline watch --root ROOT` in its own process group, output collected."""

    def __init__(self, root: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONUTF8": "1"}
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
        env.pop("MUSRENBANG_ROOT", None)
        extra: dict[str, Any] = (
            {"start_new_session": True}
            if os.name == "posix"
            else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "watch", "--root", str(root), *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            **extra,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self, timeout: float = 20) -> int:
        """SIGTERM (Windows: Ctrl-Break) and wait; the exit code."""
        if self.proc.poll() is None:
            if os.name == "posix":
                self.proc.send_signal(signal.SIGTERM)
            else:
                self.proc.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
        code = self.proc.wait(timeout)
        self._reader.join(5)
        return code

    def kill(self) -> None:
        """SIGKILL the watcher and everything it started (LibreOffice included)."""
        if os.name == "posix":
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            self.proc.kill()
        self.proc.wait(20)
        self._reader.join(5)

    def __enter__(self) -> WatcherProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.kill()


def run_once(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUTF8": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--root", str(root)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def wait_until(what: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return True
        time.sleep(step)
    return what()


def receipts(ws: Workspace) -> list[dict[str, Any]]:
    out = []
    for path in sorted(ws.receipts.glob("*.json")):
        if path.name.startswith("."):
            continue  # a receipt being written (atomic temp file), not yet published
        out.append(json.loads(path.read_text(encoding="utf-8")))
    return out


def receipt_count(ws: Workspace) -> Counter[str]:
    return Counter(r["file"] for r in receipts(ws))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def drop(ws: Workspace, rel: str, data: bytes) -> Path:
    """Put a file into the inbox the way a finished copy appears: complete at once."""
    final = ws.inbox / rel
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".kopi-{final.name}"
    tmp.write_bytes(data)
    os.replace(tmp, final)
    return final


def workbook_bytes(tmp: Path, name: str = "bk.xlsx", **kwargs: Any) -> bytes:
    path = make_desa_workbook(tmp / name, **kwargs)
    return path.read_bytes()


def heartbeat(ws: Workspace) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(
            (ws.runtime / "heartbeat.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return {}
    return data


# --- the watcher process --------------------------------------------------------------


def test_first_pass_heartbeat_and_clean_stop(tmp_path: Path) -> None:
    ws = watch_workspace(tmp_path / "ws")
    before = drop(ws, f"{LAU_DAMAK}/catatan rapat.txt", b"sudah ada sebelum watcher mulai")
    old = time.time() - 60
    os.utime(before, (old, old))
    with WatcherProcess(ws.root) as w:
        assert wait_until(lambda: receipt_count(ws)["catatan rapat.txt"] == 1, 20), w.output
        assert wait_until(lambda: heartbeat(ws).get("files_processed") == 1, 10), w.output
        first = heartbeat(ws)
        assert first["pid"] == w.proc.pid
        assert first["status"] == "berjalan"
        assert first["observer"] == "event"
        assert wait_until(lambda: heartbeat(ws).get("time_unix", 0) > first["time_unix"], 10)
        assert any("catatan rapat.txt" in line for line in w.lines)
        assert w.stop() == 0
    assert heartbeat(ws)["status"] == "berhenti"
    assert "Watcher berhenti" in w.output
    assert "Traceback" not in w.output

    # the stop file: a clean stop without signals (Windows services)
    with WatcherProcess(ws.root) as w:
        assert wait_until(lambda: heartbeat(ws).get("pid") == w.proc.pid, 20), w.output
        (ws.runtime / "stop").write_text("", encoding="utf-8")
        assert w.proc.wait(10) == 0
    assert heartbeat(ws)["status"] == "berhenti"


def _write_slowly(path: Path, data: bytes, pieces: int, pause: float, prealloc: bool) -> None:
    """One open handle, like a copy over the network; `prealloc`: the final size first, as
    Windows Explorer does, then the content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    step = -(-len(data) // pieces)
    with open(path, "wb") as fh:
        if prealloc:
            fh.truncate(len(data))
            fh.flush()
        for start in range(0, len(data), step):
            fh.write(data[start : start + step])
            fh.flush()
            os.fsync(fh.fileno())
            time.sleep(pause)


def test_slow_copy_is_never_read_half_way(tmp_path: Path) -> None:
    ws = watch_workspace(tmp_path / "ws", stabil=0.5, polling=0.5)
    book = workbook_bytes(tmp_path, desa=UNKNOWN_DESA)  # rejected quickly: no documents
    video = os.urandom(300_000)
    jobs = [
        # pauses longer than stabil_detik: only "opens as what it claims" protects these
        (ws.inbox / "Buku Kerja lambat.xlsx", book, 5, 1.0, False),
        (ws.inbox / LAU_DAMAK / "Buku Kerja explorer.xlsx", book, 5, 1.0, True),
        # a type we cannot check: stability over polls protects it
        (ws.inbox / LAU_DAMAK / "dokumen/video/rapat.mp4", video, 10, 0.15, False),
    ]
    with WatcherProcess(ws.root) as w:
        assert wait_until(lambda: (ws.runtime / "heartbeat.json").exists(), 20), w.output
        threads = [threading.Thread(target=_write_slowly, args=job) for job in jobs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        names = [job[0].name for job in jobs]
        assert wait_until(lambda: all(receipt_count(ws)[n] >= 1 for n in names), 20), w.output
        time.sleep(1.5)  # nothing more may come
        assert w.stop() == 0
    counts = receipt_count(ws)
    by_name = {r["file"]: r for r in receipts(ws)}
    for path, data, *_ in jobs:
        assert counts[path.name] == 1, w.output
        r = by_name[path.name]
        assert r["sha256"] == sha256(data), f"{path.name} was read before the copy ended"
        assert (ws.root / r["archived_as"]).read_bytes() == data
    codes = {i["code"] for i in by_name["Buku Kerja lambat.xlsx"]["issues"]}
    assert "berkas-rusak" not in codes


def test_burst_is_processed_once_by_two_watchers_and_a_run(tmp_path: Path) -> None:
    ws = watch_workspace(tmp_path / "ws", stabil=0.3, polling=1.0)
    book = workbook_bytes(tmp_path, desa=UNKNOWN_DESA)
    files: dict[str, bytes] = {}
    for i in range(60):
        if i % 10 == 0:
            rel = f"{LAU_DAMAK}/Buku Kerja salinan {i} ñ.xlsx"
            files[rel] = book
        elif i % 3 == 0:
            rel = f"{LAU_DAMAK}/dokumen/foto/foto rapat {i}.jpg"
            files[rel] = b"\xff\xd8\xff\xe0" + os.urandom(500) + b"\xff\xd9"
        else:
            rel = f"kiriman {i % 4}/berkas {i}.txt"
            files[rel] = f"berkas nomor {i}".encode()
    with WatcherProcess(ws.root) as w1, WatcherProcess(ws.root) as w2:
        assert wait_until(lambda: heartbeat(ws).get("passes", 0) >= 1, 20)
        for rel, data in files.items():
            drop(ws, rel, data)
        scheduled = run_once(ws.root)  # a scheduled batch on the same workspace
        assert scheduled.returncode in (0, 1), scheduled.stdout + scheduled.stderr
        names = [Path(rel).name for rel in files]
        assert wait_until(lambda: sum(receipt_count(ws)[n] for n in names) >= 60, 40), (
            w1.output + w2.output
        )
        time.sleep(1.5)
        assert w1.stop() == 0 and w2.stop() == 0
    counts = receipt_count(ws)
    assert {n: counts[n] for n in names} == dict.fromkeys(names, 1)
    assert sum(counts.values()) == 60
    assert list_inputs(ws.inbox) == []
    assert pending_claims(ws) == []
    archived = [p for p in ws.arsip.rglob("*") if p.is_file()]
    assert len(archived) == 60
    assert sorted(sha256(p.read_bytes()) for p in archived) == sorted(
        sha256(d) for d in files.values()
    )


def test_lock_files_defer_processing(tmp_path: Path) -> None:
    ws = watch_workspace(tmp_path / "ws", stabil=0.3, polling=0.5)
    book = workbook_bytes(tmp_path, desa=UNKNOWN_DESA)
    excel = drop(ws, f"{LAU_DAMAK}/{NON_ASCII_NAME}", book)
    excel_lock = drop(ws, f"{LAU_DAMAK}/~${NON_ASCII_NAME[2:]}", b"operator")
    calc = drop(ws, "Buku Kerja dari Calc.xlsx", book)
    calc_lock = drop(ws, ".~lock.Buku Kerja dari Calc.xlsx#", b"operator,host")
    free = drop(ws, "tanpa kunci.xlsx", book)
    with WatcherProcess(ws.root) as w:
        assert wait_until(lambda: receipt_count(ws)["tanpa kunci.xlsx"] == 1, 20), w.output
        time.sleep(2.5)  # several polls, far beyond stabil_detik
        assert receipt_count(ws)[excel.name] == 0 and receipt_count(ws)[calc.name] == 0
        assert excel.exists() and calc.exists()
        excel_lock.unlink()
        assert wait_until(lambda: receipt_count(ws)[excel.name] == 1, 15), w.output
        assert calc.exists()
        calc_lock.unlink()
        assert wait_until(lambda: receipt_count(ws)[calc.name] == 1, 15), w.output
        assert w.stop() == 0
    assert not free.exists()
    assert sum(receipt_count(ws).values()) == 3  # lock files never get receipts


def test_polling_observer(tmp_path: Path) -> None:
    ws = watch_workspace(tmp_path / "ws", stabil=0.3, polling=30)  # periodic scan: too slow
    with WatcherProcess(ws.root, "--polling", "0.3") as w:
        assert wait_until(lambda: heartbeat(ws).get("observer", "").startswith("polling"), 20)
        drop(ws, f"{LAU_DAMAK}/dari jaringan.txt", b"lewat SMB")
        assert wait_until(lambda: receipt_count(ws)["dari jaringan.txt"] == 1, 10), w.output
        assert w.stop() == 0


def test_failing_pass_is_logged_and_watcher_goes_on(tmp_path: Path) -> None:
    ws = watch_workspace(tmp_path / "ws", stabil=0.2, polling=0.5)
    good = ws.wilayah_file.read_bytes()
    with WatcherProcess(ws.root) as w:
        assert wait_until(lambda: heartbeat(ws).get("passes", 0) >= 1, 20)
        ws.wilayah_file.write_text("rusak;;\n", encoding="utf-8")  # every pass now fails
        drop(ws, "menunggu.txt", b"x")
        assert wait_until(lambda: heartbeat(ws).get("errors", 0) >= 2, 15), w.output
        assert w.proc.poll() is None
        galat = [line for line in w.lines if "GALAT INTERNAL" in line]
        assert len(galat) == 1, w.output  # the same failure is said once, not every pass
        assert "Traceback" not in w.output
        log = (ws.runtime / "logs" / "watch.log").read_text(encoding="utf-8")
        assert "Traceback" in log and "WilayahError" in log
        ws.wilayah_file.write_bytes(good)
        assert wait_until(lambda: receipt_count(ws)["menunggu.txt"] == 1, 15), w.output
        assert heartbeat(ws)["last_pass"]["error"] is None
        assert w.stop() == 0


# --- cross-platform -------------------------------------------------------------------

POSIX_ONLY = {
    ("os", "fork"),
    ("os", "killpg"),
    ("os", "setsid"),
    ("os", "getuid"),
    ("os", "geteuid"),
    ("os", "chown"),
    ("os", "getpgid"),
    ("os", "setpgrp"),
    ("signal", "SIGKILL"),
    ("signal", "SIGHUP"),
    ("signal", "SIGUSR1"),
    ("signal", "alarm"),
    ("signal", "setitimer"),
}
POSIX_MODULES = {"fcntl", "pwd", "grp", "resource", "termios", "posix"}


@pytest.mark.parametrize(
    "module",
    [
        "run/inbox.py",
        "run/lock.py",
        "run/watch.py",
        "run/heartbeat.py",
        "run/observer.py",
        "run/stop.py",
    ],
)
def test_no_posix_only_calls(module: str) -> None:
    tree = ast.parse((REPO / "pipeline" / module).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
            found += [n for n in names if n.split(".")[0] in POSIX_MODULES]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in POSIX_ONLY:
                found.append(f"{node.value.id}.{node.attr}")
    assert found == []


def test_inbox_on_spaces_and_non_ascii_names(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "Musrenbang Kecamatan Bahorok ñ")
    rel = f"12.05.01 Bahorok/12.05.01.2002 Lau Damak/{NON_ASCII_NAME}"
    path = ws.inbox / rel
    path.parent.mkdir(parents=True)
    path.write_bytes(workbook_bytes(tmp_path))
    (path.parent / "dokumen" / "foto bersama – ñ").mkdir(parents=True)
    assert not is_ignored(path, ws.inbox)
    assert not lock_file_beside(path)
    assert looks_complete(path)
    assert list_inputs(ws.inbox) == [path]
    r = Readiness(stable_seconds=0)
    assert r.ready([path]) == []
    assert r.ready([path]) == [path]
    assert ready_once([path], 0) == [path]
    c = claim(ws, path)
    assert c is not None and c.rel == rel and c.name == NON_ASCII_NAME
    assert pending_claims(ws) == [c]
    release(c)
    assert pending_claims(ws) == [] and not path.exists()
    assert DESA.kode in rel and KECAMATAN.kode in rel


# --- deploy files ---------------------------------------------------------------------


def test_systemd_units_verify(tmp_path: Path) -> None:
    units = ["musrenbang-watch.service", "musrenbang-run.service", "musrenbang-run.timer"]
    for name in units:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        sections = re.findall(r"^\[(\w+)\]$", text, flags=re.M)
        assert sections[0] == "Unit" and ("Service" in sections or "Timer" in sections)
        for line in text.splitlines():
            if line and not line.startswith(("#", "[")):
                assert re.match(r"^[A-Za-z]+=", line), f"{name}: {line!r}"
        # a real command, so that verify can check it exists
        (tmp_path / name).write_text(
            text.replace("/opt/musrenbang/venv/bin/musrenbang", sys.executable), encoding="utf-8"
        )
    watch_unit = (DEPLOY / "musrenbang-watch.service").read_text(encoding="utf-8")
    assert "Restart=on-failure" in watch_unit and "MUSRENBANG_ROOT=" in watch_unit
    assert "ExecStart=/opt/musrenbang/venv/bin/musrenbang watch" in watch_unit
    run_unit = (DEPLOY / "musrenbang-run.service").read_text(encoding="utf-8")
    assert "Type=oneshot" in run_unit and "SuccessExitStatus=1" in run_unit
    assert "Unit=musrenbang-run.service" in (DEPLOY / "musrenbang-run.timer").read_text()
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return  # the parse check above is all this machine allows
    done = subprocess.run(
        [analyze, "verify", "--man=no", *[str(tmp_path / u) for u in units]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [line for line in (done.stdout + done.stderr).splitlines() if "musrenbang" in line]
    assert problems == [], done.stdout + done.stderr
    if done.returncode != 0:  # e.g. a container without a systemd tree: not our units
        pytest.skip(f"systemd-analyze cannot run here: {done.stderr.strip()[:200]}")


def test_cron_line() -> None:
    lines = [
        line
        for line in (DEPLOY / "musrenbang.cron").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#") and "=" not in line.split()[0]
    ]
    assert len(lines) == 1
    fields = lines[0].split(None, 6)
    assert fields[:5] == ["*/15", "*", "*", "*", "*"]
    assert fields[5] == "musrenbang"  # /etc/cron.d format: a user field
    assert "musrenbang run" in fields[6]


def test_windows_task_files() -> None:
    ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
    for kind, limit in [("watch", "PT0S"), ("run", "PT2H")]:
        raw = (DEPLOY / "windows" / f"musrenbang-{kind}.xml").read_bytes()
        assert raw.startswith(b"\xff\xfe")  # UTF-16 LE with BOM, as Task Scheduler writes
        root = ET.fromstring(raw.decode("utf-16").replace('encoding="UTF-16"', ""))
        command = root.findtext("t:Actions/t:Exec/t:Command", namespaces=ns)
        assert command is not None and command.endswith(f"musrenbang-{kind}.bat")
        assert root.findtext("t:Settings/t:ExecutionTimeLimit", namespaces=ns) == limit
        assert root.findtext("t:Settings/t:MultipleInstancesPolicy", namespaces=ns) == "IgnoreNew"
        bat = (DEPLOY / "windows" / Path(command.replace("\\", "/")).name).read_bytes()
        assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b"")  # cmd.exe wants CRLF
        bat.decode("ascii")
        assert f'"%MUSRENBANG_EXE%" {kind} >>'.encode() in bat
    watch_xml = (DEPLOY / "windows" / "musrenbang-watch.xml").read_bytes().decode("utf-16")
    assert "<RestartOnFailure>" in watch_xml and "<BootTrigger>" in watch_xml
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    assert "schtasks /Create" in readme and "systemctl enable" in readme
