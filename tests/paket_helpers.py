"""Kecamatan packages built by hand for tests: signed by a key registered at the workspace
(as Kirim's would be), or forged, tampered, unsigned, stale."""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pipeline.cli import main
from pipeline.core import kunci
from pipeline.core.workspace import Workspace

KEC = "12.05.01"


def empty_record(kecamatan: str = KEC, tahun: int = 2027) -> bytes:
    return json.dumps({"format": 1, "kecamatan": kecamatan, "tahun": tahun, "tabel": {}}).encode()


def register_key(ws: Workspace, kecamatan: str = KEC) -> Ed25519PrivateKey:
    """A kecamatan's key pair; its public part registered at `ws` by the command line."""
    key = Ed25519PrivateKey.generate()
    pub = ws.root.parent / f"kunci-{kecamatan}-{id(key)}.pub"
    pub.write_bytes(kunci.pub_file_text(key.public_key(), kecamatan, "Uji"))
    args = ["kunci", "daftar", kecamatan, str(pub), "--root", str(ws.root)]
    if kunci_registered(ws, kecamatan):
        args += ["--ganti", "--alasan", "uji"]
    assert main(args) == 0
    return key


def kunci_registered(ws: Workspace, kecamatan: str) -> bool:
    import sqlite3

    db = sqlite3.connect(ws.root / "musrenbang.db")
    try:
        return bool(
            db.execute("SELECT 1 FROM kunci_kecamatan WHERE region = ?", (kecamatan,)).fetchone()
        )
    finally:
        db.close()


def signed_package(
    path: Path,
    key: Ed25519PrivateKey | None,
    *,
    members: dict[str, bytes] | None = None,
    manifest: Any = None,
    raw_manifest: bytes | None = None,
    kecamatan: str = KEC,
    tahun: int = 2027,
    urutan: int = 1,
    compress: int = zipfile.ZIP_DEFLATED,
    with_record: bool = True,
) -> Path:
    """A package as Kirim writes it; `key=None` leaves it unsigned."""
    members = dict(members) if members is not None else {"dokumen/Rekap.pdf": b"%PDF-1.4 rekap"}
    if with_record:
        members.setdefault("data/buku-besar.json", empty_record(kecamatan, tahun))
    if manifest is None:
        manifest = {
            "kecamatan": kecamatan,
            "tahun": tahun,
            "urutan": urutan,
            "dibuat": f"2026-12-0{min(urutan, 9)}T10:00:00+07:00",
            "berkas": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()},
        }
    text = raw_manifest if raw_manifest is not None else json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", compress) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", text)
        if key is not None:
            zf.writestr("manifest.sig", base64.b64encode(key.sign(text)))
    return path
