"""Shared fixtures: a small real workspace (region rows from the official list)."""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.commands import init_workspace
from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.run.batch import PassResult, run_pass
from tests import pg

# PostgreSQL (tests/pg.py): a fresh database per test, and a ledger over SQLite and PostgreSQL
pg_url = pg.pg_url
ledger_url = pg.ledger_url

# A few rows of ../shared/data/wilayah-kepmendagri-2025.csv (Kabupaten Langkat, Kec. Bahorok).
WILAYAH_CSV = """kode,nama
12,Sumatera Utara
12.05,Kabupaten Langkat
12.05.01,Bahorok
12.05.01.1001,Pekan Bahorok
12.05.01.2002,Lau Damak
12.05.01.2003,Timbang Lawan
"""

HAS_SOFFICE = shutil.which("soffice") is not None


def make_workspace(root: Path, *, pdf: bool = False, wilayah: str = WILAYAH_CSV) -> Workspace:
    """`musrenbang init` on a fresh folder (region list `wilayah`, csv text); without `pdf`
    LibreOffice is pointed nowhere so the test runs fast (documents are written as .docx,
    receipts say PDFs were skipped)."""
    root.mkdir(parents=True, exist_ok=True)
    csv = root.parent / f"{root.name}-wilayah.csv"
    csv.write_text(wilayah, encoding="utf-8")
    ws = init_workspace(root, csv, "12.05")
    toml = root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("polling_detik = 5", "polling_detik = 5\nstabil_detik = 0")
    if not pdf:
        text = text.replace('libreoffice = "soffice"', 'libreoffice = "soffice-tidak-dipasang"')
    toml.write_text(text, encoding="utf-8")
    return ws


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def run(workspace: Workspace) -> Callable[[], PassResult]:
    def _run() -> PassResult:
        return run_pass(workspace, load_settings(workspace.root))

    return _run


def desa_inbox(ws: Workspace, kode: str = "12.05.01.2002") -> Path:
    """The inbox folder `musrenbang init` made for a desa."""
    matches = [p for p in ws.inbox.glob("*/*") if p.name.startswith(kode + " ")]
    assert len(matches) == 1, matches
    return matches[0]


def requires_soffice() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) tidak terpasang")


@dataclass
class DemoRun:
    """`musrenbang demo` played once for the whole test session (it takes a while)."""

    root: Path
    code: int
    out: str


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    from pipeline.cli import main

    target = tmp_path_factory.mktemp("demo-run") / "demo"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["demo", str(target)])
    return DemoRun(target, code, out.getvalue())
