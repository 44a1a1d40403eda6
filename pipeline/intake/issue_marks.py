"""Issues marked on workbooks: on a written workbook (each issue moved from its cell in the
dropped workbook to the written cell) and on the "(perbaiki)" copy of a rejected workbook
(`mark_issues_on_copy`); a first sheet "Daftar Masalah" lists every issue.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.atomic import write_with
from pipeline.core.models import RawWorkbook
from pipeline.core.report import Issue, Severity
from pipeline.core.standard import (
    PESERTA_COLUMNS,
    SHEET_DAFTAR,
    SHEET_IDENTITAS,
    SHEET_PESERTA,
    SHEET_PETUNJUK,
    SHEET_USULAN,
    USULAN_COLUMNS,
    normalise,
)
from pipeline.intake.xlsx_sheets import IdentitasLayout
from pipeline.intake.xlsx_write import (
    BOLD,
    DAFTAR,
    DROPDOWN_ROWS,
    FIRST_DATA_ROW,
    HEADER_FILL,
    PESERTA_DROPDOWNS,
    USULAN_DROPDOWNS,
    WRAP_TOP,
    dropdown,
    list_refs,
    put,
)

SHEET_MASALAH = "Daftar Masalah"  # issue list added to marked copies
AUTHOR = "Musrenbang"
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")

ERROR_RGB = "FFC7CE"
WARNING_RGB = "FFEB9C"

# Table sheet -> (standard columns, `row` of each written model, RawWorkbook attribute).
Tables = dict[str, tuple[list[str], list[int | None], str]]


def finish_workbook(
    wb: Workbook,
    sheets: dict[str, Worksheet],
    issues: list[Issue],
    layout: IdentitasLayout,
    id_rows: dict[str, int],
    tables: Tables,
    source: RawWorkbook | None,
) -> None:
    """Open the workbook on Identitas and mark `issues` (of the dropped workbook) on it."""
    wb.active = 1  # open on Identitas
    sheets[SHEET_PETUNJUK].sheet_view.tabSelected = False
    if issues:
        placed, loose = _place_issues(issues, layout, id_rows, tables, source)
        marked = [(sheets[s], ref, i) for s, ref, i in placed]
        _apply_marks(wb, marked, loose, fallback=sheets[SHEET_IDENTITAS])


def mark_issues_on_copy(source: Path, target: Path, issues: Iterable[Issue]) -> Path:
    """Write a copy of the operator's workbook `source` to `target` with every issue marked.

    The source is only read. On the copy:
    - each issue with a sheet and a cell gets a comment (the message; author "Musrenbang")
      and a fill: red for errors, yellow for warnings (error wins on a shared cell);
    - issues without a cell, or whose sheet/cell is not in the file (e.g. a missing sheet),
      are gathered in one comment on A1 of their sheet, or of Identitas (else the first
      sheet) when their sheet does not exist;
    - a first sheet "Daftar Masalah" lists every issue with a link to its cell; the reader
      ignores that sheet, so the operator can fix the copy and drop it again.
    Marks of an earlier pass (comments by "Musrenbang", our two fill colours, an old
    Daftar Masalah sheet) are removed first, so a copy dropped again is marked afresh.
    Works for files saved by Excel, LibreOffice Calc and WPS. openpyxl drops data
    validations stored in Excel's x14 extension (where Excel keeps dropdowns that point at
    another sheet): when a standard sheet has no dropdown left and the workbook still has
    our Daftar sheet, the standard dropdowns are put back on the copy.
    """
    issues = list(issues)

    def build(tmp: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # extensions openpyxl cannot keep
            wb = load_workbook(source, data_only=False, keep_vba=False, keep_links=True)
        try:
            if SHEET_MASALAH in wb.sheetnames:
                del wb[SHEET_MASALAH]
            for ws in wb.worksheets:
                _clear_old_marks(ws)
            by_name = {normalise(ws.title): ws for ws in wb.worksheets}
            placed: list[tuple[Worksheet, str, Issue]] = []
            loose: list[Issue] = []
            for i in issues:
                ws = by_name.get(normalise(i.sheet)) if i.sheet else None
                if ws is not None and i.cell and _valid_ref(i.cell):
                    placed.append((ws, i.cell.replace("$", "").upper(), i))
                else:
                    loose.append(i)
            fallback = by_name.get(normalise(SHEET_IDENTITAS)) or wb.worksheets[0]
            _apply_marks(wb, placed, loose, fallback=fallback)
            _restore_dropdowns(wb)
            wb.save(tmp)
        finally:
            wb.close()

    return write_with(target, build)


# ----------------------------------------------------------------------------- issue marks


def _restore_dropdowns(wb: Workbook) -> None:
    """Put the standard dropdowns back on standard sheets that lost all of theirs."""
    by_name = {normalise(ws.title): ws for ws in wb.worksheets}
    daftar = by_name.get(normalise(SHEET_DAFTAR))
    if daftar is None:
        return
    if [daftar.cell(row=1, column=c).value for c in range(1, len(DAFTAR) + 1)] != list(DAFTAR):
        return
    refs = list_refs(daftar.title, DAFTAR)
    for std, columns, dropdowns in (
        (SHEET_USULAN, USULAN_COLUMNS, USULAN_DROPDOWNS),
        (SHEET_PESERTA, PESERTA_COLUMNS, PESERTA_DROPDOWNS),
    ):
        ws = by_name.get(normalise(std))
        if ws is None or ws.data_validations.dataValidation:
            continue
        found = _header_columns(ws, columns)
        if found is None:
            continue
        header_row, cols = found
        for label, list_title in dropdowns.items():
            if label in cols:
                letter = get_column_letter(cols[label])
                cells = f"{letter}{header_row + 1}:{letter}{header_row + DROPDOWN_ROWS}"
                dropdown(ws, refs[list_title], cells, label)
    ident = by_name.get(normalise(SHEET_IDENTITAS))
    if ident is not None and not ident.data_validations.dataValidation:
        for (r, c), cell in sorted(ident._cells.items()):
            if c == 1 and isinstance(cell.value, str) and normalise(cell.value) == "tahap":
                dropdown(ident, refs["Tahap"], f"B{r}", "Tahap")
                break


def _header_columns(ws: Worksheet, columns: list[str]) -> tuple[int, dict[str, int]] | None:
    """(row, label -> column) of the top-10 row holding the most standard labels (>= 2)."""
    rows: dict[int, dict[str, int]] = {}
    for (r, c), cell in ws._cells.items():
        if r <= 10 and isinstance(cell.value, str):
            label = _match_label(cell.value, columns)
            if label is not None:
                rows.setdefault(r, {}).setdefault(label, c)
    best = max(sorted(rows.items()), key=lambda item: len(item[1]), default=None)
    if best is None or len(best[1]) < 2:
        return None
    return best


def _valid_ref(ref: str) -> bool:
    m = _CELL_REF.fullmatch(ref.replace("$", "").upper())
    if not m:
        return False
    return column_index_from_string(m.group(1)) <= 16_384 and 1 <= int(m.group(2)) <= 1_048_576


def _clear_old_marks(ws: Worksheet) -> None:
    ours = {ERROR_RGB, WARNING_RGB}
    for cell in list(ws._cells.values()):
        if cell.comment is not None and cell.comment.author == AUTHOR:
            cell.comment = None
        fill = cell.fill
        rgb = getattr(fill.fgColor, "rgb", None) if fill is not None else None
        if fill is not None and fill.fill_type == "solid" and isinstance(rgb, str):
            if rgb[-6:].upper() in ours:
                cell.fill = PatternFill(fill_type=None)


def _severity_word(i: Issue) -> str:
    return "Kesalahan" if i.severity is Severity.ERROR else "Peringatan"


def _comment(text: str, lines: int) -> Comment:
    c = Comment(text, AUTHOR)
    c.width = 360
    c.height = min(60 + 30 * lines, 400)
    return c


def _apply_marks(
    wb: Workbook,
    placed: list[tuple[Worksheet, str, Issue]],
    loose: list[Issue],
    fallback: Worksheet,
) -> None:
    if not placed and not loose:
        return
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    sheets: dict[str, Worksheet] = {}
    for ws, ref, i in placed:
        by_cell.setdefault((ws.title, ref), []).append(i)
        sheets[ws.title] = ws
    for (title, ref), found in by_cell.items():
        _mark_cell(_anchor(sheets[title], ref), found)
    # Issues without a place: one note on A1 of their sheet (or of the fallback sheet).
    notes: dict[str, list[Issue]] = {}
    titles = {normalise(ws.title): ws for ws in wb.worksheets}
    for i in loose:
        ws = titles.get(normalise(i.sheet)) if i.sheet else None
        ws = ws or fallback
        sheets[ws.title] = ws
        notes.setdefault(ws.title, []).append(i)
    for title, found in notes.items():
        _mark_cell(sheets[title]["A1"], found)
    _issue_sheet(wb, [(ws.title, ref, i) for ws, ref, i in placed], loose)


def _anchor(ws: Worksheet, ref: str) -> Cell:
    """The cell that shows `ref`: the top-left cell when `ref` lies inside a merged range."""
    cell = ws[ref]
    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if ref in rng:
                return ws.cell(row=rng.min_row, column=rng.min_col)
    return cell


def _mark_cell(cell: Any, found: list[Issue]) -> None:
    text = "\n".join(f"{_severity_word(i)}: {i.message}" for i in found)
    old = cell.comment
    if old is not None and old.author != AUTHOR and old.text:
        text = f"{text}\n\n(Komentar sebelumnya: {old.text})"
    cell.comment = _comment(text, len(found))
    error = any(i.severity is Severity.ERROR for i in found)
    cell.fill = PatternFill("solid", fgColor=ERROR_RGB if error else WARNING_RGB)


def _issue_sheet(wb: Workbook, placed: list[tuple[str, str, Issue]], loose: list[Issue]) -> None:
    ws = wb.create_sheet(SHEET_MASALAH, 0)
    headers = ("No", "Tingkat", "Lembar", "Sel", "Kode", "Masalah")
    for col, title in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        put(cell, title)
        cell.font = BOLD
        cell.fill = HEADER_FILL
    rows: list[tuple[str | None, str | None, Issue]] = [(None, None, i) for i in loose]
    rows += [(sheet, ref, i) for sheet, ref, i in placed]
    for n, (sheet, ref, i) in enumerate(rows, start=1):
        r = n + 1
        put(ws.cell(row=r, column=1), n)
        put(ws.cell(row=r, column=2), _severity_word(i))
        put(ws.cell(row=r, column=3), sheet or i.sheet)
        put(ws.cell(row=r, column=4), ref)
        put(ws.cell(row=r, column=5), i.code)
        put(ws.cell(row=r, column=6), i.message)
        ws.cell(row=r, column=6).alignment = WRAP_TOP
        fill = ERROR_RGB if i.severity is Severity.ERROR else WARNING_RGB
        ws.cell(row=r, column=2).fill = PatternFill("solid", fgColor=fill)
        if sheet and ref:
            link = ws.cell(row=r, column=4)
            link.hyperlink = f"#'{sheet}'!{ref}"
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDEF", (5, 12, 12, 8, 24, 100), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False


def _place_issues(
    issues: list[Issue],
    layout: IdentitasLayout,
    id_rows: dict[str, int],
    tables: Tables,
    source: RawWorkbook | None,
) -> tuple[list[tuple[str, str, Issue]], list[Issue]]:
    """Translate issue cells of the dropped workbook to cells of the written one."""
    placed: list[tuple[str, str, Issue]] = []
    loose: list[Issue] = []
    for i in issues:
        std = _match_label(i.sheet, [SHEET_IDENTITAS, *tables])
        ref: str | None = None
        if std == SHEET_IDENTITAS:
            ref = _identitas_target(i, layout.labels, id_rows, source)
        elif std is not None:
            columns, model_rows, attr = tables[std]
            ref = _table_target(i, columns, model_rows, source, attr)
        if std and ref:
            placed.append((std, ref, i))
        else:
            loose.append(i)
    return placed, loose


def _identitas_target(
    i: Issue, labels: list[str], id_rows: dict[str, int], source: RawWorkbook | None
) -> str | None:
    label = _match_label(i.column, labels)
    if label is None and source is not None and source.identitas is not None and i.cell:
        for lbl, raw in source.identitas.values.items():
            if raw.cell == i.cell or source.identitas.label_rows.get(lbl) == i.row:
                label = _match_label(lbl, labels)
                break
    if label is not None:
        return f"B{id_rows[label]}"
    if source is None and i.cell and _valid_ref(i.cell):
        return i.cell
    return None


def _table_target(
    i: Issue,
    columns: list[str],
    model_rows: list[int | None],
    source: RawWorkbook | None,
    attr: str,
) -> str | None:
    table = getattr(source, attr, None) if source is not None else None
    label = _match_label(i.column, columns)
    if label is None and i.cell and table is not None:
        letters = "".join(ch for ch in i.cell if ch.isalpha()).upper()
        label = next((lbl for lbl, col in table.columns.items() if col == letters), None)
        label = _match_label(label, columns)
    row = i.row
    if row is None and i.cell and _valid_ref(i.cell):
        row = coordinate_from_string(i.cell.replace("$", "").upper())[1]
    if all(r is None for r in model_rows) and table is not None:
        # Models from the ledger carry no rows; the ledger keeps the dropped rows' order
        # (blank rows dropped), so the n-th data row of the source is the n-th model.
        if len(table.rows) == len(model_rows):
            model_rows = [r.row for r in table.rows]
    if any(r is not None for r in model_rows) or source is not None:
        if row is None or row not in model_rows:
            return None
        written_row = FIRST_DATA_ROW + model_rows.index(row)
        if label is None:
            return f"A{written_row}"
        return f"{get_column_letter(columns.index(label) + 1)}{written_row}"
    if i.cell and _valid_ref(i.cell):
        return i.cell.replace("$", "").upper()
    return None


def _match_label(text: str | None, labels: list[str]) -> str | None:
    if not text:
        return None
    key = normalise(text)
    return next((lbl for lbl in labels if normalise(lbl) == key), None)
