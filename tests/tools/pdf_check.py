"""Read the PDFs that have no .docx behind them as a Camat would: the signed "Dokumen
Musrenbang … (ditandatangani)" (the signed scans, then the rendered documents) and the
Lampiran Foto (drawn by fpdf2). Page by page, with poppler (`pdftotext -bbox-layout`,
`pdfimages -list`):

- every page on the workspace's paper (A4 by default; portrait or landscape);
- no empty page: each has text outside its footer, or an image (a scan, a photo);
- every page with a footer line `… Halaman i dari n` shows the jejak (`Jejak data <hex>`),
  one jejak for the whole PDF, and each rendered document in it is whole and in order
  (its pages 1..n, none lost, none twice);
- a Lampiran Foto: one or two photos a page, each with its caption `Foto k.` (numbered on
  through the document), the page numbers counting the whole document, the jejak on every
  page.

    python -m tests.tools.pdf_check OUTBOX_FOLDER [...]   # every such PDF under it
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from pipeline.core.jejak import found_in
from tests.tools.layout_check import PT_PER_CM, Page, pdf_pages

PAPER_PT = {"A4": (595.28, 841.89), "F4": (609.45, 935.43)}
HALAMAN = re.compile(r"^(?P<judul>.*?)\s*(?:—\s*)?Halaman (?P<i>\d+) dari (?P<n>\d+)")
FOTO = re.compile(r"^Foto (\d+)\. ")


def images_per_page(pdf: Path) -> dict[int, int]:
    """How many images each page draws (`pdfimages -list`)."""
    done = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True, timeout=120
    )
    count: dict[int, int] = defaultdict(int)
    for line in done.stdout.splitlines()[2:]:
        parts = line.split()
        if len(parts) > 2 and parts[0].isdigit() and parts[2] in ("image", "smask", "mask"):
            if parts[2] == "image":
                count[int(parts[0])] += 1
    return count


def _footer(page: Page) -> list[str]:
    return [p.text for p in page.phrases if p.y0 > page.height - 2.2 * PT_PER_CM]


def _body(page: Page) -> list[str]:
    return [p.text for p in page.phrases if p.y0 <= page.height - 2.2 * PT_PER_CM]


def _paper_ok(page: Page, paper: str) -> bool:
    w, h = PAPER_PT[paper]
    size = sorted((page.width, page.height))
    return abs(size[0] - w) < 2 and abs(size[1] - h) < 2


def check_pdf(pdf: Path, paper: str = "A4") -> list[str]:
    """Every problem a reader would see in this PDF."""
    name = pdf.name
    pages = pdf_pages(pdf)
    images = images_per_page(pdf)
    problems: list[str] = []
    if not pages:
        return [f"{name}: tidak ada halaman"]
    numbered: dict[str, list[tuple[int, int]]] = defaultdict(list)
    jejak: set[str] = set()
    for page in pages:
        where = f"{name}: halaman {page.number}"
        if not _paper_ok(page, paper):
            problems.append(f"{where} bukan {paper} ({page.width:.0f}x{page.height:.0f} pt)")
        if not _body(page) and not images.get(page.number):
            problems.append(f"{where} kosong")
        footer = " ".join(_footer(page))
        m = HALAMAN.search(footer)
        if m:
            numbered[m.group("judul")].append((int(m.group("i")), int(m.group("n"))))
            shown = found_in(footer)
            if not shown:
                problems.append(f"{where} tanpa jejak data di kaki halaman")
            jejak.update(shown)
    if len(jejak) > 1:
        problems.append(f"{name}: lebih dari satu jejak data {sorted(jejak)}")
    for judul, seen in numbered.items():
        total = {n for _i, n in seen}
        order = [i for i, _n in seen]
        if len(total) != 1 or order != list(range(1, max(total) + 1)):
            problems.append(f"{name}: halaman '{judul}' tidak lengkap atau tidak urut {seen}")
    if name.startswith("Lampiran Foto"):
        problems += _lampiran_foto(name, pages, images, numbered)
    elif "(ditandatangani)" in name and not any(images.get(p.number) for p in pages):
        problems.append(f"{name}: tidak memuat pindaian")
    return problems


def _lampiran_foto(
    name: str, pages: list[Page], images: dict[int, int], numbered: dict[str, list[tuple[int, int]]]
) -> list[str]:
    problems: list[str] = []
    if len(numbered) != 1 or len(next(iter(numbered.values()))) != len(pages):
        problems.append(f"{name}: tidak setiap halaman bernomor 'Halaman i dari {len(pages)}'")
    expected = 1
    for page in pages:
        captions = [int(m.group(1)) for t in _body(page) if (m := FOTO.match(t))]
        shown = images.get(page.number, 0)
        if captions != list(range(expected, expected + len(captions))):
            problems.append(f"{name}: halaman {page.number} keterangan foto {captions}")
        if not 1 <= shown <= 2 and "Belum ada foto dokumentasi." not in _body(page):
            problems.append(f"{name}: halaman {page.number} memuat {shown} foto")
        if shown and len(captions) != shown:
            problems.append(
                f"{name}: halaman {page.number}: {shown} foto, {len(captions)} keterangan"
            )
        expected += len(captions)
    return problems


def pdf_only(folder: Path) -> list[Path]:
    """Every PDF under `folder` that has no .docx beside it (signed, Lampiran Foto)."""
    return sorted(p for p in folder.rglob("*.pdf") if not p.with_suffix(".docx").exists())


def main(argv: list[str]) -> int:
    problems: list[str] = []
    count = 0
    for folder in argv:
        for pdf in pdf_only(Path(folder)):
            count += 1
            problems += check_pdf(pdf)
    for p in problems:
        print(p)
    print(f"{count} PDF diperiksa, {len(problems)} masalah")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
