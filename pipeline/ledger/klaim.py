"""Who works on what, when several workers share one ledger (tables of migration 0002).

Every claim is one upsert that succeeds for exactly one worker: a row nobody holds, a row the
asking worker already holds, or a row whose holder stopped beating before `stale` (a worker
killed mid-input is taken over). Times are seconds since the epoch from the workers' clocks
(keep the machines on NTP; the takeover timeout is far larger than any drift).
"""

from __future__ import annotations

import time

from pipeline.ledger.db import Db

_TAKE = (
    "INSERT INTO {table} ({key}, worker, since, heartbeat{extra_cols}) "
    "VALUES (:key, :worker, :now, :now{extra_vals}) "
    "ON CONFLICT ({conflict}) DO UPDATE SET worker = excluded.worker, since = excluded.since, "
    "heartbeat = excluded.heartbeat "
    "WHERE {table}.worker = excluded.worker OR {table}.heartbeat < :stale "
    "RETURNING {key}, worker"
)


def register_worker(db: Db, worker: str, host: str, pid: int, now: float) -> None:
    with db.transaction():
        db.execute(
            "INSERT INTO pekerja (worker, host, pid, started, heartbeat) "
            "VALUES (:worker, :host, :pid, :now, :now) ON CONFLICT (worker) DO UPDATE "
            "SET heartbeat = excluded.heartbeat, stopped = NULL",
            {"worker": worker, "host": host, "pid": pid, "now": now},
        )


def local_workers(db: Db, host: str) -> list[tuple[str, int, float]]:
    """(worker, pid, started) of this host's workers that did not stop."""
    rows = db.execute(
        "SELECT worker, pid, started FROM pekerja WHERE host = :host AND stopped IS NULL",
        {"host": host},
    ).fetchall()
    return [(str(r["worker"]), int(r["pid"]), float(r["started"])) for r in rows]


def declare_dead(db: Db, worker: str) -> None:
    """A worker known dead (its process is gone): its claims and regions are free at once."""
    with db.transaction():
        for table in ("pekerja", "klaim", "kunci_wilayah"):
            db.execute(f"UPDATE {table} SET heartbeat = 0 WHERE worker = :w", {"w": worker})


def beat(db: Db, worker: str, now: float) -> None:
    """The worker is alive: its row, its claims and its regions."""
    with db.transaction():
        for table in ("pekerja", "klaim", "kunci_wilayah"):
            db.execute(
                f"UPDATE {table} SET heartbeat = :now WHERE worker = :worker",
                {"now": now, "worker": worker},
            )


def stop_worker(db: Db, worker: str, now: float) -> None:
    """A worker that ends lets go of everything it holds."""
    with db.transaction():
        db.execute("DELETE FROM klaim WHERE worker = :w", {"w": worker})
        for row in db.execute(
            "SELECT region FROM kunci_wilayah WHERE worker = :w", {"w": worker}
        ).fetchall():
            _drop_region(db, row["region"], worker)
        db.execute(
            "UPDATE pekerja SET stopped = :now, heartbeat = :now WHERE worker = :w",
            {"now": now, "w": worker},
        )


def take_file(db: Db, berkas: str, token: str, worker: str, now: float, stale: float) -> str | None:
    """The claim token under which this worker may move the inbox file `berkas` (a new token,
    or a dead worker's that never moved it); None when a live worker holds it."""
    sql = _TAKE.format(
        table="klaim",
        key="token",
        conflict="berkas",
        extra_cols=", berkas",
        extra_vals=", :berkas",
    )
    with db.transaction():
        row = db.execute(
            sql,
            {"key": token, "berkas": berkas, "worker": worker, "now": now, "stale": stale},
        ).fetchone()
    return None if row is None else str(row["token"])


def file_moved(db: Db, token: str) -> None:
    """The inbox file is out of the inbox: the token alone guards its claim from now on."""
    with db.transaction():
        db.execute("UPDATE klaim SET berkas = NULL WHERE token = :t", {"t": token})


def take_claim(db: Db, token: str, worker: str, now: float, stale: float) -> bool:
    """Take (or keep, or take over) the input claimed under `token`."""
    sql = _TAKE.format(table="klaim", key="token", conflict="token", extra_cols="", extra_vals="")
    with db.transaction():
        row = db.execute(
            sql, {"key": token, "worker": worker, "now": now, "stale": stale}
        ).fetchone()
    return row is not None


def drop_claim(db: Db, token: str, worker: str) -> None:
    with db.transaction():
        db.execute("DELETE FROM klaim WHERE token = :t AND worker = :w", {"t": token, "w": worker})


def take_region(db: Db, region: str, worker: str, now: float, stale: float) -> bool:
    """Hold `region` for this worker; the hold is recorded in `kerja_wilayah`."""
    sql = _TAKE.format(
        table="kunci_wilayah", key="region", conflict="region", extra_cols="", extra_vals=""
    )
    with db.transaction():
        before = db.execute(
            "SELECT worker FROM kunci_wilayah WHERE region = :r", {"r": region}
        ).fetchone()
        row = db.execute(
            sql, {"key": region, "worker": worker, "now": now, "stale": stale}
        ).fetchone()
        if row is None:
            return False
        if before is None or before["worker"] != worker:
            if before is not None:  # a dead worker's hold ends where it was taken over
                db.execute(
                    "UPDATE kerja_wilayah SET selesai = :now WHERE region = :r "
                    "AND worker = :w AND selesai IS NULL",
                    {"now": now, "r": region, "w": before["worker"]},
                )
            db.execute(  # the clock read after the hold is ours: the record never overlaps
                "INSERT INTO kerja_wilayah (region, worker, mulai) VALUES (:r, :w, :now)",
                {"r": region, "w": worker, "now": time.time()},
            )
    return True


def drop_region(db: Db, region: str, worker: str) -> None:
    with db.transaction():
        _drop_region(db, region, worker)


def _drop_region(db: Db, region: str, worker: str) -> None:
    # the end is read last, just before the hold is given up (see take_region)
    db.execute(
        "UPDATE kerja_wilayah SET selesai = :now WHERE region = :r AND worker = :w "
        "AND selesai IS NULL",
        {"now": time.time(), "r": region, "w": worker},
    )
    db.execute(
        "DELETE FROM kunci_wilayah WHERE region = :r AND worker = :w", {"r": region, "w": worker}
    )
