"""Safety: a demo never deletes someone's files; commands that change a workspace refuse a
folder that is not one (no musrenbang.toml), except `init` which makes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.demo_folder import DEMO_MARKER, prepare_demo_folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_demo_refuses_a_folder_holding_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "laporan"
    (target / "2025").mkdir(parents=True)
    (target / "2025" / "rekap final.xlsx").write_bytes(b"data penting")
    (target / "catatan.txt").write_text("jangan dihapus", encoding="utf-8")
    before = _tree(target)
    assert main(["demo", str(target)]) == 2
    err = capsys.readouterr().err
    assert "bukan folder demo sebelumnya" in err and "tidak menghapusnya" in err
    assert _tree(target) == before


def test_demo_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "berkas.txt"
    target.write_text("x", encoding="utf-8")
    assert main(["demo", str(target)]) == 2
    assert target.read_text(encoding="utf-8") == "x"


def test_demo_reuses_an_empty_folder_and_an_earlier_demo(tmp_path: Path) -> None:
    empty = tmp_path / "kosong"
    empty.mkdir()
    prepare_demo_folder(empty)
    assert (empty / DEMO_MARKER).is_file()
    (empty / "outbox").mkdir()
    (empty / "outbox" / "lama.pdf").write_bytes(b"%PDF")
    prepare_demo_folder(empty)  # an earlier demo: emptied and marked again
    assert sorted(p.name for p in empty.iterdir()) == [DEMO_MARKER]


def test_demo_before_the_marker_existed_is_recognised(tmp_path: Path) -> None:
    old = tmp_path / "demo"
    old.mkdir()
    (old / "wilayah-demo.csv").write_text("kode,nama\n", encoding="utf-8")
    (old / "musrenbang.toml").write_text("", encoding="utf-8")
    (old / "musrenbang.db").write_bytes(b"")
    prepare_demo_folder(old)
    assert sorted(p.name for p in old.iterdir()) == [DEMO_MARKER]


CHANGING = [
    ["run"],
    ["watch"],
    ["workbook", "desa", "12.05.01.2002", "--tahun", "2027"],
    ["workbook", "kecamatan", "12.05.01", "--tahun", "2027"],
    ["workbook", "semua", "--tahun", "2027"],
    ["unlock", "12.05.01.2002", "--tahun", "2027", "--alasan", "salah ketik"],
    ["cadangan"],
]


@pytest.mark.parametrize("argv", CHANGING, ids=lambda a: "-".join(a[:2]))
def test_commands_refuse_a_folder_that_is_not_a_workspace(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "dokumen-saya"
    folder.mkdir()
    (folder / "surat.docx").write_bytes(b"isi")
    (folder / "wilayah.csv").write_text("kode,nama\n12.05,Kabupaten Langkat\n", encoding="utf-8")
    before = _tree(folder)
    assert main([*argv, "--root", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "bukan workspace Musrenbang" in err and "musrenbang init" in err
    assert _tree(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["surat.docx", "wilayah.csv"]


def test_init_makes_a_workspace_of_a_new_folder(tmp_path: Path) -> None:
    csv = tmp_path / "wilayah.csv"
    csv.write_text("kode,nama\n12.05,Kabupaten Langkat\n12.05.01,Bahorok\n"
                   "12.05.01.2002,Lau Damak\n", encoding="utf-8")  # fmt: skip
    root = tmp_path / "ws"
    assert main(["init", "--root", str(root), "--wilayah", str(csv)]) == 0
    assert (root / "musrenbang.toml").is_file()
    assert main(["status", "--root", str(root)]) == 0
