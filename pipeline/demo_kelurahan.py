"""The demo's kelurahan (Pekan Bahorok): its usulan, participants and decisions in its own
words (lingkungan, LPM, Dana Kelurahan, the kelurahan's bidang), and photos that carry the
date they were taken in their EXIF, as a phone's do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PIL import Image

from pipeline.core.standard import BIDANG_KELURAHAN

INFRA, EKONOMI, MANUSIA = BIDANG_KELURAHAN

PERSIAPAN = {
    "Tahap": "Persiapan",
    "Tempat": "Aula Kantor Lurah",
    "Nama Kepala Desa/Lurah": "Hendra Gunawan, S.Sos",
    "NIP Kepala Desa/Lurah": "198203152009031004",
}

PESERTA = [
    ("Hendra Gunawan, S.Sos", "L", "Pemerintah Kelurahan", "Lurah"),
    ("Sri Rahayu Sitepu", "P", "Kepala Lingkungan", "Kepala Lingkungan I"),
    ("Budi Tarigan", "L", "LPM", "Ketua LPM"),
    ("Ani Lestari", "P", "PKK", "Ketua TP PKK"),
    ("Rudi Hartono", "L", "Kepala Lingkungan", "Kepala Lingkungan II"),
    ("Siti Maryam", "P", "Tokoh Masyarakat", "Tokoh Perempuan"),
    ("Andi Saputra", "L", "Karang Taruna", "Ketua Karang Taruna"),
]

USULAN = [
    ("Lingkungan I", INFRA, "Rabat beton gang Melati", "Lingkungan I", 120, "meter",
     96_000_000, "Dana Kelurahan"),
    ("Lingkungan II", EKONOMI, "Pelatihan UMKM keripik pisang", "Aula Kantor Lurah", 25,
     "orang", 18_500_000, "Dana Kelurahan"),
    ("LPM", MANUSIA, "Posyandu remaja", "Lingkungan III", 12, "bulan", 9_000_000,
     "Dana Kelurahan"),
    ("Kelurahan", INFRA, "Lampu jalan tenaga surya", "Lingkungan II", 10, "titik",
     101_001_000, "APBD Kabupaten"),
]  # fmt: skip

DECISIONS = [
    (1, "Diterima", None),
    (3, "Diterima", None),
    (None, "Ditolak", "Sudah dilaksanakan Puskesmas tahun berjalan"),
    (2, "Diterima", None),
]

OPD_KELURAHAN = {INFRA: "Dinas PUPR", EKONOMI: "Dinas Koperasi dan UKM", MANUSIA: "Dinas Kesehatan"}


def with_date_taken(path: Path, taken: dt.datetime, description: str | None = None) -> Path:
    """Write the EXIF date taken (and a description) into a JPEG, as a phone camera does."""
    with Image.open(path) as img:
        img.load()
        exif = img.getexif()
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
        exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")  # DateTime
        if description:
            exif[0x010E] = description  # ImageDescription
        img.save(path, exif=exif, quality=85)
    return path


def kirim(operator: Any, taken: dt.datetime) -> None:
    """The kelurahan's operator (a demo Operator) drops the signed scans, a photo taken at the
    musrenbang, and the workbook at Tahap Kirim."""
    operator.scan("berita-acara", "BERITA ACARA MUSRENBANG KELURAHAN PEKAN BAHOROK")
    operator.scan("daftar-hadir", "DAFTAR HADIR MUSRENBANG KELURAHAN PEKAN BAHOROK")
    operator.photo("pembukaan oleh lurah.jpg", "Musrenbang Kelurahan Pekan Bahorok", taken=taken)
    operator.drop({"Tahap": "Kirim"})
