"""Kecamatan packages received at Bappeda: checked, merged into the ledger, unpacked.

An accepted package becomes Bappeda's ledger record of that kecamatan and year, in the same
transaction as its receipt (ledger/paket.py): the kabupaten recap, the Pemantauan and `status`
then count it as if Bappeda had received every workbook itself. Versions: the same bytes again
are `duplicate`; a package with a higher `urutan` (Kirim again after an unlock) replaces the
held one (`paket-menggantikan`); one not newer than the held one is `paket-usang`.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.examined import Examined
from pipeline.core.receipts import Kind, Status
from pipeline.core.report import issue
from pipeline.core.sql import Sql
from pipeline.core.workspace import safe_name
from pipeline.desa.context import Context
from pipeline.kabupaten import paket
from pipeline.ledger import paket as record
from pipeline.ledger.jejak import jejak as ledger_jejak
from pipeline.ledger.store import InputRow


class PackageIntake:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.wilayah = ctx.wilayah
        self.settings = ctx.settings
        self.tz = ctx.tz
        self.ws = ctx.ws

    def _check(self, path: Path, name: str) -> tuple[paket.Paket | None, list]:
        found, report = paket.check_package(
            path,
            self.wilayah,
            self.settings.kabupaten.kode,
            name,
            lambda kode: record.registered_key(self.ledger, kode),
        )
        return found, report.issues

    def examine(self, path: Path, row: InputRow) -> Examined:
        earlier = self.ledger.accepted_before(row.sha256, Kind.PACKAGE.value)
        if earlier is not None and earlier.region and earlier.year:
            held_now = record.held_package(self.ledger, earlier.region, earlier.year)
            # the held package again: duplicate; one it replaced since: checked (paket-usang)
            if held_now is None or held_now.sha256 == row.sha256:
                return Examined(
                    Status.DUPLICATE, Kind.PACKAGE, Kind.PACKAGE.value, earlier.region,
                    earlier.year,
                )  # fmt: skip
        found, issues = self._check(path, row.file)
        if found is None:
            return Examined(Status.REJECTED, Kind.PACKAGE, Kind.PACKAGE.value, issues=issues)
        kode, tahun = found.kecamatan, found.tahun
        held = record.held_package(self.ledger, kode, tahun)
        if held is not None and found.urutan <= held.urutan:
            issues.append(
                issue(
                    "paket-usang",
                    f"Paket '{row.file}': Kirim ke-{found.urutan} ({found.dibuat}) tidak lebih "
                    f"baru dari paket kecamatan {kode} {tahun} yang sudah diterima (Kirim "
                    f"ke-{held.urutan}, {held.dibuat}); paket yang dipegang tetap berlaku.",
                )
            )
            return Examined(Status.REJECTED, Kind.PACKAGE, Kind.PACKAGE.value, kode, tahun, issues)
        if held is not None:
            issues.append(
                issue(
                    "paket-menggantikan",
                    f"Paket Kirim ke-{found.urutan} ({found.dibuat}) menggantikan paket "
                    f"kecamatan {kode} {tahun} Kirim ke-{held.urutan} ({held.dibuat}); yang "
                    "lama tetap di arsip.",
                )
            )
        direct = self.ledger.db.execute(
            "SELECT COUNT(*) FROM inputs WHERE region LIKE :under AND year = :year "
            "AND purpose = 'workbook-desa' AND status = 'accepted'",
            {"under": kode + ".%", "year": tahun},
        ).one()[0]
        if direct:
            issues.append(
                issue(
                    "paket-dan-buku-kerja",
                    f"{direct} buku kerja desa Kecamatan {kode} {tahun} juga diterima langsung "
                    "di sini; isi paket yang berlaku untuk kecamatan dan tahun itu.",
                )
            )
        at = row.received_at.astimezone(self.tz).isoformat(timespec="seconds")

        def apply(db: Sql) -> None:
            written = record.merge_record(db, found.record, kode, tahun, row.id)
            merged = ledger_jejak(db, kode, tahun)
            if found.jejak and merged != found.jejak:  # on this receipt: same transaction
                result.issues.append(
                    issue(
                        "paket-jejak-berbeda",
                        f"Paket '{row.file}' membawa Jejak data {found.jejak} dari kecamatan, "
                        f"tetapi buku besar Bappeda setelah penggabungan memberi {merged}: "
                        "rekap kabupaten mungkin tidak sama dengan dokumen yang ditandatangani "
                        "kecamatan. Pastikan kecamatan dan Bappeda memakai versi musrenbang "
                        "yang sama, lalu minta kecamatan mengirim ulang paketnya.",
                    )
                )
            self.ledger.add_berkas(
                db, input_id=row.id, region=kode, year=tahun, kategori="paket",
                jenis="paket", file=row.file, size=row.size, sha256=row.sha256, received_at=at,
                folder=str(Path(row.rel).parent.as_posix()), archived_as=row.archived_as,
            )  # fmt: skip
            record.hold_package(
                db,
                record.HeldPackage(
                    kode, tahun, found.urutan, found.dibuat, row.sha256, found.fingerprint
                ),
                row.id,
                at,
            )
            self.ledger.audit(
                db, "paket-digabung", at=at, region=kode, year=tahun, file=row.file,
                sha256=row.sha256, urutan=found.urutan, dibuat=found.dibuat,
                kunci=found.fingerprint, menggantikan=held.sha256 if held else None,
                baris=written, jejak=found.jejak or None, jejak_bappeda=merged,
            )  # fmt: skip

        result = Examined(Status.ACCEPTED, Kind.PACKAGE, Kind.PACKAGE.value, kode, tahun, issues)
        result.apply = apply
        return result

    def folder(self, kode: str, year: int) -> Path:
        kec = self.wilayah.get(kode)
        name = f"{kode} {kec.nama}" if kec else kode
        return self.ws.outbox / "paket" / safe_name(name) / str(year)

    def produce(self, ex: Examined, archived: Path, row: InputRow) -> list[Path]:
        assert ex.region and ex.year
        found, _ = self._check(archived, row.file)
        if found is None:
            return []
        return paket.unpack(archived, found, self.folder(ex.region, ex.year))
