"""Kabupaten outputs written after every pass: the Rekap Usulan and the Pemantauan (monitoring).

For every planning year with ledger data, three files at the top of outbox/:

- `Rekap Usulan Musrenbang <Kabupaten> <Tahun>.xlsx`: per kecamatan, per bidang, per OPD
  tujuan, and every usulan, with totals as numbers;
- `Pemantauan Musrenbang <Kabupaten> <Tahun>.xlsx` and `.html`: per desa of the region list
  (also those that have not started) its stage, dates, lateness, signed scans and decisions,
  with a summary. The page is pemantauan_html.py's (self-contained, opens from disk).

What they show is read from the ledger once (data.py); writing the cells with openpyxl is
most of the few seconds a kabupaten of ~300 desa and ~12,000 usulan costs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import textwrap
import zipfile
from collections.abc import Iterable, Sequence
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
from pipeline.core.standard import UsulanColumn
from pipeline.core.wilayah import WilayahList
from pipeline.core.workspace import Workspace, safe_name
from pipeline.desa.kompilasi_xlsx import agreed_values
from pipeline.documents.formatting import tanggal
from pipeline.documents.xlsx_style import (
    BOLD,
    BORDER,
    HEADER_FILL,
    TITLE_FONT,
    TOTAL_FILL,
    USULAN_RINCIAN,
    WRAP_CENTER,
    Column,
    mark_jejak,
    print_setup,
)
from pipeline.kabupaten.data import (
    BELUM_MENGIRIM,
    BELUM_MULAI,
    BIDANG_KOSONG,
    CATATAN_DOKUMEN,
    CATATAN_TERLAMBAT,
    COUNT_FORMAT,
    LEWAT_BATAS,
    PEMANTAUAN_COLUMNS,
    PINDAIAN_SINGKAT,
    RUPIAH_FORMAT,
    TAHAP_PEMANTAUAN,
    DesaStatus,
    KabupatenYear,
    Tally,
    UsulanLine,
    angka_pantau,
    collect,
    kurang,
    ringkasan,
)
from pipeline.kabupaten.pemantauan_html import DIGEST_SLOT, build_html
from pipeline.kecamatan.ringkasan import JENIS_UPT
from pipeline.ledger.jejak import kabupaten_jejak, kecamatan_jejak
from pipeline.ledger.store import Ledger

__all__ = [  # the data names are re-exported for callers of the reports
    "BELUM_MULAI", "BIDANG_KOSONG", "LEWAT_BATAS", "PINDAIAN_SINGKAT", "TAHAP_PEMANTAUAN",
    "DesaStatus", "KabupatenYear", "Tally", "UsulanLine", "collect", "ringkasan",
    "build_rekap", "build_pemantauan", "write_kabupaten_reports",
]  # fmt: skip

HEADER_ROW = 4
MIN_PRINT_WIDTH = 100  # characters (column width units) a printed page covers at least
DEFAULT_WIDTH = 8.43  # Excel's width of a column not sized


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
    ("Usulan", 14, COUNT_FORMAT),
    ("Diterima", 10, COUNT_FORMAT),
    ("Ditolak", 10, COUNT_FORMAT),
    ("Belum Diputuskan", 12, COUNT_FORMAT),
    ("Perkiraan Biaya Diterima (Rp)", 22, RUPIAH_FORMAT),
    ("Tahap Kecamatan", 14, None),
    ("Jejak Data", 15, None),  # the kecamatan's ledger state counted (ledger/jejak.py)
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
    ("Tahap", 16, None),
    *USULAN_RINCIAN,
    ("OPD Tujuan", 28, None),
]
SHEET_KECAMATAN = "Per Kecamatan"
SHEET_BIDANG = "Per Bidang"
SHEET_OPD = "Per OPD Tujuan"
SHEET_USULAN = "Usulan"
CATATAN_KEPUTUSAN = (
    "Sejak tahap Rekap kecamatan: keputusan Musrenbang Kecamatan, sama dengan Rekap yang "
    "ditandatangani Camat; sebelumnya keputusan desa/kelurahan yang sudah mengirim. "
    "Biaya diterima = nilai disepakati. 'belum mengirim' bukan nol."
)
CATATAN_OPD = (
    "Catatan: OPD Tujuan ditetapkan pada Musrenbang Kecamatan (buku kerja kecamatan); usulan "
    "yang belum diputuskan kecamatan tercatat '(belum ditentukan)'."
)


def rekap_name(settings: Settings, tahun: int) -> str:
    return safe_name(f"Rekap Usulan Musrenbang {settings.kabupaten.nama} {tahun}") + ".xlsx"


def pemantauan_stem(settings: Settings, tahun: int) -> str:
    return safe_name(f"Pemantauan Musrenbang {settings.kabupaten.nama} {tahun}")


def _figures(t: Tally | None) -> list[object]:
    """Usulan, Diterima, Ditolak, Belum, Biaya of a kecamatan; `belum mengirim` when none."""
    if t is None:
        return [BELUM_MENGIRIM, None, None, None, None]
    return [t.jumlah, t.disepakati, t.ditolak, t.belum, t.biaya_disepakati]


def _bidang_figures(t: Tally) -> list[int]:
    return [t.jumlah, t.disepakati, t.ditolak, t.biaya_disepakati]


def build_rekap(
    data: KabupatenYear, settings: Settings, stamp: str, jejak: dict[str, str] | None = None
) -> Workbook:
    """The Rekap workbook; `jejak`: kecamatan kode -> the jejak of its data counted."""
    jejak = jejak or {}
    wb = _new_workbook()
    title = f"REKAP USULAN MUSRENBANG {data.kabupaten.upper()} TAHUN RENCANA {data.tahun}"
    sub = f"Dibuat {stamp}."

    t = data.total()
    rows: list[list[object]] = []
    sent_total = 0
    stages = {k.kecamatan.kode: k.tahap for k in data.kecamatan_status}
    for kec, desa, figures in data.per_kecamatan():
        sent = sum(1 for d in desa if d.dikirim)
        sent_total += sent
        stage = stages.get(kec.kode)
        rows.append([kec.kode, kec.nama, len(desa), sent, *_figures(figures),
                     stage.value if stage else BELUM_MULAI, jejak.get(kec.kode)])  # fmt: skip
    _sheet(
        wb, SHEET_KECAMATAN, [title, sub, CATATAN_KEPUTUSAN], KECAMATAN_COLUMNS, rows,
        settings, total=["JUMLAH", None, len(data.desa), sent_total, *_figures(t), None, None],
    )  # fmt: skip

    per_bidang = data.per_bidang()
    _sheet(
        wb, SHEET_BIDANG, [title, sub], BIDANG_COLUMNS,
        [[b, *_bidang_figures(bt)] for b, bt in per_bidang], settings,
        total=["JUMLAH", *_bidang_figures(t)],
    )  # fmt: skip

    opd = [[name, *_bidang_figures(ot)] for name, ot in data.per_opd()]
    _sheet(
        wb, SHEET_OPD, [title, sub], OPD_COLUMNS, opd, settings,
        total=["JUMLAH", *_bidang_figures(t)], notes=[CATATAN_OPD],
    )  # fmt: skip

    def usulan_rows() -> Iterable[list[object]]:
        for line in data.usulan:
            u = line.usulan
            yield [
                u.kode_usulan, line.kecamatan.nama, line.desa.nama if line.desa else None,
                line.tahap, u.asal, u.bidang, u.kegiatan, u.lokasi, _number(u.volume),
                u.satuan, u.biaya, u.sumber_dana, u.prioritas,
                u.keputusan.value if u.keputusan else None, u.catatan, *agreed_values(u),
                u.opd_tujuan,
            ]  # fmt: skip

    labels = [label for label, _w, _f in USULAN_COLUMNS]
    total_row: list[object] = [None] * len(USULAN_COLUMNS)
    total_row[0] = f"JUMLAH DISEPAKATI ({t.disepakati} dari {t.jumlah} usulan)"
    total_row[labels.index(UsulanColumn.BIAYA.value)] = t.biaya_semula
    total_row[labels.index(UsulanColumn.BIAYA_DISEPAKATI.value)] = t.biaya_disepakati
    _sheet(wb, SHEET_USULAN, [title, sub], USULAN_COLUMNS, usulan_rows(), settings, total=total_row)
    return wb


# ----------------------------------------------------------------------------- pemantauan

SHEET_RINGKASAN = "Ringkasan"
SHEET_PER_DESA = "Per Desa"


def build_pemantauan(data: KabupatenYear, settings: Settings, stamp: str) -> Workbook:
    wb = _new_workbook()
    title = f"PEMANTAUAN MUSRENBANG {data.kabupaten.upper()} TAHUN RENCANA {data.tahun}"
    sub = f"Keadaan {stamp}"
    summary, rows, total = _pemantauan_rows(data)
    _sheet(
        wb, SHEET_RINGKASAN, [title, sub], [("Uraian", 34, None), ("Jumlah", 20, COUNT_FORMAT)],
        summary, settings, notes=[CATATAN_DOKUMEN, CATATAN_TERLAMBAT],
    )  # fmt: skip
    _sheet(
        wb, SHEET_PER_DESA, [title, sub], PEMANTAUAN_COLUMNS, rows, settings, total=total,
        notes=[CATATAN_DOKUMEN, CATATAN_TERLAMBAT],
    )  # fmt: skip
    return wb


def _pemantauan_rows(
    data: KabupatenYear,
) -> tuple[list[tuple[str, int]], list[list[object]], list[object]]:
    """The Pemantauan workbook's values: summary rows, a row per desa (and UPT line), total."""
    rows = [
        [d.desa.kode, d.desa.nama, d.kecamatan.nama, d.tahap, d.tanggal_musrenbang,
         d.batas_kirim, d.tanggal_kirim, d.terlambat, "ya" if d.dokumen_lengkap else "tidak",
         kurang(d), *angka_pantau(d.angka)]
        for d in data.desa
    ]  # fmt: skip
    # the usulan a kecamatan added (UPT/instansi): a line of their own, so the lines add up
    rows += [
        [k.kecamatan.kode, f"{JENIS_UPT} (Kecamatan {k.kecamatan.nama})", k.kecamatan.nama,
         f"{k.tahap} (kecamatan)" if k.tahap else None, None, None, None, None, None, None,
         *angka_pantau(k.upt)]
        for k in data.upt()
    ]  # fmt: skip
    total: list[object] = [None] * len(PEMANTAUAN_COLUMNS)
    total[0] = "JUMLAH"
    total[1] = f"{len(data.desa)} desa/kelurahan"
    total[10:14] = angka_pantau(data.total())
    return ringkasan(data), rows, total


# ----------------------------------------------------------------------------- entry point

# Bump when the Rekap (Pemantauan) workbook's layout changes, so existing files are rewritten.
REKAP_FORMAT = 6
PEMANTAUAN_FORMAT = 1
_IDENTIFIER = re.compile(r"<dc:identifier[^>]*>([^<]*)</dc:identifier>")


def rekap_digest(data: KabupatenYear, settings: Settings, jejak: str = "") -> str:
    """A fingerprint of everything the Rekap workbook shows (not the time it was made), its
    jejak (the kabupaten's, from the kecamatan's) with it."""
    h = hashlib.sha256()
    head = [
        REKAP_FORMAT,
        jejak,
        data.tahun,
        data.kabupaten,
        settings.pdf.ukuran_kertas,
        [(k.kode, k.nama) for k in data.kecamatan],
        [(d.desa.kode, d.desa.nama, d.kecamatan.kode, d.tahap, d.angka is None)
         for d in data.desa],
        [(k.kecamatan.kode, k.tahap, k.angka is None) for k in data.kecamatan_status],
    ]  # fmt: skip
    h.update(json.dumps(head, ensure_ascii=False).encode())
    for line in data.usulan:
        desa = line.desa.kode if line.desa else ""
        h.update(f"\n{line.kecamatan.kode}|{desa}|{line.tahap}|{line.oleh}|".encode())
        h.update(line.usulan.model_dump_json().encode())
    return "sha256:" + h.hexdigest()


def pemantauan_digest(data: KabupatenYear, settings: Settings, jejak: str, page: str) -> str:
    """A fingerprint of what the Pemantauan shows (workbook values and the page, which tells
    what is late as of today), without the time it was made (`page` has its stamp removed)."""
    summary, rows, total = _pemantauan_rows(data)
    head = [PEMANTAUAN_FORMAT, jejak, data.tahun, data.kabupaten, settings.pdf.ukuran_kertas]
    values = json.dumps([head, summary, rows, total], ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(f"{values}\n{page}".encode()).hexdigest()


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

    Each is rewritten only when what it shows has changed (its fingerprint is kept in the
    workbook's properties, and in the page): the Rekap when the ledger's data did; the
    Pemantauan (xlsx and html) also when the day changed, since it shows what is late as of
    today. A pass that changed nothing rewrites nothing (the time stamp in them is the time
    of the last change); an unchanged file is still in the returned list, it is up to date.
    """
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    stamp = _stamp(now, tz)
    written: list[Path] = []
    for data in collect(settings, wilayah, ledger, now=now):
        kab = settings.kabupaten.kode
        per_kecamatan = kecamatan_jejak(ledger.db, kab, data.tahun)
        jejak = kabupaten_jejak(per_kecamatan, kab, data.tahun)
        rekap_path = ws.outbox / rekap_name(settings, data.tahun)
        digest = rekap_digest(data, settings, jejak)
        if stored_digest(rekap_path) != digest:
            rekap = build_rekap(data, settings, stamp, per_kecamatan)
            rekap.properties.identifier = digest
            mark_jejak(rekap, jejak)
            write_with(rekap_path, rekap.save)
        written.append(rekap_path)
        stem = pemantauan_stem(settings, data.tahun)
        xlsx_path, html_path = ws.outbox / f"{stem}.xlsx", ws.outbox / f"{stem}.html"
        today = (now.astimezone(tz) if now.tzinfo else now).date()
        page = build_html(data, stamp, today, jejak)
        digest = pemantauan_digest(data, settings, jejak, page.replace(stamp, ""))
        if stored_digest(xlsx_path) != digest or not _page_has(html_path, digest):
            pantau = build_pemantauan(data, settings, stamp)
            pantau.properties.identifier = digest
            mark_jejak(pantau, jejak)
            write_with(xlsx_path, pantau.save)
            write_text(html_path, page.replace(DIGEST_SLOT, digest, 1))
        written += [xlsx_path, html_path]
    return written


def _page_has(path: Path, digest: str) -> bool:
    try:
        return f'content="{digest}"' in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
