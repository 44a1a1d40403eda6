"""Very long documents: a rendered body beyond LONG_BODY characters stays text, not an lxml
tree (documents/fast_template.py). Both ways must write the same document."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.core.config import Settings
from pipeline.documents import fast_template
from pipeline.documents.finishing import NB_HYPHEN
from tests import snapshots as S
from tests.test_render import SPECS, page_size_mm, render_one


def _canonical(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return etree.tostring(etree.fromstring(z.read("word/document.xml")), method="c14n")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "word/document.xml"}


@pytest.mark.parametrize("key", ["kompilasi", "berita-acara", "daftar-hadir"])
@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_long_body_as_text_writes_the_same_document(
    key: str, paper: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.model_validate({"pdf": {"ukuran_kertas": paper}})
    snap = S.realistic()
    tree = render_one(key, snap, tmp_path / "tree", settings)
    monkeypatch.setattr(fast_template, "LONG_BODY", 0)  # every body kept as text
    monkeypatch.setattr(fast_template, "_PIECE", 500)  # in many pieces
    kept: list[bool] = []
    save = fast_template.FastTemplate.save

    def spy(self: fast_template.FastTemplate, filename: object) -> None:
        kept.append(self.body_text is not None)
        save(self, filename)  # type: ignore[arg-type]

    monkeypatch.setattr(fast_template.FastTemplate, "save", spy)
    text = render_one(key, snap, tmp_path / "text", settings)
    assert kept == [True]
    assert _canonical(text) == _canonical(tree)
    assert _parts(text) == _parts(tree)
    assert page_size_mm(text) == page_size_mm(tree)
    # the figures were made unbreakable on the text path too
    if key == "berita-acara":
        assert NB_HYPHEN.encode() in _canonical(text)


def test_hostile_text_survives_the_text_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = {k: _canonical(render_one(k, S.hostile(), tmp_path / "tree")) for k in SPECS}
    monkeypatch.setattr(fast_template, "LONG_BODY", 0)
    monkeypatch.setattr(fast_template, "_PIECE", 500)
    text = {k: _canonical(render_one(k, S.hostile(), tmp_path / "text")) for k in SPECS}
    assert text == tree


def test_templates_with_cell_loops_keep_the_tree() -> None:
    assert fast_template._changes_cells("<w:t>{%tc for x in y %}</w:t>")
    assert fast_template._changes_cells("<w:t>{%</w:t></w:r><w:r><w:t>- colspan 2 %}</w:t>")
    assert not fast_template._changes_cells("<w:t>{%tr for x in y %}</w:t>")
