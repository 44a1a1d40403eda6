"""Give freed memory back to the operating system after a large input.

A 10,000-row workbook or Kompilasi frees hundreds of MB when it is done, but glibc keeps
freed heap pages mapped, so the process's resident size only ever grows and every large
step stands on the last one's high-water mark. `malloc_trim(0)` returns them. Elsewhere
(Windows, macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from functools import cache

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_FROM = 1 << 20  # blocks of 1 MiB and more: mapped on their own, unmapped when freed


@cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    glibc = hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt")  # musl has neither
    return libc if glibc else None


def freeze_long_lived() -> None:
    """For one pass: what is alive at its start (modules, the region list, settings, the
    ledger) is moved out of the collector's view, so that each automatic full collection
    does not walk it again. `thaw` at the end gives it back (a watcher's next pass may free
    some of it)."""
    gc.freeze()


def thaw() -> None:
    gc.unfreeze()


@cache
def tune_allocator() -> None:
    """Large blocks (the text of a long document, ~25 MB) always their own mapping: glibc's
    default threshold grows with every freed block up to 32 MB, and then such blocks come
    from the heap, whose freed middle cannot go back to the system."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_FROM)


LARGE_INPUT = 1 << 20  # bytes of a workbook file, characters of a rendered body


def release_memory(size: int) -> None:
    """After an input of `size` (bytes or characters): collect cycles (lxml and openpyxl
    trees hold some) and return free pages. Only for a large one: a full collection costs
    ~0.1 s, more than a 30-usulan desa's parse, and small inputs leave little behind."""
    if size < LARGE_INPUT:
        return
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
