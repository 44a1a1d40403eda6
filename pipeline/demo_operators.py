"""The demo's operators doing what real ones do beyond the plain flow.

- Desa Sampe Raya holds its Musrenbang and records its usulan, but has not sent yet: it stays
  at Pelaksanaan, so every recap shows it as `belum mengirim` and counts none of its usulan.
- The kecamatan's Identitas carries the Nomor and Tanggal of the Surat Pemberitahuan, so the
  letters to the desa carry them too (dated before the Musrenbang Desa they announce).
- At the Musrenbang Kecamatan the forum revises an usulan a desa sent (Diterima dengan Revisi
  with Volume and Biaya Disepakati), next to the rejection of an usulan a desa accepted and the
  usulan of a UPT that the kecamatan operator adds (pipeline/demo.py).

Each function takes the demo's operator objects (pipeline/demo.py) or the workbook they are
filling, so the demo's main script only calls them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.core.standard import DISEPAKATI_COLUMNS, SHEET_USULAN
from pipeline.desa.workflow import is_working_day

SAMPE_RAYA = "12.05.01.2004"

# Desa Sampe Raya's usulan (recorded at Pelaksanaan, never sent).
USULAN_SAMPE_RAYA = [
    ("Dusun I", "Pelaksanaan Pembangunan Desa", "Pembangunan jembatan gantung",
     "Dusun I Sungai Landak", 1, "unit", 245_000_000, "APBD Kabupaten"),
    ("Dusun III", "Pemberdayaan Masyarakat", "Pelatihan budidaya ikan air tawar",
     "Balai Desa", 25, "orang", 17_500_000, "APBDes"),
    ("PKK", "Pembinaan Kemasyarakatan", "Kelas ibu hamil", "Posyandu Mawar", 12, "bulan",
     9_600_000, "APBDes"),
]  # fmt: skip

# The kecamatan's revision of an usulan Desa Timbang Lawan sent (its first, Kode ...-0001).
REVISI_KECAMATAN = {
    "desa": "12.05.01.2003",
    "nomor": 1,
    "catatan": "Volume disesuaikan menjadi 200 meter sesuai pagu indikatif kecamatan",
    "volume": 200,
    "biaya": 150_000_000,
}


def working_days_before(day: dt.date, back: int) -> dt.date:
    """The working day `back` working days before `day`."""
    counted = 0
    while counted < back:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def surat_pemberitahuan(tanggal_desa: dt.date) -> dict[str, Any]:
    """Identitas values of the kecamatan for its letters: a number and a date a week before
    the Musrenbang Desa they announce."""
    return {
        "Nomor Surat Pemberitahuan": f"005/118/BHR/{tanggal_desa:%Y}",
        "Tanggal Surat Pemberitahuan": working_days_before(tanggal_desa, 5),
    }


def belum_kirim(operator: Any, base: dict[str, Any]) -> None:
    """Desa Sampe Raya's operator: Persiapan and Pelaksanaan in one workbook (its usulan
    recorded), as the kecamatan's Jadwal said; it never reaches Verifikasi or Kirim."""
    operator.drop(
        {
            **base,
            "Tahap": "Pelaksanaan",
            "Jam Mulai": "09.00",
            "Tempat": "Balai Desa Sampe Raya",
            "Nama Kepala Desa/Lurah": "Sabarudin Ginting",
        },
        usulan=USULAN_SAMPE_RAYA,
    )


def revisi_kecamatan(wb: Any, tahun: int) -> None:
    """The Musrenbang Kecamatan agrees on less than the desa proposed for one usulan."""
    sheet = wb[SHEET_USULAN]
    header = next(
        r
        for r in range(1, 11)
        if any(str(c.value or "").strip() == "Kode Usulan" for c in sheet[r])
    )
    cols = {str(c.value).strip(): c.column for c in sheet[header] if c.value}
    kode = f"{REVISI_KECAMATAN['desa']}-{tahun}-{REVISI_KECAMATAN['nomor']:04d}"
    for r in range(header + 1, sheet.max_row + 1):
        if sheet.cell(r, cols["Kode Usulan"]).value == kode:
            sheet.cell(r, cols["Keputusan"], "Diterima dengan Revisi")
            sheet.cell(r, cols["Catatan Keputusan"], REVISI_KECAMATAN["catatan"])
            volume, biaya = DISEPAKATI_COLUMNS
            sheet.cell(r, cols[volume], REVISI_KECAMATAN["volume"])
            sheet.cell(r, cols[biaya], REVISI_KECAMATAN["biaya"])
            return
    raise ValueError(f"usulan {kode} tidak ada di buku kerja kecamatan")
