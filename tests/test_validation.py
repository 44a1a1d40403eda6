"""Validation of a desa workbook (pipeline/desa/validation.py), built from RawWorkbook objects.

Every issue code validation emits has a test here; positions are asserted as (code, cell).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from pipeline.core.models import RawCell, RawKeyValue, RawRow, RawTable, RawWorkbook, Wilayah
from pipeline.core.report import CODES, Report, Severity, where
from pipeline.core.standard import (
    IDENTITAS_LABELS,
    IDENTITAS_PREFILLED,
    PESERTA_COLUMNS,
    TAHAP_URUTAN,
    USULAN_COLUMNS,
    USULAN_REQUIRED_COLUMNS,
    IdentitasField,
    Keputusan,
    Tahap,
    identitas_wajib,
)
from pipeline.core.wilayah import WilayahList
from pipeline.desa.validation import validate_desa

F = IdentitasField
WILAYAH = WilayahList(
    Wilayah(kode=kode, nama=nama)
    for kode, nama in [
        ("12", "Sumatera Utara"),
        ("12.05", "Kabupaten Langkat"),
        ("12.05.01", "Bahorok"),
        ("12.05.01.1001", "Pekan Bahorok"),
        ("12.05.01.2002", "Lau Damak"),
        ("12.05.01.2003", "Timbang Lawan"),
    ]
)
TODAY = dt.date(2026, 2, 1)
KODE = "12.05.01.2002"
TAHUN = 2027

MISSING = object()  # a label or column left out of the sheet entirely
FORMULA = object()  # a formula cell without a cached value

IDENTITAS_ROW0 = 2  # row 1 holds a title
USULAN_HEADER = 4  # rows 1-3: title; data from row 5
PESERTA_HEADER = 3


def identitas_full(tahap: str = "Verifikasi") -> dict[str, Any]:
    return {
        F.KODE: KODE,
        F.NAMA: "Lau Damak",
        F.KECAMATAN: "Bahorok",
        F.TAHUN: TAHUN,
        F.TAHAP: tahap,
        F.TANGGAL: dt.datetime(2026, 1, 13),
        F.JAM: "09.00",
        F.TEMPAT: "Balai Desa Lau Damak",
        F.ALAMAT: "Jl. Bahorok No. 1",
        F.KEPALA: "Sutrisno",
        F.NIP_KEPALA: None,
        F.PIMPINAN: "Sutrisno",
        F.NOTULEN: "Rina Ginting",
        F.PESERTA_L: 2,
        F.PESERTA_P: 1,
    }


def usulan_row(n: int = 1, keputusan: str | None = "Diterima", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "Asal Usulan": "Dusun I",
        "Bidang": "Pelaksanaan Pembangunan Desa",
        "Kegiatan": f"Rabat beton jalan {n}",
        "Lokasi": f"Dusun I RT 0{n}",
        "Volume": 150,
        "Satuan": "meter",
        "Perkiraan Biaya (Rp)": 75000000,
        "Sumber Dana": "APBDes",
        "Prioritas": n if keputusan in ("Diterima", "Diterima dengan Revisi") else None,
        "Keputusan": keputusan,
        "Catatan Keputusan": None if keputusan == "Diterima" else "alasan/perubahan",
    }
    row.update(values)
    return row


NO_COUNTS: dict[str, Any] = {F.PESERTA_L: None, F.PESERTA_P: None}  # fine before Verifikasi

PESERTA_OK = [
    {"No": 1, "Nama": "Sutrisno", "Jenis Kelamin": "L", "Unsur": "Pemerintah Desa/Kelurahan"},
    {"No": 2, "Nama": "Rina Ginting", "Jenis Kelamin": "P", "Unsur": "PKK"},
    {"No": 3, "Nama": "Bahrum", "Jenis Kelamin": "Laki-laki", "Unsur": "BPD"},
]


def _cell(value: Any, ref: str, row: int) -> RawCell:
    if value is FORMULA:
        return RawCell(value=None, cell=ref, row=row, is_formula_without_value=True)
    return RawCell(value=value, cell=ref, row=row)


def _table(
    sheet: str, columns: list[str], header: int, rows: list[dict[str, Any]]
) -> tuple[RawTable, list[str]]:
    """A table as the reader gives it: header letters A.., MISSING columns left out,
    rows whose cells other than No are all empty dropped; `_row` places a row explicitly."""
    dropped = {k for r in rows for k, v in r.items() if v is MISSING}
    present = [c for c in columns if c not in dropped]
    letters = {label: get_column_letter(i) for i, label in enumerate(present, start=1)}
    raw_rows: list[RawRow] = []
    number = header
    for values in rows:
        number = values.get("_row", number + 1)
        cells = {
            label: _cell(values.get(label), f"{letters[label]}{number}", number)
            for label in present
        }
        if any(
            c.is_formula_without_value or c.value not in (None, "")
            for label, c in cells.items()
            if label != "No"
        ):
            raw_rows.append(RawRow(row=number, cells=cells))
    return RawTable(sheet=sheet, header_row=header, columns=letters, rows=raw_rows), sorted(dropped)


def raw_desa(
    identitas: dict[str, Any] | None = None,
    usulan: list[dict[str, Any]] | None = None,
    peserta: list[dict[str, Any]] | None = None,
    *,
    tahap: str = "Verifikasi",
    without: tuple[str, ...] = (),
    reader_missing: dict[str, list[str]] | None = None,
) -> RawWorkbook:
    """A RawWorkbook with every Identitas label in column A (row 2 on), values in column B.

    `identitas` overrides values of the complete Verifikasi identity (MISSING drops the label);
    `without` names sheets left out.
    """
    values = identitas_full(tahap)
    values.update(identitas or {})
    cells: dict[str, RawCell] = {}
    label_rows: dict[str, int] = {}
    for i, label in enumerate(IDENTITAS_LABELS):
        value = values.get(label)
        if value is MISSING:
            continue
        row = IDENTITAS_ROW0 + i
        label_rows[label] = row
        cells[label] = _cell(value, f"B{row}", row)
    kv = RawKeyValue(sheet="Identitas", values=cells, label_rows=label_rows)
    usulan_rows = [usulan_row(1), usulan_row(2)] if usulan is None else usulan
    peserta_rows = PESERTA_OK if peserta is None else peserta
    u_table, u_missing = _table("Usulan", USULAN_COLUMNS, USULAN_HEADER, usulan_rows)
    p_table, p_missing = _table("Peserta", PESERTA_COLUMNS, PESERTA_HEADER, peserta_rows)
    missing = dict(reader_missing or {})
    raw = RawWorkbook(
        file_name="Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx",
        sheet_names=["Identitas", "Peserta", "Usulan"],
        identitas=None if "Identitas" in without else kv,
        peserta=None if "Peserta" in without else p_table,
        usulan=None if "Usulan" in without else u_table,
        missing_columns=missing,
    )
    raw.sheet_names = [s for s in raw.sheet_names if s not in without]
    return raw


def check(raw: RawWorkbook, today: dt.date = TODAY):
    book, report = validate_desa(raw, WILAYAH, today=today)
    for found in report.issues:  # every issue follows the receipt contract
        assert found.code in CODES
        assert found.severity is CODES[found.code][0]
        assert found.sheet
        assert found.message.startswith(where(found.sheet, found.cell))
        assert found.message.endswith(".")
        if found.cell:
            assert found.row is not None and found.cell.endswith(str(found.row))
    return book, report


def pairs(report: Report, code: str | None = None) -> list[tuple[object, ...]]:
    return [p for p in report.flatten(("code", "cell")) if code is None or p[0] == code]


def cell_of(label: str) -> str:
    return f"B{IDENTITAS_ROW0 + IDENTITAS_LABELS.index(label)}"


# ----------------------------------------------------------------------------- a clean workbook


@pytest.mark.parametrize("tahap", [t.value for t in TAHAP_URUTAN])
def test_complete_workbook_has_no_issues_at_any_stage(tahap):
    book, report = check(raw_desa(tahap=tahap))
    assert report.issues == []
    assert book is not None
    assert book.identitas.tahap is Tahap(tahap)


def test_values_are_read_into_the_model():
    raw = raw_desa(
        identitas={F.NIP_KEPALA: "19780101 200501 1 001", F.JAM: "9:00 WIB"},
        usulan=[
            usulan_row(1, **{"Perkiraan Biaya (Rp)": "Rp 1.500.000,-", "Volume": "1,5"}),
            usulan_row(2, keputusan="Ditolak", **{"Penerima Manfaat L": "12"}),
        ],
    )
    book, report = check(raw)
    assert report.issues == []
    assert book is not None
    ident = book.identitas
    assert (ident.kode, ident.nama, ident.kecamatan, ident.tahun) == (
        KODE,
        "Lau Damak",
        "Bahorok",
        2027,
    )
    assert ident.tanggal_musrenbang == dt.date(2026, 1, 13)
    assert ident.jam_mulai == "09.00"
    assert ident.nip_kepala == "197801012005011001"
    assert (ident.peserta_l, ident.peserta_p) == (2, 1)
    first, second = book.usulan
    assert first.row == 5 and first.biaya == 1500000 and first.volume == Decimal("1.5")
    assert first.keputusan is Keputusan.DITERIMA and first.prioritas == 1
    assert second.keputusan is Keputusan.DITOLAK and second.pm_l == 12 and second.prioritas is None
    assert [p.jenis_kelamin for p in book.peserta] == ["L", "P", "L"]
    assert book.usulan_columns["Perkiraan Biaya (Rp)"] == "I"
    assert book.identitas_cells[F.TANGGAL] == cell_of(F.TANGGAL)
    assert book.usulan_sheet == "Usulan"


# ----------------------------------------------------------------------------- structure


@pytest.mark.parametrize("sheet", ["Identitas", "Peserta", "Usulan"])
def test_missing_sheet(sheet):
    book, report = check(raw_desa(without=(sheet,)))
    assert ("lembar-hilang", None) in pairs(report)
    assert [i.sheet for i in report.issues if i.code == "lembar-hilang"] == [sheet]
    assert (book is None) == (sheet == "Identitas")


def test_missing_usulan_sheet_still_returns_identity_and_peserta():
    book, report = check(raw_desa(without=("Usulan",)))
    assert book is not None and book.usulan == [] and len(book.peserta) == 3
    assert report.codes() == ["lembar-hilang"]


@pytest.mark.parametrize("column", ["Bidang", "Perkiraan Biaya (Rp)", "Keputusan", "Asal Usulan"])
def test_missing_required_usulan_column(column):
    rows = [usulan_row(1, **{column: MISSING})]
    book, report = check(raw_desa(usulan=rows))
    kolom = [i for i in report.issues if i.code == "kolom-hilang"]
    assert [(i.sheet, i.column) for i in kolom] == [("Usulan", column)]
    assert "wajib-diisi" not in report.codes()  # no flood of empty cells for a missing column
    assert book is not None


@pytest.mark.parametrize(
    "column", ["No", "Kode Usulan", "Penerima Manfaat L", "Penerima Manfaat RTM"]
)
def test_missing_optional_usulan_column_is_fine(column):
    _, report = check(raw_desa(usulan=[usulan_row(1, **{column: MISSING})]))
    assert report.issues == []


def test_missing_columns_reported_by_reader_are_not_doubled():
    raw = raw_desa(
        usulan=[usulan_row(1, **{"Sumber Dana": MISSING})],
        peserta=[{"Nama": MISSING, "Jenis Kelamin": "L"}],
        reader_missing={"Usulan": ["Sumber Dana"], "Peserta": ["Nama"]},
    )
    _, report = check(raw)
    assert sorted((i.sheet, i.column) for i in report.issues if i.code == "kolom-hilang") == [
        ("Peserta", "Nama"),
        ("Usulan", "Sumber Dana"),
    ]


@pytest.mark.parametrize("label", [F.PIMPINAN, F.NOTULEN, F.PESERTA_L, F.TEMPAT, F.TAHAP, F.KODE])
def test_missing_required_label(label):
    _, report = check(raw_desa(identitas={label: MISSING}))
    found = [i for i in report.issues if i.code == "label-hilang"]
    assert [(i.sheet, i.column, i.cell) for i in found] == [("Identitas", label.value, None)]


@pytest.mark.parametrize("label", [F.NIP_KEPALA, F.PIMPINAN, F.NOTULEN, F.PESERTA_L, F.PESERTA_P])
def test_optional_label_may_be_absent_before_it_is_required(label):
    _, report = check(raw_desa(tahap="Pelaksanaan", identitas={label: MISSING}))
    assert report.issues == []


# ----------------------------------------------------------------------------- identitas


@pytest.mark.parametrize("tahap", [t.value for t in TAHAP_URUTAN])
def test_required_identitas_fields_per_stage(tahap):
    emptied = {label: None for label in IDENTITAS_LABELS if label not in IDENTITAS_PREFILLED}
    emptied[F.TAHAP] = tahap
    _, report = check(raw_desa(tahap=tahap, identitas=emptied, peserta=[]))
    required = [f for f in identitas_wajib(Tahap(tahap)) if f not in IDENTITAS_PREFILLED]
    required.remove(F.TAHAP)
    expected = [("wajib-diisi", cell_of(f)) for f in required]
    assert pairs(report, "wajib-diisi") == expected
    issues = [i for i in report.issues if i.code == "wajib-diisi"]
    assert [i.column for i in issues] == [f.value for f in required]
    assert [i.sheet for i in issues] == ["Identitas"] * len(required)


def test_required_fields_grow_with_the_stage():
    persiapan = set(identitas_wajib(Tahap.PERSIAPAN))
    verifikasi = set(identitas_wajib(Tahap.VERIFIKASI))
    assert {F.TANGGAL, F.JAM, F.TEMPAT, F.ALAMAT, F.KEPALA} <= persiapan
    assert {F.PIMPINAN, F.NOTULEN, F.PESERTA_L, F.PESERTA_P} <= verifikasi - persiapan
    assert F.NIP_KEPALA not in set(identitas_wajib(Tahap.KIRIM))


@pytest.mark.parametrize("label", list(IDENTITAS_PREFILLED))
def test_prefilled_fields_are_always_required(label):
    _, report = check(raw_desa(tahap="Persiapan", identitas={label: None}))
    assert ("wajib-diisi", cell_of(label)) in pairs(report)


def test_empty_tahap_is_required_and_persiapan_fields_still_checked():
    book, report = check(raw_desa(identitas={F.TAHAP: None, F.TEMPAT: "  "}))
    assert pairs(report) == [("wajib-diisi", cell_of(F.TAHAP)), ("wajib-diisi", cell_of(F.TEMPAT))]
    assert book is not None and book.identitas.tahap is None


@pytest.mark.parametrize("tahap", ["Rekap", "Selesai", "Verifikasi 2", 3])
def test_tahap_invalid(tahap):
    book, report = check(raw_desa(identitas={F.TAHAP: tahap}))
    assert pairs(report) == [("tahap-tidak-valid", cell_of(F.TAHAP))]
    assert book is not None and book.identitas.tahap is None


@pytest.mark.parametrize("tahap", ["verifikasi", " VERIFIKASI ", "Verifikasi:"])
def test_tahap_ignores_case_and_spaces(tahap):
    book, report = check(raw_desa(identitas={F.TAHAP: tahap}))
    assert report.issues == []
    assert book is not None and book.identitas.tahap is Tahap.VERIFIKASI


@pytest.mark.parametrize(
    "kode", ["12.05.01", "12.05.01.9002", "12.05.01.2099", "1205012002", 12.05]
)
def test_kode_wilayah_unknown_or_malformed(kode):
    book, report = check(raw_desa(identitas={F.KODE: kode}))
    assert pairs(report, "wilayah-tidak-dikenal") == [("wilayah-tidak-dikenal", cell_of(F.KODE))]
    assert "nama-wilayah-berbeda" not in report.codes()
    assert book is not None and book.identitas.kode is None


def test_kelurahan_kode_is_known():
    raw = raw_desa(identitas={F.KODE: "12.05.01.1001", F.NAMA: "Pekan Bahorok"})
    _, report = check(raw)
    assert "wilayah-tidak-dikenal" not in report.codes()


@pytest.mark.parametrize(
    ("label", "written"),
    [(F.NAMA, "Lau Damak Baru"), (F.NAMA, "Laudamak"), (F.KECAMATAN, "Bahorok Hilir")],
)
def test_region_name_spelled_differently_is_a_warning(label, written):
    _, report = check(raw_desa(identitas={label: written}))
    assert pairs(report) == [("nama-wilayah-berbeda", cell_of(label))]
    assert report.ok


@pytest.mark.parametrize(
    ("label", "written"),
    [
        (F.NAMA, "LAU  DAMAK"),
        (F.NAMA, "lau damak"),
        (F.NAMA, "Desa Lau Damak"),
        (F.KECAMATAN, "Kecamatan Bahorok"),
        (F.KECAMATAN, "bahorok "),
    ],
)
def test_region_name_case_space_and_prefix_tolerated(label, written):
    _, report = check(raw_desa(identitas={label: written}))
    assert report.issues == []


@pytest.mark.parametrize("tahun", ["27", "2027/2028", 1999, "dua ribu"])
def test_tahun_invalid(tahun):
    _, report = check(raw_desa(identitas={F.TAHUN: tahun}))
    assert pairs(report) == [("tahun-tidak-valid", cell_of(F.TAHUN))]


@pytest.mark.parametrize("tanggal", ["01/13/2026", "31/02/2026", "besok", "Senin, 13 Januari 2026"])
def test_tanggal_invalid(tanggal):
    _, report = check(raw_desa(identitas={F.TANGGAL: tanggal}))
    assert pairs(report) == [("tanggal-tidak-valid", cell_of(F.TANGGAL))]


@pytest.mark.parametrize(
    "tanggal", ["13/01/2026", "13-01-2026", "2026-01-13", "13 Januari 2026", 46035]
)
def test_tanggal_forms(tanggal):
    book, report = check(raw_desa(identitas={F.TANGGAL: tanggal}))
    assert report.issues == []
    assert book is not None and book.identitas.tanggal_musrenbang == dt.date(2026, 1, 13)


@pytest.mark.parametrize(
    ("tahap", "expected"),
    [
        ("Persiapan", []),
        ("Pelaksanaan", ["tanggal-di-masa-depan"]),
        ("Verifikasi", ["tanggal-di-masa-depan"]),
        ("Kirim", ["tanggal-di-masa-depan"]),
    ],
)
def test_tanggal_in_the_future_from_pelaksanaan_on(tahap, expected):
    raw = raw_desa(tahap=tahap, identitas={F.TANGGAL: "02/02/2026"})
    _, report = check(raw)
    assert pairs(report) == [(code, cell_of(F.TANGGAL)) for code in expected]


def test_tanggal_today_is_not_the_future():
    _, report = check(raw_desa(identitas={F.TANGGAL: TODAY}))
    assert report.issues == []


@pytest.mark.parametrize("jam", ["9", "25.00", "jam sembilan", dt.date(2026, 1, 13)])
def test_jam_invalid(jam):
    _, report = check(raw_desa(identitas={F.JAM: jam}))
    assert pairs(report) == [("jam-tidak-valid", cell_of(F.JAM))]


@pytest.mark.parametrize(
    "nip", [197801012005011001, 1.97801012005011e17, "1978010120050110", "19780101-200501-1-001"]
)
def test_nip_invalid_including_number_cells(nip):
    _, report = check(raw_desa(identitas={F.NIP_KEPALA: nip}))
    assert pairs(report) == [("nip-tidak-valid", cell_of(F.NIP_KEPALA))]


@pytest.mark.parametrize("label", [F.PESERTA_L, F.PESERTA_P])
@pytest.mark.parametrize("value", ["banyak", -3, 2.5, "2,5"])
def test_jumlah_peserta_invalid(label, value):
    _, report = check(raw_desa(identitas={label: value}, peserta=[]))
    assert pairs(report) == [("angka-tidak-valid", cell_of(label))]


@pytest.mark.parametrize(
    ("label", "value", "code"),
    [
        (F.NIP_KEPALA, 197801012005011001, "nip-tidak-valid"),
        (F.PESERTA_L, "banyak", "angka-tidak-valid"),
        (F.TANGGAL, "01/13/2026", "tanggal-tidak-valid"),
        (F.JAM, "25.00", "jam-tidak-valid"),
    ],
)
def test_filled_value_is_checked_even_when_not_yet_required(label, value, code):
    raw = raw_desa(tahap="Persiapan", identitas={label: value}, peserta=[])
    _, report = check(raw)
    assert pairs(report) == [(code, cell_of(label))]


# ----------------------------------------------------------------------------- peserta


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("L", "L"),
        ("l", "L"),
        ("P", "P"),
        ("p", "P"),
        ("Laki-laki", "L"),
        ("LAKI-LAKI", "L"),
        ("laki laki", "L"),
        ("Perempuan", "P"),
        (" perempuan ", "P"),
    ],
)
def test_jenis_kelamin_spellings(written, expected):
    rows = [{"Nama": "Ani", "Jenis Kelamin": written}]
    book, report = check(
        raw_desa(
            peserta=rows, identitas={F.PESERTA_L: None, F.PESERTA_P: None}, tahap="Pelaksanaan"
        )
    )
    assert report.issues == []
    assert book is not None and book.peserta[0].jenis_kelamin == expected


@pytest.mark.parametrize(
    ("column", "value"),
    [("Jenis Kelamin", "Pria"), ("Jenis Kelamin", "X"), ("Unsur", "Ketua RT"), ("Unsur", "Warga")],
)
def test_peserta_choice_invalid(column, value):
    letter = "C" if column == "Jenis Kelamin" else "D"
    rows = [{"Nama": "Ani", "Jenis Kelamin": "P", "Unsur": "PKK", column: value}]
    _, report = check(raw_desa(peserta=rows, tahap="Pelaksanaan", identitas=NO_COUNTS))
    assert pairs(report) == [("pilihan-tidak-valid", f"{letter}4")]
    assert report.issues[0].sheet == "Peserta" and report.issues[0].column == column


@pytest.mark.parametrize(
    "unsur", ["tokoh agama", "KARANG  TARUNA", "pemerintah desa/kelurahan", None]
)
def test_unsur_case_and_space_tolerated_and_optional(unsur):
    rows = [{"Nama": "Ani", "Jenis Kelamin": "P", "Unsur": unsur}]
    book, report = check(raw_desa(peserta=rows, tahap="Pelaksanaan", identitas=NO_COUNTS))
    assert report.issues == []
    assert book is not None and len(book.peserta) == 1


def test_peserta_row_with_data_but_no_nama():
    rows = [PESERTA_OK[0], {"No": 2, "Jenis Kelamin": "P", "Alamat": "Dusun II"}]
    book, report = check(raw_desa(peserta=rows, tahap="Pelaksanaan", identitas=NO_COUNTS))
    assert pairs(report) == [("wajib-diisi", "B5")]
    assert book is not None and [p.nama for p in book.peserta] == ["Sutrisno"]


def test_pre_numbered_blank_peserta_rows_are_skipped():
    rows = PESERTA_OK + [{"No": n} for n in range(4, 30)]
    book, report = check(raw_desa(peserta=rows))
    assert report.issues == []
    assert book is not None and len(book.peserta) == 3


def test_peserta_sheet_may_be_empty():
    book, report = check(raw_desa(peserta=[]))
    assert report.issues == []
    assert book is not None and book.peserta == []


def test_no_hp_typed_as_number_is_kept_as_text():
    rows = [{"Nama": "Ani", "Jenis Kelamin": "P", "No. HP": 81234567890}]
    book, _ = check(raw_desa(peserta=rows, tahap="Pelaksanaan"))
    assert book is not None and book.peserta[0].no_hp == "81234567890"


@pytest.mark.parametrize(
    ("identitas", "expected"),
    [
        ({F.PESERTA_L: 2, F.PESERTA_P: 1}, []),
        ({F.PESERTA_L: 30, F.PESERTA_P: 1}, [cell_of(F.PESERTA_L)]),
        ({F.PESERTA_L: 2, F.PESERTA_P: 25}, [cell_of(F.PESERTA_P)]),
        ({F.PESERTA_L: 0, F.PESERTA_P: 0}, [cell_of(F.PESERTA_L), cell_of(F.PESERTA_P)]),
    ],
)
def test_jumlah_peserta_differs_from_rows(identitas, expected):
    book, report = check(raw_desa(identitas=identitas))
    assert pairs(report) == [("jumlah-peserta-berbeda", c) for c in expected]
    assert report.ok
    assert book is not None and book.identitas.peserta_l == identitas[F.PESERTA_L]


def test_jumlah_peserta_not_compared_without_jenis_kelamin():
    rows = [{"Nama": "Ani"}, {"Nama": "Budi"}]
    _, report = check(raw_desa(peserta=rows, identitas={F.PESERTA_L: 40, F.PESERTA_P: 35}))
    # 75 stated against a Daftar Hadir of 40 rows (2 listed and 38 blank): that warning only
    assert [i.code for i in report.issues] == ["peserta-melebihi-daftar"]


# ----------------------------------------------------------------------------- usulan values


@pytest.mark.parametrize(
    ("column", "value", "code", "letter"),
    [
        ("Bidang", "Pembangunan", "pilihan-tidak-valid", "D"),
        ("Sumber Dana", "Dana Desa", "pilihan-tidak-valid", "J"),
        ("Keputusan", "Diterima sebagian", "pilihan-tidak-valid", "O"),
        ("Volume", "1.5", "volume-tidak-valid", "G"),
        ("Volume", 0, "volume-tidak-valid", "G"),
        ("Volume", "100 m", "volume-tidak-valid", "G"),
        ("Perkiraan Biaya (Rp)", "Rp 15 jt", "biaya-tidak-valid", "I"),
        ("Perkiraan Biaya (Rp)", "1,500,000", "biaya-tidak-valid", "I"),
        ("Perkiraan Biaya (Rp)", 0, "biaya-tidak-valid", "I"),
        ("Perkiraan Biaya (Rp)", 1500000.5, "biaya-tidak-valid", "I"),
        ("Penerima Manfaat L", "banyak", "angka-tidak-valid", "K"),
        ("Penerima Manfaat P", -1, "angka-tidak-valid", "L"),
        ("Penerima Manfaat RTM", 2.5, "angka-tidak-valid", "M"),
        ("Prioritas", 0, "prioritas-tidak-valid", "N"),
        ("Prioritas", "1,5", "prioritas-tidak-valid", "N"),
        ("Prioritas", "pertama", "prioritas-tidak-valid", "N"),
    ],
)
def test_usulan_value_invalid(column, value, code, letter):
    book, report = check(raw_desa(usulan=[usulan_row(1, **{column: value})]))
    assert pairs(report) == [(code, f"{letter}5")]
    found = report.issues[0]
    assert (found.sheet, found.row, found.column) == ("Usulan", 5, column)
    assert book is not None and len(book.usulan) == 1  # the row is kept, the value left empty


def test_biaya_message_example():
    _, report = check(raw_desa(usulan=[usulan_row(1, **{"Perkiraan Biaya (Rp)": "Rp 15 jt"})]))
    assert report.issues[0].message == (
        "Lembar Usulan sel I5: 'Rp 15 jt' bukan nilai rupiah yang jelas; tulis 15000000."
    )


@pytest.mark.parametrize(
    ("column", "letter"),
    [
        ("Asal Usulan", "C"),
        ("Bidang", "D"),
        ("Kegiatan", "E"),
        ("Lokasi", "F"),
        ("Volume", "G"),
        ("Satuan", "H"),
        ("Perkiraan Biaya (Rp)", "I"),
        ("Sumber Dana", "J"),
    ],
)
@pytest.mark.parametrize("tahap", ["Persiapan", "Verifikasi"])
def test_usulan_required_columns(column, letter, tahap):
    _, report = check(raw_desa(tahap=tahap, usulan=[usulan_row(1, **{column: None})]))
    assert pairs(report) == [("wajib-diisi", f"{letter}5")]


@pytest.mark.parametrize("tahap", ["Persiapan", "Pelaksanaan"])
def test_decision_columns_not_required_before_verifikasi(tahap):
    rows = [usulan_row(1, keputusan=None), usulan_row(2, keputusan=None, Prioritas=None)]
    _, report = check(raw_desa(tahap=tahap, usulan=rows))
    assert report.issues == []


@pytest.mark.parametrize("tahap", ["Persiapan", "Pelaksanaan"])
def test_decision_filled_early_is_kept_silently(tahap):
    rows = [
        usulan_row(1, keputusan="Ditolak", **{"Catatan Keputusan": None, "Prioritas": 1}),
        usulan_row(2, keputusan="Diterima", Prioritas=1),
        usulan_row(3, keputusan="Diterima", Prioritas=1),
    ]
    book, report = check(raw_desa(tahap=tahap, usulan=rows))
    assert report.issues == []
    assert book is not None
    assert [u.keputusan for u in book.usulan] == [
        Keputusan.DITOLAK,
        Keputusan.DITERIMA,
        Keputusan.DITERIMA,
    ]


def test_decision_filled_early_must_still_be_readable():
    rows = [usulan_row(1, keputusan="Setuju")]
    _, report = check(raw_desa(tahap="Pelaksanaan", usulan=rows))
    assert pairs(report) == [("pilihan-tidak-valid", "O5")]


def test_penerima_manfaat_optional():
    row = usulan_row(
        1, **{"Penerima Manfaat L": None, "Penerima Manfaat P": 0, "Penerima Manfaat RTM": "1.200"}
    )
    book, report = check(raw_desa(usulan=[row]))
    assert report.issues == []
    assert book is not None and (book.usulan[0].pm_p, book.usulan[0].pm_rtm) == (0, 1200)


@pytest.mark.parametrize(
    ("column", "written", "expected"),
    [
        ("Keputusan", "diterima dengan revisi", "Diterima dengan Revisi"),
        ("Keputusan", "  DITERIMA  ", "Diterima"),
        ("Sumber Dana", "apbd  kabupaten", "APBD Kabupaten"),
        ("Bidang", "PEMBERDAYAAN MASYARAKAT", "Pemberdayaan Masyarakat"),
    ],
)
def test_usulan_enums_ignore_case_and_spaces(column, written, expected):
    row = usulan_row(1, keputusan="Diterima dengan Revisi", **{column: written})
    book, report = check(raw_desa(usulan=[row]))
    assert report.issues == []
    assert book is not None
    attr = {"Keputusan": "keputusan", "Sumber Dana": "sumber_dana", "Bidang": "bidang"}[column]
    assert getattr(book.usulan[0], attr) == expected


def test_blank_rows_between_usulan_and_row_numbers():
    rows = [usulan_row(1), {"_row": 9, **usulan_row(2)}, {"No": 7}]
    book, report = check(raw_desa(usulan=rows))
    assert report.issues == []
    assert book is not None and [u.row for u in book.usulan] == [5, 9]


def test_row_with_only_kode_usulan_is_not_dropped():
    rows = [usulan_row(1), {"Kode Usulan": f"{KODE}-{TAHUN}-0002"}]
    _, report = check(raw_desa(usulan=rows))
    assert ("wajib-diisi", "E6") in pairs(report)


# ----------------------------------------------------------------------------- kode usulan


@pytest.mark.parametrize(
    "kode", [f"{KODE}-{TAHUN}-0007", f" {KODE}-{TAHUN}-0007 ", f"{KODE} - {TAHUN} - 0007"]
)
def test_kode_usulan_of_this_desa_and_year(kode):
    book, report = check(raw_desa(usulan=[usulan_row(1, **{"Kode Usulan": kode})]))
    assert report.issues == []
    assert book is not None and book.usulan[0].kode_usulan == f"{KODE}-{TAHUN}-0007"


@pytest.mark.parametrize(
    "kode",
    [
        f"12.05.01.2003-{TAHUN}-0007",  # another desa
        f"{KODE}-2026-0007",  # another year
        f"{KODE}-{TAHUN}-7",
        "U-0007",
        7,
        f"{KODE}/{TAHUN}/0007",
    ],
)
def test_kode_usulan_not_this_desa_and_year(kode):
    book, report = check(raw_desa(usulan=[usulan_row(1, **{"Kode Usulan": kode})]))
    assert pairs(report) == [("kode-usulan-tidak-dikenal", "B5")]
    assert book is not None and book.usulan[0].kode_usulan is None


def test_kode_usulan_twice():
    kode = f"{KODE}-{TAHUN}-0001"
    rows = [usulan_row(n, **{"Kode Usulan": kode}) for n in (1, 2, 3)]
    rows[2]["Kode Usulan"] = f"{KODE}-{TAHUN}-0003"
    book, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [("kode-usulan-ganda", "B5"), ("kode-usulan-ganda", "B6")]
    assert book is not None
    assert [u.kode_usulan for u in book.usulan] == [kode, None, f"{KODE}-{TAHUN}-0003"]


@pytest.mark.parametrize(
    ("kegiatan", "lokasi"),
    [
        ("Rabat beton jalan 1", "Dusun I RT 01"),
        ("RABAT  BETON JALAN 1", "dusun i rt 01."),
        ("Rabat beton, jalan 1", "Dusun I, RT 01"),
    ],
)
def test_same_kegiatan_and_lokasi_warns_on_the_second(kegiatan, lokasi):
    rows = [usulan_row(1), usulan_row(2, Kegiatan=kegiatan, Lokasi=lokasi, Prioritas=2)]
    _, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [("usulan-ganda", "E6")]
    assert report.ok


def test_same_kegiatan_other_lokasi_is_fine():
    rows = [usulan_row(1), usulan_row(2, Kegiatan="Rabat beton jalan 1")]
    _, report = check(raw_desa(usulan=rows))
    assert report.issues == []


# ----------------------------------------------------------------------------- decisions


@pytest.mark.parametrize("tahap", ["Verifikasi", "Kirim"])
def test_usulan_empty_at_verifikasi_and_kirim(tahap):
    _, report = check(raw_desa(tahap=tahap, usulan=[]))
    assert report.codes() == ["usulan-kosong"]
    assert report.issues[0].sheet == "Usulan"


def test_usulan_header_not_found_is_not_also_usulan_kosong():
    raw = raw_desa()
    assert raw.usulan is not None
    raw.usulan = RawTable(sheet="Usulan", header_row=0, columns={}, rows=[])
    raw.missing_columns = {"Usulan": ["Asal Usulan", "Bidang"]}
    _, report = check(raw)
    assert set(report.codes()) == {"kolom-hilang"}
    assert len(report.issues) == len(USULAN_REQUIRED_COLUMNS)
    assert {i.row for i in report.issues} == {None}


@pytest.mark.parametrize("tahap", ["Persiapan", "Pelaksanaan"])
def test_no_usulan_is_fine_before_verifikasi(tahap):
    _, report = check(raw_desa(tahap=tahap, usulan=[]))
    assert report.issues == []


@pytest.mark.parametrize("tahap", ["Verifikasi", "Kirim"])
def test_every_usulan_needs_a_decision(tahap):
    rows = [usulan_row(1), usulan_row(2, keputusan=None)]
    _, report = check(raw_desa(tahap=tahap, usulan=rows))
    assert pairs(report) == [("wajib-diisi", "O6")]


@pytest.mark.parametrize("keputusan", ["Ditolak", "Diterima dengan Revisi"])
def test_ditolak_and_revisi_need_catatan(keputusan):
    rows = [usulan_row(1, keputusan=keputusan, **{"Catatan Keputusan": None})]
    _, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [("catatan-wajib", "P5")]


def test_diterima_needs_no_catatan():
    _, report = check(raw_desa(usulan=[usulan_row(1, keputusan="Diterima")]))
    assert report.issues == []


@pytest.mark.parametrize("keputusan", ["Diterima", "Diterima dengan Revisi"])
def test_accepted_usulan_need_prioritas(keputusan):
    rows = [usulan_row(1, keputusan=keputusan, Prioritas=None)]
    _, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [("wajib-diisi", "N5")]


def test_ditolak_needs_no_prioritas_and_a_prioritas_on_it_is_a_warning():
    rows = [usulan_row(1), usulan_row(2, keputusan="Ditolak", Prioritas=1)]
    _, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [("prioritas-pada-ditolak", "N6")]
    assert report.ok


def test_prioritas_unique_among_accepted_reported_on_each_duplicate():
    rows = [
        usulan_row(1, Prioritas=1),
        usulan_row(2, keputusan="Diterima dengan Revisi", Prioritas=1),
        usulan_row(3, Prioritas=2),
        usulan_row(4, Prioritas=1),
    ]
    _, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [
        ("prioritas-ganda", "N5"),
        ("prioritas-ganda", "N6"),
        ("prioritas-ganda", "N8"),
    ]


def test_prioritas_gaps_allowed_and_ditolak_not_counted_as_duplicate():
    rows = [
        usulan_row(1, Prioritas=1),
        usulan_row(2, Prioritas=5),
        usulan_row(3, Prioritas=9),
        usulan_row(4, keputusan="Ditolak", Prioritas=None),
        usulan_row(5, keputusan="Ditolak", Prioritas=None),
    ]
    _, report = check(raw_desa(usulan=rows))
    assert report.issues == []


def test_unreadable_decision_is_not_also_reported_as_missing():
    rows = [usulan_row(1, keputusan="Setuju"), usulan_row(2, Prioritas="pertama")]
    _, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [("pilihan-tidak-valid", "O5"), ("prioritas-tidak-valid", "N6")]


def test_usulan_added_by_desa_needs_a_decision_like_any_other():
    rows = [usulan_row(1), usulan_row(2, keputusan=None, **{"Asal Usulan": "Desa"})]
    _, report = check(raw_desa(usulan=rows))
    assert pairs(report) == [("wajib-diisi", "O6")]


# The Verifikasi guard of spec/workbooks.md, item by item: each broken alone is an error.
VERIFIKASI_GUARDS: list[
    tuple[str, dict[str, Any], list[dict[str, Any]] | None, str, str | None]
] = [
    (
        "Pelaksanaan holds: date not in the future",
        {F.TANGGAL: "20/02/2026"},
        None,
        "tanggal-di-masa-depan",
        cell_of(F.TANGGAL),
    ),
    ("Persiapan holds: Tempat", {F.TEMPAT: None}, None, "wajib-diisi", cell_of(F.TEMPAT)),
    ("at least one usulan", {}, [], "usulan-kosong", None),
    ("every usulan decided", {}, [usulan_row(1, keputusan=None)], "wajib-diisi", "O5"),
    (
        "reason for Ditolak",
        {},
        [usulan_row(1, keputusan="Ditolak", **{"Catatan Keputusan": None})],
        "catatan-wajib",
        "P5",
    ),
    (
        "note for Revisi",
        {},
        [usulan_row(1, keputusan="Diterima dengan Revisi", **{"Catatan Keputusan": " "})],
        "catatan-wajib",
        "P5",
    ),
    ("priority present", {}, [usulan_row(1, Prioritas=None)], "wajib-diisi", "N5"),
    ("priority valid", {}, [usulan_row(1, Prioritas=0)], "prioritas-tidak-valid", "N5"),
    ("priority unique", {}, [usulan_row(1), usulan_row(2, Prioritas=1)], "prioritas-ganda", "N5"),
    ("Pimpinan Rapat", {F.PIMPINAN: None}, None, "wajib-diisi", cell_of(F.PIMPINAN)),
    ("Notulen", {F.NOTULEN: None}, None, "wajib-diisi", cell_of(F.NOTULEN)),
    ("Jumlah Peserta L", {F.PESERTA_L: None}, None, "wajib-diisi", cell_of(F.PESERTA_L)),
    ("Jumlah Peserta P", {F.PESERTA_P: None}, None, "wajib-diisi", cell_of(F.PESERTA_P)),
]


@pytest.mark.parametrize("tahap", ["Verifikasi", "Kirim"])
@pytest.mark.parametrize(
    ("identitas", "usulan", "code", "cell"),
    [g[1:] for g in VERIFIKASI_GUARDS],
    ids=[g[0] for g in VERIFIKASI_GUARDS],
)
def test_verifikasi_guard(tahap, identitas, usulan, code, cell):
    _, report = check(raw_desa(tahap=tahap, identitas=identitas, usulan=usulan))
    assert (code, cell) in pairs(report)
    assert not report.ok


@pytest.mark.parametrize(
    ("identitas", "usulan", "code", "cell"),
    [
        g[1:]
        for g in VERIFIKASI_GUARDS
        if g[3] != "tanggal-di-masa-depan" and g[1] != {F.TEMPAT: None}
    ],
    ids=[
        g[0]
        for g in VERIFIKASI_GUARDS
        if g[3] != "tanggal-di-masa-depan" and g[1] != {F.TEMPAT: None}
    ],
)
def test_verifikasi_guards_do_not_apply_at_pelaksanaan(identitas, usulan, code, cell):
    raw = raw_desa(tahap="Pelaksanaan", identitas=identitas, usulan=usulan)
    _, report = check(raw)
    if code == "prioritas-tidak-valid":  # a filled value that cannot be read is always wrong
        assert pairs(report) == [(code, cell)]
    else:
        assert report.issues == []


# ----------------------------------------------------------------------------- formulas


def test_formula_without_value_in_identitas():
    _, report = check(raw_desa(identitas={F.PESERTA_L: FORMULA, F.TEMPAT: FORMULA}))
    assert pairs(report) == [
        ("rumus-tanpa-nilai", cell_of(F.TEMPAT)),
        ("rumus-tanpa-nilai", cell_of(F.PESERTA_L)),
    ]


def test_formula_without_value_in_usulan_and_peserta():
    rows = [usulan_row(1, **{"Perkiraan Biaya (Rp)": FORMULA})]
    peserta = PESERTA_OK[:2] + [{"Nama": FORMULA, "Jenis Kelamin": "L"}]
    _, report = check(raw_desa(usulan=rows, peserta=peserta, identitas={F.PESERTA_L: 1}))
    assert pairs(report) == [("rumus-tanpa-nilai", "B6"), ("rumus-tanpa-nilai", "I5")]


def test_formula_only_row_is_data():
    rows = [usulan_row(1), {"Perkiraan Biaya (Rp)": FORMULA}]
    _, report = check(raw_desa(usulan=rows))
    assert ("rumus-tanpa-nilai", "I6") in pairs(report)
    assert ("wajib-diisi", "E6") in pairs(report)


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#VALUE!", "#DIV/0!"])
def test_cached_formula_error(error):
    rows = [usulan_row(1, **{"Perkiraan Biaya (Rp)": error, "Kegiatan": error})]
    _, report = check(raw_desa(usulan=rows, identitas={F.TEMPAT: error}))
    assert pairs(report) == [
        ("nilai-galat", cell_of(F.TEMPAT)),
        ("nilai-galat", "E5"),
        ("nilai-galat", "I5"),
    ]


# ----------------------------------------------------------------------------- all at once


def test_every_problem_at_once_and_the_model_is_still_returned():
    raw = raw_desa(
        identitas={F.KODE: "12.05.01.2099", F.TANGGAL: "01/13/2026", F.NOTULEN: None},
        usulan=[
            usulan_row(1, **{"Perkiraan Biaya (Rp)": "15 jt"}),
            usulan_row(2, keputusan=None, Bidang="Jalan"),
            usulan_row(3, Prioritas=1),
        ],
        peserta=[{"Nama": "Ani", "Jenis Kelamin": "W"}],
    )
    book, report = check(raw)
    assert sorted(pairs(report)) == sorted(
        [
            ("wilayah-tidak-dikenal", cell_of(F.KODE)),
            ("tanggal-tidak-valid", cell_of(F.TANGGAL)),
            ("wajib-diisi", cell_of(F.NOTULEN)),
            ("pilihan-tidak-valid", "C4"),
            ("biaya-tidak-valid", "I5"),
            ("pilihan-tidak-valid", "D6"),
            ("wajib-diisi", "O6"),
            ("prioritas-ganda", "N5"),
            ("prioritas-ganda", "N7"),
        ]
    )
    assert book is not None
    assert len(book.usulan) == 3 and book.usulan[0].biaya is None
    assert book.usulan_columns["Keputusan"] == "O"
    assert book.identitas_cells[F.KODE] == cell_of(F.KODE)


def test_severities_follow_the_catalog():
    rows = [usulan_row(1), usulan_row(2, Kegiatan="Rabat beton jalan 1", Lokasi="Dusun I RT 01")]
    _, report = check(raw_desa(usulan=rows, identitas={F.NAMA: "Lau Damak Lama"}))
    assert {i.severity for i in report.issues} == {Severity.WARNING}
