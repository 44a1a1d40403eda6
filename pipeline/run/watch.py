"""The watcher: a first pass, then passes woken by file events and by a periodic scan.

File events only wake the loop early. The periodic scan (every `watch.polling_detik`) stays
the source of truth: events are missed on SMB/NFS shares, for files already there at start-up
and when a polling observer dies on a mount error (it is restarted). Each pass is
`batch.run_pass` with one persistent `Readiness` (so "stable over polls" spans passes) and one
warm PDF converter. A heartbeat (`.musrenbang/heartbeat.json`) says the watcher is alive;
SIGTERM / Ctrl-C (Windows: also Ctrl-Break) stop it cleanly after the pass under way; an
exception in a pass is logged and the watcher goes on. This module holds the loop and its
log; the heartbeat, the inbox observer and the stop signals have modules of their own.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipeline.core import atomic
from pipeline.core.config import Settings
from pipeline.core.workspace import Workspace
from pipeline.ledger.backup import DailyBackup
from pipeline.run.heartbeat import HEARTBEAT_NAME, Heartbeat
from pipeline.run.inbox import Readiness
from pipeline.run.lock import WorkspaceBusy, workspace_lock
from pipeline.run.observer import InboxObserver
from pipeline.run.stop import STOP_NAME, SignalStop

LOG_NAME = "watch.log"
DEBOUNCE_SECONDS = 0.15
"""After a wake-up, wait this long so a burst of events becomes one pass."""
LOCK_WAIT_SECONDS = 1.0
"""How long one loop waits for the workspace lock before checking for a stop again."""


# --- logging ---------------------------------------------------------------------------


def _file_logger(ws: Workspace) -> logging.Logger:
    """'musrenbang.watch' logging to .musrenbang/logs/watch.log (rotated, UTF-8)."""
    logger = logging.getLogger(f"musrenbang.watch.{os.path.normcase(str(ws.root))}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if not logger.handlers:
        folder = ws.runtime / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=5_000_000, backupCount=5, encoding="utf-8", delay=True
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return logger


def _close_logger(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        handler.close()
        logger.removeHandler(handler)


def _print_line(line: str) -> None:
    print(line, flush=True)


# --- the loop --------------------------------------------------------------------------


def _make_converter(settings: Settings, ws: Workspace, logger: logging.Logger) -> Any:
    """A warm PDF converter shared by every pass, or None when there is none."""
    try:
        from pipeline.documents.convert import Converter
    except ImportError:
        return None
    try:
        return Converter(settings.pdf, ws.runtime)
    except Exception as exc:  # noqa: BLE001 - passes can still run without a warm converter
        logger.warning("converter tidak bisa disiapkan: %r", exc)
        return None


def _close_converter(converter: Any) -> None:
    for name in ("close", "shutdown", "stop"):
        method = getattr(converter, name, None)
        if callable(method):
            try:
                method()
            except Exception:  # noqa: BLE001
                pass
            return


def watch(
    ws: Workspace,
    settings: Settings,
    *,
    polling: float | None = None,
    log: Callable[[str], None] | None = None,
    stop_event: threading.Event | None = None,
) -> int:
    """Run until stopped: a first pass, then a pass on every file event or periodic scan.

    `polling`: use a polling observer with this interval (network shares) instead of OS
    events. `log`: gets one line per processed file and the watcher's own messages
    (default: print). `stop_event`: set it to stop (signals set it too, in the main thread).
    Returns the exit code: 0 after a clean stop.
    """
    from pipeline.run.batch import run_pass  # batch imports the stages; keep `watch` light

    say = log or _print_line
    stop = stop_event or threading.Event()
    wake = threading.Event()
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    ws.runtime.mkdir(parents=True, exist_ok=True)
    logger = _file_logger(ws)
    heartbeat = Heartbeat(
        path=ws.runtime / HEARTBEAT_NAME,
        tz=tz,
        started_at=dt.datetime.now(tz).isoformat(timespec="seconds"),
    )
    signals = SignalStop(stop, wake)
    signals.install()
    readiness = Readiness(stable_seconds=settings.watch.stabil_detik)
    interval = settings.watch.polling_detik
    observer = InboxObserver(ws.inbox, wake, polling, logger)
    stop_file = ws.runtime / STOP_NAME
    stop_file.unlink(missing_ok=True)
    for stale in ws.runtime.glob(atomic.TMP_PREFIX + "*"):  # a heartbeat cut by a crash
        stale.unlink(missing_ok=True)
    converter: Any = None
    daily = DailyBackup(ws, settings)

    def beat_forever() -> None:
        while not stop.wait(min(interval, 5.0)):
            heartbeat.waiting = readiness.waiting
            heartbeat.write()

    def logged(line: str) -> None:
        logger.info("%s", line)
        say(f"{dt.datetime.now(tz):%H:%M:%S} {line}")

    beating = threading.Thread(target=beat_forever, name="musrenbang-heartbeat", daemon=True)
    busy_said = False
    try:
        logger.info("watcher mulai, pid %s, root %s", os.getpid(), ws.root)
        say(f"Memantau {ws.inbox} (Ctrl-C untuk berhenti).")
        converter = _make_converter(settings, ws, logger)
        if not observer.start():
            say("Pemantau folder tidak bisa dimulai; memindai setiap beberapa detik.")
        heartbeat.observer = observer.kind
        heartbeat.write()
        beating.start()
        first = True
        while not stop.is_set():
            try:
                # on PostgreSQL several watchers share the inbox (run/turns.py): no file lock
                shared = settings.ledger.is_postgresql
                lock = nullcontext() if shared else workspace_lock(ws, timeout=LOCK_WAIT_SECONDS)
                with lock:
                    busy_said = False
                    _one_pass(
                        run_pass,
                        ws,
                        settings,
                        converter,
                        None if first else readiness,
                        heartbeat,
                        logged,
                        logger,
                    )
                first = False
            except WorkspaceBusy as exc:
                if not busy_said:
                    logged(f"Menunggu: {exc}")
                    busy_said = True
            daily.maybe(logged)  # [cadangan] harian: one backup a day, safe beside the pass
            line = observer.ensure()
            if line:
                logged(line)
            heartbeat.observer = observer.kind
            heartbeat.waiting = readiness.waiting
            heartbeat.write()
            if stop.is_set():
                break
            _sleep_until_next(wake, stop, interval, readiness.next_check(), stop_file)
            if stop_file.exists() and signals.received is None:
                logged("Permintaan berhenti (.musrenbang/stop) diterima.")
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        signals.restore()
        observer.stop()
        if converter is not None:
            _close_converter(converter)
        heartbeat.status = "berhenti"
        heartbeat.in_pass = False
        heartbeat.write()
        logger.info("watcher berhenti")
        say("Watcher berhenti.")
        _close_logger(logger)
    return 0


def _sleep_until_next(
    wake: threading.Event,
    stop: threading.Event,
    interval: float,
    next_check: float | None,
    stop_file: Path,
) -> None:
    """Wait for a wake-up, the periodic scan, or the moment a waiting file may be ready."""
    timeout = interval if next_check is None else min(interval, next_check + 0.05)
    deadline = time.monotonic() + max(0.05, timeout)
    # short slices: a stop set from another thread (or Ctrl-C on Windows) is seen quickly
    while not stop.is_set():
        if stop_file.exists():
            stop.set()
            break
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if wake.wait(min(left, 0.25)):
            if not stop.is_set():
                time.sleep(DEBOUNCE_SECONDS)  # let a burst of events settle into one pass
            break
    wake.clear()


def _one_pass(
    run_pass: Callable[..., Any],
    ws: Workspace,
    settings: Settings,
    converter: Any,
    readiness: Readiness | None,
    heartbeat: Heartbeat,
    log: Callable[[str], None],
    logger: logging.Logger,
) -> None:
    """One pass; an exception is logged (traceback to watch.log) and the watcher goes on."""
    started = time.monotonic()
    heartbeat.in_pass = True
    heartbeat.passes += 1
    error: str | None = None
    files = 0
    exit_code: int | None = None
    try:
        result = run_pass(
            ws, settings, converter=converter, readiness=readiness, log=log, take_incomplete=False
        )
        files = len(result.receipts)
        exit_code = result.exit_code
    except Exception as exc:  # noqa: BLE001 - one bad pass must not stop the watcher
        error = f"{type(exc).__name__}: {exc}"
        heartbeat.errors += 1
        logger.error("putaran %s gagal:\n%s", heartbeat.passes, traceback.format_exc())
        previous = (heartbeat.last_pass or {}).get("error")
        if error != previous:  # the same failure every few seconds is said once
            log(
                f"GALAT INTERNAL pada putaran {heartbeat.passes}: {error} "
                "(rincian: .musrenbang/logs/watch.log); watcher tetap berjalan."
            )
    heartbeat.files_processed += files
    heartbeat.in_pass = False
    heartbeat.last_pass = {
        "at": dt.datetime.now(heartbeat.tz).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 3),
        "files": files,
        "exit_code": exit_code,
        "error": error,
    }
