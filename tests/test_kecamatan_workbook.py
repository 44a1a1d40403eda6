"""The Buku Kerja Musrenbang Kecamatan: written, read back, validated, and through Calc once."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.config import BatasSettings
from pipeline.core.models import (
    IdentitasKecamatan,
    JadwalDesa,
    Peserta,
    UsulanKecamatan,
    Wilayah,
)
from pipeline.core.report import issue
from pipeline.core.standard import (
    BIDANG,
    BIDANG_KELURAHAN,
    JADWAL_COLUMNS,
    KECAMATAN_IDENTITAS_LABELS,
    KECAMATAN_USULAN_COLUMNS,
    PESERTA_COLUMNS,
    SUMBER_DANA,
    UNSUR,
    Keputusan,
    TahapKecamatan,
)
from pipeline.core.wilayah import WilayahList
from pipeline.intake.issue_marks import ERROR_RGB, SHEET_MASALAH, WARNING_RGB, mark_issues_on_copy
from pipeline.intake.xlsx_read import read_workbook
from pipeline.kecamatan.validation import validate_kecamatan
from pipeline.kecamatan.workbook import write_kecamatan_workbook
from tests.conftest import WILAYAH_CSV
from tests.lo import calc_resave, needs_libreoffice

LIMITS = BatasSettings()
TODAY = dt.date(2026, 3, 2)

KECAMATAN = Wilayah(kode="12.05.01", nama="Bahorok")
# The region rows of conftest, plus a neighbouring kecamatan (Salapian) for "not ours" checks.
WILAYAH = WilayahList(
    [
        Wilayah(kode=k, nama=n)
        for k, n in (line.split(",", 1) for line in WILAYAH_CSV.splitlines()[1:] if line)
    ]
    + [
        Wilayah(kode="12.05.02", nama="Salapian"),
        Wilayah(kode="12.05.02.2002", nama="Perkebunan Tanjung Keliling"),
    ]
)
DESA = WILAYAH.desa_in("12.05.01")  # Pekan Bahorok, Lau Damak, Timbang Lawan

IDENTITAS = IdentitasKecamatan(
    tanggal_musrenbang=dt.date(2026, 2, 10),
    jam_mulai="09.00",
    tempat="Aula Kantor Camat Bahorok",
    alamat="Jl. Kapten Tandean No. 1, Pekan Bahorok",
    nama_camat="Drs. Ahmad Fauzi Tarigan",
    nip_camat="197506122001121003",
    nama_sekcam="Surya Darma Ginting, S.Sos",
    nip_sekcam="198003152006041008",
    pimpinan_sidang="Drs. Ahmad Fauzi Tarigan",
    notulen="Rina Sembiring",
    nomor_berita_acara="050/112/BA/2026",
    peserta_l=3,
    peserta_p=2,
)
JADWAL = [
    JadwalDesa(
        kode_desa="12.05.01.1001",
        nama_desa="Pekan Bahorok",
        tanggal_musrenbang=dt.date(2026, 1, 12),
        jam_mulai="09.00",
        tempat="Kantor Lurah Pekan Bahorok",
    ),
    JadwalDesa(
        kode_desa="12.05.01.2002",
        nama_desa="Lau Damak",
        tanggal_musrenbang=dt.date(2026, 1, 13),
        jam_mulai="14.00",
        tempat="Balai Desa Lau Damak",
    ),
    JadwalDesa(kode_desa="12.05.01.2003", nama_desa="Timbang Lawan"),
]
PESERTA = [
    Peserta(nama="Drs. Ahmad Fauzi Tarigan", jenis_kelamin="L", unsur="Lainnya", jabatan="Camat"),
    Peserta(nama="Rahmat Sembiring", jenis_kelamin="L", unsur="Pemerintah Desa/Kelurahan"),
    Peserta(nama="Rina Sembiring", jenis_kelamin="P", unsur="Lainnya", no_hp="081264410021"),
    Peserta(nama="Ponirin", jenis_kelamin="L", unsur="Tokoh Masyarakat"),
    Peserta(nama="Nurhayati br Tarigan", jenis_kelamin="P", unsur="PKK"),
]


def _usulan(
    kode: str | None, desa: str | None, asal: str, kegiatan: str, **kw: Any
) -> UsulanKecamatan:
    values: dict[str, Any] = dict(
        kode_usulan=kode,
        desa=desa,
        asal=asal,
        bidang=BIDANG[1],
        kegiatan=kegiatan,
        lokasi="Dusun I",
        volume=Decimal("250"),
        satuan="meter",
        biaya=187_500_000,
        sumber_dana="APBD Kabupaten",
        keputusan=Keputusan.DITERIMA,
    )
    values.update(kw)
    return UsulanKecamatan(**values)


USULAN = [
    _usulan("12.05.01.2002-2027-0001", "Lau Damak", "Dusun I", "Rabat beton jalan lingkungan",
            prioritas=1, opd_tujuan="Dinas PUPR"),
    _usulan("12.05.01.2002-2027-0002", "Lau Damak", "Dusun III", "Pelatihan menjahit",
            bidang=BIDANG[3], volume=Decimal("1.5"), satuan="paket", biaya=15_000_000,
            keputusan=Keputusan.DITOLAK, catatan="Bukan kewenangan kabupaten"),
    _usulan("12.05.01.1001-2027-0001", "Pekan Bahorok", "Lingkungan II", "Drainase",
            bidang=BIDANG_KELURAHAN[0], lokasi="Lingkungan II", prioritas=2,
            keputusan=Keputusan.REVISI, catatan="Volume dikurangi menjadi 200 meter",
            volume=Decimal("200"), opd_tujuan="Dinas PUPR"),
    _usulan(None, None, "UPT Puskesmas Bahorok", "Posyandu lansia keliling",
            bidang=BIDANG[2], lokasi="Kecamatan Bahorok", satuan="unit", volume=Decimal("1"),
            biaya=45_000_000, prioritas=3, opd_tujuan="Dinas Kesehatan"),
]  # fmt: skip
LOCKED = 3  # the three desa rows come first


def write_kec(path: Path, **kw: Any) -> Path:
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
    return write_kecamatan_workbook(path, **args)


def validations(ws: Worksheet) -> dict[str, str]:
    """First cell of each list validation -> its formula."""
    return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}


def daftar_values(wb: Any, ref: str) -> list[object]:
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


def usulan_letter(label: str) -> str:
    return "ABCDEFGHIJKLMNO"[KECAMATAN_USULAN_COLUMNS.index(label)]


# ----------------------------------------------------------------------------- layout


def test_sheets_labels_and_petunjuk(tmp_path: Path) -> None:
    wb = load_workbook(write_kec(tmp_path / "kec.xlsx"))
    assert wb.sheetnames == ["Petunjuk", "Identitas", "Jadwal", "Peserta", "Usulan", "Daftar"]
    assert wb["Daftar"].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in wb.sheetnames[:5])
    assert wb.active is not None and wb.active.title == "Identitas"
    ident = wb["Identitas"]
    n = len(KECAMATAN_IDENTITAS_LABELS)
    assert [
        ident.cell(row=r, column=1).value for r in range(2, 2 + n)
    ] == KECAMATAN_IDENTITAS_LABELS
    assert [c.value for c in wb["Jadwal"][2]] == JADWAL_COLUMNS
    assert [c.value for c in wb["Peserta"][2]] == PESERTA_COLUMNS
    assert [c.value for c in wb["Usulan"][2]] == KECAMATAN_USULAN_COLUMNS
    assert "Kecamatan Bahorok" in wb["Usulan"]["A1"].value
    text = " ".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    for word in ("Jadwal", "Persiapan", "Pelaksanaan", "Rekap", "Kirim", "Kode Usulan",
                 "UPT", "Asal Usulan", "OPD Tujuan", "Ditolak", "Surat Pemberitahuan"):  # fmt: skip
        assert word in text, word


def test_values_written(tmp_path: Path) -> None:
    wb = load_workbook(write_kec(tmp_path / "kec.xlsx"))
    ident, jadwal, usulan = wb["Identitas"], wb["Jadwal"], wb["Usulan"]
    assert [ident[f"B{r}"].value for r in (2, 3, 4, 5)] == ["12.05.01", "Bahorok", 2027, "Rekap"]
    assert ident["B11"].value == "197506122001121003" and ident["B11"].data_type == "s"
    assert ident["B17"].value is None  # Nomor Surat Pengantar not yet
    assert [jadwal[f"A{r}"].value for r in (3, 4, 5)] == [d.kode for d in DESA]
    assert jadwal["C4"].value == dt.datetime(2026, 1, 13) and jadwal["C5"].value is None
    assert [usulan[f"A{r}"].value for r in range(3, 7)] == [1, 2, 3, 4]
    assert usulan["B3"].value == "12.05.01.2002-2027-0001" and usulan["B6"].value is None
    assert usulan["D5"].value == "Pekan Bahorok" and usulan["C6"].value == "UPT Puskesmas Bahorok"
    assert usulan["L6"].value == "Dinas Kesehatan" and usulan["N4"].value == "Ditolak"
    assert usulan["H4"].value == 1.5 and usulan["J3"].value == 187_500_000


def test_dropdowns_point_at_the_lists(tmp_path: Path) -> None:
    wb = load_workbook(write_kec(tmp_path / "kec.xlsx"))
    expected = {
        ("Identitas", "B5"): [t.value for t in TahapKecamatan],
        ("Usulan", "E3"): BIDANG + BIDANG_KELURAHAN,  # rows of desa and kelurahan
        ("Usulan", "K3"): SUMBER_DANA + ["Dana Kelurahan"],
        ("Usulan", "N3"): [k.value for k in Keputusan],
        ("Peserta", "C3"): ["L", "P"],
        ("Peserta", "D3"): UNSUR,
    }
    for (sheet, first), values in expected.items():
        formula = validations(wb[sheet])[first]
        assert formula.startswith("Daftar!")
        assert daftar_values(wb, formula) == values, (sheet, first)
    assert validations(wb["Jadwal"]) == {}


def test_protection_locks_prefilled_cells_only(tmp_path: Path) -> None:
    wb = load_workbook(write_kec(tmp_path / "kec.xlsx"))
    ident = wb["Identitas"]
    assert ident.protection.sheet and ident.protection.password is None
    for r, label in enumerate(KECAMATAN_IDENTITAS_LABELS, start=2):
        assert ident.cell(row=r, column=1).protection.locked
        prefilled = label in ("Kode Kecamatan", "Nama Kecamatan", "Tahun Rencana")
        assert ident.cell(row=r, column=2).protection.locked == prefilled, label
    jadwal = wb["Jadwal"]
    assert jadwal.protection.sheet and jadwal.protection.insertRows and jadwal.protection.deleteRows
    for r in (3, 4, 5):
        assert jadwal[f"A{r}"].protection.locked and jadwal[f"B{r}"].protection.locked
        assert not any(jadwal[f"{c}{r}"].protection.locked for c in "CDE")
    assert not jadwal["A6"].protection.locked
    usulan = wb["Usulan"]
    assert usulan.protection.sheet and not usulan.protection.insertRows
    for r in (3, 4, 5):  # desa rows: kode, asal, desa locked; the rest open
        assert all(usulan[f"{c}{r}"].protection.locked for c in "BCD"), r
        assert not any(usulan[f"{c}{r}"].protection.locked for c in "EFJLMNO"), r
    assert not any(usulan[f"{c}6"].protection.locked for c in "BCDEN")  # the UPT row
    assert not usulan[f"B{usulan.max_row}"].protection.locked  # the last spare row
    assert not usulan.column_dimensions["B"].protection.locked  # and every row below


def test_formats(tmp_path: Path) -> None:
    wb = load_workbook(write_kec(tmp_path / "kec.xlsx"))
    ident, jadwal, usulan = wb["Identitas"], wb["Jadwal"], wb["Usulan"]
    for ref in ("B2", "B7", "B11", "B13"):  # kode, jam, both NIPs
        assert ident[ref].number_format == "@", ref
    assert ident["B6"].number_format == "dd/mm/yyyy"
    assert jadwal["A3"].number_format == "@" and jadwal["D3"].number_format == "@"
    assert jadwal["C5"].number_format == "dd/mm/yyyy"
    last = usulan.max_row  # the last spare row; below it the column styles
    assert usulan["B3"].number_format == "@" and usulan[f"B{last}"].number_format == "@"
    assert "Rp" in usulan["J3"].number_format and "Rp" in usulan[f"J{last}"].number_format
    assert usulan.column_dimensions["B"].number_format == "@"
    assert "Rp" in usulan.column_dimensions["J"].number_format


def test_written_workbook_reads_back_and_validates_clean(tmp_path: Path) -> None:
    raw, report = read_workbook(write_kec(tmp_path / "kec.xlsx"), LIMITS)
    assert raw is not None and report.issues == []
    assert raw.kind == "kecamatan"
    assert raw.jadwal is not None and raw.usulan is not None and raw.peserta is not None
    book, vreport = validate_kecamatan(raw, WILAYAH, today=TODAY)
    assert book is not None and vreport.issues == [], vreport.flatten()
    assert book.identitas == IDENTITAS.model_copy(
        update={"kode": "12.05.01", "nama": "Bahorok", "tahun": 2027, "tahap": "Rekap"}
    )
    assert [j.model_dump(exclude={"row"}) for j in book.jadwal] == [
        j.model_dump(exclude={"row"}) for j in JADWAL
    ]
    assert [u.model_dump(exclude={"row"}) for u in book.usulan] == [
        u.model_dump(exclude={"row"}) for u in USULAN
    ]
    assert [u.row for u in book.usulan] == [3, 4, 5, 6]
    assert [p.nama for p in book.peserta] == [p.nama for p in PESERTA]
    assert book.identitas_cells["Tahap"] == "B5"
    assert book.usulan_columns["Kode Usulan"] == "B" and book.usulan_sheet == "Usulan"


def test_blank_workbook_needs_the_persiapan_fields(tmp_path: Path) -> None:
    path = write_kec(
        tmp_path / "kosong.xlsx",
        tahap=None,
        identitas=None,
        jadwal=[JadwalDesa(kode_desa=d.kode, nama_desa=d.nama) for d in DESA],
        peserta=[],
        usulan=[],
    )
    raw, report = read_workbook(path, LIMITS)
    assert raw is not None and report.ok and raw.kind == "kecamatan"
    book, vreport = validate_kecamatan(raw, WILAYAH, today=TODAY)
    assert book is not None
    assert vreport.flatten(("code", "cell")) == [
        ("wajib-diisi", f"B{r}") for r in (5, 6, 7, 8, 9, 10)
    ]
    assert [j.kode_desa for j in book.jadwal] == [d.kode for d in DESA]
    assert not any(j.terisi for j in book.jadwal)


def test_issues_are_marked_on_the_written_cells(tmp_path: Path) -> None:
    usulan = [
        u.model_copy(update={"row": row}) for u, row in zip(USULAN, (8, 9, 11, 12), strict=True)
    ]
    jadwal = [j.model_copy(update={"row": row}) for j, row in zip(JADWAL, (4, 5, 6), strict=True)]
    found = [
        issue(
            "biaya-tidak-valid", "biaya", sheet="Usulan", cell="J11", column="Perkiraan Biaya (Rp)"
        ),  # noqa: E501
        issue("wajib-diisi", "nomor", sheet="Identitas", cell="B20", column="Nomor Berita Acara"),
        issue("jam-tidak-valid", "jam", sheet="Jadwal", cell="D5", column="Jam Mulai"),
        issue("desa-belum-kirim", "belum", sheet="Identitas"),
        issue("usulan-ganda", "ganda", sheet="Usulan", cell="F12", column="Kegiatan"),
    ]
    wb = load_workbook(write_kec(tmp_path / "kec.xlsx", usulan=usulan, jadwal=jadwal, issues=found))
    assert wb.sheetnames[0] == SHEET_MASALAH
    ident, jadwal_ws, usulan_ws = wb["Identitas"], wb["Jadwal"], wb["Usulan"]

    def fill(ws: Worksheet, ref: str) -> str | None:
        cell = ws[ref]
        return cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type == "solid" else None

    assert fill(usulan_ws, "J5") == ERROR_RGB and usulan_ws["J5"].comment is not None
    assert fill(usulan_ws, "F6") == WARNING_RGB
    assert fill(ident, "B16") == ERROR_RGB  # Nomor Berita Acara
    assert fill(jadwal_ws, "D4") == ERROR_RGB
    assert ident["A1"].comment is not None and "belum" in ident["A1"].comment.text
    masalah = wb[SHEET_MASALAH]
    assert [masalah.cell(row=r, column=5).value for r in range(2, 7)].count("usulan-ganda") == 1


def test_write_is_atomic_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out" / "Buku Kerja Musrenbang Kecamatan Bahorok 2027.xlsx"
    assert write_kec(target) == target
    first = target.read_bytes()
    write_kec(target, tahap=TahapKecamatan.KIRIM)
    assert target.read_bytes() != first
    assert [p.name for p in target.parent.iterdir()] == [target.name]
    with zipfile.ZipFile(target) as zf:  # text stays text: no formula anywhere
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if "worksheets/sheet" in n)


def test_marked_copy_of_a_kecamatan_workbook_keeps_its_dropdowns(tmp_path: Path) -> None:
    source = write_kec(tmp_path / "kec.xlsx")
    target = mark_issues_on_copy(
        source,
        tmp_path / "perbaiki.xlsx",
        [issue("wajib-diisi", "kosong", sheet="Usulan", cell="F4")],
    )
    wb = load_workbook(target)
    assert wb["Usulan"]["F4"].comment is not None
    formula = validations(wb["Identitas"])["B5"]
    assert daftar_values(wb, formula) == [t.value for t in TahapKecamatan]
    raw, report = read_workbook(target, LIMITS)
    assert raw is not None and report.ok and raw.kind == "kecamatan"


# ----------------------------------------------------------------------------- LibreOffice


@needs_libreoffice
@pytest.mark.libreoffice
def test_round_trip_through_calc(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    saved = calc_resave(write_kec(src / "kecamatan.xlsx"), tmp_path / "out")
    raw, report = read_workbook(saved, LIMITS)
    assert raw is not None and report.issues == [], report.issues
    assert raw.kind == "kecamatan"
    assert raw.sheet_names == ["Petunjuk", "Identitas", "Jadwal", "Peserta", "Usulan", "Daftar"]
    book, vreport = validate_kecamatan(raw, WILAYAH, today=TODAY)
    assert book is not None and vreport.issues == [], vreport.flatten()
    assert book.identitas.nip_camat == "197506122001121003"
    assert book.identitas.jam_mulai == "09.00"
    assert [u.model_dump(exclude={"row"}) for u in book.usulan] == [
        u.model_dump(exclude={"row"}) for u in USULAN
    ]
    assert [j.model_dump(exclude={"row"}) for j in book.jadwal] == [
        j.model_dump(exclude={"row"}) for j in JADWAL
    ]
    # what Calc kept of the look: hidden lists, dropdowns, protection
    wb = load_workbook(saved)
    assert wb["Daftar"].sheet_state == "hidden"
    assert daftar_values(wb, validations(wb["Usulan"])["E3"]) == BIDANG + BIDANG_KELURAHAN
    assert daftar_values(wb, validations(wb["Identitas"])["B5"]) == [
        t.value for t in TahapKecamatan
    ]
    assert wb["Identitas"]["B2"].protection.locked and not wb["Identitas"]["B6"].protection.locked
    assert wb["Jadwal"]["A3"].protection.locked and not wb["Jadwal"]["C3"].protection.locked
    usulan = wb["Usulan"]
    assert usulan["B3"].protection.locked and usulan["C5"].protection.locked
    assert not usulan["C6"].protection.locked  # the UPT row stays open
    # Calc does not write empty cells: an empty Kode Usulan is open by its column's style
    assert not usulan.column_dimensions["B"].protection.locked
    assert usulan.protection.sheet and not usulan.protection.insertRows
