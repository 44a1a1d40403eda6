"""The Pemantauan page in a real headless browser (Debian's chromium + chromium-driver).

The page is opened from file:// as an official would open it from the outbox: no console
error, every column header of every table sorts by its real meaning (dates, kode wilayah,
numbers, stage order; not the text shown), the figures equal those in the xlsx the same run
wrote, and the page reads from 390 px (phone) to 1400 px wide.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from pipeline.documents.formatting import angka, rupiah, tanggal
from pipeline.kabupaten.pemantauan_html import DESA_JENIS, KECAMATAN_HEAD, PERHATIAN_HEAD
from pipeline.kabupaten.recap import PEMANTAUAN_COLUMNS
from tests.pemantauan_data import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):  # CI installs them (scripts/setup.sh): never a silent skip there
        raise RuntimeError("chromium dan chromium-driver tidak terpasang (scripts/setup.sh)")
    pytest.skip("chromium / chromium-driver tidak terpasang", allow_module_level=True)
selenium = pytest.importorskip("selenium")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("pemantauan") / "ws")


@pytest.fixture(scope="module")
def browser() -> Any:
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=id-ID"):  # fmt: skip
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open(browser: Any, page: Path, width: int = 1400) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.get(page.as_uri())
    browser.get_log("browser")  # drop what earlier loads said


TABLE_JS = """
var t = document.getElementById(arguments[0]);
function row(tr){return Array.prototype.map.call(tr.cells, function(td){
  return [td.getAttribute("data-k"), td.textContent];});}
return {head: Array.prototype.map.call(t.tHead.rows[0].cells, function(th){
          return [th.textContent, th.getAttribute("data-jenis"), th.getAttribute("aria-sort")];}),
        body: Array.prototype.map.call(t.tBodies[0].rows, row),
        foot: t.tFoot ? Array.prototype.map.call(t.tFoot.rows[0].cells, function(td){
          return td.textContent;}) : []};
"""


def _table(browser: Any, table_id: str) -> dict[str, Any]:
    return browser.execute_script(TABLE_JS, table_id)


# ----------------------------------------------------------------------------- loading


def test_loads_from_file_without_console_errors_or_network(browser: Any, page: Path) -> None:
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get(page.as_uri())
    entries = browser.get_log("browser")
    assert [e for e in entries if e["level"] in ("SEVERE", "WARNING")] == []
    assert browser.title == "Pemantauan Musrenbang Kabupaten Langkat Tahun 2027"
    # nothing is fetched: only the page itself is a resource
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(function(e){return e.name;});"
    )
    assert resources == []
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert headings[0] == "Terlambat / belum mengirim"
    assert "Per kecamatan" in headings and headings[-1] == "Per desa/kelurahan"
    # the sorter ran: every header is reachable by keyboard
    assert browser.execute_script(
        "return Array.prototype.every.call(document.querySelectorAll('th'),"
        " function(th){return th.tabIndex === 0;});"
    )


# ----------------------------------------------------------------------------- sorting

ALL_COLUMNS = (
    [("perhatian", i, label, j) for i, (label, j) in enumerate(PERHATIAN_HEAD)]
    + [("kecamatan", i, label, j) for i, (label, j) in enumerate(KECAMATAN_HEAD)]
    + [("desa", i, label, DESA_JENIS.get(label, "teks"))
       for i, (label, _w, _f) in enumerate(PEMANTAUAN_COLUMNS)]
)  # fmt: skip


def _ordered(keys: list[str], jenis: str, descending: bool) -> list[str]:
    def sort_key(k: str) -> Any:
        if jenis == "angka":
            return Decimal(k)
        if jenis == "teks":
            return k.casefold()
        return k  # tanggal (ISO) and kode wilayah compare as text

    filled = sorted((k for k in keys if k != ""), key=sort_key, reverse=descending)
    return filled + [k for k in keys if k == ""]  # empty keys last both ways


@pytest.mark.parametrize(
    ("table_id", "index", "label", "jenis"),
    ALL_COLUMNS,
    ids=[f"{t}-{i}-{label}" for t, i, label, _j in ALL_COLUMNS],
)
def test_each_column_header_sorts_by_its_meaning(
    browser: Any, page: Path, table_id: str, index: int, label: str, jenis: str
) -> None:
    _open(browser, page)
    before = _table(browser, table_id)
    assert before["head"][index][:2] == [label, jenis]
    rows_before = sorted(map(repr, before["body"]))
    header = browser.find_elements(By.CSS_SELECTOR, f"#{table_id} thead th")[index]
    for descending in (False, True):
        header.click()
        after = _table(browser, table_id)
        assert after["head"][index][2] == ("descending" if descending else "ascending")
        keys = [r[index][0] for r in after["body"]]
        assert keys == _ordered(keys, jenis, descending), (label, keys)
        assert sorted(map(repr, after["body"])) == rows_before  # rows move whole
        if jenis == "angka":  # a figure's key is the figure shown
            for k, text in (r[index] for r in after["body"]):
                if k and label not in ("Tahap", "Terlambat", "Keadaan"):
                    assert text in (angka(int(k)), rupiah(int(k))), (k, text)
        if jenis == "tanggal":
            for k, text in (r[index] for r in after["body"]):
                assert text == (tanggal(dt.date.fromisoformat(k)) if k else "")
    assert browser.get_log("browser") == []


def test_dates_and_codes_sort_where_parsefloat_would_not(browser: Any, page: Path) -> None:
    """The old sorter compared parseFloat(text): every kode was 12.05 and every date its year."""
    _open(browser, page)
    labels = [label for label, _w, _f in PEMANTAUAN_COLUMNS]
    header = browser.find_elements(By.CSS_SELECTOR, "#desa thead th")
    header[labels.index("Tanggal Musrenbang")].click()
    dates = [r[labels.index("Tanggal Musrenbang")][0] for r in _table(browser, "desa")["body"]]
    assert dates[:6] == ["2025-12-22", "2026-01-02", "2026-01-05", "2026-01-13",
                         "2026-01-20", "2026-02-02"]  # fmt: skip
    header[labels.index("Total Biaya Diterima (Rp)")].click()
    header[labels.index("Total Biaya Diterima (Rp)")].click()  # descending
    top = _table(browser, "desa")["body"][0]
    assert top[0][0] == "12.05.01.2002" and top[-1][1] == rupiah(4_500_000_000)
    header[0].click()
    header[0].click()
    codes = [r[0][0] for r in _table(browser, "desa")["body"]]
    assert codes == sorted(codes, reverse=True) and codes[0] == "12.05.03.2002"


# ----------------------------------------------------------------------------- figures


def _sheet_rows(path: Path, sheet: str) -> tuple[list[str], list[list[Any]], list[Any]]:
    ws = load_workbook(path, read_only=True)[sheet]
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    body = []
    for r in rows[1:]:
        if all(c is None for c in r):
            break
        body.append(r)
    total = body.pop() if body and str(body[-1][0]).startswith("JUMLAH") else []
    return [str(c) for c in rows[0]], body, total


def _xlsx_key(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def test_desa_table_equals_the_pemantauan_workbook(browser: Any, page: Path) -> None:
    _open(browser, page)
    xlsx = page.with_suffix(".xlsx")
    header, rows, total = _sheet_rows(xlsx, "Per Desa")
    shown = _table(browser, "desa")
    assert [h[0] for h in shown["head"]] == header
    assert len(shown["body"]) == len(rows) == 10
    terlambat = header.index("Terlambat")
    for cells, row in zip(shown["body"], rows, strict=True):
        row = (*row, *[None] * (len(header) - len(row)))  # read-only rows drop empty ends
        for n, ((key, text), value) in enumerate(zip(cells, row, strict=True)):
            if header[n] == "Tahap" or n == terlambat:
                assert text == (value or "")
            elif isinstance(value, int):
                assert key == str(value)
            else:
                assert key == _xlsx_key(value) or text == _xlsx_key(value), (header[n], key, value)
    foot = shown["foot"]
    assert foot[1:] == [angka(total[10]), angka(total[11]), angka(total[12]), rupiah(total[13])]


def test_kecamatan_table_equals_the_rekap_workbook(browser: Any, page: Path) -> None:
    _open(browser, page)
    rekap = page.parent / "Rekap Usulan Musrenbang Kabupaten Langkat 2027.xlsx"
    header, rows, total = _sheet_rows(rekap, "Per Kecamatan")
    _h, desa_rows, _t = _sheet_rows(page.with_suffix(".xlsx"), "Per Desa")
    shown = _table(browser, "kecamatan")
    labels = [h[0] for h in shown["head"]]
    assert len(shown["body"]) == len(rows) == 3
    for cells, row in zip(shown["body"], rows, strict=True):
        got = {label: key for label, (key, _text) in zip(labels, cells, strict=True)}
        want = dict(zip(header, row, strict=True))
        for label in ("Kode Kecamatan", "Kecamatan", "Desa/Kelurahan", "Sudah Kirim", "Usulan",
                      "Diterima", "Ditolak", "Belum Diputuskan"):  # fmt: skip
            assert got[label] == str(want[label]), label
        assert got["Perkiraan Biaya Diterima (Rp)"] == str(want["Perkiraan Biaya Diterima (Rp)"])
        mine = [r for r in desa_rows if r[0].startswith(got["Kode Kecamatan"] + ".")]
        assert got["Terlambat Kirim"] == str(sum(1 for r in mine if r[7] == "ya"))
        assert got["Lewat Batas"] == str(sum(1 for r in mine if r[7] == "lewat batas"))
        assert got["Dokumen Lengkap"] == str(sum(1 for r in mine if r[8] == "ya"))
    assert shown["foot"][-1] == rupiah(total[header.index("Perkiraan Biaya Diterima (Rp)")])


def test_cards_equal_the_ringkasan_sheet(browser: Any, page: Path) -> None:
    _open(browser, page)
    ws = load_workbook(page.with_suffix(".xlsx"), read_only=True)["Ringkasan"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if len(r) > 1]
    figures = {r[0]: r[1] for r in rows if r[0] and r[1] is not None}
    cards = {
        c.find_element(By.TAG_NAME, "span").text: c.find_element(By.TAG_NAME, "b").text
        for c in browser.find_elements(By.CSS_SELECTOR, "#ringkasan .k")
    }
    assert cards["Desa/Kelurahan"] == angka(figures["Desa/Kelurahan"]) == "10"
    assert cards["Sudah kirim"].startswith(angka(figures["Sudah kirim"]) + " (")
    assert cards["Terlambat kirim"] == angka(figures["Terlambat kirim"]) == "2"
    assert cards["Lewat batas, belum kirim"] == angka(figures["Lewat batas, belum kirim"]) == "2"
    assert cards["Usulan"] == angka(figures["Usulan"])
    assert cards["Diterima"] == angka(figures["Usulan diterima"])
    assert cards["Total biaya diterima"] == rupiah(figures["Total biaya diterima (Rp)"])


def test_late_and_unsent_list_comes_first_most_urgent_on_top(browser: Any, page: Path) -> None:
    _open(browser, page)
    rows = _table(browser, "perhatian")["body"]
    states = [(r[-1][0], r[1][1]) for r in rows]
    assert states[:2] == [("12.05.01.1001", "Lewat batas"), ("12.05.02.2009", "Lewat batas")]
    assert [s for _k, s in states[2:4]] == ["Terlambat kirim"] * 2
    assert [s for _k, s in states[4:6]] == ["Belum kirim"] * 2
    sent_on_time = {"12.05.01.2003", "12.05.02.2008"}
    assert not sent_on_time & {k for k, _s in states}
    assert {k for k, s in states if s == "Belum mulai"} == {"12.05.01.2010", "12.05.03.2002"}
    # the desa whose scans came before its workbook: the berita acara is not missing
    empus = next(r for r in rows if r[-1][0] == "12.05.01.2010")
    assert empus[-2][1] == "Daftar Hadir"


# ----------------------------------------------------------------------------- widths


@pytest.mark.parametrize("width", [390, 768, 1400])
def test_readable_from_phone_to_wide_screen(
    browser: Any, page: Path, width: int, tmp_path: Path
) -> None:
    _open(browser, page, width)
    sizes = browser.execute_script(
        """
        var out = {page: document.documentElement.scrollWidth, inner: window.innerWidth,
                   fonts: [], bars: [], labels: []};
        document.querySelectorAll('.baris').forEach(function(b){
          var l = b.querySelector('.label'), bar = b.querySelector('.batang');
          out.fonts.push(parseFloat(getComputedStyle(l).fontSize));
          out.labels.push(l.getBoundingClientRect().right);
          out.bars.push(bar.getBoundingClientRect().width);
        });
        out.tableBoxes = Array.prototype.map.call(document.querySelectorAll('.tabel'),
          function(t){return t.getBoundingClientRect().right;});
        out.overflow = Array.prototype.map.call(document.querySelectorAll('.tabel'),
          function(t){return t.scrollWidth - t.clientWidth;});
        return out;
        """
    )
    assert sizes["inner"] == width
    assert sizes["page"] <= width, "the page itself never scrolls sideways"
    assert min(sizes["fonts"]) >= 13  # chart text stays readable (no scaled-down SVG)
    assert max(sizes["labels"]) <= width and max(sizes["tableBoxes"]) <= width
    assert min(sizes["bars"]) >= min(0.5 * width, 200)  # bars take a real share of the width
    if width >= 1400:  # wide screens show every table whole; narrower ones scroll inside it
        assert max(sizes["overflow"]) <= 0
    height = browser.execute_script("return document.documentElement.scrollHeight;")
    browser.execute_cdp_cmd(  # the whole page in one picture
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    shot = tmp_path / f"pemantauan-{width}.png"
    browser.save_screenshot(str(shot))
    keep = os.environ.get("MUSRENBANG_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    assert shot.stat().st_size > 10_000
    assert browser.get_log("browser") == []
