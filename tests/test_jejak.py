"""Jejak data (issue 10 item 6; spec/documents.md "One truth on every page").

Every document and xlsx of a region and year carries `Jejak data <12 hex>`, the digest of the
region's ledger state it was made from. Here: the digest itself (same state, same jejak, in
any ledger, whatever the ids and times; a changed usulan, decision, participant or stage
changes it), a kecamatan's flow to Kirim whose documents, workbooks and package all show the
ledger's jejak and whose package gives Bappeda's ledger the same jejak, and a template a
clerk restyled without the jejak that still prints it.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook

from pipeline.core.config import PdfSettings, Settings
from pipeline.core.jejak import found_in, label
from pipeline.core.models import (
    IdentitasDesa,
    IdentitasKecamatan,
    Peserta,
    Usulan,
    UsulanKecamatan,
)
from pipeline.core.standard import Keputusan, Tahap, TahapKecamatan
from pipeline.core.workspace import Workspace
from pipeline.desa.documents import produce_desa_documents
from pipeline.documents import render as docrender
from pipeline.documents.convert import Converter
from pipeline.documents.jejak_docx import footer_text
from pipeline.documents.xlsx_style import JEJAK_PROPERTY
from pipeline.ledger.jejak import desa_jejak, jejak, kecamatan_jejak
from pipeline.ledger.kecamatan import KecamatanLedger
from pipeline.ledger.store import Ledger
from tests import snapshots as S
from tests.conftest import HAS_SOFFICE, DemoRun, make_workspace
from tests.test_convert import resave_with_writer
from tests.test_paket_bappeda import register, run, to_kirim

KEC = "12.05.01"
KABUPATEN = "12.05"
DESA = ("12.05.01.2002", "12.05.01.2003")
HEX = re.compile(r"^[0-9a-f]{12}$")


def _usulan(n: int = 3, **change: object) -> list[Usulan]:
    out = []
    for i in range(n):
        u = Usulan(
            asal=f"Dusun {i + 1}",
            bidang="Pembangunan Desa",
            kegiatan=f"Rabat beton gang {i + 1}",
            lokasi="Dusun I",
            volume=Decimal(120 + i),
            satuan="m",
            biaya=100_000_000 + i * 1_000_000,
            sumber_dana="Dana Desa",
            prioritas=i + 1,
            keputusan=Keputusan.DITERIMA,
        )
        out.append(u.model_copy(update=change) if i == 0 else u)
    return out


def _fill(
    path: Path,
    *,
    at: str = "2026-11-20T10:00:00+07:00",
    input_id: int = 1,
    usulan: list[Usulan] | None = None,
    peserta_rows: bool = False,
    stage: Tahap = Tahap.VERIFIKASI,
    keputusan_kecamatan: Keputusan = Keputusan.DITERIMA,
) -> Ledger:
    """Two desa and their kecamatan at Rekap, written as the workflow writes them."""
    ledger = Ledger(path)
    kled = KecamatanLedger(ledger)
    peserta = [
        Peserta(row=12 + i if peserta_rows else None, nama=f"Peserta {i}", unsur="BPD")
        for i in range(4)
    ]
    with ledger.transaction() as db:
        for n, kode in enumerate(DESA):
            ident = IdentitasDesa(kode=kode, nama=f"Desa {n}", tahun=2027, tempat="Balai Desa")
            ledger.set_stage(
                db, region=kode, year=2027, level="desa", stage=stage, at=at,
                input_id=input_id, identitas=ident, peserta=peserta,
            )  # fmt: skip
            rows = usulan if usulan is not None and n == 0 else _usulan()
            if peserta_rows:  # the sheet rows they came from: not state
                rows = [u.model_copy(update={"row": 20 + i}) for i, u in enumerate(rows)]
            ledger.save_usulan(
                db, region=kode, year=2027, usulan=rows, at=at, input_id=input_id, file="bk.xlsx"
            )
        kled.set_stage(
            db, region=KEC, year=2027, stage=TahapKecamatan.REKAP, at=at, input_id=input_id,
            identitas=IdentitasKecamatan(kode=KEC, nama="Bahorok", tahun=2027),
        )  # fmt: skip
        decided = [
            UsulanKecamatan(
                kode_usulan=f"{DESA[0]}-2027-000{i + 1}",
                kegiatan=f"Rabat beton gang {i + 1}",
                biaya=100_000_000,
                keputusan=keputusan_kecamatan if i == 0 else Keputusan.DITERIMA,
                opd_tujuan="Dinas PUPR",
                prioritas=i + 1,
            )
            for i in range(2)
        ]
        upt = UsulanKecamatan(asal="UPT Puskesmas", kegiatan="Posyandu", biaya=25_000_000)
        kled.save_usulan(
            db, region=KEC, year=2027, usulan=[*decided, upt], at=at, input_id=input_id,
            file="kec.xlsx",
        )  # fmt: skip
    return ledger


def _all(ledger: Ledger) -> tuple[dict[str, str], str, str]:
    return (
        desa_jejak(ledger.db, KEC, 2027),
        jejak(ledger.db, KEC, 2027),
        jejak(ledger.db, "12.05", 2027),
    )


def test_same_state_same_jejak_whatever_ids_times_and_sheet_rows(tmp_path: Path) -> None:
    first = _fill(tmp_path / "a.db")
    again = _all(first)
    assert again == _all(first)  # read twice
    desa, kec, kab = again
    assert set(desa) == set(DESA)
    assert all(HEX.match(j) for j in (*desa.values(), kec, kab))
    assert len({*desa.values(), kec, kab}) == 4  # each region its own
    # another ledger: other times, other input ids, the values' sheet rows recorded
    other = Ledger(tmp_path / "b.db")
    other.db.execute(
        "INSERT INTO tahap_riwayat (region, year, to_stage, at) VALUES ('x', 1, 'y', 'z')"
    )
    other.close()
    second = _fill(
        tmp_path / "b.db", at="2026-12-01T08:00:00+07:00", input_id=41, peserta_rows=True
    )
    assert _all(second) == again
    assert jejak(second.db, DESA[0], 2027) == desa[DESA[0]]
    assert kecamatan_jejak(second.db, "12.05", 2027) == {KEC: kec}


@pytest.mark.parametrize(
    "change",
    [
        {"usulan": _usulan(biaya=100_000_001)},
        {"usulan": _usulan(keputusan=Keputusan.DITOLAK)},
        {"usulan": _usulan(keputusan=Keputusan.REVISI, biaya_disepakati=90_000_000)},
        {"usulan": _usulan(prioritas=9)},
        {"usulan": _usulan(4)},
        {"stage": Tahap.KIRIM},
    ],
    ids=["biaya", "ditolak", "revisi", "prioritas", "usulan-baru", "tahap"],
)
def test_a_changed_desa_state_changes_its_jejak_and_its_kecamatans(
    tmp_path: Path, change: dict[str, object]
) -> None:
    desa, kec, kab = _all(_fill(tmp_path / "a.db"))
    desa2, kec2, kab2 = _all(_fill(tmp_path / "b.db", **change))  # type: ignore[arg-type]
    assert desa2[DESA[0]] != desa[DESA[0]]
    if "stage" not in change:
        assert desa2[DESA[1]] == desa[DESA[1]]  # the other desa did not change
    assert kec2 != kec and kab2 != kab


def test_a_kecamatan_decision_changes_the_kecamatan_not_the_desa(tmp_path: Path) -> None:
    desa, kec, kab = _all(_fill(tmp_path / "a.db"))
    desa2, kec2, kab2 = _all(_fill(tmp_path / "b.db", keputusan_kecamatan=Keputusan.DITOLAK))
    assert desa2 == desa
    assert kec2 != kec and kab2 != kab


def test_a_region_without_data_has_a_jejak_too(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "kosong.db")
    assert HEX.match(jejak(ledger.db, "12.05.01.2001", 2027))
    assert jejak(ledger.db, "12.05.01.2001", 2027) != jejak(ledger.db, "12.05.01.2001", 2028)
    assert HEX.match(jejak(ledger.db, KEC, 2027))
    with pytest.raises(ValueError):
        jejak(ledger.db, "bukan-kode", 2027)
    assert found_in(f"x {label('0123456789ab')} y") == ["0123456789ab"]


# ----------------------------------------------------------------------------- documents


def _pages(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\f")[:-1] or [done.stdout]


def _xlsx_jejak(path: Path) -> set[str]:
    """The jejak of a workbook: its custom property and every sheet's print footer."""
    wb = load_workbook(path)
    props = {p.value for p in wb.custom_doc_props.props if p.name == JEJAK_PROPERTY}
    footers = {j for ws in wb.worksheets for j in found_in(ws.oddFooter.left.text or "")}
    assert len(props) == 1 and footers == props, (path.name, props, footers)
    return props


def _region_of(path: Path, root: Path) -> str:
    """outbox/<kecamatan>/<desa>/<year>/…: the desa; outbox/<kecamatan>/<year>/… or a
    package unpacked at Bappeda (outbox/paket/<kecamatan>/<year>/…): the kecamatan."""
    parts = path.relative_to(root).parts
    if parts[0] == "paket":
        return parts[1].split()[0]
    return parts[1].split()[0] if len(parts) == 4 else parts[0].split()[0]


def _rekap_jejak(root: Path) -> dict[str, str]:
    """Kode Kecamatan -> Jejak Data of the kabupaten Rekap's per-kecamatan sheet."""
    [rekap] = (root / "outbox").glob("Rekap Usulan Musrenbang *.xlsx")
    rows = list(load_workbook(rekap)["Per Kecamatan"].iter_rows(values_only=True))
    head = next(i for i, row in enumerate(rows) if row and row[0] == "Kode Kecamatan")
    col = rows[head].index("Jejak Data")
    return {
        str(row[0]): row[col]
        for row in rows[head + 1 :]
        if row and row[0] and str(row[0]).count(".") == 2 and row[col]
    }


def documents_agree_with_ledger(root: Path, year: int) -> dict[str, set[str]]:
    """Every document of the workspace's outbox read back (PDF pages by pdftotext, docx
    footers, xlsx property and print footer): each shows the jejak its region has in the
    workspace's ledger now. Returns region -> the documents read."""
    db = sqlite3.connect(root / "musrenbang.db")
    db.row_factory = sqlite3.Row
    outbox = root / "outbox"
    read: dict[str, set[str]] = {}
    for path in sorted(outbox.rglob("*")):
        rel = path.relative_to(outbox)
        if rel.parts[0] == "tanda-terima" or not path.is_file():
            continue
        if len(rel.parts) == 1:  # the kabupaten's Rekap and Pemantauan (xlsx, html)
            want = jejak(db, KABUPATEN, year)
            if path.suffix == ".xlsx":
                assert _xlsx_jejak(path) == {want}, path.name
            elif path.suffix == ".html":
                assert found_in(path.read_text(encoding="utf-8")) == [want], path.name
            else:
                continue  # a key file
            read.setdefault(KABUPATEN, set()).add(path.name)
            continue
        if path.name.startswith(("Buku Kerja", "Manifest Dokumen")) or path.suffix not in (
            ".pdf",
            ".docx",
            ".xlsx",
        ):
            continue  # the operator's working copy, the list of supporting files
        region = _region_of(path, outbox)
        want = jejak(db, region, year)
        if path.suffix == ".pdf":
            pages = _pages(path)
            shown = [found_in(p) for p in pages]
            if "(ditandatangani)" in path.name:  # scans, then the rendered PDFs
                rendered = [
                    p for p in path.parent.glob("*.pdf") if "(ditandatangani)" not in p.name
                ]
                assert any(shown) or not rendered, path.name
            else:  # every page at its foot
                assert all(shown), (path.name, [i + 1 for i, s in enumerate(shown) if not s])
            assert {j for s in shown for j in s} <= {want}, (path.name, want)
        elif path.suffix == ".docx":
            assert found_in(footer_text(docx.Document(str(path)))) == [want], path.name
        else:
            assert _xlsx_jejak(path) == {want}, path.name
        read.setdefault(region, set()).add(path.name)
    db.close()
    return read


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) tidak terpasang")
def test_every_document_of_the_demo_shows_its_regions_jejak(demo_run: DemoRun) -> None:
    assert demo_run.code == 0
    read = documents_agree_with_ledger(demo_run.root, 2027)
    # every desa that held its musrenbang, and the kecamatan (letters, Rekap, Berita Acara,
    # Daftar Hadir, Surat Pengantar and their xlsx)
    assert {"12.05.01.2002", "12.05.01.2003", "12.05.01.1001", KEC} <= set(read)
    kinds = {name.split(" Musrenbang")[0] for names in read.values() for name in names}
    assert {
        "Daftar Hadir", "Berita Acara", "Kompilasi Usulan", "Lampiran Foto", "Rekap Usulan",
        "Surat Pengantar", "Surat Pemberitahuan", "Dokumen",
    } <= kinds  # fmt: skip
    # the second kecamatan's workspace, and Bappeda that merged both packages: the same
    # jejak in its ledger, on the kecamatan documents it unpacked
    salapian = demo_run.root / "salapian"
    assert "12.05.02" in documents_agree_with_ledger(salapian, 2027)
    bappeda = demo_run.root / "bappeda"
    assert {KEC, "12.05.02"} <= set(documents_agree_with_ledger(bappeda, 2027))
    with (
        sqlite3.connect(demo_run.root / "musrenbang.db") as a,
        sqlite3.connect(salapian / "musrenbang.db") as c,
        sqlite3.connect(bappeda / "musrenbang.db") as b,
    ):
        a.row_factory = b.row_factory = c.row_factory = sqlite3.Row
        held = kecamatan_jejak(b, "12.05", 2027)
        assert held == {**kecamatan_jejak(a, "12.05", 2027), **kecamatan_jejak(c, "12.05", 2027)}
        assert set(held) == {KEC, "12.05.02"}
        assert _rekap_jejak(bappeda) == held  # the kabupaten Rekap lists them
        assert desa_jejak(b, KEC, 2027) == desa_jejak(a, KEC, 2027)


def test_kirim_package_carries_the_jejak_bappeda_computes_after_the_merge(
    tmp_path: Path,
) -> None:
    kec_ws = make_workspace(tmp_path / "kecamatan")
    package = to_kirim(kec_ws, tmp_path)
    read = documents_agree_with_ledger(kec_ws.root, 2027)  # docx and xlsx (no LibreOffice)
    assert {"12.05.01.2002", "12.05.01.2003", KEC} <= set(read)
    with sqlite3.connect(kec_ws.root / "musrenbang.db") as db:
        db.row_factory = sqlite3.Row
        own = jejak(db, KEC, 2027)
    with zipfile.ZipFile(package) as zf:
        assert json.loads(zf.read("manifest.json"))["jejak"] == own
        assert json.loads(zf.read("data/kecamatan.json"))["jejak"] == own
    bappeda = make_workspace(tmp_path / "bappeda")
    register(bappeda, kec_ws)
    shutil.copyfile(package, bappeda.inbox / package.name)
    [r] = run(bappeda).receipts
    assert r.status.value == "accepted", r.issues
    with sqlite3.connect(bappeda.root / "musrenbang.db") as db:
        db.row_factory = sqlite3.Row
        assert jejak(db, KEC, 2027) == own
    read = documents_agree_with_ledger(bappeda.root, 2027)
    assert len(read[KABUPATEN]) == 3  # the Rekap, the Pemantauan xlsx and its page
    # the kabupaten Rekap lists the jejak of the kecamatan's data it counted
    assert _rekap_jejak(bappeda.root) == {KEC: own}


# ----------------------------------------------------------------------------- restyled


def _without_jejak(source: Path, target: Path, *, no_footer: bool) -> Path:
    """A clerk's restyle: the jejak taken out of the footer line, or the footer deleted."""
    doc = docx.Document(str(source))
    for section in doc.sections:
        if no_footer:
            sect = section._sectPr
            for ref in sect.findall(qn("w:footerReference")):
                sect.remove(ref)
        else:
            for p in section.footer.paragraphs:
                for r in p.runs:
                    if "jejak" in r.text:
                        r._r.getparent().remove(r._r)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target


@pytest.mark.libreoffice
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) tidak terpasang")
def test_a_restyled_template_without_the_jejak_still_prints_it(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    staged = tmp_path / "diubah"
    builtin = docrender.BUILTIN_TEMPLATES
    edited = [
        _without_jejak(builtin / "daftar-hadir-desa.docx", staged / "daftar-hadir-desa.docx",
                       no_footer=False),
        _without_jejak(builtin / "berita-acara-desa.docx", staged / "berita-acara-desa.docx",
                       no_footer=True),
        _without_jejak(builtin / "kompilasi-usulan-desa.docx",
                       staged / "kompilasi-usulan-desa.docx", no_footer=False),
    ]  # fmt: skip
    # opened and saved again in Writer, as the clerk's copy would be
    saved = resave_with_writer(edited, tmp_path / "writer", tmp_path / "profil")
    ws.templates.mkdir(parents=True, exist_ok=True)
    for path in saved:
        assert "jejak" not in docrender.template_variables(path), path.name
        shutil.copyfile(path, ws.templates / path.name)
    snap = S.realistic()
    assert HEX.match(snap.jejak)
    with Converter(PdfSettings(pekerja=1), tmp_path / "runtime") as conv:
        result = produce_desa_documents(ws, Settings(), snap, conv)
    assert result.issues == []
    folder = ws.outbox_desa(snap.kecamatan, snap.desa, snap.tahun)
    for key in ("Daftar Hadir", "Berita Acara", "Kompilasi Usulan"):
        stem = f"{key} Musrenbang Desa {snap.desa.nama} {snap.tahun}"
        assert found_in(footer_text(docx.Document(str(folder / f"{stem}.docx")))) == [snap.jejak]
        pages = _pages(folder / f"{stem}.pdf")
        assert pages and all(found_in(p) == [snap.jejak] for p in pages), stem
