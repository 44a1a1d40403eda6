"""`musrenbang demo`: the main job, end to end with real LibreOffice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import HAS_SOFFICE, DemoRun

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) tidak terpasang"),
]


def test_demo_runs_the_whole_flow(demo_run: DemoRun) -> None:
    target = demo_run.root  # `musrenbang demo <folder>`, played once for the session
    assert demo_run.code == 0
    out = demo_run.out
    assert "Lihat hasilnya" in out
    [folder] = list((target / "outbox").glob("12.05.01 Bahorok/12.05.01.2002 Lau Damak/*"))
    names = {p.name for p in folder.iterdir()}
    year = folder.name
    for stem in ("Daftar Hadir", "Berita Acara", "Kompilasi Usulan"):
        assert f"{stem} Musrenbang Desa Lau Damak {year}.pdf" in names
    signed = PdfReader(folder / f"Dokumen Musrenbang Desa Lau Damak {year} (ditandatangani).pdf")
    titles = [o.title for o in signed.outline]
    assert titles == [
        "Berita Acara (ditandatangani)",
        "Daftar Hadir (ditandatangani)",
        "Kompilasi Usulan",
    ]
    receipts = [
        json.loads(p.read_text()) for p in (target / "outbox" / "tanda-terima").glob("*.json")
    ]
    statuses = {(r["region"], r["status"]) for r in receipts}
    assert ("12.05.01.2003", "rejected") in statuses  # Timbang Lawan's first Verifikasi
    assert any(r["stage"] == "Kirim" and r["status"] == "accepted" for r in receipts)
    assert any(i["code"] == "sudah-dikirim" for r in receipts for i in r["issues"])
    # the kecamatan: letters, recap, cover letter and the sealed package for Bappeda
    import hashlib
    import zipfile

    kec = target / "outbox" / "12.05.01 Bahorok" / year
    kec_names = {p.name for p in kec.iterdir()}
    assert f"Surat Pemberitahuan Musrenbang Kelurahan Pekan Bahorok {year}.pdf" in kec_names
    assert f"Rekap Usulan Musrenbang Kecamatan Bahorok {year}.xlsx" in kec_names
    assert f"Surat Pengantar Musrenbang Kecamatan Bahorok {year}.pdf" in kec_names
    with zipfile.ZipFile(kec / f"Paket Musrenbang Kecamatan Bahorok {year}.zip") as package:
        manifest = json.loads(package.read("manifest.json"))
        assert manifest["berkas"], "the package lists its files"
        for member, digest in manifest["berkas"].items():
            assert hashlib.sha256(package.read(member)).hexdigest() == digest
    assert (target / "outbox" / f"Pemantauan Musrenbang Kabupaten Langkat {year}.html").exists()
    # the kelurahan goes through in its own words; its photo says when it was taken
    kel = target / "outbox" / "12.05.01 Bahorok" / "12.05.01.1001 Pekan Bahorok" / year
    ba = PdfReader(kel / f"Berita Acara Musrenbang Kelurahan Pekan Bahorok {year}.pdf")
    text = " ".join(" ".join(p.extract_text() for p in ba.pages).split())
    assert "Lurah Pekan Bahorok" in text and "Ketua LPM" in text
    assert "Kepala Desa" not in text and "BPD" not in text and "Dusun" not in text
    foto = PdfReader(kel / f"Lampiran Foto Musrenbang Kelurahan Pekan Bahorok {year}.pdf")
    assert "Foto 1. Pembukaan oleh lurah Diambil" in " ".join(foto.pages[0].extract_text().split())
    # Bappeda's own workspace registered both kecamatan's keys and merged their signed
    # packages: its kabupaten Rekap counts Bahorok and Salapian, each kecamatan's rows the same
    # as in that kecamatan's own workspace (which received every workbook itself)
    bappeda = target / "bappeda" / "outbox"
    for kec in ("12.05.01 Bahorok", "12.05.02 Salapian"):
        assert (bappeda / "paket" / kec / year / "manifest.sig").exists()
    rekap = f"Rekap Usulan Musrenbang Kabupaten Langkat {year}.xlsx"
    kab, bahorok, salapian = (
        rekap_rows(folder / rekap)
        for folder in (bappeda, target / "outbox", target / "salapian" / "outbox")
    )
    assert [r[:2] for r in kab["Per Kecamatan"]] == [
        ("12.05.01", "Bahorok"), ("12.05.02", "Salapian"), ("JUMLAH", None)
    ]  # fmt: skip
    assert kab["Per Kecamatan"][:2] == [bahorok["Per Kecamatan"][0], salapian["Per Kecamatan"][0]]
    assert kab["Usulan"][:-1] == bahorok["Usulan"][:-1] + salapian["Usulan"][:-1]
    assert {r[0][:8] for r in salapian["Usulan"][:-1]} == {"12.05.02"}
    for sheet in ("Per Bidang", "Per OPD Tujuan"):  # every figure the two kecamatan's sum
        k, b, s = (figures(x[sheet]) for x in (kab, bahorok, salapian))
        assert set(k) == set(b) | set(s)
        for label, got in k.items():
            zero = (0,) * len(got)
            pairs = zip(b.get(label, zero), s.get(label, zero), strict=True)
            assert got == tuple(x + y for x, y in pairs), (sheet, label)
    assert "12.05.02 Salapian: tahap kecamatan Kirim; 2/2" in out


def rekap_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The data rows of every sheet of a kabupaten Rekap (after the header row)."""
    from openpyxl import load_workbook

    sheets = {}
    for ws in load_workbook(path).worksheets:
        rows = list(ws.iter_rows(values_only=True))
        head = next(n for n, r in enumerate(rows) if r[0] and r[1] and n > 1)
        sheets[ws.title] = [r for r in rows[head + 1 :] if any(v is not None for v in r)]
    return sheets


def figures(rows: list[tuple[Any, ...]]) -> dict[Any, tuple[Any, ...]]:
    return {r[0]: r[1:] for r in rows if isinstance(r[1], int)}


def test_demo_operators_act_as_real_ones(demo_run: DemoRun) -> None:
    """Revisions at desa and kecamatan level, a UPT usulan, a kecamatan rejection of an usulan
    the desa accepted, a desa that never sends, and letters with a Nomor and Tanggal."""
    import re
    import subprocess

    from openpyxl import load_workbook

    [kec] = list((demo_run.root / "outbox" / "12.05.01 Bahorok").glob("20*"))
    year = kec.name
    letter = kec / f"Surat Pemberitahuan Musrenbang Desa Sampe Raya {year}.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(letter), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert f"005/118/BHR/{int(year) - 1}" in text and "Bahorok, ......" not in text

    def rows(path: Any, sheet: str) -> list[dict[str, Any]]:
        values = list(load_workbook(path)[sheet].iter_rows(values_only=True))
        header = next(i for i, r in enumerate(values) if r and r[0] == "No")
        return [dict(zip(values[header], r, strict=True)) for r in values[header + 1 :] if r[0]]

    rekap = rows(kec / f"Rekap Usulan Musrenbang Kecamatan Bahorok {year}.xlsx", "Usulan")
    by_kode = {r["Kode Usulan"]: r for r in rekap}
    revised = by_kode[f"12.05.01.2003-{year}-0001"]  # Timbang Lawan's, revised by the kecamatan
    assert revised["Keputusan"] == "Diterima dengan Revisi"
    assert (revised["Volume Disepakati"], revised["Biaya Disepakati (Rp)"]) == (200, 150_000_000)
    assert by_kode[f"12.05.01-{year}-0001"]["Asal Usulan"] == "UPT Puskesmas Bahorok"
    rejected = by_kode[f"12.05.01.1001-{year}-0002"]  # accepted by Pekan Bahorok
    assert rejected["Keputusan"] == "Ditolak"
    desa = rows(next(kec.parent.glob(f"12.05.01.1001 */{year}/Kompilasi Usulan*.xlsx")),
                "Kompilasi Usulan")  # fmt: skip
    assert {r["Kode Usulan"]: r["Keputusan"] for r in desa}[rejected["Kode Usulan"]] == "Diterima"
    lau = rows(next(kec.parent.glob(f"12.05.01.2002 */{year}/Kompilasi Usulan*.xlsx")),
               "Kompilasi Usulan")  # fmt: skip
    assert any(r["Keputusan"] == "Diterima dengan Revisi" and r["Biaya Disepakati (Rp)"]
               for r in lau)  # fmt: skip
    per_desa = {
        r["Kode Desa/Kelurahan"]: r
        for r in rows(kec / f"Rekap Usulan Musrenbang Kecamatan Bahorok {year}.xlsx", "Per Desa")
    }
    assert per_desa["12.05.01.2004"]["Jumlah Usulan"] == "belum mengirim"
    # its usulan are recorded, but it never sent (the status table at the demo's end)
    assert re.search(r"12\.05\.01\.2004 +Sampe Raya +Pelaksanaan ", demo_run.out)
