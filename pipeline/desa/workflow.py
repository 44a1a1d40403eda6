"""Stages, guards and transitions of a desa's Musrenbang year: pure functions, no I/O.

The workbook-only guards (required fields per stage, decisions, priorities) are checked by
validation; this module adds what needs the ledger's knowledge: where the desa stands now,
which usulan it has recorded, which signed scans have arrived, and the deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

from pipeline.core.models import BukuKerjaDesa
from pipeline.core.report import Report
from pipeline.core.standard import (
    SHEET_IDENTITAS,
    TAHAP_URUTAN,
    IdentitasField,
    Tahap,
)

# The one backward move the SOP allows: verification reopened for more discussion.
ALLOWED_BACKWARD: frozenset[tuple[Tahap, Tahap]] = frozenset(
    {(Tahap.VERIFIKASI, Tahap.PELAKSANAAN)}
)

# Signed scans the Kirim guard needs (folder names under pindaian/), with their Indonesian names.
PINDAIAN_WAJIB: dict[str, str] = {
    "berita-acara": "Berita Acara yang ditandatangani",
    "daftar-hadir": "Daftar Hadir yang ditandatangani",
}


def rank(tahap: Tahap) -> int:
    return TAHAP_URUTAN.index(tahap)


def move_allowed(current: Tahap | None, requested: Tahap) -> bool:
    """Whether a workbook may ask for `requested` while the ledger stands at `current`."""
    if current is None:
        return True
    if current is Tahap.KIRIM:
        return False
    if rank(requested) >= rank(current):
        return True
    return (current, requested) in ALLOWED_BACKWARD


@lru_cache(maxsize=16)
def _national_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


def is_working_day(day: dt.date, extra_holidays: frozenset[dt.date] = frozenset()) -> bool:
    if day.weekday() >= 5 or day in extra_holidays:
        return False
    return day not in _national_holidays(day.year)


def deadline(
    tanggal: dt.date, working_days: int, extra_holidays: frozenset[dt.date] = frozenset()
) -> dt.date:
    """The last on-time day: the `working_days`-th working day after the musrenbang."""
    day, counted = tanggal, 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        if is_working_day(day, extra_holidays):
            counted += 1
    return day


@dataclass
class LedgerState:
    """What the ledger knows of one desa and year before this input."""

    tahap: Tahap | None = None
    known_kode: dict[str, str] = field(default_factory=dict)  # Kode Usulan -> Kegiatan
    pindaian: set[str] = field(default_factory=set)  # jenis of signed scans that arrived


@dataclass
class Rules:
    batas_hari_kerja: int = 5
    hari_libur_tambahan: frozenset[dt.date] = frozenset()
    wajib_pindaian: bool = True


@dataclass
class Decision:
    report: Report
    tahap: Tahap | None  # the stage after this workbook (None when rejected)
    terlambat: bool = False
    batas: dt.date | None = None


def check_workbook(
    wb: BukuKerjaDesa, state: LedgerState, rules: Rules, received_on: dt.date
) -> Decision:
    """Ledger-side guards for an already validated workbook; every problem at once."""
    report = Report()
    requested = wb.identitas.tahap
    tahap_cell = wb.identitas_cells.get(IdentitasField.TAHAP)
    if requested is None:
        return Decision(report, None)

    if state.tahap is Tahap.KIRIM:
        report.add(
            "sudah-dikirim",
            "Usulan desa ini untuk tahun ini sudah dikirim ke kecamatan; buku kerja tidak dapat "
            "diubah lagi. Bila perlu perbaikan, minta kecamatan membuka kembali (musrenbang unlock).",
            sheet=SHEET_IDENTITAS,
            cell=tahap_cell,
            column=IdentitasField.TAHAP.value,
        )
        return Decision(report, None)

    if not move_allowed(state.tahap, requested):
        assert state.tahap is not None
        report.add(
            "tahap-mundur",
            f"Lembar {SHEET_IDENTITAS} sel {tahap_cell}: Tahap '{requested}' mundur dari tahap "
            f"tercatat '{state.tahap}'. Hanya Verifikasi boleh kembali ke Pelaksanaan; isi Tahap "
            f"'{state.tahap}' atau tahap sesudahnya.",
            sheet=SHEET_IDENTITAS,
            cell=tahap_cell,
            column=IdentitasField.TAHAP.value,
        )

    _check_usulan_kode(wb, state, report)

    terlambat, batas = False, None
    if requested is Tahap.KIRIM:
        if rules.wajib_pindaian:
            missing = [
                name for jenis, name in PINDAIAN_WAJIB.items() if jenis not in state.pindaian
            ]
            if missing:
                report.add(
                    "pindaian-belum-ada",
                    f"Lembar {SHEET_IDENTITAS} sel {tahap_cell}: Tahap Kirim memerlukan pindaian "
                    + " dan ".join(missing)
                    + ". Simpan pindaiannya di folder pindaian/berita-acara dan "
                    "pindaian/daftar-hadir desa ini, lalu kirim ulang buku kerja.",
                    sheet=SHEET_IDENTITAS,
                    cell=tahap_cell,
                    column=IdentitasField.TAHAP.value,
                )
        tanggal = wb.identitas.tanggal_musrenbang
        if tanggal is not None:
            batas = deadline(tanggal, rules.batas_hari_kerja, rules.hari_libur_tambahan)
            if received_on > batas:
                terlambat = True
                report.add(
                    "terlambat",
                    f"Usulan dikirim {received_on:%d-%m-%Y}, melewati batas "
                    f"{rules.batas_hari_kerja} hari kerja setelah musrenbang "
                    f"({tanggal:%d-%m-%Y}; batas {batas:%d-%m-%Y}). Tetap diterima, dicatat terlambat.",
                    sheet=SHEET_IDENTITAS,
                    cell=wb.identitas_cells.get(IdentitasField.TANGGAL),
                    column=IdentitasField.TANGGAL.value,
                )
    return Decision(report, None if report.errors else requested, terlambat, batas)


def _check_usulan_kode(wb: BukuKerjaDesa, state: LedgerState, report: Report) -> None:
    """Known usulan never disappear; a Kode Usulan must be one the ledger gave out."""
    kode_col = wb.usulan_columns.get("Kode Usulan")
    present: set[str] = set()
    for u in wb.usulan:
        if not u.kode_usulan:
            continue
        present.add(u.kode_usulan)
        if u.kode_usulan not in state.known_kode:
            cell = f"{kode_col}{u.row}" if kode_col and u.row else None
            report.add(
                "kode-usulan-tidak-dikenal",
                f"Lembar {wb.usulan_sheet} sel {cell}: Kode Usulan '{u.kode_usulan}' tidak tercatat "
                "untuk desa dan tahun ini. Kosongkan sel itu bila usulan ini baru; Kode Usulan "
                "diisi oleh sistem.",
                sheet=wb.usulan_sheet,
                cell=cell,
                row=u.row,
                column="Kode Usulan",
            )
    for kode, kegiatan in state.known_kode.items():
        if kode not in present:
            report.add(
                "usulan-hilang",
                f"Lembar {wb.usulan_sheet}: usulan {kode} ('{kegiatan}') sudah tercatat tetapi "
                "tidak ada di buku kerja ini. Usulan tidak boleh dihapus: kembalikan barisnya dan, "
                "bila tidak disetujui, isi Keputusan 'Ditolak' dengan alasannya.",
                sheet=wb.usulan_sheet,
                column="Kode Usulan",
            )
