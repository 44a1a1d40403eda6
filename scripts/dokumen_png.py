"""Show one page of every document the pipeline writes: docs/dokumen.md and docs/dokumen/*.png.

Run it again after a template changes (it plays the demo in a temporary folder first):

    .venv/bin/python scripts/dokumen_png.py            # play the demo, write the pictures
    .venv/bin/python scripts/dokumen_png.py --demo DIR # use a demo folder already played

Needs LibreOffice (the demo's PDFs) and poppler-utils (pdftoppm). Each page becomes a small
PNG (60 dpi, reduced to 64 colours); the Markdown page lists them with what each shows.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
OUT = DOCS / "dokumen"

# (file name pattern under the demo's outbox, which page ('last' or a number), caption)
DOCUMENTS = [
    ("**/Daftar Hadir Musrenbang Desa Lau Damak *.pdf", 1,
     "Daftar Hadir Musrenbang Desa: kop with the lambang, the participants listed, then blank "
     "rows (at least 10, 40 rows in all)."),
    ("**/Daftar Hadir Musrenbang Desa Lau Damak *.pdf", "last",
     "Its last page: the last rows stay with the Kepala Desa's signature (never alone)."),
    ("**/Berita Acara Musrenbang Desa Lau Damak *.pdf", 1,
     "Berita Acara Musrenbang Desa: dates in words and figures, attendance, the decisions; "
     "Notulen, Ketua BPD, Wakil Masyarakat and the Kepala Desa who led the rapat, in one block."),
    ("**/Berita Acara Musrenbang Desa Lau Damak *.pdf", 2,
     "Lampiran I of the Berita Acara: every page headed with the document and its date."),
    ("**/Kompilasi Usulan Musrenbang Desa Lau Damak *.pdf", 1,
     "Kompilasi Usulan: every usulan by bidang, subtotals, a total kept with its last rows."),
    ("**/Lampiran Foto Musrenbang Desa Lau Damak *.pdf", 1,
     "Lampiran Foto: two photos a page, each with its caption, the date taken (EXIF) or "
     "received, and the file name; page numbers and the jejak in the footer."),
    ("**/Dokumen Musrenbang Desa Lau Damak * (ditandatangani).pdf", "last",
     "The signed Dokumen Musrenbang: the signed scans, then the Kompilasi (its last page "
     "here) with the same jejak as every other document of the desa."),
    ("**/Berita Acara Musrenbang Kelurahan Pekan Bahorok *.pdf", 1,
     "Berita Acara Musrenbang Kelurahan: a kelurahan is not a desa (Lurah, Lingkungan, "
     "Ketua LPM; no BPD), its own jejak in the footer."),
    ("**/Surat Pemberitahuan Musrenbang Desa *.pdf", 1,
     "Surat Pemberitahuan to a desa: kop, nomor, the date, time and place of its musrenbang."),
    ("**/Daftar Hadir Musrenbang Kecamatan Bahorok *.pdf", 1,
     "Daftar Hadir Musrenbang Kecamatan."),
    ("**/Berita Acara Musrenbang Kecamatan Bahorok *.pdf", 1,
     "Berita Acara Musrenbang Kecamatan: its number; the Camat who led the sidang signs once, "
     "with his NIP."),
    ("**/Rekap Usulan Musrenbang Kecamatan Bahorok *.pdf", 1,
     "Rekap Usulan Kecamatan: per desa/UPT, per bidang, per OPD tujuan."),
    ("**/Rekap Usulan Musrenbang Kecamatan Bahorok *.pdf", "last",
     "Its last page: the total, the Sekcam's paraf (name and NIP) and the Camat's dated "
     "signature."),
    ("**/Surat Pengantar Musrenbang Kecamatan Bahorok *.pdf", 1,
     "Surat Pengantar to the Bupati c.q. Kepala Bappeda: the Lampiran counts what is sent."),
]  # fmt: skip


def play_demo(target: Path) -> None:
    musrenbang = ROOT / ".venv" / "bin" / "musrenbang"
    command = [str(musrenbang)] if musrenbang.exists() else [sys.executable, "-m", "pipeline"]
    subprocess.run([*command, "demo", str(target)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def picture(pdf: Path, page: int, png: Path) -> None:
    """One page at 60 dpi, reduced to 64 colours (a small file for the repository)."""
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), "-singlefile",
             str(pdf), str(stem)],
            check=True,
        )  # fmt: skip
        image = Image.open(f"{stem}.png").convert("RGB")
        image.quantize(colors=64).save(png, optimize=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, help="a demo folder already played")
    args = parser.parse_args(argv)
    tmp = None
    demo = args.demo
    if demo is None:
        tmp = Path(tempfile.mkdtemp(prefix="dokumen-png-"))
        demo = tmp / "demo"
        play_demo(demo)
    try:
        shutil.rmtree(OUT, ignore_errors=True)
        OUT.mkdir(parents=True)
        lines = [
            "# Dokumen (documents as they come out)",
            "",
            "One page of each document the demo (`bash scripts/demo.sh`) writes, with the built-in",
            "templates. Made by `.venv/bin/python scripts/dokumen_png.py`: run it again after a",
            "template changes. The rules these pages follow are in `../shared/spec/documents.md`",
            '("A Camat signs it without a correction") and are checked on every PDF by',
            "`tests/test_layout.py` (`python -m tests.tools.layout_check <outbox>` checks any folder;",
            "`python -m tests.tools.pdf_check <outbox>` the signed PDFs and the Lampiran Foto).",
            "Every page's footer ends with `Jejak data <12 hex>`: the digest of the ledger state of",
            "its desa/kelurahan or kecamatan it was made from (the same on all documents of that",
            "state; `pipeline/ledger/jejak.py`).",
            "",
        ]
        for no, (pattern, which, caption) in enumerate(DOCUMENTS, 1):
            found = sorted((demo / "outbox").glob(pattern))
            if not found:
                print(f"tidak ada: {pattern}", file=sys.stderr)
                continue
            pdf = found[0]
            total = pages_of(pdf)
            page = total if which == "last" else min(int(which), total)
            png = (
                OUT / f"{no:02d}-{pdf.stem.rsplit(' ', 1)[0].replace(' ', '-').lower()}-{page}.png"
            )
            picture(pdf, page, png)
            lines += [
                f"## {pdf.stem}, halaman {page} dari {total}",
                "",
                caption,
                "",
                f"![{pdf.stem}, halaman {page}](dokumen/{png.name})",
                "",
            ]
            print(f"ditulis: {png.relative_to(ROOT)}")
        (DOCS / "dokumen.md").write_text("\n".join(lines), encoding="utf-8")
        print(f"ditulis: {(DOCS / 'dokumen.md').relative_to(ROOT)}")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
