"""Benchmark: the documents of N desa through the pipeline vs. one cold soffice call per file.

    python bench/bench_documents.py [--desa 50] [--usulan 40] [--peserta 60] [--sampel 6]

Pipeline: `render.produce_desa_documents` for every desa (Daftar Hadir, Berita Acara,
Kompilasi: docx + pdf, and the kompilasi xlsx) with one shared Converter, `--paralel` desa at
a time (default: the number of workers). Timed from creating the Converter (LibreOffice
start-up included) to the last published file.

Naive: a sample of the same docx files, each converted by its own
`soffice --headless --convert-to pdf --outdir OUT FILE` (what a user scripts by hand), with
a private profile that was created once beforehand (so profile creation is not counted).

Prints documents (PDFs) per second for both and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from snapshots import realistic  # noqa: E402

from pipeline.core.config import Settings  # noqa: E402
from pipeline.core.models import Wilayah  # noqa: E402
from pipeline.core.workspace import Workspace  # noqa: E402
from pipeline.desa.documents import produce_desa_documents  # noqa: E402
from pipeline.documents.convert import Converter, find_soffice  # noqa: E402


def naive(soffice: str, files: list[Path], work: Path) -> float:
    """Seconds for one cold `soffice --convert-to pdf` per file."""
    profile = (work / "naive-profile").resolve().as_uri()
    out = work / "naive-pdf"
    out.mkdir()
    base = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    # one untimed call creates the profile
    subprocess.run(
        [*base, "--outdir", str(work / "warm"), str(files[0])],
        capture_output=True,
        timeout=180,
        check=False,
    )
    start = time.perf_counter()
    for f in files:
        subprocess.run(
            [*base, "--outdir", str(out), str(f)], capture_output=True, timeout=180, check=False
        )
    elapsed = time.perf_counter() - start
    made = len(list(out.glob("*.pdf")))
    if made != len(files):
        print(f"peringatan: naive menghasilkan {made} dari {len(files)} PDF")
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--desa", type=int, default=50)
    ap.add_argument("--usulan", type=int, default=40)
    ap.add_argument("--peserta", type=int, default=60)
    ap.add_argument("--sampel", type=int, default=6, help="files converted the naive way")
    ap.add_argument("--pekerja", type=int, default=0, help="LibreOffice workers (0 = cores)")
    ap.add_argument("--paralel", type=int, default=0, help="desa rendered at once (0 = workers)")
    ap.add_argument("--simpan", type=Path, help="keep the workspace here")
    args = ap.parse_args()

    settings = Settings()
    settings.pdf.pekerja = args.pekerja
    soffice = find_soffice(settings.pdf.libreoffice)
    if soffice is None:
        print("LibreOffice (soffice) tidak ditemukan.")
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-dokumen-"))
    root = args.simpan or work / "ws"
    ws = Workspace(root)
    snapshots = [
        realistic(
            desa=Wilayah(kode=f"12.05.01.2{i:03d}", nama=f"Uji {i + 1}"),
            n_usulan=args.usulan,
            n_peserta=args.peserta,
            seed=i,
        )
        for i in range(args.desa)
    ]

    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    start = time.perf_counter()
    with Converter(settings.pdf, ws.runtime) as conv:
        parallel = args.paralel or conv.size
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            results = list(
                pool.map(lambda s: produce_desa_documents(ws, settings, s, conv), snapshots)
            )
        mode, workers = conv.mode, conv.size
    elapsed = time.perf_counter() - start
    outputs = [p for r in results for p in r.outputs]
    pdfs = [p for p in outputs if p.suffix == ".pdf"]
    issues = [i.code for r in results for i in r.issues]

    docx = sorted(p for p in outputs if p.suffix == ".docx")
    step = max(1, len(docx) // max(1, args.sampel))
    sample = docx[::step][: args.sampel]
    load_middle = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    naive_seconds = naive(soffice, sample, work)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    ours = len(pdfs) / elapsed
    theirs = len(sample) / naive_seconds
    print(
        f"mesin: {os.cpu_count()} inti; mode konversi: {mode}; pekerja: {workers}; "
        f"desa paralel: {parallel}"
    )
    print(
        f"pipeline: {args.desa} desa, {len(pdfs)} dokumen (docx+pdf, +{len(outputs) - 2 * len(pdfs)} "
        f"xlsx) dalam {elapsed:.1f} s = {ours:.2f} dokumen/detik; masalah: {issues or 'tidak ada'}"
    )
    print(
        f"naif: {len(sample)} dokumen, satu soffice dingin per berkas, dalam "
        f"{naive_seconds:.1f} s = {theirs:.2f} dokumen/detik"
    )
    print(f"rasio: {ours / theirs:.1f}x")
    print(
        f"beban (load average 1 mnt): awal {load_before:.1f}, tengah {load_middle:.1f}, "
        f"akhir {load_after:.1f}"
    )
    if args.simpan is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
