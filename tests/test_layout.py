"""The layout test (issue 12): every PDF read page by page as a Camat would read it.

Over every PDF the demo writes, a kelurahan's documents, documents whose lengths move their
signature blocks and totals across page ends, and documents rendered from templates that
LibreOffice Writer opened and saved again (a clerk's restyle): per page the text pdftotext
finds; no page whose only content is a signature block or a name; no signature block split
across pages; no word broken inside a table; no name in two signature blocks of one
document; at least 10 blank rows after the listed participants (tests/tools/layout_check.py
holds the rules). Real LibreOffice, real PDFs.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.core.config import PdfSettings, Settings
from pipeline.core.models import DesaSnapshot, KecamatanSnapshot, Peserta, Wilayah
from pipeline.core.standard import Tahap
from pipeline.core.workspace import Workspace
from pipeline.desa.documents import DOCUMENTS, produce_desa_documents
from pipeline.documents import render as docrender
from pipeline.documents.convert import Converter
from pipeline.documents.render import DocumentJob, produce_documents
from pipeline.kecamatan.documents import KECAMATAN_DOCUMENTS, produce_kecamatan_documents
from pipeline.scans.lampiran_foto import FotoLampiran, KepalaLampiran, build_lampiran_foto
from tests import snapshots as S
from tests.conftest import HAS_SOFFICE, DemoRun
from tests.test_convert import resave_with_writer
from tests.test_render_kecamatan import hostile as kecamatan_hostile
from tests.test_render_kecamatan import realistic as kecamatan_realistic
from tests.tools.layout_check import check_document, document_pairs, pdf_pages
from tests.tools.pdf_check import check_pdf, pdf_only

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) tidak terpasang"),
]


def problems_in(folder: Path, at_least: int) -> tuple[list[str], int]:
    """Every layout problem of the documents under `folder`, and the pages read."""
    pairs = document_pairs(folder)
    assert len(pairs) >= at_least, [p[1].name for p in pairs]
    problems: list[str] = []
    pages = 0
    for docx_path, pdf_path in pairs:
        problems += check_document(docx_path, pdf_path)
        read = pdf_pages(pdf_path)
        pages += len(read)
        # the text pdftotext finds on each page, kept beside the PDF for a reader
        pdf_path.with_suffix(".halaman.txt").write_text(
            "\n\n".join(f"--- halaman {p.number} ---\n{p.text}" for p in read), encoding="utf-8"
        )
    return problems, pages


# ----------------------------------------------------------------------------- the demo


def test_every_pdf_of_the_demo(demo_run: DemoRun) -> None:
    assert demo_run.code == 0
    problems, pages = problems_in(demo_run.root / "outbox", at_least=13)
    assert problems == []
    assert pages >= 25
    # the second kecamatan's workspace (Salapian: two desa, its own kop)
    problems, pages = problems_in(demo_run.root / "salapian" / "outbox", at_least=10)
    assert problems == []


def test_signed_pdfs_and_lampiran_foto_of_the_demo(demo_run: DemoRun) -> None:
    """The PDFs with no .docx behind them (tests/tools/pdf_check.py): every signed Dokumen
    Musrenbang (desa, kelurahan, kecamatan; both kecamatan of the demo) and every Lampiran
    Foto, page by page: A4, no empty page, each rendered document in it whole and in order
    with its page numbers and jejak; one or two captioned photos a page."""
    assert demo_run.code == 0
    pdfs = [
        p
        for folder in (demo_run.root / "outbox", demo_run.root / "salapian" / "outbox")
        for p in pdf_only(folder)
    ]
    names = [p.name for p in pdfs]
    assert sum("(ditandatangani)" in n for n in names) >= 4, names  # 3 desa + the kecamatan
    assert sum(n.startswith("Lampiran Foto") for n in names) >= 2, names
    assert any("Kelurahan" in n for n in names), names
    problems = [problem for pdf in pdfs for problem in check_pdf(pdf)]
    assert problems == []


def test_the_pdf_check_sees_a_lost_page_and_a_missing_jejak(
    demo_run: DemoRun, tmp_path: Path
) -> None:
    signed = next(
        (demo_run.root / "outbox").rglob("Dokumen Musrenbang Desa * (ditandatangani).pdf")
    )
    reader = PdfReader(str(signed))
    writer = PdfWriter()
    for page in reader.pages[:-1]:  # the Kompilasi's last page lost
        writer.add_page(page)
    short = tmp_path / signed.name
    with short.open("wb") as fh:
        writer.write(fh)
    assert any("tidak lengkap" in p for p in check_pdf(short))
    kepala = KepalaLampiran(
        judul="LAMPIRAN FOTO DOKUMENTASI", baris=("Desa Uji",), dokumen="Lampiran Foto Uji"
    )
    photos = [p for p in (demo_run.root / "arsip").rglob("*.jpg")][:3]
    assert photos
    bare = build_lampiran_foto(
        [
            FotoLampiran(path=p, judul=f"Foto uji {i}", waktu="Diambil", berkas=p.name)
            for i, p in enumerate(photos)
        ],
        tmp_path / "Lampiran Foto Uji.pdf",
        "A4",
        kepala,  # made without a jejak
    )
    assert any("tanpa jejak data" in p for p in check_pdf(bare))


# ----------------------------------------------------------------------------- variants


def _kelurahan() -> DesaSnapshot:
    snap = S.realistic(desa=S.KELURAHAN, n_usulan=12, n_peserta=20)
    peserta = [Peserta(nama="Ramlan Siregar", unsur="LPM", jabatan="Ketua LPM"), *snap.peserta]
    asal = ["Lingkungan I", "Lingkungan II", "Kelurahan", "LPM"]
    usulan = [u.model_copy(update={"asal": asal[i % 4]}) for i, u in enumerate(snap.usulan)]
    ident = snap.identitas.model_copy(update={"pimpinan_rapat": "Ramlan Siregar"})
    return snap.model_copy(update={"peserta": peserta, "usulan": usulan, "identitas": ident})


def _alamat(snap: DesaSnapshot, words: int) -> DesaSnapshot:
    """A longer address moves the signature grid of the berita acara down the page."""
    alamat = "Jl. Pendidikan No. 1, " + " ".join(["Dusun Lau Damak Hulu"] * words)
    ident = snap.identitas.model_copy(update={"alamat": alamat})
    return snap.model_copy(update={"identitas": ident})


ALL = None  # every document of the snapshot's stage


def desa_variants() -> dict[str, tuple[DesaSnapshot, set[str] | None]]:
    """Snapshots and the documents of theirs that the variation moves."""
    out: dict[str, tuple[DesaSnapshot, set[str] | None]] = {
        "kelurahan": (_kelurahan(), ALL),
        "hostile": (S.hostile(), ALL),  # markup, tags, odd Unicode, a 5000-character note
    }
    # the Daftar Hadir's last rows and its signature across the end of page 2
    for n in (0, 30, 34, 36, 37, 38, 44, 62):
        out[f"peserta-{n}"] = (S.realistic(tahap=Tahap.PERSIAPAN, n_peserta=n, seed=n), ALL)
    # the Lampiran I total and the kompilasi's total and signature across page ends
    for n in (1, 9, 14, 20, 27):
        snap = S.realistic(n_usulan=n, n_peserta=12, seed=n)
        out[f"usulan-{n}"] = (snap, {"berita-acara", "kompilasi"})
    # the berita acara's signatures on page 1 or on page 2 with the text before them
    for words in (0, 12, 24, 48):
        snap = _alamat(S.realistic(n_usulan=3, n_peserta=8), words)
        out[f"alamat-{words}"] = (snap, {"berita-acara"})
    return out


def kecamatan_variants() -> dict[str, tuple[KecamatanSnapshot, set[str] | None]]:
    base = kecamatan_realistic()
    other = base.identitas.model_copy(update={"pimpinan_sidang": "Ir. Sahat Tambunan"})
    many = [Wilayah(kode=f"12.05.01.2{i:03d}", nama=f"Desa Uji {i}") for i in range(10, 30)]
    return {
        "kecamatan": (base, ALL),  # the Camat leads the sidang: one block
        "kecamatan-pimpinan-lain": (
            base.model_copy(update={"identitas": other}),
            {"berita-acara"},
        ),
        "kecamatan-banyak-desa": (base.model_copy(update={"desa": [*base.desa, *many]}), {"rekap"}),
        "kecamatan-hostile": (kecamatan_hostile(), ALL),
    }


def _desa(ws: Workspace, snap: DesaSnapshot, keys: set[str] | None, conv: Converter) -> list:
    if keys is ALL:
        return produce_desa_documents(ws, Settings(), snap, conv).issues
    jobs = [
        DocumentJob(d.stem(snap), d.template, partial(d.context, snap, Settings()))
        for d in DOCUMENTS
        if d.key in keys
    ]
    folder = ws.outbox_desa(snap.kecamatan, snap.desa, snap.tahun)
    return produce_documents(ws, Settings(), jobs, folder, conv).issues


def _kecamatan(
    ws: Workspace, snap: KecamatanSnapshot, keys: set[str] | None, conv: Converter
) -> list:
    if keys is ALL:
        return produce_kecamatan_documents(ws, Settings(), snap, conv).issues
    jobs = [
        DocumentJob(d.stem(snap), d.template, partial(d.context, snap, Settings()))
        for d in KECAMATAN_DOCUMENTS
        if d.key in keys
    ]
    folder = ws.outbox_kecamatan(snap.kecamatan, snap.tahun)
    return produce_documents(ws, Settings(), jobs, folder, conv).issues


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("layout")
    settings = Settings()
    folders: dict[str, Path] = {}
    issues: dict[str, list[Any]] = {}
    writer = Workspace(base / "writer")
    resave_with_writer(
        [docrender.BUILTIN_TEMPLATES / d.template for d in DOCUMENTS]
        + [docrender.BUILTIN_TEMPLATES / d.template for d in KECAMATAN_DOCUMENTS]
        + [docrender.BUILTIN_TEMPLATES / "surat-pemberitahuan-desa.docx"],
        writer.templates,
        base / "writer-profile",
    )
    with Converter(PdfSettings(pekerja=2), (base / "runtime")) as conv:
        for key, (snap, keys) in desa_variants().items():
            ws = Workspace(base / key)
            issues[key] = _desa(ws, snap, keys, conv)
            folders[key] = ws.outbox
        for key, (ksnap, keys) in kecamatan_variants().items():
            ws = Workspace(base / key)
            issues[key] = _kecamatan(ws, ksnap, keys, conv)
            folders[key] = ws.outbox
        # a clerk's restyle: every built-in template opened and saved by Writer
        issues["writer"] = produce_desa_documents(writer, settings, S.realistic(), conv).issues
        issues["writer"] += produce_kecamatan_documents(
            writer, settings, kecamatan_realistic(), conv
        ).issues
        folders["writer"] = writer.outbox
    return {"folders": folders, "issues": issues}


GROUPS = {
    "kelurahan": ["kelurahan"],
    "daftar-hadir": [k for k in desa_variants() if k.startswith("peserta-")],
    "usulan": [k for k in desa_variants() if k.startswith("usulan-")],
    "berita-acara": [k for k in desa_variants() if k.startswith("alamat-")],
    "kecamatan": list(kecamatan_variants()),
    "hostile": ["hostile"],
    "writer": ["writer"],
}
AT_LEAST = {"daftar-hadir": 1, "usulan": 2, "berita-acara": 1, "kecamatan": 1, "writer": 9}


@pytest.mark.parametrize("group", list(GROUPS))
def test_variants_read_as_a_camat_would(rendered: dict[str, Any], group: str) -> None:
    for key in GROUPS[group]:
        assert rendered["issues"][key] == [], (key, rendered["issues"][key])
        problems, pages = problems_in(rendered["folders"][key], AT_LEAST.get(group, 3))
        assert problems == [], key
        assert pages >= 1


def test_a_kelurahan_signs_with_ketua_lpm_and_lurah(rendered: dict[str, Any]) -> None:
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in rendered["folders"]["kelurahan"].rglob("Berita Acara*.halaman.txt")
    )
    # the Ketua LPM leads the rapat: one block for both roles; the Lurah knows of it
    assert "Ketua LPM" in text and "selaku Pimpinan Rapat," in text
    assert text.count("Ramlan Siregar") == 2  # in the text and in one signature block
    assert "Lurah Pekan Bahorok" in text and "BPD" not in text
    assert "Lingkungan II" in text  # whole in its column
