"""Rekap Usulan Musrenbang Kecamatan as a workbook: one sheet per view.

Sheets "Per Desa", "Per Bidang", "Per OPD Tujuan" (counts of decisions and costs per group,
a JUMLAH row) and "Usulan" (every usulan with the kecamatan workbook's own column labels,
standard.KECAMATAN_USULAN_COLUMNS, and a total). Totals are numbers computed here, not
formulas (openpyxl computes nothing; a reader with data_only=True would see empty cells).
Every sheet has a title block, a frozen header with filters and a landscape, fit-to-width
print setup with the header repeated on every page.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.atomic import write_with
from pipeline.core.config import Settings
from pipeline.core.models import KecamatanSnapshot
from pipeline.core.standard import KECAMATAN_USULAN_COLUMNS
from pipeline.desa.kompilasi_xlsx import _number, _text, agreed_values
from pipeline.documents.xlsx_style import (
    TITLE_FONT,
    Column,
    data_row,
    finish,
    header,
    mark_jejak,
    total_row_style,
)
from pipeline.kecamatan.ringkasan import (
    JENIS_UPT,
    Ringkasan,
    asal_of,
    desa_belum_mengirim,
    ringkasan_bidang,
    ringkasan_desa,
    ringkasan_opd,
    total,
)
from pipeline.ledger.agreed import BELUM_MENGIRIM

SHEET_DESA = "Per Desa"
SHEET_BIDANG = "Per Bidang"
SHEET_OPD = "Per OPD Tujuan"
SHEET_USULAN = "Usulan"
HEADER_ROW = 5

# Count columns of the summary views: (label, width, number format)
RINGKASAN_COLUMNS: list[tuple[str, float, str]] = [
    ("Jumlah Usulan", 11, "0"),
    ("Diterima", 10, "0"),
    ("Diterima dengan Revisi", 12, "0"),
    ("Ditolak", 10, "0"),
    ("Belum Diputuskan", 11, "0"),
    ("Biaya Semula Usulan Disepakati (Rp)", 20, "#,##0"),
    ("Biaya Disepakati (Rp)", 18, "#,##0"),
    ("Biaya Usulan Ditolak (Rp)", 18, "#,##0"),
]

_USULAN_WIDTH = {
    "No": 6,
    "Kode Usulan": 22,
    "Asal Usulan": 18,
    "Desa/Kelurahan": 18,
    "Bidang": 26,
    "Kegiatan": 40,
    "Lokasi": 20,
    "Volume": 9,
    "Satuan": 9,
    "Perkiraan Biaya (Rp)": 18,
    "Sumber Dana": 15,
    "OPD Tujuan": 24,
    "Prioritas": 9,
    "Keputusan": 20,
    "Catatan Keputusan": 34,
    "Volume Disepakati": 11,
    "Biaya Disepakati (Rp)": 18,
}
_USULAN_FORMAT = {
    "No": "0",
    "Volume": "#,##0.##",
    "Perkiraan Biaya (Rp)": "#,##0",
    "Prioritas": "0",
    "Volume Disepakati": "#,##0.##",
    "Biaya Disepakati (Rp)": "#,##0",
}


def _title(ws: Worksheet, snapshot: KecamatanSnapshot, settings: Settings, view: str) -> None:
    kabupaten = settings.kabupaten.nama or snapshot.kabupaten.nama
    ws["A1"] = _text(
        f"REKAP USULAN MUSRENBANG KECAMATAN {snapshot.kecamatan.nama.upper()} "
        f"TAHUN RENCANA {snapshot.tahun}"
    )
    ws["A1"].font = TITLE_FONT
    ws["A2"] = _text(f"{view}; {kabupaten}; Kode Kecamatan {snapshot.kecamatan.kode}")
    ws["A3"] = _text(f"Tahap: {snapshot.tahap or '-'}")


def _counts(r: Ringkasan) -> list[object]:
    return [
        r.jumlah, r.diterima, r.revisi, r.ditolak, r.belum, r.biaya_semula,
        r.biaya_disepakati, r.biaya_ditolak,
    ]  # fmt: skip


def _not_sent() -> list[object]:
    """The counts of a desa that has not sent: never 0 or Rp 0 as if it had sent nothing."""
    return [BELUM_MENGIRIM] + [None] * (len(RINGKASAN_COLUMNS) - 1)


def _total_row(ws: Worksheet, row: int, label_col: int, values: list[object], ncols: int) -> None:
    total_row_style(ws, row, ncols)
    ws.cell(row=row, column=label_col, value="JUMLAH")
    first = ncols - len(values) + 1
    for offset, value in enumerate(values):
        cell = ws.cell(row=row, column=first + offset, value=value)
        cell.number_format = RINGKASAN_COLUMNS[offset][2] if len(values) > 1 else "#,##0"


def _summary_sheet(
    ws: Worksheet,
    snapshot: KecamatanSnapshot,
    settings: Settings,
    title: str,
    lead: list[Column],
    rows: list[tuple[list[object], Ringkasan | None]],
) -> None:
    ws.title = title
    _title(ws, snapshot, settings, f"Rekap {title}")
    columns: list[Column] = [*lead, *RINGKASAN_COLUMNS]
    header(ws, HEADER_ROW, columns)
    row = HEADER_ROW + 1
    for values, r in rows:
        data_row(ws, row, [*values, *(_counts(r) if r is not None else _not_sent())], columns)
        row += 1
    _total_row(ws, row, 2, _counts(total(snapshot.usulan)), len(columns))
    finish(ws, settings, HEADER_ROW, len(columns), row - 1, row)


def build_workbook(snapshot: KecamatanSnapshot, settings: Settings) -> Workbook:
    wb = Workbook()
    first = wb.active
    assert isinstance(first, Worksheet)

    desa_rows: list[tuple[list[object], Ringkasan | None]] = []
    for no, r in enumerate(ringkasan_desa(snapshot), 1):
        upt = r.jenis == JENIS_UPT
        sent = "" if upt else ("Ya" if r.kode in snapshot.desa_terkirim else "Belum")
        shown = None if desa_belum_mengirim(r, snapshot) else r
        desa_rows.append(([no, _text(r.nama), r.jenis, _text(r.kode), sent], shown))
    _summary_sheet(
        first,
        snapshot,
        settings,
        SHEET_DESA,
        [
            ("No", 6, "0"),
            ("Desa/Kelurahan", 26, None),
            ("Jenis", 14, None),
            ("Kode Desa/Kelurahan", 16, None),
            ("Sudah Kirim", 10, None),
        ],
        desa_rows,
    )
    _summary_sheet(
        wb.create_sheet(),
        snapshot,
        settings,
        SHEET_BIDANG,
        [("No", 6, "0"), ("Bidang", 44, None)],
        [
            ([no, _text(r.nama)], r)
            for no, r in enumerate(ringkasan_bidang(snapshot, settings.bidang.kelurahan), 1)
        ],
    )
    _summary_sheet(
        wb.create_sheet(),
        snapshot,
        settings,
        SHEET_OPD,
        [("No", 6, "0"), ("OPD Tujuan", 44, None)],
        [([no, _text(r.nama)], r) for no, r in enumerate(ringkasan_opd(snapshot), 1)],
    )

    ws = wb.create_sheet(SHEET_USULAN)
    _title(ws, snapshot, settings, "Daftar Usulan")
    columns: list[Column] = [
        (label, _USULAN_WIDTH.get(label, 14), _USULAN_FORMAT.get(label))
        for label in KECAMATAN_USULAN_COLUMNS
    ]
    header(ws, HEADER_ROW, columns)
    row = HEADER_ROW + 1
    for no, u in enumerate(snapshot.usulan, 1):
        asal = asal_of(u, snapshot)
        by_label: dict[str, object] = {
            "No": no,
            "Kode Usulan": _text(u.kode_usulan),
            "Asal Usulan": _text(u.asal),
            "Desa/Kelurahan": _text(asal.nama) if asal.jenis != JENIS_UPT else None,
            "Bidang": _text(u.bidang),
            "Kegiatan": _text(u.kegiatan),
            "Lokasi": _text(u.lokasi),
            "Volume": _number(u.volume),
            "Satuan": _text(u.satuan),
            "Perkiraan Biaya (Rp)": u.biaya,
            "Sumber Dana": _text(u.sumber_dana),
            "OPD Tujuan": _text(u.opd_tujuan),
            "Prioritas": u.prioritas if u.diterima else None,
            "Keputusan": str(u.keputusan) if u.keputusan else None,
            "Catatan Keputusan": _text(u.catatan),
            "Volume Disepakati": agreed_values(u)[0],
            "Biaya Disepakati (Rp)": agreed_values(u)[1],
        }
        data_row(ws, row, [by_label.get(label) for label in KECAMATAN_USULAN_COLUMNS], columns)
        row += 1
    ncols = len(columns)
    total_row_style(ws, row, ncols)
    figures = total(snapshot.usulan)
    ws.cell(
        row=row,
        column=KECAMATAN_USULAN_COLUMNS.index("Kegiatan") + 1,
        value=f"JUMLAH DISEPAKATI ({figures.disepakati} dari {figures.jumlah} usulan; "
        "Perkiraan Biaya = semula)",
    )
    for label, amount in (
        ("Perkiraan Biaya (Rp)", figures.biaya_semula),
        ("Biaya Disepakati (Rp)", figures.biaya_disepakati),
    ):
        cell = ws.cell(row=row, column=KECAMATAN_USULAN_COLUMNS.index(label) + 1, value=amount)
        cell.number_format = "#,##0"
    finish(ws, settings, HEADER_ROW, ncols, row - 1, row)
    mark_jejak(wb, snapshot.jejak)
    return wb


def write_rekap_xlsx(snapshot: KecamatanSnapshot, settings: Settings, path: Path) -> Path:
    """Write the rekap workbook to `path` atomically."""
    wb = build_workbook(snapshot, settings)
    return write_with(path, lambda tmp: wb.save(tmp))
