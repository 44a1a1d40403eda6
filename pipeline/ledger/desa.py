"""The desa's tables: its stage and history, Identitas and Peserta, usulan with the history of
every field, and the scans and supporting documents (berkas) that came for it."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from pipeline.core.models import IdentitasDesa, Peserta, Usulan
from pipeline.core.sql import Sql, SqlRow
from pipeline.core.standard import Tahap
from pipeline.ledger.schema import LedgerFile


@dataclass
class RegionYear:
    region: str
    year: int
    level: str
    stage: Tahap
    identitas: IdentitasDesa
    peserta: list[Peserta]
    next_seq: int
    started_at: str | None
    sent_at: str | None
    late: bool
    updated_at: str


@dataclass
class BerkasRow:
    jenis: str
    kategori: str
    file: str
    size: int
    sha256: str
    received_at: str
    folder: str
    archived_as: str
    input_id: int


class DesaTables(LedgerFile):
    """The `tahap`, `tahap_riwayat`, `usulan`, `usulan_riwayat` and `berkas` tables."""

    # ----------------------------------------------------------------- regions and stages

    def region_year(self, region: str, year: int) -> RegionYear | None:
        row = self.db.execute(
            "SELECT * FROM tahap WHERE region = :region AND year = :year",
            {"region": region, "year": year},
        ).fetchone()
        return _region_year(row) if row else None

    def years_of(self, region: str) -> list[RegionYear]:
        rows = self.db.execute(
            "SELECT * FROM tahap WHERE region = :region ORDER BY year", {"region": region}
        ).fetchall()
        return [_region_year(r) for r in rows]

    def all_region_years(self, year: int | None = None) -> list[RegionYear]:
        if year is None:
            rows = self.db.execute("SELECT * FROM tahap ORDER BY region, year").fetchall()
        else:
            rows = self.db.execute(
                "SELECT * FROM tahap WHERE year = :year ORDER BY region", {"year": year}
            ).fetchall()
        return [_region_year(r) for r in rows]

    def open_year(self, region: str) -> RegionYear | None:
        """The latest year of a region not yet sent (where scans belong)."""
        years = [ry for ry in self.years_of(region) if ry.stage is not Tahap.KIRIM]
        return years[-1] if years else None

    def set_stage(
        self,
        db: Sql,
        *,
        region: str,
        year: int,
        level: str,
        stage: Tahap,
        at: str,
        input_id: int | None,
        reason: str | None = None,
        identitas: IdentitasDesa | None = None,
        peserta: list[Peserta] | None = None,
        late: bool | None = None,
    ) -> None:
        current = self.region_year(region, year)
        if current is None:
            db.execute(
                "INSERT INTO tahap (region, year, level, stage, updated_at)"
                " VALUES (:region, :year, :level, :stage, :at)",
                {"region": region, "year": year, "level": level, "stage": stage.value, "at": at},
            )
            # scans and documents that came before the first workbook belong to this year
            db.execute(
                "UPDATE berkas SET year = :year WHERE region = :region AND year IS NULL",
                {"year": year, "region": region},
            )
        if current is None or current.stage is not stage:
            db.execute(
                "INSERT INTO tahap_riwayat (region, year, from_stage, to_stage, at, input_id,"
                " reason) VALUES (:region, :year, :from_stage, :to_stage, :at, :input_id, :reason)",
                {
                    "region": region,
                    "year": year,
                    "from_stage": current.stage.value if current else None,
                    "to_stage": stage.value,
                    "at": at,
                    "input_id": input_id,
                    "reason": reason,
                },
            )
        sets = ["stage = :stage", "updated_at = :at"]
        args: dict[str, Any] = {"stage": stage.value, "at": at, "region": region, "year": year}
        if identitas is not None:
            sets.append("identitas_json = :identitas_json")
            args["identitas_json"] = identitas.model_dump_json()
        if peserta is not None:
            sets.append("peserta_json = :peserta_json")
            args["peserta_json"] = json.dumps([p.model_dump(mode="json") for p in peserta])
        if stage is not Tahap.PERSIAPAN:  # SOP step 7: the start is stamped once
            sets.append("started_at = COALESCE(started_at, :at)")
        if stage is Tahap.KIRIM:
            sets.append("sent_at = :at")
        elif current is not None and current.stage is Tahap.KIRIM:
            sets.append("sent_at = NULL")
        if late is not None:
            sets.append("late = :late")
            args["late"] = int(late)
        db.execute(
            f"UPDATE tahap SET {', '.join(sets)} WHERE region = :region AND year = :year", args
        )

    def stage_history(self, region: str, year: int) -> list[SqlRow]:
        return self.db.execute(
            "SELECT * FROM tahap_riwayat WHERE region = :region AND year = :year ORDER BY id",
            {"region": region, "year": year},
        ).fetchall()

    # ----------------------------------------------------------------- usulan

    def usulan_of(self, region: str, year: int) -> list[Usulan]:
        rows = self.db.execute(
            "SELECT kode, data_json FROM usulan WHERE region = :region AND year = :year"
            " ORDER BY position",
            {"region": region, "year": year},
        ).fetchall()
        out = []
        for r in rows:
            u = Usulan.model_validate_json(r["data_json"])
            out.append(u.model_copy(update={"kode_usulan": r["kode"], "row": None}))
        return out

    def save_usulan(
        self,
        db: Sql,
        *,
        region: str,
        year: int,
        usulan: list[Usulan],
        at: str,
        input_id: int,
        file: str,
    ) -> list[Usulan]:
        """Store the workbook's usulan in its order: new ones get the next Kode Usulan.

        Returns the usulan with every Kode Usulan filled. Each changed field is kept in
        usulan_riwayat with its old and new value; nothing is ever deleted.
        """
        key = {"region": region, "year": year}
        row = db.execute(
            "SELECT next_seq FROM tahap WHERE region = :region AND year = :year", key
        ).fetchone()
        next_seq = int(row["next_seq"]) if row else 1
        existing = {
            r["kode"]: json.loads(r["data_json"])
            for r in db.execute(
                "SELECT kode, data_json FROM usulan WHERE region = :region AND year = :year", key
            )
        }
        out: list[Usulan] = []
        for position, u in enumerate(usulan, start=1):
            data = u.data()
            kode = u.kode_usulan
            if not kode:
                kode = f"{region}-{year}-{next_seq:04d}"
                next_seq += 1
            old = existing.get(kode)
            if old is None:
                db.execute(
                    "INSERT INTO usulan (kode, region, year, position, data_json, created_at,"
                    " updated_at, input_id) VALUES (:kode, :region, :year, :position, :data_json,"
                    " :at, :at, :input_id)",
                    {"kode": kode, "region": region, "year": year, "position": position,
                     "data_json": json.dumps(data), "at": at, "input_id": input_id},
                )  # fmt: skip
                db.execute(
                    "INSERT INTO usulan_riwayat (kode, at, input_id, file, field, old, new)"
                    " VALUES (:kode, :at, :input_id, :file, '*', NULL, :new)",
                    {"kode": kode, "at": at, "input_id": input_id, "file": file,
                     "new": json.dumps(data, ensure_ascii=False)},
                )  # fmt: skip
            else:
                changed = {k: v for k, v in data.items() if old.get(k) != v}
                for field, new in changed.items():
                    db.execute(
                        "INSERT INTO usulan_riwayat (kode, at, input_id, file, field, old, new)"
                        " VALUES (:kode, :at, :input_id, :file, :field, :old, :new)",
                        {"kode": kode, "at": at, "input_id": input_id, "file": file,
                         "field": field, "old": _text(old.get(field)), "new": _text(new)},
                    )  # fmt: skip
                values: dict[str, Any] = {"position": position, "data_json": json.dumps(data)}
                if changed:
                    values["updated_at"] = at
                sets = ", ".join(f"{column} = :{column}" for column in values)
                db.execute(f"UPDATE usulan SET {sets} WHERE kode = :kode", {**values, "kode": kode})
            out.append(u.model_copy(update={"kode_usulan": kode}))
        db.execute(
            "UPDATE tahap SET next_seq = :next_seq WHERE region = :region AND year = :year",
            {**key, "next_seq": next_seq},
        )
        return out

    def usulan_history(self, kode: str) -> list[SqlRow]:
        return self.db.execute(
            "SELECT * FROM usulan_riwayat WHERE kode = :kode ORDER BY id", {"kode": kode}
        ).fetchall()

    # ----------------------------------------------------------------- scans and documents

    def add_berkas(self, db: Sql, **fields: Any) -> None:
        cols = ", ".join(fields)  # our own column names (keyword arguments of the callers)
        marks = ", ".join(f":{name}" for name in fields)
        db.execute(f"INSERT INTO berkas ({cols}) VALUES ({marks})", fields)

    def berkas_of(
        self, region: str, year: int | None, kategori: str | None = None
    ) -> list[BerkasRow]:
        """Scans/documents of a region and year; year None: those still waiting for one."""
        if year is None:
            sql = "SELECT * FROM berkas WHERE region = :region AND year IS NULL"
            args: dict[str, Any] = {"region": region}
        else:
            sql = "SELECT * FROM berkas WHERE region = :region AND year = :year"
            args = {"region": region, "year": year}
        if kategori:
            sql += " AND kategori = :kategori"
            args["kategori"] = kategori
        rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        names = [f.name for f in dataclasses.fields(BerkasRow)]
        return [BerkasRow(**{name: r[name] for name in names}) for r in rows]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _region_year(row: SqlRow) -> RegionYear:
    return RegionYear(
        region=row["region"],
        year=row["year"],
        level=row["level"],
        stage=Tahap(row["stage"]),
        identitas=IdentitasDesa.model_validate_json(row["identitas_json"]),
        peserta=[Peserta.model_validate(p) for p in json.loads(row["peserta_json"])],
        next_seq=row["next_seq"],
        started_at=row["started_at"],
        sent_at=row["sent_at"],
        late=bool(row["late"]),
        updated_at=row["updated_at"],
    )
