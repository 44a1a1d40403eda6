"""The PostgreSQL test fixtures (tests/pg.py) and scripts/postgres.sh, checked with psycopg
only: a fresh empty database per test, dropped afterwards; ledger_url over both backends;
database_url written into a workspace made by `musrenbang init`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from pipeline.core.config import load_settings
from pipeline.ledger.db import engine_for
from tests import pg
from tests.conftest import make_workspace

REPO = Path(__file__).resolve().parents[1]


def test_pg_url_is_a_fresh_empty_database_that_is_dropped_afterwards(pg_url: str) -> None:
    name = urlsplit(pg_url).path.lstrip("/")
    assert name.startswith("t_") and pg_url.startswith("postgresql://")
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
        assert conn.execute("SELECT current_database()").fetchone() == (name,)
        conn.execute("CREATE TABLE usulan (id serial PRIMARY KEY, judul text)")
        conn.execute("INSERT INTO usulan (judul) VALUES ('Jalan desa')")
    admin = pg.admin_url()
    # another fresh database is another, empty one; it is gone when its block ends
    with pg.fresh_database(admin) as other:
        other_name = urlsplit(other).path.lstrip("/")
        assert other_name != name and pg.database_exists(admin, other_name)
        with psycopg.connect(other) as conn:
            assert conn.execute("SELECT to_regclass('usulan')").fetchone() == (None,)
            # a connection still open does not keep the database from being dropped
            left_open = psycopg.connect(other)
    assert not pg.database_exists(admin, other_name)
    with pytest.raises(psycopg.OperationalError):
        left_open.execute("SELECT 1")
    left_open.close()


def test_ledger_url_gives_sqlite_path_or_postgresql_url(
    ledger_url: Path | str, tmp_path: Path
) -> None:
    ws = make_workspace(tmp_path / "ws")
    pg.set_database_url(ws.root, ledger_url)
    settings = load_settings(ws.root)
    if isinstance(ledger_url, Path):
        assert not settings.ledger.is_postgresql
        assert settings.ledger_url(ws.root) == ledger_url.resolve()
        assert settings.database_path(ws.root) == ledger_url.resolve()
    else:
        assert ledger_url.startswith("postgresql://")
        assert settings.ledger.is_postgresql and settings.ledger.database_url == ledger_url
        assert settings.ledger_url(ws.root) == ledger_url
        engine = engine_for(ledger_url)  # the one place that names the driver: psycopg 3
        assert engine.url.drivername == "postgresql+psycopg"
        engine.dispose()
        with psycopg.connect(ledger_url) as conn:  # the URL the settings hold logs in
            assert conn.execute("SELECT 1").fetchone() == (1,)
    # written once more: still one database_url line
    pg.set_database_url(ws.root, ledger_url)
    text = (ws.root / "musrenbang.toml").read_text(encoding="utf-8")
    assert text.count("database_url") == 1


def test_without_a_server_the_postgresql_tests_skip_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(pg.ENV, raising=False)
    monkeypatch.setenv(pg.ENV_WHY, "postgres.sh: paket postgresql tidak terpasang")
    monkeypatch.setattr(pg, "DEFAULT_URL", "postgresql://musrenbang:x@127.0.0.1:1/musrenbang")
    with pytest.raises(pytest.skip.Exception, match="paket postgresql tidak terpasang"):
        pg.admin_url()
    monkeypatch.setenv(pg.ENV, "postgresql://musrenbang:salah@127.0.0.1:1/musrenbang")
    with pytest.raises(pytest.skip.Exception, match="tidak dapat dihubungi"):
        pg.admin_url()
    assert pg.hidden("postgresql://u:rahasia@h:5432/d") == "postgresql://u:***@h:5432/d"


def test_postgres_script_is_idempotent_and_prints_the_url() -> None:
    pg.admin_url()  # skips when there is no server here
    if shutil.which("pg_lsclusters") is None:
        pytest.skip("server PostgreSQL bukan cluster Debian (pg_lsclusters tidak ada)")
    if os.geteuid() != 0 and shutil.which("sudo") is None:
        pytest.skip("scripts/postgres.sh perlu root atau sudo")
    for _ in range(2):  # a second run finds everything in place
        done = subprocess.run(
            ["bash", str(REPO / "scripts" / "postgres.sh")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        url = done.stdout.strip().splitlines()[-1]
        assert url.startswith("postgresql://musrenbang:musrenbang@127.0.0.1:"), done.stderr
        assert url.endswith("/musrenbang")
        with psycopg.connect(url, connect_timeout=5) as conn:
            created = conn.execute(
                "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user"
            ).fetchone()
            assert created == (True,)


def test_postgres_script_without_postgresql_says_why_and_exits_0(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"  # a machine with the usual tools but no PostgreSQL
    bin_dir.mkdir()
    for tool in ("id", "sudo", "runuser", "su", "sort", "tail", "ls", "seq", "sleep"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    done = subprocess.run(
        ["/bin/bash", str(REPO / "scripts" / "postgres.sh")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0 and done.stdout == ""  # the tests then skip
    assert "PostgreSQL tidak dapat dijalankan" in done.stderr, done.stderr
