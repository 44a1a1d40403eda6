"""`musrenbang kunci` and `musrenbang kunci daftar KODE_KEC FILE`: the signing keys.

Every workspace has one Ed25519 key pair, made by `init` (core/kunci.py). A workspace is a
kecamatan's when its region list holds exactly one kecamatan: `init` then also writes the public
key file `outbox/Kunci Publik Kecamatan <Nama>.pub` to hand to Bappeda (every workspace writes
it at a kecamatan's Kirim too). A workspace whose list holds the whole kabupaten is Bappeda's:
it registers the kecamatan keys it trusts. Registering and replacing a key are audited;
replacing a registered key needs `--ganti` and a reason.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo


def add_parser(command: Callable[..., argparse.ArgumentParser]) -> None:
    s = command(
        "kunci",
        "kunci tanda tangan workspace dan kunci kecamatan terdaftar",
        "Tanpa argumen: menampilkan kunci workspace ini (dibuat oleh init) dan, di Bappeda, "
        "kunci publik kecamatan yang terdaftar, dengan sidiknya. 'kunci daftar KODE_KEC "
        "BERKAS' mendaftarkan kunci publik (.pub) yang diserahkan kecamatan; mengganti kunci "
        "terdaftar perlu --ganti dan --alasan. Contoh: musrenbang kunci daftar 12.05.01 "
        '"Kunci Publik Kecamatan Bahorok.pub"',
    )
    s.add_argument("aksi", nargs="?", choices=["daftar"], help="daftar: daftarkan kunci")
    s.add_argument("kode", nargs="?", metavar="KODE_KEC", help="kode kecamatan, mis. 12.05.01")
    s.add_argument("berkas", nargs="?", type=Path, metavar="BERKAS", help="berkas .pub")
    s.add_argument("--ganti", action="store_true", help="ganti kunci yang sudah terdaftar")
    s.add_argument("--alasan", default=None, metavar="TEKS", help="alasan penggantian")


def cmd_kunci(args: argparse.Namespace, root: Path) -> int:
    from pipeline.commands import UsageError, open_workspace
    from pipeline.core import kunci
    from pipeline.ledger import paket as record
    from pipeline.ledger.store import Ledger

    ws, settings, wilayah = open_workspace(root)
    if args.aksi is None:
        if args.kode or args.berkas:
            raise UsageError("Tulis: musrenbang kunci daftar KODE_KEC BERKAS.")
        public = kunci.ensure_key(root)
        print(f"Kunci workspace ini : {kunci.fingerprint(kunci.raw(public))}")
        print(f"  (privat: {ws.rel(kunci.key_dir(root) / kunci.PRIVATE_NAME)}, jangan dibagikan)")
        with Ledger(settings.ledger_url(root)) as ledger:
            rows = record.registered_keys(ledger)
        if rows:
            print("Kunci kecamatan terdaftar:")
        for r in rows:
            kec = wilayah.get(r["region"])
            nama = kec.nama if kec else "?"
            print(f"  {r['region']:<10} {nama:<24} {r['fingerprint']}  ({r['registered_at']})")
        return 0
    if not args.kode or args.berkas is None:
        raise UsageError("Tulis: musrenbang kunci daftar KODE_KEC BERKAS.")
    print(register(root, args.kode, args.berkas, ganti=args.ganti, alasan=args.alasan))
    return 0


def register(root: Path, kode: str, berkas: Path, *, ganti: bool, alasan: str | None) -> str:
    """Register a kecamatan's public key at this (Bappeda's) workspace; audited. Returns the
    fingerprint; UsageError when refused."""
    from pipeline.commands import UsageError, open_workspace
    from pipeline.core import kunci
    from pipeline.core.wilayah import KODE_KECAMATAN
    from pipeline.ledger import paket as record
    from pipeline.ledger.store import Ledger, now_iso

    _, settings, wilayah = open_workspace(root)
    kec = wilayah.get(kode)
    if kec is None or not KODE_KECAMATAN.match(kec.kode):
        raise UsageError(f"{kode} bukan kecamatan dalam daftar wilayah.")
    try:
        raw = kunci.read_pub_file(berkas)
    except kunci.KunciError as exc:
        raise UsageError(str(exc)) from exc
    fp = kunci.fingerprint(raw)
    with Ledger(settings.ledger_url(root)) as ledger:
        current = record.registered_key(ledger, kec.kode)
        if current == raw:
            return fp
        if current is not None and not (ganti and (alasan or "").strip()):
            raise UsageError(
                f"Kecamatan {kec.kode} {kec.nama} sudah punya kunci terdaftar "
                f"({kunci.fingerprint(current)}). Untuk menggantinya tulis --ganti --alasan "
                '"ALASAN" (tercatat di log audit).'
            )
        at = now_iso(ZoneInfo(settings.jadwal.zona_waktu))
        with ledger.transaction() as db:
            record.register_key(db, kec.kode, raw, fp, at)
            ledger.audit(
                db, "kunci-diganti" if current else "kunci-didaftarkan", at=at,
                region=kec.kode, sidik=fp, berkas=berkas.name,
                sidik_lama=kunci.fingerprint(current) if current else None, alasan=alasan,
            )  # fmt: skip
    return fp
