"""Where the package's own data files are: the .docx templates and the JSON Schemas.

The sources are the checkout's top-level `templates/` and `schemas/` folders. A built wheel
(or a wheel built from the sdist, as pip and pipx do) carries copies of them under
`pipeline/_data/` (setup.py's build step copies them there), so an installed package finds
them beside its code. Both cases are found through importlib.resources on the `pipeline`
package: a checkout (its parent folder holds pyproject.toml) uses the sources, an
installation its `_data/`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

DataKind = Literal["templates", "schemas"]


def package_dir() -> Path:
    """The folder of the `pipeline` package (installations on disk only, as pip makes)."""
    return Path(str(files("pipeline")))


def is_checkout() -> bool:
    """True when `pipeline` is imported from a source checkout (not an installed wheel)."""
    parent = package_dir().parent
    return (parent / "pyproject.toml").is_file() and (parent / "templates").is_dir()


def data_dir(kind: DataKind) -> Path:
    """The folder holding the built-in `kind` files; it may be missing in a broken build
    (callers then fail with their own error)."""
    if is_checkout():
        return package_dir().parent / kind
    return package_dir() / "_data" / kind
