"""The sheet builders shared by the desa and the kecamatan workbook: Petunjuk, Identitas
(labels, values, hints), table sheets, the Peserta sheet, locked cells, and a new workbook of
Petunjuk, the given sheets and the hidden Daftar lists.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.models import Peserta
from pipeline.core.standard import PESERTA_COLUMNS, SHEET_DAFTAR, SHEET_PETUNJUK
from pipeline.intake.xlsx_write import (
    BOLD,
    DATE_FORMAT,
    DROPDOWN_ROWS,
    FIRST_DATA_ROW,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_ROW,
    IDENTITAS_FIRST_ROW,
    INPUT_ROWS,
    LOCKED,
    PESERTA_DROPDOWNS,
    PREFILLED_FILL,
    TEXT_FORMAT,
    TITLE_FONT,
    UNLOCKED,
    WRAP_TOP,
    daftar_sheet,
    dropdown,
    protect,
    put,
)

PESERTA_WIDTHS: dict[str, float] = {
    "No": 5,
    "Nama": 30,
    "Jenis Kelamin": 10,
    "Unsur": 26,
    "Jabatan/Lembaga": 26,
    "Alamat": 30,
    "No. HP": 16,
}
PESERTA_FORMATS: dict[str, str] = {"No": "0", "No. HP": TEXT_FORMAT}


def petunjuk_sheet(ws: Worksheet, lines: list[str]) -> None:
    ws.column_dimensions["A"].width = 120
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1)
        put(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1 or (line[:2].rstrip(".").isdigit() and not line.startswith(" ")):
            cell.font = TITLE_FONT if i == 1 else BOLD
    protect(ws)


@dataclass(frozen=True)
class IdentitasLayout:
    """The labels of an Identitas sheet (in order) and how their values are written."""

    labels: list[str]
    prefilled: Collection[str]  # locked and greyed
    hints: dict[str, str]
    text: Collection[str]  # written as text (leading zeros kept)
    dates: Collection[str]
    numbers: Collection[str]


def identitas_sheet(
    ws: Worksheet, refs: dict[str, str], values: dict[str, Any], layout: IdentitasLayout
) -> dict[str, int]:
    """Write labels, values and hints; return label -> row."""
    for col, title in enumerate(("Isian", "Nilai", "Keterangan"), start=1):
        cell = ws.cell(row=1, column=col)
        put(cell, title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    rows: dict[str, int] = {}
    for i, label in enumerate(layout.labels):
        r = IDENTITAS_FIRST_ROW + i
        rows[label] = r
        put(ws.cell(row=r, column=1), label)
        ws.cell(row=r, column=1).font = BOLD
        value_cell = ws.cell(row=r, column=2)
        put(value_cell, values.get(label))
        if label in layout.prefilled:
            value_cell.protection = LOCKED
            value_cell.fill = PREFILLED_FILL
        else:
            value_cell.protection = UNLOCKED
        if label in layout.text:
            value_cell.number_format = TEXT_FORMAT
        elif label in layout.dates:
            value_cell.number_format = DATE_FORMAT
        elif label in layout.numbers:
            value_cell.number_format = "0"
        value_cell.alignment = Alignment(horizontal="left")
        hint = ws.cell(row=r, column=3)
        put(hint, layout.hints.get(label, ""))
        hint.font = Font(italic=True, color="666666")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 55
    ws.freeze_panes = "A2"
    dropdown(ws, refs["Tahap"], f"B{rows['Tahap']}", "Tahap")
    protect(ws)
    return rows


def table_sheet(
    ws: Worksheet,
    title: str,
    columns: list[str],
    widths: dict[str, float],
    formats: dict[str, str],
    dropdowns: dict[str, str],
    refs: dict[str, str],
    rows: list[dict[str, Any]],
    freeze: str,
) -> None:
    put(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    last_input = FIRST_DATA_ROW + len(rows) + INPUT_ROWS - 1
    for col, label in enumerate(columns, start=1):
        letter = get_column_letter(col)
        header = ws.cell(row=HEADER_ROW, column=col)
        put(header, label)
        header.font = BOLD
        header.fill = HEADER_FILL
        header.alignment = HEADER_ALIGN
        header.protection = LOCKED
        dim = ws.column_dimensions[letter]
        dim.width = widths.get(label, 14)
        # The column style makes every row below editable and formatted, however many rows
        # the operator adds; explicit cells for the data rows and INPUT_ROWS spare rows cover
        # programs that ignore column styles.
        fmt = formats.get(label)
        dim.protection = UNLOCKED
        if fmt:
            dim.number_format = fmt
        proto = ws.cell(row=FIRST_DATA_ROW, column=col)
        proto.protection = UNLOCKED
        if fmt:
            proto.number_format = fmt
        if label in ("Kegiatan", "Catatan Keputusan", "Bidang"):
            proto.alignment = WRAP_TOP
        style = proto._style
        for r in range(FIRST_DATA_ROW + 1, last_input + 1):
            ws.cell(row=r, column=col)._style = copy(style)
        if label in dropdowns:
            cells = f"{letter}{FIRST_DATA_ROW}:{letter}{HEADER_ROW + DROPDOWN_ROWS}"
            dropdown(ws, refs[dropdowns[label]], cells, label)
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for col, label in enumerate(columns, start=1):
            put(ws.cell(row=r, column=col), values.get(label))
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = freeze
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    protect(ws, rows=True)


def peserta_sheet(
    ws: Worksheet, title: str, refs: dict[str, str], peserta: Sequence[Peserta]
) -> None:
    """The Peserta sheet, the same in the desa and the kecamatan workbook."""
    table_sheet(
        ws,
        title,
        PESERTA_COLUMNS,
        PESERTA_WIDTHS,
        PESERTA_FORMATS,
        PESERTA_DROPDOWNS,
        refs,
        [_peserta_values(n, p) for n, p in enumerate(peserta, start=1)],
        freeze=f"A{FIRST_DATA_ROW}",
    )


def _peserta_values(n: int, p: Peserta) -> dict[str, Any]:
    return {
        "No": n,
        "Nama": p.nama,
        "Jenis Kelamin": p.jenis_kelamin,
        "Unsur": p.unsur,
        "Jabatan/Lembaga": p.jabatan,
        "Alamat": p.alamat,
        "No. HP": p.no_hp,
    }


def lock_cells(ws: Worksheet, columns: list[str], labels: Iterable[str], rows: range) -> None:
    """Lock (and grey) the cells of `labels` on `rows` of a table sheet."""
    for label in labels:
        col = columns.index(label) + 1
        for r in rows:
            cell = ws.cell(row=r, column=col)
            cell.protection = LOCKED
            cell.fill = PREFILLED_FILL


def new_workbook(
    sheets: Iterable[str], lists: dict[str, list[str]], petunjuk: list[str]
) -> tuple[Workbook, dict[str, Worksheet], dict[str, str]]:
    """A workbook of Petunjuk, `sheets` (empty, in order) and the hidden Daftar `lists`.

    Returns the workbook, sheet name -> sheet (Petunjuk included) and the list references.
    """
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = SHEET_PETUNJUK
    by_name = {SHEET_PETUNJUK: first, **{name: wb.create_sheet(name) for name in sheets}}
    refs = daftar_sheet(wb.create_sheet(SHEET_DAFTAR), lists)
    petunjuk_sheet(first, petunjuk)
    return wb, by_name, refs
