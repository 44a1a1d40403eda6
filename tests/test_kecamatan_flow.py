"""The kecamatan's flow through real workbooks (Sooko SOP steps 1-7), without LibreOffice."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pipeline.cli import main
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.run.batch import PassResult
from pipeline.scans.samples import make_scan
from tests.conftest import desa_inbox
from tests.paket_helpers import register_key, signed_package
from tests.workbooks import make_desa_workbook

Run = Callable[[], PassResult]
KEC = "12.05.01"

PERSIAPAN = {
    "Tahap": "Persiapan",
    "Tanggal Musrenbang": "20/11/2026",
    "Jam Mulai": "08.30",
    "Tempat": "Aula Kantor Camat",
    "Alamat": "Jl. Perintis Kemerdekaan 1",
    "Nama Camat": "Drs. Ahmad Syafii Lubis",
}
REKAP = {
    "Tahap": "Rekap",
    "Pimpinan Sidang": "Drs. Ahmad Syafii Lubis",
    "Notulen": "Siti Aminah",
    "Nomor Berita Acara": "050/1/BHR/2026",
    "Jumlah Peserta Laki-laki": 20,
    "Jumlah Peserta Perempuan": 10,
}
UPT = [("UPT Puskesmas Bahorok", "", "Pembinaan Kemasyarakatan", "Posyandu lansia", "Bahorok",
        12, "kegiatan", 36_000_000, "APBD Kabupaten", "Dinas Kesehatan")]  # fmt: skip


def send_desa(ws: Workspace, tmp: Path, kode: str = "12.05.01.2002", tahap: str = "Kirim") -> None:
    from tests.workbooks import DESA, KECAMATAN

    desa = (
        DESA
        if kode == DESA.kode
        else DESA.model_copy(update={"kode": kode, "nama": "Timbang Lawan"})
    )
    src = make_desa_workbook(tmp / f"{kode}.xlsx", desa=desa, kecamatan=KECAMATAN, tahap=tahap)
    shutil.copyfile(src, desa_inbox(ws, kode) / src.name)
    make_scan(desa_inbox(ws, kode) / "pindaian" / "berita-acara" / "ba.jpg", "BA", fmt="jpg")
    make_scan(desa_inbox(ws, kode) / "pindaian" / "daftar-hadir" / "dh.jpg", "DH", fmt="jpg")


@pytest.fixture
def kecamatan(workspace: Workspace, run: Run, tmp_path: Path) -> KecamatanOperator:
    send_desa(workspace, tmp_path)
    assert all(r.status.value == "accepted" for r in run().receipts)
    assert (
        main(["workbook", "kecamatan", KEC, "--tahun", "2027", "--root", str(workspace.root)]) == 0
    )
    return KecamatanOperator(workspace, KEC, 2027)


def test_issued_kecamatan_workbook_holds_the_agreed_usulan_of_sent_desa(
    kecamatan: KecamatanOperator,
) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(kecamatan.current())["Usulan"]
    kode = [c.value for c in sheet["B"][2:] if c.value]
    # the default desa workbook has 4 accepted usulan and 1 rejected one
    assert kode == [f"12.05.01.2002-2027-{n:04d}" for n in (1, 2, 3, 5)]


def test_kecamatan_flow_to_kirim_and_unlock(
    workspace: Workspace, run: Run, kecamatan: KecamatanOperator
) -> None:
    kecamatan.drop(PERSIAPAN, jadwal={"12.05.01.2003": ("18/11/2026", "09.00", "Balai Desa")})
    r = run().receipts[-1]
    assert (r.kind.value, r.status.value, r.stage) == (
        "workbook-kecamatan",
        "accepted",
        "Persiapan",
    ), r.issues
    assert any("Surat Pemberitahuan Musrenbang Desa Timbang Lawan 2027" in o for o in r.outputs)

    kecamatan.drop(REKAP, decide=True, upt=UPT)
    r = run().receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Rekap"), r.issues
    assert "desa-belum-kirim" in [i.code for i in r.issues]
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    upt = db.execute(
        "SELECT kode FROM kecamatan_usulan WHERE kode LIKE '12.05.01-2027-%'"
    ).fetchall()
    assert upt == [("12.05.01-2027-0001",)]

    kecamatan.drop({"Tahap": "Kirim", "Nomor Surat Pengantar": "050/2/BHR/2026"})
    r = run().receipts[-1]
    assert [i.code for i in r.issues if i.severity.value == "error"] == ["pindaian-belum-ada"]

    kecamatan.scan("REKAP USULAN")
    kecamatan.scan("BERITA ACARA MUSRENBANG KECAMATAN", "berita-acara")
    kecamatan.drop({"Tahap": "Kirim", "Nomor Surat Pengantar": "050/2/BHR/2026"})
    receipts = run().receipts
    assert [(r.kind.value, r.status.value, r.region) for r in receipts[:2]] == [
        ("scan", "accepted", KEC),
        ("scan", "accepted", KEC),
    ]
    [missing] = [i for i in receipts[-1].issues if i.severity.value == "error"]
    assert missing.code == "pindaian-belum-ada" and "pindaian/daftar-hadir" in missing.message
    assert "pindaian/rekap" not in missing.message
    assert "pindaian/berita-acara" not in missing.message

    kecamatan.scan("DAFTAR HADIR MUSRENBANG KECAMATAN", "daftar-hadir")
    kecamatan.drop({"Tahap": "Kirim", "Nomor Surat Pengantar": "050/2/BHR/2026"})
    result = run()
    r = result.receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Kirim"), r.issues
    from pypdf import PdfReader

    [signed] = [o for o in r.outputs if o.endswith("(ditandatangani).pdf")]
    pdf = PdfReader(workspace.root / signed)
    # one bookmark per signed part, in the order of spec/documents.md (no LibreOffice here,
    # so the unsigned Rekap PDF is not there to follow them)
    assert [(b.title, pdf.get_destination_page_number(b)) for b in pdf.outline] == [
        ("Berita Acara (ditandatangani)", 0),
        ("Daftar Hadir (ditandatangani)", 1),
        ("Rekap Usulan (ditandatangani)", 2),
    ]
    assert len(pdf.pages) == 3
    package = next(Path(workspace.root / o) for o in r.outputs if o.endswith(".zip"))
    with zipfile.ZipFile(package) as zf:
        assert "manifest.json" in zf.namelist() and "data/kecamatan.json" in zf.namelist()
    # Bappeda's own workspace takes the sealed package in
    from pipeline.core.config import load_settings
    from pipeline.run.batch import run_pass
    from tests.conftest import make_workspace

    bappeda = make_workspace(workspace.root.parent / "bappeda")
    shutil.copyfile(package, bappeda.inbox / package.name)
    [got] = run_pass(bappeda, load_settings(bappeda.root)).receipts
    assert [i.code for i in got.issues] == ["paket-tidak-sah"]  # its key is not registered yet
    pub = workspace.outbox / "Kunci Publik Kecamatan Bahorok.pub"
    assert main(["kunci", "daftar", KEC, str(pub), "--root", str(bappeda.root)]) == 0
    shutil.copyfile(package, bappeda.inbox / package.name)
    [got] = run_pass(bappeda, load_settings(bappeda.root)).receipts
    assert (got.kind.value, got.status.value, got.region) == ("package", "accepted", KEC), (
        got.issues
    )
    # merged: Bappeda's ledger holds the kecamatan's record of the year
    held = sqlite3.connect(bappeda.root / "musrenbang.db")
    for query in (
        "SELECT region, stage, sent_at FROM kecamatan_tahap",
        "SELECT kode, data_json FROM usulan ORDER BY kode",
        "SELECT kode, data_json FROM kecamatan_usulan ORDER BY kode",
        "SELECT region, stage, sent_at, late FROM tahap ORDER BY region",
    ):
        assert held.execute(query).fetchall() == db.execute(query).fetchall(), query

    kecamatan.drop({"Tahap": "Rekap"})
    assert [i.code for i in run().receipts[-1].issues] == ["sudah-dikirim"]
    root = str(workspace.root)
    assert main(["unlock", KEC, "--tahun", "2027", "--alasan", "Nomor salah", "--root", root]) == 0
    assert db.execute("SELECT stage FROM kecamatan_tahap").fetchone()[0] == "Rekap"


def test_kecamatan_workbook_in_a_desa_folder_is_refused(
    workspace: Workspace, run: Run, kecamatan: KecamatanOperator
) -> None:
    dropped = kecamatan.drop(PERSIAPAN)
    shutil.move(dropped, desa_inbox(workspace, "12.05.01.2003") / dropped.name)
    r = run().receipts[-1]
    assert "wilayah-tidak-cocok" in [i.code for i in r.issues]


def test_desa_that_sent_later_reaches_a_reissued_workbook(
    workspace: Workspace, run: Run, kecamatan: KecamatanOperator, tmp_path: Path
) -> None:
    kecamatan.drop(PERSIAPAN)
    run()
    send_desa(workspace, tmp_path, "12.05.01.2003")
    run()
    kecamatan.drop(REKAP, decide=True)  # the old workbook lacks Timbang Lawan's usulan
    r = run().receipts[-1]
    assert r.status.value == "rejected"
    assert "usulan-desa-belum-masuk" in [i.code for i in r.issues]
    assert (
        main(["workbook", "kecamatan", KEC, "--tahun", "2027", "--root", str(workspace.root)]) == 0
    )
    kecamatan.drop(REKAP, decide=True)
    r = run().receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Rekap"), r.issues


def _package(
    path: Path, key: Ed25519PrivateKey, kecamatan: str = KEC, tamper: bool = False,
    extra: bool = False,
) -> Path:  # fmt: skip
    members = {"data/kecamatan.json": b'{"kecamatan": 1}', "dokumen/Rekap.pdf": b"%PDF-1.4 rekap"}
    signed_package(path, key, members=members, kecamatan=kecamatan)
    if tamper or extra:  # rewrite the zip around the signed manifest
        with zipfile.ZipFile(path) as zf:
            content = {n: zf.read(n) for n in zf.namelist()}
        if tamper:
            content["dokumen/Rekap.pdf"] = b"%PDF-1.4 diubah"
        if extra:
            content["dokumen/selundupan.pdf"] = b"%PDF"
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in content.items():
                zf.writestr(name, data)
    return path


def test_bappeda_checks_and_unpacks_kecamatan_packages(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    paket = workspace.inbox / "paket"
    paket.mkdir()
    key = register_key(workspace)
    sealed = _package(tmp_path / "Paket Musrenbang Kecamatan Bahorok 2027.zip", key)
    shutil.copyfile(sealed, paket / sealed.name)
    _package(paket / "diubah.zip", key, tamper=True)
    _package(paket / "tambahan.zip", key, extra=True)
    _package(paket / "lain.zip", key, kecamatan="35.16.13")
    by_name = {r.file: r for r in run().receipts}
    good = by_name["Paket Musrenbang Kecamatan Bahorok 2027.zip"]
    assert (good.kind.value, good.status.value, good.region, good.year) == (
        "package",
        "accepted",
        KEC,
        2027,
    )
    unpacked = workspace.outbox / "paket" / "12.05.01 Bahorok" / "2027" / "dokumen" / "Rekap.pdf"
    assert unpacked.read_bytes() == b"%PDF-1.4 rekap"
    assert [i.code for i in by_name["diubah.zip"].issues] == ["paket-rusak"]
    assert [i.code for i in by_name["tambahan.zip"].issues] == ["paket-rusak"]
    # another kabupaten's kecamatan (spec: a package for another kabupaten)
    assert [i.code for i in by_name["lain.zip"].issues] == ["wilayah-tidak-cocok"]
    shutil.copyfile(sealed, paket / "lagi.zip")  # the same bytes again, under another name
    assert run().receipts[-1].status.value == "duplicate"
