"""Who signs what (spec/documents.md, "A Camat signs it without a correction"): nobody signs
twice, the Ketua BPD/LPM from the Peserta rows, Daftar Hadir rows, the kop, the clauses a
berita acara leaves out, the counted lampiran, the dates of the Rekap and of the letters,
unbreakable figures. Rendered docx read back; the PDF layout is tested in test_layout.py."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from pipeline.core.config import Settings
from pipeline.core.models import Peserta
from pipeline.core.report import Severity
from pipeline.core.standard import Keputusan
from pipeline.core.wilayah import WilayahList
from pipeline.core.workspace import Workspace
from pipeline.desa import documents as desa_docs
from pipeline.desa.check_peserta import PesertaChecks
from pipeline.documents import finishing
from pipeline.documents import render as docrender
from pipeline.documents.context import (
    NAMA_KOSONG,
    Penanda,
    baris_daftar_hadir,
    cari_ketua,
    daftar_hadir_rows,
    kop,
    sama_orang,
    tanda_tangan,
)
from pipeline.kecamatan import documents as kec_docs
from tests import snapshots as S
from tests.test_render import all_text, docx_text
from tests.test_render_kecamatan import realistic as kecamatan_realistic


def lambang(path: Path) -> Path:
    """A small PNG standing for the lambang daerah."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (120, 140), "white")
    ImageDraw.Draw(img).ellipse((10, 10, 110, 130), outline="darkgreen", width=6)
    img.save(path)
    return path


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Darwin Sembiring", "Darwin Sembiring", True),
        ("darwin  SEMBIRING", "Darwin Sembiring", True),
        ("H. Darwin Sembiring, S.Pd", "Darwin Sembiring", True),
        ("Kepala Desa Darwin Sembiring", "Darwin Sembiring", True),
        ("Drs. Rahmat Ginting, M.Si", "Rahmat Ginting", True),
        ("Ketua BPD Rahmat Ginting", "Rahmat Ginting", True),
        ("Darwin", "Darwin Sembiring", False),  # one word is too little to say
        ("Darwin Sembiring", "Dewi Sembiring", False),
        ("Kepala Desa", "Darwin Sembiring", False),
        ("", "Darwin Sembiring", False),
        (None, None, False),
    ],
)
def test_sama_orang(a: str | None, b: str | None, same: bool) -> None:
    assert sama_orang(a, b) is same


def test_one_block_per_person_at_the_place_of_the_highest_role() -> None:
    signers = [
        Penanda("Pimpinan Rapat", "Darwin Sembiring", tingkat=1),
        Penanda("Notulen", "Rina Marpaung"),
        Penanda("Ketua BPD", "Ahmad Lubis", tingkat=2),
        Penanda("Wakil Masyarakat", None),
        Penanda("Kepala Desa Lau Damak", "Darwin Sembiring", mengetahui=True, tingkat=3),
    ]
    ttd = tanda_tangan(signers)
    names = [b["nama"] for b in ttd["blok"]]
    assert names == ["Rina Marpaung", "Ahmad Lubis", NAMA_KOSONG, "Darwin Sembiring"]
    merged = ttd["blok"][-1]
    assert merged["peran"] == "Kepala Desa Lau Damak\nselaku Pimpinan Rapat,"
    assert merged["jabatan"] == ["Pimpinan Rapat", "Kepala Desa Lau Damak"]
    # four blocks: two rows of two
    assert [(r["kiri"] is None, r["tengah"] is None) for r in ttd["baris"]] == [
        (False, True),
        (False, True),
    ]
    # five blocks: the last (Mengetahui) centred alone
    signers[0] = Penanda("Pimpinan Rapat", "Budi Tarigan", tingkat=1)
    ttd = tanda_tangan(signers)
    assert len(ttd["blok"]) == 5 and ttd["baris"][-1]["tengah"]["peran"] == (
        "Mengetahui,\nKepala Desa Lau Damak,"
    )
    # dotted names are nobody in particular: never merged
    two_blank = tanda_tangan([Penanda("Notulen", None), Penanda("Wakil Masyarakat", None)])
    assert len(two_blank["blok"]) == 2


def test_nip_lines() -> None:
    ttd = tanda_tangan(
        [
            Penanda("Camat Bahorok", "Rahmat Ginting", "197005121995031002", tingkat=3),
            Penanda("Lurah Pekan Bahorok", "Siti Aminah", ""),  # civil servant, NIP unknown
            Penanda("Notulen", "Joko Purba"),
        ]
    )
    assert [b["nip"] for b in ttd["blok"]] == [
        "NIP. 197005121995031002",
        "NIP. ....................",
        "",
    ]


def test_ketua_bpd_from_the_peserta_rows() -> None:
    peserta = [
        Peserta(nama="Wakil Orang", unsur="BPD", jabatan="Wakil Ketua BPD"),
        Peserta(nama="Anggota Orang", unsur="BPD", jabatan="Anggota"),
        Peserta(nama="Ketua Lpm", unsur="LPM", jabatan="Ketua"),
        Peserta(nama="Ahmad Fauzi Lubis", unsur="BPD", jabatan="Ketua BPD"),
    ]
    assert cari_ketua(peserta, "BPD") == "Ahmad Fauzi Lubis"
    assert cari_ketua(peserta, "LPM") == "Ketua Lpm"
    assert cari_ketua(peserta[:2], "BPD") is None


# ----------------------------------------------------------------------------- daftar hadir


@pytest.mark.parametrize(("listed", "rows"), [(0, 40), (5, 40), (30, 40), (31, 41), (60, 70)])
def test_daftar_hadir_rows(listed: int, rows: int) -> None:
    assert baris_daftar_hadir(listed) == rows
    got = daftar_hadir_rows(S.peserta(listed))
    assert len(got) == rows
    assert all(r["nama"] for r in got[:listed]) and not any(r["nama"] for r in got[listed:])
    assert len(got) - listed >= 10


@pytest.mark.parametrize(("listed", "laki", "perempuan", "warned"), [(5, 20, 20, False), (5, 25, 23, True),
                                                          (40, 30, 20, False), (40, 30, 21, True),
                                                          (0, None, None, False)])  # fmt: skip
def test_peserta_melebihi_daftar(
    listed: int, laki: int | None, perempuan: int | None, warned: bool
) -> None:
    checker = PesertaChecks(WilayahList([]), dt.date(2026, 1, 20))
    ident = S.identitas().model_copy(update={"peserta_l": laki, "peserta_p": perempuan})
    cells = {"Jumlah Peserta Laki-laki": "B14"}
    checker.jumlah_peserta(ident, S.peserta(listed), "Identitas", cells)
    found = [i for i in checker.report.issues if i.code == "peserta-melebihi-daftar"]
    assert bool(found) is warned
    if warned:
        assert found[0].severity is Severity.WARNING and found[0].cell == "B14"


# ----------------------------------------------------------------------------- berita acara


def _render(ctx: dict, template: str, out: Path, base: Path | None = None) -> Path:
    return docrender.render_docx(
        docrender.BUILTIN_TEMPLATES / template, ctx, out, "A4", ctx["judul_dokumen"], base=base
    )


def test_desa_berita_acara_signatures(tmp_path: Path) -> None:
    snap = S.realistic()
    peserta = [Peserta(nama="Rahmat Ginting", unsur="BPD", jabatan="Ketua BPD"), *snap.peserta]
    snap = snap.model_copy(update={"peserta": peserta})
    ctx = desa_docs.berita_acara_context(snap, Settings())
    blocks = [b for r in ctx["ttd"] for b in (r["kiri"], r["kanan"], r["tengah"]) if b]
    # the Pimpinan Rapat "Ketua BPD Rahmat Ginting" is the Ketua BPD: one block for both
    assert [b["nama"] for b in blocks] == [
        "Dewi Lestari Tarigan",
        "Rahmat Ginting",
        NAMA_KOSONG,
        "Sudirman Sembiring",
    ]
    assert blocks[1]["peran"] == "Ketua BPD\nselaku Pimpinan Rapat,"
    text = all_text(_render(ctx, "berita-acara-desa.docx", tmp_path / "ba.docx"))
    for expected in ["selaku Pimpinan Rapat,", "Notulen,", "Wakil Masyarakat,", "Mengetahui,"]:
        assert expected in text
    assert text.count("Sudirman Sembiring") == 1  # signs once


def test_kelurahan_berita_acara_has_ketua_lpm_and_lurah(tmp_path: Path) -> None:
    snap = S.realistic(desa=S.KELURAHAN)
    ctx = desa_docs.berita_acara_context(snap, Settings())
    roles = [b["jabatan"] for r in ctx["ttd"] for b in (r["kiri"], r["kanan"], r["tengah"]) if b]
    assert ["Ketua LPM"] in roles and ["Lurah Pekan Bahorok"] in roles
    assert not any("BPD" in j for js in roles for j in js)


def test_kepala_desa_leading_the_rapat_signs_once(tmp_path: Path) -> None:
    snap = S.realistic()
    ident = snap.identitas.model_copy(update={"pimpinan_rapat": "Kepala Desa"})
    snap = snap.model_copy(update={"identitas": ident})
    ctx = desa_docs.berita_acara_context(snap, Settings())
    blocks = [b for r in ctx["ttd"] for b in (r["kiri"], r["kanan"], r["tengah"]) if b]
    assert [b["nama"] for b in blocks].count("Sudirman Sembiring") == 1
    assert blocks[-1]["peran"] == "Kepala Desa Lau Damak\nselaku Pimpinan Rapat,"


def test_clauses_with_nothing_to_count_are_left_out(tmp_path: Path) -> None:
    snap = S.realistic(n_usulan=6)
    usulan = [
        u.model_copy(update={"keputusan": Keputusan.DITERIMA, "catatan": None}) for u in snap.usulan
    ]
    snap = snap.model_copy(update={"usulan": usulan})
    ctx = desa_docs.berita_acara_context(snap, Settings())
    text = docx_text(_render(ctx, "berita-acara-desa.docx", tmp_path / "ba.docx"))
    assert "Sebanyak 6 (enam) usulan disepakati, dengan urutan prioritas" in text
    assert "diterima dengan revisi" not in text and "0 (nol)" not in text
    assert "Tidak ada usulan yang ditolak;" in text
    # all revised: said so, without a 0 (nol) diterima
    usulan = [u.model_copy(update={"keputusan": Keputusan.REVISI}) for u in snap.usulan]
    ctx = desa_docs.berita_acara_context(snap.model_copy(update={"usulan": usulan}), Settings())
    text = docx_text(_render(ctx, "berita-acara-desa.docx", tmp_path / "ba2.docx"))
    assert "Sebanyak 6 (enam) usulan disepakati, seluruhnya diterima dengan revisi" in text
    assert "0 (nol)" not in text


def test_kecamatan_berita_acara_camat_signs_once_and_lampiran_headed(tmp_path: Path) -> None:
    snap = kecamatan_realistic()
    ctx = kec_docs.berita_acara_context(snap, Settings())
    blocks = [b for r in ctx["ttd"] for b in (r["kiri"], r["kanan"], r["tengah"]) if b]
    assert [b["nama"] for b in blocks] == ["Joko Purba", "Drs. Rahmat Ginting, M.Si"]
    assert blocks[1]["nip"] == "NIP. 197005121995031002"
    out = _render(ctx, "berita-acara-kecamatan.docx", tmp_path / "ba.docx")
    with zipfile.ZipFile(out) as z:
        headers = [n for n in z.namelist() if n.startswith("word/header")]
    assert len(headers) == 2  # one heading per lampiran, on every page of it
    for part in headers:
        head = docx_text(out, part)
        assert "Berita Acara Musrenbang Kecamatan Bahorok Tahun Rencana 2027" in head
        assert "050/123/BA/2026" in head and "10 Februari 2026" in head


# ----------------------------------------------------------------------------- letters, rekap


def test_surat_pengantar_counts_its_lampiran() -> None:
    ctx = kec_docs.surat_pengantar_context(kecamatan_realistic(), Settings())
    assert ctx["lampiran"] == f"{len(ctx['berkas'])} (lima) berkas" == "5 (lima) berkas"


def test_rekap_is_dated() -> None:
    snap = kecamatan_realistic()
    assert kec_docs.rekap_context(snap, Settings())["tempat_tanggal_rekap"] == (
        "Bahorok, 10 Februari 2026"  # the musrenbang's day while the ledger knows no Rekap
    )
    snap = snap.model_copy(update={"rekap_pada": dt.date(2026, 2, 12)})
    assert kec_docs.rekap_context(snap, Settings())["tempat_tanggal_rekap"] == (
        "Bahorok, 12 Februari 2026"
    )


def test_surat_pemberitahuan_number_and_date_from_identitas() -> None:
    snap = kecamatan_realistic()
    jadwal = next(j for j in snap.jadwal if j.terisi)
    desa = kec_docs.desa_of_jadwal(snap, jadwal)
    ctx = kec_docs.surat_pemberitahuan_context(snap, Settings(), jadwal, desa)
    if not hasattr(snap.identitas, "nomor_surat_pemberitahuan"):
        pytest.skip("Identitas has no Nomor Surat Pemberitahuan yet (issue 10b)")
    assert ctx["nomor_surat"] == kec_docs.NOMOR_KOSONG  # dotted while empty
    ident = snap.identitas.model_copy(
        update={
            "nomor_surat_pemberitahuan": "005/77/BHR/2026",
            "tanggal_surat_pemberitahuan": dt.date(2026, 1, 5),
        }
    )
    ctx = kec_docs.surat_pemberitahuan_context(
        snap.model_copy(update={"identitas": ident}), Settings(), jadwal, desa
    )
    assert ctx["nomor_surat"] == "005/77/BHR/2026"
    assert ctx["tempat_tanggal_surat"] == "Bahorok, 5 Januari 2026"


# ----------------------------------------------------------------------------- kop, figures


def test_kop_lines_from_settings() -> None:
    settings = Settings.model_validate(
        {"kop": {"telepon": "(061) 891234", "email": "kec@langkatkab.go.id", "kode_pos": "20774"}}
    )
    k = kop(settings, "Kabupaten Langkat", "Bahorok", "Jl. Perintis No. 1")
    assert k["alamat"] == "Jl. Perintis No. 1, Kode Pos 20774"
    assert k["kontak"] == "Telp. (061) 891234, E-mail: kec@langkatkab.go.id"
    assert k["pemerintah"] == "PEMERINTAH KABUPATEN LANGKAT" and k["lambang"] == ""


def test_kop_lambang_on_every_kecamatan_document(tmp_path: Path) -> None:
    lambang(tmp_path / "lambang.png")
    settings = Settings.model_validate(
        {"kop": {"logo": "lambang.png", "alamat_kecamatan": "Jl. Perintis Kemerdekaan No. 1"}}
    )
    snap = kecamatan_realistic()
    ws = Workspace(tmp_path)
    result = kec_docs.produce_kecamatan_documents(ws, settings, snap, None)
    docxs = [p for p in result.outputs if p.suffix == ".docx"]
    assert len(docxs) >= 5
    for path in docxs:
        with zipfile.ZipFile(path) as z:
            assert any(n.startswith("word/media/") for n in z.namelist()), path.name
        text = docx_text(path)
        assert "Jl. Perintis Kemerdekaan No. 1" in text, path.name
        assert "xmlns" not in text and "<w:" not in text, path.name  # an image, not its XML
    assert not [i for i in result.issues if i.code == "lambang-tidak-ada"]
    # a lambang that is not there: the documents are written without it, and a warning
    (tmp_path / "lambang.png").unlink()
    result = kec_docs.produce_kecamatan_documents(ws, settings, snap, None)
    assert [i.code for i in result.issues].count("lambang-tidak-ada") == 1
    assert all(
        not any(n.startswith("word/media/") for n in zipfile.ZipFile(p).namelist())
        for p in result.outputs
        if p.suffix == ".docx"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(01-12-2026)", "(01\u201112\u20112026)"),
        ("tanggal 1-2-2026 dan", "tanggal 1\u20112\u20112026 dan"),
        ("sebesar Rp 1.250.000 (", "sebesar Rp\u00a01.250.000 ("),
        ("-Rp 5.000", "-Rp\u00a05.000"),
        ("NIP. 197005121995031002", "NIP.\u00a0197005121995031002"),
        ("12.05.01.2002-2027-0001", "12.05.01.2002-2027-0001"),  # a code may break at '-'
        ("Dusun I-II", "Dusun I-II"),
    ],
)
def test_figures_are_unbreakable(text: str, expected: str) -> None:
    assert finishing.unbreakable(text) == expected
