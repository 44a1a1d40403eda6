"""Hostile inputs (issue 8): broken packages, active PDFs, smuggled characters, names Windows
cannot open, and workbooks far too large. Real files through real `musrenbang run`
processes (or `run_pass`), judged by their receipts and outputs."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from pipeline.core.config import load_settings
from pipeline.core.standard import PESERTA_COLUMNS, USULAN_COLUMNS
from pipeline.core.wilayah import load_wilayah
from pipeline.core.workspace import MAX_PATH_CHARS, WINDOWS_RESERVED, Workspace, windows_length
from pipeline.run.batch import run_pass
from pipeline.scans import active
from pipeline.scans.samples import make_scan
from tests.conftest import WILAYAH_CSV, desa_inbox, make_workspace
from tests.paket_helpers import register_key, signed_package
from tests.test_nothing_lost import receipts, run_cli
from tests.workbooks import (
    DESA,
    KECAMATAN,
    PESERTA,
    TAHUN,
    USULAN,
    _identitas,
    _raw,
    make_desa_workbook,
)

REPO = Path(__file__).resolve().parents[1]
KEC = "12.05.01"
BK = "Buku Kerja Musrenbang Desa Lau Damak 2027.xlsx"


def by_file(ws: Workspace) -> dict[str, dict[str, Any]]:
    return {str(r["file"]): r for r in receipts(ws)}


def codes(receipt: dict[str, Any]) -> list[str]:
    return [i["code"] for i in receipt["issues"]]


# --- 5. malformed packages --------------------------------------------------------------------


def _package(path: Path, *, manifest: Any = None, members: dict[str, bytes] | None = None,
            raw_manifest: bytes | None = None, compress: int = zipfile.ZIP_DEFLATED,
            key: Ed25519PrivateKey | None = None) -> Path:  # fmt: skip
    """A kecamatan package as Kirim writes it (data, a PDF, manifest.json with sha256, signed
    by `key`)."""
    members = members if members is not None else {
        "data/kecamatan.json": json.dumps({"kecamatan": KEC, "isi": os.urandom(9000).hex()}).encode(),
        "dokumen/Rekap Usulan Musrenbang Kecamatan Bahorok 2027.pdf": b"%PDF-1.4 " + os.urandom(40_000),
    }  # fmt: skip
    return signed_package(
        path, key, members=members, manifest=manifest, raw_manifest=raw_manifest, compress=compress
    )


def flip_compressed_byte(path: Path, member: str) -> Path:
    """Flip one byte in the middle of a member's compressed data (a bad USB stick)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack(
        "<HH", data[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def set_member_flag(path: Path, member: str, *, method: int | None = None, flag: int = 0) -> Path:
    """Rewrite a member's compression method or general-purpose flags, in its local header
    and in its central-directory entry."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
        central = zf.start_dir
    data = bytearray(path.read_bytes())
    offsets = [info.header_offset + 6]  # local header: flags at +6, method at +8
    while data[central : central + 4] == b"PK\x01\x02":  # central entries: flags at +8
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[central + 28 : central + 34])
        if data[central + 46 : central + 46 + name_len] == member.encode():
            offsets.append(central + 8)
        central += 46 + name_len + extra_len + comment_len
    for at in offsets:
        flags = struct.unpack("<H", data[at : at + 2])[0] | flag
        data[at : at + 2] = struct.pack("<H", flags)
        if method is not None:
            data[at + 2 : at + 4] = struct.pack("<H", method)
    path.write_bytes(bytes(data))
    return path


def test_every_malformed_package_is_paket_rusak_at_once(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = workspace.inbox / "paket"
    folder.mkdir()
    key = register_key(workspace)

    def package(path: Path, **kw: Any) -> Path:
        return _package(path, key=key, **kw)

    pdf = "dokumen/Rekap Usulan Musrenbang Kecamatan Bahorok 2027.pdf"
    base = {"kecamatan": KEC, "berkas": {}}
    package(folder / "utuh.zip")
    flip_compressed_byte(package(folder / "bit terbalik.zip"), pdf)
    flip_compressed_byte(package(folder / "manifest terbalik.zip"), "manifest.json")
    package(
        folder / "tahun 1e999.zip",
        raw_manifest=b'{"kecamatan": "12.05.01", "tahun": 1e999, "berkas": {}}',
    )
    package(folder / "tahun 10 pangkat 20.zip", manifest={**base, "tahun": 10**20})
    package(folder / "tahun teks.zip", manifest={**base, "tahun": "dua ribu"})
    package(folder / "tahun pecahan.zip", manifest={**base, "tahun": 2027.5})
    package(folder / "json dalam.zip", raw_manifest=b"[" * 200_000 + b"]" * 200_000)
    package(folder / "manifest daftar.zip", manifest=[1, 2, 3])
    package(folder / "berkas bukan peta.zip", manifest={**base, "tahun": 2027, "berkas": [1]})
    package(folder / "sidik bukan teks.zip", manifest={**base, "tahun": 2027, "berkas": {pdf: 7}})
    set_member_flag(package(folder / "metode aneh.zip"), pdf, method=99)
    set_member_flag(package(folder / "terenkripsi.zip"), pdf, flag=0x1)
    bad_names = {"dokumen/CON.pdf": b"x", "dokumen/a:b?.pdf": b"y", "../keluar.pdf": b"z"}
    package(folder / "nama buruk.zip", members=bad_names)
    long_names = {"../" + "x" * 5000 + ".pdf": b"z"}  # a receipt quotes at most 120 chars
    package(folder / "nama sangat panjang.zip", members=long_names)
    whole = (folder / "utuh.zip").read_bytes()
    (folder / "terpotong.zip").write_bytes(whole[: len(whole) // 2])
    (folder / "bukan zip.zip").write_bytes(b"PK\x03\x04" + os.urandom(3000))

    done = run_cli(workspace.root)
    assert done.returncode == 1, done.stdout + done.stderr  # rejections, never an internal error
    assert "galat internal" not in done.stdout
    got = by_file(workspace)
    assert got["utuh.zip"]["status"] == "accepted"
    for name, r in got.items():
        if name == "utuh.zip":
            continue
        assert r["status"] == "rejected", name
        assert set(codes(r)) == {"paket-rusak"}, (name, codes(r))
        assert all(len(i["message"]) < 400 for i in r["issues"]), name
    assert len(got) == 17
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    assert db.execute("SELECT MAX(attempts) FROM inputs").fetchone() == (0,)
    assert db.execute("SELECT DISTINCT year FROM inputs WHERE year IS NOT NULL").fetchall() == [
        (2027,)
    ]


MEASURE = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, file=sys.stderr)\n"
)


def run_measured(root: Path) -> tuple[int, float]:
    """(exit code, peak RSS in MB) of one `musrenbang run`, spawned from a small process
    (a child's peak RSS on Linux includes the RSS of the process it was forked from)."""
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "pipeline", "run", "--root", str(root)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], cwd=REPO, env=env, capture_output=True, text=True
    )
    code, kb = done.stderr.strip().splitlines()[-1].split()
    return int(code), int(kb) / 1024


def test_packages_are_read_and_unpacked_in_bounded_memory(workspace: Workspace) -> None:
    """A 120 MB member (stored, not compressible): hashed and unpacked as a stream."""
    folder = workspace.inbox / "paket"
    folder.mkdir()
    block = os.urandom(1024 * 1024)
    _package(
        key=register_key(workspace),
        path=folder / "Paket besar.zip",
        members={"dokumen/Lampiran besar.pdf": block * 120, "data/kecamatan.json": b"{}"},
        compress=zipfile.ZIP_STORED,
    )
    code, peak = run_measured(workspace.root)
    assert code == 0
    [r] = receipts(workspace)
    assert r["status"] == "accepted"
    out = (
        workspace.outbox / "paket" / "12.05.01 Bahorok" / "2027" / "dokumen" / "Lampiran besar.pdf"
    )
    assert out.stat().st_size == 120 * len(block)
    assert peak < 150, f"peak RSS {peak:.0f} MB for a 120 MB member"


# --- 6. active content in scan PDFs -------------------------------------------------------------


def active_pdf(path: Path, tmp: Path) -> Path:
    """A real scan PDF with JavaScript on open and in the name tree, a page action, a launch
    link and an embedded executable."""
    plain = make_scan(tmp / "polos.pdf", "BA", fmt="pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.add_attachment("virus.exe", b"MZ-bukan-program")

    def obj(entries: dict[str, Any]) -> Any:
        return writer._add_object(DictionaryObject({NameObject(k): v for k, v in entries.items()}))

    def script(text: str) -> Any:
        return obj({"/S": NameObject("/JavaScript"), "/JS": TextStringObject(text)})

    root = writer._root_object
    names = root["/Names"]
    names[NameObject("/JavaScript")] = obj(
        {"/Names": ArrayObject([TextStringObject("a"), script("app.alert('dibajak');")])}
    )
    root[NameObject("/OpenAction")] = script("app.launchURL('x');")
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): script("app.beep(0);")})
    launch = obj({"/S": NameObject("/Launch"), "/F": TextStringObject("cmd.exe")})
    rect = ArrayObject([FloatObject(v) for v in (10, 10, 200, 60)])
    link = obj({"/Type": NameObject("/Annot"), "/Subtype": NameObject("/Link"), "/Rect": rect,
                "/A": launch})  # fmt: skip
    page[NameObject("/Annots")] = ArrayObject([link])
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def test_active_content_is_stripped_from_the_signed_pdf(
    workspace: Workspace, tmp_path: Path
) -> None:
    shutil.copyfile(
        make_desa_workbook(tmp_path / BK, tahap="Persiapan", usulan=[], peserta=[]),
        desa_inbox(workspace) / BK,
    )
    assert run_cli(workspace.root).returncode == 0
    scan = desa_inbox(workspace) / "pindaian" / "berita-acara" / "berita acara.pdf"
    active_pdf(scan, tmp_path)
    assert active.strip(PdfReader(scan).trailer, remove=False), "the test PDF is active"
    original = scan.read_bytes()

    done = run_cli(workspace.root)
    assert done.returncode == 0, done.stdout + done.stderr
    r = by_file(workspace)["berita acara.pdf"]
    assert r["status"] == "accepted" and codes(r) == ["pdf-konten-aktif-dihapus"]
    [signed] = [p for p in r["outputs"] if p.endswith("(ditandatangani).pdf")]
    data = (workspace.root / signed).read_bytes()
    reader = PdfReader(workspace.root / signed)
    assert active.strip(reader.trailer, remove=False) == set()
    assert len(reader.pages) == 1
    for needle in (b"app.alert", b"launchURL", b"virus.exe", b"/Launch", b"/JavaScript"):
        assert needle not in data, needle
    archived = (workspace.root / r["archived_as"]).read_bytes()
    assert archived == original, "the archive keeps the operator's file unchanged"


# --- 7. smuggled characters in cell text --------------------------------------------------------


BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]|_x[0-9A-Fa-f]{4}_"
)


def test_escapes_and_bidi_controls_are_removed_on_input(
    workspace: Workspace, tmp_path: Path
) -> None:
    usulan = [dict(u) for u in USULAN]
    usulan[0]["Kegiatan"] = "Rabat _x0001_beton\u202e jalan _x000D__x000A_lingkungan"
    usulan[1]["Lokasi"] = "\u2066Dusun II\u2069 _x005F_x0007_"
    peserta = [dict(p) for p in PESERTA]
    peserta[0]["Nama"] = "Rahmat\u202d Sembiring_x001B_"
    shutil.copyfile(
        make_desa_workbook(tmp_path / BK, usulan=usulan, peserta=peserta),
        desa_inbox(workspace) / BK,
    )
    done = run_cli(workspace.root)
    assert done.returncode == 0, done.stdout + done.stderr
    current = workspace.outbox / "12.05.01 Bahorok" / "12.05.01.2002 Lau Damak" / "2027" / BK
    texts = [
        c.value
        for ws in load_workbook(current).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert "Rabat beton jalan lingkungan" in texts
    assert "Rahmat Sembiring" in texts
    assert [t for t in texts if BAD_CHARS.search(t)] == []
    with zipfile.ZipFile(current) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/"))
    assert not re.search(rb"_x00[01][0-9A-Fa-f]_", xml), "Excel finds nothing to decode"
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    stored = " ".join(r[0] for r in db.execute("SELECT data_json FROM usulan"))
    assert "\\u202e" not in stored.lower() and "_x0001_" not in stored


# --- 8. names Windows can open -------------------------------------------------------------------


def windows_problem(name: str) -> str | None:
    if re.search(r'[<>:"/\\|?*\x00-\x1f]', name):
        return "forbidden character"
    if name.split(".", 1)[0].rstrip(" ").upper() in WINDOWS_RESERVED:
        return "reserved name"
    if name != name.rstrip(". "):
        return "trailing dot or space"
    if len(name.encode()) > 255:
        return "longer than 255 bytes"
    return None


def test_every_name_written_is_valid_on_windows(tmp_path: Path) -> None:
    odd = "12.05.01.2004"
    csv = tmp_path / "wilayah.csv"
    csv.write_text(WILAYAH_CSV + f'{odd},"Sampe: Raya/Baru?"\n', encoding="utf-8")
    ws = make_workspace(tmp_path / "ws")
    shutil.copyfile(csv, ws.root / "wilayah.csv")
    from pipeline.commands import init_workspace

    init_workspace(ws.root, csv, "12.05")
    desa = load_wilayah(ws.wilayah_file).get(odd)
    assert desa is not None
    book = make_desa_workbook(tmp_path / "odd.xlsx", desa=desa)
    (desa_inbox(ws, odd) / 'Buku "Kerja": Sampe?.xlsx').write_bytes(book.read_bytes())
    folder = desa_inbox(ws)
    names = ['a:b?c*d"e<f>g|h\\i.txt', "CON.txt", "nul", "com1.jpg", "titik akhir. ", "LPT9 .pdf"]
    for name in names:
        (folder / name).write_bytes(b"catatan")
    for sub in ("CON", "aux.", "akhir spasi "):
        (ws.inbox / sub).mkdir()
        (ws.inbox / sub / "isi.txt").write_bytes(b"isi")
    shutil.copyfile(make_desa_workbook(tmp_path / BK), folder / BK)

    done = run_cli(ws.root)
    assert done.returncode == 1, done.stdout + done.stderr
    got = by_file(ws)
    assert len(receipts(ws)) == len(names) + 3 + 2, sorted(got)
    assert got['Buku "Kerja": Sampe?.xlsx']["status"] == "accepted", got[
        'Buku "Kerja": Sampe?.xlsx'
    ]
    assert got[BK]["status"] == "accepted"
    written = [p for base in (ws.outbox, ws.arsip) for p in base.rglob("*")]
    assert len(written) > 40
    for path in written:
        rel = path.relative_to(ws.root)
        assert windows_length(rel.as_posix()) < MAX_PATH_CHARS, rel
        for part in rel.parts:
            assert windows_problem(part) is None, (windows_problem(part), rel)


# --- 10. size --------------------------------------------------------------------------------------


def big_workbook(path: Path, rows: int, peserta: int = 10, bad_biaya: bool = False) -> Path:
    """A desa workbook with `rows` distinct usulan (written in openpyxl's write-only mode)."""
    wb = Workbook(write_only=True)
    ident = wb.create_sheet("Identitas")
    for label, value in _identitas(DESA, KECAMATAN, TAHUN, "Verifikasi", None).items():
        ident.append([label, _raw(value)])
    sheet = wb.create_sheet("Peserta")
    sheet.append(PESERTA_COLUMNS)
    for n in range(peserta):
        row = {**PESERTA[n % len(PESERTA)], "Nama": f"Peserta {n + 1}"}
        sheet.append([n + 1 if c == "No" else _raw(row.get(c)) for c in PESERTA_COLUMNS])
    sheet = wb.create_sheet("Usulan")
    sheet.append(USULAN_COLUMNS)
    priority = 0
    for n in range(1, rows + 1):
        u = dict(USULAN[(n - 1) % len(USULAN)])
        u["Kegiatan"] = f"{u['Kegiatan']} paket {n}"
        if u["Keputusan"] == "Ditolak":
            u["Prioritas"] = None
        else:
            priority += 1
            u["Prioritas"] = priority
        if bad_biaya:
            u["Perkiraan Biaya (Rp)"] = "Rp 15 jt"
        sheet.append([n if c == "No" else _raw(u.get(c)) for c in USULAN_COLUMNS])
    wb.save(path)
    return path


def set_batas(ws: Workspace, **values: int) -> None:
    toml = ws.root / "musrenbang.toml"
    lines = "".join(f"{k} = {v}\n" for k, v in values.items())
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n[batas]\n{lines}", encoding="utf-8")


def test_far_too_many_rows_end_with_the_cap_in_seconds(
    workspace: Workspace, tmp_path: Path
) -> None:
    src = big_workbook(tmp_path / "besar.xlsx", 30_000)
    shutil.copyfile(src, desa_inbox(workspace) / BK)
    started = time.monotonic()
    done = run_cli(workspace.root)
    seconds = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    [r] = receipts(workspace)
    assert codes(r) == ["baris-terlalu-banyak"] and r["issues"][0]["sheet"] == "Usulan"
    assert seconds < 15, f"{seconds:.1f} s"
    assert sum(p.stat().st_size for p in workspace.receipts.iterdir()) < 20_000


def test_row_caps_come_from_the_settings(workspace: Workspace, tmp_path: Path) -> None:
    set_batas(workspace, baris_usulan=100, baris_peserta=20)
    folder = desa_inbox(workspace)
    shutil.copyfile(big_workbook(tmp_path / "b.xlsx", 103), folder / "sedikit lebih.xlsx")
    shutil.copyfile(big_workbook(tmp_path / "c.xlsx", 10, peserta=21), folder / "peserta.xlsx")
    shutil.copyfile(big_workbook(tmp_path / "d.xlsx", 400), folder / "jauh lebih.xlsx")
    settings = load_settings(workspace.root)
    got = {r.file: r for r in run_pass(workspace, settings).receipts}
    shutil.copyfile(big_workbook(tmp_path / "a.xlsx", 100, peserta=20), folder / "pas.xlsx")
    [fits] = run_pass(workspace, settings).receipts
    assert fits.status.value == "accepted", fits.issues
    for name, sheet in (("sedikit lebih.xlsx", "Usulan"), ("peserta.xlsx", "Peserta"),
                        ("jauh lebih.xlsx", "Usulan")):  # fmt: skip
        errors = [i for i in got[name].issues if i.severity.value == "error"]
        assert [(i.code, i.sheet) for i in errors] == [("baris-terlalu-banyak", sheet)], name


def test_issues_per_receipt_are_capped_with_a_count_by_code(
    workspace: Workspace, tmp_path: Path
) -> None:
    shutil.copyfile(
        big_workbook(tmp_path / "x.xlsx", 300, bad_biaya=True), desa_inbox(workspace) / BK
    )
    done = run_cli(workspace.root)
    assert done.returncode == 1
    [r] = receipts(workspace)
    assert len(r["issues"]) == 201
    summary = r["issues"][-1]
    assert (summary["code"], summary["severity"]) == ("masalah-terlalu-banyak", "error")
    assert "biaya-tidak-valid 100" in summary["message"]
    assert r["status"] == "rejected"


def pad_with_formatted_rows(path: Path, sheet: str, until: int) -> Path:
    """Give `sheet` formatted but empty rows (and cells) down to row `until`, as WPS and
    'format the whole column' leave them."""
    from defusedxml.ElementTree import fromstring

    from pipeline.intake.xlsx_read import _sheet_parts

    with zipfile.ZipFile(path) as zf:
        part = _sheet_parts(zf, fromstring)[sheet]
        members = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = members[part].decode("utf-8")
    last = max(int(r) for r in re.findall(r'<row r="(\d+)"', xml))
    rows = "".join(
        f'<row r="{r}" customFormat="1" s="1"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>'
        for r in range(last + 1, until + 1)
    )
    members[part] = xml.replace("</sheetData>", rows + "</sheetData>", 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_formatted_empty_rows_are_skipped_cheaply(workspace: Workspace, tmp_path: Path) -> None:
    """A million formatted empty rows: read from a compacted copy, same values, in seconds."""
    src = pad_with_formatted_rows(make_desa_workbook(tmp_path / BK), "Usulan", 1_048_576)
    shutil.copyfile(src, desa_inbox(workspace) / BK)
    started = time.monotonic()
    code, peak = run_measured(workspace.root)
    seconds = time.monotonic() - started
    assert code == 0
    [r] = receipts(workspace)
    assert r["status"] == "accepted" and r["stage"] == "Verifikasi"
    assert "baris-kosong-diabaikan" in codes(r)
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    assert db.execute("SELECT COUNT(*) FROM usulan").fetchone() == (len(USULAN),)
    assert seconds < 40 and peak < 250, (seconds, peak)
