"""Kabupaten outputs: the Rekap Usulan workbook and the Pemantauan workbook and HTML page."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.config import Settings, load_settings
from pipeline.core.models import IdentitasDesa, Usulan, Wilayah
from pipeline.core.standard import BIDANG, BIDANG_KELURAHAN, Keputusan, Tahap
from pipeline.core.wilayah import WilayahList, load_wilayah
from pipeline.core.workspace import Workspace
from pipeline.desa.workflow import deadline
from pipeline.documents.formatting import rupiah
from pipeline.kabupaten.recap import write_kabupaten_reports
from pipeline.ledger.jejak import jejak
from pipeline.ledger.store import Ledger
from pipeline.run.batch import run_pass
from tests.conftest import desa_inbox, make_workspace
from tests.workbooks import make_desa_workbook

TZ = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 2, 10, 9, 30, tzinfo=TZ)
TANGGAL = dt.date(2026, 1, 13)
HOSTILE_KEGIATAN = "<script>alert(1)</script> & jalan"
HOSTILE_DESA = 'Timbang <b onmouseover="x()">Lawan</b>'
REKAP = "Rekap Usulan Musrenbang Kabupaten Langkat 2027.xlsx"
PANTAU = "Pemantauan Musrenbang Kabupaten Langkat 2027"
AT = "2026-01-27T10:00:00+07:00"

P, K, D = BIDANG[1], BIDANG[2], BIDANG[3]  # Pembangunan, Kemasyarakatan, Pemberdayaan


def u(bidang: str | None, biaya: int, keputusan: Keputusan | None, kegiatan: str = "Kegiatan"):
    return Usulan(
        asal="Dusun I", bidang=bidang, kegiatan=kegiatan, lokasi="Dusun I",
        volume=Decimal("1.5"), satuan="paket", biaya=biaya, sumber_dana="APBDes",
        prioritas=1 if keputusan in (Keputusan.DITERIMA, Keputusan.REVISI) else None,
        keputusan=keputusan, catatan=None,
    )  # fmt: skip


# Lau Damak: sent (late), both scans, 5 usulan.
LAU_DAMAK = [
    u(P, 100_000_000, Keputusan.DITERIMA),
    u(P, 50_000_000, Keputusan.REVISI),
    u(D, 10_000_000, Keputusan.DITERIMA),
    u(K, 40_000_000, Keputusan.DITOLAK),
    u(K, 5_000_000, Keputusan.DITERIMA),
]
# Pekan Bahorok (kelurahan): Verifikasi, past its deadline, only the berita acara scan.
PEKAN = [
    u(P, 7_000_000, Keputusan.DITERIMA, kegiatan=HOSTILE_KEGIATAN),
    u(None, 3_000_000, None),
    u(D, 2_000_000, Keputusan.DITOLAK),
]


def stage(
    ledger: Ledger, kode: str, tahap: Tahap, usulan: list[Usulan], *, year: int = 2027, **kw
) -> None:
    ident = IdentitasDesa(kode=kode, tahun=year, tahap=tahap, tanggal_musrenbang=TANGGAL)
    level = "kelurahan" if kode.endswith("1001") else "desa"
    with ledger.transaction() as db:
        ledger.set_stage(
            db, region=kode, year=year, level=level, stage=tahap, at=AT, input_id=None,
            identitas=ident, **kw,
        )  # fmt: skip
        ledger.save_usulan(
            db, region=kode, year=year, usulan=usulan, at=AT, input_id=0, file="bk.xlsx"
        )


def scan(ledger: Ledger, kode: str, jenis: str, year: int = 2027) -> None:
    with ledger.transaction() as db:
        ledger.add_berkas(
            db, input_id=0, region=kode, year=year, kategori="pindaian", jenis=jenis,
            file=f"{jenis}.jpg", size=1, sha256="0" * 64, received_at=AT, folder="x",
            archived_as="arsip/x",
        )  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, list[Path]]:
    ws = make_workspace(tmp_path_factory.mktemp("kab") / "ws")
    settings = load_settings(ws.root)
    rows = list(load_wilayah(ws.wilayah_file).by_kode.values())
    wilayah = WilayahList(
        [Wilayah(kode=w.kode, nama=HOSTILE_DESA) if w.kode == "12.05.01.2003" else w for w in rows]
    )
    with Ledger(settings.database_path(ws.root)) as ledger:
        stage(ledger, "12.05.01.2002", Tahap.VERIFIKASI, LAU_DAMAK)
        stage(ledger, "12.05.01.2002", Tahap.KIRIM, [], late=True)  # keeps its usulan
        scan(ledger, "12.05.01.2002", "berita-acara")
        scan(ledger, "12.05.01.2002", "daftar-hadir")
        stage(ledger, "12.05.01.1001", Tahap.VERIFIKASI, PEKAN)
        scan(ledger, "12.05.01.1001", "berita-acara")
        stage(ledger, "12.05.01.2002", Tahap.PERSIAPAN, [], year=2028)  # a second year
        paths = write_kabupaten_reports(ws, settings, wilayah, ledger, now=NOW)
    return ws, paths


def table(sheet: Worksheet, header_row: int = 4) -> tuple[list[str], list[list[object]]]:
    rows = [list(r) for r in sheet.iter_rows(min_row=header_row, values_only=True)]
    header = [str(c) for c in rows[0]]
    body: list[list[object]] = []
    for r in rows[1:]:  # up to the first empty row (notes follow it)
        if all(c is None for c in r):
            break
        body.append(r)
    return header, body


def notes(sheet: Worksheet) -> str:
    return " ".join(str(r[0]) for r in sheet.iter_rows(values_only=True) if r[0])


def by_label(header: list[str], row: list[object]) -> dict[str, object]:
    return dict(zip(header, row, strict=True))


def test_every_year_gets_three_files_at_the_top_of_outbox(built) -> None:
    ws, paths = built
    names = [p.name for p in paths]
    assert names == [
        REKAP, f"{PANTAU}.xlsx", f"{PANTAU}.html",
        "Rekap Usulan Musrenbang Kabupaten Langkat 2028.xlsx",
        "Pemantauan Musrenbang Kabupaten Langkat 2028.xlsx",
        "Pemantauan Musrenbang Kabupaten Langkat 2028.html",
    ]  # fmt: skip
    assert all(p.parent == ws.outbox and p.stat().st_size > 0 for p in paths)
    assert not list(ws.outbox.glob(".~tmp-*"))


def test_rekap_per_kecamatan_has_numeric_totals(built) -> None:
    ws, _ = built
    wb = load_workbook(ws.outbox / REKAP)
    assert wb.sheetnames == ["Per Kecamatan", "Per Bidang", "Per OPD Tujuan", "Usulan"]
    sheet = wb["Per Kecamatan"]
    header, rows = table(sheet)
    assert header == [
        "Kode Kecamatan", "Kecamatan", "Desa/Kelurahan", "Sudah Kirim", "Usulan", "Diterima",
        "Ditolak", "Belum Diputuskan", "Perkiraan Biaya Diterima (Rp)", "Tahap Kecamatan",
        "Jejak Data",
    ]  # fmt: skip
    [bahorok, total] = rows
    # only Lau Damak has sent: Pekan Bahorok's workbook (Verifikasi) is still a draft
    assert bahorok[:10] == ["12.05.01", "Bahorok", 3, 1, 5, 4, 1, 0, 165_000_000, "Belum mulai"]
    # the jejak of the kecamatan's data counted: as the ledger gives it
    with Ledger(ws.root / "musrenbang.db") as ledger:
        assert bahorok[10] == jejak(ledger.db, "12.05.01", 2027)
        assert wb.custom_doc_props["Jejak data"].value == jejak(ledger.db, "12.05", 2027)
    assert total[0] == "JUMLAH"
    for col in range(2, 9):
        assert isinstance(total[col], int) and total[col] == bahorok[col]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A4:K")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.cell(row=5, column=9).number_format == "#,##0"
    assert sheet.column_dimensions["B"].width and sheet.column_dimensions["B"].width > 10


def test_rekap_per_bidang_and_opd(built) -> None:
    ws, _ = built
    wb = load_workbook(ws.outbox / REKAP)
    header, rows = table(wb["Per Bidang"])
    assert header == ["Bidang", "Usulan", "Diterima", "Ditolak", "Perkiraan Biaya Diterima (Rp)"]
    got = {r[0]: r[1:] for r in rows}
    assert list(got)[:5] == BIDANG
    assert got[P] == [2, 2, 0, 150_000_000]
    assert got[K] == [2, 1, 1, 5_000_000]
    assert got[D] == [1, 1, 0, 10_000_000]
    assert got[BIDANG[0]] == [0, 0, 0, 0]
    assert "(Bidang belum diisi)" not in got  # Pekan Bahorok's usulan without one: not sent
    body = [r for r in rows if r[0] != "JUMLAH"]
    assert got["JUMLAH"] == [sum(r[i] for r in body) for i in range(1, 5)]  # type: ignore[misc]

    header, rows = table(wb["Per OPD Tujuan"])
    assert header[0] == "OPD Tujuan"
    assert rows == [["(belum ditentukan)", 5, 4, 1, 165_000_000], ["JUMLAH", 5, 4, 1, 165_000_000]]
    assert "Catatan: OPD Tujuan ditetapkan pada Musrenbang Kecamatan" in notes(wb["Per OPD Tujuan"])


def test_rekap_lists_every_usulan_with_workbook_labels(built) -> None:
    ws, _ = built
    sheet = load_workbook(ws.outbox / REKAP)["Usulan"]
    header, rows = table(sheet)
    assert header == [
        "Kode Usulan", "Kecamatan", "Desa/Kelurahan", "Tahap", "Asal Usulan", "Bidang",
        "Kegiatan", "Lokasi", "Volume", "Satuan", "Perkiraan Biaya (Rp)", "Sumber Dana",
        "Prioritas", "Keputusan", "Catatan Keputusan", "Volume Disepakati",
        "Biaya Disepakati (Rp)", "OPD Tujuan",
    ]  # fmt: skip
    usulan, total = rows[:-1], rows[-1]
    assert len(usulan) == 5  # Lau Damak's: Pekan Bahorok has not sent
    first = by_label(header, usulan[0])
    assert first["Kode Usulan"] == "12.05.01.2002-2027-0001"
    assert (first["Desa/Kelurahan"], first["Tahap"]) == ("Lau Damak", "Kirim")
    assert first["Volume"] == 1.5 and first["Perkiraan Biaya (Rp)"] == 100_000_000
    assert HOSTILE_KEGIATAN not in {by_label(header, r)["Kegiatan"] for r in usulan}
    assert {by_label(header, r)["Keputusan"] for r in usulan} == {
        "Diterima", "Diterima dengan Revisi", "Ditolak",
    }  # fmt: skip
    # the total adds the accepted usulan only: proposed (semula) and agreed apart
    assert total[0] == "JUMLAH DISEPAKATI (4 dari 5 usulan)"
    biaya = header.index("Perkiraan Biaya (Rp)")
    assert total[biaya] == 165_000_000
    assert total[header.index("Biaya Disepakati (Rp)")] == 165_000_000


def test_pemantauan_xlsx_has_every_desa(built) -> None:
    ws, _ = built
    wb = load_workbook(ws.outbox / f"{PANTAU}.xlsx")
    assert wb.sheetnames == ["Ringkasan", "Per Desa"]
    header, rows = table(wb["Per Desa"])
    assert header == [
        "Kode", "Desa/Kelurahan", "Kecamatan", "Tahap", "Tanggal Musrenbang", "Batas Kirim",
        "Tanggal Kirim", "Terlambat", "Dokumen Lengkap", "Dokumen Belum Ada", "Usulan",
        "Diterima", "Ditolak", "Total Biaya Diterima (Rp)",
    ]  # fmt: skip
    desa = {r[0]: by_label(header, r) for r in rows}
    assert list(desa) == ["12.05.01.1001", "12.05.01.2002", "12.05.01.2003", "JUMLAH"]
    batas = deadline(TANGGAL, 5, frozenset())

    lau = desa["12.05.01.2002"]
    assert (lau["Tahap"], lau["Terlambat"], lau["Dokumen Lengkap"]) == ("Kirim", "ya", "ya")
    assert lau["Tanggal Kirim"] == dt.datetime(2026, 1, 27)
    assert lau["Batas Kirim"] == dt.datetime.combine(batas, dt.time())
    assert (lau["Usulan"], lau["Diterima"], lau["Ditolak"]) == (5, 4, 1)
    assert lau["Total Biaya Diterima (Rp)"] == 165_000_000

    pekan = desa["12.05.01.1001"]
    assert (pekan["Tahap"], pekan["Terlambat"], pekan["Tanggal Kirim"]) == (
        "Verifikasi", "lewat batas", None,
    )  # fmt: skip
    assert pekan["Dokumen Lengkap"] == "tidak"
    # not sent is not zero: its draft counts nothing and its figures read `belum mengirim`
    assert (pekan["Usulan"], pekan["Diterima"], pekan["Total Biaya Diterima (Rp)"]) == (
        "belum mengirim", None, None,
    )  # fmt: skip
    assert "Daftar Hadir" in str(pekan["Dokumen Belum Ada"])
    assert "Berita Acara" not in str(pekan["Dokumen Belum Ada"])

    none = desa["12.05.01.2003"]
    assert (none["Desa/Kelurahan"], none["Tahap"], none["Usulan"]) == (
        HOSTILE_DESA,
        "Belum mulai",
        "belum mengirim",
    )
    assert none["Ditolak"] is None and none["Total Biaya Diterima (Rp)"] is None
    assert none["Tanggal Musrenbang"] is None and none["Dokumen Lengkap"] == "tidak"

    total = desa["JUMLAH"]
    for label in ("Usulan", "Diterima", "Ditolak", "Total Biaya Diterima (Rp)"):
        figures = [d[label] for k, d in desa.items() if k != "JUMLAH"]
        assert total[label] == sum(f for f in figures if isinstance(f, int))

    _, summary = table(wb["Ringkasan"])
    figures = {r[0]: r[1] for r in summary}
    assert figures["Desa/Kelurahan"] == 3
    assert (figures["Belum mulai"], figures["Tahap Verifikasi"], figures["Tahap Kirim"]) == (
        1,
        1,
        1,
    )
    assert figures["Terlambat kirim"] == 1 and figures["Lewat batas, belum kirim"] == 1
    assert figures["Dokumen lengkap"] == 1
    assert figures["Total biaya diterima (Rp)"] == 165_000_000


class StrictParser(HTMLParser):
    """Fails on an unbalanced tag; collects text and script bodies."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.scripts = 0
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        self.svgs += tag == "svg"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page_is_self_contained_and_escaped(built) -> None:
    ws, _ = built
    page = (ws.outbox / f"{PANTAU}.html").read_text(encoding="utf-8")
    parser = StrictParser()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert page.count('<div class="grafik"') == 3  # per tahap, per kecamatan, per bidang
    assert parser.scripts == 1  # the page's own table sorter, nothing from the data
    assert "<script>alert" not in page and "<b onmouseover" not in page
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;Lawan&lt;/b&gt;" in page
    assert "http://" not in page
    assert "https://" not in page and "src=" not in page
    text = " ".join(parser.text)
    for name in ("Lau Damak", "Pekan Bahorok", HOSTILE_DESA, "Bahorok"):
        assert name in text
    assert HOSTILE_KEGIATAN not in text  # usulan are in the Rekap, not on this page
    assert rupiah(165_000_000) in text and rupiah(172_000_000) not in text
    assert text.count("belum mengirim") >= 2  # Pekan Bahorok and Timbang Lawan
    assert "10 Februari 2026" in text and "lewat batas" in text and "Belum mulai" in text
    desa_table = page[page.index('id="desa"') : page.index("</table>", page.index('id="desa"'))]
    assert desa_table.count("<tr") == 1 + 3 + 1  # header, three desa, total


def test_rekap_rewritten_only_when_its_content_changes(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    settings = load_settings(ws.root)
    wilayah = load_wilayah(ws.wilayah_file)
    with Ledger(settings.database_path(ws.root)) as ledger:
        assert write_kabupaten_reports(ws, settings, wilayah, ledger, now=NOW) == []
        assert not list(ws.outbox.glob("*.xlsx"))
        stage(ledger, "12.05.01.2002", Tahap.KIRIM, LAU_DAMAK)  # sent: its usulan count
        write_kabupaten_reports(ws, settings, wilayah, ledger, now=NOW)
        rekap, html_page = ws.outbox / REKAP, ws.outbox / f"{PANTAU}.html"
        pantau = ws.outbox / f"{PANTAU}.xlsx"
        files = (rekap, html_page, pantau)
        before = [(p.stat().st_mtime_ns, p.read_bytes()) for p in files]
        later = NOW + dt.timedelta(hours=1)
        paths = write_kabupaten_reports(ws, settings, wilayah, ledger, now=later)
        assert set(files) <= set(paths)  # up to date, and none rewritten: nothing changed
        assert [(p.stat().st_mtime_ns, p.read_bytes()) for p in files] == before
        html_page.write_text("dirusak", encoding="utf-8")  # a damaged page is made again
        write_kabupaten_reports(ws, settings, wilayah, ledger, now=later)
        assert "10 Februari 2026 pukul 10.30" in html_page.read_text()
        assert pantau.stat().st_mtime_ns != before[2][0]
        known = [
            x.model_copy(update={"kode_usulan": f"12.05.01.2002-2027-{n:04d}"})
            for n, x in enumerate(LAU_DAMAK, start=1)
        ]
        known[0] = known[0].model_copy(update={"keputusan": Keputusan.DITOLAK})
        stage(ledger, "12.05.01.2002", Tahap.KIRIM, known)
        page = html_page.read_text()
        write_kabupaten_reports(ws, settings, wilayah, ledger, now=later)
        assert html_page.read_text() != page  # the figures changed: the Pemantauan too
    _, rows = table(load_workbook(rekap)["Per Kecamatan"])
    assert rows[0][5:7] == [3, 2]  # was [4, 1]  # Diterima, Ditolak after the change


def test_real_workbook_through_a_pass(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    src = make_desa_workbook(tmp_path / "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx")
    shutil.copyfile(src, desa_inbox(ws) / src.name)
    settings = load_settings(ws.root)
    assert run_pass(ws, settings).exit_code == 0
    with Ledger(settings.database_path(ws.root)) as ledger:
        write_kabupaten_reports(ws, settings, load_wilayah(ws.wilayah_file), ledger, now=NOW)
    wb = load_workbook(ws.outbox / REKAP)
    _, rows = table(wb["Per Bidang"])
    got = {r[0]: r[1:] for r in rows}
    # the workbook stands at Verifikasi: not sent, so none of its usulan count yet
    assert got["Pelaksanaan Pembangunan Desa"] == [0, 0, 0, 0]
    assert got["JUMLAH"] == [0, 0, 0, 0]
    header, rows = table(load_workbook(ws.outbox / f"{PANTAU}.xlsx")["Per Desa"])
    lau = by_label(header, rows[1])
    assert (lau["Desa/Kelurahan"], lau["Tahap"], lau["Terlambat"], lau["Usulan"]) == (
        "Lau Damak", "Verifikasi", "lewat batas", "belum mengirim",
    )  # fmt: skip
    assert lau["Tanggal Musrenbang"] == dt.datetime(2026, 1, 13)


def test_settings_name_the_files(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    settings = Settings.model_validate({"kabupaten": {"kode": "12.05", "nama": "Kab. A/B"}})
    with Ledger(settings.database_path(ws.root)) as ledger:
        stage(ledger, "12.05.01.2002", Tahap.PERSIAPAN, [])
        paths = write_kabupaten_reports(
            ws, settings, load_wilayah(ws.wilayah_file), ledger, now=NOW.replace(tzinfo=None)
        )
    assert [p.name for p in paths][0] == "Rekap Usulan Musrenbang Kab. A-B 2027.xlsx"


def test_every_sheet_filters_its_data_rows_only_with_totals_outside(built) -> None:
    from tests.xlsx_checks import check_report_sheet

    ws, _ = built
    rekap = load_workbook(ws.outbox / REKAP)
    for sheet in rekap.worksheets:
        check_report_sheet(sheet, header_row=4, totals=1)
    per_bidang = [r[0] for r in rekap["Per Bidang"].iter_rows(min_row=5, values_only=True)]
    # the kabupaten has a kelurahan: its bidang follow the desa's
    assert per_bidang[: len(BIDANG) + 3] == [*BIDANG, *BIDANG_KELURAHAN]
    pantau = load_workbook(ws.outbox / f"{PANTAU}.xlsx")
    for sheet in pantau.worksheets:
        has_total = any(r[0] == "JUMLAH" for r in sheet.iter_rows(min_row=5, values_only=True))
        check_report_sheet(sheet, header_row=4, totals=1 if has_total else 0)
