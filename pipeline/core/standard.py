"""The workbook standard (spec/workbooks.md) as data: sheet names, labels, columns, enums.

Reader, validator and writer all take their names from here, so one edit changes all three.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Tahap(StrEnum):
    PERSIAPAN = "Persiapan"
    PELAKSANAAN = "Pelaksanaan"
    VERIFIKASI = "Verifikasi"
    KIRIM = "Kirim"


TAHAP_URUTAN: list[Tahap] = [Tahap.PERSIAPAN, Tahap.PELAKSANAAN, Tahap.VERIFIKASI, Tahap.KIRIM]


class TahapKecamatan(StrEnum):
    PERSIAPAN = "Persiapan"
    PELAKSANAAN = "Pelaksanaan"
    REKAP = "Rekap"
    KIRIM = "Kirim"


class Keputusan(StrEnum):
    DITERIMA = "Diterima"
    REVISI = "Diterima dengan Revisi"
    DITOLAK = "Ditolak"


KEPUTUSAN_DITERIMA = (Keputusan.DITERIMA, Keputusan.REVISI)

BIDANG: list[str] = [
    "Penyelenggaraan Pemerintahan Desa",
    "Pelaksanaan Pembangunan Desa",
    "Pembinaan Kemasyarakatan",
    "Pemberdayaan Masyarakat",
    "Penanggulangan Bencana, Keadaan Darurat dan Mendesak",
]

SUMBER_DANA: list[str] = [
    "APBDes",
    "APBD Kabupaten",
    "APBD Provinsi",
    "APBN",
    "Swadaya",
    "Lainnya",
]

# A kelurahan has no APBDes, no BPD and no dusun (spec: "Kelurahan are not desa"). Its bidang
# come from the settings (`bidang.kelurahan`); this is their default.
BIDANG_KELURAHAN: list[str] = [
    "Infrastruktur dan Kewilayahan",
    "Perekonomian dan Sumber Daya Alam",
    "Pemerintahan dan Pembangunan Manusia",
]
SUMBER_DANA_KELURAHAN: list[str] = [
    "Dana Kelurahan",
    "APBD Kabupaten",
    "APBD Provinsi",
    "APBN",
    "Swadaya",
    "Lainnya",
]

UNSUR: list[str] = [
    "Kepala Dusun",
    "Kepala Lingkungan",
    "Perwakilan Masyarakat",
    "BPD",
    "LPM",
    "PKK",
    "Karang Taruna",
    "Tokoh Agama",
    "Tokoh Masyarakat",
    "Stakeholder",
    "Pemerintah Desa/Kelurahan",
    "Tim Pendamping",
    "Lainnya",
]

# The Unsur of a desa's and of a kelurahan's own workbook: a desa has dusun and a BPD, a
# kelurahan lingkungan and no BPD; each names its own government. The standard's joint value
# `Pemerintah Desa/Kelurahan` is still read, as the workbook's own level.
UNSUR_PEMERINTAH = "Pemerintah Desa/Kelurahan"
UNSUR_DESA_SAJA: list[str] = ["Kepala Dusun", "BPD"]
UNSUR_KELURAHAN_SAJA: list[str] = ["Kepala Lingkungan"]
UNSUR_DESA: list[str] = [
    "Pemerintah Desa" if u == UNSUR_PEMERINTAH else u
    for u in UNSUR
    if u not in UNSUR_KELURAHAN_SAJA
]
UNSUR_KELURAHAN: list[str] = [
    "Pemerintah Kelurahan" if u == UNSUR_PEMERINTAH else u
    for u in UNSUR
    if u not in UNSUR_DESA_SAJA
]

# Accepted spellings of Jenis Kelamin -> canonical L/P (matched after normalise()).
JENIS_KELAMIN: dict[str, str] = {
    "l": "L",
    "p": "P",
    "laki-laki": "L",
    "laki laki": "L",
    "lakilaki": "L",
    "perempuan": "P",
    "lk": "L",  # common abbreviations on attendance lists
    "pr": "P",
}

# Asal Usulan values that mark an usulan added by the desa itself (SOP step 10).
ASAL_DESA = ("Desa", "Kelurahan")

SHEET_IDENTITAS = "Identitas"
SHEET_PESERTA = "Peserta"
SHEET_USULAN = "Usulan"
SHEET_JADWAL = "Jadwal"
SHEET_PETUNJUK = "Petunjuk"
SHEET_DAFTAR = "Daftar"  # hidden sheet holding the dropdown lists


class IdentitasField(StrEnum):
    """Keys of the desa Identitas sheet; the value is the exact label."""

    KODE = "Kode Desa/Kelurahan"
    NAMA = "Nama Desa/Kelurahan"
    KECAMATAN = "Kecamatan"
    TAHUN = "Tahun Rencana"
    TAHAP = "Tahap"
    TANGGAL = "Tanggal Musrenbang"
    JAM = "Jam Mulai"
    TEMPAT = "Tempat"
    ALAMAT = "Alamat"
    KEPALA = "Nama Kepala Desa/Lurah"
    NIP_KEPALA = "NIP Kepala Desa/Lurah"
    PIMPINAN = "Pimpinan Rapat"
    NOTULEN = "Notulen"
    PESERTA_L = "Jumlah Peserta Laki-laki"
    PESERTA_P = "Jumlah Peserta Perempuan"


IDENTITAS_LABELS: list[str] = [f.value for f in IdentitasField]

# Pre-filled identity values, locked in issued workbooks.
IDENTITAS_PREFILLED = (
    IdentitasField.KODE,
    IdentitasField.NAMA,
    IdentitasField.KECAMATAN,
    IdentitasField.TAHUN,
)

# Which Identitas values each stage requires (cumulative: a stage also needs the earlier ones).
IDENTITAS_WAJIB: dict[Tahap, tuple[IdentitasField, ...]] = {
    Tahap.PERSIAPAN: (
        IdentitasField.KODE,
        IdentitasField.NAMA,
        IdentitasField.KECAMATAN,
        IdentitasField.TAHUN,
        IdentitasField.TAHAP,
        IdentitasField.TANGGAL,
        IdentitasField.JAM,
        IdentitasField.TEMPAT,
        IdentitasField.ALAMAT,
        IdentitasField.KEPALA,
    ),
    Tahap.PELAKSANAAN: (),
    Tahap.VERIFIKASI: (
        IdentitasField.PIMPINAN,
        IdentitasField.NOTULEN,
        IdentitasField.PESERTA_L,
        IdentitasField.PESERTA_P,
    ),
    Tahap.KIRIM: (),
}


def identitas_wajib(tahap: Tahap) -> list[IdentitasField]:
    """Every Identitas field required to stand at `tahap` (all earlier stages' too)."""
    fields: list[IdentitasField] = []
    for t in TAHAP_URUTAN[: TAHAP_URUTAN.index(tahap) + 1]:
        fields.extend(IDENTITAS_WAJIB[t])
    return fields


PESERTA_COLUMNS: list[str] = [
    "No",
    "Nama",
    "Jenis Kelamin",
    "Unsur",
    "Jabatan/Lembaga",
    "Alamat",
    "No. HP",
]
PESERTA_REQUIRED: list[str] = ["Nama"]


class UsulanColumn(StrEnum):
    NO = "No"
    KODE = "Kode Usulan"
    ASAL = "Asal Usulan"
    BIDANG = "Bidang"
    KEGIATAN = "Kegiatan"
    LOKASI = "Lokasi"
    VOLUME = "Volume"
    SATUAN = "Satuan"
    BIAYA = "Perkiraan Biaya (Rp)"
    SUMBER_DANA = "Sumber Dana"
    PM_L = "Penerima Manfaat L"
    PM_P = "Penerima Manfaat P"
    PM_RTM = "Penerima Manfaat RTM"
    PRIORITAS = "Prioritas"
    KEPUTUSAN = "Keputusan"
    CATATAN = "Catatan Keputusan"
    VOLUME_DISEPAKATI = "Volume Disepakati"
    BIAYA_DISEPAKATI = "Biaya Disepakati (Rp)"


# Optional columns of a revision (Diterima dengan Revisi): the values the musrenbang agreed on.
DISEPAKATI_COLUMNS: list[str] = [UsulanColumn.VOLUME_DISEPAKATI, UsulanColumn.BIAYA_DISEPAKATI]

USULAN_COLUMNS: list[str] = [c.value for c in UsulanColumn]
# Columns whose absence from the header row is an error (the rest are optional columns).
USULAN_REQUIRED_COLUMNS: list[str] = [
    UsulanColumn.ASAL,
    UsulanColumn.BIDANG,
    UsulanColumn.KEGIATAN,
    UsulanColumn.LOKASI,
    UsulanColumn.VOLUME,
    UsulanColumn.SATUAN,
    UsulanColumn.BIAYA,
    UsulanColumn.SUMBER_DANA,
    UsulanColumn.PRIORITAS,
    UsulanColumn.KEPUTUSAN,
    UsulanColumn.CATATAN,
]

KECAMATAN_IDENTITAS_LABELS: list[str] = [
    "Kode Kecamatan",
    "Nama Kecamatan",
    "Tahun Rencana",
    "Tahap",
    "Tanggal Musrenbang",
    "Jam Mulai",
    "Tempat",
    "Alamat",
    "Nama Camat",
    "NIP Camat",
    "Nama Sekretaris Camat",
    "NIP Sekretaris Camat",
    "Pimpinan Sidang",
    "Notulen",
    "Nomor Berita Acara",
    "Nomor Surat Pengantar",
    "Jumlah Peserta Laki-laki",
    "Jumlah Peserta Perempuan",
    "Nomor Surat Pemberitahuan",
    "Tanggal Surat Pemberitahuan",
]
JADWAL_COLUMNS: list[str] = [
    "Kode Desa/Kelurahan",
    "Nama Desa/Kelurahan",
    "Tanggal Musrenbang",
    "Jam Mulai",
    "Tempat",
]
KECAMATAN_USULAN_COLUMNS: list[str] = [
    "No",
    "Kode Usulan",
    "Asal Usulan",
    "Desa/Kelurahan",
    "Bidang",
    "Kegiatan",
    "Lokasi",
    "Volume",
    "Satuan",
    "Perkiraan Biaya (Rp)",
    "Sumber Dana",
    "OPD Tujuan",
    "Prioritas",
    "Keputusan",
    "Catatan Keputusan",
    *DISEPAKATI_COLUMNS,
]
# Columns of the kecamatan Usulan sheet whose absence from the header row is fine.
KECAMATAN_USULAN_OPTIONAL: tuple[str, ...] = (
    "No",
    "Kode Usulan",
    "OPD Tujuan",
    *DISEPAKATI_COLUMNS,
)
KECAMATAN_USULAN_REQUIRED: list[str] = [
    c for c in KECAMATAN_USULAN_COLUMNS if c not in KECAMATAN_USULAN_OPTIONAL
]

# Supporting-document kinds (folders under a desa's dokumen/) and scan kinds (pindaian/).
JENIS_DOKUMEN: list[str] = ["foto", "video", "absensi", "berita-acara", "tanda-terima", "undangan"]
JENIS_PINDAIAN: list[str] = ["daftar-hadir", "berita-acara", "rekap"]

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """How labels and enum values are compared: case, repeated spaces, a trailing colon."""
    text = _SPACES.sub(" ", str(text)).strip()
    text = text.rstrip(":").strip()
    return text.casefold()


def match_choice(value: str, choices: list[str]) -> str | None:
    """The canonical spelling of `value` among `choices`, ignoring case and spacing."""
    key = normalise(value)
    for choice in choices:
        if normalise(choice) == key:
            return choice
    return None


TAHAP_KECAMATAN_URUTAN: list[TahapKecamatan] = [
    TahapKecamatan.PERSIAPAN,
    TahapKecamatan.PELAKSANAAN,
    TahapKecamatan.REKAP,
    TahapKecamatan.KIRIM,
]

# Kecamatan Identitas labels required from each stage on (cumulative, like the desa's).
KECAMATAN_WAJIB: dict[TahapKecamatan, tuple[str, ...]] = {
    TahapKecamatan.PERSIAPAN: (
        "Kode Kecamatan",
        "Nama Kecamatan",
        "Tahun Rencana",
        "Tahap",
        "Tanggal Musrenbang",
        "Jam Mulai",
        "Tempat",
        "Alamat",
        "Nama Camat",
    ),
    TahapKecamatan.PELAKSANAAN: (),
    TahapKecamatan.REKAP: (
        "Pimpinan Sidang",
        "Notulen",
        "Nomor Berita Acara",
        "Jumlah Peserta Laki-laki",
        "Jumlah Peserta Perempuan",
    ),
    TahapKecamatan.KIRIM: ("Nomor Surat Pengantar",),
}


def kecamatan_wajib(tahap: TahapKecamatan) -> list[str]:
    labels: list[str] = []
    for t in TAHAP_KECAMATAN_URUTAN[: TAHAP_KECAMATAN_URUTAN.index(tahap) + 1]:
        labels.extend(KECAMATAN_WAJIB[t])
    return labels
