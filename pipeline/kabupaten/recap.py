"""Kabupaten outputs written after every pass: the Rekap Usulan and the Pemantauan (monitoring).

For every planning year with ledger data, three files at the top of outbox/:

- `Rekap Usulan Musrenbang <Kabupaten> <Tahun>.xlsx`: per kecamatan, per bidang, per OPD
  tujuan, and every usulan, with totals as numbers;
- `Pemantauan Musrenbang <Kabupaten> <Tahun>.xlsx` and `.html`: per desa of the region list
  (also those that have not started) its stage, dates, lateness, signed scans and decisions,
  with a summary. The HTML page is self-contained (inline CSS and SVG) and opens from disk.

The ledger is read with one query per table, so a kabupaten of ~300 desa and ~12,000 usulan
costs a few seconds, mostly openpyxl writing cells.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import textwrap
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties

from pipeline.core.atomic import write_text, write_with
from pipeline.core.config import Settings
from pipeline.core.models import IdentitasDesa, Usulan, Wilayah
from pipeline.core.standard import BIDANG, TAHAP_URUTAN, Keputusan, Tahap, UsulanColumn
from pipeline.core.wilayah import KODE_DESA, WilayahList, parent_kode
from pipeline.core.workspace import Workspace, safe_name
from pipeline.desa.kompilasi_xlsx import agreed_values
from pipeline.desa.workflow import PINDAIAN_WAJIB, deadline
from pipeline.documents.formatting import angka, rupiah, tanggal
from pipeline.documents.xlsx_style import (
    BOLD,
    BORDER,
    HEADER_FILL,
    TITLE_FONT,
    TOTAL_FILL,
    USULAN_RINCIAN,
    WRAP_CENTER,
    Column,
    print_setup,
)
from pipeline.ledger.store import Ledger

BELUM_MULAI = "Belum mulai"
TAHAP_PEMANTAUAN: list[str] = [BELUM_MULAI, *(t.value for t in TAHAP_URUTAN)]
OPD_BELUM = "(belum ditentukan)"
BIDANG_KOSONG = "(Bidang belum diisi)"
LEWAT_BATAS = "lewat batas"

# Short names of the required signed scans, for the "Dokumen Belum Ada" column.
PINDAIAN_SINGKAT: dict[str, str] = {
    "berita-acara": "Berita Acara",
    "daftar-hadir": "Daftar Hadir",
}

HEADER_ROW = 4
MIN_PRINT_WIDTH = 100  # characters (column width units) a printed page covers at least
DEFAULT_WIDTH = 8.43  # Excel's width of a column not sized
RUPIAH_FORMAT = "#,##0"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd-mm-yyyy"


# ----------------------------------------------------------------------------- the data


@dataclass
class DesaStatus:
    """One desa's line of the monitoring report."""

    desa: Wilayah
    kecamatan: Wilayah
    tahap: str  # a Tahap value or BELUM_MULAI
    tanggal_musrenbang: dt.date | None = None
    batas_kirim: dt.date | None = None
    tanggal_kirim: dt.date | None = None
    terlambat: str = ""  # "ya" | "tidak" | LEWAT_BATAS | "" (no date known yet)
    pindaian_kurang: list[str] = field(default_factory=list)  # jenis of missing signed scans
    usulan: int = 0
    diterima: int = 0
    ditolak: int = 0
    biaya_diterima: int = 0

    @property
    def dikirim(self) -> bool:
        return self.tahap == Tahap.KIRIM.value

    @property
    def dokumen_lengkap(self) -> bool:
        return not self.pindaian_kurang


@dataclass
class UsulanLine:
    usulan: Usulan
    desa: Wilayah
    kecamatan: Wilayah
    tahap: str


@dataclass
class Tally:
    """Counts and accepted cost of a group of usulan."""

    usulan: int = 0
    diterima: int = 0
    ditolak: int = 0
    belum: int = 0
    biaya_diterima: int = 0

    def add(self, u: Usulan) -> None:
        self.usulan += 1
        if u.diterima:
            self.diterima += 1
            self.biaya_diterima += u.agreed_biaya or 0
        elif u.keputusan is Keputusan.DITOLAK:
            self.ditolak += 1
        else:
            self.belum += 1


@dataclass
class KabupatenYear:
    """Everything the kabupaten reports of one year show."""

    tahun: int
    kabupaten: str
    kecamatan: list[Wilayah]
    desa: list[DesaStatus]
    usulan: list[UsulanLine]

    def per_kecamatan(self) -> list[tuple[Wilayah, list[DesaStatus], Tally]]:
        tallies = {k.kode: Tally() for k in self.kecamatan}
        for line in self.usulan:
            tallies.setdefault(line.kecamatan.kode, Tally()).add(line.usulan)
        desa_of: dict[str, list[DesaStatus]] = {k.kode: [] for k in self.kecamatan}
        for d in self.desa:
            desa_of.setdefault(d.kecamatan.kode, []).append(d)
        return [(k, desa_of[k.kode], tallies[k.kode]) for k in self.kecamatan]

    def per_bidang(self) -> list[tuple[str, Tally]]:
        tallies: dict[str, Tally] = {b: Tally() for b in BIDANG}
        for line in self.usulan:
            name = (line.usulan.bidang or "").strip() or BIDANG_KOSONG
            tallies.setdefault(name, Tally()).add(line.usulan)
        return list(tallies.items())

    def total(self) -> Tally:
        t = Tally()
        for line in self.usulan:
            t.add(line.usulan)
        return t


def _local_date(value: str | None, tz: ZoneInfo) -> dt.date | None:
    if not value:
        return None
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(tz)
    return when.date()


def collect(
    settings: Settings, wilayah: WilayahList, ledger: Ledger, *, now: dt.datetime
) -> list[KabupatenYear]:
    """Read the ledger (one query per table) into one KabupatenYear per year with data."""
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    today = (now.astimezone(tz) if now.tzinfo else now).date()
    kab = settings.kabupaten.kode
    prefix = kab + "."
    libur = frozenset(settings.jadwal.hari_libur_tambahan)
    db = ledger.db

    tahap_rows = [
        r
        for r in db.execute(
            "SELECT region, year, stage, identitas_json, sent_at, late FROM tahap"
            " WHERE region LIKE ? ORDER BY region, year",
            (prefix + "%",),
        )
        if r["region"].startswith(prefix)
    ]
    years = sorted({int(r["year"]) for r in tahap_rows})
    if not years:
        return []

    usulan_by: dict[tuple[str, int], list[Usulan]] = {}
    for r in db.execute(
        "SELECT kode, region, year, data_json FROM usulan WHERE region LIKE ?"
        " ORDER BY region, year, position",
        (prefix + "%",),
    ):
        if not KODE_DESA.match(r["region"]) or not r["region"].startswith(prefix):
            continue
        u = Usulan.model_validate(json.loads(r["data_json"]) | {"kode_usulan": r["kode"]})
        usulan_by.setdefault((r["region"], int(r["year"])), []).append(u)

    scans: dict[tuple[str, int], set[str]] = {}
    for r in db.execute(
        "SELECT DISTINCT region, year, jenis FROM berkas WHERE kategori = 'pindaian'"
        " AND region LIKE ?",
        (prefix + "%",),
    ):
        scans.setdefault((r["region"], int(r["year"])), set()).add(r["jenis"])

    # every desa of the region list, plus any the ledger knows that the list has lost
    desa_list = list(wilayah.all_desa(kab))
    known = {d.kode for d in desa_list}
    names: dict[str, str] = {}
    for r in tahap_rows:
        if KODE_DESA.match(r["region"]) and r["region"] not in known:
            ident = IdentitasDesa.model_validate_json(r["identitas_json"])
            names[r["region"]] = ident.nama or r["region"]
    for key in usulan_by:
        if key[0] not in known:
            names.setdefault(key[0], key[0])
    desa_list += [Wilayah(kode=k, nama=n) for k, n in sorted(names.items())]
    desa_list.sort(key=lambda w: w.kode)
    kecamatan = list(wilayah.kecamatan_in(kab))
    kec_known = {k.kode for k in kecamatan}
    for d in desa_list:
        kk = parent_kode(d.kode)
        if kk not in kec_known:
            kecamatan.append(wilayah.kecamatan_of(d.kode))
            kec_known.add(kk)
    kecamatan.sort(key=lambda w: w.kode)

    tahap_by = {(r["region"], int(r["year"])): r for r in tahap_rows}
    out = []
    for year in years:
        statuses: list[DesaStatus] = []
        lines: list[UsulanLine] = []
        for desa in desa_list:
            kec = wilayah.kecamatan_of(desa.kode)
            row = tahap_by.get((desa.kode, year))
            status = DesaStatus(desa=desa, kecamatan=kec, tahap=BELUM_MULAI)
            if row is not None:
                status.tahap = row["stage"]
                ident = IdentitasDesa.model_validate_json(row["identitas_json"])
                status.tanggal_musrenbang = ident.tanggal_musrenbang
                if ident.tanggal_musrenbang is not None:
                    status.batas_kirim = deadline(
                        ident.tanggal_musrenbang, settings.jadwal.batas_hari_kerja, libur
                    )
                status.tanggal_kirim = _local_date(row["sent_at"], tz)
            if status.dikirim:
                status.terlambat = "ya" if row is not None and row["late"] else "tidak"
            elif status.batas_kirim is not None:
                status.terlambat = LEWAT_BATAS if today > status.batas_kirim else "tidak"
            have = scans.get((desa.kode, year), set())
            status.pindaian_kurang = [j for j in PINDAIAN_WAJIB if j not in have]
            tally = Tally()
            for u in usulan_by.get((desa.kode, year), []):
                tally.add(u)
                lines.append(UsulanLine(u, desa, kec, status.tahap))
            status.usulan, status.diterima = tally.usulan, tally.diterima
            status.ditolak, status.biaya_diterima = tally.ditolak, tally.biaya_diterima
            statuses.append(status)
        out.append(KabupatenYear(year, settings.kabupaten.nama, kecamatan, statuses, lines))
    return out


# ----------------------------------------------------------------------------- xlsx helpers


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value).replace("\r\n", "\n")).strip()
    return text[:32767] or None


def _cell(ws: WriteOnlyWorksheet, value: object, fmt: str | None = None) -> object:
    """A value ready for `append`: text cleaned, formula-like text kept as text, formatted."""
    if isinstance(value, str):
        value = _text(value)
    formula_like = isinstance(value, str) and value.startswith("=")
    if fmt is None and not formula_like:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if formula_like:
        cell.data_type = "s"
        cell.quotePrefix = True
    if fmt is not None and value is not None:
        cell.number_format = fmt
    return cell


def _styled(
    ws: WriteOnlyWorksheet,
    value: object,
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    fmt: str | None = None,
    border: bool = False,
    alignment: Alignment | None = None,
) -> WriteOnlyCell:
    made = _cell(ws, value)
    cell = made if isinstance(made, Cell) else WriteOnlyCell(ws, value=made)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if fmt is not None:
        cell.number_format = fmt
    if border:
        cell.border = BORDER
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _sheet(
    wb: Workbook,
    title: str,
    heading: Sequence[str],
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    settings: Settings,
    *,
    total: Sequence[object] | None = None,
    notes: Sequence[str] = (),
) -> WriteOnlyWorksheet:
    """One view: title lines, a header (frozen, filtered, repeated in print), rows, a total.

    The workbook is write-only (streamed): column widths and the frozen pane are set before
    the first row, and every row is appended once.
    """
    ws = wb.create_sheet(title)
    assert isinstance(ws, WriteOnlyWorksheet)
    last_col = get_column_letter(len(columns))
    for col, (_label, width, _fmt) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.row_dimensions[HEADER_ROW].height = 32  # two lines of wrapped header text
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)  # before any row
    for n in range(1, HEADER_ROW):
        line = heading[n - 1] if n <= len(heading) else None
        font = TITLE_FONT if n == 1 else Font(size=11)
        ws.append([_styled(ws, line, font=font)] if line else [])
    ws.append(
        [
            _styled(ws, label, font=BOLD, fill=HEADER_FILL, border=True, alignment=WRAP_CENTER)
            for label, _w, _f in columns
        ]
    )
    formats = [fmt for _l, _w, fmt in columns]
    r = HEADER_ROW
    for values in rows:
        r += 1
        ws.append([_cell(ws, v, f) for v, f in zip(values, formats, strict=False)])
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(r, HEADER_ROW + 1)}"
    if total is not None:
        r += 1
        ws.append(
            [
                _styled(ws, v, font=BOLD, fill=TOTAL_FILL, fmt=f, border=True)
                for v, f in zip(total, formats, strict=False)
            ]
        )
    # Printing covers at least MIN_PRINT_WIDTH characters, so titles and notes (text that
    # overflows into empty cells) are not cut off on a narrow sheet; notes wrap to that width.
    print_cols, print_width = len(columns), sum(w for _l, w, _f in columns)
    while print_width < MIN_PRINT_WIDTH:
        print_cols += 1
        print_width += DEFAULT_WIDTH
    last_col = get_column_letter(print_cols)
    for n, note in enumerate(notes):
        if n == 0:
            ws.append([])
            r += 1
        for line in textwrap.wrap(note, width=int(print_width)):
            r += 1
            ws.append([_styled(ws, line, font=Font(italic=True))])
    print_setup(ws, settings, HEADER_ROW, f"A1:{last_col}{max(r, HEADER_ROW)}")
    return ws


def _column_sums(rows: Sequence[Sequence[int]], width: int) -> list[int]:
    return [sum(r[i] for r in rows) for i in range(width)]


def _new_workbook() -> Workbook:
    return Workbook(write_only=True)


def _stamp(now: dt.datetime, tz: ZoneInfo) -> str:
    local = now.astimezone(tz) if now.tzinfo else now
    return f"{tanggal(local)} pukul {local:%H.%M} ({tz.key})"


def _number(value: object) -> int | float | None:
    if value is None:
        return None
    number = float(str(value))
    return int(number) if number.is_integer() else number


# ----------------------------------------------------------------------------- rekap usulan

KECAMATAN_COLUMNS: list[Column] = [
    ("Kode Kecamatan", 14, None),
    ("Kecamatan", 24, None),
    ("Desa/Kelurahan", 14, COUNT_FORMAT),
    ("Sudah Kirim", 12, COUNT_FORMAT),
    ("Usulan", 10, COUNT_FORMAT),
    ("Diterima", 10, COUNT_FORMAT),
    ("Ditolak", 10, COUNT_FORMAT),
    ("Belum Diputuskan", 12, COUNT_FORMAT),
    ("Perkiraan Biaya Diterima (Rp)", 22, RUPIAH_FORMAT),
]
BIDANG_COLUMNS: list[Column] = [
    ("Bidang", 52, None),
    ("Usulan", 10, COUNT_FORMAT),
    ("Diterima", 10, COUNT_FORMAT),
    ("Ditolak", 10, COUNT_FORMAT),
    ("Perkiraan Biaya Diterima (Rp)", 22, RUPIAH_FORMAT),
]
OPD_COLUMNS: list[Column] = [
    ("OPD Tujuan", 40, None),
    ("Usulan", 10, COUNT_FORMAT),
    ("Diterima", 10, COUNT_FORMAT),
    ("Ditolak", 10, COUNT_FORMAT),
    ("Perkiraan Biaya Diterima (Rp)", 22, RUPIAH_FORMAT),
]
USULAN_COLUMNS: list[Column] = [
    (UsulanColumn.KODE.value, 24, None),
    ("Kecamatan", 18, None),
    ("Desa/Kelurahan", 20, None),
    ("Tahap", 12, None),
    *USULAN_RINCIAN,
]
SHEET_KECAMATAN = "Per Kecamatan"
SHEET_BIDANG = "Per Bidang"
SHEET_OPD = "Per OPD Tujuan"
SHEET_USULAN = "Usulan"
CATATAN_OPD = (
    "Catatan: OPD Tujuan ditetapkan pada Musrenbang Kecamatan (buku kerja kecamatan); usulan "
    "desa belum memiliki OPD Tujuan, sehingga semuanya tercatat '(belum ditentukan)'."
)


def rekap_name(settings: Settings, tahun: int) -> str:
    return safe_name(f"Rekap Usulan Musrenbang {settings.kabupaten.nama} {tahun}") + ".xlsx"


def pemantauan_stem(settings: Settings, tahun: int) -> str:
    return safe_name(f"Pemantauan Musrenbang {settings.kabupaten.nama} {tahun}")


def build_rekap(data: KabupatenYear, settings: Settings, stamp: str) -> Workbook:
    wb = _new_workbook()
    title = f"REKAP USULAN MUSRENBANG {data.kabupaten.upper()} TAHUN RENCANA {data.tahun}"
    sub = f"Dibuat {stamp}. Semua usulan desa/kelurahan yang tercatat."

    names: list[list[object]] = []
    counts: list[list[int]] = []
    for kec, desa, t in data.per_kecamatan():
        sent = sum(1 for d in desa if d.dikirim)
        names.append([kec.kode, kec.nama])
        counts.append([len(desa), sent, t.usulan, t.diterima, t.ditolak, t.belum, t.biaya_diterima])
    _sheet(
        wb, SHEET_KECAMATAN, [title, sub], KECAMATAN_COLUMNS,
        [n + c for n, c in zip(names, counts, strict=True)], settings,
        total=["JUMLAH", None, *_column_sums(counts, 7)],
    )  # fmt: skip

    per_bidang = data.per_bidang()
    bidang = [[t.usulan, t.diterima, t.ditolak, t.biaya_diterima] for _b, t in per_bidang]
    _sheet(
        wb, SHEET_BIDANG, [title, sub], BIDANG_COLUMNS,
        [[b, *c] for (b, _t), c in zip(per_bidang, bidang, strict=True)], settings,
        total=["JUMLAH", *_column_sums(bidang, 4)],
    )  # fmt: skip

    t = data.total()
    opd = [[OPD_BELUM, t.usulan, t.diterima, t.ditolak, t.biaya_diterima]]
    _sheet(
        wb, SHEET_OPD, [title, sub], OPD_COLUMNS, opd, settings,
        total=["JUMLAH", t.usulan, t.diterima, t.ditolak, t.biaya_diterima],
        notes=[CATATAN_OPD],
    )  # fmt: skip

    def usulan_rows() -> Iterable[list[object]]:
        for line in data.usulan:
            u = line.usulan
            yield [
                u.kode_usulan, line.kecamatan.nama, line.desa.nama, line.tahap, u.asal,
                u.bidang, u.kegiatan, u.lokasi, _number(u.volume), u.satuan, u.biaya,
                u.sumber_dana, u.prioritas, u.keputusan.value if u.keputusan else None,
                u.catatan, *agreed_values(u),
            ]  # fmt: skip

    biaya = sum(line.usulan.biaya or 0 for line in data.usulan)
    total_row: list[object] = [None] * len(USULAN_COLUMNS)
    total_row[0] = f"JUMLAH ({len(data.usulan)} usulan)"
    total_row[10] = biaya
    _sheet(wb, SHEET_USULAN, [title, sub], USULAN_COLUMNS, usulan_rows(), settings, total=total_row)
    return wb


# ----------------------------------------------------------------------------- pemantauan

PEMANTAUAN_COLUMNS: list[Column] = [
    ("Kode", 15, None),
    ("Desa/Kelurahan", 22, None),
    ("Kecamatan", 18, None),
    ("Tahap", 13, None),
    ("Tanggal Musrenbang", 13, DATE_FORMAT),
    ("Batas Kirim", 13, DATE_FORMAT),
    ("Tanggal Kirim", 13, DATE_FORMAT),
    ("Terlambat", 12, None),
    ("Dokumen Lengkap", 11, None),
    ("Dokumen Belum Ada", 34, None),
    ("Usulan", 9, COUNT_FORMAT),
    ("Diterima", 9, COUNT_FORMAT),
    ("Ditolak", 9, COUNT_FORMAT),
    ("Total Biaya Diterima (Rp)", 20, RUPIAH_FORMAT),
]
SHEET_RINGKASAN = "Ringkasan"
SHEET_PER_DESA = "Per Desa"
CATATAN_DOKUMEN = (
    "Dokumen lengkap: pindaian Berita Acara dan Daftar Hadir yang ditandatangani sudah diterima."
)
CATATAN_TERLAMBAT = (
    "Terlambat: 'ya'/'tidak' untuk yang sudah kirim; 'lewat batas' bila belum kirim dan batas "
    "kirim sudah lewat; kosong bila tanggal musrenbang belum tercatat."
)


def _kurang(d: DesaStatus) -> str:
    return ", ".join(PINDAIAN_SINGKAT[j] for j in d.pindaian_kurang)


def ringkasan(data: KabupatenYear) -> list[tuple[str, int]]:
    """The summary figures of the monitoring report, in reading order."""
    per_tahap = Counter(d.tahap for d in data.desa)
    t = data.total()
    out: list[tuple[str, int]] = [("Desa/Kelurahan", len(data.desa))]
    out += [(f"Tahap {name}" if name != BELUM_MULAI else name, per_tahap[name])
            for name in TAHAP_PEMANTAUAN]  # fmt: skip
    out += [
        ("Sudah kirim", sum(1 for d in data.desa if d.dikirim)),
        ("Terlambat kirim", sum(1 for d in data.desa if d.terlambat == "ya")),
        ("Lewat batas, belum kirim", sum(1 for d in data.desa if d.terlambat == LEWAT_BATAS)),
        ("Dokumen lengkap", sum(1 for d in data.desa if d.dokumen_lengkap)),
        ("Usulan", t.usulan),
        ("Usulan diterima", t.diterima),
        ("Usulan ditolak", t.ditolak),
        ("Usulan belum diputuskan", t.belum),
        ("Total biaya diterima (Rp)", t.biaya_diterima),
    ]
    return out


def build_pemantauan(data: KabupatenYear, settings: Settings, stamp: str) -> Workbook:
    wb = _new_workbook()
    title = f"PEMANTAUAN MUSRENBANG {data.kabupaten.upper()} TAHUN RENCANA {data.tahun}"
    sub = f"Keadaan {stamp}"
    summary = ringkasan(data)
    _sheet(
        wb, SHEET_RINGKASAN, [title, sub], [("Uraian", 34, None), ("Jumlah", 20, COUNT_FORMAT)],
        summary, settings, notes=[CATATAN_DOKUMEN, CATATAN_TERLAMBAT],
    )  # fmt: skip

    rows = [
        [d.desa.kode, d.desa.nama, d.kecamatan.nama, d.tahap, d.tanggal_musrenbang,
         d.batas_kirim, d.tanggal_kirim, d.terlambat, "ya" if d.dokumen_lengkap else "tidak",
         _kurang(d), d.usulan, d.diterima, d.ditolak, d.biaya_diterima]
        for d in data.desa
    ]  # fmt: skip
    total: list[object] = [None] * len(PEMANTAUAN_COLUMNS)
    total[0] = "JUMLAH"
    total[1] = f"{len(rows)} desa/kelurahan"
    counts = [[d.usulan, d.diterima, d.ditolak, d.biaya_diterima] for d in data.desa]
    total[10:14] = _column_sums(counts, 4)
    _sheet(
        wb, SHEET_PER_DESA, [title, sub], PEMANTAUAN_COLUMNS, rows, settings, total=total,
        notes=[CATATAN_DOKUMEN, CATATAN_TERLAMBAT],
    )  # fmt: skip
    return wb


# ----------------------------------------------------------------------------- html

TAHAP_WARNA: dict[str, str] = {
    BELUM_MULAI: "#b0b7c3",
    Tahap.PERSIAPAN.value: "#f2c14e",
    Tahap.PELAKSANAAN.value: "#f08a4b",
    Tahap.VERIFIKASI.value: "#4f9dde",
    Tahap.KIRIM.value: "#3aa76d",
}
WARNA_BELUM = "#d9dde3"
WARNA_KIRIM = "#3aa76d"
WARNA_BIAYA = "#4f6fde"

CSS = """
body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:24px;color:#1f2933;
background:#f7f8fa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.waktu{color:#52606d;margin:0 0 18px}
.kartu{display:flex;flex-wrap:wrap;gap:12px}
.k{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:10px 14px;min-width:150px}
.k b{display:block;font-size:22px}.k span{color:#52606d;font-size:13px}
.grafik{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:12px;margin-top:8px}
.grafik svg{width:100%;height:auto}
.legenda span{display:inline-block;margin-right:14px;font-size:13px}
.legenda i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.tabel{overflow-x:auto}.catatan{color:#52606d;font-size:13px;margin:0 0 8px}
table{border-collapse:collapse;background:#fff;font-size:12px;width:100%}
th,td{border:1px solid #c8ced6;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#e4e7eb;position:sticky;top:0;cursor:pointer}
td.n{text-align:right;white-space:nowrap}td.d{white-space:nowrap}
tr.ya td.t{color:#b42318;font-weight:600}tr.lewat td.t{color:#b54708;font-weight:600}
tfoot td{font-weight:700;background:#f2f2f2}
@media print{th{position:static}body{margin:8mm;background:#fff}}
"""

# A small inline sorter (no library, no network): click a header to sort by that column.
SORT_JS = """
document.querySelectorAll("table.urut th").forEach(function(th,i){
th.addEventListener("click",function(){
var tb=th.closest("table").tBodies[0],rows=Array.from(tb.rows),asc=th.dataset.asc!=="1";
th.dataset.asc=asc?"1":"0";
rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,
y=b.cells[i].dataset.v||b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y);
var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,"id");return asc?c:-c;});
rows.forEach(function(r){tb.appendChild(r);});});});
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@dataclass
class Bar:
    label: str
    parts: list[tuple[float, str, str]]  # value, colour, tooltip text
    caption: str  # shown right of the bar


def svg_bars(bars: Sequence[Bar], *, title: str, label_width: int = 240) -> str:
    """A horizontal (stacked) bar chart as inline SVG; every text escaped."""
    width, row_h, top = 960, 26, 8
    caption_w = 190
    plot_w = width - label_width - caption_w - 16
    height = top * 2 + row_h * max(len(bars), 1)
    biggest = max((sum(v for v, _c, _t in b.parts) for b in bars), default=0) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{_e(title)}" font-size="13">',
        f"<title>{_e(title)}</title>",
    ]
    for n, bar in enumerate(bars):
        y = top + n * row_h
        out.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{_e(bar.label)}</text>'
        )
        x = float(label_width)
        for value, colour, tip in bar.parts:
            if value <= 0:
                continue
            w = plot_w * value / biggest
            out.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row_h - 8}"'
                f' fill="{colour}"><title>{_e(tip)}</title></rect>'
            )
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}" fill="#52606d">{_e(bar.caption)}</text>')
    out.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - top}"'
        ' stroke="#9aa5b1"/>'
    )
    out.append("</svg>")
    return "".join(out)


def _legend(items: Sequence[tuple[str, str]]) -> str:
    spans = "".join(f'<span><i style="background:{c}"></i>{_e(t)}</span>' for t, c in items)
    return f'<div class="legenda">{spans}</div>'


def build_html(data: KabupatenYear, stamp: str) -> str:
    title = f"Pemantauan Musrenbang {data.kabupaten} Tahun {data.tahun}"
    summary = dict(ringkasan(data))
    n_desa = len(data.desa) or 1
    cards = [
        ("Desa/Kelurahan", angka(summary["Desa/Kelurahan"])),
        ("Sudah kirim", f"{angka(summary['Sudah kirim'])} ({summary['Sudah kirim'] * 100 // n_desa}%)"),
        ("Terlambat kirim", angka(summary["Terlambat kirim"])),
        ("Lewat batas, belum kirim", angka(summary["Lewat batas, belum kirim"])),
        ("Dokumen lengkap", angka(summary["Dokumen lengkap"])),
        ("Usulan", angka(summary["Usulan"])),
        ("Diterima", angka(summary["Usulan diterima"])),
        ("Ditolak", angka(summary["Usulan ditolak"])),
        ("Belum diputuskan", angka(summary["Usulan belum diputuskan"])),
        ("Total biaya diterima", rupiah(summary["Total biaya diterima (Rp)"])),
    ]  # fmt: skip
    card_html = "".join(
        f'<div class="k"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for k, v in cards
    )

    per_tahap = Counter(d.tahap for d in data.desa)
    tahap_chart = svg_bars(
        [
            Bar(name, [(per_tahap[name], TAHAP_WARNA[name], f"{name}: {per_tahap[name]}")],
                f"{per_tahap[name]} desa/kelurahan")
            for name in TAHAP_PEMANTAUAN
        ],
        title="Desa/kelurahan per tahap",
    )  # fmt: skip

    kec_bars = []
    for kec, desa, _t in data.per_kecamatan():
        sent = sum(1 for d in desa if d.dikirim)
        rest = len(desa) - sent
        kec_bars.append(
            Bar(
                kec.nama,
                [(sent, WARNA_KIRIM, f"{kec.nama}: {sent} sudah kirim"),
                 (rest, WARNA_BELUM, f"{kec.nama}: {rest} belum kirim")],
                f"{sent} dari {len(desa)} sudah kirim",
            )
        )  # fmt: skip
    kec_chart = svg_bars(kec_bars, title="Pengiriman per kecamatan")

    bidang_chart = svg_bars(
        [
            Bar(b, [(t.biaya_diterima, WARNA_BIAYA, f"{b}: {rupiah(t.biaya_diterima)}")],
                rupiah(t.biaya_diterima))
            for b, t in data.per_bidang()
        ],
        title="Perkiraan biaya diterima per bidang",
        label_width=450,
    )  # fmt: skip

    head = "".join(f"<th>{_e(label)}</th>" for label, _w, _f in PEMANTAUAN_COLUMNS)
    body = []
    for d in data.desa:
        cls = "ya" if d.terlambat == "ya" else "lewat" if d.terlambat == LEWAT_BATAS else ""
        dates = [d.tanggal_musrenbang, d.batas_kirim, d.tanggal_kirim]
        cells = [
            f"<td>{_e(d.desa.kode)}</td>",
            f"<td>{_e(d.desa.nama)}</td>",
            f"<td>{_e(d.kecamatan.nama)}</td>",
            f'<td data-v="{TAHAP_PEMANTAUAN.index(d.tahap) if d.tahap in TAHAP_PEMANTAUAN else 9}">'
            f"{_e(d.tahap)}</td>",
            *(
                f'<td class="d" data-v="{_e(x.isoformat() if x else "")}">{_e(tanggal(x))}</td>'
                for x in dates
            ),
            f'<td class="t">{_e(d.terlambat)}</td>',
            f"<td>{'ya' if d.dokumen_lengkap else 'tidak'}</td>",
            f"<td>{_e(_kurang(d))}</td>",
            f'<td class="n">{d.usulan}</td>',
            f'<td class="n">{d.diterima}</td>',
            f'<td class="n">{d.ditolak}</td>',
            f'<td class="n" data-v="{d.biaya_diterima}">{_e(rupiah(d.biaya_diterima))}</td>',
        ]
        body.append(f'<tr class="{cls}">' + "".join(cells) + "</tr>")
    t = data.total()
    foot = (
        f'<tr><td colspan="10">Jumlah ({len(data.desa)} desa/kelurahan)</td>'
        f'<td class="n">{t.usulan}</td><td class="n">{t.diterima}</td>'
        f'<td class="n">{t.ditolak}</td><td class="n">{_e(rupiah(t.biaya_diterima))}</td></tr>'
    )
    tahap_legend = _legend([(n, TAHAP_WARNA[n]) for n in TAHAP_PEMANTAUAN])
    kirim_legend = _legend([("Sudah kirim", WARNA_KIRIM), ("Belum kirim", WARNA_BELUM)])
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{_e(title)}</h1>
<p class="waktu">Keadaan {_e(stamp)}. Halaman ini dibuat ulang setiap kali pipeline berjalan.</p>
<div class="kartu">{card_html}</div>
<h2>Desa/kelurahan per tahap</h2>
<div class="grafik">{tahap_legend}{tahap_chart}</div>
<h2>Pengiriman per kecamatan</h2>
<div class="grafik">{kirim_legend}{kec_chart}</div>
<h2>Perkiraan biaya diterima per bidang</h2>
<div class="grafik">{bidang_chart}</div>
<h2>Per desa/kelurahan</h2>
<p class="catatan">{_e(CATATAN_DOKUMEN)} {_e(CATATAN_TERLAMBAT)} Klik judul kolom untuk mengurutkan.</p>
<div class="tabel"><table class="urut">
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
<tfoot>{foot}</tfoot>
</table></div>
<script>{SORT_JS}</script>
</body>
</html>
"""


# ----------------------------------------------------------------------------- entry point

# Bump when the Rekap workbook's layout changes, so existing files are rewritten.
REKAP_FORMAT = 5
_IDENTIFIER = re.compile(r"<dc:identifier[^>]*>([^<]*)</dc:identifier>")


def rekap_digest(data: KabupatenYear, settings: Settings) -> str:
    """A fingerprint of everything the Rekap workbook shows (not the time it was made)."""
    h = hashlib.sha256()
    head = [
        REKAP_FORMAT,
        data.tahun,
        data.kabupaten,
        settings.pdf.ukuran_kertas,
        [(k.kode, k.nama) for k in data.kecamatan],
        [(d.desa.kode, d.desa.nama, d.kecamatan.kode, d.tahap) for d in data.desa],
    ]
    h.update(json.dumps(head, ensure_ascii=False).encode())
    for line in data.usulan:
        h.update(f"\n{line.desa.kode}|{line.tahap}|".encode())
        h.update(line.usulan.model_dump_json().encode())
    return "sha256:" + h.hexdigest()


def stored_digest(path: Path) -> str | None:
    """The fingerprint kept in an existing workbook's properties (dc:identifier), if any."""
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = _IDENTIFIER.search(core)
    return found.group(1) if found else None


def write_kabupaten_reports(
    ws: Workspace,
    settings: Settings,
    wilayah: WilayahList,
    ledger: Ledger,
    *,
    now: dt.datetime,
) -> list[Path]:
    """Write the Rekap Usulan and Pemantauan of every year with data; returns their paths.

    The Pemantauan (xlsx and html) is rewritten every time: it shows the time and what is
    late as of `now`. The Rekap is the costly one (a row per usulan), so it is rewritten only
    when what it shows has changed (its fingerprint is kept in the workbook's properties);
    an unchanged Rekap is still in the returned list, since it is up to date.
    """
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    stamp = _stamp(now, tz)
    written: list[Path] = []
    for data in collect(settings, wilayah, ledger, now=now):
        rekap_path = ws.outbox / rekap_name(settings, data.tahun)
        digest = rekap_digest(data, settings)
        if stored_digest(rekap_path) != digest:
            rekap = build_rekap(data, settings, stamp)
            rekap.properties.identifier = digest
            write_with(rekap_path, rekap.save)
        written.append(rekap_path)
        stem = pemantauan_stem(settings, data.tahun)
        pantau = build_pemantauan(data, settings, stamp)
        written.append(write_with(ws.outbox / f"{stem}.xlsx", pantau.save))
        written.append(write_text(ws.outbox / f"{stem}.html", build_html(data, stamp)))
    return written
