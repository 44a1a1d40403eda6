"""Validation of a desa workbook: raw values -> BukuKerjaDesa plus a report of every problem.

`validate_desa` runs the checks of check_identitas, check_peserta and check_usulan over the
shared machinery of intake.checks. No file I/O. Rules come from spec/workbooks.md; the
choices made where the spec is silent:

- A filled value that cannot be read is always an error, whatever the stage (a wrong date at
  Persiapan is still wrong). Stages only decide which *empty* values are errors.
- The requested stage is the Tahap value. When Tahap is empty or unreadable, only the fields
  every stage needs (those of Persiapan) are required and no decision rules run.
- Decision rules (Keputusan present, Catatan for Ditolak / Diterima dengan Revisi, Prioritas
  for accepted usulan, unique priorities, a priority on a Ditolak usulan) apply from
  Verifikasi on. A decision filled in earlier is kept silently; its values are only checked
  for being readable.
- A row is data when any standard cell except `No` is filled (a pre-numbered blank row is
  skipped). A formula without a cached value is `rumus-tanpa-nilai`, never also `wajib-diisi`.
- A value with a problem is left empty (None) in the returned model; an invalid or duplicated
  Kode Usulan too (only its first occurrence keeps it), so the ledger checks that follow do
  not report the same cell again.
- Duplicates are reported on every row of the group (Kode Usulan, Prioritas); the same
  Kegiatan and Lokasi is a warning on the second and later rows.
- A cached formula error (`#REF!`, `#N/A`, ...) is `nilai-galat`, never read as text.
- File-level issues (`makro-diabaikan`, broken files) belong to the reader; whether a Kode
  Usulan exists in the ledger, stage moves and deadlines belong to workflow.check_workbook.
"""

from __future__ import annotations

import datetime as dt

from pipeline.core.models import BukuKerjaDesa, RawWorkbook, Usulan
from pipeline.core.report import Report
from pipeline.core.standard import (
    PESERTA_REQUIRED,
    SHEET_IDENTITAS,
    SHEET_PESERTA,
    SHEET_USULAN,
    USULAN_REQUIRED_COLUMNS,
)
from pipeline.core.wilayah import WilayahList
from pipeline.desa.check_identitas import DESA, IdentitasChecks
from pipeline.desa.check_peserta import PesertaChecks
from pipeline.desa.check_usulan import UsulanChecks
from pipeline.intake.checks import usulan_layout


class DesaChecker(IdentitasChecks, PesertaChecks, UsulanChecks):
    """Every check of a desa workbook."""


def validate_desa(
    raw: RawWorkbook, wilayah: WilayahList, *, today: dt.date
) -> tuple[BukuKerjaDesa | None, Report]:
    """Every problem of a desa workbook at once, and the workbook as far as it was readable.

    The model is returned even with errors, so the caller can mark cells (None only when the
    Identitas sheet is missing). `today` is the date in the configured time zone.
    """
    checker = DesaChecker(wilayah, today)
    checker.missing_sheets(
        (
            (SHEET_IDENTITAS, raw.identitas),
            (SHEET_PESERTA, raw.peserta),
            (SHEET_USULAN, raw.usulan),
        ),
        "buku kerja",
    )
    peserta_missing = checker.missing_columns(raw, SHEET_PESERTA, raw.peserta, PESERTA_REQUIRED)
    usulan_missing = checker.missing_columns(raw, SHEET_USULAN, raw.usulan, USULAN_REQUIRED_COLUMNS)
    if raw.identitas is None:
        return None, checker.report

    identitas, cells = checker.identitas(raw.identitas, DESA, checker.region)
    peserta = checker.peserta_sheet(raw, peserta_missing, identitas, cells)
    usulan: list[Usulan] = []
    if raw.usulan is not None:
        usulan = checker.usulan(raw.usulan, identitas, usulan_missing)
    book = BukuKerjaDesa(
        identitas=identitas,
        peserta=peserta,
        usulan=usulan,
        identitas_cells=cells,
        **usulan_layout(raw),
    )
    return book, checker.report
