"""More worker processes for one big pass (`[proses] pekerja`): every core busy.

A pass with many regions to do starts `pekerja - 1` child processes (`musrenbang run` with
MUSRENBANG_PEKERJA_ANAK set) on the same workspace and ledger. They take the inbox exactly as
workers on other machines do (run/turns.py: each region held by one process at a time, claims
through the ledger), each with its own LibreOffice pool, so one region's reading, checking and
rendering runs beside another's. Ledger writes stay transactions (SQLite: one writer at a time,
BEGIN IMMEDIATE). The parent holds the workspace lock for all of them, waits for them, takes
over what a child that died left, and alone writes the kabupaten reports. A child hands its
receipts back as one JSON line on its stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.core.config import Settings
from pipeline.core.receipts import Receipt

ENV = "MUSRENBANG_PEKERJA_ANAK"
ENV_PDF = "MUSRENBANG_PDF_PEKERJA_ANAK"  # the LibreOffice workers a child may start
LINE = "MUSRENBANG-ANAK "
MIN_GROUPS_PER_WORKER = 8  # fewer regions than this per process: starting one costs more


def is_child() -> bool:
    return bool(os.environ.get(ENV))


def how_many(settings: Settings, groups: int) -> int:
    """Child processes worth starting for a pass with `groups` regions to do."""
    wanted = settings.proses.workers
    return max(0, min(wanted, groups // MIN_GROUPS_PER_WORKER) - 1)


def pdf_share(settings: Settings, processes: int) -> int:
    """LibreOffice workers per process when `processes` share the pass: `[pdf] pekerja` (0 =
    cores) divided among them, so that the machine runs as many LibreOffice as it has cores,
    not that many per process (each one costs a start and its memory)."""
    return max(1, settings.pdf.workers // max(1, processes))


def child_pdf_share() -> int | None:
    """In a child: the LibreOffice workers its parent gave it (None: not a child)."""
    value = os.environ.get(ENV_PDF, "")
    return int(value) if is_child() and value.isdigit() and int(value) > 0 else None


def spawn(root: Path, n: int, pdf_workers: int) -> list[subprocess.Popen[str]]:
    env = {**os.environ, ENV: str(os.getpid()), ENV_PDF: str(pdf_workers)}
    cmd = [sys.executable, "-m", "pipeline", "run", "--root", str(root)]
    return [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(n)
    ]


def collect(
    children: list[subprocess.Popen[str]],
    receipts: list[Receipt],
    errors: list[str],
    say: Callable[[str], None],
) -> None:
    """Wait for every child; its receipts join the pass's, its other lines go to the log."""
    for child in children:
        out, _ = child.communicate()
        handed = False
        for line in out.splitlines():
            if line.startswith(LINE):
                data = json.loads(line.removeprefix(LINE))
                receipts.extend(Receipt.model_validate(r) for r in data["receipts"])
                errors.extend(data["internal_errors"])
                handed = True
            elif line.strip():
                say(line)
        if not handed:  # it died: what it held is taken over by the parent's recovery
            errors.append(f"pekerja anak {child.pid} berhenti (kode {child.returncode})")


def hand_back(receipts: list[Receipt], errors: list[str]) -> str:
    """The child's last line (cli.py prints it)."""
    data = {
        "receipts": [json.loads(r.model_dump_json()) for r in receipts],
        "internal_errors": errors,
    }
    return LINE + json.dumps(data, ensure_ascii=False)
