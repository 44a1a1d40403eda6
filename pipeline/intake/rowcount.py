"""Rows of a workbook counted before it is opened, so a 200,000-row sheet costs milliseconds.

openpyxl builds every row and cell of every sheet in memory (about 1.3 GB and six minutes for
200,000 usulan rows; 40 s and 600 MB for a sheet whose million empty rows are merely
formatted). Before that, each worksheet's XML is streamed out of the zip and its rows are
surveyed with regular expressions:

- rows that hold a value (or a formula) are counted, stopping as soon as the count passes the
  sheet's limit (the row caps of the settings, `batas.baris_usulan` / `batas.baris_peserta`,
  plus room for titles and headers): a sheet past its limit rejects the workbook with
  `baris-terlalu-banyak` at once; the exact cap is applied to the table rows after reading;
- rows and cells that hold nothing (formatting only) are counted too: when there are many, the
  workbook is read from a compacted copy without them (`compacted`), which holds exactly the
  same values, formulas, merged cells and sheets.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.config import BatasSettings
from pipeline.core.standard import SHEET_PESERTA, SHEET_USULAN, normalise

CHUNK = 1 << 20
SLACK = 50  # title rows, the header row, a total row: never counted as usulan
MAX_ROW_BYTES = 16 * 1024**2  # one row this long is not a row of a workbook
EMPTY_ROWS_TOLERATED = 2_000  # formatted empty rows (or) ...
EMPTY_CELLS_TOLERATED = 50_000  # ... formatted empty cells before a sheet is compacted
_CELL = rb"<(?:\w+:)?c\b[^>]*?(?:/>|>\s*</(?:\w+:)?c>)"  # a cell holding nothing
_EMPTY_CELL = re.compile(_CELL)
_ROW_START = re.compile(rb"<(?:\w+:)?row\b")
_SHEETDATA_OPEN = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_SHEETDATA_CLOSE = re.compile(rb"</(?:\w+:)?sheetData>")


def row_limits(limits: BatasSettings) -> dict[str, int]:
    """Normalised sheet name -> the number of data rows it may hold."""
    return {
        normalise(SHEET_USULAN): limits.baris_usulan,
        normalise(SHEET_PESERTA): limits.baris_peserta,
    }


def other_limit(limits: BatasSettings) -> int:
    """Rows any other sheet (Identitas, Jadwal, lists, the operator's own) may hold."""
    return max(limits.baris_usulan, limits.baris_peserta)


@dataclass
class SheetSurvey:
    value_rows: int = 0  # rows holding a value or a formula (stops counting past the limit)
    empty_rows: int = 0  # rows holding nothing but formatting
    empty_cells: int = 0  # cells holding nothing but formatting

    @property
    def wasteful(self) -> bool:
        return self.empty_rows > EMPTY_ROWS_TOLERATED or self.empty_cells > EMPTY_CELLS_TOLERATED


def _squeeze(rows: bytes, prefix: bytes = b"") -> tuple[bytes, int, int]:
    """Complete rows of sheetData reduced to those holding a value or a formula, each
    without its empty cells; and how many empty rows and cells were dropped. Plain byte
    searches find the values (a regular expression over every empty row would take seconds
    for a million of them)."""
    row_open, row_close = b"<" + prefix + b"row", b"</" + prefix + b"row>"
    markers = [b"<" + prefix + m for m in (b"v>", b"v ", b"f>", b"f ", b"f/", b"is>")]
    ahead = {m: rows.find(m) for m in markers}  # next place of each marker, -1: none left
    kept: list[bytes] = []
    pos = 0
    while True:
        found = [i for i in ahead.values() if i >= 0]
        if not found:
            break
        at = min(found)
        start = max(rows.rfind(row_open, 0, at), pos)
        end = rows.find(row_close, at)
        end = len(rows) if end < 0 else end + len(row_close)
        kept.append(_EMPTY_CELL.sub(b"", rows[start:end]))
        pos = end
        for marker, i in ahead.items():
            if 0 <= i < pos:
                ahead[marker] = rows.find(marker, pos)
    out = b"".join(kept)
    cell_open = b"<" + prefix + b"c"
    all_cells = rows.count(cell_open + b" ") + rows.count(cell_open + b">")
    kept_cells = out.count(cell_open + b" ") + out.count(cell_open + b">")
    return out, rows.count(row_open) - len(kept), all_cells - kept_cells


def _squeezed(zf: zipfile.ZipFile, part: str) -> Iterator[tuple[bytes, int, int]]:
    """The worksheet XML `part`, streamed in pieces, its sheetData without empty rows and
    empty cells: (piece, empty rows dropped, empty cells dropped). Each piece costs two
    regular expressions over a megabyte, so a million rows take about a second."""
    state = "before"  # before sheetData, inside it, after it
    prefix = b""
    buffer = b""
    eof = False
    with zf.open(part) as fh:
        while True:
            if not eof and (not buffer or state == "inside" or len(buffer) < CHUNK):
                chunk = fh.read(CHUNK)
                eof = not chunk
                buffer += chunk
            if state == "before":
                opened = _SHEETDATA_OPEN.search(buffer)
                if opened is None:
                    if eof:
                        yield buffer, 0, 0
                        return
                    if len(buffer) > MAX_ROW_BYTES:
                        raise ValueError(f"{part}: no sheetData in the first {MAX_ROW_BYTES} bytes")
                    continue
                yield buffer[: opened.end()], 0, 0
                buffer = buffer[opened.end() :]
                prefix = opened.group(1) or b""
                state = "after" if opened.group(2) else "inside"
            elif state == "inside":
                closed = _SHEETDATA_CLOSE.search(buffer)
                if closed is not None:
                    yield _squeeze(buffer[: closed.start()], prefix)
                    buffer = buffer[closed.start() :]
                    state = "after"
                    continue
                cut = len(buffer) if eof else max(0, buffer.rfind(b"<" + prefix + b"row"))
                # (inside sheetData every row start is a safe place to cut)
                if cut == 0:
                    if len(buffer) > MAX_ROW_BYTES:
                        raise ValueError(f"{part}: a row longer than {MAX_ROW_BYTES} bytes")
                    continue
                yield _squeeze(buffer[:cut], prefix)
                buffer = buffer[cut:]
                if eof:
                    return
            else:  # after sheetData: merged cells, validations, ... pass through unchanged
                yield buffer, 0, 0
                buffer = b""
                if eof:
                    return
                chunk = fh.read(CHUNK)
                eof = not chunk
                buffer = chunk


def survey(zf: zipfile.ZipFile, part: str, stop_after: int) -> SheetSurvey:
    """Count the rows of the worksheet XML `part`; stops once more than `stop_after` rows
    hold a value (value_rows is then stop_after + 1)."""
    found = SheetSurvey()
    for head, rows, cells in _squeezed(zf, part):
        found.empty_rows += rows
        found.empty_cells += cells
        found.value_rows += len(_ROW_START.findall(head))
        if found.value_rows > stop_after:
            found.value_rows = stop_after + 1
            break
    return found


def rows_with_values(zf: zipfile.ZipFile, part: str, stop_after: int) -> int:
    """How many rows of `part` hold a value; counting stops after `stop_after`."""
    return survey(zf, part, stop_after).value_rows


@dataclass
class Survey:
    over_limit: list[tuple[str, int]]  # (sheet title, its row limit)
    wasteful: dict[str, SheetSurvey]  # worksheet part -> its survey, to be compacted


def survey_workbook(zf: zipfile.ZipFile, parts: dict[str, str], limits: BatasSettings) -> Survey:
    """Every worksheet surveyed: which hold more rows than they may, which are mostly empty
    formatting."""
    caps = row_limits(limits)
    present = set(zf.namelist())
    result = Survey(over_limit=[], wasteful={})
    for title, part in parts.items():
        if part not in present:
            continue  # openpyxl's problem, reported as a broken file
        cap = caps.get(normalise(title), other_limit(limits))
        found = survey(zf, part, cap + SLACK)
        if found.value_rows > cap + SLACK:
            result.over_limit.append((title, cap))
        elif found.wasteful:
            result.wasteful[part] = found
    return result


def sheets_over_limit(
    zf: zipfile.ZipFile, parts: dict[str, str], limits: BatasSettings
) -> list[tuple[str, int]]:
    """(sheet title, its row limit) of every sheet holding more rows than it may."""
    return survey_workbook(zf, parts, limits).over_limit


def _compact_part(zf: zipfile.ZipFile, part: str, out: zipfile.ZipFile) -> None:
    with out.open(part, "w") as dst:
        for head, _, _ in _squeezed(zf, part):
            dst.write(head)


@contextmanager
def compacted(path: Path, parts: set[str]) -> Iterator[Path]:
    """`path` itself when `parts` is empty; else a temporary copy of the workbook whose
    worksheet `parts` keep only rows with values and cells with values (or formulas)."""
    if not parts:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="musrenbang-xlsx-") as tmp:
        copy = Path(tmp) / "ringkas.xlsx"
        with zipfile.ZipFile(path) as zf, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                if info.filename in parts:
                    _compact_part(zf, info.filename, out)
                    continue
                with zf.open(info) as src, out.open(info.filename, "w") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
        yield copy


def too_many(name: str, sheet: str, cap: int) -> str:
    """The message of `baris-terlalu-banyak`, in Indonesian."""
    limit = f"{cap:,}".replace(",", ".")
    return (
        f"Berkas '{name}': lembar {sheet} berisi lebih dari {limit} baris (batas pengaturan "
        "batas.baris_usulan / batas.baris_peserta); hanya sebanyak itu yang dibaca. Hapus "
        "baris yang tidak perlu atau bagi isinya, lalu kirim lagi."
    )


def empty_formatting(name: str, sheet: str, found: SheetSurvey) -> str:
    """The message of `baris-kosong-diabaikan`, in Indonesian."""
    return (
        f"Berkas '{name}': lembar {sheet} berisi {found.empty_rows:,} baris dan "
        f"{found.empty_cells:,} sel kosong yang hanya berformat; semuanya diabaikan saat "
        "dibaca (tanpa salinan '(perbaiki)'). Sebaiknya hapus baris kosong itu.".replace(",", ".")
    )
