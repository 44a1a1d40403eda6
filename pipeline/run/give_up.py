"""The receipt of an input that kept failing: the operator is told, the input is not retried."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.core.receipts import Kind, Receipt, Status, write_receipt
from pipeline.core.report import issue
from pipeline.core.workspace import Workspace
from pipeline.ledger.store import InputRow, Ledger
from pipeline.run import inbox, safety


def give_up(
    ws: Workspace,
    ledger: Ledger,
    row: InputRow,
    claim: inbox.Claim | None,
    attempts: int,
    log_internal: Callable[[str, BaseException], None],
) -> Receipt | None:
    """After `attempts` internal errors the operator still gets a receipt, and the input
    stops being retried; it stays in the archive for the administrator. Only when the archive
    copy exists and matches the journaled sha256: otherwise the input stays claimed and is
    retried, and nothing claims it was archived (None). Never raises."""
    archived = ws.root / row.archived_as
    try:
        if not safety.archive_matches(archived, row.sha256, row.size):
            if claim is None:
                return None
            safety.archive(claim.path, archived, expect=row.sha256)
            if not safety.archive_matches(archived, row.sha256, row.size):
                return None
        receipt = Receipt(
            file=row.file,
            sha256=row.sha256,
            received_at=row.received_at,
            status=Status.REJECTED,
            kind=Kind(row.kind) if row.kind else Kind.UNKNOWN,
            region=row.region,
            year=row.year,
            stage=None,
            issues=[
                issue(
                    "galat-internal",
                    f"Berkas '{row.file}' gagal diproses {attempts} kali karena galat "
                    "sistem. Berkas sudah diarsip; hubungi admin Bappeda/kecamatan (lihat "
                    ".musrenbang/logs/pipeline.log). Tidak perlu mengirim ulang.",
                )
            ],
            outputs=[],
            archived_as=row.archived_as,
        )
        write_receipt(receipt, row.receipt_name, [ws.receipts], None)
        ledger.give_up(row.id, receipt.model_dump_json())
        if claim is not None:
            inbox.release(claim)
    except Exception as exc:  # noqa: BLE001 - the disk itself may be what fails; retry next pass
        log_internal(f"{row.file} (tanda terima galat)", exc)
        return None
    return receipt
