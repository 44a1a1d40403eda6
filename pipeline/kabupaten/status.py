"""`musrenbang status --json`: the stage of every desa and kecamatan as data for other tools.

The figures are the Pemantauan's (data.collect, read once from the ledger), so the JSON, the
Pemantauan workbook and page always agree. The model's JSON Schema is exported to
`schemas/status.json` (a test keeps it current); `versi` changes when a field changes meaning.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from pipeline.core.config import Settings
from pipeline.core.models import Wilayah
from pipeline.core.standard import Tahap, TahapKecamatan
from pipeline.core.wilayah import WilayahList, parent_kode
from pipeline.desa.figures import Tally
from pipeline.kabupaten.data import (
    BELUM_MULAI,
    LEWAT_BATAS,
    DesaStatus,
    KabupatenYear,
    KecamatanStatus,
    collect,
)
from pipeline.kecamatan.workflow import PINDAIAN_KECAMATAN
from pipeline.ledger.kecamatan import KecamatanLedger
from pipeline.ledger.paket import mixed_kecamatan
from pipeline.ledger.store import Ledger

STATUS_VERSI = 2  # 2: figures null for a region that has not sent; kecamatan decisions count
PINDAIAN_WAJIB_KECAMATAN = tuple(PINDAIAN_KECAMATAN)  # what the kecamatan's Kirim needs


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JumlahUsulan(_Model):
    jumlah: int = Field(description="Usulan yang berlaku (lihat keputusan_dari).")
    diterima: int = Field(description="Diterima atau diterima dengan revisi.")
    ditolak: int
    belum_diputuskan: int
    biaya_diusulkan: int = Field(description="Jumlah perkiraan biaya semua usulan (Rp).")
    biaya_diterima: int = Field(
        description="Jumlah biaya disepakati usulan diterima (Rp): Biaya Disepakati bila "
        "diterima dengan revisi, selain itu Perkiraan Biaya."
    )


class StatusDesa(_Model):
    kode: str
    nama: str
    tingkat: Literal["desa", "kelurahan"]
    kecamatan: str = Field(description="Kode kecamatan.")
    tahap: Tahap | None = Field(description="null: belum ada buku kerja yang diterima.")
    tanggal_musrenbang: dt.date | None
    batas_kirim: dt.date | None = Field(description="Hari terakhir kirim tepat waktu.")
    tanggal_kirim: dt.date | None
    terlambat: bool | None = Field(
        description="Sudah kirim: true bila setelah batas kirim; belum kirim: null."
    )
    lewat_batas: bool = Field(description="Belum kirim dan batas kirim sudah lewat.")
    hari_lewat: int | None = Field(
        description="Hari kalender setelah batas kirim (sampai kirim, atau sampai hari ini)."
    )
    pindaian_kurang: list[str] = Field(
        description="Pindaian bertanda tangan yang belum diterima (berita-acara, daftar-hadir)."
    )
    belum_mengirim: bool = Field(
        description="true: belum mengirim (tahap belum Kirim dan tidak ada usulan yang "
        "berlaku); angka usulan null, bukan nol."
    )
    usulan: JumlahUsulan | None = Field(
        description="null bila belum mengirim. Sejak kecamatannya tahap Rekap: keputusan "
        "kecamatan atas usulan desa ini."
    )


class StatusKecamatan(_Model):
    kode: str
    nama: str
    tahap: TahapKecamatan | None = Field(description="null: buku kerja kecamatan belum masuk.")
    tanggal_musrenbang: dt.date | None
    tanggal_kirim: dt.date | None
    pindaian_kurang: list[str] = Field(
        description="Pindaian kecamatan bertanda tangan yang belum diterima (berita-acara, "
        "daftar-hadir, rekap)."
    )
    desa: int = Field(description="Desa/kelurahan dalam daftar wilayah.")
    desa_sudah_kirim: int
    desa_terlambat: int = Field(description="Desa yang mengirim setelah batas kirim.")
    desa_lewat_batas: int = Field(description="Desa yang belum kirim padahal batas sudah lewat.")
    dikirim: bool = Field(description="Kecamatan sudah Kirim (atau paketnya ada di Bappeda).")
    keputusan_dari: Literal["desa", "kecamatan"] = Field(
        description="Keputusan yang berlaku: kecamatan sejak tahap Rekap (atau paket), "
        "sebelumnya desa/kelurahan yang sudah mengirim."
    )
    belum_mengirim: bool = Field(
        description="true: belum ada yang dikirim (kecamatan maupun desanya); usulan null."
    )
    usulan: JumlahUsulan | None = Field(
        description="Usulan yang berlaku: desa-desanya dan (sejak Rekap) usulan UPT/instansi; "
        "sama dengan Rekap kecamatan. null bila belum mengirim."
    )


class Ringkasan(_Model):
    desa: int
    per_tahap: dict[str, int] = Field(description="Desa per tahap; 'Belum mulai' termasuk.")
    sudah_kirim: int
    terlambat: int
    lewat_batas: int
    dokumen_lengkap: int
    usulan: JumlahUsulan


class Peringatan(_Model):
    kode: Literal["paket-dan-buku-kerja"] = Field(
        description="Kode masalah (docs/kode-masalah.md)."
    )
    kecamatan: str = Field(description="Kode kecamatan.")
    buku_kerja_langsung: int = Field(
        description="Buku kerja desa kecamatan itu yang juga diterima langsung di sini."
    )
    pesan: str


class StatusMusrenbang(_Model):
    """What `musrenbang status --json` prints."""

    versi: int = Field(default=STATUS_VERSI, description="Versi format ini.")
    dibuat: dt.datetime = Field(description="Waktu pembuatan (zona waktu pengaturan).")
    kabupaten: Wilayah
    tahun: int | None = Field(description="Tahun rencana; null bila ledger masih kosong.")
    kecamatan_dipilih: str | None = Field(description="--kecamatan KODE, bila dipakai.")
    ringkasan: Ringkasan
    kecamatan: list[StatusKecamatan]
    desa: list[StatusDesa]
    peringatan: list[Peringatan] = Field(
        description="Mode campuran: kecamatan yang paketnya dipegang di sini padahal buku kerja "
        "desanya juga diterima langsung; isi paket yang berlaku untuk kecamatan dan tahun itu."
    )


def _jumlah(t: Tally | None) -> JumlahUsulan | None:
    """The figures of a region; None: it has not sent (`belum mengirim`)."""
    return None if t is None else _angka(t)


def _angka(t: Tally) -> JumlahUsulan:
    return JumlahUsulan(
        jumlah=t.jumlah, diterima=t.disepakati, ditolak=t.ditolak, belum_diputuskan=t.belum,
        biaya_diusulkan=t.biaya_diusulkan, biaya_diterima=t.biaya_disepakati,
    )  # fmt: skip


def _days_past(d: DesaStatus, today: dt.date) -> int | None:
    if d.batas_kirim is None:
        return None
    end = d.tanggal_kirim if d.dikirim and d.tanggal_kirim else today
    return (end - d.batas_kirim).days if end > d.batas_kirim else None


def pick_year(years: list[KabupatenYear]) -> KabupatenYear | None:
    """The year most desa work on (one early workbook of next year must not hide this one)."""
    if not years:
        return None
    return max(years, key=lambda y: (sum(d.tahap != BELUM_MULAI for d in y.desa), y.tahun))


def _empty_year(settings: Settings, wilayah: WilayahList, tahun: int) -> KabupatenYear:
    kab = settings.kabupaten.kode
    desa = [
        DesaStatus(desa=d, kecamatan=wilayah.kecamatan_of(d.kode), tahap=BELUM_MULAI,
                   pindaian_kurang=["berita-acara", "daftar-hadir"])
        for d in wilayah.all_desa(kab)
    ]  # fmt: skip
    return KabupatenYear(
        tahun,
        settings.kabupaten.nama,
        list(wilayah.kecamatan_in(kab)),
        desa,
        [],
        settings.bidang.kelurahan,
    )


def build_status(
    settings: Settings,
    wilayah: WilayahList,
    ledger: Ledger,
    *,
    now: dt.datetime,
    tahun: int | None = None,
    kecamatan: str | None = None,
) -> StatusMusrenbang:
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    now = now.astimezone(tz) if now.tzinfo else now.replace(tzinfo=tz)
    years = collect(settings, wilayah, ledger, now=now)
    data = next((y for y in years if y.tahun == tahun), None) if tahun else pick_year(years)
    if data is None and tahun is not None:
        data = _empty_year(settings, wilayah, tahun)
    kab = Wilayah(kode=settings.kabupaten.kode, nama=settings.kabupaten.nama)
    if data is None:  # nothing in the ledger yet: every desa not started, no year
        data = _empty_year(settings, wilayah, 0)
        year: int | None = None
    else:
        year = data.tahun

    today = now.date()

    def wanted(kode: str) -> bool:
        return kecamatan is None or kode == kecamatan or kode.startswith(kecamatan + ".")

    desa_rows = [d for d in data.desa if wanted(d.desa.kode)]
    out_desa = [
        StatusDesa(
            kode=d.desa.kode, nama=d.desa.nama,
            tingkat="kelurahan" if d.desa.kode.rsplit(".", 1)[-1].startswith("1") else "desa",
            kecamatan=parent_kode(d.desa.kode),
            tahap=None if d.tahap == BELUM_MULAI else Tahap(d.tahap),
            tanggal_musrenbang=d.tanggal_musrenbang, batas_kirim=d.batas_kirim,
            tanggal_kirim=d.tanggal_kirim,
            terlambat=(d.terlambat == "ya") if d.dikirim else None,
            lewat_batas=d.terlambat == LEWAT_BATAS, hari_lewat=_days_past(d, today),
            pindaian_kurang=list(d.pindaian_kurang),
            belum_mengirim=d.angka is None, usulan=_jumlah(d.angka),
        )
        for d in desa_rows
    ]  # fmt: skip

    kec_years = {}
    if year is not None:
        kec_years = {k.region: k for k in KecamatanLedger(ledger).years(year)}
    scans = _kecamatan_scans(ledger, year)
    out_kec = []
    total = Tally()
    chosen = [k for k in data.kecamatan_status if wanted(k.kecamatan.kode)]
    if not data.kecamatan_status:  # no ledger data: every kecamatan, nothing sent
        chosen = [KecamatanStatus(kec, None, "desa", False, members, None, None)
                  for kec, members, _t in data.per_kecamatan() if wanted(kec.kode)]  # fmt: skip
    for ks in chosen:
        kec, members = ks.kecamatan, ks.desa
        ky = kec_years.get(kec.kode)
        if ks.angka is not None:
            total.merge(ks.angka)
        out_kec.append(
            StatusKecamatan(
                kode=kec.kode, nama=kec.nama, tahap=ky.stage if ky else ks.tahap,
                tanggal_musrenbang=ky.identitas.tanggal_musrenbang if ky else None,
                tanggal_kirim=_date(ky.sent_at, tz) if ky else None,
                pindaian_kurang=[j for j in PINDAIAN_WAJIB_KECAMATAN
                                 if j not in scans.get(kec.kode, set())],
                desa=len(members), desa_sudah_kirim=sum(d.dikirim for d in members),
                desa_terlambat=sum(d.terlambat == "ya" for d in members),
                desa_lewat_batas=sum(d.terlambat == LEWAT_BATAS for d in members),
                dikirim=ks.dikirim, keputusan_dari=ks.oleh, belum_mengirim=ks.angka is None,
                usulan=_jumlah(ks.angka),
            )
        )  # fmt: skip

    per_tahap = Counter(d.tahap for d in desa_rows)
    ringkasan = Ringkasan(
        desa=len(desa_rows),
        per_tahap={name: per_tahap[name] for name in [BELUM_MULAI, *(t.value for t in Tahap)]},
        sudah_kirim=sum(d.dikirim for d in desa_rows),
        terlambat=sum(d.terlambat == "ya" for d in desa_rows),
        lewat_batas=sum(d.terlambat == LEWAT_BATAS for d in desa_rows),
        dokumen_lengkap=sum(d.dokumen_lengkap for d in desa_rows),
        usulan=_angka(total),
    )
    peringatan = [
        Peringatan(kode="paket-dan-buku-kerja", kecamatan=kode, buku_kerja_langsung=n,
                   pesan=mixed_message(wilayah, kode, tahun_paket, n))
        for kode, tahun_paket, n in mixed_kecamatan(ledger, year if year is not None else -1)
        if wanted(kode)
    ]  # fmt: skip
    return StatusMusrenbang(
        dibuat=now.replace(microsecond=0), kabupaten=kab, tahun=year,
        kecamatan_dipilih=kecamatan, ringkasan=ringkasan, kecamatan=out_kec, desa=out_desa,
        peringatan=peringatan,
    )  # fmt: skip


def mixed_message(wilayah: WilayahList, kode: str, tahun: int, n: int) -> str:
    """Mixed mode (`paket-dan-buku-kerja`), for `status` and `status --json`."""
    kec = wilayah.get(kode)
    return (
        f"Kecamatan {kec.nama if kec else kode} {tahun}: {n} buku kerja desa juga diterima "
        "langsung di sini; isi paket kecamatan yang berlaku untuk kecamatan dan tahun itu."
    )


def _date(value: str | None, tz: ZoneInfo) -> dt.date | None:
    if not value:
        return None
    when = dt.datetime.fromisoformat(value)
    return (when.astimezone(tz) if when.tzinfo else when).date()


def _kecamatan_scans(ledger: Ledger, year: int | None) -> dict[str, set[str]]:
    if year is None:
        return {}
    found: dict[str, set[str]] = {}
    for r in ledger.db.execute(
        "SELECT DISTINCT region, jenis FROM berkas WHERE kategori = 'pindaian' AND year = :year",
        {"year": year},
    ):
        found.setdefault(r["region"], set()).add(r["jenis"])
    return found
