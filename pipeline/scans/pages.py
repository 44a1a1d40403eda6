"""Signed scans (SOP steps 18–19): check them, turn them into paper-size PDF pages, merge them.

A scan is a JPEG, PNG, TIFF (also multi-page) or PDF (also multi-page) as operators really send
them: phone photos rotated by EXIF (also the invalid orientation 0), PNGs with transparency,
72-dpi photos, 40-megapixel scans, several files for one document.

Decisions (documented here once):
- Every page becomes exactly the configured paper (A4 210×297 mm, or F4 215×330 mm). The page
  follows the content's orientation: a landscape image or landscape PDF page gets a landscape
  page of that paper, a portrait one a portrait page; the content is scaled (up or down) to fit
  the page, keeping its aspect ratio, centred. So a 72-dpi photo fills the page instead of
  becoming a poster-sized page, and a phone photo of a portrait document, rotated by EXIF,
  stays portrait.
- Images are rotated by their EXIF orientation (values 2–8; 0 and other invalid values are
  ignored, as img2pdf's Rotation.ifvalid does), alpha is flattened onto white, and images
  larger than ~200 dpi at the page size are downscaled (JPEG draft decoding keeps this fast).
  An image that needs none of that (a JPEG or PNG that is upright, opaque and not too big) is
  embedded byte for byte: a JPEG is re-encoded only when it must change.
- PDF pages keep their content: /Rotate is moved into the content, then the visible box is
  scaled onto the paper and clipped to it. A page already of the paper size is left alone.
- The signed PDF has one bookmark per part, identical objects merged (fonts and images of a
  kompilasi appended twice are stored once), and is written atomically.

Problems in a file are reported by `check_scan` as issues (never raised); `scan_to_pdf_pages`
and `build_signed_pdf` expect files that passed `check_scan` and raise ScanError otherwise.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import img2pdf
from PIL import Image, UnidentifiedImageError
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    FloatObject,
    NameObject,
    RectangleObject,
)

from pipeline.core.atomic import atomic_path
from pipeline.core.report import Report
from pipeline.scans import active

# --- limits and sizes ------------------------------------------------------------------------

SCAN_EXTENSIONS: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf")
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}
MAX_PIXELS = 80_000_000  # per image (frame): a 40 MP scan passes, a decompression bomb does not
MAX_FRAMES = 300  # pages of one TIFF
MAX_PDF_PAGES = 1000
MAX_SCAN_BYTES = 300 * 1024**2  # a scan file larger than this is not opened at all
PASSTHROUGH_BYTES = 50 * 1024**2  # an image up to this size may be embedded as it is
TARGET_DPI = 200  # images are downscaled to about this resolution at the page size
DOWNSCALE_SLACK = 1.15  # ... when they exceed it by more than 15 %
JPEG_QUALITY = 85
ORIENTATION_TAG = 0x0112

EXIF_TRANSPOSE: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_270,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_90,),
}


class ScanError(Exception):
    """A scan file cannot be converted; `message` is Indonesian and names the file."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def paper_points(paper: str) -> tuple[float, float]:
    """Portrait page size in PDF points (1/72 inch): A4 595.28×841.89, F4 609.45×935.43."""
    w_mm, h_mm = PAPER_MM.get(paper.upper(), PAPER_MM["A4"])
    return w_mm * 72 / 25.4, h_mm * 72 / 25.4


def _accepted_text() -> str:
    return ", ".join(ext.lstrip(".") for ext in SCAN_EXTENSIONS)


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


# --- images -> pages -------------------------------------------------------------------------


def exif_orientation(img: Image.Image) -> int:
    """The EXIF orientation when it is valid (2–8), else 1 (0 and junk values are ignored)."""
    try:
        value = img.getexif().get(ORIENTATION_TAG)
    except Exception:  # noqa: BLE001 - broken EXIF: treat as upright
        return 1
    return value if isinstance(value, int) and 2 <= value <= 8 else 1


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info


def _page_inches(paper: str, landscape: bool) -> tuple[float, float]:
    w_pt, h_pt = paper_points(paper)
    w_in, h_in = w_pt / 72, h_pt / 72
    return (h_in, w_in) if landscape else (w_in, h_in)


def _fit_scale(width: int, height: int, paper: str) -> float:
    """Scale that makes an upright image of width×height about TARGET_DPI on its page."""
    page_w, page_h = _page_inches(paper, width > height)
    return min(page_w * TARGET_DPI / width, page_h * TARGET_DPI / height)


def _encode(img: Image.Image) -> bytes:
    """Bilevel pages as PNG (small and sharp), everything else as JPEG.

    Lossless PNG of a noisy colour scan is ~4 MB a page and slow to write, so a lossless
    source that has to change (rotation, transparency) is re-encoded as JPEG too.
    """
    out = io.BytesIO()
    if img.mode == "1":
        img.save(out, format="PNG", compress_level=6)
    else:
        if img.mode not in ("L", "RGB"):
            img = img.convert("RGB")
        img.save(out, format="JPEG", quality=JPEG_QUALITY, dpi=(TARGET_DPI, TARGET_DPI))
    return out.getvalue()


def flatten_alpha(img: Image.Image) -> Image.Image:
    if _has_alpha(img):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode not in ("1", "L", "RGB"):
        return img.convert("RGB")
    return img


def prepare_image(img: Image.Image, paper: str, original: bytes | None) -> bytes:
    """One frame of an opened image as bytes img2pdf embeds: upright, opaque, sensible size.

    `original` is the file's bytes when the frame may be embedded unchanged (single-frame
    JPEG/PNG); it is used only when no rotation, flattening or downscaling is needed.
    """
    orientation = exif_orientation(img)
    width, height = img.size
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    scale = _fit_scale(width, height, paper)
    downscale = scale * DOWNSCALE_SLACK < 1
    fmt = img.format
    passthrough_modes = {"JPEG": ("L", "RGB", "CMYK"), "PNG": ("1", "L", "RGB", "P")}
    if (
        original is not None
        and not downscale
        and orientation == 1
        and not _has_alpha(img)
        and img.mode in passthrough_modes.get(fmt or "", ())
    ):
        return original
    if downscale and fmt in ("JPEG", "MPO"):
        # Decode at 1/2, 1/4 or 1/8 directly: a 40 MP JPEG then costs a fraction of the time.
        want = (math.ceil(img.size[0] * scale), math.ceil(img.size[1] * scale))
        img.draft("RGB" if img.mode != "L" else "L", want)
    frame: Image.Image = img.convert() if img.mode == "P" else img.copy()
    for method in EXIF_TRANSPOSE.get(orientation, ()):
        frame = frame.transpose(method)
    frame = flatten_alpha(frame)
    if downscale:
        bilevel = frame.mode == "1"
        if bilevel:
            frame = frame.convert("L")
        scale = _fit_scale(frame.width, frame.height, paper)
        target = (max(1, round(frame.width * scale)), max(1, round(frame.height * scale)))
        if scale < 1:
            frame = frame.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        if bilevel:  # a black-and-white scan stays black and white: a fraction of the size
            frame = frame.point(lambda v: 255 if v >= 160 else 0).convert(
                "1", dither=Image.Dither.NONE
            )
    return _encode(frame)


def page_count(img: Image.Image) -> int:
    """Pages of an opened image: every frame of a TIFF; only the first of anything else
    (a phone's MPO JPEG carries a second, preview frame; a GIF may be animated)."""
    if img.format != "TIFF":
        return 1
    return int(getattr(img, "n_frames", 1) or 1)


def _layout(paper: str) -> Callable[[int, int, tuple[float, float]], tuple[float, ...]]:
    """img2pdf layout: a page of `paper` in the image's orientation, image fitted and centred."""

    def layout(width_px: int, height_px: int, ndpi: tuple[float, float]) -> tuple[float, ...]:
        dpi_x = ndpi[0] or 96
        dpi_y = ndpi[1] or 96
        width, height = width_px / dpi_x, height_px / dpi_y
        page_w, page_h = paper_points(paper)
        if width > height:
            page_w, page_h = page_h, page_w
        scale = min(page_w / width, page_h / height)
        return page_w, page_h, width * scale, height * scale

    return layout


def image_to_pdf(path: Path, paper: str = "A4") -> bytes:
    """A PDF with one page of `paper` per frame of the image file `path`."""
    try:
        # the file's own bytes are kept only when small enough to embed unchanged
        original = path.read_bytes() if path.stat().st_size <= PASSTHROUGH_BYTES else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(original) if original else path) as img:
                frames = page_count(img)
                streams = []
                for index in range(frames):
                    if index:
                        img.seek(index)
                    if img.size[0] * img.size[1] > MAX_PIXELS:
                        raise ScanError("gambar-terlalu-besar", "gambar terlalu besar")
                    once = original if frames == 1 else None
                    streams.append(prepare_image(img, paper, once))
        result = img2pdf.convert(streams, layout_fun=_layout(paper), rotation=img2pdf.Rotation.none)
    except ScanError as exc:
        raise ScanError(exc.code, f"Pindaian '{path.name}': {exc.message}") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as exc:
        message = f"Pindaian '{path.name}': gambar terlalu besar"
        raise ScanError("gambar-terlalu-besar", message) from exc
    except Exception as exc:  # noqa: BLE001 - reported as a ScanError naming the file
        raise ScanError(
            "gambar-rusak", f"Pindaian '{path.name}': gambar tidak dapat diolah"
        ) from exc
    assert isinstance(result, bytes)
    return result


# --- PDF pages -> pages ----------------------------------------------------------------------


def _num(value: float) -> bytes:
    return f"{value:.4f}".rstrip("0").rstrip(".").encode() or b"0"


def fit_page(page: PageObject, paper: str) -> None:
    """Scale one PDF page (in a writer) onto `paper`, in the page's own orientation."""
    if page.rotation % 360:
        page.transfer_rotation_to_content()
    box = page.cropbox
    left, bottom = float(min(box.left, box.right)), float(min(box.bottom, box.top))
    width, height = float(abs(box.width)), float(abs(box.height))
    page_w, page_h = paper_points(paper)
    if width > height:
        page_w, page_h = page_h, page_w
    media = page.mediabox
    already = (
        abs(width - page_w) < 0.5
        and abs(height - page_h) < 0.5
        and abs(left) < 0.5
        and abs(bottom) < 0.5
        and abs(float(media.width) - width) < 0.5
        and abs(float(media.height) - height) < 0.5
    )
    if not already:
        scale = min(page_w / width, page_h / height)
        dx = (page_w - width * scale) / 2 - left * scale
        dy = (page_h - height * scale) / 2 - bottom * scale
        contents = page.get_contents()
        body = contents.get_data() if contents is not None else b""
        head = b" ".join(
            [b"q", _num(scale), b"0 0", _num(scale), _num(dx), _num(dy), b"cm"]
            + [_num(left), _num(bottom), _num(width), _num(height), b"re W n\n"]
        )
        stream = DecodedStreamObject()
        stream.set_data(head + body + b"\nQ\n")
        page.replace_contents(stream)  # type: ignore[arg-type]
        page.compress_content_streams()
        for annot_ref in page.get("/Annots", None) or []:
            annot = annot_ref.get_object()
            rect = annot.get("/Rect")
            if rect is not None and len(rect) == 4:
                x0, y0, x1, y1 = (float(v) for v in rect)
                annot[NameObject("/Rect")] = ArrayObject(
                    FloatObject(v)
                    for v in (x0 * scale + dx, y0 * scale + dy, x1 * scale + dx, y1 * scale + dy)
                )
    paper_box = RectangleObject((0, 0, page_w, page_h))
    page.mediabox = paper_box
    page.cropbox = paper_box
    for extra in ("/TrimBox", "/BleedBox", "/ArtBox"):
        if extra in page:
            del page[NameObject(extra)]


def _add_pdf(writer: PdfWriter, path: Path, paper: str) -> None:
    try:
        with warnings.catch_warnings(), open(path, "rb") as fh:
            warnings.simplefilter("ignore")
            reader = _open_pdf(fh)
            start = len(writer.pages)
            # append (not add_page): links between pages are remapped, not cloned whole
            writer.append(reader, import_outline=False)
            for page in writer.pages[start:]:
                fit_page(page, paper)
    except ScanError as exc:
        raise ScanError(exc.code, f"Pindaian '{path.name}': {exc.message}") from exc
    except Exception as exc:  # noqa: BLE001 - reported as a ScanError naming the file
        raise ScanError("pdf-rusak", f"Pindaian '{path.name}': PDF tidak dapat diolah") from exc


def scan_to_pdf_pages(paths: Sequence[Path], paper: str = "A4") -> bytes:
    """One PDF of `paper` pages from the scan files of one document, in the given order."""
    writer = PdfWriter()
    for path in paths:
        if path.suffix.lower() == ".pdf" or _looks_like_pdf(path):
            _add_pdf(writer, path, paper)
        else:
            writer.append(PdfReader(io.BytesIO(image_to_pdf(path, paper))))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- the signed PDF --------------------------------------------------------------------------


def build_signed_pdf(parts: Sequence[tuple[str, Sequence[Path]]], out: Path, paper: str) -> Path:
    """Merge the parts (bookmark title, files) into one PDF at `out`, one bookmark per part.

    Parts without files are left out. Raises ScanError for a file that cannot be converted
    (check it with check_scan first) and ValueError when no part has a file.
    """
    writer = PdfWriter()
    for title, files in parts:
        if not files:
            continue
        data = scan_to_pdf_pages(list(files), paper)
        writer.append(PdfReader(io.BytesIO(data)), outline_item=title)
    if not writer.pages:
        raise ValueError("tidak ada bagian berisi berkas untuk PDF bertanda tangan")
    active.strip(writer.root_object)  # no JavaScript, actions or embedded files, ever
    active.drop_unreachable(writer)
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    writer.add_metadata({"/Title": out.stem, "/Producer": "musrenbang-pipeline"})
    writer.page_mode = "/UseOutlines"
    with atomic_path(out) as tmp, open(tmp, "wb") as fh:
        writer.write(fh)
    return out


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
