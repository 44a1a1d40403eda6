"""Supporting documents: checks per kind, manifest (json + xlsx), Lampiran Foto PDF; real files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader

from pipeline.core.config import DokumenSettings
from pipeline.scans.dokumen import check_document
from pipeline.scans.lampiran_foto import build_lampiran_foto, foto_caption
from pipeline.scans.manifest import (
    ManifestEntry,
    count_by_jenis,
    manifest_entry,
    read_manifest,
    write_manifest,
)
from pipeline.scans.samples import (
    make_bomb_png,
    make_encrypted_pdf,
    make_photo,
    make_scan,
    make_text_pdf,
)

WIB = ZoneInfo("Asia/Jakarta")
A4 = (595.28, 841.89)
F4 = (609.45, 935.43)
FOLDER = "12.05.01 Bahorok/12.05.01.2002 Lau Damak"


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def _mp4(path: Path) -> Path:
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 500)
    return path


def _heic(path: Path) -> Path:
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 500)
    return path


# --- checks ----------------------------------------------------------------------------------


def test_good_documents_of_every_kind_pass(tmp_path: Path) -> None:
    settings = DokumenSettings()
    cases = [
        (make_photo(tmp_path / "IMG_0001.jpg", "Musrenbang", size=(800, 600)), "foto"),
        (make_photo(tmp_path / "IMG_0002.jpg", "Musrenbang", exif_orientation=6), "foto"),
        (_heic(tmp_path / "IMG_0003.HEIC"), "foto"),
        (_mp4(tmp_path / "rapat.mp4"), "video"),
        (make_scan(tmp_path / "absen.pdf", "Daftar Hadir", pages=2, size=(620, 877)), "absensi"),
        (make_scan(tmp_path / "absen.tif", "Daftar Hadir", size=(620, 877)), "absensi"),
        (_docx(tmp_path / "berita acara.docx"), "berita-acara"),
        (make_text_pdf(tmp_path / "tanda terima.pdf", "Tanda Terima"), "tanda-terima"),
        (make_scan(tmp_path / "undangan.png", "Undangan", size=(620, 877)), "undangan"),
    ]
    for path, jenis in cases:
        report = check_document(path, jenis, settings, f"dokumen/{jenis}/{path.name}")
        assert report.codes() == [], (path.name, report.issues)


@pytest.mark.parametrize(
    ("name", "jenis", "code"),
    [
        ("setup.exe", "foto", "jenis-berkas-tidak-dikenal"),
        ("laporan.pdf", "foto", "jenis-berkas-tidak-dikenal"),  # a PDF is not a photo
        ("rapat.docx", "video", "jenis-berkas-tidak-dikenal"),
        ("foto.jpg", "tidak-ada", "lokasi-berkas-salah"),
    ],
)
def test_extension_not_accepted_for_the_kind(
    tmp_path: Path, name: str, jenis: str, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x00" * 100)
    report = check_document(path, jenis, DokumenSettings(), name)
    assert report.codes() == [code]
    assert name in report.issues[0].message


def test_accepted_lists_come_from_the_settings(tmp_path: Path) -> None:
    settings = DokumenSettings(berita_acara=["pdf"], tanda_terima=[".PDF", ".jpg"])
    docx = _docx(tmp_path / "ba.docx")
    report = check_document(docx, "berita-acara", settings, "ba.docx")
    assert report.codes() == ["jenis-berkas-tidak-dikenal"]
    assert "pdf" in report.issues[0].message
    photo = make_photo(tmp_path / "tt.JPG", "Tanda terima", size=(400, 300))
    assert check_document(photo, "tanda-terima", settings, "tt.JPG").ok


def test_size_limit_per_kind(tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "besar.jpg", "Musrenbang", size=(1600, 1200))
    assert photo.stat().st_size > 50_000
    limits = {"foto": 0.04, "berita-acara": 30}
    settings = DokumenSettings(batas_mb=limits)
    report = check_document(photo, "foto", settings, "besar.jpg")
    assert report.codes() == ["ukuran-melebihi-batas"]
    assert "MB" in report.issues[0].message
    assert check_document(photo, "foto", DokumenSettings(), "besar.jpg").ok


def _truncated(tmp_path: Path) -> Path:
    data = make_scan(tmp_path / "utuh.pdf", "Absen", size=(620, 877)).read_bytes()
    path = tmp_path / "absen.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.mark.parametrize(
    ("case", "jenis", "code"),
    [
        ("empty", "foto", "berkas-kosong"),
        ("not-image", "foto", "gambar-rusak"),
        ("bomb", "foto", "gambar-terlalu-besar"),
        ("truncated-pdf", "absensi", "pdf-rusak"),
        ("encrypted-pdf", "undangan", "berkas-terkunci"),
        ("fake-video", "video", "berkas-rusak"),
        ("fake-docx", "berita-acara", "berkas-rusak"),
        ("fake-heic", "foto", "gambar-rusak"),
    ],
)
def test_bad_documents(tmp_path: Path, case: str, jenis: str, code: str) -> None:
    makers = {
        "empty": lambda: _write(tmp_path / "kosong.jpg", b""),
        "not-image": lambda: _write(tmp_path / "foto.jpg", b"bukan gambar " * 50),
        "bomb": lambda: make_bomb_png(tmp_path / "bom.png"),
        "truncated-pdf": lambda: _truncated(tmp_path),
        "encrypted-pdf": lambda: make_encrypted_pdf(
            make_text_pdf(tmp_path / "u.pdf", "Undangan"), tmp_path / "undangan.pdf"
        ),
        "fake-video": lambda: _write(tmp_path / "rapat.mp4", b"<html>error 404</html>" * 10),
        "fake-docx": lambda: _write(tmp_path / "ba.docx", b"bukan zip" * 10),
        "fake-heic": lambda: _write(tmp_path / "IMG.heic", b"\xff\xd8\xff" + b"\x00" * 100),
    }
    path = makers[case]()
    report = check_document(path, jenis, DokumenSettings(), path.name)
    assert report.codes() == [code]
    assert not report.ok


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- manifest --------------------------------------------------------------------------------


def _entries(tmp_path: Path) -> list[ManifestEntry]:
    t0 = dt.datetime(2026, 11, 22, 9, 15, 2, tzinfo=WIB)
    files = [
        ("undangan", make_text_pdf(tmp_path / "undangan.pdf", "Undangan"), 3),
        ("foto", make_photo(tmp_path / "IMG_0002.jpg", "b", size=(300, 200)), 2),
        ("foto", make_photo(tmp_path / "IMG_0001.jpg", "a", size=(300, 200)), 1),
        ("video", _mp4(tmp_path / "rapat.mp4"), 4),
    ]
    return [
        manifest_entry(
            path,
            jenis=jenis,
            folder=FOLDER,
            arsip=f"arsip/2026/11/22/{path.name}",
            diterima_pada=t0 + dt.timedelta(minutes=minutes),
        )
        for jenis, path, minutes in files
    ]


def test_manifest_json_and_xlsx(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    json_path = tmp_path / "out" / "Manifest Dokumen Musrenbang Desa Lau Damak 2027.json"
    xlsx_path = json_path.with_suffix(".xlsx")
    write_manifest(entries, json_path, xlsx_path)

    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["jumlah_berkas"] == 4
    assert data["jumlah_per_jenis"]["foto"] == 2 and data["jumlah_per_jenis"]["absensi"] == 0
    docs = data["dokumen"]
    # ordered by kind (folder order), then time received
    assert [(d["jenis"], d["nama_asli"]) for d in docs] == [
        ("foto", "IMG_0001.jpg"),
        ("foto", "IMG_0002.jpg"),
        ("video", "rapat.mp4"),
        ("undangan", "undangan.pdf"),
    ]
    first = docs[0]
    assert set(first) == {
        "jenis",
        "nama_asli",
        "ukuran",
        "sha256",
        "diterima_pada",
        "folder",
        "arsip",
    }
    photo = tmp_path / "IMG_0001.jpg"
    assert first["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert first["ukuran"] == photo.stat().st_size
    assert first["diterima_pada"] == "2026-11-22T09:16:02+07:00"
    assert first["folder"] == FOLDER
    assert read_manifest(json_path)[0] == sorted(entries, key=lambda e: e.diterima_pada)[0]

    wb = openpyxl.load_workbook(xlsx_path)
    ws = wb["Manifest"]
    header = [c.value for c in ws[1]]
    assert header == [
        "No",
        "Jenis",
        "Nama Berkas Asli",
        "Ukuran (byte)",
        "SHA-256",
        "Diterima Pada",
        "Folder Desa",
        "Arsip",
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H5"
    assert ws.column_dimensions["E"].width >= 64  # a whole sha256 is readable
    assert ws["C2"].value == "IMG_0001.jpg"
    assert ws["D2"].value == photo.stat().st_size
    assert ws["E2"].value == first["sha256"]
    assert ws["F2"].value == dt.datetime(2026, 11, 22, 9, 16, 2)
    assert ws["G2"].value == FOLDER
    assert ws.max_row == 5
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary == count_by_jenis(entries)
    assert not [p for p in json_path.parent.iterdir() if p.name.startswith(".~tmp")]


def test_empty_manifest(tmp_path: Path) -> None:
    write_manifest([], tmp_path / "m.json", tmp_path / "m.xlsx")
    assert json.loads((tmp_path / "m.json").read_text())["dokumen"] == []
    assert openpyxl.load_workbook(tmp_path / "m.xlsx")["Manifest"].max_row == 1
    assert read_manifest(tmp_path / "tidak-ada.json") == []


# --- Lampiran Foto ---------------------------------------------------------------------------


def _photos(tmp_path: Path, n: int) -> list[tuple[Path, str]]:
    when = dt.datetime(2026, 11, 22, 10, 0, tzinfo=WIB)
    out = []
    for i in range(n):
        orientation = [None, 6, 8, 0][i % 4]
        path = make_photo(
            tmp_path / f"IMG_{i:04d}.jpg",
            "Musrenbang",
            size=(640, 480),
            exif_orientation=orientation,
            seed=i,
        )
        out.append((path, foto_caption(path.name, when + dt.timedelta(minutes=i))))
    return out


def test_lampiran_foto_pages_and_size(tmp_path: Path) -> None:
    photos = _photos(tmp_path, 7)
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(b"bukan foto")
    out = tmp_path / "out" / "Lampiran Foto Musrenbang Desa Lau Damak 2027.pdf"
    title = "Lampiran Foto Musrenbang Desa Lau Damak 2027"
    build_lampiran_foto(photos, out, "A4", title)
    reader = PdfReader(out)
    assert len(reader.pages) == 2  # 7 photos, 4 per page
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)
    assert reader.metadata is not None and reader.metadata.title == title

    six = build_lampiran_foto(
        [*photos, (broken, "rusak.jpg")], tmp_path / "enam.pdf", "F4", title, per_page=6
    )
    reader = PdfReader(six)
    assert len(reader.pages) == 2  # 8 photos (one a placeholder), 6 per page
    assert float(reader.pages[0].mediabox.height) == pytest.approx(F4[1], abs=1)

    none = build_lampiran_foto([], tmp_path / "kosong.pdf", "A4", title)
    assert len(PdfReader(none).pages) == 1


def test_lampiran_foto_turns_photos_upright(tmp_path: Path) -> None:
    # One portrait photo stored landscape with orientation 6: on the page it must be taller
    # than wide. Measure the photo's non-white area in the rendered page image.
    photo = make_photo(
        tmp_path / "tegak.jpg", "Tegak", size=(600, 800), exif_orientation=6, quality=90
    )
    with Image.open(photo) as stored:
        assert stored.size == (800, 600)
    out = build_lampiran_foto([(photo, "tegak.jpg")], tmp_path / "l.pdf", "A4", "Lampiran")
    (page,) = PdfReader(out).pages
    (image,) = list(page.images)
    assert image.image is not None
    rendered = image.image.convert("L")
    width, height = rendered.size
    # the first photo cell: left half of the page, below the title
    cell = rendered.crop((0, int(height * 0.1), width // 2, int(height * 0.55)))
    box = cell.point(lambda v: 255 if v < 235 else 0).getbbox()
    assert box is not None
    assert (box[3] - box[1]) > (box[2] - box[0])
