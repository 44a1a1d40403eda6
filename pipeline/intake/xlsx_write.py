"""Write the Buku Kerja Musrenbang Desa (spec/workbooks.md) and mark issues on workbooks.

`write_desa_workbook` writes the issued / current workbook: sheets Petunjuk, Identitas,
Peserta, Usulan and the hidden Daftar (dropdown lists), with dropdowns, number formats,
frozen headers and sheet protection that locks the labels and the pre-filled identity values
only. `mark_issues_on_copy` writes the "(perbaiki)" copy of a rejected workbook: the
operator's own file with every issue marked on its cell.

Layout of the written workbook (other modules and tests may rely on these constants):
- Identitas: row 1 holds the column titles, labels are in A2:A16 in standard order, values
  in column B, a hint in column C.
- Peserta and Usulan: a title in row 1, the header in row HEADER_ROW (2), data from
  FIRST_DATA_ROW (3), standard columns in standard order from column A. Whole columns are
  unlocked and formatted by column style (however many rows the operator adds); the first
  INPUT_ROWS rows also get explicit cells for programs that ignore column styles; dropdowns
  cover DROPDOWN_ROWS rows.

Sheet protection has no password (Review > Unprotect Sheet lifts it): it is a guard against
slips, not security; the ledger and the folder binding are the real guard. On Peserta and
Usulan the operator may insert/delete rows, format, sort and filter.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Collection, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.atomic import write_with
from pipeline.core.models import (
    IdentitasDesa,
    IdentitasKecamatan,
    JadwalDesa,
    Peserta,
    RawWorkbook,
    Usulan,
    UsulanKecamatan,
    Wilayah,
)
from pipeline.core.report import Issue, Severity
from pipeline.core.standard import (
    BIDANG,
    IDENTITAS_LABELS,
    IDENTITAS_PREFILLED,
    JADWAL_COLUMNS,
    KECAMATAN_IDENTITAS_LABELS,
    KECAMATAN_USULAN_COLUMNS,
    PESERTA_COLUMNS,
    SHEET_DAFTAR,
    SHEET_IDENTITAS,
    SHEET_JADWAL,
    SHEET_PESERTA,
    SHEET_PETUNJUK,
    SHEET_USULAN,
    SUMBER_DANA,
    UNSUR,
    USULAN_COLUMNS,
    IdentitasField,
    Keputusan,
    Tahap,
    TahapKecamatan,
    UsulanColumn,
    normalise,
)

HEADER_ROW = 2
FIRST_DATA_ROW = 3
IDENTITAS_FIRST_ROW = 2
INPUT_ROWS = 300  # rows below the header given explicit unlocked, formatted cells
DROPDOWN_ROWS = 500  # rows carrying dropdowns below the header
SHEET_MASALAH = "Daftar Masalah"  # issue list added to marked copies
AUTHOR = "Musrenbang"
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")

ERROR_RGB = "FFC7CE"
WARNING_RGB = "FFEB9C"
HEADER_RGB = "DDEBF7"
PREFILLED_RGB = "EDEDED"
RUPIAH_FORMAT = '"Rp "#,##0'
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"

_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_HEADER_FILL = PatternFill("solid", fgColor=HEADER_RGB)
_PREFILLED_FILL = PatternFill("solid", fgColor=PREFILLED_RGB)

# Dropdown lists on the hidden Daftar sheet: title -> values (one column each, A, B, ...).
DAFTAR: dict[str, list[str]] = {
    "Tahap": [t.value for t in Tahap],
    "Bidang": BIDANG,
    "Sumber Dana": SUMBER_DANA,
    "Keputusan": [k.value for k in Keputusan],
    "Jenis Kelamin": ["L", "P"],
    "Unsur": UNSUR,
}

USULAN_WIDTHS: dict[str, float] = {
    "No": 5,
    "Kode Usulan": 25,
    "Asal Usulan": 18,
    "Bidang": 32,
    "Kegiatan": 42,
    "Lokasi": 22,
    "Volume": 9,
    "Satuan": 10,
    "Perkiraan Biaya (Rp)": 18,
    "Sumber Dana": 16,
    "Penerima Manfaat L": 11,
    "Penerima Manfaat P": 11,
    "Penerima Manfaat RTM": 12,
    "Prioritas": 9,
    "Keputusan": 22,
    "Catatan Keputusan": 40,
}
PESERTA_WIDTHS: dict[str, float] = {
    "No": 5,
    "Nama": 30,
    "Jenis Kelamin": 10,
    "Unsur": 26,
    "Jabatan/Lembaga": 26,
    "Alamat": 30,
    "No. HP": 16,
}
# Number formats per column; text columns keep leading zeros and long digit strings.
USULAN_FORMATS: dict[str, str] = {
    "No": "0",
    "Kode Usulan": TEXT_FORMAT,
    "Perkiraan Biaya (Rp)": RUPIAH_FORMAT,
    "Penerima Manfaat L": "#,##0",
    "Penerima Manfaat P": "#,##0",
    "Penerima Manfaat RTM": "#,##0",
    "Prioritas": "0",
}
PESERTA_FORMATS: dict[str, str] = {"No": "0", "No. HP": TEXT_FORMAT}
USULAN_DROPDOWNS = {"Bidang": "Bidang", "Sumber Dana": "Sumber Dana", "Keputusan": "Keputusan"}
PESERTA_DROPDOWNS = {"Jenis Kelamin": "Jenis Kelamin", "Unsur": "Unsur"}

IDENTITAS_HINTS: dict[str, str] = {
    IdentitasField.KODE: "Diisi sistem; jangan diubah.",
    IdentitasField.NAMA: "Diisi sistem; jangan diubah.",
    IdentitasField.KECAMATAN: "Diisi sistem; jangan diubah.",
    IdentitasField.TAHUN: "Tahun RKP Desa yang direncanakan; diisi sistem.",
    IdentitasField.TAHAP: "Pilih: Persiapan, Pelaksanaan, Verifikasi atau Kirim.",
    IdentitasField.TANGGAL: "Wajib sejak Persiapan. Tanggal, contoh 13/01/2026.",
    IdentitasField.JAM: "Wajib sejak Persiapan. Contoh 09.00.",
    IdentitasField.TEMPAT: "Wajib sejak Persiapan, contoh Balai Desa.",
    IdentitasField.ALAMAT: "Wajib sejak Persiapan.",
    IdentitasField.KEPALA: "Wajib sejak Persiapan.",
    IdentitasField.NIP_KEPALA: "Boleh kosong. 18 angka, ditulis sebagai teks.",
    IdentitasField.PIMPINAN: "Wajib sejak Verifikasi.",
    IdentitasField.NOTULEN: "Wajib sejak Verifikasi.",
    IdentitasField.PESERTA_L: "Wajib sejak Verifikasi. Angka bulat.",
    IdentitasField.PESERTA_P: "Wajib sejak Verifikasi. Angka bulat.",
}

PETUNJUK: list[str] = [
    "PETUNJUK PENGISIAN BUKU KERJA MUSRENBANG DESA/KELURAHAN",
    "",
    "Buku kerja ini dibaca otomatis. Jangan mengganti nama lembar dan judul kolom. "
    "Simpan selalu sebagai .xlsx (bukan .xls, .ods atau .csv).",
    "",
    "1. Lembar Identitas",
    "   Isi kolom B. Kode, Nama Desa/Kelurahan, Kecamatan dan Tahun Rencana sudah diisi sistem "
    "dan dikunci; jangan diubah.",
    "   Tahap dipilih dari daftar. Kebutuhan setiap tahap:",
    "   - Persiapan: Tanggal Musrenbang, Jam Mulai, Tempat, Alamat, Nama Kepala Desa/Lurah.",
    "   - Pelaksanaan: sama dengan Persiapan; usulan mulai dicatat di lembar Usulan.",
    "   - Verifikasi: minimal satu usulan; setiap usulan diberi Keputusan; Prioritas untuk "
    "usulan yang diterima; Pimpinan Rapat, Notulen, Jumlah Peserta Laki-laki dan Perempuan.",
    "   - Kirim: semua syarat Verifikasi, ditambah pindaian Berita Acara dan Daftar Hadir yang "
    "sudah ditandatangani (taruh di folder pindaian/berita-acara dan pindaian/daftar-hadir).",
    "   Batas pengiriman ke kecamatan: 5 hari kerja setelah Tanggal Musrenbang (kecuali "
    "kabupaten menetapkan lain).",
    "",
    "2. Lembar Peserta",
    "   Satu baris per peserta: Nama, Jenis Kelamin (L/P), Unsur (pilih dari daftar), "
    "Jabatan/Lembaga, Alamat, No. HP. Kolom No diisi sistem. Boleh kosong; daftar hadir lalu "
    "dicetak dengan baris kosong.",
    "",
    "3. Lembar Usulan",
    "   Satu baris per usulan. Kolom No diisi sistem.",
    "   - Kode Usulan: biarkan kosong untuk usulan baru; sistem mengisinya. Kode yang sudah ada "
    "JANGAN diubah atau dihapus.",
    "   - Usulan yang sudah tercatat tidak boleh dihapus. Jika tidak disetujui, pilih Keputusan "
    "Ditolak dan tulis alasannya di Catatan Keputusan.",
    "   - Diterima dengan Revisi juga perlu Catatan Keputusan (apa yang diubah).",
    "   - Prioritas: angka bulat 1, 2, 3, ... tidak boleh sama di antara usulan yang diterima.",
    "   - Bidang, Sumber Dana dan Keputusan dipilih dari daftar.",
    "",
    "4. Cara menulis angka dan tanggal",
    "   - Perkiraan Biaya: rupiah bulat, contoh 15000000 atau 15.000.000 (bukan '15 jt').",
    "   - Volume: angka, contoh 250 atau 1,5 (koma untuk desimal).",
    "   - Tanggal: contoh 13/01/2026 atau 13 Januari 2026. Jam: contoh 09.00.",
    "   - NIP dan No. HP ditulis sebagai teks agar angka 0 di depan tidak hilang.",
    "",
    "5. Mengirim",
    "   Simpan buku kerja, lalu taruh di folder inbox desa Anda. Tanda terima muncul di folder "
    "outbox/tanda-terima. Jika ditolak, buka salinan '(perbaiki)' di outbox: setiap masalah "
    "ditandai warna dan komentar pada selnya (merah = kesalahan, kuning = peringatan).",
]


# ----------------------------------------------------------------------------- small helpers


_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def _clean_text(value: str) -> str:
    """No control or bidi characters, and text that looks like Excel's `_xHHHH_` escape is
    written escaped itself (`_x005F_xHHHH_`), so Excel shows it instead of decoding it."""
    value = _BIDI.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
    return _LOOKS_ESCAPED.sub(r"_x005F_\1", value) if "_x" in value else value


def put(cell: Cell, value: Any) -> None:
    """Write `value` into `cell` as data: text never becomes a formula, Decimal a number."""
    if value is None:
        cell.value = None
        return
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        value = _clean_text(value)
        cell.value = value
        cell.data_type = "s"  # '=SUM(..)' typed by an operator stays text
        return
    if isinstance(value, (bool, int, float, dt.datetime, dt.date, dt.time)):
        cell.value = value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            cell.number_format = DATE_FORMAT
        return
    cell.value = _clean_text(str(value))
    cell.data_type = "s"


# ----------------------------------------------------------------------------- sheets


def _petunjuk(ws: Worksheet, lines: list[str]) -> None:
    ws.column_dimensions["A"].width = 120
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1)
        put(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1 or (line[:2].rstrip(".").isdigit() and not line.startswith(" ")):
            cell.font = _TITLE if i == 1 else _BOLD
    _protect(ws)


def _protect(ws: Worksheet, rows: bool = False) -> None:
    """Protect the sheet without password; formatting is always allowed, and with `rows`
    also inserting/deleting rows, sorting and filtering (openpyxl flags: True = forbidden)."""
    p = ws.protection
    p.sheet = True
    p.formatCells = False
    p.formatColumns = False
    p.formatRows = False
    if rows:
        p.insertRows = False
        p.deleteRows = False
        p.sort = False
        p.autoFilter = False


def _daftar(ws: Worksheet, lists: dict[str, list[str]]) -> dict[str, str]:
    """Fill the hidden list sheet with `lists`; return list title -> absolute range reference."""
    for col, (title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        put(ws.cell(row=1, column=col), title)
        for r, value in enumerate(values, start=2):
            put(ws.cell(row=r, column=col), value)
        ws.column_dimensions[letter].width = 40
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return _list_refs(ws.title, lists)


def _list_refs(sheet: str, lists: dict[str, list[str]]) -> dict[str, str]:
    """List title -> absolute range of its values on the list sheet `sheet`."""
    quoted = sheet if sheet.isalnum() else f"'{sheet}'"
    refs: dict[str, str] = {}
    for col, (title, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        refs[title] = f"{quoted}!${letter}$2:${letter}${len(values) + 1}"
    return refs


def _dropdown(ws: Worksheet, ref: str, cells: str, title: str) -> None:
    dv = DataValidation(
        type="list",
        formula1=ref,
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the arrow
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=title,
        error=f"Pilih {title} dari daftar.",
        promptTitle=title,
        prompt=f"Pilih {title} dari daftar.",
        showInputMessage=False,
    )
    dv.add(cells)
    ws.add_data_validation(dv)


@dataclass(frozen=True)
class _IdentitasLayout:
    """The labels of an Identitas sheet (in order) and how their values are written."""

    labels: list[str]
    prefilled: Collection[str]  # locked and greyed
    hints: dict[str, str]
    text: Collection[str]  # written as text (leading zeros kept)
    dates: Collection[str]
    numbers: Collection[str]


_DESA_IDENTITAS = _IdentitasLayout(
    labels=IDENTITAS_LABELS,
    prefilled=IDENTITAS_PREFILLED,
    hints=IDENTITAS_HINTS,
    text=(IdentitasField.NIP_KEPALA, IdentitasField.JAM, IdentitasField.KODE),
    dates=(IdentitasField.TANGGAL,),
    numbers=(IdentitasField.PESERTA_L, IdentitasField.PESERTA_P, IdentitasField.TAHUN),
)


def _identitas(
    ws: Worksheet, refs: dict[str, str], values: dict[str, Any], layout: _IdentitasLayout
) -> dict[str, int]:
    """Write labels, values and hints; return label -> row."""
    for col, title in enumerate(("Isian", "Nilai", "Keterangan"), start=1):
        cell = ws.cell(row=1, column=col)
        put(cell, title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    rows: dict[str, int] = {}
    for i, label in enumerate(layout.labels):
        r = IDENTITAS_FIRST_ROW + i
        rows[label] = r
        put(ws.cell(row=r, column=1), label)
        ws.cell(row=r, column=1).font = _BOLD
        value_cell = ws.cell(row=r, column=2)
        put(value_cell, values.get(label))
        if label in layout.prefilled:
            value_cell.protection = _LOCKED
            value_cell.fill = _PREFILLED_FILL
        else:
            value_cell.protection = _UNLOCKED
        if label in layout.text:
            value_cell.number_format = TEXT_FORMAT
        elif label in layout.dates:
            value_cell.number_format = DATE_FORMAT
        elif label in layout.numbers:
            value_cell.number_format = "0"
        value_cell.alignment = Alignment(horizontal="left")
        hint = ws.cell(row=r, column=3)
        put(hint, layout.hints.get(label, ""))
        hint.font = Font(italic=True, color="666666")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 55
    ws.freeze_panes = "A2"
    _dropdown(ws, refs["Tahap"], f"B{rows['Tahap']}", "Tahap")
    _protect(ws)
    return rows


def _table(
    ws: Worksheet,
    title: str,
    columns: list[str],
    widths: dict[str, float],
    formats: dict[str, str],
    dropdowns: dict[str, str],
    refs: dict[str, str],
    rows: list[dict[str, Any]],
    freeze: str,
) -> None:
    put(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = _TITLE
    last_input = max(HEADER_ROW + INPUT_ROWS, FIRST_DATA_ROW + len(rows) - 1)
    for col, label in enumerate(columns, start=1):
        letter = get_column_letter(col)
        header = ws.cell(row=HEADER_ROW, column=col)
        put(header, label)
        header.font = _BOLD
        header.fill = _HEADER_FILL
        header.alignment = _HEADER_ALIGN
        header.protection = _LOCKED
        dim = ws.column_dimensions[letter]
        dim.width = widths.get(label, 14)
        # The column style makes every row below editable and formatted, however many rows
        # the operator adds; explicit cells for the first INPUT_ROWS rows cover programs that
        # ignore column styles.
        fmt = formats.get(label)
        dim.protection = _UNLOCKED
        if fmt:
            dim.number_format = fmt
        proto = ws.cell(row=FIRST_DATA_ROW, column=col)
        proto.protection = _UNLOCKED
        if fmt:
            proto.number_format = fmt
        if label in ("Kegiatan", "Catatan Keputusan", "Bidang"):
            proto.alignment = _WRAP_TOP
        style = proto._style
        for r in range(FIRST_DATA_ROW + 1, last_input + 1):
            ws.cell(row=r, column=col)._style = copy(style)
        if label in dropdowns:
            cells = f"{letter}{FIRST_DATA_ROW}:{letter}{HEADER_ROW + DROPDOWN_ROWS}"
            _dropdown(ws, refs[dropdowns[label]], cells, label)
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for col, label in enumerate(columns, start=1):
            put(ws.cell(row=r, column=col), values.get(label))
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.freeze_panes = freeze
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    _protect(ws, rows=True)


def _identitas_values(
    desa: Wilayah,
    kecamatan: Wilayah,
    tahun: int,
    tahap: Tahap | None,
    identitas: IdentitasDesa | None,
) -> dict[str, Any]:
    i = identitas or IdentitasDesa()
    F = IdentitasField
    return {
        F.KODE: desa.kode,
        F.NAMA: desa.nama,
        F.KECAMATAN: kecamatan.nama,
        F.TAHUN: tahun,
        F.TAHAP: tahap.value if tahap else None,
        F.TANGGAL: i.tanggal_musrenbang,
        F.JAM: i.jam_mulai,
        F.TEMPAT: i.tempat,
        F.ALAMAT: i.alamat,
        F.KEPALA: i.nama_kepala,
        F.NIP_KEPALA: i.nip_kepala,
        F.PIMPINAN: i.pimpinan_rapat,
        F.NOTULEN: i.notulen,
        F.PESERTA_L: i.peserta_l,
        F.PESERTA_P: i.peserta_p,
    }


def _usulan_values(n: int, u: Usulan) -> dict[str, Any]:
    C = UsulanColumn
    return {
        C.NO: n,
        C.KODE: u.kode_usulan,
        C.ASAL: u.asal,
        C.BIDANG: u.bidang,
        C.KEGIATAN: u.kegiatan,
        C.LOKASI: u.lokasi,
        C.VOLUME: u.volume,
        C.SATUAN: u.satuan,
        C.BIAYA: u.biaya,
        C.SUMBER_DANA: u.sumber_dana,
        C.PM_L: u.pm_l,
        C.PM_P: u.pm_p,
        C.PM_RTM: u.pm_rtm,
        C.PRIORITAS: u.prioritas,
        C.KEPUTUSAN: u.keputusan.value if u.keputusan else None,
        C.CATATAN: u.catatan,
    }


def _peserta_table(
    ws: Worksheet, title: str, refs: dict[str, str], peserta: Sequence[Peserta]
) -> None:
    """The Peserta sheet, the same in the desa and the kecamatan workbook."""
    _table(
        ws,
        title,
        PESERTA_COLUMNS,
        PESERTA_WIDTHS,
        PESERTA_FORMATS,
        PESERTA_DROPDOWNS,
        refs,
        [_peserta_values(n, p) for n, p in enumerate(peserta, start=1)],
        freeze=f"A{FIRST_DATA_ROW}",
    )


def _peserta_values(n: int, p: Peserta) -> dict[str, Any]:
    return {
        "No": n,
        "Nama": p.nama,
        "Jenis Kelamin": p.jenis_kelamin,
        "Unsur": p.unsur,
        "Jabatan/Lembaga": p.jabatan,
        "Alamat": p.alamat,
        "No. HP": p.no_hp,
    }


# ----------------------------------------------------------------------------- public API


def build_desa_workbook(
    *,
    desa: Wilayah,
    kecamatan: Wilayah,
    tahun: int,
    tahap: Tahap | None,
    identitas: IdentitasDesa | None = None,
    peserta: Sequence[Peserta] = (),
    usulan: Sequence[Usulan] = (),
    issues: Iterable[Issue] = (),
    source: RawWorkbook | None = None,
) -> Workbook:
    """The desa workbook as an openpyxl Workbook, not saved (see write_desa_workbook)."""
    wb, sheets, refs = _new_workbook(
        (SHEET_IDENTITAS, SHEET_PESERTA, SHEET_USULAN), DAFTAR, PETUNJUK
    )
    values = _identitas_values(desa, kecamatan, tahun, tahap, identitas)
    id_rows = _identitas(sheets[SHEET_IDENTITAS], refs, values, _DESA_IDENTITAS)
    level = desa.level_word
    _peserta_table(
        sheets[SHEET_PESERTA],
        f"Daftar Peserta Musrenbang {level} {desa.nama} Tahun Rencana {tahun}",
        refs,
        peserta,
    )
    _table(
        sheets[SHEET_USULAN],
        f"Daftar Usulan Musrenbang {level} {desa.nama} Tahun Rencana {tahun}",
        USULAN_COLUMNS,
        USULAN_WIDTHS,
        USULAN_FORMATS,
        USULAN_DROPDOWNS,
        refs,
        [_usulan_values(n, u) for n, u in enumerate(usulan, start=1)],
        freeze=f"C{FIRST_DATA_ROW}",
    )
    tables: _Tables = {
        SHEET_PESERTA: (PESERTA_COLUMNS, [p.row for p in peserta], "peserta"),
        SHEET_USULAN: (USULAN_COLUMNS, [u.row for u in usulan], "usulan"),
    }
    _finish(wb, sheets, list(issues), _DESA_IDENTITAS, id_rows, tables, source)
    return wb


def _new_workbook(
    sheets: Iterable[str], lists: dict[str, list[str]], petunjuk: list[str]
) -> tuple[Workbook, dict[str, Worksheet], dict[str, str]]:
    """A workbook of Petunjuk, `sheets` (empty, in order) and the hidden Daftar `lists`.

    Returns the workbook, sheet name -> sheet (Petunjuk included) and the list references.
    """
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = SHEET_PETUNJUK
    by_name = {SHEET_PETUNJUK: first, **{name: wb.create_sheet(name) for name in sheets}}
    refs = _daftar(wb.create_sheet(SHEET_DAFTAR), lists)
    _petunjuk(first, petunjuk)
    return wb, by_name, refs


# Table sheet -> (standard columns, `row` of each written model, RawWorkbook attribute).
_Tables = dict[str, tuple[list[str], list[int | None], str]]


def _finish(
    wb: Workbook,
    sheets: dict[str, Worksheet],
    issues: list[Issue],
    layout: _IdentitasLayout,
    id_rows: dict[str, int],
    tables: _Tables,
    source: RawWorkbook | None,
) -> None:
    """Open the workbook on Identitas and mark `issues` (of the dropped workbook) on it."""
    wb.active = 1  # open on Identitas
    sheets[SHEET_PETUNJUK].sheet_view.tabSelected = False
    if issues:
        placed, loose = _place_issues(issues, layout, id_rows, tables, source)
        marked = [(sheets[s], ref, i) for s, ref, i in placed]
        _apply_marks(wb, marked, loose, fallback=sheets[SHEET_IDENTITAS])


def write_desa_workbook(
    target: Path,
    *,
    desa: Wilayah,
    kecamatan: Wilayah,
    tahun: int,
    tahap: Tahap | None,
    identitas: IdentitasDesa | None = None,
    peserta: Sequence[Peserta] = (),
    usulan: Sequence[Usulan] = (),
    issues: Iterable[Issue] = (),
    source: RawWorkbook | None = None,
) -> Path:
    """Write the Buku Kerja Musrenbang Desa to `target` atomically; return `target`.

    Identity values kode/nama/kecamatan/tahun come from `desa`, `kecamatan`, `tahun` (never
    from `identitas`), Tahap from `tahap` (None leaves it blank). Peserta and usulan are
    written in the order given, No renumbered 1..n, Kode Usulan as given.

    `issues` are marked on the written cells. Their cells refer to the *dropped* workbook:
    an Usulan/Peserta issue is moved to the written row of the model whose `row` equals the
    issue's row (models without rows, e.g. from the ledger, are matched to `source`'s data
    rows in order when both have the same number of rows), and to the written column of its label (`issue.column` when it is a standard
    label, else the letter of `issue.cell` looked up in `source`'s header columns). An
    Identitas issue goes to the value cell of its label (from `issue.column`, or from the
    label whose cell in `source` is `issue.cell`). Issues that cannot be placed, and issues
    without a cell, are noted in a comment on A1 of their sheet (Identitas when the sheet is
    unknown). Every issue is also listed on a first sheet "Daftar Masalah" (added only when
    there are issues). When `source` is None and no model carries a `row`, issue cells are
    taken as cells of the written layout.
    """
    wb = build_desa_workbook(
        desa=desa,
        kecamatan=kecamatan,
        tahun=tahun,
        tahap=tahap,
        identitas=identitas,
        peserta=peserta,
        usulan=usulan,
        issues=issues,
        source=source,
    )
    return write_with(target, wb.save)


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
    refs = _list_refs(daftar.title, DAFTAR)
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
                _dropdown(ws, refs[list_title], cells, label)
    ident = by_name.get(normalise(SHEET_IDENTITAS))
    if ident is not None and not ident.data_validations.dataValidation:
        for (r, c), cell in sorted(ident._cells.items()):
            if c == 1 and isinstance(cell.value, str) and normalise(cell.value) == "tahap":
                _dropdown(ident, refs["Tahap"], f"B{r}", "Tahap")
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
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
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
        ws.cell(row=r, column=6).alignment = _WRAP_TOP
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
    layout: _IdentitasLayout,
    id_rows: dict[str, int],
    tables: _Tables,
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


# ============================================================================= kecamatan
#
# The Buku Kerja Musrenbang Kecamatan (spec/workbooks.md): the same look as the desa workbook
# (Petunjuk, hidden Daftar lists, dropdowns, formats, protection, issue marks) with the
# kecamatan's Identitas labels, a Jadwal sheet (one row per desa, the letters of SOP Sooko
# step 1), Peserta as in the desa workbook and the kecamatan's Usulan columns.
# Layout: Identitas labels in A2:A19 in standard order; Jadwal, Peserta and Usulan have their
# title in row 1, the header in HEADER_ROW and data from FIRST_DATA_ROW, standard columns in
# standard order from column A.

DAFTAR_KECAMATAN: dict[str, list[str]] = {**DAFTAR, "Tahap": [t.value for t in TahapKecamatan]}

KECAMATAN_USULAN_WIDTHS: dict[str, float] = {
    **USULAN_WIDTHS,
    "Asal Usulan": 22,
    "Desa/Kelurahan": 20,
    "OPD Tujuan": 26,
}
KECAMATAN_USULAN_FORMATS: dict[str, str] = {
    "No": "0",
    "Kode Usulan": TEXT_FORMAT,
    "Perkiraan Biaya (Rp)": RUPIAH_FORMAT,
    "Prioritas": "0",
}
JADWAL_WIDTHS: dict[str, float] = {
    "Kode Desa/Kelurahan": 18,
    "Nama Desa/Kelurahan": 28,
    "Tanggal Musrenbang": 18,
    "Jam Mulai": 11,
    "Tempat": 40,
}
JADWAL_FORMATS: dict[str, str] = {
    "Kode Desa/Kelurahan": TEXT_FORMAT,
    "Tanggal Musrenbang": DATE_FORMAT,
    "Jam Mulai": TEXT_FORMAT,
}
# Usulan cells locked on the rows that came from the desa (`locked_usulan`).
KECAMATAN_USULAN_LOCKED = ("Kode Usulan", "Asal Usulan", "Desa/Kelurahan")
KECAMATAN_PREFILLED = ("Kode Kecamatan", "Nama Kecamatan", "Tahun Rencana")

KECAMATAN_IDENTITAS_HINTS: dict[str, str] = {
    "Kode Kecamatan": "Diisi sistem; jangan diubah.",
    "Nama Kecamatan": "Diisi sistem; jangan diubah.",
    "Tahun Rencana": "Tahun rencana (RKPD) yang dibahas; diisi sistem.",
    "Tahap": "Pilih: Persiapan, Pelaksanaan, Rekap atau Kirim.",
    "Tanggal Musrenbang": "Wajib sejak Persiapan. Tanggal, contoh 10/02/2026.",
    "Jam Mulai": "Wajib sejak Persiapan. Contoh 09.00.",
    "Tempat": "Wajib sejak Persiapan, contoh Aula Kantor Camat.",
    "Alamat": "Wajib sejak Persiapan.",
    "Nama Camat": "Wajib sejak Persiapan.",
    "NIP Camat": "Boleh kosong. 18 angka, ditulis sebagai teks.",
    "Nama Sekretaris Camat": "Boleh kosong; untuk paraf pada rekap.",
    "NIP Sekretaris Camat": "Boleh kosong. 18 angka, ditulis sebagai teks.",
    "Pimpinan Sidang": "Wajib sejak Rekap.",
    "Notulen": "Wajib sejak Rekap.",
    "Nomor Berita Acara": "Wajib sejak Rekap.",
    "Nomor Surat Pengantar": "Wajib untuk Kirim (nomor surat keluar ke Bappeda).",
    "Jumlah Peserta Laki-laki": "Wajib sejak Rekap. Angka bulat.",
    "Jumlah Peserta Perempuan": "Wajib sejak Rekap. Angka bulat.",
}
_KECAMATAN_IDENTITAS = _IdentitasLayout(
    labels=KECAMATAN_IDENTITAS_LABELS,
    prefilled=KECAMATAN_PREFILLED,
    hints=KECAMATAN_IDENTITAS_HINTS,
    text=("Kode Kecamatan", "Jam Mulai", "NIP Camat", "NIP Sekretaris Camat"),
    dates=("Tanggal Musrenbang",),
    numbers=("Tahun Rencana", "Jumlah Peserta Laki-laki", "Jumlah Peserta Perempuan"),
)

PETUNJUK_KECAMATAN: list[str] = [
    "PETUNJUK PENGISIAN BUKU KERJA MUSRENBANG KECAMATAN",
    "",
    "Buku kerja ini dibaca otomatis. Jangan mengganti nama lembar dan judul kolom. "
    "Simpan selalu sebagai .xlsx (bukan .xls, .ods atau .csv).",
    "",
    "1. Lembar Identitas",
    "   Isi kolom B. Kode Kecamatan, Nama Kecamatan dan Tahun Rencana sudah diisi sistem dan "
    "dikunci; jangan diubah. NIP Camat dan NIP Sekretaris Camat ditulis sebagai teks (18 angka).",
    "   Tahap dipilih dari daftar. Kebutuhan setiap tahap:",
    "   - Persiapan: Tanggal Musrenbang, Jam Mulai, Tempat, Alamat, Nama Camat. Isi juga lembar "
    "Jadwal agar surat pemberitahuan ke setiap desa/kelurahan dibuat.",
    "   - Pelaksanaan: sama dengan Persiapan; semua desa/kelurahan sudah mengirim usulannya "
    "(desa yang belum mengirim disebutkan sebagai peringatan). Usulan UPT/instansi dicatat.",
    "   - Rekap: setiap usulan diberi Keputusan; Prioritas untuk usulan yang diterima; Pimpinan "
    "Sidang, Notulen, Nomor Berita Acara, Jumlah Peserta Laki-laki dan Perempuan.",
    "   - Kirim: semua syarat Rekap, Nomor Surat Pengantar, dan pindaian Rekap Usulan yang "
    "ditandatangani Camat (dengan paraf Sekretaris Camat) di folder pindaian/rekap.",
    "",
    "2. Lembar Jadwal (surat pemberitahuan Musrenbang Desa/Kelurahan)",
    "   Setiap desa/kelurahan kecamatan sudah tercantum; Kode dan Nama dikunci. Isi Tanggal "
    "Musrenbang, Jam Mulai dan Tempat: setiap baris yang terisi menghasilkan satu Surat "
    "Pemberitahuan untuk desa/kelurahan itu. Baris yang bertanggal wajib berisi Jam dan Tempat.",
    "",
    "3. Lembar Peserta",
    "   Satu baris per peserta Musrenbang Kecamatan: Nama, Jenis Kelamin (L/P), Unsur (pilih "
    "dari daftar), Jabatan/Lembaga, Alamat, No. HP. Boleh kosong; daftar hadir lalu dicetak "
    "dengan baris kosong.",
    "",
    "4. Lembar Usulan",
    "   Sudah berisi usulan yang dikirim desa/kelurahan, masing-masing dengan Kode Usulan dan "
    "nama Desa/Kelurahan. Baris itu JANGAN dihapus dan Kode Usulan-nya JANGAN diubah.",
    "   - Usulan UPT/instansi: tambahkan baris baru dengan Kode Usulan kosong (sistem "
    "mengisinya) dan Asal Usulan = nama UPT/instansi, mis. UPT Puskesmas Bahorok. "
    "Desa/Kelurahan diisi bila usulan itu untuk satu desa/kelurahan.",
    "   - OPD Tujuan: perangkat daerah yang diusulkan melaksanakan, mis. Dinas PUPR (boleh "
    "kosong).",
    "   - Keputusan: Diterima, Diterima dengan Revisi, atau Ditolak. Ditolak perlu alasan dan "
    "Diterima dengan Revisi perlu catatan perubahan di Catatan Keputusan. Usulan yang tidak "
    "disetujui tetap dicatat dengan Keputusan Ditolak, tidak dihapus.",
    "   - Prioritas: angka bulat 1, 2, 3, ... tidak boleh sama di antara usulan yang diterima.",
    "   - Bidang, Sumber Dana dan Keputusan dipilih dari daftar.",
    "",
    "5. Cara menulis angka dan tanggal",
    "   - Perkiraan Biaya: rupiah bulat, contoh 15000000 atau 15.000.000 (bukan '15 jt').",
    "   - Volume: angka, contoh 250 atau 1,5 (koma untuk desimal).",
    "   - Tanggal: contoh 10/02/2026 atau 10 Februari 2026. Jam: contoh 09.00.",
    "",
    "6. Mengirim",
    "   Simpan buku kerja, lalu taruh di folder inbox kecamatan. Tanda terima muncul di folder "
    "outbox/tanda-terima. Jika ditolak, buka salinan '(perbaiki)' di outbox: setiap masalah "
    "ditandai warna dan komentar pada selnya (merah = kesalahan, kuning = peringatan).",
]


def _kecamatan_identitas_values(
    kecamatan: Wilayah, tahun: int, tahap: TahapKecamatan | None, i: IdentitasKecamatan | None
) -> dict[str, Any]:
    i = i or IdentitasKecamatan()
    return {
        "Kode Kecamatan": kecamatan.kode,
        "Nama Kecamatan": kecamatan.nama,
        "Tahun Rencana": tahun,
        "Tahap": tahap.value if tahap else None,
        "Tanggal Musrenbang": i.tanggal_musrenbang,
        "Jam Mulai": i.jam_mulai,
        "Tempat": i.tempat,
        "Alamat": i.alamat,
        "Nama Camat": i.nama_camat,
        "NIP Camat": i.nip_camat,
        "Nama Sekretaris Camat": i.nama_sekcam,
        "NIP Sekretaris Camat": i.nip_sekcam,
        "Pimpinan Sidang": i.pimpinan_sidang,
        "Notulen": i.notulen,
        "Nomor Berita Acara": i.nomor_berita_acara,
        "Nomor Surat Pengantar": i.nomor_surat_pengantar,
        "Jumlah Peserta Laki-laki": i.peserta_l,
        "Jumlah Peserta Perempuan": i.peserta_p,
    }


def _jadwal_values(j: JadwalDesa) -> dict[str, Any]:
    return {
        "Kode Desa/Kelurahan": j.kode_desa,
        "Nama Desa/Kelurahan": j.nama_desa,
        "Tanggal Musrenbang": j.tanggal_musrenbang,
        "Jam Mulai": j.jam_mulai,
        "Tempat": j.tempat,
    }


def _kecamatan_usulan_values(n: int, u: UsulanKecamatan) -> dict[str, Any]:
    return {**_usulan_values(n, u), "Desa/Kelurahan": u.desa, "OPD Tujuan": u.opd_tujuan}


def _lock_cells(ws: Worksheet, columns: list[str], labels: Iterable[str], rows: range) -> None:
    """Lock (and grey) the cells of `labels` on `rows` of a table sheet."""
    for label in labels:
        col = columns.index(label) + 1
        for r in rows:
            cell = ws.cell(row=r, column=col)
            cell.protection = _LOCKED
            cell.fill = _PREFILLED_FILL


def build_kecamatan_workbook(
    *,
    kecamatan: Wilayah,
    tahun: int,
    tahap: TahapKecamatan | None,
    identitas: IdentitasKecamatan | None,
    jadwal: Sequence[JadwalDesa],
    peserta: Sequence[Peserta],
    usulan: Sequence[UsulanKecamatan],
    issues: Iterable[Issue] = (),
    locked_usulan: int = 0,
    source: RawWorkbook | None = None,
) -> Workbook:
    """The kecamatan workbook as an openpyxl Workbook, not saved (see write_kecamatan_workbook)."""
    wb, sheets, refs = _new_workbook(
        (SHEET_IDENTITAS, SHEET_JADWAL, SHEET_PESERTA, SHEET_USULAN),
        DAFTAR_KECAMATAN,
        PETUNJUK_KECAMATAN,
    )
    ws_jadwal, ws_usulan = sheets[SHEET_JADWAL], sheets[SHEET_USULAN]
    values = _kecamatan_identitas_values(kecamatan, tahun, tahap, identitas)
    id_rows = _identitas(sheets[SHEET_IDENTITAS], refs, values, _KECAMATAN_IDENTITAS)
    nama = f"Kecamatan {kecamatan.nama} Tahun Rencana {tahun}"
    _table(
        ws_jadwal,
        f"Jadwal Musrenbang Desa/Kelurahan {nama}",
        JADWAL_COLUMNS,
        JADWAL_WIDTHS,
        JADWAL_FORMATS,
        {},
        refs,
        [_jadwal_values(j) for j in jadwal],
        freeze=f"C{FIRST_DATA_ROW}",
    )
    # Every desa has its row: kode and name are locked, rows are neither added nor deleted.
    _lock_cells(
        ws_jadwal,
        JADWAL_COLUMNS,
        ("Kode Desa/Kelurahan", "Nama Desa/Kelurahan"),
        range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(jadwal)),
    )
    ws_jadwal.protection.insertRows = True
    ws_jadwal.protection.deleteRows = True
    ws_jadwal.page_setup.orientation = "portrait"
    _peserta_table(sheets[SHEET_PESERTA], f"Daftar Peserta Musrenbang {nama}", refs, peserta)
    _table(
        ws_usulan,
        f"Daftar Usulan Musrenbang {nama}",
        KECAMATAN_USULAN_COLUMNS,
        KECAMATAN_USULAN_WIDTHS,
        KECAMATAN_USULAN_FORMATS,
        USULAN_DROPDOWNS,
        refs,
        [_kecamatan_usulan_values(n, u) for n, u in enumerate(usulan, start=1)],
        freeze=f"C{FIRST_DATA_ROW}",
    )
    locked = max(0, min(locked_usulan, len(usulan)))
    _lock_cells(
        ws_usulan,
        KECAMATAN_USULAN_COLUMNS,
        KECAMATAN_USULAN_LOCKED,
        range(FIRST_DATA_ROW, FIRST_DATA_ROW + locked),
    )
    tables: _Tables = {
        SHEET_JADWAL: (JADWAL_COLUMNS, [j.row for j in jadwal], "jadwal"),
        SHEET_PESERTA: (PESERTA_COLUMNS, [p.row for p in peserta], "peserta"),
        SHEET_USULAN: (KECAMATAN_USULAN_COLUMNS, [u.row for u in usulan], "usulan"),
    }
    _finish(wb, sheets, list(issues), _KECAMATAN_IDENTITAS, id_rows, tables, source)
    return wb


def write_kecamatan_workbook(
    target: Path,
    *,
    kecamatan: Wilayah,
    tahun: int,
    tahap: TahapKecamatan | None,
    identitas: IdentitasKecamatan | None,
    jadwal: Sequence[JadwalDesa],
    peserta: Sequence[Peserta],
    usulan: Sequence[UsulanKecamatan],
    issues: Iterable[Issue] = (),
    locked_usulan: int = 0,
    source: RawWorkbook | None = None,
) -> Path:
    """Write the Buku Kerja Musrenbang Kecamatan to `target` atomically; return `target`.

    Kode/Nama Kecamatan and Tahun come from `kecamatan` and `tahun` (locked), Tahap from
    `tahap` (None leaves it blank), the other Identitas values from `identitas`. Jadwal rows,
    peserta and usulan are written in the order given (No renumbered 1..n, Kode Usulan as
    given); the Jadwal kode and nama cells are locked. The first `locked_usulan` usulan rows
    (the desa's, when the caller puts them first) get Kode Usulan, Asal Usulan and
    Desa/Kelurahan locked; UPT/instansi rows added below stay editable.

    `issues` are marked as write_desa_workbook marks them: Jadwal/Usulan/Peserta issues move
    to the written row of the model whose `row` equals the issue's row (or to `source`'s data
    rows in order when the models carry no rows), Identitas issues to their label's value cell,
    the rest in a note on A1; every issue is listed on a first sheet "Daftar Masalah".
    """
    wb = build_kecamatan_workbook(
        kecamatan=kecamatan,
        tahun=tahun,
        tahap=tahap,
        identitas=identitas,
        jadwal=jadwal,
        peserta=peserta,
        usulan=usulan,
        issues=issues,
        locked_usulan=locked_usulan,
        source=source,
    )
    return write_with(target, wb.save)
