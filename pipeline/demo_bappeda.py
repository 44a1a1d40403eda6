"""The demo's last act: Bappeda's own workspace takes the kecamatan's signed package in.

Bappeda's workspace (`<demo>/bappeda/`, the kabupaten's region list) registers the public key
the kecamatan handed over (`outbox/Kunci Publik Kecamatan Bahorok.pub`), then finds the package
copied into its inbox as from a USB stick, checks the signature, merges the kecamatan's record
into its ledger and writes the kabupaten Rekap and Pemantauan from it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pipeline.core import kunci
from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.kunci_cmd import register
from pipeline.run.batch import run_pass


def play_bappeda(
    kec_ws: Workspace, wilayah_csv: Path, package: Path, log: Callable[[str], None]
) -> Path:
    from pipeline.commands import init_workspace

    root = kec_ws.root / "bappeda"
    ws = init_workspace(root, wilayah_csv, "12.05")
    settings = load_settings(root)
    settings.watch.stabil_detik = 0
    pub = next(kec_ws.outbox.glob("Kunci Publik Kecamatan *.pub"))
    fp = register(root, "12.05.01", pub, ganti=False, alasan=None)
    log(f"\n== Bappeda ({root}): kunci publik Kecamatan Bahorok didaftarkan, sidik {fp}")
    stick = ws.inbox / "dari flashdisk" / package.name
    stick.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package, stick)
    result = run_pass(ws, settings, log=lambda line: log("  " + line))
    for r in result.receipts:
        log(f"  paket {r.file}: {r.status.value} {[i.code for i in r.issues] or ''}".rstrip())
    log(f"  Bappeda: Rekap Usulan dan Pemantauan kabupaten di {ws.outbox}")
    log(f"  kunci workspace Bappeda: {kunci.fingerprint(kunci.raw(kunci.ensure_key(root)))}")
    return root
