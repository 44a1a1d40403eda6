"""The demo's second kecamatan: Salapian (12.05.02), in its own workspace `<demo>/salapian/`.

A small kecamatan beside Bahorok: two desa take their workbooks through Persiapan,
Pelaksanaan, Verifikasi (one usulan revised, with agreed values) and Kirim; the kecamatan
decides (one usulan rejected), adds an UPT usulan, and sends its signed package. Bappeda then
takes this package and Bahorok's in (demo_bappeda.py). The operators are the demo's own
(demo.Operator, demo.KecamatanOperator), handed in by demo.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.demo_folder import demo_pass
from pipeline.demo_kop import set_demo_kop

KODE = "12.05.02"
FOLDER = "salapian"
WILAYAH = """kode,nama
12,Sumatera Utara
12.05,Kabupaten Langkat
12.05.02,Salapian
12.05.02.2008,Naman Jahe
12.05.02.2009,Turangi
"""
KOP = {
    "alamat_kecamatan": "Jl. Jamin Ginting No. 12, Minta Kasih, Salapian",
    "telepon": "(061) 8925678",
    "email": "kec.salapian@langkatkab.go.id",
    "kode_pos": "20773",
}

PESERTA = [
    ("Sabar Sembiring", "L", "Pemerintah Desa", "Kepala Desa"),
    ("Rosita br Ginting", "P", "PKK", "Ketua TP PKK"),
    ("Ngatino", "L", "BPD", "Ketua BPD"),
    ("Marlina br Tarigan", "P", "Perwakilan Masyarakat", "Kelompok Wanita Tani"),
    ("Edi Syahputra", "L", "Kepala Dusun", "Kepala Dusun I"),
    ("Hotmaida Sitepu", "P", "Tokoh Masyarakat", "Tokoh Perempuan"),
]
BIDANG_PEMB = "Pelaksanaan Pembangunan Desa"
BIDANG_PEMB_MAS = "Pemberdayaan Masyarakat"
BIDANG_BINA = "Pembinaan Kemasyarakatan"
NAMAN_JAHE = [
    ("Dusun I", BIDANG_PEMB, "Jalan usaha tani", "Dusun I ke ladang jeruk", 600, "meter",
     240_000_000, "APBD Kabupaten"),
    ("Dusun II", BIDANG_PEMB, "Jaringan air bersih", "Dusun II", 1, "unit", 85_000_000,
     "APBDes"),
    ("PKK", BIDANG_PEMB_MAS, "Pelatihan olahan jeruk", "Balai Desa Naman Jahe", 25, "orang",
     17_500_000, "APBDes"),
]  # fmt: skip
NAMAN_JAHE_DECISIONS = [
    (1, "Diterima dengan Revisi", "Dikerjakan bertahap: 400 meter tahun ini", 400, 160_000_000),
    (2, "Diterima", None),
    (3, "Diterima", None),
]
TURANGI = [
    ("Dusun III", BIDANG_PEMB, "Jembatan gantung Sungai Wampu", "Dusun III", 1, "unit",
     420_000_000, "APBD Provinsi"),
    ("Karang Taruna", BIDANG_BINA, "Turnamen sepak bola pemuda", "Lapangan Desa Turangi", 1,
     "kegiatan", 12_000_000, "Swadaya"),
]  # fmt: skip
TURANGI_DECISIONS = [(1, "Diterima", None), (2, "Diterima", None)]
UPT = [("UPT Pertanian Salapian", "", BIDANG_PEMB_MAS, "Sekolah lapang petani jeruk",
        "Kecamatan Salapian", 4, "angkatan", 48_000_000, "APBD Kabupaten", "Dinas Pertanian")]  # fmt: skip


class Operators(NamedTuple):
    """The demo's operator classes (demo.Operator, demo.KecamatanOperator)."""

    desa: Callable[[Workspace, str, int], Any]
    kecamatan: Callable[[Workspace, str, int], Any]


class Kecamatan2(NamedTuple):
    ws: Workspace
    kode: str
    package: Path


def play_salapian(
    demo: Path, tahun: int, days: tuple[dt.date, dt.date], ops: Operators,
    log: Callable[[str], None],
) -> Kecamatan2:  # fmt: skip
    """Kecamatan Salapian's workspace from init to its signed package; raises DemoStopped when a
    pass had an internal error."""
    from pipeline.commands import init_workspace, issue_desa_workbook, issue_kecamatan_workbook

    root = demo / FOLDER
    root.mkdir()
    (root / "wilayah-salapian.csv").write_text(WILAYAH, encoding="utf-8")
    ws = init_workspace(root, root / "wilayah-salapian.csv", "12.05")
    set_demo_kop(root, KOP)
    settings = load_settings(root)
    settings.watch.stabil_detik = 0
    log(f"\n== Kecamatan Salapian ({root}): workspace kecamatan kedua, dua desa")

    def step(title: str) -> None:
        log(f"  -- {title}")
        demo_pass(ws, settings, log, indent="     ")

    tanggal, tanggal_kec = days
    for kode in ("12.05.02.2008", "12.05.02.2009"):
        issue_desa_workbook(root, kode, tahun)
    naman, turangi = ops.desa(ws, "12.05.02.2008", tahun), ops.desa(ws, "12.05.02.2009", tahun)
    base = {"Tanggal Musrenbang": tanggal, "Jam Mulai": "09.30", "Tempat": "Jambur Desa",
            "Alamat": "Jl. Jamin Ginting, Salapian"}  # fmt: skip
    naman.drop({**base, "Tahap": "Persiapan", "Nama Kepala Desa/Lurah": "Sabar Sembiring"},
               peserta=PESERTA)  # fmt: skip
    turangi.drop({**base, "Tahap": "Persiapan", "Nama Kepala Desa/Lurah": "Ramli Perangin-angin"},
                 peserta=PESERTA)  # fmt: skip
    step("Persiapan Naman Jahe dan Turangi")
    naman.drop({"Tahap": "Pelaksanaan"}, usulan=NAMAN_JAHE)
    turangi.drop({"Tahap": "Pelaksanaan"}, usulan=TURANGI)
    step("Pelaksanaan: usulan dusun dicatat")
    ver = {"Tahap": "Verifikasi", "Pimpinan Rapat": "Ngatino", "Notulen": "Rosita br Ginting",
           "Jumlah Peserta Laki-laki": 3, "Jumlah Peserta Perempuan": 3}  # fmt: skip
    naman.drop(ver, decisions=NAMAN_JAHE_DECISIONS)  # one usulan revised, agreed values
    turangi.drop(ver, decisions=TURANGI_DECISIONS)
    step("Verifikasi: Naman Jahe merevisi jalan usaha tani (400 meter, Rp 160.000.000)")
    for op, nama in ((naman, "NAMAN JAHE"), (turangi, "TURANGI")):
        op.scan("berita-acara", f"BERITA ACARA MUSRENBANG DESA {nama}")
        op.scan("daftar-hadir", f"DAFTAR HADIR MUSRENBANG DESA {nama}")
        op.drop({"Tahap": "Kirim"})
    step("Naman Jahe dan Turangi mengirim ke kecamatan")

    issue_kecamatan_workbook(root, KODE, tahun)
    kec = ops.kecamatan(ws, KODE, tahun)
    kec.drop(
        {"Tahap": "Persiapan", "Tanggal Musrenbang": tanggal_kec, "Jam Mulai": "09.00",
         "Tempat": "Aula Kantor Camat Salapian", "Alamat": KOP["alamat_kecamatan"],
         "Nama Camat": "Drs. Jonni Sembiring", "NIP Camat": "197108141997031002",
         "Nama Sekretaris Camat": "Masdiana Tarigan, S.STP", "NIP Sekretaris Camat": "198504232006042003"},
    )  # fmt: skip
    step("Kecamatan: buku kerja kecamatan Salapian")
    kec.drop(
        {"Tahap": "Rekap", "Pimpinan Sidang": "Drs. Jonni Sembiring", "Notulen": "Lisnawati",
         "Nomor Berita Acara": "050/45/SLP/2026", "Jumlah Peserta Laki-laki": 18,
         "Jumlah Peserta Perempuan": 11},
        decide=True, upt=UPT,
    )  # fmt: skip
    step("Musrenbang Kecamatan Salapian: keputusan (satu ditolak) dan usulan UPT")
    kec.scan("BERITA ACARA MUSRENBANG KECAMATAN SALAPIAN", "berita-acara")
    kec.scan("DAFTAR HADIR MUSRENBANG KECAMATAN SALAPIAN", "daftar-hadir")
    kec.scan("REKAP USULAN MUSRENBANG KECAMATAN SALAPIAN")
    kec.drop({"Tahap": "Kirim", "Nomor Surat Pengantar": "050/52/SLP/2026"})
    step("Salapian mengirim: surat pengantar dan paket bertanda tangan")
    package = next(kec.current().parent.glob("Paket Musrenbang Kecamatan *.zip"))
    log(f"  paket Salapian: {package}")
    return Kecamatan2(ws, KODE, package)
