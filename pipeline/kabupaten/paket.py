"""Kecamatan packages arriving at Bappeda: check the seal, keep the contents.

A package (`Paket Musrenbang Kecamatan <Nama> <Tahun>.zip`, written by the kecamatan at Kirim)
holds data, PDFs and `manifest.json` with the sha256 of every other member. Bappeda drops it
anywhere in its inbox (shared folder, e-mail attachment, USB stick); the pipeline checks that
the archive is safe to open, that every member is listed and matches its hash, and that the
kecamatan belongs to this kabupaten, then unpacks it under `outbox/paket/`.

Whatever the bytes of the zip (a flipped compressed byte, a member that lies about its size,
a manifest year of 1e999 or 10**20, nested JSON a million deep), the outcome is an issue
(`paket-rusak`, `berkas-terlalu-besar`), never an exception; only errors of the machine (a
failing disk) are raised. Members are hashed and unpacked as streams: memory stays bounded
whatever their size.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.core import kunci
from pipeline.core.environment import environment_error
from pipeline.core.jejak import PANJANG
from pipeline.core.report import Report
from pipeline.core.wilayah import KODE_KECAMATAN, WilayahList
from pipeline.core.workspace import MAX_PATH_CHARS, safe_name, windows_length
from pipeline.intake.parse import YEAR_MAX, YEAR_MIN
from pipeline.ledger.paket import ExportError, check_record

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECORD = "data/buku-besar.json"
MAX_RECORD_BYTES = 256 * 1024**2
MAX_URUTAN = 10**9
JEJAK = re.compile(rf"(?:[0-9a-f]{{{PANJANG}}})?")  # none, or a core/jejak.py digest
KeyLookup = Callable[[str], bytes | None]  # kecamatan -> its registered raw public key

MAX_MEMBERS = 2000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_RATIO = 200
MAX_MANIFEST_BYTES = 4 * 1024**2
CHUNK = 1 << 20
# outbox/paket/<kode kec> <Nama>/<tahun>/: what a member's path is appended to
_FOLDER_ROOM = len("outbox/paket/") + len("/2027/")


@dataclass
class Paket:
    kecamatan: str
    tahun: int
    members: dict[str, str] = field(default_factory=dict)  # name -> sha256
    urutan: int = 0
    dibuat: str = ""
    fingerprint: str = ""
    record: dict[str, Any] = field(default_factory=dict)
    jejak: str = ""  # the kecamatan's jejak when it sent (older packages: none)


class _Broken(Exception):
    """Internal: the package cannot be trusted; the text says why (Indonesian)."""


SHOWN_CHARS = 120  # a name or detail quoted in a receipt message, at most


def _shown(value: object) -> str:
    """A member name or error detail as a receipt quotes it: one line, at most 120 chars
    (a forged package can carry names and errors of any length)."""
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def check_package(
    path: Path, wilayah: WilayahList, kabupaten: str, name: str, keys: KeyLookup
) -> tuple[Paket | None, Report]:
    """Every problem of a package at once; the Paket only when it can be trusted.

    Order: the archive and its manifest (`paket-rusak`), the region (`wilayah-tidak-cocok`),
    the signature by the key registered for the kecamatan (`paket-tidak-sah`), then every
    member's name and hash and the ledger record (`paket-rusak`)."""
    report = Report()
    try:
        found = _check(path, wilayah, kabupaten, name, report, keys)
    except _Broken as exc:
        report.add("paket-rusak", f"Paket '{name}': {_shown(exc)}")
        return None, report
    except Exception as exc:  # noqa: BLE001 - any other failure on these bytes: not whole
        if environment_error(exc):
            raise
        report.add(
            "paket-rusak",
            f"Paket '{name}': tidak dapat dibuka ({type(exc).__name__}); minta kecamatan "
            "mengirim ulang paketnya.",
        )
        return None, report
    if found is None or not report.ok:
        return None, report
    return found, report


def _region_ok(
    found: Paket, wilayah: WilayahList, kabupaten: str, name: str, report: Report
) -> bool:
    kec = found.kecamatan
    if KODE_KECAMATAN.match(kec) and not kec.startswith(kabupaten + "."):
        report.add(
            "wilayah-tidak-cocok",
            f"Paket '{name}': kecamatan {kec} bukan bagian dari kabupaten {kabupaten}.",
        )
        return False
    if not KODE_KECAMATAN.match(kec) or wilayah.get(kec) is None:
        report.add(
            "wilayah-tidak-dikenal",
            f"Paket '{name}': kecamatan {kec[:40]} tidak ada dalam daftar wilayah.",
        )
        return False
    return True


def _signature_ok(
    zf: zipfile.ZipFile, found: Paket, manifest_bytes: bytes, name: str, report: Report,
    keys: KeyLookup,
) -> bool:  # fmt: skip
    kec = found.kecamatan
    try:
        info = zf.getinfo(SIGNATURE)
    except KeyError:
        report.add(
            "paket-tidak-sah",
            f"Paket '{name}': tidak bertanda tangan ({SIGNATURE} tidak ada); paket dari "
            "Kirim kecamatan selalu ditandatangani. Minta kecamatan mengirim ulang.",
        )
        return False
    if info.file_size > 4096:
        raise _Broken(f"{SIGNATURE} terlalu besar.")
    with zf.open(info) as fh:
        signature = fh.read(4097)
    key = keys(kec)
    if key is None:
        report.add(
            "paket-tidak-sah",
            f"Paket '{name}': belum ada kunci publik terdaftar untuk kecamatan {kec}. Daftarkan "
            f"berkas 'Kunci Publik Kecamatan ….pub' dari kecamatan itu: musrenbang kunci daftar "
            f"{kec} BERKAS.",
        )
        return False
    if not kunci.verify(key, manifest_bytes, signature):
        report.add(
            "paket-tidak-sah",
            f"Paket '{name}': tanda tangan tidak cocok dengan kunci terdaftar kecamatan {kec} "
            f"({kunci.fingerprint(key)}); paket bukan dari kecamatan itu atau manifestnya "
            "diubah.",
        )
        return False
    found.fingerprint = kunci.fingerprint(key)
    return True


def _check(
    path: Path, wilayah: WilayahList, kabupaten: str, name: str, report: Report, keys: KeyLookup
) -> Paket | None:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _Broken(
            "bukan berkas zip yang utuh; minta kecamatan mengirim ulang paketnya."
        ) from exc
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if len(infos) > MAX_MEMBERS or total > MAX_TOTAL_BYTES or total / packed > MAX_RATIO:
            report.add(
                "berkas-terlalu-besar",
                f"Paket '{name}' terlalu besar atau mencurigakan untuk dibuka (zip bomb).",
            )
            return None
        names = [i.filename for i in infos]
        if len(set(names)) != len(names):
            raise _Broken("satu nama berkas muncul dua kali di dalam zip.")
        manifest, manifest_bytes = _manifest(zf)
        kecamatan, tahun, listed = manifest
        found = Paket(kecamatan=kecamatan, tahun=tahun, members=listed)
        if not _region_ok(found, wilayah, kabupaten, name, report):
            return None
        if not _signature_ok(zf, found, manifest_bytes, name, report, keys):
            return None
        found.urutan, found.dibuat = _version(manifest_bytes)
        found.jejak = _jejak(manifest_bytes)
        kec = wilayah.get(kecamatan)
        folder = safe_name(f"{kecamatan} {kec.nama}" if kec else kecamatan)
        members = {i.filename: i for i in infos if not i.is_dir()}
        members.pop(MANIFEST, None)
        members.pop(SIGNATURE, None)
        for member in sorted(members.keys() | listed.keys()):
            problem = _name_problem(member, windows_length(folder) + _FOLDER_ROOM)
            if problem is None and member in members and _is_link(members[member]):
                problem = "adalah tautan (symlink), bukan berkas"
            if problem:
                report.add(
                    "paket-rusak", f"Paket '{name}': nama berkas '{_shown(member)}' {problem}."
                )
            elif member not in listed:
                report.add(
                    "paket-rusak",
                    f"Paket '{name}': '{_shown(member)}' tidak tercantum di manifest.",
                )
            elif member not in members:
                report.add(
                    "paket-rusak", f"Paket '{name}': '{_shown(member)}' tercantum tetapi tidak ada."
                )
            elif _member_sha256(zf, members[member], name) != listed[member]:
                report.add(
                    "paket-rusak",
                    f"Paket '{name}': isi '{_shown(member)}' tidak cocok dengan sidik (sha256) di manifest; "
                    "paket berubah atau rusak di jalan. Minta kecamatan mengirim ulang.",
                )
        if report.ok:
            found.record = _record(zf, members, found)
    return found


def _is_link(info: zipfile.ZipInfo) -> bool:
    return (info.external_attr >> 16) & 0o170000 == 0o120000


def _version(manifest_bytes: bytes) -> tuple[int, str]:
    """(urutan, dibuat) of the signed manifest: which of two packages is newer."""
    manifest = json.loads(manifest_bytes)
    urutan, dibuat = manifest.get("urutan"), manifest.get("dibuat")
    if isinstance(urutan, bool) or not isinstance(urutan, int) or not 0 <= urutan <= MAX_URUTAN:
        raise _Broken("urutan di manifest.json tidak ada atau bukan bilangan yang sah.")
    if not isinstance(dibuat, str) or len(dibuat) > 40:
        raise _Broken("waktu pembuatan (dibuat) di manifest.json tidak sah.")
    return urutan, dibuat


def _jejak(manifest_bytes: bytes) -> str:
    """The signed manifest's jejak: what Bappeda's ledger must give after the merge."""
    value = json.loads(manifest_bytes).get("jejak", "")
    if not isinstance(value, str) or not JEJAK.fullmatch(value):
        raise _Broken("jejak di manifest.json tidak sah.")
    return value


def _record(
    zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], found: Paket
) -> dict[str, Any]:
    info = members.get(RECORD)
    if info is None:
        raise _Broken(f"{RECORD} (catatan buku besar kecamatan) tidak ada.")
    if info.file_size > MAX_RECORD_BYTES:
        raise _Broken(f"{RECORD} terlalu besar.")
    with zf.open(info) as fh:
        text = fh.read(MAX_RECORD_BYTES + 1)
    try:
        return check_record(json.loads(text), found.kecamatan, found.tahun)
    except (ValueError, RecursionError) as exc:
        raise _Broken(f"{RECORD} bukan JSON yang sah.") from exc
    except ExportError as exc:
        raise _Broken(f"{RECORD}: {_shown(exc)}") from exc


def _manifest(zf: zipfile.ZipFile) -> tuple[tuple[str, int, dict[str, str]], bytes]:
    """(kecamatan, tahun, member -> sha256) of manifest.json, every value type- and
    range-checked (a year of 1e999 or 10**20 never reaches the ledger)."""
    incomplete = "manifest.json tidak ada atau tidak lengkap (kecamatan, tahun, berkas)."
    try:
        info = zf.getinfo("manifest.json")
    except KeyError as exc:
        raise _Broken(incomplete) from exc
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _Broken("manifest.json terlalu besar.")
    with zf.open(info) as fh:
        text = fh.read(MAX_MANIFEST_BYTES + 1)
    try:
        manifest = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _Broken("manifest.json bukan JSON yang sah.") from exc
    if not isinstance(manifest, dict):
        raise _Broken(incomplete)
    kecamatan, tahun, listed = (manifest.get(k) for k in ("kecamatan", "tahun", "berkas"))
    if not isinstance(kecamatan, str) or not isinstance(listed, dict):
        raise _Broken(incomplete)
    if isinstance(tahun, str) and tahun.isascii() and tahun.isdigit() and len(tahun) == 4:
        tahun = int(tahun)
    if isinstance(tahun, bool) or not isinstance(tahun, int) or not YEAR_MIN <= tahun <= YEAR_MAX:
        shown = repr(tahun)[:40]
        raise _Broken(f"tahun di manifest.json ({shown}) bukan tahun {YEAR_MIN}–{YEAR_MAX}.")
    for member, digest in listed.items():
        if not isinstance(digest, str) or len(digest) != 64:
            raise _Broken(f"sidik (sha256) '{str(member)[:80]}' di manifest.json tidak sah.")
    return (kecamatan, tahun, listed), text


def _name_problem(member: str, prefix: int) -> str | None:
    """Why a member's path may not be unpacked (outside the folder, not valid on Windows,
    too long for a share), or None."""
    parts = member.split("/")
    if member.startswith("/") or "\\" in member or any(p in ("", ".", "..") for p in parts):
        return "tidak aman (keluar dari folder paket)"
    if any(safe_name(p) != p for p in parts):
        return "tidak sah di Windows (karakter atau nama terlarang)"
    if prefix + windows_length(member) >= MAX_PATH_CHARS:
        return f"terlalu panjang (lebih dari {MAX_PATH_CHARS} karakter dari root)"
    return None


def _member_sha256(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> str:
    """sha256 of one member, read as a stream; a member that does not decompress (a flipped
    byte: zlib.error, a bad CRC, an unknown method, encryption) is a broken package."""
    h = hashlib.sha256()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
    except Exception as exc:  # noqa: BLE001 - zlib.error, BadZipFile, EOFError, ...
        if environment_error(exc):
            raise
        raise _Broken(f"isi '{_shown(info.filename)}' rusak dan tidak dapat dibuka.") from exc
    return h.hexdigest()


def unpack(path: Path, paket: Paket, target: Path) -> list[Path]:
    """Write every member into a fresh folder beside `target`, then swap it in: `target`
    always holds exactly one package's members (never two mixed). Returns the files."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{target.name}.baru")
    old = target.with_name(f".{target.name}.lama")
    for leftover in (fresh, old):  # a crash mid-swap last time
        shutil.rmtree(leftover, ignore_errors=True)
    written = []
    with zipfile.ZipFile(path) as zf:
        for member in [MANIFEST, SIGNATURE, *sorted(paket.members)]:
            rel = PurePosixPath(member).parts
            out = fresh.joinpath(*rel)
            out.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
            written.append(target.joinpath(*rel))
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return written
