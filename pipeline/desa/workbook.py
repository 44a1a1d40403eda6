"""The Buku Kerja Musrenbang Desa (spec/workbooks.md), issued and current.

`write_desa_workbook` writes sheets Petunjuk, Identitas, Peserta, Usulan and the hidden Daftar
(dropdown lists), with dropdowns, number formats, frozen headers and sheet protection that
locks the labels and the pre-filled identity values only; issues of the dropped workbook are
marked on their written cells. Layout: pipeline.intake.xlsx_write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pipeline.core.atomic import write_with
from pipeline.core.models import IdentitasDesa, Peserta, RawWorkbook, Usulan, Wilayah
from pipeline.core.report import Issue
from pipeline.core.sebutan import DESA, SEBUTAN_DESA, Sebutan, sebutan
from pipeline.core.standard import (
    BIDANG_KELURAHAN,
    IDENTITAS_LABELS,
    IDENTITAS_PREFILLED,
    PESERTA_COLUMNS,
    SHEET_IDENTITAS,
    SHEET_PESERTA,
    SHEET_USULAN,
    USULAN_COLUMNS,
    IdentitasField,
    Tahap,
    UsulanColumn,
)
from pipeline.intake.issue_marks import Tables, finish_workbook
from pipeline.intake.xlsx_sheets import (
    IdentitasLayout,
    identitas_sheet,
    new_workbook,
    peserta_sheet,
    table_sheet,
)
from pipeline.intake.xlsx_write import (
    DAFTAR,
    FIRST_DATA_ROW,
    RUPIAH_FORMAT,
    TEXT_FORMAT,
    USULAN_DROPDOWNS,
)

USULAN_WIDTHS: dict[str, float] = {
    "No": 5,
    "Kode Usulan": 25,
    "Asal Usulan": 18,
    "Bidang": 32,
    "Kegiatan": 42,
    "Lokasi": 22,
    "Volume": 9,
    "Satuan": 10,
    "Perkiraan Biaya (Rp)": 18,
    "Sumber Dana": 16,
    "Penerima Manfaat L": 11,
    "Penerima Manfaat P": 11,
    "Penerima Manfaat RTM": 12,
    "Prioritas": 9,
    "Keputusan": 22,
    "Catatan Keputusan": 40,
    "Volume Disepakati": 11,
    "Biaya Disepakati (Rp)": 18,
}
# Number formats per column; text columns keep leading zeros and long digit strings.
USULAN_FORMATS: dict[str, str] = {
    "No": "0",
    "Kode Usulan": TEXT_FORMAT,
    "Perkiraan Biaya (Rp)": RUPIAH_FORMAT,
    "Biaya Disepakati (Rp)": RUPIAH_FORMAT,
    "Penerima Manfaat L": "#,##0",
    "Penerima Manfaat P": "#,##0",
    "Penerima Manfaat RTM": "#,##0",
    "Prioritas": "0",
}


def identitas_hints(sb: Sebutan) -> dict[str, str]:
    """Column C of Identitas, in the words of the desa's or kelurahan's own level."""
    contoh_tempat = "Balai Desa" if sb.level == DESA else "Aula Kantor Lurah"
    return {
        IdentitasField.KODE: "Diisi sistem; jangan diubah.",
        IdentitasField.NAMA: "Diisi sistem; jangan diubah.",
        IdentitasField.KECAMATAN: "Diisi sistem; jangan diubah.",
        IdentitasField.TAHUN: f"Tahun rencana (RKP {sb.wilayah}) yang direncanakan; diisi sistem.",
        IdentitasField.TAHAP: "Pilih: Persiapan, Pelaksanaan, Verifikasi atau Kirim.",
        IdentitasField.TANGGAL: "Wajib sejak Persiapan. Tanggal, contoh 13/01/2026.",
        IdentitasField.JAM: "Wajib sejak Persiapan. Contoh 09.00.",
        IdentitasField.TEMPAT: f"Wajib sejak Persiapan, contoh {contoh_tempat}.",
        IdentitasField.ALAMAT: "Wajib sejak Persiapan.",
        IdentitasField.KEPALA: f"Wajib sejak Persiapan: nama {sb.kepala}.",
        IdentitasField.NIP_KEPALA: "Boleh kosong. 18 angka, ditulis sebagai teks.",
        IdentitasField.PIMPINAN: "Wajib sejak Verifikasi.",
        IdentitasField.NOTULEN: "Wajib sejak Verifikasi.",
        IdentitasField.PESERTA_L: "Wajib sejak Verifikasi. Angka bulat.",
        IdentitasField.PESERTA_P: "Wajib sejak Verifikasi. Angka bulat.",
    }


IDENTITAS_HINTS: dict[str, str] = identitas_hints(SEBUTAN_DESA)


def petunjuk(sb: Sebutan) -> list[str]:
    """The Petunjuk sheet of a desa's or a kelurahan's workbook: a kelurahan's never says
    Desa, Kepala Desa, Dusun or BPD (the standard's labels aside)."""
    wilayah, kecil = sb.wilayah, sb.wilayah_kecil.lower()
    lembaga = "LPM, PKK, BPD, Karang Taruna" if sb.level == DESA else "LPM, PKK, Karang Taruna"
    return [
        f"PETUNJUK PENGISIAN BUKU KERJA MUSRENBANG {wilayah.upper()}",
        "",
        "Buku kerja ini dibaca otomatis. Jangan mengganti nama lembar dan judul kolom. "
        "Simpan selalu sebagai .xlsx (bukan .xls, .ods atau .csv).",
        "",
        "1. Lembar Identitas",
        f"   Isi kolom B. Kode dan nama {wilayah.lower()}, Kecamatan dan Tahun Rencana sudah "
        "diisi sistem dan dikunci; jangan diubah.",
        "   Tahap dipilih dari daftar. Kebutuhan setiap tahap:",
        f"   - Persiapan: Tanggal Musrenbang, Jam Mulai, Tempat, Alamat, nama {sb.kepala}.",
        "   - Pelaksanaan: sama dengan Persiapan; usulan mulai dicatat di lembar Usulan.",
        "   - Verifikasi: minimal satu usulan; setiap usulan diberi Keputusan; Prioritas untuk "
        "usulan yang diterima; Pimpinan Rapat, Notulen, Jumlah Peserta Laki-laki dan Perempuan.",
        "   - Kirim: semua syarat Verifikasi, ditambah pindaian Berita Acara dan Daftar Hadir "
        "yang sudah ditandatangani (taruh di folder pindaian/berita-acara dan "
        "pindaian/daftar-hadir).",
        "   Batas pengiriman ke kecamatan: 5 hari kerja setelah Tanggal Musrenbang (kecuali "
        "kabupaten menetapkan lain).",
        "",
        "2. Lembar Peserta",
        "   Satu baris per peserta: Nama, Jenis Kelamin (L/P), Unsur (pilih dari daftar), "
        "Jabatan/Lembaga, Alamat, No. HP. Kolom No diisi sistem. Boleh kosong; daftar hadir lalu "
        "dicetak dengan baris kosong.",
        "",
        "3. Lembar Usulan",
        "   Satu baris per usulan. Kolom No diisi sistem.",
        "   - Kode Usulan: biarkan kosong untuk usulan baru; sistem mengisinya. Kode yang sudah "
        "ada JANGAN diubah atau dihapus.",
        f"   - Asal Usulan: {kecil} asal usulan (mis. {sb.wilayah_kecil} I), '{sb.asal_sendiri}' "
        f"untuk usulan tambahan {wilayah.lower()} sendiri, atau lembaga ({lembaga}).",
        f"   - Lokasi: {sb.lokasi_contoh}.",
        "   - Usulan yang sudah tercatat tidak boleh dihapus. Jika tidak disetujui, pilih "
        "Keputusan Ditolak dan tulis alasannya di Catatan Keputusan.",
        "   - Diterima dengan Revisi juga perlu Catatan Keputusan (apa yang diubah). Bila "
        "volume atau biaya berubah, tulis nilai yang disepakati di Volume Disepakati dan Biaya "
        "Disepakati (Rp); Volume dan Perkiraan Biaya tetap berisi nilai yang diusulkan (semula). "
        "Kolom yang kosong berarti nilai usulan tetap berlaku. Kedua kolom ini hanya untuk "
        "Diterima dengan Revisi.",
        "   - Prioritas: angka bulat 1, 2, 3, ... tidak boleh sama di antara usulan yang diterima.",
        f"   - Bidang (bidang {wilayah.lower()}), Sumber Dana dan Keputusan dipilih dari daftar. "
        f"Dana {wilayah.lower()} sendiri: {sb.dana_sendiri}.",
        "",
        "4. Cara menulis angka dan tanggal",
        "   - Perkiraan Biaya: rupiah bulat, contoh 15000000 atau 15.000.000 (bukan '15 jt').",
        "   - Volume: angka, contoh 250 atau 1,5 (koma untuk desimal).",
        "   - Tanggal: contoh 13/01/2026 atau 13 Januari 2026. Jam: contoh 09.00.",
        "   - NIP dan No. HP ditulis sebagai teks agar angka 0 di depan tidak hilang.",
        "",
        "5. Mengirim",
        f"   Simpan buku kerja, lalu taruh di folder inbox {wilayah.lower()} Anda. Tanda terima "
        "muncul di folder outbox/tanda-terima. Jika ditolak, buka salinan '(perbaiki)' di "
        "outbox: setiap masalah ditandai warna dan komentar pada selnya (merah = kesalahan, "
        "kuning = peringatan).",
    ]


PETUNJUK: list[str] = petunjuk(SEBUTAN_DESA)


def daftar(sb: Sebutan) -> dict[str, list[str]]:
    """The hidden Daftar lists of a desa's or a kelurahan's workbook (its own choices)."""
    return {
        **DAFTAR,
        "Bidang": list(sb.bidang),
        "Sumber Dana": list(sb.sumber_dana),
        "Unsur": list(sb.unsur),
    }


def _layout(sb: Sebutan) -> IdentitasLayout:
    return IdentitasLayout(
        labels=IDENTITAS_LABELS,
        prefilled=IDENTITAS_PREFILLED,
        hints=identitas_hints(sb),
        text=(IdentitasField.NIP_KEPALA, IdentitasField.JAM, IdentitasField.KODE),
        dates=(IdentitasField.TANGGAL,),
        numbers=(IdentitasField.PESERTA_L, IdentitasField.PESERTA_P, IdentitasField.TAHUN),
    )


def _identitas_values(
    desa: Wilayah,
    kecamatan: Wilayah,
    tahun: int,
    tahap: Tahap | None,
    identitas: IdentitasDesa | None,
) -> dict[str, Any]:
    i = identitas or IdentitasDesa()
    F = IdentitasField
    return {
        F.KODE: desa.kode,
        F.NAMA: desa.nama,
        F.KECAMATAN: kecamatan.nama,
        F.TAHUN: tahun,
        F.TAHAP: tahap.value if tahap else None,
        F.TANGGAL: i.tanggal_musrenbang,
        F.JAM: i.jam_mulai,
        F.TEMPAT: i.tempat,
        F.ALAMAT: i.alamat,
        F.KEPALA: i.nama_kepala,
        F.NIP_KEPALA: i.nip_kepala,
        F.PIMPINAN: i.pimpinan_rapat,
        F.NOTULEN: i.notulen,
        F.PESERTA_L: i.peserta_l,
        F.PESERTA_P: i.peserta_p,
    }


def usulan_values(n: int, u: Usulan) -> dict[str, Any]:
    C = UsulanColumn
    return {
        C.NO: n,
        C.KODE: u.kode_usulan,
        C.ASAL: u.asal,
        C.BIDANG: u.bidang,
        C.KEGIATAN: u.kegiatan,
        C.LOKASI: u.lokasi,
        C.VOLUME: u.volume,
        C.SATUAN: u.satuan,
        C.BIAYA: u.biaya,
        C.SUMBER_DANA: u.sumber_dana,
        C.PM_L: u.pm_l,
        C.PM_P: u.pm_p,
        C.PM_RTM: u.pm_rtm,
        C.PRIORITAS: u.prioritas,
        C.KEPUTUSAN: u.keputusan.value if u.keputusan else None,
        C.CATATAN: u.catatan,
        C.VOLUME_DISEPAKATI: u.volume_disepakati,
        C.BIAYA_DISEPAKATI: u.biaya_disepakati,
    }


# ----------------------------------------------------------------------------- public API


def build_desa_workbook(
    *,
    desa: Wilayah,
    kecamatan: Wilayah,
    tahun: int,
    tahap: Tahap | None,
    identitas: IdentitasDesa | None = None,
    peserta: Sequence[Peserta] = (),
    usulan: Sequence[Usulan] = (),
    issues: Iterable[Issue] = (),
    source: RawWorkbook | None = None,
    bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN,
) -> Workbook:
    """The desa workbook as an openpyxl Workbook, not saved (see write_desa_workbook)."""
    sb = sebutan(desa.level, bidang_kelurahan)
    layout = _layout(sb)
    wb, sheets, refs = new_workbook(
        (SHEET_IDENTITAS, SHEET_PESERTA, SHEET_USULAN), daftar(sb), petunjuk(sb)
    )
    values = _identitas_values(desa, kecamatan, tahun, tahap, identitas)
    id_rows = identitas_sheet(sheets[SHEET_IDENTITAS], refs, values, layout)
    level = desa.level_word
    peserta_sheet(
        sheets[SHEET_PESERTA],
        f"Daftar Peserta Musrenbang {level} {desa.nama} Tahun Rencana {tahun}",
        refs,
        peserta,
    )
    table_sheet(
        sheets[SHEET_USULAN],
        f"Daftar Usulan Musrenbang {level} {desa.nama} Tahun Rencana {tahun}",
        USULAN_COLUMNS,
        USULAN_WIDTHS,
        USULAN_FORMATS,
        USULAN_DROPDOWNS,
        refs,
        [usulan_values(n, u) for n, u in enumerate(usulan, start=1)],
        freeze=f"C{FIRST_DATA_ROW}",
    )
    tables: Tables = {
        SHEET_PESERTA: (PESERTA_COLUMNS, [p.row for p in peserta], "peserta"),
        SHEET_USULAN: (USULAN_COLUMNS, [u.row for u in usulan], "usulan"),
    }
    finish_workbook(wb, sheets, list(issues), layout, id_rows, tables, source)
    return wb


def write_desa_workbook(
    target: Path,
    *,
    desa: Wilayah,
    kecamatan: Wilayah,
    tahun: int,
    tahap: Tahap | None,
    identitas: IdentitasDesa | None = None,
    peserta: Sequence[Peserta] = (),
    usulan: Sequence[Usulan] = (),
    issues: Iterable[Issue] = (),
    source: RawWorkbook | None = None,
    bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN,
) -> Path:
    """Write the Buku Kerja Musrenbang Desa to `target` atomically; return `target`.

    Identity values kode/nama/kecamatan/tahun come from `desa`, `kecamatan`, `tahun` (never
    from `identitas`), Tahap from `tahap` (None leaves it blank). Peserta and usulan are
    written in the order given, No renumbered 1..n, Kode Usulan as given. A kelurahan's
    workbook (kode PP.KK.CC.1DDD) says Kelurahan, Lurah and Lingkungan, and its dropdowns hold
    its own choices (Bidang `bidang_kelurahan`, Dana Kelurahan, no BPD or Kepala Dusun).

    `issues` are marked on the written cells. Their cells refer to the *dropped* workbook:
    an Usulan/Peserta issue is moved to the written row of the model whose `row` equals the
    issue's row (models without rows, e.g. from the ledger, are matched to `source`'s data
    rows in order when both have the same number of rows), and to the written column of its label (`issue.column` when it is a standard
    label, else the letter of `issue.cell` looked up in `source`'s header columns). An
    Identitas issue goes to the value cell of its label (from `issue.column`, or from the
    label whose cell in `source` is `issue.cell`). Issues that cannot be placed, and issues
    without a cell, are noted in a comment on A1 of their sheet (Identitas when the sheet is
    unknown). Every issue is also listed on a first sheet "Daftar Masalah" (added only when
    there are issues). When `source` is None and no model carries a `row`, issue cells are
    taken as cells of the written layout.
    """
    wb = build_desa_workbook(
        desa=desa,
        kecamatan=kecamatan,
        tahun=tahun,
        tahap=tahap,
        identitas=identitas,
        peserta=peserta,
        usulan=usulan,
        issues=issues,
        source=source,
        bidang_kelurahan=bidang_kelurahan,
    )
    return write_with(target, wb.save)
