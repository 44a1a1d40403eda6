"""Mixed mode at Bappeda in random (seeded) order: the package wins, and nothing gets stuck.

A kecamatan (Lau Damak sent, Timbang Lawan only at Verifikasi) sends its package. A Bappeda
workspace then receives, in an order drawn from the seed: that package (again and again),
desa workbooks of its own, desa scans and photos, the kecamatan's workbook and scans, unlocks
and `status --json`. After every pass:
- no internal error, and the inbox is empty (every file got its receipt);
- once the package is held, the kabupaten Rekap is cell for cell the kecamatan's own.
Such runs found a desa scan below Kirim and an unlock at Bappeda that both ended as internal
errors on every pass (tests/test_paket_bappeda.py has one test for each).
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
from pathlib import Path

import pytest

from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.ledger.paket import held_package
from pipeline.ledger.store import Ledger
from pipeline.scans.samples import make_scan
from tests import pg
from tests.acak import checked_pass, quiet
from tests.conftest import desa_inbox, make_workspace
from tests.test_paket_bappeda import KEC, register, rekap_cells, run, to_kirim
from tests.workbooks import DESA, KECAMATAN, USULAN, make_desa_workbook

DESA_KODE = ["12.05.01.2002", "12.05.01.2003", "12.05.01.1001"]
EVENTS = ["paket", "paket", "buku-desa", "pindaian-desa", "pindaian-desa", "foto",
          "buku-kecamatan", "pindaian-kecamatan", "unlock-kecamatan", "unlock-desa", "status"]  # fmt: skip


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("paket-acak")
    kec_ws = make_workspace(tmp / "kecamatan")
    package = to_kirim(kec_ws, tmp, tahap_kedua="Verifikasi")
    kept = tmp / "paket.zip"
    shutil.copyfile(package, kept)
    workbooks = {}
    for kode, nama in (("12.05.01.2002", "Lau Damak"), ("12.05.01.2003", "Timbang Lawan")):
        desa = DESA.model_copy(update={"kode": kode, "nama": nama})
        for tahap in ("Kirim", "Verifikasi"):
            workbooks[kode, tahap] = make_desa_workbook(
                tmp / f"{kode}-{tahap}.xlsx", desa=desa, kecamatan=KECAMATAN, tahap=tahap,
                usulan=USULAN[:2],
            )  # fmt: skip
    kec = KecamatanOperator(kec_ws, KEC, 2027)
    return {"kec_ws": kec_ws, "package": kept, "workbooks": workbooks, "kec": kec,
            "kec_workbook": kec.current()}  # fmt: skip


def _held(ws: Workspace) -> bool:
    with Ledger(load_settings(ws.root).ledger_url(ws.root)) as ledger:
        return held_package(ledger, KEC, 2027) is not None


# without the two fixes all six seeds fail; two of them also on PostgreSQL (no file lock there)
@pytest.mark.parametrize(
    ("seed", "backend"),
    [(0, "sqlite"), (2, "sqlite"), (7, "sqlite"), (14, "sqlite"), (22, "sqlite"),
     (37, "sqlite"), (7, "postgresql"), (22, "postgresql")],
)  # fmt: skip
def test_random_mixed_mode_at_bappeda(
    sent: dict[str, object], tmp_path: Path, seed: int, backend: str
) -> None:
    with contextlib.ExitStack() as stack:
        ws = make_workspace(tmp_path / "bappeda")
        if backend == "postgresql":
            pg.set_database_url(ws.root, stack.enter_context(pg.fresh_database(pg.admin_url())))
        _play(sent, ws, seed)


def _play(sent: dict[str, object], ws: Workspace, seed: int) -> None:
    kec_ws, kec = sent["kec_ws"], sent["kec"]
    assert isinstance(kec_ws, Workspace) and isinstance(kec, KecamatanOperator)
    workbooks: dict[tuple[str, str], Path] = sent["workbooks"]  # type: ignore[assignment]
    rng = random.Random(seed)
    register(ws, kec_ws)
    said: list[str] = []
    for step in range(10):
        event, kode = rng.choice(EVENTS), rng.choice(DESA_KODE)
        if event == "paket":
            shutil.copyfile(sent["package"], ws.inbox / f"paket {step}.zip")  # type: ignore[arg-type]
        elif event == "buku-desa" and not kode.endswith("1001"):
            tahap = rng.choice(["Kirim", "Verifikasi"])
            shutil.copyfile(workbooks[kode, tahap], desa_inbox(ws, kode) / f"Buku {step}.xlsx")
        elif event == "pindaian-desa":
            jenis = rng.choice(["berita-acara", "daftar-hadir"])
            make_scan(desa_inbox(ws, kode) / "pindaian" / jenis / f"p{step}.jpg", f"P{step}",
                      fmt="jpg")  # fmt: skip
        elif event == "foto":
            make_scan(desa_inbox(ws, kode) / "dokumen" / "foto" / f"f{step}.jpg", f"F{step}",
                      fmt="jpg")  # fmt: skip
        elif event == "buku-kecamatan":
            target = ws.inbox_kecamatan(kec.kec) / f"kecamatan {step}.xlsx"
            shutil.copyfile(sent["kec_workbook"], target)  # type: ignore[arg-type]
        elif event == "pindaian-kecamatan":
            make_scan(ws.inbox_kecamatan(kec.kec) / "pindaian" / "rekap" / f"r{step}.jpg",
                      f"R{step}", fmt="jpg")  # fmt: skip
        elif event.startswith("unlock"):
            target = KEC if event == "unlock-kecamatan" else kode
            code, _ = quiet(["unlock", target, "--tahun", "2027", "--alasan", "uji",
                             "--root", str(ws.root)])  # fmt: skip
            assert code in (0, 2), (seed, step, event, code)
            said.append(f"{event} {target}: {code}")
            continue
        elif event == "status":
            code, out = quiet(["status", "--json", "--root", str(ws.root)])
            assert code == 0 and "kecamatan" in json.loads(out)
            continue
        else:
            continue
        result = run(ws)
        where = checked_pass(ws, result, said, f"seed {seed}, step {step}, {event}")
        if _held(ws):
            assert rekap_cells(ws) == rekap_cells(kec_ws), where
