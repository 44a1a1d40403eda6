"""docx primitives for the templates (python-docx): page setup, paragraphs, cells, rows,
borders, fields and the footer."""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"  # LibreOffice substitutes the metric-compatible Liberation Serif

# ----------------------------------------------------------------------------- primitives


def new_document(landscape: bool = False) -> Document:  # type: ignore[valid-type]
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    rpr.append(lang)
    # never hyphenate (a header 'Prio-ritas' or a name broken in two is not signed), even
    # when a clerk turns automatic hyphenation on for the document
    normal.element.get_or_add_pPr().append(OxmlElement("w:suppressAutoHyphens"))

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin = Cm(2.0)
    section.bottom_margin = Cm(2.0)
    section.left_margin = Cm(2.5) if not landscape else Cm(2.0)
    section.right_margin = Cm(2.0)
    section.footer_distance = Cm(1.0)
    return doc


def para(
    container: object,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align: str = "left",
    after: float = 0,
    before: float = 0,
    indent_cm: float | None = None,
    first_line_cm: float | None = None,
) -> Paragraph:
    p: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        run.underline = underline
        if size:
            run.font.size = Pt(size)
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(before)
    if indent_cm is not None:
        p.paragraph_format.left_indent = Cm(indent_cm)
    if first_line_cm is not None:
        p.paragraph_format.first_line_indent = Cm(first_line_cm)
    return p


def cell_text(
    cell: _Cell,
    text: str,
    *,
    bold: bool = False,
    size: float = 10,
    align: str = "left",
    underline: bool = False,
) -> Paragraph:
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold
    run.underline = underline
    run.font.size = Pt(size)
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    return p


def _tr_pr(row: _Row) -> object:
    return row._tr.get_or_add_trPr()


def repeat_header(row: _Row) -> None:
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    _tr_pr(row).append(el)  # type: ignore[attr-defined]


def cant_split(row: _Row) -> None:
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    _tr_pr(row).append(el)  # type: ignore[attr-defined]


def row_height(row: _Row, cm: float) -> None:
    el = OxmlElement("w:trHeight")
    el.set(qn("w:val"), str(int(cm * 567)))
    el.set(qn("w:hRule"), "atLeast")
    _tr_pr(row).append(el)  # type: ignore[attr-defined]


def shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def span(row: _Row, first: int, last: int) -> _Cell:
    """Merge cells first..last of a row (a static gridSpan; no docxtpl merge tags)."""
    return row.cells[first].merge(row.cells[last])


def widths(table: Table, cms: list[float]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, cm in zip(grid.findall(qn("w:gridCol")), cms, strict=True):
        col.set(qn("w:w"), str(int(cm * 567)))
    for row in table.rows:
        for idx, cell in enumerate(row.cells):
            if idx < len(cms):
                cell.width = Cm(cms[idx])


def no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def loop_row(table: Table, tag: str) -> None:
    """A row holding only a `{%tr ... %}` tag (docxtpl replaces the whole row by the tag)."""
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(tag)


def page_break(doc: object) -> None:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    p.add_run().add_break(WD_BREAK.PAGE)


def field(paragraph: Paragraph, instr: str, size: float) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update on layout."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def footer(doc: object) -> None:
    """Right: the document, its page of all pages and its jejak (one line, 8 pt)."""
    section = doc.sections[0]  # type: ignore[attr-defined]
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run("{{ judul_dokumen }} — Halaman ")
    run.font.size = Pt(8)
    field(p, "PAGE", 8)
    run = p.add_run(" dari ")
    run.font.size = Pt(8)
    field(p, "NUMPAGES", 8)
    # the ledger state the document was made from (spec/documents.md, Jejak)
    run = p.add_run("{% if jejak %} · Jejak data {{ jejak }}{% endif %}")
    run.font.size = Pt(8)


def keep_next(p: Paragraph) -> Paragraph:
    """Keep this paragraph on the page of the next one (LibreOffice and Word alike)."""
    p.paragraph_format.keep_with_next = True
    return p


def keep_row(row: _Row) -> None:
    """A table row that never splits and stays on the page of the row (or paragraph) after
    it: every paragraph in it keeps with the next."""
    cant_split(row)
    for cell in row.cells:
        for p in cell.paragraphs:
            keep_next(p)


def tiny_paragraph(container: object) -> Paragraph:
    """A 1 pt empty paragraph (the kop's rule)."""
    p: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    p.paragraph_format.line_spacing = Pt(1)
    mark = OxmlElement("w:rPr")  # the paragraph mark's size sets the empty line's height
    for tag in ("w:sz", "w:szCs"):
        sz = OxmlElement(tag)
        sz.set(qn("w:val"), "2")
        mark.append(sz)
    p._p.get_or_add_pPr().append(mark)
    return p


def bottom_rule(p: Paragraph) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thickThinSmallGap")
    bottom.set(qn("w:sz"), "18")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    ppr.append(bdr)
