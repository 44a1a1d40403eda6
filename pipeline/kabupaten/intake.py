"""Kecamatan packages received at Bappeda: checked, recorded, unpacked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipeline.core.examined import Examined
from pipeline.core.receipts import Kind, Status
from pipeline.core.workspace import safe_name
from pipeline.desa.context import Context
from pipeline.kabupaten import paket
from pipeline.ledger.store import InputRow


class PackageIntake:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.wilayah = ctx.wilayah
        self.settings = ctx.settings
        self.tz = ctx.tz
        self.ws = ctx.ws

    def examine(self, path: Path, row: InputRow) -> Examined:
        earlier = self.ledger.accepted_before(row.sha256, Kind.PACKAGE.value)
        if earlier is not None:
            return Examined(
                Status.DUPLICATE, Kind.PACKAGE, Kind.PACKAGE.value, earlier.region, earlier.year
            )
        found, report = paket.check_package(
            path, self.wilayah, self.settings.kabupaten.kode, row.file
        )
        if found is None:
            return Examined(Status.REJECTED, Kind.PACKAGE, Kind.PACKAGE.value, issues=report.issues)
        at = row.received_at.astimezone(self.tz).isoformat(timespec="seconds")

        def apply(db: sqlite3.Connection) -> None:
            self.ledger.add_berkas(
                db, input_id=row.id, region=found.kecamatan, year=found.tahun, kategori="paket",
                jenis="paket", file=row.file, size=row.size, sha256=row.sha256, received_at=at,
                folder=str(Path(row.rel).parent.as_posix()), archived_as=row.archived_as,
            )  # fmt: skip

        return Examined(
            Status.ACCEPTED, Kind.PACKAGE, Kind.PACKAGE.value, found.kecamatan, found.tahun,
            report.issues, apply,
        )  # fmt: skip

    def folder(self, kode: str, year: int) -> Path:
        kec = self.wilayah.get(kode)
        name = f"{kode} {kec.nama}" if kec else kode
        return self.ws.outbox / "paket" / safe_name(name) / str(year)

    def produce(self, ex: Examined, archived: Path, row: InputRow) -> list[Path]:
        assert ex.region and ex.year
        found, _ = paket.check_package(
            archived, self.wilayah, self.settings.kabupaten.kode, row.file
        )
        if found is None:
            return []
        return paket.unpack(archived, found, self.folder(ex.region, ex.year))
