"""Whether a pass must rebuild the kabupaten reports, or they already show what it would.

The Rekap and the Pemantauan show the ledger's data, as the settings and the region list name
and lay it out, and what is late as of today; they are built by the pipeline's code. A pass
that finds the ledger unchanged (its change mark, ledger/schema.py), the same day, settings,
region list and code, and the report files as it left them (same size and modification
time), rebuilds nothing: reading the ledger for ~300 desa and ~10,000 usulan and loading the
xlsx libraries would be work for nothing. Anything else (a missing or unreadable record, a
report touched or deleted, a ledger without a change mark) rebuilds them; they are then
rewritten only where their content changed (kabupaten/recap.py).

The record is `.musrenbang/laporan-kabupaten.json`, written after the reports were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pipeline
from pipeline.core.atomic import write_text
from pipeline.core.config import Settings
from pipeline.core.wilayah import WilayahList
from pipeline.core.workspace import Workspace
from pipeline.ledger.store import Ledger

STATE_NAME = "laporan-kabupaten.json"
_CODE: list[str] = []  # the digest of the pipeline's own source, once per process


def _code_digest() -> str:
    if not _CODE:
        h = hashlib.sha256(pipeline.__version__.encode())
        package = Path(pipeline.__file__).parent
        for path in sorted(package.rglob("*.py")):
            h.update(path.relative_to(package).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
        _CODE.append(h.hexdigest())
    return _CODE[0]


def inputs_digest(ws: Workspace, settings: Settings, ledger: Ledger, today: dt.date) -> str | None:
    """A digest of everything the kabupaten reports are made from; None when the ledger has
    no change mark (then they are always rebuilt)."""
    mark = ledger.change_mark()
    if mark is None:
        return None
    try:
        wilayah = hashlib.sha256(ws.wilayah_file.read_bytes()).hexdigest()
    except OSError:
        return None
    parts = [mark, today.isoformat(), settings.model_dump_json(), wilayah, _code_digest()]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


def up_to_date(ws: Workspace, digest: str | None) -> list[Path] | None:
    """The report files when the last rebuild was made from `digest` and they are as it left
    them; None when they must be rebuilt."""
    if digest is None:
        return None
    try:
        state = json.loads((ws.runtime / STATE_NAME).read_text(encoding="utf-8"))
        if state["inputs"] != digest:
            return None
        files = {ws.root / rel: stat for rel, stat in state["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if any(_stat(path) != stat for path, stat in files.items()):
        return None
    return list(files)


def remember(ws: Workspace, digest: str | None, paths: list[Path]) -> None:
    """Record that the reports `paths` were made from `digest`."""
    state_path = ws.runtime / STATE_NAME
    if digest is None:
        state_path.unlink(missing_ok=True)
        return
    files = {ws.rel(p): _stat(p) for p in paths}
    write_text(state_path, json.dumps({"inputs": digest, "files": files}, indent=1))


def refresh(
    ws: Workspace, settings: Settings, wilayah: WilayahList, ledger: Ledger, now: dt.datetime
) -> list[Path]:
    """The kabupaten reports, rebuilt when they do not already show what they would."""
    made_from = inputs_digest(ws, settings, ledger, now.date())
    current = up_to_date(ws, made_from)
    if current is not None:
        return current
    from pipeline.kabupaten.recap import write_kabupaten_reports  # openpyxl: only now

    paths = write_kabupaten_reports(ws, settings, wilayah, ledger, now=now)
    remember(ws, made_from, paths)
    return paths
