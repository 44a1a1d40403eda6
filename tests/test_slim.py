"""Templates are slimmed when loaded (pipeline/documents/slim.py): unused styles dropped, the
page looks the same."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pipeline.documents import render as docrender
from pipeline.documents.render import repair_template
from pipeline.documents.slim import STYLES, WITH_EFFECTS, slim_template
from pipeline.documents.soffice import find_soffice
from tests import snapshots as S
from tests.test_render import SPECS, render_one

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "templates").glob("*.docx"))
NAMED = re.compile(r'<w:(?:\w*[sS]tyle\w*|styleLink|numStyleLink)\b[^>]*?\bw:val="([^"]+)"')
STYLE_ID = re.compile(r'<w:style\b[^>]*\bw:styleId="([^"]+)"')


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.stem for t in TEMPLATES])
def test_a_slimmed_template_keeps_every_style_it_names(template: Path) -> None:
    before = repair_template(template.read_bytes())
    after = slim_template(before)
    parts = _parts(after)
    kept = set(STYLE_ID.findall(parts[STYLES]))
    named = {n for name, xml in parts.items() if name != STYLES for n in NAMED.findall(xml)}
    original = set(STYLE_ID.findall(_parts(before)[STYLES]))
    assert named & original <= kept  # every style a part names is still there
    for link in re.findall(r'<w:(?:basedOn|next|link) w:val="([^"]+)"', parts[STYLES]):
        assert link in kept  # and every style a kept one leads to
    assert len(kept) < len(original) / 3, (len(kept), len(original))
    assert WITH_EFFECTS not in parts
    assert "stylesWithEffects" not in parts["word/_rels/document.xml.rels"]
    assert "stylesWithEffects" not in parts["[Content_Types].xml"]
    assert len(after) < len(before) / 2
    Document(io.BytesIO(after))  # python-docx opens it
    assert slim_template(after) == after  # nothing more to drop


def _pages(soffice: str, docx: Path, out: Path, profile: Path) -> list[bytes]:
    out.mkdir()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(out), str(docx)],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    pdf = out / (docx.stem + ".pdf")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "p")], check=True)
    return [p.read_bytes() for p in sorted(out.glob("p*.png"))]


@pytest.mark.skipif(find_soffice("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice and pdftoppm are needed")  # fmt: skip
def test_a_rendered_document_looks_the_same_from_a_slimmed_template(tmp_path: Path) -> None:
    """Every desa document, rendered by the pipeline (slimmed template) from realistic data, and
    the same document with the template's full styles put back: LibreOffice draws identical
    pages."""
    soffice = find_soffice("soffice")
    assert soffice is not None
    for i, key in enumerate(SPECS):
        docx = render_one(key, S.realistic(), tmp_path / f"r-{i}")
        template = docrender.BUILTIN_TEMPLATES / SPECS[key].template
        full = tmp_path / f"full-{i}" / docx.name
        full.parent.mkdir()
        with zipfile.ZipFile(docx) as z, zipfile.ZipFile(full, "w", zipfile.ZIP_DEFLATED) as out:
            original = zipfile.ZipFile(template)
            for info in z.infolist():
                body = original.read(STYLES) if info.filename == STYLES else z.read(info)
                out.writestr(info, body)
        assert len(zipfile.ZipFile(full).read(STYLES)) > 5 * len(zipfile.ZipFile(docx).read(STYLES))
        profile = tmp_path / "profile"
        slim_pages = _pages(soffice, docx, tmp_path / f"slim-{i}", profile)
        full_pages = _pages(soffice, full, tmp_path / f"fullpdf-{i}", profile)
        assert slim_pages and slim_pages == full_pages, docx.name
