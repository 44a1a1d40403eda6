"""validate_kecamatan: every rule of the kecamatan workbook, on real files and raw workbooks.

Files are the ones write_kecamatan_workbook issues (layout: Identitas values B2..B21 in
standard order; Jadwal A=Kode B=Nama C=Tanggal D=Jam E=Tempat, rows 3-5 = Pekan Bahorok,
Lau Damak, Timbang Lawan; Usulan A=No B=Kode C=Asal D=Desa E=Bidang F=Kegiatan G=Lokasi
H=Volume I=Satuan J=Biaya K=Sumber Dana L=OPD M=Prioritas N=Keputusan O=Catatan, rows 3-5
from desa, row 6 an UPT usulan) with cells poked afterwards.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pipeline.core.models import BukuKerjaKecamatan, RawCell, RawKeyValue, RawWorkbook
from pipeline.core.report import Report, Severity
from pipeline.core.standard import KECAMATAN_IDENTITAS_LABELS, TahapKecamatan
from pipeline.intake.xlsx_read import read_workbook
from pipeline.kecamatan.validation import validate_kecamatan
from pipeline.kecamatan.workbook import build_kecamatan_workbook
from tests.test_kecamatan_workbook import (
    IDENTITAS,
    JADWAL,
    KECAMATAN,
    LIMITS,
    LOCKED,
    PESERTA,
    TODAY,
    USULAN,
    WILAYAH,
    write_kec,
)
from tests.workbooks import set_cells

Cells = dict[str, dict[str, Any]]


def ident(label: str) -> str:
    return f"B{2 + KECAMATAN_IDENTITAS_LABELS.index(label)}"


def check_file(
    tmp_path: Path,
    cells: Cells | None = None,
    *,
    today: dt.date = TODAY,
    drop: tuple[str, ...] = (),
    **kw: Any,
) -> tuple[BukuKerjaKecamatan | None, Report]:
    """Issue a workbook, poke `cells` ({sheet: {ref: value}}), drop sheets, read, validate."""
    args: dict[str, Any] = dict(
        kecamatan=KECAMATAN,
        tahun=2027,
        tahap=TahapKecamatan.REKAP,
        identitas=IDENTITAS,
        jadwal=JADWAL,
        peserta=PESERTA,
        usulan=USULAN,
        locked_usulan=LOCKED,
    )
    args.update(kw)
    wb = build_kecamatan_workbook(**args)
    for sheet, refs in (cells or {}).items():
        for ref, value in refs.items():
            wb[sheet][ref] = value
    for sheet in drop:
        del wb[sheet]
    path = tmp_path / "kec.xlsx"
    wb.save(path)
    raw, read_report = read_workbook(path, LIMITS)
    assert raw is not None and read_report.ok, read_report.flatten()
    return validate_kecamatan(raw, WILAYAH, today=today)


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> RawWorkbook:
    """The issued workbook (Tahap Rekap, clean) as the reader saw it; tests poke copies."""
    path = write_kec(tmp_path_factory.mktemp("kec") / "kec.xlsx")
    raw, report = read_workbook(path, LIMITS)
    assert raw is not None and report.ok
    return raw


def poke(raw: RawWorkbook, cells: Cells) -> RawWorkbook:
    """A copy of `raw` with cell values replaced, as the reader would have given them (a text
    starting with '=' stands for a formula without a cached value)."""
    raw = raw.model_copy(deep=True)
    for sheet, refs in cells.items():
        if sheet == "Identitas":
            assert raw.identitas is not None
            found = list(raw.identitas.values.values())
        else:
            table = getattr(raw, sheet.lower())
            found = [cell for row in table.rows for cell in row.cells.values()]
        by_ref = {cell.cell: cell for cell in found}
        for ref, value in refs.items():
            cell = by_ref[ref]  # only cells the issued workbook has
            formula = isinstance(value, str) and value.startswith("=")
            cell.value = None if formula else value
            cell.is_formula_without_value = formula
    return raw


def check(
    issued: RawWorkbook, cells: Cells | None = None, *, today: dt.date = TODAY
) -> tuple[BukuKerjaKecamatan | None, Report]:
    return validate_kecamatan(poke(issued, cells or {}), WILAYAH, today=today)


def pairs(report: Report) -> list[tuple[object, ...]]:
    return report.flatten(("code", "cell"))


# ----------------------------------------------------------------------------- structure


def test_missing_sheets(tmp_path: Path) -> None:
    book, report = check_file(tmp_path, drop=("Jadwal", "Peserta"))
    assert book is not None and book.jadwal == [] and len(book.usulan) == 4
    assert report.flatten(("code", "sheet")) == [
        ("lembar-hilang", "Jadwal"),
        ("lembar-hilang", "Peserta"),
    ]
    book, report = check_file(tmp_path, drop=("Identitas",))
    assert book is None and report.flatten(("code", "sheet")) == [("lembar-hilang", "Identitas")]


def test_missing_columns(tmp_path: Path) -> None:
    _, report = check_file(tmp_path, {"Usulan": {"D2": "Desa"}, "Jadwal": {"E2": "Lokasi Rapat"}})
    assert report.flatten(("code", "sheet", "column")) == [
        ("kolom-hilang", "Jadwal", "Tempat"),
        ("kolom-hilang", "Usulan", "Desa/Kelurahan"),
    ]


def test_missing_columns_on_a_raw_workbook_without_reader_notes() -> None:
    from pipeline.core.models import RawRow, RawTable

    values = {
        "Kode Kecamatan": "12.05.01",
        "Nama Kecamatan": "Bahorok",
        "Tahun Rencana": 2027,
        "Tahap": "Persiapan",
        "Tanggal Musrenbang": "10/02/2026",
        "Jam Mulai": "09.00",
        "Tempat": "Aula Kantor Camat",
        "Alamat": "Pekan Bahorok",
        "Nama Camat": "Ahmad Fauzi",
    }
    kv = RawKeyValue(
        sheet="Identitas",
        values={
            k: RawCell(value=v, cell=f"B{n}", row=n) for n, (k, v) in enumerate(values.items(), 2)
        },
        label_rows={k: n for n, k in enumerate(values, 2)},
    )
    usulan = RawTable(
        sheet="Usulan",
        header_row=1,
        columns={"Kode Usulan": "A", "Kegiatan": "B"},
        rows=[RawRow(row=2, cells={"Kegiatan": RawCell(value="Jalan", cell="B2", row=2)})],
    )
    raw = RawWorkbook(file_name="k.xlsx", identitas=kv, usulan=usulan, kind="kecamatan")
    book, report = validate_kecamatan(raw, WILAYAH, today=TODAY)
    assert book is not None and book.identitas.tanggal_musrenbang == dt.date(2026, 2, 10)
    codes = report.codes()
    assert codes.count("lembar-hilang") == 2  # Jadwal, Peserta
    missing = [i.column for i in report.issues if i.code == "kolom-hilang"]
    assert "Desa/Kelurahan" in missing and "Asal Usulan" in missing and "Kegiatan" not in missing
    assert "OPD Tujuan" not in missing and "Kode Usulan" not in missing


# ----------------------------------------------------------------------------- identitas


@pytest.mark.parametrize("kode", ["12.05.09", "12.05", "12.05.01.2002", "Bahorok"])
def test_kode_kecamatan_must_be_a_known_kecamatan(issued: RawWorkbook, kode: str) -> None:
    book, report = check(issued, {"Identitas": {"B2": kode}})
    assert pairs(report) == [("wilayah-tidak-dikenal", "B2")]
    assert book is not None and book.identitas.kode is None


def test_nama_kecamatan_spelling(issued: RawWorkbook) -> None:
    _, report = check(issued, {"Identitas": {"B3": "Kecamatan  BAHOROK"}})
    assert report.issues == []
    book, report = check(issued, {"Identitas": {"B3": "Bahoruk"}})
    assert pairs(report) == [("nama-wilayah-berbeda", "B3")]
    assert report.ok and report.issues[0].severity is Severity.WARNING
    assert book is not None and book.identitas.kode == "12.05.01"


def test_tahap_is_a_kecamatan_stage(issued: RawWorkbook) -> None:
    _, report = check(issued, {"Identitas": {"B5": "Verifikasi"}})
    assert pairs(report) == [("tahap-tidak-valid", "B5")]
    book, report = check(issued, {"Identitas": {"B5": "  rekap "}})
    assert report.issues == [] and book is not None
    assert book.identitas.tahap is TahapKecamatan.REKAP


@pytest.mark.parametrize(
    ("tahap", "emptied", "expected"),
    [
        ("Persiapan", ["Pimpinan Sidang", "Nomor Berita Acara", "Jumlah Peserta Laki-laki"], []),
        ("Persiapan", ["Alamat", "Nama Camat"], ["Alamat", "Nama Camat"]),
        ("Pelaksanaan", ["Tempat", "Notulen"], ["Tempat"]),
        (
            "Rekap",
            ["Pimpinan Sidang", "Nomor Berita Acara", "Jumlah Peserta Perempuan", "NIP Camat"],
            ["Pimpinan Sidang", "Nomor Berita Acara", "Jumlah Peserta Perempuan"],
        ),
        ("Kirim", [], ["Nomor Surat Pengantar"]),
        ("Kirim", ["Nama Sekretaris Camat", "NIP Sekretaris Camat"], ["Nomor Surat Pengantar"]),
    ],
)
def test_required_identitas_per_stage(
    issued: RawWorkbook, tahap: str, emptied: list[str], expected: list[str]
) -> None:
    cells = {ident(label): None for label in emptied}
    _, report = check(issued, {"Identitas": {"B5": tahap, **cells}})
    assert pairs(report) == [("wajib-diisi", ident(label)) for label in expected]
    assert [i.column for i in report.issues] == expected


def test_missing_label(tmp_path: Path) -> None:
    _, report = check_file(tmp_path, {"Identitas": {"A10": None, "A16": "Nomor BA"}})
    assert report.flatten(("code", "column")) == [
        ("label-hilang", "Nama Camat"),
        ("label-hilang", "Nomor Berita Acara"),
    ]


def test_unreadable_identitas_values(issued: RawWorkbook) -> None:
    cells = {
        "B4": "dua ribu dua tujuh",
        "B6": "31/02/2026",
        "B7": "sembilan pagi",
        "B11": 197506122001121003,  # typed as a number: digits lost
        "B13": "19800315",
        "B18": "tiga",
        "B19": -2,
    }
    book, report = check(issued, {"Identitas": cells})
    assert pairs(report) == [
        ("tahun-tidak-valid", "B4"),
        ("tanggal-tidak-valid", "B6"),
        ("jam-tidak-valid", "B7"),
        ("nip-tidak-valid", "B11"),
        ("nip-tidak-valid", "B13"),
        ("angka-tidak-valid", "B18"),
        ("angka-tidak-valid", "B19"),
    ]  # no 'wajib-diisi' on top of them
    assert book is not None and book.identitas.nip_camat is None


def test_readable_variants(issued: RawWorkbook) -> None:
    cells = {"B6": "10 Februari 2026", "B7": "9:30", "B11": "NIP. 197506122001121003"}
    book, report = check(issued, {"Identitas": cells})
    assert report.issues == [] and book is not None
    assert book.identitas.tanggal_musrenbang == dt.date(2026, 2, 10)
    assert book.identitas.jam_mulai == "09.30"
    assert book.identitas.nip_camat == "197506122001121003"


def test_tanggal_in_the_future(issued: RawWorkbook) -> None:
    early = dt.date(2026, 2, 1)  # before the 10 February meeting
    _, report = check(issued, {"Identitas": {"B5": "Pelaksanaan"}}, today=early)
    assert pairs(report) == [("tanggal-di-masa-depan", "B6")]
    _, report = check(issued, {"Identitas": {"B5": "Persiapan"}}, today=early)
    assert report.issues == []


def test_jumlah_peserta_differs_from_rows(issued: RawWorkbook) -> None:
    book, report = check(issued, {"Identitas": {"B18": 40}})
    # and more stated than the Daftar Hadir has rows for: a second warning on the same cell
    assert pairs(report) == [
        ("peserta-melebihi-daftar", "B18"),
        ("jumlah-peserta-berbeda", "B18"),
    ]
    assert report.ok
    assert book is not None and book.identitas.peserta_l == 40


def test_set_cells_on_an_issued_file(tmp_path: Path) -> None:
    """The same rules on a file poked with the shared test helper."""
    path = write_kec(tmp_path / "kec.xlsx")
    set_cells(path, "Identitas", {"B5": "Kirim", "B17": "005/77/2026"})
    raw, _ = read_workbook(path, LIMITS)
    assert raw is not None
    book, report = validate_kecamatan(raw, WILAYAH, today=TODAY)
    assert report.issues == [] and book is not None
    assert book.identitas.nomor_surat_pengantar == "005/77/2026"


# ----------------------------------------------------------------------------- jadwal


@pytest.mark.parametrize(
    ("cells", "expected", "kode_desa"),
    [
        # a desa of another kecamatan, an unknown desa, a kecamatan kode: the row is left out
        ({"A5": "12.05.02.2002"}, [("wilayah-tidak-dikenal", "A5")], 2),
        ({"A5": "12.05.01.2099"}, [("wilayah-tidak-dikenal", "A5")], 2),
        ({"A5": "12.05.01"}, [("wilayah-tidak-dikenal", "A5")], 2),
        ({"A5": None}, [("wajib-diisi", "A5")], 2),
        # a date needs the time and place; a place needs a date
        ({"C5": "20/01/2026"}, [("wajib-diisi", "D5"), ("wajib-diisi", "E5")], 3),
        ({"E5": "Balai Desa Timbang Lawan"}, [("wajib-diisi", "C5")], 3),
        ({"C4": "32/01/2026"}, [("tanggal-tidak-valid", "C4")], 3),
        ({"D4": "25.00"}, [("jam-tidak-valid", "D4")], 3),
        ({"A5": "12.05.01.2002", "B5": "Lau Damak"}, [("jadwal-ganda", "A5")], 2),
        ({"B4": "Lau Damai"}, [("nama-wilayah-berbeda", "B4")], 3),
        ({"B4": "Desa Lau Damak", "B3": "Kelurahan Pekan Bahorok"}, [], 3),
    ],
)
def test_jadwal_rules(
    issued: RawWorkbook, cells: dict[str, Any], expected: list[Any], kode_desa: int
) -> None:
    book, report = check(issued, {"Jadwal": cells})
    assert pairs(report) == expected
    assert book is not None and len(book.jadwal) == kode_desa
    assert all(j.kode_desa.startswith("12.05.01.") for j in book.jadwal)


def test_jadwal_model(issued: RawWorkbook) -> None:
    cells = {"B4": "Lau Damai", "C5": 46042, "D5": "10.00", "E5": "Kantor Desa"}  # a serial date
    book, report = check(issued, {"Jadwal": cells})
    assert pairs(report) == [("nama-wilayah-berbeda", "B4")]
    assert book is not None
    lau_damak, timbang = book.jadwal[1], book.jadwal[2]
    assert lau_damak.nama_desa == "Lau Damak" and lau_damak.row == 4  # the official name
    assert timbang.terisi and timbang.tanggal_musrenbang == dt.date(2026, 1, 20)
    assert (timbang.jam_mulai, timbang.tempat) == ("10.00", "Kantor Desa")


# ----------------------------------------------------------------------------- usulan


def test_usulan_values_required_and_readable(issued: RawWorkbook) -> None:
    cells = {"F4": None, "J4": "Rp 15 jt", "E3": "Jalan", "H5": "-3", "K6": "DAK", "I6": None}
    _, report = check(issued, {"Usulan": cells})
    assert sorted(pairs(report)) == sorted(
        [
            ("wajib-diisi", "F4"),
            ("biaya-tidak-valid", "J4"),
            ("pilihan-tidak-valid", "E3"),
            ("volume-tidak-valid", "H5"),
            ("pilihan-tidak-valid", "K6"),
            ("wajib-diisi", "I6"),
        ]
    )


def test_decisions_from_rekap_on(issued: RawWorkbook) -> None:
    cells = {"N3": None, "O4": None, "M5": None, "M6": 1}
    _, report = check(issued, {"Usulan": cells})
    # N3 undecided (its priority 1 then clashes with nothing), O4 Ditolak without reason,
    # M5 accepted without priority
    assert sorted(pairs(report)) == [
        ("catatan-wajib", "O4"),
        ("wajib-diisi", "M5"),
        ("wajib-diisi", "N3"),
    ]
    # before Rekap, undecided usulan are fine
    _, report = check(issued, {"Identitas": {"B5": "Pelaksanaan"}, "Usulan": cells})
    assert report.issues == []


def test_priorities(issued: RawWorkbook) -> None:
    _, report = check(issued, {"Usulan": {"M6": 1, "M4": 7}})
    assert pairs(report) == [
        ("prioritas-pada-ditolak", "M4"),
        ("prioritas-ganda", "M3"),
        ("prioritas-ganda", "M6"),
    ]
    _, report = check(issued, {"Usulan": {"M6": "satu"}})
    assert pairs(report) == [("prioritas-tidak-valid", "M6")]


def test_revisi_needs_a_note(issued: RawWorkbook) -> None:
    _, report = check(issued, {"Usulan": {"O5": None}})
    assert pairs(report) == [("catatan-wajib", "O5")]


@pytest.mark.parametrize(
    "kode",
    [
        "12.05.02.2002-2027-0001",  # a desa of another kecamatan
        "12.05.01.2099-2027-0001",  # no such desa
        "12.05.01.2002-2026-0001",  # another year
        "12.05.02-2027-0001",  # another kecamatan's own usulan
        "12.05.01-2026-0003",  # this kecamatan, another year
        "USL-0001",
        "12.05.01.2002-2027-1",
    ],
)
def test_kode_usulan_must_be_of_this_kecamatan_and_year(issued: RawWorkbook, kode: str) -> None:
    book, report = check(issued, {"Usulan": {"B4": kode}})
    assert pairs(report) == [("kode-usulan-tidak-dikenal", "B4")]
    assert book is not None and book.usulan[1].kode_usulan is None


def test_kode_usulan_typed_as_a_number_is_refused(issued: RawWorkbook) -> None:
    _, report = check(issued, {"Usulan": {"B4": 1205012002}})
    assert pairs(report) == [("kode-usulan-tidak-dikenal", "B4")]


def test_kecamatan_and_other_desa_kodes_are_accepted(issued: RawWorkbook) -> None:
    cells = {"B6": "12.05.01-2027-0004", "B4": " 12.05.01.2003-2027-0002 ", "D4": None}
    book, report = check(issued, {"Usulan": cells})
    assert report.issues == [], pairs(report)
    assert book is not None
    assert book.usulan[3].kode_usulan == "12.05.01-2027-0004" and book.usulan[3].desa is None
    assert book.usulan[1].kode_usulan == "12.05.01.2003-2027-0002"
    assert book.usulan[1].desa == "Timbang Lawan"  # filled from the kode


def test_duplicate_kode_usulan(issued: RawWorkbook) -> None:
    book, report = check(issued, {"Usulan": {"B4": "12.05.01.2002-2027-0001"}})
    assert pairs(report) == [("kode-usulan-ganda", "B3"), ("kode-usulan-ganda", "B4")]
    assert book is not None
    assert [u.kode_usulan for u in book.usulan[:2]] == ["12.05.01.2002-2027-0001", None]


def test_upt_usulan_needs_its_asal(issued: RawWorkbook) -> None:
    _, report = check(issued, {"Usulan": {"C6": None, "C3": None}})
    assert pairs(report) == [("wajib-diisi", "C3"), ("wajib-diisi", "C6")]
    assert "UPT" in report.issues[1].message


def test_desa_name_of_a_desa_usulan(issued: RawWorkbook) -> None:
    book, report = check(issued, {"Usulan": {"D3": None, "D4": "Timbang Lawan"}})
    assert pairs(report) == [("nama-wilayah-berbeda", "D4")] and report.ok
    assert book is not None
    assert [u.desa for u in book.usulan] == ["Lau Damak", "Lau Damak", "Pekan Bahorok", None]


def test_upt_usulan_for_one_desa_and_opd_tujuan(issued: RawWorkbook) -> None:
    cells = {"D6": "Timbang Lawan", "L6": None, "L3": "  Dinas Pekerjaan Umum  "}
    book, report = check(issued, {"Usulan": cells, "Identitas": {ident("Tahap"): "Pelaksanaan"}})
    assert report.issues == [] and book is not None
    assert book.usulan[3].desa == "Timbang Lawan" and book.usulan[3].opd_tujuan is None
    assert book.usulan[0].opd_tujuan == "Dinas Pekerjaan Umum"


def test_opd_tujuan_is_required_for_accepted_usulan_from_rekap(issued: RawWorkbook) -> None:
    # L4 is the rejected usulan: it needs no OPD Tujuan; L3, L5 and L6 are accepted.
    empty = {"L3": None, "L4": None, "L5": None, "L6": None}
    for tahap in ("Rekap", "Kirim"):
        identitas = {ident("Tahap"): tahap, ident("Nomor Surat Pengantar"): "050/2/BHR/2026"}
        _, report = check(issued, {"Usulan": empty, "Identitas": identitas})
        assert report.flatten(("code", "cell", "column")) == [
            ("wajib-diisi", f"L{r}", "OPD Tujuan") for r in (3, 5, 6)
        ], tahap
    _, report = check(issued, {"Usulan": empty, "Identitas": {ident("Tahap"): "Pelaksanaan"}})
    assert report.issues == []


def test_opd_tujuan_column_is_required_from_rekap(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "tanpa-opd.xlsx"
    write_kec(path)
    wb = load_workbook(path)
    wb["Usulan"].delete_cols(12)  # L = OPD Tujuan
    wb.save(path)
    raw, _ = read_workbook(path, LIMITS)
    assert raw is not None
    _, report = validate_kecamatan(raw, WILAYAH, today=TODAY)
    assert report.flatten(("code", "column")) == [("kolom-hilang", "OPD Tujuan")]


def test_same_kegiatan_lokasi_and_desa_is_a_warning(issued: RawWorkbook) -> None:
    same = {"F6": "rabat beton jalan lingkungan.", "G6": "Dusun  I"}
    _, report = check(issued, {"Usulan": {**same, "D6": "Lau Damak"}})
    assert pairs(report) == [("usulan-ganda", "F6")] and report.ok
    _, report = check(issued, {"Usulan": {**same, "D6": "Timbang Lawan"}})
    assert report.issues == []


def test_usulan_kosong_from_rekap(tmp_path: Path) -> None:
    _, report = check_file(tmp_path, usulan=[], locked_usulan=0)
    assert report.codes() == ["usulan-kosong"]
    _, report = check_file(
        tmp_path, {"Identitas": {"B5": "Pelaksanaan"}}, usulan=[], locked_usulan=0
    )
    assert report.issues == []


def test_formula_without_value(tmp_path: Path) -> None:
    _, report = check_file(tmp_path, {"Usulan": {"J3": "=H3*750000", "B4": "=B3"}})
    assert pairs(report) == [("rumus-tanpa-nilai", "J3"), ("rumus-tanpa-nilai", "B4")]
