"""Receipts (tanda terima): one per input, as JSON for machines and Indonesian text for people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from pipeline.core import atomic
from pipeline.core.report import Issue, Severity
from pipeline.core.workspace import MAX_NAME_BYTES, safe_name, shorten_name


class Status(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class Kind(StrEnum):
    WORKBOOK_DESA = "workbook-desa"
    WORKBOOK_KECAMATAN = "workbook-kecamatan"
    SCAN = "scan"
    DOCUMENT = "document"
    PACKAGE = "package"
    UNKNOWN = "unknown"


class Receipt(BaseModel):
    """The JSON receipt of spec/interface.md; every key is always present."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(description="Nama berkas asli.")
    sha256: str
    received_at: dt.datetime = Field(description="Waktu diterima, zona waktu dari pengaturan.")
    status: Status
    kind: Kind
    region: str | None = Field(description="Kode wilayah (desa/kelurahan atau kecamatan).")
    year: int | None = Field(description="Tahun rencana.")
    stage: str | None = Field(description="Tahap wilayah di ledger setelah berkas ini diproses.")
    issues: list[Issue]
    outputs: list[str] = Field(description="Berkas yang ditulis, relatif terhadap root.")
    archived_as: str | None = Field(description="Salinan arsip, relatif terhadap root.")


STATUS_TEXT = {
    Status.ACCEPTED: "DITERIMA",
    Status.REJECTED: "DITOLAK — perlu perbaikan",
    Status.DUPLICATE: "SUDAH PERNAH DITERIMA (berkas sama persis; tidak diproses ulang)",
}
KIND_TEXT = {
    Kind.WORKBOOK_DESA: "Buku Kerja Musrenbang Desa/Kelurahan",
    Kind.WORKBOOK_KECAMATAN: "Buku Kerja Musrenbang Kecamatan",
    Kind.SCAN: "Pindaian dokumen bertanda tangan",
    Kind.DOCUMENT: "Dokumen pendukung",
    Kind.PACKAGE: "Paket kecamatan",
    Kind.UNKNOWN: "Tidak dikenal",
}


def receipt_text(r: Receipt, region_name: str | None = None) -> str:
    """The receipt for people, in Indonesian."""
    lines = [
        "TANDA TERIMA BERKAS MUSRENBANG",
        "=" * 34,
        f"Berkas        : {r.file}",
        f"Diterima      : {r.received_at:%d-%m-%Y %H:%M:%S} ({r.received_at.tzname() or ''})",
        f"Jenis         : {KIND_TEXT[r.kind]}",
        f"Wilayah       : {r.region or '-'}" + (f" {region_name}" if region_name else ""),
        f"Tahun rencana : {r.year or '-'}",
        f"Tahap         : {r.stage or '-'}",
        f"Hasil         : {STATUS_TEXT[r.status]}",
        f"SHA-256       : {r.sha256}",
        f"Arsip         : {r.archived_as or '-'}",
        "",
    ]
    errors = [i for i in r.issues if i.severity is Severity.ERROR]
    warnings = [i for i in r.issues if i.severity is Severity.WARNING]
    if errors:
        lines.append(f"KESALAHAN ({len(errors)}) — perbaiki lalu simpan ulang berkasnya ke inbox:")
        lines += [f"  {n}. [{i.code}] {i.message}" for n, i in enumerate(errors, 1)]
        lines.append("")
    if warnings:
        lines.append(f"PERINGATAN ({len(warnings)}) — berkas tetap diproses:")
        lines += [f"  {n}. [{i.code}] {i.message}" for n, i in enumerate(warnings, 1)]
        lines.append("")
    if not r.issues:
        lines += ["Tidak ada masalah.", ""]
    if r.outputs:
        lines.append("Berkas yang dihasilkan:")
        lines += [f"  - {o}" for o in r.outputs]
        lines.append("")
    if r.status is Status.REJECTED:
        lines.append(
            "Catatan: data di ledger tidak berubah. Buku kerja '(perbaiki)' di folder outbox "
            "wilayah Anda menandai setiap sel yang bermasalah."
        )
    return "\n".join(lines) + "\n"


def receipt_stem(received_at: dt.datetime, file_name: str, budget: int = 120) -> str:
    """`<YYYYmmdd-HHMMSS>-<file name>`: the operator's name made safe on every OS and, when
    longer than `budget` characters, shortened keeping its extension and a hash."""
    # bytes: the stamp (16), ' (99)', and '.json' or ' (perbaiki).xlsx' stay below NAME_MAX
    name = shorten_name(safe_name(file_name), budget, MAX_NAME_BYTES - 16 - 5 - 16)
    return f"{received_at:%Y%m%d-%H%M%S}-{name}"


def clash_free(stem: str, taken: Callable[[str], bool]) -> str:
    """`stem`, or `stem (2)`, `stem (3)`... so no receipt overwrites another's."""
    candidate, n = stem, 1
    while taken(candidate):
        n += 1
        candidate = f"{stem} ({n})"
    return candidate


def write_receipt(
    r: Receipt, stem: str, folders: list[Path], region_name: str | None
) -> list[Path]:
    """Write `<stem>.json` and `<stem>.txt` into each folder, atomically; JSON last."""
    data = r.model_dump_json(indent=2)
    text = receipt_text(r, region_name)
    written = []
    for folder in folders:
        written.append(atomic.write_text(folder / f"{stem}.txt", text))
        written.append(atomic.write_text(folder / f"{stem}.json", data + "\n"))
    return written
