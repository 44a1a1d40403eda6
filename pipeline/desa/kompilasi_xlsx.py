"""Kompilasi Usulan as a workbook: the Usulan sheet's own labels, real numbers, subtotals.

One sheet: a title block, a header row (frozen, filterable, repeated on every printed page),
the usulan grouped by bidang (in the level's bidang order), then, after one blank row and
outside the filter, a subtotal of the agreed cost per bidang and the totals: agreed usulan
(proposed and agreed cost apart) and rejected usulan, never mixed; filtering or sorting the
usulan never mixes a total into them. Totals are the figures of desa/figures.py written as
numbers (openpyxl never computes formulas, and readers opening the file with data_only=True
would see nothing).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.atomic import write_with
from pipeline.core.config import Settings
from pipeline.core.models import DesaSnapshot, Usulan
from pipeline.core.sebutan import sebutan
from pipeline.core.standard import UsulanColumn
from pipeline.desa.figures import tally
from pipeline.desa.ordering import kelompok_bidang
from pipeline.documents.render import clean_text
from pipeline.documents.xlsx_style import (
    HEADER_FILL,
    TITLE_FONT,
    TOTAL_FILL,
    USULAN_RINCIAN,
    Column,
    data_row,
    finish,
    header,
    mark_jejak,
    put,
    total_row_style,
)

SHEET = "Kompilasi Usulan"

# (label, width, number format or None); labels are the workbook's own (spec/workbooks.md)
COLUMNS: list[Column] = [
    (UsulanColumn.NO.value, 6, "0"),
    (UsulanColumn.KODE.value, 20, None),
    *USULAN_RINCIAN,
]
BIAYA_COL = 1 + [c[0] for c in COLUMNS].index(UsulanColumn.BIAYA.value)
BIDANG_COL = 1 + [c[0] for c in COLUMNS].index(UsulanColumn.BIDANG.value)
DISEPAKATI_COL = 1 + [c[0] for c in COLUMNS].index(UsulanColumn.BIAYA_DISEPAKATI.value)
HEADER_ROW = 5


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = clean_text(str(value)).strip()
    return text[:32767] or None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def agreed_values(u: Usulan) -> tuple[int | float | None, int | None]:
    """(Volume Disepakati, Biaya Disepakati) as a report shows them: the agreed values of an
    accepted usulan, nothing for a rejected or undecided one."""
    if not u.diterima:
        return None, None
    return _number(u.agreed_volume), u.agreed_biaya


def _row_values(u: Usulan, no: int) -> list[object]:
    return [
        no,
        _text(u.kode_usulan),
        _text(u.asal),
        _text(u.bidang),
        _text(u.kegiatan),
        _text(u.lokasi),
        _number(u.volume),
        _text(u.satuan),
        u.biaya,
        _text(u.sumber_dana),
        u.prioritas if u.diterima else None,
        str(u.keputusan) if u.keputusan else None,
        _text(u.catatan),
        *agreed_values(u),
    ]


def build_workbook(snapshot: DesaSnapshot, settings: Settings) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET
    level = snapshot.desa.level_word

    ws["A1"] = _text(
        f"KOMPILASI USULAN MUSRENBANG {level.upper()} {snapshot.desa.nama.upper()} "
        f"TAHUN RENCANA {snapshot.tahun}"
    )
    ws["A1"].font = TITLE_FONT
    ws["A2"] = _text(
        f"Kecamatan {snapshot.kecamatan.nama}, {settings.kabupaten.nama or snapshot.kabupaten.nama}"
    )
    ws["A3"] = _text(f"Kode {level}: {snapshot.desa.kode}; Tahap: {snapshot.tahap}")

    header(ws, HEADER_ROW, COLUMNS)

    row = HEADER_ROW + 1
    no = 0
    order = sebutan(snapshot.desa.level, settings.bidang.kelurahan).bidang
    groups = kelompok_bidang(snapshot.usulan, order)
    for _bidang, usulan in groups:
        for u in usulan:
            no += 1
            data_row(ws, row, _row_values(u, no), COLUMNS)
            row += 1
    last_data = row - 1
    row += 1  # a blank row: the totals stand apart, outside the filter
    for bidang, usulan in groups:
        sub = tally(usulan)
        _total_row(ws, row, f"Jumlah disepakati {bidang}", None, sub.biaya_disepakati, TOTAL_FILL)
        row += 1
    figures = tally(snapshot.usulan)
    _total_row(
        ws, row, f"JUMLAH DISEPAKATI ({figures.disepakati} usulan; Perkiraan Biaya = semula)",
        figures.biaya_semula, figures.biaya_disepakati, HEADER_FILL,
    )  # fmt: skip
    row += 1
    _total_row(
        ws, row, f"JUMLAH DITOLAK ({figures.ditolak} usulan)", figures.biaya_ditolak, None,
        HEADER_FILL,
    )  # fmt: skip
    if figures.belum:
        row += 1
        _total_row(
            ws, row, f"JUMLAH BELUM DIPUTUSKAN ({figures.belum} usulan)", figures.biaya_belum,
            None, HEADER_FILL,
        )  # fmt: skip

    finish(ws, settings, HEADER_ROW, len(COLUMNS), last_data, row)
    mark_jejak(wb, snapshot.jejak)
    return wb


def _total_row(
    ws: Worksheet,
    row: int,
    label: str,
    semula: int | None,
    disepakati: int | None,
    fill: PatternFill,
) -> None:
    """A subtotal/total row: the label in the Bidang column, the proposed cost under
    Perkiraan Biaya and the agreed cost under Biaya Disepakati (each only where given)."""
    total_row_style(ws, row, len(COLUMNS), fill)
    put(ws, row, BIDANG_COL, _text(label))
    for col, amount in ((BIAYA_COL, semula), (DISEPAKATI_COL, disepakati)):
        if amount is not None:
            ws.cell(row=row, column=col, value=amount).number_format = "#,##0"


def write_kompilasi_xlsx(snapshot: DesaSnapshot, settings: Settings, path: Path) -> Path:
    """Write the kompilasi workbook to `path` atomically."""
    wb = build_workbook(snapshot, settings)
    return write_with(path, lambda tmp: wb.save(tmp))
