"""What the kabupaten reports show, read from the ledger: one KabupatenYear per planning year.

Every figure of the Rekap Usulan and Pemantauan workbooks (recap.py) and of the Pemantauan
page (pemantauan_html.py) comes from here, computed once. The ledger is read with one query
per table, so a kabupaten of ~300 desa and ~12,000 usulan costs well under a second here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pipeline.core.config import Settings
from pipeline.core.models import IdentitasDesa, Usulan, Wilayah
from pipeline.core.sebutan import semua_bidang
from pipeline.core.standard import BIDANG, BIDANG_KELURAHAN, TAHAP_URUTAN, Keputusan, Tahap
from pipeline.core.wilayah import KODE_DESA, WilayahList, parent_kode
from pipeline.desa.workflow import PINDAIAN_WAJIB, deadline
from pipeline.documents.xlsx_style import Column
from pipeline.ledger.store import Ledger

BELUM_MULAI = "Belum mulai"
TAHAP_PEMANTAUAN: list[str] = [BELUM_MULAI, *(t.value for t in TAHAP_URUTAN)]
OPD_BELUM = "(belum ditentukan)"
BIDANG_KOSONG = "(Bidang belum diisi)"
LEWAT_BATAS = "lewat batas"

# Short names of the required signed scans, for the "Dokumen Belum Ada" column.
PINDAIAN_SINGKAT: dict[str, str] = {
    "berita-acara": "Berita Acara",
    "daftar-hadir": "Daftar Hadir",
}

RUPIAH_FORMAT = "#,##0"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd-mm-yyyy"

# The Pemantauan's per-desa columns, shared by the workbook and the page.
PEMANTAUAN_COLUMNS: list[Column] = [
    ("Kode", 15, None),
    ("Desa/Kelurahan", 22, None),
    ("Kecamatan", 18, None),
    ("Tahap", 13, None),
    ("Tanggal Musrenbang", 13, DATE_FORMAT),
    ("Batas Kirim", 13, DATE_FORMAT),
    ("Tanggal Kirim", 13, DATE_FORMAT),
    ("Terlambat", 12, None),
    ("Dokumen Lengkap", 11, None),
    ("Dokumen Belum Ada", 34, None),
    ("Usulan", 9, COUNT_FORMAT),
    ("Diterima", 9, COUNT_FORMAT),
    ("Ditolak", 9, COUNT_FORMAT),
    ("Total Biaya Diterima (Rp)", 20, RUPIAH_FORMAT),
]
CATATAN_DOKUMEN = (
    "Dokumen lengkap: pindaian Berita Acara dan Daftar Hadir yang ditandatangani sudah diterima."
)
CATATAN_TERLAMBAT = (
    "Terlambat: 'ya'/'tidak' untuk yang sudah kirim; 'lewat batas' bila belum kirim dan batas "
    "kirim sudah lewat; kosong bila tanggal musrenbang belum tercatat."
)


# ----------------------------------------------------------------------------- the data


@dataclass
class DesaStatus:
    """One desa's line of the monitoring report."""

    desa: Wilayah
    kecamatan: Wilayah
    tahap: str  # a Tahap value or BELUM_MULAI
    tanggal_musrenbang: dt.date | None = None
    batas_kirim: dt.date | None = None
    tanggal_kirim: dt.date | None = None
    terlambat: str = ""  # "ya" | "tidak" | LEWAT_BATAS | "" (no date known yet)
    pindaian_kurang: list[str] = field(default_factory=list)  # jenis of missing signed scans
    usulan: int = 0
    diterima: int = 0
    ditolak: int = 0
    biaya_diterima: int = 0

    @property
    def dikirim(self) -> bool:
        return self.tahap == Tahap.KIRIM.value

    @property
    def dokumen_lengkap(self) -> bool:
        return not self.pindaian_kurang


@dataclass
class UsulanLine:
    usulan: Usulan
    desa: Wilayah
    kecamatan: Wilayah
    tahap: str


@dataclass
class Tally:
    """Counts and accepted cost of a group of usulan."""

    usulan: int = 0
    diterima: int = 0
    ditolak: int = 0
    belum: int = 0
    biaya_diterima: int = 0

    def add(self, u: Usulan) -> None:
        self.usulan += 1
        if u.diterima:
            self.diterima += 1
            self.biaya_diterima += u.agreed_biaya or 0
        elif u.keputusan is Keputusan.DITOLAK:
            self.ditolak += 1
        else:
            self.belum += 1


@dataclass
class KabupatenYear:
    """Everything the kabupaten reports of one year show."""

    tahun: int
    kabupaten: str
    kecamatan: list[Wilayah]
    desa: list[DesaStatus]
    usulan: list[UsulanLine]
    bidang_kelurahan: list[str] = field(default_factory=lambda: list(BIDANG_KELURAHAN))

    def per_kecamatan(self) -> list[tuple[Wilayah, list[DesaStatus], Tally]]:
        tallies = {k.kode: Tally() for k in self.kecamatan}
        for line in self.usulan:
            tallies.setdefault(line.kecamatan.kode, Tally()).add(line.usulan)
        desa_of: dict[str, list[DesaStatus]] = {k.kode: [] for k in self.kecamatan}
        for d in self.desa:
            desa_of.setdefault(d.kecamatan.kode, []).append(d)
        return [(k, desa_of[k.kode], tallies[k.kode]) for k in self.kecamatan]

    def per_bidang(self) -> list[tuple[str, Tally]]:
        """The desa's bidang, then (where the kabupaten has kelurahan) the kelurahan's: the
        usulan of a kelurahan stand under the kelurahan's bidang."""
        order = list(BIDANG)
        if any(d.desa.level == "kelurahan" for d in self.desa):
            order = semua_bidang(self.bidang_kelurahan)
        tallies: dict[str, Tally] = {b: Tally() for b in order}
        for line in self.usulan:
            name = (line.usulan.bidang or "").strip() or BIDANG_KOSONG
            tallies.setdefault(name, Tally()).add(line.usulan)
        return list(tallies.items())

    def total(self) -> Tally:
        t = Tally()
        for line in self.usulan:
            t.add(line.usulan)
        return t


def _local_date(value: str | None, tz: ZoneInfo) -> dt.date | None:
    if not value:
        return None
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(tz)
    return when.date()


def collect(
    settings: Settings, wilayah: WilayahList, ledger: Ledger, *, now: dt.datetime
) -> list[KabupatenYear]:
    """Read the ledger (one query per table) into one KabupatenYear per year with data."""
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    today = (now.astimezone(tz) if now.tzinfo else now).date()
    kab = settings.kabupaten.kode
    prefix = kab + "."
    libur = frozenset(settings.jadwal.hari_libur_tambahan)
    db = ledger.db

    tahap_rows = [
        r
        for r in db.execute(
            "SELECT region, year, stage, identitas_json, sent_at, late FROM tahap"
            " WHERE region LIKE ? ORDER BY region, year",
            (prefix + "%",),
        )
        if r["region"].startswith(prefix)
    ]
    years = sorted({int(r["year"]) for r in tahap_rows})
    if not years:
        return []

    usulan_by: dict[tuple[str, int], list[Usulan]] = {}
    for r in db.execute(
        "SELECT kode, region, year, data_json FROM usulan WHERE region LIKE ?"
        " ORDER BY region, year, position",
        (prefix + "%",),
    ):
        if not KODE_DESA.match(r["region"]) or not r["region"].startswith(prefix):
            continue
        u = Usulan.model_validate(json.loads(r["data_json"]) | {"kode_usulan": r["kode"]})
        usulan_by.setdefault((r["region"], int(r["year"])), []).append(u)

    # year NULL: scans that came before the desa's first workbook; they belong to the year
    # that workbook opens (the ledger moves them then), so they count for every year in
    # which the desa has no stage yet
    scans: dict[tuple[str, int | None], set[str]] = {}
    for r in db.execute(
        "SELECT DISTINCT region, year, jenis FROM berkas WHERE kategori = 'pindaian'"
        " AND region LIKE ?",
        (prefix + "%",),
    ):
        year = None if r["year"] is None else int(r["year"])
        scans.setdefault((r["region"], year), set()).add(r["jenis"])

    # every desa of the region list, plus any the ledger knows that the list has lost
    desa_list = list(wilayah.all_desa(kab))
    known = {d.kode for d in desa_list}
    names: dict[str, str] = {}
    for r in tahap_rows:
        if KODE_DESA.match(r["region"]) and r["region"] not in known:
            ident = IdentitasDesa.model_validate_json(r["identitas_json"])
            names[r["region"]] = ident.nama or r["region"]
    for key in usulan_by:
        if key[0] not in known:
            names.setdefault(key[0], key[0])
    desa_list += [Wilayah(kode=k, nama=n) for k, n in sorted(names.items())]
    desa_list.sort(key=lambda w: w.kode)
    kecamatan = list(wilayah.kecamatan_in(kab))
    kec_known = {k.kode for k in kecamatan}
    for d in desa_list:
        kk = parent_kode(d.kode)
        if kk not in kec_known:
            kecamatan.append(wilayah.kecamatan_of(d.kode))
            kec_known.add(kk)
    kecamatan.sort(key=lambda w: w.kode)

    tahap_by = {(r["region"], int(r["year"])): r for r in tahap_rows}
    out = []
    for year in years:
        statuses: list[DesaStatus] = []
        lines: list[UsulanLine] = []
        for desa in desa_list:
            kec = wilayah.kecamatan_of(desa.kode)
            row = tahap_by.get((desa.kode, year))
            status = DesaStatus(desa=desa, kecamatan=kec, tahap=BELUM_MULAI)
            if row is not None:
                status.tahap = row["stage"]
                ident = IdentitasDesa.model_validate_json(row["identitas_json"])
                status.tanggal_musrenbang = ident.tanggal_musrenbang
                if ident.tanggal_musrenbang is not None:
                    status.batas_kirim = deadline(
                        ident.tanggal_musrenbang, settings.jadwal.batas_hari_kerja, libur
                    )
                status.tanggal_kirim = _local_date(row["sent_at"], tz)
            if status.dikirim:
                status.terlambat = "ya" if row is not None and row["late"] else "tidak"
            elif status.batas_kirim is not None:
                status.terlambat = LEWAT_BATAS if today > status.batas_kirim else "tidak"
            have = scans.get((desa.kode, year), set())
            if row is None:
                have = have | scans.get((desa.kode, None), set())
            status.pindaian_kurang = [j for j in PINDAIAN_WAJIB if j not in have]
            tally = Tally()
            for u in usulan_by.get((desa.kode, year), []):
                tally.add(u)
                lines.append(UsulanLine(u, desa, kec, status.tahap))
            status.usulan, status.diterima = tally.usulan, tally.diterima
            status.ditolak, status.biaya_diterima = tally.ditolak, tally.biaya_diterima
            statuses.append(status)
        out.append(
            KabupatenYear(
                year, settings.kabupaten.nama, kecamatan, statuses, lines, settings.bidang.kelurahan
            )
        )
    return out


# ----------------------------------------------------------------------------- pemantauan figures


def kurang(d: DesaStatus) -> str:
    return ", ".join(PINDAIAN_SINGKAT[j] for j in d.pindaian_kurang)


def ringkasan(data: KabupatenYear) -> list[tuple[str, int]]:
    """The summary figures of the monitoring report, in reading order."""
    per_tahap = Counter(d.tahap for d in data.desa)
    t = data.total()
    out: list[tuple[str, int]] = [("Desa/Kelurahan", len(data.desa))]
    out += [(f"Tahap {name}" if name != BELUM_MULAI else name, per_tahap[name])
            for name in TAHAP_PEMANTAUAN]  # fmt: skip
    out += [
        ("Sudah kirim", sum(1 for d in data.desa if d.dikirim)),
        ("Terlambat kirim", sum(1 for d in data.desa if d.terlambat == "ya")),
        ("Lewat batas, belum kirim", sum(1 for d in data.desa if d.terlambat == LEWAT_BATAS)),
        ("Dokumen lengkap", sum(1 for d in data.desa if d.dokumen_lengkap)),
        ("Usulan", t.usulan),
        ("Usulan diterima", t.diterima),
        ("Usulan ditolak", t.ditolak),
        ("Usulan belum diputuskan", t.belum),
        ("Total biaya diterima (Rp)", t.biaya_diterima),
    ]
    return out
