"""The process groups a workspace's LibreOffice converters started (`soffice-pids.json` in
the runtime folder), so that a pass after a crash reaps the orphans (documents/convert.py)."""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path
from typing import Any

from filelock import FileLock

from pipeline.documents import processes

PID_FILE = "soffice-pids.json"

_PID_LOCK = threading.Lock()  # one lock for every converter of this process
_HOST = socket.gethostname()


def _elsewhere(entry: object) -> bool:
    """A group another machine started (older entries carry no host: this machine's)."""
    return isinstance(entry, dict) and entry.get("host", _HOST) != _HOST


class PidFile:
    """The process groups this workspace's converters started, for reaping after a crash.

    Each entry: group id -> {"marker": profile URI on its command line, "owner": pid of the
    pipeline that started it, "host": its machine}. Only groups whose owner is gone are
    reaped, and only when one of their processes still carries the marker (a reused pid is
    never killed). Several processes share the file (a lock file beside it); entries of
    another machine (workers sharing the root over NFS) are left to that machine.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = FileLock(path.with_name(path.name + ".lock"), thread_local=False)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.path)

    def add(self, pgid: int, marker: str) -> None:
        with _PID_LOCK, self.lock:
            data = self._read()
            data[str(pgid)] = {"marker": marker, "owner": os.getpid(), "host": _HOST}
            self._write(data)

    def remove(self, pgid: int) -> None:
        with _PID_LOCK, self.lock:
            data = self._read()
            if not _elsewhere(data.get(str(pgid))) and data.pop(str(pgid), None) is not None:
                self._write(data)

    def reap(self) -> int:
        """Kill orphaned groups still running with our profile; returns how many.

        A group is an orphan when the pipeline that started it is gone. Its processes are
        found by the group (POSIX), by descent from its leader, and by the profile URI on
        their command line (Windows, where a dead parent leaves no group behind); they are
        killed only when one of them carries that marker (a reused pid is never killed),
        and never when they descend from a pipeline that still runs."""
        killed = 0
        with _PID_LOCK, self.lock:
            data = self._read()
            keep: dict[str, Any] = {}
            live: set[int] = set()
            for key, entry in data.items():
                owner = entry.get("owner") if isinstance(entry, dict) else None
                if _elsewhere(entry):
                    keep[key] = entry  # another machine's: its pipeline judges it
                elif isinstance(owner, int) and processes.alive(owner):
                    keep[key] = entry  # its pipeline still runs: not an orphan
                    live.add(owner)
            for key, entry in data.items():
                if key in keep:
                    continue
                marker = entry.get("marker", "") if isinstance(entry, dict) else str(entry)
                if not key.isdigit() or not marker:
                    continue
                members = processes.tree(int(key))
                ours = any(marker in processes.command_line(p) for p in members)
                strays = processes.carrying(marker, live)  # orphans outside the group
                if ours or strays:
                    if ours:
                        processes.kill_tree(int(key))
                    processes.kill(strays)
                    killed += 1
            self._write(keep)
        return killed
