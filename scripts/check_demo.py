"""Check a finished `musrenbang demo` folder: every document exists (used by check_wheel.sh).

    python scripts/check_demo.py DEMO_DIR CHECKOUT_TEMPLATES_DIR

Run with the interpreter of the installation under test, outside the checkout: it also
checks that this `pipeline` is an installed one whose built-in templates equal the sources.
Prints one line per check; exits 1 on the first failure.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

BAD_CODES = {"template-rusak", "pdf-dilewati", "galat-internal"}


def fail(message: str) -> None:
    print(f"GAGAL: {message}")
    raise SystemExit(1)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prefix_of(template: str) -> str:
    """'berita-acara-desa.docx' -> 'Berita Acara Musrenbang' (the level word follows)."""
    words = template.removesuffix(".docx").split("-")[:-1]
    return " ".join(w.capitalize() for w in words) + " Musrenbang "


def main(demo: Path, sources: Path) -> None:
    from pipeline.core.resources import data_dir, is_checkout

    if is_checkout():
        fail("pipeline diimpor dari checkout, bukan dari paket terpasang")
    installed = data_dir("templates")
    want = {p.name: sha(p) for p in sources.glob("*.docx")}
    have = {p.name: sha(p) for p in installed.glob("*.docx")}
    if want != have:
        fail(f"templat terpasang {sorted(have)} != sumber {sorted(want)}")
    print(f"ok  {len(have)} templat bawaan terpasang di {installed}")
    schemas = sorted(p.name for p in data_dir("schemas").glob("*.json"))
    if not schemas:
        fail("skema JSON tidak terpasang")
    print(f"ok  {len(schemas)} skema JSON terpasang")

    outbox = demo / "outbox"
    receipts = [json.loads(p.read_text("utf-8")) for p in (outbox / "tanda-terima").glob("*.json")]
    if not receipts:
        fail("tidak ada tanda terima")
    for r in receipts:
        bad = [i["code"] for i in r["issues"] if i["code"] in BAD_CODES]
        if bad:
            fail(f"tanda terima {r['file']}: {bad}")
        for out in r["outputs"]:
            if "(perbaiki)" in out:
                continue  # the marked copy of a rejected workbook goes once it is fixed
            if not (demo / out).is_file():
                fail(f"keluaran {out} (tanda terima {r['file']}) tidak ada")
    print(f"ok  {len(receipts)} tanda terima; setiap keluaran yang disebutnya ada")

    docs = [p for p in outbox.rglob("*.docx") if "tanda-terima" not in p.parts]
    for docx in docs:
        if not docx.with_suffix(".pdf").is_file():
            fail(f"PDF untuk {docx.relative_to(demo)} tidak ada")
    for template in sorted(have):
        prefix = prefix_of(template)
        if not any(d.name.startswith(prefix) for d in docs):
            fail(f"tidak ada dokumen dari templat {template} ('{prefix}...')")
    print(f"ok  {len(docs)} dokumen .docx, masing-masing dengan .pdf; setiap templat terpakai")

    signed = list(outbox.rglob("*(ditandatangani).pdf"))
    if len(signed) < 2:
        fail(f"PDF bertanda tangan desa dan kecamatan: hanya {len(signed)}")
    for pattern in ("Paket Musrenbang Kecamatan *.zip", "Lampiran Foto *.pdf"):
        if not list(outbox.rglob(pattern)):
            fail(f"tidak ada {pattern}")
    for pattern in ("Rekap Usulan Musrenbang *.xlsx", "Pemantauan Musrenbang *.xlsx",
                    "Pemantauan Musrenbang *.html"):  # fmt: skip
        if not list(outbox.glob(pattern)):
            fail(f"tidak ada outbox/{pattern}")
    print(f"ok  {len(signed)} PDF bertanda tangan, paket kecamatan, lampiran foto, rekap kabupaten")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
