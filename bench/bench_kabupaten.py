"""The kabupaten's figures for ~300 desa and ~12,000 usulan: the query layer, the data, status
and the reports (`python bench/bench_kabupaten.py`).

30 kecamatan of 10 desa, 40 usulan each, every desa sent; half the kecamatan stand at Rekap
with their own rows for every usulan (so their decisions count), half have not decided yet.
Prints the seconds of ledger/agreed.py (one query per table), kabupaten/data.collect,
status and write_kabupaten_reports (xlsx and html written).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.commands import init_workspace  # noqa: E402
from pipeline.core.config import load_settings  # noqa: E402
from pipeline.core.models import Usulan, UsulanKecamatan, Wilayah  # noqa: E402
from pipeline.core.standard import BIDANG, Keputusan, Tahap, TahapKecamatan  # noqa: E402
from pipeline.core.wilayah import WilayahList  # noqa: E402
from pipeline.kabupaten.data import collect  # noqa: E402
from pipeline.kabupaten.recap import write_kabupaten_reports  # noqa: E402
from pipeline.kabupaten.status import build_status  # noqa: E402
from pipeline.ledger.agreed import agreed_usulan  # noqa: E402
from pipeline.ledger.kecamatan import KecamatanLedger  # noqa: E402
from pipeline.ledger.store import Ledger  # noqa: E402

AT = "2026-11-20T10:00:00+07:00"
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
KECAMATAN, DESA, USULAN = 30, 10, 40


def _usulan(i: int) -> dict[str, object]:
    keputusan = Keputusan.DITOLAK if i % 7 == 0 else Keputusan.DITERIMA
    return dict(
        asal="Dusun I", bidang=BIDANG[i % 5], kegiatan=f"Kegiatan {i}", lokasi="Dusun I",
        volume=Decimal(10), satuan="meter", biaya=1_000_000 * (i + 1), sumber_dana="APBDes",
        prioritas=i + 1, keputusan=keputusan, catatan="ok",
    )  # fmt: skip


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-kabupaten-")) / "ws"
    rows = [Wilayah(kode="12", nama="Sumatera Utara"), Wilayah(kode="12.05", nama="Langkat")]
    for k in range(1, KECAMATAN + 1):
        rows.append(Wilayah(kode=f"12.05.{k:02d}", nama=f"Kecamatan {k}"))
        rows += [Wilayah(kode=f"12.05.{k:02d}.{2001 + d}", nama=f"Desa {k}-{d}")
                 for d in range(DESA)]  # fmt: skip
    csv = root.parent / "wilayah.csv"
    root.mkdir(parents=True)
    csv.write_text("kode,nama\n" + "".join(f"{w.kode},{w.nama}\n" for w in rows))
    ws = init_workspace(root, csv, "12.05")
    settings, wilayah = load_settings(root), WilayahList(rows)
    desa_usulan = [Usulan.model_validate(_usulan(i)) for i in range(USULAN)]
    with Ledger(settings.database_path(root)) as ledger:
        kl = KecamatanLedger(ledger)
        with ledger.transaction() as db:
            for k in range(1, KECAMATAN + 1):
                kec = f"12.05.{k:02d}"
                for d in range(DESA):
                    kode = f"{kec}.{2001 + d}"
                    ledger.set_stage(db, region=kode, year=2027, level="desa",
                                     stage=Tahap.KIRIM, at=AT, input_id=None)  # fmt: skip
                    ledger.save_usulan(db, region=kode, year=2027, usulan=desa_usulan, at=AT,
                                       input_id=0, file="bk.xlsx")  # fmt: skip
                if k % 2:
                    kl.set_stage(db, region=kec, year=2027, stage=TahapKecamatan.REKAP, at=AT,
                                 input_id=None)  # fmt: skip
                    own = [
                        UsulanKecamatan.model_validate(
                            _usulan(n) | {"kode_usulan": f"{kec}.{2001 + d}-2027-{n + 1:04d}",
                                          "opd_tujuan": "Dinas PUPR"}
                        )
                        for d in range(DESA) for n in range(USULAN)
                    ]  # fmt: skip
                    kl.save_usulan(db, region=kec, year=2027, usulan=own, at=AT, input_id=0,
                                   file="k.xlsx")  # fmt: skip
        timings = {}
        start = time.perf_counter()
        found = agreed_usulan(ledger.db, "12.05")
        timings["ledger/agreed.agreed_usulan"] = time.perf_counter() - start
        start = time.perf_counter()
        collect(settings, wilayah, ledger, now=NOW)
        timings["kabupaten/data.collect"] = time.perf_counter() - start
        start = time.perf_counter()
        build_status(settings, wilayah, ledger, now=NOW)
        timings["status --json (build_status)"] = time.perf_counter() - start
        start = time.perf_counter()
        write_kabupaten_reports(ws, settings, wilayah, ledger, now=NOW)
        timings["write_kabupaten_reports"] = time.perf_counter() - start
    usulan = sum(len(t.usulan) for t in found.values())
    print(f"{KECAMATAN * DESA} desa, {usulan} usulan that count "
          f"({sum(t.oleh == 'kecamatan' for t in found.values())} kecamatan at Rekap)")  # fmt: skip
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
