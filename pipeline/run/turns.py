"""Which input a worker takes next, so that several workers share one inbox and ledger.

The ready files are grouped by the region their folder names (inbox/<kecamatan>/<desa>/...).
A worker takes a whole group at once: it holds the region, claims each file through the ledger
(`klaim.berkas`, then the rename out of the inbox), processes them in arrival order, and lets
the region go. A group whose region another worker holds is tried again after the others, so
the files of one region keep their order and never meet two workers. Files outside any region
folder (the inbox's root, `dari flashdisk/`) are taken one by one: their region is read from
the file and held before the ledger changes (Batch.guard). An input that turns out to belong to
another region than the one held is put aside and processed after the group (RegionElsewhere).

With one worker this is the same order as before: groups in the order of their first file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from pipeline.run.pekerja import POLL_SECONDS, Pekerja


def groups(
    files: list[Path], key_of: Callable[[Path], str | None]
) -> list[tuple[str | None, list[Path]]]:
    """Files (already in processing order) by region key; None keys are one group each."""
    out: list[tuple[str | None, list[Path]]] = []
    index: dict[str, int] = {}
    for path in files:
        key = key_of(path)
        if key is None:
            out.append((None, [path]))
        elif key in index:
            out[index[key]][1].append(path)
        else:
            index[key] = len(out)
            out.append((key, [path]))
    return out


def take_all(
    worker: Pekerja,
    files: list[Path],
    key_of: Callable[[Path], str | None],
    take: Callable[[Path], None],
    let_go: Callable[[str | None], None],
) -> None:
    """Process every file through `take`, group by group, each region by one worker;
    `let_go(key)` after each group gives its region up (once its receipts are written)."""
    waiting = groups(files, key_of)
    while waiting:
        later: list[tuple[str | None, list[Path]]] = []
        for key, paths in waiting:
            if key is not None and not worker.try_hold(key):
                later.append((key, paths))  # another worker has it: after the others
                continue
            try:
                for path in paths:
                    if path.exists() or path.is_symlink():
                        take(path)
            finally:
                let_go(key)
        if later and len(later) == len(waiting):
            time.sleep(POLL_SECONDS)
        waiting = later
