"""LibreOffice profile folders (-env:UserInstallation): one per running LibreOffice.

Two LibreOffice on one profile collide: the second hands its work to the first or fails, and
conversions are lost. A profile is therefore claimed twice: within this process (a set), and
across processes by an OS lock on `<profile>.lock` held while the profile is in use. Several
workers on one workspace (`musrenbang-pekerja@N` on one machine, or on several machines
sharing the root over NFS, whose locks the server keeps) each get profiles of their own; a
killed process's lock dies with it, so its profile is taken again by the next one.
"""

from __future__ import annotations

import threading
from pathlib import Path

from filelock import FileLock, Timeout

_LOCK = threading.Lock()
_ACTIVE: dict[Path, FileLock] = {}  # profiles in use by a live worker of this process


def claim_profile(runtime_dir: Path, prefix: str) -> Path:
    """The first profile folder `<runtime>/libreoffice/<prefix>-N` no LibreOffice uses."""
    base = runtime_dir / "libreoffice"
    base.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        n = 0
        while True:
            profile = (base / f"{prefix}-{n}").resolve()
            n += 1
            if profile in _ACTIVE:
                continue
            lock = FileLock(profile.with_name(profile.name + ".lock"), thread_local=False)
            try:
                lock.acquire(timeout=0)
            except Timeout:  # another process's LibreOffice runs on it
                continue
            _ACTIVE[profile] = lock
            return profile


def release_profile(profile: Path) -> None:
    with _LOCK:
        lock = _ACTIVE.pop(profile, None)
    if lock is not None:
        lock.release()
