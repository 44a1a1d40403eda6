"""Document rendering: registry, template contract, golden text, hostile data, broken and
LibreOffice-style templates, the kompilasi workbook, and publishing without LibreOffice.

PDF conversion (real LibreOffice) is tested in test_convert.py.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree
from openpyxl import load_workbook

from pipeline.core.config import Settings
from pipeline.core.models import DesaSnapshot
from pipeline.core.standard import BIDANG, BIDANG_KELURAHAN, Tahap
from pipeline.core.workspace import Workspace, document_stem
from pipeline.desa import documents as render
from pipeline.desa.documents import DOCUMENTS, documents_for, produce_desa_documents
from pipeline.documents import render as docrender
from pipeline.documents.render import TemplateError
from tests import snapshots as S

SPECS = {d.key: d for d in DOCUMENTS}
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# ----------------------------------------------------------------------------- helpers


def docx_text(path: Path, part: str = "word/document.xml") -> str:
    """The text of a docx part: every w:t joined, paragraphs on their own lines."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(part).decode("utf-8")
    paras = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL)
    lines = []
    for p in paras:
        texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)
        lines.append("".join(texts))
    import html

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


def render_one(
    key: str, snapshot: DesaSnapshot, out: Path, settings: Settings | None = None
) -> Path:
    spec = SPECS[key]
    settings = settings or Settings()
    ctx = spec.context(snapshot, settings)
    return docrender.render_docx(
        docrender.BUILTIN_TEMPLATES / spec.template,
        ctx,
        out / f"{key}.docx",
        settings.pdf.ukuran_kertas,
        ctx["judul_dokumen"],
    )


def page_size_mm(path: Path) -> list[tuple[float, float]]:
    d = docx.Document(str(path))
    return [(round(s.page_width.mm), round(s.page_height.mm)) for s in d.sections]  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- registry


def test_registry_says_which_document_at_which_stage() -> None:
    keys = {t: [d.key for d in documents_for(t)] for t in Tahap}
    assert keys[Tahap.PERSIAPAN] == ["daftar-hadir"]
    assert keys[Tahap.PELAKSANAAN] == ["daftar-hadir"]
    assert keys[Tahap.VERIFIKASI] == ["daftar-hadir", "berita-acara", "kompilasi"]
    assert keys[Tahap.KIRIM] == ["daftar-hadir", "berita-acara", "kompilasi"]
    assert SPECS["kompilasi"].xlsx is not None
    for spec in DOCUMENTS:
        assert (docrender.BUILTIN_TEMPLATES / spec.template).is_file()


def test_file_names_follow_documents_md() -> None:
    snap = S.realistic()
    assert SPECS["berita-acara"].stem(snap) == "Berita Acara Musrenbang Desa Lau Damak 2027"
    assert SPECS["kompilasi"].stem(snap) == "Kompilasi Usulan Musrenbang Desa Lau Damak 2027"
    kel = S.realistic(desa=S.KELURAHAN)
    assert SPECS["daftar-hadir"].stem(kel) == "Daftar Hadir Musrenbang Kelurahan Pekan Bahorok 2027"
    assert SPECS["daftar-hadir"].stem(kel) == document_stem("Daftar Hadir", S.KELURAHAN, 2027)


# ----------------------------------------------------------------------------- contract


@pytest.mark.parametrize("key", list(SPECS))
@pytest.mark.parametrize("tahap", [Tahap.PERSIAPAN, Tahap.VERIFIKASI])
def test_template_contract_every_variable_exists_in_its_context(key: str, tahap: Tahap) -> None:
    spec = SPECS[key]
    used = docrender.template_variables(docrender.BUILTIN_TEMPLATES / spec.template)
    assert used, "the template uses no variables at all?"
    for snap in (S.realistic(tahap=tahap), S.realistic(tahap=tahap, n_peserta=0, n_usulan=0)):
        context = spec.context(snap, Settings())
        assert used - set(context) == set()


@pytest.mark.parametrize("key", list(SPECS))
def test_every_template_renders_realistic_and_hostile_data(key: str, tmp_path: Path) -> None:
    for name, snap in (("realistis", S.realistic()), ("jahil", S.hostile())):
        out = render_one(key, snap, tmp_path / name)
        d = docx.Document(str(out))  # opens: a valid package
        assert d.paragraphs
        with zipfile.ZipFile(out) as z:
            names = z.namelist()
        assert len(names) == len(set(names))


# ----------------------------------------------------------------------------- golden text


def test_daftar_hadir_content(tmp_path: Path) -> None:
    snap = S.realistic(tahap=Tahap.PERSIAPAN)
    out = render_one("daftar-hadir", snap, tmp_path)
    text = docx_text(out)
    for expected in [
        "PEMERINTAH KABUPATEN LANGKAT",
        "KECAMATAN BAHOROK",
        "PEMERINTAH DESA LAU DAMAK",
        "DAFTAR HADIR",
        "MUSYAWARAH PERENCANAAN PEMBANGUNAN DESA LAU DAMAK",
        "TAHUN RENCANA 2027",
        "Selasa, 13 Januari 2026",
        "09.00 WIB s.d. selesai",
        "Balai Desa Lau Damak",
        "Jl. Pendidikan No. 1, Dusun I",
        "Unsur/Lembaga",
        "Tanda Tangan",
        "Mengetahui,",
        "Kepala Desa Lau Damak",
        "Sudirman Sembiring",
        "Lau Damak, 13 Januari 2026",
    ]:
        assert expected in text, expected
    for p in snap.peserta:
        assert p.nama in text
    # 60 listed + 10 blank rows, numbered, signature numbers zig-zag
    assert "70. ........" in text and "71. ........" not in text
    footer = docx_text(out, "word/footer1.xml")
    assert "Daftar Hadir Musrenbang Desa Lau Damak 2027" in footer
    with zipfile.ZipFile(out) as z:
        assert 'w:instr="PAGE"' in z.read("word/footer1.xml").decode()


def test_daftar_hadir_without_participants_has_40_blank_rows(tmp_path: Path) -> None:
    snap = S.realistic(tahap=Tahap.PERSIAPAN, n_peserta=0)
    out = render_one("daftar-hadir", snap, tmp_path)
    table = table_headed(out, "No")
    assert len(table.rows) == 1 + 40 + 1  # and the signature: the table's closing row
    assert table.rows[40].cells[0].text == "40"
    assert all(r.cells[1].text == "" for r in table.rows[1:41])
    assert "Mengetahui," in table.rows[41].cells[0].tables[0].rows[0].cells[1].text


def test_berita_acara_content(tmp_path: Path) -> None:
    snap = S.realistic()
    out = render_one("berita-acara", snap, tmp_path)
    text = all_text(out)
    for expected in [
        "BERITA ACARA",
        "Pada hari ini Selasa tanggal tiga belas bulan Januari tahun dua ribu dua puluh enam "
        "(13-01-2026)",
        "dihadiri oleh 60 (enam puluh) orang peserta",
        "35 (tiga puluh lima) orang laki-laki dan 25 (dua puluh lima) orang perempuan",
        "daftar hadir terlampir",
        "Ketua BPD Rahmat Ginting",
        "Dewi Lestari Tarigan",
        "Sebanyak 35 (tiga puluh lima) usulan disepakati",
        "30 (tiga puluh) usulan diterima dan 5 (lima) usulan diterima dengan revisi",
        "Sebanyak 5 (lima) usulan belum disepakati (ditolak)",
        "Pimpinan Rapat,",
        "Notulen,",
        "Wakil Masyarakat,",
        "Mengetahui,",
        "LAMPIRAN I",
        "LAMPIRAN II",
        "Bukan kewenangan desa; diusulkan ke OPD",
    ]:
        assert expected in text, expected
    agreed = sorted((u for u in snap.usulan if u.diterima), key=lambda u: u.prioritas or 0)
    total = sum(u.agreed_biaya or 0 for u in agreed)
    assert total < sum(u.biaya or 0 for u in agreed)  # revisions agreed on less
    from pipeline.documents.formatting import rupiah, terbilang

    assert f"sebesar {rupiah(total)} ({terbilang(total)} rupiah)" in text
    # Lampiran I rows follow the priorities 1..35
    lampiran1 = table_headed(out, "Prioritas")
    assert [r.cells[0].text for r in lampiran1.rows[1:36]] == [str(i) for i in range(1, 36)]
    assert lampiran1.rows[1].cells[1].text == agreed[0].kode_usulan
    lampiran2 = table_headed(out, "No")
    rejected = [u.kode_usulan for u in snap.usulan if not u.diterima]
    assert [r.cells[1].text for r in lampiran2.rows[1:]] == rejected


def test_berita_acara_kelurahan_uses_lurah_and_nip(tmp_path: Path) -> None:
    out = render_one("berita-acara", S.realistic(desa=S.KELURAHAN), tmp_path)
    text = all_text(out)
    assert "KELURAHAN PEKAN BAHOROK" in text
    assert "Lurah Pekan Bahorok" in text
    assert "NIP. 198703122010011002" in text
    assert "Musrenbang Kelurahan Pekan Bahorok" in text


def test_kop_from_settings(tmp_path: Path) -> None:
    settings = Settings.model_validate(
        {
            "kop": {
                "pemerintah": "PEMERINTAH KABUPATEN LANGKAT PROVINSI SUMATERA UTARA",
                "alamat": "Jl. Jend. Sudirman No. 1 Stabat",
                "telepon": "Telp. (061) 891234",
            }
        }
    )
    out = render_one("daftar-hadir", S.realistic(), tmp_path, settings)
    text = docx_text(out)
    assert "PEMERINTAH KABUPATEN LANGKAT PROVINSI SUMATERA UTARA" in text
    assert "Jl. Jend. Sudirman No. 1 Stabat Telp. (061) 891234" in text


def test_kompilasi_grouped_by_bidang_with_subtotals(tmp_path: Path) -> None:
    snap = S.realistic()
    out = render_one("kompilasi", snap, tmp_path)
    text = docx_text(out)
    from pipeline.documents.formatting import rupiah

    for letter, bidang in zip("ABCDE", BIDANG, strict=True):
        assert f"{letter}. {bidang}" in text
        # a subtotal adds the agreed cost of the group's accepted usulan only
        subtotal = sum(
            u.agreed_biaya or 0 for u in snap.usulan if u.bidang == bidang and u.diterima
        )
        assert f"Jumlah disepakati {bidang}" in text
        assert rupiah(subtotal) in text
    agreed = [u for u in snap.usulan if u.diterima]
    rejected = [u for u in snap.usulan if not u.diterima]
    assert "JUMLAH DISEPAKATI" in text
    assert rupiah(sum(u.agreed_biaya or 0 for u in agreed)) in text
    assert "JUMLAH TOTAL" not in text  # no total mixes rejected with accepted usulan
    assert rupiah(sum(u.biaya or 0 for u in snap.usulan)) not in text
    # total proposed and total agreed apart, the rejected apart again
    assert (
        f"disepakati {rupiah(sum(u.agreed_biaya or 0 for u in agreed))} (semula diusulkan "
        f"{rupiah(sum(u.biaya or 0 for u in agreed))}) untuk 35 usulan yang disepakati; 5 usulan "
        f"ditolak senilai {rupiah(sum(u.biaya or 0 for u in rejected))}"
    ) in " ".join(text.split())
    for u in snap.usulan:
        assert u.kode_usulan in text
    assert "40 usulan: 30 diterima, 5 diterima dengan revisi, 5 ditolak" in text
    table = table_headed(out, "No")
    assert [c.text for c in table.rows[0].cells][:3] == ["No", "Kode Usulan", "Asal"]
    # 1 header + 5 x (group row + subtotal) + 40 usulan + total, then the signature
    assert len(table.rows) == 1 + 10 + 40 + 1 + 1
    # a revised usulan shows its agreed values and, apart, the proposed ones (semula)
    revised = next(u for u in snap.usulan if u.volume_disepakati is not None)
    row = next(r for r in table.rows if r.cells[1].text == revised.kode_usulan)
    volume = row.cells[5].text.replace("\u00a0", " ").splitlines()
    assert volume[0].startswith(fmt_angka(revised.agreed_volume))
    assert volume[1] == f"(semula {fmt_angka(revised.volume)} {revised.satuan})"
    assert row.cells[6].text.replace("\u00a0", " ").splitlines() == [
        rupiah(revised.agreed_biaya),
        f"(semula {rupiah(revised.biaya)})",
    ]


def fmt_angka(value: object) -> str:
    from pipeline.documents.formatting import angka

    return angka(value)  # type: ignore[arg-type]


def test_paper_size_from_settings(tmp_path: Path) -> None:
    f4 = Settings.model_validate({"pdf": {"ukuran_kertas": "F4"}})
    # the berita acara is portrait, its two lampiran landscape
    assert page_size_mm(render_one("berita-acara", S.realistic(), tmp_path / "a4")) == [
        (210, 297),
        (297, 210),
        (297, 210),
    ]
    assert page_size_mm(render_one("berita-acara", S.realistic(), tmp_path / "f4", f4)) == [
        (215, 330),
        (330, 215),
        (330, 215),
    ]
    # the kompilasi is landscape: the long side stays the width
    assert page_size_mm(render_one("kompilasi", S.realistic(), tmp_path / "kf4", f4)) == [
        (330, 215)
    ]


# ----------------------------------------------------------------------------- hostile


def test_hostile_text_renders_literally(tmp_path: Path) -> None:
    snap = S.hostile()
    texts = {k: docx_text(render_one(k, snap, tmp_path)) for k in SPECS}
    everything = "\n".join(texts.values())
    for literal in [
        "A & B <jalan> \"kutip\" 'tunggal'",
        "{{ kop.pemerintah }} {% for x in y %}",
        "{%p if true %} {%tr endfor %} {_{ }_} {#komentar#}",
        "Ñoño Ṡiṫi 王 Đặng",
        "kontrol akhir",  # control characters removed, the rest kept
        "=SUM(A1:A9)",
        "]]> <![CDATA[ x ]]> &amp; &#x41;",
        "PEMERINTAH DESA ÑOÑO & <SITI> 王",
        S.LONG_TEXT.strip(),
    ]:
        assert literal in everything, literal
    assert "\x00" not in everything and "\x07" not in everything
    # the hostile pimpinan text is in the berita acara exactly once per place it is used
    assert texts["berita-acara"].count("{%p if true %}") >= 2


# ----------------------------------------------------------------------------- templates


def _rewrite_document_xml(src: Path, dst: Path, edit: Any) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace(tmp_path / "ws")
    w.templates.mkdir(parents=True)
    return w


def test_workspace_template_overrides_builtin_file_by_file(ws: Workspace) -> None:
    builtin = docrender.BUILTIN_TEMPLATES / "berita-acara-desa.docx"
    _rewrite_document_xml(
        builtin,
        ws.templates / "berita-acara-desa.docx",
        lambda xml: xml.replace("BERITA ACARA<", "BERITA ACARA VERSI KABUPATEN<", 1),
    )
    assert (
        docrender.template_path(ws, "berita-acara-desa.docx")
        == ws.templates / "berita-acara-desa.docx"
    )
    assert (
        docrender.template_path(ws, "daftar-hadir-desa.docx")
        == docrender.BUILTIN_TEMPLATES / "daftar-hadir-desa.docx"
    )
    result = produce_desa_documents(ws, Settings(), S.realistic(), None)
    outdir = ws.outbox_desa(S.KECAMATAN, S.DESA, 2027)
    assert "BERITA ACARA VERSI KABUPATEN" in docx_text(
        outdir / "Berita Acara Musrenbang Desa Lau Damak 2027.docx"
    )
    assert "VERSI KABUPATEN" not in docx_text(
        outdir / "Daftar Hadir Musrenbang Desa Lau Damak 2027.docx"
    )
    assert [i.code for i in result.issues] == ["pdf-dilewati"]


def test_undefined_variable_names_template_and_variable_and_writes_nothing(ws: Workspace) -> None:
    _rewrite_document_xml(
        docrender.BUILTIN_TEMPLATES / "berita-acara-desa.docx",
        ws.templates / "berita-acara-desa.docx",
        lambda xml: xml.replace("BERITA ACARA<", "BERITA ACARA {{ undefined_var }}<", 1),
    )
    with pytest.raises(TemplateError) as caught:
        docrender.render_docx(
            ws.templates / "berita-acara-desa.docx",
            render.berita_acara_context(S.realistic(), Settings()),
            ws.root / "keluar.docx",
        )
    assert caught.value.variable == "undefined_var"
    assert "berita-acara-desa.docx" in str(caught.value)
    assert "undefined_var" in str(caught.value)
    assert not (ws.root / "keluar.docx").exists()

    result = produce_desa_documents(ws, Settings(), S.realistic(), None)
    codes = [i.code for i in result.issues]
    assert codes.count("template-rusak") == 1
    assert "berita-acara-desa.docx" in next(
        i.message for i in result.issues if i.code == "template-rusak"
    )
    names = sorted(p.name for p in result.outputs)
    assert not any(n.startswith("Berita Acara") for n in names)
    assert "Daftar Hadir Musrenbang Desa Lau Damak 2027.docx" in names
    assert "Kompilasi Usulan Musrenbang Desa Lau Damak 2027.xlsx" in names
    outdir = ws.outbox_desa(S.KECAMATAN, S.DESA, 2027)
    assert not list(outdir.glob("Berita Acara*"))


def test_syntax_error_names_template(ws: Workspace) -> None:
    bad = ws.templates / "daftar-hadir-desa.docx"
    _rewrite_document_xml(
        docrender.BUILTIN_TEMPLATES / "daftar-hadir-desa.docx",
        bad,
        lambda xml: xml.replace("DAFTAR HADIR<", "DAFTAR HADIR {% if tahun %}<", 1),
    )
    with pytest.raises(TemplateError) as caught:
        docrender.render_docx(
            bad, render.daftar_hadir_context(S.realistic(), Settings()), ws.root / "x.docx"
        )
    assert "daftar-hadir-desa.docx" in str(caught.value)
    assert not (ws.root / "x.docx").exists()


def test_not_a_docx_template_is_a_template_error(ws: Workspace) -> None:
    (ws.templates / "kompilasi-usulan-desa.docx").write_bytes(b"bukan zip")
    result = produce_desa_documents(ws, Settings(), S.realistic(), None)
    assert [i.code for i in result.issues].count("template-rusak") == 1
    assert not any(p.name.endswith("2027.docx") and "Kompilasi" in p.name for p in result.outputs)


def test_libreoffice_24_core_properties_relationship_is_repaired(tmp_path: Path) -> None:
    """LibreOffice 24 writes '.../officedocument/...' as the core-properties relationship type;
    unrepaired, docxtpl would save a second docProps/core.xml (docxtpl #558)."""
    src = docrender.BUILTIN_TEMPLATES / "daftar-hadir-desa.docx"
    lo24 = tmp_path / "lo24.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(lo24, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "_rels/.rels":
                data = data.replace(
                    b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                    b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
                )
            zout.writestr(info, data)
    # the trap is real: plain docxtpl duplicates the part
    from docxtpl import DocxTemplate

    plain = DocxTemplate(str(lo24))
    plain.render(render.daftar_hadir_context(S.realistic(), Settings()))
    buf = io.BytesIO()
    with pytest.warns(UserWarning, match="Duplicate name"):
        plain.save(buf)

    out = docrender.render_docx(
        lo24, render.daftar_hadir_context(S.realistic(), Settings()), tmp_path / "o.docx"
    )
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert names.count("docProps/core.xml") == 1
    assert "Sudirman Sembiring" in docx_text(out)
    docx.Document(str(out))


# ----------------------------------------------------------------------------- kompilasi xlsx


def test_kompilasi_xlsx(tmp_path: Path) -> None:
    from pipeline.desa.kompilasi_xlsx import HEADER_ROW, write_kompilasi_xlsx

    snap = S.realistic()
    path = write_kompilasi_xlsx(
        snap, Settings.model_validate({"pdf": {"ukuran_kertas": "F4"}}), tmp_path / "k.xlsx"
    )
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    header = [c.value for c in ws[HEADER_ROW]]
    assert header == [
        "No",
        "Kode Usulan",
        "Asal Usulan",
        "Bidang",
        "Kegiatan",
        "Lokasi",
        "Volume",
        "Satuan",
        "Perkiraan Biaya (Rp)",
        "Sumber Dana",
        "Prioritas",
        "Keputusan",
        "Catatan Keputusan",
        "Volume Disepakati",
        "Biaya Disepakati (Rp)",
    ]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    data = [r for r in rows if isinstance(r[0], int)]
    assert len(data) == 40
    assert all(isinstance(r[8], int) for r in data)
    assert sorted(r[1] for r in data) == sorted(u.kode_usulan for u in snap.usulan)
    for bidang in BIDANG:
        sub = next(r for r in rows if r[3] == f"Jumlah disepakati {bidang}")
        group = [u for u in snap.usulan if u.bidang == bidang and u.diterima]
        assert sub[8] is None  # no proposed total mixing rejected with accepted
        assert sub[14] == sum(u.agreed_biaya or 0 for u in group)
    agreed = [u for u in snap.usulan if u.diterima]
    total = next(r for r in rows if str(r[3]).startswith("JUMLAH DISEPAKATI (35 usulan"))
    assert total[8] == sum(u.biaya or 0 for u in agreed)
    assert total[14] == sum(u.agreed_biaya or 0 for u in agreed)
    rejected = next(r for r in rows if r[3] == "JUMLAH DITOLAK (5 usulan)")
    assert rejected[8] == sum(u.biaya or 0 for u in snap.usulan if not u.diterima)
    assert rejected[14] is None
    revised = next(u for u in snap.usulan if u.volume_disepakati is not None)
    line = next(r for r in data if r[1] == revised.kode_usulan)
    assert (line[6], line[8]) == (float(revised.volume or 0), revised.biaya)
    assert (line[13], line[14]) == (float(revised.volume_disepakati), revised.biaya_disepakati)
    assert all(r[14] is None for r in data if r[11] == "Ditolak")
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:O")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 14
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_kompilasi_xlsx_keeps_hostile_text_as_text(tmp_path: Path) -> None:
    from pipeline.desa.kompilasi_xlsx import write_kompilasi_xlsx

    path = write_kompilasi_xlsx(S.hostile(), Settings(), tmp_path / "k.xlsx")
    ws = load_workbook(path).active
    assert ws is not None
    values = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert "=SUM(A1:A9)" in values
    assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)
    assert "kontrol akhir" in values


# ----------------------------------------------------------------------------- produce


def test_produce_without_libreoffice_publishes_docx_and_xlsx(ws: Workspace) -> None:
    shutil.rmtree(ws.templates)
    result = produce_desa_documents(ws, Settings(), S.realistic(), None)
    outdir = ws.outbox_desa(S.KECAMATAN, S.DESA, 2027)
    assert sorted(p.name for p in result.outputs) == sorted(
        [
            "Daftar Hadir Musrenbang Desa Lau Damak 2027.docx",
            "Berita Acara Musrenbang Desa Lau Damak 2027.docx",
            "Kompilasi Usulan Musrenbang Desa Lau Damak 2027.docx",
            "Kompilasi Usulan Musrenbang Desa Lau Damak 2027.xlsx",
        ]
    )
    assert all(p.parent == outdir and p.exists() for p in result.outputs)
    assert [i.code for i in result.issues] == ["pdf-dilewati"]
    assert sorted(p.name for p in outdir.iterdir()) == sorted(p.name for p in result.outputs)
    assert list(ws.tmp.iterdir()) == []  # the private work folder is gone

    # Persiapan: only the daftar hadir
    early = produce_desa_documents(
        ws, Settings(), S.realistic(desa=S.KELURAHAN, tahap=Tahap.PERSIAPAN), None
    )
    assert [p.name for p in early.outputs] == [
        "Daftar Hadir Musrenbang Kelurahan Pekan Bahorok 2027.docx"
    ]


def test_produce_rewrites_documents_when_data_changes(ws: Workspace) -> None:
    snap = S.realistic()
    produce_desa_documents(ws, Settings(), snap, None)
    changed = snap.model_copy(
        update={"identitas": snap.identitas.model_copy(update={"notulen": "Notulen Pengganti"})}
    )
    produce_desa_documents(ws, Settings(), changed, None)
    outdir = ws.outbox_desa(S.KECAMATAN, S.DESA, 2027)
    assert "Notulen Pengganti" in docx_text(
        outdir / "Berita Acara Musrenbang Desa Lau Damak 2027.docx"
    )


def test_kompilasi_xlsx_filter_over_usulan_only_totals_outside(tmp_path: Path) -> None:
    from pipeline.desa.kompilasi_xlsx import HEADER_ROW, write_kompilasi_xlsx
    from tests.xlsx_checks import check_report_sheet, filter_rows

    def totals_of(snap: DesaSnapshot, groups: int) -> int:
        # one agreed subtotal per bidang, the agreed and the rejected total, then the
        # undecided total when there are undecided usulan
        return groups + 2 + (1 if any(u.keputusan is None for u in snap.usulan) else 0)

    snap = S.realistic()
    ws = load_workbook(write_kompilasi_xlsx(snap, Settings(), tmp_path / "k.xlsx")).active
    assert ws is not None
    check_report_sheet(ws, header_row=HEADER_ROW, data_rows=40, totals=totals_of(snap, 5))
    _top, last = filter_rows(ws)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_row=last)]
    assert [r[0] for r in rows] == list(range(1, 41))  # every usulan, and nothing else
    assert [r[3] for r in rows] == sorted((r[3] for r in rows), key=BIDANG.index)  # by bidang
    assert all(c.value is None for c in ws[last + 1])  # a blank row before the totals
    # a kelurahan's kompilasi: its own bidang, in the settings' order
    kel = S.realistic(desa=S.KELURAHAN, n_usulan=6)
    for u, b in zip(kel.usulan, [*BIDANG_KELURAHAN, *BIDANG_KELURAHAN], strict=True):
        u.bidang = b
    ws = load_workbook(write_kompilasi_xlsx(kel, Settings(), tmp_path / "kel.xlsx")).active
    assert ws is not None
    check_report_sheet(ws, header_row=HEADER_ROW, data_rows=6, totals=totals_of(kel, 3))
    labels = [r[3] for r in ws.iter_rows(min_row=HEADER_ROW + 8, values_only=True) if r[3]]
    assert labels[:3] == [f"Jumlah disepakati {b}" for b in BIDANG_KELURAHAN]
    assert labels[3].startswith("JUMLAH DISEPAKATI") and labels[4].startswith("JUMLAH DITOLAK")


def test_check_docx_refuses_broken_xml_and_doubled_names(tmp_path: Path) -> None:
    from pipeline.documents.render import BUILTIN_TEMPLATES, check_docx

    source = BUILTIN_TEMPLATES / "daftar-hadir-desa.docx"
    check_docx(source)
    with zipfile.ZipFile(source) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}

    def built(name: str, change: dict[str, bytes], extra: list[tuple[str, bytes]]) -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            for n, data in {**parts, **change}.items():
                zf.writestr(n, data)
            for n, data in extra:
                zf.writestr(n, data)
        return path

    body = parts["word/document.xml"]
    cut = built("cut.docx", {"word/document.xml": body[:-30]}, [])
    crossed = built("crossed.docx", {"word/document.xml": body.replace(b"<w:body>", b"<w:body><w:p>", 1)}, [])  # fmt: skip
    footer = next(n for n in parts if n.startswith("word/footer"))
    bad_footer = built("footer.docx", {footer: b"<w:ftr><w:p></w:ftr>"}, [])
    for broken in (cut, crossed, bad_footer):
        with pytest.raises(etree.XMLSyntaxError):
            check_docx(broken)
    with pytest.warns(UserWarning):  # zipfile warns of the duplicate name it writes
        doubled = built("doubled.docx", {}, [("word/document.xml", body)])
    with pytest.raises(ValueError, match="nama ganda"):
        check_docx(doubled)
