"""Where LibreOffice is: the `[pdf] libreoffice` setting, PATH, then the usual install places.

Most kecamatan PCs run Windows, where the LibreOffice installer does not put soffice on PATH.
With the default setting (`soffice`) the pipeline then looks, in this order, at:

1. `soffice.exe` under `%ProgramFiles%`, `%ProgramW6432%`, `%ProgramFiles(x86)%` and
   `%LOCALAPPDATA%\\Programs` (`LibreOffice\\program\\soffice.exe`, also versioned folders
   such as `LibreOffice 7`);
2. the registry: `HKLM/HKCU\\SOFTWARE\\LibreOffice\\UNO\\InstallPath` (also under
   `WOW6432Node`), and the `App Paths\\soffice.exe` entry the installer writes;
3. on macOS, `/Applications/LibreOffice.app`.

A path in the setting is used as given. docs/operasi.md and deploy/README.md say the same
for the IT officer.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

DEFAULT_NAMES = ("soffice", "libreoffice", "soffice.exe")
_MAC = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
_ENV_ROOTS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
_UNO_KEYS = (
    r"SOFTWARE\LibreOffice\UNO\InstallPath",
    r"SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath",
)
_APP_PATHS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\soffice.exe"


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(-int(n) for n in re.findall(r"\d+", path.parents[1].name))


def windows_install_paths(environ: dict[str, str] | None = None) -> list[Path]:
    """Candidate soffice.exe paths from the usual install folders (no registry)."""
    env = os.environ if environ is None else environ
    roots = [Path(env[name]) for name in _ENV_ROOTS if env.get(name)]
    roots += [Path(r"C:\Program Files"), Path(r"C:\Program Files (x86)")]
    if env.get("LOCALAPPDATA"):
        roots.append(Path(env["LOCALAPPDATA"]) / "Programs")
    out: list[Path] = []
    for root in roots:
        out.append(root / "LibreOffice" / "program" / "soffice.exe")
        try:  # "LibreOffice 24.2" before "LibreOffice 7": newest first
            versioned = sorted(root.glob("LibreOffice*/program/soffice.exe"), key=_version_key)
        except OSError:
            versioned = []
        out += versioned
    unique: dict[str, Path] = {}
    for path in out:
        unique.setdefault(str(path).lower(), path)
    return list(unique.values())


def registry_paths() -> list[Path]:
    """soffice.exe paths the Windows registry names (none elsewhere)."""
    if sys.platform != "win32":
        return []
    import winreg

    found: list[Path] = []
    hives = (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER)
    for hive in hives:
        for key in _UNO_KEYS:  # the program folder (…\LibreOffice\program)
            try:
                with winreg.OpenKey(hive, key) as k:
                    value, _kind = winreg.QueryValueEx(k, "")
                found.append(Path(str(value)) / "soffice.exe")
            except OSError:
                continue
        try:  # the full path of soffice.exe
            with winreg.OpenKey(hive, _APP_PATHS) as k:
                value, _kind = winreg.QueryValueEx(k, "")
            found.append(Path(str(value).strip('"')))
        except OSError:
            continue
    return found


def find_soffice(command: str) -> str | None:
    """The LibreOffice executable named by the settings (a command on PATH or a path),
    else, for the default names, the usual install places; None when there is none."""
    found = shutil.which(command)
    if found:
        return found
    if Path(command).is_file():
        return str(Path(command))
    if command.lower() not in DEFAULT_NAMES:
        return None
    candidates: list[Path] = []
    if sys.platform == "win32":
        candidates = [*windows_install_paths(), *registry_paths()]
    elif sys.platform == "darwin":
        candidates = [_MAC]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return None
