"""Test helper: build filled desa workbooks (real .xlsx files) for everyone's tests.

    from tests.workbooks import make_desa_workbook, Variant, usulan_cell
    path = make_desa_workbook(tmp_path / "bk.xlsx")                 # Verifikasi-ready
    path = make_desa_workbook(tmp_path / "p.xlsx", tahap="Persiapan", usulan=[], peserta=[])
    path = make_desa_workbook(tmp_path / "x.xlsx", usulan=[{**USULAN[0], "Perkiraan Biaya (Rp)":
                              "Rp 15 jt"}])                          # any raw cell value
    path = make_desa_workbook(tmp_path / "v.xlsx", variant=Variant(title_rows=2, blank_rows=1))
    set_cells(path, "Usulan", {"I3": "=G3*1000"})                    # poke raw cells afterwards

Values are raw cell values (str, int, float, Decimal, date, time, None), written as given, so
invalid input is easy to build; a string starting with '=' becomes a formula without a cached
value (openpyxl cannot compute), which is what a formula test wants. Without `variant` the workbook is the one the pipeline issues
(pipeline.intake.xlsx_write layout: Identitas values in column B rows 2-16, table header in row 2,
data from row 3, standard column order) with the given values filled in by openpyxl. With a
`variant` it is a plain workbook as an operator might build it (no Petunjuk/Daftar sheets, no
dropdowns), laid out as the variant says.

Region: Desa Lau Damak (12.05.01.2002), Kecamatan Bahorok (12.05.01), Kabupaten Langkat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from pipeline.core.models import Wilayah
from pipeline.core.standard import IDENTITAS_LABELS, PESERTA_COLUMNS, USULAN_COLUMNS
from pipeline.desa.workbook import build_desa_workbook
from pipeline.intake.xlsx_write import FIRST_DATA_ROW, IDENTITAS_FIRST_ROW

DESA = Wilayah(kode="12.05.01.2002", nama="Lau Damak")
KELURAHAN = Wilayah(kode="12.05.01.1001", nama="Pekan Bahorok")
KECAMATAN = Wilayah(kode="12.05.01", nama="Bahorok")
KABUPATEN = Wilayah(kode="12.05", nama="Kabupaten Langkat")
TAHUN = 2027
TANGGAL = dt.date(2026, 1, 13)

# Identitas values other than the pre-filled four (label -> raw value).
IDENTITAS: dict[str, Any] = {
    "Tanggal Musrenbang": TANGGAL,
    "Jam Mulai": "09.00",
    "Tempat": "Balai Desa Lau Damak",
    "Alamat": "Jl. Bahorok - Bukit Lawang, Dusun I, Lau Damak",
    "Nama Kepala Desa/Lurah": "Rahmat Sembiring",
    "NIP Kepala Desa/Lurah": None,
    "Pimpinan Rapat": "Syahrial Ginting",
    "Notulen": "Sri Wahyuni",
    "Jumlah Peserta Laki-laki": 6,
    "Jumlah Peserta Perempuan": 4,
}

PESERTA: list[dict[str, Any]] = [
    {"Nama": "Rahmat Sembiring", "Jenis Kelamin": "L", "Unsur": "Pemerintah Desa/Kelurahan",
     "Jabatan/Lembaga": "Kepala Desa", "Alamat": "Dusun I", "No. HP": "081264410021"},
    {"Nama": "Syahrial Ginting", "Jenis Kelamin": "L", "Unsur": "BPD",
     "Jabatan/Lembaga": "Ketua BPD", "Alamat": "Dusun II", "No. HP": "081375520193"},
    {"Nama": "Nurhayati br Tarigan", "Jenis Kelamin": "P", "Unsur": "PKK",
     "Jabatan/Lembaga": "Ketua TP-PKK", "Alamat": "Dusun I", "No. HP": "085261187734"},
    {"Nama": "Ponirin", "Jenis Kelamin": "L", "Unsur": "Kepala Dusun",
     "Jabatan/Lembaga": "Kepala Dusun III", "Alamat": "Dusun III", "No. HP": "082167730415"},
    {"Nama": "Sri Wahyuni", "Jenis Kelamin": "P", "Unsur": "Perwakilan Masyarakat",
     "Jabatan/Lembaga": "Perwakilan perempuan", "Alamat": "Dusun II", "No. HP": None},
    {"Nama": "Abdul Halim", "Jenis Kelamin": "L", "Unsur": "Tokoh Agama",
     "Jabatan/Lembaga": "Imam Masjid Al-Ikhlas", "Alamat": "Dusun III", "No. HP": None},
    {"Nama": "Jefri Perangin-angin", "Jenis Kelamin": "L", "Unsur": "Karang Taruna",
     "Jabatan/Lembaga": "Ketua Karang Taruna", "Alamat": "Dusun IV", "No. HP": "081396620087"},
    {"Nama": "Darmawati", "Jenis Kelamin": "P", "Unsur": "LPM",
     "Jabatan/Lembaga": "Sekretaris LPM", "Alamat": "Dusun IV", "No. HP": None},
    {"Nama": "Budi Santoso", "Jenis Kelamin": "L", "Unsur": "Tim Pendamping",
     "Jabatan/Lembaga": "Pendamping Desa", "Alamat": "Kec. Bahorok", "No. HP": "081290031156"},
    {"Nama": "Rosmawati br Sitepu", "Jenis Kelamin": "P", "Unsur": "Tokoh Masyarakat",
     "Jabatan/Lembaga": "Tokoh masyarakat", "Alamat": "Dusun I", "No. HP": None},
]  # fmt: skip

USULAN: list[dict[str, Any]] = [
    {"Asal Usulan": "Dusun I", "Bidang": "Pelaksanaan Pembangunan Desa",
     "Kegiatan": "Rabat beton jalan lingkungan", "Lokasi": "Dusun I RT 02", "Volume": 250,
     "Satuan": "meter", "Perkiraan Biaya (Rp)": 187_500_000, "Sumber Dana": "APBDes",
     "Penerima Manfaat L": 120, "Penerima Manfaat P": 115, "Penerima Manfaat RTM": 18,
     "Prioritas": 1, "Keputusan": "Diterima", "Catatan Keputusan": None},
    {"Asal Usulan": "Dusun II", "Bidang": "Pelaksanaan Pembangunan Desa",
     "Kegiatan": "Pembangunan drainase jalan desa", "Lokasi": "Dusun II", "Volume": 300,
     "Satuan": "meter", "Perkiraan Biaya (Rp)": 90_000_000, "Sumber Dana": "APBDes",
     "Penerima Manfaat L": 80, "Penerima Manfaat P": 84, "Penerima Manfaat RTM": 9,
     "Prioritas": 2, "Keputusan": "Diterima dengan Revisi",
     "Catatan Keputusan": "Volume dikurangi dari 400 m menjadi 300 m"},
    {"Asal Usulan": "PKK", "Bidang": "Pemberdayaan Masyarakat",
     "Kegiatan": "Pelatihan pengolahan keripik pisang", "Lokasi": "Balai Desa",
     "Volume": 30, "Satuan": "orang", "Perkiraan Biaya (Rp)": 15_000_000,
     "Sumber Dana": "APBDes", "Penerima Manfaat L": 0, "Penerima Manfaat P": 30,
     "Penerima Manfaat RTM": 12, "Prioritas": 3, "Keputusan": "Diterima",
     "Catatan Keputusan": None},
    {"Asal Usulan": "Dusun III", "Bidang": "Penanggulangan Bencana, Keadaan Darurat dan Mendesak",
     "Kegiatan": "Normalisasi aliran Sungai Bahorok", "Lokasi": "Dusun III",
     "Volume": Decimal("1.5"), "Satuan": "kilometer", "Perkiraan Biaya (Rp)": 450_000_000,
     "Sumber Dana": "APBD Kabupaten", "Penerima Manfaat L": None, "Penerima Manfaat P": None,
     "Penerima Manfaat RTM": None, "Prioritas": None, "Keputusan": "Ditolak",
     "Catatan Keputusan": "Kewenangan kabupaten; diteruskan ke Musrenbang Kecamatan"},
    {"Asal Usulan": "Karang Taruna", "Bidang": "Pembinaan Kemasyarakatan",
     "Kegiatan": "Pengadaan peralatan olahraga pemuda", "Lokasi": "Lapangan Desa",
     "Volume": 1, "Satuan": "paket", "Perkiraan Biaya (Rp)": 12_500_000,
     "Sumber Dana": "APBDes", "Penerima Manfaat L": 45, "Penerima Manfaat P": 20,
     "Penerima Manfaat RTM": None, "Prioritas": 4, "Keputusan": "Diterima",
     "Catatan Keputusan": None},
]  # fmt: skip


@dataclass
class Variant:
    """A hand-made layout that the reader must still understand (spec "Reading rules").

    title_rows: rows of title text above each table header (header row = title_rows + 1).
    column_order: labels put first, in this order, in each table that has them; the sheet's
        other standard columns follow in standard order. Use it to move columns.
    drop_columns: labels left out of the tables (to test missing columns).
    extra_columns: non-standard header texts inserted as columns B, C, ... (empty values).
    blank_rows: empty rows between data rows.
    label: transforms each Identitas label, e.g. `lambda s: s.upper() + " :"`.
    identitas_reversed: Identitas rows in reverse order, starting at identitas_first_row.
    as_text: numbers and dates written as Indonesian text ("Rp 187.500.000", "13/01/2026").
    """

    title_rows: int = 0
    column_order: list[str] = field(default_factory=list)
    drop_columns: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    blank_rows: int = 0
    label: Callable[[str], str] | None = None
    identitas_reversed: bool = False
    identitas_first_row: int = 1
    as_text: bool = False


def make_desa_workbook(
    path: Path,
    *,
    desa: Wilayah = DESA,
    kecamatan: Wilayah = KECAMATAN,
    tahun: Any = TAHUN,
    tahap: Any = "Verifikasi",
    identitas: dict[str, Any] | None = None,
    usulan: Sequence[dict[str, Any]] | None = None,
    peserta: Sequence[dict[str, Any]] | None = None,
    variant: Variant | None = None,
    cells: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """Write a filled desa workbook to `path` and return it.

    `cells` pokes raw values into cells last: {"Usulan": {"I3": "=G3*2"}} (like set_cells,
    without reopening the file).

    `identitas` overrides entries of IDENTITAS (label -> raw value; None empties the cell;
    the pre-filled labels may be overridden too). `usulan` / `peserta`: rows as label -> raw
    value dicts (defaults USULAN / PESERTA; `[]` for none). `No` is 1..n unless given.
    """
    values = _identitas(desa, kecamatan, tahun, tahap, identitas)
    usulan_rows = _numbered(USULAN if usulan is None else usulan)
    peserta_rows = _numbered(PESERTA if peserta is None else peserta)
    if variant is None:
        wb = _issued(desa, kecamatan, tahun, values, usulan_rows, peserta_rows)
    else:
        wb = _plain(variant, values, usulan_rows, peserta_rows)
    for sheet, refs in (cells or {}).items():
        for ref, value in refs.items():
            wb[sheet][ref] = _raw(value)
    wb.save(path)
    return path


def usulan_cell(label: str, n: int) -> str:
    """Cell of usulan number n (1-based) and column `label` in the issued layout, e.g. 'I3'."""
    return f"{get_column_letter(USULAN_COLUMNS.index(label) + 1)}{FIRST_DATA_ROW + n - 1}"


def peserta_cell(label: str, n: int) -> str:
    return f"{get_column_letter(PESERTA_COLUMNS.index(label) + 1)}{FIRST_DATA_ROW + n - 1}"


def identitas_cell(label: str) -> str:
    """Value cell of an Identitas label in the issued layout, e.g. 'B7'."""
    return f"B{IDENTITAS_FIRST_ROW + IDENTITAS_LABELS.index(label)}"


def set_cells(path: Path, sheet: str, cells: dict[str, Any]) -> Path:
    """Overwrite cells of an existing workbook in place (a test file, never an input).

    Values are assigned the openpyxl way (as in make_desa_workbook): a string starting with '=' becomes a formula
    (without cached value, as openpyxl cannot compute).
    """
    wb = load_workbook(path)
    ws = wb[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


# ----------------------------------------------------------------------------- internals


def _identitas(
    desa: Wilayah, kecamatan: Wilayah, tahun: Any, tahap: Any, overrides: dict[str, Any] | None
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "Kode Desa/Kelurahan": desa.kode,
        "Nama Desa/Kelurahan": desa.nama,
        "Kecamatan": kecamatan.nama,
        "Tahun Rencana": tahun,
        "Tahap": tahap,
        **IDENTITAS,
    }
    values.update(overrides or {})
    return values


def _numbered(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"No": n, **row} for n, row in enumerate(rows, start=1)]


def _raw(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _issued(
    desa: Wilayah,
    kecamatan: Wilayah,
    tahun: Any,
    identitas: dict[str, Any],
    usulan: list[dict[str, Any]],
    peserta: list[dict[str, Any]],
) -> Workbook:
    wb = build_desa_workbook(
        desa=desa,
        kecamatan=kecamatan,
        tahun=tahun if isinstance(tahun, int) else TAHUN,
        tahap=None,
    )
    ws = wb["Identitas"]
    for label, value in identitas.items():
        ws[identitas_cell(label)] = _raw(value)
    for sheet, columns, rows in (("Usulan", USULAN_COLUMNS, usulan), ("Peserta", PESERTA_COLUMNS, peserta)):  # fmt: skip
        ws = wb[sheet]
        for r, row in enumerate(rows, start=FIRST_DATA_ROW):
            for label, value in row.items():
                ws.cell(row=r, column=columns.index(label) + 1, value=_raw(value))
    return wb


def _as_text(label: str, value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, Decimal, float)):
        if isinstance(value, int) or value == int(value):
            text = f"{int(value):,}".replace(",", ".")
        else:
            text = str(value).replace(".", ",")
        return f"Rp {text}" if label.startswith("Perkiraan Biaya") else text
    return value


def _plain(
    variant: Variant,
    identitas: dict[str, Any],
    usulan: list[dict[str, Any]],
    peserta: list[dict[str, Any]],
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Identitas"
    items = list(identitas.items())
    if variant.identitas_reversed:
        items.reverse()
    for r, (label, value) in enumerate(items, start=variant.identitas_first_row):
        ws.cell(row=r, column=1, value=variant.label(label) if variant.label else label)
        if variant.as_text and label != "Tahun Rencana":
            value = _as_text(label, value)
        ws.cell(row=r, column=2, value=_raw(value))
    for sheet, standard, rows in (("Peserta", PESERTA_COLUMNS, peserta), ("Usulan", USULAN_COLUMNS, usulan)):  # fmt: skip
        ws = wb.create_sheet(sheet)
        order = [c for c in variant.column_order if c in standard]
        order += [c for c in standard if c not in order]
        order = [c for c in order if c not in variant.drop_columns]
        headers = order[:1] + list(variant.extra_columns) + order[1:]
        for t in range(1, variant.title_rows + 1):
            ws.cell(row=t, column=1, value=f"DAFTAR {sheet.upper()} MUSRENBANG DESA (judul {t})")
        header_row = variant.title_rows + 1
        for c, label in enumerate(headers, start=1):
            ws.cell(row=header_row, column=c, value=label)
        r = header_row + 1
        for row in rows:
            for c, label in enumerate(headers, start=1):
                value = row.get(label)
                if variant.as_text:
                    value = _as_text(label, value)
                ws.cell(row=r, column=c, value=_raw(value))
            r += 1 + variant.blank_rows
    return wb
