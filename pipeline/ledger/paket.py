"""A kecamatan's ledger record of one year, exported into its package and merged at Bappeda.

The export is the kecamatan's and its desa's rows of every table that makes up the record
(stages and their history, usulan and their history, scans and documents, the kecamatan's own
stage and decisions), table by table with every column but the local row id: a column added
later travels without a change here. At Bappeda the record replaces, in one transaction, what
Bappeda held for that kecamatan and year (whether from an earlier package or from workbooks it
received itself); only the columns both ledgers know are written.

Also here: the kecamatan keys Bappeda registered (`kunci_kecamatan`) and the package it holds
per kecamatan and year (`paket_kecamatan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.core.sql import Sql, SqlRow
from pipeline.ledger.store import Ledger

EXPORT_FORMAT = 1
_REGION = "(region = :k OR region LIKE :k_under) AND year = :y"  # k_under: kecamatan + ".%"
_KODES = (
    f"kode IN (SELECT kode FROM usulan WHERE {_REGION}) OR kode IN "
    "(SELECT kode FROM kecamatan_usulan WHERE region = :k AND year = :y)"
)
# table -> the rows of one kecamatan and year (desa rows included)
TABLES: dict[str, str] = {
    "tahap": _REGION,
    "tahap_riwayat": _REGION,
    "usulan": _REGION,
    "usulan_riwayat": _KODES,
    "berkas": _REGION + " AND kategori != 'paket'",
    "kecamatan_tahap": "region = :k AND year = :y",
    "kecamatan_usulan": "region = :k AND year = :y",
}
# the order rows are exported in: the row id where a table has one, else its primary key
ORDER: dict[str, str] = {
    "tahap": "region, year",
    "usulan": "kode",
    "kecamatan_tahap": "region, year",
    "kecamatan_usulan": "kode, region",
}
_LOCAL = {"id"}  # row ids are the ledger's own
_SCALARS = (str, int, float, type(None))


class ExportError(Exception):
    """The record in a package cannot be merged (the text says why, in Indonesian)."""


@dataclass
class HeldPackage:
    region: str
    year: int
    urutan: int
    dibuat: str
    sha256: str
    fingerprint: str


def _columns(db: Sql, table: str) -> list[str]:
    return db.columns(table)


def _scope(kecamatan: str, year: int) -> dict[str, object]:
    """The parameters of _REGION and _KODES."""
    return {"k": kecamatan, "k_under": kecamatan + ".%", "y": year}


def export_record(ledger: Ledger, kecamatan: str, year: int) -> dict[str, Any]:
    """Every row of the kecamatan's record of `year`, as JSON-ready data."""
    db = ledger.db
    tables: dict[str, Any] = {}
    for table, where in TABLES.items():
        cols = [c for c in _columns(db, table) if c not in _LOCAL]
        order = ORDER.get(table, "id")
        rows = db.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE {where} ORDER BY {order}",
            _scope(kecamatan, year),
        ).fetchall()
        tables[table] = {"kolom": cols, "baris": [[r[c] for c in cols] for r in rows]}
    return {"format": EXPORT_FORMAT, "kecamatan": kecamatan, "tahun": year, "tabel": tables}


def check_record(data: object, kecamatan: str, year: int) -> dict[str, Any]:
    """The record's shape and scope: only known tables, rows of this kecamatan and year, plain
    values. Raises ExportError."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ExportError("data buku besar bukan format yang dikenal.")
    if data.get("kecamatan") != kecamatan or data.get("tahun") != year:
        raise ExportError("data buku besar milik kecamatan atau tahun lain dari manifest.")
    tables = data.get("tabel")
    if not isinstance(tables, dict) or set(tables) - set(TABLES):
        raise ExportError("data buku besar memuat tabel yang tidak dikenal.")
    for table, body in tables.items():
        if not isinstance(body, dict):
            raise ExportError(f"tabel {table} tidak sah.")
        cols, rows = body.get("kolom"), body.get("baris")
        if (
            not isinstance(cols, list)
            or not all(isinstance(c, str) and c.isidentifier() for c in cols)
            or len(set(cols)) != len(cols)
            or not isinstance(rows, list)
        ):
            raise ExportError(f"tabel {table}: kolom atau baris tidak sah.")
        for row in rows:
            if not isinstance(row, list) or len(row) != len(cols):
                raise ExportError(f"tabel {table}: baris tidak sesuai kolom.")
            if not all(isinstance(v, _SCALARS) and not isinstance(v, bool) for v in row):
                raise ExportError(f"tabel {table}: nilai bukan teks atau angka.")
            _in_scope(table, dict(zip(cols, row, strict=True)), kecamatan, year)
    return data


def _in_scope(table: str, row: dict[str, Any], kecamatan: str, year: int) -> None:
    """A signed package may only speak for its own kecamatan and year."""
    mine = (kecamatan, kecamatan + ".", kecamatan + "-")
    if "region" in row:
        region = row["region"]
        if not isinstance(region, str) or not (region == kecamatan or region.startswith(mine[1])):
            raise ExportError(f"tabel {table} memuat wilayah lain ({str(region)[:40]}).")
    elif table not in ("usulan_riwayat",):
        raise ExportError(f"tabel {table} tanpa kolom region.")
    if "year" in row and row["year"] != year:
        raise ExportError(f"tabel {table} memuat tahun lain.")
    if table == "usulan_riwayat":
        kode = row.get("kode")
        if not isinstance(kode, str) or not kode.startswith(mine[1:]):
            raise ExportError("riwayat usulan memuat kode usulan wilayah lain.")


def merge_record(
    db: Sql, record: dict[str, Any], kecamatan: str, year: int, input_id: int
) -> dict[str, int]:
    """Replace Bappeda's rows of the kecamatan and year by the package's (inside the caller's
    transaction); returns rows written per table."""
    params = _scope(kecamatan, year)
    tables = record["tabel"]
    # history first: its scope is read from the usulan rows about to go
    db.execute(f"DELETE FROM usulan_riwayat WHERE {_KODES}", params)
    for table, where in TABLES.items():
        if table != "usulan_riwayat":
            db.execute(f"DELETE FROM {table} WHERE {where}", params)
    written: dict[str, int] = {}
    for table, body in tables.items():
        local = set(_columns(db, table)) - _LOCAL
        keep = [i for i, c in enumerate(body["kolom"]) if c in local]
        cols = [body["kolom"][i] for i in keep]
        if not cols:
            continue
        at_input = cols.index("input_id") if "input_id" in cols else None
        # column names checked (check_record) and known to this ledger; values by :v0, :v1, ...
        marks = ", ".join(f":v{n}" for n in range(len(cols)))
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})"
        for row in body["baris"]:
            values = [row[i] for i in keep]
            if at_input is not None:
                values[at_input] = input_id  # the rows came with this package
            db.execute(sql, {f"v{n}": v for n, v in enumerate(values)})
        written[table] = len(body["baris"])
    return written


# ------------------------------------------------------------------ keys and held packages


def registered_key(ledger: Ledger, kecamatan: str) -> bytes | None:
    row = ledger.db.execute(
        "SELECT public_key FROM kunci_kecamatan WHERE region = :region", {"region": kecamatan}
    ).fetchone()
    return bytes(row["public_key"]) if row else None


def registered_keys(ledger: Ledger) -> list[SqlRow]:
    return ledger.db.execute("SELECT * FROM kunci_kecamatan ORDER BY region").fetchall()


def register_key(db: Sql, kecamatan: str, raw_key: bytes, fingerprint: str, at: str) -> None:
    db.execute(
        "INSERT INTO kunci_kecamatan (region, public_key, fingerprint, registered_at) "
        "VALUES (:region, :public_key, :fingerprint, :at) ON CONFLICT (region) DO UPDATE SET "
        "public_key = excluded.public_key, fingerprint = excluded.fingerprint, "
        "registered_at = excluded.registered_at",
        {"region": kecamatan, "public_key": raw_key, "fingerprint": fingerprint, "at": at},
    )


def held_package(ledger: Ledger, kecamatan: str, year: int | None) -> HeldPackage | None:
    """The package held for that kecamatan and year; `year` None: for its latest year."""
    row = ledger.db.execute(
        "SELECT * FROM paket_kecamatan WHERE region = :region"
        + (" AND year = :year" if year is not None else " ORDER BY year DESC LIMIT 1"),
        {"region": kecamatan, "year": year},
    ).fetchone()
    if row is None:
        return None
    return HeldPackage(
        row["region"], row["year"], row["urutan"], row["dibuat"], row["sha256"], row["fingerprint"]
    )


def hold_package(db: Sql, held: HeldPackage, input_id: int, at: str) -> None:
    db.execute(
        "INSERT INTO paket_kecamatan (region, year, urutan, dibuat, sha256, fingerprint, "
        "input_id, merged_at) VALUES (:region, :year, :urutan, :dibuat, :sha256, :fingerprint, "
        ":input_id, :at) ON CONFLICT (region, year) DO "
        "UPDATE SET urutan = excluded.urutan, dibuat = excluded.dibuat, sha256 = excluded.sha256, "
        "fingerprint = excluded.fingerprint, input_id = excluded.input_id, "
        "merged_at = excluded.merged_at",
        {"region": held.region, "year": held.year, "urutan": held.urutan, "dibuat": held.dibuat,
         "sha256": held.sha256, "fingerprint": held.fingerprint, "input_id": input_id, "at": at},
    )  # fmt: skip


def mixed_kecamatan(ledger: Ledger, year: int | None = None) -> list[tuple[str, int, int]]:
    """(kecamatan, year, workbooks) where Bappeda holds a package and also received desa
    workbooks of that kecamatan itself: the package wins, `status` warns."""
    where, args = ("", {}) if year is None else ("WHERE p.year = :y ", {"y": year})
    rows = ledger.db.execute(
        "SELECT p.region, p.year, COUNT(i.id) AS n FROM paket_kecamatan p JOIN inputs i ON "
        "i.region LIKE p.region || '.%' AND i.year = p.year AND i.purpose = 'workbook-desa' "
        f"AND i.status = 'accepted' {where}GROUP BY p.region, p.year ORDER BY p.region, p.year",
        args,
    ).fetchall()
    return [(r["region"], r["year"], r["n"]) for r in rows]
