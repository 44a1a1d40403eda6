"""docxtpl's DocxTemplate with fast paths for very long documents.

docxtpl's `resolve_listing` runs three nested regular expressions over the whole rendered
document to turn tabs, line breaks, bells and form feeds inside text into Word's elements:
seconds for a kompilasi of thousands of rows, spent for nothing when no text holds one.

A rendered body beyond LONG_BODY characters (a Kompilasi or Berita Acara of thousands of
usulan) is kept as text instead of an lxml tree: the tree of a 10,000-row Kompilasi holds
~1.4 million elements, ~400 MB. The few changes made after rendering (figures made
unbreakable, paper size, image ids) are then made on the text, and `save` puts the text in
place of a placeholder body. A test renders a document both ways and compares the XML.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from functools import lru_cache
from os import PathLike
from typing import IO, Any, cast

from docx.oxml import parse_xml
from docx.section import Section
from docxtpl import DocxTemplate
from lxml import etree

# Text that resolve_listing would change: a tab, line break, bell or form feed inside <w:t>.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")

LONG_BODY = 2_000_000  # characters of rendered body XML kept as text rather than a tree
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PIECE = 1 << 20
_MARKER = "musrenbang-badan-panjang"
_PLACEHOLDER = f'<w:body xmlns:w="{W_NS}"><w:p><w:r><w:t>{_MARKER}</w:t></w:r></w:p></w:body>'
_PLACED = f"<w:body><w:p><w:r><w:t>{_MARKER}</w:t></w:r></w:p></w:body>"
_TEXT_RUN = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]+)(</w:t>)")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")[^"]*(")')
_ANY_TAG = re.compile(r"<[^>]*>")
_CELL_TAGS = re.compile(r"\{%-?\s*(?:tc|colspan|hm)\b")
_SECT_PR = re.compile(r"<w:sectPr\b.*?</w:sectPr>|<w:sectPr\b[^>]*/>", re.DOTALL)


def _changes_cells(template_xml: str) -> bool:
    """The template has tags that make docxtpl's fix_tables change the rendered tables:
    `{%tc %}` loops, `{% colspan %}` and `{% hm %}` (seen in its text, tags removed)."""
    return bool(_CELL_TAGS.search(_ANY_TAG.sub("", template_xml)))


@lru_cache(maxsize=64)
def _patched(template_xml: str) -> tuple[str, bool]:
    """docxtpl's patch_xml of a template part, and `_changes_cells`. patch_xml is a pure
    function of the part's XML (it never reads its `self`), and the same template is rendered
    for every desa of a pass: patched once per process instead of ~10 ms each time."""
    patched = DocxTemplate.patch_xml(cast(DocxTemplate, None), template_xml)
    return str(patched), _changes_cells(template_xml)


def _pieces(xml: str) -> list[str]:
    """The XML cut after a `</w:p>` about every _PIECE characters: a run's text and a
    section's properties (inside a paragraph's pPr) never straddle two pieces."""
    out: list[str] = []
    at = 0
    while at < len(xml):
        end = xml.find("</w:p>", at + _PIECE)
        end = len(xml) if end < 0 else end + len("</w:p>")
        out.append(xml[at:end])
        at = end
    return out


class FastTemplate(DocxTemplate):
    """A DocxTemplate whose resolve_listing is skipped when no text needs it, and whose very
    long bodies stay text (see the module's comment)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.body_text: list[str] | None = None  # a long body: pieces of its XML
        self.changes_cells = False
        self.body_chars = 0  # the rendered body's length

    def resolve_listing(self, xml: str) -> str:
        if not _LISTING.search(xml):
            return xml
        return str(super().resolve_listing(xml))

    def patch_xml(self, src_xml: str) -> str:
        patched, changes_cells = _patched(src_xml)
        self.changes_cells = self.changes_cells or changes_cells
        return patched

    def fix_tables(self, xml: str) -> Any:
        self.body_chars = len(xml)
        if len(xml) < LONG_BODY or self.changes_cells:
            self.body_text = None
            return super().fix_tables(xml)

        def renumber(m: re.Match[str]) -> str:  # what docxtpl's fix_docpr_ids does on a tree
            self.docx_ids_index += 1
            return f"{m[1]}{self.docx_ids_index}{m[2]}"

        self.body_text = [_DOCPR_ID.sub(renumber, piece) for piece in _pieces(xml)]
        return etree.fromstring(_PLACEHOLDER)

    def map_text(self, change: Callable[[str], str]) -> None:
        """Apply `change` to the text of every run of a body kept as text."""
        if self.body_text is not None:
            for n, piece in enumerate(self.body_text):
                self.body_text[n] = _TEXT_RUN.sub(lambda m: m[1] + change(m[2]) + m[3], piece)

    def map_sections(self, change: Callable[[Section], None]) -> None:
        """Apply `change` to every section (page size, margins) of a body kept as text."""
        if self.body_text is None:
            return
        first = self.body_text[0]
        opening = first[: first.index(">") + 1]  # <w:body ...> with the namespace declarations

        def one(m: re.Match[str]) -> str:
            wrapper = parse_xml(opening + m[0] + "</w:body>")
            change(Section(wrapper[0], self.docx.part))
            text = etree.tostring(wrapper, encoding="unicode")
            return text[text.index(">") + 1 : text.rindex("<")]

        for n, piece in enumerate(self.body_text):
            self.body_text[n] = _SECT_PR.sub(one, piece)

    def save(self, filename: str | PathLike[str] | IO[bytes], *args: Any, **kwargs: Any) -> None:
        if self.body_text is None:
            super().save(filename, *args, **kwargs)
            return
        saved = io.BytesIO()
        super().save(saved, *args, **kwargs)
        with zipfile.ZipFile(saved) as src, zipfile.ZipFile(filename, "w") as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename != "word/document.xml":
                    dst.writestr(info, data)
                    continue
                head, sep, tail = data.decode("utf-8").partition(_PLACED)
                if not sep:
                    raise ValueError("tempat isi dokumen panjang tidak ditemukan")
                with dst.open(info, "w") as out:  # piece by piece: no second copy
                    out.write(head.encode("utf-8"))
                    for piece in self.body_text:
                        out.write(piece.encode("utf-8"))
                    out.write(tail.encode("utf-8"))
