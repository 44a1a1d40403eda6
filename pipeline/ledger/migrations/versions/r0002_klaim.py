"""Several workers on one ledger: who holds which input and which region.

- `pekerja`: every worker process that ever ran (host, pid), with its last heartbeat.
- `klaim`: an input (its claim token) taken by a worker; `berkas` names the inbox file (path,
  size, mtime) while it is being moved out of the inbox, so only one worker ever moves it. A
  claim whose worker stopped beating is taken over by another worker.
- `kunci_wilayah`: the region a worker is processing; one worker per region at a time.
- `kerja_wilayah`: the record of every hold of a region (who, from, until): what lets a test,
  or an administrator, check that no region was ever processed by two workers at once.

These tables change on every heartbeat: they do not move the change mark.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    T, F = sa.Text, sa.Float
    op.create_table(
        "pekerja",
        sa.Column("worker", T(), primary_key=True),
        sa.Column("host", T(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started", F(), nullable=False),
        sa.Column("heartbeat", F(), nullable=False),
        sa.Column("stopped", F(), nullable=True),
        if_not_exists=True,
    )
    op.create_table(
        "klaim",
        sa.Column("token", T(), primary_key=True),
        sa.Column("berkas", T(), nullable=True, unique=True),  # the inbox file, until moved
        sa.Column("worker", T(), nullable=False),
        sa.Column("since", F(), nullable=False),
        sa.Column("heartbeat", F(), nullable=False),
        if_not_exists=True,
    )
    op.create_table(
        "kunci_wilayah",
        sa.Column("region", T(), primary_key=True),
        sa.Column("worker", T(), nullable=False),
        sa.Column("since", F(), nullable=False),
        sa.Column("heartbeat", F(), nullable=False),
        if_not_exists=True,
    )
    op.create_table(
        "kerja_wilayah",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("region", T(), nullable=False),
        sa.Column("worker", T(), nullable=False),
        sa.Column("mulai", F(), nullable=False),
        sa.Column("selesai", F(), nullable=True),
        if_not_exists=True,
    )
    op.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")


def downgrade() -> None:
    for table in ("kerja_wilayah", "kunci_wilayah", "klaim", "pekerja"):
        op.drop_table(table)
