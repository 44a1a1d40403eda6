"""TrueType fonts for text on generated pages (Lampiran Foto, sample scans): DejaVu/Liberation,
Arial on Windows, Pillow's own font when none is installed."""

from __future__ import annotations

from functools import lru_cache

from PIL import ImageFont

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
