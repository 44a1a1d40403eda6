"""The orchestrator: one pass over the inbox. It alone knows the order of the stages.

This process is one worker (run/pekerja.py): on SQLite it also holds the workspace lock (one
pass at a time on the machine); on PostgreSQL several workers, on several machines, share the
inbox, each region held by one of them at a time (run/turns.py).

For every input: claim it (through the ledger, then an atomic rename out of the inbox), journal it in the ledger, archive
it unchanged, examine it, change the ledger in one transaction, write outputs atomically,
write its receipt, mark the journal entry done, release the claim. A pass killed at any point
is finished by the next one: the journal row (`inputs.done = 0`) and the claimed file say
what was left, and every step after the ledger commit is idempotent.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core import atomic
from pipeline.core.config import Settings
from pipeline.core.memory import freeze_long_lived, thaw, tune_allocator
from pipeline.core.receipts import Receipt, Status
from pipeline.core.wilayah import WilayahList, load_wilayah
from pipeline.core.workspace import (
    Workspace,
    display_name,
)
from pipeline.ledger.store import InputRow, Ledger
from pipeline.run import anak, inbox, reports, safety, turns
from pipeline.run.give_up import give_up
from pipeline.run.handling import Batch, PassResult, sha256_of
from pipeline.run.lock import workspace_lock
from pipeline.run.pekerja import REPORTS, Pekerja, RegionElsewhere
from pipeline.run.pending import Waiting, region_key

__all__ = ["MAX_ATTEMPTS", "Batch", "PassResult", "run_pass", "sha256_of"]

if TYPE_CHECKING:
    from pipeline.documents.convert import Converter

MAX_ATTEMPTS = 3  # internal errors on one input before it gets a rejection receipt
SHARED_TEMP_AGE = 6 * 3600.0  # on a shared workspace, temp files older than this are a crash's


def run_pass(
    ws: Workspace,
    settings: Settings,
    *,
    converter: Converter | None = None,
    readiness: inbox.Readiness | None = None,
    log: Callable[[str], None] | None = None,
    take_incomplete: bool = True,
    progress: Callable[[int, int], None] | None = None,  # (done, of) inbox files: the bar
) -> PassResult:
    """One batch pass over the inbox. Bad input never stops it; each file gets a receipt.

    Without `readiness` (the `run` command, a watcher's first pass) files are judged once
    by their own times; `take_incomplete=False` (the watcher, which will look again) leaves
    a file that does not yet open as what it claims until it is a minute old."""
    say = log or (lambda _line: None)
    result = PassResult()
    tune_allocator()  # a 10,000-row input's large blocks go back to the system when freed
    shared = settings.ledger.is_postgresql  # workers on other machines: no file lock
    child = anak.is_child()  # a worker process of a parent that holds the lock (run/anak.py)
    with nullcontext() if shared or child else workspace_lock(ws, timeout=600):
        wilayah = load_wilayah(ws.wilayah_file)
        ledger = Ledger(settings.ledger_url(ws.root))
        worker = Pekerja(ledger, settings, exclusive=not (shared or child))
        children: list[subprocess.Popen[str]] = []
        freeze_long_lived()
        try:
            batch = Batch(ws, settings, wilayah, ledger, converter, say, worker)
            if (share := anak.child_pdf_share()) is not None:
                _limit_pdf_workers(batch, share)
            if not child:
                _clean(ws, shared)
            _recover(batch, result)  # 1. what a killed pass (or a dead worker) left
            # 2. the inbox, ready files only, region by region
            files = inbox.list_inputs(ws.inbox)
            if readiness is not None:
                ready = readiness.ready(files)
            else:
                ready = inbox.ready_for_run(files, settings.watch.stabil_detik, take_incomplete)
            result.deferred = len(files) - len(ready)
            done = iter(range(len(ready)))

            def take(path: Path) -> None:
                if progress is not None:
                    progress(next(done, len(ready)), len(ready))
                _take(batch, result, path)

            def key_of(path: Path) -> str | None:
                return region_key(path.relative_to(ws.inbox).as_posix(), wilayah)

            def let_go(key: str | None) -> None:
                if key is None:  # the inbox root: whatever its file's region was, now
                    batch.pending.drain()
                    worker.let_go()
                else:  # once the receipts of the region's inputs are written (FIFO)
                    batch.pending.add(Waiting({key}, [], lambda: worker.let_go(key)))

            ordered = sorted(ready, key=batch.order_key)
            if not child and (extra := anak.how_many(settings, len(turns.groups(ordered, key_of)))):
                worker.exclusive = False  # the children's claims are live ones now
                share = anak.pdf_share(settings, extra + 1)
                _limit_pdf_workers(batch, share)
                children = anak.spawn(ws.root, extra, share)
            if any(p.suffix.lower() == ".xlsx" for p in ordered):  # documents to convert
                _warm_pdf_workers(batch)
            turns.take_all(worker, ordered, key_of, take, let_go)
            batch.pending.drain()
            worker.let_go()
            anak.collect(children, result.receipts, result.internal_errors, say)
            if children:
                worker.bury_dead()  # a child that died: its claims are taken over below
            for claim in batch.put_aside:  # held by nobody now: each under its own region
                with worker.scope():
                    _one(batch, result, claim=claim)
                    batch.pending.drain()
            if shared or children:  # a worker that died during this pass: taken over now
                _recover(batch, result)
            batch.pending.drain()  # every receipt written before the recaps
            # `run` ("then recaps") always looks at the kabupaten reports (the Pemantauan shows
            # who is past the deadline today); a watcher pass only when it changed something.
            if not child and (readiness is None or result.receipts):
                with worker.scope(REPORTS if shared else None):
                    _kabupaten_reports(batch, result, wilayah, ledger)
        finally:
            for process in children:  # an error above: none is left running
                if process.poll() is None:
                    process.kill()
            batch.close()
            worker.stop()
            ledger.close()
            thaw()
    return result


def _limit_pdf_workers(batch: Batch, most: int) -> None:
    """At most `most` LibreOffice workers for this process (others share the machine)."""
    pool = batch.stages.get_converter()
    if pool is not None:
        pool.limit(most)


def _warm_pdf_workers(batch: Batch) -> None:
    """LibreOffice started while the first workbooks are read (Converter.warm)."""
    pool = batch.stages.get_converter()
    if pool is not None and pool.available:
        pool.warm()


def _recover(batch: Batch, result: PassResult) -> None:
    """Finish what a killed pass or a dead worker left: claimed files, then journal rows
    without one. A live worker's claims are not ours to take (Pekerja.take_claim)."""
    ws, worker = batch.ws, batch.worker
    claimed_tokens = set()
    for claim in inbox.pending_claims(ws):
        claimed_tokens.add(claim.token)
        if worker.take_claim(claim.token):
            with worker.scope():  # holding nothing: its region is taken when it is known
                _one(batch, result, claim=claim)
                batch.pending.drain()
    for row in batch.ledger.inputs_not_done():
        if row.token in claimed_tokens or not (ws.root / row.archived_as).exists():
            continue
        if worker.take_claim(row.token):
            with worker.scope():
                _one(batch, result, row=row)
                batch.pending.drain()


def _clean(ws: Workspace, shared: bool) -> None:
    """Temporary files of a killed pass. With the workspace lock held nobody else is working;
    on a shared workspace only what is older than any live pass's work."""
    older = SHARED_TEMP_AGE if shared else None
    atomic.clean_stale_temps(ws.outbox, older_than=older)
    atomic.clean_stale_temps(ws.arsip, older_than=older)
    _empty_folder(ws.tmp, older_than=older)  # render folders of a killed pass


def _kabupaten_reports(
    batch: Batch, result: PassResult, wilayah: WilayahList, ledger: Ledger
) -> None:
    """A failed recap is an internal error of the pass, never a failed input. Reports that
    already show what they would (run/reports.py) are neither rebuilt nor rewritten."""
    try:
        now = dt.datetime.now(batch.tz)
        result.reports = reports.refresh(batch.ws, batch.settings, wilayah, ledger, now)
    except Exception as exc:  # noqa: BLE001
        _log_internal(batch, "rekap kabupaten", exc)
        result.internal_errors.append(f"rekap kabupaten: {exc}")


def _log_internal(batch: Batch, name: str, exc: BaseException) -> None:
    """The traceback to .musrenbang/logs/pipeline.log, a line to the operator; never raises."""
    safety.log_internal(batch.ws.runtime, batch.tz, name, exc, batch.log)


def _empty_folder(folder: Path, older_than: float | None = None) -> None:
    if folder.exists():
        for child in folder.iterdir():
            if older_than is not None and not _older(child, older_than):
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _take(batch: Batch, result: PassResult, path: Path) -> None:
    """Claim one ready file of the inbox and process it; a file this process may not read
    stays in the inbox with a receipt saying so."""
    try:
        if not safety.readable(path):
            _unreadable(batch, result, path, path.relative_to(batch.ws.inbox).as_posix())
            return
        taken = batch.take(path)
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the pass
        _failed(batch, result, display_name(path.name), exc, None, None)
        return
    if taken is not None:
        _one(batch, result, claim=taken)


def _one(
    batch: Batch,
    result: PassResult,
    *,
    claim: inbox.Claim | None = None,
    row: InputRow | None = None,
) -> None:
    """Process one input; an internal error is logged and the pass goes on. Its receipt is
    written once its conversions are done (run/pending.py); then, or when it failed, this
    worker's claim on it ends. An input of a region held by nobody here while another is
    held is put aside (RegionElsewhere), its claim kept."""
    name = display_name(claim.name) if claim else (row.file if row else "?")
    token = claim.token if claim is not None else (row.token if row is not None else None)

    def done() -> None:
        if token is not None:
            batch.worker.drop_claim(token)

    try:
        if claim is not None:
            try:
                row = batch.journal(claim)
            except safety.Unreadable:
                back = inbox.unclaim(batch.ws, claim)
                if back is not None:
                    _unreadable(batch, result, back, claim.rel)
                    done()
                    return
                raise
            except safety.NotRegular:
                _put_away(batch, claim)
                done()
                return
            if row.done:
                batch.release(claim, row)
                done()
                return
            source = claim.path
        else:
            assert row is not None
            source = batch.ws.root / row.archived_as
        key = region_key(row.rel, batch.wilayah)
        batch.pending.wait_for(key)  # an earlier input of this region completes first
        finish, laters, region = batch.handle(source, row)
    except RegionElsewhere:
        if claim is None:
            raise  # a journal row is processed holding no region: this cannot happen
        batch.put_aside.append(claim)
        return
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the pass
        _failed(batch, result, name, exc, row, claim)
        _safely(batch, name, done)
        return
    journaled = row

    def complete() -> None:
        try:
            receipt = finish()
            result.receipts.append(receipt)
            batch.log(_line(receipt))
            if claim is not None:
                batch.release(claim, journaled)
        except Exception as exc:  # noqa: BLE001 - one bad input must not stop the pass
            _failed(batch, result, name, exc, journaled, claim)
        _safely(batch, name, done)

    batch.pending.add(Waiting({key, region}, laters, complete))


def _safely(batch: Batch, name: str, step: Callable[[], None]) -> None:
    try:
        step()
    except Exception as exc:  # noqa: BLE001 - the ledger itself may be what fails
        _log_internal(batch, f"{name} (melepas klaim)", exc)


def _failed(
    batch: Batch,
    result: PassResult,
    name: str,
    exc: BaseException,
    row: InputRow | None,
    claim: inbox.Claim | None,
) -> None:
    """Log an internal error; a bug that hits one input MAX_ATTEMPTS times ends in a receipt,
    an error of the environment (a full disk) never does: it is retried by every pass.
    Nothing raised here leaves this function."""
    _log_internal(batch, name, exc)
    try:
        result.internal_errors.append(safety.printable(f"{name}: {exc}"))
    except Exception:  # noqa: BLE001 - a broken __str__
        result.internal_errors.append(safety.printable(name))
    if row is None or safety.environment_error(exc):
        return
    try:
        current = batch.ledger.input_by_token(row.token)
        if current is None or current.done:
            return
        if batch.ledger.count_failure(current.id) >= MAX_ATTEMPTS:
            say = lambda n, e: _log_internal(batch, n, e)  # noqa: E731
            receipt = give_up(batch.ws, batch.ledger, current, claim, MAX_ATTEMPTS, say)
            if receipt is not None:
                result.receipts.append(receipt)
    except Exception as inner:  # noqa: BLE001 - the disk itself may be what fails
        _log_internal(batch, f"{name} (mencatat galat)", inner)


def _put_away(batch: Batch, claim: inbox.Claim) -> None:
    """A claimed path that is not a regular file (swapped for a symlink or fifo after the
    listing) is never read: it goes back to the inbox, where it is not an input, or away."""
    if inbox.unclaim(batch.ws, claim) is None:
        try:
            os.unlink(claim.path)  # the link itself, never what it points to
        except OSError:
            pass
        shutil.rmtree(claim.folder, ignore_errors=True)
    batch.log(safety.printable(f"DILEWATI {display_name(claim.rel)}: bukan berkas biasa"))


def _unreadable(batch: Batch, result: PassResult, path: Path, rel: str) -> None:
    """A file this process may not read: a receipt, once per version; it stays in the inbox."""
    try:
        from pipeline.run.unreadable import unreadable_receipt

        receipt = unreadable_receipt(
            batch.ws, batch.ledger, batch.stages, batch.name_budget, path, rel
        )
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the pass
        _failed(batch, result, display_name(Path(rel).name), exc, None, None)
        return
    if receipt is None:
        result.deferred += 1
        return
    result.receipts.append(receipt)
    batch.log(_line(receipt))


def _older(path: Path, seconds: float) -> bool:
    try:
        return time.time() - os.lstat(path).st_mtime > seconds
    except OSError:
        return False


def _line(r: Receipt) -> str:
    word = {Status.ACCEPTED: "DITERIMA", Status.REJECTED: "DITOLAK", Status.DUPLICATE: "DUPLIKAT"}
    n_err = sum(1 for i in r.issues if i.severity.value == "error")
    n_warn = len(r.issues) - n_err
    tail = f" {r.region or ''} {r.stage or ''}".rstrip()
    counts = f" ({n_err} kesalahan, {n_warn} peringatan)" if r.issues else ""
    return f"{word[r.status]:<9} {r.file}{tail}{counts}"
