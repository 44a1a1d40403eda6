"""The workspace lock: one pass at a time on one workspace, across processes.

A watcher and a scheduled `musrenbang run` (or two watchers) may share a workspace; the lock
(filelock on `.musrenbang/workspace.lock`, an OS lock that dies with its process, so a killed
pipeline never leaves it held) makes their passes take turns. Reentrant within one thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.core.workspace import Workspace

LOCK_NAME = "workspace.lock"
OWNER_NAME = "workspace.owner"


class WorkspaceBusy(Exception):
    """Another process holds the workspace lock and did not let go in time."""

    def __init__(self, lock_path: Path, timeout: float | None, owner: str | None) -> None:
        self.lock_path = lock_path
        self.timeout = timeout
        self.owner = owner
        holder = f" (dipegang oleh proses {owner})" if owner else ""
        waited = f" setelah menunggu {timeout:g} detik" if timeout else ""
        super().__init__(
            f"Workspace sedang dipakai proses lain{holder}{waited}; kunci: {lock_path}. "
            "Tunggu proses itu selesai, atau hentikan watcher yang berjalan."
        )


_locks: dict[str, FileLock] = {}
_locks_mutex = threading.Lock()


def _lock_for(path: Path) -> FileLock:
    # One FileLock object per path: its counter makes nested use in one thread reentrant,
    # while other threads (thread_local=True) and other processes wait for it.
    key = os.path.normcase(str(path.resolve()))
    with _locks_mutex:
        lock = _locks.get(key)
        if lock is None:
            lock = FileLock(path, thread_local=True)
            _locks[key] = lock
        return lock


def _read_owner(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


@contextmanager
def workspace_lock(ws: Workspace, timeout: float | None = None) -> Iterator[None]:
    """Hold the workspace lock for the body; wait at most `timeout` seconds (None: forever).

    Raises WorkspaceBusy when the lock cannot be had in time.
    """
    ws.runtime.mkdir(parents=True, exist_ok=True)
    lock_path = ws.runtime / LOCK_NAME
    owner_path = ws.runtime / OWNER_NAME
    lock = _lock_for(lock_path)
    try:
        lock.acquire(timeout=-1 if timeout is None else max(0.0, timeout))
    except Timeout:
        raise WorkspaceBusy(lock_path, timeout, _read_owner(owner_path)) from None
    try:
        if lock.lock_counter == 1:
            try:
                owner_path.write_text(f"pid {os.getpid()}", encoding="utf-8")
            except OSError:
                pass
        yield
    finally:
        lock.release()
