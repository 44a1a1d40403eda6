"""Kompilasi Usulan as a workbook: the Usulan sheet's own labels, real numbers, subtotals.

One sheet: a title block, a header row (frozen, filterable, repeated on every printed page),
the usulan grouped by bidang with a subtotal row after each group, and a grand total. Totals
are numbers computed here (openpyxl never computes formulas, and readers opening the file
with data_only=True would see nothing).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.atomic import write_with
from pipeline.config import Settings
from pipeline.models import DesaSnapshot, Usulan
from pipeline.render import clean_text, kelompok_bidang
from pipeline.standard import UsulanColumn

SHEET = "Kompilasi Usulan"

# (label, width, number format or None); labels are the workbook's own (spec/workbooks.md)
COLUMNS: list[tuple[str, float, str | None]] = [
    (UsulanColumn.NO.value, 6, "0"),
    (UsulanColumn.KODE.value, 20, None),
    (UsulanColumn.ASAL.value, 16, None),
    (UsulanColumn.BIDANG.value, 28, None),
    (UsulanColumn.KEGIATAN.value, 40, None),
    (UsulanColumn.LOKASI.value, 22, None),
    (UsulanColumn.VOLUME.value, 10, "#,##0.##"),
    (UsulanColumn.SATUAN.value, 10, None),
    (UsulanColumn.BIAYA.value, 18, "#,##0"),
    (UsulanColumn.SUMBER_DANA.value, 16, None),
    (UsulanColumn.PRIORITAS.value, 10, "0"),
    (UsulanColumn.KEPUTUSAN.value, 22, None),
    (UsulanColumn.CATATAN.value, 36, None),
]
BIAYA_COL = 1 + [c[0] for c in COLUMNS].index(UsulanColumn.BIAYA.value)
BIDANG_COL = 1 + [c[0] for c in COLUMNS].index(UsulanColumn.BIDANG.value)
HEADER_ROW = 5

# openpyxl paper codes: 9 = A4, 14 = Folio 8.5 x 13 in (F4)
PAPER_CODE = {"A4": 9, "F4": 14}

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", start_color="D9D9D9")
_GROUP_FILL = PatternFill("solid", start_color="F2F2F2")
_BOLD = Font(bold=True)


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = clean_text(str(value)).strip()
    return text[:32767] or None


def _put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write a value; text that looks like a formula stays text (shown with a quote prefix)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


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
    last_col = get_column_letter(len(COLUMNS))

    ws["A1"] = _text(
        f"KOMPILASI USULAN MUSRENBANG {level.upper()} {snapshot.desa.nama.upper()} "
        f"TAHUN RENCANA {snapshot.tahun}"
    )
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = _text(
        f"Kecamatan {snapshot.kecamatan.nama}, {settings.kabupaten.nama or snapshot.kabupaten.nama}"
    )
    ws["A3"] = _text(f"Kode {level}: {snapshot.desa.kode}; Tahap: {snapshot.tahap}")

    for col, (label, width, _fmt) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=label)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width

    row = HEADER_ROW + 1
    no = 0
    total = 0
    for bidang, usulan in kelompok_bidang(snapshot.usulan):
        for u in usulan:
            no += 1
            for col, value in enumerate(_row_values(u, no), 1):
                cell = _put(ws, row, col, value)
                cell.border = _BORDER
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                number_format = COLUMNS[col - 1][2]
                if number_format:
                    cell.number_format = number_format
            row += 1
        subtotal = sum(u.biaya or 0 for u in usulan)
        total += subtotal
        _total_row(ws, row, f"Jumlah {bidang}", subtotal, _GROUP_FILL)
        row += 1
    _total_row(ws, row, "JUMLAH TOTAL", total, _HEADER_FILL)

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(row - 1, HEADER_ROW + 1)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_CODE[settings.pdf.ukuran_kertas]
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_area = f"A1:{last_col}{row}"
    ws.oddFooter.center.text = "Halaman &P dari &N"
    return wb


def _total_row(ws: Worksheet, row: int, label: str, amount: int, fill: PatternFill) -> None:
    """A subtotal/total row: the label in the Bidang column, the sum under the Biaya column."""
    for col in range(1, len(COLUMNS) + 1):
        cell = ws.cell(row=row, column=col)
        cell.border = _BORDER
        cell.fill = fill
        cell.font = _BOLD
    _put(ws, row, BIDANG_COL, _text(label))
    ws.cell(row=row, column=BIAYA_COL, value=amount).number_format = "#,##0"


def write_kompilasi_xlsx(snapshot: DesaSnapshot, settings: Settings, path: Path) -> Path:
    """Write the kompilasi workbook to `path` atomically."""
    wb = build_workbook(snapshot, settings)
    return write_with(path, lambda tmp: wb.save(tmp))
