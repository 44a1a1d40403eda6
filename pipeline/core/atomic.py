"""Atomic file writes: a reader of outbox/ or arsip/ never sees a half-written file.

Write to a temporary file in the same folder (same filesystem), flush and fsync it, then
os.replace it over the final name. Temporary names start with '.~tmp-' so that scanners and
operators' file browsers skip them, and a crashed write leaves only such a dotfile behind.
The name also says who writes it (`.~tmp-<host>~<pid>~...`): on a workspace that workers share,
a temporary file of a process of this machine that is gone is a crash's, whatever its age.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

TMP_PREFIX = ".~tmp-"
_HOST = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname())[:40] or "host"
_WRITER = re.compile(re.escape(TMP_PREFIX) + r"([A-Za-z0-9._]+)~(\d+)~")


def _writer_prefix() -> str:
    return f"{TMP_PREFIX}{_HOST}~{os.getpid()}~"


def _writer_gone(name: str) -> bool:
    """The temporary file `name` was written by a process of this machine that is gone."""
    m = _WRITER.match(name)
    return m is not None and m[1] == _HOST and not psutil.pid_exists(int(m[2]))


def _file_mode() -> int:
    # mkstemp makes 0600 files; outputs are read by operators over the share, so give
    # published files the ordinary mode the process umask allows.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def _fsync_dir(folder: Path) -> None:
    # Directory fsync makes the rename durable on POSIX; Windows has no such call.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside `final`; on success it replaces `final` atomically."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=_writer_prefix(), suffix=final.suffix, dir=final.parent)
    os.close(fd)
    tmp = Path(name)
    os.chmod(tmp, FILE_MODE)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        _fsync_dir(final.parent)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes(final: Path, data: bytes) -> Path:
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)
    return final


def write_text(final: Path, text: str) -> Path:
    return write_bytes(final, text.encode("utf-8"))


def write_with(final: Path, writer: Callable[[Path], None]) -> Path:
    """Let `writer` fill a temporary path (e.g. openpyxl's save), then publish it."""
    with atomic_path(final) as tmp:
        writer(tmp)
    return final


def copy_file(src: Path, final: Path) -> Path:
    """Copy `src` to `final` atomically, keeping its modification time."""
    with atomic_path(final) as tmp:
        shutil.copy2(src, tmp)
    return final


def clean_stale_temps(folder: Path, older_than: float | None = None) -> int:
    """Remove temporary files left by a crash below `folder`; returns how many. With
    `older_than` (seconds), only those not touched for that long (another worker's may be
    being written now) or whose writer on this machine is gone."""
    n = 0
    now = time.time()
    for parent, _dirs, names in os.walk(folder):  # os.walk: a kabupaten's outbox in ms
        for name in names:
            if name.startswith(TMP_PREFIX):
                path = os.path.join(parent, name)
                try:
                    young = older_than is not None and now - os.lstat(path).st_mtime <= older_than
                    if young and not _writer_gone(name):
                        continue
                    os.unlink(path)
                    n += 1
                except OSError:
                    pass
    return n
