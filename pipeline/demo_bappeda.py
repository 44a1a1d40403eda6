"""The demo's last act: Bappeda's own workspace takes the two kecamatan's signed packages in.

Bappeda's workspace (`<demo>/bappeda/`, the kabupaten's region list: both kecamatan's) registers
the public key each kecamatan handed over (`outbox/Kunci Publik Kecamatan <Nama>.pub`), then
finds both packages copied into its inbox as from a USB stick, checks each signature, merges
each kecamatan's record into its ledger and writes the kabupaten Rekap and Pemantauan from them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from pipeline.core import kunci
from pipeline.core.config import load_settings
from pipeline.core.wilayah import load_wilayah
from pipeline.demo_folder import demo_pass
from pipeline.demo_kecamatan2 import Kecamatan2
from pipeline.kunci_cmd import register


def kabupaten_list(sent: list[Kecamatan2]) -> str:
    """The kabupaten's region list at Bappeda: every row of the kecamatan workspaces' lists."""
    rows: dict[str, str] = {}
    for kec in sent:
        lines = kec.ws.wilayah_file.read_text(encoding="utf-8").splitlines()[1:]
        for line in lines:
            kode, _, nama = line.partition(",")
            rows.setdefault(kode, nama)
    return "kode,nama\n" + "".join(f"{k},{rows[k]}\n" for k in sorted(rows))


def play_bappeda(demo: Path, sent: list[Kecamatan2], log: Callable[[str], None]) -> Path:
    from pipeline.commands import (
        init_workspace,
        status_text,
    )

    root = demo / "bappeda"
    root.mkdir()
    (root / "wilayah-kabupaten.csv").write_text(kabupaten_list(sent), encoding="utf-8")
    ws = init_workspace(root, root / "wilayah-kabupaten.csv", "12.05")
    settings = load_settings(root)
    settings.watch.stabil_detik = 0
    stick = ws.inbox / "dari flashdisk"
    stick.mkdir(parents=True, exist_ok=True)
    log(f"\n== Bappeda ({root}): workspace kabupaten")
    for kec in sent:
        nama = load_wilayah(kec.ws.wilayah_file).get(kec.kode)
        pub = next(kec.ws.outbox.glob("Kunci Publik Kecamatan *.pub"))
        fp = register(root, kec.kode, pub, ganti=False, alasan=None)
        log(f"  kunci publik Kecamatan {nama.nama if nama else kec.kode} didaftarkan, sidik {fp}")
        shutil.copyfile(kec.package, stick / kec.package.name)  # as from a USB stick
    demo_pass(ws, settings, log)
    log(f"  Bappeda: Rekap Usulan dan Pemantauan kabupaten di {ws.outbox}")
    log(f"  kunci workspace Bappeda: {kunci.fingerprint(kunci.raw(kunci.ensure_key(root)))}")
    log("\n" + status_text(root, None))
    return root
