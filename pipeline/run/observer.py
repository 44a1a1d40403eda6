"""The watcher's file events: a watchdog observer on the inbox that only wakes the loop, and is
restarted when it (or its emitter) dies, e.g. on a mount error of a network share."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from pipeline.run.inbox import is_ignored

OBSERVER_RETRY_SECONDS = 30.0

_WAKE_EVENTS = {"created", "modified", "moved", "closed"}


class WakeOnChange(FileSystemEventHandler):
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


class InboxObserver:
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
            obs.schedule(WakeOnChange(self.inbox, self.wake), str(self.inbox), recursive=True)
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
