"""Issue 11: packages give Bappeda the same kabupaten figures as every workbook received there.

One scenario, two kecamatan (Bahorok: Lau Damak, Timbang Lawan; Salapian: Naman Jahe, Turangi),
with desa decisions (a revision with agreed values), kecamatan decisions (a rejection, a
revision with agreed values, OPD Tujuan), an UPT usulan per kecamatan. Played twice with real
workspaces and real workbooks:
- *direct*: one Bappeda workspace receives every workbook itself (desa and kecamatan);
- *paket*: each kecamatan in its own workspace (its region list only) takes its desa through the
  flow and sends a signed package; a Bappeda workspace registers both keys and takes both
  packages in.
The kabupaten Rekap and Pemantauan xlsx (every sheet, every cell; only the time stamp masked)
and `status --json` (only `dibuat` masked) must be identical.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.core.config import load_settings
from pipeline.core.models import Wilayah
from pipeline.core.standard import DISEPAKATI_COLUMNS, SHEET_USULAN
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.run.batch import run_pass
from pipeline.scans.samples import make_scan
from tests.conftest import desa_inbox, make_workspace
from tests.workbooks import USULAN, make_desa_workbook

HEAD = "kode,nama\n12,Sumatera Utara\n12.05,Kabupaten Langkat\n"
KECAMATAN = {
    "12.05.01": ("Bahorok", {"12.05.01.2002": "Lau Damak", "12.05.01.2003": "Timbang Lawan"}),
    "12.05.02": ("Salapian", {"12.05.02.2008": "Naman Jahe", "12.05.02.2009": "Turangi"}),
}
AGREED = dict(zip(DISEPAKATI_COLUMNS, (250, 75_000_000), strict=True))
# the desa's usulan: the second one revised by the desa itself, with agreed values
USULAN_DESA = [USULAN[0], {**USULAN[1], **AGREED}, *USULAN[2:]]
DESA_USULAN = {
    "12.05.01.2002": USULAN_DESA,
    "12.05.01.2003": USULAN_DESA[:3],
    "12.05.02.2008": USULAN_DESA[1:4],
    "12.05.02.2009": [USULAN_DESA[0], USULAN_DESA[4]],
}
PERSIAPAN = {
    "Tahap": "Persiapan", "Tanggal Musrenbang": "20/11/2026", "Jam Mulai": "08.30",
    "Tempat": "Aula Kantor Camat", "Alamat": "Jl. Perintis Kemerdekaan 1",
    "Nama Camat": "Drs. Ahmad Syafii Lubis",
}  # fmt: skip
REKAP = {
    "Tahap": "Rekap", "Pimpinan Sidang": "Drs. Ahmad Syafii Lubis", "Notulen": "Siti Aminah",
    "Nomor Berita Acara": "050/1/2026", "Jumlah Peserta Laki-laki": 20,
    "Jumlah Peserta Perempuan": 10,
}  # fmt: skip
KIRIM = {"Tahap": "Kirim", "Nomor Surat Pengantar": "050/2/2026"}


def wilayah(*kecamatan: str) -> str:
    rows = [HEAD]
    for kode in kecamatan:
        nama, desa = KECAMATAN[kode]
        rows += [f"{kode},{nama}\n", *(f"{k},{n}\n" for k, n in desa.items())]
    return "".join(rows)


def upt(kode: str) -> list[tuple[Any, ...]]:
    nama = KECAMATAN[kode][0]
    return [(f"UPT Puskesmas {nama}", "", "Pembinaan Kemasyarakatan", "Posyandu lansia", nama,
             12, "kegiatan", 36_000_000, "APBD Kabupaten", "Dinas Kesehatan")]  # fmt: skip


def revise(kode_usulan: str) -> Callable[[Any], None]:
    """The Musrenbang Kecamatan agrees on less than the desa proposed for one usulan."""

    def edit(wb: Any) -> None:
        sheet = wb[SHEET_USULAN]
        header = next(r for r in range(1, 11) if "Kode Usulan" in [c.value for c in sheet[r]])
        cols = {c.value: c.column for c in sheet[header] if c.value}
        for r in range(header + 1, sheet.max_row + 1):
            if sheet.cell(r, cols["Kode Usulan"]).value == kode_usulan:
                sheet.cell(r, cols["Keputusan"], "Diterima dengan Revisi")
                sheet.cell(r, cols["Catatan Keputusan"], "Disesuaikan dengan pagu kecamatan")
                sheet.cell(r, cols[DISEPAKATI_COLUMNS[0]], 100)
                sheet.cell(r, cols[DISEPAKATI_COLUMNS[1]], 50_000_000)
                return
        raise AssertionError(f"{kode_usulan} not in the kecamatan workbook")

    return edit


def run(ws: Workspace) -> list[Any]:
    receipts = run_pass(ws, load_settings(ws.root)).receipts
    assert receipts and all(r.status.value == "accepted" for r in receipts), [
        (r.file, [i.code for i in r.issues]) for r in receipts if r.status.value != "accepted"
    ]
    return receipts


def send_desa(ws: Workspace, tmp: Path, kecamatan: str) -> None:
    nama_kec, desa = KECAMATAN[kecamatan]
    for kode, nama in desa.items():
        src = make_desa_workbook(
            tmp / f"{kode}.xlsx", desa=Wilayah(kode=kode, nama=nama),
            kecamatan=Wilayah(kode=kecamatan, nama=nama_kec), tahap="Kirim",
            identitas={"Tempat": f"Balai Desa {nama}"}, usulan=DESA_USULAN[kode],
        )  # fmt: skip
        inbox = desa_inbox(ws, kode)
        shutil.copyfile(src, inbox / src.name)
        make_scan(inbox / "pindaian" / "berita-acara" / "ba.jpg", f"BA {nama}", fmt="jpg")
        make_scan(inbox / "pindaian" / "daftar-hadir" / "dh.jpg", f"DH {nama}", fmt="jpg")
    run(ws)


def kecamatan_flow(ws: Workspace, kode: str) -> Path:
    """The kecamatan from its workbook to Kirim: decisions (one rejected), a revision with
    agreed values, an UPT usulan, the signed scans; returns its package."""
    assert main(["workbook", "kecamatan", kode, "--tahun", "2027", "--root", str(ws.root)]) == 0
    kec = KecamatanOperator(ws, kode, 2027)
    kec.drop(PERSIAPAN)
    run(ws)
    first_desa = next(iter(KECAMATAN[kode][1]))
    kec.drop(REKAP, decide=True, upt=upt(kode), then=revise(f"{first_desa}-2027-0001"))
    run(ws)
    kec.scan("REKAP USULAN")
    kec.scan("BERITA ACARA MUSRENBANG KECAMATAN", "berita-acara")
    kec.scan("DAFTAR HADIR MUSRENBANG KECAMATAN", "daftar-hadir")
    kec.drop(KIRIM)
    r = run(ws)[-1]
    assert r.stage == "Kirim", r.issues
    return next(ws.root / o for o in r.outputs if o.endswith(".zip"))


def workbook_cells(ws: Workspace, stem: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every cell of every sheet, the time stamp ('Dibuat …', 'Keadaan …') masked."""
    [path] = ws.outbox.glob(f"{stem} *.xlsx")
    return {
        sheet.title: [
            tuple(
                "<waktu>" if isinstance(v, str) and v.startswith(("Dibuat ", "Keadaan ")) else v
                for v in row
            )
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in load_workbook(path).worksheets
    }


def status_json(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["status", "--json", "--tahun", "2027", "--root", str(ws.root)]) == 0
    data = json.loads(capsys.readouterr().out)
    data.pop("dibuat")
    return data


def test_two_kecamatan_packages_give_the_figures_of_every_workbook_received(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both = wilayah("12.05.01", "12.05.02")
    # direct: every workbook at one Bappeda workspace
    direct = make_workspace(tmp_path / "langsung", wilayah=both)
    for kode in KECAMATAN:
        send_desa(direct, tmp_path, kode)
        kecamatan_flow(direct, kode)
    # paket: two kecamatan workspaces, their signed packages into a Bappeda workspace
    bappeda = make_workspace(tmp_path / "bappeda", wilayah=both)
    stick = bappeda.inbox / "dari flashdisk"
    stick.mkdir()
    for kode, (nama, _) in KECAMATAN.items():
        kec_ws = make_workspace(tmp_path / f"kecamatan {nama}", wilayah=wilayah(kode))
        send_desa(kec_ws, tmp_path, kode)
        package = kecamatan_flow(kec_ws, kode)
        pub = kec_ws.outbox / f"Kunci Publik Kecamatan {nama}.pub"
        assert main(["kunci", "daftar", kode, str(pub), "--root", str(bappeda.root)]) == 0
        shutil.copyfile(package, stick / package.name)
    receipts = run(bappeda)
    assert sorted((r.kind.value, r.region) for r in receipts) == [
        ("package", "12.05.01"), ("package", "12.05.02")
    ]  # fmt: skip

    rekap = "Rekap Usulan Musrenbang Kabupaten Langkat"
    got, want = workbook_cells(bappeda, rekap), workbook_cells(direct, rekap)
    assert set(got) == {"Per Kecamatan", "Per Bidang", "Per OPD Tujuan", "Usulan"} <= set(want)
    for sheet in want:  # cell by cell, every sheet
        assert got[sheet] == want[sheet], sheet
    usulan = [r for r in want["Usulan"] if isinstance(r[0], str) and r[0][:2] == "12"]
    assert {r[0][:8] for r in usulan} == set(KECAMATAN)
    # every usulan the desa accepted, as the kecamatan decided it (ledger/agreed.py: from
    # Rekap on the kecamatan's rows count; a desa's own rejection never reaches them), and
    # each kecamatan's UPT usulan
    forwarded = {
        f"{k}-2027-{n:04d}"
        for k, rows in DESA_USULAN.items()
        for n, u in enumerate(rows, start=1)
        if u["Keputusan"] != "Ditolak"
    }
    assert {r[0] for r in usulan} == forwarded | {f"{k}-2027-0001" for k in KECAMATAN}
    assert any(r[13] == "Diterima dengan Revisi" for r in usulan)
    per_kec = [r for r in want["Per Kecamatan"] if r[0] in KECAMATAN]
    assert len(per_kec) == 2 and all(r[4] for r in per_kec)  # usulan in both kecamatan
    pemantauan = "Pemantauan Musrenbang Kabupaten Langkat"
    assert workbook_cells(bappeda, pemantauan) == workbook_cells(direct, pemantauan)

    got_status, want_status = status_json(bappeda, capsys), status_json(direct, capsys)
    assert got_status == want_status
    assert [k["tahap"] for k in want_status["kecamatan"]] == ["Kirim", "Kirim"]
    assert want_status["ringkasan"]["sudah_kirim"] == 4
