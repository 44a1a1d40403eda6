"""Kompilasi Usulan as a workbook: the Usulan sheet's own labels, real numbers, subtotals.

One sheet: a title block, a header row (frozen, filterable, repeated on every printed page),
the usulan grouped by bidang (in the level's bidang order), then, after one blank row and
outside the filter, a subtotal row per bidang and the grand total: filtering or sorting the
usulan never mixes a total into them. Totals are numbers computed here (openpyxl never
computes formulas, and readers opening the file with data_only=True would see nothing).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.atomic import write_with
from pipeline.core.config import Settings
from pipeline.core.models import DesaSnapshot, Usulan
from pipeline.core.sebutan import sebutan
from pipeline.core.standard import UsulanColumn
from pipeline.desa.ordering import kelompok_bidang
from pipeline.documents.render import clean_text
from pipeline.documents.xlsx_style import (
    HEADER_FILL,
    TITLE_FONT,
    TOTAL_FILL,
    USULAN_RINCIAN,
    Column,
    data_row,
    finish,
    header,
    put,
    total_row_style,
)

SHEET = "Kompilasi Usulan"

# (label, width, number format or None); labels are the workbook's own (spec/workbooks.md)
COLUMNS: list[Column] = [
    (UsulanColumn.NO.value, 6, "0"),
    (UsulanColumn.KODE.value, 20, None),
    *USULAN_RINCIAN,
]
BIAYA_COL = 1 + [c[0] for c in COLUMNS].index(UsulanColumn.BIAYA.value)
BIDANG_COL = 1 + [c[0] for c in COLUMNS].index(UsulanColumn.BIDANG.value)
HEADER_ROW = 5


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = clean_text(str(value)).strip()
    return text[:32767] or None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _row_values(u: Usulan, no: int) -> list[object]:
    return [
        no,
        _text(u.kode_usulan),
        _text(u.asal),
        _text(u.bidang),
        _text(u.kegiatan),
        _text(u.lokasi),
        _number(u.volume),
        _text(u.satuan),
        u.biaya,
        _text(u.sumber_dana),
        u.prioritas if u.diterima else None,
        str(u.keputusan) if u.keputusan else None,
        _text(u.catatan),
    ]


def build_workbook(snapshot: DesaSnapshot, settings: Settings) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET
    level = snapshot.desa.level_word

    ws["A1"] = _text(
        f"KOMPILASI USULAN MUSRENBANG {level.upper()} {snapshot.desa.nama.upper()} "
        f"TAHUN RENCANA {snapshot.tahun}"
    )
    ws["A1"].font = TITLE_FONT
    ws["A2"] = _text(
        f"Kecamatan {snapshot.kecamatan.nama}, {settings.kabupaten.nama or snapshot.kabupaten.nama}"
    )
    ws["A3"] = _text(f"Kode {level}: {snapshot.desa.kode}; Tahap: {snapshot.tahap}")

    header(ws, HEADER_ROW, COLUMNS)

    row = HEADER_ROW + 1
    no = 0
    order = sebutan(snapshot.desa.level, settings.bidang.kelurahan).bidang
    groups = kelompok_bidang(snapshot.usulan, order)
    for _bidang, usulan in groups:
        for u in usulan:
            no += 1
            data_row(ws, row, _row_values(u, no), COLUMNS)
            row += 1
    last_data = row - 1
    row += 1  # a blank row: the totals stand apart, outside the filter
    total = 0
    for bidang, usulan in groups:
        subtotal = sum(u.biaya or 0 for u in usulan)
        total += subtotal
        _total_row(ws, row, f"Jumlah {bidang}", subtotal, TOTAL_FILL)
        row += 1
    _total_row(ws, row, "JUMLAH TOTAL", total, HEADER_FILL)

    finish(ws, settings, HEADER_ROW, len(COLUMNS), last_data, row)
    return wb


def _total_row(ws: Worksheet, row: int, label: str, amount: int, fill: PatternFill) -> None:
    """A subtotal/total row: the label in the Bidang column, the sum under the Biaya column."""
    total_row_style(ws, row, len(COLUMNS), fill)
    put(ws, row, BIDANG_COL, _text(label))
    ws.cell(row=row, column=BIAYA_COL, value=amount).number_format = "#,##0"


def write_kompilasi_xlsx(snapshot: DesaSnapshot, settings: Settings, path: Path) -> Path:
    """Write the kompilasi workbook to `path` atomically."""
    wb = build_workbook(snapshot, settings)
    return write_with(path, lambda tmp: wb.save(tmp))
