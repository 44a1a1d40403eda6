"""docs/arsitektur.md names a module and function for every SOP step: they must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "arsitektur.md"
ROW = re.compile(r"^\|\s*([0-9][^|]*?)\s*\|[^|]*\|\s*`(pipeline/[\w/]+\.py)`\s*\|\s*(.+?)\s*\|$")


def defined_names(path: Path) -> set[str]:
    """Top-level functions and classes, and `Class.method` for methods."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.add(node.name)
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}.{item.name}")
    return names


def rows() -> list[tuple[str, str, list[str]]]:
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line)
        if m:
            out.append((m.group(1), m.group(2), re.findall(r"`([\w.]+)`", m.group(3))))
    return out


def test_every_sop_step_is_mapped() -> None:
    steps = [s for s, _, _ in rows()]
    langkat = [s for s in steps[:21]]
    assert langkat == [str(n) for n in range(1, 22)]
    assert steps[21:28] == [str(n) for n in range(1, 8)]


def test_every_named_function_exists() -> None:
    missing = []
    for step, module, functions in rows():
        path = ROOT / module
        assert path.exists(), f"step {step}: {module} does not exist"
        names = defined_names(path)
        assert functions, f"step {step}: no function named"
        missing += [f"step {step}: {module} {f}" for f in functions if f not in names]
    assert not missing, missing
