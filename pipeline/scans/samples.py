"""Realistic sample "scanned" signed pages and photos, made with Pillow, for tests and the demo.

A sample scan looks like what arrives from a desa: a page of off-white paper with a kop, the
title, a table with lines and names, signature squiggles in blue ink, a slight skew and some
sensor noise; saved as a phone photo (JPEG with an EXIF orientation), a PNG (optionally with
a transparent border), a TIFF or a scanner-made PDF (one image per page). Also: a text PDF
with an embedded TrueType font (like a kompilasi made by LibreOffice), a password-protected
PDF and a genuine decompression-bomb PNG that is tiny on disk.
"""

from __future__ import annotations

import io
import math
import random
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from pipeline.scans.fonts import font_path, load_font
from pipeline.scans.limits import ORIENTATION_TAG, paper_points

PAPER = (245, 243, 236)
INK = (35, 35, 40)
BLUE_INK = (30, 45, 130)

# Inverse of the EXIF transposition: what a camera stores so that a viewer applying the
# orientation shows the page upright.
_STORE_AS: dict[int, tuple[Image.Transpose, ...]] = {
    2: (Image.Transpose.FLIP_LEFT_RIGHT,),
    3: (Image.Transpose.ROTATE_180,),
    4: (Image.Transpose.FLIP_TOP_BOTTOM,),
    5: (Image.Transpose.TRANSPOSE,),
    6: (Image.Transpose.ROTATE_90,),
    7: (Image.Transpose.TRANSVERSE,),
    8: (Image.Transpose.ROTATE_270,),
}

_NAMES = [
    "Ahmad Syahputra",
    "Siti Aminah",
    "Budi Santoso",
    "Nurhayati",
    "Rudi Hartono",
    "Dewi Lestari",
    "Suparman",
    "Rahmawati",
    "Joko Susilo",
    "Fitriani",
    "Hendra Ginting",
    "Marlina Br Sembiring",
]


def _signature(draw: ImageDraw.ImageDraw, x: float, y: float, w: float, rng: random.Random) -> None:
    """A squiggle that looks like a handwritten signature."""
    points = []
    a1, a2 = rng.uniform(0.2, 0.5), rng.uniform(0.1, 0.3)
    f1, f2 = rng.uniform(2, 5), rng.uniform(6, 11)
    steps = 60
    for i in range(steps + 1):
        t = i / steps
        px = x + w * t + math.sin(t * math.pi * f2) * w * 0.04
        py = (
            y
            + math.sin(t * math.pi * f1) * w * a1 * 0.3
            + math.cos(t * math.pi * f2) * w * a2 * 0.2
        )
        points.append((px, py))
    draw.line(points, fill=BLUE_INK, width=max(2, int(w / 60)), joint="curve")
    draw.line([(x + w * 0.1, y + w * 0.12), (x + w * 0.9, y + w * 0.05)], fill=BLUE_INK, width=2)


def render_page(
    title: str,
    *,
    size: tuple[int, int] = (1240, 1754),
    seed: int = 0,
    subtitle: str = "",
    rows: int = 12,
    skew_degrees: float | None = None,
    noise: bool = True,
) -> Image.Image:
    """An upright RGB image of a signed page, as a scanner or phone camera sees it."""
    rng = random.Random(seed)
    width, height = size
    unit = width / 1240
    page = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(page)
    margin = int(90 * unit)
    kop = load_font(max(8, int(26 * unit)), bold=True)
    big = load_font(max(8, int(34 * unit)), bold=True)
    text = load_font(max(8, int(22 * unit)))
    y = margin
    draw.text((width / 2, y), "PEMERINTAH KABUPATEN LANGKAT", fill=INK, font=kop, anchor="ma")
    y += int(40 * unit)
    draw.text((width / 2, y), subtitle or "KECAMATAN BAHOROK", fill=INK, font=kop, anchor="ma")
    y += int(50 * unit)
    draw.line([(margin, y), (width - margin, y)], fill=INK, width=max(1, int(4 * unit)))
    y += int(50 * unit)
    draw.text((width / 2, y), title.upper(), fill=INK, font=big, anchor="ma")
    y += int(80 * unit)
    # table
    cols = [margin, margin + int(70 * unit), margin + int(520 * unit), margin + int(800 * unit)]
    right = width - margin
    row_h = int(min(60 * unit, (height - y - 420 * unit) / max(1, rows + 1)))
    for label, x in zip(["No", "Nama", "Unsur", "Tanda Tangan"], cols, strict=True):
        draw.text((x + 10 * unit, y + row_h / 4), label, fill=INK, font=text)
    for r in range(rows + 2):
        draw.line([(margin, y + r * row_h), (right, y + r * row_h)], fill=INK, width=2)
    for x in [*cols, right]:
        draw.line([(x, y), (x, y + (rows + 1) * row_h)], fill=INK, width=2)
    for r in range(rows):
        top = y + (r + 1) * row_h
        draw.text((cols[0] + 15 * unit, top + row_h / 4), str(r + 1), fill=INK, font=text)
        draw.text(
            (cols[1] + 10 * unit, top + row_h / 4), _NAMES[r % len(_NAMES)], fill=INK, font=text
        )
        draw.text((cols[2] + 10 * unit, top + row_h / 4), "Masyarakat", fill=INK, font=text)
        _signature(draw, cols[3] + 20 * unit, top + row_h / 2, 150 * unit, rng)
    y += (rows + 1) * row_h + int(60 * unit)
    # signature blocks
    for i, role in enumerate(["Pimpinan Rapat", "Kepala Desa"]):
        bx = margin + i * (width - 2 * margin) / 2 + int(40 * unit)
        draw.text((bx, y), role, fill=INK, font=text)
        _signature(draw, bx, y + 90 * unit, 220 * unit, rng)
        draw.text((bx, y + 170 * unit), _NAMES[(i * 5 + seed) % len(_NAMES)], fill=INK, font=text)
    # a stamp
    cx, cy, rad = width * 0.62, y + 90 * unit, 70 * unit
    draw.ellipse([cx - rad, cy - rad, cx + rad, cy + rad], outline=(120, 60, 150), width=4)
    angle = rng.uniform(-1.5, 1.5) if skew_degrees is None else skew_degrees
    if angle:
        page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=PAPER)
    if noise:
        grain = Image.effect_noise(size, 18).convert("RGB")
        page = Image.blend(page, grain, 0.05)
    return page


def _store_oriented(img: Image.Image, orientation: int | None) -> Image.Image:
    return img if orientation is None else _transposed(img, _STORE_AS.get(orientation, ()))


def _transposed(img: Image.Image, methods: tuple[Image.Transpose, ...]) -> Image.Image:
    for method in methods:
        img = img.transpose(method)
    return img


def save_image(
    img: Image.Image,
    path: Path,
    *,
    exif_orientation: int | None = None,
    dpi: int = 150,
    quality: int = 80,
) -> Path:
    """Save an upright image as a camera would: pixels stored turned, EXIF says how to turn."""
    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".tif": "TIFF", ".tiff": "TIFF"}[
        path.suffix.lower()
    ]
    stored = _store_oriented(img, exif_orientation)
    kwargs: dict[str, object] = {"dpi": (dpi, dpi)}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[ORIENTATION_TAG] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    if fmt == "JPEG":
        kwargs["quality"] = quality
        stored = stored.convert("RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    stored.save(path, format=fmt, **kwargs)
    return path


def make_scan(
    path: Path,
    title: str,
    *,
    fmt: str | None = None,
    exif_orientation: int | None = None,
    pages: int = 1,
    size: tuple[int, int] = (1240, 1754),
    dpi: int = 150,
    seed: int = 0,
    alpha: bool = False,
    quality: int = 80,
    noise: bool = True,
    subtitle: str = "",
) -> Path:
    """A sample scan of a signed document at `path`; `subtitle`: the kop's region line. fmt
    is "jpg", "png", "tif" or "pdf" (default: from the suffix). `size` is the upright page in
    pixels (landscape size for a landscape page). pages > 1 makes a multi-page PDF or TIFF.
    `alpha` makes a PNG whose border (outside the skewed page) is transparent."""
    kind = (fmt or path.suffix.lstrip(".")).lower()
    kind = {"jpeg": "jpg", "tiff": "tif"}.get(kind, kind)
    images = [
        render_page(
            title if pages == 1 else f"{title} (hal. {n + 1})",
            size=size,
            seed=seed + n,
            noise=noise,
            subtitle=subtitle,
        )
        for n in range(pages)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pdf":
        first, *rest = images
        first.save(
            path,
            format="PDF",
            resolution=float(dpi),
            save_all=True,
            append_images=rest,
            quality=quality,
        )
        return path
    if kind == "tif":
        stored = [_store_oriented(img, exif_orientation) for img in images]
        first, *rest = stored
        first.save(
            path,
            format="TIFF",
            save_all=True,
            append_images=rest,
            dpi=(dpi, dpi),
            compression="tiff_lzw",
        )
        return path
    if kind == "png" and alpha:
        rgba = images[0].convert("RGBA")
        turned = rgba.rotate(4, expand=True, fillcolor=(0, 0, 0, 0))
        return save_image(turned, path, exif_orientation=exif_orientation, dpi=dpi)
    if kind in ("jpg", "png"):
        return save_image(
            images[0], path, exif_orientation=exif_orientation, dpi=dpi, quality=quality
        )
    raise ValueError(f"unknown sample format {kind!r}")


def make_photo(
    path: Path,
    label: str,
    *,
    size: tuple[int, int] = (1600, 1200),
    exif_orientation: int | None = None,
    seed: int = 0,
    quality: int = 85,
) -> Path:
    """A documentation photo of a meeting: a hall, a banner with `label`, people."""
    rng = random.Random(seed)
    width, height = size
    img = Image.new("RGB", size, (200, 190, 170))
    draw = ImageDraw.Draw(img)
    for band in range(0, height, 4):
        shade = int(170 + 60 * band / height)
        draw.rectangle([0, band, width, band + 4], fill=(shade, shade - 15, shade - 40))
    draw.rectangle([width * 0.1, height * 0.08, width * 0.9, height * 0.28], fill=(160, 20, 30))
    font = load_font(max(8, int(min(width * 0.75, height) * 0.06)), bold=True)
    draw.text((width / 2, height * 0.18), label.upper(), fill="white", font=font, anchor="mm")
    for _ in range(14):
        x = rng.uniform(0, width)
        y = rng.uniform(height * 0.45, height * 0.8)
        r = rng.uniform(height * 0.04, height * 0.07)
        shirt = (rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220))
        draw.rectangle([x - r * 1.3, y + r, x + r * 1.3, y + r * 5], fill=shirt)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(150, 105, 75))
    grain = Image.effect_noise(size, 25).convert("RGB")
    img = Image.blend(img, grain, 0.06)
    return save_image(img, path, exif_orientation=exif_orientation, dpi=72, quality=quality)


# --- PDFs ------------------------------------------------------------------------------------


def _pdf_text(value: str) -> bytes:
    safe = value.encode("cp1252", "replace")
    return b"(" + safe.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_text_pdf(
    path: Path,
    title: str,
    lines: list[str] | None = None,
    *,
    pages: int = 1,
    paper: str = "A4",
    landscape: bool = False,
    page_size: tuple[float, float] | None = None,
) -> Path:
    """A text PDF with an embedded TrueType font, like a kompilasi printed by LibreOffice.

    `page_size` (points) overrides paper/landscape, e.g. (612, 792) for US Letter.
    """
    width, height = page_size or paper_points(paper)
    if landscape and page_size is None:
        width, height = height, width
    writer = PdfWriter()
    font_file = font_path(False)
    if font_file is not None:
        data = Path(font_file).read_bytes() if Path(font_file).exists() else b""
    else:
        data = b""
    if data:
        measure = load_font(1000)
        widths = ArrayObject(NumberObject(round(measure.getlength(chr(c)))) for c in range(32, 127))
        stream = DecodedStreamObject()
        stream.set_data(data)
        stream[NameObject("/Length1")] = NumberObject(len(data))
        font_stream = writer._add_object(stream.flate_encode())
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): NameObject("/SampleSans"),
                NameObject("/Flags"): NumberObject(32),
                NameObject("/FontBBox"): ArrayObject(
                    [
                        NumberObject(-1021),
                        NumberObject(-463),
                        NumberObject(1793),
                        NumberObject(1232),
                    ]
                ),
                NameObject("/ItalicAngle"): NumberObject(0),
                NameObject("/Ascent"): NumberObject(928),
                NameObject("/Descent"): NumberObject(-236),
                NameObject("/CapHeight"): NumberObject(729),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile2"): font_stream,
            }
        )
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/TrueType"),
                NameObject("/BaseFont"): NameObject("/SampleSans"),
                NameObject("/FirstChar"): NumberObject(32),
                NameObject("/LastChar"): NumberObject(126),
                NameObject("/Widths"): widths,
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                NameObject("/FontDescriptor"): writer._add_object(descriptor),
            }
        )
    else:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    font_ref = writer._add_object(font)
    body = lines or [f"{n}. Usulan kegiatan contoh nomor {n}" for n in range(1, 31)]
    for number in range(pages):
        page = writer.add_blank_page(width, height)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
        ops = [b"BT /F1 16 Tf", b"%s %s Td" % (_num(56), _num(height - 70))]
        ops.append(_pdf_text(f"{title} - halaman {number + 1}") + b" Tj")
        ops.append(b"/F1 10 Tf 0 -30 Td 14 TL")
        for line in body:
            ops.append(_pdf_text(line) + b" '")
        ops.append(b"ET")
        ops.append(b"0.5 w 50 40 m %s 40 l S" % _num(width - 50))
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(ops))
        page.replace_contents(stream)  # type: ignore[arg-type]
        page.compress_content_streams()
    writer.add_metadata({"/Title": title})
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _num(value: float) -> bytes:
    return f"{value:.2f}".encode()


def make_image_pdf(path: Path, image: Image.Image, page_size_pt: tuple[float, float]) -> Path:
    """A one-page scanner-style PDF of `image` on a page of `page_size_pt` (e.g. Letter)."""
    dpi = image.width / (page_size_pt[0] / 72)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").save(path, format="PDF", resolution=dpi)
    return path


def make_encrypted_pdf(source: Path, path: Path, password: str = "rahasia") -> Path:
    """A copy of `source` that needs `password` to open."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(
        user_password=password, owner_password=password + "-pemilik", algorithm="AES-128"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_bomb_png(path: Path, side: int = 20_000) -> Path:
    """A valid 1-bit PNG of side×side pixels (400 MP by default) that is tiny on disk."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    chunks = []
    block = row * 256
    for _ in range(side // 256):
        chunks.append(compressor.compress(block))
    chunks.append(compressor.compress(row * (side % 256)))
    chunks.append(compressor.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", b"".join(chunks))
        + _png_chunk(b"IEND", b"")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- the demo's set --------------------------------------------------------------------------


def write_demo_scans(desa_folder: Path, nama_desa: str, tahun: int, seed: int = 0) -> list[Path]:
    """Signed scans and photos as a desa operator would drop them into its inbox folder.

    pindaian/berita-acara/: two phone photos (EXIF orientation 6, like a phone held upright);
    pindaian/daftar-hadir/: a two-page scanner PDF; dokumen/foto/: five meeting photos
    (one with orientation 8, one with the invalid orientation 0).
    """
    written = []
    ba = desa_folder / "pindaian" / "berita-acara"
    for page in (1, 2):
        img = render_page(
            f"Berita Acara Musrenbang Desa {nama_desa} {tahun}",
            seed=seed + page,
            subtitle=f"DESA {nama_desa.upper()}",
            rows=6 if page == 1 else 10,
        )
        written.append(save_image(img, ba / f"berita-acara-hal-{page}.jpg", exif_orientation=6))
    written.append(
        make_scan(
            desa_folder / "pindaian" / "daftar-hadir" / "daftar-hadir.pdf",
            f"Daftar Hadir Musrenbang Desa {nama_desa} {tahun}",
            pages=2,
            seed=seed + 10,
        )
    )
    foto = desa_folder / "dokumen" / "foto"
    orientations = [None, 8, None, 0, None]
    for n, orientation in enumerate(orientations, start=1):
        # orientation 8: an upright portrait photo, stored landscape as the sensor saw it
        size = (1200, 1600) if orientation == 8 else (1600, 1200)
        written.append(
            make_photo(
                foto / f"IMG_{tahun}{n:04d}.jpg",
                f"Musrenbang Desa {nama_desa} {tahun}",
                size=size,
                exif_orientation=orientation,
                seed=seed + n,
            )
        )
    return written


def jpeg_bytes(img: Image.Image, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    img.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


__all__ = [
    "jpeg_bytes",
    "make_bomb_png",
    "make_encrypted_pdf",
    "make_image_pdf",
    "make_photo",
    "make_scan",
    "make_text_pdf",
    "render_page",
    "save_image",
    "write_demo_scans",
]
