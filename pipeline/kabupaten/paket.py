"""Kecamatan packages arriving at Bappeda: check the seal, keep the contents.

A package (`Paket Musrenbang Kecamatan <Nama> <Tahun>.zip`, written by the kecamatan at Kirim)
holds data, PDFs and `manifest.json` with the sha256 of every other member. Bappeda drops it
anywhere in its inbox (shared folder, e-mail attachment, USB stick); the pipeline checks that
the archive is safe to open, that every member is listed and matches its hash, and that the
kecamatan belongs to this kabupaten, then unpacks it under `outbox/paket/`.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.core import atomic
from pipeline.core.report import Report
from pipeline.core.wilayah import KODE_KECAMATAN, WilayahList

MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_RATIO = 200


@dataclass
class Paket:
    kecamatan: str
    tahun: int
    members: dict[str, str] = field(default_factory=dict)  # name -> sha256


def looks_like_package(path: Path) -> bool:
    """A zip with a manifest.json at its top: what `stages` sends here."""
    try:
        with zipfile.ZipFile(path) as zf:
            return "manifest.json" in zf.namelist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


def check_package(
    path: Path, wilayah: WilayahList, kabupaten: str, name: str
) -> tuple[Paket | None, Report]:
    """Every problem of a package at once; the Paket only when it can be trusted."""
    report = Report()

    def bad(text: str) -> tuple[None, Report]:
        report.add("paket-rusak", f"Paket '{name}': {text}")
        return None, report

    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError):
        return bad("bukan berkas zip yang utuh; minta kecamatan mengirim ulang paketnya.")
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if len(infos) > MAX_MEMBERS or total > MAX_TOTAL_BYTES or total / packed > MAX_RATIO:
            report.add(
                "berkas-terlalu-besar",
                f"Paket '{name}' terlalu besar atau mencurigakan untuk dibuka (zip bomb).",
            )
            return None, report
        try:
            manifest = json.loads(zf.read("manifest.json"))
            kecamatan, tahun = str(manifest["kecamatan"]), int(manifest["tahun"])
            listed: dict[str, str] = dict(manifest["berkas"])
        except (KeyError, ValueError, TypeError):
            return bad("manifest.json tidak ada atau tidak lengkap (kecamatan, tahun, berkas).")
        members = {i.filename for i in infos if not i.is_dir()} - {"manifest.json"}
        for member in sorted(members | set(listed)):
            unsafe = PurePosixPath(member).is_absolute() or ".." in PurePosixPath(member).parts
            if unsafe:
                report.add("paket-rusak", f"Paket '{name}': nama berkas '{member}' tidak aman.")
            elif member not in listed:
                report.add(
                    "paket-rusak", f"Paket '{name}': '{member}' tidak tercantum di manifest."
                )
            elif member not in members:
                report.add("paket-rusak", f"Paket '{name}': '{member}' tercantum tetapi tidak ada.")
            elif hashlib.sha256(zf.read(member)).hexdigest() != listed[member]:
                report.add(
                    "paket-rusak",
                    f"Paket '{name}': isi '{member}' tidak cocok dengan sidik (sha256) di manifest; "
                    "paket berubah atau rusak di jalan. Minta kecamatan mengirim ulang.",
                )
    if not KODE_KECAMATAN.match(kecamatan) or wilayah.get(kecamatan) is None:
        report.add(
            "wilayah-tidak-dikenal",
            f"Paket '{name}': kecamatan {kecamatan} tidak ada dalam daftar wilayah.",
        )
    elif not kecamatan.startswith(kabupaten + "."):
        report.add(
            "wilayah-tidak-cocok",
            f"Paket '{name}': kecamatan {kecamatan} bukan bagian dari kabupaten {kabupaten}.",
        )
    if not report.ok:
        return None, report
    return Paket(kecamatan=kecamatan, tahun=tahun, members=listed), report


def unpack(path: Path, paket: Paket, target: Path) -> list[Path]:
    """Write every member under `target`, each file atomically; returns the written files."""
    written = []
    with zipfile.ZipFile(path) as zf:
        for member in ["manifest.json", *sorted(paket.members)]:
            out = target.joinpath(*PurePosixPath(member).parts)
            written.append(atomic.write_bytes(out, zf.read(member)))
    return written
