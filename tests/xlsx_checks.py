"""Test helper: what every xlsx output's sheet must show (issue 12): a filter over the data
rows only, the (sub)totals outside it, print setup and a print footer with page numbers."""

from __future__ import annotations

import re

from openpyxl.worksheet.worksheet import Worksheet

TOTAL_LABEL = re.compile(r"^jumlah\b", re.IGNORECASE)


def filter_rows(ws: Worksheet) -> tuple[int, int]:
    """(header row, last data row) of the sheet's autofilter."""
    ref = ws.auto_filter.ref
    assert ref, f"{ws.title}: no filter"
    found = re.fullmatch(r"A(\d+):[A-Z]+(\d+)", ref)
    assert found, (ws.title, ref)
    return int(found[1]), int(found[2])


def total_rows(ws: Worksheet, first: int = 1) -> list[int]:
    """Rows from `first` on whose text cells start a (sub)total: 'JUMLAH', 'Jumlah <bidang>'."""
    return [
        row[0].row
        for row in ws.iter_rows(min_row=first)
        if any(isinstance(c.value, str) and TOTAL_LABEL.match(c.value) for c in row)
    ]


def data_rows_of(ws: Worksheet, header_row: int) -> int:
    """Rows below the header up to the first empty row or (sub)total row."""
    n = 0
    for row in ws.iter_rows(min_row=header_row + 1):
        values = [c.value for c in row]
        if all(v in (None, "") for v in values) or any(
            isinstance(v, str) and TOTAL_LABEL.match(v) for v in values
        ):
            break
        n += 1
    return n


def check_report_sheet(
    ws: Worksheet,
    *,
    header_row: int,
    data_rows: int | None = None,
    totals: int,
    orientation: str = "landscape",
) -> None:
    """The filter covers the header and exactly `data_rows` data rows (by default: those up
    to the first empty or total row); `totals` (sub)total rows stand below it; fit to one page
    wide, the header repeated on every page, page numbers in the footer."""
    if data_rows is None:
        data_rows = data_rows_of(ws, header_row)
    top, last = filter_rows(ws)
    assert top == header_row, (ws.title, ws.auto_filter.ref)
    assert last == header_row + max(data_rows, 1), (ws.title, ws.auto_filter.ref, data_rows)
    inside = [r for r in total_rows(ws, header_row + 1) if r <= last]
    assert inside == [], f"{ws.title}: total rows {inside} inside the filter {ws.auto_filter.ref}"
    below = [r for r in total_rows(ws, last + 1)]
    assert len(below) == totals, (ws.title, below)
    assert ws.page_setup.orientation == orientation, ws.title
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0, ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert ws.print_title_rows == f"${header_row}:${header_row}", ws.title
    footer = ws.oddFooter.center.text or ""
    assert "&P" in footer and "&N" in footer, (ws.title, footer)
