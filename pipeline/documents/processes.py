"""Process control for the LibreOffice workers, the same on Linux and Windows (psutil).

A worker is started as the leader of a process group of its own (POSIX: a new session;
Windows: CREATE_NEW_PROCESS_GROUP). Its "tree" is everything it started: on POSIX the
members of its process group plus its descendants (LibreOffice's soffice -> oosplash ->
soffice.bin), on Windows its descendants. A tree is killed at once (a time-out, a worker
that died under a document, the pool closing), and reaped after a crash of the pipeline
that started it: its processes still carry the worker's profile URI on their command line
(`-env:UserInstallation=...`), which tells them from a process that reused a pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterable

import psutil

_GONE = (psutil.NoSuchProcess, psutil.ZombieProcess)


def popen_group(args: list[str], env: dict[str, str], **kw: object) -> subprocess.Popen[bytes]:
    """Start `args` as the leader of a new process group."""
    if os.name == "posix":
        return subprocess.Popen(args, env=env, start_new_session=True, **kw)  # type: ignore[call-overload]
    flags = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
    return subprocess.Popen(args, env=env, creationflags=flags, **kw)  # type: ignore[call-overload]


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie does not)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except _GONE:
        return False
    except psutil.AccessDenied:
        return True  # it exists, it is just not ours to look at


def command_line(proc: psutil.Process) -> str:
    try:
        return " ".join(proc.cmdline())
    except (*_GONE, psutil.AccessDenied):
        return ""


def _descendants(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return list(proc.children(recursive=True))
    except (*_GONE, psutil.AccessDenied):
        return []


def tree(pid: int) -> list[psutil.Process]:
    """The live processes of the group led by `pid` and their descendants."""
    found: dict[int, psutil.Process] = {}
    try:
        leader = psutil.Process(pid)
        found[pid] = leader
        for child in _descendants(leader):
            found[child.pid] = child
    except _GONE:
        pass
    except psutil.AccessDenied:
        return []
    if os.name == "posix":  # members of the group whose parent is gone (re-parented to init)
        for proc in psutil.process_iter():
            try:
                if proc.pid not in found and os.getpgid(proc.pid) == pid:
                    found[proc.pid] = proc
                    for child in _descendants(proc):
                        found[child.pid] = child
            except (ProcessLookupError, PermissionError, *_GONE):
                continue
    out = []
    for proc in found.values():
        with contextlib.suppress(*_GONE, psutil.AccessDenied):
            if proc.status() != psutil.STATUS_ZOMBIE:
                out.append(proc)
    return out


def group_members(pgid: int) -> list[int]:
    """Pids of the live processes of the group (tree) led by `pgid`."""
    return sorted(p.pid for p in tree(pgid))


def kill(processes: Iterable[psutil.Process], timeout: float = 5) -> None:
    """Kill every process at once (SIGKILL / TerminateProcess) and wait for them to go."""
    procs = [p for p in processes if p.pid != os.getpid()]
    for proc in procs:
        with contextlib.suppress(*_GONE, psutil.AccessDenied):
            proc.kill()
    with contextlib.suppress(Exception):
        psutil.wait_procs(procs, timeout=timeout)


def kill_tree(pid: int) -> None:
    """Kill the group led by `pid` and everything it started."""
    victims = tree(pid)
    if os.name == "posix":  # the group at once, before a member can start another
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    kill(victims)


def carrying(marker: str, spare: set[int]) -> list[psutil.Process]:
    """Processes whose command line holds `marker` and their descendants, except those
    descended from a pid in `spare` (a pipeline that still runs) and this process."""
    found: dict[int, psutil.Process] = {}
    me = os.getpid()
    for proc in psutil.process_iter():
        if proc.pid == me or marker not in command_line(proc):
            continue
        try:
            ancestry = {a.pid for a in proc.parents()}
        except (*_GONE, psutil.AccessDenied):
            continue
        if ancestry & (spare | {me}):
            continue
        found[proc.pid] = proc
        for child in _descendants(proc):
            found[child.pid] = child
    return list(found.values())
