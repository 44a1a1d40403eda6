"""Workspace layout: where inbox, outbox, arsip and run-time files live, and how they are named.

Every path the pipeline builds comes from here, so the layout of spec/interface.md is written
down once.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.core.models import Wilayah
from pipeline.core.standard import JENIS_DOKUMEN, JENIS_PINDAIAN

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Bidi controls and invisible format characters: a name must read as it sorts ('gpj.exe').
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"}
)
MAX_PATH_CHARS = 240
"""Every path the pipeline writes stays below this many characters from the root, so that a
kecamatan PC opening it through a share (Windows MAX_PATH 260) can."""
MAX_NAME_BYTES = 230
"""A name's UTF-8 length stays below NAME_MAX (255 bytes on ext4 and most file systems), with
room for the suffix of a clash (' (2)') and a temporary name."""


def display_name(name: str) -> str:
    """A name as it can be shown and stored: bytes that are not UTF-8 (Python keeps them as
    surrogate escapes) become U+FFFD. Names that are valid UTF-8 come back unchanged."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "replace")


def name_bytes(name: str) -> bytes:
    """The original bytes of a name as the file system holds it."""
    return os.fsencode(name)


def windows_length(text: str) -> int:
    """Length as Windows counts a path: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def safe_name(text: str) -> str:
    """A file/folder name that every OS accepts (Windows is the strictest): no `<>:"/\\|?*`
    or control characters, no bidi controls, no reserved device name (CON, NUL, COM1, ...),
    no trailing dot or space."""
    cleaned = _INVISIBLE.sub("", display_name(text))
    cleaned = _UNSAFE.sub("-", cleaned).strip().rstrip(". ")
    if cleaned.split(".", 1)[0].rstrip(" ").upper() in WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned or "-"


def shorten_name(name: str, max_chars: int, max_bytes: int = MAX_NAME_BYTES) -> str:
    """`name` when it fits in `max_chars` (as Windows counts) and `max_bytes` (UTF-8); else its
    start, '~', 8 hex digits of a hash of the whole name, and its extension. Two long names
    that share their start get different short names; the same name always the same one."""
    if windows_length(name) <= max_chars and len(name.encode("utf-8", "replace")) <= max_bytes:
        return name
    suffix = PurePosixPath(name).suffix
    if len(suffix) > 12 or not suffix[1:].isalnum():
        suffix = ""
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    tail = f"~{digest}{suffix}"
    room_chars = max(1, max_chars - windows_length(tail))
    room_bytes = max(1, max_bytes - len(tail.encode("utf-8")))
    head = name[: len(name) - len(suffix)] if suffix else name
    out = []
    chars = size = 0
    for ch in head:
        c, b = windows_length(ch), len(ch.encode("utf-8", "replace"))
        if chars + c > room_chars or size + b > room_bytes:
            break
        out.append(ch)
        chars, size = chars + c, size + b
    return "".join(out).rstrip(". ") + tail


def archive_rel(rel: str, token: str) -> str:
    """Where an input is archived, relative to the root: `arsip/<its inbox folder>/<token>
    <name>`, every part a safe name, the whole path below MAX_PATH_CHARS. Only the operator's
    parts are shortened: the file name first (keeping extension and a hash), then the
    deepest folders are left out (the journal keeps the full original path)."""
    pieces = [p for p in PurePosixPath(display_name(rel)).parts if p not in ("", ".", "..")]
    name = safe_name(pieces[-1] if pieces else "-")
    folders = [shorten_name(safe_name(p), 60) for p in pieces[:-1]]
    head = f"{token} "
    while True:
        used = windows_length("arsip/" + "".join(f + "/" for f in folders) + head)
        room = MAX_PATH_CHARS - 1 - used
        if room >= 48 or not folders:
            break
        folders.pop()
    leaf = head + shorten_name(name, max(12, min(room, 160)), MAX_NAME_BYTES - len(head))
    return "/".join(["arsip", *folders, leaf])


def region_folder(w: Wilayah) -> str:
    return safe_name(f"{w.kode} {w.nama}")


def root_from(arg: str | os.PathLike[str] | None) -> Path:
    """--root, else $MUSRENBANG_ROOT, else the current directory."""
    if arg:
        return Path(arg).resolve()
    env = os.environ.get("MUSRENBANG_ROOT")
    return Path(env).resolve() if env else Path.cwd().resolve()


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def arsip(self) -> Path:
        return self.root / "arsip"

    @property
    def receipts(self) -> Path:
        return self.outbox / "tanda-terima"

    @property
    def runtime(self) -> Path:
        """Logs, heartbeat, lock, claimed files and temp work: never shared."""
        return self.root / ".musrenbang"

    @property
    def claims(self) -> Path:
        return self.runtime / "proses"

    @property
    def tmp(self) -> Path:
        return self.runtime / "tmp"

    @property
    def templates(self) -> Path:
        """Workspace templates override the built-in ones file by file."""
        return self.root / "templates"

    @property
    def wilayah_file(self) -> Path:
        for name in ("wilayah.csv", "wilayah.xlsx"):
            if (self.root / name).exists():
                return self.root / name
        return self.root / "wilayah.csv"

    def rel(self, path: Path) -> str:
        """A path relative to the root with '/', as receipts show it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    # --- region folders

    def inbox_kecamatan(self, kec: Wilayah) -> Path:
        return self.inbox / region_folder(kec)

    def inbox_desa(self, kec: Wilayah, desa: Wilayah) -> Path:
        return self.inbox_kecamatan(kec) / region_folder(desa)

    def outbox_kecamatan(self, kec: Wilayah, tahun: int) -> Path:
        return self.outbox / region_folder(kec) / str(tahun)

    def outbox_desa(self, kec: Wilayah, desa: Wilayah, tahun: int) -> Path:
        return self.outbox / region_folder(kec) / region_folder(desa) / str(tahun)

    def make_desa_inbox(self, kec: Wilayah, desa: Wilayah) -> Path:
        base = self.inbox_desa(kec, desa)
        for jenis in JENIS_DOKUMEN:
            (base / "dokumen" / jenis).mkdir(parents=True, exist_ok=True)
        for jenis in ("daftar-hadir", "berita-acara"):
            (base / "pindaian" / jenis).mkdir(parents=True, exist_ok=True)
        return base

    def make_kecamatan_inbox(self, kec: Wilayah) -> Path:
        base = self.inbox_kecamatan(kec)
        for jenis in JENIS_PINDAIAN:
            (base / "pindaian" / jenis).mkdir(parents=True, exist_ok=True)
        for jenis in JENIS_DOKUMEN:
            (base / "dokumen" / jenis).mkdir(parents=True, exist_ok=True)
        return base


# --- document names (spec/documents.md) -----------------------------------------------


def desa_title(desa: Wilayah, tahun: int) -> str:
    """'Desa Lau Damak 2027' / 'Kelurahan Pekan Bahorok 2027'."""
    return f"{desa.level_word} {desa.nama} {tahun}"


def buku_kerja_name(desa: Wilayah, tahun: int, perbaiki: bool = False) -> str:
    suffix = " (perbaiki)" if perbaiki else ""
    return safe_name(f"Buku Kerja Musrenbang {desa_title(desa, tahun)}{suffix}") + ".xlsx"


def document_stem(kind: str, region: Wilayah, tahun: int, kecamatan: bool = False) -> str:
    """File name without extension of a document, e.g. kind='Berita Acara'."""
    level = f"Kecamatan {region.nama} {tahun}" if kecamatan else desa_title(region, tahun)
    return safe_name(f"{kind} Musrenbang {level}")


def signed_pdf_name(region: Wilayah, tahun: int, kecamatan: bool = False) -> str:
    return document_stem("Dokumen", region, tahun, kecamatan) + " (ditandatangani).pdf"
