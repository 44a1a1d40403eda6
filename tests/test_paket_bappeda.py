"""Issue 11: kecamatan packages Bappeda can trust (signed, merged into its ledger, versioned).

Real workspaces in temp folders: a kecamatan workspace takes its desa through the flow and
sends a signed package; a Bappeda workspace registers the key, takes the package in and
writes the kabupaten Rekap, Pemantauan and status from it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.demo import KecamatanOperator
from pipeline.ledger.jejak import jejak
from pipeline.run.batch import PassResult, run_pass
from tests.conftest import make_workspace
from tests.paket_helpers import KEC, empty_record, register_key, signed_package
from tests.test_kecamatan_flow import PERSIAPAN, REKAP, UPT, send_desa

KIRIM = {"Tahap": "Kirim", "Nomor Surat Pengantar": "050/2/BHR/2026"}


def run(ws: Workspace) -> PassResult:
    return run_pass(ws, load_settings(ws.root))


def to_kirim(ws: Workspace, tmp: Path, tahap_kedua: str = "Kirim") -> Path:
    """Two desa sent (the second at `tahap_kedua`), the kecamatan through Persiapan, Rekap
    and Kirim: its package."""
    send_desa(ws, tmp)
    send_desa(ws, tmp, "12.05.01.2003", tahap_kedua)
    assert all(r.status.value == "accepted" for r in run(ws).receipts)
    assert main(["workbook", "kecamatan", KEC, "--tahun", "2027", "--root", str(ws.root)]) == 0
    kec = KecamatanOperator(ws, KEC, 2027)
    kec.drop(PERSIAPAN)
    assert run(ws).receipts[-1].status.value == "accepted"
    kec.drop(REKAP, decide=True, upt=UPT)
    assert run(ws).receipts[-1].status.value == "accepted"
    kec.scan("REKAP USULAN")
    kec.scan("BERITA ACARA MUSRENBANG KECAMATAN", "berita-acara")
    kec.scan("DAFTAR HADIR MUSRENBANG KECAMATAN", "daftar-hadir")
    kec.drop(KIRIM)
    r = run(ws).receipts[-1]
    assert (r.status.value, r.stage) == ("accepted", "Kirim"), r.issues
    return next(ws.root / o for o in r.outputs if o.endswith(".zip"))


def rekap_cells(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    [path] = (ws.outbox).glob("Rekap Usulan Musrenbang *.xlsx")
    wb = load_workbook(path)
    return {
        sheet.title: [
            tuple(v for v in row if not (isinstance(v, str) and v.startswith("Dibuat")))
            for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in wb.worksheets
    }


def status_json(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["status", "--json", "--tahun", "2027", "--root", str(ws.root)]) == 0
    data = json.loads(capsys.readouterr().out)
    data.pop("dibuat", None)
    return data


def codes(r: Any) -> list[str]:
    return [i.code for i in r.issues]


@pytest.fixture
def kirim(tmp_path: Path) -> tuple[Workspace, Path]:
    ws = make_workspace(tmp_path / "kecamatan")
    return ws, to_kirim(ws, tmp_path)


@pytest.fixture
def bappeda(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "bappeda")


def register(bappeda: Workspace, kecamatan: Workspace) -> None:
    pub = kecamatan.outbox / "Kunci Publik Kecamatan Bahorok.pub"
    assert main(["kunci", "daftar", KEC, str(pub), "--root", str(bappeda.root)]) == 0


def test_package_at_bappeda_counts_as_every_workbook_received_there(
    kirim: tuple[Workspace, Path], bappeda: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    kec_ws, package = kirim
    register(bappeda, kec_ws)
    stick = bappeda.inbox / "dari flashdisk" / package.name  # anywhere in the inbox
    stick.parent.mkdir()
    shutil.copyfile(package, stick)
    [r] = run(bappeda).receipts
    assert (r.kind.value, r.status.value, r.region, r.year) == ("package", "accepted", KEC, 2027)
    # the kecamatan workspace received every workbook itself: same Rekap, cell by cell
    direct, via_package = rekap_cells(kec_ws), rekap_cells(bappeda)
    assert via_package == direct
    assert sum(len(rows) for rows in direct.values()) > 10  # usulan rows, not an empty recap
    # same usulan, totals per kecamatan, bidang and OPD, and the same status
    kab_direct = status_json(kec_ws, capsys)
    kab_package = status_json(bappeda, capsys)
    assert kab_package == kab_direct
    assert kab_package["kecamatan"][0]["tahap"] == "Kirim"
    db = sqlite3.connect(bappeda.root / "musrenbang.db")
    [(action, details)] = db.execute(
        "SELECT action, details_json FROM audit WHERE action = 'paket-digabung'"
    ).fetchall()
    assert json.loads(details)["urutan"] == 1
    unpacked = bappeda.outbox / "paket" / "12.05.01 Bahorok" / "2027"
    assert (unpacked / "manifest.sig").exists() and (unpacked / "data" / "buku-besar.json").exists()


def test_keys_private_part_stays_in_the_workspace(
    kirim: tuple[Workspace, Path], bappeda: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    kec_ws, package = kirim
    private = kec_ws.root / ".musrenbang" / "kunci" / "kunci-privat.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    secret = private.read_bytes()
    body = b"".join(secret.splitlines()[1:-1])  # the base64 key material
    assert main(["cadangan", "--root", str(kec_ws.root)]) == 0
    for folder in (kec_ws.outbox, kec_ws.root / "cadangan", kec_ws.receipts):
        for f in folder.rglob("*"):
            if f.is_file():
                data = f.read_bytes()
                assert body not in data and b"PRIVATE KEY" not in data, f
                if f.suffix == ".zip":
                    with zipfile.ZipFile(f) as zf:
                        for n in zf.namelist():
                            assert b"PRIVATE KEY" not in zf.read(n), (f, n)
    # listing and registering, audited; replacing needs --ganti and a reason
    capsys.readouterr()
    assert main(["kunci", "--root", str(kec_ws.root)]) == 0
    own = capsys.readouterr().out
    assert "SHA256:" in own
    register(bappeda, kec_ws)
    fp = capsys.readouterr().out.strip()
    assert fp.startswith("SHA256:") and fp in own
    other = bappeda.root.parent / "lain.pub"
    other.write_bytes(b"bukan kunci")
    assert main(["kunci", "daftar", KEC, str(other), "--root", str(bappeda.root)]) == 2
    from pipeline.core import kunci

    new = Ed25519PrivateKey.generate()
    other.write_bytes(kunci.pub_file_text(new.public_key(), KEC, "Bahorok"))
    assert main(["kunci", "daftar", KEC, str(other), "--root", str(bappeda.root)]) == 2
    args = ["kunci", "daftar", KEC, str(other), "--ganti", "--alasan", "laptop baru"]
    assert main([*args, "--root", str(bappeda.root)]) == 0
    db = sqlite3.connect(bappeda.root / "musrenbang.db")
    actions = [r[0] for r in db.execute("SELECT action FROM audit ORDER BY id")]
    assert actions == ["kunci-didaftarkan", "kunci-diganti"]
    # the package signed by the old key is refused now
    shutil.copyfile(package, bappeda.inbox / package.name)
    assert codes(run(bappeda).receipts[-1]) == ["paket-tidak-sah"]


def test_newer_package_replaces_older_is_stale_same_is_duplicate(
    kirim: tuple[Workspace, Path], bappeda: Workspace, tmp_path: Path
) -> None:
    kec_ws, package = kirim
    register(bappeda, kec_ws)
    first = tmp_path / "kirim-1.zip"
    shutil.copyfile(package, first)
    shutil.copyfile(first, bappeda.inbox / "paket 1.zip")
    assert run(bappeda).receipts[-1].status.value == "accepted"
    # unlock at the kecamatan, change a decision, Kirim again: a newer package
    root = str(kec_ws.root)
    assert main(["unlock", KEC, "--tahun", "2027", "--alasan", "revisi", "--root", root]) == 0
    kec = KecamatanOperator(kec_ws, KEC, 2027)
    kec.drop(REKAP, decide=True)  # the UPT usulan dropped this time
    assert run(kec_ws).receipts[-1].status.value == "accepted"
    kec.drop(KIRIM)
    r = run(kec_ws).receipts[-1]
    assert r.stage == "Kirim", r.issues
    second = tmp_path / "kirim-2.zip"
    shutil.copyfile(next(kec_ws.root / o for o in r.outputs if o.endswith(".zip")), second)
    with zipfile.ZipFile(second) as zf:
        assert json.loads(zf.read("manifest.json"))["urutan"] == 2
        names2 = set(zf.namelist())
    shutil.copyfile(second, bappeda.inbox / "paket 2.zip")
    r = run(bappeda).receipts[-1]
    assert (r.status.value, codes(r)) == ("accepted", ["paket-menggantikan"])
    assert rekap_cells(bappeda) == rekap_cells(kec_ws)
    unpacked = bappeda.outbox / "paket" / "12.05.01 Bahorok" / "2027"
    got = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()}
    assert got == names2  # exactly the newer package's members
    with zipfile.ZipFile(second) as zf:
        assert (unpacked / "manifest.json").read_bytes() == zf.read("manifest.json")
    # the older one again (replayed): stale; the held one again: duplicate
    shutil.copyfile(first, bappeda.inbox / "paket 1 lagi.zip")
    r = run(bappeda).receipts[-1]
    assert (r.status.value, codes(r)) == ("rejected", ["paket-usang"])
    shutil.copyfile(second, bappeda.inbox / "paket 2 lagi.zip")
    assert run(bappeda).receipts[-1].status.value == "duplicate"
    assert rekap_cells(bappeda) == rekap_cells(kec_ws)


def _rewrite(src: Path, dst: Path, change: Any) -> Path:
    with zipfile.ZipFile(src) as zf:
        content = {i.filename: (i, zf.read(i)) for i in zf.infolist()}
    change(content)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for _name, (info, data) in content.items():
            zf.writestr(info, data)
    return dst


def test_forged_tampered_and_foreign_packages_are_refused_with_receipts(
    workspace: Workspace, tmp_path: Path
) -> None:
    key = register_key(workspace)
    stranger = Ed25519PrivateKey.generate()
    folder = workspace.inbox / "paket"
    folder.mkdir()
    good = signed_package(tmp_path / "asli.zip", key)
    signed_package(folder / "tanpa tanda tangan.zip", None)
    signed_package(folder / "kunci lain.zip", stranger)

    def forge_manifest(c: dict[str, Any]) -> None:
        info, data = c["manifest.json"]
        m = json.loads(data)
        m["urutan"] = 99
        c["manifest.json"] = (info, json.dumps(m).encode())

    _rewrite(good, folder / "manifest dipalsu.zip", forge_manifest)

    def bad_sig(c: dict[str, Any]) -> None:
        info, _ = c["manifest.sig"]
        c["manifest.sig"] = (info, b"bukan base64 !!")

    _rewrite(good, folder / "tanda tangan rusak.zip", bad_sig)

    def change_byte(c: dict[str, Any]) -> None:
        info, data = c["dokumen/Rekap.pdf"]
        c["dokumen/Rekap.pdf"] = (info, data[:-1] + bytes([data[-1] ^ 1]))

    _rewrite(good, folder / "satu byte.zip", change_byte)
    whole = good.read_bytes()
    (folder / "terpotong.zip").write_bytes(whole[: len(whole) // 2])
    signed_package(folder / "manifest buruk.zip", key, raw_manifest=b"{bukan json")
    for label, member in [
        ("naik", "../keluar.pdf"),
        ("mutlak", "/etc/keluar.pdf"),
        ("drive", "C:/keluar.pdf"),
        ("drive2", "dokumen/C:keluar.pdf"),
        ("backslash", "dokumen\\..\\..\\keluar.pdf"),
    ]:
        signed_package(folder / f"nama {label}.zip", key, members={member: b"%PDF"})
    link = tmp_path / "tautan.zip"
    signed_package(link, key, members={"dokumen/tautan.pdf": b"/etc/passwd"})

    def make_link(c: dict[str, Any]) -> None:
        info, data = c["dokumen/tautan.pdf"]
        info.external_attr = (0o120777 << 16) | (info.external_attr & 0xFFFF)
        info.create_system = 3

    _rewrite(link, folder / "symlink.zip", make_link)
    signed_package(folder / "kabupaten lain.zip", key, kecamatan="35.16.13")
    signed_package(folder / "tanpa buku besar.zip", key, with_record=False)
    bad_record = json.dumps(
        {"format": 1, "kecamatan": KEC, "tahun": 2027,
         "tabel": {"usulan": {"kolom": ["kode", "region", "year"],
                              "baris": [["12.05.02.2001-2027-0001", "12.05.02.2001", 2027]]}}}
    ).encode()  # fmt: skip
    signed_package(
        folder / "wilayah lain di dalam.zip", key, members={"data/buku-besar.json": bad_record}
    )
    result = run(workspace)
    got = {r.file: r for r in result.receipts}
    expected = {
        "tanpa tanda tangan.zip": "paket-tidak-sah",
        "kunci lain.zip": "paket-tidak-sah",
        "manifest dipalsu.zip": "paket-tidak-sah",
        "tanda tangan rusak.zip": "paket-tidak-sah",
        "satu byte.zip": "paket-rusak",
        "terpotong.zip": "paket-rusak",
        "manifest buruk.zip": "paket-rusak",
        "nama naik.zip": "paket-rusak",
        "nama mutlak.zip": "paket-rusak",
        "nama drive.zip": "paket-rusak",
        "nama drive2.zip": "paket-rusak",
        "nama backslash.zip": "paket-rusak",
        "symlink.zip": "paket-rusak",
        "kabupaten lain.zip": "wilayah-tidak-cocok",
        "tanpa buku besar.zip": "paket-rusak",
        "wilayah lain di dalam.zip": "paket-rusak",
    }
    assert {n: (r.status.value, sorted(set(codes(r)))) for n, r in got.items()} == {
        n: ("rejected", [c]) for n, c in expected.items()
    }
    assert not (workspace.outbox / "paket").exists()  # nothing unpacked
    assert not (workspace.root / "keluar.pdf").exists()
    db = sqlite3.connect(workspace.root / "musrenbang.db")
    assert db.execute("SELECT MAX(attempts) FROM inputs").fetchone() == (0,)  # no internal error
    assert db.execute("SELECT COUNT(*) FROM paket_kecamatan").fetchone() == (0,)


def test_unsigned_package_by_command_line_exits_1_not_3(workspace: Workspace) -> None:
    signed_package(workspace.inbox / "Paket.zip", None)
    env_root = str(workspace.root)
    assert main(["run", "--root", env_root]) == 1
    [receipt] = (workspace.receipts).glob("*.json")
    data = json.loads(receipt.read_text(encoding="utf-8"))
    assert [i["code"] for i in data["issues"]] == ["paket-tidak-sah"]
    assert base64 and os  # used by helpers above


def test_mixed_mode_the_package_wins_and_status_warns(
    kirim: tuple[Workspace, Path],
    bappeda: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    kec_ws, package = kirim
    register(bappeda, kec_ws)
    direct = tmp_path / "langsung"
    direct.mkdir()
    send_desa(bappeda, direct)  # a desa also sent its workbook straight to Bappeda
    assert all(r.status.value == "accepted" for r in run(bappeda).receipts)
    shutil.copyfile(package, bappeda.inbox / package.name)
    r = run(bappeda).receipts[-1]
    assert (r.status.value, codes(r)) == ("accepted", ["paket-dan-buku-kerja"])
    assert rekap_cells(bappeda) == rekap_cells(kec_ws)
    capsys.readouterr()
    assert main(["status", "--root", str(bappeda.root)]) == 0
    assert "paket-dan-buku-kerja" in capsys.readouterr().out
    data = status_json(bappeda, capsys)
    assert data["peringatan"] == [
        {"kode": "paket-dan-buku-kerja", "kecamatan": KEC, "buku_kerja_langsung": 1,
         "pesan": data["peringatan"][0]["pesan"]}
    ]  # fmt: skip
    assert "Kecamatan Bahorok 2027: 1 buku kerja desa" in data["peringatan"][0]["pesan"]


def test_mixed_mode_a_desa_workbook_after_the_package_changes_nothing(
    kirim: tuple[Workspace, Path],
    bappeda: Workspace,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.conftest import desa_inbox
    from tests.workbooks import USULAN, make_desa_workbook

    kec_ws, package = kirim
    register(bappeda, kec_ws)
    shutil.copyfile(package, bappeda.inbox / package.name)
    run(bappeda)
    before = rekap_cells(bappeda)
    assert before == rekap_cells(kec_ws) and status_json(bappeda, capsys)["peringatan"] == []
    # Lau Damak mails Bappeda a workbook of its own with other usulan: the package still wins
    other = make_desa_workbook(tmp_path / "langsung.xlsx", tahap="Kirim", usulan=USULAN[:2])
    shutil.copyfile(other, desa_inbox(bappeda) / other.name)
    [r] = run(bappeda).receipts
    assert (r.status.value, codes(r), r.region) == ("accepted", ["paket-dan-buku-kerja"],
                                                    "12.05.01.2002")  # fmt: skip
    assert r.outputs == [] and r.stage == "Kirim"  # no documents; the package's stage
    assert rekap_cells(bappeda) == before
    data = status_json(bappeda, capsys)
    assert status_json(kec_ws, capsys) == {**data, "peringatan": []}
    assert [(p["kode"], p["kecamatan"], p["buku_kerja_langsung"]) for p in data["peringatan"]] == [
        ("paket-dan-buku-kerja", KEC, 1)
    ]
    lau = bappeda.outbox / "12.05.01 Bahorok" / "12.05.01.2002 Lau Damak"
    assert {p.parent.name for p in lau.rglob("*") if p.is_file()} == {"tanda-terima"}
    capsys.readouterr()
    assert main(["status", "--root", str(bappeda.root)]) == 0
    assert "Peringatan (paket-dan-buku-kerja): Kecamatan Bahorok 2027: 1" in capsys.readouterr().out
    # a broken one is still refused for what it is
    bad = make_desa_workbook(
        tmp_path / "rusak.xlsx",
        tahap="Kirim",
        usulan=[{**USULAN[0], "Perkiraan Biaya (Rp)": "Rp 15 jt"}],
    )
    shutil.copyfile(bad, desa_inbox(bappeda) / "Buku Kerja rusak.xlsx")
    [r] = run(bappeda).receipts
    assert (r.status.value, codes(r)) == ("rejected", ["biaya-tidak-valid"])
    # the kecamatan's own workbook or a desa scan sent straight to Bappeda: the package holds
    # them at Kirim, so the lock refuses them (sudah-dikirim) and the figures stay
    from pipeline.scans.samples import make_scan

    kec = KecamatanOperator(kec_ws, KEC, 2027)
    shutil.copyfile(kec.current(), bappeda.inbox_kecamatan(kec.kec) / kec.current().name)
    make_scan(desa_inbox(bappeda) / "pindaian" / "berita-acara" / "ba.jpg", "BA", fmt="jpg")
    got = {r.file: (r.status.value, codes(r)) for r in run(bappeda).receipts}
    assert got == {
        kec.current().name: ("rejected", ["sudah-dikirim"]),
        "ba.jpg": ("rejected", ["sudah-dikirim"]),
    }
    assert rekap_cells(bappeda) == before


def test_a_package_whose_jejak_bappeda_cannot_reproduce_is_taken_with_a_warning(
    bappeda: Workspace, tmp_path: Path
) -> None:
    """The manifest's jejak is the kecamatan's ledger state; after the merge Bappeda's ledger
    must give the same (else its recap may not be the Rekap the Camat signed: two releases
    that count differently). Signed, so not forged: taken, with `paket-jejak-berbeda`."""
    key = register_key(bappeda)
    members = {"dokumen/Rekap.pdf": b"%PDF-1.4 rekap", "data/buku-besar.json": empty_record()}

    def manifest(urutan: int, jejak: object) -> dict[str, Any]:
        return {
            "kecamatan": KEC, "tahun": 2027, "urutan": urutan, "jejak": jejak,
            "dibuat": f"2026-12-0{urutan}T10:00:00+07:00",
            "berkas": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()},
        }  # fmt: skip

    signed_package(bappeda.inbox / "jejak lain.zip", key, members=members,
                   manifest=manifest(1, "0123456789ab"))  # fmt: skip
    r = run(bappeda).receipts[-1]
    assert (r.status.value, codes(r)) == ("accepted", ["paket-jejak-berbeda"])
    with sqlite3.connect(bappeda.root / "musrenbang.db") as db:
        db.row_factory = sqlite3.Row
        merged = jejak(db, KEC, 2027)
    [said] = r.issues
    assert "0123456789ab" in said.message and merged in said.message
    # the same state with its true jejak: no warning
    signed_package(bappeda.inbox / "jejak sama.zip", key, members=members,
                   manifest=manifest(2, merged))  # fmt: skip
    r = run(bappeda).receipts[-1]
    assert (r.status.value, codes(r)) == ("accepted", ["paket-menggantikan"])
    # a jejak that is no digest at all: the manifest is broken
    signed_package(bappeda.inbox / "jejak rusak.zip", key, members=members,
                   manifest=manifest(3, "<script>"))  # fmt: skip
    r = run(bappeda).receipts[-1]
    assert (r.status.value, codes(r)) == ("rejected", ["paket-rusak"])


def test_a_desa_scan_at_bappeda_meets_the_package_even_below_kirim(
    bappeda: Workspace, tmp_path: Path
) -> None:
    """A desa that had sent only its Verifikasi when its kecamatan sent the package: at
    Bappeda its year is open, yet the package holds it. A scan of it dropped straight at
    Bappeda is refused (`sudah-dikirim`) instead of changing Bappeda's record of it (it was
    taken, and merging it with the package's scans, whose files are in the kecamatan's
    archive, failed as an internal error on every pass)."""
    from pipeline.scans.samples import make_scan
    from tests.conftest import desa_inbox

    kec_ws = make_workspace(tmp_path / "kecamatan")
    package = to_kirim(kec_ws, tmp_path, tahap_kedua="Verifikasi")
    verifikasi = "12.05.01.2003"
    register(bappeda, kec_ws)
    shutil.copyfile(package, bappeda.inbox / package.name)
    assert run(bappeda).receipts[-1].status.value == "accepted"
    with sqlite3.connect(bappeda.root / "musrenbang.db") as db:
        [stage] = db.execute(
            "SELECT stage FROM tahap WHERE region = ? AND year = 2027", (verifikasi,)
        ).fetchone()
    assert stage == "Verifikasi"  # open at Bappeda too, as in the package
    before = rekap_cells(bappeda)
    scans = "SELECT file FROM berkas WHERE region = ? AND kategori = 'pindaian' ORDER BY file"
    with sqlite3.connect(bappeda.root / "musrenbang.db") as db:
        held = db.execute(scans, (verifikasi,)).fetchall()
    assert held == [("ba.jpg",), ("dh.jpg",)]  # the ones it sent its kecamatan, in the package
    make_scan(desa_inbox(bappeda, verifikasi) / "pindaian" / "daftar-hadir" / "dh.jpg", "DH",
              fmt="jpg")  # fmt: skip
    [r] = run(bappeda).receipts
    assert (r.status.value, codes(r), r.region) == ("rejected", ["sudah-dikirim"],
                                                    verifikasi)  # fmt: skip
    assert "paket" in r.issues[0].message and "Kecamatan Bahorok" in r.issues[0].message
    assert rekap_cells(bappeda) == before
    with sqlite3.connect(bappeda.root / "musrenbang.db") as db:
        assert db.execute(scans, (verifikasi,)).fetchall() == held
    # a kelurahan the package did not bring at all: refused too, not kept for a year that no
    # workbook of its own would open while the package holds its kecamatan
    make_scan(desa_inbox(bappeda, "12.05.01.1001") / "pindaian" / "berita-acara" / "ba.jpg",
              "BA", fmt="jpg")  # fmt: skip
    [r] = run(bappeda).receipts
    assert (r.status.value, codes(r), r.region, r.year) == (
        "rejected", ["sudah-dikirim"], "12.05.01.1001", None
    )  # fmt: skip
    assert "paket Musrenbang tahun 2027" in r.issues[0].message


def test_bappeda_does_not_reopen_what_a_package_holds(
    kirim: tuple[Workspace, Path], bappeda: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reopened at Bappeda, a package kecamatan took the kecamatan's workbook again, whose
    documents need the package's scans (in the kecamatan's archive): an internal error on
    every pass. The kecamatan reopens it and sends a newer package instead."""
    kec_ws, package = kirim
    register(bappeda, kec_ws)
    shutil.copyfile(package, bappeda.inbox / package.name)
    assert run(bappeda).receipts[-1].status.value == "accepted"
    before = status_json(bappeda, capsys)
    root = str(bappeda.root)
    for kode in (KEC, "12.05.01.2002"):
        capsys.readouterr()
        assert main(["unlock", kode, "--tahun", "2027", "--alasan", "uji", "--root", root]) == 2
        said = capsys.readouterr()
        text = said.out + said.err
        assert "dipegang di sini dari paket Kecamatan Bahorok (Kirim ke-1" in text, text
        assert "Traceback" not in text
    assert status_json(bappeda, capsys) == before  # nothing reopened
    kec = KecamatanOperator(kec_ws, KEC, 2027)
    shutil.copyfile(kec.current(), bappeda.inbox_kecamatan(kec.kec) / kec.current().name)
    [r] = run(bappeda).receipts
    assert (r.status.value, codes(r)) == ("rejected", ["sudah-dikirim"])
    # where it was sent from, it reopens as before
    assert (
        main(["unlock", KEC, "--tahun", "2027", "--alasan", "uji", "--root", str(kec_ws.root)]) == 0
    )
