"""The demo's letterhead: a drawn lambang and the `[kop]` settings of a kecamatan office."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageDraw

from pipeline.core.config import SETTINGS_FILE

LAMBANG = "lambang-demo.png"
KOP = {
    "logo": LAMBANG,
    "alamat_kecamatan": "Jl. Perintis Kemerdekaan No. 1, Bahorok",
    "telepon": "(061) 8921234",
    "email": "kec.bahorok@langkatkab.go.id",
    "kode_pos": "20774",
}


def draw_lambang(path: Path) -> Path:
    """A stand-in lambang daerah: a shield with a star and rice and cotton (no text)."""
    w, h = 300, 360
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    shield = [(20, 20), (280, 20), (280, 200), (150, 340), (20, 200)]
    d.polygon(shield, fill=(20, 110, 60), outline=(200, 160, 20))
    d.line([*shield, shield[0]], fill=(200, 160, 20), width=10)
    star = [(150, 50), (165, 95), (212, 95), (174, 122), (188, 168), (150, 140), (112, 168),
            (126, 122), (88, 95), (135, 95)]  # fmt: skip
    d.polygon(star, fill=(240, 200, 40))
    for i in range(7):  # rice on the left, cotton on the right
        d.ellipse((60, 120 + i * 22, 80, 136 + i * 22), fill=(240, 200, 40))
        d.ellipse((220, 120 + i * 22, 240, 140 + i * 22), fill="white")
    img.save(path)
    return path


def set_demo_kop(root: Path, kop: dict[str, str] | None = None) -> None:
    """Write the lambang beside musrenbang.toml and fill its `[kop]` keys (Bahorok's, or those
    of `kop` where it has one)."""
    draw_lambang(root / LAMBANG)
    toml = root / SETTINGS_FILE
    text = toml.read_text(encoding="utf-8")
    for key, value in {**KOP, **(kop or {})}.items():
        line = f'{key} = "{value}"'
        text, found = re.subn(rf"(?m)^{key} = .*$", line, text, count=1)
        if not found:
            head, sep, tail = text.partition("[kop]")
            end = tail.find("\n")
            text = f"{head}{sep}{tail[: end + 1]}{line}\n{tail[end + 1 :]}" if sep else text
    toml.write_text(text, encoding="utf-8")
