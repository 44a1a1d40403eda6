"""The kecamatan's ranking: proposed round robin in the issued workbook, checked at Rekap."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.core.models import UsulanKecamatan
from pipeline.core.standard import Keputusan
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.kecamatan.ranking import desa_rank, propose_ranking, round_robin
from pipeline.run.batch import PassResult
from pipeline.scans.samples import make_scan
from tests.conftest import desa_inbox
from tests.workbooks import DESA, KECAMATAN, USULAN, make_desa_workbook

Run = Callable[[], PassResult]
KEC = "12.05.01"
TIMBANG = DESA.model_copy(update={"kode": "12.05.01.2003", "nama": "Timbang Lawan"})


def u(kode: str | None, prioritas: int | None = None, **kw: Any) -> UsulanKecamatan:
    return UsulanKecamatan(kode_usulan=kode, prioritas=prioritas, kegiatan=kode, **kw)


def sent(desa: str, n: int) -> list[UsulanKecamatan]:
    return [u(f"12.05.01.{desa}-2027-{i:04d}") for i in range(1, n + 1)]


def test_round_robin_over_uneven_desa_in_code_order() -> None:
    # the ledger lists sent usulan by desa, each desa by its own priority
    a, b, c = sent("2002", 4), sent("1001", 1), sent("2003", 2)
    rank = desa_rank([*b, *a, *c])
    upt = u(None, asal="UPT Puskesmas")
    rows = [*a, upt, *c, *b]  # the workbook's own row order does not matter
    got = [x.kode_usulan for x in round_robin(rows, rank)]
    assert got == [
        b[0].kode_usulan, a[0].kode_usulan, c[0].kode_usulan,
        a[1].kode_usulan, c[1].kode_usulan,
        a[2].kode_usulan,
        a[3].kode_usulan,
        None,
    ]  # fmt: skip
    proposed = propose_ranking(rows, rank)
    assert [x.kode_usulan for x in proposed] == [x.kode_usulan for x in rows]  # order kept
    by_kode = {x.kode_usulan: x.prioritas for x in proposed}
    assert by_kode == {k: n for n, k in enumerate(got, 1)}


def test_the_desa_own_priority_orders_each_desa() -> None:
    # desa 2003 ranked its second usulan first
    a, c = sent("2002", 2), sent("2003", 2)
    rank = desa_rank([*a, c[1], c[0]])
    got = [x.kode_usulan for x in round_robin([*a, *c], rank)]
    assert got == [a[0].kode_usulan, c[1].kode_usulan, a[1].kode_usulan, c[0].kode_usulan]


def test_numbers_given_are_kept_and_rejected_usulan_get_none() -> None:
    a, c = sent("2002", 3), sent("2003", 2)
    rank = desa_rank([*a, *c])
    rows = [
        a[0].model_copy(update={"prioritas": 4}),
        a[1].model_copy(update={"keputusan": Keputusan.DITOLAK}),
        a[2],
        c[0].model_copy(update={"prioritas": 1}),
        c[1],
        u(None, asal="UPT Pertanian"),
    ]
    got = [x.prioritas for x in propose_ranking(rows, rank)]
    # kept 4 and 1; the rest continue after 4: a[2] and c[1] in round robin, then the UPT
    assert got == [4, None, 5, 1, 6, 7]


def _send(ws: Workspace, tmp: Path, desa: Any, usulan: list[dict[str, Any]]) -> None:
    src = make_desa_workbook(
        tmp / f"{desa.kode}.xlsx", desa=desa, kecamatan=KECAMATAN, tahap="Kirim", usulan=usulan
    )
    shutil.copyfile(src, desa_inbox(ws, desa.kode) / src.name)
    make_scan(desa_inbox(ws, desa.kode) / "pindaian" / "berita-acara" / "ba.jpg", "BA", fmt="jpg")
    make_scan(desa_inbox(ws, desa.kode) / "pindaian" / "daftar-hadir" / "dh.jpg", "DH", fmt="jpg")


def _prioritas(path: Path) -> dict[str, Any]:
    sheet = load_workbook(path)["Usulan"]
    header = {c.value: c.column for c in sheet[2]}
    out = {}
    for r in range(3, sheet.max_row + 1):
        kode = sheet.cell(r, header["Kode Usulan"]).value
        kegiatan = sheet.cell(r, header["Kegiatan"]).value
        if kegiatan:
            out[kode or kegiatan] = sheet.cell(r, header["Prioritas"]).value
    return out


def test_issued_workbook_proposes_the_ranking_and_rekap_keeps_the_kecamatans(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    _send(workspace, tmp_path, DESA, USULAN)  # 4 accepted (priorities 1-4), 1 rejected
    timbang = [
        {**USULAN[0], "Prioritas": 2, "Kegiatan": "Rabat beton gang"},
        {**USULAN[2], "Prioritas": 1, "Kegiatan": "Pelatihan menjahit"},
    ]
    _send(workspace, tmp_path, TIMBANG, timbang)
    assert all(r.status.value == "accepted" for r in run().receipts)
    root = str(workspace.root)
    assert main(["workbook", "kecamatan", KEC, "--tahun", "2027", "--root", root]) == 0
    kec = KecamatanOperator(workspace, KEC, 2027)
    lau = [f"12.05.01.2002-2027-{n:04d}" for n in (1, 2, 3, 5)]
    tim = ["12.05.01.2003-2027-0001", "12.05.01.2003-2027-0002"]
    expected = {lau[0]: 1, tim[1]: 2, lau[1]: 3, tim[0]: 4, lau[2]: 5, lau[3]: 6}
    assert _prioritas(kec.current()) == expected

    # Pelaksanaan: the kecamatan swaps two numbers and adds an UPT usulan without one
    upt = [("UPT Puskesmas Bahorok", "", "Pembinaan Kemasyarakatan", "Posyandu lansia",
            "Bahorok", 12, "kegiatan", 36_000_000, "APBD Kabupaten", "Dinas Kesehatan")]  # fmt: skip
    kec.drop(
        {"Tahap": "Pelaksanaan", "Tanggal Musrenbang": "20/11/2026", "Jam Mulai": "08.30",
         "Tempat": "Aula Kantor Camat", "Alamat": "Jl. Perintis Kemerdekaan 1",
         "Nama Camat": "Drs. Ahmad Syafii Lubis"},
        upt=upt, prioritas={lau[0]: 2, tim[1]: 1},
    )  # fmt: skip
    r = run().receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Pelaksanaan"), r.issues
    got = _prioritas(kec.current())
    assert got == {**expected, lau[0]: 2, tim[1]: 1, "12.05.01-2027-0001": 7}

    # Rekap: numbers are the kecamatan's, unique across the desa; Desa rows keep them
    rekap = {"Tahap": "Rekap", "Pimpinan Sidang": "Drs. Ahmad Syafii Lubis",
             "Notulen": "Siti Aminah", "Nomor Berita Acara": "050/1/BHR/2026",
             "Jumlah Peserta Laki-laki": 20, "Jumlah Peserta Perempuan": 10}  # fmt: skip
    kec.drop(rekap, decide=True, prioritas={lau[1]: 1})  # 1 is Timbang Lawan's already
    r = run().receipts[-1]
    assert r.status.value == "rejected"
    assert sorted((i.code, i.cell) for i in r.issues if i.severity.value == "error") == [
        ("prioritas-ganda", "M4"),
        ("prioritas-ganda", "M7"),
    ]
    kec.drop(rekap, decide=True)
    r = run().receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Rekap"), r.issues
    final = _prioritas(kec.current())
    # the third row (lau[2]) was rejected by the demo operator: its number is cleared
    assert final == {**got, lau[2]: None}
