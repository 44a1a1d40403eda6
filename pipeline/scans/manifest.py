"""The manifest of a desa's supporting documents (SOP step 20): one entry per file as received
and archived, written atomically as json and xlsx (Manifest and Ringkasan sheets)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from pipeline.core.atomic import write_text, write_with
from pipeline.core.standard import JENIS_DOKUMEN


class ManifestEntry(BaseModel):
    """One supporting document as received and archived."""

    jenis: str  # folder name: foto, video, absensi, berita-acara, tanda-terima, undangan
    nama_asli: str  # the file name as the operator dropped it
    ukuran: int  # bytes
    sha256: str
    diterima_pada: dt.datetime
    folder: str  # the desa folder it was dropped in, relative to inbox/ ('12.05.01 .../...')
    arsip: str  # where it is archived, relative to the root


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_entry(
    path: Path,
    *,
    jenis: str,
    folder: str,
    arsip: str,
    diterima_pada: dt.datetime,
    nama_asli: str | None = None,
) -> ManifestEntry:
    """An entry for the file at `path` (size and sha256 read from it)."""
    return ManifestEntry(
        jenis=jenis,
        nama_asli=nama_asli or path.name,
        ukuran=path.stat().st_size,
        sha256=sha256_file(path),
        diterima_pada=diterima_pada,
        folder=folder,
        arsip=arsip,
    )


def _order(entry: ManifestEntry) -> tuple[int, dt.datetime, str]:
    rank = JENIS_DOKUMEN.index(entry.jenis) if entry.jenis in JENIS_DOKUMEN else 99
    when = entry.diterima_pada
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return rank, when, entry.nama_asli.casefold()


def count_by_jenis(entries: Iterable[ManifestEntry]) -> dict[str, int]:
    """How many documents of each kind (every kind listed, 0 when none): for completeness."""
    counts = dict.fromkeys(JENIS_DOKUMEN, 0)
    for entry in entries:
        counts[entry.jenis] = counts.get(entry.jenis, 0) + 1
    return counts


MANIFEST_COLUMNS: list[tuple[str, int]] = [
    ("No", 5),
    ("Jenis", 14),
    ("Nama Berkas Asli", 40),
    ("Ukuran (byte)", 14),
    ("SHA-256", 68),
    ("Diterima Pada", 20),
    ("Folder Desa", 44),
    ("Arsip", 60),
]


# openpyxl paper codes: 9 = A4, 14 = Folio 8.5 x 13 in (F4)
_PAPER_CODE = {"A4": 9, "F4": 14}
_FOOTER = "Halaman &P dari &N"


def _print_setup(ws: Worksheet, paper: str, title_rows: str, orientation: str) -> None:
    """Fit to one page wide, the header repeated on every page, page numbers in the footer."""
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = _PAPER_CODE.get(paper.upper(), 9)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = _FOOTER


def _manifest_workbook(entries: list[ManifestEntry], paper: str = "A4") -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Manifest"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (label, width) in enumerate(MANIFEST_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for number, entry in enumerate(entries, start=1):
        when = entry.diterima_pada.replace(tzinfo=None)  # wall-clock time of its own zone
        values = [
            number,
            entry.jenis,
            entry.nama_asli,
            entry.ukuran,
            entry.sha256,
            when,
            entry.folder,
            entry.arsip,
        ]
        ws.append(values)
        ws.cell(row=number + 1, column=4).number_format = "#,##0"
        ws.cell(row=number + 1, column=6).number_format = "yyyy-mm-dd hh:mm:ss"
    ws.freeze_panes = "A2"
    last = get_column_letter(len(MANIFEST_COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(entries) + 1)}"
    ws.print_options.gridLines = True
    _print_setup(ws, paper, "1:1", "landscape")

    summary = wb.create_sheet("Ringkasan")
    for col, (label, width) in enumerate(
        [("Jenis", 16), ("Jumlah Berkas", 16), ("Ukuran Total (byte)", 22)], start=1
    ):
        cell = summary.cell(row=1, column=col, value=label)
        cell.font = bold
        cell.fill = fill
        summary.column_dimensions[get_column_letter(col)].width = width
    for jenis, count in count_by_jenis(entries).items():
        total = sum(e.ukuran for e in entries if e.jenis == jenis)
        summary.append([jenis, count, total])
        summary.cell(row=summary.max_row, column=3).number_format = "#,##0"
    summary.freeze_panes = "A2"
    summary.print_options.gridLines = True
    _print_setup(summary, paper, "1:1", "portrait")
    return wb


def write_manifest(
    entries: Sequence[ManifestEntry], json_path: Path, xlsx_path: Path, paper: str = "A4"
) -> None:
    """Write the manifest as json and xlsx (both atomically), ordered by kind, then time;
    `paper` (A4/F4) is the xlsx's print paper."""
    ordered = sorted(entries, key=_order)
    payload = {
        "jumlah_berkas": len(ordered),
        "ukuran_total": sum(e.ukuran for e in ordered),
        "jumlah_per_jenis": count_by_jenis(ordered),
        "dokumen": [e.model_dump(mode="json") for e in ordered],
    }
    write_text(json_path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    wb = _manifest_workbook(ordered, paper)
    write_with(xlsx_path, lambda tmp: wb.save(tmp))


def read_manifest(json_path: Path) -> list[ManifestEntry]:
    """The entries of a manifest written by write_manifest ([] when it does not exist)."""
    if not json_path.exists():
        return []
    data = json.loads(json_path.read_text(encoding="utf-8"))
    return [ManifestEntry.model_validate(item) for item in data.get("dokumen", [])]
