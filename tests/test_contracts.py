"""Generated artefacts stay current: JSON Schemas, the issue-code table, the code catalog."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.core.report import CODES, codes_markdown
from pipeline.schemas import SCHEMAS_DIR, render_schemas

ROOT = Path(__file__).resolve().parent.parent


def test_schemas_are_current() -> None:
    for name, text in render_schemas().items():
        path = SCHEMAS_DIR / name
        assert path.exists(), f"run: python -m pipeline.schemas ({name} missing)"
        assert path.read_text(encoding="utf-8") == text, f"run: python -m pipeline.schemas ({name})"


def test_issue_code_table_is_current() -> None:
    doc = ROOT / "docs" / "kode-masalah.md"
    assert doc.read_text(encoding="utf-8") == codes_markdown(), (
        "run: python -m pipeline.core.report > docs/kode-masalah.md"
    )


def test_every_code_used_in_the_code_is_catalogued() -> None:
    used: set[str] = set()
    pattern = re.compile(
        r"""(?:issue|\.add|_issue|_add|code=)\(?\s*["']([a-z]+(?:-[a-z0-9]+)+)["']"""
    )
    for path in (ROOT / "pipeline").rglob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    unknown = sorted(c for c in used if c not in CODES and c.count("-") >= 1)
    assert not unknown, f"codes used but not in report.CODES: {unknown}"
    for code in CODES:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code), code


def test_receipt_schema_names_every_interface_field() -> None:
    import json

    schema = json.loads((SCHEMAS_DIR / "receipt.json").read_text())
    assert set(schema["required"]) == {
        "file", "sha256", "received_at", "status", "kind", "region", "year", "stage", "issues",
        "outputs", "archived_as",
    }  # fmt: skip
