"""Writing the cells of our workbooks: layout constants, styles and number formats, `put`,
sheet protection, and the hidden Daftar lists with their dropdowns.

Layout of a written workbook (other modules and tests may rely on these constants):
- Identitas: row 1 holds the column titles, labels from IDENTITAS_FIRST_ROW (2) in standard
  order, values in column B, a hint in column C.
- Table sheets (Peserta, Usulan, Jadwal): a title in row 1, the header in row HEADER_ROW (2),
  data from FIRST_DATA_ROW (3), standard columns in standard order from column A. Whole columns
  are unlocked and formatted by column style (however many rows the operator adds); the rows
  that carry data and INPUT_ROWS spare rows below them also get explicit cells for programs
  that ignore column styles (a few hundred cells, not thousands: every explicit cell is read
  and written again on each pass); dropdowns cover DROPDOWN_ROWS rows.

Sheet protection has no password (Review > Unprotect Sheet lifts it): it is a guard against
slips, not security; the ledger and the folder binding are the real guard. On table sheets
the operator may insert/delete rows, format, sort and filter.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.standard import BIDANG, SUMBER_DANA, UNSUR, Keputusan, Tahap

HEADER_ROW = 2
FIRST_DATA_ROW = 3
IDENTITAS_FIRST_ROW = 2
INPUT_ROWS = 40  # spare rows below the data given explicit unlocked, formatted cells
DROPDOWN_ROWS = 500  # rows carrying dropdowns below the header

HEADER_RGB = "DDEBF7"
PREFILLED_RGB = "EDEDED"
RUPIAH_FORMAT = '"Rp "#,##0'
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_FILL = PatternFill("solid", fgColor=HEADER_RGB)
PREFILLED_FILL = PatternFill("solid", fgColor=PREFILLED_RGB)

# Dropdown lists on the hidden Daftar sheet: title -> values (one column each, A, B, ...).
DAFTAR: dict[str, list[str]] = {
    "Tahap": [t.value for t in Tahap],
    "Bidang": BIDANG,
    "Sumber Dana": SUMBER_DANA,
    "Keputusan": [k.value for k in Keputusan],
    "Jenis Kelamin": ["L", "P"],
    "Unsur": UNSUR,
}

USULAN_DROPDOWNS = {"Bidang": "Bidang", "Sumber Dana": "Sumber Dana", "Keputusan": "Keputusan"}
PESERTA_DROPDOWNS = {"Jenis Kelamin": "Jenis Kelamin", "Unsur": "Unsur"}


# ----------------------------------------------------------------------------- cells


_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _clean_text(value: str) -> str:
    """No control or bidi characters, and text that looks like Excel's `_xHHHH_` escape is
    written escaped itself (`_x005F_xHHHH_`), so Excel shows it instead of decoding it."""
    value = _BIDI.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
    return _LOOKS_ESCAPED.sub(r"_x005F_\1", value) if "_x" in value else value


def put(cell: Cell, value: Any) -> None:
    """Write `value` into `cell` as data: text never becomes a formula, Decimal a number."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        value = _clean_text(value)
        cell.value = value
        cell.data_type = "s"  # '=SUM(..)' typed by an operator stays text
        return
    if isinstance(value, (bool, int, float, dt.datetime, dt.date, dt.time)):
        cell.value = value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            cell.number_format = DATE_FORMAT
        return
    cell.value = _clean_text(str(value))
    cell.data_type = "s"


def protect(ws: Worksheet, rows: bool = False) -> None:
    """Protect the sheet without password; formatting is always allowed, and with `rows`
    also inserting/deleting rows, sorting and filtering (openpyxl flags: True = forbidden)."""
    p = ws.protection
    p.sheet = True
    p.formatCells = False
    p.formatColumns = False
    p.formatRows = False
    if rows:
        p.insertRows = False
        p.deleteRows = False
        p.sort = False
        p.autoFilter = False


def daftar_sheet(ws: Worksheet, lists: dict[str, list[str]]) -> dict[str, str]:
    """Fill the hidden list sheet with `lists`; return list title -> absolute range reference."""
    for col, (title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        put(ws.cell(row=1, column=col), title)
        for r, value in enumerate(values, start=2):
            put(ws.cell(row=r, column=col), value)
        ws.column_dimensions[letter].width = 40
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return list_refs(ws.title, lists)


def list_refs(sheet: str, lists: dict[str, list[str]]) -> dict[str, str]:
    """List title -> absolute range of its values on the list sheet `sheet`."""
    quoted = sheet if sheet.isalnum() else f"'{sheet}'"
    refs: dict[str, str] = {}
    for col, (title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        refs[title] = f"{quoted}!${letter}$2:${letter}${len(values) + 1}"
    return refs


def dropdown(ws: Worksheet, ref: str, cells: str, title: str) -> None:
    dv = DataValidation(
        type="list",
        formula1=ref,
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the arrow
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title,
        error=f"Pilih {title} dari daftar.",
        promptTitle=title,
        prompt=f"Pilih {title} dari daftar.",
        showInputMessage=False,
    )
    dv.add(cells)
    ws.add_data_validation(dv)
