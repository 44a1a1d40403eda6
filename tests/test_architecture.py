"""The house rules of pipeline/: imports point one way and no module imports itself back.

faces (cli, commands, demo, schemas) -> run -> kabupaten -> kecamatan -> desa -> machinery
(intake, documents, scans, ledger) -> core. Lazy imports inside functions count too: a cycle
hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"

RANK = {
    "faces": 6,
    "run": 5,
    "kabupaten": 4,
    "kecamatan": 3,
    "desa": 2,
    "intake": 1,
    "documents": 1,
    "scans": 1,
    "ledger": 1,
    "core": 0,
}
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(PIPELINE.parent).with_suffix("").parts
    name = ".".join(parts)
    return name.removesuffix(".__init__")


def folder_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in RANK:
        return parts[1]
    return "faces"


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every pipeline module that `path` imports, at module level or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name in modules:
                found.add(name)
    me = module_name(path)
    found.discard(me)
    return {m for m in found if not me.startswith(m + ".") and m != "pipeline"}


def graph() -> dict[str, set[str]]:
    files = sorted(PIPELINE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycles() -> None:
    edges = {m: {t for t in ts if not t.endswith("__init__")} for m, ts in graph().items()}
    cycle = _cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_imports_point_down() -> None:
    upward = []
    for module, targets in graph().items():
        src = folder_of(module)
        for target in targets:
            dst = folder_of(target)
            same_machinery = RANK[src] == RANK[dst] == 1 and src != dst
            if RANK[dst] > RANK[src] or same_machinery:
                upward.append(f"{module} ({src}) imports {target} ({dst})")
    assert not upward, "\n".join(upward)


def test_modules_stay_small() -> None:
    long = {
        str(f.relative_to(PIPELINE.parent)): n
        for f in PIPELINE.rglob("*.py")
        if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


@pytest.mark.parametrize(
    "edges, expected",
    [
        ({"a": {"b"}, "b": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
    ],
)
def test_the_cycle_finder_finds_cycles(edges: dict[str, set[str]], expected: bool) -> None:
    assert (_cycle(edges) is not None) is expected
