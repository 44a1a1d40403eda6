"""Errors of the machine, not of an input: a full or failing disk, no memory, no file handles.

They are retried by every pass and never turned into an operator's issue or a give-up.
"""

from __future__ import annotations

import errno
import sqlite3

ENVIRONMENT_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EROFS", "EIO", "ENOMEM", "EMFILE", "ENFILE", "ESTALE")
    if hasattr(errno, name)
)
_SQLITE_ENVIRONMENT = ("disk is full", "disk i/o error", "readonly database", "unable to open")


def environment_error(exc: BaseException | None) -> bool:
    """True when `exc` (or what caused it) is the machine's problem, not the input's."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, MemoryError):
            return True
        if isinstance(exc, OSError) and exc.errno in ENVIRONMENT_ERRNOS:
            return True
        if isinstance(exc, sqlite3.OperationalError) and any(
            text in str(exc).lower() for text in _SQLITE_ENVIRONMENT
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
