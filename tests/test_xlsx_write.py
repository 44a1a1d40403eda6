"""Writing the desa workbook and marking issues, checked with openpyxl, the reader and Calc."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.config import BatasSettings
from pipeline.core.models import IdentitasDesa, Peserta, Usulan
from pipeline.core.report import issue
from pipeline.core.standard import (
    BIDANG,
    IDENTITAS_LABELS,
    PESERTA_COLUMNS,
    SUMBER_DANA,
    UNSUR_DESA,
    USULAN_COLUMNS,
    Keputusan,
    Tahap,
)
from pipeline.desa.workbook import write_desa_workbook
from pipeline.intake.issue_marks import (
    AUTHOR,
    ERROR_RGB,
    SHEET_MASALAH,
    WARNING_RGB,
    mark_issues_on_copy,
)
from pipeline.intake.xlsx_read import read_workbook
from pipeline.intake.xlsx_write import FIRST_DATA_ROW, INPUT_ROWS
from tests.lo import calc_resave_many, needs_libreoffice
from tests.workbooks import (
    DESA,
    KECAMATAN,
    KELURAHAN,
    TANGGAL,
    Variant,
    identitas_cell,
    make_desa_workbook,
)

LIMITS = BatasSettings()

IDENTITAS = IdentitasDesa(
    tanggal_musrenbang=TANGGAL,
    jam_mulai="09.00",
    tempat="Balai Desa Lau Damak",
    alamat="Jl. Bahorok - Bukit Lawang",
    nama_kepala="Rahmat Sembiring",
    nip_kepala="197005152006041012",
    pimpinan_rapat="Syahrial Ginting",
    notulen="Sri Wahyuni",
    peserta_l=6,
    peserta_p=4,
)
USULAN = [
    Usulan(
        row=9,
        kode_usulan="12.05.01.2002-2027-0001",
        asal="Dusun I",
        bidang=BIDANG[1],
        kegiatan="Rabat beton jalan lingkungan",
        lokasi="Dusun I RT 02",
        volume=Decimal("250"),
        satuan="meter",
        biaya=187_500_000,
        sumber_dana="APBDes",
        pm_l=120,
        pm_p=115,
        prioritas=1,
        keputusan=Keputusan.DITERIMA,
    ),
    Usulan(
        row=12,
        kode_usulan="12.05.01.2002-2027-0002",
        asal="=SUM(A1:A9)",  # formula-looking text typed by an operator
        bidang=BIDANG[3],
        kegiatan="+62 pelatihan",
        lokasi="-Dusun II",
        volume=Decimal("1.5"),
        satuan="@paket",
        biaya=15_000_000,
        sumber_dana="Swadaya",
        keputusan=Keputusan.DITOLAK,
        catatan="Bukan kewenangan desa",
    ),
]
PESERTA = [
    Peserta(row=4, nama="Rahmat Sembiring", jenis_kelamin="L", unsur="BPD", no_hp="081264410021"),
    Peserta(row=5, nama="Sri Wahyuni", jenis_kelamin="P", unsur="PKK", no_hp="0813"),
]


def write(path: Path, **kw: object) -> Path:
    args: dict[str, object] = dict(
        desa=DESA,
        kecamatan=KECAMATAN,
        tahun=2027,
        tahap=Tahap.VERIFIKASI,
        identitas=IDENTITAS,
        peserta=PESERTA,
        usulan=USULAN,
    )
    args.update(kw)
    return write_desa_workbook(path, **args)  # type: ignore[arg-type]


def daftar_values(wb: object, ref: str) -> list[object]:
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]  # type: ignore[index]
    return [c.value for row in ws[cells.replace("$", "")] for c in row]


def validations(ws: Worksheet) -> dict[str, tuple[str, str]]:
    """First cell of each list validation -> (formula, sqref)."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        sqref = str(dv.sqref)
        found[sqref.split(":")[0]] = (dv.formula1, sqref)
    return found


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- layout


def test_sheets_labels_and_hidden_list_sheet(tmp_path: Path) -> None:
    path = write(tmp_path / "bk.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Petunjuk", "Identitas", "Peserta", "Usulan", "Daftar"]
    assert wb["Daftar"].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in wb.sheetnames[:4])
    assert wb.active is not None and wb.active.title == "Identitas"
    ident = wb["Identitas"]
    assert [ident.cell(row=r, column=1).value for r in range(2, 17)] == IDENTITAS_LABELS
    assert ident.freeze_panes == "A2"
    usulan = wb["Usulan"]
    assert [c.value for c in usulan[2]] == USULAN_COLUMNS
    assert [c.value for c in wb["Peserta"][2]][: len(PESERTA_COLUMNS)] == PESERTA_COLUMNS
    assert usulan.freeze_panes == "C3" and wb["Peserta"].freeze_panes == "A3"
    text = " ".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    for word in ("Kode Usulan", "Ditolak", "Verifikasi", "Kirim", ".xlsx", "inbox", "13/01/2026"):
        assert word in text


def test_dropdowns_point_at_the_lists(tmp_path: Path) -> None:
    wb = load_workbook(write(tmp_path / "bk.xlsx"))
    usulan = validations(wb["Usulan"])
    peserta = validations(wb["Peserta"])
    ident = validations(wb["Identitas"])
    expected = {
        ("Usulan", "D3"): BIDANG,
        ("Usulan", "J3"): SUMBER_DANA,
        ("Usulan", "O3"): [k.value for k in Keputusan],
        ("Peserta", "C3"): ["L", "P"],
        ("Peserta", "D3"): UNSUR_DESA,  # a desa: no Kepala Lingkungan
        ("Identitas", "B6"): [t.value for t in Tahap],
    }
    for (sheet, first), values in expected.items():
        found = {"Usulan": usulan, "Peserta": peserta, "Identitas": ident}[sheet]
        formula, sqref = found[first]
        assert formula.startswith("Daftar!")
        assert daftar_values(wb, formula) == values
        if sheet != "Identitas":
            assert sqref.endswith("502")  # 500 rows below the header
    assert len(usulan) == 3 and len(peserta) == 2 and len(ident) == 1


def test_protection_locks_labels_and_prefilled_only(tmp_path: Path) -> None:
    wb = load_workbook(write(tmp_path / "bk.xlsx"))
    ident = wb["Identitas"]
    assert ident.protection.sheet
    for label in IDENTITAS_LABELS:
        row = 2 + IDENTITAS_LABELS.index(label)
        assert ident.cell(row=row, column=1).protection.locked
        prefilled = label in ("Kode Desa/Kelurahan", "Nama Desa/Kelurahan", "Kecamatan", "Tahun Rencana")  # fmt: skip
        assert ident.cell(row=row, column=2).protection.locked == prefilled, label
    for name in ("Usulan", "Peserta"):
        ws = wb[name]
        p = ws.protection
        assert p.sheet and p.password is None
        # openpyxl flags say "protected"; False means the operator may do it
        assert not (p.insertRows or p.deleteRows or p.formatCells or p.sort or p.autoFilter)
        assert ws["A2"].protection.locked and ws["B2"].protection.locked
        last = "P3" if name == "Usulan" else "G3"
        for ref in ("A3", "B3", last, f"E{FIRST_DATA_ROW + INPUT_ROWS - 1}"):
            assert not ws[ref].protection.locked, (name, ref)
        assert not ws.column_dimensions["E"].protection.locked  # every later row too


def test_formats(tmp_path: Path) -> None:
    wb = load_workbook(write(tmp_path / "bk.xlsx"))
    ident, usulan, peserta = wb["Identitas"], wb["Usulan"], wb["Peserta"]
    assert ident[identitas_cell("NIP Kepala Desa/Lurah")].number_format == "@"
    assert ident[identitas_cell("Jam Mulai")].number_format == "@"
    assert ident[identitas_cell("Tanggal Musrenbang")].number_format == "dd/mm/yyyy"
    assert "#,##0" in usulan["I3"].number_format and "Rp" in usulan["I3"].number_format
    spare = usulan.max_row  # the last explicit cells: the spare rows below the data
    assert FIRST_DATA_ROW + INPUT_ROWS - 1 <= spare < FIRST_DATA_ROW + INPUT_ROWS + 10
    assert "#,##0" in usulan[f"I{spare}"].number_format
    assert usulan["B3"].number_format == "@" and usulan[f"B{spare}"].number_format == "@"
    assert "#,##0" in usulan.column_dimensions["I"].number_format
    assert usulan.column_dimensions["B"].number_format == "@"
    assert peserta["G3"].number_format == "@"
    assert usulan.column_dimensions["E"].width > 30


# ----------------------------------------------------------------------------- values


def test_values_written_as_data(tmp_path: Path) -> None:
    path = write(tmp_path / "bk.xlsx")
    wb = load_workbook(path)
    ident, usulan, peserta = wb["Identitas"], wb["Usulan"], wb["Peserta"]
    assert ident["B2"].value == "12.05.01.2002" and ident["B3"].value == "Lau Damak"
    assert ident["B4"].value == "Bahorok" and ident["B5"].value == 2027
    assert ident["B6"].value == "Verifikasi"
    assert ident["B7"].value == dt.datetime(2026, 1, 13)
    assert ident["B12"].value == "197005152006041012" and ident["B12"].data_type == "s"
    assert ident["B15"].value == 6
    assert [usulan.cell(row=r, column=1).value for r in (3, 4)] == [1, 2]  # renumbered
    assert usulan["B4"].value == "12.05.01.2002-2027-0002"
    assert usulan["G3"].value == 250 and isinstance(usulan["G3"].value, int)
    assert usulan["G4"].value == 1.5
    assert usulan["I3"].value == 187_500_000
    assert usulan["O4"].value == "Ditolak" and usulan["N4"].value is None
    assert peserta["A4"].value == 2 and peserta["G3"].value == "081264410021"
    assert usulan["A5"].value is None
    # formula-looking text stays text: no <f> element anywhere in the sheet XML
    for ref, text in (("C4", "=SUM(A1:A9)"), ("E4", "+62 pelatihan"), ("F4", "-Dusun II")):
        assert usulan[ref].value == text and usulan[ref].data_type == "s"
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in zf.read(name)


def test_written_workbook_reads_back(tmp_path: Path) -> None:
    raw, report = read_workbook(write(tmp_path / "bk.xlsx"), LIMITS)
    assert raw is not None and report.issues == []
    assert raw.identitas is not None and raw.usulan is not None and raw.peserta is not None
    assert raw.identitas.values["Tahap"].value == "Verifikasi"
    assert [r.row for r in raw.usulan.rows] == [3, 4]
    cells = raw.usulan.rows[1].cells
    assert cells["Asal Usulan"].value == "=SUM(A1:A9)"
    assert not cells["Asal Usulan"].is_formula_without_value
    assert len(raw.peserta.rows) == 2


def test_blank_workbook_and_kelurahan(tmp_path: Path) -> None:
    path = write_desa_workbook(
        tmp_path / "kosong.xlsx", desa=KELURAHAN, kecamatan=KECAMATAN, tahun=2027, tahap=None
    )
    wb = load_workbook(path)
    assert wb["Identitas"]["B6"].value is None and wb["Identitas"]["B7"].value is None
    assert wb["Usulan"]["A1"].value.startswith("Daftar Usulan Musrenbang Kelurahan Pekan Bahorok")
    assert SHEET_MASALAH not in wb.sheetnames
    raw, report = read_workbook(path, LIMITS)
    assert raw is not None and report.ok and raw.usulan is not None and raw.usulan.rows == []


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    usulan = [USULAN[0].model_copy(update={"kegiatan": "Jalan\x07 desa\x00"})]
    wb = load_workbook(write(tmp_path / "bk.xlsx", usulan=usulan))
    assert wb["Usulan"]["E3"].value == "Jalan desa"


def test_write_is_atomic_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out" / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx"
    write(target)
    first = sha(target)
    write(target, tahap=Tahap.KIRIM)
    assert sha(target) != first
    assert [p.name for p in target.parent.iterdir()] == [target.name]


# ----------------------------------------------------------------------------- issue marks


def marks(ws: Worksheet, ref: str) -> tuple[str | None, str | None]:
    cell = ws[ref]
    rgb = cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None
    text = cell.comment.text if cell.comment else None
    return (rgb[-6:] if isinstance(rgb, str) else None), text


def test_issues_marked_on_written_cells_translated_from_dropped_rows(tmp_path: Path) -> None:
    found = [
        # the usulan that stood in row 12 of the dropped workbook is written to row 4
        issue(
            "biaya-tidak-valid",
            "Lembar Usulan sel I12: biaya",
            sheet="Usulan",
            cell="I12",
            row=12,
            column="Perkiraan Biaya (Rp)",
        ),  # fmt: skip
        issue(
            "usulan-ganda",
            "Lembar Usulan sel E9: ganda",
            sheet="Usulan",
            cell="E9",
            row=9,
            column="Kegiatan",
        ),  # fmt: skip
        issue(
            "jam-tidak-valid",
            "Lembar Identitas sel B20: jam",
            sheet="Identitas",
            cell="B20",
            row=20,
            column="Jam Mulai",
        ),  # fmt: skip
        issue(
            "pilihan-tidak-valid",
            "Lembar Peserta sel C5: L/P",
            sheet="Peserta",
            cell="C5",
            row=5,
            column="Jenis Kelamin",
        ),  # fmt: skip
        issue("usulan-kosong", "Tidak ada usulan"),
        issue("usulan-hilang", "Lembar Usulan: usulan 0003 hilang", sheet="Usulan"),
    ]
    wb = load_workbook(write(tmp_path / "bk.xlsx", issues=found))
    usulan, ident, peserta = wb["Usulan"], wb["Identitas"], wb["Peserta"]
    assert marks(usulan, "I4") == (ERROR_RGB, "Kesalahan: Lembar Usulan sel I12: biaya")
    assert marks(usulan, "E3")[0] == WARNING_RGB
    assert usulan["E3"].comment.author == AUTHOR
    assert marks(ident, identitas_cell("Jam Mulai"))[0] == ERROR_RGB
    assert marks(peserta, "C4")[0] == ERROR_RGB
    assert "usulan 0003 hilang" in (marks(usulan, "A1")[1] or "")
    assert "Tidak ada usulan" in (marks(ident, "A1")[1] or "")
    assert usulan["I3"].comment is None and usulan["I12"].comment is None
    listing = wb[SHEET_MASALAH]
    assert wb.sheetnames[0] == SHEET_MASALAH
    codes = [listing.cell(row=r, column=5).value for r in range(2, 8)]
    assert sorted(codes) == sorted(i.code for i in found)
    refs = {listing.cell(row=r, column=4).value for r in range(2, 8)}
    assert {"I4", "E3", "B8", "C4"} <= refs


def test_issues_follow_source_rows_when_models_have_none(tmp_path: Path) -> None:
    dropped = make_desa_workbook(tmp_path / "drop.xlsx", variant=Variant(blank_rows=1))
    raw, _ = read_workbook(dropped, LIMITS)
    assert raw is not None and raw.usulan is not None
    assert [r.row for r in raw.usulan.rows] == [2, 4, 6, 8, 10]
    ledger = [USULAN[n % 2].model_copy(update={"row": None}) for n in range(5)]
    found = [issue("usulan-ganda", "x", sheet="Usulan", cell="E6", row=6, column="Kegiatan")]
    wb = load_workbook(write(tmp_path / "bk.xlsx", usulan=ledger, issues=found, source=raw))
    assert marks(wb["Usulan"], "E5")[0] == WARNING_RGB  # third usulan, written in row 5
    assert marks(wb["Usulan"], "E6")[0] is None


def test_mark_issues_on_copy(tmp_path: Path) -> None:
    source = make_desa_workbook(tmp_path / "drop.xlsx")
    before = sha(source)
    found = [
        issue("biaya-tidak-valid", "biaya", sheet="Usulan", cell="I4", row=4),
        issue("prioritas-pada-ditolak", "prioritas", sheet="usulan", cell="N6", row=6),
        issue("usulan-ganda", "ganda 1", sheet="Usulan", cell="E5"),
        issue("biaya-tidak-valid", "biaya lagi", sheet="Usulan", cell="E5"),
        issue("lembar-hilang", "Lembar Jadwal tidak ada", sheet="Jadwal"),
        issue("usulan-kosong", "tanpa tempat"),
        issue("wajib-diisi", "bukan sel", sheet="Usulan", cell="ZZZ0"),
    ]
    target = tmp_path / "outbox" / "Buku Kerja (perbaiki).xlsx"
    mark_issues_on_copy(source, target, found)
    assert sha(source) == before
    wb = load_workbook(target)
    usulan = wb["Usulan"]
    assert marks(usulan, "I4")[0] == ERROR_RGB
    assert marks(usulan, "N6")[0] == WARNING_RGB
    fill, text = marks(usulan, "E5")
    assert fill == ERROR_RGB and "ganda 1" in (text or "") and "biaya lagi" in (text or "")
    assert "bukan sel" in (marks(usulan, "A1")[1] or "")
    note = marks(wb["Identitas"], "A1")[1] or ""
    assert "Lembar Jadwal tidak ada" in note and "tanpa tempat" in note
    assert wb.sheetnames[0] == SHEET_MASALAH
    assert wb[SHEET_MASALAH].max_row == len(found) + 1
    # the marked copy is still a workbook the reader understands, with the same values
    raw, report = read_workbook(target, LIMITS)
    assert raw is not None and report.ok and raw.usulan is not None
    assert [r.row for r in raw.usulan.rows] == [3, 4, 5, 6, 7]
    # marking the marked copy again starts afresh
    again = tmp_path / "again.xlsx"
    mark_issues_on_copy(target, again, [issue("usulan-ganda", "baru", sheet="Usulan", cell="E6")])
    wb = load_workbook(again)
    assert marks(wb["Usulan"], "I4") == (None, None)
    assert marks(wb["Usulan"], "E6")[0] == WARNING_RGB
    assert wb.sheetnames.count(SHEET_MASALAH) == 1 and wb[SHEET_MASALAH].max_row == 2


def test_mark_on_a_merged_cell_goes_to_its_top_left(tmp_path: Path) -> None:
    source = make_desa_workbook(tmp_path / "drop.xlsx")
    wb = load_workbook(source)
    wb["Usulan"].merge_cells("P3:P4")
    wb.save(source)
    target = tmp_path / "perbaiki.xlsx"
    mark_issues_on_copy(source, target, [issue("catatan-wajib", "alasan", sheet="Usulan", cell="P4")])  # fmt: skip
    assert marks(load_workbook(target)["Usulan"], "P3")[0] == ERROR_RGB


def test_mark_puts_back_lost_dropdowns(tmp_path: Path) -> None:
    # Excel keeps cross-sheet dropdowns in an x14 extension that openpyxl drops on load;
    # a workbook whose dropdowns are gone stands in for it.
    source = make_desa_workbook(tmp_path / "drop.xlsx")
    wb = load_workbook(source)
    for ws in wb.worksheets:
        ws.data_validations.dataValidation = []
    wb["Usulan"].insert_cols(3)  # the operator inserted a column: dropdowns follow headers
    wb.save(source)
    target = tmp_path / "perbaiki.xlsx"
    mark_issues_on_copy(source, target, [issue("biaya-tidak-valid", "x", sheet="Usulan", cell="J3")])  # fmt: skip
    wb = load_workbook(target)
    usulan = validations(wb["Usulan"])
    assert daftar_values(wb, usulan["E3"][0]) == BIDANG
    assert daftar_values(wb, usulan["K3"][0]) == SUMBER_DANA
    assert daftar_values(wb, validations(wb["Peserta"])["D3"][0]) == UNSUR_DESA
    assert daftar_values(wb, validations(wb["Identitas"])["B6"][0]) == [t.value for t in Tahap]
    # a workbook that still has its dropdowns is left alone
    again = tmp_path / "lagi.xlsx"
    mark_issues_on_copy(target, again, [])
    wb = load_workbook(again)
    assert len(wb["Usulan"].data_validations.dataValidation) == 3
    assert SHEET_MASALAH not in wb.sheetnames  # no issues, no list


def test_mark_keeps_an_operator_comment_and_drops_macros(tmp_path: Path) -> None:
    source = make_desa_workbook(tmp_path / "drop.xlsx")
    wb = load_workbook(source)
    wb["Usulan"]["I3"].comment = Comment("cek harga ke toko", "Operator")
    wb.save(source)
    xlsm = tmp_path / "drop.xlsm"
    shutil.copyfile(source, xlsm)
    target = tmp_path / "perbaiki.xlsx"
    mark_issues_on_copy(xlsm, target, [issue("biaya-tidak-valid", "biaya", sheet="Usulan", cell="I3")])  # fmt: skip
    text = load_workbook(target)["Usulan"]["I3"].comment.text
    assert "biaya" in text and "cek harga ke toko" in text
    with zipfile.ZipFile(target) as zf:
        types = zf.read("[Content_Types].xml").decode()
    assert "macroEnabled" not in types


# ----------------------------------------------------------------------------- LibreOffice


@pytest.fixture(scope="module")
def calc_saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Our written workbook and a marked copy, each re-saved once by Calc (one process)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    base = tmp_path_factory.mktemp("calc")
    src = base / "src"
    src.mkdir()
    written = write(src / "ditulis.xlsx")
    marked = mark_issues_on_copy(
        make_desa_workbook(base / "drop.xlsx"),
        src / "ditandai.xlsx",
        [issue("biaya-tidak-valid", "biaya", sheet="Usulan", cell="I4")],
    )
    out = calc_resave_many([written, marked], base / "out")
    return {"written": out[0], "marked": out[1]}


@needs_libreoffice
@pytest.mark.libreoffice
def test_round_trip_through_calc(calc_saved: dict[str, Path]) -> None:
    raw, report = read_workbook(calc_saved["written"], LIMITS)
    assert raw is not None and report.issues == [], report.issues
    assert raw.sheet_names == ["Petunjuk", "Identitas", "Peserta", "Usulan", "Daftar"]
    assert raw.identitas is not None and raw.usulan is not None and raw.peserta is not None
    assert list(raw.identitas.values) == IDENTITAS_LABELS
    ident = {k: v.value for k, v in raw.identitas.values.items()}
    assert ident["Tanggal Musrenbang"] == dt.datetime(2026, 1, 13)
    assert ident["NIP Kepala Desa/Lurah"] == "197005152006041012"
    assert ident["Jam Mulai"] == "09.00" and ident["Tahun Rencana"] == 2027
    assert list(raw.usulan.columns) == USULAN_COLUMNS
    first, second = (r.cells for r in raw.usulan.rows)
    assert first["Perkiraan Biaya (Rp)"].value == 187_500_000
    assert first["Kode Usulan"].value == "12.05.01.2002-2027-0001"
    assert second["Volume"].value == 1.5
    assert second["Asal Usulan"].value == "=SUM(A1:A9)"
    assert second["Kegiatan"].value == "+62 pelatihan"
    assert not second["Asal Usulan"].is_formula_without_value
    assert raw.peserta.rows[1].cells["No. HP"].value == "0813"


@needs_libreoffice
@pytest.mark.libreoffice
def test_calc_keeps_dropdowns_protection_and_hidden_lists(calc_saved: dict[str, Path]) -> None:
    wb = load_workbook(calc_saved["written"])
    assert wb["Daftar"].sheet_state == "hidden"
    usulan = wb["Usulan"]
    assert usulan.protection.sheet and not usulan.protection.insertRows
    assert not usulan["E3"].protection.locked and usulan["E2"].protection.locked
    assert wb["Identitas"]["B2"].protection.locked
    assert not wb["Identitas"]["B7"].protection.locked
    formula, _ = validations(usulan)["D3"]
    assert daftar_values(wb, formula) == BIDANG


@needs_libreoffice
@pytest.mark.libreoffice
def test_marking_a_calc_saved_workbook(calc_saved: dict[str, Path], tmp_path: Path) -> None:
    # Calc opened our marked copy and kept the marks
    wb = load_workbook(calc_saved["marked"])
    assert marks(wb["Usulan"], "I4")[0] == ERROR_RGB
    assert SHEET_MASALAH in wb.sheetnames
    # and a Calc-saved file can be marked again (old marks cleared)
    target = tmp_path / "perbaiki.xlsx"
    mark_issues_on_copy(
        calc_saved["written"],
        target,
        [issue("wajib-diisi", "kosong", sheet="Identitas", cell="B13")],
    )
    wb = load_workbook(target)
    assert marks(wb["Identitas"], "B13")[0] == ERROR_RGB
    raw, report = read_workbook(target, LIMITS)
    assert raw is not None and report.ok and raw.usulan is not None
    assert len(raw.usulan.rows) == 2


def test_fixture_calc_saved_workbook_can_be_marked(tmp_path: Path) -> None:
    source = Path(__file__).parent / "data" / "desa-verifikasi-disimpan-calc.xlsx"
    before = sha(source)
    target = tmp_path / "perbaiki.xlsx"
    mark_issues_on_copy(source, target, [issue("biaya-tidak-valid", "x", sheet="Usulan", cell="I5")])  # fmt: skip
    assert sha(source) == before
    assert marks(load_workbook(target)["Usulan"], "I5")[0] == ERROR_RGB


def test_write_is_fast(tmp_path: Path) -> None:
    many = [USULAN[0].model_copy(update={"kegiatan": f"Kegiatan {n}"}) for n in range(200)]
    start = time.perf_counter()
    write(tmp_path / "besar.xlsx", usulan=many)
    assert time.perf_counter() - start < 2
