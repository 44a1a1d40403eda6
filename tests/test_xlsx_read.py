"""Reading workbooks: file guards, sheet/label/header finding, raw values, formulas."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from pipeline.core.config import BatasSettings
from pipeline.core.models import RawWorkbook
from pipeline.core.report import Report
from pipeline.core.standard import (
    IDENTITAS_LABELS,
    JADWAL_COLUMNS,
    KECAMATAN_IDENTITAS_LABELS,
    KECAMATAN_USULAN_COLUMNS,
    USULAN_COLUMNS,
)
from pipeline.intake.xlsx_read import MAX_ROWS, read_workbook
from tests.lo import calc_resave_many, needs_libreoffice
from tests.workbooks import (
    PESERTA,
    TANGGAL,
    USULAN,
    Variant,
    identitas_cell,
    make_desa_workbook,
    usulan_cell,
)

DATA = Path(__file__).parent / "data"
LIMITS = BatasSettings()


def read(path: Path, limits: BatasSettings = LIMITS) -> tuple[RawWorkbook, Report]:
    raw, report = read_workbook(path, limits)
    assert raw is not None, report.issues
    return raw, report


def rejected(path: Path, limits: BatasSettings = LIMITS) -> list[str]:
    raw, report = read_workbook(path, limits)
    assert raw is None
    assert not report.ok
    return report.codes()


# ----------------------------------------------------------------------------- issued layout


def test_issued_workbook_is_read_completely(tmp_path: Path) -> None:
    raw, report = read(make_desa_workbook(tmp_path / "bk.xlsx"))
    assert report.issues == []
    assert raw.kind == "desa"
    assert raw.sheet_names == ["Petunjuk", "Identitas", "Peserta", "Usulan", "Daftar"]
    assert raw.missing_columns == {}
    assert raw.identitas is not None and raw.usulan is not None and raw.peserta is not None
    assert list(raw.identitas.values) == IDENTITAS_LABELS
    for label in IDENTITAS_LABELS:
        assert raw.identitas.values[label].cell == identitas_cell(label)
    ident = raw.identitas.values
    assert ident["Kode Desa/Kelurahan"].value == "12.05.01.2002"
    assert ident["Tahun Rencana"].value == 2027
    assert ident["Tanggal Musrenbang"].value == dt.datetime(2026, 1, 13)
    assert ident["NIP Kepala Desa/Lurah"].value is None
    assert raw.usulan.header_row == 2
    assert raw.usulan.columns["Perkiraan Biaya (Rp)"] == "I"
    assert list(raw.usulan.columns) == USULAN_COLUMNS
    assert [r.row for r in raw.usulan.rows] == [3, 4, 5, 6, 7]
    first = raw.usulan.rows[0].cells
    assert first["Perkiraan Biaya (Rp)"].value == 187_500_000
    assert first["Perkiraan Biaya (Rp)"].cell == usulan_cell("Perkiraan Biaya (Rp)", 1) == "I3"
    assert raw.usulan.rows[3].cells["Volume"].value == 1.5
    assert raw.usulan.rows[3].cells["Prioritas"].value is None
    assert len(raw.peserta.rows) == len(PESERTA)
    assert raw.peserta.rows[0].cells["No. HP"].value == "081264410021"
    assert raw.jadwal is None


def test_empty_issued_workbook_has_no_rows(tmp_path: Path) -> None:
    path = make_desa_workbook(tmp_path / "kosong.xlsx", tahap=None, usulan=[], peserta=[])
    raw, report = read(path)
    assert report.ok
    assert raw.usulan is not None and raw.usulan.rows == []
    assert raw.peserta is not None and raw.peserta.rows == []
    assert raw.identitas is not None
    assert raw.identitas.values["Tahap"].value is None
    assert raw.identitas.values["Tahap"].cell == "B6"


# ----------------------------------------------------------------------------- free layouts


def test_title_rows_moved_extra_columns_and_blank_rows(tmp_path: Path) -> None:
    order = ["Kegiatan", "Lokasi", "No"]
    path = make_desa_workbook(
        tmp_path / "bebas.xlsx",
        variant=Variant(title_rows=3, column_order=order, extra_columns=["Keterangan", "TTD"], blank_rows=2),
    )  # fmt: skip
    raw, report = read(path)
    assert report.ok and raw.missing_columns == {}
    assert raw.usulan is not None
    assert raw.usulan.header_row == 4
    assert raw.usulan.columns["Kegiatan"] == "A"
    assert raw.usulan.columns["Lokasi"] == "D"
    assert raw.usulan.columns["No"] == "E"
    assert raw.usulan.extra_columns == ["Keterangan", "TTD"]
    assert "Keterangan" not in raw.usulan.rows[0].cells
    assert [r.row for r in raw.usulan.rows] == [5, 8, 11, 14, 17]
    second = raw.usulan.rows[1].cells
    assert second["Kegiatan"].value == USULAN[1]["Kegiatan"]
    assert second["Kegiatan"].cell == "A8"
    assert second["Lokasi"].cell == "D8"


def test_labels_ignore_case_spaces_and_colon_in_any_order(tmp_path: Path) -> None:
    path = make_desa_workbook(
        tmp_path / "label.xlsx",
        variant=Variant(
            label=lambda s: "  " + s.upper().replace(" ", "   ") + " :",
            identitas_reversed=True,
            identitas_first_row=3,
        ),
    )
    raw, _ = read(path)
    assert raw.identitas is not None
    assert set(raw.identitas.values) == set(IDENTITAS_LABELS)
    last = len(IDENTITAS_LABELS) + 2
    assert raw.identitas.label_rows["Kode Desa/Kelurahan"] == last
    assert raw.identitas.values["Kode Desa/Kelurahan"].cell == f"B{last}"
    assert raw.identitas.values["Jumlah Peserta Perempuan"].cell == "B3"
    assert raw.identitas.values["Tanggal Musrenbang"].value == dt.datetime(2026, 1, 13)


def test_header_labels_and_sheet_names_match_loosely(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = " IDENTITAS "
    ws.append(["Kode Desa/Kelurahan:", "12.05.01.2002"])
    us = wb.create_sheet("usulan")
    us.append(["no", "KEGIATAN", "lokasi  ", "Perkiraan\nBiaya (Rp)", "Bidang:"])
    us.append([1, "Sumur bor", "Dusun I", "Rp 15.000.000", None])
    wb.save(tmp_path / "longgar.xlsx")
    raw, _ = read(tmp_path / "longgar.xlsx")
    assert raw.identitas is not None and raw.identitas.sheet == " IDENTITAS "
    assert raw.identitas.values["Kode Desa/Kelurahan"].value == "12.05.01.2002"
    assert raw.usulan is not None and raw.usulan.sheet == "usulan"
    assert raw.usulan.columns == {
        "No": "A",
        "Kegiatan": "B",
        "Lokasi": "C",
        "Perkiraan Biaya (Rp)": "D",
        "Bidang": "E",
    }
    assert raw.usulan.rows[0].cells["Perkiraan Biaya (Rp)"].value == "Rp 15.000.000"
    assert raw.peserta is None  # missing sheet: validation reports it
    assert "Usulan" in raw.missing_columns and "Kegiatan" not in raw.missing_columns["Usulan"]


def test_rows_without_data_are_skipped_but_numbered_rows_are_not_data(tmp_path: Path) -> None:
    cells = {"A5": 3, "A6": 4, "E6": "   ", "A8": 5, "E9": "Sumur bor"}
    path = make_desa_workbook(tmp_path / "kosong.xlsx", usulan=USULAN[:2], cells={"Usulan": cells})
    raw, _ = read(path)
    assert raw.usulan is not None
    assert [r.row for r in raw.usulan.rows] == [3, 4, 9]
    assert raw.usulan.rows[2].cells["No"].value is None
    assert raw.usulan.rows[2].cells["Kegiatan"].value == "Sumur bor"


def test_values_are_raw_and_strings_unstripped(tmp_path: Path) -> None:
    row = {**USULAN[0], "Kegiatan": "  Rabat beton  ", "Volume": "1,5", "Prioritas": True}
    path = make_desa_workbook(
        tmp_path / "raw.xlsx", usulan=[row], cells={"Identitas": {"B8": dt.time(9, 30)}}
    )
    raw, _ = read(path)
    assert raw.usulan is not None and raw.identitas is not None
    cells = raw.usulan.rows[0].cells
    assert cells["Kegiatan"].value == "  Rabat beton  "
    assert cells["Volume"].value == "1,5"
    assert cells["Prioritas"].value is True
    assert raw.identitas.values["Jam Mulai"].value == dt.time(9, 30)


def test_missing_required_and_optional_columns(tmp_path: Path) -> None:
    drop = ["Bidang", "Keputusan", "Penerima Manfaat RTM", "Jenis Kelamin", "Unsur"]
    drop += ["Jabatan/Lembaga", "Alamat", "No. HP"]
    path = make_desa_workbook(tmp_path / "kurang.xlsx", variant=Variant(drop_columns=drop))
    raw, _ = read(path)
    assert raw.missing_columns == {"Usulan": ["Bidang", "Keputusan"]}
    assert raw.usulan is not None and len(raw.usulan.rows) == 5
    assert raw.peserta is not None and list(raw.peserta.columns) == ["No", "Nama"]


def test_table_without_header_row_reports_all_required_columns(tmp_path: Path) -> None:
    path = make_desa_workbook(tmp_path / "tanpa-judul.xlsx")
    wb = load_workbook(path)
    wb["Usulan"].delete_rows(1, 2)
    wb.save(path)
    raw, _ = read(path)
    assert raw.usulan is not None and raw.usulan.rows == [] and raw.usulan.header_row == 0
    assert raw.missing_columns["Usulan"][0] == "Asal Usulan"
    assert len(raw.missing_columns["Usulan"]) == 11


def test_header_below_row_ten_is_not_found(tmp_path: Path) -> None:
    path = make_desa_workbook(tmp_path / "jauh.xlsx", variant=Variant(title_rows=10))
    raw, _ = read(path)
    assert "Usulan" in raw.missing_columns
    path = make_desa_workbook(tmp_path / "dekat.xlsx", variant=Variant(title_rows=9))
    raw, _ = read(path)
    assert raw.missing_columns == {}


def test_missing_identitas_sheet(tmp_path: Path) -> None:
    path = make_desa_workbook(tmp_path / "tanpa-identitas.xlsx")
    wb = load_workbook(path)
    del wb["Identitas"]
    wb.save(path)
    raw, report = read(path)
    assert report.ok
    assert raw.identitas is None and raw.kind == "desa"
    assert raw.usulan is not None and len(raw.usulan.rows) == 5


def test_kecamatan_workbook(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Identitas"
    for label in KECAMATAN_IDENTITAS_LABELS:
        ws.append([label, None])
    ws["B1"] = "12.05.01"
    jadwal = wb.create_sheet("Jadwal")
    jadwal.append(JADWAL_COLUMNS)
    jadwal.append(["12.05.01.2002", "Lau Damak", TANGGAL, "09.00", "Balai Desa"])
    jadwal.append(["12.05.01.2003", "Timbang Lawan", None, None, None])
    usulan = wb.create_sheet("Usulan")
    usulan.append(KECAMATAN_USULAN_COLUMNS)
    usulan.append([1, "12.05.01.2002-2027-0001", "Dusun I", "Lau Damak"])
    wb.save(tmp_path / "kec.xlsx")
    raw, _ = read(tmp_path / "kec.xlsx")
    assert raw.kind == "kecamatan"
    assert raw.identitas is not None
    assert list(raw.identitas.values) == KECAMATAN_IDENTITAS_LABELS
    assert raw.identitas.values["Kode Kecamatan"].value == "12.05.01"
    assert raw.usulan is not None and raw.usulan.columns["Desa/Kelurahan"] == "D"
    assert raw.usulan.columns["OPD Tujuan"] == "L"
    assert raw.jadwal is not None and [r.row for r in raw.jadwal.rows] == [2, 3]
    assert raw.missing_columns == {}
    assert raw.peserta is None


def test_merged_title_and_formatted_rows_to_the_end_of_the_sheet(tmp_path: Path) -> None:
    path = make_desa_workbook(tmp_path / "format.xlsx", variant=Variant(title_rows=1))
    wb = load_workbook(path)
    ws = wb["Usulan"]
    ws.merge_cells("A1:P1")
    ws.cell(row=1_048_576, column=16).font = Font(bold=True)  # max_row lies
    wb.save(path)
    start = time.perf_counter()
    raw, report = read(path)
    assert time.perf_counter() - start < 5
    assert report.ok
    assert raw.usulan is not None and [r.row for r in raw.usulan.rows] == [3, 4, 5, 6, 7]


def test_a_value_far_below_the_table_is_reported(tmp_path: Path) -> None:
    far = {"Usulan": {f"E{MAX_ROWS + 5}": "tersesat"}}
    path = make_desa_workbook(tmp_path / "jauh.xlsx", cells=far)
    raw, report = read(path)
    assert report.codes() == ["berkas-terlalu-besar"]
    assert report.issues[0].sheet == "Usulan"
    assert raw.usulan is not None and len(raw.usulan.rows) == 5


# ----------------------------------------------------------------------------- formulas


def test_formula_without_cached_value_is_marked(tmp_path: Path) -> None:
    cells = {
        "Usulan": {"I4": "=G4*300000", "P4": '=IF(O4="x","a","")'},
        "Identitas": {"B15": '=COUNTIF(Peserta!C3:C12,"L")'},
    }
    path = make_desa_workbook(tmp_path / "rumus.xlsx", cells=cells)
    raw, report = read(path)
    assert report.ok
    assert raw.usulan is not None and raw.identitas is not None
    biaya = raw.usulan.rows[1].cells["Perkiraan Biaya (Rp)"]
    assert (biaya.cell, biaya.value, biaya.is_formula_without_value) == ("I4", None, True)
    assert raw.usulan.rows[1].cells["Catatan Keputusan"].is_formula_without_value
    assert not raw.usulan.rows[0].cells["Perkiraan Biaya (Rp)"].is_formula_without_value
    assert raw.identitas.values["Jumlah Peserta Laki-laki"].is_formula_without_value
    assert not raw.identitas.values["Jumlah Peserta Perempuan"].is_formula_without_value


def test_row_holding_only_an_uncomputed_formula_is_kept(tmp_path: Path) -> None:
    path = make_desa_workbook(
        tmp_path / "rumus.xlsx", usulan=USULAN[:1], cells={"Usulan": {"I6": "=1+1"}}
    )
    raw, _ = read(path)
    assert raw.usulan is not None and [r.row for r in raw.usulan.rows] == [3, 6]
    assert raw.usulan.rows[1].cells["Perkiraan Biaya (Rp)"].is_formula_without_value


def test_formulas_cached_by_calc_give_their_values() -> None:
    raw, report = read(DATA / "desa-rumus-tersimpan-calc.xlsx")
    assert report.ok
    assert raw.usulan is not None and raw.identitas is not None
    biaya = raw.usulan.rows[0].cells["Perkiraan Biaya (Rp)"]
    assert (biaya.value, biaya.is_formula_without_value) == (187_500_000, False)
    # =IF(...,"") cached as an empty string is a value, not a missing one
    catatan = raw.usulan.rows[0].cells["Catatan Keputusan"]
    assert catatan.value in (None, "") and not catatan.is_formula_without_value
    assert raw.identitas.values["Jumlah Peserta Laki-laki"].value == 6
    assert raw.identitas.values["Jumlah Peserta Perempuan"].value == 4


# ----------------------------------------------------------------------------- Calc fixtures


def test_fixture_issued_workbook_saved_by_calc() -> None:
    raw, report = read(DATA / "desa-verifikasi-disimpan-calc.xlsx")
    assert report.ok and raw.missing_columns == {}
    assert raw.identitas is not None and raw.usulan is not None and raw.peserta is not None
    assert raw.identitas.values["Tanggal Musrenbang"].value == dt.datetime(2026, 1, 13)
    assert raw.identitas.values["Jam Mulai"].value == "09.00"
    assert [r.row for r in raw.usulan.rows] == [3, 4, 5, 6, 7]
    assert raw.usulan.rows[3].cells["Volume"].value == 1.5
    assert len(raw.peserta.rows) == 10


def test_fixture_free_layout_saved_by_calc() -> None:
    raw, report = read(DATA / "desa-tata-letak-bebas-calc.xlsx")
    assert report.ok and raw.missing_columns == {}
    assert raw.identitas is not None and raw.usulan is not None
    assert set(raw.identitas.values) == set(IDENTITAS_LABELS)
    assert raw.usulan.header_row == 3 and raw.usulan.extra_columns == ["Keterangan"]
    assert raw.usulan.columns["Kegiatan"] == "A"
    assert [r.row for r in raw.usulan.rows] == [4, 6, 8, 10, 12]


def test_fixture_numbers_and_dates_as_text() -> None:
    raw, _ = read(DATA / "desa-angka-teks-calc.xlsx")
    assert raw.identitas is not None and raw.usulan is not None
    assert raw.identitas.values["Tanggal Musrenbang"].value == "13/01/2026"
    assert raw.usulan.rows[0].cells["Perkiraan Biaya (Rp)"].value == "Rp 187.500.000"
    assert raw.usulan.rows[3].cells["Volume"].value == "1,5"


# ----------------------------------------------------------------------------- file guards


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".csv", ".numbers", ".XLS"])
def test_unsupported_formats(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"buku{suffix}"
    path.write_bytes(b"No;Kegiatan\n1;Sumur bor\n")
    assert rejected(path) == ["format-tidak-didukung"]
    _, report = read_workbook(path, LIMITS)
    assert ".xlsx" in report.issues[0].message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")
    assert rejected(path) == ["berkas-kosong"]


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "acak.xlsx"
    path.write_bytes(random.Random(1).randbytes(5000))
    assert rejected(path) == ["berkas-rusak"]


def test_csv_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "teks.xlsx"
    path.write_text("No,Kegiatan\n1,Sumur bor\n")
    assert rejected(path) == ["berkas-rusak"]


def test_truncated_xlsx(tmp_path: Path) -> None:
    good = make_desa_workbook(tmp_path / "utuh.xlsx").read_bytes()
    for n, cut in enumerate((len(good) // 2, len(good) - 30, 100)):
        path = tmp_path / f"potong{n}.xlsx"
        path.write_bytes(good[:cut])
        assert rejected(path) == ["berkas-rusak"]


def test_zip_that_is_not_a_workbook_and_empty_zip(tmp_path: Path) -> None:
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("foto/dokumentasi.txt", "bukan buku kerja")
    assert rejected(path) == ["berkas-rusak"]
    empty = tmp_path / "kosong-zip.xlsx"
    with zipfile.ZipFile(empty, "w"):
        pass
    assert rejected(empty) == ["berkas-rusak"]


def test_ods_and_ole_renamed_to_xlsx(tmp_path: Path) -> None:
    ods = tmp_path / "ods.xlsx"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert rejected(ods) == ["format-tidak-didukung"]
    ole = tmp_path / "lama.xlsx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    assert rejected(ole) == ["format-tidak-didukung"]


def test_xlsx_with_a_broken_part(tmp_path: Path) -> None:
    good = make_desa_workbook(tmp_path / "utuh.xlsx")
    bad = tmp_path / "rusak.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":
                data = data[: len(data) // 2]  # malformed XML
            dst.writestr(info, data)
    assert rejected(bad) == ["berkas-rusak"]


def test_random_corruption_never_raises(tmp_path: Path) -> None:
    good = make_desa_workbook(tmp_path / "utuh.xlsx").read_bytes()
    rng = random.Random(7)
    for n in range(25):
        data = bytearray(good)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"acak{n}.xlsx"
        path.write_bytes(bytes(data))
        raw, report = read_workbook(path, LIMITS)  # must not raise
        if raw is None:
            assert report.codes() in (["berkas-rusak"], ["berkas-terlalu-besar"])


def test_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "bom.xlsx"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):  # 300 MB of zeros, 1.4 MB packed at level 1
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    start = time.perf_counter()
    assert rejected(path) == ["berkas-terlalu-besar"]
    assert time.perf_counter() - start < 1
    # Within the unpacked-size limit, the compression ratio (about 220:1) gives it away.
    limits = BatasSettings(isi_zip_mb=1000, rasio_zip=100)
    assert rejected(path, limits) == ["berkas-terlalu-besar"]
    _, report = read_workbook(path, limits)
    assert "rasio" in report.issues[0].message


def test_size_and_member_limits(tmp_path: Path) -> None:
    path = make_desa_workbook(tmp_path / "bk.xlsx")
    assert rejected(path, BatasSettings(buku_kerja_mb=0.01)) == ["berkas-terlalu-besar"]
    many = tmp_path / "banyak.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(many, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for n in range(1001):
            dst.writestr(f"xl/media/image{n}.png", b"x")
    assert rejected(many) == ["berkas-terlalu-besar"]


def test_xlsm_is_read_with_a_warning(tmp_path: Path) -> None:
    path = make_desa_workbook(tmp_path / "bk.xlsx")
    xlsm = tmp_path / "bk.xlsm"
    shutil.copyfile(path, xlsm)
    raw, report = read_workbook(xlsm, LIMITS, display_name="Buku Kerja Lau Damak.xlsm")
    assert raw is not None and raw.is_macro_enabled
    assert report.codes() == ["makro-diabaikan"] and report.ok
    assert "Buku Kerja Lau Damak.xlsm" in report.issues[0].message
    assert raw.file_name == "Buku Kerja Lau Damak.xlsm"
    assert raw.usulan is not None and len(raw.usulan.rows) == 5


def test_display_name_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "0001-claimed.xlsx"
    path.write_bytes(b"")
    _, report = read_workbook(path, LIMITS, display_name="Usulan Lau Damak.xlsx")
    assert "Usulan Lau Damak.xlsx" in report.issues[0].message


def test_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    assert rejected(tmp_path / "tidak-ada.xlsx") == ["berkas-rusak"]


def test_reading_is_fast(tmp_path: Path) -> None:
    many = [{**USULAN[n % 5], "Kegiatan": f"Kegiatan {n}"} for n in range(300)]
    # a formula forces the scan of the sheet XML
    path = make_desa_workbook(
        tmp_path / "besar.xlsx", usulan=many, cells={"Usulan": {"I3": "=G3*2"}}
    )
    start = time.perf_counter()
    raw, _ = read(path)
    elapsed = time.perf_counter() - start
    assert raw.usulan is not None and len(raw.usulan.rows) == 300
    assert elapsed < 3, elapsed


# ----------------------------------------------------------------------------- LibreOffice


@needs_libreoffice
@pytest.mark.libreoffice
def test_xls_made_by_calc_is_refused_even_renamed(tmp_path: Path) -> None:
    src = make_desa_workbook(tmp_path / "buku.xlsx")
    xls = calc_resave_many([src], tmp_path / "xls", "xls")[0]
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert rejected(xls) == ["format-tidak-didukung"]
    renamed = tmp_path / "xls-diganti-nama.xlsx"
    renamed.write_bytes(xls.read_bytes())
    assert rejected(renamed) == ["format-tidak-didukung"]


def test_extension_comes_from_the_operators_file_name(tmp_path: Path) -> None:
    claimed = tmp_path / "proses-7f3a"  # a claimed copy without extension
    shutil.copyfile(make_desa_workbook(tmp_path / "bk.xlsx"), claimed)
    raw, report = read_workbook(claimed, LIMITS, display_name="Buku Kerja Lau Damak.xlsx")
    assert raw is not None and report.ok and raw.usulan is not None
    raw, report = read_workbook(claimed, LIMITS, display_name="Buku Kerja Lau Damak.xls")
    assert raw is None and report.codes() == ["format-tidak-didukung"]


def test_wrong_dimension_record_is_ignored(tmp_path: Path) -> None:
    # WPS Office may write <dimension ref="A1:A1"/> for a full sheet
    good = make_desa_workbook(tmp_path / "utuh.xlsx")
    wps = tmp_path / "wps.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(wps, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:A1"/>', data)
            dst.writestr(info, data)
    raw, report = read(wps)
    assert report.ok and raw.usulan is not None and len(raw.usulan.rows) == 5
    assert raw.identitas is not None and len(raw.identitas.values) == len(IDENTITAS_LABELS)
