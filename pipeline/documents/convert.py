"""docx -> PDF with LibreOffice: a small pool of long-lived headless workers.

Each worker is one LibreOffice with its own profile (-env:UserInstallation) and temp folder,
kept running across documents (a cold start costs about a second; a warm conversion a small
fraction of that). Workers are driven over UNO by pipeline/uno_worker.py, which runs under a
Python that has `uno` (Debian's python3-uno, LibreOffice's bundled python). Where no such
Python exists, each worker converts its share in batches with one
`soffice --convert-to pdf --outdir ...` start per batch instead.

Every worker runs in its own process group; a conversion past the time limit kills the whole
group (soffice -> oosplash -> soffice.bin). Every PDF is opened with pypdf before it counts.
Workers are restarted after `daur_ulang_setelah` conversions. Group ids are recorded in
<runtime>/soffice-pids.json so that the next start reaps what a killed pipeline left behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from pypdf import PdfReader

from pipeline.core.config import PdfSettings
from pipeline.documents import processes
from pipeline.documents.pidfile import PID_FILE, PidFile
from pipeline.documents.processes import group_members
from pipeline.documents.profiles import claim_profile as _claim_profile
from pipeline.documents.profiles import release_profile as _release_profile
from pipeline.documents.soffice import find_soffice

__all__ = ["PID_FILE", "Converter", "check_pdf", "find_soffice", "group_members"]

UNO_WORKER = Path(__file__).resolve().parent / "uno_worker.py"


def find_uno_python(soffice: str) -> str | None:
    """A Python interpreter that can `import uno`, or None."""
    program = Path(soffice).resolve().parent
    candidates = [
        program / "python.exe",
        program / "python",
        Path("/usr/bin/python3"),
        Path(sys.executable),
    ]
    seen: set[str] = set()
    for candidate in candidates:
        if not candidate.is_file() or str(candidate) in seen:
            continue
        seen.add(str(candidate))
        try:
            done = subprocess.run(
                [str(candidate), "-c", "import uno"],
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return str(candidate)
    return None


def check_pdf(path: Path) -> bool:
    """True when `path` is a PDF that opens and has at least one page."""
    try:
        if path.stat().st_size < 100:
            return False
        with path.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                return False
        reader = PdfReader(str(path))
        return len(reader.pages) > 0 and reader.pages[0].mediabox.width > 0
    except Exception:  # noqa: BLE001 - any parse failure means the PDF is not usable
        return False


# ----------------------------------------------------------------------------- workers


class _Worker:
    """One long-lived LibreOffice driven over UNO through uno_worker.py."""

    def __init__(self, conv: Converter, index: int) -> None:
        self.conv = conv
        self.index = index
        self.profile = _claim_profile(conv.runtime_dir, "profil")
        self.tmp = self.profile.with_name(self.profile.name.replace("profil", "tmp", 1))
        self.proc: subprocess.Popen[bytes] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.done = 0  # conversions since the last start
        self.starts = 0

    # -- lifecycle

    def start(self) -> bool:
        self.profile.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, TMPDIR=str(self.tmp), TEMP=str(self.tmp), TMP=str(self.tmp))
        pipe = f"musrenbang-{os.getpid()}-{self.index}-{uuid.uuid4().hex[:8]}"
        assert self.conv.uno_python and self.conv.soffice
        self.proc = processes.popen_group(
            [
                self.conv.uno_python,
                str(UNO_WORKER),
                self.conv.soffice,
                self.profile.resolve().as_uri(),
                pipe,
            ],
            env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.conv.pids.add(self.proc.pid, self.profile.resolve().as_uri())
        self.starts += 1
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc, self.lines), daemon=True).start()
        self.done = 0
        answer = self._answer(self.conv.timeout)
        if not isinstance(answer, dict) or not answer.get("ready"):
            self.kill()
            return False
        return True

    @staticmethod
    def _read(proc: subprocess.Popen[bytes], lines: queue.Queue[str | None]) -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            lines.put(raw.decode("utf-8", "replace"))
        lines.put(None)

    def _answer(self, timeout: float) -> dict[str, object] | str:
        """The worker's next JSON answer, or 'timeout' / 'eof'."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return "timeout"
            if line is None:
                return "eof"
            try:
                data = json.loads(line)
            except ValueError:
                continue  # stray output
            if isinstance(data, dict):
                return data

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        if self.proc is None:
            return
        processes.kill_tree(self.proc.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        self.conv.pids.remove(self.proc.pid)
        self.proc = None

    def stop(self) -> None:
        """Ask LibreOffice to quit; kill the group if it does not within a few seconds."""
        if self.proc is None:
            return
        proc = self.proc
        try:
            assert proc.stdin is not None
            proc.stdin.write(b'{"quit": true}\n')
            proc.stdin.close()
            proc.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()  # also removes stragglers of the group

    # -- work

    def convert(self, src: Path, dst: Path) -> str:
        """'ok', 'error' (LibreOffice refused the file), 'timeout', 'eof' or 'no-start'."""
        if not self.alive() and not self.start():
            return "no-start"
        assert self.proc is not None and self.proc.stdin is not None
        request = json.dumps({"src": str(src.resolve()), "dst": str(dst.resolve())})
        try:
            self.proc.stdin.write(request.encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:
            self.kill()
            return "eof"
        answer = self._answer(self.conv.timeout)
        if isinstance(answer, str):  # time limit passed or the worker died: kill the group
            self.kill()
            return answer
        self.done += 1
        if self.done >= self.conv.settings.daur_ulang_setelah:
            self.stop()  # recycle: the next conversion starts a fresh LibreOffice
        return "ok" if answer.get("ok") else "error"


# ----------------------------------------------------------------------------- converter


class Converter:
    """A pool of LibreOffice workers, shared by every document of a batch pass.

    `available` is False when LibreOffice is not installed (no exception); callers then
    publish the docx only and say so on the receipt.
    """

    def __init__(
        self,
        settings: PdfSettings,
        runtime_dir: Path,
        *,
        timeout: float | None = None,
        use_uno: bool | None = None,
    ) -> None:
        self.settings = settings
        self.runtime_dir = Path(runtime_dir)
        self.timeout = float(timeout if timeout is not None else settings.batas_detik)
        self.size = settings.workers
        self.soffice = find_soffice(settings.libreoffice)
        self.available = self.soffice is not None
        self.uno_python: str | None = None
        if self.available and use_uno is not False:
            assert self.soffice is not None
            self.uno_python = find_uno_python(self.soffice)
        self.mode = "none" if not self.available else ("uno" if self.uno_python else "cli")
        self.pids = PidFile(self.runtime_dir / PID_FILE)
        self.reaped = self.pids.reap() if self.available else 0
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self._later: ThreadPoolExecutor | None = None  # convert_later's threads
        self._warming: list[threading.Thread] = []  # warm()'s starts, joined by close()

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- pool

    @contextlib.contextmanager
    def _worker(self) -> Iterator[_Worker]:
        worker: _Worker | None = None
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            with self._lock:
                if len(self._workers) < self.size:
                    worker = _Worker(self, len(self._workers))
                    self._workers.append(worker)
            if worker is None:
                worker = self._idle.get()
        try:
            yield worker
        finally:
            self._idle.put(worker)

    def _convert_uno(self, src: Path, dst: Path) -> bool:
        for _attempt in range(2):
            with self._worker() as worker:
                status = worker.convert(src, dst)
            if status == "ok":
                return check_pdf(dst)
            if status != "eof":
                return False
            # LibreOffice died under this document (not a time-out): one retry on a fresh one
            dst.unlink(missing_ok=True)
        return False

    # -- batch mode (no uno)

    def _convert_cli(self, sources: list[Path], outdir: Path) -> None:
        profile = _claim_profile(self.runtime_dir, "profil-cli")
        try:
            self._convert_cli_with(profile, sources, outdir)
        finally:
            _release_profile(profile)

    def _convert_cli_with(self, profile: Path, sources: list[Path], outdir: Path) -> None:
        tmp = profile.with_name(profile.name.replace("profil", "tmp", 1))
        profile.mkdir(parents=True, exist_ok=True)
        tmp.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp))
        step = self.settings.daur_ulang_setelah
        for start in range(0, len(sources), step):
            chunk = sources[start : start + step]
            assert self.soffice is not None
            proc = processes.popen_group(
                [
                    self.soffice,
                    f"-env:UserInstallation={profile.resolve().as_uri()}",
                    "--headless",
                    "--nologo",
                    "--norestore",
                    "--nolockcheck",
                    "--convert-to",
                    'pdf:writer_pdf_Export:{"EmbedStandardFonts":{"type":"boolean","value":"true"}}',
                    "--outdir",
                    str(outdir),
                    *[str(s) for s in chunk],
                ],
                env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            self.pids.add(proc.pid, profile.resolve().as_uri())
            try:
                proc.wait(timeout=self.timeout * len(chunk))
            except subprocess.TimeoutExpired:
                pass
            finally:
                processes.kill_tree(proc.pid)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=10)
                self.pids.remove(proc.pid)

    # -- public

    def convert_many(self, docx_paths: list[Path], outdir: Path) -> dict[Path, Path | None]:
        """Convert every docx to outdir/<stem>.pdf; None for each file that failed."""
        result: dict[Path, Path | None] = {p: None for p in docx_paths}
        if not self.available or not docx_paths:
            return result
        if self._closed:
            raise RuntimeError("Converter sudah ditutup")
        outdir.mkdir(parents=True, exist_ok=True)
        targets = {p: outdir / f"{p.stem}.pdf" for p in docx_paths}
        for target in targets.values():
            target.unlink(missing_ok=True)
        n = min(self.size, len(docx_paths))
        if self.mode == "uno":
            with ThreadPoolExecutor(max_workers=n) as pool:
                oks = list(pool.map(lambda p: self._convert_uno(p, targets[p]), docx_paths))
            for src, ok in zip(docx_paths, oks, strict=True):
                result[src] = targets[src] if ok else None
        else:
            shares = [docx_paths[i::n] for i in range(n)]
            with ThreadPoolExecutor(max_workers=n) as pool:
                list(pool.map(lambda share: self._convert_cli(share, outdir), shares))
            for src in docx_paths:
                result[src] = targets[src] if check_pdf(targets[src]) else None
        for src, pdf in result.items():
            if pdf is None:
                targets[src].unlink(missing_ok=True)  # never leave a half-written PDF
        return result

    def convert_later(
        self, docx_paths: list[Path], outdir: Path
    ) -> Future[dict[Path, Path | None]]:
        """`convert_many` on a background thread: the caller goes on meanwhile."""
        with self._lock:
            if self._later is None:
                n = self.size if self.mode == "uno" else 1  # cli: one batch of starts at a time
                self._later = ThreadPoolExecutor(max_workers=n, thread_name_prefix="konversi")
            return self._later.submit(self.convert_many, docx_paths, outdir)

    def warm(self) -> None:
        """Start the pool's LibreOffice workers now, in the background: a pass that will
        convert starts them while it reads its first workbooks, instead of its first
        conversion waiting for a cold start. A worker is handed out only once started
        (`_worker` waits for it); one that did not start is tried again by its first
        conversion."""
        if self.mode != "uno":
            return
        with self._lock:
            if self._closed:
                return
            fresh = [_Worker(self, i) for i in range(len(self._workers), self.size)]
            self._workers.extend(fresh)
            for worker in fresh:
                thread = threading.Thread(
                    target=self._start_idle, args=(worker,), name="konversi-mulai", daemon=True
                )
                self._warming.append(thread)
                thread.start()

    def _start_idle(self, worker: _Worker) -> None:
        try:
            worker.start()
        except Exception:  # noqa: BLE001 - its first conversion starts it again and says why
            worker.kill()
        finally:
            self._idle.put(worker)

    def limit(self, most: int) -> None:
        """At most `most` workers from now on (other processes share the machine's cores)."""
        with self._lock:
            self.size = max(1, min(self.size, most))

    def close(self) -> None:
        """Stop every worker (LibreOffice quits; stragglers are killed)."""
        with self._lock:
            later, self._later = self._later, None
        if later is not None:
            later.shutdown(wait=True)  # conversions already handed over finish first
        with self._lock:
            self._closed = True
            warming, self._warming = self._warming, []
        for thread in warming:  # a start under way: stopped below once it has a process
            thread.join(self.timeout)
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
            _release_profile(worker.profile)
