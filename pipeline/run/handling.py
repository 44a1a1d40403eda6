"""One input's way through a pass: journal it, archive it, examine it, commit its ledger change,
write its outputs and receipt, mark it done, release its claim (`Batch`, run by run/batch.py).

Every step after the ledger commit is idempotent, so a killed pass is finished by the next.
Before an input's ledger change or outputs, its region is held by this worker (`guard`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from pipeline.core.config import Settings
from pipeline.core.examined import Examined
from pipeline.core.receipts import Receipt, Status, clash_free, receipt_stem, write_receipt
from pipeline.core.report import Issue, cap_issues
from pipeline.core.wilayah import WilayahList
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
from pipeline.run import inbox, safety
from pipeline.run.pekerja import Pekerja
from pipeline.run.pending import Pending

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
        worker: Pekerja | None = None,
    ) -> None:
        self.ws = ws
        self.worker = worker or Pekerja(ledger, settings, exclusive=True)
        self.put_aside: list[inbox.Claim] = []  # inputs of a region held by nobody here yet
        self.settings = settings
        self.tz = ZoneInfo(settings.jadwal.zona_waktu)
        self.ledger = ledger
        self.log = log
        self.wilayah = wilayah
        self._converter = converter
        self.pending = Pending(2 * settings.pdf.workers)

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

    def guard(self, region: str | None) -> bool:
        """Hold `region` before its ledger changes or outputs: True when it had to be taken
        now (what was read before may be stale: read again). Raises RegionElsewhere when
        another region is held (the input is put aside: see run/turns.py)."""
        if region is None or self.worker.holds(region):
            return False
        self.worker.hold(region)
        return True

    def take(self, path: Path) -> inbox.Claim | None:
        """Claim an inbox file through the ledger, then move it out of the inbox: only the
        worker whose claim row holds the file's name, size and time may move it."""
        st = path.lstat()
        rel = path.relative_to(self.ws.inbox).as_posix()
        # the name as bytes, hashed: a name that is not UTF-8 has no text for the database
        name = hashlib.sha256(os.fsencode(rel)).hexdigest()
        token = self.worker.take_file(f"{name}|{st.st_size}|{st.st_mtime_ns}", inbox.new_token())
        if token is None:
            return None  # a live worker is moving it
        taken = inbox.claim(self.ws, path, token)
        if taken is None:
            self.worker.drop_claim(token)
            return None
        self.worker.file_moved(token)
        return taken

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
        for _attempt in range(20):
            name = clash_free(
                receipt_stem(received_at, file, self.name_budget),
                lambda n: (
                    self.ledger.receipt_name_taken(n) or (self.ws.receipts / f"{n}.json").exists()
                ),
            )
            try:
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
            except IntegrityError:  # another worker took that receipt name just now
                if self.ledger.input_by_token(claim.token) is not None:
                    raise
        raise RuntimeError(f"nama tanda terima untuk {file} tidak dapat dipilih")

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
            self.guard(examined.region)
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
        if self.guard(examined.region):  # read again now that no other worker is on it
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


def _same_size(path: Path, size: int) -> bool:
    try:
        return os.lstat(path).st_size == size
    except OSError:
        return False
