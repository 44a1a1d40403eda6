"""Read the figures of a region back from the files the pipeline wrote (never from the ledger).

Every reader returns `Angka(usulan, disepakati, biaya)` — how many usulan the document counts,
how many of them are agreed (Diterima and Diterima dengan Revisi), and the agreed total in
rupiah — or `BELUM` where the document says the region has not sent (`belum mengirim`). A
figure the document does not show is None. PDFs are read with pdftotext, xlsx with openpyxl
(cached values: the pipeline writes numbers, not formulas), the Pemantauan page with
html.parser. A reader that cannot find what it looks for raises `FiguresNotFound` naming the
file, so a changed document fails loudly instead of comparing nothing.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

BELUM = "belum mengirim"
ACCEPTED = ("diterima", "diterima dengan revisi")


@dataclass(frozen=True)
class Angka:
    usulan: int | None
    disepakati: int | None
    biaya: int | None

    def __str__(self) -> str:
        biaya = "-" if self.biaya is None else f"Rp {self.biaya:,}".replace(",", ".")
        return f"({self.usulan} usulan, {self.disepakati} disepakati, {biaya})"

    def without_usulan(self) -> Angka:
        return Angka(None, self.disepakati, self.biaya)


Figures = Angka | str  # an Angka, or BELUM


class FiguresNotFound(AssertionError):
    def __init__(self, path: Path, what: str) -> None:
        super().__init__(f"{path.name}: {what} tidak ditemukan")


def rupiah(text: str) -> int:
    """'Rp 1.250.000' -> 1250000."""
    digits = re.sub(r"[^\d]", "", text)
    if not digits:
        raise ValueError(f"bukan rupiah: {text!r}")
    return int(digits)


_RP = r"Rp\s*([\d.]+)"


def pdf_text(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _flat(path: Path) -> str:
    """The text of a PDF with every run of white space one space (lines re-joined)."""
    return " ".join(pdf_text(path, layout=True).split())


def _search(pattern: str, text: str, path: Path, what: str) -> re.Match[str]:
    found = re.search(pattern, text)
    if found is None:
        raise FiguresNotFound(path, what)
    return found


# ----------------------------------------------------------------------------- desa


def berita_acara_desa(path: Path) -> Angka:
    """'Dari 6 (enam) usulan yang dibahas ... Sebanyak 5 (lima) usulan disepakati ... yang
    disepakati sebesar Rp 323.000.000'; the Lampiran I JUMLAH must say the same total."""
    text = _flat(path)
    usulan = _search(r"Dari (\d+) \([a-z ]+\) usulan yang dibahas", text, path, "jumlah usulan")
    agreed = _search(r"Sebanyak (\d+) \([a-z ]+\) usulan disepakati", text, path, "disepakati")
    total = _search(r"yang disepakati sebesar " + _RP, text, path, "jumlah biaya disepakati")
    lampiran = re.search(r"JUMLAH " + _RP, text)
    if lampiran is not None and rupiah(lampiran.group(1)) != rupiah(total.group(1)):
        raise AssertionError(f"{path.name}: Lampiran I {lampiran.group(0)} != {total.group(0)}")
    return Angka(int(usulan.group(1)), int(agreed.group(1)), rupiah(total.group(1)))


def kompilasi_pdf(path: Path) -> Angka:
    """'Jumlah Usulan : 6 usulan: ...' and 'disepakati Rp X ... untuk 5 usulan yang
    disepakati'; the table's 'JUMLAH DISEPAKATI Rp X' must say the same total."""
    text = _flat(path)
    usulan = _search(r"Jumlah Usulan : (\d+) usulan", text, path, "Jumlah Usulan")
    total = _search(r"Jumlah Biaya : disepakati " + _RP, text, path, "Jumlah Biaya")
    agreed = _search(r"untuk (\d+) usulan yang disepakati", text, path, "usulan disepakati")
    table = _search(r"JUMLAH DISEPAKATI " + _RP, text, path, "JUMLAH DISEPAKATI")
    if rupiah(table.group(1)) != rupiah(total.group(1)):
        raise AssertionError(f"{path.name}: {table.group(0)} != {total.group(0)}")
    return Angka(int(usulan.group(1)), int(agreed.group(1)), rupiah(total.group(1)))


def sheet_rows(
    path: Path, sheet: str, first: str = "No"
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The header (found by its first label within 10 rows) and every row below it."""
    ws = load_workbook(path, data_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    for i, row in enumerate(rows[:10]):
        if row and str(row[0] or "").strip() == first:
            header = [str(v or "").strip() for v in row]
            return header, [r for r in rows[i + 1 :] if any(v is not None for v in r)]
    raise FiguresNotFound(path, f"tajuk lembar {sheet}")


def _column(header: list[str], path: Path, *names: str) -> int:
    for name in names:
        if name in header:
            return header.index(name)
    raise FiguresNotFound(path, f"kolom {' / '.join(names)}")


def _agreed_value(row: tuple[Any, ...], header: list[str], path: Path) -> int:
    """Biaya Disepakati where given, else Perkiraan Biaya (workbooks.md, Revisions)."""
    agreed = row[_column(header, path, "Biaya Disepakati (Rp)")]
    proposed = row[_column(header, path, "Perkiraan Biaya (Rp)")]
    return int(agreed if agreed not in (None, "") else proposed)


def kompilasi_xlsx(path: Path) -> Angka:
    """The usulan rows (No filled) and the 'JUMLAH DISEPAKATI (N usulan; ...)' row, whose
    Biaya Disepakati must equal the agreed values of the accepted rows."""
    header, rows = sheet_rows(path, "Kompilasi Usulan")
    label = _column(header, path, "Bidang")
    keputusan = _column(header, path, "Keputusan")
    data = [r for r in rows if r[0] is not None]
    [total] = [r for r in rows if str(r[label] or "").startswith("JUMLAH DISEPAKATI")] or [None]
    if total is None:
        raise FiguresNotFound(path, "baris JUMLAH DISEPAKATI")
    agreed = int(re.search(r"\((\d+) usulan", str(total[label])).group(1))  # type: ignore[union-attr]
    biaya = int(total[_column(header, path, "Biaya Disepakati (Rp)")])
    accepted = [r for r in data if str(r[keputusan] or "").lower() in ACCEPTED]
    added = sum(_agreed_value(r, header, path) for r in accepted)
    if (len(accepted), added) != (agreed, biaya):
        raise AssertionError(
            f"{path.name}: baris {len(accepted)}/{added} != {total[label]} {biaya}"
        )
    return Angka(len(data), agreed, biaya)


# ----------------------------------------------------------------------------- kecamatan


def _figure(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return rupiah(value)
    return int(value)


def rekap_kecamatan_xlsx(path: Path) -> dict[str, Figures]:
    """Sheet 'Per Desa': a line per desa/kelurahan (keyed by kode; UPT lines by name) and
    'JUMLAH'. Diterima + Diterima dengan Revisi are the agreed usulan."""
    header, rows = sheet_rows(path, "Per Desa")
    name = _column(header, path, "Desa/Kelurahan")
    kode = _column(header, path, "Kode Desa/Kelurahan")
    usulan = _column(header, path, "Jumlah Usulan")
    diterima = _column(header, path, "Diterima")
    revisi = _column(header, path, "Diterima dengan Revisi")
    biaya = _column(header, path, "Biaya Disepakati (Rp)")
    out: dict[str, Figures] = {}
    for row in rows:
        key = str(row[kode] or row[name] or "").strip()
        if not key:
            continue
        if BELUM in " ".join(str(v).lower() for v in row if isinstance(v, str)):
            out[key] = BELUM
            continue
        agreed = (_figure(row[diterima]) or 0) + (_figure(row[revisi]) or 0)
        out[key] = Angka(_figure(row[usulan]), agreed, _figure(row[biaya]))
    if "JUMLAH" not in out:
        raise FiguresNotFound(path, "baris JUMLAH")
    return out


def rekap_kecamatan_usulan(path: Path) -> dict[str, Angka]:
    """Sheet 'Usulan' of the kecamatan Rekap, per desa (the Kode Usulan's region): the rows the
    desa sent and the sum of their Perkiraan Biaya — the kecamatan's proposed values, which
    are the desa's agreed values (workbooks.md, kecamatan Usulan)."""
    header, rows = sheet_rows(path, "Usulan")
    kode = _column(header, path, "Kode Usulan")
    biaya = _column(header, path, "Perkiraan Biaya (Rp)")
    out: dict[str, Angka] = {}
    for row in rows:
        if row[0] is None or not row[kode]:
            continue
        region = str(row[kode]).rsplit("-", 2)[0]
        was = out.get(region, Angka(0, 0, 0))
        out[region] = Angka(None, (was.disepakati or 0) + 1, (was.biaya or 0) + int(row[biaya]))
    return out


_REKAP_LINE = re.compile(
    r"^\s*\d+\s+(?P<name>\S.*?)\s+(?:Desa|Kelurahan|UPT/Instansi)\s+(?P<usulan>\d+)\s+"
    r"(?P<diterima>\d+)\s+(?P<revisi>\d+)\s+\d+\s+\d+\s+Rp\s*[\d.]+\s+Rp\s*(?P<biaya>[\d.]+)\s*$"
)
_REKAP_BELUM = re.compile(r"^\s*\d+\s+(?P<name>\S.*?)\s+(?:Desa|Kelurahan)\s+belum\b")
_REKAP_JUMLAH = re.compile(
    r"^\s*JUMLAH\s+(?P<usulan>\d+)\s+(?P<diterima>\d+)\s+(?P<revisi>\d+)\s+\d+\s+\d+\s+"
    r"Rp\s*[\d.]+\s+Rp\s*(?P<biaya>[\d.]+)\s*$"
)


def rekap_kecamatan_pdf(path: Path, names: dict[str, str]) -> dict[str, Figures]:
    """Table A of the Rekap (per desa/kelurahan and UPT), keyed like rekap_kecamatan_xlsx:
    `names` maps each desa's name to its kode (a wrapped name is matched by its first line).
    Also 'JUMLAH', which must agree with the summary lines above the table."""
    layout = pdf_text(path, layout=True)
    section = layout.split("A. REKAP PER DESA", 1)[-1].split("B. REKAP PER BIDANG", 1)[0]
    out: dict[str, Figures] = {}

    def key(name: str) -> str:
        matches = [k for n, k in names.items() if n == name] or [
            k for n, k in names.items() if n.startswith(name)
        ]
        return matches[0] if len(matches) == 1 else name

    for line in section.splitlines():
        if m := _REKAP_LINE.match(line):
            agreed = int(m["diterima"]) + int(m["revisi"])
            out[key(m["name"])] = Angka(int(m["usulan"]), agreed, rupiah(m["biaya"]))
        elif m := _REKAP_BELUM.match(line):
            out[key(m["name"])] = BELUM
        elif m := _REKAP_JUMLAH.match(line):
            agreed = int(m["diterima"]) + int(m["revisi"])
            out["JUMLAH"] = Angka(int(m["usulan"]), agreed, rupiah(m["biaya"]))
    if "JUMLAH" not in out:
        raise FiguresNotFound(path, "baris JUMLAH tabel A")
    text = " ".join(layout.split())
    usulan = _search(r"Jumlah Usulan : (\d+) usulan", text, path, "Jumlah Usulan")
    total = _search(r"Jumlah Biaya : disepakati " + _RP, text, path, "Jumlah Biaya")
    agreed = _search(r"untuk (\d+) usulan yang disepakati", text, path, "usulan disepakati")
    summary = Angka(int(usulan.group(1)), int(agreed.group(1)), rupiah(total.group(1)))
    if summary != out["JUMLAH"]:
        raise AssertionError(f"{path.name}: ringkasan {summary} != JUMLAH tabel A {out['JUMLAH']}")
    return out


def berita_acara_kecamatan(path: Path) -> Angka:
    """'Usulan yang dibahas berjumlah 11 (...) usulan ... Sebanyak 10 (...) usulan disepakati
    ... yang disepakati sebesar Rp X'."""
    text = _flat(path)
    usulan = _search(r"Usulan yang dibahas berjumlah (\d+)", text, path, "usulan dibahas")
    agreed = _search(r"Sebanyak (\d+) \([a-z ]+\) usulan disepakati", text, path, "disepakati")
    total = _search(r"yang disepakati sebesar " + _RP, text, path, "jumlah biaya disepakati")
    return Angka(int(usulan.group(1)), int(agreed.group(1)), rupiah(total.group(1)))


def surat_pengantar(path: Path) -> Angka:
    """'Usulan yang disampaikan berjumlah 11 (...) usulan, 10 (...) disepakati ... sebesar Rp X'."""
    text = _flat(path)
    found = _search(
        r"berjumlah (\d+) \([a-z ]+\) usulan, (\d+) \([a-z ]+\) disepakati.*?sebesar " + _RP,
        text,
        path,
        "jumlah usulan yang disampaikan",
    )
    return Angka(int(found.group(1)), int(found.group(2)), rupiah(found.group(3)))


# ----------------------------------------------------------------------------- kabupaten


def _is_belum(values: list[Any]) -> bool:
    return any(isinstance(v, str) and BELUM in v.lower() for v in values)


def _line(values: list[Any], header: list[str], path: Path, biaya: tuple[str, ...]) -> Figures:
    if _is_belum(values):
        return BELUM
    usulan = _figure(values[_column(header, path, "Usulan", "Jumlah Usulan")])
    agreed = _figure(values[_column(header, path, "Diterima", "Disepakati")])
    if "Diterima dengan Revisi" in header:  # shown apart: both are agreed
        agreed = (agreed or 0) + (_figure(values[header.index("Diterima dengan Revisi")]) or 0)
    return Angka(usulan, agreed, _figure(values[_column(header, path, *biaya)]))


KAB_BIAYA = ("Biaya Disepakati (Rp)", "Perkiraan Biaya Disepakati (Rp)",
             "Perkiraan Biaya Diterima (Rp)", "Total Biaya Diterima (Rp)",
             "Total Biaya Disepakati (Rp)")  # fmt: skip


def kabupaten_rekap(path: Path) -> dict[str, Figures]:
    """Sheet 'Per Kecamatan' of the kabupaten Rekap, keyed by Kode Kecamatan, and 'JUMLAH'."""
    header, rows = sheet_rows(path, "Per Kecamatan", first="Kode Kecamatan")
    return {str(r[0]): _line(list(r), header, path, KAB_BIAYA) for r in rows if _keyed(r[0])}


def kabupaten_usulan(path: Path) -> dict[str, Angka]:
    """Sheet 'Usulan' of the kabupaten Rekap, per region of the Kode Usulan (a desa, or the
    kecamatan for its UPT usulan): usulan rows, agreed rows, their agreed total."""
    header, rows = sheet_rows(path, "Usulan", first="Kode Usulan")
    keputusan = _column(header, path, "Keputusan")
    out: dict[str, Angka] = {}
    for row in rows:
        if not row[0] or not re.match(r"\d", str(row[0])):
            continue
        region = str(row[0]).rsplit("-", 2)[0]
        was = out.get(region, Angka(0, 0, 0))
        ok = str(row[keputusan] or "").lower() in ACCEPTED
        out[region] = Angka(
            (was.usulan or 0) + 1,
            (was.disepakati or 0) + ok,
            (was.biaya or 0) + (_agreed_value(row, header, path) if ok else 0),
        )
    return out


def pemantauan_xlsx(path: Path) -> dict[str, Figures]:
    """Sheet 'Per Desa' of the Pemantauan, keyed by desa kode, and 'JUMLAH'."""
    header, rows = sheet_rows(path, "Per Desa", first="Kode")
    return {str(r[0]): _line(list(r), header, path, KAB_BIAYA) for r in rows if _keyed(r[0])}


def _keyed(first: Any) -> bool:
    """A region's line (its kode) or the total line, not a note below the table."""
    return bool(first) and (re.match(r"\d", str(first)) is not None or first == "JUMLAH")


def pemantauan_ringkasan(path: Path) -> Angka:
    """Sheet 'Ringkasan' of the Pemantauan: the kabupaten's usulan, agreed usulan and total."""
    header, rows = sheet_rows(path, "Ringkasan", first="Uraian")
    values = {str(r[0]).strip().lower(): r[1] for r in rows if r[0]}

    def pick(*labels: str) -> int | None:
        for label in labels:
            if label in values:
                return _figure(values[label])
        raise FiguresNotFound(path, f"baris {' / '.join(labels)}")

    return Angka(
        pick("usulan"),
        pick("usulan disepakati", "usulan diterima"),
        pick("total biaya disepakati (rp)", "total biaya diterima (rp)"),
    )


class _Tables(HTMLParser):
    """Every <table id=...>: its header texts and its body/foot rows' cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, tuple[list[str], list[list[str]]]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or f"tabel-{len(self.tables)}"
            self.tables[self._table] = ([], [])
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._head = [], tag == "th"

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table:
            header, rows = self.tables[self._table]
            if self._head and not header:
                header.extend(self._row)
            elif not self._head:
                rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None


def html_tables(path: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def _html_value(text: str) -> Any:
    if not text or text == "-":
        return None
    if BELUM in text.lower():
        return text
    return text


def pemantauan_html(path: Path) -> dict[str, dict[str, Figures]]:
    """The Pemantauan page: table 'desa' keyed by desa kode, table 'kecamatan' by kode; the
    foot rows (Jumlah) are left out."""
    tables = html_tables(path)
    out: dict[str, dict[str, Figures]] = {}
    for table, first in (("desa", "Kode"), ("kecamatan", "Kode Kecamatan")):
        if table not in tables:
            raise FiguresNotFound(path, f"tabel #{table}")
        header, rows = tables[table]
        kode = _column(header, path, first)
        out[table] = {}
        for row in rows:
            if len(row) != len(header) or not re.match(r"\d", row[kode]):
                continue  # the foot row spans columns
            values = [_html_value(v) for v in row]
            out[table][row[kode]] = _line(values, header, path, KAB_BIAYA)
    return out


def _status_usulan(usulan: dict[str, Any] | None) -> Figures:
    if not usulan or usulan.get("jumlah") is None:
        return BELUM
    biaya = usulan.get("biaya_disepakati", usulan.get("biaya_diterima"))
    agreed = usulan.get("disepakati", usulan.get("diterima"))
    return Angka(usulan["jumlah"], agreed, biaya)


def status_figures(data: dict[str, Any]) -> dict[str, dict[str, Figures]]:
    """`status --json`: per desa and per kecamatan (null figures mean not sent), and the
    kabupaten's 'ringkasan' under 'JUMLAH'."""
    out: dict[str, dict[str, Figures]] = {"desa": {}, "kecamatan": {}}
    for level in ("desa", "kecamatan"):
        for entry in data[level]:
            out[level][entry["kode"]] = _status_usulan(entry.get("usulan"))
    out["kecamatan"]["JUMLAH"] = _status_usulan(data["ringkasan"].get("usulan"))
    return out
