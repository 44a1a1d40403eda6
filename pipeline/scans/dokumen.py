"""Supporting documents (SOP step 20): check them, list them in a manifest, lay out the photos.

Kinds are the folder names of `dokumen/` (JENIS_DOKUMEN: foto, video, absensi, berita-acara,
tanda-terima, undangan); the settings use the same words with underscores (berita_acara).
Every problem of a file is an issue in a Report (never raised). The manifest (json + xlsx) and
the Lampiran Foto PDF are written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import img2pdf
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from PIL import Image, ImageDraw, ImageFont
from pydantic import BaseModel

from pipeline.core.atomic import write_bytes, write_text, write_with
from pipeline.core.config import DokumenSettings
from pipeline.core.report import Report
from pipeline.core.standard import JENIS_DOKUMEN
from pipeline.scans.pages import (
    EXIF_TRANSPOSE,
    MAX_PIXELS,
    exif_orientation,
    flatten_alpha,
    image_problem,
    paper_points,
    pdf_problem,
)

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif"}
HEIF_EXTENSIONS = {".heic", ".heif"}
VIDEO_EXTENSIONS = {".mp4", ".m4v", ".3gp", ".mov", ".avi", ".mkv", ".webm"}
OFFICE_EXTENSIONS = {".docx", ".xlsx", ".pptx"}
_MB = 1024 * 1024

# --- fonts -----------------------------------------------------------------------------------

_FONT_FILES = {
    False: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "C:/Windows/Fonts/arial.ttf",
        "/Library/Fonts/Arial.ttf",
        "DejaVuSans.ttf",
        "arial.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
        "/Library/Fonts/Arial Bold.ttf",
        "DejaVuSans-Bold.ttf",
        "arialbd.ttf",
    ),
}


def font_path(bold: bool = False) -> str | None:
    """The first TrueType font found for text on generated pages, or None."""
    for candidate in _FONT_FILES[bold]:
        try:
            ImageFont.truetype(candidate, 10)
        except OSError:
            continue
        return candidate
    return None


@lru_cache(maxsize=64)
def load_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu/Liberation (or Arial on Windows) at `size` px; Pillow's own font when none."""
    path = font_path(bold)
    if path is not None:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


# --- checking one document -------------------------------------------------------------------


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


# --- manifest --------------------------------------------------------------------------------


class ManifestEntry(BaseModel):
    """One supporting document as received and archived."""

    jenis: str  # folder name: foto, video, absensi, berita-acara, tanda-terima, undangan
    nama_asli: str  # the file name as the operator dropped it
    ukuran: int  # bytes
    sha256: str
    diterima_pada: dt.datetime
    folder: str  # the desa folder it was dropped in, relative to inbox/ ('12.05.01 .../...')
    arsip: str  # where it is archived, relative to the root


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_entry(
    path: Path,
    *,
    jenis: str,
    folder: str,
    arsip: str,
    diterima_pada: dt.datetime,
    nama_asli: str | None = None,
) -> ManifestEntry:
    """An entry for the file at `path` (size and sha256 read from it)."""
    return ManifestEntry(
        jenis=jenis,
        nama_asli=nama_asli or path.name,
        ukuran=path.stat().st_size,
        sha256=sha256_file(path),
        diterima_pada=diterima_pada,
        folder=folder,
        arsip=arsip,
    )


def _order(entry: ManifestEntry) -> tuple[int, dt.datetime, str]:
    rank = JENIS_DOKUMEN.index(entry.jenis) if entry.jenis in JENIS_DOKUMEN else 99
    when = entry.diterima_pada
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return rank, when, entry.nama_asli.casefold()


def count_by_jenis(entries: Iterable[ManifestEntry]) -> dict[str, int]:
    """How many documents of each kind (every kind listed, 0 when none): for completeness."""
    counts = dict.fromkeys(JENIS_DOKUMEN, 0)
    for entry in entries:
        counts[entry.jenis] = counts.get(entry.jenis, 0) + 1
    return counts


MANIFEST_COLUMNS: list[tuple[str, int]] = [
    ("No", 5),
    ("Jenis", 14),
    ("Nama Berkas Asli", 40),
    ("Ukuran (byte)", 14),
    ("SHA-256", 68),
    ("Diterima Pada", 20),
    ("Folder Desa", 44),
    ("Arsip", 60),
]


def _manifest_workbook(entries: list[ManifestEntry]) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Manifest"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (label, width) in enumerate(MANIFEST_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=label)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    for number, entry in enumerate(entries, start=1):
        when = entry.diterima_pada.replace(tzinfo=None)  # wall-clock time of its own zone
        values = [
            number,
            entry.jenis,
            entry.nama_asli,
            entry.ukuran,
            entry.sha256,
            when,
            entry.folder,
            entry.arsip,
        ]
        ws.append(values)
        ws.cell(row=number + 1, column=4).number_format = "#,##0"
        ws.cell(row=number + 1, column=6).number_format = "yyyy-mm-dd hh:mm:ss"
    ws.freeze_panes = "A2"
    last = get_column_letter(len(MANIFEST_COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(entries) + 1)}"
    ws.print_options.gridLines = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"

    summary = wb.create_sheet("Ringkasan")
    for col, (label, width) in enumerate(
        [("Jenis", 16), ("Jumlah Berkas", 16), ("Ukuran Total (byte)", 22)], start=1
    ):
        cell = summary.cell(row=1, column=col, value=label)
        cell.font = bold
        cell.fill = fill
        summary.column_dimensions[get_column_letter(col)].width = width
    for jenis, count in count_by_jenis(entries).items():
        total = sum(e.ukuran for e in entries if e.jenis == jenis)
        summary.append([jenis, count, total])
        summary.cell(row=summary.max_row, column=3).number_format = "#,##0"
    summary.freeze_panes = "A2"
    return wb


def write_manifest(entries: Sequence[ManifestEntry], json_path: Path, xlsx_path: Path) -> None:
    """Write the manifest as json and xlsx (both atomically), ordered by kind, then time."""
    ordered = sorted(entries, key=_order)
    payload = {
        "jumlah_berkas": len(ordered),
        "ukuran_total": sum(e.ukuran for e in ordered),
        "jumlah_per_jenis": count_by_jenis(ordered),
        "dokumen": [e.model_dump(mode="json") for e in ordered],
    }
    write_text(json_path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    wb = _manifest_workbook(ordered)
    write_with(xlsx_path, lambda tmp: wb.save(tmp))


def read_manifest(json_path: Path) -> list[ManifestEntry]:
    """The entries of a manifest written by write_manifest ([] when it does not exist)."""
    if not json_path.exists():
        return []
    data = json.loads(json_path.read_text(encoding="utf-8"))
    return [ManifestEntry.model_validate(item) for item in data.get("dokumen", [])]


# --- Lampiran Foto ---------------------------------------------------------------------------

LAMPIRAN_DPI = 150
_MARGIN_MM = 12


def _mm(value: float) -> int:
    return round(value / 25.4 * LAMPIRAN_DPI)


def _load_photo(path: Path, box: tuple[int, int]) -> Image.Image | None:
    """The photo upright, opaque and fitted into `box` px; None when it cannot be shown."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.size[0] * img.size[1] > MAX_PIXELS:
                    return None
                orientation = exif_orientation(img)
                if img.format in ("JPEG", "MPO"):
                    want = box if orientation not in (5, 6, 7, 8) else (box[1], box[0])
                    img.draft("RGB", want)
                frame = img.convert() if img.mode == "P" else img.copy()
        for method in EXIF_TRANSPOSE.get(orientation, ()):
            frame = frame.transpose(method)
        frame = flatten_alpha(frame).convert("RGB")
        frame.thumbnail(box, Image.Resampling.LANCZOS)
        return frame
    except Exception:  # noqa: BLE001 - a photo that cannot be shown gets a placeholder
        return None


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: int, lines: int) -> list[str]:
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words = paragraph.split()
        current = ""
        for word in words:
            trial = f"{current} {word}".strip()
            if draw.textlength(trial, font=font) <= width:  # type: ignore[arg-type]
                current = trial
                continue
            if current:
                out.append(current)
            # a single word longer than the line (a long file name): cut it
            while draw.textlength(word, font=font) > width and len(word) > 1:  # type: ignore[arg-type]
                cut = len(word)
                while cut > 1 and draw.textlength(word[:cut], font=font) > width:  # type: ignore[arg-type]
                    cut -= 1
                out.append(word[:cut])
                word = word[cut:]
            current = word
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and draw.textlength(last + " …", font=font) > width:  # type: ignore[arg-type]
            last = last[:-1]
        out[-1] = last.rstrip() + " …"
    return out


def _compose_pages(
    photos: Sequence[tuple[Path, str]], paper: str, title: str, per_page: int
) -> list[Image.Image]:
    page_w_pt, page_h_pt = paper_points(paper)
    page_w = round(page_w_pt / 72 * LAMPIRAN_DPI)
    page_h = round(page_h_pt / 72 * LAMPIRAN_DPI)
    margin = _mm(_MARGIN_MM)
    cols = 2
    rows = max(1, -(-per_page // cols))
    title_font = load_font(_mm(5.5), bold=True)
    caption_font = load_font(_mm(3.2))
    footer_font = load_font(_mm(3))
    title_h = _mm(16)
    footer_h = _mm(8)
    caption_lines = 3
    caption_h = int(caption_lines * _mm(4.4)) + _mm(2)
    gap = _mm(5)
    total = max(1, -(-len(photos) // per_page))
    pages: list[Image.Image] = []
    for page_no in range(total):
        page = Image.new("RGB", (page_w, page_h), "white")
        draw = ImageDraw.Draw(page)
        top = margin
        if page_no == 0:
            for i, line in enumerate(_wrap(draw, title, title_font, page_w - 2 * margin, 2)):
                draw.text(
                    (page_w / 2, top + i * _mm(7)), line, fill="black", font=title_font, anchor="ma"
                )
            top += title_h
            if not photos:
                draw.text(
                    (page_w / 2, top + _mm(20)),
                    "Belum ada foto dokumentasi.",
                    fill="black",
                    font=caption_font,
                    anchor="ma",
                )
        area_h = page_h - top - margin - footer_h
        cell_w = (page_w - 2 * margin - (cols - 1) * gap) // cols
        cell_h = (area_h - (rows - 1) * gap) // rows
        box = (cell_w, max(10, cell_h - caption_h))
        chunk = photos[page_no * per_page : (page_no + 1) * per_page]
        for index, (path, caption) in enumerate(chunk):
            x = margin + (index % cols) * (cell_w + gap)
            y = top + (index // cols) * (cell_h + gap)
            photo = _load_photo(path, box)
            if photo is None:
                draw.rectangle([x, y, x + box[0], y + box[1]], fill=(235, 235, 235), outline="gray")
                draw.text(
                    (x + box[0] / 2, y + box[1] / 2),
                    "Pratinjau foto tidak tersedia",
                    fill="dimgray",
                    font=caption_font,
                    anchor="mm",
                )
            else:
                px = x + (box[0] - photo.width) // 2
                py = y + box[1] - photo.height  # bottom-aligned: the caption sits right below
                page.paste(photo, (px, py))
                draw.rectangle(
                    [px - 1, py - 1, px + photo.width, py + photo.height], outline=(120, 120, 120)
                )
            lines = _wrap(draw, caption, caption_font, cell_w, caption_lines)
            for i, line in enumerate(lines):
                draw.text(
                    (x + cell_w / 2, y + box[1] + _mm(2) + i * _mm(4.4)),
                    line,
                    fill="black",
                    font=caption_font,
                    anchor="ma",
                )
        draw.text(
            (page_w / 2, page_h - margin),
            f"Halaman {page_no + 1} dari {total}",
            fill="dimgray",
            font=footer_font,
            anchor="md",
        )
        pages.append(page)
    return pages


def foto_caption(nama_asli: str, diterima_pada: dt.datetime) -> str:
    """The caption under a photo: its original file name and the time it was received."""
    return f"{nama_asli}\nditerima {diterima_pada:%d-%m-%Y %H:%M}"


def build_lampiran_foto(
    photos: Sequence[tuple[Path, str]],
    out: Path,
    paper: str,
    title: str,
    per_page: int = 4,
) -> Path:
    """A PDF of the photos (path, caption), `per_page` (4 or 6) per page, `title` on page 1.

    Photos are EXIF-rotated and downscaled; one that cannot be decoded (e.g. HEIC without a
    decoder) gets a placeholder with its caption, so none is silently left out.
    """
    page_w_pt, page_h_pt = paper_points(paper)
    streams = []
    for page in _compose_pages(photos, paper, title, max(1, per_page)):
        buffer = io.BytesIO()
        page.save(buffer, format="JPEG", quality=85, dpi=(LAMPIRAN_DPI, LAMPIRAN_DPI))
        streams.append(buffer.getvalue())

    def layout(_w: int, _h: int, _dpi: tuple[float, float]) -> tuple[float, ...]:
        return page_w_pt, page_h_pt, page_w_pt, page_h_pt

    data = img2pdf.convert(streams, layout_fun=layout, rotation=img2pdf.Rotation.none, title=title)
    assert isinstance(data, bytes)
    return write_bytes(out, data)
