"""A kecamatan's year in seeded random order: its levels keep one truth, nothing gets stuck.

The usual flow (desa scans and workbooks, the kecamatan workbook issued, Persiapan, Rekap with
decisions and an UPT usulan, the three signed scans, Kirim) with random extra steps put in
(unlocks of a desa or the kecamatan, workbooks sent again at another stage, the workbook issued
again, a Rekap again, `status --json`) and sometimes two neighbours swapped. After every pass:
- no internal error, and the inbox is empty (every file got its receipt);
- once the kecamatan has decided (Rekap or Kirim), its Rekap's JUMLAH (xlsx), the kabupaten
  Rekap's line for it and `status --json` give the same usulan count, agreed count and total.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.scans.samples import make_scan
from tests.acak import checked_pass, quiet
from tests.conftest import desa_inbox, make_workspace
from tests.test_kecamatan_flow import PERSIAPAN, REKAP, UPT
from tests.test_paket_bappeda import KEC, KIRIM, run
from tests.tools import figures as F
from tests.workbooks import DESA, KECAMATAN, USULAN, make_desa_workbook

A, B = "12.05.01.2002", "12.05.01.2003"
EXTRA = ["unlock-kecamatan", "unlock-desa", "buku-desa", "buku-desa", "rekap", "terbitkan",
         "status", "pindaian-desa", "kirim", "persiapan"]  # fmt: skip


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, int], Path]:
    tmp = tmp_path_factory.mktemp("kecamatan-acak")
    made = {}
    for kode, nama in ((A, "Lau Damak"), (B, "Timbang Lawan")):
        desa = DESA.model_copy(update={"kode": kode, "nama": nama})
        for tahap in ("Kirim", "Verifikasi"):
            for n in (2, len(USULAN)):
                made[kode, tahap, n] = make_desa_workbook(
                    tmp / f"{kode}-{tahap}-{n}.xlsx", desa=desa, kecamatan=KECAMATAN,
                    tahap=tahap, usulan=USULAN[:n],
                )  # fmt: skip
    return made


def _disagreement(ws: Workspace) -> tuple[object, ...] | None:
    with sqlite3.connect(ws.root / "musrenbang.db") as db:
        row = db.execute(
            "SELECT stage FROM kecamatan_tahap WHERE region = ? AND year = 2027", (KEC,)
        ).fetchone()
    if row is None or row[0] not in ("Rekap", "Kirim"):
        return None
    folder = ws.outbox / "12.05.01 Bahorok" / "2027"
    own = F.rekap_kecamatan_xlsx(folder / "Rekap Usulan Musrenbang Kecamatan Bahorok 2027.xlsx")
    kabupaten = F.kabupaten_rekap(ws.outbox / "Rekap Usulan Musrenbang Kabupaten Langkat 2027.xlsx")
    code, out = quiet(["status", "--json", "--tahun", "2027", "--root", str(ws.root)])
    assert code == 0
    status = F.status_figures(json.loads(out))["kecamatan"].get(KEC)
    same = own["JUMLAH"] == kabupaten.get(KEC) == status
    return None if same else (row[0], own["JUMLAH"], kabupaten.get(KEC), status)


@pytest.mark.parametrize("seed", [1, 4, 9])
def test_random_kecamatan_year(
    workbooks: dict[tuple[str, str, int], Path], tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    ws = make_workspace(tmp_path / "kecamatan")
    kec = KecamatanOperator(ws, KEC, 2027)
    script = [("pindaian-desa", A, "berita-acara"), ("pindaian-desa", A, "daftar-hadir"),
              ("buku-desa", A, "Kirim"), ("pindaian-desa", B, "berita-acara"),
              ("pindaian-desa", B, "daftar-hadir"), ("buku-desa", B, "Kirim"),
              ("terbitkan", A, ""), ("persiapan", A, ""), ("rekap", A, ""),
              ("pindaian-kecamatan", A, "rekap"), ("pindaian-kecamatan", A, "berita-acara"),
              ("pindaian-kecamatan", A, "daftar-hadir"), ("kirim", A, "")]  # fmt: skip
    for _ in range(rng.randint(2, 6)):
        extra = (rng.choice(EXTRA), rng.choice([A, B]), rng.choice(["Kirim", "Verifikasi"]))
        script.insert(rng.randint(0, len(script)), extra)
    if rng.random() < 0.5:
        i = rng.randint(0, len(script) - 2)
        script[i], script[i + 1] = script[i + 1], script[i]
    said: list[str] = []
    for step, (event, kode, arg) in enumerate(script):
        if event == "buku-desa":
            tahap = arg if arg in ("Kirim", "Verifikasi") else "Kirim"
            source = workbooks[kode, tahap, rng.choice([2, len(USULAN)])]
            shutil.copyfile(source, desa_inbox(ws, kode) / f"Buku {step}.xlsx")
        elif event == "pindaian-desa":
            jenis = arg if arg in ("berita-acara", "daftar-hadir") else "berita-acara"
            make_scan(desa_inbox(ws, kode) / "pindaian" / jenis / f"p{step}.jpg", f"P{step}",
                      fmt="jpg")  # fmt: skip
        elif event in ("persiapan", "rekap", "kirim"):
            if not kec.current().exists():
                continue
            if event == "persiapan":
                kec.drop(PERSIAPAN)
            elif event == "rekap":
                kec.drop(REKAP, decide=True, upt=UPT if rng.random() < 0.5 else None)
            else:
                kec.drop(KIRIM)
        elif event == "pindaian-kecamatan":
            kec.scan(f"PINDAIAN {arg.upper()}", arg)
        elif event in ("unlock-kecamatan", "unlock-desa", "terbitkan", "status"):
            args = {
                "unlock-kecamatan": ["unlock", KEC, "--tahun", "2027", "--alasan", "uji"],
                "unlock-desa": ["unlock", kode, "--tahun", "2027", "--alasan", "uji"],
                "terbitkan": ["workbook", "kecamatan", KEC, "--tahun", "2027"],
                "status": ["status", "--json"],
            }[event]
            code, _ = quiet([*args, "--root", str(ws.root)])
            assert code in (0, 2), (seed, step, event, code)  # 2: nothing to reopen yet
            said.append(f"{event} {kode}: {code}")
            continue
        result = run(ws)
        where = checked_pass(ws, result, said, f"seed {seed}, step {step}, {event} {kode}")
        assert _disagreement(ws) is None, (where, _disagreement(ws))
