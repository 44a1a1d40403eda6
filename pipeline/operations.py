"""Library functions behind the IT officer's commands: `status --json` and `cadangan`.

Thin on purpose: they open the workspace and call the level that knows (the kabupaten's
status model, the ledger's backup).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.commands import UsageError, open_workspace
from pipeline.core.wilayah import KODE_KECAMATAN
from pipeline.kabupaten.status import build_status
from pipeline.ledger.backup import BackupError, make_backup
from pipeline.ledger.store import Ledger


def check_kecamatan(root: Path, kode: str) -> None:
    _, settings, wilayah = open_workspace(root)
    if (
        not KODE_KECAMATAN.match(kode)
        or wilayah.get(kode) is None
        or not kode.startswith(settings.kabupaten.kode + ".")
    ):
        raise UsageError(
            f"Kode kecamatan {kode} tidak ada dalam daftar wilayah workspace ini "
            "(contoh: --kecamatan 12.05.01)."
        )


def status_json(root: Path, tahun: int | None, kecamatan: str | None) -> str:
    """`musrenbang status --json [--tahun YYYY] [--kecamatan KODE]` (schemas/status.json)."""
    ws, settings, wilayah = open_workspace(root)
    if kecamatan is not None:
        check_kecamatan(root, kecamatan)
    now = dt.datetime.now(ZoneInfo(settings.jadwal.zona_waktu))
    with Ledger(settings.ledger_url(ws.root)) as ledger:
        status = build_status(settings, wilayah, ledger, now=now, tahun=tahun, kecamatan=kecamatan)
    return status.model_dump_json(indent=2)


def backup(root: Path, to: Path | None) -> Path:
    """`musrenbang cadangan [--ke DIR]`: the path of the new backup."""
    ws, settings, _ = open_workspace(root)
    try:
        return make_backup(ws, settings, to=to.resolve() if to is not None else None)
    except BackupError as exc:
        raise UsageError(str(exc)) from exc
