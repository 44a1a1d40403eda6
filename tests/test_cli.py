"""The command line as operators and schedulers meet it: arguments, messages, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.core.workspace import Workspace
from tests.conftest import WILAYAH_CSV


def test_root_from_environment_and_before_or_after_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "w.csv"
    csv.write_text(WILAYAH_CSV)
    root = tmp_path / "ws"
    monkeypatch.setenv("MUSRENBANG_ROOT", str(root))
    assert main(["init", "--wilayah", str(csv)]) == 0
    assert capsys.readouterr().out.strip() == str(root)
    assert (root / "musrenbang.toml").exists() and (root / "wilayah.csv").exists()
    other = tmp_path / "other"
    assert main(["--root", str(other), "init", "--wilayah", str(csv)]) == 0
    assert (other / "inbox" / "12.05.01 Bahorok" / "12.05.01.2002 Lau Damak" / "pindaian").is_dir()


def test_init_keeps_its_kabupaten(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "two.csv"
    csv.write_text(
        WILAYAH_CSV
        + "35,Jawa Timur\n35.16,Kabupaten Mojokerto\n35.16.13,Sooko\n35.16.13.2001,Sooko\n"
    )
    root = str(workspace.root)
    assert main(["init", "--root", root, "--wilayah", str(csv)]) == 2
    assert "--kabupaten" in capsys.readouterr().err
    assert main(["init", "--root", root, "--wilayah", str(csv), "--kabupaten", "35.16"]) == 2
    assert "12.05" in capsys.readouterr().err
    assert main(["init", "--root", root, "--wilayah", str(csv), "--kabupaten", "12.05"]) == 0


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[jadwal]\nbatas_hari_kerja = "lima"\n', "harus bilangan bulat"),
        ('[pdf]\nukuran_kertas = "A5"\n', "harus salah satu dari"),
        ('[jadwal]\nhari_libur_tambahan = ["2026-13-01"]\n', "YYYY-MM-DD"),
        ("[jadwal\n", "bukan TOML yang sah di baris 1"),
        ("[kirim]\nwajib_pindaian_x = true\n", "kunci tidak dikenal"),
    ],
)
def test_settings_errors_are_indonesian_and_exit_2(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], toml: str, expected: str
) -> None:
    (workspace.root / "musrenbang.toml").write_text(toml)
    assert main(["status", "--root", str(workspace.root)]) == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["workbook", "desa", "12.05.01.2002", "--tahun", "27"], "bukan tahun rencana"),
        (["workbook", "desa", "12.05.01.2002"], "argumen wajib belum diisi: --tahun"),
        (["watch", "--polling", "0"], "detik > 0"),
        (["run", "--bogus"], "argumen tidak dikenal"),
        (["bikin"], "pilihan tidak dikenal"),
    ],
)
def test_usage_errors_are_indonesian_and_exit_2(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--root", str(workspace.root)])
    assert stop.value.code == 2
    assert expected in capsys.readouterr().err


def test_kecamatan_workbook_is_issued(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(workspace.root)
    assert main(["workbook", "kecamatan", "12.05.01", "--tahun", "2027", "--root", root]) == 0
    path = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert path.name == "Buku Kerja Musrenbang Kecamatan Bahorok 2027.xlsx"
    assert main(["workbook", "kecamatan", "12.05.99", "--tahun", "2027", "--root", root]) == 2


def test_corrupt_ledger_is_exit_3_without_traceback(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace.root / "musrenbang.db").write_bytes(b"this is no database" * 100)
    for stale in workspace.root.glob("musrenbang.db-*"):
        stale.unlink()
    assert main(["status", "--root", str(workspace.root)]) == 3
    err = capsys.readouterr().err
    assert "Ledger" in err and "Traceback" not in err


def test_console_script_runs_as_a_program(workspace: Workspace) -> None:
    env = dict(os.environ, MUSRENBANG_ROOT=str(workspace.root))
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Lau Damak" in done.stdout and "Per kecamatan" in done.stdout
