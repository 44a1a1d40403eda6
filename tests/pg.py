"""A real PostgreSQL for the tests: a fresh empty database per test, and `ledger_url` run
over SQLite and PostgreSQL.

The server is the one scripts/postgres.sh starts (scripts/test.sh exports its admin URL as
MUSRENBANG_TEST_PG, e.g. postgresql://musrenbang:musrenbang@127.0.0.1:5432/musrenbang; that
role may CREATEDB). Each test gets `CREATE DATABASE t_<random>`, dropped afterwards
(`DROP DATABASE ... WITH (FORCE)`: a worker the test left connected does not keep it). Without
MUSRENBANG_TEST_PG the tests try the URL postgres.sh prints by default (so a plain `pytest`
on a machine where it ran uses that server); when no server answers the PostgreSQL tests skip
and say why.

The fixtures are registered in tests/conftest.py.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

ENV = "MUSRENBANG_TEST_PG"
ENV_WHY = "MUSRENBANG_TEST_PG_WHY"  # scripts/test.sh: why no server could be started
BACKENDS = ["sqlite", "postgresql"]
DEFAULT_URL = "postgresql://musrenbang:musrenbang@127.0.0.1:5432/musrenbang"  # postgres.sh


@cache
def _unreachable(url: str) -> str | None:
    """None when the admin URL logs in; else why not (asked once per session)."""
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"PostgreSQL di {ENV} tidak dapat dihubungi: {str(exc).strip()}"
    return None


def admin_url() -> str:
    """The admin URL from MUSRENBANG_TEST_PG (unset: the server scripts/postgres.sh makes,
    when it answers), or skip the test saying why there is none."""
    url = os.environ.get(ENV, "").strip()
    if not url:
        if _unreachable(DEFAULT_URL) is None:
            return DEFAULT_URL
        why = os.environ.get(ENV_WHY, "").strip()
        pytest.skip(
            f"{ENV} tidak diisi dan {hidden(DEFAULT_URL)} tidak menjawab "
            f"({why or 'jalankan scripts/postgres.sh, atau scripts/test.sh'})"
        )
    problem = _unreachable(url)
    if problem is not None:
        pytest.skip(problem)
    return url


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` (same user, password, host and port)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def hidden(url: str) -> str:
    """`url` without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


@contextmanager
def fresh_database(admin: str) -> Iterator[str]:
    """A new empty database on the admin URL's server; its URL (postgresql://...)."""
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def database_exists(admin: str, name: str) -> bool:
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def database_url(target: Path | str) -> str:
    """What an operator writes in `[ledger] database_url` for a `ledger_url` value."""
    if isinstance(target, Path):
        return f"sqlite:///{target.resolve()}"
    return target


def set_database_url(root: Path, target: Path | str) -> None:
    """Point the workspace at `root` (made by `musrenbang init`) at the ledger `target`."""
    toml = root / "musrenbang.toml"
    text = toml.read_text(encoding="utf-8")
    line = f'database_url = "{database_url(target)}"'
    text, n = re.subn(r"(?m)^database_url\s*=.*$", line.replace("\\", "\\\\"), text, count=1)
    if n == 0:
        text += f"\n[ledger]\n{line}\n"
    toml.write_text(text, encoding="utf-8")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh empty PostgreSQL database for this test: postgresql://user:pw@host:port/t_..."""
    with fresh_database(admin_url()) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Run the test twice: a SQLite file in tmp_path (a Path, not yet made), and a fresh
    PostgreSQL database (a `postgresql://` URL, as in database_url)."""
    if request.param == "sqlite":
        yield tmp_path / "musrenbang.db"
        return
    with fresh_database(admin_url()) as url:
        yield url
