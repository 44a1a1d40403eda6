"""The terminal: help in Indonesian throughout (argparse's own words too) with examples and
exit codes; `run` shows a progress bar with counts, rate and time left on a terminal and a
plain line per file anywhere else."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import _parser, main
from pipeline.progress import PassProgress
from tests.conftest import desa_inbox, make_workspace
from tests.workbooks import make_desa_workbook

REPO = Path(__file__).resolve().parents[1]
ENGLISH = ["usage:", "positional arguments", "options:", "optional arguments",
           "show this help", "show program", "subcommands", "error:", "default:"]  # fmt: skip


def _commands() -> list[list[str]]:
    parser = _parser()
    out: list[list[str]] = [[]]
    sub = next(a for a in parser._actions if isinstance(a, type(parser._subparsers._actions[-1])))  # type: ignore[union-attr]
    for name, child in sub.choices.items():
        out.append([name])
        for action in child._actions:
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                out += [[name, level] for level in action.choices]
    return out


@pytest.mark.parametrize("argv", _commands(), ids=lambda a: "-".join(a) or "musrenbang")
def test_help_is_indonesian_with_examples_and_exit_codes(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    for word in ENGLISH:
        assert word not in text.lower(), (word, text)
    assert text.startswith("pemakaian: musrenbang")
    assert "tampilkan bantuan ini lalu keluar" in text
    assert "Kode keluar:" in text and "3  galat internal" in text
    if argv:
        assert "Contoh:\n  musrenbang " + argv[0] in text
    for line in text.splitlines():  # every option and argument explained
        m = re.match(r"^  (-{1,2}[\w-]+|[A-Z]+)( [A-Z]+)?$", line)
        assert m is None, f"option without help: {line!r}"


def test_usage_errors_are_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["status", "--tahun"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "pemakaian: musrenbang status" in err and "perlu satu nilai" in err
    assert not any(w in err.lower() for w in ENGLISH)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [(["run", "--bogus"], "argumen tidak dikenal: --bogus"),
     (["bikin"], "pilihan tidak dikenal"),
     (["status", "--tahun"], "perlu satu nilai"),
     (["unlock", "12.05.01.2002"], "argumen wajib belum diisi")],
)  # fmt: skip
def test_every_usage_error_is_indonesian(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and err.startswith("pemakaian: musrenbang")
    assert not any(w in err.lower() for w in [*ENGLISH, "unrecognized", "invalid", "required"])


def test_version() -> None:
    done = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True,
                          text=True, cwd=REPO, check=True)  # fmt: skip
    assert re.fullmatch(r"musrenbang \d+\.\d+\.\d+\n", done.stdout)


def _inbox_of(tmp_path: Path, n: int) -> Path:
    ws = make_workspace(tmp_path / "ws")
    for i in range(n):
        make_desa_workbook(desa_inbox(ws) / f"bk-{i}.xlsx", tahap="Persiapan", usulan=[])
        (desa_inbox(ws) / f"catatan-{i}.txt").write_text("catatan", encoding="utf-8")
    return ws.root


def test_without_a_terminal_one_plain_line_per_file(tmp_path: Path) -> None:
    root = _inbox_of(tmp_path, 3)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUTF8": "1"}
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", "--root", str(root)],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=120)  # fmt: skip
    lines = done.stdout.splitlines()
    per_file = [line for line in lines if re.match(r"^(DITERIMA|DITOLAK|DUPLIKAT) ", line)]
    assert len(per_file) == 6
    assert "\x1b[" not in done.stdout and "\r" not in done.stdout  # no bar, no colours
    assert lines[-2].startswith("Selesai: 6 berkas diproses")


def test_on_a_terminal_a_bar_with_counts_rate_and_time_left(tmp_path: Path) -> None:
    root = _inbox_of(tmp_path, 6)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUTF8": "1", "COLUMNS": "120",
           "TERM": "xterm-256color"}  # fmt: skip
    env.pop("NO_COLOR", None)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--root", str(root)],
                            stdin=slave, stdout=slave, stderr=slave, cwd=REPO, env=env)  # fmt: skip
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(30)
    os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 1, screen  # the notes are rejected (not Musrenbang files)
    assert re.search(r"\d+/12 berkas", screen), screen
    assert "berkas/s" in screen and "sisa " in screen
    assert len(re.findall(r"(DITERIMA|DITOLAK|DUPLIKAT) +(bk|catatan)-", screen)) == 12
    assert "Selesai: 12 berkas diproses" in screen


def test_progress_object_plain_and_rich() -> None:
    plain = io.StringIO()
    with PassProgress(plain, terminal=False) as shown:
        shown.update(0, 2)
        shown.line("DITERIMA  a.xlsx")
        shown.update(1, 2)
    assert plain.getvalue() == "DITERIMA  a.xlsx\n"
    rich = io.StringIO()
    with PassProgress(rich, terminal=True) as shown:
        shown.update(0, 3)
        for n in range(3):
            time.sleep(0.05)
            shown.line(f"DITERIMA  {n}.xlsx")
            shown.update(n + 1, 3)
    out = rich.getvalue()
    assert "DITERIMA  2.xlsx" in out and "/3 berkas" in out
