"""Regenerate the built-in document templates (python-docx): `python templates/build_templates.py`.

The .docx files in this folder are the product; this script is how they were made, so a
layout change is a reviewed code change. A Bappeda clerk does not need it: copy a .docx to
the workspace's templates/ folder and edit it in Word or LibreOffice Writer
(docs/templates.md lists the variables of each template).

Rules the templates follow (docxtpl): every Jinja tag sits in one run with plain formatting;
table loops are `{%tr ... %}` rows; no merge tags.

The builders live in docbuild/: primitives.py (python-docx helpers), blocks.py (kop,
signatures, tables shared by the documents), desa.py and kecamatan.py (one function per
template).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script or imported from the repository root
    sys.path.insert(0, str(HERE))

from docbuild.desa import berita_acara, daftar_hadir, kompilasi  # noqa: E402
from docbuild.kecamatan import (  # noqa: E402
    berita_acara_kecamatan,
    daftar_hadir_kecamatan,
    rekap_usulan_kecamatan,
    surat_pemberitahuan_desa,
    surat_pengantar_kecamatan,
)

KECAMATAN_TEMPLATES = {
    "surat-pemberitahuan-desa.docx": surat_pemberitahuan_desa,
    "daftar-hadir-kecamatan.docx": daftar_hadir_kecamatan,
    "berita-acara-kecamatan.docx": berita_acara_kecamatan,
    "rekap-usulan-kecamatan.docx": rekap_usulan_kecamatan,
    "surat-pengantar-kecamatan.docx": surat_pengantar_kecamatan,
}


TEMPLATES = {
    "daftar-hadir-desa.docx": daftar_hadir,
    "berita-acara-desa.docx": berita_acara,
    "kompilasi-usulan-desa.docx": kompilasi,
}
TEMPLATES.update(KECAMATAN_TEMPLATES)


def main(names: list[str] | None = None) -> None:
    """Write every template, or only those named (`build_templates.py rekap-usulan-kecamatan.docx`)."""
    for name, build in TEMPLATES.items():
        if names and name not in names:
            continue
        doc = build()
        doc.core_properties.title = name.removesuffix(".docx")  # type: ignore[attr-defined]
        doc.core_properties.author = "Pipeline Musrenbang"  # type: ignore[attr-defined]
        doc.save(str(HERE / name))  # type: ignore[attr-defined]
        print(f"ditulis: {HERE / name}")


if __name__ == "__main__":
    main(sys.argv[1:])
