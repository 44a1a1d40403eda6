"""Stages, guards and transitions of a kecamatan's Musrenbang year (Sooko SOP): pure
functions, no I/O. Deadlines and the working-day rules are the desa's (desa/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.models import BukuKerjaKecamatan
from pipeline.core.report import Report, Severity
from pipeline.core.standard import (
    SHEET_IDENTITAS,
    TAHAP_KECAMATAN_URUTAN,
    TahapKecamatan,
)
from pipeline.desa.workflow import Rules

# Signed scans the kecamatan's Kirim guard needs (folders under pindaian/), in the order of
# the signed PDF, with their Indonesian names; `kirim.wajib_pindaian` governs all three.
PINDAIAN_KECAMATAN: dict[str, str] = {
    "berita-acara": "Berita Acara Musrenbang Kecamatan yang ditandatangani",
    "daftar-hadir": "Daftar Hadir Musrenbang Kecamatan yang ditandatangani",
    "rekap": "Rekap Usulan yang ditandatangani Camat (dengan paraf Sekcam)",
}

KECAMATAN_BACKWARD: frozenset[tuple[TahapKecamatan, TahapKecamatan]] = frozenset(
    {(TahapKecamatan.REKAP, TahapKecamatan.PELAKSANAAN)}
)


def kecamatan_move_allowed(current: TahapKecamatan | None, requested: TahapKecamatan) -> bool:
    if current is None:
        return True
    if current is TahapKecamatan.KIRIM:
        return False
    order = TAHAP_KECAMATAN_URUTAN
    if order.index(requested) >= order.index(current):
        return True
    return (current, requested) in KECAMATAN_BACKWARD


@dataclass
class KecamatanState:
    tahap: TahapKecamatan | None = None
    recorded: dict[str, str] = field(default_factory=dict)  # kode -> kegiatan (kecamatan's)
    from_desa: dict[str, str] = field(default_factory=dict)  # agreed usulan of sent desa
    desa_belum_kirim: dict[str, str] = field(default_factory=dict)  # kode -> name, not sent
    pindaian: set[str] = field(default_factory=set)


def check_kecamatan(
    wb: BukuKerjaKecamatan, state: KecamatanState, rules: Rules
) -> tuple[Report, TahapKecamatan | None]:
    """Ledger-side guards of a validated kecamatan workbook; every problem at once."""
    report = Report()
    requested = wb.identitas.tahap
    cell = wb.identitas_cells.get("Tahap")
    if requested is None:
        return report, None
    place = {"sheet": SHEET_IDENTITAS, "cell": cell, "column": "Tahap"}
    if state.tahap is TahapKecamatan.KIRIM:
        report.add(
            "sudah-dikirim",
            "Hasil Musrenbang Kecamatan tahun ini sudah dikirim ke kabupaten; buku kerja tidak "
            "dapat diubah lagi. Bila perlu perbaikan, buka kembali dengan musrenbang unlock.",
            **place,
        )
        return report, None
    if not kecamatan_move_allowed(state.tahap, requested):
        report.add(
            "tahap-mundur",
            f"Lembar {SHEET_IDENTITAS} sel {cell}: Tahap '{requested}' mundur dari tahap tercatat "
            f"'{state.tahap}'. Hanya Rekap boleh kembali ke Pelaksanaan.",
            **place,
        )
    kode_col = wb.usulan_columns.get("Kode Usulan")
    present: set[str] = set()
    for u in wb.usulan:
        if not u.kode_usulan:
            continue
        present.add(u.kode_usulan)
        if u.kode_usulan not in state.recorded and u.kode_usulan not in state.from_desa:
            ref = f"{kode_col}{u.row}" if kode_col and u.row else None
            unsent = state.desa_belum_kirim.get(u.kode_usulan.split("-", 1)[0])
            if unsent:  # e.g. the desa was reopened after this workbook was issued
                why = (
                    f"adalah usulan {unsent}, yang saat ini tidak tercatat mengirim (belum "
                    "mengirim, atau dibuka kembali sesudah buku kerja ini diterbitkan). Hapus "
                    "baris ini, atau tunggu desa itu mengirim ulang lalu terbitkan ulang buku "
                    "kerja kecamatan (musrenbang workbook kecamatan)."
                )
            else:
                why = (
                    "bukan usulan yang dikirim desa kecamatan ini, dan bukan usulan kecamatan "
                    "yang tercatat. Kosongkan sel itu untuk usulan UPT/instansi yang baru."
                )
            report.add(
                "kode-usulan-tidak-dikenal",
                f"Lembar {wb.usulan_sheet} sel {ref}: Kode Usulan '{u.kode_usulan}' {why}",
                sheet=wb.usulan_sheet,
                cell=ref,
                column="Kode Usulan",
            )
    for kode, kegiatan in state.recorded.items():
        if kode not in present:
            report.add(
                "usulan-hilang",
                f"Lembar {wb.usulan_sheet}: usulan {kode} ('{kegiatan}') sudah tercatat tetapi "
                "tidak ada di buku kerja ini. Kembalikan barisnya; bila tidak disetujui, isi "
                "Keputusan 'Ditolak' dengan alasannya.",
                sheet=wb.usulan_sheet,
                column="Kode Usulan",
            )
    rekap = TAHAP_KECAMATAN_URUTAN.index(requested) >= TAHAP_KECAMATAN_URUTAN.index(
        TahapKecamatan.REKAP
    )
    missing = [k for k in state.from_desa if k not in present and k not in state.recorded]
    if missing:
        report.add(
            "usulan-desa-belum-masuk",
            f"Lembar {wb.usulan_sheet}: {len(missing)} usulan yang dikirim desa belum ada di buku "
            f"kerja ini (mis. {missing[0]}). Terbitkan ulang buku kerja kecamatan "
            "(musrenbang workbook kecamatan) dan lanjutkan dari sana.",
            sheet=wb.usulan_sheet,
            column="Kode Usulan",
            severity=Severity.ERROR if rekap else Severity.WARNING,
        )
    if requested is not TahapKecamatan.PERSIAPAN and state.desa_belum_kirim:
        report.add(
            "desa-belum-kirim",
            f"{len(state.desa_belum_kirim)} desa/kelurahan belum mengirim usulan: "
            + ", ".join(state.desa_belum_kirim.values())
            + ". Usulan mereka belum dapat direkap.",
            **place,
        )
    if requested is TahapKecamatan.KIRIM and rules.wajib_pindaian:
        missing_scans = [
            (jenis, name)
            for jenis, name in PINDAIAN_KECAMATAN.items()
            if jenis not in state.pindaian
        ]
        if missing_scans:
            report.add(
                "pindaian-belum-ada",
                f"Lembar {SHEET_IDENTITAS} sel {cell}: Tahap Kirim memerlukan pindaian "
                + ", ".join(name for _, name in missing_scans)
                + ". Simpan pindaiannya di folder "
                + ", ".join(f"pindaian/{jenis}" for jenis, _ in missing_scans)
                + " kecamatan ini, lalu kirim ulang buku kerja.",
                **place,
            )
    return report, None if report.errors else requested
