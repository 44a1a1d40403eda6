"""Benchmark of several workers (issue 15): one kabupaten, one, two workers on PostgreSQL, one
on SQLite, side by side in one run.

    python bench/bench_pekerja.py [--desa N] [--usulan 30] [--peserta 45] [--pg URL]
                                  [--json OUT]

The workspace of bench/bench_scale.py (every desa of Kabupaten Langkat, or the first N, one
complete Verifikasi workbook each) is built once and copied three times: the same inputs, the
same bytes. Each copy is processed by real `python -m pipeline run` processes started together
(each with its own LibreOffice pool): 1 worker on a fresh PostgreSQL database, 2 workers on
another, 1 worker on SQLite. Printed for each: wall seconds until the last worker ended, PDFs
written, documents per second, and the ratio of 2 workers over 1. The PostgreSQL server is
MUSRENBANG_TEST_PG (or --pg), as scripts/postgres.sh starts it. Not part of pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402

from bench.bench_scale import build_workspace, receipts  # noqa: E402
from tests.pg import DEFAULT_URL, set_database_url, with_database  # noqa: E402


def _database(admin: str) -> str:
    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(admin, name)


def _drop(admin: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_workers(root: Path, n: int) -> dict[str, Any]:
    """`n` run processes on one workspace, started together; wall time until the last ends."""
    load = os.getloadavg()[0]
    started = time.monotonic()
    cmd = [sys.executable, "-m", "pipeline", "run", "--root", str(root)]
    procs = [
        subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(n)
    ]
    tails = [p.communicate()[0].decode().strip().splitlines()[-1:] for p in procs]
    seconds = time.monotonic() - started
    pdfs = sum(1 for _ in (root / "outbox").rglob("*.pdf"))
    return {
        "workers": n,
        "seconds": round(seconds, 1),
        "pdf": pdfs,
        "documents_per_second": round(pdfs / seconds, 3),
        "receipts": receipts(root),
        "exit_codes": [p.returncode for p in procs],
        "load_before": round(load, 2),
        "last_lines": tails,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--desa", type=int, default=0, help="first N desa only (0 = all, ~277)")
    ap.add_argument("--usulan", type=int, default=30)
    ap.add_argument("--peserta", type=int, default=45)
    ap.add_argument("--pg", default=os.environ.get("MUSRENBANG_TEST_PG") or DEFAULT_URL)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-pekerja-"))
    made: list[str] = []
    try:
        source = tmp / "sumber" / "kabupaten"
        source.parent.mkdir(parents=True)
        desa = build_workspace(source, args.desa or None, args.usulan, args.peserta)
        print(f"{len(desa)} desa, one workbook each", flush=True)
        cases = [("postgresql", 1), ("postgresql", 2), ("sqlite", 1)]
        results = []
        for backend, n in cases:
            root = tmp / f"{backend}-{n}" / "kabupaten"
            shutil.copytree(source, root, copy_function=shutil.copy2, symlinks=True)
            toml = root / "musrenbang.toml"  # one process per worker: the workers are the case
            text = re.sub(r"(?m)^pekerja = 0 +# proses.*$", "pekerja = 1", toml.read_text())
            toml.write_text(text, encoding="utf-8")
            if backend == "postgresql":
                url = _database(args.pg)
                made.append(url)
                set_database_url(root, url)
            figures = {"backend": backend, **run_workers(root, n)}
            results.append(figures)
            print(f"{backend:<10} {n} pekerja: {figures['seconds']:7.1f} s, {figures['pdf']} PDF, "
                  f"{figures['documents_per_second']:.2f} dokumen/s (load {figures['load_before']})",
                  flush=True)  # fmt: skip
        one, two = results[0], results[1]
        ratio = two["documents_per_second"] / max(1e-9, one["documents_per_second"])
        print(f"PostgreSQL 2 pekerja / 1 pekerja: {ratio:.2f}x dokumen per detik")
        if args.json:
            args.json.write_text(json.dumps({"desa": len(desa), "cores": os.cpu_count(),
                                             "cases": results, "ratio_2_over_1": round(ratio, 2)},
                                            indent=2), encoding="utf-8")  # fmt: skip
    finally:
        for url in made:
            _drop(args.pg, url)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
