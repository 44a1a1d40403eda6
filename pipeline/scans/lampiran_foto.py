"""The Lampiran Foto PDF (SOP step 20): the desa's photos, EXIF-rotated and downscaled, with
their captions, 4 or 6 a page, written atomically."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Sequence
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw

from pipeline.core.atomic import write_bytes
from pipeline.scans.fonts import load_font
from pipeline.scans.limits import EXIF_TRANSPOSE, MAX_PIXELS, paper_points
from pipeline.scans.pages import exif_orientation, flatten_alpha

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
