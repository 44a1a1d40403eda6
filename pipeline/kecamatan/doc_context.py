"""Context pieces every kecamatan document shares: the officials, the kop, the dates, an
usulan row, the Daftar Hadir and who signs the Berita Acara (docs/templates.md)."""

from __future__ import annotations

from typing import Any

from pipeline.core.config import Settings
from pipeline.core.models import KecamatanSnapshot, UsulanKecamatan
from pipeline.desa.documents import _usulan_row
from pipeline.documents import formatting as fmt
from pipeline.documents.context import (
    TITIK,
    Penanda,
    _s,
    daftar_hadir_rows,
    hadir,
    kabupaten_words,
    kop,
    pejabat_atau_nama,
    waktu,
)
from pipeline.kecamatan.ringkasan import JENIS_UPT, asal_of

NOMOR_KOSONG = "....../......"  # a letter number to write by hand


# ----------------------------------------------------------------------------- helpers


def _pejabat(nama: str | None, nip: str | None) -> dict[str, str]:
    nip_text = _s(nip)
    return {
        "nama": _s(nama, f"({TITIK})"),
        "nip": nip_text,
        "nip_baris": f"NIP. {nip_text}" if nip_text else f"NIP. {TITIK}",
    }


def _kabupaten_nama(snapshot: KecamatanSnapshot, settings: Settings) -> str:
    return settings.kabupaten.nama or snapshot.kabupaten.nama


def kepala_daerah(kabupaten: str) -> str:
    """'Kabupaten Langkat' -> 'Bupati Langkat'; 'Kota Binjai' -> 'Wali Kota Binjai'."""
    name = kabupaten.strip()
    if name.casefold().startswith("kota "):
        return f"Wali Kota {name[5:].strip()}"
    if name.casefold().startswith("kabupaten "):
        return f"Bupati {name[10:].strip()}"
    return f"Bupati {name}"


def common_context(snapshot: KecamatanSnapshot, settings: Settings, kind: str) -> dict[str, Any]:
    """Keys every kecamatan template may use (docs/templates.md)."""
    ident = snapshot.identitas
    kabupaten = _kabupaten_nama(snapshot, settings)
    kec = snapshot.kecamatan.nama
    tanggal = ident.tanggal_musrenbang
    alamat_kop = settings.kop.alamat_kecamatan or settings.kop.alamat or _s(ident.alamat)
    rekap = snapshot.rekap_pada or tanggal
    jenis_kabupaten, nama_kabupaten = kabupaten_words(kabupaten)
    return {
        "judul_dokumen": f"{kind} Musrenbang Kecamatan {kec} {snapshot.tahun}",
        "judul_musrenbang": f"MUSYAWARAH PERENCANAAN PEMBANGUNAN KECAMATAN {kec.upper()}",
        "tahun": snapshot.tahun,
        "tahap": str(snapshot.tahap) if snapshot.tahap else "",
        "jejak": snapshot.jejak,  # `Jejak data <12 hex>` in the footer (ledger/jejak.py)
        "kop": kop(settings, kabupaten, kec, alamat_kop),
        "kecamatan": {"kode": snapshot.kecamatan.kode, "nama": kec},
        "kabupaten": {
            "kode": snapshot.kabupaten.kode,
            "nama": kabupaten,
            "jenis": jenis_kabupaten,
            "nama_pendek": nama_kabupaten,
            "kepala_daerah": kepala_daerah(kabupaten),
            "ibu_kota": settings.kop.ibu_kota or "Tempat",
        },
        "tanggal_musrenbang": tanggal,
        "musrenbang": waktu(tanggal, ident.jam_mulai, ident.tempat, ident.alamat, settings),
        "camat": {**_pejabat(ident.nama_camat, ident.nip_camat), "jabatan": f"Camat {kec}"},
        "sekcam": _pejabat(ident.nama_sekcam, ident.nip_sekcam),
        "tempat_tanggal_ttd": f"{kec}, {fmt.tanggal(tanggal) or TITIK}",
        "tempat_ttd": f"{kec}, {TITIK}",
        # the Rekap is signed when the kecamatan reaches Rekap (else on the musrenbang's day)
        "tempat_tanggal_rekap": f"{kec}, {fmt.tanggal(rekap) or TITIK}",
    }


def _row(u: UsulanKecamatan, no: int, snapshot: KecamatanSnapshot) -> dict[str, Any]:
    asal = asal_of(u, snapshot)
    row = _usulan_row(u, no)
    row.update(
        {
            "desa": asal.nama if asal.jenis != JENIS_UPT else "",
            "asal_judul": asal.judul,
            "jenis_asal": asal.jenis,
            "opd_tujuan": _s(u.opd_tujuan),
        }
    )
    return row


# ----------------------------------------------------------------------------- contexts


def daftar_hadir_context(snapshot: KecamatanSnapshot, settings: Settings) -> dict[str, Any]:
    ctx = common_context(snapshot, settings, "Daftar Hadir")
    ctx["peserta"] = daftar_hadir_rows(snapshot.peserta)
    ctx["jumlah_peserta_terdaftar"] = len(snapshot.peserta)
    return ctx


def _hadir(snapshot: KecamatanSnapshot) -> dict[str, Any]:
    ident = snapshot.identitas
    return hadir(ident.peserta_l, ident.peserta_p, snapshot.peserta)


def _angka_kata(n: int) -> str:
    """'12 (dua belas)'."""
    return f"{n} ({fmt.terbilang(n)})"


def penandatangan_berita_acara(snapshot: KecamatanSnapshot) -> list[Penanda]:
    """Who signs the kecamatan Berita Acara: Pimpinan Sidang, Notulen, Mengetahui Camat."""
    ident = snapshot.identitas
    camat = _s(ident.nama_camat) or None
    return [
        Penanda("Pimpinan Sidang", pejabat_atau_nama(ident.pimpinan_sidang, camat), tingkat=1),
        Penanda("Notulen", _s(ident.notulen) or None),
        Penanda(
            f"Camat {snapshot.kecamatan.nama}",
            camat,
            _s(ident.nip_camat),
            mengetahui=True,
            tingkat=3,
        ),
    ]
