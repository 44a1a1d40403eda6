"""Benchmark of a kabupaten batch (issue 14): every desa of Kabupaten Langkat drops one workbook.

    python bench/bench_scale.py [--desa N] [--usulan 30] [--peserta 45] [--sampel 6]
                                [--simpan DIR] [--json OUT]

A fresh workspace is made from the official region list (`../shared/data/`, every kecamatan,
desa and kelurahan of Kabupaten Langkat, 12.05: 277 desa and kelurahan; `--desa N` takes the
first N of them in kode order with their kecamatan, e.g. 24 or 60, since a full run takes many
minutes). Each desa gets the workbook the pipeline issues (`issue_workbooks`), filled the way
an operator does (pipeline/demo.py's Operator, openpyxl) with a complete Verifikasi: ~30 usulan
with decisions and ~45 peserta, and dropped into its inbox folder. Then:

1. the pass: one real `python -m pipeline run` process (LibreOffice converts every document);
2. the naive cost: a sample of the docx that pass produced, each converted by its own cold
   `soffice --headless --convert-to pdf` (one process per file, a private profile created once
   beforehand, as bench/bench_documents.py does), measured in the same run;
3. the floor: 30 of those docx converted by one warm LibreOffice worker of the pipeline's
   Converter, its CPU per document divided by the cores: no pass can beat it, whatever its
   Python does, so it bounds the ratio too;
4. the no-op pass: a second `run` with nothing new in the inbox; the files it rewrote
   (mtime or content changed, new files) are counted.

Printed: documents (PDFs) per second and seconds per document for the whole pass, naive
seconds per document and the ratio, the no-op time, peak memory. Wall time depends on the
machine's load (quoted with the load average); CPU seconds (os.wait4: ru_utime + ru_stime of the
run process and the LibreOffice processes it waited for) much less. Peak memory: the run
process's own high-water mark (VmHWM, sampled from /proc) and the peak of the RSS summed over
the run process and its LibreOffice workers. Not part of pytest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.commands import init_workspace, issue_workbooks  # noqa: E402
from pipeline.core.standard import BIDANG, BIDANG_KELURAHAN  # noqa: E402
from pipeline.core.workspace import Workspace  # noqa: E402
from pipeline.demo import Operator  # noqa: E402
from pipeline.demo_operators import working_days_before  # noqa: E402
from pipeline.documents.soffice import find_soffice  # noqa: E402
from tests.kabupaten_acak import KEGIATAN as ACAK_KEGIATAN  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "wilayah-kepmendagri-2025.csv"
KABUPATEN = "12.05"
GOAL_PER_DOC, GOAL_RATIO, GOAL_NOOP = 0.15, 15.0, 1.0
WARM_SAMPLE = 30  # docx converted by one warm LibreOffice for the floor
SEED = 1405

KEGIATAN = [  # the generated kabupaten's kegiatan (tests/kabupaten_acak.py), and two more
    *ACAK_KEGIATAN,
    ("Jalan usaha tani", "meter", 400_000),
    ("Rehabilitasi gedung PAUD", "unit", 95_000_000),
]
UNSUR_DESA = ["Pemerintah Desa/Kelurahan", "BPD", "PKK", "Kepala Dusun", "Tokoh Agama",
              "Tokoh Masyarakat", "Karang Taruna", "LPM", "Perwakilan Masyarakat"]  # fmt: skip
UNSUR_KEL = ["Pemerintah Kelurahan", "LPM", "PKK", "Kepala Lingkungan", "Tokoh Agama",
             "Tokoh Masyarakat", "Karang Taruna", "Perwakilan Masyarakat"]  # fmt: skip
NAMA = ["Rahmat", "Syahrial", "Nurhayati", "Ponirin", "Sri Wahyuni", "Abdul Halim", "Jefri",
        "Darmawati", "Budi", "Rosmawati", "Sabar", "Ngatino", "Rosita", "Ramli", "Juliana"]  # fmt: skip
MARGA = ["Sembiring", "Ginting", "Tarigan", "Sitepu", "Perangin-angin", "Karo-karo", "Barus"]


# ------------------------------------------------------------------------------ the workspace


def region_rows(n_desa: int | None) -> tuple[list[str], list[str]]:
    """CSV lines (province, kabupaten, kecamatan, desa) and the desa kode, first n in order."""
    lines = DATA.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines[1:] if line.split(",", 1)[0].startswith(KABUPATEN + ".")]
    desa = sorted(r.split(",", 1)[0] for r in rows if r.count(".", 0, r.index(",")) == 3)
    desa = desa[:n_desa] if n_desa else desa
    kecamatan = {k.rsplit(".", 1)[0] for k in desa}
    head = [line for line in lines[1:] if line.split(",", 1)[0] in ("12", KABUPATEN)]
    keep = [r for r in rows if r.split(",", 1)[0] in kecamatan or r.split(",", 1)[0] in desa]
    return ["kode,nama", *head, *keep], desa


def _usulan(rng: random.Random, n: int, kelurahan: bool) -> list[tuple[Any, ...]]:
    rows = []
    for i in range(n):
        kegiatan, satuan, harga = KEGIATAN[i % len(KEGIATAN)]
        volume = rng.randint(2, 60) if satuan in ("meter", "orang") else rng.randint(1, 12)
        asal = ("Lingkungan" if kelurahan else "Dusun") + f" {'I' * (i % 3 + 1)}"
        rows.append((asal, rng.choice(BIDANG_KELURAHAN if kelurahan else BIDANG),
                     f"{kegiatan} tahap {i // len(KEGIATAN) + 1}", f"{asal} RT {i + 1:02d}",
                     volume, satuan, volume * harga,
                     rng.choice(["Dana Kelurahan", "APBD Kabupaten"] if kelurahan
                                else ["APBDes", "APBD Kabupaten", "Swadaya"])))  # fmt: skip
    return rows


def _decisions(rng: random.Random, n: int) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    prio = 0
    for i in range(n):
        pick = rng.random()
        if pick < 0.2 and i > 0:
            out.append((None, "Ditolak", "Belum menjadi prioritas tahun ini"))
        elif pick < 0.45:
            prio += 1
            out.append((prio, "Diterima dengan Revisi", "Disesuaikan dengan pagu"))
        else:
            prio += 1
            out.append((prio, "Diterima", None))
    return out


def _peserta(rng: random.Random, n: int, kelurahan: bool) -> list[tuple[Any, ...]]:
    unsur = UNSUR_KEL if kelurahan else UNSUR_DESA
    rows = []
    for i in range(n):
        jk = "P" if i % 3 == 1 else "L"
        rows.append((f"{rng.choice(NAMA)} {rng.choice(MARGA)} {i + 1}", jk, unsur[i % len(unsur)],
                     f"Anggota {unsur[i % len(unsur)]}"))  # fmt: skip
    return rows


def build_workspace(root: Path, n_desa: int | None, n_usulan: int, n_peserta: int) -> list[str]:
    """A workspace with one filled Verifikasi workbook in every desa's inbox folder."""
    lines, desa = region_rows(n_desa)
    csv = root.parent / "wilayah-langkat.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = init_workspace(root, csv, KABUPATEN)
    toml = root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("polling_detik = 5", "polling_detik = 5\nstabil_detik = 0"))
    today = dt.date.today()
    tahun = today.year + 1
    tanggal = working_days_before(today, 3)
    issue_workbooks(root, desa, tahun)
    rng = random.Random(SEED)
    for kode in desa:
        kel = kode.split(".")[3].startswith("1")
        op = Operator(ws, kode, tahun)
        peserta = _peserta(rng, n_peserta, kel)
        women = sum(1 for p in peserta if p[1] == "P")
        identitas = {
            "Tahap": "Verifikasi",
            "Tanggal Musrenbang": tanggal,
            "Jam Mulai": "09.00",
            "Tempat": f"Balai {'Kelurahan' if kel else 'Desa'} {op.desa.nama}",
            "Alamat": f"Jl. Utama {op.desa.nama}",
            "Nama Kepala Desa/Lurah": f"Kepala {op.desa.nama}",
            "Pimpinan Rapat": f"Ketua Rapat {op.desa.nama}",
            "Notulen": f"Notulen {op.desa.nama}",
            "Jumlah Peserta Laki-laki": n_peserta - women,
            "Jumlah Peserta Perempuan": women,
        }
        op.drop(identitas, peserta=peserta, usulan=_usulan(rng, n_usulan, kel),
                decisions=_decisions(rng, n_usulan))  # fmt: skip
    return desa


# ------------------------------------------------------------------------------ measuring

# Run from a small helper process that samples the run's process tree from /proc: the run's
# own VmHWM and the peak of the RSS summed over the tree (run + LibreOffice workers).
MEASURE = r"""
import json, os, subprocess, sys, time
def tree(root):
    kids = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        p = todo.pop(); out.append(p); todo += kids.get(p, [])
    return out
def field(pid, name):
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith(name + ':'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
started = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
import threading
peak = {'hwm': 0, 'tree': 0}
def sample():
    while proc.poll() is None:
        peak['hwm'] = max(peak['hwm'], field(proc.pid, 'VmHWM'))
        peak['tree'] = max(peak['tree'], sum(field(p, 'VmRSS') for p in tree(proc.pid)))
        time.sleep(0.2)
t = threading.Thread(target=sample, daemon=True); t.start()
out, err = proc.communicate()
print(json.dumps({"seconds": time.monotonic() - started, "code": proc.returncode,
                  "hwm_kb": peak['hwm'], "tree_kb": peak['tree'],
                  "stdout": out.decode(), "stderr": err.decode()}))
"""


def measure_run(root: Path) -> dict[str, Any]:
    """One `python -m pipeline run` process: wall and CPU seconds, peak memory, exit code."""
    cmd = [sys.executable, "-m", "pipeline", "run", "--root", str(root)]
    load = os.getloadavg()[0]
    helper = subprocess.Popen(
        [sys.executable, "-c", MEASURE, *cmd], cwd=REPO, stdout=subprocess.PIPE
    )
    out = helper.stdout.read().decode() if helper.stdout else "{}"
    _, _, usage = os.wait4(helper.pid, 0)  # the helper's waited children: `run` and its own
    report = json.loads(out)
    return {
        "seconds": round(report["seconds"], 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "run_peak_rss_mb": round(report["hwm_kb"] / 1024, 1),
        "tree_peak_rss_mb": round(report["tree_kb"] / 1024, 1),
        "exit_code": report["code"],
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "stdout": report["stdout"].strip().splitlines()[-3:],
        "stderr": report["stderr"].strip().splitlines()[-3:],
    }


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file of the workspace: (mtime_ns, sha256) by relative path."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[str(path.relative_to(root))] = (path.stat().st_mtime_ns, digest)
    return files


def rewritten(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return sorted(p for p, v in after.items() if before.get(p) != v)


def naive(soffice: str, files: list[Path], work: Path) -> float:
    """Seconds for one cold `soffice --headless --convert-to pdf` process per file."""
    profile = (work / "naive-profile").resolve().as_uri()
    out = work / "naive-pdf"
    out.mkdir()
    base = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run([*base, "--outdir", str(work / "warm"), str(files[0])],
                   capture_output=True, timeout=180, check=False)  # fmt: skip
    start = time.perf_counter()
    for f in files:
        subprocess.run([*base, "--outdir", str(out), str(f)],
                       capture_output=True, timeout=180, check=False)  # fmt: skip
    elapsed = time.perf_counter() - start
    made = len(list(out.glob("*.pdf")))
    if made != len(files):
        print(f"peringatan: cara naif menghasilkan {made} dari {len(files)} PDF")
    return elapsed


def warm(files: list[Path], work: Path) -> float:
    """CPU seconds per document of LibreOffice alone: the pipeline's Converter with one warm
    worker converting `files` one after another (its processes' CPU, psutil). This is the
    floor of the pass: even with no Python work at all, a machine of C cores cannot convert
    faster than this divided by C."""
    import psutil

    from pipeline.core.config import PdfSettings
    from pipeline.documents.convert import Converter

    out = work / "warm-pdf"
    out.mkdir()
    me = psutil.Process()

    def office_cpu() -> float:
        total = 0.0
        for p in me.children(recursive=True):
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    with Converter(PdfSettings(pekerja=1), work / "warm-runtime") as conv:
        conv.convert_many(files[:1], work)  # LibreOffice started and warm
        before = office_cpu()
        made = conv.convert_many(files, out)
        spent = office_cpu() - before
    if sum(1 for v in made.values() if v) != len(files):
        print("peringatan: konversi hangat tidak menghasilkan semua PDF")
    return spent / max(1, len(files))


def receipts(root: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in (root / "outbox" / "tanda-terima").glob("*.json"):
        status = json.loads(path.read_text("utf-8")).get("status", "?")
        counts[status] = counts.get(status, 0) + 1
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--desa", type=int, default=0, help="first N desa only (0 = all, ~277)")
    ap.add_argument("--usulan", type=int, default=30)
    ap.add_argument("--peserta", type=int, default=45)
    ap.add_argument("--sampel", type=int, default=6, help="docx converted the naive way")
    ap.add_argument("--simpan", type=Path, help="keep the workspace here (must not exist)")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    ap.add_argument(
        "--proses", type=int, help="[proses] pekerja (default: the setting's, 0 = cores)"
    )
    args = ap.parse_args()
    soffice = find_soffice("soffice")
    if soffice is None:
        print("LibreOffice (soffice) tidak ditemukan: benchmark ini membutuhkannya.")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        base = args.simpan or tmp
        root = base / "kabupaten"
        base.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        desa = build_workspace(root, args.desa or None, args.usulan, args.peserta)
        if args.proses is not None:
            toml = root / "musrenbang.toml"
            text = re.sub(r"(?m)^pekerja = 0 +# proses.*$", f"pekerja = {args.proses}",
                          toml.read_text(encoding="utf-8"))  # fmt: skip
            toml.write_text(text, encoding="utf-8")
        built = time.monotonic() - t0
        print(f"{len(desa)} desa, workbooks filled in {built:.0f} s; "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        ws = Workspace(root)
        start_ns = time.time_ns()
        full = measure_run(root)
        pdfs = [p for p in ws.outbox.rglob("*.pdf") if p.stat().st_mtime_ns >= start_ns]
        docx = sorted(p for p in ws.outbox.rglob("*.docx") if p.stat().st_mtime_ns >= start_ns)
        n_docs = len(pdfs)
        got = receipts(root)
        # the naive way, on a sample spread over the kinds of document
        sample = docx[:: max(1, len(docx) // args.sampel)][: args.sampel]
        naive_work = tmp / "naive"
        naive_work.mkdir()
        naive_s = naive(soffice, sample, naive_work) / max(1, len(sample))
        warm_sample = docx[:: max(1, len(docx) // WARM_SAMPLE)][:WARM_SAMPLE]
        warm_cpu = warm(warm_sample, naive_work)
        before = snapshot(root)
        noop = measure_run(root)
        changed = rewritten(before, snapshot(root))
    finally:
        if not args.simpan:
            shutil.rmtree(tmp, ignore_errors=True)
    per_doc = full["seconds"] / max(1, n_docs)
    cpu_per_doc = full["cpu_seconds"] / max(1, n_docs)
    figures = {
        "desa": len(desa),
        "usulan_per_desa": args.usulan,
        "peserta_per_desa": args.peserta,
        "cores": os.cpu_count(),
        "proses_pekerja": args.proses,
        "workbooks_filled_s": round(built, 1),
        "receipts": got,
        "documents_pdf": n_docs,
        "docx": len(docx),
        "pass": full,
        "documents_per_second": round(n_docs / full["seconds"], 3),
        "seconds_per_document": round(per_doc, 3),
        "cpu_seconds_per_document": round(cpu_per_doc, 3),
        "naive_sample": len(sample),
        "naive_seconds_per_document": round(naive_s, 3),
        "ratio_naive_over_pipeline": round(naive_s / per_doc, 2) if n_docs else None,
        "warm_libreoffice_cpu_seconds_per_document": round(warm_cpu, 3),
        "floor_seconds_per_document": round(warm_cpu / (os.cpu_count() or 1), 3),
        "ratio_at_the_floor": round(naive_s / (warm_cpu / (os.cpu_count() or 1)), 1),
        "noop": noop,
        "noop_rewritten_files": changed,
    }
    print(f"pass: {n_docs} PDF ({len(docx)} docx), receipts {got}: {full['seconds']:.1f} s wall "
          f"({full['cpu_seconds']:.1f} s CPU), load {full['load_before']:.1f} -> "
          f"{full['load_after']:.1f}")  # fmt: skip
    print(f"      {n_docs / full['seconds']:.2f} documents/s, {per_doc:.3f} s/document "
          f"({cpu_per_doc:.3f} s CPU/document; goal <= {GOAL_PER_DOC} s)")  # fmt: skip
    print(f"naive: {naive_s:.2f} s/document (cold soffice per file, {len(sample)} files); "
          f"ratio {figures['ratio_naive_over_pipeline']}x (goal >= {GOAL_RATIO:.0f}x)")  # fmt: skip
    print(f"floor: LibreOffice alone {warm_cpu:.3f} s CPU/document (one warm worker, "
          f"{len(warm_sample)} files): on {os.cpu_count()} cores >= "
          f"{figures['floor_seconds_per_document']} s/document, ratio <= "
          f"{figures['ratio_at_the_floor']}x with no Python work at all")  # fmt: skip
    print(f"no-op: {noop['seconds']:.2f} s wall ({noop['cpu_seconds']:.2f} s CPU; goal <= "
          f"{GOAL_NOOP} s), {len(changed)} files rewritten {changed[:6]}")  # fmt: skip
    print(f"peak memory: run {full['run_peak_rss_mb']:.0f} MB, run + LibreOffice "
          f"{full['tree_peak_rss_mb']:.0f} MB")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
