"""Benchmark of memory and time: `musrenbang run` on one very large desa workbook.

    python bench/bench_memory.py [--rows 10000] [--big 200000] [--tahap Verifikasi] [--pdf]
                                 [--json OUT]

Two real `musrenbang run` processes on fresh workspaces, each with one workbook in a desa's
inbox folder:

1. `--rows` usulan rows (default 10,000) with the row cap raised to that number
   (`[batas] baris_usulan`), so the whole workbook is read, validated, recorded in the ledger
   and written back as the current workbook with its documents (docx; PDFs too with `--pdf`).
   Goal (issue "Nothing lost, nothing stuck"): peak RSS <= 300 MB and <= 30 s on 2 cores.
2. `--big` usulan rows (default 200,000) with the default settings: the run must end with the
   cap's error `baris-terlalu-banyak` in seconds, not minutes, and a small receipt.

Peak RSS is the `ru_maxrss` of the `run` process itself (os.wait4), not of LibreOffice workers.
The workbooks are written with openpyxl's write-only mode (a plain layout: Identitas labels in
column A, values in B; Peserta and Usulan tables with their header in row 1).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from openpyxl import Workbook  # noqa: E402

from pipeline.commands import init_workspace  # noqa: E402
from pipeline.core.config import BatasSettings  # noqa: E402
from pipeline.core.standard import PESERTA_COLUMNS, USULAN_COLUMNS  # noqa: E402
from tests.workbooks import (  # noqa: E402
    DESA,
    KECAMATAN,
    PESERTA,
    TAHUN,
    USULAN,
    _identitas,
    _raw,
)

WILAYAH_CSV = """kode,nama
12,Sumatera Utara
12.05,Kabupaten Langkat
12.05.01,Bahorok
12.05.01.1001,Pekan Bahorok
12.05.01.2002,Lau Damak
12.05.01.2003,Timbang Lawan
"""
GOAL_MB, GOAL_SECONDS = 300, 30


def write_big_workbook(path: Path, rows: int, tahap: str) -> Path:
    """A desa workbook with `rows` distinct usulan (Diterima ones numbered by priority)."""
    wb = Workbook(write_only=True)
    ident = wb.create_sheet("Identitas")
    for label, value in _identitas(DESA, KECAMATAN, TAHUN, tahap, None).items():
        ident.append([label, _raw(value)])
    peserta = wb.create_sheet("Peserta")
    peserta.append(PESERTA_COLUMNS)
    for n, row in enumerate(PESERTA, start=1):
        peserta.append([n if c == "No" else _raw(row.get(c)) for c in PESERTA_COLUMNS])
    usulan = wb.create_sheet("Usulan")
    usulan.append(USULAN_COLUMNS)
    priority = 0
    for n in range(1, rows + 1):
        base = dict(USULAN[(n - 1) % len(USULAN)])
        base["Kegiatan"] = f"{base['Kegiatan']} paket {n}"
        base["Lokasi"] = f"{base['Lokasi']} titik {n}"
        if base["Keputusan"] == "Ditolak":
            base["Prioritas"] = None
        else:
            priority += 1
            base["Prioritas"] = priority
        if tahap != "Verifikasi":
            base["Keputusan"] = base["Catatan Keputusan"] = base["Prioritas"] = None
        usulan.append([n if c == "No" else _raw(base.get(c)) for c in USULAN_COLUMNS])
    wb.save(path)
    return path


def make_root(base: Path, name: str, *, cap: int | None, pdf: bool) -> Path:
    root = base / name
    root.mkdir(parents=True)
    csv = base / f"{name}-wilayah.csv"
    csv.write_text(WILAYAH_CSV, encoding="utf-8")
    init_workspace(root, csv, "12.05")
    toml = root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("polling_detik = 5", "polling_detik = 5\nstabil_detik = 0")
    if not pdf:
        text = text.replace('libreoffice = "soffice"', 'libreoffice = "soffice-tidak-dipasang"')
    if cap is not None and "baris_usulan" in BatasSettings.model_fields:
        text += f"\n[batas]\nbaris_usulan = {cap}\n"
    toml.write_text(text, encoding="utf-8")
    return root


# Spawned from a small process: on Linux a child's peak RSS includes the RSS of the process
# it was forked from, so `run` is started by a fresh interpreter that holds almost nothing.
MEASURE = """
import json, subprocess, sys, time
started = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out, err = proc.communicate()  # waits: the child's peak RSS then counts as the helper's
print(json.dumps({"seconds": time.monotonic() - started, "code": proc.returncode,
                  "stdout": out.decode(), "stderr": err.decode()}))
"""


def measure_run(root: Path) -> dict[str, Any]:
    """One `python -m pipeline run` process: wall time, peak RSS, exit code, receipt."""
    cmd = [sys.executable, "-m", "pipeline", "run", "--root", str(root)]
    helper = subprocess.Popen(
        [sys.executable, "-c", MEASURE, *cmd], cwd=REPO, stdout=subprocess.PIPE
    )
    _, _, usage = os.wait4(helper.pid, 0)  # the helper's children: `run` itself
    report = json.loads(helper.stdout.read().decode()) if helper.stdout else {}
    receipts = sorted((root / "outbox" / "tanda-terima").glob("*.json"))
    receipt: dict[str, Any] = json.loads(receipts[0].read_text("utf-8")) if receipts else {}
    codes: dict[str, int] = {}
    for item in receipt.get("issues", []):
        codes[item["code"]] = codes.get(item["code"], 0) + 1
    return {
        "seconds": round(report["seconds"], 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),  # less sensitive to load
        "exit_code": report["code"],
        "status": receipt.get("status"),
        "issues": codes,
        "receipt_kb": round(receipts[0].stat().st_size / 1024, 1) if receipts else None,
        "stdout": report["stdout"].strip().splitlines()[-2:],
        "stderr": report["stderr"].strip().splitlines()[-3:],
    }


def one_case(base: Path, name: str, rows: int, *, cap: int | None, tahap: str, pdf: bool) -> dict:
    root = make_root(base, name, cap=cap, pdf=pdf)
    folder = next(p for p in (root / "inbox").glob("*/*") if p.name.startswith(DESA.kode))
    t0 = time.monotonic()
    book = write_big_workbook(base / f"{name}.xlsx", rows, tahap)
    made = time.monotonic() - t0
    os.replace(book, folder / f"Buku Kerja Musrenbang Desa Lau Damak {TAHUN}.xlsx")
    result = measure_run(root)
    result.update(rows=rows, cap=cap, tahap=tahap, workbook_written_s=round(made, 1), pdf=pdf)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=200_000)
    parser.add_argument(
        "--tahap",
        action="append",
        help="stage(s) of the --rows workbook (default: Verifikasi and Pelaksanaan)",
    )
    parser.add_argument("--pdf", action="store_true", help="convert documents with LibreOffice")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    stages = args.tahap or ["Verifikasi", "Pelaksanaan"]
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        base = Path(tmp)
        results = [
            one_case(base, f"full-{t}", args.rows, cap=args.rows, tahap=t, pdf=args.pdf)
            for t in stages
        ]
        results.append(one_case(base, "capped", args.rows, cap=None, tahap=stages[0], pdf=args.pdf))
        if not args.skip_big:
            results.append(one_case(base, "big", args.big, cap=None, tahap=stages[0], pdf=False))
    for r in results:
        goal = ""
        if r["cap"] is not None:
            ok = r["peak_rss_mb"] <= GOAL_MB and r["seconds"] <= GOAL_SECONDS
            goal = f" (goal <= {GOAL_MB} MB, <= {GOAL_SECONDS} s: {'met' if ok else 'NOT met'})"
        print(
            f"{r['rows']:>7} usulan rows, {r['tahap']}, cap {r['cap'] or 'default'}: "
            f"{r['seconds']:.2f} s ({r['cpu_seconds']:.1f} s CPU), peak RSS {r['peak_rss_mb']:.0f} MB, exit {r['exit_code']}, "
            f"{r['status']} {r['issues']}, receipt {r['receipt_kb']} KB{goal}"
        )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
