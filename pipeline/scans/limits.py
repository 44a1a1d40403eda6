"""Limits, paper sizes and the accepted scan types: what every scan module agrees on."""

from __future__ import annotations

from PIL import Image

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
