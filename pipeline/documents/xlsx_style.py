"""Shared look of the report workbooks (kompilasi desa, rekap kecamatan, kabupaten reports).

Header and total styling, bordered data rows, formula-safe cells and the landscape,
fit-to-width print setup with the header row repeated on every printed page.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import jejak as jejak_words
from pipeline.core.config import Settings
from pipeline.core.standard import UsulanColumn

Column = tuple[str, float, str | None]  # label, width, number format

# openpyxl paper codes: 9 = A4, 14 = Folio 8.5 x 13 in (F4)
PAPER_CODE = {"A4": 9, "F4": 14}

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", start_color="D9D9D9")
TOTAL_FILL = PatternFill("solid", start_color="F2F2F2")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_TOP = Alignment(vertical="top", wrap_text=True)
FOOTER = "Halaman &P dari &N"
JEJAK_PROPERTY = "Jejak data"  # the custom document property (spec/documents.md, Jejak)

# The desa Usulan sheet's columns from Asal Usulan to Biaya Disepakati, as the reports show
# them. In reports the two disepakati columns hold the agreed values of every accepted usulan
# (the proposed ones where nothing was revised) and stay empty for the others.
USULAN_RINCIAN: list[Column] = [
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
    (UsulanColumn.VOLUME_DISEPAKATI.value, 11, "#,##0.##"),
    (UsulanColumn.BIAYA_DISEPAKATI.value, 18, "#,##0"),
]


def put(ws: Worksheet, row: int, col: int, value: object) -> Cell:
    """Write a value; text that looks like a formula stays text (shown with a quote prefix)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def header(ws: Worksheet, row: int, columns: Sequence[Column]) -> None:
    """The header row: bold, grey, bordered, wrapped labels; the columns' widths."""
    for col, (label, width, _fmt) in enumerate(columns, 1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = WRAP_CENTER
        ws.column_dimensions[get_column_letter(col)].width = width


# The style of a data cell, per workbook, number format and quote prefix: openpyxl hashes a
# border and an alignment on every assignment (most of the time of a 10,000-row kompilasi);
# a copy of the finished style array is the same style at a fraction of the cost.
_DATA_STYLES: weakref.WeakKeyDictionary[Any, dict[tuple[str | None, bool], StyleArray]] = (
    weakref.WeakKeyDictionary()
)


def data_row(ws: Worksheet, row: int, values: Sequence[object], columns: Sequence[Column]) -> None:
    """One bordered, top-aligned, wrapped data row with the columns' number formats."""
    styles = _DATA_STYLES.setdefault(ws.parent, {})
    for col, value in enumerate(values, 1):
        cell = put(ws, row, col, value)
        number_format = columns[col - 1][2]
        key = (number_format, bool(cell.quotePrefix))
        if key in styles:
            cell._style = copy(styles[key])
            continue
        cell.border = BORDER
        cell.alignment = WRAP_TOP
        if number_format:
            cell.number_format = number_format
        styles[key] = copy(cell._style)


def total_row_style(ws: Worksheet, row: int, ncols: int, fill: PatternFill = HEADER_FILL) -> None:
    """Border, fill and bold over columns 1..ncols of a (sub)total row."""
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.border = BORDER
        cell.fill = fill
        cell.font = BOLD


def print_setup(
    ws: Worksheet | WriteOnlyWorksheet, settings: Settings, header_row: int, print_area: str
) -> None:
    """Landscape, fit to one page wide, header row repeated, page numbers in the footer.

    A write-only sheet must get its fit-to-page property before its first row as well."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_CODE[settings.pdf.ukuran_kertas]
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_area = print_area
    ws.oddFooter.center.text = FOOTER


def finish(
    ws: Worksheet, settings: Settings, header_row: int, ncols: int, last_data: int, last: int
) -> None:
    """Frozen header, filters over the header and the data rows only (never a total row:
    the rows after `last_data`), and the print setup over rows 1..`last`."""
    last_col = get_column_letter(ncols)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{max(last_data, header_row + 1)}"
    print_setup(ws, settings, header_row, f"A1:{last_col}{last}")


def mark_jejak(wb: Workbook, jejak: str) -> None:
    """The ledger state the workbook was made from: the custom document property `Jejak
    data` and `Jejak data <hex>` on the left of every sheet's print footer (before saving;
    a write-only sheet writes its footer when it closes)."""
    if not jejak:
        return
    props = wb.custom_doc_props
    for old in [p for p in props.props if p.name == JEJAK_PROPERTY]:
        props.props.remove(old)
    props.append(StringProperty(name=JEJAK_PROPERTY, value=jejak))
    for ws in wb.worksheets:
        ws.oddFooter.left.text = jejak_words.label(jejak)
        ws.oddFooter.left.size = 8
