"""Which scan files make the current document (deliveries, natural page order) and the parts
and completeness of a region's signed PDF."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

# --- which files make the current document ---------------------------------------------------

_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple[object, ...]:
    """Sort key so that 'hal-2.jpg' comes before 'hal-10.jpg'."""
    parts = _DIGITS.split(name.casefold())
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def latest_scan_set(
    received: Iterable[tuple[Path, dt.datetime]],
    window: dt.timedelta = dt.timedelta(minutes=30),
) -> list[Path]:
    """The files of the newest scan of one document, in page order.

    Files that arrive within `window` of the previous one belong to the same delivery (several
    photos of one document); a file arriving later than that starts a new delivery, which
    replaces the older one in the signed PDF (the older files stay archived). Within the
    delivery the pages are ordered by file name, naturally ('hal-2' before 'hal-10').
    """
    items = sorted(received, key=lambda item: (item[1], natural_key(item[0].name)))
    if not items:
        return []
    start = len(items) - 1
    while start > 0 and items[start][1] - items[start - 1][1] <= window:
        start -= 1
    return sorted((p for p, _ in items[start:]), key=lambda p: natural_key(p.name))


# --- parts and completeness ------------------------------------------------------------------

# Scan kinds (pindaian/<jenis>/) in the order they appear in the signed PDF, with bookmarks.
PART_TITLES: dict[str, str] = {
    "berita-acara": "Berita Acara (ditandatangani)",
    "daftar-hadir": "Daftar Hadir (ditandatangani)",
    "rekap": "Rekap Usulan (ditandatangani)",
}
WAJIB_DESA: tuple[str, ...] = ("berita-acara", "daftar-hadir")
WAJIB_KECAMATAN: tuple[str, ...] = ("berita-acara", "daftar-hadir", "rekap")
_LABEL = {"berita-acara": "Berita Acara", "daftar-hadir": "Daftar Hadir", "rekap": "Rekap Usulan"}


def signed_parts(
    pindaian: Mapping[str, Sequence[Path]],
    lampiran: Path | None,
    lampiran_title: str = "Kompilasi Usulan",
) -> list[tuple[str, list[Path]]]:
    """The parts of the signed PDF: scans by kind (current files of each), then the document
    they sign (the kompilasi, or the kecamatan's rekap), e.g. for build_signed_pdf."""
    parts = [(title, list(pindaian.get(jenis, ()))) for jenis, title in PART_TITLES.items()]
    if lampiran is not None:
        parts.append((lampiran_title, [lampiran]))
    return [(title, files) for title, files in parts if files]


def missing_scans(
    pindaian: Mapping[str, Sequence[object]], required: Sequence[str] = WAJIB_DESA
) -> list[str]:
    """The required scan kinds that have no accepted file yet, in the order of `required`."""
    return [jenis for jenis in required if not pindaian.get(jenis)]


def missing_text(missing: Sequence[str]) -> str:
    """Indonesian sentence for the Kirim guard and `status`: what is missing and where to put it."""
    if not missing:
        return ""
    names = [_LABEL.get(j, j) for j in missing]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " dan " + names[-1]
    folders = ", ".join(f"pindaian/{j}/" for j in missing)
    remedy = f"pindai dokumen itu dan letakkan di folder {folders}."
    return f"Pindaian {joined} yang ditandatangani belum ada; {remedy}"
