"""Process control with psutil (no /proc reading): orphans outside their process group, as
Windows leaves them, are found by the profile URI on their command line; soffice is found
in the usual Windows install folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from pipeline.core.config import PdfSettings
from pipeline.documents import processes
from pipeline.documents.convert import PID_FILE, Converter
from pipeline.documents.soffice import find_soffice, registry_paths, windows_install_paths

REPO = Path(__file__).resolve().parents[1]
SLEEPER = "import time; time.sleep(330)"


def test_no_proc_filesystem_reading_in_the_pipeline() -> None:
    for path in (REPO / "pipeline").rglob("*.py"):
        assert '"/proc' not in path.read_text(encoding="utf-8"), path


def _wait_for(marker: str, timeout: float = 10) -> psutil.Process:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in psutil.process_iter():
            if marker in processes.command_line(proc):
                return proc
        time.sleep(0.05)
    raise AssertionError(f"no process with {marker}")


@pytest.mark.skipif(os.name != "posix" or not Path("/usr/bin/setsid").exists(), reason="setsid")
def test_an_orphan_outside_its_group_is_reaped_by_its_marker(tmp_path: Path) -> None:
    """The leader is gone and the LibreOffice it started lives on in a session of its own,
    re-parented (what a killed pipeline leaves on Windows, where there are no groups)."""
    runtime = tmp_path / "rt"
    marker = (runtime / "libreoffice" / "profil-0").resolve().as_uri()
    leader = subprocess.Popen(
        ["/usr/bin/setsid", "-f", sys.executable, "-c", SLEEPER, f"-env:UserInstallation={marker}"],
        start_new_session=True,
    )
    leader.wait(10)  # setsid -f forks: the leader is gone at once
    orphan = _wait_for(marker)
    deadline = time.monotonic() + 10  # until the fork has its own session and is python
    while time.monotonic() < deadline and not (
        os.getpgid(orphan.pid) == orphan.pid and orphan.cmdline()[0] == sys.executable
    ):
        time.sleep(0.05)
    assert orphan.ppid() != os.getpid() and os.getpgid(orphan.pid) != leader.pid
    runtime.mkdir(parents=True)
    entry = {"marker": marker, "owner": 999_999_999}  # a pipeline that no longer runs
    (runtime / PID_FILE).write_text(json.dumps({str(leader.pid): entry}), encoding="utf-8")
    try:
        conv = Converter(PdfSettings(libreoffice=sys.executable), runtime, use_uno=False)
        assert conv.reaped == 1
        psutil.wait_procs([orphan], timeout=5)
        assert not orphan.is_running() or orphan.status() == psutil.STATUS_ZOMBIE
        assert json.loads((runtime / PID_FILE).read_text()) == {}
        conv.close()
    finally:
        if orphan.is_running():
            orphan.kill()


def test_a_marked_process_of_a_live_pipeline_is_spared(tmp_path: Path) -> None:
    runtime = tmp_path / "rt"
    marker = (runtime / "libreoffice" / "profil-0").resolve().as_uri()
    mine = subprocess.Popen([sys.executable, "-c", SLEEPER, marker])  # a child of this process
    try:
        _wait_for(marker)
        assert processes.carrying(marker, set()) == []  # descends from this process
        other = subprocess.Popen([sys.executable, "-c", SLEEPER, "x"])
        assert processes.carrying(marker, {other.pid}) == []
        other.kill()
        other.wait()
    finally:
        mine.kill()
        mine.wait()


def test_kill_tree_takes_children_and_grandchildren(tmp_path: Path) -> None:
    code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', {SLEEPER!r}])\n"
        f"subprocess.Popen([sys.executable, '-c', {SLEEPER!r}])\n"
        "time.sleep(330)\n"
    )
    leader = processes.popen_group([sys.executable, "-c", code], dict(os.environ))
    deadline = time.monotonic() + 10
    while len(processes.group_members(leader.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    members = processes.group_members(leader.pid)
    assert len(members) == 3
    processes.kill_tree(leader.pid)
    leader.wait(10)
    assert [p for p in members if processes.alive(p)] == []


def test_windows_install_folders_are_searched(tmp_path: Path) -> None:
    pf, x86, local = (
        tmp_path / "Program Files",
        tmp_path / "Program Files (x86)",
        tmp_path / "AppData",
    )
    for folder in (pf / "LibreOffice 7" / "program", pf / "LibreOffice 24.2" / "program"):
        folder.mkdir(parents=True)
        (folder / "soffice.exe").write_bytes(b"MZ")
    env = {"ProgramFiles": str(pf), "ProgramFiles(x86)": str(x86), "LOCALAPPDATA": str(local)}
    paths = windows_install_paths(env)
    assert paths[0] == pf / "LibreOffice" / "program" / "soffice.exe"  # the installer's default
    existing = [p for p in paths if p.is_file()]
    assert existing == [
        pf / "LibreOffice 24.2" / "program" / "soffice.exe",
        pf / "LibreOffice 7" / "program" / "soffice.exe",
    ]  # newest first
    assert x86 / "LibreOffice" / "program" / "soffice.exe" in paths
    assert local / "Programs" / "LibreOffice" / "program" / "soffice.exe" in paths
    if sys.platform != "win32":
        assert registry_paths() == []  # winreg only where it exists


def test_find_soffice_by_setting_path_and_default_name(tmp_path: Path) -> None:
    assert find_soffice(str(tmp_path / "tidak-ada")) is None
    exe = tmp_path / "lo" / "soffice"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n")
    assert find_soffice(str(exe)) == str(exe)
    if sys.platform.startswith("linux") and Path("/usr/bin/soffice").exists():
        assert find_soffice("soffice") is not None


def test_install_paths_are_documented() -> None:
    text = (REPO / "docs" / "operasi.md").read_text(encoding="utf-8")
    section = text[text.index("## LibreOffice di Windows") :]
    assert r"Program Files\LibreOffice\program\soffice.exe" in section
    assert r"LibreOffice\UNO\InstallPath" in section
