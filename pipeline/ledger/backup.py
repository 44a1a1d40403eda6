"""Backups (cadangan): one dated zip holding the ledger, the settings and the region list.

The ledger is copied with SQLite's online backup API (`sqlite3.Connection.backup`): a
consistent snapshot taken through a connection of its own, while `watch` or `run` keep
reading and writing (WAL mode: writers are not blocked, and a copy never holds half a
transaction). The copy is checked (`PRAGMA integrity_check`) and turned into one
self-contained file (journal mode DELETE) before it goes into the zip; a damaged ledger is
never written over a good backup. The zip is written under a temporary name and renamed when
complete, so a file named `cadangan-*.zip` is always whole.

The seam for other databases: DUMPERS maps the scheme of `[ledger] database_url` to a
function that writes the ledger's dump into a work folder. A PostgreSQL ledger is dumped by
`pg_dump --format=custom` (pipeline/ledger/pgdump.py: the password only in the child's
environment, the dump taken from a snapshot the row counts are read in, checked with
`pg_restore --list`); everything around it (the zip, the manifest, daily backups and
pruning) is the same for both.

Restoring is written up in docs/operasi.md ("Cadangan dan pemulihan").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.core.config import SETTINGS_FILE, Settings
from pipeline.core.workspace import Workspace

MANIFEST = "manifest.json"
PREFIX = "cadangan-"  # made by `musrenbang cadangan`: never pruned
PREFIX_DAILY = "cadangan-harian-"  # made by watch once a day: the oldest are pruned


class BackupError(Exception):
    """No backup could be made; the message is for the operator."""


@dataclass
class LedgerDump:
    member: str  # name inside the zip
    path: Path  # the dumped file in the work folder
    kind: str  # "sqlite" or "postgresql"
    restore_to: str  # where the member goes back, relative to the root
    details: dict[str, object]


Dumper = Callable[[Settings, Path, Path], LedgerDump]  # (settings, root, work folder)


def _dump_sqlite(settings: Settings, root: Path, work: Path) -> LedgerDump:
    src = settings.database_path(root)
    if not src.is_file():
        raise BackupError(f"Ledger {src} belum ada: belum ada yang dapat dicadangkan.")
    out = work / src.name
    source = sqlite3.connect(src, timeout=30)
    try:
        target = sqlite3.connect(out)
        try:
            source.backup(target)  # all pages in one step: one consistent state
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            tables = {
                name: target.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                for (name,) in target.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            }
            version = target.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        finally:
            target.close()
    finally:
        source.close()
    if check != "ok":  # the CLI says: the ledger is damaged, restore it (exit 3)
        raise sqlite3.DatabaseError(f"integrity_check: {check}; cadangan tidak dibuat")
    try:
        restore_to = src.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        restore_to = str(src)
    details: dict[str, object] = {
        "integrity_check": check,
        "schema_version": version[0] if version else None,
        "baris": tables,
    }
    return LedgerDump(src.name, out, "sqlite", restore_to, details)


def _dump_postgresql(settings: Settings, root: Path, work: Path) -> LedgerDump:
    from pipeline.ledger.pgdump import PgDumpError, dump

    try:
        done = dump(settings.ledger.database_url, work)
    except PgDumpError as exc:
        raise BackupError(str(exc)) from exc
    details: dict[str, object] = {
        "pg_restore_list": done.entries,
        "schema_version": done.schema_version,
        "baris": done.rows,
    }
    return LedgerDump(done.path.name, done.path, "postgresql", done.where, details)


DUMPERS: dict[str, Dumper] = {
    "sqlite": _dump_sqlite,
    "postgresql": _dump_postgresql,
    "postgresql+psycopg": _dump_postgresql,
}


def _version() -> str | None:
    try:
        return importlib.metadata.version("musrenbang-pipeline")
    except importlib.metadata.PackageNotFoundError:
        return None


def _scheme(url: str) -> str:
    return url.split(":", 1)[0]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def backup_folder(ws: Workspace, settings: Settings, to: Path | None = None) -> Path:
    """`--ke DIR`, else `[cadangan] folder` (relative to the root)."""
    if to is not None:
        return to
    folder = Path(settings.cadangan.folder)
    return folder if folder.is_absolute() else ws.root / folder


def make_backup(
    ws: Workspace,
    settings: Settings,
    *,
    to: Path | None = None,
    prefix: str = PREFIX,
    now: dt.datetime | None = None,
) -> Path:
    """Write one backup zip into `to` (default: the settings' folder); returns its path."""
    dumper = DUMPERS.get(_scheme(settings.ledger.database_url))
    if dumper is None:
        raise BackupError(
            f"Cadangan untuk ledger {settings.ledger.database_url} belum tersedia "
            "(hanya SQLite dan PostgreSQL)."
        )
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    when = (now or dt.datetime.now(tz)).astimezone(tz)
    folder = backup_folder(ws, settings, to)
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cadangan-", dir=folder))
    try:
        dump = dumper(settings, ws.root, work)
        members: dict[str, Path] = {dump.member: dump.path}
        for path in (ws.root / SETTINGS_FILE, ws.wilayah_file):
            if path.is_file():
                members[path.name] = path
        if ws.templates.is_dir():  # the clerk's own templates, when there are any
            for path in sorted(ws.templates.glob("*.docx")):
                members[f"templates/{path.name}"] = path
        manifest = {
            "dibuat": when.isoformat(timespec="seconds"),
            "versi_pipeline": _version(),
            "root": str(ws.root),
            "kabupaten": {"kode": settings.kabupaten.kode, "nama": settings.kabupaten.nama},
            "ledger": {"jenis": dump.kind, "berkas": dump.member,
                       "pulihkan_ke": dump.restore_to, **dump.details},
            "berkas": {name: _sha256(path) for name, path in members.items()},
        }  # fmt: skip
        final = _free_name(folder, f"{prefix}{when:%Y%m%d-%H%M%S}")
        partial = work / "cadangan.zip"
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            for name, path in members.items():
                z.write(path, name)
            z.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, final)
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _free_name(folder: Path, stem: str) -> Path:
    path, n = folder / f"{stem}.zip", 2
    while path.exists():
        path, n = folder / f"{stem}-{n}.zip", n + 1
    return path


def daily_backup(
    ws: Workspace, settings: Settings, *, now: dt.datetime | None = None
) -> Path | None:
    """watch's daily backup: made when `[cadangan] harian` is on and none exists for today;
    then the oldest daily backups beyond `[cadangan] simpan` are removed. Returns the new
    backup, or None when nothing was due."""
    if not settings.cadangan.harian:
        return None
    if not settings.ledger.is_postgresql and not settings.database_path(ws.root).is_file():
        return None  # a SQLite ledger not made yet; a PostgreSQL one is always asked
    tz = ZoneInfo(settings.jadwal.zona_waktu)
    when = (now or dt.datetime.now(tz)).astimezone(tz)
    folder = backup_folder(ws, settings)
    if any(folder.glob(f"{PREFIX_DAILY}{when:%Y%m%d}-*.zip")):
        return None
    path = make_backup(ws, settings, prefix=PREFIX_DAILY, now=when)
    keep = settings.cadangan.simpan
    if keep:
        daily = sorted(folder.glob(f"{PREFIX_DAILY}*.zip"))
        for old in daily[: max(0, len(daily) - keep)]:
            old.unlink(missing_ok=True)
    return path


def read_manifest(path: Path) -> dict[str, object]:
    """The manifest of a backup zip, after checking every member's sha256."""
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read(MANIFEST))
        for name, digest in manifest["berkas"].items():
            if hashlib.sha256(z.read(name)).hexdigest() != digest:
                raise BackupError(
                    f"Cadangan {path.name} rusak: {name} tidak cocok dengan manifest."
                )
    return dict(manifest)


class DailyBackup:
    """The watcher's daily backup: checked after every pass, made once a day; a failure is
    said (and retried at the next check), never stops the watcher."""

    def __init__(self, ws: Workspace, settings: Settings) -> None:
        self.ws, self.settings = ws, settings
        self.tz = ZoneInfo(settings.jadwal.zona_waktu)
        self.done_on: dt.date | None = None

    def maybe(self, log: Callable[[str], None]) -> Path | None:
        now = dt.datetime.now(self.tz)
        if not self.settings.cadangan.harian or self.done_on == now.date():
            return None
        try:
            path = daily_backup(self.ws, self.settings, now=now)
        except Exception as exc:  # noqa: BLE001 - a full disk must not stop the watcher
            log(f"GAGAL membuat cadangan harian: {exc}")
            return None
        self.done_on = now.date()
        if path is not None:
            log(f"Cadangan harian: {path}")
        return path
