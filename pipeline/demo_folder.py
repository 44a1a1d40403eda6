"""The folder `musrenbang demo` builds in: never someone else's files.

A demo empties its folder before it builds the sample workspace, so it only ever empties a
folder an earlier demo made (marked with DEMO_MARKER); any other folder that holds files is
refused with exit code 2 and left as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pipeline.commands import UsageError
from pipeline.core.config import Settings
from pipeline.core.workspace import Workspace
from pipeline.run.batch import PassResult, run_pass

DEMO_MARKER = ".musrenbang-demo"
"""Marks a folder `musrenbang demo` built: only such a folder is ever emptied by a demo."""


class DemoStopped(Exception):
    """A pass of the demo had an internal error: the demo stops (exit 3)."""


def demo_pass(
    ws: Workspace, settings: Settings, log: Callable[[str], None], indent: str = "  "
) -> PassResult:
    """One pass of a demo workspace, its lines indented; an internal error stops the demo
    (DemoStopped) after saying where the log is."""
    result = run_pass(ws, settings, log=lambda line: log(indent + line))
    if result.internal_errors:
        log(
            f"\nDemo berhenti: {len(result.internal_errors)} galat internal "
            f"(rincian: {ws.runtime / 'logs' / 'pipeline.log'})."
        )
        raise DemoStopped
    return result


def prepare_demo_folder(target: Path) -> None:
    """Make `target` an empty, marked demo folder. A folder that exists, is not empty and was
    not made by an earlier demo is refused (UsageError, exit 2) and left untouched."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} adalah berkas, bukan folder: pilih folder lain untuk demo.")
    if target.is_dir() and any(target.iterdir()):
        if not is_earlier_demo(target):
            raise UsageError(
                f"Folder {target} sudah berisi berkas dan bukan folder demo sebelumnya: demo "
                "tidak menghapusnya. Pilih folder baru atau kosong, mis. "
                "'musrenbang demo ~/demo-musrenbang'."
            )
        shutil.rmtree(target)
    target.mkdir(parents=True, exist_ok=True)
    (target / DEMO_MARKER).write_text(
        "Folder ini dibuat oleh 'musrenbang demo' dan boleh ditimpa oleh demo berikutnya.\n",
        encoding="utf-8",
    )


def is_earlier_demo(folder: Path) -> bool:
    """The marker, or (demos made before it existed) the demo's own region list beside the
    settings file."""
    if (folder / DEMO_MARKER).is_file():
        return True
    return (folder / "wilayah-demo.csv").is_file() and (folder / "musrenbang.toml").is_file()
