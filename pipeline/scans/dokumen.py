"""Supporting documents (SOP step 20): is a file acceptable as a document of its kind?

Kinds are the folder names of `dokumen/` (JENIS_DOKUMEN: foto, video, absensi, berita-acara,
tanda-terima, undangan); the settings use the same words with underscores (berita_acara).
Every problem of a file is an issue in a Report (never raised). The manifest is in
manifest.py, the Lampiran Foto PDF in lampiran_foto.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.core.config import DokumenSettings
from pipeline.core.report import Report
from pipeline.core.standard import JENIS_DOKUMEN
from pipeline.scans.check import image_problem, pdf_problem

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif"}
HEIF_EXTENSIONS = {".heic", ".heif"}
VIDEO_EXTENSIONS = {".mp4", ".m4v", ".3gp", ".mov", ".avi", ".mkv", ".webm"}
OFFICE_EXTENSIONS = {".docx", ".xlsx", ".pptx"}
_MB = 1024 * 1024


def _field(jenis: str) -> str:
    return jenis.replace("-", "_")


def accepted_extensions(jenis: str, settings: DokumenSettings) -> list[str]:
    """Accepted extensions of a kind, lower-case with the dot ('.jpg')."""
    raw = getattr(settings, _field(jenis), None) or []
    return ["." + str(ext).lower().lstrip(".") for ext in raw]


def size_limit_bytes(jenis: str, settings: DokumenSettings) -> int | None:
    limit = settings.batas_mb.get(jenis, settings.batas_mb.get(_field(jenis)))
    return int(limit * _MB) if limit else None


def _mb(size: float) -> str:
    return f"{size / _MB:.1f}".replace(".", ",") + " MB"


def _heif_problem(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(32)
    except OSError:
        return "berkas tidak dapat dibaca"
    if head[4:8] != b"ftyp" or head[8:12] not in {
        b"heic",
        b"heix",
        b"hevc",
        b"hevx",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
        b"avif",
    }:
        return "isinya bukan foto HEIC"
    return None


_VIDEO_ATOMS = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def _video_problem(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return "berkas tidak dapat dibaca"
    suffix = path.suffix.lower()
    if suffix == ".avi":
        ok = head[:4] == b"RIFF" and head[8:12] == b"AVI "
    elif suffix in (".mkv", ".webm"):
        ok = head[:4] == b"\x1a\x45\xdf\xa3"
    else:
        ok = head[4:8] in _VIDEO_ATOMS
    return None if ok else "isinya bukan video yang dikenal"


def _office_problem(path: Path) -> str | None:
    main_part = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".pptx": "ppt/"}
    want = main_part.get(path.suffix.lower(), "")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "berkas rusak atau bukan dokumen Office"
    if not any(name.startswith(want) for name in names):
        return "berkas rusak atau bukan dokumen Office"
    return None


def check_document(path: Path, jenis: str, settings: DokumenSettings, display_name: str) -> Report:
    """Is `path` acceptable as a supporting document of kind `jenis`? Never raises."""
    report = Report()
    label = f"Dokumen {jenis} '{display_name}'"
    if jenis not in JENIS_DOKUMEN:
        folders = ", ".join(f"dokumen/{j}" for j in JENIS_DOKUMEN)
        report.add(
            "lokasi-berkas-salah",
            f"Dokumen '{display_name}': folder jenis '{jenis}' tidak dikenal; "
            f"letakkan berkas di salah satu folder {folders}.",
        )
        return report
    try:
        size = path.stat().st_size
    except OSError:
        report.add("berkas-rusak", f"{label}: berkas tidak dapat dibaca; salin ulang.")
        return report
    if size == 0:
        report.add("berkas-kosong", f"{label}: berkas kosong (0 byte); salin ulang berkas aslinya.")
        return report
    suffix = path.suffix.lower()
    accepted = accepted_extensions(jenis, settings)
    if suffix not in accepted:
        shown = f"'{path.suffix}'" if path.suffix else "tanpa ekstensi"
        listed = ", ".join(ext.lstrip(".") for ext in accepted)
        report.add(
            "jenis-berkas-tidak-dikenal",
            f"{label}: jenis berkas {shown} tidak diterima untuk {jenis}; kirim sebagai {listed}.",
        )
        return report
    limit = size_limit_bytes(jenis, settings)
    if limit is not None and size > limit:
        report.add(
            "ukuran-melebihi-batas",
            f"{label}: berukuran {_mb(size)}, batas untuk {jenis} {_mb(limit)}; "
            "kecilkan atau kompres berkas itu, atau bagi menjadi beberapa berkas.",
        )
        return report
    if suffix in HEIF_EXTENSIONS:
        detail = _heif_problem(path)
        if detail:
            report.add("gambar-rusak", f"{label}: {detail}; kirim ulang foto aslinya (JPG/PNG).")
    elif suffix in IMAGE_EXTENSIONS:
        problem = image_problem(path)
        if problem:
            code, detail = problem
            report.add(code, f"{label}: {detail}; kirim ulang foto atau gambar aslinya.")
    elif suffix == ".pdf":
        problem = pdf_problem(path)
        if problem:
            code, detail = problem
            remedy = (
                "simpan ulang PDF itu tanpa kata sandi"
                if code == "berkas-terkunci"
                else "salin ulang atau buat ulang PDF itu"
            )
            report.add(code, f"{label}: {detail}; {remedy}, lalu kirim lagi.")
    elif suffix in VIDEO_EXTENSIONS:
        detail = _video_problem(path)
        if detail:
            report.add("berkas-rusak", f"{label}: {detail}; salin ulang video aslinya.")
    elif suffix in OFFICE_EXTENSIONS:
        detail = _office_problem(path)
        if detail:
            report.add("berkas-rusak", f"{label}: {detail}; simpan ulang di Word/Writer.")
    return report
