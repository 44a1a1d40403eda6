"""What every rendered document gets after rendering: figures that never break across lines
and the paper size of the settings, on the tree or on a very long body kept as text."""

from __future__ import annotations

import re

from docx.section import Section
from docx.shared import Mm

from pipeline.documents.fast_template import W_NS, FastTemplate

# (width, height) in mm, portrait
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210, 297), "F4": (215, 330)}

_DATE_FIGURES = re.compile(r"(?<![\d.-])(\d{1,2})-(\d{1,2})-(\d{4})(?![\d-])")
_GLUED_PREFIX = re.compile(r"\b(Rp|NIP\.|Pos) (?=[-\d])")
NB_HYPHEN = "\u2011"  # non-breaking hyphen: the PDF's text layer still reads '-'
NB_SPACE = "\u00a0"


def unbreakable(text: str) -> str:
    """Figures that must never break across lines: '30-11-2026' (non-breaking hyphens),
    'Rp 1.250.000', 'NIP. 1987...' (a non-breaking space after the prefix)."""
    text = _DATE_FIGURES.sub(lambda m: NB_HYPHEN.join(m.groups()), text)
    return _GLUED_PREFIX.sub(lambda m: m.group(1) + NB_SPACE, text)


def unbreakable_figures(tpl: FastTemplate) -> None:
    """After rendering: the figures of every text run (body, headers, footers) made
    unbreakable, whether they came from a value or were typed into the template."""
    tpl.map_text(unbreakable)  # a very long body kept as text
    roots = [tpl.docx.element.body]
    for rel in tpl.docx.part.rels.values():
        if not rel.is_external and rel.reltype.endswith(("/header", "/footer")):
            roots.append(rel.target_part.element)
    for root in roots:
        for node in root.iter(f"{{{W_NS}}}t"):
            if node.text:
                node.text = unbreakable(node.text)


def set_paper(tpl: FastTemplate, paper: str) -> None:
    width, height = PAPER_MM[paper]

    def fit(section: Section) -> None:
        landscape = (section.page_width or 0) > (section.page_height or 0)
        w, h = (height, width) if landscape else (width, height)
        section.page_width, section.page_height = Mm(w), Mm(h)

    for section in tpl.docx.sections:
        fit(section)
    tpl.map_sections(fit)  # a very long body kept as text
