"""The desa/kelurahan level (Langkat SOP): its workbook's stage moves and what follows in outbox.

Persiapan -> Daftar Hadir; Pelaksanaan -> Kode Usulan; Verifikasi -> Berita Acara and
Kompilasi; Kirim -> lock. Scans give the signed PDF; supporting documents the manifest and the
Lampiran Foto.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pipeline.core.examined import Examined, Place
from pipeline.core.models import BukuKerjaDesa, DesaSnapshot, IdentitasDesa, RawWorkbook, Wilayah
from pipeline.core.receipts import Kind, Status
from pipeline.core.report import Issue, Report
from pipeline.core.sebutan import level_of
from pipeline.core.sql import Sql
from pipeline.core.standard import SHEET_IDENTITAS, Tahap
from pipeline.core.wilayah import parent_kode
from pipeline.core.workspace import buku_kerja_name, document_stem, signed_pdf_name
from pipeline.desa import documents as render
from pipeline.desa.context import Context
from pipeline.desa.lampiran import FOTO_EXTENSIONS, FotoMasuk, write_lampiran_foto
from pipeline.desa.validation import validate_desa
from pipeline.desa.workbook import write_desa_workbook
from pipeline.desa.workflow import LedgerState, check_workbook
from pipeline.documents import deferred
from pipeline.ledger.jejak import jejak
from pipeline.ledger.paket import held_package
from pipeline.ledger.store import InputRow
from pipeline.scans import delivery as scan_delivery
from pipeline.scans import manifest
from pipeline.scans import pages as scan_pages


class DesaStages:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ws = ctx.ws
        self.settings = ctx.settings
        self.wilayah = ctx.wilayah
        self.ledger = ctx.ledger
        self.tz = ctx.tz
        self.rules = ctx.rules

    def folder(self, kode: str, year: int) -> Path | None:
        desa = self.wilayah.desa(kode)
        if desa is None:
            return None
        return self.ws.outbox_desa(self.wilayah.kecamatan_of(kode), desa, year)

    def examine_workbook(
        self, raw: RawWorkbook, report: Report, row: InputRow, place: Place
    ) -> Examined:
        folder_desa = place.desa
        purpose = "workbook-desa"
        received = row.received_at.astimezone(self.tz)
        fallback_region = folder_desa.kode if folder_desa else None
        wb, vreport = validate_desa(
            raw,
            self.wilayah,
            today=received.date(),
            bidang_kelurahan=self.settings.bidang.kelurahan,
        )
        report.extend(vreport)
        region = wb.identitas.kode if wb and wb.identitas.kode else fallback_region
        year = wb.identitas.tahun if wb else None
        if wb is None or not wb.identitas.kode or not year:
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_DESA, purpose, region, year, report.issues
            )
        # The folder binding: a desa folder takes only its own desa's workbook, a kecamatan
        # folder only workbooks of its own desa.
        folder = folder_desa or place.kecamatan
        if folder_desa is not None:
            own = wb.identitas.kode == folder_desa.kode
        elif place.kecamatan is not None:
            own = wb.identitas.kode.startswith(place.kecamatan.kode + ".")
        else:
            own = True
        if folder is not None and not own:
            report.add(
                "wilayah-tidak-cocok",
                f"Lembar {SHEET_IDENTITAS} sel {wb.identitas_cells.get('Kode Desa/Kelurahan')}: "
                f"buku kerja {level_of(wb.identitas.kode)} {wb.identitas.kode} diletakkan di "
                f"folder {folder.kode} {folder.nama}. Simpan buku kerja di folder "
                f"{level_of(wb.identitas.kode)}nya sendiri.",
                sheet=SHEET_IDENTITAS,
                cell=wb.identitas_cells.get("Kode Desa/Kelurahan"),
                column="Kode Desa/Kelurahan",
            )
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_DESA, purpose, folder.kode, year, report.issues
            )
        held = held_package(self.ledger, parent_kode(wb.identitas.kode), year)
        if held is not None:  # mixed mode at Bappeda: the kecamatan's package wins
            return self._under_package(wb.identitas.kode, year, report)
        ry = self.ledger.region_year(wb.identitas.kode, year)
        state = LedgerState(
            tahap=ry.stage if ry else None,
            known_kode={
                u.kode_usulan or "": u.kegiatan or ""
                for u in self.ledger.usulan_of(wb.identitas.kode, year)
            },
            pindaian={
                b.jenis
                for y in (year, None)
                for b in self.ledger.berkas_of(wb.identitas.kode, y, "pindaian")
            },
        )
        decision = check_workbook(wb, state, self.rules, received.date())
        report.extend(decision.report)
        if not report.ok or decision.tahap is None:
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_DESA, purpose, wb.identitas.kode, year, report.issues
            )
        return Examined(
            Status.ACCEPTED,
            Kind.WORKBOOK_DESA,
            purpose,
            wb.identitas.kode,
            year,
            report.issues,
            apply=self._apply_workbook(wb, decision.tahap, decision.terlambat, row),
            usulan_rows=[u.row for u in wb.usulan],
            peserta_rows=[p.row for p in wb.peserta],
        )

    def _under_package(self, kode: str, year: int, report: Report) -> Examined:
        """A desa workbook Bappeda receives itself while it holds that kecamatan's package:
        checked and archived, but the package stays the record (no ledger change, no
        documents); the receipt and `status` warn (`paket-dan-buku-kerja`)."""
        purpose = "workbook-desa"
        if not report.ok:
            return Examined(Status.REJECTED, Kind.WORKBOOK_DESA, purpose, kode, year, report.issues)
        kec = self.wilayah.get(parent_kode(kode))
        report.add(
            "paket-dan-buku-kerja",
            f"Paket Kecamatan {kec.nama if kec else parent_kode(kode)} {year} sudah diterima di "
            "sini dan berlaku: buku kerja desa ini dicatat dan diarsipkan, tetapi tidak mengubah "
            "data desa. Perubahan dari desa dikirim lewat kecamatan (paket baru).",
        )
        return Examined(Status.ACCEPTED, Kind.WORKBOOK_DESA, purpose, kode, year, report.issues)

    def _apply_workbook(
        self, wb: BukuKerjaDesa, tahap: Tahap, terlambat: bool, row: InputRow
    ) -> Callable[[Sql], None]:
        kode, year = wb.identitas.kode or "", wb.identitas.tahun or 0
        desa = self.wilayah.desa(kode)
        level = desa.level if desa else "desa"
        at = row.received_at.astimezone(self.tz).isoformat(timespec="seconds")
        identitas = wb.identitas.model_copy(update={"tahap": tahap})

        def apply(db: Sql) -> None:
            before = self.ledger.region_year(kode, year)
            self.ledger.set_stage(
                db,
                region=kode,
                year=year,
                level=level,
                stage=tahap,
                at=at,
                input_id=row.id,
                identitas=identitas,
                peserta=wb.peserta,
                late=terlambat if tahap is Tahap.KIRIM else False,
            )
            self.ledger.save_usulan(
                db,
                region=kode,
                year=year,
                usulan=wb.usulan,
                at=at,
                input_id=row.id,
                file=row.file,
            )
            if before is None or before.stage is not tahap:
                self.ledger.audit(
                    db,
                    "tahap",
                    at=at,
                    region=kode,
                    year=year,
                    dari=before.stage.value if before else None,
                    ke=tahap.value,
                    file=row.file,
                )

        return apply

    def snapshot(self, kode: str, year: int) -> DesaSnapshot | None:
        ry = self.ledger.region_year(kode, year)
        desa = self.wilayah.desa(kode)
        if ry is None or desa is None:
            return None
        pindaian: dict[str, list[str]] = {}
        for b in self.ledger.berkas_of(kode, year, "pindaian"):
            pindaian.setdefault(b.jenis, []).append(b.archived_as)
        return DesaSnapshot(
            desa=desa,
            kecamatan=self.wilayah.kecamatan_of(kode),
            kabupaten=self.wilayah.kabupaten_of(kode),
            tahun=year,
            tahap=ry.stage,
            identitas=ry.identitas,
            peserta=ry.peserta,
            usulan=self.ledger.usulan_of(kode, year),
            terlambat=ry.late,
            dikirim_pada=dt.datetime.fromisoformat(ry.sent_at) if ry.sent_at else None,
            pindaian=pindaian,
            jejak=jejak(self.ledger.db, kode, year),
        )

    def after_workbook(self, ex: Examined) -> tuple[list[Path], list[Issue]]:
        assert ex.region and ex.year
        if held_package(self.ledger, parent_kode(ex.region), ex.year) is not None:
            return [], []  # the kecamatan's package is the record: no documents from here
        snap = self.snapshot(ex.region, ex.year)
        if snap is None:
            return [], []
        folder = self.ws.outbox_desa(snap.kecamatan, snap.desa, snap.tahun)
        if len(ex.usulan_rows) == len(snap.usulan) and len(ex.peserta_rows) == len(snap.peserta):
            snap = snap.model_copy(
                update={
                    "usulan": [
                        u.model_copy(update={"row": r})
                        for u, r in zip(snap.usulan, ex.usulan_rows, strict=True)
                    ],
                    "peserta": [
                        p.model_copy(update={"row": r})
                        for p, r in zip(snap.peserta, ex.peserta_rows, strict=True)
                    ],
                }
            )
        outputs = [self.current_workbook(snap, ex.issues)]
        stale = folder / buku_kerja_name(snap.desa, snap.tahun, perbaiki=True)
        if stale.exists():
            stale.unlink()  # the accepted workbook supersedes the rejected one
        extra: list[Issue] = []
        docs = render.produce_desa_documents(self.ws, self.settings, snap, self.ctx.get_converter())
        outputs += docs.outputs
        extra += docs.issues
        self._remove_documents_not_due(snap, folder)
        if snap.pindaian:
            outputs += self.signed_pdf(ex.region, ex.year)
        if self.ledger.berkas_of(ex.region, ex.year, "dokumen"):
            outputs += self.documentation(ex.region, ex.year)
        return outputs, extra

    def _remove_documents_not_due(self, snap: DesaSnapshot, folder: Path) -> None:
        """After a move back (Verifikasi -> Pelaksanaan) the berita acara and kompilasi no
        longer match the ledger: take them out of outbox so nobody prints and signs them."""
        due = {d.key for d in render.documents_for(snap.tahap)}
        for spec in render.DOCUMENTS:
            if spec.key not in due:
                for suffix in (".docx", ".pdf", ".xlsx"):
                    (folder / (spec.stem(snap) + suffix)).unlink(missing_ok=True)

    def current_workbook(self, snap: DesaSnapshot, issues: list[Issue] | None = None) -> Path:
        """The workbook as the ledger knows it, the operator's next starting point."""
        folder = self.ws.outbox_desa(snap.kecamatan, snap.desa, snap.tahun)
        target = folder / buku_kerja_name(snap.desa, snap.tahun)
        return write_desa_workbook(
            target,
            desa=snap.desa,
            kecamatan=snap.kecamatan,
            tahun=snap.tahun,
            tahap=snap.tahap,
            identitas=snap.identitas,
            peserta=snap.peserta,
            usulan=snap.usulan,
            issues=list(issues or []),
            bidang_kelurahan=self.settings.bidang.kelurahan,
        )

    def blank_workbook(self, desa: Wilayah, year: int) -> Path:
        kec = self.wilayah.kecamatan_of(desa.kode)
        target = self.ws.outbox_desa(kec, desa, year) / buku_kerja_name(desa, year)
        ident = IdentitasDesa(kode=desa.kode, nama=desa.nama, kecamatan=kec.nama, tahun=year)
        return write_desa_workbook(
            target,
            desa=desa,
            kecamatan=kec,
            tahun=year,
            tahap=None,
            identitas=ident,
            peserta=[],
            usulan=[],
            bidang_kelurahan=self.settings.bidang.kelurahan,
        )

    def signed_pdf(self, kode: str, year: int) -> list[Path]:
        """Rebuild the one signed PDF: the newest delivery of each scan, then the kompilasi."""
        deferred.settle()  # the kompilasi PDF of this input is published first
        desa = self.wilayah.desa(kode)
        if desa is None:
            return []
        folder = self.ws.outbox_desa(self.wilayah.kecamatan_of(kode), desa, year)
        current: dict[str, list[Path]] = {}
        rows = self.ledger.berkas_of(kode, year, "pindaian")
        for jenis in {b.jenis for b in rows}:
            mine = [b for b in rows if b.jenis == jenis]
            name_of = {self.ws.root / b.archived_as: b.file for b in mine}
            latest = scan_delivery.latest_scan_set(
                (self.ws.root / b.archived_as, dt.datetime.fromisoformat(b.received_at))
                for b in mine
            )
            # pages in the order of the operator's file names, not of our archive names
            current[jenis] = sorted(latest, key=lambda p: scan_delivery.natural_key(name_of[p]))
        kompilasi = folder / (document_stem("Kompilasi Usulan", desa, year) + ".pdf")
        parts = scan_delivery.signed_parts(current, kompilasi if kompilasi.exists() else None)
        if not parts:
            return []
        out = folder / signed_pdf_name(desa, year)
        scan_pages.build_signed_pdf(parts, out, self.settings.pdf.ukuran_kertas)
        return [out]

    def documentation(self, kode: str, year: int) -> list[Path]:
        """Manifest of the supporting documents and the Lampiran Foto."""
        desa = self.wilayah.desa(kode)
        if desa is None:
            return []
        kec = self.wilayah.kecamatan_of(kode)
        folder = self.ws.outbox_desa(kec, desa, year)
        rows = self.ledger.berkas_of(kode, year, "dokumen")
        entries = [
            manifest.ManifestEntry(
                jenis=b.jenis,
                nama_asli=b.file,
                ukuran=b.size,
                sha256=b.sha256,
                diterima_pada=dt.datetime.fromisoformat(b.received_at),
                folder=b.folder,
                arsip=b.archived_as,
            )
            for b in rows
        ]
        stem = document_stem("Manifest Dokumen", desa, year)
        outputs = [folder / f"{stem}.json", folder / f"{stem}.xlsx"]
        manifest.write_manifest(entries, outputs[0], outputs[1], self.settings.pdf.ukuran_kertas)
        photos = [
            FotoMasuk(
                self.ws.root / b.archived_as, b.file, dt.datetime.fromisoformat(b.received_at)
            )
            for b in rows
            if b.jenis == "foto" and Path(b.file).suffix.casefold() in FOTO_EXTENSIONS
        ]
        if photos:
            out = folder / (document_stem("Lampiran Foto", desa, year) + ".pdf")
            ry = self.ledger.region_year(kode, year)
            write_lampiran_foto(
                photos,
                out,
                desa=desa,
                kecamatan=kec,
                kabupaten=self.settings.kabupaten.nama,
                tahun=year,
                tanggal_musrenbang=ry.identitas.tanggal_musrenbang if ry else None,
                paper=self.settings.pdf.ukuran_kertas,
                tz=self.tz,
                jejak=jejak(self.ledger.db, kode, year),
            )
            outputs.append(out)
        return outputs


# Issues about the file as a whole: nothing in it can be marked on a cell.
