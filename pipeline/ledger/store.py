"""The ledger: an SQLite file that alone knows the state of every region and year.

Tables are keyed by region kode and year with a `level` column, so kecamatan and kabupaten
rows sit beside desa rows without a schema change. The audit log is append-only (triggers
refuse UPDATE and DELETE). Every input is a row of `inputs`; its `done` flag is the journal
that lets a killed pipeline finish or redo its work.

`Ledger` is composed of the tables' mixins: schema.py (DDL, connection, transactions),
journal.py (inputs journal, audit log), desa.py (stages, usulan, berkas).
"""

from __future__ import annotations

import datetime as dt

from pipeline.ledger.desa import BerkasRow, DesaTables, RegionYear
from pipeline.ledger.journal import InputRow, Journal

__all__ = ["BerkasRow", "InputRow", "Ledger", "RegionYear", "now_iso"]


def now_iso(tz: dt.tzinfo) -> str:
    return dt.datetime.now(tz).isoformat(timespec="seconds")


class Ledger(Journal, DesaTables):
    """One connection to the ledger file. Use `transaction()` for every change."""

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
