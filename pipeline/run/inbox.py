"""The inbox: which files are inputs, when a file is ready, and claiming it exactly once.

Operators copy files into `inbox/` over the network, so a file that exists is not yet a file
that is complete. A file is *ready* when its size and modification time have stayed the same
for a while, no Office/LibreOffice lock file sits beside it, and it opens as what its name
claims (a zip's central directory is present, a PDF ends with %%EOF, ...). A ready file is
then *claimed*: renamed atomically out of the inbox into `.musrenbang/proses/<token>/`, keeping
its path relative to the inbox. A rename succeeds for exactly one process, so two watchers
(or a watcher and a scheduled run) never both take one file; a crash leaves the claimed file
in place, where `pending_claims` finds it again.

Cross-platform: pathlib, os.scandir and os.rename only (no POSIX-only calls).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import secrets
import shutil
import stat
import threading
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.workspace import Workspace, safe_name, shorten_name

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})
IGNORED_SUFFIXES = (".part", ".crdownload", ".tmp")
ZIP_SUFFIXES = frozenset({".xlsx", ".xlsm", ".docx", ".zip"})
JPEG_SUFFIXES = frozenset({".jpg", ".jpeg"})
PNG_IEND = b"IEND\xaeB`\x82"

GIVE_UP_SECONDS = 60.0
"""A file stable this long is handed over even when it does not look complete, so that a
truly corrupt file gets its rejection receipt instead of waiting forever."""


# --- what is an input ------------------------------------------------------------------


def _ignored_name(name: str) -> bool:
    lower = name.lower()
    return (
        name.startswith(".")  # dotfiles, '.~lock.*#', our own '.~tmp-*'
        or name.startswith("~$")  # Office lock files
        or lower in IGNORED_NAMES
        or lower.endswith(IGNORED_SUFFIXES)
    )


def is_ignored(path: Path, inbox: Path | None = None) -> bool:
    """True for files that are never inputs (lock files, dotfiles, partial downloads, ...).

    Every component of the path is checked (a file inside a dot-folder is ignored too). Pass
    `inbox` to check only the components below it; an absolute path without `inbox` is judged
    by its name alone, so a workspace that happens to live under a dot-folder still works.
    """
    if inbox is not None:
        try:
            parts: tuple[str, ...] = path.relative_to(inbox).parts
        except ValueError:
            parts = (path.name,)
    elif path.is_absolute():
        parts = (path.name,)
    else:
        parts = path.parts
    return any(_ignored_name(part) for part in parts if part not in ("", ".", ".."))


def _lock_names(name: str) -> list[str]:
    names = [f"~${name}", f".~lock.{name}#"]
    # Word/Excel replace the first one or two characters of longer names by '~$'.
    for cut in (1, 2):
        if len(name) > cut + 1:
            names.append("~$" + name[cut:])
    return names


def lock_file_beside(path: Path, stale_after: float | None = None) -> bool:
    """True when an Office (`~$name`) or LibreOffice (`.~lock.name#`) lock file sits beside
    `path`, i.e. someone has the file open (or is still saving it).

    With `stale_after` (seconds), a lock file not touched for that long is taken as left
    behind by a crashed editor and ignored.
    """
    folder = path.parent
    for lock_name in _lock_names(path.name):
        lock = folder / lock_name
        try:
            st = lock.stat()
        except OSError:
            continue
        if stale_after is not None and time.time() - st.st_mtime > stale_after:
            continue
        return True
    return False


def _tail(path: Path, size: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        length = fh.tell()
        fh.seek(max(0, length - size))
        return fh.read()


def looks_complete(path: Path) -> bool:
    """True when the file opens as what its name claims; never raises.

    .xlsx/.xlsm/.docx/.zip: the zip's central directory is present and lists; .pdf: '%%EOF'
    in the last 2 KB; .jpg/.jpeg: ends with the FFD9 marker (a little padding allowed, or a
    Samsung 'SEFT' trailer); .png: ends with the IEND chunk. Other types: True.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in ZIP_SUFFIXES:
            with zipfile.ZipFile(path) as zf:
                return len(zf.namelist()) > 0
        if suffix == ".pdf":
            return b"%%EOF" in _tail(path, 2048)
        if suffix in JPEG_SUFFIXES:
            tail = _tail(path, 32)
            if tail.endswith(b"SEFT"):
                return True
            return tail.rstrip(b"\x00\r\n\t ").endswith(b"\xff\xd9")
        if suffix == ".png":
            return PNG_IEND in _tail(path, 32)
        return True
    except Exception:
        return False


def list_inputs(inbox: Path) -> list[Path]:
    """Every non-ignored regular file below `inbox` (any depth), oldest first.

    Sorted by (modification time, path); ignored folders (dot-folders) are not entered.
    Files or folders that vanish or cannot be read during the walk are skipped.
    """
    found: list[tuple[int, str, Path]] = []
    stack = [inbox]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if _ignored_name(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    found.append((st.st_mtime_ns, entry.path, Path(entry.path)))
            except OSError:
                continue
    found.sort(key=lambda item: (item[0], item[1]))
    return [path for _, _, path in found]


# --- readiness -------------------------------------------------------------------------

_Signature = tuple[int, int, int]


def _signature(path: Path) -> _Signature | None:
    """(size, mtime, ctime) of a regular file, None when it is gone or not a regular file.

    ctime is the last change on POSIX (it moves even when a copier resets the mtime) and the
    creation time on Windows; either way it belongs in 'has this file changed'.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class Readiness:
    """Remembers each file's (size, mtime) across polls; see `ready`.

    `stable_seconds`: how long the signature must stay unchanged (WatchSettings.stabil_detik).
    `give_up_seconds`: a file stable this long is handed over even when it does not look
    complete (it gets a rejection receipt rather than waiting forever).
    `lock_stale_seconds`: a lock file older than this no longer defers (None: always defers).
    Times are `time.time()` seconds unless `now` is given.
    """

    def __init__(
        self,
        stable_seconds: float = 2.0,
        give_up_seconds: float = GIVE_UP_SECONDS,
        lock_stale_seconds: float | None = 12 * 3600,
    ) -> None:
        self.stable_seconds = stable_seconds
        self.give_up_seconds = give_up_seconds
        self.lock_stale_seconds = lock_stale_seconds
        self._seen: dict[Path, tuple[_Signature, float]] = {}
        self._mutex = threading.Lock()

    def ready(self, paths: Iterable[Path], now: float | None = None) -> list[Path]:
        """The files among `paths` that are ready to be claimed, in the order given.

        A file is ready when its (size, mtime) has been seen unchanged for at least
        `stable_seconds`, no lock file sits beside it, and it looks complete (or has been
        stable for `give_up_seconds`). A file seen for the first time is never ready yet.
        Files not among `paths` are forgotten.
        """
        now = time.time() if now is None else now
        out: list[Path] = []
        with self._mutex:
            seen: dict[Path, tuple[_Signature, float]] = {}
            for path in paths:
                sig = _signature(path)
                if sig is None:
                    continue
                previous = self._seen.get(path)
                since = previous[1] if previous is not None and previous[0] == sig else now
                seen[path] = (sig, since)
                stable_for = now - since
                if previous is None or stable_for < self.stable_seconds:
                    continue
                if lock_file_beside(path, self.lock_stale_seconds):
                    continue
                if stable_for >= self.give_up_seconds or looks_complete(path):
                    out.append(path)
            self._seen = seen
        return out

    def next_check(self, now: float | None = None) -> float | None:
        """Seconds until the earliest tracked file could become ready (0 if overdue); None
        when nothing is waiting. A watcher sleeps at most this long before polling again."""
        now = time.time() if now is None else now
        with self._mutex:
            if not self._seen:
                return None
            waits = []
            for _sig, since in self._seen.values():
                age = now - since
                if age < self.stable_seconds:
                    waits.append(self.stable_seconds - age)
                elif age < self.give_up_seconds:
                    # waiting on a lock file or an incomplete file: look again soon
                    waits.append(min(self.stable_seconds, self.give_up_seconds - age) or 0.5)
                else:
                    waits.append(self.stable_seconds or 0.5)
            return max(0.0, min(waits))

    @property
    def waiting(self) -> int:
        """How many files are tracked but were not (yet) handed over."""
        with self._mutex:
            return len(self._seen)


def ready_once(
    paths: Iterable[Path],
    stable_seconds: float,
    now: float | None = None,
    give_up_seconds: float = GIVE_UP_SECONDS,
    lock_stale_seconds: float | None = 12 * 3600,
) -> list[Path]:
    """One-shot readiness for `musrenbang run`: no history, so the file's own times serve.

    Ready when the last change (the later of mtime and ctime) is at least `stable_seconds`
    old, no lock file sits beside it, and it looks complete or is `give_up_seconds` old.
    """
    now = time.time() if now is None else now
    out: list[Path] = []
    for path in paths:
        sig = _signature(path)
        if sig is None:
            continue
        age = now - max(sig[1], sig[2]) / 1e9
        if age < stable_seconds:
            continue
        if lock_file_beside(path, lock_stale_seconds):
            continue
        if age >= give_up_seconds or looks_complete(path):
            out.append(path)
    return out


# --- claims ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    token: str
    path: Path
    """Where the claimed file is now (below ws.claims/<token>/)."""
    rel: str
    """Its original path relative to the inbox, with '/'."""
    name: str
    """Its original file name."""
    token_folder: Path | None = None
    """Set when the claimed file does not sit at <token>/<rel> (a path too long to keep)."""

    @property
    def folder(self) -> Path:
        """The token folder holding the claimed file."""
        if self.token_folder is not None:
            return self.token_folder
        return self.path.parents[len(Path(self.rel).parts) - 1]


REL_SIDECAR = ".rel"
"""In a token folder: the claimed file's original path below the inbox, as bytes, when the
file had to be claimed under a shorter path."""


_token_mutex = threading.Lock()
_last_token_ms = 0


def new_token() -> str:
    """'20261122T091502123-ab12cd': UTC time to the millisecond, then random; sortable by
    time, and strictly increasing within one process."""
    global _last_token_ms
    with _token_mutex:
        ms = max(time.time_ns() // 1_000_000, _last_token_ms + 1)
        _last_token_ms = ms
    moment = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    return f"{moment:%Y%m%dT%H%M%S}{ms % 1000:03d}-{secrets.token_hex(3)}"


def _relative_to_inbox(ws: Workspace, path: Path) -> Path:
    try:
        return path.relative_to(ws.inbox)
    except ValueError:
        return path.resolve().relative_to(ws.inbox.resolve())


def claim(ws: Workspace, path: Path, token: str | None = None) -> Claim | None:
    """Take `path` out of the inbox by an atomic rename into ws.claims/<token>/<rel path>.

    Returns None when the file is gone (another process claimed it first) or cannot be moved
    now (on Windows: still open in another program, or any other refusal: the file stays in
    the inbox for a later pass). The claim folder keeps the original relative path, so a
    restarted process knows where the file came from; a path too long to keep so is claimed
    as <token>/<short name> with the original path in <token>/.rel.
    """
    rel = _relative_to_inbox(ws, path)
    token = token or new_token()
    folder = ws.claims / token
    target = folder / rel
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # os.rename, not os.replace: it fails when the source is gone, and on Windows
            # also when the target exists (the target is always new here).
            os.rename(path, target)
        except OSError as exc:
            if exc.errno != errno.ENAMETOOLONG:
                raise
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            (folder / REL_SIDECAR).write_bytes(os.fsencode(rel.as_posix()))
            target = folder / shorten_name(safe_name(rel.name), 100)
            os.rename(path, target)
            return Claim(token, target, rel.as_posix(), rel.name, token_folder=folder)
    except (FileNotFoundError, PermissionError, FileExistsError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Claim(token=token, path=target, rel=rel.as_posix(), name=target.name)


def _claimed_entries(folder: Path) -> list[Path]:
    """Every non-folder entry below a token folder, links and fifos included (they are
    found so that they can be put away, never followed)."""
    found: list[Path] = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        base = Path(parent)
        for name in list(dirs):
            if (base / name).is_symlink():
                found.append(base / name)  # a link to a folder: not walked into
        found += [base / name for name in names]
    return [p for p in found if not is_ignored(p, folder)]


def pending_claims(ws: Workspace) -> list[Claim]:
    """Claims left behind by a crash (or still being processed), oldest first.

    Empty token folders are removed.
    """
    out: list[Claim] = []
    try:
        tokens = sorted(
            entry.name for entry in os.scandir(ws.claims) if entry.is_dir(follow_symlinks=False)
        )
    except OSError:
        return out
    for token in tokens:
        folder = ws.claims / token
        files = _claimed_entries(folder)
        if not files:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        try:
            sidecar = (folder / REL_SIDECAR).read_bytes()
        except OSError:
            sidecar = None
        for path in sorted(files):
            if sidecar is not None:
                rel = os.fsdecode(sidecar)
                out.append(Claim(token, path, rel, Path(rel).name, token_folder=folder))
                continue
            rel_path = path.relative_to(folder)
            out.append(Claim(token=token, path=path, rel=rel_path.as_posix(), name=path.name))
    return out


def unclaim(ws: Workspace, claim: Claim) -> Path | None:
    """Put a claimed file back into the inbox where it came from (or beside it as
    'name (2).ext' when a new file took its place); None when it cannot be moved."""
    original = ws.inbox / claim.rel
    stem, suffix = original.stem, original.suffix
    for n in range(1, 100):
        target = original if n == 1 else original.with_name(f"{stem} ({n}){suffix}")
        if os.path.lexists(target):
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(claim.path, target)
        except OSError:
            return None
        shutil.rmtree(claim.folder, ignore_errors=True)
        return target
    return None


def release(claim: Claim) -> None:
    """Delete the claimed file and its token folder (once it is archived and receipted)."""
    try:
        claim.path.unlink()
    except FileNotFoundError:
        pass
    shutil.rmtree(claim.folder, ignore_errors=True)


def ready_for_run(files: list[Path], stable_seconds: float, take_incomplete: bool) -> list[Path]:
    """Readiness for a one-shot `run`: a file quiet for `stable_seconds` is taken, whole or
    not (a broken file then gets its rejection receipt now rather than at a later run);
    files changed just now are watched once for that long instead of being left for the
    next scheduled run. A lock file beside a workbook always defers it. The watcher, which
    keeps history across polls, is stricter (see Readiness)."""
    give_up = stable_seconds if take_incomplete else GIVE_UP_SECONDS
    quiet = ready_once(files, stable_seconds, give_up_seconds=give_up)
    if not take_incomplete:
        return quiet  # the watcher looks again soon
    taken = set(quiet)
    young = [f for f in files if f not in taken]
    if young and stable_seconds > 0:
        probe = Readiness(stable_seconds=stable_seconds, give_up_seconds=stable_seconds)
        probe.ready(young)
        time.sleep(stable_seconds)
        quiet += probe.ready(young)
    return quiet
