"""A workbook issued by `musrenbang workbook`, filled in LibreOffice Calc itself (UNO) and
saved by Calc's xlsx filter, goes Persiapan -> Pelaksanaan -> Verifikasi."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.core.workspace import Workspace
from tests.conftest import HAS_SOFFICE, desa_inbox
from tests.workbooks import identitas_cell, usulan_cell

SYSTEM_PYTHON = "/usr/bin/python3"
TOOL = Path(__file__).parent / "tools" / "calc_fill.py"


def _has_uno() -> bool:
    if not HAS_SOFFICE or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not _has_uno(), reason="LibreOffice with python3-uno not installed"),
]


def calc_fill(src: Path, dst: Path, spec: dict[str, dict[str, object]], tmp: Path) -> Path:
    spec_file = tmp / "spec.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    profile = tmp / "lo-profile"
    subprocess.run(
        [SYSTEM_PYTHON, str(TOOL), str(src), str(dst), str(spec_file), str(profile)],
        check=True,
        timeout=180,
    )
    assert dst.exists()
    return dst


USULAN_TYPED = [
    ["Dusun I", "Pelaksanaan Pembangunan Desa", "Rabat beton jalan", "Dusun I RT 02", 250, "meter", "Rp 187.500.000", "APBDes"],
    ["dusun ii", "pelaksanaan pembangunan desa ", "Drainase", "Dusun II", "1,5", "kilometer", 90000000, "apbdes"],
    ["PKK", "Pemberdayaan Masyarakat", "Pelatihan keripik", "Balai Desa", 30, "orang", "15.000.000", "Swadaya"],
]  # fmt: skip
LABELS = ["Asal Usulan", "Bidang", "Kegiatan", "Lokasi", "Volume", "Satuan", "Perkiraan Biaya (Rp)", "Sumber Dana"]  # fmt: skip


def test_calc_filled_workbook_goes_through_three_stages(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(workspace.root)
    assert main(["workbook", "desa", "12.05.01.2002", "--tahun", "2027", "--root", root]) == 0
    issued = Path(capsys.readouterr().out.strip().splitlines()[-1])
    name = issued.name
    work = tmp_path / "operator"
    work.mkdir()

    def run_and_check(stage: str) -> dict:
        capsys.readouterr()
        code = main(["run", "--root", root])
        receipts = sorted(workspace.receipts.glob("*.json"))
        data = json.loads(receipts[-1].read_text())
        assert code == 0, data["issues"]
        assert (data["status"], data["stage"]) == ("accepted", stage)
        return data

    persiapan = {
        identitas_cell("Tahap"): "Persiapan",
        identitas_cell("Tanggal Musrenbang"): "2026-01-13",
        identitas_cell("Jam Mulai"): "09.00",
        identitas_cell("Tempat"): "Balai Desa Lau Damak",
        identitas_cell("Alamat"): "Jl. Bahorok - Bukit Lawang",
        identitas_cell("Nama Kepala Desa/Lurah"): "Rahmat Sembiring",
    }
    calc_fill(issued, desa_inbox(workspace) / name, {"Identitas": persiapan}, work)
    run_and_check("Persiapan")

    usulan: dict[str, object] = {identitas_cell("Tahap"): "Pelaksanaan"}
    rows: dict[str, object] = {}
    for n, values in enumerate(USULAN_TYPED, start=1):
        for label, value in zip(LABELS, values, strict=True):
            rows[usulan_cell(label, n)] = value
    current = workspace.outbox / "12.05.01 Bahorok" / "12.05.01.2002 Lau Damak" / "2027" / name
    calc_fill(current, work / name, {"Identitas": usulan, "Usulan": rows}, work)
    shutil.copyfile(work / name, desa_inbox(workspace) / name)
    run_and_check("Pelaksanaan")

    verifikasi = {
        identitas_cell("Tahap"): "Verifikasi",
        identitas_cell("Pimpinan Rapat"): "Syahrial Ginting",
        identitas_cell("Notulen"): "Sri Wahyuni",
        identitas_cell("Jumlah Peserta Laki-laki"): 21,
        identitas_cell("Jumlah Peserta Perempuan"): 14,
    }
    decisions = {
        usulan_cell("Prioritas", 1): 1,
        usulan_cell("Keputusan", 1): "Diterima",
        usulan_cell("Prioritas", 2): 2,
        usulan_cell("Keputusan", 2): "diterima dengan revisi",
        usulan_cell("Catatan Keputusan", 2): "Volume jadi 1 km",
        usulan_cell("Keputusan", 3): "Ditolak",
        usulan_cell("Catatan Keputusan", 3): "Sudah didanai dinas",
    }
    calc_fill(current, work / name, {"Identitas": verifikasi, "Usulan": decisions}, work)
    shutil.copyfile(work / name, desa_inbox(workspace) / name)
    data = run_and_check("Verifikasi")
    assert any(
        o.endswith("Berita Acara Musrenbang Desa Lau Damak 2027.docx") for o in data["outputs"]
    )

    from pipeline.core.config import load_settings
    from pipeline.ledger.store import Ledger

    with Ledger(load_settings(workspace.root).database_path(workspace.root)) as ledger:
        usulan_rows = ledger.usulan_of("12.05.01.2002", 2027)
    assert [u.kode_usulan for u in usulan_rows] == [
        f"12.05.01.2002-2027-{n:04d}" for n in (1, 2, 3)
    ]
    assert [u.biaya for u in usulan_rows] == [187_500_000, 90_000_000, 15_000_000]
    assert str(usulan_rows[1].volume) == "1.5"
    assert [u.keputusan for u in usulan_rows] == ["Diterima", "Diterima dengan Revisi", "Ditolak"]


def test_calc_row_typed_below_the_explicit_cells_is_editable_and_read(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issued sheet has explicit unlocked, formatted cells for INPUT_ROWS rows only; below
    them the column styles carry protection and formats. Calc (which honours column styles)
    must see a cell far below as unlocked and formatted like the ones above, and a usulan typed
    there is read like any other."""
    from pipeline.intake.xlsx_write import FIRST_DATA_ROW, INPUT_ROWS

    root = str(workspace.root)
    assert main(["workbook", "desa", "12.05.01.2002", "--tahun", "2027", "--root", root]) == 0
    issued = Path(capsys.readouterr().out.strip().splitlines()[-1])
    work = tmp_path / "operator"
    work.mkdir()
    far = INPUT_ROWS + 40  # usulan number of a row well below the explicit cells
    inside, below = usulan_cell("Perkiraan Biaya (Rp)", 1), usulan_cell("Perkiraan Biaya (Rp)", far)
    text_inside, text_below = usulan_cell("Kode Usulan", 1), usulan_cell("Kode Usulan", far)
    assert int(below[1:]) > FIRST_DATA_ROW + INPUT_ROWS  # no explicit cell there
    rows: dict[str, object] = {}
    for n, values in ((1, USULAN_TYPED[0]), (far, USULAN_TYPED[2])):
        for label, value in zip(LABELS, values, strict=True):
            rows[usulan_cell(label, n)] = value
    spec = {
        "__probe__": {"Usulan": [inside, below, text_inside, text_below, "A2"]},
        "Identitas": {
            identitas_cell("Tahap"): "Pelaksanaan",
            identitas_cell("Tanggal Musrenbang"): "2026-01-13",
            identitas_cell("Jam Mulai"): "09.00",
            identitas_cell("Tempat"): "Balai Desa Lau Damak",
            identitas_cell("Alamat"): "Jl. Bahorok - Bukit Lawang",
            identitas_cell("Nama Kepala Desa/Lurah"): "Rahmat Sembiring",
        },
        "Usulan": rows,
    }
    out = calc_fill(issued, work / issued.name, spec, work)
    seen = json.loads(Path(str(out) + ".probe.json").read_text(encoding="utf-8"))
    assert seen["Usulan!A2"]["locked"] and seen["Usulan!A2"]["protected_sheet"]  # the header
    for ref in (inside, below, text_inside, text_below):
        assert not seen[f"Usulan!{ref}"]["locked"], (ref, seen)
    assert seen[f"Usulan!{below}"]["format"] == seen[f"Usulan!{inside}"]["format"]
    assert "Rp" in seen[f"Usulan!{below}"]["format"]
    assert seen[f"Usulan!{text_below}"]["format"] == seen[f"Usulan!{text_inside}"]["format"] == "@"
    shutil.copyfile(out, desa_inbox(workspace) / issued.name)
    assert main(["run", "--root", root]) == 0
    data = json.loads(sorted(workspace.receipts.glob("*.json"))[-1].read_text())
    assert (data["status"], data["stage"]) == ("accepted", "Pelaksanaan"), data["issues"]

    from pipeline.core.config import load_settings
    from pipeline.ledger.store import Ledger

    with Ledger(load_settings(workspace.root).database_path(workspace.root)) as ledger:
        got = ledger.usulan_of("12.05.01.2002", 2027)
    assert [(u.kegiatan, u.biaya) for u in got] == [
        ("Rabat beton jalan", 187_500_000), ("Pelatihan keripik", 15_000_000)
    ]  # fmt: skip
