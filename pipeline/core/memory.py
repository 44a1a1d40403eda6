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
from collections.abc import Callable
from functools import cache


@cache
def _trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_memory() -> None:
    """Collect cycles (lxml and openpyxl trees hold some) and return free pages."""
    gc.collect()
    trim = _trim()
    if trim is not None:
        trim(0)
