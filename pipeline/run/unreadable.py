"""Files the pipeline may not read (no permission): a receipt, and the file stays in the inbox.

The operator sees the file where it was dropped and a receipt `berkas-tidak-terbaca` saying
why nothing happened; once its permissions allow reading, the next pass takes it as any other
file. One receipt per version of the file (its size and modification time), however many
passes see it meanwhile.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.core.examined import Examined
from pipeline.core.receipts import Kind, Receipt, Status, clash_free, receipt_stem, write_receipt
from pipeline.core.report import issue
from pipeline.core.workspace import Workspace, display_name, name_bytes
from pipeline.ledger.store import Ledger
from pipeline.run.inbox import new_token
from pipeline.run.route import Stages, locate


def unreadable_receipt(
    ws: Workspace, ledger: Ledger, stages: Stages, budget: int, path: Path, rel: str
) -> Receipt | None:
    """Write the receipt of the unreadable file at `path` (inbox path `rel`) and journal it;
    None when this version of the file already has one. Raises on failure. `budget`: the
    characters of the operator's name a receipt name may keep (Batch.name_budget)."""
    st = os.lstat(path)
    signature = f"{st.st_size}/{st.st_mtime_ns}"
    shown, file = display_name(rel), display_name(Path(rel).name)
    if ledger.unreadable_seen(shown, signature):
        return None
    place = locate(shown, stages.wilayah)
    area = place.desa or place.kecamatan
    region = area.kode if area else None
    year = stages.default_year(region) if region else None
    received_at = dt.datetime.now(ZoneInfo(stages.settings.jadwal.zona_waktu))
    receipt = Receipt(
        file=file,
        sha256="",
        received_at=received_at,
        status=Status.REJECTED,
        kind=Kind.UNKNOWN,
        region=region,
        year=year,
        stage=stages.stage_of(region, year),
        issues=[
            issue(
                "berkas-tidak-terbaca",
                f"Berkas '{file}' tidak dapat dibaca oleh pipeline (izin akses berkas tidak "
                "mengizinkan). Berkas tetap di inbox; ubah izinnya atau salin ulang berkasnya, "
                "maka berkas diproses otomatis.",
            )
        ],
        outputs=[],
        archived_as=None,
    )
    stem = clash_free(
        receipt_stem(received_at, file, budget),
        lambda n: ledger.receipt_name_taken(n) or (ws.receipts / f"{n}.json").exists(),
    )
    folders = [ws.receipts]
    region_folder = stages.region_receipt_folder(
        Examined(Status.REJECTED, Kind.UNKNOWN, region=region, year=year)
    )
    if region_folder is not None:
        folders.append(region_folder)
    write_receipt(receipt, stem, folders, stages.region_name(region))
    ledger.add_unreadable(
        token=new_token(),
        file=file,
        rel=shown,
        signature=signature,
        size=st.st_size,
        received_at=received_at,
        receipt_name=stem,
        receipt_json=receipt.model_dump_json(),
        raw_rel=name_bytes(rel) if shown != rel else None,
    )
    return receipt
