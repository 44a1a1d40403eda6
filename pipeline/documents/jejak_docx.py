"""The jejak in a rendered document's footer, whatever the template did with it.

The built-in templates print `Jejak data {{ jejak }}` after the page numbers. A clerk may
restyle a template in Word or Writer and drop that text, or keep a template made before the
jejak existed: the rendered document then gets it appended to the last line of its footer
(a footer made when the template has none), on every section that has a footer of its own
and on the first-page and even-page footers the template turned on. So every page shows the
ledger state it was made from (spec/documents.md, "One truth on every page").
"""

from __future__ import annotations

from typing import Any

from docx.shared import Pt

from pipeline.core.jejak import label

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEPARATOR = " · "


def _text(part_element: Any) -> str:
    return "".join(t.text or "" for t in part_element.iter(f"{{{W_NS}}}t"))


def _footers(document: Any) -> list[Any]:
    """The footer definitions the pages show: each section's own (the first section always
    has one), its first-page footer when the section turns it on, its even-page footer when
    the document does."""
    even = bool(document.settings.odd_and_even_pages_header_footer)
    out: list[Any] = []
    for i, section in enumerate(document.sections):
        kinds = [section.footer]
        if section.different_first_page_header_footer:
            kinds.append(section.first_page_footer)
        if even:
            kinds.append(section.even_page_footer)
        for footer in kinds:
            if i == 0 or not footer.is_linked_to_previous:
                out.append(footer)
    return out


def footer_text(document: Any) -> str:
    """Every text of the document's footers (to check what a page shows at its foot)."""
    return "\n".join(_text(f._element) for f in _footers(document))


def ensure_jejak(document: Any, jejak: str | None) -> bool:
    """Append `Jejak data <jejak>` to every footer that does not show it; True when added."""
    if not jejak:
        return False
    words = label(jejak)
    added = False
    for footer in _footers(document):
        if words in _text(footer._element):
            continue
        paragraphs = footer.paragraphs
        paragraph = paragraphs[-1] if paragraphs else footer.add_paragraph()
        filled = bool(_text(paragraph._p).strip())
        run = paragraph.add_run((SEPARATOR if filled else "") + words)
        run.font.size = Pt(8)
        added = True
    return added
