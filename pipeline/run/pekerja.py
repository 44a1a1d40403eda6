"""This process as one worker among several on one ledger (ledger/klaim.py).

A worker has an id (host, pid, random), beats every quarter of `proses.ambil_alih_detik` from
a thread with its own connection, and holds regions: one at a time while it waits for one (two
workers never wait on each other), and the kabupaten reports under the pseudo-region
`(laporan)`. A worker killed with SIGKILL stops beating; after the timeout its claims and regions
are taken over by the next worker that asks.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from pipeline.core.config import Settings
from pipeline.ledger import klaim
from pipeline.ledger.db import Db
from pipeline.ledger.store import Ledger

REPORTS = "(laporan)"
POLL_SECONDS = 0.2


class RegionElsewhere(Exception):
    """The input belongs to a region this worker does not hold, while it holds another: it is
    put aside and processed once the held region is let go (waiting now could deadlock)."""


class Pekerja:
    def __init__(self, ledger: Ledger, settings: Settings, *, exclusive: bool = False) -> None:
        """`exclusive`: this process holds the workspace lock (SQLite), so no other pass runs
        and every claim it finds is a dead pass's, to be taken at once."""
        self.ledger = ledger
        self.exclusive = exclusive
        self.timeout = settings.proses.ambil_alih_detik
        host = socket.gethostname() or "?"
        self.host = host
        self.id = f"{host}:{os.getpid()}:{secrets.token_hex(3)}"
        self.held: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._registered = False

    def _register(self) -> None:
        """On the first claim or hold: a pass with nothing to do writes nothing."""
        if self._registered:
            return
        self._registered = True
        klaim.register_worker(self.db, self.id, self.host, os.getpid(), time.time())
        self.bury_dead()
        self._thread = threading.Thread(target=self._beat, name="pekerja-detak", daemon=True)
        self._thread.start()

    def bury_dead(self) -> None:
        """Workers of this machine whose process is gone (killed, the PC restarted) need not
        be waited for: their claims and regions are taken over at once, not after the
        timeout. A pid now used by a younger process is gone too."""
        for worker, pid, started in klaim.local_workers(self.db, self.host):
            if worker == self.id:
                continue
            try:
                alive = psutil.Process(pid).create_time() <= started + 1
            except psutil.AccessDenied:  # another user's live process
                alive = True
            except (psutil.NoSuchProcess, ValueError):
                alive = False
            if not alive:
                klaim.declare_dead(self.db, worker)

    @property
    def db(self) -> Db:
        return self.ledger.db

    def stale(self) -> float:
        """Heartbeats older than this are a dead worker's."""
        if self.exclusive:
            return time.time() + 1.0
        return time.time() - self.timeout

    # --- heartbeat
    def _beat(self) -> None:
        target: str | Path = self.ledger.target
        db = Db(target)
        try:
            while not self._stop.wait(max(0.5, self.timeout / 4)):
                try:
                    klaim.beat(db, self.id, time.time())
                except Exception:  # noqa: BLE001 - a missed beat; the next one may pass
                    pass
        finally:
            db.close()

    def stop(self) -> None:
        if not self._registered:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        klaim.stop_worker(self.db, self.id, time.time())

    # --- inputs
    def take_file(self, berkas: str, token: str) -> str | None:
        self._register()
        return klaim.take_file(self.db, berkas, token, self.id, time.time(), self.stale())

    def file_moved(self, token: str) -> None:
        klaim.file_moved(self.db, token)

    def take_claim(self, token: str) -> bool:
        self._register()
        return klaim.take_claim(self.db, token, self.id, time.time(), self.stale())

    def drop_claim(self, token: str) -> None:
        klaim.drop_claim(self.db, token, self.id)

    # --- regions
    def holds(self, region: str) -> bool:
        return region in self.held

    def try_hold(self, region: str) -> bool:
        if region in self.held:
            return True
        self._register()
        if klaim.take_region(self.db, region, self.id, time.time(), self.stale()):
            self.held.append(region)
            return True
        return False

    def hold(self, region: str) -> None:
        """Wait for `region`; only while holding nothing else (see RegionElsewhere)."""
        if region in self.held:
            return
        if self.held:
            raise RegionElsewhere(region)
        while not self.try_hold(region):
            time.sleep(POLL_SECONDS)

    def let_go(self, region: str | None = None) -> None:
        """Give up `region`, or every region held."""
        for held in reversed(list(self.held)):
            if region is None or held == region:
                klaim.drop_region(self.db, held, self.id)
                self.held.remove(held)

    @contextmanager
    def scope(self, region: str | None = None) -> Iterator[None]:
        """Hold `region` (waiting for it) for the body, and let go of every region taken
        inside it."""
        if region is not None:
            self.hold(region)
        try:
            yield
        finally:
            self.let_go()
