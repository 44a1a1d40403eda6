"""Read documents as a Camat would: is every page of a PDF signable as it is?

The rules of spec/documents.md ("A Camat signs it without a correction"), checked on a
document's rendered .docx (what it holds: its signature blocks, table headers, attendance
rows) against its PDF (where LibreOffice put it: `pdftotext -bbox-layout`, word by word):

- every page has text; no page whose only content is signature blocks (or a name);
- no signature block split across pages (its first line, its name and its NIP on one page);
- no name in two signature blocks of one document;
- no word broken inside a table (header or cell: 'Prio-ritas', 'Lingkunga/n');
- no figure broken across lines (a date in figures, `Rp 1.250.000`, `NIP. …`);
- no page opened by a total row (a table's last rows keep its total row with them);
- a Daftar Hadir: at least 10 blank rows after the listed participants, 40 rows in all.

    python -m tests.tools.layout_check OUTBOX_FOLDER [...]   # every docx+pdf pair under it

prints each problem and exits 1 if there is any.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XHTML = "{http://www.w3.org/1999/xhtml}"
PT_PER_CM = 72 / 2.54
PLACE_DATE = re.compile(r"^[^,]{2,40}, (\d{1,2} \w+ \d{4}|\.{5,})$")
DOTTED = re.compile(r"^[(.\s)]*$")
NUMBERED_MARK = re.compile(r"^(\d+)\.$")


def plain(text: str) -> str:
    """Text as it reads: non-breaking spaces and hyphens as plain ones, spaces collapsed."""
    text = text.replace("\u00a0", " ").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text).strip()


# ----------------------------------------------------------------------------- the PDF


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Phrase:
    """Words on one baseline with no wide gap between them: one cell's line, one line of
    a paragraph, one signature line."""

    page: int
    words: list[Word]

    @property
    def text(self) -> str:
        return plain(" ".join(w.text for w in self.words))

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    def overlaps(self, other: Phrase) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1


@dataclass
class Page:
    number: int  # from 1
    width: float
    height: float
    words: list[Word]
    phrases: list[Phrase] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.phrases)


def _phrases(page: int, words: list[Word], gap: float = 9.0) -> list[Phrase]:
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.y1, 0), w.x0)):
        if rows and abs(rows[-1][0].y1 - w.y1) < 2.0:
            rows[-1].append(w)
        else:
            rows.append([w])
    out: list[Phrase] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        current = [row[0]]
        for w in row[1:]:
            if w.x0 - current[-1].x1 > gap:
                out.append(Phrase(page, current))
                current = [w]
            else:
                current.append(w)
        out.append(Phrase(page, current))
    return sorted(out, key=lambda p: (p.y0, p.x0))


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page of a PDF with its words and phrases (poppler's pdftotext)."""
    done = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    root = ET.fromstring(done.stdout.decode("utf-8"))
    pages = []
    for no, page in enumerate(root.iter(f"{XHTML}page"), 1):
        words = [
            Word(
                w.text or "",
                float(w.get("xMin", 0)),
                float(w.get("yMin", 0)),
                float(w.get("xMax", 0)),
                float(w.get("yMax", 0)),
            )
            for w in page.iter(f"{XHTML}word")
            if (w.text or "").strip()
        ]
        p = Page(no, float(page.get("width", 0)), float(page.get("height", 0)), words)
        p.phrases = _phrases(no, words)
        pages.append(p)
    return pages


# ----------------------------------------------------------------------------- the docx


@dataclass
class Block:
    """A signature block as the docx holds it."""

    roles: list[str]
    name: str
    nip: str = ""

    @property
    def dotted(self) -> bool:
        return bool(DOTTED.match(self.name))


def _tables(container: Document | Table, seen: set[object] | None = None) -> Iterator[Table]:
    """Every table, nested ones too, each once (a merged cell shows in several columns)."""
    seen = set() if seen is None else seen
    tables = container.tables if isinstance(container, Document) else [container]
    for table in tables:
        if table._tbl in seen:
            continue
        seen.add(table._tbl)
        yield table
        for row in table.rows:
            for cell in row.cells:
                for inner in cell.tables:
                    yield from _tables(inner, seen)


def _lines(p: Paragraph) -> list[str]:
    """A paragraph's text split at its line breaks."""
    parts: list[str] = [""]
    for node in p._p.iter():
        if node.tag == f"{W}t" and node.text:
            parts[-1] += node.text
        elif node.tag == f"{W}br":
            parts.append("")
    return [plain(x) for x in parts if plain(x)]


def _signed_name(p: Paragraph) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold and r.underline for r in runs)


def signature_blocks(doc: Document) -> list[Block]:
    """Signature blocks: a cell with a bold, underlined name (its role lines above it, an
    NIP line under it), and the Sekcam's paraf box (its name and NIP rows)."""
    blocks: list[Block] = []
    seen: set[object] = set()  # cell elements (kept alive here, so never confused)
    for table in _tables(doc):
        first = plain(table.rows[0].cells[0].text) if table.rows else ""
        if first.startswith("Paraf") and len(table.rows) >= 3:
            rest = [plain(r.cells[0].text) for r in table.rows[1:]]
            filled = [t for t in rest if t]
            nip = next((t for t in filled if t.startswith("NIP")), "")
            name = next((t for t in filled if not t.startswith("NIP")), "")
            blocks.append(Block([first], name, nip))
            continue
        for row in table.rows:
            for cell in row.cells:
                if cell._tc in seen:
                    continue
                seen.add(cell._tc)
                paras = cell.paragraphs
                for i, p in enumerate(paras):
                    if not _signed_name(p):
                        continue
                    roles = [line for q in paras[:i] for line in _lines(q)]
                    after = [plain(q.text) for q in paras[i + 1 :] if plain(q.text)]
                    nip = after[0] if after and after[0].startswith("NIP") else ""
                    blocks.append(Block(roles, plain(p.text), nip))
    return blocks


def header_labels(doc: Document) -> list[str]:
    """The labels of every repeated table header row."""
    labels = []
    for table in _tables(doc):
        for row in table.rows:
            tr_pr = row._tr.trPr
            if tr_pr is None or tr_pr.find(f"{W}tblHeader") is None:
                continue
            labels += [plain(c.text) for c in row.cells if plain(c.text)]
    return labels


def cell_words(doc: Document) -> set[str]:
    """Every word written in a table cell."""
    words: set[str] = set()
    for table in _tables(doc):
        for row in table.rows:
            for cell in row.cells:
                words.update(plain(cell.text).split())
    return words


def attendance(doc: Document) -> tuple[int, int] | None:
    """(listed participants, rows) of a Daftar Hadir's table, None for other documents."""
    for table in _tables(doc):
        head = [plain(c.text) for c in table.rows[0].cells]
        if "Tanda Tangan" in head and "Nama" in head:
            col = head.index("Nama")
            rows = [r for r in table.rows[1:] if plain(r.cells[0].text).isdigit()]
            listed = sum(1 for r in rows if plain(r.cells[col].text))
            return listed, len(rows)
    return None


def body_text(doc: Document) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in _tables(doc):
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return plain(" ".join(parts))


# ----------------------------------------------------------------------------- checks


def _fragments(word: str) -> list[str]:
    """The alphabetic pieces of a word between the places it may break ('-', '/')."""
    return [f for f in re.split(r"[-/]", word.strip("().,;:")) if len(f) >= 3 and f.isalpha()]


@dataclass
class Found:
    block: Block
    name: Phrase
    first: Phrase | None  # its first line (role or place and date) when on the name's page


def _name_at(page: Page, phrase: Phrase, name: str) -> Phrase | None:
    """`phrase` and the lines under it in its column that spell `name` (a long name wraps
    in its column), as one phrase; None when they do not."""
    if phrase.text == name:
        return phrase
    if not name.startswith(phrase.text):
        return None
    words, text, last = list(phrase.words), phrase.text, phrase
    for q in page.phrases:
        if q.y0 <= last.y0 or not q.overlaps(phrase) or q.y0 - last.y1 > 6:
            continue
        text = f"{text} {q.text}"
        words += q.words
        last = q
        if text == name:
            return Phrase(page.number, words)
        if not name.startswith(text):
            return None
    return None


def _locate(block: Block, pages: list[Page], used: set[int]) -> tuple[Found | None, str]:
    """Where a block's name stands, and whether its first line is above it on that page."""
    first = block.roles[0] if block.roles else None
    for page in pages:
        for line in page.phrases:
            phrase = _name_at(page, line, block.name) if id(line) not in used else None
            if phrase is None:
                continue
            above = [
                q
                for q in page.phrases
                if q.text == first and q.y1 <= phrase.y0 + 1 and q.overlaps(phrase)
            ]
            if first is None or above:
                used.add(id(line))
                return Found(block, phrase, above[-1] if above else None), ""
            # its first line on the page before, in the same column: split
            if page.number > 1:
                before = pages[page.number - 2]
                if any(q.text == first and q.overlaps(phrase) for q in before.phrases):
                    used.add(id(line))
                    return Found(block, phrase, None), "split"
    return None, "not found"


def _zone(page: Page, phrase: Phrase) -> str:
    """'footer' (the last 2.2 cm: page numbers, jejak), 'header' (the first 1.9 cm), or ''."""
    if phrase.y0 > page.height - 2.2 * PT_PER_CM:
        return "footer"
    if phrase.y1 < 1.9 * PT_PER_CM:
        return "header"
    return ""


def check_document(docx_path: Path, pdf_path: Path) -> list[str]:
    """Every problem a Camat would correct by hand on this document."""
    name = pdf_path.name
    doc = docx.Document(str(docx_path))
    pages = pdf_pages(pdf_path)
    problems: list[str] = []

    # every page has text
    for page in pages:
        if not [p for p in page.phrases if not _zone(page, p)]:
            problems.append(f"{name}: halaman {page.number} kosong")

    # signature blocks: located, whole on one page, nobody twice
    blocks = signature_blocks(doc)
    names = [b.name for b in blocks if not b.dotted]
    for twice in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{name}: '{twice}' menandatangani dua blok")
    used: set[int] = set()
    sign_phrases: dict[int, set[int]] = {}
    for block in blocks:
        found, why = _locate(block, pages, used)
        if found is None:
            problems.append(f"{name}: blok tanda tangan '{block.name}' tidak ditemukan di PDF")
            continue
        page = pages[found.name.page - 1]
        if why == "split":
            problems.append(
                f"{name}: blok tanda tangan '{block.name}' terpotong (halaman "
                f"{page.number - 1}-{page.number})"
            )
        if block.nip:
            below = [
                q
                for q in page.phrases
                if q.text == block.nip and q.y0 > found.name.y0 + 2 and q.overlaps(found.name)
            ]
            if not below:
                problems.append(
                    f"{name}: NIP '{block.nip}' tidak di halaman nama '{block.name}' "
                    f"(halaman {page.number})"
                )
        top = found.first.y0 if found.first else found.name.y0
        column = [
            q
            for q in page.phrases
            if q.overlaps(found.name) and top - 1 <= q.y0 and q.y1 <= found.name.y1 + 16
        ]
        sign_phrases.setdefault(page.number, set()).update(id(q) for q in column)

    # a page with signatures holds something else too
    for number, ids in sign_phrases.items():
        page = pages[number - 1]
        rest = [
            p
            for p in page.phrases
            if id(p) not in ids
            and not _zone(page, p)
            and not PLACE_DATE.match(p.text)
            and not DOTTED.match(p.text)
            and p.text not in {"Mengetahui,"}
        ]
        if not rest:
            problems.append(f"{name}: halaman {number} hanya berisi blok tanda tangan")

    # no word broken in a table, no figure broken across lines
    pdf_words = {plain(w.text) for page in pages for w in page.words}
    pdf_fragments = {f for w in pdf_words for f in _fragments(w)}
    for label in header_labels(doc):  # a header word stands whole: 'Prioritas', never 'Prio-'
        for word in label.split():
            if len(word) >= 3 and word not in pdf_words:
                problems.append(f"{name}: kata judul tabel '{word}' terpotong")
    for word in sorted(cell_words(doc)):
        for frag in _fragments(word):
            if frag not in pdf_fragments:
                problems.append(f"{name}: kata '{word}' di tabel terpotong")
    for page in pages:
        for p in page.phrases:
            if re.search(r"(^|\s)Rp$|(^|\s)NIP\.$|\b\d{1,2}-(\d{1,2}-)?$", p.text):
                problems.append(
                    f"{name}: angka terpotong di akhir baris '{p.text}' (hal. {page.number})"
                )
    text = body_text(doc)
    pdf_text = " ".join(p.text for page in pages for p in page.phrases)
    for date in sorted(set(re.findall(r"\b\d{1,2}-\d{1,2}-\d{4}\b", text))):
        if date not in pdf_text:
            problems.append(f"{name}: tanggal '{date}' terpotong")

    # a total row never opens a page
    labels = set(header_labels(doc))
    for page in pages[1:]:
        body = [p for p in page.phrases if not _zone(page, p) and p.text not in labels]
        if body and re.match(r"^(JUMLAH|Jumlah )", body[0].text):
            problems.append(f"{name}: halaman {page.number} dibuka baris jumlah '{body[0].text}'")

    # attendance rows
    rows = attendance(doc)
    if rows is not None:
        listed, total = rows
        marks = [
            int(m.group(1))
            for page in pages
            for w in page.words
            if (m := NUMBERED_MARK.match(w.text))
        ]
        printed = max(marks, default=0)
        if total - listed < 10 or total < 40:
            problems.append(
                f"{name}: {listed} peserta tercatat dan {total - listed} baris kosong "
                "(perlu 10 baris kosong dan 40 baris)"
            )
        if printed < total:
            problems.append(f"{name}: PDF memuat {printed} baris, docx {total}")
    return problems


def document_pairs(folder: Path) -> list[tuple[Path, Path]]:
    """Every rendered document under `folder` that has both its .docx and .pdf."""
    return sorted(
        (d, d.with_suffix(".pdf")) for d in folder.rglob("*.docx") if d.with_suffix(".pdf").exists()
    )


def main(argv: list[str]) -> int:
    problems: list[str] = []
    count = 0
    for folder in argv:
        for docx_path, pdf_path in document_pairs(Path(folder)):
            count += 1
            problems += check_document(docx_path, pdf_path)
    for p in problems:
        print(p)
    print(f"{count} dokumen diperiksa, {len(problems)} masalah")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
