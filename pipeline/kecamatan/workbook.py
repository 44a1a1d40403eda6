"""The Buku Kerja Musrenbang Kecamatan (spec/workbooks.md), issued and current.

`write_kecamatan_workbook` writes the same look as the desa workbook (Petunjuk, hidden Daftar
lists, dropdowns, formats, protection, issue marks) with the kecamatan's Identitas labels, a
Jadwal sheet (one row per desa, the letters of SOP Sooko step 1), Peserta as in the desa
workbook and the kecamatan's Usulan columns. Layout: Identitas labels in A2:A21 in standard
order; Jadwal, Peserta and Usulan as the table sheets of pipeline.intake.xlsx_write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pipeline.core.atomic import write_with
from pipeline.core.models import (
    IdentitasKecamatan,
    JadwalDesa,
    Peserta,
    RawWorkbook,
    UsulanKecamatan,
    Wilayah,
)
from pipeline.core.report import Issue
from pipeline.core.sebutan import semua_bidang, semua_sumber_dana
from pipeline.core.standard import (
    BIDANG_KELURAHAN,
    JADWAL_COLUMNS,
    KECAMATAN_IDENTITAS_LABELS,
    KECAMATAN_USULAN_COLUMNS,
    PESERTA_COLUMNS,
    SHEET_IDENTITAS,
    SHEET_JADWAL,
    SHEET_PESERTA,
    SHEET_USULAN,
    TahapKecamatan,
)
from pipeline.desa.workbook import USULAN_WIDTHS, usulan_values
from pipeline.intake.issue_marks import Tables, finish_workbook
from pipeline.intake.xlsx_sheets import (
    IdentitasLayout,
    identitas_sheet,
    lock_cells,
    new_workbook,
    peserta_sheet,
    table_sheet,
)
from pipeline.intake.xlsx_write import (
    DAFTAR,
    DATE_FORMAT,
    FIRST_DATA_ROW,
    RUPIAH_FORMAT,
    TEXT_FORMAT,
    USULAN_DROPDOWNS,
)

DAFTAR_KECAMATAN: dict[str, list[str]] = {**DAFTAR, "Tahap": [t.value for t in TahapKecamatan]}


def daftar_kecamatan(bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN) -> dict[str, list[str]]:
    """The kecamatan's lists: its rows come from desa and kelurahan, so Bidang and Sumber
    Dana hold both levels' choices (each row is checked against its own level)."""
    return {
        **DAFTAR_KECAMATAN,
        "Bidang": semua_bidang(bidang_kelurahan),
        "Sumber Dana": semua_sumber_dana(),
    }


KECAMATAN_USULAN_WIDTHS: dict[str, float] = {
    **USULAN_WIDTHS,
    "Asal Usulan": 22,
    "Desa/Kelurahan": 20,
    "OPD Tujuan": 26,
}
KECAMATAN_USULAN_FORMATS: dict[str, str] = {
    "No": "0",
    "Kode Usulan": TEXT_FORMAT,
    "Perkiraan Biaya (Rp)": RUPIAH_FORMAT,
    "Prioritas": "0",
    "Biaya Disepakati (Rp)": RUPIAH_FORMAT,
}
JADWAL_WIDTHS: dict[str, float] = {
    "Kode Desa/Kelurahan": 18,
    "Nama Desa/Kelurahan": 28,
    "Tanggal Musrenbang": 18,
    "Jam Mulai": 11,
    "Tempat": 40,
}
JADWAL_FORMATS: dict[str, str] = {
    "Kode Desa/Kelurahan": TEXT_FORMAT,
    "Tanggal Musrenbang": DATE_FORMAT,
    "Jam Mulai": TEXT_FORMAT,
}
# Usulan cells locked on the rows that came from the desa (`locked_usulan`).
KECAMATAN_USULAN_LOCKED = ("Kode Usulan", "Asal Usulan", "Desa/Kelurahan")
KECAMATAN_PREFILLED = ("Kode Kecamatan", "Nama Kecamatan", "Tahun Rencana")

KECAMATAN_IDENTITAS_HINTS: dict[str, str] = {
    "Kode Kecamatan": "Diisi sistem; jangan diubah.",
    "Nama Kecamatan": "Diisi sistem; jangan diubah.",
    "Tahun Rencana": "Tahun rencana (RKPD) yang dibahas; diisi sistem.",
    "Tahap": "Pilih: Persiapan, Pelaksanaan, Rekap atau Kirim.",
    "Tanggal Musrenbang": "Wajib sejak Persiapan. Tanggal, contoh 10/02/2026.",
    "Jam Mulai": "Wajib sejak Persiapan. Contoh 09.00.",
    "Tempat": "Wajib sejak Persiapan, contoh Aula Kantor Camat.",
    "Alamat": "Wajib sejak Persiapan.",
    "Nama Camat": "Wajib sejak Persiapan.",
    "NIP Camat": "Boleh kosong. 18 angka, ditulis sebagai teks.",
    "Nama Sekretaris Camat": "Boleh kosong; untuk paraf pada rekap.",
    "NIP Sekretaris Camat": "Boleh kosong. 18 angka, ditulis sebagai teks.",
    "Pimpinan Sidang": "Wajib sejak Rekap.",
    "Notulen": "Wajib sejak Rekap.",
    "Nomor Berita Acara": "Wajib sejak Rekap.",
    "Nomor Surat Pengantar": "Wajib untuk Kirim (nomor surat keluar ke Bappeda).",
    "Jumlah Peserta Laki-laki": "Wajib sejak Rekap. Angka bulat.",
    "Jumlah Peserta Perempuan": "Wajib sejak Rekap. Angka bulat.",
    "Nomor Surat Pemberitahuan": "Boleh kosong; nomor surat pemberitahuan ke desa/kelurahan "
    "(kosong: dicetak titik-titik untuk diisi tangan).",
    "Tanggal Surat Pemberitahuan": "Boleh kosong; tanggal surat itu, sebelum Musrenbang Desa.",
}
_KECAMATAN_IDENTITAS = IdentitasLayout(
    labels=KECAMATAN_IDENTITAS_LABELS,
    prefilled=KECAMATAN_PREFILLED,
    hints=KECAMATAN_IDENTITAS_HINTS,
    text=(
        "Kode Kecamatan",
        "Jam Mulai",
        "NIP Camat",
        "NIP Sekretaris Camat",
        "Nomor Berita Acara",
        "Nomor Surat Pengantar",
        "Nomor Surat Pemberitahuan",
    ),
    dates=("Tanggal Musrenbang", "Tanggal Surat Pemberitahuan"),
    numbers=("Tahun Rencana", "Jumlah Peserta Laki-laki", "Jumlah Peserta Perempuan"),
)

PETUNJUK_KECAMATAN: list[str] = [
    "PETUNJUK PENGISIAN BUKU KERJA MUSRENBANG KECAMATAN",
    "",
    "Buku kerja ini dibaca otomatis. Jangan mengganti nama lembar dan judul kolom. "
    "Simpan selalu sebagai .xlsx (bukan .xls, .ods atau .csv).",
    "",
    "1. Lembar Identitas",
    "   Isi kolom B. Kode Kecamatan, Nama Kecamatan dan Tahun Rencana sudah diisi sistem dan "
    "dikunci; jangan diubah. NIP Camat dan NIP Sekretaris Camat ditulis sebagai teks (18 angka).",
    "   Tahap dipilih dari daftar. Kebutuhan setiap tahap:",
    "   - Persiapan: Tanggal Musrenbang, Jam Mulai, Tempat, Alamat, Nama Camat. Isi juga lembar "
    "Jadwal agar surat pemberitahuan ke setiap desa/kelurahan dibuat; Nomor dan Tanggal Surat "
    "Pemberitahuan (boleh kosong: dicetak titik-titik) tercetak pada setiap surat itu.",
    "   - Pelaksanaan: sama dengan Persiapan; semua desa/kelurahan sudah mengirim usulannya "
    "(desa yang belum mengirim disebutkan sebagai peringatan). Usulan UPT/instansi dicatat.",
    "   - Rekap: setiap usulan diberi Keputusan; Prioritas dan OPD Tujuan untuk usulan yang "
    "diterima; Pimpinan Sidang, Notulen, Nomor Berita Acara, Jumlah Peserta Laki-laki dan "
    "Perempuan.",
    "   - Kirim: semua syarat Rekap, Nomor Surat Pengantar, dan pindaian yang ditandatangani: "
    "Berita Acara (folder pindaian/berita-acara), Daftar Hadir (pindaian/daftar-hadir) dan "
    "Rekap Usulan bertanda tangan Camat dengan paraf Sekretaris Camat (pindaian/rekap).",
    "",
    "2. Lembar Jadwal (surat pemberitahuan Musrenbang Desa/Kelurahan)",
    "   Setiap desa/kelurahan kecamatan sudah tercantum; Kode dan Nama dikunci. Isi Tanggal "
    "Musrenbang, Jam Mulai dan Tempat: setiap baris yang terisi menghasilkan satu Surat "
    "Pemberitahuan untuk desa/kelurahan itu. Baris yang bertanggal wajib berisi Jam dan Tempat.",
    "",
    "3. Lembar Peserta",
    "   Satu baris per peserta Musrenbang Kecamatan: Nama, Jenis Kelamin (L/P), Unsur (pilih "
    "dari daftar), Jabatan/Lembaga, Alamat, No. HP. Boleh kosong; daftar hadir lalu dicetak "
    "dengan baris kosong.",
    "",
    "4. Lembar Usulan",
    "   Sudah berisi usulan yang dikirim desa/kelurahan, masing-masing dengan Kode Usulan dan "
    "nama Desa/Kelurahan. Baris itu JANGAN dihapus dan Kode Usulan-nya JANGAN diubah.",
    "   - Usulan UPT/instansi: tambahkan baris baru dengan Kode Usulan kosong (sistem "
    "mengisinya) dan Asal Usulan = nama UPT/instansi, mis. UPT Puskesmas Bahorok. "
    "Desa/Kelurahan diisi bila usulan itu untuk satu desa/kelurahan.",
    "   - OPD Tujuan: perangkat daerah yang diusulkan melaksanakan, mis. Dinas PUPR (wajib "
    "sejak Rekap untuk usulan yang diterima).",
    "   - Keputusan: Diterima, Diterima dengan Revisi, atau Ditolak. Ditolak perlu alasan dan "
    "Diterima dengan Revisi perlu catatan perubahan di Catatan Keputusan. Usulan yang tidak "
    "disetujui tetap dicatat dengan Keputusan Ditolak, tidak dihapus.",
    "   - Prioritas: peringkat kecamatan, angka bulat 1, 2, 3, ... tidak boleh sama di antara "
    "semua usulan yang diterima (bukan per desa). Buku kerja mengusulkan peringkat bergiliran: "
    "usulan pertama setiap desa/kelurahan menurut urutan kode, lalu usulan kedua, dan "
    "seterusnya, usulan UPT/instansi sesudahnya. Boleh diubah.",
    "   - Volume dan Perkiraan Biaya usulan desa berisi nilai yang disepakati Musrenbang Desa. "
    "Bila Musrenbang Kecamatan mengubahnya, pilih Diterima dengan Revisi dan tulis nilai baru di "
    "Volume Disepakati dan Biaya Disepakati (Rp); kolom yang kosong berarti nilai usulan tetap.",
    "   - Bidang, Sumber Dana dan Keputusan dipilih dari daftar.",
    "",
    "5. Cara menulis angka dan tanggal",
    "   - Perkiraan Biaya: rupiah bulat, contoh 15000000 atau 15.000.000 (bukan '15 jt').",
    "   - Volume: angka, contoh 250 atau 1,5 (koma untuk desimal).",
    "   - Tanggal: contoh 10/02/2026 atau 10 Februari 2026. Jam: contoh 09.00.",
    "",
    "6. Mengirim",
    "   Simpan buku kerja, lalu taruh di folder inbox kecamatan. Tanda terima muncul di folder "
    "outbox/tanda-terima. Jika ditolak, buka salinan '(perbaiki)' di outbox: setiap masalah "
    "ditandai warna dan komentar pada selnya (merah = kesalahan, kuning = peringatan).",
]


def _kecamatan_identitas_values(
    kecamatan: Wilayah, tahun: int, tahap: TahapKecamatan | None, i: IdentitasKecamatan | None
) -> dict[str, Any]:
    i = i or IdentitasKecamatan()
    return {
        "Kode Kecamatan": kecamatan.kode,
        "Nama Kecamatan": kecamatan.nama,
        "Tahun Rencana": tahun,
        "Tahap": tahap.value if tahap else None,
        "Tanggal Musrenbang": i.tanggal_musrenbang,
        "Jam Mulai": i.jam_mulai,
        "Tempat": i.tempat,
        "Alamat": i.alamat,
        "Nama Camat": i.nama_camat,
        "NIP Camat": i.nip_camat,
        "Nama Sekretaris Camat": i.nama_sekcam,
        "NIP Sekretaris Camat": i.nip_sekcam,
        "Pimpinan Sidang": i.pimpinan_sidang,
        "Notulen": i.notulen,
        "Nomor Berita Acara": i.nomor_berita_acara,
        "Nomor Surat Pengantar": i.nomor_surat_pengantar,
        "Jumlah Peserta Laki-laki": i.peserta_l,
        "Jumlah Peserta Perempuan": i.peserta_p,
        "Nomor Surat Pemberitahuan": i.nomor_surat_pemberitahuan,
        "Tanggal Surat Pemberitahuan": i.tanggal_surat_pemberitahuan,
    }


def _jadwal_values(j: JadwalDesa) -> dict[str, Any]:
    return {
        "Kode Desa/Kelurahan": j.kode_desa,
        "Nama Desa/Kelurahan": j.nama_desa,
        "Tanggal Musrenbang": j.tanggal_musrenbang,
        "Jam Mulai": j.jam_mulai,
        "Tempat": j.tempat,
    }


def _kecamatan_usulan_values(n: int, u: UsulanKecamatan) -> dict[str, Any]:
    return {**usulan_values(n, u), "Desa/Kelurahan": u.desa, "OPD Tujuan": u.opd_tujuan}


def build_kecamatan_workbook(
    *,
    kecamatan: Wilayah,
    tahun: int,
    tahap: TahapKecamatan | None,
    identitas: IdentitasKecamatan | None,
    jadwal: Sequence[JadwalDesa],
    peserta: Sequence[Peserta],
    usulan: Sequence[UsulanKecamatan],
    issues: Iterable[Issue] = (),
    locked_usulan: int = 0,
    source: RawWorkbook | None = None,
    bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN,
) -> Workbook:
    """The kecamatan workbook as an openpyxl Workbook, not saved (see write_kecamatan_workbook)."""
    wb, sheets, refs = new_workbook(
        (SHEET_IDENTITAS, SHEET_JADWAL, SHEET_PESERTA, SHEET_USULAN),
        daftar_kecamatan(bidang_kelurahan),
        PETUNJUK_KECAMATAN,
    )
    ws_jadwal, ws_usulan = sheets[SHEET_JADWAL], sheets[SHEET_USULAN]
    values = _kecamatan_identitas_values(kecamatan, tahun, tahap, identitas)
    id_rows = identitas_sheet(sheets[SHEET_IDENTITAS], refs, values, _KECAMATAN_IDENTITAS)
    nama = f"Kecamatan {kecamatan.nama} Tahun Rencana {tahun}"
    table_sheet(
        ws_jadwal,
        f"Jadwal Musrenbang Desa/Kelurahan {nama}",
        JADWAL_COLUMNS,
        JADWAL_WIDTHS,
        JADWAL_FORMATS,
        {},
        refs,
        [_jadwal_values(j) for j in jadwal],
        freeze=f"C{FIRST_DATA_ROW}",
    )
    # Every desa has its row: kode and name are locked, rows are neither added nor deleted.
    lock_cells(
        ws_jadwal,
        JADWAL_COLUMNS,
        ("Kode Desa/Kelurahan", "Nama Desa/Kelurahan"),
        range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(jadwal)),
    )
    ws_jadwal.protection.insertRows = True
    ws_jadwal.protection.deleteRows = True
    ws_jadwal.page_setup.orientation = "portrait"
    peserta_sheet(sheets[SHEET_PESERTA], f"Daftar Peserta Musrenbang {nama}", refs, peserta)
    table_sheet(
        ws_usulan,
        f"Daftar Usulan Musrenbang {nama}",
        KECAMATAN_USULAN_COLUMNS,
        KECAMATAN_USULAN_WIDTHS,
        KECAMATAN_USULAN_FORMATS,
        USULAN_DROPDOWNS,
        refs,
        [_kecamatan_usulan_values(n, u) for n, u in enumerate(usulan, start=1)],
        freeze=f"C{FIRST_DATA_ROW}",
    )
    locked = max(0, min(locked_usulan, len(usulan)))
    lock_cells(
        ws_usulan,
        KECAMATAN_USULAN_COLUMNS,
        KECAMATAN_USULAN_LOCKED,
        range(FIRST_DATA_ROW, FIRST_DATA_ROW + locked),
    )
    tables: Tables = {
        SHEET_JADWAL: (JADWAL_COLUMNS, [j.row for j in jadwal], "jadwal"),
        SHEET_PESERTA: (PESERTA_COLUMNS, [p.row for p in peserta], "peserta"),
        SHEET_USULAN: (KECAMATAN_USULAN_COLUMNS, [u.row for u in usulan], "usulan"),
    }
    finish_workbook(wb, sheets, list(issues), _KECAMATAN_IDENTITAS, id_rows, tables, source)
    return wb


def write_kecamatan_workbook(
    target: Path,
    *,
    kecamatan: Wilayah,
    tahun: int,
    tahap: TahapKecamatan | None,
    identitas: IdentitasKecamatan | None,
    jadwal: Sequence[JadwalDesa],
    peserta: Sequence[Peserta],
    usulan: Sequence[UsulanKecamatan],
    issues: Iterable[Issue] = (),
    locked_usulan: int = 0,
    source: RawWorkbook | None = None,
    bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN,
) -> Path:
    """Write the Buku Kerja Musrenbang Kecamatan to `target` atomically; return `target`.

    Kode/Nama Kecamatan and Tahun come from `kecamatan` and `tahun` (locked), Tahap from
    `tahap` (None leaves it blank), the other Identitas values from `identitas`. Jadwal rows,
    peserta and usulan are written in the order given (No renumbered 1..n, Kode Usulan as
    given); the Jadwal kode and nama cells are locked. The first `locked_usulan` usulan rows
    (the desa's, when the caller puts them first) get Kode Usulan, Asal Usulan and
    Desa/Kelurahan locked; UPT/instansi rows added below stay editable.

    `issues` are marked as write_desa_workbook marks them: Jadwal/Usulan/Peserta issues move
    to the written row of the model whose `row` equals the issue's row (or to `source`'s data
    rows in order when the models carry no rows), Identitas issues to their label's value cell,
    the rest in a note on A1; every issue is listed on a first sheet "Daftar Masalah".
    """
    wb = build_kecamatan_workbook(
        kecamatan=kecamatan,
        tahun=tahun,
        tahap=tahap,
        identitas=identitas,
        jadwal=jadwal,
        peserta=peserta,
        usulan=usulan,
        issues=issues,
        locked_usulan=locked_usulan,
        source=source,
        bidang_kelurahan=bidang_kelurahan,
    )
    return write_with(target, wb.save)
