"""Jadwal against reality: `jadwal-berbeda`, `surat-terlambat`, and the letters' number and date."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pipeline.cli import main
from pipeline.core.config import Settings
from pipeline.core.models import IdentitasDesa, JadwalDesa, RawTable
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.documents.convert import Converter
from pipeline.kecamatan.check_jadwal import jadwal_berbeda
from pipeline.kecamatan.documents import produce_kecamatan_documents
from pipeline.run.batch import PassResult
from tests.conftest import desa_inbox
from tests.test_kecamatan_validation import check_file, ident
from tests.test_render_kecamatan import docx_text, flat, realistic
from tests.workbooks import KECAMATAN, TANGGAL, make_desa_workbook

Run = Callable[[], PassResult]
KEC = "12.05.01"
LAU = "12.05.01.2002"
# What Lau Damak's own workbook records (tests/workbooks.py IDENTITAS)
HELD = {"Tanggal Musrenbang": TANGGAL, "Jam Mulai": "09.00", "Tempat": "Balai Desa Lau Damak"}
JADWAL_CELL = {"Tanggal Musrenbang": "C4", "Jam Mulai": "D4", "Tempat": "E4"}  # row 4: Lau Damak


# ----------------------------------------------------------------------------- pure


def _jadwal(**kw: Any) -> JadwalDesa:
    values: dict[str, Any] = dict(
        row=4, kode_desa=LAU, nama_desa="Lau Damak", tanggal_musrenbang=TANGGAL,
        jam_mulai="09.00", tempat="Balai Desa Lau Damak",
    )  # fmt: skip
    values.update(kw)
    return JadwalDesa(**values)


TABLE = RawTable(
    sheet="Jadwal",
    header_row=2,
    columns={"Kode Desa/Kelurahan": "A", "Tanggal Musrenbang": "C", "Jam Mulai": "D",
             "Tempat": "E"},
    rows=[],
)  # fmt: skip
OWN = IdentitasDesa(tanggal_musrenbang=TANGGAL, jam_mulai="09.00", tempat="Balai Desa Lau Damak")


@pytest.mark.parametrize(
    ("field", "planned", "label"),
    [
        ("tanggal_musrenbang", dt.date(2026, 1, 14), "Tanggal Musrenbang"),
        ("jam_mulai", "14.00", "Jam Mulai"),
        ("tempat", "Kantor Desa Lau Damak", "Tempat"),
    ],
)
def test_each_field_that_differs_is_one_warning(field: str, planned: object, label: str) -> None:
    found = jadwal_berbeda([_jadwal(**{field: planned})], {LAU: OWN}, TABLE, {LAU: "Desa"})
    assert [(i.code, i.severity.value, i.cell, i.column) for i in found] == [
        ("jadwal-berbeda", "warning", JADWAL_CELL[label], label)
    ]
    assert "Desa Lau Damak" in found[0].message


def test_the_same_place_written_differently_and_unknown_desa_are_quiet() -> None:
    same = _jadwal(tempat="  balai desa, LAU DAMAK ")
    assert jadwal_berbeda([same], {LAU: OWN}, TABLE, {}) == []
    assert jadwal_berbeda([_jadwal(jam_mulai="10.00")], {}, TABLE, {}) == []  # no workbook yet
    empty_row = _jadwal(tanggal_musrenbang=None, jam_mulai=None, tempat=None)
    assert jadwal_berbeda([empty_row], {LAU: OWN}, TABLE, {}) == []
    all_three = _jadwal(tanggal_musrenbang=dt.date(2026, 1, 20), jam_mulai="08.00", tempat="Aula")
    assert [i.column for i in jadwal_berbeda([all_three], {LAU: OWN}, TABLE, {})] == [
        "Tanggal Musrenbang",
        "Jam Mulai",
        "Tempat",
    ]


# ----------------------------------------------------------------------------- surat-terlambat


def test_letter_dated_after_the_meeting_is_late(tmp_path: Path) -> None:
    # Jadwal: Pekan Bahorok 12-01-2026 (row 3), Lau Damak 13-01-2026 (row 4), Timbang Lawan empty
    label = "Tanggal Surat Pemberitahuan"
    book, report = check_file(tmp_path, {"Identitas": {ident(label): "12/01/2026"}})
    assert report.issues == [] and book is not None  # on the day of the first: not after it
    assert book.identitas.tanggal_surat_pemberitahuan == dt.date(2026, 1, 12)
    _, report = check_file(tmp_path, {"Identitas": {ident(label): "13 Januari 2026"}})
    assert report.flatten(("code", "severity", "sheet", "cell")) == [
        ("surat-terlambat", "warning", "Jadwal", "C3")
    ]
    assert report.ok and "Pekan Bahorok" in report.issues[0].message
    _, report = check_file(tmp_path, {"Identitas": {ident(label): dt.date(2026, 2, 1)}})
    assert report.flatten(("code", "cell")) == [
        ("surat-terlambat", "C3"),
        ("surat-terlambat", "C4"),
    ]
    _, report = check_file(tmp_path, {"Identitas": {ident(label): "besok"}})
    assert report.flatten(("code", "cell")) == [("tanggal-tidak-valid", ident(label))]


def test_nomor_and_tanggal_surat_are_read_and_issued_back(tmp_path: Path) -> None:
    from tests.test_kecamatan_workbook import IDENTITAS, write_kec

    identitas = IDENTITAS.model_copy(
        update={
            "nomor_surat_pemberitahuan": "005/12/BHR/2026",
            "tanggal_surat_pemberitahuan": dt.date(2026, 1, 5),
        }
    )
    path = write_kec(tmp_path / "kec.xlsx", identitas=identitas)
    sheet = load_workbook(path)["Identitas"]
    n = ident("Nomor Surat Pemberitahuan")
    t = ident("Tanggal Surat Pemberitahuan")
    assert sheet[n.replace("B", "A")].value == "Nomor Surat Pemberitahuan"
    assert sheet[n].value == "005/12/BHR/2026" and sheet[n].number_format == "@"
    assert sheet[t.replace("B", "A")].value == "Tanggal Surat Pemberitahuan"
    assert sheet[t].value.date() == dt.date(2026, 1, 5)
    book, report = check_file(tmp_path, identitas=identitas)
    assert report.issues == [] and book is not None
    assert book.identitas.nomor_surat_pemberitahuan == "005/12/BHR/2026"
    assert book.identitas.tanggal_surat_pemberitahuan == dt.date(2026, 1, 5)


# ----------------------------------------------------------------------------- letters


def _with_letter_number(tahap: Any = None) -> Any:
    snap = realistic()
    identitas = snap.identitas.model_copy(
        update={
            "nomor_surat_pemberitahuan": "005/12/BHR/2026",
            "tanggal_surat_pemberitahuan": dt.date(2026, 1, 5),
        }
    )
    return snap.model_copy(update={"identitas": identitas})


def _letters(folder: Path, suffix: str) -> dict[str, Path]:
    return {p.stem: p for p in folder.glob(f"Surat Pemberitahuan*{suffix}")}


def test_letters_carry_the_number_and_date_or_dots(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    produce_kecamatan_documents(ws, Settings(), _with_letter_number(), None)
    letters = _letters(ws.outbox_kecamatan(KECAMATAN, 2027), ".docx")
    assert len(letters) == 2
    for path in letters.values():
        text = flat(docx_text(path))
        assert "Nomor : 005/12/BHR/2026" in text
        assert "Bahorok, 5 Januari 2026" in text
        assert "....../......" not in text
    ws2 = Workspace(tmp_path / "ws2")
    produce_kecamatan_documents(ws2, Settings(), realistic(), None)
    for path in _letters(ws2.outbox_kecamatan(KECAMATAN, 2027), ".docx").values():
        text = flat(docx_text(path))
        assert "Nomor : ....../......" in text and "Bahorok, ......" in text


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_letters_pdf_carry_the_number_and_date(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    settings = Settings()
    with Converter(settings.pdf, ws.runtime) as conv:
        result = produce_kecamatan_documents(ws, settings, _with_letter_number(), conv)
    assert result.issues == []
    letters = _letters(ws.outbox_kecamatan(KECAMATAN, 2027), ".pdf")
    assert len(letters) == 2
    for path in letters.values():
        text = flat(" ".join(p.extract_text() or "" for p in PdfReader(path).pages))
        assert "005/12/BHR/2026" in text and "Bahorok, 5 Januari 2026" in text


# ----------------------------------------------------------------------------- on the receipt


@pytest.fixture
def sent_lau(workspace: Workspace, run: Run, tmp_path: Path) -> KecamatanOperator:
    src = make_desa_workbook(tmp_path / "lau.xlsx", tahap="Persiapan", usulan=[])
    shutil.copyfile(src, desa_inbox(workspace, LAU) / src.name)
    assert [r.status.value for r in run().receipts] == ["accepted"]
    root = str(workspace.root)
    assert main(["workbook", "kecamatan", KEC, "--tahun", "2027", "--root", root]) == 0
    return KecamatanOperator(workspace, KEC, 2027)


PERSIAPAN = {
    "Tahap": "Persiapan",
    "Tanggal Musrenbang": "20/11/2026",
    "Jam Mulai": "08.30",
    "Tempat": "Aula Kantor Camat",
    "Alamat": "Jl. Perintis Kemerdekaan 1",
    "Nama Camat": "Drs. Ahmad Syafii Lubis",
}


@pytest.mark.parametrize("label", ["Tanggal Musrenbang", "Jam Mulai", "Tempat"])
def test_jadwal_berbeda_on_the_kecamatan_receipt(
    sent_lau: KecamatanOperator, run: Run, label: str
) -> None:
    other = {"Tanggal Musrenbang": "14/01/2026", "Jam Mulai": "14.00", "Tempat": "Kantor Desa"}
    row = tuple(other[k] if k == label else HELD[k] for k in HELD)
    sent_lau.drop(
        PERSIAPAN,
        jadwal={LAU: row, "12.05.01.2003": ("15/01/2026", "09.00", "Balai Desa")},  # no workbook
    )
    r = run().receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Persiapan"), r.issues
    assert [(i.code, i.cell, i.column) for i in r.issues if i.code != "pdf-dilewati"] == [
        ("jadwal-berbeda", JADWAL_CELL[label], label)
    ]
    # the warning is marked on the Jadwal cell of the current workbook
    sheet = load_workbook(sent_lau.current())["Jadwal"]
    comment = sheet[JADWAL_CELL[label]].comment
    assert comment is not None and "Peringatan" in comment.text
    assert "buku kerja Desa Lau Damak mencatat" in comment.text


def test_jadwal_as_the_desa_held_it_is_quiet(sent_lau: KecamatanOperator, run: Run) -> None:
    sent_lau.drop(PERSIAPAN, jadwal={LAU: ("13-01-2026", "09:00", "balai desa lau damak")})
    r = run().receipts[-1]
    assert r.status.value == "accepted"
    assert [i.code for i in r.issues] == ["pdf-dilewati"]  # no LibreOffice here; nothing else
