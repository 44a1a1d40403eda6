"""Jejak data: 12 lowercase hex characters naming the ledger state a document was made from.

spec/documents.md ("One truth on every page"): every document and xlsx of a region and year
carries `Jejak data <12 hex>`, a digest (sha256 of canonical JSON, keys sorted) of that
region's state in the ledger:

- a desa/kelurahan: its level and stage, Identitas, Peserta and usulan (in the operator's
  order, with Kode Usulan, decisions, priorities and agreed values);
- a kecamatan: its own stage, Identitas, Jadwal and Peserta, its view of every usulan (the
  desa's usulan as it decided them and its UPT/instansi usulan), plus the jejak of each of its
  desa in the ledger;
- a kabupaten: the jejak of each kecamatan it holds data of.

Only content goes in: never row ids, input ids, archive or claim paths, times (updated_at,
sent_at, receipts) or the sheet row a value came from. So the same state gives the same jejak
on every run and in every ledger: Bappeda's ledger after a kecamatan package was merged
(ledger/paket.py merge_record writes the same rows) gives the kecamatan's own jejak. The
ledger is read with one query per table, whatever the size of the region.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.core.jejak import digest
from pipeline.core.sql import Sql, SqlRow
from pipeline.core.wilayah import KODE_DESA, KODE_KABUPATEN, KODE_KECAMATAN, parent_kode

_LOCAL_KEYS = ("row",)  # where a Peserta/Jadwal row stood in the operator's sheet: not state


def _loads(text: str | None, empty: Any) -> Any:
    return json.loads(text) if text else empty


def _rows(text: str | None) -> list[Any]:
    """Stored Peserta/Jadwal rows without the sheet row each came from."""
    return [
        {k: v for k, v in item.items() if k not in _LOCAL_KEYS} if isinstance(item, dict) else item
        for item in _loads(text, [])
    ]


def _usulan(rows: list[SqlRow]) -> list[dict[str, Any]]:
    """Usulan rows (already in position order) as state: the Kode Usulan and the values (the
    ledger keeps no sheet row in them: Usulan.data)."""
    return [{**_loads(r["data_json"], {}), "kode": r["kode"]} for r in rows]


def desa_jejak(db: Sql, scope: str, year: int) -> dict[str, str]:
    """The jejak of every desa/kelurahan of `scope` (a desa kode: that desa; a kecamatan or
    kabupaten kode: every desa below it) that the ledger holds for `year`."""
    where = "(region = :r OR region LIKE :r_under) AND year = :y"
    args = {"r": scope, "r_under": scope + ".%", "y": year}
    usulan: dict[str, list[SqlRow]] = {}
    for r in db.execute(
        f"SELECT region, kode, data_json FROM usulan WHERE {where} ORDER BY region, position, kode",
        args,
    ):
        usulan.setdefault(r["region"], []).append(r)
    out: dict[str, str] = {}
    for r in db.execute(
        "SELECT region, level, stage, identitas_json, peserta_json FROM tahap "
        f"WHERE {where} AND level != 'kecamatan' ORDER BY region",
        args,
    ):
        state = {
            "wilayah": r["region"],
            "tahun": year,
            "tingkat": r["level"],
            "tahap": r["stage"],
            "identitas": _loads(r["identitas_json"], {}),
            "peserta": _rows(r["peserta_json"]),
            "usulan": _usulan(usulan.get(r["region"], [])),
        }
        out[r["region"]] = digest(state)
    return out


def kecamatan_jejak(db: Sql, scope: str, year: int) -> dict[str, str]:
    """The jejak of every kecamatan of `scope` (a kecamatan kode, or a kabupaten kode: each
    kecamatan below it with a row of its own or a desa in the ledger) for `year`."""
    where = "(region = :r OR region LIKE :r_under) AND year = :y"
    args = {"r": scope, "r_under": scope + ".%", "y": year}
    own = {
        r["region"]: {
            "tahap": r["stage"],
            "identitas": _loads(r["identitas_json"], {}),
            "jadwal": _rows(r["jadwal_json"]),
            "peserta": _rows(r["peserta_json"]),
        }
        for r in db.execute(
            "SELECT region, stage, identitas_json, jadwal_json, peserta_json FROM "
            f"kecamatan_tahap WHERE {where} ORDER BY region",
            args,
        )
    }
    usulan: dict[str, list[SqlRow]] = {}
    for r in db.execute(
        f"SELECT region, kode, data_json FROM kecamatan_usulan WHERE {where} "
        "ORDER BY region, position, kode",
        args,
    ):
        usulan.setdefault(r["region"], []).append(r)
    desa: dict[str, dict[str, str]] = {}
    for kode, jejak in desa_jejak(db, scope, year).items():
        desa.setdefault(parent_kode(kode), {})[kode] = jejak
    regions = sorted(k for k in {*own, *usulan, *desa} if KODE_KECAMATAN.match(k))
    return {
        k: digest(
            {
                "wilayah": k,
                "tahun": year,
                "kecamatan": own.get(k),
                "usulan": _usulan(usulan.get(k, [])),
                "desa": desa.get(k, {}),
            }
        )
        for k in regions
    }


def jejak(db: Sql, region: str, year: int) -> str:
    """The jejak of one region and year: a desa/kelurahan, a kecamatan or a kabupaten (by
    the shape of its kode)."""
    if KODE_DESA.match(region):
        found = desa_jejak(db, region, year).get(region)
        return found or digest({"wilayah": region, "tahun": year, "tahap": None})
    if KODE_KECAMATAN.match(region):
        found = kecamatan_jejak(db, region, year).get(region)
        return found or digest({"wilayah": region, "tahun": year, "kecamatan": None})
    if KODE_KABUPATEN.match(region):
        return kabupaten_jejak(kecamatan_jejak(db, region, year), region, year)
    raise ValueError(f"kode wilayah tidak dikenal: {region!r}")


def kabupaten_jejak(kecamatan: dict[str, str], region: str, year: int) -> str:
    """The kabupaten's jejak from the jejak of the kecamatan it counted."""
    return digest({"wilayah": region, "tahun": year, "kecamatan": dict(sorted(kecamatan.items()))})
