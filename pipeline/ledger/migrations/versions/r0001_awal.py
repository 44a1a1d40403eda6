"""The ledger as the release before migrations made it (meta.schema_version 1).

Every statement is "if not exists": on a ledger of that release this revision only records
itself (and adds `inputs.raw_rel`, which older ledgers lack); on an empty database it makes
everything. The audit log refuses UPDATE and DELETE; every table but meta bumps the change
mark `meta.perubahan` (run/reports.py rebuilds the kabupaten reports only when it moved).

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

T, N, B = sa.Text, sa.Integer, sa.LargeBinary


def _col(name: str, kind: type, *, null: bool = True, default: str | None = None) -> sa.Column:
    return sa.Column(
        name,
        kind(),
        nullable=null,
        server_default=sa.text(default) if default is not None else None,
    )


def _tables() -> dict[str, list]:
    return {
        "meta": [sa.Column("key", T(), primary_key=True), _col("value", T, null=False)],
        "tahap": [
            _col("region", T, null=False),
            _col("year", N, null=False),
            _col("level", T, null=False),
            _col("stage", T, null=False),
            _col("identitas_json", T, null=False, default="'{}'"),
            _col("peserta_json", T, null=False, default="'[]'"),
            _col("next_seq", N, null=False, default="1"),
            _col("started_at", T),
            _col("sent_at", T),
            _col("late", N, null=False, default="0"),
            _col("updated_at", T, null=False),
            sa.PrimaryKeyConstraint("region", "year"),
        ],
        "tahap_riwayat": [
            sa.Column("id", N(), primary_key=True),
            _col("region", T, null=False),
            _col("year", N, null=False),
            _col("from_stage", T),
            _col("to_stage", T, null=False),
            _col("at", T, null=False),
            _col("input_id", N),
            _col("reason", T),
        ],
        "usulan": [
            sa.Column("kode", T(), primary_key=True),
            _col("region", T, null=False),
            _col("year", N, null=False),
            _col("position", N, null=False),
            _col("data_json", T, null=False),
            _col("created_at", T, null=False),
            _col("updated_at", T, null=False),
            _col("input_id", N),
        ],
        "usulan_riwayat": [
            sa.Column("id", N(), primary_key=True),
            _col("kode", T, null=False),
            _col("at", T, null=False),
            _col("input_id", N),
            _col("file", T),
            _col("field", T, null=False),
            _col("old", T),
            _col("new", T),
        ],
        "inputs": [
            sa.Column("id", N(), primary_key=True),
            _col("token", T, null=False),
            _col("file", T, null=False),
            _col("rel", T, null=False),
            _col("sha256", T, null=False),
            _col("size", N, null=False),
            _col("received_at", T, null=False),
            _col("receipt_name", T, null=False),
            _col("archived_as", T, null=False),
            _col("kind", T),
            _col("purpose", T),
            _col("region", T),
            _col("year", N),
            _col("status", T, null=False, default="'processing'"),
            _col("receipt_json", T),
            _col("attempts", N, null=False, default="0"),
            _col("done", N, null=False, default="0"),
            _col("raw_rel", B),
            sa.UniqueConstraint("token"),
            sa.UniqueConstraint("receipt_name"),
        ],
        "berkas": [
            sa.Column("id", N(), primary_key=True),
            _col("input_id", N, null=False),
            _col("region", T, null=False),
            _col("year", N),
            _col("kategori", T, null=False),
            _col("jenis", T, null=False),
            _col("file", T, null=False),
            _col("size", N, null=False),
            _col("sha256", T, null=False),
            _col("received_at", T, null=False),
            _col("folder", T, null=False),
            _col("archived_as", T, null=False),
        ],
        "audit": [
            sa.Column("id", N(), primary_key=True),
            _col("at", T, null=False),
            _col("action", T, null=False),
            _col("region", T),
            _col("year", N),
            _col("details_json", T, null=False, default="'{}'"),
        ],
        "kecamatan_tahap": [
            _col("region", T, null=False),
            _col("year", N, null=False),
            _col("stage", T, null=False),
            _col("identitas_json", T, null=False, default="'{}'"),
            _col("jadwal_json", T, null=False, default="'[]'"),
            _col("peserta_json", T, null=False, default="'[]'"),
            _col("next_seq", N, null=False, default="1"),
            _col("sent_at", T),
            _col("updated_at", T, null=False),
            sa.PrimaryKeyConstraint("region", "year"),
        ],
        "kecamatan_usulan": [
            _col("kode", T, null=False),
            _col("region", T, null=False),
            _col("year", N, null=False),
            _col("position", N, null=False),
            _col("data_json", T, null=False),
            _col("updated_at", T, null=False),
            _col("input_id", N),
            sa.PrimaryKeyConstraint("kode", "region"),
        ],
        "kunci_kecamatan": [
            sa.Column("region", T(), primary_key=True),
            _col("public_key", B, null=False),
            _col("fingerprint", T, null=False),
            _col("registered_at", T, null=False),
        ],
        "paket_kecamatan": [
            _col("region", T, null=False),
            _col("year", N, null=False),
            _col("urutan", N, null=False),
            _col("dibuat", T, null=False),
            _col("sha256", T, null=False),
            _col("fingerprint", T, null=False),
            _col("input_id", N),
            _col("merged_at", T, null=False),
            sa.PrimaryKeyConstraint("region", "year"),
        ],
    }


INDEXES = {
    "usulan_region": ("usulan", ["region", "year", "position"]),
    "usulan_riwayat_kode": ("usulan_riwayat", ["kode"]),
    "inputs_sha": ("inputs", ["sha256", "status"]),
    "berkas_region": ("berkas", ["region", "year", "kategori", "jenis"]),
}


def upgrade() -> None:
    bind = op.get_bind()
    for name, columns in _tables().items():
        op.create_table(name, *columns, if_not_exists=True)
    if "raw_rel" not in {c["name"] for c in sa.inspect(bind).get_columns("inputs")}:
        op.add_column("inputs", sa.Column("raw_rel", sa.LargeBinary(), nullable=True))
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, if_not_exists=True)
    tables = [name for name in _tables() if name != "meta"]
    if bind.dialect.name == "sqlite":
        _sqlite_triggers(tables)
    else:
        _postgresql_triggers(tables)
    op.execute(
        sa.text(
            "INSERT INTO meta (key, value) VALUES ('schema_version', '1') "
            "ON CONFLICT (key) DO NOTHING"
        )
    )


def _sqlite_triggers(tables: list[str]) -> None:
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    )
    op.execute(
        "INSERT INTO meta (key, value) VALUES ('perubahan', lower(hex(randomblob(8)))) "
        "ON CONFLICT (key) DO NOTHING"
    )
    bump = "UPDATE meta SET value = lower(hex(randomblob(8))) WHERE key = 'perubahan';"
    for table in tables:
        for action in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS perubahan_{table}_{action.lower()} "
                f"AFTER {action} ON {table} BEGIN {bump} END"
            )


def _postgresql_triggers(tables: list[str]) -> None:
    op.execute(
        "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$"
    )
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE OR REPLACE TRIGGER audit_no_{action.lower()} BEFORE {action} ON audit "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )
    # the change mark is a sequence: bumping it takes no row lock, so workers writing at once
    # never wait on one another for it (a sequence also moves on a rolled-back write: a
    # harmless extra rebuild).
    op.execute("CREATE SEQUENCE IF NOT EXISTS perubahan_seq")
    op.execute(
        "CREATE OR REPLACE FUNCTION perubahan_bump() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM nextval('perubahan_seq'); RETURN NULL; END $$"
    )
    for table in tables:
        op.execute(
            f"CREATE OR REPLACE TRIGGER perubahan_{table} AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION perubahan_bump()"
        )


def downgrade() -> None:
    raise NotImplementedError("the first revision is not undone")
