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

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.core.jejak import label

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEPARATOR = " · "


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(f"{{{W_NS}}}t"))


def _references(section: Any) -> dict[str, str]:
    """footer type (default, first, even) -> relationship id, as the section names them."""
    return {
        ref.get(qn("w:type")) or "default": ref.get(qn("r:id"))
        for ref in section._sectPr.findall(qn("w:footerReference"))
    }


def _footers(document: Any) -> list[Any]:
    """The footer XML the pages show, as rendered (docxtpl puts each rendered footer in a
    part of its own behind the same relationship; python-docx's section.footer would still
    answer with the template's): each section's own, its first-page footer when the
    section turns it on, its even-page footer when the document does. The first section
    gets an empty footer where it has none."""
    even = bool(document.settings.odd_and_even_pages_header_footer)
    rels = document.part.rels
    out: list[Any] = []
    for i, section in enumerate(document.sections):
        wanted = ["default"]
        if section.different_first_page_header_footer:
            wanted.append("first")
        if even:
            wanted.append("even")
        refs = _references(section)
        if i == 0:
            made = {"default": section.footer, "first": section.first_page_footer,
                    "even": section.even_page_footer}  # fmt: skip
            for kind in wanted:
                if kind not in refs:
                    made[kind].is_linked_to_previous = False  # a new, empty footer
            refs = _references(section)
        out += [rels[refs[kind]].target_part.element for kind in wanted if kind in refs]
    return out


def footer_text(document: Any) -> str:
    """Every text of the document's footers (to check what a page shows at its foot)."""
    return "\n".join(_text(f) for f in _footers(document))


def _run(text: str) -> Any:
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")  # 8 pt, as the built-in footer line
    props.append(size)
    run.append(props)
    node = OxmlElement("w:t")
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    node.text = text
    run.append(node)
    return run


def ensure_jejak(document: Any, jejak: str | None) -> bool:
    """Append `Jejak data <jejak>` to every footer that does not show it; True when added."""
    if not jejak:
        return False
    words = label(jejak)
    added = False
    for footer in _footers(document):
        if words in _text(footer):
            continue
        paragraphs = footer.findall(qn("w:p"))
        if paragraphs:
            paragraph = paragraphs[-1]
        else:
            paragraph = OxmlElement("w:p")
            footer.append(paragraph)
        filled = bool(_text(paragraph).strip())
        paragraph.append(_run((SEPARATOR if filled else "") + words))
        added = True
    return added
