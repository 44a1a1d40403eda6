"""JSON Schemas of the interface models, exported to schemas/ (a test keeps them current).

Regenerate with `python -m pipeline.schemas` after changing a model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from pipeline.core.config import Settings
from pipeline.core.models import BukuKerjaDesa, BukuKerjaKecamatan, DesaSnapshot, KecamatanSnapshot
from pipeline.core.receipts import Receipt
from pipeline.core.resources import data_dir
from pipeline.kabupaten.status import StatusMusrenbang

EXPORTS: dict[str, type[BaseModel]] = {
    "receipt.json": Receipt,
    "settings.json": Settings,
    "buku-kerja-desa.json": BukuKerjaDesa,
    "desa-snapshot.json": DesaSnapshot,
    "buku-kerja-kecamatan.json": BukuKerjaKecamatan,
    "kecamatan-snapshot.json": KecamatanSnapshot,
    "status.json": StatusMusrenbang,
}

SCHEMAS_DIR = data_dir("schemas")  # the checkout's schemas/, or the installed copy


def render_schemas() -> dict[str, str]:
    out = {}
    for name, model in EXPORTS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def export(folder: Path = SCHEMAS_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in export(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMAS_DIR):
        print(p)
