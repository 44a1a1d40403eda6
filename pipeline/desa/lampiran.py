"""The words of a desa's Lampiran Foto: its heading, each photo's caption and when it was taken.

The caption is the photo's own EXIF description where it has one, else its file name made
readable ('suasana_musrenbang.jpg' -> 'Suasana musrenbang'), else (a camera's IMG_0001) a
plain 'Dokumentasi Musrenbang ...': the file name is the caption only when nothing better is
known, and is always printed small below it. The date is the EXIF date taken where there is
one, else the time the pipeline received the photo, said as such. The PDF itself is drawn by
pipeline.scans.lampiran_foto.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.core.models import Wilayah
from pipeline.documents import formatting as fmt
from pipeline.scans.lampiran_foto import (
    FotoLampiran,
    KepalaLampiran,
    build_lampiran_foto,
    caption_from_name,
    foto_exif,
)

FOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class FotoMasuk:
    """A photo as the ledger keeps it: where it is archived, its name, when it came."""

    path: Path
    nama_asli: str
    diterima_pada: dt.datetime


def _pukul(when: dt.datetime) -> str:
    return f"{fmt.hari_tanggal(when)} pukul {when:%H.%M}"


def foto_words(foto: FotoMasuk, tz: ZoneInfo, cadangan: str) -> FotoLampiran:
    """Caption and date line of one photo; `cadangan` is the caption when nothing tells."""
    exif = foto_exif(foto.path)
    judul = exif.keterangan or caption_from_name(foto.nama_asli) or cadangan
    if exif.diambil is not None:
        waktu = f"Diambil {_pukul(exif.diambil)}"
    else:
        diterima = foto.diterima_pada
        if diterima.tzinfo is not None:
            diterima = diterima.astimezone(tz)
        waktu = f"Waktu pengambilan tidak tercatat; diterima {_pukul(diterima)}"
    return FotoLampiran(path=foto.path, judul=judul, waktu=waktu, berkas=foto.nama_asli)


def write_lampiran_foto(
    photos: Sequence[FotoMasuk],
    out: Path,
    *,
    desa: Wilayah,
    kecamatan: Wilayah,
    kabupaten: str,
    tahun: int,
    tanggal_musrenbang: dt.date | None,
    paper: str,
    tz: ZoneInfo,
    jejak: str = "",
) -> Path:
    """The Lampiran Foto Musrenbang of a desa or kelurahan, two photos a page."""
    level = desa.level_word
    musrenbang = f"Musrenbang {level} {desa.nama}"
    tanggal = f", {fmt.hari_tanggal(tanggal_musrenbang)}" if tanggal_musrenbang else ""
    kepala = KepalaLampiran(
        judul="LAMPIRAN FOTO DOKUMENTASI",
        baris=(
            f"{musrenbang}, Kecamatan {kecamatan.nama}, {kabupaten}",
            f"Tahun Rencana {tahun}{tanggal}",
        ),
        dokumen=f"Lampiran Foto {musrenbang} {tahun}",
        jejak=jejak,
    )
    cadangan = f"Dokumentasi {musrenbang}"
    entries = [foto_words(p, tz, cadangan) for p in photos]
    return build_lampiran_foto(entries, out, paper, kepala)
