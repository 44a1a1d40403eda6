"""Is a dropped file a usable scan? Image and PDF checks (decompression bombs, encryption,
truncation, page counts) reported as issues by `check_scan`, never raised."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

from pipeline.core.report import Report
from pipeline.scans import active
from pipeline.scans.limits import (
    MAX_FRAMES,
    MAX_PDF_PAGES,
    MAX_PIXELS,
    MAX_SCAN_BYTES,
    SCAN_EXTENSIONS,
    ScanError,
    _accepted_text,
)

# --- what a file is --------------------------------------------------------------------------


def _looks_like_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    return b"%PDF" in head


def image_problem(path: Path, *, decode: bool = True) -> tuple[str, str] | None:
    """(code, Indonesian detail) when `path` is not a usable image, else None. Never raises.

    The pixel count of every frame is checked from the header before anything is decoded, so a
    decompression bomb costs nothing; `decode` then decodes every frame (truncated files fail).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                frames = int(getattr(img, "n_frames", 1) or 1)
                if frames > MAX_FRAMES:
                    return ("gambar-terlalu-besar", f"berisi {frames} halaman (batas {MAX_FRAMES})")
                for index in range(frames):
                    if index:
                        img.seek(index)
                    width, height = img.size
                    if width <= 0 or height <= 0:
                        return ("gambar-rusak", "ukuran gambar 0 piksel")
                    if width * height > MAX_PIXELS:
                        mp = width * height / 1_000_000
                        return (
                            "gambar-terlalu-besar",
                            f"{width}×{height} piksel ({mp:.0f} megapiksel, batas "
                            f"{MAX_PIXELS // 1_000_000} megapiksel)",
                        )
                    if decode:
                        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ("gambar-terlalu-besar", "ukuran gambar melebihi batas aman")
    except UnidentifiedImageError:
        return ("gambar-rusak", "isinya bukan gambar")
    except MemoryError:
        return ("gambar-terlalu-besar", "gambar terlalu besar untuk dibuka")
    except Exception:  # noqa: BLE001 - any decoder failure means a damaged image
        return ("gambar-rusak", "gambar rusak atau terpotong")
    return None


def _open_pdf(data: bytes | BinaryIO) -> PdfReader:
    """A reader over bytes or an open file (read lazily: memory stays bounded)."""
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ScanError("berkas-terkunci", "PDF dilindungi kata sandi")
    return reader


def _head_tail(fh: BinaryIO) -> tuple[bytes, bytes]:
    head = fh.read(1024)
    fh.seek(0, io.SEEK_END)
    fh.seek(max(0, fh.tell() - 4096))
    tail = fh.read(4096)
    fh.seek(0)
    return head, tail


def pdf_problem(path: Path) -> tuple[str, str] | None:
    """(code, Indonesian detail) when `path` is not a usable PDF, else None. Never raises.

    A PDF whose end marker is missing is a partial copy (a cut transfer) even when a lenient
    reader could still guess some pages from it. A PDF that only restricts printing/copying
    (opens with an empty password) is usable; one that needs a password to open is not.
    """
    try:
        with warnings.catch_warnings(), open(path, "rb") as fh:
            head, tail = _head_tail(fh)
            if b"%PDF" not in head:
                return ("pdf-rusak", "isinya bukan PDF")
            if b"%%EOF" not in tail:
                return ("pdf-rusak", "PDF terpotong (akhir berkas tidak ada)")
            warnings.simplefilter("ignore")
            reader = _open_pdf(fh)
            count = len(reader.pages)
            if count == 0:
                return ("pdf-rusak", "PDF tidak berisi halaman")
            if count > MAX_PDF_PAGES:
                return ("pdf-rusak", f"PDF berisi {count} halaman (batas {MAX_PDF_PAGES})")
            for page in reader.pages:
                box = page.mediabox
                if box.width <= 0 or box.height <= 0:
                    return ("pdf-rusak", "ukuran halaman PDF tidak sah")
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()
    except ScanError as exc:
        return (exc.code, exc.message)
    except MemoryError:
        return ("pdf-rusak", "PDF terlalu besar untuk dibuka")
    except Exception:  # noqa: BLE001 - any parser failure means a damaged PDF
        return ("pdf-rusak", "PDF rusak atau tidak dapat dibaca")
    return None


_REMEDY = {
    "gambar-rusak": "pindai atau foto ulang dokumen itu dan simpan sebagai JPG, PNG atau PDF.",
    "gambar-terlalu-besar": "pindai ulang dengan resolusi 200–300 dpi.",
    "pdf-rusak": "salin ulang berkas itu atau pindai ulang dokumennya.",
    "berkas-terkunci": "simpan ulang PDF itu tanpa kata sandi, lalu kirim lagi.",
}


def check_scan(path: Path, display_name: str) -> Report:
    """Is `path` usable as a scan of a signed document? All problems as issues; never raises."""
    report = Report()
    name = display_name
    try:
        size = path.stat().st_size
    except OSError:
        report.add("berkas-rusak", f"Pindaian '{name}': berkas tidak dapat dibaca; salin ulang.")
        return report
    if size == 0:
        report.add(
            "berkas-kosong",
            f"Pindaian '{name}': berkas kosong (0 byte); salin ulang atau pindai ulang dokumennya.",
        )
        return report
    suffix = path.suffix.lower()
    if suffix not in SCAN_EXTENSIONS:
        shown = f"'{path.suffix}'" if path.suffix else "tanpa ekstensi"
        report.add(
            "jenis-berkas-tidak-dikenal",
            f"Pindaian '{name}': jenis berkas {shown} tidak diterima di folder pindaian; "
            f"kirim pindaian sebagai {_accepted_text()}.",
        )
        return report
    if size > MAX_SCAN_BYTES:
        problem: tuple[str, str] | None = (
            "gambar-terlalu-besar",
            f"berkas {size / 1024**2:.0f} MB (batas {MAX_SCAN_BYTES // 1024**2} MB)",
        )
    elif suffix == ".pdf" or _looks_like_pdf(path):
        problem = pdf_problem(path)
        if problem is None and (kinds := active.pdf_active_content(path)):
            report.add(
                "pdf-konten-aktif-dihapus",
                f"Pindaian '{name}': PDF berisi {active.describe(kinds)}; semuanya dihapus "
                "sebelum digabung ke PDF bertanda tangan.",
            )
    else:
        problem = image_problem(path)
    if problem:
        code, detail = problem
        report.add(code, f"Pindaian '{name}': {detail}; {_REMEDY[code]}")
    return report
