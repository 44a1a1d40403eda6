"""Blocks shared by the templates: kop, signatures, titles, label tables, usulan tables."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row

from .primitives import (
    bottom_rule,
    cant_split,
    cell_text,
    loop_row,
    no_borders,
    para,
    repeat_header,
    row_height,
    shade,
    span,
    widths,
)


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


def heading(doc: object, text: str, before: float = 0) -> None:
    """A bold section heading that stays on the page of the table below it."""
    p = para(doc, text, bold=True, before=before, after=4)
    p.paragraph_format.keep_with_next = True
