"""The kabupaten recap against every state the ledger can hold for a desa.

A desa may have no row yet, scans waiting for its first workbook (berkas.year NULL), any
stage, a musrenbang date or none, a deadline passed or not, sent on time or late; beside it
another desa always has a workbook, so the recap has a year to write (the case in which
`int(None)` on a waiting scan's year made every `run` exit 3).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from pipeline.core.config import load_settings
from pipeline.core.models import IdentitasDesa, Usulan
from pipeline.core.standard import BIDANG, Keputusan, Tahap, TahapKecamatan
from pipeline.core.wilayah import load_wilayah
from pipeline.kabupaten.recap import write_kabupaten_reports
from pipeline.kabupaten.status import build_status
from pipeline.ledger.kecamatan import KecamatanLedger
from pipeline.ledger.store import Ledger
from pipeline.run.batch import run_pass
from pipeline.scans.samples import make_scan
from tests.conftest import desa_inbox, make_workspace
from tests.workbooks import make_desa_workbook

TZ = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 2, 10, 9, 30, tzinfo=TZ)
AT = "2026-01-27T10:00:00+07:00"
DESA, OTHER = "12.05.01.2002", "12.05.01.2003"
DATES = {"tanpa-tanggal": None, "lewat": dt.date(2026, 1, 13), "baru": dt.date(2026, 2, 9)}
SCANS = ("tanpa", "menunggu", "tahun")
STAGES: list[Tahap | None] = [None, *Tahap]
CASES = [
    (st, sc, d, late)
    for st, sc, d in itertools.product(STAGES, SCANS, DATES)
    for late in ((False, True) if st is Tahap.KIRIM else (False,))
]


def _usulan(n: int) -> list[Usulan]:
    return [
        Usulan(asal="Dusun I", bidang=BIDANG[1], kegiatan=f"Kegiatan {i}", lokasi="Dusun I",
               volume=Decimal(1), satuan="paket", biaya=1_000_000 * (i + 1), sumber_dana="APBDes",
               prioritas=i + 1 if i % 2 == 0 else None,
               keputusan=Keputusan.DITERIMA if i % 2 == 0 else None, catatan=None)
        for i in range(n)
    ]  # fmt: skip


def _stage(ledger: Ledger, kode: str, tahap: Tahap, date: dt.date | None, late: bool) -> None:
    ident = IdentitasDesa(kode=kode, tahun=2027, tahap=tahap, tanggal_musrenbang=date)
    with ledger.transaction() as db:
        ledger.set_stage(db, region=kode, year=2027, level="desa", stage=tahap, at=AT,
                         input_id=None, identitas=ident, late=late)  # fmt: skip
        ledger.save_usulan(db, region=kode, year=2027, usulan=_usulan(3), at=AT, input_id=0,
                           file="bk.xlsx")  # fmt: skip


def _scan(ledger: Ledger, kode: str, year: int | None) -> None:
    with ledger.transaction() as db:
        ledger.add_berkas(
            db, input_id=0, region=kode, year=year, kategori="pindaian", jenis="berita-acara",
            file="ba.jpg", size=1, sha256="0" * 64, received_at=AT, folder="x",
            archived_as="arsip/x",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("tahap", "scans", "date", "late"),
    CASES,
    ids=[
        f"{t.value if t else 'tanpa-tahap'}-{s}-{d}{'-telat' if lt else ''}"
        for t, s, d, lt in CASES
    ],  # fmt: skip
)
def test_recap_and_pemantauan_for_every_ledger_state(
    tmp_path: Path, tahap: Tahap | None, scans: str, date: str, late: bool
) -> None:
    ws = make_workspace(tmp_path / "ws")
    settings = load_settings(ws.root)
    wilayah = load_wilayah(ws.wilayah_file)
    with Ledger(settings.database_path(ws.root)) as ledger:
        _stage(ledger, OTHER, Tahap.VERIFIKASI, DATES["lewat"], False)
        if scans == "menunggu":
            _scan(ledger, DESA, None)  # came before the first workbook
        if tahap is not None:
            _stage(ledger, DESA, tahap, DATES[date], late)
        if scans == "tahun":
            _scan(ledger, DESA, 2027)
        paths = write_kabupaten_reports(ws, settings, wilayah, ledger, now=NOW)
        waiting = [b for b in ledger.berkas_of(DESA, None) if b.kategori == "pindaian"]
    assert [p.suffix for p in paths] == [".xlsx", ".xlsx", ".html"]
    if tahap is not None:
        assert waiting == []  # the first workbook took the waiting scans into its year

    sheet = load_workbook(paths[1], read_only=True)["Per Desa"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r and r[0]]
    header = [c for c in next(sheet.iter_rows(min_row=4, max_row=4, values_only=True))]
    row = dict(zip(header, next(r for r in rows if r[0] == DESA), strict=False))
    assert row["Tahap"] == (tahap.value if tahap else "Belum mulai")
    has_scan = scans != "tanpa"
    assert ("Berita Acara" in (row["Dokumen Belum Ada"] or "")) is not has_scan
    expected_late = ""
    if tahap is Tahap.KIRIM:
        expected_late = "ya" if late else "tidak"
    elif tahap is not None and DATES[date] is not None:
        expected_late = "lewat batas" if date == "lewat" else "tidak"
    assert (row["Terlambat"] or "") == expected_late
    # a desa counts from Kirim on; before that its figures read `belum mengirim`, never 0
    assert row["Usulan"] == (3 if tahap is Tahap.KIRIM else "belum mengirim")
    page = paths[2].read_text(encoding="utf-8")
    assert f'data-k="{DESA}"' in page

    rekap = load_workbook(paths[0], read_only=True)["Per Kecamatan"]
    total = [r for r in rekap.iter_rows(values_only=True) if r and r[0] == "JUMLAH"][0]
    assert total[4] == (3 if tahap is Tahap.KIRIM else 0)  # OTHER (Verifikasi) has not sent


def test_run_with_scans_before_the_first_workbook_writes_the_recap(tmp_path: Path) -> None:
    """The reported case: one desa has a workbook, another sent its scans first; `run`
    exited 3 on every pass and wrote no recap."""
    ws = make_workspace(tmp_path / "ws")
    settings = load_settings(ws.root)
    make_desa_workbook(desa_inbox(ws, DESA) / "Buku Kerja.xlsx", tahap="Persiapan", usulan=[])
    folder = desa_inbox(ws, OTHER) / "pindaian" / "berita-acara"
    folder.mkdir(parents=True, exist_ok=True)
    make_scan(folder / "hal-1.jpg", "BERITA ACARA MUSRENBANG DESA TIMBANG LAWAN")
    first = run_pass(ws, settings)
    assert first.internal_errors == [] and first.exit_code == 0
    codes = {i.code for r in first.receipts for i in r.issues}
    assert "belum-ada-buku-kerja" in codes
    names = sorted(p.name for p in first.reports)
    assert names == [
        "Pemantauan Musrenbang Kabupaten Langkat 2027.html",
        "Pemantauan Musrenbang Kabupaten Langkat 2027.xlsx",
        "Rekap Usulan Musrenbang Kabupaten Langkat 2027.xlsx",
    ]
    again = run_pass(ws, settings)  # and every later pass
    assert again.internal_errors == [] and again.exit_code == 0
    receipts = [json.loads(p.read_text()) for p in ws.receipts.glob("*.json")]
    assert {r["status"] for r in receipts} == {"accepted"}


@pytest.mark.parametrize("stage", [None, *TahapKecamatan])
def test_kecamatan_rows_and_its_waiting_scans_beside_the_desa(
    tmp_path: Path, stage: TahapKecamatan | None
) -> None:
    """The kecamatan's own rows (its stage, scans before its workbook) never break the
    kabupaten recap or the status."""
    ws = make_workspace(tmp_path / "ws")
    settings = load_settings(ws.root)
    wilayah = load_wilayah(ws.wilayah_file)
    with Ledger(settings.database_path(ws.root)) as ledger:
        _stage(ledger, OTHER, Tahap.KIRIM, DATES["lewat"], True)
        _scan(ledger, "12.05.01", None)
        if stage is not None:
            with ledger.transaction() as db:
                KecamatanLedger(ledger).set_stage(db, region="12.05.01", year=2027, stage=stage,
                                                  at=AT, input_id=None)  # fmt: skip
        paths = write_kabupaten_reports(ws, settings, wilayah, ledger, now=NOW)
        status = build_status(settings, wilayah, ledger, now=NOW)
    assert len(paths) == 3
    [kec] = status.kecamatan
    assert kec.tahap == stage and kec.desa_sudah_kirim == 1 and kec.desa_terlambat == 1
