"""The Lampiran Foto PDF (SOP step 20): a real document with a text layer, two photos a page.

Drawn with fpdf2: every word (the title, the desa/kelurahan, each photo's caption and the
date it was taken, page numbers) is PDF text in an embedded TrueType font, so pdftotext,
search and screen readers find it; nothing is burned into an image. Photos are EXIF-rotated,
downscaled to about 200 dpi at their size on the page and stored as JPEG. What a photo is
called and when it was taken come from its EXIF (`foto_exif`) where there is such a thing,
else from its file name (`caption_from_name`) and the time it was received; the caller words
them (pipeline/desa/lampiran.py). Written atomically.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from pipeline.core.atomic import write_bytes
from pipeline.core.jejak import label
from pipeline.scans.fonts import font_path
from pipeline.scans.limits import EXIF_TRANSPOSE, MAX_PIXELS, PAPER_MM
from pipeline.scans.pages import exif_orientation, flatten_alpha

PHOTO_DPI = 200  # photos are stored at about this resolution at their size on the page
PER_PAGE = 2
_MARGIN = 15.0  # mm
_FONT = "Teks"

# EXIF tags (Pillow's numbers): the IFD0 description and date, the Exif IFD's own date.
_IMAGE_DESCRIPTION = 0x010E
_DATETIME = 0x0132
_XP_TITLE, _XP_COMMENT, _XP_SUBJECT = 0x9C9B, 0x9C9C, 0x9C9F
_EXIF_IFD = 0x8769
_DATETIME_ORIGINAL = 0x9003
_DATETIME_DIGITIZED = 0x9004
# Descriptions cameras write by themselves: not a caption.
_CAMERA_WORDS = re.compile(
    r"^(olympus digital camera|sony dsc|digital camera|default|image|picture|photo|"
    r"samsung|huawei|xiaomi|oppo|vivo|realme|screenshot|\s*)$",
    re.IGNORECASE,
)
# File names that phones and cameras give: they say nothing about the picture.
_CAMERA_NAME = re.compile(
    r"^(img|dsc|dscn|dscf|pxl|mvimg|photo|foto|image|gambar|wp|p|cam|sam|screenshot)?"
    r"[\s_-]*\d[\d\s_.-]*(\s*\(\d+\))?$|^whatsapp image .*$|^\d{8}[_-]\d{6}.*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FotoExif:
    """What a photo's EXIF says of it (None where it says nothing usable)."""

    keterangan: str | None  # ImageDescription / XPTitle / XPComment / XPSubject
    diambil: dt.datetime | None  # DateTimeOriginal, else DateTimeDigitized, else DateTime


@dataclass(frozen=True)
class FotoLampiran:
    """One photo of the Lampiran with its words, ready to place."""

    path: Path
    judul: str  # the caption: "Suasana musrenbang"
    waktu: str  # "Diambil Selasa, 13 Januari 2026 pukul 10.15"
    berkas: str  # the file name as the operator sent it


@dataclass(frozen=True)
class KepalaLampiran:
    """The heading every page carries, and the footer's document name."""

    judul: str  # "LAMPIRAN FOTO DOKUMENTASI"
    baris: tuple[str, ...]  # "Musrenbang Desa Lau Damak, Kecamatan Bahorok, ...", ...
    dokumen: str  # "Lampiran Foto Musrenbang Desa Lau Damak 2027" (PDF title, footer)
    jejak: str = ""  # the desa's ledger state (ledger/jejak.py): `Jejak data <hex>`, footer


def _exif_text(value: object) -> str | None:
    if isinstance(value, tuple):  # Pillow gives XP* tags as tuples of byte values at times
        try:
            value = bytes(value)
        except (ValueError, TypeError):
            return None
    if isinstance(value, bytes):
        raw = value
        value = None
        for encoding in ("utf-16-le", "utf-8"):  # XP* tags are UTF-16LE bytes
            try:
                value = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\x00", " ").split())
    return None if _CAMERA_WORDS.match(text) else text[:200]


def _exif_date(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.strptime(value.strip()[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return when if when.year >= 1990 else None  # a camera whose clock was never set: 1970


def foto_exif(path: Path) -> FotoExif:
    """The caption and the time taken that a photo's EXIF holds (both None when it has none
    or cannot be read)."""
    try:
        with Image.open(path) as img:
            exif = img.getexif()
            ifd = exif.get_ifd(_EXIF_IFD)
    except Exception:  # noqa: BLE001 - no EXIF to be read: the file name and receipt time serve
        return FotoExif(None, None)
    keterangan = next(
        (
            t
            for tag in (_IMAGE_DESCRIPTION, _XP_TITLE, _XP_SUBJECT, _XP_COMMENT)
            if (t := _exif_text(exif.get(tag)))
        ),
        None,
    )
    diambil = next(
        (
            d
            for d in (
                _exif_date(ifd.get(_DATETIME_ORIGINAL)),
                _exif_date(ifd.get(_DATETIME_DIGITIZED)),
                _exif_date(exif.get(_DATETIME)),
            )
            if d is not None
        ),
        None,
    )
    return FotoExif(keterangan, diambil)


def caption_from_name(nama_asli: str) -> str | None:
    """A caption from a file name an operator gave ('suasana_musrenbang-2.jpg' -> 'Suasana
    musrenbang 2'); None for the names cameras and phones give (IMG_0001, 20260113_101500)."""
    stem = Path(nama_asli).stem
    text = " ".join(re.sub(r"[_]+|(?<=\w)-(?=\w)|\.(?=\D)", " ", stem).split())
    if not text or _CAMERA_NAME.match(stem.strip()) or _CAMERA_NAME.match(text):
        return None
    return text[0].upper() + text[1:]


# ----------------------------------------------------------------------------- the PDF


def _load_photo(path: Path, box_px: tuple[int, int]) -> Image.Image | None:
    """The photo upright, opaque and fitted into `box_px`; None when it cannot be shown."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.size[0] * img.size[1] > MAX_PIXELS:
                    return None
                orientation = exif_orientation(img)
                if img.format in ("JPEG", "MPO"):
                    want = box_px if orientation not in (5, 6, 7, 8) else box_px[::-1]
                    img.draft("RGB", want)
                frame = img.convert() if img.mode == "P" else img.copy()
        for method in EXIF_TRANSPOSE.get(orientation, ()):
            frame = frame.transpose(method)
        frame = flatten_alpha(frame).convert("RGB")
        frame.thumbnail(box_px, Image.Resampling.LANCZOS)
        return frame
    except Exception:  # noqa: BLE001 - a photo that cannot be shown gets a placeholder
        return None


class _Lampiran(FPDF):
    def __init__(self, paper: str, kepala: KepalaLampiran) -> None:
        width, height = PAPER_MM.get(paper.upper(), PAPER_MM["A4"])
        super().__init__(orientation="P", unit="mm", format=(width, height))
        self.kepala = kepala
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(False)
        self.set_image_filter("DCTDecode")  # photos as JPEG
        self.set_title(kepala.dokumen)
        self.set_creator("musrenbang-pipeline")
        self.set_lang("id")
        regular, bold = font_path(False), font_path(True)
        if regular and bold:
            self.add_font(_FONT, "", regular)
            self.add_font(_FONT, "B", bold)
            self.family = _FONT
        else:  # no TrueType font on this machine: the PDF core font (Latin text only)
            self.family = "Helvetica"

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def header(self) -> None:
        self.set_y(_MARGIN)
        self.font(13, bold=True)
        self.cell(0, 6.5, self.kepala.judul, align="C", new_x="LMARGIN", new_y="NEXT")
        self.font(10.5)
        for line in self.kepala.baris:
            self.multi_cell(0, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        y = self.get_y() + 2
        self.set_line_width(0.5)
        self.line(_MARGIN, y, self.w - _MARGIN, y)
        self.set_line_width(0.2)
        self.line(_MARGIN, y + 1, self.w - _MARGIN, y + 1)
        self.set_y(y + 5)

    def footer(self) -> None:
        self.set_y(self.h - _MARGIN - 4)
        self.font(8.5)
        self.set_text_color(90, 90, 90)
        self.cell(0, 4, self.kepala.dokumen, align="L")
        self.set_x(_MARGIN)
        jejak = f" · {label(self.kepala.jejak)}" if self.kepala.jejak else ""
        self.cell(0, 4, f"Halaman {self.page_no()} dari {{nb}}{jejak}", align="R")
        self.set_text_color(0, 0, 0)

    def lines(self, text: str, width: float, height: float, most: int) -> list[str]:
        """`text` wrapped to `width`, at most `most` lines (the last one cut with '…')."""
        found = self.multi_cell(width, height, text, dry_run=True, output="LINES")
        lines = [str(line) for line in found] if isinstance(found, list) else [text]
        if len(lines) > most:
            lines = lines[:most]
            last = lines[-1]
            while last and self.get_string_width(last + " …") > width:
                last = last[:-1]
            lines[-1] = last.rstrip() + " …"
        return lines

    def foto(self, nomor: int, foto: FotoLampiran, top: float, height: float) -> None:
        """Photo `nomor` in the slot from `top`, `height` mm tall: the picture, then its words."""
        width = self.w - 2 * _MARGIN
        self.font(10.5, bold=True)
        judul = self.lines(f"Foto {nomor}. {foto.judul}", width, 5, 2)
        text_h = 5 * len(judul) + 4.5 + 4.5
        box_h = height - text_h - 3
        box_px = (round(width / 25.4 * PHOTO_DPI), round(box_h / 25.4 * PHOTO_DPI))
        image = _load_photo(foto.path, box_px)
        if image is None:
            self.set_fill_color(235, 235, 235)
            self.rect(_MARGIN, top, width, box_h, style="DF")
            self.set_xy(_MARGIN, top + box_h / 2 - 3)
            self.font(10)
            self.cell(width, 6, "Pratinjau foto tidak tersedia", align="C")
            shown_h = box_h
        else:
            scale = min(width / image.width, box_h / image.height)
            w, h = image.width * scale, image.height * scale
            x = _MARGIN + (width - w) / 2
            y = top + (box_h - h)  # bottom-aligned: the caption sits right below
            self.image(image, x=x, y=y, w=w, h=h, alt_text=foto.judul)
            self.set_draw_color(120, 120, 120)
            self.rect(x, y, w, h)
            self.set_draw_color(0, 0, 0)
            shown_h = box_h
        self.set_xy(_MARGIN, top + shown_h + 2)
        self.font(10.5, bold=True)
        for line in judul:
            self.cell(width, 5, line, align="C", new_x="LMARGIN", new_y="NEXT")
        self.font(9.5)
        self.cell(width, 4.5, foto.waktu, align="C", new_x="LMARGIN", new_y="NEXT")
        self.font(8)
        self.set_text_color(90, 90, 90)
        berkas = self.lines(f"Berkas: {foto.berkas}", width, 4.5, 1)[0]
        self.cell(width, 4.5, berkas, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)


def build_lampiran_foto(
    photos: Sequence[FotoLampiran], out: Path, paper: str, kepala: KepalaLampiran
) -> Path:
    """The Lampiran Foto PDF: `kepala` heading every page, two photos a page with their
    caption, the time taken and the file name, page numbers in the footer.

    A photo that cannot be decoded (e.g. HEIC without a decoder) gets a placeholder with its
    words, so none is silently left out; no photo gives one page saying so.
    """
    pdf = _Lampiran(paper, kepala)
    chunks = [photos[i : i + PER_PAGE] for i in range(0, len(photos), PER_PAGE)] or [[]]
    nomor = 0
    for chunk in chunks:
        pdf.add_page()
        top = pdf.get_y()
        area = pdf.h - _MARGIN - 8 - top
        slot = (area - 6) / PER_PAGE
        if not chunk:
            pdf.font(11)
            pdf.set_y(top + 30)
            pdf.cell(0, 6, "Belum ada foto dokumentasi.", align="C")
        for i, foto in enumerate(chunk):
            nomor += 1
            pdf.foto(nomor, foto, top + i * (slot + 6), slot)
    return write_bytes(out, bytes(pdf.output()))
