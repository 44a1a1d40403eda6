"""The Pemantauan page: one self-contained HTML file, opened from disk, no network.

Reading order: who is late or has not sent yet (what Bappeda acts on), the summary cards,
the table per kecamatan, three bar charts, then every desa. Every figure comes from the same
`KabupatenYear` as the Pemantauan and Rekap workbooks (recap.py), so page and xlsx agree.

Tables sort on a click of their header (or Enter on it). Each cell carries its sort key in
`data-k` (ISO dates, plain integers, the stage's position, kode wilayah as text) and each
header says how to compare (`data-jenis`: angka, tanggal, kode, teks); the shown text (e.g.
"Rp 1.500.000", "13 Januari 2026") is never parsed. Empty keys stay last in both
directions. The charts are HTML bars whose widths are percentages, so they reflow from a
390 px phone to a 1400 px screen; wide tables scroll inside their own box. A Content
Security Policy forbids loading anything from outside the file.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.core.jejak import label as jejak_label
from pipeline.core.standard import Tahap
from pipeline.desa.figures import Tally
from pipeline.documents.formatting import angka, rupiah, tanggal
from pipeline.kabupaten.data import (
    BELUM_MENGIRIM,
    BELUM_MULAI,
    CATATAN_DOKUMEN,
    CATATAN_TERLAMBAT,
    LEWAT_BATAS,
    PEMANTAUAN_COLUMNS,
    TAHAP_PEMANTAUAN,
    DesaStatus,
    KabupatenYear,
    kurang,
    ringkasan,
)
from pipeline.kecamatan.ringkasan import JENIS_UPT

TAHAP_WARNA: dict[str, str] = {
    BELUM_MULAI: "#b0b7c3",
    Tahap.PERSIAPAN.value: "#f2c14e",
    Tahap.PELAKSANAAN.value: "#f08a4b",
    Tahap.VERIFIKASI.value: "#4f9dde",
    Tahap.KIRIM.value: "#3aa76d",
}
WARNA_BELUM = "#d9dde3"
WARNA_KIRIM = "#3aa76d"
WARNA_BIAYA = "#4f6fde"
DIGEST_SLOT = "sidik-isi"  # replaced by the fingerprint of what the page shows

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)

CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;padding:16px;
max-width:1400px;color:#1f2933;background:#f7f8fa;font-size:15px;line-height:1.4}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
.waktu{color:#52606d;margin:0 0 16px}
.kartu{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.k{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:10px 12px}
.k b{display:block;font-size:20px;white-space:nowrap}.k span{color:#52606d;font-size:13px}
.k.lebar{grid-column:span 2}
.grafik{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:12px;margin-top:8px}
.baris{display:grid;grid-template-columns:minmax(9em,28%) 1fr minmax(9em,auto);gap:4px 10px;
align-items:center;margin:5px 0}
.label{text-align:right;overflow-wrap:anywhere}
.batang{display:flex;height:18px;background:#f0f2f5;border-radius:3px;overflow:hidden}
.batang i{display:block;height:100%}
.nilai{color:#52606d;font-size:13px;white-space:nowrap}
.legenda span{display:inline-block;margin-right:14px;font-size:13px}
.legenda i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.tabel{overflow-x:auto;background:#fff;border:1px solid #d9dde3;border-radius:8px}
.catatan{color:#52606d;font-size:13px;margin:0 0 8px}
.kosong{background:#fff;border:1px solid #d9dde3;border-radius:8px;padding:12px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border-bottom:1px solid #e4e7eb;padding:5px 6px;text-align:left;vertical-align:top}
#perhatian td.panjang{min-width:11em}#perhatian td.t{min-width:7em}
th{background:#e4e7eb;position:sticky;top:0;cursor:pointer;user-select:none;font-size:12px}
th:focus{outline:2px solid #4f6fde;outline-offset:-2px}
th[aria-sort=ascending]::after{content:" \\25B2";font-size:10px}
th[aria-sort=descending]::after{content:" \\25BC";font-size:10px}
td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.belum{color:#6b7280;font-style:italic}
td.kode,#perhatian td.d,#kecamatan td{white-space:nowrap}
tr.ya td.t{color:#b42318;font-weight:600}tr.lewat td.t{color:#b54708;font-weight:600}
tfoot td{font-weight:700;background:#f2f4f7}
@media (max-width:640px){
body{padding:10px;font-size:14px}h1{font-size:19px}h2{font-size:16px}
.kartu{grid-template-columns:repeat(2,minmax(0,1fr))}.k.lebar{grid-column:1 / -1}
.baris{grid-template-columns:1fr auto;margin:8px 0}
.label{text-align:left}.batang{grid-column:1 / -1;grid-row:2}
table{font-size:12px}
}
@media print{th{position:static}body{padding:8mm;background:#fff;max-width:none}}
"""

# The sorter: keys from data-k, compared as the header's data-jenis says; empty keys last;
# ties keep their current order. No library, nothing from the data.
SORT_JS = """
(function(){"use strict";
function cmp(jenis){
if(jenis==="angka"){return function(a,b){return Number(a)-Number(b);};}
if(jenis==="teks"){return function(a,b){return a.localeCompare(b,"id",{sensitivity:"base",numeric:true});};}
return function(a,b){return a<b?-1:(a>b?1:0);};}
document.querySelectorAll("table.urut").forEach(function(table){
var heads=table.tHead.rows[0].cells;
Array.prototype.forEach.call(heads,function(th,i){
th.tabIndex=0;
function sort(){
var asc=th.getAttribute("aria-sort")!=="ascending",c=cmp(th.getAttribute("data-jenis"));
Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",asc?"ascending":"descending");
var body=table.tBodies[0];
var rows=Array.prototype.map.call(body.rows,function(r,n){
var td=r.cells[i];return {r:r,n:n,k:td?(td.getAttribute("data-k")||""):""};});
rows.sort(function(x,y){var ex=x.k==="",ey=y.k==="";
if(ex||ey){return ex===ey?x.n-y.n:(ex?1:-1);}
var d=c(x.k,y.k);return d!==0?(asc?d:-d):x.n-y.n;});
rows.forEach(function(o){body.appendChild(o.r);});}
th.addEventListener("click",sort);
th.addEventListener("keydown",function(e){if(e.key==="Enter"||e.key===" "){e.preventDefault();sort();}});
});});})();
"""

# How each column of the per-desa table sorts (labels as in the Pemantauan workbook).
DESA_JENIS: dict[str, str] = {
    "Kode": "kode",
    "Tahap": "angka",
    "Tanggal Musrenbang": "tanggal",
    "Batas Kirim": "tanggal",
    "Tanggal Kirim": "tanggal",
    "Terlambat": "angka",
    "Usulan": "angka",
    "Diterima": "angka",
    "Ditolak": "angka",
    "Total Biaya Diterima (Rp)": "angka",
}
# Terlambat sorts by how serious it is: not yet known < on time < sent late < past due.
TERLAMBAT_URUT = {"tidak": 1, "ya": 2, LEWAT_BATAS: 3}

KECAMATAN_HEAD: list[tuple[str, str]] = [
    ("Kode Kecamatan", "kode"),
    ("Kecamatan", "teks"),
    ("Desa/Kelurahan", "angka"),
    ("Sudah Kirim", "angka"),
    ("Terlambat Kirim", "angka"),
    ("Lewat Batas", "angka"),
    ("Dokumen Lengkap", "angka"),
    ("Usulan", "angka"),
    ("Diterima", "angka"),
    ("Ditolak", "angka"),
    ("Belum Diputuskan", "angka"),
    ("Perkiraan Biaya Diterima (Rp)", "angka"),
]
PERHATIAN_HEAD: list[tuple[str, str]] = [  # what to act on first, for a phone's width
    ("Desa/Kelurahan", "teks"),
    ("Keadaan", "angka"),
    ("Lewat (hari)", "angka"),
    ("Kecamatan", "teks"),
    ("Batas Kirim", "tanggal"),
    ("Tahap", "angka"),
    ("Dokumen Belum Ada", "teks"),
    ("Kode", "kode"),
]
# Keadaan of a desa that needs attention, most urgent first.
KEADAAN = {
    "lewat": (1, "Lewat batas"),  # past the deadline, not sent
    "terlambat": (2, "Terlambat kirim"),  # sent after the deadline
    "belum": (3, "Belum kirim"),  # working, deadline not passed (or no date yet)
    "belum-mulai": (4, "Belum mulai"),  # no workbook yet
}


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _td(text: object, key: object = None, cls: str = "") -> str:
    """A cell; `key` (default: the text) is what the sorter compares."""
    k = text if key is None else key
    c = f' class="{cls}"' if cls else ""
    return f'<td{c} data-k="{_e(k)}">{_e(text)}</td>'


def _num(value: int | None, shown: str | None = None) -> str:
    """A figure; None: the region has not sent (`belum mengirim`, sorted after every figure)."""
    if value is None:
        return _td(BELUM_MENGIRIM, "", "n belum")
    return _td(angka(value) if shown is None else shown, value, "n")


def _figures(t: Tally | None, *, belum: bool = False) -> str:
    """Usulan, Diterima, Ditolak (Belum Diputuskan), Biaya Diterima cells of a line; for a
    region that has not sent the first reads `belum mengirim`, the others are empty (never
    0 or Rp 0), and every key is empty, so sorting puts the line after those with figures."""
    width = 5 if belum else 4
    if t is None:
        return _num(None) + "".join(_td("", "", "n") for _ in range(width - 1))
    cells = [_num(t.jumlah), _num(t.disepakati), _num(t.ditolak)]
    if belum:
        cells.append(_num(t.belum))
    cells.append(_num(t.biaya_disepakati, rupiah(t.biaya_disepakati)))
    return "".join(cells)


def _date(value: dt.date | None) -> str:
    return _td(tanggal(value) if value else "", value.isoformat() if value else "", "d")


def _head(columns: Sequence[tuple[str, str]]) -> str:
    cells = "".join(f'<th scope="col" data-jenis="{j}">{_e(label)}</th>' for label, j in columns)
    return f"<thead><tr>{cells}</tr></thead>"


def _table(table_id: str, columns: Sequence[tuple[str, str]], body: list[str], foot: str) -> str:
    tfoot = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (
        f'<div class="tabel"><table class="urut" id="{table_id}">{_head(columns)}<tbody>\n'
        + "\n".join(body)
        + f"\n</tbody>{tfoot}</table></div>"
    )


# ----------------------------------------------------------------------------- charts


@dataclass
class Bar:
    label: str
    parts: list[tuple[float, str, str]]  # value, colour, tooltip text
    caption: str  # shown beside the bar


def bar_chart(bars: Sequence[Bar], *, title: str, chart_id: str) -> str:
    """Horizontal (stacked) bars as HTML: widths are percentages of the longest bar."""
    biggest = max((sum(v for v, _c, _t in b.parts) for b in bars), default=0) or 1
    rows = []
    for bar in bars:
        parts = "".join(
            f'<i style="width:{100 * value / biggest:.2f}%;background:{colour}"'
            f' title="{_e(tip)}"></i>'
            for value, colour, tip in bar.parts
            if value > 0
        )
        rows.append(
            f'<div class="baris"><span class="label">{_e(bar.label)}</span>'
            f'<span class="batang">{parts}</span><span class="nilai">{_e(bar.caption)}</span></div>'
        )
    return (
        f'<div class="grafik" id="{chart_id}" role="figure" aria-label="{_e(title)}">'
        + "".join(rows)
        + "</div>"
    )


def _legend(items: Sequence[tuple[str, str]]) -> str:
    spans = "".join(f'<span><i style="background:{c}"></i>{_e(t)}</span>' for t, c in items)
    return f'<div class="legenda">{spans}</div>'


# ----------------------------------------------------------------------------- sections


def keadaan(d: DesaStatus) -> str | None:
    """Why a desa needs attention (a KEADAAN key), None when it sent on time."""
    if d.terlambat == LEWAT_BATAS:
        return "lewat"
    if d.dikirim:
        return "terlambat" if d.terlambat == "ya" else None
    return "belum-mulai" if d.tahap == BELUM_MULAI else "belum"


def perhatian_rows(data: KabupatenYear, today: dt.date) -> list[tuple[DesaStatus, str, int | None]]:
    """The desa that are late or have not sent, most urgent first: (desa, keadaan, days past
    the deadline or None)."""
    out = []
    for d in data.desa:
        state = keadaan(d)
        if state is None:
            continue
        late_days = None
        if d.batas_kirim is not None:
            end = d.tanggal_kirim if d.dikirim and d.tanggal_kirim else today
            if end > d.batas_kirim:
                late_days = (end - d.batas_kirim).days
        out.append((d, state, late_days))
    out.sort(key=lambda x: (KEADAAN[x[1]][0], -(x[2] or 0), x[0].batas_kirim or dt.date.max,
                            x[0].desa.kode))  # fmt: skip
    return out


def _perhatian(data: KabupatenYear, today: dt.date) -> str:
    rows = perhatian_rows(data, today)
    if not rows:
        return '<p class="kosong">Tidak ada desa/kelurahan yang terlambat atau belum mengirim.</p>'
    body = []
    for d, state, days in rows:
        rank, text = KEADAAN[state]
        cls = "ya" if state == "terlambat" else "lewat" if state == "lewat" else ""
        body.append(
            f'<tr class="{cls}">'
            + _td(d.desa.nama)
            + _td(text, rank, "t")
            + (_num(days) if days is not None else _td("", "", "n"))
            + _td(d.kecamatan.nama)
            + _date(d.batas_kirim)
            + _tahap(d)
            + _td(kurang(d), cls="panjang")
            + _td(d.desa.kode, cls="kode")
            + "</tr>"
        )
    counts = Counter(state for _d, state, _n in rows)
    summary = "; ".join(f"{KEADAAN[k][1].lower()}: {counts[k]}" for k in KEADAAN if counts[k])
    return (
        f'<p class="catatan">{len(rows)} desa/kelurahan perlu perhatian ({_e(summary)}). '
        "Urutan: yang paling mendesak lebih dulu.</p>"
        + _table("perhatian", PERHATIAN_HEAD, body, "")
    )


def _tahap(d: DesaStatus) -> str:
    rank = TAHAP_PEMANTAUAN.index(d.tahap) if d.tahap in TAHAP_PEMANTAUAN else 9
    return _td(d.tahap, rank)


def kecamatan_rows(data: KabupatenYear) -> list[tuple[str, str, list[int | None]]]:
    """Per kecamatan: kode, nama and the figures of KECAMATAN_HEAD[2:] (the usulan figures
    None: the kecamatan has not sent anything, `belum mengirim`)."""
    out = []
    for kec, desa, t in data.per_kecamatan():
        figures: list[int | None] = [
            len(desa),
            sum(1 for d in desa if d.dikirim),
            sum(1 for d in desa if d.terlambat == "ya"),
            sum(1 for d in desa if d.terlambat == LEWAT_BATAS),
            sum(1 for d in desa if d.dokumen_lengkap),
        ]
        if t is None:
            figures += [None] * 5
        else:
            figures += [t.jumlah, t.disepakati, t.ditolak, t.belum, t.biaya_disepakati]
        out.append((kec.kode, kec.nama, figures))
    return out


def _kecamatan(data: KabupatenYear) -> str:
    rows = kecamatan_rows(data)
    body = []
    for (kode, nama, figures), (_k, _d, t) in zip(rows, data.per_kecamatan(), strict=True):
        cells = "".join(_num(v) for v in figures[:5]) + _figures(t, belum=True)
        body.append("<tr>" + _td(kode, cls="kode") + _td(nama) + cells + "</tr>")
    sums = [sum(r[2][i] or 0 for r in rows) for i in range(5)]
    t = data.total()
    sums += [t.jumlah, t.disepakati, t.ditolak, t.belum]
    foot_cells = [f'<td class="n">{angka(v)}</td>' for v in sums]
    foot_cells.append(f'<td class="n">{_e(rupiah(t.biaya_disepakati))}</td>')
    foot = f'<tr><td colspan="2">Jumlah ({len(rows)} kecamatan)</td>{"".join(foot_cells)}</tr>'
    return _table("kecamatan", KECAMATAN_HEAD, body, foot)


def _desa(data: KabupatenYear) -> str:
    columns = [(label, DESA_JENIS.get(label, "teks")) for label, _w, _f in PEMANTAUAN_COLUMNS]
    body = []
    for d in data.desa:
        cls = "ya" if d.terlambat == "ya" else "lewat" if d.terlambat == LEWAT_BATAS else ""
        cells = [
            _td(d.desa.kode, cls="kode"),
            _td(d.desa.nama),
            _td(d.kecamatan.nama),
            _tahap(d),
            _date(d.tanggal_musrenbang),
            _date(d.batas_kirim),
            _date(d.tanggal_kirim),
            _td(d.terlambat, TERLAMBAT_URUT.get(d.terlambat, ""), "t"),
            _td("ya" if d.dokumen_lengkap else "tidak"),
            _td(kurang(d), cls="panjang"),
            _figures(d.angka),
        ]
        body.append(f'<tr class="{cls}">' + "".join(cells) + "</tr>")
    for k in data.upt():  # the usulan a kecamatan added: a line of their own
        tahap = f"{k.tahap} (kecamatan)" if k.tahap else ""
        cells = [
            _td(k.kecamatan.kode, cls="kode"),
            _td(f"{JENIS_UPT} (Kecamatan {k.kecamatan.nama})"),
            _td(k.kecamatan.nama),
            _td(tahap, 9),
            *(_td("") for _ in range(6)),
            _figures(k.upt),
        ]
        body.append('<tr class="upt">' + "".join(cells) + "</tr>")
    t = data.total()
    foot = (
        f'<tr><td colspan="10">Jumlah ({len(data.desa)} desa/kelurahan)</td>'
        f'<td class="n">{angka(t.jumlah)}</td><td class="n">{angka(t.disepakati)}</td>'
        f'<td class="n">{angka(t.ditolak)}</td>'
        f'<td class="n">{_e(rupiah(t.biaya_disepakati))}</td></tr>'
    )
    return _table("desa", columns, body, foot)


def _charts(data: KabupatenYear) -> str:
    per_tahap = Counter(d.tahap for d in data.desa)
    tahap_chart = bar_chart(
        [
            Bar(name, [(per_tahap[name], TAHAP_WARNA[name], f"{name}: {per_tahap[name]}")],
                f"{per_tahap[name]} desa/kelurahan")
            for name in TAHAP_PEMANTAUAN
        ],
        title="Desa/kelurahan per tahap", chart_id="grafik-tahap",
    )  # fmt: skip
    kec_bars = []
    for kec, desa, _t in data.per_kecamatan():
        sent = sum(1 for d in desa if d.dikirim)
        rest = len(desa) - sent
        kec_bars.append(
            Bar(kec.nama,
                [(sent, WARNA_KIRIM, f"{kec.nama}: {sent} sudah kirim"),
                 (rest, WARNA_BELUM, f"{kec.nama}: {rest} belum kirim")],
                f"{sent} dari {len(desa)} sudah kirim")
        )  # fmt: skip
    kec_chart = bar_chart(kec_bars, title="Pengiriman per kecamatan", chart_id="grafik-kecamatan")
    bidang_chart = bar_chart(
        [
            Bar(b, [(t.biaya_disepakati, WARNA_BIAYA, f"{b}: {rupiah(t.biaya_disepakati)}")],
                rupiah(t.biaya_disepakati))
            for b, t in data.per_bidang()
        ],
        title="Perkiraan biaya diterima per bidang", chart_id="grafik-bidang",
    )  # fmt: skip
    tahap_legend = _legend([(n, TAHAP_WARNA[n]) for n in TAHAP_PEMANTAUAN])
    kirim_legend = _legend([("Sudah kirim", WARNA_KIRIM), ("Belum kirim", WARNA_BELUM)])
    return (
        f"<h2>Desa/kelurahan per tahap</h2>{tahap_legend}{tahap_chart}"
        f"<h2>Pengiriman per kecamatan</h2>{kirim_legend}{kec_chart}"
        f"<h2>Perkiraan biaya diterima per bidang</h2>{bidang_chart}"
    )


def _cards(data: KabupatenYear) -> str:
    summary = dict(ringkasan(data))
    n_desa = len(data.desa) or 1
    sent = summary["Sudah kirim"]
    cards = [
        ("Desa/Kelurahan", angka(summary["Desa/Kelurahan"])),
        ("Sudah kirim", f"{angka(sent)} ({sent * 100 // n_desa}%)"),
        ("Terlambat kirim", angka(summary["Terlambat kirim"])),
        ("Lewat batas, belum kirim", angka(summary["Lewat batas, belum kirim"])),
        ("Dokumen lengkap", angka(summary["Dokumen lengkap"])),
        ("Usulan", angka(summary["Usulan"])),
        ("Diterima", angka(summary["Usulan diterima"])),
        ("Ditolak", angka(summary["Usulan ditolak"])),
        ("Belum diputuskan", angka(summary["Usulan belum diputuskan"])),
        ("Total biaya diterima", rupiah(summary["Total biaya diterima (Rp)"])),
    ]
    wide = {"Total biaya diterima"}
    return '<div class="kartu" id="ringkasan">' + "".join(
        f'<div class="k{" lebar" if k in wide else ""}"><b>{_e(v)}</b><span>{_e(k)}</span></div>'
        for k, v in cards
    ) + "</div>"  # fmt: skip


def build_html(data: KabupatenYear, stamp: str, today: dt.date, jejak: str = "") -> str:
    title = f"Pemantauan Musrenbang {data.kabupaten} Tahun {data.tahun}"
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="musrenbang-isi" content="{DIGEST_SLOT}">
<title>{_e(title)}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{_e(title)}</h1>
<p class="waktu">Keadaan {_e(stamp)}. Halaman ini dibuat ulang bila datanya berubah atau harinya berganti.
Klik judul kolom untuk mengurutkan.</p>
<h2>Terlambat / belum mengirim</h2>
{_perhatian(data, today)}
<h2>Ringkasan</h2>
{_cards(data)}
<h2>Per kecamatan</h2>
{_kecamatan(data)}
{_charts(data)}
<h2>Per desa/kelurahan</h2>
<p class="catatan">{_e(CATATAN_DOKUMEN)} {_e(CATATAN_TERLAMBAT)}</p>
{_desa(data)}
{f'<p class="catatan">{_e(jejak_label(jejak))}</p>' if jejak else ""}
<script>{SORT_JS}</script>
</body>
</html>
"""
