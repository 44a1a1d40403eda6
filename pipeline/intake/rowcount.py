"""Rows of a workbook counted before it is opened, so a 200,000-row sheet costs milliseconds.

openpyxl builds every cell of every sheet in memory (about 1.3 GB and six minutes for 200,000
usulan rows). Before that, each worksheet's XML is streamed out of the zip and the rows that
hold a value are counted with one regular expression, stopping as soon as the count passes the
sheet's limit (the row caps of the settings, `batas.baris_usulan` / `batas.baris_peserta`, plus
room for titles and headers). A sheet past its limit rejects the workbook with
`baris-terlalu-banyak` at once; the exact cap is applied to the table rows after reading.
"""

from __future__ import annotations

import re
import zipfile

from pipeline.core.config import BatasSettings
from pipeline.core.standard import SHEET_PESERTA, SHEET_USULAN, normalise

CHUNK = 1 << 20
SLACK = 50  # title rows, the header row, a total row: never counted as usulan
MAX_ROW_BYTES = 16 * 1024**2  # one row this long is not a row of a workbook
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)\b")


def row_limits(limits: BatasSettings) -> dict[str, int]:
    """Normalised sheet name -> the number of data rows it may hold."""
    return {
        normalise(SHEET_USULAN): limits.baris_usulan,
        normalise(SHEET_PESERTA): limits.baris_peserta,
    }


def other_limit(limits: BatasSettings) -> int:
    """Rows any other sheet (Identitas, Jadwal, lists, the operator's own) may hold."""
    return max(limits.baris_usulan, limits.baris_peserta)


def rows_with_values(zf: zipfile.ZipFile, part: str, stop_after: int) -> int:
    """How many rows of the worksheet XML `part` hold a value; counting stops after
    `stop_after` (the result is then stop_after + 1)."""
    count = 0
    buffer = b""
    with zf.open(part) as fh:
        while True:
            chunk = fh.read(CHUNK)
            buffer += chunk
            end = 0
            for match in _ROW.finditer(buffer):
                body = match.group(1)
                if body and _VALUE.search(body):
                    count += 1
                    if count > stop_after:
                        return count
                end = match.end()
            buffer = buffer[end:]
            if not chunk:
                return count
            if len(buffer) > MAX_ROW_BYTES:
                return stop_after + 1


def sheets_over_limit(
    zf: zipfile.ZipFile, parts: dict[str, str], limits: BatasSettings
) -> list[tuple[str, int]]:
    """(sheet title, its row limit) of every sheet holding more rows than it may."""
    caps = row_limits(limits)
    present = set(zf.namelist())
    over = []
    for title, part in parts.items():
        if part not in present:
            continue  # openpyxl's problem, reported as a broken file
        cap = caps.get(normalise(title), other_limit(limits))
        if rows_with_values(zf, part, cap + SLACK) > cap + SLACK:
            over.append((title, cap))
    return over


def too_many(name: str, sheet: str, cap: int) -> str:
    """The message of `baris-terlalu-banyak`, in Indonesian."""
    limit = f"{cap:,}".replace(",", ".")
    return (
        f"Berkas '{name}': lembar {sheet} berisi lebih dari {limit} baris (batas pengaturan "
        "batas.baris_usulan / batas.baris_peserta); hanya sebanyak itu yang dibaca. Hapus "
        "baris yang tidak perlu atau bagi isinya, lalu kirim lagi."
    )
