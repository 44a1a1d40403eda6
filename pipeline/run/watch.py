"""The watcher: a first pass, then passes woken by file events and by a periodic scan.

File events only wake the loop early. The periodic scan (every `watch.polling_detik`) stays
the source of truth: events are missed on SMB/NFS shares, for files already there at start-up
and when a polling observer dies on a mount error (it is restarted). Each pass is
`batch.run_pass` with one persistent `Readiness` (so "stable over polls" spans passes) and one
warm PDF converter. A heartbeat (`.musrenbang/heartbeat.json`) says the watcher is alive;
SIGTERM / Ctrl-C (Windows: also Ctrl-Break) stop it cleanly after the pass under way; an
exception in a pass is logged and the watcher goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from pipeline.core import atomic
from pipeline.core.config import Settings
from pipeline.core.workspace import Workspace
from pipeline.ledger.backup import DailyBackup
from pipeline.run.inbox import Readiness, is_ignored
from pipeline.run.lock import WorkspaceBusy, workspace_lock

HEARTBEAT_NAME = "heartbeat.json"
STOP_NAME = "stop"
"""Creating `.musrenbang/stop` stops every watcher of the workspace cleanly (Windows services
have no SIGTERM); a watcher removes a stale one when it starts."""
LOG_NAME = "watch.log"
DEBOUNCE_SECONDS = 0.15
"""After a wake-up, wait this long so a burst of events becomes one pass."""
OBSERVER_RETRY_SECONDS = 30.0
LOCK_WAIT_SECONDS = 1.0
"""How long one loop waits for the workspace lock before checking for a stop again."""

_WAKE_EVENTS = {"created", "modified", "moved", "closed"}


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


# --- heartbeat -------------------------------------------------------------------------


@dataclass
class Heartbeat:
    """What `.musrenbang/heartbeat.json` says; written atomically, also during long passes."""

    path: Path
    tz: dt.tzinfo
    started_at: str
    passes: int = 0
    files_processed: int = 0
    errors: int = 0
    status: str = "berjalan"
    in_pass: bool = False
    observer: str = ""
    waiting: int = 0
    last_pass: dict[str, Any] | None = None
    _mutex: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def as_dict(self) -> dict[str, Any]:
        now = dt.datetime.now(self.tz)
        return {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "time": now.isoformat(timespec="seconds"),
            "time_unix": round(now.timestamp(), 3),
            "started_at": self.started_at,
            "status": self.status,
            "in_pass": self.in_pass,
            "passes": self.passes,
            "files_processed": self.files_processed,
            "errors": self.errors,
            "waiting": self.waiting,
            "observer": self.observer,
            "last_pass": self.last_pass,
        }

    def write(self) -> None:
        with self._mutex:
            data = json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n"
            # Windows refuses to replace a file another program is reading: retry briefly.
            for attempt in range(5):
                try:
                    atomic.write_text(self.path, data)
                    return
                except PermissionError:
                    time.sleep(0.05 * (attempt + 1))
                except OSError:
                    return


def read_heartbeat(ws: Workspace) -> dict[str, Any] | None:
    """The watcher's last heartbeat, None when there is none (or it cannot be read)."""
    try:
        data = json.loads((ws.runtime / HEARTBEAT_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def heartbeat_age(ws: Workspace, now: float | None = None) -> float | None:
    """Seconds since the last heartbeat of a running watcher; None when there is no running
    watcher (no heartbeat, or it says it stopped)."""
    data = read_heartbeat(ws)
    if data is None or data.get("status") != "berjalan":
        return None
    try:
        then = float(data["time_unix"])
    except (KeyError, TypeError, ValueError):
        return None
    return (time.time() if now is None else now) - then


# --- events ----------------------------------------------------------------------------


class _WakeOnChange(FileSystemEventHandler):
    """Sets `wake` for events that may mean a new or changed input; nothing else."""

    def __init__(self, inbox: Path, wake: threading.Event) -> None:
        self.inbox = inbox
        self.wake = wake

    def _counts(self, raw: str | bytes) -> bool:
        path = Path(os.fsdecode(raw))
        try:
            rel = path.relative_to(self.inbox)
        except ValueError:
            return False  # moved out of the inbox: our own claims
        return not is_ignored(rel)

    def on_any_event(self, event: FileSystemEvent) -> None:
        # 'opened'/'closed_no_write' come from our own reading; 'deleted' from our claims.
        if event.event_type not in _WAKE_EVENTS:
            return
        if event.event_type == "moved":
            if self._counts(event.dest_path):
                self.wake.set()
            return
        if event.is_directory and event.event_type == "modified":
            return
        if self._counts(event.src_path):
            self.wake.set()


class _Observer:
    """A watchdog observer on the inbox that is restarted when it (or its emitter) dies."""

    def __init__(
        self, inbox: Path, wake: threading.Event, polling: float | None, logger: logging.Logger
    ) -> None:
        self.inbox = inbox
        self.wake = wake
        self.polling = polling
        self.logger = logger
        self.observer: BaseObserver | None = None
        self.next_try = 0.0
        self.restarts = 0

    @property
    def kind(self) -> str:
        if self.observer is None:
            return "mati (hanya pemindaian berkala)"
        return f"polling {self.polling:g} detik" if self.polling else "event"

    def alive(self) -> bool:
        obs = self.observer
        if obs is None or not obs.is_alive():
            return False
        return all(emitter.is_alive() for emitter in obs.emitters)

    def start(self) -> bool:
        self.stop()
        obs: BaseObserver = (
            PollingObserver(timeout=self.polling) if self.polling else Observer(timeout=0.5)
        )
        try:
            obs.schedule(_WakeOnChange(self.inbox, self.wake), str(self.inbox), recursive=True)
            obs.start()
        except Exception as exc:  # noqa: BLE001 - inotify limits, a missing mount, ...
            self.logger.warning("observer tidak bisa dimulai: %r", exc)
            try:
                obs.stop()
            except Exception:  # noqa: BLE001
                pass
            self.next_try = time.monotonic() + OBSERVER_RETRY_SECONDS
            return False
        self.observer = obs
        return True

    def ensure(self) -> str | None:
        """Restart a dead observer (at most every OBSERVER_RETRY_SECONDS); a line to log."""
        if self.alive() or time.monotonic() < self.next_try:
            return None
        was_running = self.observer is not None
        self.restarts += 1
        if self.start():
            self.wake.set()  # events may have been missed while it was down
            if was_running:
                self.logger.warning("observer mati dan dimulai ulang")
                return "Pemantau folder berhenti dan sudah dimulai ulang."
            return None
        return (
            "Pemantau folder inbox tidak bisa dimulai; tetap memindai setiap "
            "beberapa detik (lihat .musrenbang/logs/watch.log)."
        )

    def stop(self) -> None:
        obs, self.observer = self.observer, None
        if obs is None:
            return
        try:
            obs.stop()
            obs.join(timeout=5)
        except Exception:  # noqa: BLE001 - it may already be dead
            pass


# --- signals ---------------------------------------------------------------------------


def _stop_signals() -> list[signal.Signals]:
    names = ["SIGINT", "SIGTERM", "SIGBREAK"]  # SIGBREAK: Ctrl-Break on Windows
    return [getattr(signal, n) for n in names if hasattr(signal, n)]


class _SignalStop:
    """First SIGINT/SIGTERM: stop after the pass under way. Second: stop at once (the next
    start finishes the interrupted work)."""

    def __init__(self, stop: threading.Event, wake: threading.Event) -> None:
        self.stop = stop
        self.wake = wake
        self.received: int | None = None
        self.previous: dict[signal.Signals, Any] = {}

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.stop.is_set() and self.received is not None:
            raise KeyboardInterrupt
        self.received = signum
        self.stop.set()
        self.wake.set()

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        for sig in _stop_signals():
            try:
                self.previous[sig] = signal.signal(sig, self.handle)
            except (OSError, ValueError):
                pass

    def restore(self) -> None:
        for sig, handler in self.previous.items():
            try:
                signal.signal(sig, handler)
            except (OSError, ValueError, TypeError):
                pass
        self.previous.clear()


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
    signals = _SignalStop(stop, wake)
    signals.install()
    readiness = Readiness(stable_seconds=settings.watch.stabil_detik)
    interval = settings.watch.polling_detik
    observer = _Observer(ws.inbox, wake, polling, logger)
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
                with workspace_lock(ws, timeout=LOCK_WAIT_SECONDS):
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
