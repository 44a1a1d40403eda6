"""The built-in templates are what templates/build_templates.py makes: after a change to
templates/docbuild/, run `python templates/build_templates.py` and commit the .docx files."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _build_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "build_templates", TEMPLATES / "build_templates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _build_module()


def _parts(data: bytes) -> dict[str, bytes]:
    """Every XML part but the core properties (they hold the time of the build)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {
            n: z.read(n)
            for n in z.namelist()
            if n.endswith((".xml", ".rels")) and n != "docProps/core.xml"
        }


@pytest.mark.parametrize("name", sorted(BUILD.TEMPLATES))
def test_built_in_template_is_current(name: str) -> None:
    out = io.BytesIO()
    BUILD.TEMPLATES[name]().save(out)
    built, committed = _parts(out.getvalue()), _parts((TEMPLATES / name).read_bytes())
    assert sorted(built) == sorted(committed), name
    stale = [
        n for n in built if re.sub(rb"\s+", b"", built[n]) != re.sub(rb"\s+", b"", committed[n])
    ]
    assert stale == [], f"{name}: run `python templates/build_templates.py` ({stale})"
