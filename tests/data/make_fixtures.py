"""Regenerate the LibreOffice-saved workbook fixtures in tests/data/.

    python tests/data/make_fixtures.py

Each fixture is built with tests/workbooks.py and re-saved by LibreOffice Calc (so values,
dates and formula results are stored the way Calc stores them). One file, one situation:

- desa-verifikasi-disimpan-calc.xlsx   the issued workbook, filled for Verifikasi, saved by Calc
- desa-rumus-tersimpan-calc.xlsx       formulas whose values Calc computed and cached
                                       (Usulan I3 =G3*750000, Identitas B15/B16 COUNTIF, and
                                       Usulan P3 =IF(...;"";...) that yields an empty string)
- desa-tata-letak-bebas-calc.xlsx      a hand-made layout: title rows, moved and extra
                                       columns, blank rows, labels in capitals with a colon
- desa-angka-teks-calc.xlsx            numbers and dates typed as text ("Rp 187.500.000",
                                       "13/01/2026")
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.lo import calc_resave_many  # noqa: E402
from tests.workbooks import Variant, make_desa_workbook, set_cells  # noqa: E402

MOVED_USULAN = [
    "Kegiatan",
    "Lokasi",
    "No",
    "Asal Usulan",
    "Bidang",
    "Volume",
    "Satuan",
    "Perkiraan Biaya (Rp)",
    "Sumber Dana",
    "Keputusan",
    "Prioritas",
    "Catatan Keputusan",
    "Kode Usulan",
    "Nama",
    "Jenis Kelamin",
    "Unsur",
    "Jabatan/Lembaga",
    "Alamat",
    "No. HP",
]


def build(folder: Path) -> list[Path]:
    """Build the openpyxl originals in `folder`; their stems are the fixture names."""
    issued = make_desa_workbook(folder / "desa-verifikasi-disimpan-calc.xlsx")

    rumus = make_desa_workbook(folder / "desa-rumus-tersimpan-calc.xlsx")
    set_cells(
        rumus,
        "Usulan",
        {"I3": "=G3*750000", "P3": '=IF(O3="Ditolak","Alasan belum ditulis","")'},
    )
    set_cells(
        rumus,
        "Identitas",
        {"B15": '=COUNTIF(Peserta!C3:C12,"L")', "B16": '=COUNTIF(Peserta!C3:C12,"P")'},
    )

    bebas = make_desa_workbook(
        folder / "desa-tata-letak-bebas-calc.xlsx",
        variant=Variant(
            title_rows=2,
            column_order=MOVED_USULAN,
            extra_columns=["Keterangan"],
            blank_rows=1,
            label=lambda s: s.upper() + " :",
            identitas_reversed=True,
        ),
    )
    teks = make_desa_workbook(folder / "desa-angka-teks-calc.xlsx", variant=Variant(as_text=True))
    return [issued, rumus, bebas, teks]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        outputs = calc_resave_many(build(src), Path(tmp) / "out")
        for out in outputs:
            shutil.copyfile(out, HERE / out.name)
            print(HERE / out.name)


if __name__ == "__main__":
    main()
