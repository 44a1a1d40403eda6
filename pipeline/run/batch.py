"""The orchestrator: one pass over the inbox. It alone knows the order of the stages.

For every input: claim it (atomic rename out of the inbox), journal it in the ledger, archive
it unchanged, examine it, change the ledger in one transaction, write outputs atomically,
write its receipt, mark the journal entry done, release the claim. A pass killed at any point
is finished by the next one: the journal row (`inputs.done = 0`) and the claimed file say
what was left, and every step after the ledger commit is idempotent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipeline.core import atomic
from pipeline.core.config import Settings
from pipeline.core.examined import Examined
from pipeline.core.memory import tune_allocator
from pipeline.core.receipts import Receipt, Status, clash_free, receipt_stem, write_receipt
from pipeline.core.report import Issue, cap_issues
from pipeline.core.wilayah import WilayahList, load_wilayah
from pipeline.core.workspace import (
    MAX_PATH_CHARS,
    Workspace,
    archive_rel,
    display_name,
    name_bytes,
    region_folder,
    windows_length,
)
from pipeline.documents import deferred
from pipeline.ledger.store import InputRow, Ledger, now_iso
from pipeline.run import inbox, reports, safety
from pipeline.run.give_up import give_up
from pipeline.run.lock import workspace_lock
from pipeline.run.pending import Pending, Waiting, region_key

if TYPE_CHECKING:
    from pipeline.documents.convert import Converter
    from pipeline.run.route import Stages

MAX_ATTEMPTS = 3  # internal errors on one input before it gets a rejection receipt


@dataclass
class PassResult:
    receipts: list[Receipt] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    deferred: int = 0
    reports: list[Path] = field(default_factory=list)  # kabupaten recap and monitoring

    @property
    def exit_code(self) -> int:
        if self.internal_errors:
            return 3
        if any(r.status is Status.REJECTED for r in self.receipts):
            return 1
        return 0


sha256_of = safety.sha256_of  # (sha256, size) of a file, never through a link


class Batch:
    """One pass's shared state: the workspace, settings, region list, ledger and converter."""

    def __init__(
        self,
        ws: Workspace,
        settings: Settings,
        wilayah: WilayahList,
        ledger: Ledger,
        converter: Converter | None,
        log: Callable[[str], None],
    ) -> None:
        self.ws = ws
        self.settings = settings
        self.tz = ZoneInfo(settings.jadwal.zona_waktu)
        self.ledger = ledger
        self.log = log
        self.wilayah = wilayah
        self._converter = converter
        self.pending = Pending(2 * (settings.pdf.pekerja or os.cpu_count() or 1))

    @cached_property
    def stages(self) -> Stages:
        """The stages (and their libraries: openpyxl, docx, PDF) are loaded on first use: a
        pass with nothing new to read needs none of them."""
        from pipeline.run.route import Stages

        return Stages(self.ws, self.settings, self.wilayah, self.ledger, self._converter)

    def close(self) -> None:
        self.pending.drain()
        if "stages" in self.__dict__:
            self.stages.close()

    def order_key(self, path: Path) -> tuple[int, float, str]:
        """Scans and documents before workbooks (a Kirim workbook in the same pass sees
        them); within each group in the order the files arrived."""
        from pipeline.run.route import locate

        rel = path.relative_to(self.ws.inbox).as_posix()
        group = 0 if locate(rel, self.wilayah).area is not None else 1
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        return (group, mtime, str(path))

    # ------------------------------------------------------------------ one input

    @cached_property
    def name_budget(self) -> int:
        """How many characters of the operator's file name a receipt name may keep, so that
        its deepest copy (<desa outbox>/<year>/tanda-terima/<name> (2).json) stays below
        MAX_PATH_CHARS: the region folders are the pipeline's and are never shortened."""
        deepest = windows_length("outbox/tanda-terima/") + len(" (perbaiki).xlsx")
        wilayah = self.wilayah
        for desa in wilayah.all_desa():
            try:
                kec = wilayah.kecamatan_of(desa.kode)
            except Exception:  # noqa: BLE001 - a desa without its kecamatan row
                continue
            folder = f"outbox/{region_folder(kec)}/{region_folder(desa)}/2027/tanda-terima/"
            deepest = max(deepest, windows_length(folder) + len(".json"))
        stamp, clash = len("20261122-091502-"), len(" (99)")
        return max(24, min(120, MAX_PATH_CHARS - 1 - deepest - stamp - clash))

    def journal(self, claim: inbox.Claim) -> InputRow:
        """The input's ledger row, made on first sight: fixes its receipt name and archive path.

        The claimed file is archived here, read once through a descriptor that never follows
        a link, and the row records the sha256 of exactly the bytes archived. Names that are
        not UTF-8 are journaled as shown (U+FFFD) with their original bytes in `raw_rel`."""
        row = self.ledger.input_by_token(claim.token)
        if row is not None:
            return row
        archived_as = archive_rel(claim.rel, claim.token)
        sha, size = safety.archive(claim.path, self.ws.root / archived_as)
        received_at = dt.datetime.now(self.tz)
        file, rel = display_name(claim.name), display_name(claim.rel)
        name = clash_free(
            receipt_stem(received_at, file, self.name_budget),
            lambda n: (
                self.ledger.receipt_name_taken(n) or (self.ws.receipts / f"{n}.json").exists()
            ),
        )
        return self.ledger.add_input(
            token=claim.token,
            file=file,
            rel=rel,
            sha256=sha,
            size=size,
            received_at=received_at,
            receipt_name=name,
            archived_as=archived_as,
            raw_rel=name_bytes(claim.rel) if rel != claim.rel else None,
        )

    def release(self, claim: inbox.Claim, row: InputRow) -> None:
        """Let the claimed file go, only once its archive copy exists and matches its sha256
        (copied again from the claimed file when it does not; raises when that fails)."""
        archived = self.ws.root / row.archived_as
        if not safety.archive_matches(archived, row.sha256, row.size):
            safety.archive(claim.path, archived, expect=row.sha256)
            if not safety.archive_matches(archived, row.sha256, row.size):
                raise safety.ArchiveMismatch(f"arsip {row.archived_as} tidak cocok")
        inbox.release(claim)

    def handle(
        self, source: Path, row: InputRow
    ) -> tuple[Callable[[], Receipt], list[deferred.Later], str | None]:
        """Examine and produce; returns the step that writes the receipt and marks the input
        done (to run once the conversions `laters` are done), and the examined region."""
        archived = self.ws.root / row.archived_as
        if source != archived and not _same_size(archived, row.size):
            sha, size = safety.archive(source, archived)  # archive first: nothing is ever lost
            if sha != row.sha256:
                if row.status != "processing":
                    raise safety.ArchiveMismatch(f"{row.file}: isi berubah setelah diperiksa")
                self.ledger.rehash(row.id, sha, size)
                row = dataclasses.replace(row, sha256=sha, size=size)
        if row.status == "processing":
            examined = self.examine(archived, row)
        else:
            examined = Examined.from_receipt_json(row.receipt_json or "{}")
        if examined.year is None and examined.region:
            # an unreadable file in a desa folder: its receipt goes to the desa's open year
            examined.year = self.stages.default_year(examined.region)
        with deferred.collecting() as laters:
            try:
                outputs, extra = self.stages.produce(examined, archived, row)
            except BaseException:
                with contextlib.suppress(Exception):
                    deferred.settle()  # what was handed over is published, as before
                raise

        def finish() -> Receipt:
            outs, issues = outputs, extra
            for later in laters:  # only once its outputs exist
                outs, issues = later.apply(outs, issues)
            receipt = self.receipt(row, examined, outs, issues)
            folders = [self.ws.receipts]
            region_folder = self.stages.region_receipt_folder(examined)
            if region_folder is not None:
                folders.append(region_folder)
            region_name = self.stages.region_name(examined.region)
            write_receipt(receipt, row.receipt_name, folders, region_name)
            self.ledger.mark_done(row.id)
            return receipt

        return finish, laters, examined.region

    def examine(self, archived: Path, row: InputRow) -> Examined:
        """Decide what the input is and what it does; commit the ledger change with the outcome."""
        examined = self.stages.examine(archived, row)
        examined.issues = cap_issues(examined.issues)  # a 29 MB receipt helps nobody
        with self.ledger.transaction() as db:
            if examined.status is Status.ACCEPTED and examined.apply is not None:
                examined.apply(db)
            self.ledger.finish_input(
                db,
                row.id,
                status=examined.status.value,
                kind=examined.kind.value,
                purpose=examined.purpose,
                region=examined.region,
                year=examined.year,
                receipt_json=examined.to_receipt_json(),
            )
            self.ledger.audit(
                db,
                f"input-{examined.status.value}",
                at=now_iso(self.tz),
                region=examined.region,
                year=examined.year,
                file=row.file,
                sha256=row.sha256,
                kind=examined.kind.value,
                issues=[i.code for i in examined.issues],
            )
        return examined

    def receipt(
        self, row: InputRow, examined: Examined, outputs: list[Path], extra: list[Issue]
    ) -> Receipt:
        stage = self.stages.stage_of(examined.region, examined.year)
        return Receipt(
            file=row.file,
            sha256=row.sha256,
            received_at=row.received_at,
            status=examined.status,
            kind=examined.kind,
            region=examined.region,
            year=examined.year,
            stage=stage,
            issues=[*examined.issues, *extra],
            outputs=[self.ws.rel(p) for p in outputs],
            archived_as=row.archived_as,
        )


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
    with workspace_lock(ws, timeout=600):
        wilayah = load_wilayah(ws.wilayah_file)
        ledger = Ledger(settings.ledger_url(ws.root))
        try:
            batch = Batch(ws, settings, wilayah, ledger, converter, say)
            atomic.clean_stale_temps(ws.outbox)
            atomic.clean_stale_temps(ws.arsip)
            _empty_folder(ws.tmp)  # render folders of a killed pass; we hold the lock
            # 1. finish what a killed pass left: claimed files, then journal rows without one
            claimed_tokens = set()
            for claim in inbox.pending_claims(ws):
                claimed_tokens.add(claim.token)
                _one(batch, result, claim=claim)
            for row in ledger.inputs_not_done():
                if row.token not in claimed_tokens and (ws.root / row.archived_as).exists():
                    _one(batch, result, row=row)
            batch.pending.drain()
            # 2. the inbox, ready files only
            files = inbox.list_inputs(ws.inbox)
            if readiness is not None:
                ready = readiness.ready(files)
            else:
                ready = inbox.ready_for_run(files, settings.watch.stabil_detik, take_incomplete)
            result.deferred = len(files) - len(ready)
            for n, path in enumerate(sorted(ready, key=batch.order_key)):
                if progress is not None:
                    progress(n, len(ready))
                _take(batch, result, path)
            batch.pending.drain()  # every receipt written before the recaps
            # `run` ("then recaps") always looks at the kabupaten reports (the Pemantauan shows
            # who is past the deadline today); a watcher pass only when it changed something.
            if readiness is None or result.receipts:
                _kabupaten_reports(batch, result, wilayah, ledger)
        finally:
            batch.close()
            ledger.close()
    return result


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


def _empty_folder(folder: Path) -> None:
    if folder.exists():
        for child in folder.iterdir():
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
        taken = inbox.claim(batch.ws, path)
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
    """Process one input; an internal error is logged and the pass goes on."""
    name = display_name(claim.name) if claim else (row.file if row else "?")
    try:
        if claim is not None:
            try:
                row = batch.journal(claim)
            except safety.Unreadable:
                back = inbox.unclaim(batch.ws, claim)
                if back is not None:
                    _unreadable(batch, result, back, claim.rel)
                    return
                raise
            except safety.NotRegular:
                _put_away(batch, claim)
                return
            if row.done:
                batch.release(claim, row)
                return
            source = claim.path
        else:
            assert row is not None
            source = batch.ws.root / row.archived_as
        key = region_key(row.rel, batch.wilayah)
        batch.pending.wait_for(key)  # an earlier input of this region completes first
        finish, laters, region = batch.handle(source, row)
    except Exception as exc:  # noqa: BLE001 - one bad input must not stop the pass
        _failed(batch, result, name, exc, row, claim)
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

    batch.pending.add(Waiting({key, region}, laters, complete))


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


def _same_size(path: Path, size: int) -> bool:
    try:
        return os.lstat(path).st_size == size
    except OSError:
        return False


def _line(r: Receipt) -> str:
    word = {Status.ACCEPTED: "DITERIMA", Status.REJECTED: "DITOLAK", Status.DUPLICATE: "DUPLIKAT"}
    n_err = sum(1 for i in r.issues if i.severity.value == "error")
    n_warn = len(r.issues) - n_err
    tail = f" {r.region or ''} {r.stage or ''}".rstrip()
    counts = f" ({n_err} kesalahan, {n_warn} peringatan)" if r.issues else ""
    return f"{word[r.status]:<9} {r.file}{tail}{counts}"
