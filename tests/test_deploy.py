"""deploy/ for several workers: the template unit musrenbang-pekerja@.service and the daily
cadangan service/timer parse (systemd-analyze verify where it runs, else the keys they need),
and every command they start is one the CLI takes, with those very flags."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import _parser

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
VENV_BIN = "/opt/musrenbang/venv/bin/musrenbang"
UNITS = ["musrenbang-pekerja@.service", "musrenbang-cadangan.service", "musrenbang-cadangan.timer"]


def unit_keys(name: str) -> dict[str, dict[str, list[str]]]:
    """Section -> key -> values (systemd allows a key more than once, e.g. Environment=)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for n, line in enumerate((DEPLOY / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith(("#", ";")):
            continue
        head = re.fullmatch(r"\[(\w+)\]", line)
        if head:
            current = sections.setdefault(head[1], {})
            continue
        key = re.fullmatch(r"([A-Za-z]+)=(.*)", line)
        assert key and current is not None, f"{name}:{n}: {line!r}"
        current.setdefault(key[1], []).append(key[2])
    return sections


def exec_starts() -> list[tuple[str, list[str]]]:
    out = []
    for name in UNITS:
        for line in unit_keys(name).get("Service", {}).get("ExecStart", []):
            argv = shlex.split(line)
            assert argv[0] == VENV_BIN, f"{name}: {line}"
            out.append((name, argv[1:]))
    return out


def test_units_have_the_keys_a_worker_needs() -> None:
    worker = unit_keys("musrenbang-pekerja@.service")
    assert list(worker) == ["Unit", "Service", "Install"]
    service = worker["Service"]
    assert service["User"] == ["musrenbang"] and service["Group"] == ["musrenbang"]
    assert service["Restart"] == ["on-failure"] and service["Type"] == ["simple"]
    # SIGTERM to the watcher, then everything left in the cgroup (LibreOffice) is killed
    assert service["KillMode"] == ["mixed"] and service["KillSignal"] == ["SIGTERM"]
    assert "MUSRENBANG_ROOT=/srv/musrenbang" in service["Environment"]
    assert "%i" in worker["Unit"]["Description"][0]
    assert worker["Unit"]["RequiresMountsFor"] == ["/srv/musrenbang"]
    assert worker["Install"]["WantedBy"] == ["multi-user.target"]
    backup = unit_keys("musrenbang-cadangan.service")["Service"]
    assert backup["Type"] == ["oneshot"] and backup["User"] == ["musrenbang"]
    timer = unit_keys("musrenbang-cadangan.timer")
    assert timer["Timer"]["Unit"] == ["musrenbang-cadangan.service"]
    assert timer["Timer"]["Persistent"] == ["true"] and timer["Timer"]["OnCalendar"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]
    assert [args[0] for _, args in exec_starts()] == ["watch", "cadangan"]
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for name in UNITS:
        assert name in readme, f"deploy/README.md does not say how to install {name}"


@pytest.mark.parametrize("name,args", exec_starts(), ids=lambda v: str(v))
def test_every_command_the_units_run_is_in_the_cli(name: str, args: list[str]) -> None:
    parsed = _parser().parse_args(args)  # every flag known (an unknown one exits 2)
    assert parsed.command == args[0] and str(parsed.root) == "/srv/musrenbang"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", *args, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for flag in (a for a in args if a.startswith("--")):
        assert flag in done.stdout, f"{name}: {flag} not in `musrenbang {args[0]} --help`"


def test_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze tidak ada: pemeriksaan kunci di atas yang berlaku")
    paths = []
    for name in UNITS:
        text = (DEPLOY / name).read_text(encoding="utf-8").replace(VENV_BIN, sys.executable)
        target = tmp_path / name.replace("@.", "@1.")  # a template is verified as an instance
        target.write_text(text, encoding="utf-8")
        paths.append(str(target))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *paths], capture_output=True, text=True, timeout=60
    )
    problems = [line for line in (done.stdout + done.stderr).splitlines() if "musrenbang" in line]
    assert problems == [], done.stdout + done.stderr
    if done.returncode != 0:  # e.g. a container without a systemd tree: not our units
        pytest.skip(f"systemd-analyze cannot run here: {done.stderr.strip()[:200]}")
