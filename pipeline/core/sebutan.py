"""What a desa and a kelurahan are called, and the choices each one's own workbook offers.

A kelurahan (kode PP.KK.CC.1DDD) is not a desa: it has no APBDes, no BPD and no dusun (its
wilayah are lingkungan, its lembaga the LPM, its head the Lurah) and its bidang come from the
settings (`bidang.kelurahan`). Workbooks, dropdowns, documents and messages take their words
and lists from one `Sebutan`, so no code spells "Desa" for a kelurahan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.core.standard import (
    BIDANG,
    BIDANG_KELURAHAN,
    SUMBER_DANA,
    SUMBER_DANA_KELURAHAN,
    UNSUR_DESA,
    UNSUR_KELURAHAN,
)

DESA = "desa"
KELURAHAN = "kelurahan"


@dataclass(frozen=True)
class Sebutan:
    """The words and choices of one level (desa or kelurahan)."""

    level: str  # "desa" | "kelurahan"
    wilayah: str  # "Desa" | "Kelurahan"
    kepala: str  # "Kepala Desa" | "Lurah"
    wilayah_kecil: str  # "Dusun" | "Lingkungan"
    kepala_wilayah_kecil: str  # "Kepala Dusun" | "Kepala Lingkungan"
    lembaga: str  # "BPD" | "LPM": the lembaga that signs the berita acara beside the kepala
    pemerintah: str  # "Pemerintah Desa" | "Pemerintah Kelurahan"
    kantor: str  # "Kantor Kepala Desa" | "Kantor Lurah"
    dana_sendiri: str  # "APBDes" | "Dana Kelurahan"
    bidang: tuple[str, ...]
    sumber_dana: tuple[str, ...]
    unsur: tuple[str, ...]
    undangan: str  # whom the Musrenbang invites, as a letter lists them

    @property
    def asal_sendiri(self) -> str:
        """The Asal Usulan of the level's own additions (SOP step 10): `Desa` / `Kelurahan`."""
        return self.wilayah

    @property
    def ketua_lembaga(self) -> str:
        return f"Ketua {self.lembaga}"

    @property
    def lokasi_contoh(self) -> str:
        return f"{self.wilayah_kecil.lower()}/RT/RW"


SEBUTAN_DESA = Sebutan(
    level=DESA,
    wilayah="Desa",
    kepala="Kepala Desa",
    wilayah_kecil="Dusun",
    kepala_wilayah_kecil="Kepala Dusun",
    lembaga="BPD",
    pemerintah="Pemerintah Desa",
    kantor="Kantor Kepala Desa",
    dana_sendiri="APBDes",
    bidang=tuple(BIDANG),
    sumber_dana=tuple(SUMBER_DANA),
    unsur=tuple(UNSUR_DESA),
    undangan=(
        "kepala dusun, BPD, LPM, PKK, Karang Taruna, tokoh agama, tokoh masyarakat dan "
        "perwakilan perempuan"
    ),
)


def sebutan_kelurahan(bidang: Sequence[str] = BIDANG_KELURAHAN) -> Sebutan:
    """A kelurahan's words; `bidang` is the settings' `bidang.kelurahan`."""
    return Sebutan(
        level=KELURAHAN,
        wilayah="Kelurahan",
        kepala="Lurah",
        wilayah_kecil="Lingkungan",
        kepala_wilayah_kecil="Kepala Lingkungan",
        lembaga="LPM",
        pemerintah="Pemerintah Kelurahan",
        kantor="Kantor Lurah",
        dana_sendiri="Dana Kelurahan",
        bidang=tuple(bidang),
        sumber_dana=tuple(SUMBER_DANA_KELURAHAN),
        unsur=tuple(UNSUR_KELURAHAN),
        undangan=(
            "kepala lingkungan, LPM, PKK, Karang Taruna, tokoh agama, tokoh masyarakat dan "
            "perwakilan perempuan"
        ),
    )


def level_of(kode: str) -> str:
    """'kelurahan' for a kode PP.KK.CC.1DDD, else 'desa'."""
    last = kode.strip().split(".")[-1]
    return KELURAHAN if len(kode.split(".")) == 4 and last.startswith("1") else DESA


def sebutan(level: str, bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN) -> Sebutan:
    """The words of `level` ('desa' or 'kelurahan')."""
    return sebutan_kelurahan(bidang_kelurahan) if level == KELURAHAN else SEBUTAN_DESA


def semua_bidang(bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN) -> list[str]:
    """Every bidang a kecamatan may see: the desa's, then the kelurahan's (recap order)."""
    return list(dict.fromkeys([*BIDANG, *bidang_kelurahan]))


def semua_sumber_dana() -> list[str]:
    """Every Sumber Dana of either level (the kecamatan's list)."""
    return list(dict.fromkeys([*SUMBER_DANA, *SUMBER_DANA_KELURAHAN]))
