"""`musrenbang status --json`: every desa and kecamatan as data, the same figures as the
Pemantauan workbook, in the exported schema (schemas/status.json)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.core.config import load_settings
from pipeline.core.models import UsulanKecamatan
from pipeline.core.standard import BIDANG, Keputusan, TahapKecamatan
from pipeline.core.wilayah import load_wilayah
from pipeline.core.workspace import Workspace
from pipeline.kabupaten.recap import write_kabupaten_reports
from pipeline.kabupaten.status import StatusMusrenbang, build_status
from pipeline.ledger.kecamatan import KecamatanLedger
from pipeline.ledger.store import Ledger
from pipeline.schemas import SCHEMAS_DIR
from tests.pemantauan_data import AT, NOW, build, scan


@pytest.fixture(scope="module")
def ws_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    page = build(tmp_path_factory.mktemp("status") / "ws")
    root = page.parents[1]
    ws = Workspace(root)
    settings = load_settings(root)
    with Ledger(settings.database_path(root)) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO kecamatan_tahap (region, year, stage, identitas_json, sent_at,"
            " updated_at) VALUES (:region, 2027, :stage, :identitas_json, :at, :at)",
            {"region": "12.05.02", "stage": TahapKecamatan.KIRIM.value,
             "identitas_json": json.dumps({"tanggal_musrenbang": "2026-02-05"}), "at": AT},
        )  # fmt: skip
    with Ledger(settings.database_path(root)) as ledger:
        for jenis in ("berita-acara", "daftar-hadir", "rekap"):
            scan(ledger, "12.05.02", jenis, 2027)
        with ledger.transaction() as db:  # the kecamatan's decisions on Naman Jahe's two
            KecamatanLedger(ledger).save_usulan(
                db, region="12.05.02", year=2027, usulan=SALAPIAN, at=AT, input_id=0,
                file="bk-kecamatan.xlsx",
            )  # fmt: skip
    with Ledger(settings.database_path(root)) as ledger:  # the reports as of now
        write_kabupaten_reports(ws, settings, load_wilayah(root / "wilayah.csv"), ledger, now=NOW)
    return root


def _kec(kode: str | None, keputusan: Keputusan, biaya: int, **kw: object) -> UsulanKecamatan:
    return UsulanKecamatan(
        kode_usulan=kode, asal=kw.pop("asal", "Dusun I"), bidang=BIDANG[2], kegiatan="Kegiatan",
        lokasi="Dusun I", volume=Decimal(2), satuan="paket", biaya=biaya, sumber_dana="APBD",
        prioritas=kw.pop("prioritas", None), keputusan=keputusan, catatan="Catatan",
        opd_tujuan=kw.pop("opd", None), **kw,
    )  # fmt: skip


# Salapian (Kirim): a revision of one Naman Jahe usulan, a rejection of the other (which the
# desa had accepted), and an usulan of an UPT
SALAPIAN = [
    _kec("12.05.02.2008-2027-0001", Keputusan.REVISI, 45_000_000, biaya_disepakati=40_000_000,
         opd="Dinas Sosial", prioritas=1),
    _kec("12.05.02.2008-2027-0002", Keputusan.DITOLAK, 45_000_000),
    _kec(None, Keputusan.DITERIMA, 60_000_000, asal="UPT Puskesmas Salapian", opd="Dinas Kesehatan",
         prioritas=2),
]  # fmt: skip


def _status(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> StatusMusrenbang:
    assert main(["status", "--json", "--root", str(root), *extra]) == 0
    out = capsys.readouterr().out
    json.loads(out)  # plain JSON for any tool
    return StatusMusrenbang.model_validate_json(out)


def _at_now(root: Path) -> StatusMusrenbang:
    """The status as of the moment the fixture's reports were written (tests.pemantauan_data)."""
    settings = load_settings(root)
    with Ledger(settings.database_path(root)) as ledger:
        return build_status(settings, load_wilayah(root / "wilayah.csv"), ledger, now=NOW)


def test_every_desa_and_kecamatan_with_stage_dates_counts_and_lateness(ws_root: Path) -> None:
    s = _at_now(ws_root)
    assert s.tahun == 2027 and s.kabupaten.kode == "12.05" and s.versi == 2
    assert len(s.desa) == 10 and [k.kode for k in s.kecamatan] == [
        "12.05.01",
        "12.05.02",
        "12.05.03",
    ]
    by = {d.kode: d for d in s.desa}
    lau = by["12.05.01.2002"]
    assert lau.tahap == "Kirim" and lau.terlambat is True and lau.lewat_batas is False
    assert lau.tanggal_musrenbang == dt.date(2026, 1, 13) and lau.batas_kirim == dt.date(
        2026, 1, 21
    )
    assert lau.tanggal_kirim == dt.date(2026, 1, 27) and lau.hari_lewat == 6
    assert lau.usulan.jumlah == 9 and lau.usulan.diterima == 3 and lau.usulan.ditolak == 6
    assert lau.usulan.biaya_diterima == 4_500_000_000
    assert lau.usulan.biaya_diusulkan == 4_500_000_000 + 6 * 9_000_000
    pekan = by["12.05.01.1001"]
    assert pekan.tingkat == "kelurahan" and pekan.tahap == "Verifikasi"
    assert pekan.terlambat is None and pekan.lewat_batas is True and pekan.hari_lewat == 32
    assert pekan.pindaian_kurang == ["daftar-hadir"]
    empus = by["12.05.01.2010"]  # scans before its first workbook
    assert empus.tahap is None and empus.pindaian_kurang == ["daftar-hadir"]
    salapian = next(k for k in s.kecamatan if k.kode == "12.05.02")
    assert salapian.tahap is TahapKecamatan.KIRIM and salapian.pindaian_kurang == []
    assert salapian.tanggal_musrenbang == dt.date(2026, 2, 5)
    assert salapian.desa == 3 and salapian.desa_sudah_kirim == 1 and salapian.desa_lewat_batas == 1
    bahorok = next(k for k in s.kecamatan if k.kode == "12.05.01")
    assert bahorok.tahap is None
    assert bahorok.pindaian_kurang == ["berita-acara", "daftar-hadir", "rekap"]
    assert s.ringkasan.desa == 10 and s.ringkasan.sudah_kirim == 4
    assert s.ringkasan.per_tahap["Belum mulai"] == 2


def test_the_same_figures_as_the_pemantauan_workbook(ws_root: Path) -> None:
    s = _at_now(ws_root)
    sheet = load_workbook(
        ws_root / "outbox" / "Pemantauan Musrenbang Kabupaten Langkat 2027.xlsx", read_only=True
    )["Per Desa"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r and r[0]}
    for d in s.desa:
        r = rows[d.kode]
        if d.usulan is None:  # not sent: `belum mengirim`, never 0
            assert d.belum_mengirim and r[10] == "belum mengirim"
            assert all(c is None for c in r[11:14])
            continue
        assert (d.tahap or "Belum mulai") == r[3]
        assert d.tanggal_musrenbang == (r[4].date() if r[4] else None)
        assert d.batas_kirim == (r[5].date() if r[5] else None)
        want_late = {"ya": True, "tidak": False}.get(r[7] or "") if d.tahap == "Kirim" else None
        assert d.terlambat == want_late and d.lewat_batas == (r[7] == "lewat batas")
        assert (d.usulan.jumlah, d.usulan.diterima, d.usulan.ditolak) == (r[10], r[11], r[12])
        assert d.usulan.biaya_diterima == r[13]


def test_cli_prints_the_same_data_for_today(
    ws_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = _status(ws_root, capsys)
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    assert s.dibuat.date() == today and s.tahun == 2027
    pekan = next(d for d in s.desa if d.kode == "12.05.01.1001")
    assert pekan.hari_lewat == (today - dt.date(2026, 1, 9)).days
    same = _at_now(ws_root)
    assert [(d.kode, d.tahap, d.usulan) for d in s.desa] == [
        (d.kode, d.tahap, d.usulan) for d in same.desa
    ]


def test_one_kecamatan(ws_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = _status(ws_root, capsys, "--kecamatan", "12.05.03")
    assert s.kecamatan_dipilih == "12.05.03"
    assert [d.kode for d in s.desa] == ["12.05.03.1001", "12.05.03.2002"]
    assert [k.kode for k in s.kecamatan] == ["12.05.03"]
    assert s.ringkasan.desa == 2 and s.ringkasan.usulan.biaya_diterima == 999_000_000


def test_unknown_kecamatan_is_a_usage_error(
    ws_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--json", "--kecamatan", "12.05.99", "--root", str(ws_root)]) == 2
    assert "12.05.99 tidak ada" in capsys.readouterr().err
    assert main(["status", "--kecamatan", "12.05.01", "--root", str(ws_root)]) == 0
    table = capsys.readouterr().out
    assert "Lau Damak" in table and "Naman Jahe" not in table


def test_a_year_without_data_and_an_empty_ledger(
    tmp_path: Path, ws_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s = _status(ws_root, capsys, "--tahun", "2030")
    assert s.tahun == 2030 and {d.tahap for d in s.desa} == {None}
    from tests.conftest import make_workspace

    fresh = make_workspace(tmp_path / "baru")
    s = _status(fresh.root, capsys)
    assert s.tahun is None and len(s.desa) == 3 and s.ringkasan.per_tahap["Belum mulai"] == 3


def test_schema_is_exported() -> None:
    schema = json.loads((SCHEMAS_DIR / "status.json").read_text(encoding="utf-8"))
    assert schema["title"] == "StatusMusrenbang"
    assert {"desa", "kecamatan", "ringkasan", "tahun"} <= set(schema["properties"])


def test_the_table_shows_the_same_as_the_json(
    ws_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.commands import status_rows

    s = _status(ws_root, capsys)
    tahun, rows = status_rows(ws_root, None)
    assert tahun == s.tahun
    assert [(r.kode, r.tahap, r.usulan, r.diterima, r.ditolak, r.belum) for r in rows] == [
        (d.kode, d.tahap.value if d.tahap else "-", d.usulan.jumlah, d.usulan.diterima,
         d.usulan.ditolak, d.usulan.belum_diputuskan) if d.usulan else
        (d.kode, d.tahap.value if d.tahap else "-", None, None, None, None)
        for d in s.desa
    ]  # fmt: skip
    late = {r.kode: r.terlambat for r in rows}
    assert late["12.05.01.2002"] == "ya" and late["12.05.01.1001"] == "lewat batas"
    assert main(["status", "--root", str(ws_root)]) == 0
    table = capsys.readouterr().out
    pekan = next(line for line in table.splitlines() if line.startswith("12.05.01.1001"))
    assert "belum mengirim" in pekan
    salapian = next(line for line in table.splitlines() if "12.05.02 Salapian" in line)
    assert salapian.endswith(
        "; 3 usulan, 2 diterima, 1 ditolak, Rp 100.000.000 disepakati (keputusan kecamatan)"
    )


def test_the_kecamatan_decisions_count_from_rekap_on(ws_root: Path) -> None:
    """Salapian (Kirim) counts its own decisions: the revision's agreed cost, the rejection of
    an usulan its desa accepted, the UPT usulan; Bahorok (no kecamatan workbook) its sent
    desa's; a desa that has not sent reads `belum mengirim` (null), never 0."""
    s = _at_now(ws_root)
    kec = {k.kode: k for k in s.kecamatan}
    salapian = kec["12.05.02"]
    assert (salapian.keputusan_dari, salapian.dikirim, salapian.belum_mengirim) == (
        "kecamatan", True, False,
    )  # fmt: skip
    assert salapian.usulan is not None
    assert (salapian.usulan.jumlah, salapian.usulan.diterima, salapian.usulan.ditolak) == (3, 2, 1)
    assert salapian.usulan.biaya_diterima == 40_000_000 + 60_000_000
    assert salapian.usulan.biaya_diusulkan == 45_000_000 * 2 + 60_000_000
    by = {d.kode: d for d in s.desa}
    naman = by["12.05.02.2008"].usulan
    assert naman is not None and (naman.jumlah, naman.diterima, naman.ditolak) == (2, 1, 1)
    assert naman.biaya_diterima == 40_000_000
    for kode in ("12.05.02.1007", "12.05.02.2009", "12.05.01.1001", "12.05.01.2004"):
        assert by[kode].usulan is None and by[kode].belum_mengirim  # drafts count nothing
    bahorok = kec["12.05.01"]
    assert bahorok.keputusan_dari == "desa" and bahorok.dikirim is False
    assert bahorok.usulan is not None and bahorok.usulan.jumlah == 9 + 2  # Lau Damak, Timbang
    assert s.ringkasan.usulan.jumlah == sum(k.usulan.jumlah for k in s.kecamatan if k.usulan)
    assert s.ringkasan.usulan.biaya_diterima == sum(
        k.usulan.biaya_diterima for k in s.kecamatan if k.usulan
    )
