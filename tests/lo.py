"""Test helper: re-save files through LibreOffice Calc (xlsx as Calc saves it, or .ods/.xls/.csv).

One soffice process converts many files (`calc_resave_many`), with a private profile, a
timeout and the whole process group killed on timeout. Output names are the sources' stems
with the new extension, in `outdir` (which must not be a source's folder).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")

# Mark for tests that need LibreOffice: they skip only where soffice is not installed.
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) not installed"
)

FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "ods": "ods:calc8",
    "xls": "xls:MS Excel 97",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,76,1",
}


class LibreOfficeError(RuntimeError):
    pass


_PROFILES: dict[int, Path] = {}


def _profile() -> Path:
    """A private LibreOffice profile for this process, reused by its calls (they run one
    at a time), so only the first call pays for creating it. Removed at exit."""
    pid = os.getpid()
    if pid not in _PROFILES:
        path = Path(tempfile.mkdtemp(prefix=f"lo-profile-{pid}-"))
        _PROFILES[pid] = path
        atexit.register(shutil.rmtree, path, True)
    return _PROFILES[pid]


def calc_resave_many(
    sources: Sequence[Path], outdir: Path, fmt: str = "xlsx", timeout: float = 120
) -> list[Path]:
    """Convert every source with one Calc process; return the outputs in the same order."""
    if SOFFICE is None:
        raise LibreOfficeError("soffice not found")
    if not sources:
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    stems = [s.stem for s in sources]
    if len(set(stems)) != len(stems):
        raise ValueError("sources must have distinct names (outputs are named by stem)")
    for s in sources:
        if s.resolve().parent == outdir.resolve():
            raise ValueError(f"outdir must differ from the folder of {s}")
    outputs = [outdir / f"{s.stem}.{fmt}" for s in sources]
    for out in outputs:
        if out.exists():
            out.unlink()
    profile = _profile()
    cmd = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        FILTERS.get(fmt, fmt),
        "--outdir",
        str(outdir),
        *[str(s) for s in sources],
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: soffice -> oosplash -> soffice.bin
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise LibreOfficeError(f"soffice timed out after {timeout} s") from None
    missing = [o for o in outputs if not o.exists() or o.stat().st_size == 0]
    if missing:
        raise LibreOfficeError(
            f"soffice exited {proc.returncode} without {missing}: {out!r} {err!r}"
        )
    return outputs


def calc_resave(src: Path, outdir: Path, fmt: str = "xlsx", timeout: float = 120) -> Path:
    """Re-save one file through Calc (see calc_resave_many)."""
    return calc_resave_many([src], outdir, fmt, timeout)[0]
