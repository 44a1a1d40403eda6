"""What the kabupaten reports show, read from the ledger: one KabupatenYear per planning year.

Every figure of the Rekap Usulan and Pemantauan workbooks (recap.py), of the Pemantauan
page (pemantauan_html.py) and of `status` comes from here, computed once. Which usulan count
is the query layer's (ledger/agreed.py: the kecamatan's decisions from its Rekap on, before
that the desa's that have sent); their figures are desa/figures.py's Tally. The ledger is
read with one query per table, so a kabupaten of ~300 desa and ~12,000 usulan costs well
under a second here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pipeline.core.config import Settings
from pipeline.core.models import IdentitasDesa, UsulanKecamatan, Wilayah
from pipeline.core.sebutan import semua_bidang
from pipeline.core.sql import SqlRow
from pipeline.core.standard import (
    BIDANG,
    BIDANG_KELURAHAN,
    TAHAP_URUTAN,
    Tahap,
    TahapKecamatan,
)
from pipeline.core.wilayah import KODE_DESA, WilayahList, parent_kode
from pipeline.desa.figures import Tally, tally
from pipeline.desa.workflow import PINDAIAN_WAJIB, deadline
from pipeline.documents.xlsx_style import Column
from pipeline.kecamatan.ringkasan import JENIS_UPT, asal_in
from pipeline.ledger.agreed import (
    BELUM_MENGIRIM,
    KecamatanTruth,
    Oleh,
    agreed_usulan,
    belum_mengirim,
)
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
    angka: Tally | None = None  # the figures that count; None: `belum mengirim`

    @property
    def dikirim(self) -> bool:
        return self.tahap == Tahap.KIRIM.value

    @property
    def dokumen_lengkap(self) -> bool:
        return not self.pindaian_kurang


@dataclass
class KecamatanStatus:
    """One kecamatan's line: its stage, whose decisions count, its desa and its figures."""

    kecamatan: Wilayah
    tahap: TahapKecamatan | None
    oleh: Oleh  # whose decisions count: the desa's, or the kecamatan's from Rekap on
    dikirim: bool  # the kecamatan's Kirim, or a package held at Bappeda
    desa: list[DesaStatus]
    upt: Tally | None  # the usulan the kecamatan added (UPT/instansi); None: none
    angka: Tally | None  # None: `belum mengirim` (nothing sent from this kecamatan)


@dataclass
class UsulanLine:
    usulan: UsulanKecamatan
    desa: Wilayah | None  # None: an usulan of an UPT/instansi
    kecamatan: Wilayah
    tahap: str  # the stage whose decisions count: the desa's, or "Rekap (kecamatan)"
    oleh: Oleh


@dataclass
class KabupatenYear:
    """Everything the kabupaten reports of one year show."""

    tahun: int
    kabupaten: str
    kecamatan: list[Wilayah]
    desa: list[DesaStatus]
    usulan: list[UsulanLine]
    bidang_kelurahan: list[str] = field(default_factory=lambda: list(BIDANG_KELURAHAN))
    kecamatan_status: list[KecamatanStatus] = field(default_factory=list)

    def per_kecamatan(self) -> list[tuple[Wilayah, list[DesaStatus], Tally | None]]:
        """Each kecamatan, its desa and its figures (None: `belum mengirim`)."""
        if self.kecamatan_status:
            return [(k.kecamatan, k.desa, k.angka) for k in self.kecamatan_status]
        desa_of: dict[str, list[DesaStatus]] = {k.kode: [] for k in self.kecamatan}
        for d in self.desa:
            desa_of.setdefault(d.kecamatan.kode, []).append(d)
        return [(k, desa_of[k.kode], None) for k in self.kecamatan]

    def per_bidang(self) -> list[tuple[str, Tally]]:
        """The desa's bidang, then (where the kabupaten has kelurahan) the kelurahan's: the
        usulan of a kelurahan stand under the kelurahan's bidang."""
        order = list(BIDANG)
        if any(d.desa.level == "kelurahan" for d in self.desa):
            order = semua_bidang(self.bidang_kelurahan)
        tallies: dict[str, Tally] = {b: Tally(b) for b in order}
        for line in self.usulan:
            name = (line.usulan.bidang or "").strip() or BIDANG_KOSONG
            tallies.setdefault(name, Tally(name)).add(line.usulan)
        return list(tallies.items())

    def per_opd(self) -> list[tuple[str, Tally]]:
        """Per OPD Tujuan (the kecamatan's), by name; usulan without one last."""
        tallies: dict[str, Tally] = {}
        for line in self.usulan:
            name = (line.usulan.opd_tujuan or "").strip() or OPD_BELUM
            tallies.setdefault(name, Tally(name)).add(line.usulan)
        named = sorted((k for k in tallies if k != OPD_BELUM), key=str.casefold)
        keys = named + ([OPD_BELUM] if OPD_BELUM in tallies else [])
        return [(k, tallies[k]) for k in keys]

    def upt(self) -> list[KecamatanStatus]:
        """The kecamatan with usulan of UPT/instansi (a line of their own under the desa)."""
        return [k for k in self.kecamatan_status if k.upt is not None]

    def total(self) -> Tally:
        return tally((line.usulan for line in self.usulan), "JUMLAH")


def _local_date(value: str | None, tz: ZoneInfo) -> dt.date | None:
    if not value:
        return None
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is not None:
        when = when.astimezone(tz)
    return when.date()


def _lines(
    truth: KecamatanTruth, kec: Wilayah, desa_of: list[Wilayah], tahap_desa: dict[str, str]
) -> list[UsulanLine]:
    """The usulan that count, each with its desa (the kecamatan Rekap's rule, asal_in)."""
    by_kode = {d.kode: d for d in desa_of}
    stage = f"{truth.tahap or TahapKecamatan.KIRIM} (kecamatan)"
    out = []
    for a in truth.usulan:
        if a.oleh == "desa":
            desa = by_kode.get(a.desa) or Wilayah(kode=a.desa, nama=a.desa)
            out.append(UsulanLine(a.usulan, desa, kec, tahap_desa.get(a.desa, ""), "desa"))
            continue
        asal = asal_in(a.usulan, desa_of)
        found = by_kode.get(asal.kode) if asal.jenis != JENIS_UPT else None
        out.append(UsulanLine(a.usulan, found, kec, stage, "kecamatan"))
    return out


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
            " WHERE region LIKE :prefix ORDER BY region, year",
            {"prefix": prefix + "%"},
        )
        if r["region"].startswith(prefix)
    ]
    years = sorted({int(r["year"]) for r in tahap_rows})
    if not years:
        return []
    truths = agreed_usulan(db, kab)

    # year NULL: scans that came before the desa's first workbook; they belong to the year
    # that workbook opens (the ledger moves them then), so they count for every year in
    # which the desa has no stage yet
    scans: dict[tuple[str, int | None], set[str]] = {}
    for r in db.execute(
        "SELECT DISTINCT region, year, jenis FROM berkas WHERE kategori = 'pindaian'"
        " AND region LIKE :prefix",
        {"prefix": prefix + "%"},
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
    desa_in: dict[str, list[Wilayah]] = {k.kode: [] for k in kecamatan}
    for d in desa_list:
        desa_in.setdefault(parent_kode(d.kode), []).append(d)

    tahap_by = {(r["region"], int(r["year"])): r for r in tahap_rows}
    out = []
    for year in years:
        statuses: list[DesaStatus] = []
        lines: list[UsulanLine] = []
        kec_status: list[KecamatanStatus] = []
        for kec in kecamatan:
            truth = truths.get((kec.kode, year)) or KecamatanTruth(kec.kode, year)
            members: list[DesaStatus] = []
            for desa in desa_in[kec.kode]:
                members.append(_desa_status(desa, kec, tahap_by.get((desa.kode, year)), year,
                                            scans, settings, libur, tz, today))  # fmt: skip
            tahap_desa = {d.desa.kode: d.tahap for d in members}
            kec_lines = _lines(truth, kec, desa_in[kec.kode], tahap_desa)
            per_desa: dict[str, Tally] = {}
            upt: Tally | None = None
            for line in kec_lines:
                if line.desa is None:
                    upt = upt or Tally("UPT/Instansi", JENIS_UPT)
                    upt.add(line.usulan)
                else:
                    per_desa.setdefault(line.desa.kode, Tally(line.desa.nama)).add(line.usulan)
            for ds in members:
                t = per_desa.get(ds.desa.kode, Tally(ds.desa.nama))
                ds.angka = None if belum_mengirim(ds.dikirim, t.jumlah) else t
            angka = tally((line.usulan for line in kec_lines), kec.nama)
            sent = truth.ada_kiriman or any(ds.dikirim for ds in members)
            kec_status.append(
                KecamatanStatus(kec, truth.tahap, truth.oleh, truth.dikirim, members, upt,
                                None if belum_mengirim(sent, angka.jumlah) else angka)
            )  # fmt: skip
            statuses += members
            lines += kec_lines
        out.append(
            KabupatenYear(
                year, settings.kabupaten.nama, kecamatan, statuses, lines,
                settings.bidang.kelurahan, kec_status,
            )
        )  # fmt: skip
    return out


def _desa_status(
    desa: Wilayah,
    kec: Wilayah,
    row: SqlRow | None,
    year: int,
    scans: dict[tuple[str, int | None], set[str]],
    settings: Settings,
    libur: frozenset[dt.date],
    tz: ZoneInfo,
    today: dt.date,
) -> DesaStatus:
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
    return status


# ----------------------------------------------------------------------------- pemantauan figures


def angka_pantau(t: Tally | None) -> list[object]:
    """Usulan, Diterima, Ditolak, Biaya Diterima of a line; `belum mengirim` for a region that
    has not sent (never 0 or Rp 0 as if it had sent nothing)."""
    if t is None:
        return [BELUM_MENGIRIM, None, None, None]
    return [t.jumlah, t.disepakati, t.ditolak, t.biaya_disepakati]


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
        ("Usulan", t.jumlah),
        ("Usulan diterima", t.disepakati),
        ("Usulan ditolak", t.ditolak),
        ("Usulan belum diputuskan", t.belum),
        ("Total biaya diterima (Rp)", t.biaya_disepakati),
    ]
    return out
