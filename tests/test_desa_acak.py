"""A desa's year in seeded random order, the way its operator works: nothing gets stuck, and a
sent desa shows the same figures at every level.

The operator takes the current workbook the pipeline wrote, fills the next stage and drops it
back (pipeline/demo.py's Operator): Persiapan, Pelaksanaan, Verifikasi with decisions, the two
signed scans and a photo, Kirim. Random extra steps are put in (a stage again, a Verifikasi
with a broken prioritas, a revision with agreed values, a copy of the current workbook, an
unlock, the workbook issued again, `status --json`), and sometimes two neighbours swapped.
After every pass:
- no internal error, and the inbox is empty (every file got its receipt);
- once the desa has sent (Kirim), its Kompilasi (xlsx), its rows in the kabupaten Rekap and
  `status --json` give the same usulan count, agreed count and agreed total.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pytest

from pipeline import demo_operators as ops
from pipeline.commands import issue_desa_workbook
from pipeline.core.workspace import Workspace
from pipeline.demo import DECISIONS, PESERTA, USULAN, Operator
from pipeline.ledger.store import Ledger
from tests.acak import checked_pass, quiet
from tests.conftest import make_workspace
from tests.test_paket_bappeda import run
from tests.tools import figures as F

KODE = "12.05.01.2002"
EXTRA = ["persiapan", "pelaksanaan", "verifikasi", "verifikasi-salah", "revisi", "berita-acara",
         "daftar-hadir", "foto", "kirim", "unlock", "terbitkan", "status", "salinan"]  # fmt: skip
BAD = [(1, "Diterima", None), (1, "Diterima", None), (None, "Ditolak", None)]


def _disagreement(ws: Workspace, tahun: int) -> tuple[object, ...] | None:
    from pipeline.core.config import load_settings

    with Ledger(load_settings(ws.root).ledger_url(ws.root)) as ledger:
        ry = ledger.region_year(KODE, tahun)
    if ry is None or ry.stage.value != "Kirim":
        return None
    [kompilasi] = ws.outbox.rglob(f"Kompilasi Usulan Musrenbang Desa Lau Damak {tahun}.xlsx")
    own = F.kompilasi_xlsx(kompilasi)
    [rekap] = ws.outbox.glob(f"Rekap Usulan Musrenbang Kabupaten * {tahun}.xlsx")
    kabupaten = F.kabupaten_usulan(rekap).get(KODE)
    code, out = quiet(["status", "--json", "--tahun", str(tahun), "--root", str(ws.root)])
    assert code == 0
    status = F.status_figures(json.loads(out))["desa"].get(KODE)
    return None if own == kabupaten == status else (own, kabupaten, status)


@pytest.mark.parametrize("seed", [2, 5, 11])
def test_random_desa_year(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    ws = make_workspace(tmp_path / "kecamatan")
    tahun = dt.date.today().year + 1
    issue_desa_workbook(ws.root, KODE, tahun)
    op = Operator(ws, KODE, tahun)
    tanggal = ops.working_days_before(dt.date.today(), 2)
    base = {"Tanggal Musrenbang": tanggal, "Jam Mulai": "09.00", "Tempat": "Aula Kantor Kepala Desa",
            "Alamat": "Jl. Bahorok", "Nama Kepala Desa/Lurah": "Darwin Sembiring"}  # fmt: skip
    ver = {"Tahap": "Verifikasi", "Pimpinan Rapat": "Darwin Sembiring", "Notulen": "Rina Marpaung",
           "Jumlah Peserta Laki-laki": 6, "Jumlah Peserta Perempuan": 4}  # fmt: skip
    script = ["persiapan", "pelaksanaan", "verifikasi", "berita-acara", "daftar-hadir", "foto",
              "kirim"]  # fmt: skip
    for _ in range(rng.randint(2, 6)):
        script.insert(rng.randint(0, len(script)), rng.choice(EXTRA))
    if rng.random() < 0.5:
        i = rng.randint(0, len(script) - 2)
        script[i], script[i + 1] = script[i + 1], script[i]
    said: list[str] = []
    for step, event in enumerate(script):
        if event in ("unlock", "terbitkan", "status"):
            args = {
                "unlock": ["unlock", KODE, "--tahun", str(tahun), "--alasan", "uji"],
                "terbitkan": ["workbook", "desa", KODE, "--tahun", str(tahun)],
                "status": ["status", "--json"],
            }[event]
            code, _ = quiet([*args, "--root", str(ws.root)])
            assert code in (0, 1, 2), (seed, step, event, code)
            said.append(f"{event}: {code}")
            continue
        if event == "persiapan":
            op.drop({**base, "Tahap": "Persiapan"}, peserta=PESERTA)
        elif event == "pelaksanaan":
            op.drop({"Tahap": "Pelaksanaan"}, usulan=USULAN)
        elif event == "verifikasi":
            op.drop(ver, decisions=DECISIONS)
        elif event == "verifikasi-salah":
            op.drop(ver, decisions=BAD)
        elif event == "revisi":  # the first usulan agreed smaller
            first, *rest = DECISIONS
            op.drop(ver, decisions=[(first[0], "Diterima", "Volume dikurangi", 3, 12_345_000),
                                    *rest])  # fmt: skip
        elif event in ("berita-acara", "daftar-hadir"):
            op.scan(event, event.upper())
        elif event == "foto":
            op.photo(f"foto {step}.jpg", "Suasana musyawarah")
        elif event == "kirim":
            op.drop({"Tahap": "Kirim"})
        elif event == "salinan":
            shutil.copyfile(op.current(), op.inbox / f"salinan {step}.xlsx")
        result = run(ws)
        where = checked_pass(ws, result, said, f"seed {seed}, step {step}, {event}")
        assert _disagreement(ws, tahun) is None, (where, _disagreement(ws, tahun))
