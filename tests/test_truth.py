"""One truth upward (spec/documents.md, "One truth on every page"): the query layer
(ledger/agreed.py) and the kabupaten recap's line of a kecamatan against its own Rekap.

Before its Rekap a kecamatan counts the usulan of its desa that have sent, with the desa's
decisions; from Rekap on, its own rows: its decisions (also rejecting what a desa accepted),
agreed values, OPD Tujuan and UPT usulan. A desa that has not sent counts nothing and reads
`belum mengirim`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from pipeline.core.config import load_settings
from pipeline.core.models import IdentitasDesa, Usulan, UsulanKecamatan
from pipeline.core.standard import BIDANG, Keputusan, Tahap, TahapKecamatan
from pipeline.core.wilayah import load_wilayah
from pipeline.core.workspace import Workspace
from pipeline.desa.figures import tally
from pipeline.kabupaten.data import collect
from pipeline.kabupaten.status import build_status
from pipeline.ledger.agreed import agreed_of, agreed_usulan, belum_mengirim
from pipeline.ledger.kecamatan import KecamatanLedger
from pipeline.ledger.store import Ledger
from tests.conftest import make_workspace

TZ = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
AT = "2026-11-20T10:00:00+07:00"
KEC, LAU, TIMBANG = "12.05.01", "12.05.01.2002", "12.05.01.2003"


def usulan(biaya: int, keputusan: Keputusan | None, **kw: object) -> Usulan:
    return Usulan(
        asal="Dusun I", bidang=BIDANG[1], kegiatan=str(kw.pop("kegiatan", "Rabat beton")),
        lokasi="Dusun I", volume=Decimal(120), satuan="meter", biaya=biaya,
        sumber_dana="APBD", prioritas=kw.pop("prioritas", 1 if keputusan else None),
        keputusan=keputusan,
        catatan="ok", **kw,
    )  # fmt: skip


def desa(ledger: Ledger, kode: str, stage: Tahap, rows: list[Usulan]) -> None:
    ident = IdentitasDesa(kode=kode, tahun=2027, tahap=stage)
    with ledger.transaction() as db:
        ledger.set_stage(db, region=kode, year=2027, level="desa", stage=stage, at=AT,
                         input_id=None, identitas=ident)  # fmt: skip
        ledger.save_usulan(db, region=kode, year=2027, usulan=rows, at=AT, input_id=0,
                           file="bk.xlsx")  # fmt: skip


def kecamatan(ledger: Ledger, stage: TahapKecamatan, rows: list[UsulanKecamatan]) -> None:
    kl = KecamatanLedger(ledger)
    with ledger.transaction() as db:
        kl.set_stage(db, region=KEC, year=2027, stage=stage, at=AT, input_id=None)
        kl.save_usulan(db, region=KEC, year=2027, usulan=rows, at=AT, input_id=0,
                       file="bk-kec.xlsx")  # fmt: skip


def kec_row(kode: str | None, biaya: int, keputusan: Keputusan, **kw: object) -> UsulanKecamatan:
    return UsulanKecamatan(
        kode_usulan=kode, asal=str(kw.pop("asal", "Dusun I")), bidang=BIDANG[1],
        kegiatan="Rabat beton", lokasi="Dusun I", volume=Decimal(120), satuan="meter",
        biaya=biaya, sumber_dana="APBD", prioritas=kw.pop("prioritas", 1),
        keputusan=keputusan, catatan="ok", opd_tujuan=str(kw.pop("opd", "Dinas PUPR")), **kw,
    )  # fmt: skip


# Lau Damak (sent): 3 accepted (one revised 100 -> 80 juta), 1 rejected by the desa
LAU_ROWS = [
    usulan(100_000_000, Keputusan.REVISI, biaya_disepakati=80_000_000,
           volume_disepakati=Decimal(100)),
    usulan(50_000_000, Keputusan.DITERIMA),
    usulan(30_000_000, Keputusan.DITERIMA),
    usulan(20_000_000, Keputusan.DITOLAK, prioritas=None),
]  # fmt: skip
# Timbang Lawan: Verifikasi, every usulan decided, not sent
TIMBANG_ROWS = [usulan(70_000_000, Keputusan.DITERIMA)]
L1, L2, L3 = (f"{LAU}-2027-{n:04d}" for n in (1, 2, 3))
# the kecamatan's rows: L1 as the desa agreed (80 juta) revised again to 75 juta, L2
# accepted, L3 rejected (the desa had accepted it), and an UPT usulan
KEC_ROWS = [
    kec_row(L1, 80_000_000, Keputusan.REVISI, biaya_disepakati=75_000_000),
    kec_row(L2, 50_000_000, Keputusan.DITERIMA, prioritas=2),
    kec_row(L3, 30_000_000, Keputusan.DITOLAK, prioritas=None, opd="Dinas PUPR"),
    kec_row(None, 36_000_000, Keputusan.DITERIMA, asal="UPT Puskesmas Bahorok", prioritas=3,
            opd="Dinas Kesehatan"),
]  # fmt: skip


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    ws = make_workspace(tmp_path / "ws")
    led = Ledger(load_settings(ws.root).database_path(ws.root))
    led.ws = ws  # type: ignore[attr-defined]
    return led


def figures(kode: str, ledger: Ledger) -> tuple[int, int, int, int, int, int]:
    t = tally(a.usulan for a in agreed_of(ledger.db, kode, 2027).usulan)
    return t.jumlah, t.disepakati, t.ditolak, t.belum, t.biaya_disepakati, t.biaya_diusulkan


def test_before_the_kecamatan_rekap_the_sent_desa_decisions_count(ledger: Ledger) -> None:
    desa(ledger, LAU, Tahap.VERIFIKASI, LAU_ROWS)
    desa(ledger, TIMBANG, Tahap.VERIFIKASI, TIMBANG_ROWS)
    truth = agreed_of(ledger.db, KEC, 2027)
    assert truth.usulan == [] and truth.oleh == "desa" and not truth.ada_kiriman
    desa(ledger, LAU, Tahap.KIRIM, [])  # sent (its usulan kept)
    truth = agreed_of(ledger.db, KEC, 2027)
    assert [a.desa for a in truth.usulan] == [LAU] * 4 and truth.ada_kiriman
    assert {a.oleh for a in truth.usulan} == {"desa"}
    # the revision counts its agreed cost; the desa's rejection is counted as rejected
    assert figures(KEC, ledger) == (4, 3, 1, 0, 80_000_000 + 50_000_000 + 30_000_000,
                                    200_000_000)  # fmt: skip
    # the kecamatan working (Pelaksanaan) changes nothing yet
    kecamatan(ledger, TahapKecamatan.PELAKSANAAN, KEC_ROWS)
    assert figures(KEC, ledger)[0] == 4
    assert belum_mengirim(truth.desa_dikirim(TIMBANG), 0)  # Verifikasi: not sent
    assert not belum_mengirim(truth.desa_dikirim(LAU), 4)


def test_from_rekap_on_the_kecamatan_decisions_agreed_values_and_upt_count(
    ledger: Ledger,
) -> None:
    desa(ledger, LAU, Tahap.KIRIM, LAU_ROWS)
    desa(ledger, TIMBANG, Tahap.VERIFIKASI, TIMBANG_ROWS)
    kecamatan(ledger, TahapKecamatan.REKAP, KEC_ROWS)
    truth = agreed_of(ledger.db, KEC, 2027)
    assert truth.oleh == "kecamatan" and truth.diputuskan and not truth.dikirim
    assert [(a.desa, a.oleh) for a in truth.usulan] == [(LAU, "kecamatan")] * 3 + [
        ("", "kecamatan")
    ]
    by = {a.usulan.kode_usulan: a.usulan for a in truth.usulan}
    assert by[L3].keputusan is Keputusan.DITOLAK  # the kecamatan's rejection wins
    assert by[L1].agreed_biaya == 75_000_000 and by[L1].opd_tujuan == "Dinas PUPR"
    # 4 usulan: L1 (75), L2 (50), the UPT (36) accepted; L3 rejected; the desa's own
    # rejection never reached the kecamatan and Timbang Lawan has not sent
    assert figures(KEC, ledger) == (4, 3, 1, 0, 75_000_000 + 50_000_000 + 36_000_000,
                                    80_000_000 + 50_000_000 + 30_000_000 + 36_000_000)  # fmt: skip
    kecamatan(ledger, TahapKecamatan.KIRIM, KEC_ROWS)
    assert agreed_of(ledger.db, KEC, 2027).dikirim
    # the whole kabupaten read at once gives the same
    every = agreed_usulan(ledger.db, "12.05")
    assert every[(KEC, 2027)].usulan == agreed_of(ledger.db, KEC, 2027).usulan


def test_the_kabupaten_data_and_status_read_the_same_truth(ledger: Ledger) -> None:
    desa(ledger, LAU, Tahap.KIRIM, LAU_ROWS)
    desa(ledger, TIMBANG, Tahap.VERIFIKASI, TIMBANG_ROWS)
    kecamatan(ledger, TahapKecamatan.REKAP, KEC_ROWS)
    ws: Workspace = ledger.ws  # type: ignore[attr-defined]
    settings, wilayah = load_settings(ws.root), load_wilayah(ws.wilayah_file)
    [year] = collect(settings, wilayah, ledger, now=NOW)
    [(kec, members, t)] = year.per_kecamatan()
    assert t is not None and (t.jumlah, t.disepakati, t.biaya_disepakati) == (4, 3, 161_000_000)
    by = {d.desa.kode: d for d in members}
    assert by[TIMBANG].angka is None  # belum mengirim, not 0
    lau = by[LAU].angka
    assert lau is not None and (lau.jumlah, lau.disepakati, lau.biaya_disepakati) == (
        3, 2, 125_000_000,
    )  # fmt: skip
    [upt] = year.upt()
    assert upt.upt is not None and upt.upt.biaya_disepakati == 36_000_000
    assert dict(year.per_opd())["Dinas Kesehatan"].jumlah == 1
    status = build_status(settings, wilayah, ledger, now=NOW)
    [k] = status.kecamatan
    assert k.usulan is not None and k.keputusan_dari == "kecamatan"
    assert (k.usulan.jumlah, k.usulan.biaya_diterima) == (4, 161_000_000)
    assert status.ringkasan.usulan.biaya_diterima == 161_000_000
    timbang = next(d for d in status.desa if d.kode == TIMBANG)
    assert timbang.usulan is None and timbang.belum_mengirim


def test_one_query_per_table_for_a_large_kabupaten(ledger: Ledger) -> None:
    """300 desa of 30 kecamatan, 40 usulan each (12,000), half the kecamatan at Rekap."""
    rows = [usulan(1_000_000 * (i + 1), Keputusan.DITERIMA, kegiatan=f"K{i}") for i in range(40)]
    kl = KecamatanLedger(ledger)
    with ledger.transaction() as db:
        for k in range(1, 31):
            kec = f"12.05.{k:02d}"
            for d in range(10):
                kode = f"{kec}.{2001 + d}"
                ledger.set_stage(db, region=kode, year=2027, level="desa", stage=Tahap.KIRIM,
                                 at=AT, input_id=None)  # fmt: skip
                ledger.save_usulan(db, region=kode, year=2027, usulan=rows, at=AT, input_id=0,
                                   file="bk.xlsx")  # fmt: skip
            if k % 2:
                kl.set_stage(db, region=kec, year=2027, stage=TahapKecamatan.REKAP, at=AT,
                             input_id=None)  # fmt: skip
                own = [
                    kec_row(f"{kec}.{2001 + d}-2027-{n:04d}", 1_000_000, Keputusan.DITERIMA)
                    for d in range(10) for n in range(1, 41)
                ]  # fmt: skip
                kl.save_usulan(db, region=kec, year=2027, usulan=own, at=AT, input_id=0,
                               file="k.xlsx")  # fmt: skip
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    connection = ledger.db.connection  # every statement SQLAlchemy sends to the database
    event.listen(connection, "before_cursor_execute", seen)
    try:
        found = agreed_usulan(ledger.db, "12.05")
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    assert sum(len(t.usulan) for t in found.values()) == 12_000
    assert sum(t.oleh == "kecamatan" for t in found.values()) == 15
    # one query per table, whatever the size (the time is bench/bench_kabupaten.py's figure)
    selects = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert 0 < len(selects) <= 6, selects


def test_a_kecamatan_from_which_nothing_was_sent_reads_belum_mengirim(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from pipeline.kabupaten.recap import write_kabupaten_reports
    from tests.conftest import WILAYAH_CSV

    csv = WILAYAH_CSV + "12.05.02,Salapian\n12.05.02.2008,Naman Jahe\n"
    ws = make_workspace(tmp_path / "ws", wilayah=csv)
    settings, wilayah = load_settings(ws.root), load_wilayah(ws.wilayah_file)
    with Ledger(settings.database_path(ws.root)) as led:
        desa(led, LAU, Tahap.KIRIM, LAU_ROWS)
        desa(led, "12.05.02.2008", Tahap.VERIFIKASI, TIMBANG_ROWS)  # a draft only
        [rekap, pantau, page] = write_kabupaten_reports(ws, settings, wilayah, led, now=NOW)
        status = build_status(settings, wilayah, led, now=NOW)
    sheet = load_workbook(rekap)["Per Kecamatan"]
    lines = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert lines["12.05.02"][4:9] == ("belum mengirim", None, None, None, None)
    assert lines["JUMLAH"][4:9] == lines["12.05.01"][4:9] == (4, 3, 1, 0, 160_000_000)
    salapian = next(k for k in status.kecamatan if k.kode == "12.05.02")
    assert salapian.usulan is None and salapian.belum_mengirim
    html = page.read_text(encoding="utf-8")
    kec_table = html[
        html.index('id="kecamatan"') : html.index("</table>", html.index('id="kecamatan"'))
    ]
    assert kec_table.count("belum mengirim") == 1
    assert 'data-k="">belum mengirim</td>' in kec_table  # sorts after every figure
    assert pantau.suffix == ".xlsx"
