"""Regenerate the built-in document templates (python-docx): `python templates/build_templates.py`.

The .docx files in this folder are the product; this script is how they were made, so a
layout change is a reviewed code change. A Bappeda clerk does not need it: copy a .docx to
the workspace's templates/ folder and edit it in Word or LibreOffice Writer
(docs/templates.md lists the variables of each template).

Rules the templates follow (docxtpl): every Jinja tag sits in one run with plain formatting;
table loops are `{%tr ... %}` rows; no merge tags.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

HERE = Path(__file__).resolve().parent
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
    section = doc.sections[0]  # type: ignore[attr-defined]
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run("{{ judul_dokumen }} — Halaman ")
    run.font.size = Pt(8)
    field(p, "PAGE", 8)
    run = p.add_run(" dari ")
    run.font.size = Pt(8)
    field(p, "NUMPAGES", 8)


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


def kop(doc: object) -> None:
    """Letterhead: kabupaten, kecamatan, desa/kelurahan, address line, a double rule."""
    para(doc, "{{ kop.pemerintah }}", bold=True, size=14, align="center")
    para(doc, "{{ kop.kecamatan }}", bold=True, size=14, align="center")
    para(doc, "{{ kop.desa }}", bold=True, size=16, align="center")
    p = para(doc, "{{ kop.alamat }}", italic=True, size=10, align="center", after=2)
    bottom_rule(p)
    para(doc, "", after=6)


def signature(cell: _Cell, lines: list[str], name: str, nip: str | None = None) -> None:
    """Title lines, room to sign, the name underlined, optionally an NIP line."""
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


def header_row(table: Table, labels: list[str], size: float = 10) -> None:
    row = table.rows[0]
    for cell, label in zip(row.cells, labels, strict=True):
        cell_text(cell, label, bold=True, size=size, align="center")
        shade(cell, "D9D9D9")
    repeat_header(row)
    cant_split(row)


# ----------------------------------------------------------------------------- shared blocks

UsulanColumn = tuple[str, str, str, float]  # header label, cell text, alignment, width (cm)


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
        cell_text(row.cells[0], label, size=12)
        cell_text(row.cells[1], ":", size=12)
        cell_text(row.cells[2], value, size=12, bold=bold)
    widths(table, cms)
    return table


def info_table(doc: object, rows: list[tuple[str, str]], label_cm: float = 4.0) -> None:
    label_table(doc, [(label, value, False) for label, value in rows], [label_cm, 0.5, 11.5])


def body_text(doc: object, texts: list[str]) -> None:
    """Justified paragraphs with an indented first line."""
    for text in texts:
        para(doc, text, align="justify", after=6, first_line_cm=1.0)


def numbered(doc: object, items: list[str]) -> None:
    """A numbered list with hanging indent (`1.<tab>text`)."""
    for no, text in enumerate(items, 1):
        p = para(doc, f"{no}.\t{text}", align="justify", after=4, indent_cm=0.8)
        p.paragraph_format.first_line_indent = Cm(-0.8)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(0.8))


def penutup_berita_acara(doc: object) -> None:
    para(
        doc,
        "Demikian berita acara ini dibuat dengan sebenarnya untuk dipergunakan "
        "sebagaimana mestinya.",
        align="justify",
        before=4,
        after=12,
        first_line_cm=1.0,
    )


def grid_table(doc: object, labels: list[str], size: float = 10, centered: bool = True) -> Table:
    """A bordered table with a shaded header row repeated on every page."""
    table = doc.add_table(rows=1, cols=len(labels))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    if centered:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row(table, labels, size=size)
    return table


def item_row(table: Table, cells: list[tuple[str, str]], size: float) -> _Row:
    """A row that does not split across pages, one (text, alignment) per cell."""
    row = table.add_row()
    cant_split(row)
    for idx, (text, align) in enumerate(cells):
        cell_text(row.cells[idx], text, size=size, align=align)
    return row


def right_signature(
    doc: object, lines: list[str], name: str, nip: str, cms: list[float], keep: bool = True
) -> None:
    """A signature on the right half of the page (an empty cell on the left)."""
    sign = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    no_borders(sign)
    cell_text(sign.rows[0].cells[0], "", size=12)
    signature(sign.rows[0].cells[1], lines, name, nip)
    if keep:
        cant_split(sign.rows[0])
    widths(sign, cms)


Signatory = tuple[list[str], str, str | None]  # title lines, name, NIP line


def signature_grid(doc: object, top: list[Signatory], bottom: list[Signatory]) -> None:
    """The place and date, then two signatures side by side over one or two below."""
    para(doc, "{{ tempat_tanggal_ttd }}", align="right", after=6)
    sign = doc.add_table(rows=2, cols=2)  # type: ignore[attr-defined]
    no_borders(sign)
    lower = list(sign.rows[1].cells) if len(bottom) == 2 else [span(sign.rows[1], 0, 1)]
    for cells, people in ((list(sign.rows[0].cells), top), (lower, bottom)):
        for cell, (lines, name, nip) in zip(cells, people, strict=True):
            signature(cell, lines, name, nip)
    for row in sign.rows:
        cant_split(row)
    widths(sign, [8.0, 8.5])


def attendance_table(doc: object) -> None:
    """The attendance list: one row per `p in peserta`, signature numbers zig-zagging."""
    labels = ["No", "Nama", "L/P", "Unsur/Lembaga", "Alamat", "Tanda Tangan"]
    table = grid_table(doc, labels)
    loop_row(table, "{%tr for p in peserta %}")
    row = table.add_row()
    row_height(row, 0.85)
    cant_split(row)
    cell_text(row.cells[0], "{{ p.no }}", align="center")
    cell_text(row.cells[1], "{{ p.nama }}")
    cell_text(row.cells[2], "{{ p.jenis_kelamin }}", align="center")
    cell_text(row.cells[3], "{{ p.unsur }}")
    cell_text(row.cells[4], "{{ p.alamat }}")
    sig = cell_text(row.cells[5], "{{ p.ttd_kiri }}\t{{ p.ttd_kanan }}", size=9)
    sig.paragraph_format.tab_stops.add_tab_stop(Cm(1.7), WD_TAB_ALIGNMENT.LEFT)
    loop_row(table, "{%tr endfor %}")
    widths(table, [1.0, 4.3, 1.0, 3.6, 3.0, 3.6])


def lampiran_heading(doc: object, lampiran: str, title: str) -> None:
    para(doc, lampiran, bold=True, size=11)
    para(doc, "{{ judul_lampiran }}", size=11, after=8)
    para(doc, title, bold=True, align="center")
    para(doc, "", after=4)


def usulan_table(
    doc: object,
    rows_var: str,
    columns: list[UsulanColumn],
    empty: str = "Tidak ada usulan.",
    centered: bool = True,
) -> Table:
    """A Lampiran table: a header row, one row per item of `rows_var` (`u`), and a line
    saying so when there is none. The caller adds a total row and sets the widths."""
    table = grid_table(doc, [c[0] for c in columns], size=9, centered=centered)
    loop_row(table, f"{{%tr for u in {rows_var} %}}")
    item_row(table, [(text, align) for _label, text, align, _cm in columns], 9)
    loop_row(table, "{%tr endfor %}")
    loop_row(table, f"{{%tr if not {rows_var} %}}")
    row = table.add_row()
    merged = span(row, 0, len(columns) - 1)
    cell_text(merged, empty, size=9, align="center")
    loop_row(table, "{%tr endif %}")
    return table


def jumlah_row(table: Table, amount_col: int, text: str, keep: bool) -> None:
    """JUMLAH over the columns before `amount_col`, the amount in it."""
    row = table.add_row()
    if keep:
        cant_split(row)
    merged = span(row, 0, amount_col - 1)
    cell_text(merged, "JUMLAH", bold=True, size=9, align="center")
    cell_text(row.cells[amount_col], text, bold=True, size=9, align="right")


def grouped_usulan_table(doc: object, columns: list[UsulanColumn], judul: str, size: float) -> None:
    """Usulan in groups (`g in kelompok`, titled `g.<judul>`), a subtotal after each group
    under the Biaya column, and a grand total."""
    labels = [c[0] for c in columns]
    biaya = labels.index("Biaya")
    table = grid_table(doc, labels, size=size)
    loop_row(table, "{%tr for g in kelompok %}")
    row = table.add_row()
    cant_split(row)
    merged = span(row, 0, len(labels) - 1)
    cell_text(merged, f"{{{{ g.huruf }}}}. {{{{ g.{judul} }}}}", bold=True, size=9)
    shade(merged, "F2F2F2")
    loop_row(table, "{%tr for u in g.usulan %}")
    item_row(table, [(text, align) for _label, text, align, _cm in columns], size)
    loop_row(table, "{%tr endfor %}")
    for label, amount, after in (
        (f"Jumlah disepakati {{{{ g.{judul} }}}}", "{{ g.jumlah_rupiah }}", "{%tr endfor %}"),
        ("JUMLAH DISEPAKATI", "{{ jumlah_total_rupiah }}", ""),
    ):
        row = table.add_row()
        cant_split(row)
        merged = span(row, 0, biaya - 1)
        cell_text(merged, label, bold=True, size=size, align="right")
        cell_text(row.cells[biaya], amount, bold=True, size=size, align="right")
        span(row, biaya + 1, len(labels) - 1)
        if after:
            loop_row(table, after)
    widths(table, [c[3] for c in columns])


# ----------------------------------------------------------------------------- templates


def daftar_hadir() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc)
    title_block(doc, "DAFTAR HADIR", after=10)
    info_table(
        doc,
        [
            ("{{ desa.level }}", "{{ desa.nama }}"),
            ("Kecamatan", "{{ kecamatan.nama }}"),
            ("Hari/Tanggal", "{{ musrenbang.hari_tanggal }}"),
            ("Jam", "{{ musrenbang.jam }}"),
            ("Tempat", "{{ musrenbang.tempat }}"),
            ("Alamat", "{{ musrenbang.alamat }}"),
        ],
        label_cm=3.5,
    )
    para(doc, "", after=6)
    attendance_table(doc)
    para(doc, "", after=12)
    right_signature(
        doc,
        ["{{ tempat_tanggal_ttd }}", "Mengetahui,", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
        "{{ kepala.nama }}",
        "{{ kepala.nip_baris }}",
        [7.5, 9.0],
        keep=False,
    )
    footer(doc)
    return doc


def berita_acara() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop(doc)
    title_block(doc, "BERITA ACARA", after=12)
    body_text(
        doc,
        [
            "Pada hari ini {{ musrenbang.hari }} tanggal {{ musrenbang.tanggal_kata }} bulan "
            "{{ musrenbang.bulan }} tahun {{ musrenbang.tahun_kata }} "
            "({{ musrenbang.tanggal_angka }}), pukul {{ musrenbang.jam }}, bertempat di "
            "{{ musrenbang.tempat }}, {{ musrenbang.alamat }}, telah dilaksanakan Musyawarah "
            "Perencanaan Pembangunan (Musrenbang) {{ desa.level }} {{ desa.nama }}, Kecamatan "
            "{{ kecamatan.nama }}, {{ kabupaten.nama }}, untuk membahas dan menyepakati usulan "
            "rencana pembangunan {{ desa.level }} Tahun {{ tahun }}.",
            "Musrenbang {{ desa.level }} dihadiri oleh {{ hadir.jumlah }} ({{ hadir.jumlah_kata }}) "
            "orang peserta, terdiri atas {{ hadir.l }} ({{ hadir.l_kata }}) orang laki-laki dan "
            "{{ hadir.p }} ({{ hadir.p_kata }}) orang perempuan, sebagaimana tercantum dalam "
            "daftar hadir terlampir.",
            "Musyawarah dipimpin oleh {{ pimpinan_rapat }} selaku pimpinan rapat, dengan notulen "
            "{{ notulen }}. Dari {{ keputusan.jumlah_usulan }} ({{ keputusan.jumlah_usulan_kata }}) "
            "usulan yang dibahas, musyawarah menyepakati hal-hal sebagai berikut:",
        ],
    )
    numbered(doc, _keputusan_items("dengan urutan prioritas"))
    penutup_berita_acara(doc)

    signature_grid(
        doc,
        [
            (["Pimpinan Rapat,"], "{{ pimpinan_rapat }}", None),
            (["Notulen,"], "{{ notulen }}", None),
        ],
        [
            (["Wakil Masyarakat,"], "{{ wakil_masyarakat }}", None),
            (
                ["Mengetahui,", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
                "{{ kepala.nama }}",
                "{{ kepala.nip_baris }}",
            ),
        ],
    )

    # Lampiran I: agreed usulan by priority
    page_break(doc)
    lampiran_heading(doc, "LAMPIRAN I", "DAFTAR USULAN YANG DISEPAKATI (BERDASARKAN PRIORITAS)")
    columns: list[UsulanColumn] = [
        ("Prio-ritas", "{{ u.prioritas }}", "center", 1.2),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 2.6),
        ("Kegiatan", "{{ u.kegiatan }}{{ u.revisi_catatan }}", "left", 3.6),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.1),
        ("Volume", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.6),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.7),
    ]
    table = usulan_table(
        doc, "disepakati", columns, "Tidak ada usulan yang disepakati.", centered=False
    )
    jumlah_row(table, len(columns) - 1, "{{ jumlah_disepakati_rupiah }}", keep=False)
    widths(table, [c[3] for c in columns])

    # Lampiran II: not agreed (Ditolak) with reasons
    page_break(doc)
    lampiran_heading(doc, "LAMPIRAN II", "DAFTAR USULAN YANG BELUM DISEPAKATI")
    columns = [
        ("No", "{{ u.no }}", "center", 1.0),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 2.6),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 3.8),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.3),
        ("Alasan", "{{ u.catatan }}", "left", 4.1),
    ]
    table = usulan_table(doc, "ditolak", columns, "Tidak ada usulan yang ditolak.", centered=False)
    widths(table, [c[3] for c in columns])
    footer(doc)
    return doc


def _keputusan_items(urutan: str) -> list[str]:
    """The decisions of a berita acara: agreed (with `urutan`), rejected, agreed cost."""
    return [
        "Sebanyak {{ keputusan.disepakati }} ({{ keputusan.disepakati_kata }}) usulan disepakati, "
        "terdiri atas {{ keputusan.diterima }} ({{ keputusan.diterima_kata }}) usulan diterima dan "
        "{{ keputusan.revisi }} ({{ keputusan.revisi_kata }}) usulan diterima dengan revisi, "
        f"{urutan} sebagaimana tercantum dalam Lampiran I;",
        "Sebanyak {{ keputusan.ditolak }} ({{ keputusan.ditolak_kata }}) usulan belum disepakati "
        "(ditolak), dengan alasan sebagaimana tercantum dalam Lampiran II;",
        "Jumlah perkiraan biaya usulan yang disepakati sebesar {{ keputusan.biaya_rupiah }} "
        "({{ keputusan.biaya_kata }} rupiah).",
    ]


def kompilasi() -> Document:  # type: ignore[valid-type]
    doc = new_document(landscape=True)
    kop(doc)
    title_block(doc, "KOMPILASI USULAN", after=8)
    info_table(
        doc,
        [
            ("Kecamatan", "{{ kecamatan.nama }}"),
            ("Tanggal Musrenbang", "{{ musrenbang.hari_tanggal }}"),
            ("Jumlah Usulan", "{{ ringkasan }}"),
            ("Jumlah Biaya", "{{ ringkasan_biaya }}"),
        ],
        label_cm=4.5,
    )
    para(doc, "", after=6)
    grouped_usulan_table(
        doc,
        [
            ("No", "{{ u.no }}", "center", 0.9),
            ("Kode Usulan", "{{ u.kode }}", "left", 3.3),
            ("Asal", "{{ u.asal }}", "left", 1.8),
            ("Kegiatan", "{{ u.kegiatan }}", "left", 4.4),
            ("Lokasi", "{{ u.lokasi }}", "left", 2.4),
            ("Volume Satuan", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.8),
            ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.7),
            ("Sumber Dana", "{{ u.sumber_dana }}", "left", 1.9),
            ("Prio-ritas", "{{ u.prioritas }}", "center", 1.1),
            ("Keputusan", "{{ u.keputusan }}", "left", 2.0),
            ("Catatan", "{{ u.catatan }}", "left", 3.4),
        ],
        "bidang",
        size=9,
    )
    para(doc, "", after=12)
    right_signature(
        doc,
        ["{{ tempat_tanggal_ttd }}", "{{ desa.jabatan_kepala }} {{ desa.nama }}"],
        "{{ kepala.nama }}",
        "{{ kepala.nip_baris }}",
        [15.0, 10.0],
    )
    footer(doc)
    return doc


# ----------------------------------------------------------------------------- kecamatan


def kop_kecamatan(doc: object) -> None:
    """Letterhead of the kecamatan office: kabupaten, KECAMATAN <NAMA>, address, double rule."""
    para(doc, "{{ kop.pemerintah }}", bold=True, size=14, align="center")
    para(doc, "{{ kop.kecamatan }}", bold=True, size=16, align="center")
    p = para(doc, "{{ kop.alamat }}", italic=True, size=10, align="center", after=2)
    bottom_rule(p)
    para(doc, "", after=6)


def landscape_section(doc: object) -> None:
    """A new page in landscape for wide tables (the footer carries on from the section before)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = Cm(2.0)
    section.right_margin = Cm(2.0)


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
    widths(table, [9.5, 7.0])
    para(doc, "", after=10)


def camat_signature(doc: object, lines: list[str]) -> None:
    right_signature(doc, lines, "{{ camat.nama }}", "{{ camat.nip_baris }}", [8.0, 8.5])


def tembusan(doc: object, items: list[str]) -> None:
    para(doc, "", after=10)
    para(doc, "Tembusan:", size=10, underline=True)
    for no, text in enumerate(items, 1):
        para(doc, f"{no}. {text}", size=10)


def surat_pemberitahuan_desa() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop_kecamatan(doc)
    letter_head(
        doc,
        "{{ nomor_surat }}",
        "{{ lampiran }}",
        "{{ perihal }}",
        ["Kepada", "{{ kepada }}", "di -", "       {{ desa.nama }}"],
    )
    para(doc, "Dengan hormat,", after=6)
    body_text(
        doc,
        [
            "Dalam rangka penyusunan rencana pembangunan Tahun {{ tahun }} melalui Musyawarah "
            "Perencanaan Pembangunan (Musrenbang) secara berjenjang di {{ kabupaten.nama }}, "
            "bersama ini diberitahukan bahwa Musrenbang {{ desa.level }} {{ desa.nama }} "
            "dijadwalkan akan dilaksanakan pada:"
        ],
    )
    table = label_table(
        doc,
        [
            ("Hari/Tanggal", "{{ jadwal.hari_tanggal }}", True),
            ("Jam", "{{ jadwal.jam }}", True),
            ("Tempat", "{{ jadwal.tempat }}", True),
        ],
        [3.5, 0.5, 11.0],
    )
    table.alignment = WD_TABLE_ALIGNMENT.RIGHT
    para(doc, "", after=6)
    body_text(
        doc,
        [
            "Sehubungan dengan hal tersebut, dimohon kepada Saudara {{ desa.jabatan_kepala }} "
            "{{ desa.nama }} untuk mempersiapkan pelaksanaan Musrenbang {{ desa.level }} dengan "
            "mengundang unsur masyarakat (kepala dusun/lingkungan, BPD, LPM, PKK, Karang Taruna, "
            "tokoh agama, tokoh masyarakat dan perwakilan perempuan), serta menyampaikan hasilnya "
            "(berita acara, daftar hadir dan kompilasi usulan) kepada Camat paling lambat "
            "{{ batas_hari_kerja }} ({{ batas_hari_kerja_kata }}) hari kerja setelah pelaksanaan.",
            "Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih.",
        ],
    )
    para(doc, "", after=6)
    camat_signature(doc, ["{{ camat.jabatan }},"])
    tembusan(
        doc,
        [
            "{{ kabupaten.kepala_daerah }} c.q. Kepala Bappeda {{ kabupaten.nama }} "
            "(sebagai laporan);",
            "Arsip.",
        ],
    )
    footer(doc)
    return doc


def surat_pengantar_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop_kecamatan(doc)
    letter_head(
        doc,
        "{{ nomor_surat }}",
        "1 (satu) berkas",
        "{{ perihal }}",
        [
            "Kepada",
            "Yth. {{ kabupaten.kepala_daerah }}",
            "c.q. Kepala Bappeda {{ kabupaten.nama }}",
            "di -",
            "       {{ kabupaten.ibu_kota }}",
        ],
    )
    para(doc, "Dengan hormat,", after=6)
    body_text(
        doc,
        [
            "Bersama ini kami sampaikan hasil Musyawarah Perencanaan Pembangunan (Musrenbang) "
            "Kecamatan {{ kecamatan.nama }} Tahun Rencana {{ tahun }} yang dilaksanakan pada hari "
            "{{ musrenbang.hari_tanggal }} bertempat di {{ musrenbang.tempat }}, dengan rincian "
            "sebagai berikut:"
        ],
    )
    table = grid_table(doc, ["No", "Uraian", "Jumlah/Keterangan"], size=11)
    loop_row(table, "{%tr for b in berkas %}")
    item_row(
        table,
        [("{{ b.no }}", "center"), ("{{ b.uraian }}", "left"), ("{{ b.jumlah }}", "left")],
        11,
    )
    loop_row(table, "{%tr endfor %}")
    widths(table, [1.0, 8.5, 7.0])
    para(doc, "", after=6)
    body_text(
        doc,
        [
            "Usulan tersebut berasal dari {{ asal_ringkas }}. Data dan dokumen elektronik "
            "disampaikan pula dalam berkas {{ paket }}.",
            "Demikian disampaikan untuk dapat dipergunakan sebagaimana mestinya. Atas perhatian "
            "Bapak diucapkan terima kasih.",
        ],
    )
    para(doc, "", after=6)
    camat_signature(doc, ["{{ camat.jabatan }},"])
    tembusan(doc, ["Arsip."])
    footer(doc)
    return doc


def daftar_hadir_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop_kecamatan(doc)
    title_block(doc, "DAFTAR HADIR", after=10)
    info_table(
        doc,
        [
            ("Kecamatan", "{{ kecamatan.nama }}"),
            ("Kabupaten", "{{ kabupaten.nama }}"),
            ("Hari/Tanggal", "{{ musrenbang.hari_tanggal }}"),
            ("Jam", "{{ musrenbang.jam }}"),
            ("Tempat", "{{ musrenbang.tempat }}"),
            ("Alamat", "{{ musrenbang.alamat }}"),
        ],
        label_cm=3.5,
    )
    para(doc, "", after=6)
    attendance_table(doc)
    para(doc, "", after=12)
    camat_signature(doc, ["{{ tempat_tanggal_ttd }}", "Mengetahui,", "{{ camat.jabatan }}"])
    footer(doc)
    return doc


def berita_acara_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document()
    kop_kecamatan(doc)
    title_block(doc, "BERITA ACARA")
    para(doc, "Nomor: {{ nomor_berita_acara }}", size=12, align="center", after=12)
    body_text(
        doc,
        [
            "Pada hari ini {{ musrenbang.hari }} tanggal {{ musrenbang.tanggal_kata }} bulan "
            "{{ musrenbang.bulan }} tahun {{ musrenbang.tahun_kata }} "
            "({{ musrenbang.tanggal_angka }}), pukul {{ musrenbang.jam }}, bertempat di "
            "{{ musrenbang.tempat }}, {{ musrenbang.alamat }}, telah dilaksanakan Musyawarah "
            "Perencanaan Pembangunan (Musrenbang) Kecamatan {{ kecamatan.nama }}, "
            "{{ kabupaten.nama }}, untuk membahas dan menyepakati usulan rencana pembangunan dari "
            "desa/kelurahan dan UPT/instansi di Kecamatan {{ kecamatan.nama }} untuk Tahun "
            "Rencana {{ tahun }}.",
            "Musrenbang Kecamatan dihadiri oleh {{ hadir.jumlah }} ({{ hadir.jumlah_kata }}) orang "
            "peserta, terdiri atas {{ hadir.l }} ({{ hadir.l_kata }}) orang laki-laki dan "
            "{{ hadir.p }} ({{ hadir.p_kata }}) orang perempuan, sebagaimana tercantum dalam "
            "daftar hadir terlampir.",
            "Sidang dipimpin oleh {{ pimpinan_sidang }} selaku pimpinan sidang, dengan notulen "
            "{{ notulen }}. Usulan yang dibahas berjumlah {{ keputusan.jumlah_usulan }} "
            "({{ keputusan.jumlah_usulan_kata }}) usulan, terdiri atas {{ asal_ringkas }}. "
            "Musyawarah menyepakati hal-hal sebagai berikut:",
        ],
    )
    numbered(doc, _keputusan_items("dengan urutan prioritas dan OPD tujuan"))
    para(doc, "{%p if keputusan.belum %}")
    para(
        doc,
        "Sebanyak {{ keputusan.belum }} ({{ keputusan.belum_kata }}) usulan belum diputuskan.",
        align="justify",
        after=4,
        indent_cm=0.8,
    )
    para(doc, "{%p endif %}")
    penutup_berita_acara(doc)
    signature_grid(
        doc,
        [
            (["Pimpinan Sidang,"], "{{ pimpinan_sidang }}", None),
            (["Notulen,"], "{{ notulen }}", None),
        ],
        [(["Mengetahui,", "{{ camat.jabatan }}"], "{{ camat.nama }}", "{{ camat.nip_baris }}")],
    )

    landscape_section(doc)
    lampiran_heading(doc, "LAMPIRAN I", "DAFTAR USULAN YANG DISEPAKATI (BERDASARKAN PRIORITAS)")
    columns: list[UsulanColumn] = [
        ("Prio-ritas", "{{ u.prioritas }}", "center", 1.3),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.6),
        ("Desa/Kelurahan / Asal", "{{ u.asal_judul }}", "left", 3.0),
        ("Bidang", "{{ u.bidang }}", "left", 3.0),
        ("Kegiatan", "{{ u.kegiatan }}{{ u.revisi_catatan }}", "left", 4.6),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.4),
        ("Volume", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.7),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.7),
        ("OPD Tujuan", "{{ u.opd_tujuan }}", "left", 3.4),
    ]
    table = usulan_table(doc, "disepakati", columns)
    jumlah_row(table, len(columns) - 2, "{{ jumlah_disepakati_rupiah }}", keep=True)
    widths(table, [c[3] for c in columns])
    page_break(doc)
    lampiran_heading(doc, "LAMPIRAN II", "DAFTAR USULAN YANG BELUM DISEPAKATI")
    columns = [
        ("No", "{{ u.no }}", "center", 1.0),
        ("Kode Usulan", "{{ u.kode }}", "left", 3.6),
        ("Desa/Kelurahan / Asal", "{{ u.asal_judul }}", "left", 3.2),
        ("Bidang", "{{ u.bidang }}", "left", 3.2),
        ("Kegiatan", "{{ u.kegiatan }}", "left", 4.8),
        ("Lokasi", "{{ u.lokasi }}", "left", 2.6),
        ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.6),
        ("Alasan", "{{ u.catatan }}", "left", 4.7),
    ]
    table = usulan_table(doc, "ditolak", columns)
    widths(table, [c[3] for c in columns])
    footer(doc)
    return doc


def heading(doc: object, text: str, before: float = 0) -> None:
    """A bold section heading that stays on the page of the table below it."""
    p = para(doc, text, bold=True, before=before, after=4)
    p.paragraph_format.keep_with_next = True


_RINGKASAN = [
    ("Usulan", "{{ r.jumlah }}", 1.6),
    ("Diterima", "{{ r.diterima }}", 1.8),
    ("Diterima dgn Revisi", "{{ r.revisi }}", 2.0),
    ("Ditolak", "{{ r.ditolak }}", 1.7),
    ("Belum Diputus-kan", "{{ r.belum }}", 1.8),
    ("Biaya Semula (disepakati)", "{{ r.biaya_rupiah }}", 3.2),
    ("Biaya Disepakati", "{{ r.biaya_disepakati_rupiah }}", 3.2),
]


def _summary_table(doc: object, loop: str, lead: list[tuple[str, str, float]]) -> None:
    """A recap view: leading label columns, then counts and costs, then a JUMLAH row."""
    table = grid_table(doc, [c[0] for c in lead] + [c[0] for c in _RINGKASAN], size=9)
    loop_row(table, f"{{%tr for r in {loop} %}}")
    item_row(
        table,
        [(text, "center" if idx == 0 else "left") for idx, (_label, text, _cm) in enumerate(lead)]
        + [(text, "right") for _label, text, _cm in _RINGKASAN],
        9,
    )
    loop_row(table, "{%tr endfor %}")
    row = table.add_row()
    cant_split(row)
    merged = span(row, 0, len(lead) - 1)
    cell_text(merged, "JUMLAH", bold=True, size=9, align="center")
    for idx, (_label, text, _cm) in enumerate(_RINGKASAN, len(lead)):
        cell_text(row.cells[idx], text.replace("r.", "jumlah."), bold=True, size=9, align="right")
    widths(table, [c[2] for c in lead] + [c[2] for c in _RINGKASAN])


def rekap_usulan_kecamatan() -> Document:  # type: ignore[valid-type]
    doc = new_document(landscape=True)
    kop_kecamatan(doc)
    title_block(doc, "REKAPITULASI USULAN", after=8)
    info_table(
        doc,
        [
            ("Kabupaten", "{{ kabupaten.nama }}"),
            ("Tanggal Musrenbang", "{{ musrenbang.hari_tanggal }}"),
            ("Desa/Kelurahan", "{{ desa_terkirim }} telah mengirim usulan"),
            ("Jumlah Usulan", "{{ ringkasan }}"),
            ("Jumlah Biaya", "{{ ringkasan_biaya }}"),
        ],
        label_cm=4.5,
    )
    heading(doc, "A. REKAP PER DESA/KELURAHAN DAN UPT/INSTANSI", before=8)
    _summary_table(
        doc,
        "per_desa",
        [("No", "{{ r.no }}", 0.9), ("Desa/Kelurahan / UPT", "{{ r.nama }}", 5.5),
         ("Jenis", "{{ r.jenis }}", 2.2)],
    )  # fmt: skip
    heading(doc, "B. REKAP PER BIDANG", before=10)
    _summary_table(doc, "per_bidang", [("No", "{{ r.no }}", 0.9), ("Bidang", "{{ r.nama }}", 7.7)])
    heading(doc, "C. REKAP PER OPD TUJUAN", before=10)
    _summary_table(doc, "per_opd", [("No", "{{ r.no }}", 0.9), ("OPD Tujuan", "{{ r.nama }}", 7.7)])

    page_break(doc)
    heading(doc, "D. DAFTAR USULAN PER DESA/KELURAHAN DAN UPT/INSTANSI", before=0)
    grouped_usulan_table(
        doc,
        [
            ("No", "{{ u.no }}", "center", 0.9),
            ("Kode Usulan", "{{ u.kode }}", "left", 3.1),
            ("Bidang", "{{ u.bidang }}", "left", 2.4),
            ("Kegiatan", "{{ u.kegiatan }}", "left", 3.5),
            ("Lokasi", "{{ u.lokasi }}", "left", 1.9),
            ("Volume Satuan", "{{ u.volume_satuan }}{{ u.volume_semula_baris }}", "center", 1.6),
            ("Biaya", "{{ u.biaya_rupiah }}{{ u.biaya_semula_baris }}", "right", 2.9),
            ("Sumber Dana", "{{ u.sumber_dana }}", "left", 1.7),
            ("OPD Tujuan", "{{ u.opd_tujuan }}", "left", 2.5),
            ("Prio-ritas", "{{ u.prioritas }}", "center", 1.1),
            ("Keputusan", "{{ u.keputusan }}", "left", 1.9),
            ("Catatan", "{{ u.catatan }}", "left", 2.2),
        ],
        "judul",
        size=8,
    )

    para(doc, "", after=12)
    sign = doc.add_table(rows=1, cols=3)
    no_borders(sign)
    box = sign.rows[0].cells[0].add_table(rows=3, cols=1)
    box.style = "Table Grid"
    cell_text(box.rows[0].cells[0], "Paraf Sekretaris Camat", bold=True, size=9, align="center")
    shade(box.rows[0].cells[0], "F2F2F2")
    row_height(box.rows[1], 1.4)
    cell_text(box.rows[1].cells[0], "", size=9)
    cell_text(box.rows[2].cells[0], "{{ sekcam.nama }}", size=9, align="center")
    widths(box, [5.0])
    cell_text(sign.rows[0].cells[1], "", size=12)
    signature(
        sign.rows[0].cells[2],
        ["{{ tempat_ttd }}", "{{ camat.jabatan }}"],
        "{{ camat.nama }}",
        "{{ camat.nip_baris }}",
    )
    cant_split(sign.rows[0])
    widths(sign, [6.0, 9.7, 10.0])
    footer(doc)
    return doc


KECAMATAN_TEMPLATES = {
    "surat-pemberitahuan-desa.docx": surat_pemberitahuan_desa,
    "daftar-hadir-kecamatan.docx": daftar_hadir_kecamatan,
    "berita-acara-kecamatan.docx": berita_acara_kecamatan,
    "rekap-usulan-kecamatan.docx": rekap_usulan_kecamatan,
    "surat-pengantar-kecamatan.docx": surat_pengantar_kecamatan,
}


TEMPLATES = {
    "daftar-hadir-desa.docx": daftar_hadir,
    "berita-acara-desa.docx": berita_acara,
    "kompilasi-usulan-desa.docx": kompilasi,
}
TEMPLATES.update(KECAMATAN_TEMPLATES)


def main(names: list[str] | None = None) -> None:
    """Write every template, or only those named (`build_templates.py rekap-usulan-kecamatan.docx`)."""
    for name, build in TEMPLATES.items():
        if names and name not in names:
            continue
        doc = build()
        doc.core_properties.title = name.removesuffix(".docx")  # type: ignore[attr-defined]
        doc.core_properties.author = "Pipeline Musrenbang"  # type: ignore[attr-defined]
        doc.save(str(HERE / name))  # type: ignore[attr-defined]
        print(f"ditulis: {HERE / name}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
