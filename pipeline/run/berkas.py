"""Scans and supporting documents of a region (desa or kecamatan): where they may lie, which
year they belong to, and their checks. Both levels take them the same way."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.examined import Examined, Place
from pipeline.core.models import Wilayah
from pipeline.core.receipts import Kind, Status
from pipeline.core.report import Issue, Report, issue
from pipeline.core.sql import Sql
from pipeline.core.standard import JENIS_DOKUMEN, JENIS_PINDAIAN
from pipeline.core.wilayah import KODE_KECAMATAN
from pipeline.desa.context import Context
from pipeline.kecamatan.stages import KecamatanStages
from pipeline.ledger.paket import HeldPackage, held_package
from pipeline.ledger.store import InputRow
from pipeline.scans import check as scan_check
from pipeline.scans import dokumen


class BerkasIntake:
    def __init__(self, ctx: Context, kecamatan: KecamatanStages) -> None:
        self.ctx = ctx
        self.ledger = ctx.ledger
        self.settings = ctx.settings
        self.tz = ctx.tz
        self.kecamatan = kecamatan

    def _berkas_context(
        self, row: InputRow, place: Place, kind: Kind, allowed: list[str]
    ) -> tuple[Examined | None, int | None, list[Issue]]:
        """Common checks for scans and documents: folder, kind folder, open year.

        Returns a finished outcome, or None, the year the file belongs to (None when the
        region has no year yet: the file waits for its first workbook, see set_stage) and
        notes for its receipt. A desa's scans and documents, and a kecamatan's scans.
        """
        area = place.area or ""
        purpose = f"{area}/{place.jenis}" if place.jenis else area
        region = place.desa or (place.kecamatan if area == "pindaian" else None)

        def refuse(code: str, text: str, year: int | None = None) -> Examined:
            kode = region.kode if region else (place.kecamatan.kode if place.kecamatan else None)
            return Examined(Status.REJECTED, kind, purpose, kode, year, [issue(code, text)])

        if region is None:
            if place.kecamatan is not None:
                text = "Dokumen pendukung tingkat kecamatan belum dapat diproses oleh versi ini."
                return refuse("belum-tersedia", text), None, []
            text = (
                f"'{row.file}' harus diletakkan di folder {area}/<jenis> milik desanya "
                "(inbox/<kecamatan>/<desa>/...)."
            )
            return refuse("lokasi-berkas-salah", text), None, []
        if place.desa is None:
            allowed = JENIS_PINDAIAN  # the kecamatan: berita-acara, daftar-hadir and rekap
        if place.jenis not in allowed:
            text = (
                f"'{row.file}' ada di folder {area}/{place.jenis or ''} yang tidak dikenal. "
                f"Gunakan salah satu folder: {', '.join(area + '/' + j for j in allowed)}."
            )
            return refuse("lokasi-berkas-salah", text), None, []
        open_year, last_year = self._years(region)
        notes: list[Issue] = []
        if open_year is None and last_year is not None:
            text = (
                f"Hasil Musrenbang {self._label(region)} tahun {last_year} sudah dikirim; "
                "pindaian/dokumen baru tidak dapat ditambahkan. Bila perlu, buka kembali "
                "dengan musrenbang unlock."
            )
            return refuse("sudah-dikirim", text, last_year), None, []
        held = self._held_by_package(place, open_year)
        if held is not None:  # mixed mode: the package wins; a desa's files go through it
            kec_name = self._label(place.kecamatan) if place.kecamatan else held.region
            text = (
                f"{kec_name} sudah mengirim paket Musrenbang tahun {held.year} ke Bappeda "
                f"(Kirim ke-{held.urutan}); paket itu yang berlaku untuk {self._label(region)}. "
                "Kirim pindaian/dokumen ini ke kecamatan, yang mengirimkannya dalam paket baru."
            )
            return refuse("sudah-dikirim", text, open_year), None, []
        if open_year is None:
            notes.append(
                issue(
                    "belum-ada-buku-kerja",
                    f"Belum ada Buku Kerja yang diterima untuk {self._label(region)}. Berkas ini "
                    "disimpan dan akan dipakai untuk tahun yang dibuka oleh buku kerja pertama; "
                    "tidak perlu dikirim ulang.",
                )
            )
        earlier = self.ledger.accepted_before(row.sha256, purpose)
        if earlier is not None and earlier.region == region.kode:
            return Examined(Status.DUPLICATE, kind, purpose, region.kode, earlier.year), None, []
        return None, open_year, notes

    def _held_by_package(self, place: Place, year: int | None) -> HeldPackage | None:
        """The package of a desa's kecamatan this workspace holds for `year` (Bappeda). A desa
        without a year here (one its kecamatan's package did not bring): the latest package,
        since no workbook of its own would open a year while the package holds it."""
        if place.desa is None or place.kecamatan is None:
            return None  # the kecamatan's own files meet the Kirim lock the package brought
        return held_package(self.ledger, place.kecamatan.kode, year)

    def _years(self, region: Wilayah) -> tuple[int | None, int | None]:
        """(the open year, the latest year) of a desa or a kecamatan."""
        if KODE_KECAMATAN.match(region.kode):
            sent = self.kecamatan.sent_years(region.kode)
            return self.kecamatan.open_year(region.kode), (sent[-1] if sent else None)
        open_year = self.ledger.open_year(region.kode)
        years = self.ledger.years_of(region.kode)
        return (open_year.year if open_year else None), (years[-1].year if years else None)

    @staticmethod
    def _label(region: Wilayah) -> str:
        if KODE_KECAMATAN.match(region.kode):
            return f"Kecamatan {region.nama}"
        return f"{region.level_word} {region.nama}"

    def examine_scan(self, path: Path, row: InputRow, place: Place) -> Examined:
        allowed = [j for j in JENIS_PINDAIAN if j != "rekap"]
        done, year, notes = self._berkas_context(row, place, Kind.SCAN, allowed)
        if done is not None:
            return done
        report = scan_check.check_scan(path, row.file)
        report.extend(notes)
        return self._berkas_outcome(row, place, Kind.SCAN, "pindaian", year, report)

    def examine_document(self, path: Path, row: InputRow, place: Place) -> Examined:
        done, year, notes = self._berkas_context(row, place, Kind.DOCUMENT, JENIS_DOKUMEN)
        if done is not None:
            return done
        assert place.desa is not None and place.jenis is not None
        report = dokumen.check_document(path, place.jenis, self.settings.dokumen, row.file)
        report.extend(notes)
        return self._berkas_outcome(row, place, Kind.DOCUMENT, "dokumen", year, report)

    def _berkas_outcome(
        self,
        row: InputRow,
        place: Place,
        kind: Kind,
        kategori: str,
        year: int | None,
        report: Report,
    ) -> Examined:
        region = place.desa or place.kecamatan
        assert region is not None and place.jenis is not None
        purpose = f"{kategori}/{place.jenis}"
        if not report.ok:
            return Examined(Status.REJECTED, kind, purpose, region.kode, year, report.issues)
        jenis = place.jenis
        folder = str(Path(row.rel).parent.as_posix())
        at = row.received_at.astimezone(self.tz).isoformat(timespec="seconds")

        def apply(db: Sql) -> None:
            self.ledger.add_berkas(
                db,
                input_id=row.id,
                region=region.kode,
                year=year,
                kategori=kategori,
                jenis=jenis,
                file=row.file,
                size=row.size,
                sha256=row.sha256,
                received_at=at,
                folder=folder,
                archived_as=row.archived_as,
            )

        return Examined(Status.ACCEPTED, kind, purpose, region.kode, year, report.issues, apply)
