"""The kecamatan's part of the ledger: its stage, its workbook's data and its decisions.

Kept in tables of their own beside the desa tables, in the same SQLite file and through the
same connection, so the desa workflow is untouched. The usulan a desa sent stay in the desa
tables; the kecamatan's view of them (its priority, decision, OPD tujuan) and the usulan of
UPT/instansi live in `kecamatan_usulan`. Field changes go to the shared `usulan_riwayat`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from pipeline.core.models import IdentitasKecamatan, JadwalDesa, Peserta, UsulanKecamatan
from pipeline.core.sql import Sql
from pipeline.core.standard import Tahap, TahapKecamatan
from pipeline.ledger.store import Ledger


@dataclass
class KecamatanYear:
    region: str
    year: int
    stage: TahapKecamatan
    identitas: IdentitasKecamatan
    jadwal: list[JadwalDesa]
    peserta: list[Peserta]
    sent_at: str | None


class KecamatanLedger:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.db = ledger.db  # the kecamatan tables are made with the ledger (schema.SCHEMA)

    def year(self, region: str, year: int) -> KecamatanYear | None:
        row = self.db.execute(
            "SELECT * FROM kecamatan_tahap WHERE region = :region AND year = :year",
            {"region": region, "year": year},
        ).fetchone()
        if row is None:
            return None
        return KecamatanYear(
            region=row["region"],
            year=row["year"],
            stage=TahapKecamatan(row["stage"]),
            identitas=IdentitasKecamatan.model_validate_json(row["identitas_json"]),
            jadwal=[JadwalDesa.model_validate(j) for j in json.loads(row["jadwal_json"])],
            peserta=[Peserta.model_validate(p) for p in json.loads(row["peserta_json"])],
            sent_at=row["sent_at"],
        )

    def rekap_on(self, region: str, year: int) -> dt.date | None:
        """The day the kecamatan last came into Rekap (or straight into Kirim) from an
        earlier stage: the date its Rekap is signed on."""
        rekap = (TahapKecamatan.REKAP.value, TahapKecamatan.KIRIM.value)
        rows = self.db.execute(
            "SELECT from_stage, to_stage, at FROM tahap_riwayat"
            " WHERE region = :region AND year = :year ORDER BY id",
            {"region": region, "year": year},
        ).fetchall()
        found = [r["at"] for r in rows if r["to_stage"] in rekap and r["from_stage"] not in rekap]
        return dt.datetime.fromisoformat(found[-1]).date() if found else None

    def years(self, year: int | None = None) -> list[KecamatanYear]:
        sql, args = "SELECT region, year FROM kecamatan_tahap", {}
        if year is not None:
            sql, args = sql + " WHERE year = :year", {"year": year}
        rows = self.db.execute(sql + " ORDER BY region, year", args).fetchall()
        found = [self.year(r["region"], r["year"]) for r in rows]
        return [k for k in found if k is not None]

    def sent_desa(self, kecamatan: str, year: int) -> list[str]:
        """Kode of the kecamatan's desa whose year stands at Kirim."""
        rows = self.db.execute(
            "SELECT region FROM tahap WHERE region LIKE :prefix AND year = :year"
            " AND stage = :stage ORDER BY region",
            {"prefix": kecamatan + ".%", "year": year, "stage": Tahap.KIRIM.value},
        ).fetchall()
        return [r["region"] for r in rows]

    def sent_usulan(self, kecamatan: str, year: int) -> list[UsulanKecamatan]:
        """The usulan the sent desa agreed on (Diterima, with or without revision), in
        desa order then the desa's own priority: what the kecamatan workbook starts from.

        The desa's agreed values (its disepakati values where it revised) are the proposed
        values of the kecamatan (spec/workbooks.md, the kecamatan's Usulan)."""
        out: list[UsulanKecamatan] = []
        for desa in self.sent_desa(kecamatan, year):
            agreed = [u for u in self.ledger.usulan_of(desa, year) if u.diterima]
            agreed.sort(key=lambda u: (u.prioritas is None, u.prioritas or 0))
            for u in agreed:
                data = u.model_dump(exclude={"prioritas", "keputusan", "catatan"})
                data.update(
                    volume=u.agreed_volume,
                    biaya=u.agreed_biaya,
                    volume_disepakati=None,
                    biaya_disepakati=None,
                )
                out.append(UsulanKecamatan.model_validate(data))
        return out

    def usulan_of(self, kecamatan: str, year: int) -> list[UsulanKecamatan]:
        rows = self.db.execute(
            "SELECT kode, data_json FROM kecamatan_usulan WHERE region = :region"
            " AND year = :year ORDER BY position",
            {"region": kecamatan, "year": year},
        ).fetchall()
        return [
            UsulanKecamatan.model_validate_json(r["data_json"]).model_copy(
                update={"kode_usulan": r["kode"], "row": None}
            )
            for r in rows
        ]

    def set_stage(
        self,
        db: Sql,
        *,
        region: str,
        year: int,
        stage: TahapKecamatan,
        at: str,
        input_id: int | None,
        reason: str | None = None,
        identitas: IdentitasKecamatan | None = None,
        jadwal: list[JadwalDesa] | None = None,
        peserta: list[Peserta] | None = None,
    ) -> None:
        current = self.year(region, year)
        if current is None:
            db.execute(
                "INSERT INTO kecamatan_tahap (region, year, stage, updated_at)"
                " VALUES (:region, :year, :stage, :at)",
                {"region": region, "year": year, "stage": stage.value, "at": at},
            )
            db.execute(  # scans that came before the first kecamatan workbook
                "UPDATE berkas SET year = :year WHERE region = :region AND year IS NULL",
                {"year": year, "region": region},
            )
        if current is None or current.stage is not stage:
            db.execute(
                "INSERT INTO tahap_riwayat (region, year, from_stage, to_stage, at, input_id,"
                " reason) VALUES (:region, :year, :from_stage, :to_stage, :at, :input_id, :reason)",
                {"region": region, "year": year,
                 "from_stage": current.stage.value if current else None,
                 "to_stage": stage.value, "at": at, "input_id": input_id, "reason": reason},
            )  # fmt: skip
        sets = ["stage = :stage", "updated_at = :at"]
        args: dict[str, object] = {"stage": stage.value, "at": at, "region": region, "year": year}
        for column, value in (
            ("identitas_json", identitas.model_dump_json() if identitas else None),
            ("jadwal_json", _dump(jadwal)),
            ("peserta_json", _dump(peserta)),
        ):
            if value is not None:
                sets.append(f"{column} = :{column}")
                args[column] = value
        if stage is TahapKecamatan.KIRIM:
            sets.append("sent_at = :at")
        elif current is not None and current.stage is TahapKecamatan.KIRIM:
            sets.append("sent_at = NULL")
        db.execute(
            f"UPDATE kecamatan_tahap SET {', '.join(sets)} WHERE region = :region AND year = :year",
            args,
        )

    def save_usulan(
        self,
        db: Sql,
        *,
        region: str,
        year: int,
        usulan: list[UsulanKecamatan],
        at: str,
        input_id: int,
        file: str,
    ) -> list[UsulanKecamatan]:
        """Store the kecamatan's usulan in its order; UPT rows get the next kecamatan Kode
        Usulan. Changed fields go to usulan_riwayat (kode + field + old + new)."""
        key = {"region": region, "year": year}
        row = db.execute(
            "SELECT next_seq FROM kecamatan_tahap WHERE region = :region AND year = :year", key
        ).fetchone()
        next_seq = int(row["next_seq"]) if row else 1
        existing = {
            r["kode"]: json.loads(r["data_json"])
            for r in db.execute(
                "SELECT kode, data_json FROM kecamatan_usulan"
                " WHERE region = :region AND year = :year",
                key,
            )
        }
        out = []
        for position, u in enumerate(usulan, start=1):
            kode = u.kode_usulan
            if not kode:
                kode = f"{region}-{year}-{next_seq:04d}"
                next_seq += 1
            data = u.model_dump(mode="json", exclude={"row", "kode_usulan"})
            old = existing.get(kode)
            changed = {k: v for k, v in data.items() if old is None or old.get(k) != v}
            for field, new in changed.items():
                db.execute(
                    "INSERT INTO usulan_riwayat (kode, at, input_id, file, field, old, new)"
                    " VALUES (:kode, :at, :input_id, :file, :field, :old, :new)",
                    {"kode": kode, "at": at, "input_id": input_id, "file": file,
                     "field": f"kecamatan.{field}",
                     "old": _text(old.get(field)) if old else None, "new": _text(new)},
                )  # fmt: skip
            db.execute(
                "INSERT INTO kecamatan_usulan (kode, region, year, position, data_json,"
                " updated_at, input_id) VALUES (:kode, :region, :year, :position, :data_json,"
                " :at, :input_id)"
                " ON CONFLICT (kode, region) DO UPDATE SET position = excluded.position,"
                " data_json = excluded.data_json, updated_at = excluded.updated_at,"
                " input_id = excluded.input_id",
                {
                    "kode": kode,
                    "region": region,
                    "year": year,
                    "position": position,
                    "data_json": json.dumps(data),
                    "at": at,
                    "input_id": input_id,
                },
            )
            out.append(u.model_copy(update={"kode_usulan": kode}))
        db.execute(
            "UPDATE kecamatan_tahap SET next_seq = :next_seq WHERE region = :region"
            " AND year = :year",
            {**key, "next_seq": next_seq},
        )
        return out


def _dump(items: list[JadwalDesa] | list[Peserta] | None) -> str | None:
    if items is None:
        return None
    return json.dumps([i.model_dump(mode="json") for i in items])


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def sent_on(ky: KecamatanYear | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(ky.sent_at) if ky and ky.sent_at else None
