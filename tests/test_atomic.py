"""Temporary files of atomic writes say who writes them: on a shared workspace a crash's are
cleaned at once when their writer on this machine is gone (pipeline/core/atomic.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipeline.core import atomic


def test_a_gone_writers_temporary_file_is_cleaned_at_once_on_a_shared_workspace(
    tmp_path: Path,
) -> None:
    with atomic.atomic_path(tmp_path / "a.xlsx") as tmp:
        mine = tmp.name
        assert mine.startswith(atomic._writer_prefix())
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    prefix = atomic._writer_prefix()
    gone = tmp_path / f"{atomic.TMP_PREFIX}{atomic._HOST}~{dead}~abc.xlsx"
    alive = tmp_path / f"{prefix}def.xlsx"  # this process: being written now
    elsewhere = tmp_path / f"{atomic.TMP_PREFIX}pc-lain~{dead}~ghi.xlsx"  # another machine's
    unnamed = tmp_path / f"{atomic.TMP_PREFIX}jkl.xlsx"  # an older release's: age only
    for path in (gone, alive, elsewhere, unnamed):
        path.write_bytes(b"x")
    assert atomic.clean_stale_temps(tmp_path, older_than=6 * 3600) == 1
    assert not gone.exists() and alive.exists() and elsewhere.exists() and unnamed.exists()
    os.utime(unnamed, (0, 0))
    assert atomic.clean_stale_temps(tmp_path, older_than=6 * 3600) == 1  # old enough now
    assert atomic.clean_stale_temps(tmp_path) == 2  # the lock held: every one is a crash's
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]  # the published file stays
