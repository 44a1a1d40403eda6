"""What keeps every input safe whatever the disk, the file system or the operator does.

- Claimed files are opened without following links and without blocking (a symlink or fifo
  swapped in after the listing is never read: `open_regular`).
- An input's archive copy is made from that one descriptor while it is hashed, and checked
  again (size and sha256) before the claimed file may go (`archive`, `archive_matches`).
- Errors of the environment (a full disk, a read-only or failing disk, no memory) are told
  apart from bugs (`environment_error`): they are retried, never a reason to give up on an
  input.
- Logging an internal error never raises (`log_internal`): whatever fails while a failure is
  being recorded is swallowed, so one input can never stop a pass.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from pipeline.core import atomic
from pipeline.core.environment import environment_error
from pipeline.core.workspace import display_name

CHUNK = 1 << 20

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotRegular(Exception):
    """The claimed path is not a regular file (a symlink or fifo swapped in): never followed."""


class Unreadable(Exception):
    """The file exists but this process may not read it (no permission)."""


class ArchiveMismatch(Exception):
    """The bytes copied are not the bytes journaled: the archive is not replaced."""


def open_regular(path: Path) -> int:
    """A read-only descriptor of `path`, never following a symlink and never blocking on a
    fifo; raises NotRegular unless it is a regular file, Unreadable without permission."""
    try:
        st = os.lstat(path)
    except PermissionError as exc:
        raise Unreadable(str(exc)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise NotRegular(f"bukan berkas biasa: {display_name(path.name)!r}")
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except PermissionError as exc:
        raise Unreadable(str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # swapped for a symlink after the lstat
            raise NotRegular(f"tautan simbolik: {display_name(path.name)!r}") from exc
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(f"bukan berkas biasa: {display_name(path.name)!r}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def readable(path: Path) -> bool:
    """False when `path` is a regular file this process may not read. Anything else (gone,
    not a regular file, fine) is True: those are decided elsewhere."""
    try:
        os.close(open_regular(path))
    except Unreadable:
        return False
    except (NotRegular, OSError):
        return True
    return True


def sha256_of(path: Path) -> tuple[str, int]:
    """(sha256, size) of a regular file, read without following links."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        return _digest(fh.read)


def _digest(
    read: Callable[[int], bytes], write: Callable[[bytes], object] | None = None
) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    while chunk := read(CHUNK):
        h.update(chunk)
        size += len(chunk)
        if write is not None:
            write(chunk)
    return h.hexdigest(), size


def archive(source: Path, final: Path, expect: str | None = None) -> tuple[str, int]:
    """Copy `source` (never through a link) to `final` atomically while hashing it; returns
    (sha256, size) of what was written. With `expect`, a copy of other bytes raises
    ArchiveMismatch and `final` is left as it was. The modification time is kept."""
    fd = open_regular(source)
    with os.fdopen(fd, "rb") as src:
        st = os.fstat(src.fileno())
        with atomic.atomic_path(final) as tmp:
            with open(tmp, "wb") as out:
                sha, size = _digest(src.read, out.write)
                out.flush()
            if expect is not None and sha != expect:
                raise ArchiveMismatch(f"isi berubah: {sha} != {expect}")
            os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    return sha, size


def archive_matches(path: Path, sha256: str, size: int | None = None) -> bool:
    """True when the archive copy exists as a regular file with exactly these bytes."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or (size is not None and st.st_size != size):
            return False
        return sha256_of(path)[0] == sha256
    except (OSError, NotRegular, Unreadable):
        return False


def printable(text: object) -> str:
    """Text safe to print or write as UTF-8 (surrogate escapes of odd file names shown as
    \\udcxx rather than raising)."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def log_internal(
    runtime: Path, tz: dt.tzinfo, name: str, exc: BaseException, say: Callable[[str], None]
) -> None:
    """Write the traceback to <runtime>/logs/pipeline.log (stderr when that fails) and one
    line for the operator. Never raises."""
    try:
        stamp = dt.datetime.now(tz).isoformat(timespec="seconds")
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        entry = printable(f"[{stamp}] {name}\n{detail}\n")
    except Exception:  # noqa: BLE001 - even formatting may fail (a broken __str__)
        entry = f"[?] {printable(name)}\n{type(exc).__name__}\n"
    try:
        log_dir = runtime / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        with open(log_dir / "pipeline.log", "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(entry)
    except Exception:  # noqa: BLE001 - a full disk: the log goes to stderr instead
        try:
            sys.stderr.write(entry)
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
    try:
        kind = "GALAT INTERNAL" if not environment_error(exc) else "GALAT INTERNAL (disk/sistem)"
        say(printable(f"{kind}  {name}: {exc} (rincian: .musrenbang/logs/pipeline.log)"))
    except Exception:  # noqa: BLE001
        pass
