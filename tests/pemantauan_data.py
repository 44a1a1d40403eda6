"""A kabupaten in every state a Pemantauan shows, for the page, status --json and backups.

Ten desa/kelurahan of three kecamatan of Kabupaten Langkat (real kode and names from the
Kepmendagri list): sent on time and late, past the deadline, not started, scans before the
first workbook, musrenbang dates in two years; the ledger is written through its own API.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pipeline.commands import init_workspace
from pipeline.core.config import load_settings
from pipeline.core.models import IdentitasDesa, Usulan
from pipeline.core.standard import BIDANG, Keputusan, Tahap
from pipeline.core.wilayah import load_wilayah
from pipeline.kabupaten.recap import write_kabupaten_reports
from pipeline.ledger.store import Ledger

TZ = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 2, 10, 9, 30, tzinfo=TZ)
AT = "2026-01-27T10:00:00+07:00"

WILAYAH = """kode,nama
12,Sumatera Utara
12.05,Kabupaten Langkat
12.05.01,Bahorok
12.05.01.1001,Pekan Bahorok
12.05.01.2002,Lau Damak
12.05.01.2003,Timbang Lawan
12.05.01.2004,Sampe Raya
12.05.01.2010,Empus
12.05.02,Salapian
12.05.02.1007,Tanjung Langkat
12.05.02.2008,Naman Jahe
12.05.02.2009,Turangi
12.05.03,Kuala
12.05.03.1001,Pekan Kuala
12.05.03.2002,Bekulap
"""
P, K, D = BIDANG[1], BIDANG[2], BIDANG[3]


def u(bidang: str, biaya: int, keputusan: Keputusan | None) -> Usulan:
    return Usulan(
        asal="Dusun I", bidang=bidang, kegiatan="Kegiatan", lokasi="Dusun I",
        volume=Decimal(2), satuan="paket", biaya=biaya, sumber_dana="APBDes",
        prioritas=1 if keputusan in (Keputusan.DITERIMA, Keputusan.REVISI) else None,
        keputusan=keputusan, catatan=None,
    )  # fmt: skip


# kode -> stages passed, musrenbang date, usulan, scans, sent late
STATES: dict[str, dict[str, Any]] = {
    # sent late (deadline 20 Jan), both scans: 9 usulan, Rp 1.5 bn accepted
    "12.05.01.2002": dict(stages=[Tahap.VERIFIKASI, Tahap.KIRIM], date=dt.date(2026, 1, 13),
                          late=True, scans=["berita-acara", "daftar-hadir"],
                          usulan=[u(P, 1_500_000_000, Keputusan.DITERIMA)] * 3
                          + [u(K, 9_000_000, Keputusan.DITOLAK)] * 6),
    # sent on time, December musrenbang (a date of the year before)
    "12.05.01.2003": dict(stages=[Tahap.VERIFIKASI, Tahap.KIRIM], date=dt.date(2025, 12, 22),
                          scans=["berita-acara", "daftar-hadir"],
                          usulan=[u(D, 250_000_000, Keputusan.REVISI), u(P, 12_000_000, None)]),
    # Verifikasi, past its deadline, one scan
    "12.05.01.1001": dict(stages=[Tahap.VERIFIKASI], date=dt.date(2026, 1, 2),
                          scans=["berita-acara"],
                          usulan=[u(P, 7_000_000, Keputusan.DITERIMA), u(K, 30_000_000, None)]),
    # Pelaksanaan, deadline not passed yet (musrenbang yesterday)
    "12.05.01.2004": dict(stages=[Tahap.PELAKSANAAN], date=dt.date(2026, 2, 9),
                          usulan=[u(P, 80_000_000, None)] * 11),
    # scans before its first workbook: Belum mulai, the berita acara counted
    "12.05.01.2010": dict(stages=[], scans_waiting=["berita-acara"]),
    # Persiapan without a date
    "12.05.02.1007": dict(stages=[Tahap.PERSIAPAN], date=None),
    # sent on time in February
    "12.05.02.2008": dict(stages=[Tahap.VERIFIKASI, Tahap.KIRIM], date=dt.date(2026, 2, 2),
                          scans=["berita-acara", "daftar-hadir"],
                          usulan=[u(K, 45_000_000, Keputusan.DITERIMA)] * 2),
    # Persiapan, past its deadline
    "12.05.02.2009": dict(stages=[Tahap.PERSIAPAN], date=dt.date(2026, 1, 20)),
    # Kuala: one desa sent late, one never started
    "12.05.03.1001": dict(stages=[Tahap.VERIFIKASI, Tahap.KIRIM], date=dt.date(2026, 1, 5),
                          late=True, scans=["berita-acara", "daftar-hadir"],
                          usulan=[u(P, 999_000_000, Keputusan.DITERIMA)]),
}  # fmt: skip


def build(root: Path) -> Path:
    """The workspace at `root` with its ledger filled and its reports written; returns the
    Pemantauan page."""
    root.mkdir(parents=True)
    csv = root.parent / "wilayah.csv"
    csv.write_text(WILAYAH, encoding="utf-8")
    ws = init_workspace(root, csv, "12.05")
    settings = load_settings(root)
    wilayah = load_wilayah(ws.wilayah_file)
    with Ledger(settings.database_path(root)) as ledger:
        for kode, st in STATES.items():
            level = "kelurahan" if kode.split(".")[-1].startswith("1") else "desa"
            for jenis in st.get("scans_waiting", []):
                scan(ledger, kode, jenis, None)
            for n, tahap in enumerate(st["stages"]):
                ident = IdentitasDesa(kode=kode, tahun=2027, tahap=tahap,
                                      tanggal_musrenbang=st.get("date"))  # fmt: skip
                last = n == len(st["stages"]) - 1
                with ledger.transaction() as db:
                    ledger.set_stage(
                        db, region=kode, year=2027, level=level, stage=tahap, at=AT,
                        input_id=None, identitas=ident,
                        late=st.get("late", False) if tahap is Tahap.KIRIM else None,
                    )  # fmt: skip
                    if n == 0 and st.get("usulan"):
                        ledger.save_usulan(db, region=kode, year=2027, usulan=st["usulan"],
                                           at=AT, input_id=0, file="bk.xlsx")  # fmt: skip
                if last:
                    for jenis in st.get("scans", []):
                        scan(ledger, kode, jenis, 2027)
        paths = write_kabupaten_reports(ws, settings, wilayah, ledger, now=NOW)
    [page] = [p for p in paths if p.suffix == ".html"]
    return page


def scan(ledger: Ledger, kode: str, jenis: str, year: int | None) -> None:
    with ledger.transaction() as db:
        ledger.add_berkas(
            db, input_id=0, region=kode, year=year, kategori="pindaian", jenis=jenis,
            file=f"{jenis}.jpg", size=1, sha256="0" * 64, received_at=AT, folder="x",
            archived_as="arsip/x",
        )  # fmt: skip
