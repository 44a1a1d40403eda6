"""Signed scans: real images and PDFs made with Pillow/pypdf, converted and merged for real.

How geometry is checked: `placed_images(page)` walks the page's content stream, keeps the
graphics state (q/Q/cm) and records, at every image `Do`, the image's bounding box on the page
(the unit square through the current matrix). So "rotated to portrait" means the embedded
image is taller than wide *and* is drawn taller than wide, on a portrait page; and a coloured
marker drawn in the upright page's top-left corner must come out in the top-left corner.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import struct
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream, Destination, NameObject, NumberObject

from pipeline.scans import delivery as scan_delivery
from pipeline.scans import limits as scan_limits
from pipeline.scans.check import check_scan
from pipeline.scans.delivery import latest_scan_set
from pipeline.scans.limits import ScanError
from pipeline.scans.pages import build_signed_pdf, scan_to_pdf_pages
from pipeline.scans.samples import (
    make_bomb_png,
    make_encrypted_pdf,
    make_image_pdf,
    make_scan,
    make_text_pdf,
    render_page,
    save_image,
)

A4 = (595.28, 841.89)
F4 = (609.45, 935.43)
LETTER = (612.0, 792.0)
RED = (220, 20, 20)


# --- helpers ---------------------------------------------------------------------------------


def _mul(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def placed_images(page: PageObject) -> list[tuple[str, float, float, float, float]]:
    """(name, x0, y0, x1, y1) of every image XObject drawn on the page, in page points."""
    reader_pdf = page.pdf
    content = ContentStream(page.get_contents(), reader_pdf)
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    found = []
    for operands, op in content.operations:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop()
        elif op == b"cm":
            ctm = _mul([float(v) for v in operands], ctm)
        elif op == b"Do":
            corners = [(0, 0), (1, 0), (0, 1), (1, 1)]
            xs = [ctm[0] * x + ctm[2] * y + ctm[4] for x, y in corners]
            ys = [ctm[1] * x + ctm[3] * y + ctm[5] for x, y in corners]
            found.append((str(operands[0]), min(xs), min(ys), max(xs), max(ys)))
    return found


def page_size(page: PageObject) -> tuple[float, float]:
    return float(page.mediabox.width), float(page.mediabox.height)


def assert_size(page: PageObject, expected: tuple[float, float]) -> None:
    width, height = page_size(page)
    assert abs(width - expected[0]) <= 1 and abs(height - expected[1]) <= 1, (width, height)
    assert not page.rotation


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def marked_page(size: tuple[int, int]) -> Image.Image:
    """An upright page with a red block in its top-left corner and a blue one bottom-right."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.rectangle([0, 0, w // 5, h // 5], fill=RED)
    draw.rectangle([w - w // 5, h - h // 5, w, h], fill=(20, 20, 220))
    draw.line([(w // 4, h // 2), (3 * w // 4, h // 2)], fill="black", width=3)
    return img


def is_red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 80 and b < 80


def embedded_image(page: PageObject) -> Image.Image:
    images = list(page.images)
    assert len(images) == 1
    image = images[0].image
    assert image is not None
    return image


# --- images ----------------------------------------------------------------------------------


@pytest.mark.parametrize("orientation", [6, 8])
def test_exif_rotation_turns_a_landscape_stored_photo_into_a_portrait_page(
    tmp_path: Path, orientation: int
) -> None:
    # A 300x400 portrait page stored as a 400x300 landscape photo, EXIF saying how to turn it.
    path = save_image(marked_page((300, 400)), tmp_path / "foto.jpg", exif_orientation=orientation)
    assert Image.open(path).size == (400, 300)
    assert check_scan(path, "foto.jpg").ok
    pdf = read(scan_to_pdf_pages([path]))
    (page,) = pdf.pages
    assert_size(page, A4)  # portrait page: the EXIF turn is applied
    (placed,) = placed_images(page)
    _, x0, y0, x1, y1 = placed
    assert (x1 - x0) < (y1 - y0)  # drawn portrait
    assert abs((y1 - y0) / (x1 - x0) - 400 / 300) < 0.02
    image = embedded_image(page)
    assert image.size == (300, 400)
    assert is_red(image.getpixel((10, 10)))  # the top-left marker is top-left again
    assert not is_red(image.getpixel((290, 10)))
    assert not is_red(image.getpixel((10, 390)))


def test_invalid_orientation_zero_is_ignored(tmp_path: Path) -> None:
    path = save_image(marked_page((300, 400)), tmp_path / "hp.jpg", exif_orientation=0)
    assert Image.open(path).getexif()[scan_limits.ORIENTATION_TAG] == 0
    assert check_scan(path, "hp.jpg").ok
    (page,) = read(scan_to_pdf_pages([path])).pages
    assert_size(page, A4)
    image = embedded_image(page)
    assert image.size == (300, 400)
    assert is_red(image.getpixel((10, 10)))


def test_upright_jpeg_is_embedded_unchanged(tmp_path: Path) -> None:
    path = make_scan(tmp_path / "ba.jpg", "Berita Acara", size=(1240, 1754), noise=False)
    (page,) = read(scan_to_pdf_pages([path])).pages
    ((name, *_),) = placed_images(page)
    xobject = page["/Resources"]["/XObject"][name].get_object()
    assert xobject["/Filter"] == "/DCTDecode"
    assert xobject.get_data() == path.read_bytes()  # not re-encoded: no generation loss


def test_png_with_transparency_is_flattened_on_white(tmp_path: Path) -> None:
    path = make_scan(tmp_path / "scan.png", "Daftar Hadir", alpha=True, size=(620, 877))
    with Image.open(path) as src:
        assert src.mode == "RGBA" and src.getpixel((0, 0))[3] == 0
    assert check_scan(path, "scan.png").ok
    (page,) = read(scan_to_pdf_pages([path])).pages
    assert_size(page, A4)
    image = embedded_image(page).convert("RGB")
    assert "/SMask" not in page["/Resources"]["/XObject"][placed_images(page)[0][0]]
    assert min(image.getpixel((0, 0))) > 240  # transparent corner became white, not black


def test_small_72_dpi_photo_fills_an_a4_page_not_a_poster(tmp_path: Path) -> None:
    path = save_image(marked_page((480, 640)), tmp_path / "kecil.jpg", dpi=72)
    (page,) = read(scan_to_pdf_pages([path])).pages
    assert_size(page, A4)
    (_, x0, y0, x1, y1) = placed_images(page)[0]
    assert x0 >= -0.5 and y0 >= -0.5 and x1 <= A4[0] + 0.5 and y1 <= A4[1] + 0.5
    assert x1 - x0 == pytest.approx(A4[0], abs=1)  # fitted to the page width, centred
    assert (y0 + y1) / 2 == pytest.approx(A4[1] / 2, abs=1)


def test_landscape_image_gets_a_landscape_page(tmp_path: Path) -> None:
    path = save_image(marked_page((640, 480)), tmp_path / "lebar.png", dpi=72)
    (page,) = read(scan_to_pdf_pages([path])).pages
    assert_size(page, (A4[1], A4[0]))
    (_, x0, y0, x1, y1) = placed_images(page)[0]
    assert (x1 - x0) > (y1 - y0)
    assert y1 - y0 == pytest.approx(A4[0], abs=1)


def test_f4_paper(tmp_path: Path) -> None:
    image = save_image(marked_page((300, 400)), tmp_path / "a.jpg", exif_orientation=6)
    pdf = make_text_pdf(tmp_path / "k.pdf", "Kompilasi", pages=2)
    pages = read(scan_to_pdf_pages([image, pdf], paper="F4")).pages
    assert len(pages) == 3
    for page in pages:
        assert_size(page, F4)


def test_forty_megapixel_scan_is_downscaled(tmp_path: Path) -> None:
    # A 5480x7300 (40 MP) 600-dpi scan: rendered small, then enlarged (fast to make).
    big = render_page("Daftar Hadir", size=(1370, 1825), skew_degrees=0)
    big = big.resize((5480, 7300), Image.Resampling.BILINEAR)
    path = save_image(big, tmp_path / "scan-600dpi.jpg", dpi=600, quality=90)
    assert check_scan(path, "scan-600dpi.jpg").ok  # 40 MP is a real scan, not a bomb
    start = time.perf_counter()
    data = scan_to_pdf_pages([path])
    elapsed = time.perf_counter() - start
    (page,) = read(data).pages
    assert_size(page, A4)
    width, height = embedded_image(page).size
    assert width <= 1660 and height <= 2345  # about 200 dpi on A4
    assert height >= 2000  # ... not needlessly small
    assert len(data) < path.stat().st_size / 3
    assert elapsed < 10  # JPEG draft decoding: well under a second on an idle PC


def test_multi_page_tiff(tmp_path: Path) -> None:
    path = make_scan(tmp_path / "dh.tif", "Daftar Hadir", pages=3, size=(620, 877))
    assert check_scan(path, "dh.tif").ok
    pages = read(scan_to_pdf_pages([path])).pages
    assert len(pages) == 3
    for page in pages:
        assert_size(page, A4)


# --- PDFs ------------------------------------------------------------------------------------


def test_multi_page_pdfs_are_scaled_onto_a4(tmp_path: Path) -> None:
    letter = make_text_pdf(tmp_path / "letter.pdf", "Surat Letter", pages=3, page_size=LETTER)
    landscape = make_text_pdf(tmp_path / "lebar.pdf", "Tabel Lebar", pages=2, landscape=True)
    scanned = make_image_pdf(
        tmp_path / "pemindai.pdf", render_page("Berita Acara", size=(850, 1100)), LETTER
    )
    rotated_src = make_text_pdf(tmp_path / "putar.pdf", "Diputar", pages=1)
    writer = PdfWriter(clone_from=PdfReader(rotated_src))
    writer.pages[0][NameObject("/Rotate")] = NumberObject(90)  # shown landscape
    rotated = tmp_path / "putar90.pdf"
    writer.write(rotated)

    files = [letter, landscape, scanned, rotated]
    for f in files:
        assert check_scan(f, f.name).ok, f
    pages = read(scan_to_pdf_pages(files)).pages
    assert len(pages) == 3 + 2 + 1 + 1  # every page kept, in order
    for page in pages[:3]:
        assert_size(page, A4)
        assert "Surat Letter" in page.extract_text()
    for page in pages[3:5]:
        assert_size(page, (A4[1], A4[0]))  # landscape input -> landscape A4
        assert "Tabel Lebar" in page.extract_text()
    assert_size(pages[5], A4)
    (_, x0, y0, x1, y1) = placed_images(pages[5])[0]
    scale = min(A4[0] / LETTER[0], A4[1] / LETTER[1])
    assert x1 - x0 == pytest.approx(LETTER[0] * scale, abs=1)
    assert y1 - y0 == pytest.approx(LETTER[1] * scale, abs=1)
    assert x0 >= -0.5 and x1 <= A4[0] + 0.5 and y0 >= -0.5 and y1 <= A4[1] + 0.5
    assert_size(pages[6], (A4[1], A4[0]))  # /Rotate 90 moved into the content
    assert "Diputar" in pages[6].extract_text()


def test_letter_page_content_is_scaled_not_cropped(tmp_path: Path) -> None:
    # The Letter scan's image must lie fully inside the A4 page after scaling.
    scanned = make_image_pdf(tmp_path / "l.pdf", marked_page((850, 1100)), LETTER)
    (page,) = read(scan_to_pdf_pages([scanned])).pages
    (_, x0, y0, x1, y1) = placed_images(page)[0]
    assert -0.05 <= x0 < x1 <= A4[0] + 0.05 and -0.05 <= y0 < y1 <= A4[1] + 0.05


def test_several_files_for_one_document_in_order(tmp_path: Path) -> None:
    hal1 = save_image(marked_page((300, 400)), tmp_path / "hal-1.jpg")
    hal2 = save_image(marked_page((400, 300)), tmp_path / "hal-2.png")
    hal34 = make_text_pdf(tmp_path / "hal-3-4.pdf", "Lanjutan", pages=2)
    pages = read(scan_to_pdf_pages([hal1, hal2, hal34])).pages
    assert len(pages) == 4
    assert page_size(pages[0])[0] < page_size(pages[0])[1]
    assert page_size(pages[1])[0] > page_size(pages[1])[1]  # the landscape one
    assert len(placed_images(pages[0])) == 1 and len(placed_images(pages[1])) == 1
    assert "Lanjutan" in pages[2].extract_text() and "Lanjutan" in pages[3].extract_text()


# --- the signed PDF --------------------------------------------------------------------------


def _outline(reader: PdfReader) -> list[tuple[str | None, int | None]]:
    found = []
    for item in reader.outline:
        assert isinstance(item, Destination)  # one level: one bookmark per part
        found.append((item.title, reader.get_destination_page_number(item)))
    return found


def test_signed_pdf_has_one_bookmark_per_part_and_stays_small(tmp_path: Path) -> None:
    ba = [
        save_image(
            render_page("Berita Acara", seed=n, size=(1240, 1754)),
            tmp_path / f"ba-{n}.jpg",
            exif_orientation=6 if n == 1 else None,
        )
        for n in (1, 2)
    ]
    dh = [make_scan(tmp_path / "dh.pdf", "Daftar Hadir", pages=2)]
    kompilasi = make_text_pdf(tmp_path / "kompilasi.pdf", "Kompilasi Usulan", pages=3)
    out = tmp_path / "out" / "Dokumen Musrenbang Desa Lau Damak 2027 (ditandatangani).pdf"
    parts = [
        ("Berita Acara (ditandatangani)", ba),
        ("Daftar Hadir (ditandatangani)", dh),
        ("Rekap (ditandatangani)", []),  # nothing yet: left out
        ("Kompilasi Usulan", [kompilasi]),
    ]
    assert build_signed_pdf(parts, out, "A4") == out
    reader = PdfReader(out)
    assert len(reader.pages) == 2 + 2 + 3
    assert _outline(reader) == [
        ("Berita Acara (ditandatangani)", 0),
        ("Daftar Hadir (ditandatangani)", 2),
        ("Kompilasi Usulan", 4),
    ]
    for page in reader.pages:
        assert_size(page, A4)
    inputs = sum(p.stat().st_size for p in [*ba, *dh, kompilasi])
    size = out.stat().st_size
    assert size <= 1.1 * inputs + 32_000, (size, inputs)
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".~tmp")]


def _font_files(reader: PdfReader) -> set[int]:
    found = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            descriptor = ref.get_object().get("/FontDescriptor")
            if descriptor is not None:
                found.add(descriptor.get_object().raw_get("/FontFile2").idnum)
    return found


def test_identical_fonts_and_images_are_stored_once(tmp_path: Path) -> None:
    kompilasi = make_text_pdf(tmp_path / "kompilasi.pdf", "Kompilasi Usulan", pages=2)
    once = build_signed_pdf([("Kompilasi", [kompilasi])], tmp_path / "sekali.pdf", "A4")
    twice = build_signed_pdf(
        [("Kompilasi", [kompilasi]), ("Kompilasi lagi", [kompilasi])],
        tmp_path / "dua-kali.pdf",
        "A4",
    )
    assert len(PdfReader(twice).pages) == 4
    assert len(_font_files(PdfReader(twice))) == 1  # the embedded font is shared
    assert twice.stat().st_size < 1.15 * once.stat().st_size
    # Without deduplication the font would be there twice: the check above means something.
    writer = PdfWriter()
    writer.append(PdfReader(kompilasi))
    writer.append(PdfReader(kompilasi))
    raw = io.BytesIO()
    writer.write(raw)
    assert len(raw.getvalue()) > 1.7 * once.stat().st_size


def test_newer_scan_replaces_the_older_one(tmp_path: Path) -> None:
    t0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    minute = dt.timedelta(minutes=1)
    old = [(tmp_path / "ba-hal-1.jpg", t0), (tmp_path / "ba-hal-2.jpg", t0 + minute)]
    new = [
        (tmp_path / "baru-hal-10.jpg", t0 + dt.timedelta(days=1, minutes=3)),
        (tmp_path / "baru-hal-2.jpg", t0 + dt.timedelta(days=1)),
        (tmp_path / "baru-hal-1.jpg", t0 + dt.timedelta(days=1, minutes=1)),
    ]
    assert latest_scan_set(old) == [p for p, _ in old]
    assert latest_scan_set(old + new) == [
        tmp_path / "baru-hal-1.jpg",
        tmp_path / "baru-hal-2.jpg",
        tmp_path / "baru-hal-10.jpg",
    ]
    assert latest_scan_set([]) == []


# --- bad files -------------------------------------------------------------------------------


def _truncated_pdf(tmp_path: Path) -> Path:
    good = make_scan(tmp_path / "utuh.pdf", "Berita Acara", size=(620, 877))
    data = good.read_bytes()
    path = tmp_path / "terpotong.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _truncated_jpeg(tmp_path: Path) -> Path:
    good = make_scan(tmp_path / "utuh.jpg", "Berita Acara", size=(620, 877))
    data = good.read_bytes()
    path = tmp_path / "terpotong.jpg"
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted(tmp_path: Path) -> Path:
    src = make_text_pdf(tmp_path / "asli.pdf", "Berita Acara")
    return make_encrypted_pdf(src, tmp_path / "terkunci.pdf", "rahasia")


def _write(name: str, data: bytes):  # noqa: ANN202
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


BAD_FILES = {
    "not-an-image.jpg": (
        _write("foto.jpg", b"Ini bukan gambar, hanya teks.\n" * 20),
        "gambar-rusak",
    ),
    "truncated.jpg": (_truncated_jpeg, "gambar-rusak"),
    "garbage.png": (
        _write("x.png", bytes(random.Random(1).randrange(256) for _ in range(3000))),
        "gambar-rusak",
    ),
    "truncated.pdf": (_truncated_pdf, "pdf-rusak"),
    "not-a-pdf.pdf": (_write("x.pdf", b"<html>bukan pdf</html>"), "pdf-rusak"),
    "encrypted.pdf": (_encrypted, "berkas-terkunci"),
    "empty.jpg": (_write("kosong.jpg", b""), "berkas-kosong"),
    "program.exe": (
        _write("setup.exe", b"MZ\x90\x00" + b"\x00" * 200),
        "jenis-berkas-tidak-dikenal",
    ),
    "word.docx": (_write("ba.docx", b"PK\x03\x04" + b"\x00" * 200), "jenis-berkas-tidak-dikenal"),
    "no-extension": (_write("scan", b"\xff\xd8\xff" + b"\x00" * 200), "jenis-berkas-tidak-dikenal"),
    "bomb.png": (lambda tmp: make_bomb_png(tmp / "bom.png"), "gambar-terlalu-besar"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_get_one_clear_issue(tmp_path: Path, case: str) -> None:
    make, code = BAD_FILES[case]
    path = make(tmp_path)
    report = check_scan(path, f"pindaian/berita-acara/{path.name}")
    assert report.codes() == [code]
    assert not report.ok
    assert path.name in report.issues[0].message
    if code == "jenis-berkas-tidak-dikenal":
        assert "jpg, jpeg, png, tif, tiff, pdf" in report.issues[0].message


def test_decompression_bomb_is_small_on_disk_and_refused_fast(tmp_path: Path) -> None:
    path = make_bomb_png(tmp_path / "bom.png", side=20_000)
    assert path.stat().st_size < 200_000
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the IHDR's claim
    assert (width, height) == (20_000, 20_000)
    start = time.perf_counter()
    assert check_scan(path, "bom.png").codes() == ["gambar-terlalu-besar"]
    assert time.perf_counter() - start < 1
    with pytest.raises(ScanError) as raised:
        scan_to_pdf_pages([path])
    assert raised.value.code == "gambar-terlalu-besar"


def test_bomb_just_above_the_limit_but_below_pillows_is_refused(tmp_path: Path) -> None:
    side = 9_500  # 90 MP: over our 80 MP limit, around Pillow's own warning threshold
    path = make_bomb_png(tmp_path / "besar.png", side=side)
    assert check_scan(path, "besar.png").codes() == ["gambar-terlalu-besar"]


def test_pdf_that_only_restricts_printing_is_usable(tmp_path: Path) -> None:
    src = make_text_pdf(tmp_path / "asli.pdf", "Berita Acara")
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password="", owner_password="pemilik", algorithm="AES-128")
    path = tmp_path / "dibatasi.pdf"
    writer.write(path)
    assert PdfReader(path).is_encrypted
    assert check_scan(path, "dibatasi.pdf").ok
    (page,) = read(scan_to_pdf_pages([path])).pages
    assert "Berita Acara" in page.extract_text()


def test_converting_a_bad_file_raises_scan_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "rusak.jpg"
    path.write_bytes(b"bukan gambar")
    with pytest.raises(ScanError) as raised:
        scan_to_pdf_pages([path])
    assert "rusak.jpg" in raised.value.message


def test_check_scan_never_raises_on_random_bytes(tmp_path: Path) -> None:
    rng = random.Random(7)
    for n in range(40):
        ext = scan_limits.SCAN_EXTENSIONS[n % len(scan_limits.SCAN_EXTENSIONS)]
        head = rng.choice(
            [b"", b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00"]
        )
        path = tmp_path / f"acak-{n}{ext}"
        path.write_bytes(head + os.urandom(rng.randrange(1, 2000)))
        report = check_scan(path, path.name)
        assert report.codes() and not report.ok


def test_parts_and_missing_scans(tmp_path: Path) -> None:
    ba = [tmp_path / "ba-1.jpg", tmp_path / "ba-2.jpg"]
    kompilasi = tmp_path / "kompilasi.pdf"
    parts = scan_delivery.signed_parts({"daftar-hadir": [], "berita-acara": ba}, kompilasi)
    assert parts == [("Berita Acara (ditandatangani)", ba), ("Kompilasi Usulan", [kompilasi])]
    assert scan_delivery.missing_scans({"berita-acara": ba}) == ["daftar-hadir"]
    assert scan_delivery.missing_scans({}) == ["berita-acara", "daftar-hadir"]
    assert scan_delivery.missing_scans({"rekap": ["x"]}, scan_delivery.WAJIB_KECAMATAN) == [
        "berita-acara",
        "daftar-hadir",
    ]
    assert scan_delivery.missing_text([]) == ""
    text = scan_delivery.missing_text(["berita-acara", "daftar-hadir"])
    assert "pindaian/berita-acara/" in text and "pindaian/daftar-hadir/" in text


ODD_MODES = {
    "palette.png": lambda img, p: img.convert("P", palette=Image.Palette.ADAPTIVE).save(p),
    "palette-transparent.png": lambda img, p: img.convert("P", palette=Image.Palette.ADAPTIVE).save(
        p, transparency=0
    ),
    "grey.jpg": lambda img, p: img.convert("L").save(p, quality=80),
    "cmyk.jpg": lambda img, p: img.convert("CMYK").save(p, quality=80),
    "progressive.jpg": lambda img, p: img.save(p, progressive=True),
    "sixteen-bit.png": lambda img, p: img.convert("I;16").save(p),
    "grey-alpha.png": lambda img, p: img.convert("LA").save(p),
    "fax-g4.tif": lambda img, p: img.convert("1").save(p, compression="group4"),
    "gif-named.jpg": lambda img, p: img.convert("P").save(p, format="GIF"),
}


@pytest.mark.parametrize("name", sorted(ODD_MODES))
def test_unusual_image_modes_become_a4_pages(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    ODD_MODES[name](render_page("Mode", size=(310, 438), noise=False), path)
    assert check_scan(path, name).ok
    (page,) = read(scan_to_pdf_pages([path])).pages
    assert_size(page, A4)
    assert len(placed_images(page)) == 1


def test_black_and_white_300_dpi_scan_stays_bilevel_when_downscaled(tmp_path: Path) -> None:
    page_img = render_page("Daftar Hadir", size=(2480, 3508), noise=False, skew_degrees=0)
    path = tmp_path / "hitam-putih.tif"
    page_img.convert("1", dither=Image.Dither.NONE).save(path, compression="group4")
    data = scan_to_pdf_pages([path])
    (page,) = read(data).pages
    ((name, *_),) = placed_images(page)
    xobject = page["/Resources"]["/XObject"][name].get_object()
    assert xobject["/BitsPerComponent"] == 1
    assert xobject["/Width"] <= 1660 and xobject["/Height"] <= 2345
    assert len(data) < 150_000


def test_phone_mpo_jpeg_is_one_page(tmp_path: Path) -> None:
    # Many phones save a JPEG with a second (preview/depth) frame: Pillow opens it as MPO.
    page_img = render_page("Berita Acara", size=(620, 877), noise=False)
    path = tmp_path / "IMG_20261122.jpg"
    page_img.save(path, format="MPO", save_all=True, append_images=[page_img.resize((155, 219))])
    with Image.open(path) as img:
        assert img.format == "MPO" and getattr(img, "n_frames", 1) == 2
    assert check_scan(path, path.name).ok
    (page,) = read(scan_to_pdf_pages([path])).pages
    assert embedded_image(page).size == (620, 877)
