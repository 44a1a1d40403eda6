"""The signed package a kecamatan sends Bappeda at Kirim.

`Paket Musrenbang Kecamatan <Nama> <Tahun>.zip` holds:
- `data/buku-besar.json`: the kecamatan's ledger record of the year (ledger/paket.py), which
  Bappeda merges into its own ledger;
- `data/kecamatan.json`, `data/usulan-desa.json`: the same for people and other tools;
- `dokumen/…`: the kecamatan's PDFs and workbooks of the year;
- `manifest.json`: kecamatan, tahun, `urutan` (how many times the kecamatan has reached Kirim
  this year: a Kirim after an unlock makes a newer package), the time it was made, the signing
  key's fingerprint, the kecamatan's jejak (ledger/jejak.py: Bappeda's ledger gives the same
  after the merge) and the sha256 of every other member;
- `manifest.sig`: the Ed25519 signature (base64) of the manifest's exact bytes by this
  workspace's key. The private key itself never enters a package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path

from pipeline.core import atomic, kunci
from pipeline.core.models import KecamatanSnapshot, Wilayah
from pipeline.core.workspace import Workspace, safe_name
from pipeline.desa.context import Context
from pipeline.ledger.paket import export_record

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECORD = "data/buku-besar.json"


def pub_file_name(kec: Wilayah) -> str:
    return safe_name(f"Kunci Publik Kecamatan {kec.nama}") + ".pub"


def write_pub_file(root: Path, outbox: Path, kec: Wilayah) -> Path:
    """The public key file the kecamatan hands to Bappeda (made once, kept)."""
    out = outbox / pub_file_name(kec)
    data = kunci.pub_file_text(kunci.ensure_key(root), kec.kode, kec.nama)
    if not out.exists() or out.read_bytes() != data:
        atomic.write_bytes(out, data)
    return out


def init_keys(ws: Workspace, kecamatan: list[Wilayah]) -> None:
    """`init`: the key pair, and the public key file in a kecamatan's workspace (its region
    list holds exactly one kecamatan)."""
    kunci.ensure_key(ws.root)
    if len(kecamatan) == 1:
        write_pub_file(ws.root, ws.outbox, kecamatan[0])


def kirim_count(ctx: Context, kode: str, year: int) -> int:
    row = ctx.ledger.db.execute(
        "SELECT COUNT(*) FROM tahap_riwayat WHERE region = :region AND year = :year"
        " AND to_stage = 'Kirim'",
        {"region": kode, "year": year},
    ).fetchone()
    return int(row[0])


def write_package(ctx: Context, snap: KecamatanSnapshot, folder: Path, outputs: list[Path]) -> Path:
    """The sealed and signed package for Bappeda."""
    kec, tahun = snap.kecamatan, snap.tahun
    root = ctx.ws.root
    write_pub_file(root, ctx.ws.outbox, kec)
    name = safe_name(f"Paket Musrenbang Kecamatan {kec.nama} {tahun}") + ".zip"
    usulan_desa = {
        kode: [u.model_dump(mode="json") for u in ctx.ledger.usulan_of(kode, tahun)]
        for kode in snap.desa_terkirim
    }
    members: dict[str, bytes] = {
        RECORD: json.dumps(export_record(ctx.ledger, kec.kode, tahun), ensure_ascii=False).encode(),
        "data/kecamatan.json": snap.model_dump_json(indent=2).encode(),
        "data/usulan-desa.json": json.dumps(usulan_desa, ensure_ascii=False, indent=2).encode(),
    }
    for path in sorted({*outputs, *folder.glob("*.pdf")}):
        if path.suffix in (".pdf", ".xlsx") and path.exists() and path.parent == folder:
            members[f"dokumen/{path.name}"] = path.read_bytes()
    public = kunci.ensure_key(root)
    manifest = {
        "kecamatan": kec.kode,
        "tahun": tahun,
        "urutan": kirim_count(ctx, kec.kode, tahun),
        "dibuat": dt.datetime.now(ctx.tz).isoformat(timespec="seconds"),
        "kunci": kunci.fingerprint(kunci.raw(public)),
        "jejak": snap.jejak,  # the kecamatan's ledger state (ledger/jejak.py) it carries
        "berkas": {n: hashlib.sha256(b).hexdigest() for n, b in sorted(members.items())},
    }
    manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    members[MANIFEST] = manifest_bytes
    members[SIGNATURE] = kunci.sign(root, manifest_bytes)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for member, data in members.items():
                zf.writestr(member, data)

    return atomic.write_with(folder / name, write)
