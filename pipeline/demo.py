"""`musrenbang demo`: a sample workspace taken through the whole desa flow.

Four desa/kelurahan of Kecamatan Bahorok (Kabupaten Langkat) with realistic content. The demo
plays the operators: it takes the workbook the pipeline issued, fills it as an operator would
(openpyxl, like Excel), drops it into the desa's inbox folder and runs a pass, stage by stage.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from pipeline import demo_kelurahan as kel
from pipeline import demo_operators as ops
from pipeline.commands import (
    init_workspace,
    issue_desa_workbook,
    issue_kecamatan_workbook,
    status_text,
)
from pipeline.core.config import load_settings
from pipeline.core.standard import (
    DISEPAKATI_COLUMNS,
    SHEET_IDENTITAS,
    SHEET_PESERTA,
    SHEET_USULAN,
    normalise,
)
from pipeline.core.wilayah import load_wilayah
from pipeline.core.workspace import Workspace, buku_kerja_name
from pipeline.demo_bappeda import play_bappeda
from pipeline.demo_folder import DemoStopped, demo_pass, prepare_demo_folder
from pipeline.demo_kecamatan2 import Kecamatan2, Operators, play_salapian
from pipeline.demo_kop import set_demo_kop

WILAYAH_DEMO = """kode,nama
12,Sumatera Utara
12.05,Kabupaten Langkat
12.05.01,Bahorok
12.05.01.1001,Pekan Bahorok
12.05.01.2002,Lau Damak
12.05.01.2003,Timbang Lawan
12.05.01.2004,Sampe Raya
"""

PESERTA = [
    ("Sutrisno", "L", "Kepala Dusun", "Kepala Dusun I"),
    ("Rahmawati Siregar", "P", "PKK", "Ketua TP PKK"),
    ("Ahmad Fauzi Lubis", "L", "BPD", "Ketua BPD"),
    ("Nurhayati", "P", "Perwakilan Masyarakat", "Kelompok Tani Maju"),
    ("Muhammad Iqbal", "L", "Karang Taruna", "Ketua Karang Taruna"),
    ("Sri Wahyuni Ginting", "P", "Tokoh Masyarakat", "Tokoh Perempuan"),
    ("Ustadz Harun Nasution", "L", "Tokoh Agama", "Imam Masjid Al-Ikhlas"),
    ("Budi Santoso Tarigan", "L", "LPM", "Ketua LPM"),
    ("Dewi Lestari", "P", "Tim Pendamping", "Pendamping Desa"),
    ("Joko Prasetyo", "L", "Kepala Dusun", "Kepala Dusun II"),
]

USULAN = [
    (
        "Dusun I",
        "Pelaksanaan Pembangunan Desa",
        "Rabat beton jalan lingkungan",
        "Dusun I RT 02",
        250,
        "meter",
        187_500_000,
        "APBDes",
    ),
    (
        "Dusun II",
        "Pelaksanaan Pembangunan Desa",
        "Pembangunan drainase",
        "Dusun II RT 01",
        120,
        "meter",
        96_000_000,
        "APBD Kabupaten",
    ),
    (
        "Dusun I",
        "Pemberdayaan Masyarakat",
        "Pelatihan pengolahan kopi",
        "Balai Desa",
        30,
        "orang",
        22_500_000,
        "APBDes",
    ),
    (
        "PKK",
        "Pembinaan Kemasyarakatan",
        "Posyandu balita: makanan tambahan",
        "Posyandu Melati",
        12,
        "bulan",
        18_000_000,
        "APBDes",
    ),
    (
        "Dusun II",
        "Penanggulangan Bencana, Keadaan Darurat dan Mendesak",
        "Tebing penahan longsor",
        "Dusun II tepi Sungai Bahorok",
        40,
        "meter",
        310_000_000,
        "APBD Provinsi",
    ),
    (
        "Karang Taruna",
        "Pembinaan Kemasyarakatan",
        "Peralatan olahraga pemuda",
        "Lapangan Desa",
        1,
        "paket",
        15_000_000,
        "Swadaya",
    ),
]
DECISIONS = [
    (1, "Diterima", None),
    (
        2,
        "Diterima dengan Revisi",
        "Volume dikurangi menjadi 100 meter sesuai pagu",
        100,
        80_000_000,
    ),
    (4, "Diterima", None),
    (3, "Diterima", None),
    (None, "Ditolak", "Kewenangan kabupaten; diteruskan ke BPBD melalui kecamatan"),
    (5, "Diterima", None),
]


class Operator:
    """Fills an issued workbook the way an operator does, then drops it into the inbox."""

    def __init__(self, ws: Workspace, kode: str, tahun: int) -> None:
        self.ws, self.kode, self.tahun = ws, kode, tahun
        wilayah = load_wilayah(ws.wilayah_file)
        desa = wilayah.desa(kode)
        assert desa is not None
        self.desa, self.kec = desa, wilayah.kecamatan_of(kode)
        self.inbox = ws.inbox_desa(self.kec, desa)

    def current(self) -> Path:
        return self.ws.outbox_desa(self.kec, self.desa, self.tahun) / buku_kerja_name(
            self.desa, self.tahun
        )

    def drop(
        self,
        identitas: dict[str, Any],
        peserta: list[tuple[Any, ...]] | None = None,
        usulan: list[tuple[Any, ...]] | None = None,
        decisions: list[tuple[Any, ...]] | None = None,
    ) -> Path:
        wb = load_workbook(self.current())
        ident = wb[SHEET_IDENTITAS]
        for row in ident.iter_rows(min_row=1, max_row=60):
            label = normalise(str(row[0].value or ""))
            for key, value in identitas.items():
                if normalise(key) == label:
                    row[1].value = value
        if peserta is not None:
            _fill(wb[SHEET_PESERTA], ["Nama", "Jenis Kelamin", "Unsur", "Jabatan/Lembaga"], peserta)
        sheet = wb[SHEET_USULAN]
        cols = _header(sheet)
        if usulan is not None:
            labels = [
                "Asal Usulan",
                "Bidang",
                "Kegiatan",
                "Lokasi",
                "Volume",
                "Satuan",
                "Perkiraan Biaya (Rp)",
                "Sumber Dana",
            ]
            _fill(sheet, labels, usulan)
        if decisions is not None:
            first = cols["__header_row__"] + 1
            for i, (prio, keputusan, catatan, *agreed) in enumerate(decisions):
                sheet.cell(first + i, cols["Prioritas"], prio)
                sheet.cell(first + i, cols["Keputusan"], keputusan)
                sheet.cell(first + i, cols["Catatan Keputusan"], catatan)
                for label, value in zip(DISEPAKATI_COLUMNS, agreed, strict=False):
                    sheet.cell(first + i, cols[label], value)
        target = self.inbox / buku_kerja_name(self.desa, self.tahun)
        tmp = target.with_name(".~demo-" + target.name)
        wb.save(tmp)
        os.replace(tmp, target)
        return target

    def scan(self, jenis: str, title: str) -> Path:
        from pipeline.scans.samples import make_scan

        target = self.inbox / "pindaian" / jenis / f"{jenis} ditandatangani.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        level = "KELURAHAN" if self.desa.level == "kelurahan" else "DESA"
        make_scan(
            target,
            title,
            fmt="jpg",
            exif_orientation=6,
            subtitle=f"{level} {self.desa.nama.upper()}",
        )
        return target

    def photo(self, name: str, title: str, taken: dt.datetime | None = None) -> Path:
        from pipeline.scans.samples import make_photo

        target = self.inbox / "dokumen" / "foto" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        make_photo(target, title, seed=len(name))
        return kel.with_date_taken(target, taken) if taken else target


class KecamatanOperator:
    """The Kasi Pembangunan: fills the kecamatan workbook the pipeline issued."""

    def __init__(self, ws: Workspace, kode: str, tahun: int) -> None:
        self.ws, self.kode, self.tahun = ws, kode, tahun
        kec = load_wilayah(ws.wilayah_file).get(kode)
        assert kec is not None
        self.kec = kec
        self.inbox = ws.inbox_kecamatan(kec)

    def current(self) -> Path:
        from pipeline.kecamatan.stages import buku_kerja_kecamatan_name

        folder = self.ws.outbox_kecamatan(self.kec, self.tahun)
        return folder / buku_kerja_kecamatan_name(self.kec, self.tahun)

    def drop(
        self,
        identitas: dict[str, Any],
        jadwal: dict[str, tuple[Any, ...]] | None = None,
        decide: bool = False,
        upt: list[tuple[Any, ...]] | None = None,
        prioritas: dict[str, int | None] | None = None,
        then: Callable[[Any], None] | None = None,
    ) -> Path:
        wb = load_workbook(self.current())
        for row in wb[SHEET_IDENTITAS].iter_rows(min_row=1, max_row=60):
            label = normalise(str(row[0].value or ""))
            for key, value in identitas.items():
                if normalise(key) == label:
                    row[1].value = value
        if jadwal:
            sheet = wb["Jadwal"]
            cols = _header(sheet, "Kode Desa/Kelurahan")
            for r in range(cols["__header_row__"] + 1, sheet.max_row + 1):
                kode = sheet.cell(r, cols["Kode Desa/Kelurahan"]).value
                if kode in jadwal:
                    for label, value in zip(
                        ["Tanggal Musrenbang", "Jam Mulai", "Tempat"], jadwal[kode], strict=True
                    ):
                        sheet.cell(r, cols[label], value)
        sheet = wb[SHEET_USULAN]
        cols = _header(sheet)
        first = cols["__header_row__"] + 1
        last = first
        while sheet.cell(last, cols["Kegiatan"]).value:
            last += 1
        if upt:
            labels = ["Asal Usulan", "Desa/Kelurahan", "Bidang", "Kegiatan", "Lokasi", "Volume",
                      "Satuan", "Perkiraan Biaya (Rp)", "Sumber Dana", "OPD Tujuan"]  # fmt: skip
            for i, values in enumerate(upt):
                for label, value in zip(labels, values, strict=True):
                    sheet.cell(last + i, cols[label], value)
            last += len(upt)
        for r in range(first, last):
            kode = sheet.cell(r, cols["Kode Usulan"]).value
            if kode in (prioritas or {}):
                sheet.cell(r, cols["Prioritas"]).value = (prioritas or {})[kode]
        if decide:
            for n, r in enumerate(range(first, last), start=1):
                bidang = str(sheet.cell(r, cols["Bidang"]).value or "")
                if not sheet.cell(r, cols["OPD Tujuan"]).value:
                    sheet.cell(r, cols["OPD Tujuan"], OPD.get(bidang, "Bappeda"))
                if n == 3:
                    sheet.cell(r, cols["Prioritas"]).value = None
                    sheet.cell(r, cols["Keputusan"], "Ditolak")
                    sheet.cell(r, cols["Catatan Keputusan"], "Dapat didanai APBDes tahun berjalan")
                else:
                    if sheet.cell(r, cols["Prioritas"]).value is None:  # keep the proposal
                        sheet.cell(r, cols["Prioritas"], n)
                    sheet.cell(r, cols["Keputusan"], "Diterima")
        if then is not None:  # what else the operator fills (pipeline/demo_operators.py)
            then(wb)
        target = self.inbox / self.current().name
        tmp = target.with_name(".~demo-" + target.name)
        wb.save(tmp)
        os.replace(tmp, target)
        return target

    def scan(self, title: str, jenis: str = "rekap") -> Path:
        """A signed scan (pindaian/rekap, pindaian/berita-acara or pindaian/daftar-hadir)."""
        from pipeline.scans.samples import make_scan

        target = self.inbox / "pindaian" / jenis / f"{jenis} ditandatangani.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        make_scan(target, title, fmt="pdf", subtitle=f"KECAMATAN {self.kec.nama.upper()}")
        return target


OPD = {
    "Pelaksanaan Pembangunan Desa": "Dinas PUPR",
    "Pemberdayaan Masyarakat": "Dinas Koperasi dan UKM",
    "Pembinaan Kemasyarakatan": "Dinas Pemuda dan Olahraga",
    "Penanggulangan Bencana, Keadaan Darurat dan Mendesak": "BPBD",
    "Penyelenggaraan Pemerintahan Desa": "Dinas PMD",
    **kel.OPD_KELURAHAN,
}


def _header(sheet: Any, marker: str = "Kegiatan") -> dict[str, int]:
    for r in range(1, 11):
        labels = {str(c.value).strip(): c.column for c in sheet[r] if c.value}
        if marker in labels or "Nama" in labels:
            return {**labels, "__header_row__": r}
    raise ValueError(f"no header in {sheet.title}")


def _fill(sheet: Any, labels: list[str], rows: list[tuple[Any, ...]]) -> None:
    cols = _header(sheet)
    first = cols["__header_row__"] + 1
    for i, values in enumerate(rows):
        for label, value in zip(labels, values, strict=False):
            sheet.cell(first + i, cols[label], value)


def run_demo(target: Path, log: Callable[[str], None] = print) -> int:
    """Build the sample workspace in `target` and play the whole flow; 0 when every pass
    ran, 3 when one had an internal error (the demo stops there)."""
    prepare_demo_folder(target)
    try:
        return _play(target, log)
    except DemoStopped:
        return 3


def _play(target: Path, log: Callable[[str], None]) -> int:
    (target / "wilayah-demo.csv").write_text(WILAYAH_DEMO, encoding="utf-8")
    ws = init_workspace(target, target / "wilayah-demo.csv", "12.05")
    set_demo_kop(target)  # a lambang and the kecamatan office's address on every kop
    settings = load_settings(target)
    # The demo writes each file completely before a pass starts: no need to wait for copies.
    settings.watch.stabil_detik = 0
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    today = dt.datetime.now(tz).date()
    tahun = today.year + 1
    log(f"Workspace contoh: {target}")

    def step(title: str) -> None:
        log(f"\n== {title}")
        if not demo_pass(ws, settings, log).receipts:
            log("  (tidak ada berkas)")

    kodes = ["12.05.01.2002", "12.05.01.2003", "12.05.01.1001", "12.05.01.2004"]
    for kode in kodes:
        issue_desa_workbook(target, kode, tahun)
    log(f"Buku kerja diterbitkan untuk {len(kodes)} desa/kelurahan (tahun rencana {tahun}).")

    tanggal = ops.working_days_before(today, 2)
    base = {
        "Tanggal Musrenbang": tanggal,
        "Jam Mulai": "09.00",
        "Tempat": "Aula Kantor Kepala Desa",
        "Alamat": "Jl. Bahorok–Bukit Lawang Km 3",
    }
    lau = Operator(ws, "12.05.01.2002", tahun)
    lau.drop(
        {**base, "Tahap": "Persiapan", "Nama Kepala Desa/Lurah": "Darwin Sembiring"},
        peserta=PESERTA,
    )
    tim = Operator(ws, "12.05.01.2003", tahun)
    tim.drop({**base, "Tahap": "Persiapan", "Nama Kepala Desa/Lurah": "Jamaluddin Perangin-angin"})
    pek = Operator(ws, "12.05.01.1001", tahun)
    pek.drop({**base, **kel.PERSIAPAN}, peserta=kel.PESERTA)
    step("Persiapan: identitas diisi, daftar hadir dicetak")

    lau.drop({"Tahap": "Pelaksanaan"}, usulan=USULAN)
    tim.drop({"Tahap": "Pelaksanaan"}, usulan=USULAN[:3])
    pek.drop({"Tahap": "Pelaksanaan"}, usulan=kel.USULAN)  # lingkungan, LPM, Dana Kelurahan
    ops.belum_kirim(Operator(ws, ops.SAMPE_RAYA, tahun), base)  # stays at Pelaksanaan
    step("Pelaksanaan: usulan dusun/lingkungan dicatat dan diberi Kode Usulan")

    ver = {
        "Tahap": "Verifikasi",
        "Pimpinan Rapat": "Darwin Sembiring",
        "Notulen": "Rina Marpaung",
        "Jumlah Peserta Laki-laki": 6,
        "Jumlah Peserta Perempuan": 4,
    }
    lau.drop(ver, decisions=DECISIONS)
    bad = [(1, "Diterima", None), (1, "Diterima", None), (None, "Ditolak", None)]
    tim.drop({**ver, "Pimpinan Rapat": "Jamaluddin"}, decisions=bad)
    pek.drop({**ver, "Pimpinan Rapat": "Hendra Gunawan, S.Sos"}, decisions=kel.DECISIONS)
    step("Verifikasi: Lau Damak lengkap; Timbang Lawan ditolak (prioritas ganda, alasan kosong)")

    tim.drop(
        {**ver, "Pimpinan Rapat": "Jamaluddin"},
        decisions=[
            (1, "Diterima", None),
            (2, "Diterima", None),
            (None, "Ditolak", "Sudah dianggarkan tahun berjalan"),
        ],
    )
    step("Timbang Lawan memperbaiki buku kerjanya")

    lau.scan("berita-acara", "BERITA ACARA MUSRENBANG DESA LAU DAMAK")
    lau.scan("daftar-hadir", "DAFTAR HADIR MUSRENBANG DESA LAU DAMAK")
    pagi = dt.datetime.combine(tanggal, dt.time(9, 40))
    lau.photo("suasana musrenbang.jpg", "Musrenbang Desa Lau Damak", taken=pagi)
    lau.photo("IMG_20260113_101502.jpg", "Pleno usulan dusun")
    lau.drop({"Tahap": "Kirim"})
    step("Pindaian bertanda tangan dan foto tiba; Lau Damak mengirim ke kecamatan")

    lau.drop({"Tahap": "Verifikasi"})
    step("Buku kerja setelah Kirim ditolak (sudah-dikirim)")

    tim.scan("berita-acara", "BERITA ACARA MUSRENBANG DESA TIMBANG LAWAN")
    tim.scan("daftar-hadir", "DAFTAR HADIR MUSRENBANG DESA TIMBANG LAWAN")
    tim.drop({"Tahap": "Kirim"})
    kel.kirim(pek, taken=pagi)  # signed scans, a photo with its EXIF date, Tahap Kirim
    step("Timbang Lawan dan Kelurahan Pekan Bahorok mengirim ke kecamatan")

    issue_kecamatan_workbook(target, "12.05.01", tahun)
    kec = KecamatanOperator(ws, "12.05.01", tahun)
    tanggal_kec = ops.working_days_before(today, 1)
    kec.drop(
        {"Tahap": "Persiapan", "Tanggal Musrenbang": tanggal_kec, "Jam Mulai": "08.30",
         "Tempat": "Aula Kantor Camat Bahorok", "Alamat": "Jl. Perintis Kemerdekaan No. 1, Bahorok",
         "Nama Camat": "Drs. Ahmad Syafii Lubis, M.Si", "NIP Camat": "197305121998031003",
         "Nama Sekretaris Camat": "Rosmawati Sitepu, S.Sos", "NIP Sekretaris Camat": "198001152005012007",
         **ops.surat_pemberitahuan(tanggal)},
        jadwal={"12.05.01.2004": (tanggal, "09.00", "Balai Desa Sampe Raya"),
                "12.05.01.1001": (tanggal, "14.00", "Aula Kantor Lurah Pekan Bahorok")},
    )  # fmt: skip
    step("Kecamatan: buku kerja kecamatan (usulan dari desa sudah terisi), surat ke desa")

    kec.drop(
        {"Tahap": "Rekap", "Pimpinan Sidang": "Drs. Ahmad Syafii Lubis, M.Si",
         "Notulen": "Siti Aminah", "Nomor Berita Acara": "050/123/BHR/2026",
         "Jumlah Peserta Laki-laki": 31, "Jumlah Peserta Perempuan": 17},
        decide=True,
        then=lambda wb: ops.revisi_kecamatan(wb, tahun),
        upt=[("UPT Puskesmas Bahorok", "", "Pembinaan Kemasyarakatan",
              "Posyandu lansia keliling", "Kecamatan Bahorok", 12, "kegiatan", 36_000_000,
              "APBD Kabupaten", "Dinas Kesehatan")],
    )  # fmt: skip
    step("Musrenbang Kecamatan: keputusan, usulan UPT, rekap dan berita acara")

    kec.scan("BERITA ACARA MUSRENBANG KECAMATAN BAHOROK", "berita-acara")
    kec.scan("DAFTAR HADIR MUSRENBANG KECAMATAN BAHOROK", "daftar-hadir")
    kec.scan("REKAP USULAN MUSRENBANG KECAMATAN BAHOROK")
    kec.drop({"Tahap": "Kirim", "Nomor Surat Pengantar": "050/130/BHR/2026"})
    step("Berita acara, daftar hadir dan rekap ditandatangani; surat pengantar dan paket")
    package = next(kec.current().parent.glob("Paket Musrenbang Kecamatan *.zip"))
    team, days = Operators(Operator, KecamatanOperator), (tanggal, tanggal_kec)
    salapian = play_salapian(target, tahun, days, team, log)  # a second kecamatan workspace
    bappeda = play_bappeda(target, [Kecamatan2(ws, "12.05.01", package), salapian], log)

    log("\n" + status_text(target, tahun))
    folder = lau.current().parent
    log("\nLihat hasilnya:")
    log(f"  dokumen Lau Damak : {folder}")
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        log(f"      {path.name}")
    kec_folder = kec.current().parent
    log(f"  kecamatan Bahorok : {kec_folder}")
    for path in sorted(p for p in kec_folder.iterdir() if p.is_file()):
        log(f"      {path.name}")
    log(f"  kecamatan Salapian: {salapian.package.parent}")
    log(f"  kabupaten         : {ws.outbox} (Rekap Usulan, Pemantauan .xlsx/.html)")
    log(f"  Bappeda (paket)   : {bappeda} (workspace Bappeda: paket diterima dan digabung)")
    log(f"  tanda terima      : {ws.receipts}")
    log(f"  arsip masukan     : {ws.arsip}")
    log(f"  ledger            : {settings.database_path(target)}")
    return 0
