"""Test helper: a generated kabupaten taken through the flow with real workbooks.

Two kecamatan of Kabupaten Langkat (Bahorok, Salapian: region rows from the official list),
ten desa/kelurahan each. Every desa gets the workbook the pipeline issues and fills it the
way an operator does (pipeline/demo.py's Operator, openpyxl): 2 to 5 usulan, random (seeded)
decisions, revisions with Volume and/or Biaya Disepakati. One desa of each kecamatan stops at
Verifikasi (it holds its Berita Acara but never sends). Each kecamatan then fills the
kecamatan workbook the pipeline issued (KecamatanOperator): random rejections of usulan its
desa accepted, random revisions, one or two UPT/instansi usulan. Bahorok goes to Kirim (Surat
Pengantar and package), Salapian stays at Rekap.

Settings keep it quick: `kirim.wajib_pindaian = false` (no scans needed), no Jadwal (no
letters), an empty Peserta sheet; every desa jumps to its last stage in one workbook, so
the whole kabupaten takes two passes. Snapshots of the kabupaten outputs (Rekap, Pemantauan,
status --json) are kept after the desa pass, when the desa's decisions are still the truth.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipeline.commands import init_workspace, issue_desa_workbook, issue_kecamatan_workbook
from pipeline.core.config import load_settings
from pipeline.core.standard import BIDANG, BIDANG_KELURAHAN, DISEPAKATI_COLUMNS
from pipeline.demo import OPD, KecamatanOperator, Operator
from pipeline.demo_operators import working_days_before
from pipeline.run.batch import run_pass
from tests.pg import set_database_url

SEED = 20270

KECAMATAN = {
    "12.05.01": ("Bahorok", ["12.05.01.1001,Pekan Bahorok", "12.05.01.2002,Lau Damak",
        "12.05.01.2003,Timbang Lawan", "12.05.01.2004,Sampe Raya",
        "12.05.01.2005,Tanjung Lenggang", "12.05.01.2006,Suka Rakyat",
        "12.05.01.2011,Empus", "12.05.01.2012,Simpang Pulo Rambung",
        "12.05.01.2014,Batu Jong-Jong", "12.05.01.2015,Sematar"]),
    "12.05.02": ("Salapian", ["12.05.02.1007,Tanjung Langkat", "12.05.02.2008,Naman Jahe",
        "12.05.02.2009,Turangi", "12.05.02.2010,Ujung Teran", "12.05.02.2011,Pamah Tambunan",
        "12.05.02.2014,Minta Kasih", "12.05.02.2020,Lau Tepu", "12.05.02.2021,Parangguam",
        "12.05.02.2023,Ponco Warno", "12.05.02.2024,Adin Tengah"]),
}  # fmt: skip
BELUM_KIRIM = {"12.05.01.2006", "12.05.02.2021"}  # stay at Verifikasi
KIRIM = {"12.05.01"}  # the other kecamatan stays at Rekap

KEGIATAN = [
    ("Rabat beton jalan lingkungan", "meter", 750_000),
    ("Pembangunan drainase", "meter", 800_000),
    ("Pelatihan keterampilan pemuda", "orang", 750_000),
    ("Posyandu: makanan tambahan balita", "bulan", 1_500_000),
    ("Talud penahan tebing", "meter", 7_500_000),
    ("Lampu jalan tenaga surya", "titik", 10_100_000),
    ("Sumur bor air bersih", "unit", 45_000_000),
    ("Peralatan olahraga", "paket", 15_000_000),
]
SUMBER_DESA = ["APBDes", "APBD Kabupaten", "APBD Provinsi", "Swadaya"]
SUMBER_KEL = ["Dana Kelurahan", "APBD Kabupaten", "APBD Provinsi"]


@dataclass
class Kabupaten:
    root: Path
    tahun: int
    sent: set[str]
    not_sent: set[str]
    kecamatan: dict[str, str]  # kode -> nama
    desa: dict[str, str]  # kode -> nama
    before_rekap: Path  # copies of the kabupaten outputs after the desa pass
    status_before: dict[str, Any] = field(default_factory=dict)


def status_json(root: Path, tahun: int) -> dict[str, Any]:
    """`musrenbang status --json`, as a program reads it."""
    from pipeline.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["status", "--json", "--tahun", str(tahun), "--root", str(root)])
    assert code == 0, out.getvalue()
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def _usulan(rng: random.Random, kelurahan: bool) -> list[tuple[Any, ...]]:
    rows = []
    for n, (kegiatan, satuan, harga) in enumerate(rng.sample(KEGIATAN, rng.randint(2, 5))):
        volume = rng.randint(2, 60) if satuan in ("meter", "orang") else rng.randint(1, 12)
        bidang = rng.choice(BIDANG_KELURAHAN if kelurahan else BIDANG)
        sumber = rng.choice(SUMBER_KEL if kelurahan else SUMBER_DESA)
        asal = ("Lingkungan" if kelurahan else "Dusun") + f" {'I' * (n % 3 + 1)}"
        rows.append((asal, bidang, kegiatan, f"{asal} RT 0{n + 1}", volume, satuan,
                     volume * harga, sumber))  # fmt: skip
    return rows


def _agreed(rng: random.Random, volume: int, biaya: int) -> tuple[Any, Any]:
    """Volume and Biaya Disepakati of a revision: both, only one, or (rarely) neither."""
    factor = rng.choice([0.5, 0.6, 0.75, 0.8, 0.9])
    new_volume = max(1, int(volume * factor))
    new_biaya = round(biaya * factor / 1000) * 1000
    return rng.choice([(new_volume, new_biaya), (None, new_biaya), (new_volume, None),
                       (new_volume, new_biaya), (None, None)])  # fmt: skip


def _decisions(rng: random.Random, usulan: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    prio = iter(rng.sample(range(1, 3 * len(usulan)), len(usulan)))  # unique, with gaps
    for i, row in enumerate(usulan):
        pick = rng.random()
        if pick < 0.25 and i > 0:  # the first is always accepted: every desa sends something
            out.append((None, "Ditolak", "Belum menjadi prioritas tahun ini"))
        elif pick < 0.55:
            out.append((next(prio), "Diterima dengan Revisi", "Disesuaikan dengan pagu",
                        *_agreed(rng, row[4], row[6])))  # fmt: skip
        else:
            out.append((next(prio), "Diterima", None))
    return out


def _kecamatan_edit(rng: random.Random) -> Any:
    """The forum's own choices on top of KecamatanOperator's (which rejects the 3rd row)."""

    def edit(wb: Any) -> None:
        sheet = wb["Usulan"]
        header = next(r for r in range(1, 11) if sheet.cell(r, 2).value == "Kode Usulan")
        cols = {str(c.value): c.column for c in sheet[header] if c.value}
        for r in range(header + 1, sheet.max_row + 1):
            kode = sheet.cell(r, cols["Kode Usulan"]).value
            if not kode or sheet.cell(r, cols["Keputusan"]).value != "Diterima":
                continue
            pick = rng.random()
            if pick < 0.15:
                sheet.cell(r, cols["Keputusan"], "Ditolak")
                sheet.cell(r, cols["Prioritas"]).value = None
                sheet.cell(r, cols["Catatan Keputusan"], "Diusulkan melalui pokir DPRD")
            elif pick < 0.4:
                volume = int(sheet.cell(r, cols["Volume"]).value)
                biaya = int(sheet.cell(r, cols["Perkiraan Biaya (Rp)"]).value)
                sheet.cell(r, cols["Keputusan"], "Diterima dengan Revisi")
                sheet.cell(r, cols["Catatan Keputusan"], "Disesuaikan dengan pagu kecamatan")
                agreed = _agreed(rng, volume, biaya)
                for label, value in zip(DISEPAKATI_COLUMNS, agreed, strict=True):
                    sheet.cell(r, cols[label], value)

    return edit


def build(target: Path, seed: int = SEED, database_url: str | None = None) -> Kabupaten:
    """`database_url`: the ledger elsewhere than the workspace's SQLite file (PostgreSQL)."""
    rng = random.Random(seed)
    target.mkdir(parents=True)
    csv = target.parent / "wilayah-acak.csv"
    lines = ["kode,nama", "12,Sumatera Utara", "12.05,Kabupaten Langkat"]
    for kode, (nama, desa) in KECAMATAN.items():
        lines += [f"{kode},{nama}", *desa]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = init_workspace(target, csv, "12.05")
    toml = target / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8").replace(
        "wajib_pindaian = true", "wajib_pindaian = false"
    )
    toml.write_text(text, encoding="utf-8")
    if database_url is not None:
        set_database_url(target, database_url)
    settings = load_settings(target)
    settings.watch.stabil_detik = 0
    today = dt.datetime.now(ZoneInfo(settings.jadwal.zona_waktu)).date()
    tahun = today.year + 1
    tanggal = working_days_before(today, 3)

    desa = dict(row.split(",", 1) for _, rows in KECAMATAN.values() for row in rows)
    for kode, nama in desa.items():
        issue_desa_workbook(target, kode, tahun)
        kel = kode.split(".")[3].startswith("1")
        usulan = _usulan(rng, kel)
        identitas = {
            "Tahap": "Verifikasi" if kode in BELUM_KIRIM else "Kirim",
            "Tanggal Musrenbang": tanggal,
            "Jam Mulai": "09.00",
            "Tempat": f"Balai {'Kelurahan' if kel else 'Desa'} {nama}",
            "Alamat": f"Jl. Utama {nama}",
            "Nama Kepala Desa/Lurah": f"Kepala {nama}",
            "Pimpinan Rapat": f"Ketua Rapat {nama}",
            "Notulen": f"Notulen {nama}",
            "Jumlah Peserta Laki-laki": rng.randint(8, 30),
            "Jumlah Peserta Perempuan": rng.randint(5, 25),
        }
        Operator(ws, kode, tahun).drop(identitas, usulan=usulan, decisions=_decisions(rng, usulan))
    _pass(ws, settings)
    before = target.parent / "sebelum-rekap"
    before.mkdir()
    for path in ws.outbox.glob("*Musrenbang Kabupaten*"):
        shutil.copyfile(path, before / path.name)
    status_before = status_json(target, tahun)

    for kode, (nama, _) in KECAMATAN.items():
        issue_kecamatan_workbook(target, kode, tahun)
        upt = [(f"UPT Puskesmas {nama}", "", "Pembinaan Kemasyarakatan",
                "Posyandu lansia keliling", f"Kecamatan {nama}", 12, "kegiatan", 36_000_000,
                "APBD Kabupaten", "Dinas Kesehatan")]  # fmt: skip
        if kode in KIRIM:
            upt.append((f"UPT Pertanian {nama}", "", "Pemberdayaan Masyarakat",
                        "Sekolah lapang petani kopi", f"Kecamatan {nama}", 40, "orang",
                        28_500_000, "APBD Kabupaten", OPD["Pemberdayaan Masyarakat"]))  # fmt: skip
        KecamatanOperator(ws, kode, tahun).drop(
            {"Tahap": "Kirim" if kode in KIRIM else "Rekap",
             "Tanggal Musrenbang": working_days_before(today, 1), "Jam Mulai": "08.30",
             "Tempat": f"Aula Kantor Camat {nama}", "Alamat": f"Jl. Kecamatan {nama} No. 1",
             "Nama Camat": f"Camat {nama}", "NIP Camat": "197305121998031003",
             "Nama Sekretaris Camat": f"Sekcam {nama}", "NIP Sekretaris Camat": "198001152005012007",
             "Pimpinan Sidang": f"Camat {nama}", "Notulen": f"Notulen Kecamatan {nama}",
             "Nomor Berita Acara": "050/11/2026", "Nomor Surat Pengantar": "050/12/2026",
             "Jumlah Peserta Laki-laki": 25, "Jumlah Peserta Perempuan": 15},
            decide=True,
            upt=upt,
            then=_kecamatan_edit(rng),
        )  # fmt: skip
    _pass(ws, settings)
    return Kabupaten(
        root=target,
        tahun=tahun,
        sent=set(desa) - BELUM_KIRIM,
        not_sent=set(BELUM_KIRIM),
        kecamatan={kode: nama for kode, (nama, _) in KECAMATAN.items()},
        desa=desa,
        before_rekap=before,
        status_before=status_before,
    )


def _pass(ws: Any, settings: Any) -> None:
    result = run_pass(ws, settings)
    bad = [(r.file, r.status.value, [(i.code, i.message) for i in r.issues if i.severity.value == "error"])
           for r in result.receipts if r.status.value != "accepted"]  # fmt: skip
    assert not bad and not result.internal_errors, bad
