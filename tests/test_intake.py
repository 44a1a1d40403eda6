"""Desa intake end to end: real workbooks dropped into a real workspace, one pass at a time."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pipeline.cli import main
from pipeline.core.receipts import Receipt
from pipeline.core.workspace import Workspace
from pipeline.run.batch import PassResult
from pipeline.scans.samples import make_scan
from tests.conftest import desa_inbox
from tests.workbooks import USULAN, identitas_cell, make_desa_workbook, set_cells, usulan_cell

BK = "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx"
RECEIPT_KEYS = {
    "file", "sha256", "received_at", "status", "kind", "region", "year", "stage", "issues",
    "outputs", "archived_as",
}  # fmt: skip

Run = Callable[[], PassResult]


def drop(ws: Workspace, tmp: Path, kode: str = "12.05.01.2002", name: str = BK, **kw) -> Path:
    """Make a workbook outside the inbox (or reuse the last one), then copy it in."""
    src = tmp / "src" / name
    src.parent.mkdir(parents=True, exist_ok=True)
    if kw or not src.exists():
        make_desa_workbook(src, **kw)
    target = desa_inbox(ws, kode) / name
    shutil.copyfile(src, target)
    return target


def current(ws: Workspace) -> Path:
    return ws.outbox / "12.05.01 Bahorok" / "12.05.01.2002 Lau Damak" / "2027" / BK


def only(result: PassResult) -> Receipt:
    assert len(result.receipts) == 1, result.receipts
    return result.receipts[0]


def receipts_on_disk(ws: Workspace) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(ws.receipts.glob("*.json"))]


def test_workbook_goes_from_persiapan_to_verifikasi(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    r = only(run())
    assert (r.status.value, r.stage, r.region, r.year) == (
        "accepted",
        "Persiapan",
        "12.05.01.2002",
        2027,
    )
    assert any(o.endswith("Daftar Hadir Musrenbang Desa Lau Damak 2027.docx") for o in r.outputs)
    assert not list(workspace.inbox.rglob("*.xlsx")), "the input leaves the inbox"

    # Pelaksanaan: usulan without decisions get Kode Usulan, top to bottom
    undecided = [
        {**u, "Prioritas": None, "Keputusan": None, "Catatan Keputusan": None} for u in USULAN
    ]
    drop(workspace, tmp_path, tahap="Pelaksanaan", usulan=undecided)
    r = only(run())
    assert (r.status.value, r.stage) == ("accepted", "Pelaksanaan"), r.issues
    wb = load_workbook(current(workspace))
    kode = [wb["Usulan"][usulan_cell("Kode Usulan", n)].value for n in range(1, 6)]
    assert kode == [f"12.05.01.2002-2027-{n:04d}" for n in range(1, 6)]
    assert wb["Identitas"][identitas_cell("Tahap")].value == "Pelaksanaan"

    # Verifikasi: the operator continues from the current workbook and adds decisions
    nxt = tmp_path / "verifikasi" / BK
    nxt.parent.mkdir()
    shutil.copyfile(current(workspace), nxt)
    cells = {identitas_cell("Tahap"): "Verifikasi", identitas_cell("Pimpinan Rapat"): "Syahrial Ginting",
             identitas_cell("Notulen"): "Sri Wahyuni", identitas_cell("Jumlah Peserta Laki-laki"): 6,
             identitas_cell("Jumlah Peserta Perempuan"): 4}  # fmt: skip
    set_cells(nxt, "Identitas", cells)
    decisions = {}
    for n, u in enumerate(USULAN, start=1):
        for label in ("Prioritas", "Keputusan", "Catatan Keputusan"):
            decisions[usulan_cell(label, n)] = u[label]
    set_cells(nxt, "Usulan", decisions)
    shutil.copyfile(nxt, desa_inbox(workspace) / BK)
    r = only(run())
    assert (r.status.value, r.stage) == ("accepted", "Verifikasi"), r.issues
    names = {Path(o).name for o in r.outputs}
    assert "Berita Acara Musrenbang Desa Lau Damak 2027.docx" in names
    assert "Kompilasi Usulan Musrenbang Desa Lau Damak 2027.xlsx" in names
    # same Kode Usulan, no new ones
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    assert db.execute("SELECT COUNT(*) FROM usulan").fetchone()[0] == 5
    history = db.execute(
        "SELECT field, old, new FROM usulan_riwayat WHERE kode = '12.05.01.2002-2027-0002'"
        " AND field = 'keputusan'"
    ).fetchall()
    assert history == [("keputusan", None, "Diterima dengan Revisi")]
    stages = [row[0] for row in db.execute("SELECT to_stage FROM tahap_riwayat ORDER BY id")]
    assert stages == ["Persiapan", "Pelaksanaan", "Verifikasi"]


def test_receipt_has_every_field_and_a_text_twin(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    run()
    [data] = receipts_on_disk(workspace)
    assert set(data) == RECEIPT_KEYS
    assert data["received_at"].endswith("+07:00")
    assert data["archived_as"].startswith("arsip/") and "\\" not in data["archived_as"]
    assert (workspace.root / data["archived_as"]).read_bytes()[:2] == b"PK"
    stem = next(workspace.receipts.glob("*.json")).stem
    text = (workspace.receipts / f"{stem}.txt").read_text()
    assert "DITERIMA" in text and "Lau Damak" in text
    region_copy = current(workspace).parent / "tanda-terima" / f"{stem}.json"
    assert json.loads(region_copy.read_text()) == data


def test_identical_redrop_is_duplicate_and_does_no_work(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    assert only(run()).status.value == "accepted"
    before = current(workspace).stat().st_mtime_ns
    drop(workspace, tmp_path)  # the very same bytes
    result = run()
    r = only(result)
    assert (r.status.value, r.issues, r.outputs) == ("duplicate", [], [])
    assert result.exit_code == 0
    assert current(workspace).stat().st_mtime_ns == before
    assert len(list(workspace.arsip.rglob("*.xlsx"))) == 2, "a duplicate is archived too"


def test_rejected_file_is_examined_again(workspace: Workspace, run: Run, tmp_path: Path) -> None:
    bad = [{**USULAN[0], "Perkiraan Biaya (Rp)": "Rp 15 jt"}]
    drop(workspace, tmp_path, tahap="Pelaksanaan", usulan=bad)
    first = run()
    r = only(first)
    assert r.status.value == "rejected" and first.exit_code == 1
    issue = next(i for i in r.issues if i.code == "biaya-tidak-valid")
    assert (issue.sheet, issue.cell, issue.column) == (
        "Usulan",
        usulan_cell("Perkiraan Biaya (Rp)", 1),
        "Perkiraan Biaya (Rp)",
    )
    perbaiki = current(workspace).with_name(
        "Buku Kerja Musrenbang Desa Lau Damak 2027 (perbaiki).xlsx"
    )
    marked = load_workbook(perbaiki)["Usulan"][issue.cell]
    assert marked.comment is not None and "rupiah" in marked.comment.text
    drop(workspace, tmp_path)
    assert only(run()).status.value == "rejected"


def test_workbook_in_another_desa_folder_is_rejected(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, kode="12.05.01.2003", tahap="Persiapan", usulan=[], peserta=[])
    r = only(run())
    assert "wilayah-tidak-cocok" in [i.code for i in r.issues]
    assert r.status.value == "rejected"


def test_workbook_anywhere_in_inbox_is_accepted(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    src = make_desa_workbook(tmp_path / BK, tahap="Persiapan", usulan=[], peserta=[])
    shutil.copyfile(src, workspace.inbox / BK)
    assert only(run()).status.value == "accepted"


def test_recorded_usulan_cannot_disappear(workspace: Workspace, run: Run, tmp_path: Path) -> None:
    undecided = [
        {**u, "Prioritas": None, "Keputusan": None, "Catatan Keputusan": None} for u in USULAN
    ]
    drop(workspace, tmp_path, tahap="Pelaksanaan", usulan=undecided)
    assert only(run()).status.value == "accepted"
    fewer = tmp_path / "fewer.xlsx"
    shutil.copyfile(current(workspace), fewer)
    wb = load_workbook(fewer)
    wb["Usulan"].delete_rows(4)  # the operator deletes the second usulan
    wb.save(fewer)
    shutil.copyfile(fewer, desa_inbox(workspace) / BK)
    r = only(run())
    assert [i.code for i in r.issues if i.severity.value == "error"] == ["usulan-hilang"]
    assert "12.05.01.2002-2027-0002" in r.issues[0].message


def test_kirim_locks_and_unlock_reopens(workspace: Workspace, run: Run, tmp_path: Path) -> None:
    drop(workspace, tmp_path, tahap="Verifikasi")
    assert only(run()).stage == "Verifikasi"
    # the Kirim workbook keeps the Kode Usulan the ledger gave out
    kirim = tmp_path / "kirim.xlsx"
    shutil.copyfile(current(workspace), kirim)
    set_cells(kirim, "Identitas", {identitas_cell("Tahap"): "Kirim"})
    shutil.copyfile(kirim, desa_inbox(workspace) / BK)
    r = only(run())
    assert [i.code for i in r.issues if i.severity.value == "error"] == ["pindaian-belum-ada"]
    scans = desa_inbox(workspace) / "pindaian"
    make_scan(scans / "berita-acara" / "ba.jpg", "BERITA ACARA", fmt="jpg")
    make_scan(scans / "daftar-hadir" / "dh.pdf", "DAFTAR HADIR", fmt="pdf")
    shutil.copyfile(kirim, desa_inbox(workspace) / BK)
    result = run()
    kinds = [(x.kind.value, x.status.value) for x in result.receipts]
    assert kinds == [("scan", "accepted"), ("scan", "accepted"), ("workbook-desa", "accepted")]
    r = result.receipts[-1]
    assert r.stage == "Kirim"
    assert "terlambat" in [i.code for i in r.issues]  # Musrenbang 13-01-2026, received now
    signed = current(workspace).with_name(
        "Dokumen Musrenbang Desa Lau Damak 2027 (ditandatangani).pdf"
    )
    assert signed.exists()

    # after Kirim nothing moves: a scan and a changed workbook are both refused
    set_cells(kirim, "Identitas", {identitas_cell("Tahap"): "Verifikasi"})
    shutil.copyfile(kirim, desa_inbox(workspace) / BK)
    make_scan(scans / "berita-acara" / "ba2.jpg", "BERITA ACARA", fmt="jpg")
    result = run()
    codes = [[i.code for i in x.issues] for x in result.receipts]
    assert codes == [["sudah-dikirim"], ["sudah-dikirim"]]

    assert (
        main(
            [
                "unlock",
                "12.05.01.2002",
                "--tahun",
                "2027",
                "--alasan",
                "Salah volume",
                "--root",
                str(workspace.root),
            ]
        )
        == 0
    )
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    assert db.execute("SELECT stage FROM tahap").fetchone()[0] == "Verifikasi"
    assert db.execute("SELECT COUNT(*) FROM audit WHERE action = 'unlock'").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE audit SET action = 'x'")


def test_lock_files_are_never_inputs_and_defer_their_workbook(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    target = drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    lock = target.with_name(".~lock." + target.name + "#")
    lock.write_text("operator,PC-DESA,01.01.2026 10:00,")
    (target.parent / "~$lain.xlsx").write_bytes(b"\x00" * 162)
    result = run()
    assert result.receipts == [] and result.deferred == 1
    assert target.exists()
    lock.unlink()
    assert only(run()).status.value == "accepted"
    assert (target.parent / "~$lain.xlsx").exists(), "lock files are left alone"


@pytest.mark.parametrize("name", ["usulan.xls", "usulan.ods", "usulan.csv"])
def test_other_spreadsheet_formats_get_a_receipt(workspace: Workspace, run: Run, name: str) -> None:
    (desa_inbox(workspace) / name).write_bytes(b"kode,nama\n1,2\n")
    result = run()
    r = only(result)
    assert (r.status.value, [i.code for i in r.issues]) == ("rejected", ["format-tidak-didukung"])
    assert "xlsx" in r.issues[0].message and result.exit_code == 1


def test_unknown_file_and_misplaced_scan_get_receipts(workspace: Workspace, run: Run) -> None:
    (desa_inbox(workspace) / "catatan.txt").write_text("halo")
    (workspace.inbox / "pindaian").mkdir()
    make_scan(workspace.inbox / "pindaian" / "ba.jpg", "BA", fmt="jpg")
    codes = sorted(c for r in run().receipts for c in (i.code for i in r.issues))
    assert codes == ["jenis-berkas-tidak-dikenal", "lokasi-berkas-salah"]


def test_killed_after_commit_is_finished_by_next_pass(workspace: Workspace, tmp_path: Path) -> None:
    """Simulate a crash between the ledger commit and the outputs/receipt."""
    from pipeline.core.config import load_settings
    from pipeline.core.wilayah import load_wilayah
    from pipeline.ledger.store import Ledger
    from pipeline.run import inbox
    from pipeline.run.batch import Batch, run_pass

    path = drop(workspace, tmp_path, tahap="Pelaksanaan")
    settings = load_settings(workspace.root)
    ledger = Ledger(settings.database_path(workspace.root))
    batch = Batch(workspace, settings, load_wilayah(workspace.wilayah_file), ledger, None, print)
    claim = inbox.claim(workspace, path)
    assert claim is not None
    row = batch.journal(claim)
    archived = workspace.root / row.archived_as
    archived.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(claim.path, archived)
    batch.examine(archived, row)  # ledger committed ... and then the process dies
    ledger.close()
    assert not list(workspace.receipts.glob("*.json"))

    result = run_pass(workspace, settings)
    r = only(result)
    assert r.status.value == "accepted" and r.stage == "Pelaksanaan"
    assert len(list(workspace.receipts.glob("*.json"))) == 1
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    assert db.execute("SELECT COUNT(*) FROM usulan").fetchone()[0] == 5
    assert db.execute("SELECT COUNT(*) FROM inputs WHERE done = 0").fetchone()[0] == 0
    assert not list(workspace.claims.rglob("*.xlsx"))
    assert run_pass(workspace, settings).receipts == []


def test_run_exit_codes_and_status(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(workspace.root)
    assert main(["run", "--root", root]) == 0
    drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    assert main(["--root", root, "run"]) == 0
    (desa_inbox(workspace) / "x.xls").write_bytes(b"junk")
    assert main(["run", "--root", root]) == 1
    capsys.readouterr()
    assert main(["status", "--root", root]) == 0
    out = capsys.readouterr().out
    assert "Lau Damak" in out and "Persiapan" in out and "Timbang Lawan" in out


def test_unknown_settings_key_is_exit_2(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = workspace.root / "musrenbang.toml"
    toml.write_text(toml.read_text() + "\n[pdf2]\nx = 1\n")
    assert main(["run", "--root", str(workspace.root)]) == 2
    assert "pdf2" in capsys.readouterr().err


def test_issued_workbooks(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(workspace.root)
    assert main(["workbook", "desa", "12.05.01.1001", "--tahun", "2027", "--root", root]) == 0
    path = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert path.name == "Buku Kerja Musrenbang Kelurahan Pekan Bahorok 2027.xlsx"
    ident = load_workbook(path)["Identitas"]
    assert ident[identitas_cell("Kode Desa/Kelurahan")].value == "12.05.01.1001"
    assert main(["workbook", "semua", "--tahun", "2027", "--root", root]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 3
    assert main(["workbook", "desa", "99.99.99.2999", "--tahun", "2027", "--root", root]) == 2


def test_repeated_internal_error_ends_in_a_receipt(
    workspace: Workspace, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug that hits one input: retried by later passes, then a galat-internal receipt."""
    from pipeline.run.route import Stages

    def broken(self: Stages, path: Path, row: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(Stages, "examine", broken)
    drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    for _ in range(2):
        result = run()
        assert result.exit_code == 3 and result.receipts == []
    assert len(list(workspace.claims.rglob("*.xlsx"))) == 1, "kept claimed for a retry"
    result = run()
    r = only(result)
    assert (r.status.value, [i.code for i in r.issues]) == ("rejected", ["galat-internal"])
    assert (workspace.root / r.archived_as).exists()
    assert not list(workspace.claims.rglob("*.xlsx"))
    assert run().receipts == []
    assert "simulated bug" in (workspace.runtime / "logs" / "pipeline.log").read_text()


def test_supporting_documents_get_a_manifest_and_photo_lampiran(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    run()
    dokumen = desa_inbox(workspace) / "dokumen"
    make_scan(dokumen / "foto" / "suasana rapat.jpg", "FOTO", fmt="jpg", exif_orientation=6)
    make_scan(dokumen / "undangan" / "undangan.pdf", "UNDANGAN", fmt="pdf")
    (dokumen / "foto" / "bukan foto.jpg").write_bytes(b"this is not a jpeg")
    (dokumen / "video" / "rapat.exe").write_bytes(b"MZ....")
    result = run()
    by_name = {r.file: r for r in result.receipts}
    assert by_name["suasana rapat.jpg"].status.value == "accepted"
    assert by_name["undangan.pdf"].status.value == "accepted"
    assert [i.code for i in by_name["bukan foto.jpg"].issues] == ["gambar-rusak"]
    assert by_name["rapat.exe"].status.value == "rejected"
    folder = current(workspace).parent
    manifest = json.loads(
        (folder / "Manifest Dokumen Musrenbang Desa Lau Damak 2027.json").read_text()
    )
    entries = manifest["dokumen"]
    assert sorted(e["nama_asli"] for e in entries) == ["suasana rapat.jpg", "undangan.pdf"]
    assert (folder / "Manifest Dokumen Musrenbang Desa Lau Damak 2027.xlsx").exists()
    lampiran = folder / "Lampiran Foto Musrenbang Desa Lau Damak 2027.pdf"
    (page,) = PdfReader(lampiran).pages
    text = " ".join(page.extract_text().split())
    # a real document: the desa, the caption from the file name, when it came (no EXIF date)
    assert "Musrenbang Desa Lau Damak, Kecamatan Bahorok, Kabupaten Langkat" in text
    assert "Foto 1. Suasana rapat" in text and "Berkas: suasana rapat.jpg" in text
    assert "Waktu pengambilan tidak tercatat; diterima" in text
    assert "Tahun Rencana 2027, Selasa, 13 Januari 2026" in text  # the musrenbang it documents


def test_scan_before_any_workbook_waits_for_the_first_year(workspace: Workspace, run: Run) -> None:
    scans = desa_inbox(workspace) / "pindaian" / "berita-acara"
    make_scan(scans / "ba.jpg", "BERITA ACARA", fmt="jpg")
    r = only(run())
    assert (r.status.value, [i.code for i in r.issues], r.year) == (
        "accepted",
        ["belum-ada-buku-kerja"],
        None,
    )


def test_receipt_names_never_clash(workspace: Workspace, run: Run) -> None:
    from pipeline.core.receipts import clash_free

    taken = {"20261122-091502-a.xlsx", "20261122-091502-a.xlsx (2)"}
    assert clash_free("20261122-091502-a.xlsx", taken.__contains__) == "20261122-091502-a.xlsx (3)"
    for kode in ("12.05.01.2002", "12.05.01.2003", "12.05.01.1001"):
        (desa_inbox(workspace, kode) / "usulan.xls").write_bytes(b"old excel")
    result = run()
    assert len(result.receipts) == 3
    assert len(list(workspace.receipts.glob("*.json"))) == 3
    assert len(list(workspace.receipts.glob("*.txt"))) == 3


def test_first_drop_can_go_straight_to_kirim_with_its_scans(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    """Workbook, both signed scans and a photo in one drop, Tahap Kirim at once."""
    src = make_desa_workbook(tmp_path / BK, tahap="Kirim")
    shutil.copyfile(src, desa_inbox(workspace) / BK)
    make_scan(desa_inbox(workspace) / "pindaian" / "berita-acara" / "ba.jpg", "BA", fmt="jpg")
    make_scan(desa_inbox(workspace) / "pindaian" / "daftar-hadir" / "dh.pdf", "DH", fmt="pdf")
    make_scan(desa_inbox(workspace) / "dokumen" / "foto" / "rapat.jpg", "FOTO", fmt="jpg")
    (workspace.tmp / "dokumen-left-by-a-crash").mkdir(parents=True)
    result = run()
    assert sorted((r.kind.value, r.status.value) for r in result.receipts) == [
        ("document", "accepted"),
        ("scan", "accepted"),
        ("scan", "accepted"),
        ("workbook-desa", "accepted"),
    ]
    assert result.receipts[-1].stage == "Kirim"
    folder = current(workspace).parent
    assert (folder / "Dokumen Musrenbang Desa Lau Damak 2027 (ditandatangani).pdf").exists()
    assert (folder / "Lampiran Foto Musrenbang Desa Lau Damak 2027.pdf").exists()
    assert not (workspace.tmp / "dokumen-left-by-a-crash").exists()


def test_unreadable_file_in_a_desa_folder_is_filed_under_its_open_year(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, tahap="Persiapan", usulan=[], peserta=[])
    run()
    (desa_inbox(workspace) / "rusak.xlsx").write_bytes(b"not a zip at all")
    r = only(run())
    assert (r.status.value, r.region, r.year, r.stage) == (
        "rejected",
        "12.05.01.2002",
        2027,
        "Persiapan",
    )
    copies = list((current(workspace).parent / "tanda-terima").glob("*rusak.xlsx.json"))
    assert len(copies) == 1


def test_moving_back_takes_stale_documents_out_of_outbox(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, tahap="Verifikasi")
    run()
    folder = current(workspace).parent
    berita = folder / "Berita Acara Musrenbang Desa Lau Damak 2027.docx"
    assert berita.exists()
    back = tmp_path / "back.xlsx"
    shutil.copyfile(current(workspace), back)
    set_cells(back, "Identitas", {identitas_cell("Tahap"): "Pelaksanaan"})
    shutil.copyfile(back, desa_inbox(workspace) / BK)
    assert only(run()).stage == "Pelaksanaan"
    assert not berita.exists()
    assert not (folder / "Kompilasi Usulan Musrenbang Desa Lau Damak 2027.xlsx").exists()
    assert (folder / "Daftar Hadir Musrenbang Desa Lau Damak 2027.docx").exists()


def test_same_scan_under_another_name_is_a_duplicate(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    drop(workspace, tmp_path, tahap="Verifikasi")
    run()
    src = make_scan(tmp_path / "ba.jpg", "BA", fmt="jpg")
    folder = desa_inbox(workspace) / "pindaian" / "berita-acara"
    statuses = []
    for name in ("ba1.jpg", "ba1-lagi.jpg", "Berita ácara – tanda tangan (1).JPG"):
        shutil.copyfile(src, folder / name)
        statuses.append(only(run()).status.value)
    assert statuses == ["accepted", "duplicate", "duplicate"]


def test_kecamatan_scan_before_its_workbook_waits_for_the_year(
    workspace: Workspace, run: Run
) -> None:
    kec = workspace.inbox / "12.05.01 Bahorok" / "pindaian" / "rekap"
    kec.mkdir(parents=True, exist_ok=True)
    make_scan(kec / "rekap.pdf", "REKAP", fmt="pdf")
    (workspace.inbox / "12.05.01 Bahorok" / "dokumen" / "foto").mkdir(parents=True, exist_ok=True)
    make_scan(workspace.inbox / "12.05.01 Bahorok" / "dokumen" / "foto" / "f.jpg", "F", fmt="jpg")
    result = run()
    by_name = {r.file: r for r in result.receipts}
    r = by_name["rekap.pdf"]
    assert (r.status.value, [i.code for i in r.issues], r.region) == (
        "accepted",
        ["belum-ada-buku-kerja"],
        "12.05.01",
    )
    assert [i.code for i in by_name["f.jpg"].issues] == ["belum-tersedia"]


def test_run_then_recaps_for_the_kabupaten(workspace: Workspace, run: Run, tmp_path: Path) -> None:
    drop(workspace, tmp_path, tahap="Verifikasi")
    result = run()
    names = sorted(p.name for p in result.reports)
    assert names == [
        "Pemantauan Musrenbang Kabupaten Langkat 2027.html",
        "Pemantauan Musrenbang Kabupaten Langkat 2027.xlsx",
        "Rekap Usulan Musrenbang Kabupaten Langkat 2027.xlsx",
    ]
    assert all(p.parent == workspace.outbox for p in result.reports)
    assert "Lau Damak" in (workspace.outbox / names[0]).read_text(encoding="utf-8")


def test_desa_workbook_in_another_kecamatan_folder_is_refused(
    workspace: Workspace, run: Run, tmp_path: Path
) -> None:
    other = workspace.inbox / "12.05.02 Salapian"
    other.mkdir()
    (workspace.root / "wilayah.csv").write_text(
        (workspace.root / "wilayah.csv").read_text() + "12.05.02,Salapian\n"
    )
    src = make_desa_workbook(tmp_path / BK, tahap="Persiapan", usulan=[], peserta=[])
    shutil.copyfile(src, other / BK)
    shutil.copyfile(src, workspace.inbox / "12.05.01 Bahorok" / "salinan.xlsx")
    by_name = {r.file: r for r in run().receipts}
    assert "wilayah-tidak-cocok" in [i.code for i in by_name[BK].issues]
    assert by_name["salinan.xlsx"].status.value == "accepted"
