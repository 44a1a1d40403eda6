"""Packaging: the built-in data files are found, the version and metadata are there, and an
unusable built-in template is an internal error (exit 3), never a quiet warning.

The wheel itself is built, installed outside the checkout and run by scripts/check_wheel.sh
(called from scripts/test.sh, so CI runs it).
"""

from __future__ import annotations

import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline
from pipeline.cli import main
from pipeline.core.resources import data_dir, is_checkout
from pipeline.documents import render
from pipeline.schemas import SCHEMAS_DIR
from tests.conftest import desa_inbox, make_workspace
from tests.workbooks import make_desa_workbook

CHECKOUT = Path(__file__).resolve().parents[1]


def test_checkout_uses_its_top_level_folders_as_the_sources() -> None:
    assert is_checkout()
    assert data_dir("templates") == CHECKOUT / "templates" == render.BUILTIN_TEMPLATES
    assert data_dir("schemas") == CHECKOUT / "schemas" == SCHEMAS_DIR
    assert len(list(data_dir("templates").glob("*.docx"))) == 8


def test_version_and_metadata() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"musrenbang {pipeline.__version__}"
    meta = importlib.metadata.metadata("musrenbang-pipeline")
    assert meta["Version"] == pipeline.__version__
    assert meta["License-Expression"] == "MIT"
    assert "LICENSE" in (meta.get_all("License-File") or [])
    assert "Natural Language :: Indonesian" in (meta.get_all("Classifier") or [])
    assert "Operating System :: Microsoft :: Windows" in (meta.get_all("Classifier") or [])
    assert meta["Description-Content-Type"] == "text/markdown"
    requires = " ".join(meta.get_all("Requires-Dist") or [])
    assert "psutil" in requires and "rich" in requires
    assert (CHECKOUT / "LICENSE").read_text().startswith("MIT License")


def test_every_runtime_dependency_has_a_line_in_the_readme() -> None:
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Dependencies") :]
    for name in ("psutil", "rich", "selenium", "build", "sqlalchemy", "alembic", "psycopg"):
        assert f"| {name}" in table or f", {name} |" in table, name


def _broken_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    broken = tmp_path / "installed-templates"
    shutil.copytree(render.BUILTIN_TEMPLATES, broken)
    (broken / name).write_bytes(b"bukan docx")
    monkeypatch.setattr(render, "BUILTIN_TEMPLATES", broken)
    return broken


def test_broken_builtin_template_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = make_workspace(tmp_path / "ws")
    _broken_builtin(tmp_path, monkeypatch, "daftar-hadir-desa.docx")
    make_desa_workbook(desa_inbox(ws) / "bk.xlsx", tahap="Persiapan", usulan=[])
    assert main(["run", "--root", str(ws.root)]) == 3
    out = capsys.readouterr().out
    assert "1 galat internal" in out
    log = (ws.runtime / "logs" / "pipeline.log").read_text(encoding="utf-8")
    assert "BuiltinTemplateError" in log and "Templat bawaan 'daftar-hadir-desa.docx'" in log
    # no receipt says DITERIMA for a workbook whose documents were not written
    receipts = [json.loads(p.read_text()) for p in ws.receipts.glob("*.json")]
    assert receipts == []


def test_missing_builtin_folder_is_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wheel built without its data files (the reported bug) fails loudly."""
    ws = make_workspace(tmp_path / "ws")
    monkeypatch.setattr(render, "BUILTIN_TEMPLATES", tmp_path / "no-such-folder")
    make_desa_workbook(desa_inbox(ws) / "bk.xlsx", tahap="Persiapan", usulan=[])
    assert main(["run", "--root", str(ws.root)]) == 3


def test_broken_workspace_template_is_still_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clerk's own copy in <root>/templates/ may break: that stays `template-rusak`."""
    ws = make_workspace(tmp_path / "ws")
    ws.templates.mkdir(parents=True, exist_ok=True)
    (ws.templates / "daftar-hadir-desa.docx").write_bytes(b"bukan docx")
    make_desa_workbook(desa_inbox(ws) / "bk.xlsx", tahap="Persiapan", usulan=[])
    assert main(["run", "--root", str(ws.root)]) == 0
    [receipt] = [json.loads(p.read_text()) for p in ws.receipts.glob("*.json")]
    assert receipt["status"] == "accepted"
    assert [i["code"] for i in receipt["issues"] if i["code"] == "template-rusak"]
