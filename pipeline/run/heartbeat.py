"""The watcher's heartbeat (`.musrenbang/heartbeat.json`): written atomically by the watcher,
also during long passes; read to tell whether a watcher is alive and how long ago it beat."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core import atomic
from pipeline.core.workspace import Workspace

HEARTBEAT_NAME = "heartbeat.json"


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
