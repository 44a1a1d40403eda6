"""The words of a jejak: `Jejak data <12 hex>` (spec/documents.md, "One truth on every page").

The digest of a state (sha256 of its canonical JSON) and the label every document prints;
what goes into the state of a region is the ledger's (ledger/jejak.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

PANJANG = 12
LABEL = "Jejak data"
POLA = re.compile(rf"{LABEL} ([0-9a-f]{{{PANJANG}}})\b")  # to read a jejak back


def digest(state: Any) -> str:
    """The jejak of a JSON-ready value: sha256 of its canonical JSON (keys sorted, no
    spaces, UTF-8), its first 12 lowercase hex characters."""
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:PANJANG]


def label(jejak: str) -> str:
    """`Jejak data 0a1b2c3d4e5f`: the words every document prints."""
    return f"{LABEL} {jejak}"


def found_in(text: str) -> list[str]:
    """Every jejak a text shows (a PDF's text layer, a footer, a print header)."""
    return POLA.findall(text)
