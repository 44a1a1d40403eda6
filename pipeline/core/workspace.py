"""Workspace layout: where inbox, outbox, arsip and run-time files live, and how they are named.

Every path the pipeline builds comes from here, so the layout of spec/interface.md is written
down once.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.models import Wilayah
from pipeline.core.standard import JENIS_DOKUMEN, JENIS_PINDAIAN

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_name(text: str) -> str:
    """A file/folder name that every OS accepts (Windows is the strictest)."""
    cleaned = _UNSAFE.sub("-", text).strip().rstrip(".")
    return cleaned or "-"


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
