"""`musrenbang cadangan` and the daily backup on a PostgreSQL ledger, against the real server:
pg_dump's custom format in the same dated zip, listed by `pg_restore --list`, restored into
another fresh database with the same rows; clear Indonesian messages when it cannot be made."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest

from pipeline.cli import main
from pipeline.core.config import load_settings
from pipeline.core.workspace import Workspace
from pipeline.ledger.backup import PREFIX_DAILY, daily_backup, read_manifest
from pipeline.ledger.pgdump import connection
from tests import pg
from tests.conftest import make_workspace

TZ = ZoneInfo("Asia/Jakarta")
ROWS = [
    ("12.05.01.2002", "Rabat beton jalan dusun", 150_000_000),
    ("12.05.01.2003", "Sumur bor", 0),
]


def _ledger(url: str) -> None:
    """A small ledger-like database: two tables, one of them in its own schema."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TABLE usulan (id serial PRIMARY KEY, desa text, judul text, biaya bigint)"
        )
        conn.cursor().executemany(
            "INSERT INTO usulan (desa, judul, biaya) VALUES (%s, %s, %s)", ROWS
        )
        conn.execute("CREATE TABLE meta (key text PRIMARY KEY, value text)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '7')")
        conn.execute("CREATE SCHEMA jejak")
        conn.execute("CREATE TABLE jejak.audit (id int)")


def _workspace(tmp_path: Path, url: str) -> Workspace:
    ws = make_workspace(tmp_path / "ws")
    pg.set_database_url(ws.root, url)
    return ws


def _env(url: str) -> dict[str, str]:
    return {**os.environ, **connection(url).env}


def test_cadangan_dumps_postgresql_and_the_dump_restores(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _ledger(pg_url)
    ws = _workspace(tmp_path, pg_url)
    capsys.readouterr()
    assert main(["cadangan", "--root", str(ws.root)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path.parent == ws.root / "cadangan" and path.name.startswith("cadangan-")
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no work folder left
    manifest = read_manifest(path)  # every member's sha256 checked
    ledger = manifest["ledger"]
    assert isinstance(ledger, dict)
    name = pg_url.rsplit("/", 1)[1]
    assert ledger["jenis"] == "postgresql" and ledger["berkas"] == f"{name}.pgdump"
    assert ledger["baris"] == {"jejak.audit": 0, "meta": 1, "usulan": 2}
    assert ledger["schema_version"] == "7" and ledger["pg_restore_list"] > 3
    # where it goes back: the URL without the password, which is nowhere in the zip
    assert ledger["pulihkan_ke"] == pg_url.replace(":musrenbang@", "@")
    with zipfile.ZipFile(path) as z:
        assert b":musrenbang@" not in z.read("manifest.json")
    with zipfile.ZipFile(path) as z:
        assert {"musrenbang.toml", "manifest.json", f"{name}.pgdump"} <= set(z.namelist())
        dump = tmp_path / "ledger.pgdump"
        dump.write_bytes(z.read(f"{name}.pgdump"))
    listed = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public usulan" in listed and "TABLE jejak audit" in listed
    # restored into another fresh database: the same rows
    with pg.fresh_database(pg.admin_url()) as other:
        conn = connection(other)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={conn.url}", str(dump)],
            env=_env(other), capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        with psycopg.connect(other) as db:
            got = db.execute("SELECT desa, judul, biaya FROM usulan ORDER BY id").fetchall()
            assert got == ROWS
            assert db.execute("SELECT value FROM meta").fetchall() == [("7",)]
            assert db.execute("SELECT to_regclass('jejak.audit')").fetchone() != (None,)


def test_the_password_never_goes_on_a_command_line() -> None:
    conn = connection("postgresql://musrenbang:rah%40sia@db.bappeda:6543/ledger?sslmode=require")
    assert conn.url == "postgresql://musrenbang@db.bappeda:6543/ledger?sslmode=require"
    assert conn.env["PGPASSWORD"] == "rah@sia" and conn.dbname == "ledger"
    same = connection("postgresql+psycopg://musrenbang:rah%40sia@db.bappeda:6543/ledger")
    assert "rah" not in same.url and same.env["PGPASSWORD"] == "rah@sia"
    assert "PGPASSWORD" not in connection("postgresql://pekerja@/ledger").env  # .pgpass/peer


def test_daily_backup_on_postgresql_once_a_day(pg_url: str, tmp_path: Path) -> None:
    _ledger(pg_url)
    ws = _workspace(tmp_path, pg_url)
    settings = load_settings(ws.root)
    assert settings.ledger.is_postgresql and not settings.database_path(ws.root).is_file()
    day = dt.datetime(2026, 3, 2, 23, 0, tzinfo=TZ)
    first = daily_backup(ws, settings, now=day)
    assert first is not None and first.name.startswith(PREFIX_DAILY + "20260302-")
    assert daily_backup(ws, settings, now=day + dt.timedelta(minutes=30)) is None
    nxt = daily_backup(ws, settings, now=day + dt.timedelta(hours=2))
    assert nxt is not None and nxt.name.startswith(PREFIX_DAILY + "20260303-")
    assert read_manifest(nxt)["ledger"]["baris"]["usulan"] == 2  # type: ignore[index]


def test_no_pg_dump_says_what_to_install(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    ws = _workspace(tmp_path, pg_url)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    capsys.readouterr()
    assert main(["cadangan", "--root", str(ws.root)]) == 2
    err = capsys.readouterr().err
    assert "pg_dump tidak ditemukan" in err and "postgresql-client" in err
    assert "Traceback" not in err
    assert not list((ws.root / "cadangan").glob("*"))  # nothing half-made left


def test_unreachable_ledger_says_so_and_hides_the_password(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = pg.with_database(pg_url, "t_tidak_ada").replace(":musrenbang@", ":sandi-salah@")
    ws = _workspace(tmp_path, wrong)
    capsys.readouterr()
    assert main(["cadangan", "--root", str(ws.root)]) == 2
    err = capsys.readouterr().err
    assert "tidak dapat dihubungi" in err and "cadangan tidak dibuat" in err.lower()
    assert "sandi-salah" not in err and "Traceback" not in err
    assert not list((ws.root / "cadangan").glob("*"))
