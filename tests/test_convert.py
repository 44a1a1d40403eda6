"""PDF conversion with the real LibreOffice: content, page count, paper size, embedded fonts,
templates re-saved by LibreOffice Writer, recycling, time-outs that kill the process group,
and reaping orphans of a killed run.

LibreOffice work is batched in one module fixture (one Converter for every document).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import psutil
import pytest
from pypdf import PdfReader

from pipeline.core.config import PdfSettings, Settings
from pipeline.core.workspace import Workspace
from pipeline.desa import documents as render
from pipeline.desa.documents import produce_desa_documents
from pipeline.documents import render as docrender
from pipeline.documents.convert import PID_FILE, Converter, check_pdf, group_members
from tests import snapshots as S

SOFFICE = shutil.which("soffice")
libreoffice = pytest.mark.libreoffice
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")

A4_PT = (595.3, 841.9)
F4_PT = (609.4, 935.4)  # 215 x 330 mm


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def page_sizes(path: Path) -> set[tuple[float, float]]:
    return {
        (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
        for p in PdfReader(str(path)).pages
    }


def fonts_embedded(path: Path) -> tuple[int, list[str]]:
    """(number of fonts seen, names of fonts without an embedded font file)."""
    seen: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        resources: Any = page.get("/Resources")
        fonts: Any = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descriptors = []
            if "/DescendantFonts" in font:
                for d in font["/DescendantFonts"]:
                    descriptors.append(d.get_object().get("/FontDescriptor"))
            else:
                descriptors.append(font.get("/FontDescriptor"))
            embedded = any(
                d is not None
                and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            seen[name] = seen.get(name, False) or embedded
    return len(seen), [n for n, ok in seen.items() if not ok]


def close_to(size: tuple[float, float], want: tuple[float, float]) -> bool:
    return abs(size[0] - want[0]) < 1.5 and abs(size[1] - want[1]) < 1.5


def resave_with_writer(sources: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Open and save each .docx with LibreOffice Writer (one soffice call for all)."""
    outdir.mkdir(parents=True)
    assert SOFFICE is not None
    proc = subprocess.Popen(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
    return [outdir / s.name for s in sources]


# ----------------------------------------------------------------------------- one LO session


@pytest.fixture(scope="module")
def lo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed")
    base = tmp_path_factory.mktemp("lo")
    a4 = Settings()
    f4 = Settings.model_validate({"pdf": {"ukuran_kertas": "F4"}})
    ws_a4 = Workspace(base / "a4")
    ws_f4 = Workspace(base / "f4")
    ws_lo = Workspace(base / "lo-templates")
    # templates opened and saved again by LibreOffice Writer, used as workspace templates
    resaved = resave_with_writer(
        [docrender.BUILTIN_TEMPLATES / d.template for d in render.DOCUMENTS],
        ws_lo.templates,
        base / "writer-profile",
    )
    pdf = PdfSettings(pekerja=2, daur_ulang_setelah=2)
    started = time.perf_counter()
    with Converter(pdf, ws_a4.runtime) as conv:
        results = {
            "a4": produce_desa_documents(ws_a4, a4, S.realistic(), conv),
            "f4": produce_desa_documents(ws_f4, f4, S.hostile(), conv),
            "lo": produce_desa_documents(ws_lo, a4, S.realistic(desa=S.KELURAHAN), conv),
        }
        starts = sum(w.starts for w in conv._workers)
        workers = len(conv._workers)
        mode = conv.mode
    return {
        "results": results,
        "ws": {"a4": ws_a4, "f4": ws_f4, "lo": ws_lo},
        "resaved": resaved,
        "starts": starts,
        "workers": workers,
        "mode": mode,
        "seconds": time.perf_counter() - started,
    }


def outputs(lo: dict[str, Any], key: str) -> dict[str, Path]:
    return {p.name: p for p in lo["results"][key].outputs}


@libreoffice
def test_every_document_gets_a_checked_pdf(lo: dict[str, Any]) -> None:
    for key in ("a4", "f4", "lo"):
        result = lo["results"][key]
        assert result.issues == [], (key, result.issues)
        names = outputs(lo, key)
        pdfs = [p for n, p in names.items() if n.endswith(".pdf")]
        assert len(pdfs) == 3
        assert all(check_pdf(p) for p in pdfs)
        stems = {p.stem for p in pdfs}
        assert stems == {p.stem for n, p in names.items() if n.endswith(".docx")}
    # nothing temporary left in the outbox
    for ws in lo["ws"].values():
        assert not [p for p in ws.outbox.rglob("*") if p.name.startswith(".~")]


@libreoffice
def test_pdf_text_and_pages_a4(lo: dict[str, Any]) -> None:
    out = outputs(lo, "a4")
    ba = out["Berita Acara Musrenbang Desa Lau Damak 2027.pdf"]
    text = pdf_text(ba)
    for expected in [
        "PEMERINTAH DESA LAU DAMAK",
        "BERITA ACARA",
        "tiga belas",
        "enam puluh",
        "LAMPIRAN I",
        "LAMPIRAN II",
        "Halaman 1 dari",
    ]:
        assert expected in text, expected
    assert len(PdfReader(str(ba)).pages) >= 3  # letter, Lampiran I, Lampiran II
    dh = out["Daftar Hadir Musrenbang Desa Lau Damak 2027.pdf"]
    assert len(PdfReader(str(dh)).pages) >= 2  # 65 rows do not fit one page
    assert "Selasa, 13 Januari 2026" in pdf_text(dh)
    assert all(close_to(s, A4_PT) for s in page_sizes(dh))
    # the berita acara portrait, its lampiran on landscape A4 pages
    sizes = page_sizes(ba)
    assert sizes and all(close_to(s, A4_PT) or close_to(s, A4_PT[::-1]) for s in sizes)
    assert any(close_to(s, A4_PT[::-1]) for s in sizes) and any(close_to(s, A4_PT) for s in sizes)
    ko = out["Kompilasi Usulan Musrenbang Desa Lau Damak 2027.pdf"]
    assert all(close_to(s, A4_PT[::-1]) for s in page_sizes(ko))  # landscape
    assert "JUMLAH DISEPAKATI" in pdf_text(ko)


@libreoffice
def test_fonts_embedded(lo: dict[str, Any]) -> None:
    for pdf in [p for p in outputs(lo, "a4").values() if p.suffix == ".pdf"]:
        count, missing = fonts_embedded(pdf)
        assert count > 0 and missing == [], (pdf.name, missing)


@libreoffice
def test_f4_and_hostile_text(lo: dict[str, Any]) -> None:
    out = outputs(lo, "f4")
    ba = next(p for n, p in out.items() if n.startswith("Berita Acara") and n.endswith(".pdf"))
    sizes = page_sizes(ba)  # portrait F4, the lampiran landscape F4
    assert sizes and all(close_to(s, F4_PT) or close_to(s, F4_PT[::-1]) for s in sizes)
    assert any(close_to(s, F4_PT[::-1]) for s in sizes) and any(close_to(s, F4_PT) for s in sizes)
    text = pdf_text(ba)
    assert "A & B <jalan>" in text
    assert "{{ kop.pemerintah }}" in text
    ko = next(p for n, p in out.items() if n.startswith("Kompilasi") and n.endswith(".pdf"))
    assert all(close_to(s, F4_PT[::-1]) for s in page_sizes(ko))


@libreoffice
def test_templates_resaved_by_libreoffice_writer_still_render(lo: dict[str, Any]) -> None:
    for template in lo["resaved"]:
        assert template.is_file()
        with zipfile.ZipFile(template) as z:
            assert "docProps/core.xml" in z.namelist()
    out = outputs(lo, "lo")
    for name, path in out.items():
        if name.endswith(".docx"):
            docx.Document(str(path))
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
            assert names.count("docProps/core.xml") == 1
            assert len(names) == len(set(names))
    ba = out["Berita Acara Musrenbang Kelurahan Pekan Bahorok 2027.pdf"]
    text = pdf_text(ba)
    assert "KELURAHAN PEKAN BAHOROK" in text
    assert "Lurah Pekan Bahorok" in text


@libreoffice
def test_workers_are_recycled(lo: dict[str, Any]) -> None:
    assert lo["mode"] in ("uno", "cli")
    if lo["mode"] == "uno":
        # 9 conversions, recycled after 2 each: more starts than workers
        assert lo["starts"] > lo["workers"]


# ----------------------------------------------------------------------------- failures


def test_missing_libreoffice_is_not_an_error(tmp_path: Path) -> None:
    conv = Converter(PdfSettings(libreoffice=str(tmp_path / "tidak-ada" / "soffice")), tmp_path)
    assert conv.available is False and conv.mode == "none"
    docx_file = tmp_path / "a.docx"
    docx_file.write_bytes(b"x")
    assert conv.convert_many([docx_file], tmp_path / "out") == {docx_file: None}
    conv.close()


def _fake_soffice(tmp_path: Path) -> tuple[Path, Path]:
    """A 'soffice' that never answers: it records its pid, starts a child, and sleeps."""
    record = tmp_path / "pids.txt"
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(
        f'#!/bin/sh\necho $$ >> "{record}"\nsleep 317 &\necho $! >> "{record}"\nexec sleep 318\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, record


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.skipif(os.name != "posix", reason="the fake soffice is a sh script")
@pytest.mark.parametrize("use_uno", [True, False])
def test_timeout_kills_the_whole_process_group(tmp_path: Path, use_uno: bool) -> None:
    script, record = _fake_soffice(tmp_path)
    docx_file = tmp_path / "a.docx"
    shutil.copy(docrender.BUILTIN_TEMPLATES / "daftar-hadir-desa.docx", docx_file)
    conv = Converter(
        PdfSettings(libreoffice=str(script), pekerja=1), tmp_path / "rt", timeout=2, use_uno=use_uno
    )
    if use_uno and conv.mode != "uno":
        pytest.skip("no Python with the uno module")
    started = time.perf_counter()
    result = conv.convert_many([docx_file], tmp_path / "out")
    elapsed = time.perf_counter() - started
    conv.close()
    assert result == {docx_file: None}
    assert elapsed < 30
    deadline = time.monotonic() + 5
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    pids = [int(x) for x in record.read_text().split()]
    assert len(pids) == 2  # the fake soffice and its child really ran
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _alive(p)]
    assert not (tmp_path / "out" / "a.pdf").exists()


@pytest.mark.skipif(os.name != "posix", reason="the fake soffice is a sh script")
def test_orphans_recorded_in_the_pid_file_are_reaped_at_start(tmp_path: Path) -> None:
    script, _record = _fake_soffice(tmp_path)
    runtime = tmp_path / "rt"
    marker = (runtime / "libreoffice" / "profil-0").resolve().as_uri()
    orphan = subprocess.Popen(
        ["sh", "-c", "sleep 319 & sleep 320; :", marker], start_new_session=True
    )
    other = subprocess.Popen(["sleep", "321"], start_new_session=True)  # not ours: left alone
    try:
        time.sleep(0.2)
        members = group_members(orphan.pid)
        assert len(members) == 3  # sh and its two sleeps
        runtime.mkdir(parents=True)
        (runtime / PID_FILE).write_text(
            f'{{"{orphan.pid}": "{marker}", "{other.pid}": "{marker}"}}'
        )
        conv = Converter(PdfSettings(libreoffice=str(script)), runtime, use_uno=False)
        assert conv.reaped == 1
        orphan.wait(timeout=5)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in members) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in members if _alive(p)]
        assert other.poll() is None
        conv.close()
    finally:
        for p in (orphan, other):
            if p.poll() is None:
                os.killpg(p.pid, 9)
                p.wait()


@pytest.mark.skipif(os.name != "posix", reason="the fake soffice is a sh script")
def test_groups_of_a_live_pipeline_are_not_reaped(tmp_path: Path) -> None:
    script, _record = _fake_soffice(tmp_path)
    runtime = tmp_path / "rt"
    marker = (runtime / "libreoffice" / "profil-0").resolve().as_uri()
    mine = subprocess.Popen(["sh", "-c", "sleep 322; :", marker], start_new_session=True)
    try:
        runtime.mkdir(parents=True)
        entry = {"marker": marker, "owner": os.getpid()}
        (runtime / PID_FILE).write_text(json.dumps({str(mine.pid): entry}))
        conv = Converter(PdfSettings(libreoffice=str(script)), runtime, use_uno=False)
        assert conv.reaped == 0
        assert mine.poll() is None
        assert str(mine.pid) in json.loads((runtime / PID_FILE).read_text())
        conv.close()
    finally:
        os.killpg(mine.pid, 9)
        mine.wait()


def test_two_workers_never_share_a_profile(tmp_path: Path) -> None:
    from pipeline.documents.convert import _claim_profile, _release_profile

    first = _claim_profile(tmp_path, "profil")
    second = _claim_profile(tmp_path, "profil")
    assert first != second
    _release_profile(first)
    again = _claim_profile(tmp_path, "profil")
    assert again == first
    _release_profile(again)
    _release_profile(second)


def _offices() -> list[psutil.Process]:
    """soffice.bin processes under this test process."""
    found = []
    for p in psutil.Process().children(recursive=True):
        try:
            if p.name().startswith("soffice") and p.status() != psutil.STATUS_ZOMBIE:
                found.append(p)
        except psutil.NoSuchProcess:
            pass
    return found


@libreoffice
@needs_soffice
def test_warm_starts_the_workers_before_the_first_conversion(tmp_path: Path) -> None:
    docs = []
    for name in ("a", "b"):
        docs.append(tmp_path / f"{name}.docx")
        shutil.copy(docrender.BUILTIN_TEMPLATES / "daftar-hadir-desa.docx", docs[-1])
    conv = Converter(PdfSettings(pekerja=2), tmp_path / "rt")
    if conv.mode != "uno":
        pytest.skip("no Python with the uno module")
    conv.warm()
    deadline = time.monotonic() + 90
    while len(_offices()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_offices()) >= 2  # both LibreOffice running, nothing converted yet
    conv.warm()  # again: no third worker
    result = conv.convert_many(docs, tmp_path / "out")
    assert all(result.values()), result
    assert [w.starts for w in conv._workers] == [1, 1]  # the warm starts were the ones used
    conv.close()
    assert not _offices()
    # closed while its workers are still starting: none is left running
    cold = Converter(PdfSettings(pekerja=2), tmp_path / "rt2")
    cold.warm()
    cold.close()
    time.sleep(0.5)
    assert not _offices()
