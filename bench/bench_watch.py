"""Benchmark of the watcher: from a file in the inbox to its receipt.

    python bench/bench_watch.py [--drops 20] [--burst 200] [--stabil 2] [--no-pdf] [--json OUT]

A real workspace (`musrenbang init` with Kabupaten Langkat from the shared region list, or a
few hand-written rows), a real watcher process (`python -m pipeline watch`) with the PDF
converter warm (one workbook processed before timing starts), then:

1. latency: `--drops` times, one desa workbook (a real resubmission: validation, ledger,
   documents rendered and converted to PDF) is dropped complete into the inbox (a rename, as
   a finished copy appears), and the time until its receipt exists is measured. Reported as
   drop -> receipt and as stable -> receipt, where a file is *stable* `stabil_detik` after
   its last change (the earliest moment the watcher may take it). Also for a light file (a
   photo of the meeting), which needs no documents.
2. burst: `--burst` files at once (10 workbooks of different desa, the rest photos and
   notes), time until the last receipt, and that each got exactly one.

Target (issue "The watcher"): receipt within 3 s of the file becoming stable on local disk.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PIL import Image  # noqa: E402

from pipeline.commands import init_workspace  # noqa: E402
from pipeline.core.models import Wilayah  # noqa: E402
from pipeline.core.wilayah import load_wilayah  # noqa: E402
from pipeline.core.workspace import Workspace, region_folder  # noqa: E402
from tests.workbooks import USULAN, make_desa_workbook  # noqa: E402

SHARED_CSV = REPO.parent / "shared" / "data" / "wilayah-kepmendagri-2025.csv"
FALLBACK_CSV = """kode,nama
12,Sumatera Utara
12.05,Kabupaten Langkat
12.05.01,Bahorok
12.05.01.1001,Pekan Bahorok
12.05.01.2002,Lau Damak
12.05.01.2003,Timbang Lawan
12.05.01.2004,Sampe Raya
12.05.01.2005,Tanjung Lenggang
"""


def make_ws(root: Path, stabil: float, pdf: bool) -> Workspace:
    root.mkdir(parents=True)
    csv = root.parent / "wilayah.csv"
    if SHARED_CSV.exists():
        lines = SHARED_CSV.read_text(encoding="utf-8").splitlines()
        keep = [lines[0]] + [ln for ln in lines[1:] if ln.split(",")[0] in ("12", "12.05")]
        keep += [ln for ln in lines[1:] if ln.startswith("12.05.")]
        csv.write_text("\n".join(keep) + "\n", encoding="utf-8")
    else:
        csv.write_text(FALLBACK_CSV, encoding="utf-8")
    ws = init_workspace(root, csv, "12.05")
    toml = root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("polling_detik = 5", f"polling_detik = 5\nstabil_detik = {stabil}")
    if not pdf:
        text = text.replace('libreoffice = "soffice"', 'libreoffice = "soffice-tidak-dipasang"')
    toml.write_text(text, encoding="utf-8")
    return ws


def desa_list(ws: Workspace, n: int) -> list[tuple[Wilayah, Wilayah]]:
    """n desa of the workspace's list, spread over its kecamatan."""
    wl = load_wilayah(ws.wilayah_file)
    out = []
    for desa in wl.all_desa("12.05"):
        out.append((wl.kecamatan_of(desa.kode), desa))
    step = max(1, len(out) // n)
    return out[::step][:n]


def jpeg(seed: int) -> bytes:
    img = Image.new("RGB", (640, 480), ((seed * 37) % 256, (seed * 91) % 256, 120))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return buf.getvalue()


def drop(final: Path, data: bytes) -> float:
    """Write beside, then rename into place: the file appears complete. Returns the time."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".kopi-{final.name}"
    tmp.write_bytes(data)
    os.replace(tmp, final)
    return time.monotonic()


def receipt_names(ws: Workspace) -> list[str]:
    try:
        return [
            e.name
            for e in os.scandir(ws.receipts)
            if e.name.endswith(".json") and not e.name.startswith(".")
        ]
    except OSError:
        return []


def wait_receipt(ws: Workspace, name: str, timeout: float = 120) -> float:
    suffix = f"-{name}.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(n.endswith(suffix) for n in receipt_names(ws)):
            return time.monotonic()
        time.sleep(0.01)
    raise TimeoutError(f"no receipt for {name} within {timeout} s")


class Watcher:
    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)}
        self.log = open(root.parent / "watch-output.txt", "w", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "watch", "--root", str(root)],
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        if os.name == "posix":
            self.proc.send_signal(signal.SIGTERM)
        else:
            self.proc.terminate()
        self.proc.wait(120)
        self.log.close()


def stats(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "median": round(statistics.median(values), 3),
        "p90": round(values[int(0.9 * (len(values) - 1))], 3),
        "min": round(values[0], 3),
        "max": round(values[-1], 3),
    }


def workbook(tmp: Path, kec: Wilayah, desa: Wilayah, variant: int) -> bytes:
    usulan = [dict(u) for u in USULAN]
    usulan[0]["Volume"] = 250 + variant  # a real resubmission: new content, same usulan
    path = make_desa_workbook(tmp / f"wb-{desa.kode}-{variant}.xlsx", desa=desa,
                              kecamatan=kec, usulan=usulan)  # fmt: skip
    return path.read_bytes()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drops", type=int, default=20)
    ap.add_argument("--burst", type=int, default=200)
    ap.add_argument("--stabil", type=float, default=2.0, help="stabil_detik (default 2)")
    ap.add_argument("--no-pdf", action="store_true", help="skip LibreOffice")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--keep", action="store_true", help="keep the workspace")
    args = ap.parse_args()

    pdf = not args.no_pdf and shutil.which("soffice") is not None
    base = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    ws = make_ws(base / "ws", args.stabil, pdf)
    # every workbook is a first submission of another desa (a resubmission must carry the
    # Kode Usulan of the issued workbook; that path is the same work)
    regions = desa_list(ws, 1 + args.drops + 10)
    kec0, desa0 = regions[0]
    tmp = base / "src"
    tmp.mkdir()
    figures: dict[str, Any] = {
        "stabil_detik": args.stabil,
        "pdf": pdf,
        "cpus": os.cpu_count(),
        "drops": args.drops,
    }
    print(f"workspace {ws.root}; stabil_detik={args.stabil}; PDF {'ya' if pdf else 'tidak'}")
    watcher = Watcher(ws.root)
    try:
        # warm up: the first workbook starts LibreOffice
        t0 = drop(ws.inbox_desa(kec0, desa0) / "pemanasan.xlsx", workbook(tmp, kec0, desa0, 0))
        figures["first_workbook_cold_s"] = round(wait_receipt(ws, "pemanasan.xlsx") - t0, 3)

        heavy, light = [], []
        for i in range(1, args.drops + 1):
            kec, desa = regions[i]
            desa_dir = ws.inbox_desa(kec, desa)
            data = workbook(tmp, kec, desa, i)
            name = f"Buku Kerja {i:02d}.xlsx"
            t = drop(desa_dir / name, data)
            heavy.append(wait_receipt(ws, name) - t)
            name = f"foto rapat {i:02d}.jpg"
            t = drop(desa_dir / "dokumen" / "foto" / name, jpeg(i))
            light.append(wait_receipt(ws, name) - t)
        figures["workbook_drop_to_receipt_s"] = stats(heavy)
        figures["workbook_stable_to_receipt_s"] = stats([x - args.stabil for x in heavy])
        figures["photo_drop_to_receipt_s"] = stats(light)
        figures["photo_stable_to_receipt_s"] = stats([x - args.stabil for x in light])

        # burst
        files: dict[Path, bytes] = {}
        burst_regions = regions[args.drops + 1 :]
        for i in range(args.burst):
            kec, desa = burst_regions[i % len(burst_regions)]
            folder = ws.inbox / region_folder(kec) / region_folder(desa)
            if i < 10:
                files[folder / f"Buku Kerja ledakan {i:03d}.xlsx"] = workbook(
                    tmp, kec, desa, 100 + i
                )
            elif i % 2:
                files[folder / "dokumen" / "foto" / f"ledakan {i:03d}.jpg"] = jpeg(i)
            else:
                files[folder / f"catatan ledakan {i:03d}.txt"] = f"catatan {i}\n".encode() * 50
        before = len(receipt_names(ws))
        start = time.monotonic()
        for path, data in files.items():
            drop(path, data)
        dropped = time.monotonic()
        deadline = dropped + 1800
        while len(receipt_names(ws)) < before + len(files) and time.monotonic() < deadline:
            time.sleep(0.05)
        done = time.monotonic()
        time.sleep(2)
        names = [n.split("-", 2)[-1][: -len(".json")] for n in receipt_names(ws)]
        once = all(names.count(p.name) == 1 for p in files)
        wanted = {p.name for p in files}
        status: dict[str, int] = {}
        for n in receipt_names(ws):
            r = json.loads((ws.receipts / n).read_text(encoding="utf-8"))
            if r["file"] in wanted:
                key = f"{r['kind']} {r['status']}"
                status[key] = status.get(key, 0) + 1
        figures["burst"] = {
            "files": len(files),
            "workbooks": 10,
            "drop_seconds": round(dropped - start, 3),
            "last_receipt_after_s": round(done - start, 3),
            "files_per_second": round(len(files) / (done - start), 2),
            "each_exactly_once": once,
            "receipts": status,
        }
    finally:
        watcher.stop()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
