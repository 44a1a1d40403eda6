"""Kecamatan documents: registry, template contract, docx text of every document, one Surat
Pemberitahuan per filled Jadwal row, the rekap workbook, hostile text, broken templates, and
one real LibreOffice batch (PDF text and page sizes).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pipeline.core.config import Settings
from pipeline.core.jejak import digest
from pipeline.core.models import (
    IdentitasKecamatan,
    JadwalDesa,
    KecamatanSnapshot,
    Peserta,
    UsulanKecamatan,
    Wilayah,
)
from pipeline.core.standard import BIDANG, KECAMATAN_USULAN_COLUMNS, Keputusan, TahapKecamatan
from pipeline.core.workspace import Workspace
from pipeline.documents import render as docrender
from pipeline.documents.convert import Converter
from pipeline.documents.formatting import rupiah, terbilang
from pipeline.kecamatan import documents as render_kecamatan
from pipeline.kecamatan.documents import (
    KECAMATAN_DOCUMENTS,
    SURAT_PEMBERITAHUAN,
    kecamatan_documents_for,
    produce_kecamatan_documents,
    surat_pemberitahuan_context,
    surat_pemberitahuan_for,
)
from pipeline.kecamatan.rekap_xlsx import SHEET_BIDANG, SHEET_DESA, SHEET_OPD, SHEET_USULAN

KECAMATAN = Wilayah(kode="12.05.01", nama="Bahorok")
KABUPATEN = Wilayah(kode="12.05", nama="Kabupaten Langkat")
PEKAN = Wilayah(kode="12.05.01.1001", nama="Pekan Bahorok")
LAU_DAMAK = Wilayah(kode="12.05.01.2002", nama="Lau Damak")
TIMBANG = Wilayah(kode="12.05.01.2003", nama="Timbang Lawan")
DESA = [PEKAN, LAU_DAMAK, TIMBANG]
OPD = [
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Pertanian",
    "Dinas Sosial",
]
KEGIATAN = [
    "Pembangunan jalan rabat beton",
    "Rehabilitasi saluran drainase",
    "Pembangunan jembatan titi",
    "Penerangan jalan umum tenaga surya",
    "Pelatihan kader posyandu",
    "Bantuan bibit jagung",
]
SPECS = {d.key: d for d in KECAMATAN_DOCUMENTS}
HOSTILE = [
    "A & B <jalan> \"kutip\" 'tunggal'",
    "{{ kop.pemerintah }} {% for x in y %}",
    "{%p if true %} {%tr endfor %} {_{ }_} {#komentar#}",
    "Ñoño Ṡiṫi 王 Đặng",
    "=SUM(A1:A9)",
    "]]> <![CDATA[ x ]]> &amp; &#x41;",
]


# ----------------------------------------------------------------------------- snapshots


def _usulan() -> list[UsulanKecamatan]:
    """30 usulan from the three desa (12 + 10 + 8) and 3 from two UPT, decided."""
    rows: list[UsulanKecamatan] = []
    prioritas = 0
    sources = [(LAU_DAMAK, 12), (PEKAN, 10), (TIMBANG, 8)]
    i = 0
    for desa, n in sources:
        for k in range(n):
            rows.append(
                UsulanKecamatan(
                    kode_usulan=f"{desa.kode}-2027-{k + 1:03d}",
                    asal=["Dusun I", "Dusun II", "Lingkungan III"][k % 3],
                    desa=desa.nama,
                    bidang=BIDANG[i % len(BIDANG)],
                    kegiatan=KEGIATAN[i % len(KEGIATAN)],
                    lokasi=f"Dusun {k % 4 + 1}",
                    volume=Decimal(["150", "2", "1", "2.5"][i % 4]),
                    satuan=["m", "unit", "paket", "titik"][i % 4],
                    biaya=(i + 1) * 12_500_000 + (250_000 if i % 3 else 0),
                    sumber_dana="APBD Kabupaten",
                    opd_tujuan=OPD[i % len(OPD)],
                )
            )
            i += 1
    upt = [
        ("UPT Puskesmas Bahorok", "Dinas Kesehatan", "Pengadaan ambulans desa siaga"),
        ("UPT Puskesmas Bahorok", "Dinas Kesehatan", "Rehabilitasi pustu Lau Damak"),
        ("UPT Pendidikan Kecamatan Bahorok", "Dinas Pendidikan", "Rehabilitasi ruang kelas SD"),
    ]
    for k, (asal, opd, kegiatan) in enumerate(upt, 1):
        rows.append(
            UsulanKecamatan(
                kode_usulan=f"12.05.01-2027-{k:04d}",
                asal=asal,
                bidang=BIDANG[1],
                kegiatan=kegiatan,
                lokasi="Kecamatan Bahorok",
                volume=Decimal("1"),
                satuan="paket",
                biaya=k * 150_000_000,
                sumber_dana="APBD Kabupaten",
                opd_tujuan=opd,
            )
        )
    decided = []
    for i, u in enumerate(rows):
        if i % 7 == 6:
            update: dict[str, Any] = {
                "keputusan": Keputusan.DITOLAK,
                "catatan": "Sudah dianggarkan tahun berjalan",
            }
        else:
            prioritas += 1
            revisi = i % 5 == 2
            update = {
                "keputusan": Keputusan.REVISI if revisi else Keputusan.DITERIMA,
                "catatan": "Volume disesuaikan pagu" if revisi else None,
                "prioritas": prioritas,
            }
        decided.append(u.model_copy(update=update))
    return decided


def realistic(tahap: TahapKecamatan | None = TahapKecamatan.KIRIM) -> KecamatanSnapshot:
    peserta = [
        Peserta(
            nama=f"{['Ahmad', 'Siti', 'Budi', 'Dewi', 'Rudi'][i % 5]} Sembiring {i + 1}",
            jenis_kelamin="P" if i % 5 in (1, 3) else "L",
            unsur=["Kepala Desa", "PKK", "LPM", "BPD", "UPT"][i % 5],
            jabatan="Ketua" if i % 4 == 0 else None,
            alamat=DESA[i % 3].nama,
        )
        for i in range(25)
    ]
    snap = KecamatanSnapshot(
        kecamatan=KECAMATAN,
        kabupaten=KABUPATEN,
        tahun=2027,
        tahap=tahap,
        identitas=IdentitasKecamatan(
            kode=KECAMATAN.kode,
            nama=KECAMATAN.nama,
            tahun=2027,
            tahap=tahap,
            tanggal_musrenbang=dt.date(2026, 2, 10),
            jam_mulai="09.00",
            tempat="Aula Kantor Camat Bahorok",
            alamat="Jl. Sudirman No. 12, Pekan Bahorok",
            nama_camat="Drs. Rahmat Ginting, M.Si",
            nip_camat="197005121995031002",
            nama_sekcam="Siti Aminah Tarigan, S.Sos",
            nip_sekcam="198001012005012003",
            pimpinan_sidang="Drs. Rahmat Ginting, M.Si",
            notulen="Joko Purba",
            nomor_berita_acara="050/123/BA/2026",
            nomor_surat_pengantar="050/145/2026",
            peserta_l=40,
            peserta_p=23,
        ),
        jadwal=[
            JadwalDesa(
                kode_desa=PEKAN.kode,
                nama_desa=PEKAN.nama,
                tanggal_musrenbang=dt.date(2026, 1, 13),
                jam_mulai="09.00",
                tempat="Aula Kantor Lurah Pekan Bahorok",
            ),
            JadwalDesa(
                kode_desa=LAU_DAMAK.kode,
                nama_desa=LAU_DAMAK.nama,
                tanggal_musrenbang=dt.date(2026, 1, 15),
                jam_mulai="14.00",
                tempat="Balai Desa Lau Damak",
            ),
            JadwalDesa(kode_desa=TIMBANG.kode, nama_desa=TIMBANG.nama),
        ],
        peserta=peserta,
        usulan=_usulan(),
        desa=DESA,
        desa_terkirim=[PEKAN.kode, LAU_DAMAK.kode, TIMBANG.kode],
        dikirim_pada=dt.datetime(2026, 2, 16, 10, 30),
    )
    # a jejak as the ledger's would be: a digest of the state (no ledger behind it)
    return snap.model_copy(update={"jejak": digest(snap.model_dump(mode="json"))})


def hostile(tahap: TahapKecamatan = TahapKecamatan.KIRIM) -> KecamatanSnapshot:
    base = realistic(tahap)
    ident = base.identitas.model_copy(
        update={
            "tempat": HOSTILE[0],
            "alamat": HOSTILE[1],
            "nama_camat": HOSTILE[3],
            "nama_sekcam": HOSTILE[2],
            "pimpinan_sidang": HOSTILE[2],
            "notulen": "kontrol\x00\x01\x07\x0b akhir",
            "nomor_berita_acara": HOSTILE[5],
            "nomor_surat_pengantar": HOSTILE[1],
            "jam_mulai": "09.00 <WIB>",
        }
    )
    usulan = [
        u.model_copy(
            update={
                "kegiatan": HOSTILE[i % len(HOSTILE)],
                "opd_tujuan": HOSTILE[(i + 1) % len(HOSTILE)],
                "asal": HOSTILE[0] if not u.desa else u.asal,
                "catatan": HOSTILE[4] if u.catatan else None,
            }
        )
        for i, u in enumerate(base.usulan)
    ]
    jadwal = [j.model_copy(update={"tempat": HOSTILE[0]}) for j in base.jadwal]
    peserta = [p.model_copy(update={"nama": HOSTILE[i % 6]}) for i, p in enumerate(base.peserta)]
    return base.model_copy(
        update={
            "kecamatan": Wilayah(kode=KECAMATAN.kode, nama="Ñoño & <Bahorok> 王"),
            "identitas": ident,
            "usulan": usulan,
            "jadwal": jadwal,
            "peserta": peserta,
        }
    )


# ----------------------------------------------------------------------------- helpers


def docx_text(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read(part).decode("utf-8")
    lines = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL):
        lines.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)))
    # unbreakable figures (finishing.unbreakable) read as the plain text they show
    text = html.unescape("\n".join(lines))
    return text.replace("\u00a0", " ").replace("\u2011", "-")


def all_text(path: Path) -> str:
    """The text of the body and of every page header (the lampiran headings) of a docx."""
    with zipfile.ZipFile(path) as z:
        headers = sorted(n for n in z.namelist() if re.fullmatch(r"word/header\d*\.xml", n))
    return "\n".join(docx_text(path, part) for part in ["word/document.xml", *headers])


def table_headed(path: Path, first: str, nth: int = 0) -> Any:
    """The `nth` table of a docx whose header row starts with the label `first`."""
    tables = [t for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == first]
    return tables[nth]


def plain(text: str) -> str:
    """A cell's text as it reads (non-breaking spaces and hyphens as plain ones)."""
    return text.replace("\u00a0", " ").replace("\u2011", "-")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def produce(
    tmp_path: Path, snap: KecamatanSnapshot, converter: Converter | None = None
) -> tuple[Workspace, docrender.DocumentsResult, Path]:
    ws = Workspace(tmp_path / "ws")
    result = produce_kecamatan_documents(ws, Settings(), snap, converter)
    return ws, result, ws.outbox_kecamatan(snap.kecamatan, snap.tahun)


def by_name(folder: Path) -> dict[str, Path]:
    return {p.name: p for p in folder.iterdir()}


# ----------------------------------------------------------------------------- registry


def test_registry_per_stage() -> None:
    keys = {t: [d.key for d in kecamatan_documents_for(t)] for t in TahapKecamatan}
    assert keys[TahapKecamatan.PERSIAPAN] == ["daftar-hadir"]
    assert keys[TahapKecamatan.PELAKSANAAN] == ["daftar-hadir"]
    assert keys[TahapKecamatan.REKAP] == ["daftar-hadir", "berita-acara", "rekap"]
    assert keys[TahapKecamatan.KIRIM] == [
        "daftar-hadir",
        "berita-acara",
        "rekap",
        "surat-pengantar",
    ]
    assert kecamatan_documents_for(None) == []
    assert SPECS["rekap"].xlsx is not None
    assert set(SURAT_PEMBERITAHUAN.tahap) == set(TahapKecamatan)
    for spec in KECAMATAN_DOCUMENTS:
        assert (docrender.BUILTIN_TEMPLATES / spec.template).is_file()
    assert (docrender.BUILTIN_TEMPLATES / SURAT_PEMBERITAHUAN.template).is_file()


@pytest.mark.parametrize("tahap", list(TahapKecamatan))
def test_files_per_stage_named_as_documents_md(tmp_path: Path, tahap: TahapKecamatan) -> None:
    _ws, result, folder = produce(tmp_path, realistic(tahap))
    names = set(by_name(folder))
    assert {p.name for p in result.outputs} == names
    expected = {
        "Daftar Hadir Musrenbang Kecamatan Bahorok 2027.docx",
        "Surat Pemberitahuan Musrenbang Kelurahan Pekan Bahorok 2027.docx",
        "Surat Pemberitahuan Musrenbang Desa Lau Damak 2027.docx",
    }
    if tahap in (TahapKecamatan.REKAP, TahapKecamatan.KIRIM):
        expected |= {
            "Berita Acara Musrenbang Kecamatan Bahorok 2027.docx",
            "Rekap Usulan Musrenbang Kecamatan Bahorok 2027.docx",
            "Rekap Usulan Musrenbang Kecamatan Bahorok 2027.xlsx",
        }
    if tahap is TahapKecamatan.KIRIM:
        expected.add("Surat Pengantar Musrenbang Kecamatan Bahorok 2027.docx")
    assert names == expected
    assert folder == tmp_path / "ws" / "outbox" / "12.05.01 Bahorok" / "2027"
    # no LibreOffice given: docx published, PDFs skipped with one issue
    assert [i.code for i in result.issues] == ["pdf-dilewati"]
    assert not list((tmp_path / "ws" / ".musrenbang" / "tmp").iterdir())


def test_nothing_before_the_first_workbook(tmp_path: Path) -> None:
    snap = realistic(None)
    assert surat_pemberitahuan_for(snap) == []
    _ws, result, folder = produce(tmp_path, snap)
    assert result.outputs == [] and result.issues == [] and not folder.exists()


# ----------------------------------------------------------------------------- contract


def _contexts(snap: KecamatanSnapshot) -> list[tuple[str, dict[str, Any]]]:
    out = [(spec.template, spec.context(snap, Settings())) for spec in KECAMATAN_DOCUMENTS]
    jadwal = snap.jadwal[0].model_copy(update={"tanggal_musrenbang": dt.date(2026, 1, 13)})
    desa = render_kecamatan.desa_of_jadwal(snap, jadwal)
    ctx = surat_pemberitahuan_context(snap, Settings(), jadwal, desa)
    out.append((SURAT_PEMBERITAHUAN.template, ctx))
    return out


def test_template_contract_every_variable_exists_in_its_context() -> None:
    empty = KecamatanSnapshot(
        kecamatan=KECAMATAN,
        kabupaten=KABUPATEN,
        tahun=2027,
        tahap=TahapKecamatan.PERSIAPAN,
        jadwal=[JadwalDesa(kode_desa=TIMBANG.kode)],
    )
    for snap in (realistic(), empty):
        for template, context in _contexts(snap):
            used = docrender.template_variables(docrender.BUILTIN_TEMPLATES / template)
            assert used, template
            assert used - set(context) == set(), template


# ----------------------------------------------------------------------------- documents


@pytest.fixture(scope="module")
def kirim(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _ws, result, folder = produce(tmp_path_factory.mktemp("kirim"), realistic())
    assert [i.code for i in result.issues] == ["pdf-dilewati"]
    return by_name(folder)


def test_surat_pemberitahuan_one_per_filled_jadwal_row(kirim: dict[str, Path]) -> None:
    letters = sorted(n for n in kirim if n.startswith("Surat Pemberitahuan"))
    assert letters == [
        "Surat Pemberitahuan Musrenbang Desa Lau Damak 2027.docx",
        "Surat Pemberitahuan Musrenbang Kelurahan Pekan Bahorok 2027.docx",
    ]
    kel = flat(docx_text(kirim[letters[1]]))
    for expected in [
        "PEMERINTAH KABUPATEN LANGKAT",
        "KECAMATAN BAHOROK",
        "Jl. Sudirman No. 12, Pekan Bahorok",
        "Nomor : ....../......",
        "Lampiran : -",
        "Perihal : Pemberitahuan Pelaksanaan Musrenbang Kelurahan",
        "Yth. Lurah Pekan Bahorok",
        "Musrenbang Kelurahan Pekan Bahorok",
        "Hari/Tanggal : Selasa, 13 Januari 2026",
        "Jam : 09.00 WIB s.d. selesai",
        "Tempat : Aula Kantor Lurah Pekan Bahorok",
        "5 (lima) hari kerja",
        "Camat Bahorok,",
        "Drs. Rahmat Ginting, M.Si",
        "NIP. 197005121995031002",
        "Bupati Langkat c.q. Kepala Bappeda Kabupaten Langkat",
    ]:
        assert expected in kel, expected
    assert "Kepala Desa Pekan Bahorok" not in kel
    # a Lurah is asked to invite kepala lingkungan and the LPM: a kelurahan has no dusun, no BPD
    assert "mengundang unsur masyarakat (kepala lingkungan, LPM, PKK" in kel
    assert "dusun" not in kel.casefold() and "BPD" not in kel
    desa = flat(docx_text(kirim[letters[0]]))
    for expected in [
        "Perihal : Pemberitahuan Pelaksanaan Musrenbang Desa",
        "Yth. Kepala Desa Lau Damak",
        "Kamis, 15 Januari 2026",
        "14.00 WIB s.d. selesai",
        "Balai Desa Lau Damak",
    ]:
        assert expected in desa, expected
    assert "Lurah" not in desa
    assert "mengundang unsur masyarakat (kepala dusun, BPD, LPM, PKK" in desa
    assert "lingkungan" not in desa.casefold()
    footer = docx_text(kirim[letters[0]], "word/footer1.xml")
    assert "Surat Pemberitahuan Musrenbang Desa Lau Damak 2027" in footer


def test_daftar_hadir_kecamatan(kirim: dict[str, Path], tmp_path: Path) -> None:
    path = kirim["Daftar Hadir Musrenbang Kecamatan Bahorok 2027.docx"]
    text = flat(docx_text(path))
    for expected in [
        "DAFTAR HADIR",
        "MUSYAWARAH PERENCANAAN PEMBANGUNAN KECAMATAN BAHOROK",
        "TAHUN RENCANA 2027",
        "Selasa, 10 Februari 2026",
        "09.00 WIB s.d. selesai",
        "Aula Kantor Camat Bahorok",
        "Unsur/Lembaga",
        "Tanda Tangan",
        "Mengetahui,",
        "Camat Bahorok",
        "Drs. Rahmat Ginting, M.Si",
        "NIP. 197005121995031002",
        "Bahorok, 10 Februari 2026",
        "Siti Sembiring 2",
        "Kabupaten : Langkat",
    ]:
        assert expected in text, expected
    assert "Kabupaten : Kabupaten" not in text
    table = table_headed(path, "No")
    # 25 listed, 15 blank rows (at least 10, 40 in all), the signature as the closing row
    assert len(table.rows) == 1 + 40 + 1
    assert table.rows[25].cells[1].text == "Rudi Sembiring 25"
    # no participants listed: 40 blank numbered rows
    _ws, _r, folder = produce(tmp_path, realistic().model_copy(update={"peserta": []}))
    rows = table_headed(folder / "Daftar Hadir Musrenbang Kecamatan Bahorok 2027.docx", "No").rows
    assert len(rows) == 42 and rows[40].cells[0].text == "40"
    assert all(r.cells[1].text == "" for r in rows[1:41])


def test_berita_acara_kecamatan(kirim: dict[str, Path]) -> None:
    snap = realistic()
    path = kirim["Berita Acara Musrenbang Kecamatan Bahorok 2027.docx"]
    text = flat(all_text(path))
    agreed = sorted((u for u in snap.usulan if u.diterima), key=lambda u: u.prioritas or 0)
    rejected = [u for u in snap.usulan if u.keputusan is Keputusan.DITOLAK]
    revisi = sum(1 for u in agreed if u.keputusan is Keputusan.REVISI)
    biaya = sum(u.biaya or 0 for u in agreed)
    assert (len(agreed), len(rejected)) == (29, 4)
    for expected in [
        "BERITA ACARA",
        "Nomor: 050/123/BA/2026",
        "Pada hari ini Selasa tanggal sepuluh bulan Februari tahun dua ribu dua puluh enam "
        "(10-02-2026)",
        "Aula Kantor Camat Bahorok",
        "dihadiri oleh 63 (enam puluh tiga) orang peserta",
        "40 (empat puluh) orang laki-laki dan 23 (dua puluh tiga) orang perempuan",
        "daftar hadir terlampir",
        "33 (tiga puluh tiga) usulan, terdiri atas 30 (tiga puluh) usulan dari 3 (tiga) "
        "desa/kelurahan dan 3 (tiga) usulan dari 2 (dua) UPT/instansi",
        f"Sebanyak 29 (dua puluh sembilan) usulan disepakati, terdiri atas {29 - revisi} "
        f"({terbilang(29 - revisi)}) usulan diterima dan {revisi} ({terbilang(revisi)}) usulan "
        "diterima dengan revisi",
        "Sebanyak 4 (empat) usulan belum disepakati (ditolak)",
        f"sebesar {rupiah(biaya)} ({terbilang(biaya)} rupiah)",
        "Notulen,",
        "Joko Purba",
        # the Camat leads the sidang: one block naming both roles (nobody signs twice)
        "selaku Pimpinan Sidang,",
        "NIP. 197005121995031002",
        "LAMPIRAN I",
        "LAMPIRAN II",
        "Sudah dianggarkan tahun berjalan",
    ]:
        assert expected in text, expected
    assert "belum diputuskan" not in text
    assert "Mengetahui," not in text and text.count("Drs. Rahmat Ginting, M.Si") == 2
    d = docx.Document(str(path))
    lampiran1, lampiran2 = table_headed(path, "Prioritas"), table_headed(path, "No")
    assert [r.cells[0].text for r in lampiran1.rows[1:30]] == [str(i) for i in range(1, 30)]
    assert lampiran1.rows[1].cells[1].text == agreed[0].kode_usulan
    assert lampiran1.rows[1].cells[2].text == "Desa Lau Damak"
    assert lampiran1.rows[1].cells[8].text == agreed[0].opd_tujuan
    upt_row = next(r for r in lampiran1.rows if r.cells[1].text == "12.05.01-2027-0001")
    assert upt_row.cells[2].text == "UPT Puskesmas Bahorok"
    assert plain(lampiran1.rows[-1].cells[-2].text) == rupiah(biaya)
    assert [r.cells[1].text for r in lampiran2.rows[1:]] == [u.kode_usulan for u in rejected]
    # the Lampiran are in a landscape section
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in d.sections]  # type: ignore[union-attr]
    assert sizes == [(210, 297), (297, 210), (297, 210)]


def test_rekap_kecamatan_docx(kirim: dict[str, Path]) -> None:
    snap = realistic()
    path = kirim["Rekap Usulan Musrenbang Kecamatan Bahorok 2027.docx"]
    text = flat(docx_text(path))
    for expected in [
        "REKAPITULASI USULAN",
        "3 dari 3 desa/kelurahan telah mengirim usulan",
        "A. REKAP PER DESA/KELURAHAN DAN UPT/INSTANSI",
        "B. REKAP PER BIDANG",
        "C. REKAP PER OPD TUJUAN",
        "D. DAFTAR USULAN PER DESA/KELURAHAN DAN UPT/INSTANSI",
        "A. Kelurahan Pekan Bahorok",
        "Jumlah disepakati Desa Lau Damak",
        "JUMLAH DISEPAKATI",
        "Paraf Sekretaris Camat",
        "Siti Aminah Tarigan, S.Sos",
        "Camat Bahorok",
        "Drs. Rahmat Ginting, M.Si",
        "NIP. 197005121995031002",
    ]:
        assert expected in text, expected
    d = docx.Document(str(path))
    per_desa = table_headed(path, "No")
    rows = {r.cells[1].text: [plain(c.text) for c in r.cells] for r in per_desa.rows[1:]}
    lau = [u for u in snap.usulan if u.desa == "Lau Damak"]
    assert rows["Lau Damak"][2:4] == ["Desa", str(len(lau))]
    assert rows["Pekan Bahorok"][2] == "Kelurahan"
    assert rows["UPT Puskesmas Bahorok"][2:4] == ["UPT/Instansi", "2"]
    # the costs: proposed (semula) and agreed of the accepted usulan, never the rejected
    lau_agreed = [u for u in lau if u.diterima]
    assert plain(rows["Lau Damak"][-2]) == rupiah(sum(u.biaya or 0 for u in lau_agreed))
    assert plain(rows["Lau Damak"][-1]) == rupiah(sum(u.agreed_biaya or 0 for u in lau_agreed))
    jumlah = [plain(c.text) for c in per_desa.rows[-1].cells]
    assert jumlah[0] == "JUMLAH" and jumlah[3] == "33"
    agreed = [u for u in snap.usulan if u.diterima]
    assert jumlah[-2] == rupiah(sum(u.biaya or 0 for u in agreed))
    assert jumlah[-1] == rupiah(sum(u.agreed_biaya or 0 for u in agreed))
    per_bidang, per_opd = table_headed(path, "No", 1), table_headed(path, "No", 2)
    assert [r.cells[1].text for r in per_bidang.rows[1:-1]] == BIDANG
    opd_rows = {r.cells[1].text: r.cells[2].text for r in per_opd.rows[1:-1]}
    assert opd_rows["Dinas Kesehatan"] == str(
        sum(1 for u in snap.usulan if u.opd_tujuan == "Dinas Kesehatan")
    )
    assert [round(s.page_width.mm) for s in d.sections] == [297]  # type: ignore[union-attr]


def test_surat_pengantar(kirim: dict[str, Path]) -> None:
    path = kirim["Surat Pengantar Musrenbang Kecamatan Bahorok 2027.docx"]
    text = flat(docx_text(path))
    for expected in [
        "KECAMATAN BAHOROK",
        "Bahorok, 16 Februari 2026",
        "Nomor : 050/145/2026",
        "Perihal : Penyampaian Hasil Musrenbang Kecamatan Bahorok Tahun 2027",
        "Yth. Bupati Langkat",
        "c.q. Kepala Bappeda Kabupaten Langkat",
        "Berita Acara Musrenbang Kecamatan Bahorok 2027",
        "Daftar Hadir Musrenbang Kecamatan Bahorok 2027",
        "Rekap Usulan Musrenbang Kecamatan Bahorok 2027",
        "Dokumen Musrenbang Kecamatan Bahorok 2027 (ditandatangani",
        "Lampiran : 5 (lima) berkas",
        "33 (tiga puluh tiga) usulan, 29 (dua puluh sembilan) disepakati dan 4 (empat) belum "
        "disepakati",
        "Paket Musrenbang Kecamatan Bahorok 2027.zip",
        "Camat Bahorok,",
        "NIP. 197005121995031002",
    ]:
        assert expected in text, expected


# ----------------------------------------------------------------------------- xlsx


def test_rekap_xlsx_views_and_totals(kirim: dict[str, Path]) -> None:
    snap = realistic()
    wb = load_workbook(kirim["Rekap Usulan Musrenbang Kecamatan Bahorok 2027.xlsx"])
    assert wb.sheetnames == [SHEET_DESA, SHEET_BIDANG, SHEET_OPD, SHEET_USULAN]
    total_biaya = sum(u.biaya or 0 for u in snap.usulan)
    semula_biaya = sum(u.biaya or 0 for u in snap.usulan if u.diterima)
    agreed_biaya = sum(u.agreed_biaya or 0 for u in snap.usulan if u.diterima)
    rejected_biaya = sum(u.biaya or 0 for u in snap.usulan if not u.diterima)
    for name in (SHEET_DESA, SHEET_BIDANG, SHEET_OPD):
        ws = wb[name]
        header = [c.value for c in ws[5]]
        jumlah_col = header.index("Jumlah Usulan")
        data = [[c.value for c in r] for r in ws.iter_rows(min_row=6, max_row=ws.max_row - 1)]
        last = [c.value for c in ws[ws.max_row]]
        assert last[1] == "JUMLAH"
        for offset in range(8):  # every count and cost column sums to its JUMLAH
            col = jumlah_col + offset
            assert last[col] == sum(r[col] or 0 for r in data), (name, header[col])
            assert isinstance(last[col], int)
        assert last[jumlah_col] == 33
        assert last[header.index("Biaya Semula Usulan Disepakati (Rp)")] == semula_biaya
        assert last[header.index("Biaya Disepakati (Rp)")] == agreed_biaya
        assert last[header.index("Biaya Usulan Ditolak (Rp)")] == rejected_biaya
        assert ws.freeze_panes == "A6"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A5:")
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    desa = wb[SHEET_DESA]
    names = [desa.cell(row=r, column=2).value for r in range(6, desa.max_row)]
    assert names == [
        "Pekan Bahorok",
        "Lau Damak",
        "Timbang Lawan",
        "UPT Puskesmas Bahorok",
        "UPT Pendidikan Kecamatan Bahorok",
    ]
    assert desa["E6"].value == "Ya" and desa["C6"].value == "Kelurahan"

    usulan = wb[SHEET_USULAN]
    assert [c.value for c in usulan[5]] == KECAMATAN_USULAN_COLUMNS
    assert usulan.max_row == 5 + 33 + 1
    col = {label: i + 1 for i, label in enumerate(KECAMATAN_USULAN_COLUMNS)}
    assert usulan.cell(row=6, column=col["Kode Usulan"]).value == "12.05.01.2002-2027-001"
    assert usulan.cell(row=6, column=col["Desa/Kelurahan"]).value == "Lau Damak"
    assert usulan.cell(row=6, column=col["OPD Tujuan"]).value == OPD[0]
    upt = usulan.cell(row=36, column=col["Asal Usulan"]).value
    assert upt == "UPT Puskesmas Bahorok"
    assert usulan.cell(row=36, column=col["Desa/Kelurahan"]).value is None
    biaya = [usulan.cell(row=r, column=col["Perkiraan Biaya (Rp)"]).value for r in range(6, 39)]
    assert sum(biaya) == total_biaya
    # the total row: proposed and agreed cost of the accepted usulan, apart
    assert usulan.cell(row=39, column=col["Perkiraan Biaya (Rp)"]).value == semula_biaya
    assert usulan.cell(row=39, column=col["Biaya Disepakati (Rp)"]).value == agreed_biaya
    disepakati = [
        usulan.cell(row=r, column=col["Biaya Disepakati (Rp)"]).value for r in range(6, 39)
    ]
    assert sum(x or 0 for x in disepakati) == agreed_biaya
    assert usulan.freeze_panes == "A6" and usulan.auto_filter.ref == "A5:Q38"


# ----------------------------------------------------------------------------- hostile, broken


def test_hostile_text_renders_literally(tmp_path: Path) -> None:
    snap = hostile()
    _ws, result, folder = produce(tmp_path, snap)
    assert [i.code for i in result.issues] == ["pdf-dilewati"]
    docs = sorted(p for p in folder.iterdir() if p.suffix == ".docx")
    assert len(docs) == 6
    everything = ""
    for path in docs:
        docx.Document(str(path))  # a valid package
        docrender.check_docx(path)
        everything += docx_text(path)
    for bit in HOSTILE:
        assert bit in everything, bit
    assert "kontrol akhir" in everything
    assert "Ñoño & <Bahorok> 王" in everything
    assert "Surat Pemberitahuan Musrenbang Kelurahan Pekan Bahorok 2027.docx" in {
        p.name for p in docs
    }
    wb = load_workbook(next(p for p in folder.iterdir() if p.suffix == ".xlsx"))
    cells = [c for row in wb[SHEET_USULAN].iter_rows() for c in row]
    formula_text = [c for c in cells if c.value == "=SUM(A1:A9)"]
    assert formula_text and all(c.data_type == "s" for c in formula_text)
    assert any(c.value == HOSTILE[0] for c in cells)


def test_broken_workspace_template_gives_issue_others_published(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.templates.mkdir(parents=True)
    src = docrender.BUILTIN_TEMPLATES / "berita-acara-kecamatan.docx"
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(ws.templates / "berita-acara-kecamatan.docx", "w") as zout,
    ):
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ notulen }}", b"{{ notulen_salah }}", 1)
            zout.writestr(info, data)
    result = produce_kecamatan_documents(ws, Settings(), realistic(), None)
    codes = sorted(i.code for i in result.issues)
    assert codes == ["pdf-dilewati", "template-rusak"]
    broken = next(i for i in result.issues if i.code == "template-rusak")
    assert "notulen_salah" in broken.message and "berita-acara-kecamatan.docx" in broken.message
    names = {p.name for p in result.outputs}
    assert "Berita Acara Musrenbang Kecamatan Bahorok 2027.docx" not in names
    assert "Rekap Usulan Musrenbang Kecamatan Bahorok 2027.docx" in names
    assert len(names) == 6


# ----------------------------------------------------------------------------- LibreOffice


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_pdfs_with_libreoffice(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    settings = Settings()
    with Converter(settings.pdf, ws.runtime) as conv:
        result = produce_kecamatan_documents(ws, settings, realistic(), conv)
    assert result.issues == []
    folder = ws.outbox_kecamatan(KECAMATAN, 2027)
    pdfs = {p.stem: p for p in folder.glob("*.pdf")}
    assert len(pdfs) == 6
    expect = {
        "Daftar Hadir Musrenbang Kecamatan Bahorok 2027": ("Mengetahui", (595, 842)),
        "Berita Acara Musrenbang Kecamatan Bahorok 2027": ("dua puluh sembilan", (595, 842)),
        "Rekap Usulan Musrenbang Kecamatan Bahorok 2027": ("Paraf Sekretaris Camat", (842, 595)),
        "Surat Pengantar Musrenbang Kecamatan Bahorok 2027": ("c.q. Kepala Bappeda", (595, 842)),
        "Surat Pemberitahuan Musrenbang Desa Lau Damak 2027": ("Kamis, 15 Januari", (595, 842)),
        "Surat Pemberitahuan Musrenbang Kelurahan Pekan Bahorok 2027": (
            "Yth. Lurah Pekan Bahorok",
            (595, 842),
        ),
    }
    for stem, (phrase, size) in expect.items():
        reader = PdfReader(pdfs[stem])
        text = flat(" ".join(page.extract_text() or "" for page in reader.pages))
        assert phrase in text, (stem, phrase)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size, stem
        if stem.startswith("Surat"):
            assert len(reader.pages) == 1, stem  # a letter fits on one page
    ba = PdfReader(pdfs["Berita Acara Musrenbang Kecamatan Bahorok 2027"])
    last = ba.pages[-1].mediabox
    assert round(float(last.width)) == 842  # the Lampiran pages are landscape


def test_rekap_xlsx_filters_over_data_rows_only(kirim: dict[str, Path]) -> None:
    from tests.xlsx_checks import check_report_sheet

    wb = load_workbook(kirim["Rekap Usulan Musrenbang Kecamatan Bahorok 2027.xlsx"])
    expected = {SHEET_DESA: 5, SHEET_BIDANG: len(BIDANG), SHEET_OPD: None, SHEET_USULAN: 33}
    for name, rows in expected.items():
        check_report_sheet(wb[name], header_row=5, data_rows=rows, totals=1)
