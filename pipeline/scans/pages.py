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

import io
import math
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import img2pdf
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    FloatObject,
    NameObject,
    RectangleObject,
)

from pipeline.core.atomic import atomic_path
from pipeline.scans import active
from pipeline.scans.check import _looks_like_pdf, _open_pdf
from pipeline.scans.limits import (
    DOWNSCALE_SLACK,
    EXIF_TRANSPOSE,
    JPEG_QUALITY,
    MAX_PIXELS,
    ORIENTATION_TAG,
    PASSTHROUGH_BYTES,
    TARGET_DPI,
    ScanError,
    paper_points,
)

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
