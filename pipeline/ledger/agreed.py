"""The usulan of a region and year as the truth stands: one query layer for every level.

spec/documents.md, "One truth on every page": once a kecamatan has decided (its stage is
Rekap or Kirim, or Bappeda holds its package), the kecamatan's rows (`kecamatan_usulan`: its
decisions, agreed values, priorities, OPD Tujuan, and the usulan of UPT/instansi) are the
truth for the kecamatan and each of its desa; before that, the usulan of the desa that have
sent (stage Kirim), with the desa's own decisions. A desa that has not sent counts nothing
(its workbook is still a draft) and shows `belum mengirim`, never 0.

The ledger is read with one query per table, so a kabupaten of ~300 desa and ~12,000 usulan
costs a fraction of a second here. The figures of these usulan are counted in one place,
desa/figures.py (Tally); nothing here adds money up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pipeline.core.models import UsulanKecamatan
from pipeline.core.sql import Sql, SqlRow
from pipeline.core.standard import Tahap, TahapKecamatan
from pipeline.core.wilayah import KODE_DESA, KODE_KECAMATAN, desa_of_usulan, parent_kode

Oleh = Literal["desa", "kecamatan"]
BELUM_MENGIRIM = "belum mengirim"  # the figures of a region that has not sent
DIPUTUSKAN = (TahapKecamatan.REKAP, TahapKecamatan.KIRIM)


@dataclass
class AgreedUsulan:
    """One usulan as it counts: whose decision it carries and where it comes from."""

    usulan: UsulanKecamatan  # a desa's usulan read as a kecamatan row (opd_tujuan None)
    kecamatan: str
    desa: str  # the desa's kode from the Kode Usulan; "" for a row the kecamatan added
    oleh: Oleh


@dataclass
class KecamatanTruth:
    """A kecamatan and year: its stage, its desa's stages and the usulan that count."""

    kode: str
    year: int
    tahap: TahapKecamatan | None = None
    paket: bool = False  # Bappeda holds a package of this kecamatan and year
    desa_tahap: dict[str, Tahap] = field(default_factory=dict)
    usulan: list[AgreedUsulan] = field(default_factory=list)

    @property
    def diputuskan(self) -> bool:
        """The kecamatan's decisions count (Rekap or later, or a package held)."""
        return self.paket or self.tahap in DIPUTUSKAN

    @property
    def dikirim(self) -> bool:
        """The kecamatan has sent: its stage is Kirim, or Bappeda holds its package."""
        return self.paket or self.tahap is TahapKecamatan.KIRIM

    @property
    def oleh(self) -> Oleh:
        return "kecamatan" if self.diputuskan else "desa"

    def desa_dikirim(self, desa: str) -> bool:
        return self.desa_tahap.get(desa) is Tahap.KIRIM

    @property
    def ada_kiriman(self) -> bool:
        """Anything has been sent from this kecamatan: by itself or by one of its desa."""
        return self.dikirim or any(t is Tahap.KIRIM for t in self.desa_tahap.values())


def belum_mengirim(dikirim: bool, jumlah: int) -> bool:
    """A region whose figures read `belum mengirim`: it has not sent and nothing of it counts
    (a region that has not sent but whose kecamatan decided usulan for it shows them)."""
    return not dikirim and jumlah == 0


def _usulan(row: SqlRow) -> UsulanKecamatan:
    u = UsulanKecamatan.model_validate_json(row["data_json"])
    u.kode_usulan = row["kode"]  # a fresh model of our own: no copy needed
    return u


def _in(region: str, prefix: str) -> bool:
    return region == prefix or region.startswith(prefix + ".")


def agreed_usulan(
    db: Sql, prefix: str, year: int | None = None
) -> dict[tuple[str, int], KecamatanTruth]:
    """Every kecamatan and year under `prefix` (a kabupaten or kecamatan kode) that the ledger
    knows, with the usulan that count, keyed by (kecamatan kode, year)."""
    args: dict[str, object] = {"like": prefix + "%"}  # a prefix of region kode
    where_year = ""
    if year is not None:
        where_year = " AND year = :year"
        args["year"] = year
    out: dict[tuple[str, int], KecamatanTruth] = {}

    def entry(kec: str, y: int) -> KecamatanTruth:
        found = out.get((kec, y))
        if found is None:
            found = out[(kec, y)] = KecamatanTruth(kec, y)
        return found

    for r in db.execute(
        "SELECT region, year, stage FROM tahap WHERE region LIKE :like" + where_year, args
    ):
        if KODE_DESA.match(r["region"]) and _in(r["region"], prefix):
            entry(parent_kode(r["region"]), int(r["year"])).desa_tahap[r["region"]] = Tahap(
                r["stage"]
            )
    for r in db.execute(
        "SELECT region, year, stage FROM kecamatan_tahap WHERE region LIKE :like" + where_year, args
    ):
        if KODE_KECAMATAN.match(r["region"]) and _in(r["region"], prefix):
            entry(r["region"], int(r["year"])).tahap = TahapKecamatan(r["stage"])
    for r in db.execute(
        "SELECT region, year FROM paket_kecamatan WHERE region LIKE :like" + where_year, args
    ):
        if KODE_KECAMATAN.match(r["region"]) and _in(r["region"], prefix):
            entry(r["region"], int(r["year"])).paket = True

    for r in db.execute(
        "SELECT kode, region, year, data_json FROM kecamatan_usulan WHERE region LIKE :like"
        + where_year
        + " ORDER BY region, year, position",
        args,
    ):
        truth = out.get((r["region"], int(r["year"])))
        if truth is None or not truth.diputuskan:
            continue
        u = _usulan(r)
        desa = desa_of_usulan(r["kode"])
        desa = desa if KODE_DESA.match(desa) and parent_kode(desa) == truth.kode else ""
        truth.usulan.append(AgreedUsulan(u, truth.kode, desa, "kecamatan"))

    for r in db.execute(
        "SELECT kode, region, year, data_json FROM usulan WHERE region LIKE :like"
        + where_year
        + " ORDER BY region, year, position",
        args,
    ):
        if not KODE_DESA.match(r["region"]) or not _in(r["region"], prefix):
            continue
        truth = out.get((parent_kode(r["region"]), int(r["year"])))
        if truth is None or truth.diputuskan or not truth.desa_dikirim(r["region"]):
            continue
        u = _usulan(r)
        truth.usulan.append(AgreedUsulan(u, truth.kode, r["region"], "desa"))
    return dict(sorted(out.items()))


def agreed_of(db: Sql, kecamatan: str, year: int) -> KecamatanTruth:
    """One kecamatan and year (empty when the ledger knows nothing of it)."""
    found = agreed_usulan(db, kecamatan, year).get((kecamatan, year))
    return found or KecamatanTruth(kecamatan, year)
