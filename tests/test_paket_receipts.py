"""Issue 11: a refused package's receipt never claims a region it could not verify.

A package that is unsigned, signed by an unknown key or whose signature does not verify
(`paket-tidak-sah`), that is broken (`paket-rusak`), that names another kabupaten or a
kecamatan not in the region list (`wilayah-tidak-cocok`, `wilayah-tidak-dikenal`) or that is
too big to open (`berkas-terlalu-besar`) says in its manifest which kecamatan it is for, but nothing proves it:
its receipt has `region`, `year` and `stage` null (spec interface.md, receipts: `null` when
unknown), no copy goes to that kecamatan's receipt folder, and the ledger files it under no
region. Only a package whose signature verified (`paket-usang`, `duplicate`, accepted) names its
kecamatan.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.run.batch import run_pass
from tests.paket_helpers import KEC, register_key, signed_package


def _receipts(ws: Workspace) -> dict[str, dict]:
    found = {}
    for path in ws.receipts.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[data["file"]] = data
    return found


def test_refused_package_receipts_claim_no_region(workspace: Workspace, tmp_path: Path) -> None:
    key = register_key(workspace)
    folder = workspace.inbox / "paket"
    folder.mkdir()
    # dropped into the kecamatan's own inbox folder: the folder proves nothing either
    kec_folder = next(p for p in workspace.inbox.iterdir() if p.name.startswith(KEC))
    signed_package(kec_folder / "tanpa tanda tangan di folder kecamatan.zip", None)
    signed_package(folder / "tanpa tanda tangan.zip", None)
    signed_package(folder / "kunci tak dikenal.zip", Ed25519PrivateKey.generate())
    signed_package(folder / "kecamatan tak dikenal.zip", key, kecamatan="12.05.02")
    good = signed_package(tmp_path / "asli.zip", key)
    with zipfile.ZipFile(good) as zf:
        content = {n: zf.read(n) for n in zf.namelist()}
    content["manifest.sig"] = content["manifest.sig"][:-8] + b"AAAAAAA="
    with zipfile.ZipFile(folder / "tanda tangan salah.zip", "w") as zf:
        for name, data in content.items():
            zf.writestr(name, data)
    signed_package(folder / "satu hash salah.zip", key, manifest={
        "kecamatan": KEC, "tahun": 2027, "urutan": 1, "dibuat": "2026-12-01T10:00:00+07:00",
        "berkas": {"dokumen/Rekap.pdf": "0" * 64, "data/buku-besar.json": "0" * 64},
    })  # fmt: skip
    signed_package(folder / "kabupaten lain.zip", key, kecamatan="35.16.13")
    signed_package(folder / "bom zip.zip", key, members={"dokumen/nol.pdf": bytes(1024**2)})
    whole = good.read_bytes()
    (folder / "terpotong.zip").write_bytes(whole[: len(whole) // 2])
    result = run_pass(workspace, load_settings(workspace.root))
    refused = {
        "tanpa tanda tangan di folder kecamatan.zip": "paket-tidak-sah",
        "tanpa tanda tangan.zip": "paket-tidak-sah",
        "kunci tak dikenal.zip": "paket-tidak-sah",
        "kecamatan tak dikenal.zip": "wilayah-tidak-dikenal",
        "tanda tangan salah.zip": "paket-tidak-sah",
        "satu hash salah.zip": "paket-rusak",
        "kabupaten lain.zip": "wilayah-tidak-cocok",
        "terpotong.zip": "paket-rusak",
        "bom zip.zip": "berkas-terlalu-besar",
    }
    assert {
        r.file: (r.status.value, sorted({i.code for i in r.issues})) for r in result.receipts
    } == {n: ("rejected", [c]) for n, c in refused.items()}
    receipts = _receipts(workspace)
    assert set(receipts) == set(refused)
    for name, data in receipts.items():
        assert (data["kind"], data["region"], data["year"], data["stage"]) == (
            "package", None, None, None
        ), name  # fmt: skip
    # no copy in a region's receipt folder; the ledger files them under no region
    copies = [p for p in workspace.outbox.rglob("tanda-terima/*") if p.parent != workspace.receipts]
    assert copies == []
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    assert db.execute("SELECT DISTINCT region, year FROM inputs").fetchall() == [(None, None)]
    assert db.execute(
        "SELECT COUNT(*) FROM audit WHERE action = 'input-rejected' AND region IS NOT NULL"
    ).fetchone() == (0,)
    # the people's receipt names no region either
    texts = [p.read_text(encoding="utf-8") for p in workspace.receipts.glob("*.txt")]
    assert len(texts) == len(refused)
    for text in texts:
        [line] = [x for x in text.splitlines() if x.startswith("Wilayah")]
        assert line.split(":", 1)[1].strip() == "-", line


def test_verified_stale_package_names_its_kecamatan(workspace: Workspace, tmp_path: Path) -> None:
    key = register_key(workspace)
    signed_package(workspace.inbox / "kirim 2.zip", key, urutan=2)
    run_pass(workspace, load_settings(workspace.root))
    signed_package(workspace.inbox / "kirim 1.zip", key, urutan=1)
    [r] = run_pass(workspace, load_settings(workspace.root)).receipts
    assert (r.status.value, [i.code for i in r.issues]) == ("rejected", ["paket-usang"])
    assert (r.region, r.year) == (KEC, 2027)  # the signature verified: the region is known
