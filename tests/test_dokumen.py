"""Supporting documents: checks per kind, manifest (json + xlsx), Lampiran Foto PDF; real files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from PIL import Image
from pypdf import PdfReader

from pipeline.core.config import DokumenSettings
from pipeline.scans.dokumen import check_document
from pipeline.scans.lampiran_foto import (
    FotoExif,
    FotoLampiran,
    KepalaLampiran,
    build_lampiran_foto,
    caption_from_name,
    foto_exif,
)
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
from tests.xlsx_checks import check_report_sheet

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
    check_report_sheet(ws, header_row=1, data_rows=4, totals=0)
    ringkasan = wb["Ringkasan"]
    assert ringkasan.print_title_rows == "$1:$1" and "&P" in (ringkasan.oddFooter.center.text or "")
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert not [p for p in json_path.parent.iterdir() if p.name.startswith(".~tmp")]


def test_empty_manifest(tmp_path: Path) -> None:
    write_manifest([], tmp_path / "m.json", tmp_path / "m.xlsx")
    assert json.loads((tmp_path / "m.json").read_text())["dokumen"] == []
    assert openpyxl.load_workbook(tmp_path / "m.xlsx")["Manifest"].max_row == 1
    assert read_manifest(tmp_path / "tidak-ada.json") == []


# --- Lampiran Foto ---------------------------------------------------------------------------


def _photos(tmp_path: Path, n: int) -> list[FotoLampiran]:
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
        out.append(FotoLampiran(path, f"Suasana {i + 1}", f"Diambil pukul 10.{i:02d}", path.name))
    return out


KEPALA = KepalaLampiran(
    judul="LAMPIRAN FOTO DOKUMENTASI",
    baris=("Musrenbang Desa Lau Damak, Kecamatan Bahorok, Kabupaten Langkat", "Tahun Rencana 2027"),
    dokumen="Lampiran Foto Musrenbang Desa Lau Damak 2027",
)


def pdf_page_text(path: Path, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return " ".join(done.stdout.split())


def _embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                d = descendant.get_object()["/FontDescriptor"].get_object()
                if any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(d["/FontName"]))
    return names


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils tidak terpasang")
def test_lampiran_foto_is_a_document_with_text_two_photos_a_page(tmp_path: Path) -> None:
    photos = _photos(tmp_path, 7)
    out = tmp_path / "out" / "Lampiran Foto Musrenbang Desa Lau Damak 2027.pdf"
    build_lampiran_foto(photos, out, "A4", KEPALA)
    reader = PdfReader(out)
    assert len(reader.pages) == 4  # 7 photos, 2 a page
    assert reader.metadata is not None and reader.metadata.title == KEPALA.dokumen
    for n, page in enumerate(reader.pages, 1):
        assert float(page.mediabox.width) == pytest.approx(A4[0], abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4[1], abs=1)
        text = pdf_page_text(out, n)
        # every page is headed with its document, numbered in the whole
        assert "LAMPIRAN FOTO DOKUMENTASI" in text
        assert "Musrenbang Desa Lau Damak, Kecamatan Bahorok, Kabupaten Langkat" in text
        assert f"Halaman {n} dari 4" in text
        on_page = photos[(n - 1) * 2 : n * 2]
        for i, foto in enumerate(on_page, (n - 1) * 2 + 1):
            assert f"Foto {i}. {foto.judul}" in text and foto.waktu in text
            assert f"Berkas: {foto.berkas}" in text
        # the photos are images of their own: no page-sized picture with words burned in
        images = list(page.images)
        assert len(images) == len(on_page)
        for image in images:
            assert image.image is not None
            w, h = image.image.size
            assert max(w, h) / min(w, h) == pytest.approx(4 / 3, abs=0.02)
    assert _embedded_fonts(reader)  # the text's font travels with the file


def test_lampiran_foto_f4_placeholder_and_empty(tmp_path: Path) -> None:
    photos = _photos(tmp_path, 7)
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(b"bukan foto")
    eight = build_lampiran_foto(
        [*photos, FotoLampiran(broken, "Rusak", "-", "rusak.jpg")], tmp_path / "f4.pdf", "F4",
        KEPALA,
    )  # fmt: skip
    reader = PdfReader(eight)
    assert len(reader.pages) == 4  # 8 photos (one a placeholder), 2 a page
    assert float(reader.pages[0].mediabox.height) == pytest.approx(F4[1], abs=1)
    assert len(list(reader.pages[3].images)) == 1  # the broken one is a grey box
    assert "Pratinjau foto tidak tersedia" in reader.pages[3].extract_text()
    none = build_lampiran_foto([], tmp_path / "kosong.pdf", "A4", KEPALA)
    (page,) = PdfReader(none).pages
    assert "Belum ada foto dokumentasi." in page.extract_text()


def test_lampiran_foto_turns_photos_upright(tmp_path: Path) -> None:
    # One portrait photo stored landscape with orientation 6: on the page it must be taller
    # than wide.
    photo = make_photo(
        tmp_path / "tegak.jpg", "Tegak", size=(600, 800), exif_orientation=6, quality=90
    )
    with Image.open(photo) as stored:
        assert stored.size == (800, 600)
    out = build_lampiran_foto(
        [FotoLampiran(photo, "Tegak", "-", "tegak.jpg")], tmp_path / "l.pdf", "A4", KEPALA
    )
    (page,) = PdfReader(out).pages
    (image,) = list(page.images)
    assert image.image is not None
    width, height = image.image.size
    assert height > width


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("suasana_musrenbang.jpg", "Suasana musrenbang"),
        ("pembukaan oleh kepala desa.JPG", "Pembukaan oleh kepala desa"),
        ("rapat-dusun-II.jpeg", "Rapat dusun II"),
        ("foto musrenbang 3.jpg", "Foto musrenbang 3"),
        ("IMG_0001.jpg", None),
        ("IMG_20260113_101500.jpg", None),
        ("DSC_0042.JPG", None),
        ("20260113_101500.jpg", None),
        ("PXL_20260113_031500123.jpg", None),
        ("WhatsApp Image 2026-01-13 at 10.15.00.jpeg", None),
        ("1234.png", None),
    ],
)
def test_caption_from_the_file_name_only_when_it_says_something(name: str, caption: str | None):
    assert caption_from_name(name) == caption


def _with_exif(path: Path, *, description: str | None, taken: str | None) -> Path:
    img = Image.open(make_photo(path.with_suffix(".src.jpg"), "x", size=(320, 240)))
    exif = img.getexif()
    if description is not None:
        exif[0x010E] = description
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken
    img.save(path, exif=exif)
    return path


def test_exif_caption_and_date_taken(tmp_path: Path) -> None:
    from pipeline.desa.lampiran import FotoMasuk, foto_words

    shot = _with_exif(tmp_path / "IMG_0007.jpg", description="Pembukaan oleh Camat",
                      taken="2026:01:13 10:15:00")  # fmt: skip
    assert foto_exif(shot) == FotoExif("Pembukaan oleh Camat", dt.datetime(2026, 1, 13, 10, 15))
    camera = _with_exif(tmp_path / "DSC_0001.jpg", description="OLYMPUS DIGITAL CAMERA",
                        taken="0000:00:00 00:00:00")  # fmt: skip
    assert foto_exif(camera) == FotoExif(None, None)
    received = dt.datetime(2026, 1, 14, 2, 0, tzinfo=dt.UTC)  # 09.00 WIB
    words = foto_words(FotoMasuk(shot, "IMG_0007.jpg", received), WIB, "Dokumentasi")
    assert (words.judul, words.waktu) == (
        "Pembukaan oleh Camat",
        "Diambil Selasa, 13 Januari 2026 pukul 10.15",
    )
    words = foto_words(FotoMasuk(camera, "DSC_0001.jpg", received), WIB, "Dokumentasi")
    assert words.judul == "Dokumentasi" and words.berkas == "DSC_0001.jpg"
    assert (
        words.waktu
        == "Waktu pengambilan tidak tercatat; diterima Rabu, 14 Januari 2026 pukul 09.00"
    )
    named = make_photo(tmp_path / "suasana musrenbang.jpg", "x", size=(320, 240))
    assert (
        foto_words(FotoMasuk(named, named.name, received), WIB, "-").judul == "Suasana musrenbang"
    )
