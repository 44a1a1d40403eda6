"""What each kind of input means, and what it leaves in outbox/.

`examine` classifies an archived input by where it was dropped and what it holds, and returns
an Examined: its status, issues and (when accepted) the ledger change to apply. `produce`
writes the outputs that follow from the ledger's state; it is idempotent so that work redone
after a crash writes the same files again.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pipeline.core.config import Settings
from pipeline.core.models import BukuKerjaDesa, DesaSnapshot, IdentitasDesa, Wilayah
from pipeline.core.receipts import Kind, Status
from pipeline.core.report import Issue, Report, issue
from pipeline.core.standard import JENIS_DOKUMEN, JENIS_PINDAIAN, SHEET_IDENTITAS, Tahap
from pipeline.core.wilayah import KODE_DESA, KODE_KECAMATAN, WilayahList
from pipeline.core.workspace import (
    Workspace,
    buku_kerja_name,
    document_stem,
    safe_name,
    signed_pdf_name,
)
from pipeline.desa.validation import validate_desa
from pipeline.desa.workflow import LedgerState, Rules, check_workbook
from pipeline.documents.convert import Converter
from pipeline.intake.xlsx_read import read_workbook
from pipeline.intake.xlsx_write import mark_issues_on_copy, write_desa_workbook
from pipeline.kabupaten import paket
from pipeline.ledger.store import InputRow, Ledger
from pipeline.scans import dokumen
from pipeline.scans import pages as scans

if TYPE_CHECKING:
    from pipeline.kecamatan.stages import KecamatanStages

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".numbers", ".xlsb", ".xltx")


@dataclass
class Examined:
    status: Status
    kind: Kind
    purpose: str | None = None
    region: str | None = None
    year: int | None = None
    issues: list[Issue] = field(default_factory=list)
    apply: Callable[[sqlite3.Connection], None] | None = None  # the ledger change, if accepted
    # Sheet rows of the dropped workbook's usulan and peserta, in order, so that warnings can
    # be marked on the matching rows of the current workbook.
    usulan_rows: list[int | None] = field(default_factory=list)
    peserta_rows: list[int | None] = field(default_factory=list)

    def to_receipt_json(self) -> str:
        return json.dumps(
            {
                "status": self.status.value,
                "kind": self.kind.value,
                "purpose": self.purpose,
                "region": self.region,
                "year": self.year,
                "issues": [i.model_dump(mode="json") for i in self.issues],
                "usulan_rows": self.usulan_rows,
                "peserta_rows": self.peserta_rows,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_receipt_json(cls, text: str) -> Examined:
        data = json.loads(text)
        return cls(
            status=Status(data["status"]),
            kind=Kind(data["kind"]),
            purpose=data.get("purpose"),
            region=data.get("region"),
            year=data.get("year"),
            issues=[Issue.model_validate(i) for i in data.get("issues", [])],
            usulan_rows=data.get("usulan_rows", []),
            peserta_rows=data.get("peserta_rows", []),
        )


@dataclass
class Place:
    """Where an input was dropped: its region folders and, inside a desa, the sub-folders."""

    kecamatan: Wilayah | None = None
    desa: Wilayah | None = None
    area: str | None = None  # 'pindaian' | 'dokumen'
    jenis: str | None = None  # e.g. 'berita-acara'


def _kode_prefix(folder_name: str) -> str:
    return folder_name.split(" ", 1)[0]


def locate(rel: str, wilayah: WilayahList) -> Place:
    """Read the region out of the inbox path: '<kode kec> <Nama>/<kode desa> <Nama>/...'."""
    rest = rel.split("/")[:-1]
    place = Place()
    if rest and KODE_KECAMATAN.match(_kode_prefix(rest[0])):
        place.kecamatan = wilayah.get(_kode_prefix(rest[0]))
        rest = rest[1:]
        if rest and KODE_DESA.match(_kode_prefix(rest[0])):
            place.desa = wilayah.get(_kode_prefix(rest[0]))
            rest = rest[1:]
    areas = [n for n, part in enumerate(rest) if part.casefold() in ("pindaian", "dokumen")]
    if areas:
        first = areas[0]
        place.area = rest[first].casefold()
        if first + 1 < len(rest):
            place.jenis = rest[first + 1].casefold()
        if first != 0:  # e.g. inbox/<kec>/<desa>/lain/pindaian/...: not the desa's own folder
            place.desa = None
            place.kecamatan = None
    return place


class Stages:
    def __init__(
        self,
        ws: Workspace,
        settings: Settings,
        wilayah: WilayahList,
        ledger: Ledger,
        converter: Converter | None,
    ) -> None:
        self.ws = ws
        self.settings = settings
        self.wilayah = wilayah
        self.ledger = ledger
        self.converter = converter
        self.tz = ZoneInfo(settings.jadwal.zona_waktu)
        self.rules = Rules(
            batas_hari_kerja=settings.jadwal.batas_hari_kerja,
            hari_libur_tambahan=frozenset(settings.jadwal.hari_libur_tambahan),
            wajib_pindaian=settings.kirim.wajib_pindaian,
        )
        self._own_converter = False

    @cached_property
    def kecamatan(self) -> KecamatanStages:
        from pipeline.kecamatan.stages import KecamatanStages

        return KecamatanStages(self)

    def close(self) -> None:
        if self._own_converter and self.converter is not None:
            self.converter.close()

    def get_converter(self) -> Converter | None:
        """One LibreOffice pool per pass (or per watcher), started only when needed."""
        if self.converter is None:
            self.converter = Converter(self.settings.pdf, self.ws.runtime)
            self._own_converter = True
        return self.converter

    # ------------------------------------------------------------------ naming helpers

    def region_name(self, kode: str | None) -> str | None:
        w = self.wilayah.get(kode) if kode else None
        return w.nama if w else None

    def stage_of(self, region: str | None, year: int | None) -> str | None:
        if not region or not year:
            return None
        if KODE_KECAMATAN.match(region):
            return self.kecamatan.stage_of(region, year)
        ry = self.ledger.region_year(region, year)
        return ry.stage.value if ry else None

    def desa_folder(self, kode: str, year: int) -> Path | None:
        desa = self.wilayah.desa(kode)
        if desa is None:
            return None
        return self.ws.outbox_desa(self.wilayah.kecamatan_of(kode), desa, year)

    def default_year(self, region: str) -> int | None:
        """The year an input of unknown year is filed under: the open one, else the latest."""
        if KODE_KECAMATAN.match(region):
            sent = self.kecamatan.sent_years(region)
            return self.kecamatan.open_year(region) or (sent[-1] if sent else None)
        ry = self.ledger.open_year(region)
        if ry is None:
            years = self.ledger.years_of(region)
            ry = years[-1] if years else None
        return ry.year if ry else None

    def region_receipt_folder(self, ex: Examined) -> Path | None:
        if ex.region and ex.year:
            if KODE_KECAMATAN.match(ex.region):
                kec_folder = self.kecamatan.folder(ex.region, ex.year)
                return kec_folder / "tanda-terima" if kec_folder else None
            folder = self.desa_folder(ex.region, ex.year)
            if folder is not None:
                return folder / "tanda-terima"
        return None

    # ------------------------------------------------------------------ examine

    def examine(self, path: Path, row: InputRow) -> Examined:
        place = locate(row.rel, self.wilayah)
        suffix = Path(row.file).suffix.casefold()
        if place.area == "pindaian":
            return self.examine_scan(path, row, place)
        if place.area == "dokumen":
            return self.examine_document(path, row, place)
        if suffix in WORKBOOK_SUFFIXES:
            return self.examine_workbook(path, row, place)
        if suffix == ".zip":
            return self.examine_package(path, row)
        where = "folder desa" if place.desa else "inbox"
        return Examined(
            Status.REJECTED,
            Kind.UNKNOWN,
            region=place.desa.kode if place.desa else None,
            issues=[
                issue(
                    "jenis-berkas-tidak-dikenal",
                    f"Berkas '{row.file}' di {where} tidak dikenali. Buku kerja disimpan sebagai "
                    ".xlsx; pindaian bertanda tangan di folder pindaian/berita-acara atau "
                    "pindaian/daftar-hadir; foto, video dan dokumen lain di folder dokumen/<jenis>.",
                )
            ],
        )

    # --- workbooks

    def examine_workbook(self, path: Path, row: InputRow, place: Place) -> Examined:
        folder_desa = place.desa
        purpose = "workbook-desa"
        for kind in (Kind.WORKBOOK_DESA, Kind.WORKBOOK_KECAMATAN):
            earlier = self.ledger.accepted_before(row.sha256, kind.value)
            folder = folder_desa or place.kecamatan
            if earlier is not None and (folder is None or folder.kode == earlier.region):
                return Examined(Status.DUPLICATE, kind, kind.value, earlier.region, earlier.year)
        received = row.received_at.astimezone(self.tz)
        raw, report = read_workbook(path, self.settings.batas, display_name=row.file)
        fallback_region = folder_desa.kode if folder_desa else None
        if raw is None:
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_DESA, purpose, fallback_region, None, report.issues
            )
        if raw.kind == "kecamatan":
            return self.kecamatan.examine_workbook(raw, report, row, place)
        wb, vreport = validate_desa(raw, self.wilayah, today=received.date())
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
                f"buku kerja desa {wb.identitas.kode} diletakkan di folder "
                f"{folder.kode} {folder.nama}. Simpan buku kerja di folder desanya sendiri.",
                sheet=SHEET_IDENTITAS,
                cell=wb.identitas_cells.get("Kode Desa/Kelurahan"),
                column="Kode Desa/Kelurahan",
            )
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_DESA, purpose, folder.kode, year, report.issues
            )
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

    def _apply_workbook(
        self, wb: BukuKerjaDesa, tahap: Tahap, terlambat: bool, row: InputRow
    ) -> Callable[[sqlite3.Connection], None]:
        kode, year = wb.identitas.kode or "", wb.identitas.tahun or 0
        desa = self.wilayah.desa(kode)
        level = desa.level if desa else "desa"
        at = row.received_at.astimezone(self.tz).isoformat(timespec="seconds")
        identitas = wb.identitas.model_copy(update={"tahap": tahap})

        def apply(db: sqlite3.Connection) -> None:
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

    # --- kecamatan packages (at Bappeda)

    def examine_package(self, path: Path, row: InputRow) -> Examined:
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

    def package_folder(self, kode: str, year: int) -> Path:
        kec = self.wilayah.get(kode)
        name = f"{kode} {kec.nama}" if kec else kode
        return self.ws.outbox / "paket" / safe_name(name) / str(year)

    # --- scans and supporting documents

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
            allowed = JENIS_PINDAIAN  # the kecamatan also has pindaian/rekap
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
        report = scans.check_scan(path, row.file)
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

        def apply(db: sqlite3.Connection) -> None:
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

    # ------------------------------------------------------------------ produce

    def produce(
        self, ex: Examined, archived: Path, row: InputRow
    ) -> tuple[list[Path], list[Issue]]:
        """Write the outputs that follow from this input; returns them and extra issues."""
        workbook = ex.kind in (Kind.WORKBOOK_DESA, Kind.WORKBOOK_KECAMATAN)
        if workbook and ex.status is Status.REJECTED:
            return self._perbaiki(ex, archived, row), []
        if ex.status is not Status.ACCEPTED or not ex.region or not ex.year:
            return [], []
        if ex.kind is Kind.WORKBOOK_KECAMATAN:
            return self.kecamatan.after_workbook(ex)
        if ex.kind is Kind.WORKBOOK_DESA:
            return self._after_workbook(ex)
        if ex.kind is Kind.SCAN and KODE_KECAMATAN.match(ex.region):
            return self.kecamatan.signed_pdf(ex.region, ex.year), []
        if ex.kind is Kind.SCAN:
            return self.signed_pdf(ex.region, ex.year), []
        if ex.kind is Kind.DOCUMENT:
            return self.documentation(ex.region, ex.year), []
        if ex.kind is Kind.PACKAGE:
            found, _ = paket.check_package(
                archived, self.wilayah, self.settings.kabupaten.kode, row.file
            )
            if found is not None:
                return paket.unpack(archived, found, self.package_folder(ex.region, ex.year)), []
        return [], []

    def _perbaiki(self, ex: Examined, archived: Path, row: InputRow) -> list[Path]:
        """The operator's own workbook back, every issue marked on its cell."""
        if Path(row.file).suffix.casefold() not in (".xlsx", ".xlsm"):
            return []
        if not any(i.code not in FILE_LEVEL_CODES for i in ex.issues):
            return []  # unreadable: nothing to mark
        desa = self.wilayah.desa(ex.region) if ex.region else None
        kec_target = None
        if ex.region and ex.year and KODE_KECAMATAN.match(ex.region):
            kec_target = self.kecamatan.perbaiki_target(ex.region, ex.year)
        if kec_target is not None:
            target = kec_target
        elif desa is not None and ex.year:
            folder = self.desa_folder(desa.kode, ex.year)
            assert folder is not None
            target = folder / buku_kerja_name(desa, ex.year, perbaiki=True)
        else:
            target = self.ws.receipts / f"{row.receipt_name} (perbaiki).xlsx"
        try:
            mark_issues_on_copy(archived, target, ex.issues)
        except Exception:  # noqa: BLE001 - the receipt still tells every issue
            return []
        return [target]

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
        )

    def _after_workbook(self, ex: Examined) -> tuple[list[Path], list[Issue]]:
        assert ex.region and ex.year
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
        from pipeline.desa import documents as render

        docs = render.produce_desa_documents(self.ws, self.settings, snap, self.get_converter())
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
        from pipeline.desa import documents as render

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
        )

    def signed_pdf(self, kode: str, year: int) -> list[Path]:
        """Rebuild the one signed PDF: the newest delivery of each scan, then the kompilasi."""
        desa = self.wilayah.desa(kode)
        if desa is None:
            return []
        folder = self.ws.outbox_desa(self.wilayah.kecamatan_of(kode), desa, year)
        current: dict[str, list[Path]] = {}
        rows = self.ledger.berkas_of(kode, year, "pindaian")
        for jenis in {b.jenis for b in rows}:
            mine = [b for b in rows if b.jenis == jenis]
            name_of = {self.ws.root / b.archived_as: b.file for b in mine}
            latest = scans.latest_scan_set(
                (self.ws.root / b.archived_as, dt.datetime.fromisoformat(b.received_at))
                for b in mine
            )
            # pages in the order of the operator's file names, not of our archive names
            current[jenis] = sorted(latest, key=lambda p: scans.natural_key(name_of[p]))
        kompilasi = folder / (document_stem("Kompilasi Usulan", desa, year) + ".pdf")
        parts = scans.signed_parts(current, kompilasi if kompilasi.exists() else None)
        if not parts:
            return []
        out = folder / signed_pdf_name(desa, year)
        scans.build_signed_pdf(parts, out, self.settings.pdf.ukuran_kertas)
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
            dokumen.ManifestEntry(
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
        dokumen.write_manifest(entries, outputs[0], outputs[1])
        photos = [
            (
                self.ws.root / b.archived_as,
                f"{b.file} — diterima {dt.datetime.fromisoformat(b.received_at):%d-%m-%Y %H:%M}",
            )
            for b in rows
            if b.jenis == "foto" and Path(b.file).suffix.casefold() in (".jpg", ".jpeg", ".png")
        ]
        if photos:
            out = folder / (document_stem("Lampiran Foto", desa, year) + ".pdf")
            dokumen.build_lampiran_foto(
                photos,
                out,
                self.settings.pdf.ukuran_kertas,
                f"Lampiran Foto Musrenbang {desa.level_word} {desa.nama} {year}",
            )
            outputs.append(out)
        return outputs


# Issues about the file as a whole: nothing in it can be marked on a cell.
FILE_LEVEL_CODES = frozenset(
    {"format-tidak-didukung", "berkas-kosong", "berkas-rusak", "berkas-terlalu-besar"}
)
