"""Agreed values (spec/workbooks.md, Revisions): Volume Disepakati and Biaya Disepakati (Rp)
issued, read, validated, kept in the ledger with history, written back, and counted."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import docx
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.core.config import BatasSettings
from pipeline.core.models import Usulan, Wilayah
from pipeline.core.standard import KECAMATAN_USULAN_COLUMNS, USULAN_COLUMNS, Keputusan
from pipeline.core.wilayah import WilayahList
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.desa.figures import tally
from pipeline.desa.validation import validate_desa
from pipeline.intake.xlsx_read import read_workbook
from pipeline.ledger.store import Ledger
from pipeline.run.batch import PassResult
from pipeline.scans.samples import make_scan
from tests.conftest import desa_inbox
from tests.workbooks import USULAN, make_desa_workbook, usulan_cell

Run = Callable[[], PassResult]
WILAYAH = WilayahList(
    Wilayah(kode=kode, nama=nama)
    for kode, nama in [("12", "Sumatera Utara"), ("12.05", "Kabupaten Langkat"),
                       ("12.05.01", "Bahorok"), ("12.05.01.2002", "Lau Damak")]
)  # fmt: skip
DESA_FOLDER = Path("12.05.01 Bahorok") / "12.05.01.2002 Lau Damak" / "2027"
REVISED = {
    **USULAN[1],
    "Volume Disepakati": 250,
    "Biaya Disepakati (Rp)": "Rp 75.000.000",
}


def _usulan(revised: dict | None = None, **others: dict) -> list[dict]:
    rows = [dict(u) for u in USULAN]
    rows[1] = revised or REVISED
    for n, extra in others.items():
        rows[int(n.removeprefix("u"))].update(extra)
    return rows


def _check(tmp_path: Path, **kw):
    path = make_desa_workbook(tmp_path / "bk.xlsx", **kw)
    raw, report = read_workbook(path, BatasSettings())
    assert raw is not None and report.ok
    return validate_desa(raw, WILAYAH, today=dt.date(2026, 2, 1))


def test_the_standard_has_both_columns_last() -> None:
    assert USULAN_COLUMNS[-2:] == ["Volume Disepakati", "Biaya Disepakati (Rp)"]
    assert KECAMATAN_USULAN_COLUMNS[-2:] == ["Volume Disepakati", "Biaya Disepakati (Rp)"]


def test_agreed_value_is_disepakati_where_given_else_proposed() -> None:
    u = Usulan(volume=Decimal(120), biaya=96_000_000, keputusan=Keputusan.REVISI)
    assert (u.agreed_volume, u.agreed_biaya, u.revised_values) == (120, 96_000_000, False)
    u.volume_disepakati = Decimal(100)
    assert (u.agreed_volume, u.agreed_biaya, u.revised_values) == (100, 96_000_000, True)
    u.biaya_disepakati = 80_000_000
    assert (u.agreed_volume, u.agreed_biaya) == (100, 80_000_000)
    # only a revision has agreed values of its own
    u.keputusan = Keputusan.DITERIMA
    assert (u.agreed_volume, u.agreed_biaya) == (120, 96_000_000)


def test_figures_add_agreed_values_and_keep_rejected_apart() -> None:
    rows = [
        Usulan(biaya=100, keputusan=Keputusan.DITERIMA),
        Usulan(biaya=200, biaya_disepakati=150, keputusan=Keputusan.REVISI),
        Usulan(biaya=400, keputusan=Keputusan.DITOLAK),
        Usulan(biaya=800),
    ]
    t = tally(rows)
    assert (t.jumlah, t.diterima, t.revisi, t.ditolak, t.belum, t.disepakati) == (4, 1, 1, 1, 1, 2)
    assert (t.biaya_semula, t.biaya_disepakati, t.biaya_ditolak, t.biaya_belum) == (
        300, 250, 400, 800,
    )  # fmt: skip


def test_validation_reads_the_agreed_values(tmp_path: Path) -> None:
    book, report = _check(tmp_path, usulan=_usulan())
    assert report.ok, report.issues
    assert book is not None
    revised = book.usulan[1]
    assert (revised.volume_disepakati, revised.biaya_disepakati) == (250, 75_000_000)
    assert (revised.agreed_volume, revised.agreed_biaya) == (250, 75_000_000)
    assert [i.code for i in report.issues] == []


def test_agreed_values_on_another_decision_are_a_warning_and_ignored(tmp_path: Path) -> None:
    book, report = _check(
        tmp_path,
        usulan=_usulan(u0={"Biaya Disepakati (Rp)": 100_000_000}, u3={"Volume Disepakati": 1}),
    )
    assert book is not None and report.ok
    assert report.flatten(["code", "cell", "severity"]) == [
        ("disepakati-diabaikan", usulan_cell("Biaya Disepakati (Rp)", 1), "warning"),
        ("disepakati-diabaikan", usulan_cell("Volume Disepakati", 4), "warning"),
    ]
    assert book.usulan[0].biaya_disepakati is None and book.usulan[0].agreed_biaya == 187_500_000
    assert book.usulan[3].volume_disepakati is None


def test_bad_agreed_values_are_errors_on_their_cells(tmp_path: Path) -> None:
    revised = {**USULAN[1], "Volume Disepakati": 0, "Biaya Disepakati (Rp)": "75 jt"}
    _, report = _check(tmp_path, usulan=_usulan(revised))
    assert report.flatten(["code", "cell"]) == [
        ("volume-tidak-valid", usulan_cell("Volume Disepakati", 2)),
        ("biaya-tidak-valid", usulan_cell("Biaya Disepakati (Rp)", 2)),
    ]


def test_workbooks_without_the_columns_are_still_read(tmp_path: Path) -> None:
    from tests.workbooks import Variant

    book, report = _check(
        tmp_path, variant=Variant(drop_columns=["Volume Disepakati", "Biaya Disepakati (Rp)"])
    )
    assert report.ok, report.issues
    assert book is not None and all(u.biaya_disepakati is None for u in book.usulan)


def _drop(ws: Workspace, tmp: Path, **kw) -> None:
    src = make_desa_workbook(tmp / "src.xlsx", **kw)
    shutil.copyfile(src, desa_inbox(ws) / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx")


def test_agreed_values_through_ledger_current_workbook_and_documents(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    first = {**USULAN[1], "Volume Disepakati": 280}
    _drop(workspace, tmp_path, usulan=_usulan(first))
    [r] = run().receipts
    assert (r.status.value, r.stage) == ("accepted", "Verifikasi"), r.issues
    # the operator edits the current workbook (Kode Usulan filled) and drops it again
    current = workspace.outbox / DESA_FOLDER / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx"
    wb = load_workbook(current)
    sheet = wb["Usulan"]
    assert sheet[usulan_cell("Volume Disepakati", 2)].value == 280
    assert sheet[usulan_cell("Biaya Disepakati (Rp)", 2)].value is None
    sheet[usulan_cell("Volume Disepakati", 2)] = 250
    sheet[usulan_cell("Biaya Disepakati (Rp)", 2)] = 75_000_000
    assert sheet[usulan_cell("Biaya Disepakati (Rp)", 2)].number_format == '"Rp "#,##0'
    wb.save(desa_inbox(workspace) / current.name)
    [r] = run().receipts
    assert (r.status.value, r.stage) == ("accepted", "Verifikasi"), r.issues

    with Ledger(workspace.root / "musrenbang.db") as ledger:
        [u] = [u for u in ledger.usulan_of("12.05.01.2002", 2027) if u.volume_disepakati]
        assert (u.volume_disepakati, u.biaya_disepakati) == (250, 75_000_000)
        history = [
            (h["field"], h["old"], h["new"])
            for h in ledger.usulan_history(u.kode_usulan or "")
            if h["field"] != "*"
        ]
    assert ("volume_disepakati", "280", "250") in history
    assert ("biaya_disepakati", None, "75000000") in history

    # written back in the current workbook
    sheet = load_workbook(current)["Usulan"]
    assert sheet[usulan_cell("Volume Disepakati", 2)].value == 250
    assert sheet[usulan_cell("Biaya Disepakati (Rp)", 2)].value == 75_000_000

    # the Berita Acara shows the agreed values, the proposed ones apart, and adds agreed values
    ba = docx.Document(
        str(workspace.outbox / DESA_FOLDER / "Berita Acara Musrenbang Desa Lau Damak 2027.docx")
    )
    text = "\n".join(p.text for p in ba.paragraphs)
    agreed_total = 187_500_000 + 75_000_000 + 15_000_000 + 12_500_000
    assert "sebesar Rp 290.000.000 (dua ratus sembilan puluh juta rupiah)" in " ".join(text.split())
    assert agreed_total == 290_000_000
    row = next(r for t in ba.tables for r in t.rows if r.cells[1].text.endswith("-0002"))
    cells = [c.text.replace("\u00a0", " ").replace("\u2011", "-") for c in row.cells]
    assert "250 meter\n(semula 300 meter)" in cells
    assert "Rp 75.000.000\n(semula Rp 90.000.000)" in cells


def test_an_old_ledger_without_the_fields_is_read_and_kept_with_history(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    _drop(workspace, tmp_path, usulan=USULAN)
    assert run().receipts[0].status.value == "accepted"
    db_path = workspace.root / "musrenbang.db"
    db = sqlite3.connect(db_path)
    # an older pipeline stored usulan without the two fields
    for kode, data in db.execute("SELECT kode, data_json FROM usulan").fetchall():
        old = {k: v for k, v in json.loads(data).items() if "disepakati" not in k}
        db.execute("UPDATE usulan SET data_json = ? WHERE kode = ?", (json.dumps(old), kode))
    db.commit()
    db.close()
    with Ledger(db_path) as ledger:
        assert all(u.biaya_disepakati is None for u in ledger.usulan_of("12.05.01.2002", 2027))
    known = [
        {**u, "Kode Usulan": f"12.05.01.2002-2027-{n:04d}"} for n, u in enumerate(_usulan(), 1)
    ]
    _drop(workspace, tmp_path, usulan=known)
    [r] = run().receipts
    assert r.status.value == "accepted", r.issues
    with Ledger(db_path) as ledger:
        fields = [h["field"] for h in ledger.usulan_history("12.05.01.2002-2027-0002")]
    assert fields.count("biaya_disepakati") == 1 and fields.count("volume_disepakati") == 1


def test_the_kecamatan_gets_the_desa_agreed_values_as_its_proposed_values(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    _drop(workspace, tmp_path, tahap="Kirim", usulan=_usulan())
    for jenis in ("berita-acara", "daftar-hadir"):
        make_scan(desa_inbox(workspace) / "pindaian" / jenis / "p.jpg", jenis, fmt="jpg")
    assert all(r.status.value == "accepted" for r in run().receipts)
    root = str(workspace.root)
    assert main(["workbook", "kecamatan", "12.05.01", "--tahun", "2027", "--root", root]) == 0
    sheet = load_workbook(KecamatanOperator(workspace, "12.05.01", 2027).current())["Usulan"]
    header = [c.value for c in sheet[2]]
    rows = [
        dict(zip(header, [c.value for c in r], strict=True))
        for r in sheet.iter_rows(min_row=3)
        if r[1].value
    ]
    drainase = next(r for r in rows if r["Kode Usulan"] == "12.05.01.2002-2027-0002")
    assert (drainase["Volume"], drainase["Perkiraan Biaya (Rp)"]) == (250, 75_000_000)
    assert drainase["Volume Disepakati"] is None and drainase["Biaya Disepakati (Rp)"] is None


def test_a_kecamatan_revision_counts_its_agreed_values(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    from tests.test_kecamatan_flow import PERSIAPAN, REKAP

    _drop(workspace, tmp_path, tahap="Kirim", usulan=_usulan())
    for jenis in ("berita-acara", "daftar-hadir"):
        make_scan(desa_inbox(workspace) / "pindaian" / jenis / "p.jpg", jenis, fmt="jpg")
    assert all(r.status.value == "accepted" for r in run().receipts)
    root = str(workspace.root)
    assert main(["workbook", "kecamatan", "12.05.01", "--tahun", "2027", "--root", root]) == 0
    op = KecamatanOperator(workspace, "12.05.01", 2027)
    dropped = op.drop({**PERSIAPAN, **REKAP}, decide=True)
    wb = load_workbook(dropped)
    sheet = wb["Usulan"]
    col = {c.value: c.column for c in sheet[2]}
    # row 3: the first desa usulan, revised by the kecamatan; row 4: agreed values ignored
    sheet.cell(3, col["Keputusan"], "Diterima dengan Revisi")
    sheet.cell(3, col["Catatan Keputusan"], "Dikurangi sesuai pagu kecamatan")
    sheet.cell(3, col["Biaya Disepakati (Rp)"], 150_000_000)
    sheet.cell(4, col["Biaya Disepakati (Rp)"], 1_000_000)
    wb.save(dropped)
    [r] = run().receipts
    assert (r.status.value, r.stage) == ("accepted", "Rekap"), r.issues
    assert [(i.code, i.cell) for i in r.issues if i.code == "disepakati-diabaikan"] == [
        ("disepakati-diabaikan", "Q4")
    ]
    from pipeline.ledger.kecamatan import KecamatanLedger

    with Ledger(workspace.root / "musrenbang.db") as ledger:
        kec = KecamatanLedger(ledger).usulan_of("12.05.01", 2027)
    assert (kec[0].biaya, kec[0].biaya_disepakati, kec[0].agreed_biaya) == (
        187_500_000, 150_000_000, 150_000_000,
    )  # fmt: skip
    assert kec[1].biaya_disepakati is None
    rekap = load_workbook(
        workspace.outbox
        / "12.05.01 Bahorok"
        / "2027"
        / "Rekap Usulan Musrenbang Kecamatan Bahorok 2027.xlsx"
    )["Per Desa"]
    header = [c.value for c in rekap[5]]
    last = [c.value for c in rekap[rekap.max_row]]
    accepted = [u for u in kec if u.diterima]
    assert last[header.index("Biaya Disepakati (Rp)")] == sum(u.agreed_biaya or 0 for u in accepted)
    assert last[header.index("Biaya Semula Usulan Disepakati (Rp)")] == sum(
        u.biaya or 0 for u in accepted
    )
