"""The kecamatan's inputs (its workbook and signed recap scans) and the outputs that follow.

Sooko SOP: letters to each desa from the Jadwal sheet (step 1), the kecamatan workbook
pre-filled with the usulan its desa sent (step 4), the recap, berita acara and daftar hadir
(step 5), the signed recap scan (step 6), and at Kirim the cover letter and a sealed package
for Bappeda (step 7). Called by run/route.Stages, which dispatches by the input's region.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pipeline.core.examined import Examined, Place
from pipeline.core.models import (
    BukuKerjaKecamatan,
    IdentitasDesa,
    IdentitasKecamatan,
    JadwalDesa,
    KecamatanSnapshot,
    RawWorkbook,
    UsulanKecamatan,
    Wilayah,
)
from pipeline.core.receipts import Kind, Status
from pipeline.core.report import Issue, Report
from pipeline.core.sql import Sql
from pipeline.core.standard import SHEET_IDENTITAS, TAHAP_KECAMATAN_URUTAN, TahapKecamatan
from pipeline.core.wilayah import desa_of_usulan
from pipeline.core.workspace import document_stem, safe_name, signed_pdf_name
from pipeline.desa.context import Context
from pipeline.documents import deferred
from pipeline.kecamatan import documents as render_kecamatan
from pipeline.kecamatan import paket_kirim
from pipeline.kecamatan.check_jadwal import jadwal_berbeda
from pipeline.kecamatan.ranking import desa_rank, propose_ranking
from pipeline.kecamatan.validation import validate_kecamatan
from pipeline.kecamatan.workbook import write_kecamatan_workbook
from pipeline.kecamatan.workflow import KecamatanState, check_kecamatan
from pipeline.ledger.jejak import jejak
from pipeline.ledger.kecamatan import KecamatanLedger, sent_on
from pipeline.ledger.store import InputRow
from pipeline.scans import delivery as scan_delivery
from pipeline.scans import pages as scan_pages

PURPOSE = "workbook-kecamatan"
# The parts of the kecamatan's signed PDF, in order, one bookmark each (spec/documents.md).
PART_TITLES = {
    "berita-acara": "Berita Acara (ditandatangani)",
    "daftar-hadir": "Daftar Hadir (ditandatangani)",
    "rekap": "Rekap Usulan (ditandatangani)",
}


def buku_kerja_kecamatan_name(kec: Wilayah, tahun: int, perbaiki: bool = False) -> str:
    suffix = " (perbaiki)" if perbaiki else ""
    return safe_name(f"Buku Kerja Musrenbang Kecamatan {kec.nama} {tahun}{suffix}") + ".xlsx"


class KecamatanStages:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ws = ctx.ws
        self.wilayah = ctx.wilayah
        self.ledger = KecamatanLedger(ctx.ledger)

    # ------------------------------------------------------------------ state

    def folder(self, kode: str, year: int) -> Path | None:
        kec = self.wilayah.get(kode)
        return self.ws.outbox_kecamatan(kec, year) if kec else None

    def stage_of(self, kode: str, year: int) -> str | None:
        ky = self.ledger.year(kode, year)
        return ky.stage.value if ky else None

    def open_year(self, kode: str) -> int | None:
        years = [k for k in self.ledger.years() if k.region == kode]
        open_ = [k.year for k in years if k.stage is not TahapKecamatan.KIRIM]
        return open_[-1] if open_ else None

    def sent_years(self, kode: str) -> list[int]:
        return [k.year for k in self.ledger.years() if k.region == kode]

    def snapshot(self, kode: str, year: int) -> KecamatanSnapshot | None:
        kec = self.wilayah.get(kode)
        if kec is None:
            return None
        ky = self.ledger.year(kode, year)
        desa = self.wilayah.desa_in(kode)
        usulan = self.ledger.usulan_of(kode, year) if ky else []
        return KecamatanSnapshot(
            kecamatan=kec,
            kabupaten=self.wilayah.kabupaten_of(kode),
            tahun=year,
            tahap=ky.stage if ky else None,
            identitas=ky.identitas
            if ky
            else IdentitasKecamatan(kode=kode, nama=kec.nama, tahun=year),
            jadwal=ky.jadwal if ky else [],
            peserta=ky.peserta if ky else [],
            usulan=usulan,
            desa=desa,
            desa_terkirim=self.ledger.sent_desa(kode, year),
            dikirim_pada=sent_on(ky),
            rekap_pada=self.ledger.rekap_on(kode, year) if ky else None,
            jejak=jejak(self.ledger.db, kode, year),
        )

    def workbook_rows(
        self, snap: KecamatanSnapshot
    ) -> tuple[list[JadwalDesa], list[UsulanKecamatan]]:
        """Jadwal with every desa (recorded values kept) and the usulan: the kecamatan's
        recorded ones in its order, then agreed usulan of desa that sent since. Before Rekap
        the Prioritas column carries the proposed kecamatan ranking (kecamatan/ranking.py)."""
        recorded_jadwal = {j.kode_desa: j for j in snap.jadwal}
        jadwal = [
            recorded_jadwal.get(d.kode) or JadwalDesa(kode_desa=d.kode, nama_desa=d.nama)
            for d in snap.desa
        ]
        usulan = list(snap.usulan)
        known = {u.kode_usulan for u in usulan}
        names = {d.kode: d.nama for d in snap.desa}
        sent = self.ledger.sent_usulan(snap.kecamatan.kode, snap.tahun)
        for u in sent:
            if u.kode_usulan not in known:
                desa_kode = desa_of_usulan(u.kode_usulan)
                usulan.append(u.model_copy(update={"desa": names.get(desa_kode, desa_kode)}))
        order = TAHAP_KECAMATAN_URUTAN
        if snap.tahap is None or order.index(snap.tahap) < order.index(TahapKecamatan.REKAP):
            usulan = propose_ranking(usulan, desa_rank(sent))
        return jadwal, usulan

    def current_workbook(self, snap: KecamatanSnapshot, issues: list[Issue] | None = None) -> Path:
        folder = self.ws.outbox_kecamatan(snap.kecamatan, snap.tahun)
        jadwal, usulan = self.workbook_rows(snap)
        return write_kecamatan_workbook(
            folder / buku_kerja_kecamatan_name(snap.kecamatan, snap.tahun),
            kecamatan=snap.kecamatan,
            tahun=snap.tahun,
            tahap=snap.tahap,
            identitas=snap.identitas,
            jadwal=jadwal,
            peserta=snap.peserta,
            usulan=usulan,
            issues=list(issues or []),
            bidang_kelurahan=self.ctx.settings.bidang.kelurahan,
        )

    # ------------------------------------------------------------------ examine

    def examine_workbook(
        self, raw: RawWorkbook, report: Report, row: InputRow, place: Place
    ) -> Examined:
        received = row.received_at.astimezone(self.ctx.tz)
        folder_kec = place.kecamatan
        fallback = folder_kec.kode if folder_kec else None
        wb, vreport = validate_kecamatan(
            raw,
            self.wilayah,
            today=received.date(),
            bidang_kelurahan=self.ctx.settings.bidang.kelurahan,
        )
        report.extend(vreport)
        kode = wb.identitas.kode if wb else None
        year = wb.identitas.tahun if wb else None
        if wb is None or not kode or not year:
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_KECAMATAN, PURPOSE, kode or fallback, year,
                report.issues,
            )  # fmt: skip
        if folder_kec is not None and (folder_kec.kode != kode or place.desa is not None):
            cell = wb.identitas_cells.get("Kode Kecamatan")
            report.add(
                "wilayah-tidak-cocok",
                f"Lembar {SHEET_IDENTITAS} sel {cell}: buku kerja kecamatan {kode} diletakkan di "
                f"folder {folder_kec.kode} {folder_kec.nama}"
                + (f"/{place.desa.kode} {place.desa.nama}" if place.desa else "")
                + ". Simpan buku kerja kecamatan di folder kecamatannya sendiri.",
                sheet=SHEET_IDENTITAS,
                cell=cell,
                column="Kode Kecamatan",
            )
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_KECAMATAN, PURPOSE, kode, year, report.issues
            )
        report.extend(self.jadwal_against_desa(wb, raw, year))
        state = self.state(kode, year)
        guards, tahap = check_kecamatan(wb, state, self.ctx.rules)
        report.extend(guards)
        if not report.ok or tahap is None:
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_KECAMATAN, PURPOSE, kode, year, report.issues
            )
        return Examined(
            Status.ACCEPTED,
            Kind.WORKBOOK_KECAMATAN,
            PURPOSE,
            kode,
            year,
            report.issues,
            apply=self._apply(wb, tahap, row),
            usulan_rows=[u.row for u in wb.usulan],
            peserta_rows=[p.row for p in wb.peserta],
        )

    def jadwal_against_desa(
        self, wb: BukuKerjaKecamatan, raw: RawWorkbook, year: int
    ) -> list[Issue]:
        """`jadwal-berbeda` for Jadwal rows that differ from the desa's own workbook."""
        recorded: dict[str, IdentitasDesa] = {}
        words: dict[str, str] = {}
        for j in wb.jadwal:
            ry = self.ctx.ledger.region_year(j.kode_desa, year)
            if ry is not None:
                recorded[j.kode_desa] = ry.identitas
            desa = self.wilayah.desa(j.kode_desa)
            if desa is not None:
                words[j.kode_desa] = desa.level_word
        return jadwal_berbeda(wb.jadwal, recorded, raw.jadwal, words)

    def state(self, kode: str, year: int) -> KecamatanState:
        ky = self.ledger.year(kode, year)
        sent = set(self.ledger.sent_desa(kode, year))
        return KecamatanState(
            tahap=ky.stage if ky else None,
            recorded={
                u.kode_usulan or "": u.kegiatan or "" for u in self.ledger.usulan_of(kode, year)
            },
            from_desa={
                u.kode_usulan or "": u.kegiatan or "" for u in self.ledger.sent_usulan(kode, year)
            },
            desa_belum_kirim={
                d.kode: f"{d.level_word} {d.nama}"
                for d in self.wilayah.desa_in(kode)
                if d.kode not in sent
            },
            pindaian={
                b.jenis
                for y in (year, None)
                for b in self.ctx.ledger.berkas_of(kode, y, "pindaian")
            },
        )

    def _apply(
        self, wb: BukuKerjaKecamatan, tahap: TahapKecamatan, row: InputRow
    ) -> Callable[[Sql], None]:
        kode, year = wb.identitas.kode or "", wb.identitas.tahun or 0
        at = row.received_at.astimezone(self.ctx.tz).isoformat(timespec="seconds")
        identitas = wb.identitas.model_copy(update={"tahap": tahap})

        def apply(db: Sql) -> None:
            before = self.ledger.year(kode, year)
            self.ledger.set_stage(
                db, region=kode, year=year, stage=tahap, at=at, input_id=row.id,
                identitas=identitas, jadwal=wb.jadwal, peserta=wb.peserta,
            )  # fmt: skip
            self.ledger.save_usulan(
                db, region=kode, year=year, usulan=wb.usulan, at=at, input_id=row.id,
                file=row.file,
            )  # fmt: skip
            if before is None or before.stage is not tahap:
                self.ctx.ledger.audit(
                    db, "tahap", at=at, region=kode, year=year,
                    dari=before.stage.value if before else None, ke=tahap.value, file=row.file,
                )  # fmt: skip

        return apply

    # ------------------------------------------------------------------ produce

    def after_workbook(self, ex: Examined) -> tuple[list[Path], list[Issue]]:

        assert ex.region and ex.year
        snap = self.snapshot(ex.region, ex.year)
        if snap is None:
            return [], []
        if len(ex.usulan_rows) == len(snap.usulan):
            snap = snap.model_copy(
                update={
                    "usulan": [
                        u.model_copy(update={"row": r})
                        for u, r in zip(snap.usulan, ex.usulan_rows, strict=True)
                    ]
                }
            )
        folder = self.ws.outbox_kecamatan(snap.kecamatan, snap.tahun)
        outputs = [self.current_workbook(snap, ex.issues)]
        (folder / buku_kerja_kecamatan_name(snap.kecamatan, snap.tahun, True)).unlink(
            missing_ok=True
        )
        docs = render_kecamatan.produce_kecamatan_documents(
            self.ws, self.ctx.settings, snap, self.ctx.get_converter()
        )
        outputs += docs.outputs
        if self.ctx.ledger.berkas_of(ex.region, ex.year, "pindaian"):
            outputs += self.signed_pdf(ex.region, ex.year)
        if snap.tahap is TahapKecamatan.KIRIM:
            outputs.append(self.package(snap, outputs))
        return outputs, list(docs.issues)

    def perbaiki_target(self, kode: str, year: int) -> Path | None:
        kec = self.wilayah.get(kode)
        if kec is None:
            return None
        return self.ws.outbox_kecamatan(kec, year) / buku_kerja_kecamatan_name(kec, year, True)

    def signed_pdf(self, kode: str, year: int) -> list[Path]:
        """The signed berita acara, daftar hadir and recap scans, then the recap itself."""
        deferred.settle()  # the recap PDF of this input is published first
        kec = self.wilayah.get(kode)
        if kec is None:
            return []
        folder = self.ws.outbox_kecamatan(kec, year)
        rows = self.ctx.ledger.berkas_of(kode, year, "pindaian")
        parts: list[tuple[str, list[Path]]] = []
        for jenis, title in PART_TITLES.items():
            mine = [b for b in rows if b.jenis == jenis]
            if mine:
                latest = scan_delivery.latest_scan_set(
                    (self.ws.root / b.archived_as, dt.datetime.fromisoformat(b.received_at))
                    for b in mine
                )
                parts.append((title, latest))
        rekap = folder / (document_stem("Rekap Usulan", kec, year, kecamatan=True) + ".pdf")
        if rekap.exists():
            parts.append(("Rekap Usulan Musrenbang Kecamatan", [rekap]))
        if not parts:
            return []
        out = folder / signed_pdf_name(kec, year, kecamatan=True)
        scan_pages.build_signed_pdf(parts, out, self.ctx.settings.pdf.ukuran_kertas)
        return [out]

    def package(self, snap: KecamatanSnapshot, outputs: list[Path]) -> Path:
        """The sealed, signed package for Bappeda (kecamatan/paket_kirim.py)."""
        deferred.settle()  # it carries the folder's PDFs
        folder = self.ws.outbox_kecamatan(snap.kecamatan, snap.tahun)
        return paket_kirim.write_package(self.ctx, snap, folder, outputs)
