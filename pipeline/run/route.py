"""Which level an input belongs to, and what it leaves in outbox/: the orchestrator's router.

`examine` classifies an archived input by where it was dropped and what it holds and hands
it to its level (desa, kecamatan, kabupaten packages, scans and documents of a region); it
returns an Examined: its status, issues and (when accepted) the ledger change to apply.
`produce` writes the outputs that follow from the ledger's state; it is idempotent so that
work redone after a crash writes the same files again.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pipeline.core.config import Settings
from pipeline.core.examined import Examined, Place
from pipeline.core.memory import release_memory
from pipeline.core.receipts import Kind, Status
from pipeline.core.report import Issue, issue
from pipeline.core.wilayah import KODE_DESA, KODE_KECAMATAN, WilayahList
from pipeline.core.workspace import Workspace, buku_kerja_name
from pipeline.desa.context import Context
from pipeline.desa.stages import DesaStages
from pipeline.documents.convert import Converter
from pipeline.intake.issue_marks import mark_issues_on_copy
from pipeline.intake.xlsx_read import read_workbook
from pipeline.kabupaten.intake import PackageIntake
from pipeline.kecamatan.stages import KecamatanStages
from pipeline.ledger.store import InputRow, Ledger
from pipeline.run.berkas import BerkasIntake

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".numbers", ".xlsb", ".xltx")

# Issues about the file as a whole: nothing in it can be marked on a cell.
FILE_LEVEL_CODES = frozenset(
    {"format-tidak-didukung", "berkas-kosong", "berkas-rusak", "berkas-terlalu-besar"}
    | {"baris-terlalu-banyak"}
)


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
    """The router over the levels, one per pass (or per watcher)."""

    def __init__(
        self,
        ws: Workspace,
        settings: Settings,
        wilayah: WilayahList,
        ledger: Ledger,
        converter: Converter | None,
    ) -> None:
        self.ctx = Context(ws, settings, wilayah, ledger, converter)
        self.ws = ws
        self.settings = settings
        self.wilayah = wilayah
        self.ledger = ledger
        self.desa = DesaStages(self.ctx)
        self.packages = PackageIntake(self.ctx)

    @cached_property
    def kecamatan(self) -> KecamatanStages:
        return KecamatanStages(self.ctx)

    @cached_property
    def berkas(self) -> BerkasIntake:
        return BerkasIntake(self.ctx, self.kecamatan)

    def close(self) -> None:
        self.ctx.close()

    def get_converter(self) -> Converter | None:
        return self.ctx.get_converter()

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
            folder = self.desa.folder(ex.region, ex.year)
            if folder is not None:
                return folder / "tanda-terima"
        return None

    # ------------------------------------------------------------------ examine

    def examine(self, path: Path, row: InputRow) -> Examined:
        place = locate(row.rel, self.wilayah)
        suffix = Path(row.file).suffix.casefold()
        if place.area == "pindaian":
            return self.berkas.examine_scan(path, row, place)
        if place.area == "dokumen":
            return self.berkas.examine_document(path, row, place)
        if suffix in WORKBOOK_SUFFIXES:
            return self.examine_workbook(path, row, place)
        if suffix == ".zip":
            return self.packages.examine(path, row)
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
        raw, report = read_workbook(path, self.settings.batas, display_name=row.file)
        release_memory(row.size)  # the parsed file is gone; only its values stay
        fallback_region = folder_desa.kode if folder_desa else None
        if raw is None:
            return Examined(
                Status.REJECTED, Kind.WORKBOOK_DESA, purpose, fallback_region, None, report.issues
            )
        if raw.kind == "kecamatan":
            return self.kecamatan.examine_workbook(raw, report, row, place)
        return self.desa.examine_workbook(raw, report, row, place)

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
            return self.desa.after_workbook(ex)
        if ex.kind is Kind.SCAN and KODE_KECAMATAN.match(ex.region):
            return self.kecamatan.signed_pdf(ex.region, ex.year), []
        if ex.kind is Kind.SCAN:
            return self.desa.signed_pdf(ex.region, ex.year), []
        if ex.kind is Kind.DOCUMENT:
            return self.desa.documentation(ex.region, ex.year), []
        if ex.kind is Kind.PACKAGE:
            return self.packages.produce(ex, archived, row), []
        return [], []

    def _perbaiki(self, ex: Examined, archived: Path, row: InputRow) -> list[Path]:
        """The operator's own workbook back, every issue marked on its cell."""
        if Path(row.file).suffix.casefold() not in (".xlsx", ".xlsm"):
            return []
        if any(i.code == "baris-kosong-diabaikan" for i in ex.issues):
            return []  # marking it would load every formatted empty row again
        if not any(i.code not in FILE_LEVEL_CODES for i in ex.issues):
            return []  # unreadable: nothing to mark
        desa = self.wilayah.desa(ex.region) if ex.region else None
        kec_target = None
        if ex.region and ex.year and KODE_KECAMATAN.match(ex.region):
            kec_target = self.kecamatan.perbaiki_target(ex.region, ex.year)
        if kec_target is not None:
            target = kec_target
        elif desa is not None and ex.year:
            folder = self.desa.folder(desa.kode, ex.year)
            assert folder is not None
            target = folder / buku_kerja_name(desa, ex.year, perbaiki=True)
        else:
            target = self.ws.receipts / f"{row.receipt_name} (perbaiki).xlsx"
        try:
            mark_issues_on_copy(archived, target, ex.issues)
        except Exception:  # noqa: BLE001 - the receipt still tells every issue
            return []
        return [target]
