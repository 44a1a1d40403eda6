"""Several workers on one workspace runtime (`musrenbang-pekerja@N`, or machines sharing the
root): each LibreOffice gets a profile of its own across processes, a killed process's profile
is free again, and the reaping file leaves another machine's groups alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.documents.pidfile import PID_FILE, PidFile
from pipeline.documents.profiles import claim_profile, release_profile
from tests.conftest import requires_soffice

REPO = Path(__file__).resolve().parents[1]

HOLD = """
import sys, time
from pathlib import Path
from pipeline.documents.profiles import claim_profile
print(claim_profile(Path(sys.argv[1]), "profil"), flush=True)
time.sleep(600)
"""

CONVERT = """
import json, sys
from pathlib import Path
import docx
from pipeline.core.config import PdfSettings
from pipeline.documents.convert import Converter
runtime, tag, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
sources = []
for i in range(4):
    d = docx.Document()
    d.add_paragraph(f"Dokumen {tag} nomor {i}")
    sources.append(out / f"{tag}-{i}.docx")
    d.save(str(sources[-1]))
with Converter(PdfSettings(pekerja=1), runtime) as conv:
    done = conv.convert_many(sources, out)
    print(json.dumps([str(w.profile) for w in conv._workers]), flush=True)
print(sum(1 for v in done.values() if v is not None), flush=True)
"""


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def test_a_profile_another_process_holds_is_skipped_and_free_once_it_dies(
    tmp_path: Path,
) -> None:
    holder = _python(HOLD, str(tmp_path))
    try:
        assert holder.stdout is not None
        held = Path(holder.stdout.readline().strip())
        assert held.name == "profil-0"
        mine = claim_profile(tmp_path, "profil")
        assert mine.name == "profil-1"  # not the one the other process's LibreOffice uses
        release_profile(mine)
    finally:
        os.killpg(holder.pid, signal.SIGKILL)
        holder.wait()
    again = claim_profile(tmp_path, "profil")  # its lock died with it
    assert again == held
    release_profile(again)


def test_another_machines_groups_are_left_to_it(tmp_path: Path) -> None:
    far = {"marker": "file:///srv/musrenbang/.musrenbang/libreoffice/profil-0",
           "owner": 999_999_999, "host": "pekerja-b.bappeda"}  # fmt: skip
    (tmp_path / PID_FILE).write_text(json.dumps({"424242": far}), encoding="utf-8")
    pids = PidFile(tmp_path / PID_FILE)
    assert pids.reap() == 0
    pids.remove(424242)  # the same group id here is not that machine's entry
    assert json.loads((tmp_path / PID_FILE).read_text()) == {"424242": far}
    pids.add(777, "file:///x")
    entries = json.loads((tmp_path / PID_FILE).read_text())
    assert entries["424242"] == far and entries["777"]["owner"] == os.getpid()


@requires_soffice()
@pytest.mark.libreoffice
def test_two_processes_on_one_runtime_convert_everything(tmp_path: Path) -> None:
    runtime = tmp_path / "root" / ".musrenbang"
    runs = []
    for tag in ("A", "B"):
        out = tmp_path / tag
        out.mkdir()
        runs.append((out, _python(CONVERT, str(runtime), tag, str(out))))
    profiles = set()
    for out, proc in runs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        lines = stdout.strip().splitlines()
        assert lines[-1] == "4", stdout + stderr  # every conversion of both processes
        profiles.update(json.loads(lines[0]))
        for pdf in sorted(out.glob("*.pdf")):
            text = PdfReader(str(pdf)).pages[0].extract_text()
            assert f"Dokumen {out.name} nomor {pdf.stem[-1]}" in text
    assert len(profiles) == 2  # one LibreOffice profile each, never shared
