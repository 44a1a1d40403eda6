"""The kecamatan's usulan grouped and counted: per desa (and UPT/instansi), per bidang, per
OPD Tujuan. The Rekap (docx and xlsx) and the Surat Pengantar read their figures here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.core.models import KecamatanSnapshot, Usulan, UsulanKecamatan, Wilayah
from pipeline.core.sebutan import semua_bidang
from pipeline.core.standard import BIDANG_KELURAHAN, normalise
from pipeline.core.wilayah import desa_of_usulan
from pipeline.desa.figures import Tally, tally
from pipeline.desa.ordering import kelompok_bidang
from pipeline.documents.context import _s
from pipeline.ledger.agreed import belum_mengirim

OPD_KOSONG = "(OPD Tujuan belum diisi)"
ASAL_KOSONG = "(Asal Usulan belum diisi)"
JENIS_UPT = "UPT/Instansi"


# ----------------------------------------------------------------------------- asal usulan


@dataclass(frozen=True)
class Asal:
    """Where an usulan comes from: a desa/kelurahan of the kecamatan or an UPT/instansi."""

    jenis: str  # "Desa", "Kelurahan" or JENIS_UPT
    kode: str  # the desa's kode, "" for an UPT
    nama: str  # "Lau Damak" / "UPT Puskesmas Bahorok"

    @property
    def judul(self) -> str:
        return self.nama if self.jenis == JENIS_UPT else f"{self.jenis} {self.nama}"


def asal_of(u: UsulanKecamatan, snapshot: KecamatanSnapshot) -> Asal:
    """The desa from the Kode Usulan (or the Desa/Kelurahan column), else the UPT."""
    return asal_in(u, snapshot.desa)


def asal_in(u: UsulanKecamatan, desa_list: Sequence[Wilayah]) -> Asal:
    """Where `u` comes from among the kecamatan's `desa_list` (see asal_of)."""
    by_kode = {d.kode: d for d in desa_list}
    desa = by_kode.get(desa_of_usulan(u.kode_usulan))
    if desa is None and _s(u.desa):
        key = normalise(_s(u.desa))
        desa = next((d for d in desa_list if normalise(d.nama) == key), None)
        if desa is None:
            return Asal("Desa/Kelurahan", "", _s(u.desa))
    if desa is not None:
        return Asal(desa.level_word, desa.kode, desa.nama)
    return Asal(JENIS_UPT, "", _s(u.asal, ASAL_KOSONG))


# One recap row: the counts and costs of a group of usulan (desa/figures.py).
Ringkasan = Tally


def total(rows: Iterable[Usulan], nama: str = "JUMLAH") -> Ringkasan:
    return tally(rows, nama)


def per_desa(snapshot: KecamatanSnapshot) -> list[tuple[Asal, list[UsulanKecamatan]]]:
    """Every desa of the kecamatan (also those without usulan), then each UPT/instansi."""
    groups: dict[Asal, list[UsulanKecamatan]] = {
        Asal(d.level_word, d.kode, d.nama): [] for d in snapshot.desa
    }
    for u in snapshot.usulan:
        groups.setdefault(asal_of(u, snapshot), []).append(u)
    desa = [(a, rows) for a, rows in groups.items() if a.jenis != JENIS_UPT]
    upt = [(a, rows) for a, rows in groups.items() if a.jenis == JENIS_UPT]
    return desa + upt


def per_bidang(
    snapshot: KecamatanSnapshot, bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN
) -> list[tuple[str, list[Usulan]]]:
    """The desa's bidang, then the kelurahan's (`bidang_kelurahan`, the settings'): usulan
    of a kelurahan stand under the kelurahan's bidang."""
    rows: list[Usulan] = list(snapshot.usulan)
    return kelompok_bidang(rows, semua_bidang(bidang_kelurahan))


def per_opd(snapshot: KecamatanSnapshot) -> list[tuple[str, list[UsulanKecamatan]]]:
    groups: dict[str, list[UsulanKecamatan]] = {}
    for u in snapshot.usulan:
        groups.setdefault(_s(u.opd_tujuan, OPD_KOSONG), []).append(u)
    named = sorted((k for k in groups if k != OPD_KOSONG), key=str.casefold)
    keys = named + ([OPD_KOSONG] if OPD_KOSONG in groups else [])
    return [(k, groups[k]) for k in keys]


def desa_belum_mengirim(r: Ringkasan, snapshot: KecamatanSnapshot) -> bool:
    """A per-desa line that reads `belum mengirim`: the rule of the kabupaten's recap too
    (ledger/agreed.py), so both levels show the same desa as not sent."""
    return r.jenis != JENIS_UPT and belum_mengirim(r.kode in snapshot.desa_terkirim, r.jumlah)


def ringkasan_desa(snapshot: KecamatanSnapshot) -> list[Ringkasan]:
    out = []
    for asal, rows in per_desa(snapshot):
        r = total(rows, asal.nama)
        r.jenis, r.kode = asal.jenis, asal.kode
        out.append(r)
    return out


def ringkasan_bidang(
    snapshot: KecamatanSnapshot, bidang_kelurahan: Sequence[str] = BIDANG_KELURAHAN
) -> list[Ringkasan]:
    return [total(rows, bidang) for bidang, rows in per_bidang(snapshot, bidang_kelurahan)]


def ringkasan_opd(snapshot: KecamatanSnapshot) -> list[Ringkasan]:
    return [total(rows, opd) for opd, rows in per_opd(snapshot)]
