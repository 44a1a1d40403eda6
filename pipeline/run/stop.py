"""How a watcher is told to stop: SIGINT/SIGTERM (Windows: also Ctrl-Break) and the stop file
`.musrenbang/stop`."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

STOP_NAME = "stop"
"""Creating `.musrenbang/stop` stops every watcher of the workspace cleanly (Windows services
have no SIGTERM); a watcher removes a stale one when it starts."""


def stop_signals() -> list[signal.Signals]:
    names = ["SIGINT", "SIGTERM", "SIGBREAK"]  # SIGBREAK: Ctrl-Break on Windows
    return [getattr(signal, n) for n in names if hasattr(signal, n)]


class SignalStop:
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
        for sig in stop_signals():
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
