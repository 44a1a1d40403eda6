"""Read a dropped workbook into raw values with their cells (RawWorkbook) plus file-level issues.

No meaning is given to values here (that is validation's job): a cell's value is passed as the
file holds it (str, int, float, datetime, time, bool or None). What this module decides:

- whether the file may be opened at all: its extension, its size, and its zip central
  directory (member count, total uncompressed size, compression ratio) are checked *before*
  openpyxl touches it, so a zip bomb never gets decompressed;
- where the sheets, labels, header rows and columns are (spec/workbooks.md "Reading rules").

It never raises for any input bytes: every problem of the file is an issue in the Report.

Sheets are read with openpyxl in normal mode (read-only mode loses merged cells and trusts the
WPS dimension record), with `data_only=True` so formulas give the value the spreadsheet
program cached. Rows are taken from openpyxl's sparse cell store, never from `max_row` (which
formatted empty rows push to 1 048 576). Formulas that were never computed (a file written by
a program that cannot calculate, e.g. openpyxl) have no cached value; they are found by one
cheap pass over the sheet XML, done only when the XML holds a formula at all.
"""

from __future__ import annotations

import logging
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeAlias

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.config import BatasSettings
from pipeline.core.models import RawCell, RawKeyValue, RawRow, RawTable, RawWorkbook
from pipeline.core.report import Report
from pipeline.core.standard import (
    IDENTITAS_LABELS,
    JADWAL_COLUMNS,
    KECAMATAN_IDENTITAS_LABELS,
    KECAMATAN_USULAN_COLUMNS,
    KECAMATAN_USULAN_REQUIRED,
    PESERTA_COLUMNS,
    PESERTA_REQUIRED,
    SHEET_IDENTITAS,
    SHEET_JADWAL,
    SHEET_PESERTA,
    SHEET_USULAN,
    USULAN_COLUMNS,
    USULAN_REQUIRED_COLUMNS,
    normalise,
)
from pipeline.intake import rowcount
from pipeline.intake.xlsx_formulas import _sheet_parts, _uncomputed_formulas

log = logging.getLogger(__name__)

MB = 1024 * 1024
# Extensions that are read; everything in UNSUPPORTED gets "save as .xlsx".
READABLE = (".xlsx", ".xlsm")
UNSUPPORTED = (".xls", ".ods", ".fods", ".csv", ".tsv", ".numbers", ".xlsb", ".et", ".xltx")
MAX_ZIP_MEMBERS = 1000
# The header row of a table sheet is looked for in this many top rows.
HEADER_SEARCH_ROWS = 10
# Rows below this are not read; a value further down is reported (berkas-terlalu-besar).
MAX_ROWS = 20000

# Labels only the kecamatan workbook has: their presence makes the workbook a kecamatan one.
KECAMATAN_ONLY_LABELS = [
    lbl
    for lbl in KECAMATAN_IDENTITAS_LABELS
    if normalise(lbl) not in map(normalise, IDENTITAS_LABELS)
]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx


class _Rejected(Exception):
    """Internal: the file-level checks failed; the issue is already in the report."""


# ----------------------------------------------------------------------------- public API


def read_workbook(
    path: Path, limits: BatasSettings, display_name: str | None = None
) -> tuple[RawWorkbook | None, Report]:
    """Read `path` (a dropped .xlsx/.xlsm) into a RawWorkbook; None when it cannot be read.

    `display_name` is the operator's file name used in messages (the file on disk may be a
    claimed copy under another name). File-level issues: format-tidak-didukung, berkas-kosong,
    berkas-rusak, berkas-terlalu-besar (errors, RawWorkbook None) and makro-diabaikan (warning).
    """
    name = display_name or path.name
    report = Report()
    try:
        compact = _check_file(path, name, limits, report)
        with rowcount.compacted(path, compact) as readable:
            raw = _read(readable, name, report, limits)
    except _Rejected:
        return None, report
    except Exception as exc:  # any parser failure on any bytes: the file is unusable
        log.info("workbook %s could not be read: %r", name, exc)
        report.add(
            "berkas-rusak",
            f"Berkas '{name}' tidak dapat dibuka sebagai buku kerja .xlsx (rusak atau terpotong); "
            "buka di Excel/Calc, simpan ulang sebagai .xlsx, lalu kirim lagi.",
        )
        return None, report
    return raw, report


# ----------------------------------------------------------------------------- file checks


def _reject(report: Report, code: str, message: str) -> _Rejected:
    report.add(code, message)
    return _Rejected(code)


def _suffix(path: Path, name: str) -> str:
    """The extension the operator gave the file (the claimed copy may be named otherwise)."""
    return (Path(name).suffix or path.suffix).lower()


def _check_file(path: Path, name: str, limits: BatasSettings, report: Report) -> set[str]:
    suffix = _suffix(path, name)
    if suffix in UNSUPPORTED or suffix not in READABLE:
        raise _reject(
            report,
            "format-tidak-didukung",
            f"Berkas '{name}' berformat {suffix or '(tanpa ekstensi)'}, bukan .xlsx: "
            "buka di Excel/Calc lalu Simpan sebagai .xlsx (Buku Kerja Excel) dan kirim lagi.",
        )
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise _reject(
            report,
            "berkas-rusak",
            f"Berkas '{name}' tidak dapat dibaca ({exc.strerror}); kirim lagi.",
        ) from exc
    if size == 0:
        raise _reject(
            report,
            "berkas-kosong",
            f"Berkas '{name}' berukuran 0 byte (mungkin belum selesai disalin); kirim lagi.",
        )
    if size > limits.buku_kerja_mb * MB:
        raise _reject(
            report,
            "berkas-terlalu-besar",
            f"Berkas '{name}' berukuran {size / MB:.1f} MB, melebihi batas "
            f"{limits.buku_kerja_mb:g} MB; hapus gambar/lembar yang tidak perlu lalu kirim lagi.",
        )
    if head.startswith(_OLE_MAGIC):
        raise _reject(
            report,
            "format-tidak-didukung",
            f"Berkas '{name}' sebenarnya berformat .xls lama atau dilindungi kata sandi: buka di "
            "Excel/Calc, hapus kata sandinya, lalu Simpan sebagai .xlsx dan kirim lagi.",
        )
    return _check_zip(path, name, limits, report)


def _check_zip(path: Path, name: str, limits: BatasSettings, report: Report) -> set[str]:
    """The zip's checks; returns the worksheet parts to read from a compacted copy."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _reject(
            report,
            "berkas-rusak",
            f"Berkas '{name}' rusak atau terpotong (bukan .xlsx yang utuh); buka di Excel/Calc, "
            "simpan ulang sebagai .xlsx, lalu kirim lagi.",
        ) from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _reject(
            report,
            "berkas-terlalu-besar",
            f"Berkas '{name}' berisi {len(infos)} bagian (batas {MAX_ZIP_MEMBERS}); "
            "ini bukan buku kerja biasa. Simpan ulang dari Excel/Calc lalu kirim lagi.",
        )
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > limits.isi_zip_mb * MB:
        raise _reject(
            report,
            "berkas-terlalu-besar",
            f"Isi berkas '{name}' setelah dibuka {total / MB:.0f} MB, melebihi batas "
            f"{limits.isi_zip_mb:g} MB; hapus lembar/gambar yang tidak perlu lalu kirim lagi.",
        )
    if total > MB and total / max(packed, 1) > limits.rasio_zip:
        raise _reject(
            report,
            "berkas-terlalu-besar",
            f"Berkas '{name}' memiliki rasio kompresi {total / max(packed, 1):.0f}:1 yang "
            "mencurigakan (zip bomb); simpan ulang dari Excel/Calc lalu kirim lagi.",
        )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" in names:
        from defusedxml.ElementTree import fromstring

        with zipfile.ZipFile(path) as zf:  # rows counted before anything is loaded
            parts = _sheet_parts(zf, fromstring)
            found = rowcount.survey_workbook(zf, parts, limits)
        for title, cap in found.over_limit:
            report.add("baris-terlalu-banyak", rowcount.too_many(name, title, cap), sheet=title)
        if found.over_limit:
            raise _Rejected("baris-terlalu-banyak")
        titles = {part: title for title, part in parts.items()}
        for part, empty in found.wasteful.items():
            text = rowcount.empty_formatting(name, titles[part], empty)
            report.add("baris-kosong-diabaikan", text, sheet=titles[part])
        return set(found.wasteful)
    else:
        if "mimetype" in names or "content.xml" in names:
            raise _reject(
                report,
                "format-tidak-didukung",
                f"Berkas '{name}' sebenarnya berformat OpenDocument (.ods) yang diganti nama: "
                "buka di Calc lalu Simpan sebagai .xlsx (Excel 2007-365) dan kirim lagi.",
            )
        raise _reject(
            report,
            "berkas-rusak",
            f"Berkas '{name}' adalah arsip zip, bukan buku kerja .xlsx; "
            "kirim buku kerja yang benar.",
        )


# ----------------------------------------------------------------------------- reading


def _read(path: Path, name: str, report: Report, limits: BatasSettings) -> RawWorkbook:
    macro = _suffix(path, name) == ".xlsm"
    if macro:
        report.add(
            "makro-diabaikan",
            f"Berkas '{name}' berisi makro (.xlsm): makro diabaikan, hanya nilai yang dibaca. "
            "Sebaiknya simpan sebagai .xlsx.",
        )
    uncomputed = _uncomputed_formulas(path)
    with warnings.catch_warnings():
        # openpyxl warns about extensions it drops (x14 validations, slicers): not our business
        warnings.simplefilter("ignore")
        with open(path, "rb") as fh:  # a file object: openpyxl then ignores the file's name
            # read-only: the sheets are streamed, so a 10,000-row workbook never becomes
            # 150,000 cell objects; the values are those of the full mode (same parser)
            wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False)
            try:
                return _read_loaded(
                    wb, name, macro, uncomputed, report, rowcount.row_limits(limits)
                )
            finally:
                wb.close()


def _read_loaded(
    wb: Workbook,
    name: str,
    macro: bool,
    uncomputed: dict[str, set[tuple[int, int]]],
    report: Report,
    caps: dict[str, int],
) -> RawWorkbook:
    sheets = {normalise(ws.title): ws for ws in wb.worksheets}
    raw = RawWorkbook(file_name=name, is_macro_enabled=macro, sheet_names=wb.sheetnames)

    def grid_of(std: str) -> tuple[Sheet, _Grid] | None:
        ws = sheets.get(normalise(std))
        if ws is None:
            return None
        return ws, _Grid(ws, uncomputed.get(ws.title, set()), report)

    found = grid_of(SHEET_IDENTITAS)
    if found is not None:
        raw.identitas, raw.kind = _read_identitas(*found)
    kecamatan = raw.kind == "kecamatan"

    tables: list[tuple[str, list[str], list[str]]] = [
        (SHEET_PESERTA, PESERTA_COLUMNS, PESERTA_REQUIRED),
        (
            SHEET_USULAN,
            KECAMATAN_USULAN_COLUMNS if kecamatan else USULAN_COLUMNS,
            KECAMATAN_USULAN_REQUIRED if kecamatan else [str(c) for c in USULAN_REQUIRED_COLUMNS],
        ),
        (SHEET_JADWAL, JADWAL_COLUMNS, JADWAL_COLUMNS),
    ]
    for std, columns, required in tables:
        found = grid_of(std)
        if found is None:
            continue
        table, missing = _read_table(*found, columns, required)
        cap = caps.get(normalise(std))
        if cap is not None and len(table.rows) > cap:  # only the first `cap` rows are kept
            report.add(
                "baris-terlalu-banyak", rowcount.too_many(name, table.sheet, cap), sheet=table.sheet
            )
            table.rows = table.rows[:cap]
        setattr(raw, std.lower(), table)
        if missing:
            raw.missing_columns[std] = missing
    return raw


Sheet: TypeAlias = Worksheet | ReadOnlyWorksheet


def _filled_cells(ws: Sheet) -> Iterator[tuple[int, int, Any]]:
    """(row, column, value) of every cell that holds a value, in file order."""
    if isinstance(ws, Worksheet):  # a workbook loaded whole: openpyxl's sparse store
        for (r, c), cell in ws._cells.items():
            if cell.value is not None:
                yield r, c, cell.value
        return
    ws.reset_dimensions()  # the file's own <dimension> is not trusted
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:  # EmptyCell fills gaps: value None
                yield cell.row, cell.column, cell.value


class _Grid:
    """The non-empty cells of one sheet, from openpyxl's sparse store (max_row is not trusted)."""

    def __init__(self, ws: Sheet, uncomputed: set[tuple[int, int]], report: Report) -> None:
        self.ws = ws
        self.values: dict[tuple[int, int], Any] = {}
        self.uncomputed = uncomputed
        beyond = 0
        for r, c, value in _filled_cells(ws):
            if isinstance(value, str) and value == "":
                continue
            if r > MAX_ROWS:
                beyond = max(beyond, r)
                continue
            self.values[(r, c)] = value
        self.by_row: dict[int, dict[int, Any]] = {}
        for (r, c), value in sorted(self.values.items()):
            self.by_row.setdefault(r, {})[c] = value
        for r, _ in uncomputed:
            if r <= MAX_ROWS:
                self.by_row.setdefault(r, {})
        self.rows = sorted(self.by_row)
        if beyond:
            report.add(
                "berkas-terlalu-besar",
                f"Lembar {ws.title}: ada isian sampai baris {beyond}; hanya {MAX_ROWS} baris "
                "pertama yang dibaca. Hapus isian yang tidak perlu di bawah tabel lalu kirim lagi.",
                sheet=ws.title,
            )

    def value(self, row: int, col: int) -> Any:
        return self.values.get((row, col))

    def raw_cell(self, row: int, col: int) -> RawCell:
        return RawCell(
            value=self.values.get((row, col)),
            cell=f"{get_column_letter(col)}{row}",
            row=row,
            is_formula_without_value=(row, col) in self.uncomputed,
        )

    def is_filled(self, row: int, col: int) -> bool:
        value = self.values.get((row, col))
        if isinstance(value, str):
            return bool(value.strip()) or (row, col) in self.uncomputed
        return value is not None or (row, col) in self.uncomputed


def _label_index(labels: Iterable[str]) -> dict[str, str]:
    return {normalise(lbl): lbl for lbl in labels}


def _read_identitas(ws: Sheet, grid: _Grid) -> tuple[RawKeyValue, str]:
    desa = _label_index(IDENTITAS_LABELS)
    kec = _label_index(KECAMATAN_IDENTITAS_LABELS)
    labels_seen: dict[str, int] = {}  # normalised label -> first row
    for row in grid.rows:
        text = grid.value(row, 1)
        if not isinstance(text, str):
            continue
        key = normalise(text)
        if key in desa or key in kec:
            labels_seen.setdefault(key, row)
    kind = (
        "kecamatan" if any(normalise(x) in labels_seen for x in KECAMATAN_ONLY_LABELS) else "desa"
    )
    index = kec if kind == "kecamatan" else desa
    values: dict[str, RawCell] = {}
    label_rows: dict[str, int] = {}
    for key, row in labels_seen.items():
        if key in index:
            label = index[key]
            values[label] = grid.raw_cell(row, 2)
            label_rows[label] = row
    return RawKeyValue(sheet=ws.title, values=values, label_rows=label_rows), kind


def _find_header(
    grid: _Grid, index: dict[str, str], required: list[str]
) -> tuple[int, dict[str, int], list[tuple[int, str]]] | None:
    """(header row, label -> column number, extra (column, text)) of the best top row."""
    best: tuple[int, dict[str, int], list[tuple[int, str]]] | None = None
    required_keys = {normalise(x) for x in required}
    for row in [r for r in grid.rows if r <= HEADER_SEARCH_ROWS]:
        found: dict[str, int] = {}
        extra: list[tuple[int, str]] = []
        for c, value in grid.by_row[row].items():
            key = normalise(value) if isinstance(value, str) else None
            if key in index and index[key] not in found:
                found[index[key]] = c
            elif value is not None and str(value).strip():
                extra.append((c, str(value).strip()))
        keys = {normalise(x) for x in found}
        good = len(found) >= 2 or (found and required_keys <= keys)
        if good and (best is None or len(found) > len(best[1])):
            best = (row, found, extra)
    return best


def _read_table(
    ws: Sheet, grid: _Grid, columns: list[str], required: list[str]
) -> tuple[RawTable, list[str]]:
    index = _label_index(columns)
    header = _find_header(grid, index, required)
    if header is None:
        table = RawTable(sheet=ws.title, header_row=0, columns={}, rows=[])
        return table, list(required)
    header_row, found, extra = header
    data_cols = {label: col for label, col in found.items() if label != "No"}
    rows: list[RawRow] = []
    for row in grid.rows:
        if row <= header_row:
            continue
        if not any(grid.is_filled(row, col) for col in data_cols.values()):
            continue
        cells = {label: grid.raw_cell(row, col) for label, col in found.items()}
        rows.append(RawRow(row=row, cells=cells))
    table = RawTable(
        sheet=ws.title,
        header_row=header_row,
        columns={label: get_column_letter(col) for label, col in found.items()},
        rows=rows,
        extra_columns=[text for _, text in extra],
    )
    missing = [label for label in required if label not in found]
    return table, missing
