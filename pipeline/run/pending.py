"""Inputs whose documents are still converting: the pass goes on while LibreOffice works.

An input is examined and its ledger change committed as always; its outputs are produced
with the PDF conversions handed to the converter's background threads
(documents/deferred.py). The input then waits here, and its receipt, the `mark_done` of its
journal row and the release of its claim happen only once its outputs exist (`complete`).

The design, kept simple on purpose:
- one queue, completed strictly in arrival order (first in, first out): receipts keep the
  order the synchronous pass gave them, within a region and across regions;
- an input's region key comes from the folder it was dropped in (desa kode, kecamatan kode,
  or None for the inbox root); before the next input is examined, every waiting input whose
  key or examined region is the same region, one containing it (its kecamatan) or one it
  contains (a desa of the kecamatan) is completed first, and an input without a region key
  waits for all: two inputs of one region never race over its ledger rows or outbox files;
- at most `limit` inputs wait (2 x pdf.pekerja): beyond that the oldest is completed first;
- the pass completes every waiting input before its kabupaten reports and before it ends.

A pass killed while inputs wait leaves their journal rows at `inputs.done = 0` and their
claimed files in place: the next pass redoes them from the ledger (`produce` is idempotent),
and a conversion that never finished only ever wrote into the pass's private temp folder.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.core.wilayah import WilayahList
from pipeline.documents.deferred import Later


@dataclass
class Waiting:
    keys: set[str | None]  # the regions it touches; None: it may touch any
    laters: list[Later]
    complete: Callable[[], None]  # receipt, mark_done, release; never raises

    def ready(self) -> bool:
        return all(later.ready() for later in self.laters)


def region_key(rel: str, wilayah: WilayahList) -> str | None:
    """The region of the folder an input was dropped in; None (the inbox root): any."""
    from pipeline.run.route import locate  # the stages load on first use (Batch.stages)

    place = locate(rel, wilayah)
    region = place.desa or place.kecamatan
    return region.kode if region is not None else None


def conflicts(keys: set[str | None], key: str | None) -> bool:
    """True when an input of region `key` may touch what an input of `keys` touches."""
    if key is None or None in keys:
        return True
    return any(k is not None and _nested(k, key) for k in keys)


def _nested(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


class Pending:
    """The waiting inputs of one pass (see the module docstring)."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.queue: deque[Waiting] = deque()

    def add(self, waiting: Waiting) -> None:
        self.queue.append(waiting)
        while len(self.queue) > self.limit:
            self._complete_oldest()
        self.complete_ready()

    def complete_ready(self) -> None:
        """Complete, in order, the oldest inputs whose conversions are done."""
        while self.queue and self.queue[0].ready():
            self._complete_oldest()

    def wait_for(self, key: str | None) -> None:
        """Complete every waiting input up to the last one an input of `key` may race."""
        while any(conflicts(w.keys, key) for w in self.queue):
            self._complete_oldest()

    def drain(self) -> None:
        while self.queue:
            self._complete_oldest()

    def _complete_oldest(self) -> None:
        self.queue.popleft().complete()
