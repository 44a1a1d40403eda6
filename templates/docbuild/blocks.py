"""Blocks shared by the templates: kop, signatures, titles, label tables, usulan tables,
lampiran sections.

How a page is kept signable (spec/documents.md, "A Camat signs it without a correction"):
- a signature block is one table row that cannot split, and the rows of a signature grid,
  the place-and-date line and the paragraph before them keep with the next, so a block
  never breaks and never stands alone on a page;
- the last rows of a table keep with its total row, and the total with what follows;
- table headers are short words in columns wide enough for them; nothing is hyphenated.
"""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from .primitives import (
    bottom_rule,
    cant_split,
    cell_text,
    keep_next,
    keep_row,
    loop_row,
    no_borders,
    para,
    repeat_header,
    row_height,
    shade,
    span,
    tiny_paragraph,
    widths,
)

PORTRAIT_WIDTH = 16.5  # cm of text on A4 portrait (2.5 + 2.0 margins)
LANDSCAPE_WIDTH = 25.7  # cm of text on A4 landscape (2.0 + 2.0 margins)

# ----------------------------------------------------------------------------- kop


def _kop_lines(cell: _Cell, desa: bool) -> None:
    """The kop's text: kabupaten, kecamatan, desa/kelurahan, address, e-mail."""
    lines: list[tuple[str, float, bool, bool]] = [("{{ kop.pemerintah }}", 14, True, False)]
    if desa:
        lines += [("{{ kop.kecamatan }}", 14, True, False), ("{{ kop.desa }}", 16, True, False)]
    else:
        lines += [("{{ kop.kecamatan }}", 16, True, False)]
    lines += [("{{ kop.alamat }}", 10, False, True)]
    first = True
    for text, size, bold, italic in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    for text in ("{%p if kop.kontak %}", "{{ kop.kontak }}", "{%p endif %}"):
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.italic, run.font.size = True, Pt(10)


def kop(doc: object, *, desa: bool, width: float = PORTRAIT_WIDTH) -> None:
    """Letterhead: the lambang on the left when the settings name one (`kop.lambang`), the
    kop's lines centred on the page, then a double rule."""
    table = doc.add_table(rows=0, cols=3)  # type: ignore[attr-defined]
    no_borders(table)
    loop_row(table, "{%tr if kop.lambang %}")
    row = table.add_row()
    cant_split(row)
    logo = cell_text(row.cells[0], "{{ kop.lambang }}", size=10, align="center")
    logo.paragraph_format.space_before = Pt(2)
    _kop_lines(row.cells[1], desa)
    loop_row(table, "{%tr else %}")
    row = table.add_row()
    cant_split(row)
    _kop_lines(span(row, 0, 2), desa)
    loop_row(table, "{%tr endif %}")
    widths(table, [2.6, width - 5.2, 2.6])
    rule = tiny_paragraph(doc)
    bottom_rule(rule)
    para(doc, "", after=6)


# ----------------------------------------------------------------------------- signatures


def signature(cell: _Cell, lines: list[str], name: str, nip: str | None = None) -> None:
    """Title lines, room to sign, the name bold and underlined, optionally an NIP line.
    Every paragraph keeps with the next: the block is one piece."""
    first = True
    for line in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).font.size = Pt(12)
    for _ in range(3):
        cell.add_paragraph()
    p = cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(name)
    run.bold = True
    run.underline = True
    if nip:
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(nip)
    for p in cell.paragraphs:
        keep_next(p)


def _signature_of(cell: _Cell, var: str) -> None:
    """A block of the signature grid: `var.peran` (its lines), `var.nama`, `var.nip`; the
    blocks of a row share the bottom, so their names stand on one line."""
    cell.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
    signature(cell, [f"{{{{ {var}.peran }}}}"], f"{{{{ {var}.nama }}}}", f"{{{{ {var}.nip }}}}")


def signature_grid(doc: object, width: float = PORTRAIT_WIDTH) -> None:
    """The place and date, then the blocks of `ttd` two a row, an odd one centred alone.
    The context decides who signs (nobody twice); the whole grid stays on one page with the
    paragraph before it."""
    keep_next(para(doc, "{{ tempat_tanggal_ttd }}", align="right", after=6))
    table = doc.add_table(rows=0, cols=2)  # type: ignore[attr-defined]
    no_borders(table)
    loop_row(table, "{%tr for baris in ttd %}")
    loop_row(table, "{%tr if baris.tengah %}")
    row = table.add_row()
    _signature_of(span(row, 0, 1), "baris.tengah")
    keep_row(row)
    loop_row(table, "{%tr else %}")
    row = table.add_row()
    _signature_of(row.cells[0], "baris.kiri")
    _signature_of(row.cells[1], "baris.kanan")
    keep_row(row)
    loop_row(table, "{%tr endif %}")
    loop_row(table, "{%tr endfor %}")
    widths(table, [width / 2, width / 2])


def keep_last_paragraph(doc: object) -> None:
    """The paragraph the body ends with (the letter's last sentence) keeps with what comes."""
    body = doc.element.body  # type: ignore[attr-defined]
    last = [el for el in body if el.tag != qn("w:sectPr")]
    if last and last[-1].tag == qn("w:p"):
        Paragraph(last[-1], doc).paragraph_format.keep_with_next = True


def right_signature(
    doc: object, lines: list[str], name: str, nip: str, cms: list[float], lead: bool = True
) -> None:
    """A signature on the right of the page (an empty cell on the left) after paragraphs,
    kept with them: the last paragraph and the spacer keep with it, the block never splits.
    (After a table use signature_row: LibreOffice keeps no table with what follows it.)"""
    if lead:
        keep_last_paragraph(doc)
        keep_next(para(doc, "", after=12))
    sign = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    no_borders(sign)
    cell_text(sign.rows[0].cells[0], "", size=12)
    signature(sign.rows[0].cells[1], lines, name, nip)
    cant_split(sign.rows[0])
    widths(sign, cms)


def closing_row(table: Table) -> _Cell:
    """A last row of `table` for what must stay with its last rows: one cell across the
    table, without side and bottom borders, never split. The rows above keep with it."""
    row = table.add_row()
    cell = span(row, 0, len(row.cells) - 1)
    borders = OxmlElement("w:tcBorders")
    for edge in ("left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    cell._tc.get_or_add_tcPr().append(borders)
    cant_split(row)
    cell.paragraphs[0].paragraph_format.space_after = Pt(10)
    keep_next(cell.paragraphs[0])
    return cell


def signature_row(table: Table, lines: list[str], name: str, nip: str, cms: list[float]) -> None:
    """The signature under a table, as the table's closing row: LibreOffice keeps rows of
    one table together (the last rows keep with it), never a table with what follows."""
    cell = closing_row(table)
    inner = cell.add_table(rows=1, cols=2)
    no_borders(inner)
    cell_text(inner.rows[0].cells[0], "", size=12)
    signature(inner.rows[0].cells[1], lines, name, nip)
    cant_split(inner.rows[0])
    widths(inner, cms)


# ----------------------------------------------------------------------------- text


def title_block(doc: object, title: str, after: float = 0) -> None:
    """The document's name, the musrenbang it belongs to and the plan year, centred."""
    para(doc, title, bold=True, size=14, align="center")
    para(doc, "{{ judul_musrenbang }}", bold=True, size=12, align="center")
    para(doc, "TAHUN RENCANA {{ tahun }}", bold=True, size=12, align="center", after=after)


def label_table(container: object, rows: list[tuple[str, str, bool]], cms: list[float]) -> Table:
    """Borderless `label : value` lines (the value bold where asked)."""
    table = container.add_table(rows=0, cols=3)  # type: ignore[attr-defined]
    no_borders(table)
    for label, value, bold in rows:
        row = table.add_row()
        cant_split(row)
        cell_text(row.cells[0], label, size=12)
        cell_text(row.cells[1], ":", size=12)
        cell_text(row.cells[2], value, size=12, bold=bold)
    widths(table, cms)
    return table


def info_table(doc: object, rows: list[tuple[str, str]], label_cm: float = 4.0) -> None:
    label_table(doc, [(label, value, False) for label, value in rows], [label_cm, 0.5, 11.5])


def body_text(doc: object, texts: list[str]) -> list[Paragraph]:
    """Justified paragraphs with an indented first line."""
    return [para(doc, text, align="justify", after=6, first_line_cm=1.0) for text in texts]


def numbered(doc: object, items: list[str]) -> list[Paragraph]:
    """A numbered list with hanging indent (`1.<tab>text`)."""
    out = []
    for no, text in enumerate(items, 1):
        p = para(doc, f"{no}.\t{text}", align="justify", after=4, indent_cm=0.8)
        p.paragraph_format.first_line_indent = Cm(-0.8)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(0.8))
        out.append(p)
    return out


def penutup_berita_acara(doc: object) -> Paragraph:
    """The closing sentence; it keeps with the signatures after it."""
    return keep_next(
        para(
            doc,
            "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
            "sebagaimana mestinya.",
            align="justify",
            before=4,
            after=12,
            first_line_cm=1.0,
        )
    )


def keputusan_items(urutan: str) -> list[str]:
    """The decisions of a berita acara: agreed (with `urutan`), rejected, agreed cost. A
    clause with nothing to count is left out ('0 (nol) usulan diterima dengan revisi')."""
    return [
        "{% if keputusan.disepakati %}Sebanyak {{ keputusan.disepakati }} "
        "({{ keputusan.disepakati_kata }}) usulan disepakati"
        "{% if keputusan.revisi and keputusan.diterima %}, terdiri atas {{ keputusan.diterima }} "
        "({{ keputusan.diterima_kata }}) usulan diterima dan {{ keputusan.revisi }} "
        "({{ keputusan.revisi_kata }}) usulan diterima dengan revisi"
        "{% elif keputusan.revisi %}, seluruhnya diterima dengan revisi{% endif %}, "
        f"{urutan} sebagaimana tercantum dalam Lampiran I;"
        "{% else %}Tidak ada usulan yang disepakati;{% endif %}",
        "{% if keputusan.ditolak %}Sebanyak {{ keputusan.ditolak }} ({{ keputusan.ditolak_kata }}) "
        "usulan belum disepakati (ditolak), dengan alasan sebagaimana tercantum dalam Lampiran II;"
        "{% else %}Tidak ada usulan yang ditolak;{% endif %}",
        "Jumlah perkiraan biaya usulan yang disepakati sebesar {{ keputusan.biaya_rupiah }} "
        "({{ keputusan.biaya_kata }} rupiah).",
    ]


def heading(doc: object, text: str, before: float = 0) -> None:
    """A bold section heading that stays on the page of the table below it."""
    keep_next(para(doc, text, bold=True, before=before, after=4))


# ----------------------------------------------------------------------------- tables

UsulanColumn = tuple[str, str, str, float]  # header label, cell text, alignment, width (cm)


def header_row(table: Table, labels: list[str], size: float = 10) -> None:
    row = table.rows[0]
    for cell, label in zip(row.cells, labels, strict=True):
        cell_text(cell, label, bold=True, size=size, align="center")
        shade(cell, "D9D9D9")
    repeat_header(row)
    keep_row(row)


def grid_table(doc: object, labels: list[str], size: float = 10, centered: bool = True) -> Table:
    """A bordered table with a shaded header row repeated on every page."""
    table = doc.add_table(rows=1, cols=len(labels))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    if centered:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row(table, labels, size=size)
    return table


def item_row(table: Table, cells: list[tuple[str, str]], size: float, keep: bool = False) -> _Row:
    """A row that does not split across pages, one (text, alignment) per cell; `keep`: it
    stays on the page of the row after it."""
    row = table.add_row()
    for idx, (text, align) in enumerate(cells):
        cell_text(row.cells[idx], text, size=size, align=align)
    if keep:
        keep_row(row)
    else:
        cant_split(row)
    return row


def item_rows(
    table: Table, loop: str, items: str, cells: list[tuple[str, str]], size: float, last: int
) -> None:
    """`{%tr for <loop> in <items> %}` rows, the last `last` of them kept with what follows
    (the total row, the signature): a total never opens a page alone."""
    if last <= 0:
        loop_row(table, f"{{%tr for {loop} in {items} %}}")
        item_row(table, cells, size)
        loop_row(table, "{%tr endfor %}")
        return
    loop_row(table, f"{{%tr for {loop} in {items}[:-{last}] %}}")
    item_row(table, cells, size)
    loop_row(table, "{%tr endfor %}")
    loop_row(table, f"{{%tr for {loop} in {items}[-{last}:] %}}")
    item_row(table, cells, size, keep=True)
    loop_row(table, "{%tr endfor %}")


def attendance_table(doc: object) -> Table:
    """The attendance list: one row per `p in peserta`, signature numbers zig-zagging; the
    last rows stay with the signature under the table."""
    labels = ["No", "Nama", "L/P", "Unsur/Lembaga", "Alamat", "Tanda Tangan"]
    table = grid_table(doc, labels)
    for items, keep in (("peserta[:-3]", False), ("peserta[-3:]", True)):
        loop_row(table, f"{{%tr for p in {items} %}}")
        row = table.add_row()
        row_height(row, 0.85)
        cell_text(row.cells[0], "{{ p.no }}", align="center")
        cell_text(row.cells[1], "{{ p.nama }}")
        cell_text(row.cells[2], "{{ p.jenis_kelamin }}", align="center")
        cell_text(row.cells[3], "{{ p.unsur }}")
        cell_text(row.cells[4], "{{ p.alamat }}")
        sig = cell_text(row.cells[5], "{{ p.ttd_kiri }}\t{{ p.ttd_kanan }}", size=9)
        sig.paragraph_format.tab_stops.add_tab_stop(Cm(1.7), WD_TAB_ALIGNMENT.LEFT)
        if keep:
            keep_row(row)
        else:
            cant_split(row)
        loop_row(table, "{%tr endfor %}")
    widths(table, [1.0, 4.3, 1.0, 3.6, 3.0, 3.6])
    return table


def usulan_table(
    doc: object,
    rows_var: str,
    columns: list[UsulanColumn],
    empty: str = "Tidak ada usulan.",
    centered: bool = True,
    keep_last: int = 0,
) -> Table:
    """A Lampiran table: a header row, one row per item of `rows_var` (`u`), and a line
    saying so when there is none. The caller adds a total row and sets the widths."""
    table = grid_table(doc, [c[0] for c in columns], size=9, centered=centered)
    cells = [(text, align) for _label, text, align, _cm in columns]
    item_rows(table, "u", rows_var, cells, 9, keep_last)
    loop_row(table, f"{{%tr if not {rows_var} %}}")
    row = table.add_row()
    merged = span(row, 0, len(columns) - 1)
    cell_text(merged, empty, size=9, align="center")
    keep_row(row)
    loop_row(table, "{%tr endif %}")
    return table


def jumlah_row(table: Table, amount_col: int, text: str, size: float = 9) -> None:
    """JUMLAH over the columns before `amount_col`, the amount in it (and empty cells after)."""
    row = table.add_row()
    merged = span(row, 0, amount_col - 1)
    cell_text(merged, "JUMLAH", bold=True, size=size, align="center")
    cell_text(row.cells[amount_col], text, bold=True, size=size, align="right")
    if amount_col + 1 < len(row.cells):
        span(row, amount_col + 1, len(row.cells) - 1)
    cant_split(row)


def grouped_usulan_table(
    doc: object, columns: list[UsulanColumn], judul: str, size: float
) -> Table:
    """Usulan in groups (`g in kelompok`, titled `g.<judul>`), a subtotal after each group
    under the Biaya column, and a grand total. A group title keeps with its first row, a
    group's last row with its subtotal, the last subtotal with the total and the total with
    the signature after the table."""
    labels = [c[0] for c in columns]
    biaya = labels.index("Biaya")
    cells = [(text, align) for _label, text, align, _cm in columns]
    table = grid_table(doc, labels, size=size)
    loop_row(table, "{%tr for g in kelompok %}")
    row = table.add_row()
    merged = span(row, 0, len(labels) - 1)
    cell_text(merged, f"{{{{ g.huruf }}}}. {{{{ g.{judul} }}}}", bold=True, size=size)
    shade(merged, "F2F2F2")
    keep_row(row)
    item_rows(table, "u", "g.usulan", cells, size, 1)

    def amount_row(label: str, amount: str, keep: bool) -> None:
        row = table.add_row()
        merged = span(row, 0, biaya - 1)
        cell_text(merged, label, bold=True, size=size, align="right")
        cell_text(row.cells[biaya], amount, bold=True, size=size, align="right")
        if biaya + 1 < len(labels):
            span(row, biaya + 1, len(labels) - 1)
        if keep:
            keep_row(row)
        else:
            cant_split(row)

    subtotal = (f"Jumlah disepakati {{{{ g.{judul} }}}}", "{{ g.jumlah_rupiah }}")
    loop_row(table, "{%tr if loop.last %}")
    amount_row(*subtotal, keep=True)
    loop_row(table, "{%tr else %}")
    amount_row(*subtotal, keep=False)
    loop_row(table, "{%tr endif %}")
    loop_row(table, "{%tr endfor %}")
    amount_row("JUMLAH DISEPAKATI", "{{ jumlah_total_rupiah }}", keep=True)
    widths(table, [c[3] for c in columns])
    return table


# ----------------------------------------------------------------------------- sections


def landscape_section(doc: object) -> object:
    """A new page in landscape for wide tables (the footer carries on from the section
    before, and so do the page numbers)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = Cm(2.0)
    section.right_margin = Cm(2.0)
    return section


def hide_section_break(doc: object) -> None:
    """The paragraph that carries the last section break takes no room: hidden, 1 pt (on a
    page the signatures fill to the bottom it would otherwise open an empty page)."""
    body = doc.element.body  # type: ignore[attr-defined]
    breaks = [
        p for p in body.iter(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    ]
    ppr = breaks[-1].find(qn("w:pPr"))
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:line"), "20")
    spacing.set(qn("w:lineRule"), "exact")
    ppr.insert(0, spacing)
    mark = OxmlElement("w:rPr")
    for tag in ("w:vanish", "w:sz", "w:szCs"):
        el = OxmlElement(tag)
        if tag != "w:vanish":
            el.set(qn("w:val"), "2")
        mark.append(el)
    ppr.find(qn("w:sectPr")).addprevious(mark)


def lampiran_section(doc: object, nomor: str, title: str) -> None:
    """A lampiran on pages of its own (landscape): every page headed with the document it
    belongs to (`lampiran.judul`, `lampiran.nomor` where there is one, `lampiran.tanggal`),
    the page numbers counting on through the whole document."""
    section = landscape_section(doc)
    hide_section_break(doc)
    section.header_distance = Cm(1.0)  # type: ignore[attr-defined]
    header = section.header  # type: ignore[attr-defined]
    header.is_linked_to_previous = False
    lines = [
        (f"LAMPIRAN {nomor}", True),
        ("{{ lampiran.judul }}", False),
        ("{%p if lampiran.nomor %}", False),
        ("Nomor\t: {{ lampiran.nomor }}", False),
        ("{%p endif %}", False),
        ("Tanggal\t: {{ lampiran.tanggal }}", False),
    ]
    first = True
    for text, bold in lines:
        p = header.paragraphs[0] if first else header.add_paragraph()
        first = False
        p.paragraph_format.left_indent = Cm(LANDSCAPE_WIDTH - 9.5)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(LANDSCAPE_WIDTH - 9.5 + 1.8))
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(10)
    last = header.add_paragraph()
    last.paragraph_format.space_after = Pt(6)
    keep_next(para(doc, title, bold=True, align="center", after=6))


def letter_head(doc: object, nomor: str, lampiran: str, perihal: str, kepada: list[str]) -> None:
    """Date on the right, then Nomor/Lampiran/Perihal on the left and the addressee right."""
    para(doc, "{{ tempat_tanggal_surat }}", align="right", after=6)
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    no_borders(table)
    left, right = table.rows[0].cells
    label_table(
        left,
        [("Nomor", nomor, False), ("Lampiran", lampiran, False), ("Perihal", perihal, True)],
        [2.3, 0.4, 6.3],
    )
    first = True
    for line in kepada:
        p = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        p.add_run(line).font.size = Pt(12)
        p.paragraph_format.left_indent = Cm(0.8)
    cant_split(table.rows[0])
    widths(table, [9.5, 7.0])
    para(doc, "", after=10)


def camat_signature(doc: object, lines: list[str], under: Table | None = None) -> None:
    """The Camat's signature on the right: after the letter's text, or as the closing row
    of the table `under`."""
    if under is not None:
        signature_row(under, lines, "{{ camat.nama }}", "{{ camat.nip_baris }}", [7.6, 8.5])
    else:
        right_signature(doc, lines, "{{ camat.nama }}", "{{ camat.nip_baris }}", [8.0, 8.5])


def tembusan(doc: object, items: list[str]) -> None:
    para(doc, "", after=10)
    para(doc, "Tembusan:", size=10, underline=True)
    for no, text in enumerate(items, 1):
        para(doc, f"{no}. {text}", size=10)
