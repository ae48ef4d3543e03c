"""The originals stored raw, compressed later.

An import stores each record's bytes raw (``compressed`` false); compaction, after the import,
replaces them with their zlib stream. Rows from before were all compressed. A partial index
holds only the raw rows, for compaction to find without reading the table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_originals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("compressed", sa.Boolean(), server_default="1", nullable=False)
        )
    op.create_index(
        "ix_item_originals_raw",
        "item_originals",
        ["item_id"],
        unique=False,
        sqlite_where=sa.text("compressed = 0"),
        postgresql_where=sa.text("NOT compressed"),
    )


def downgrade() -> None:
    # the older schema reads every row as compressed: squeeze the raw ones first
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT item_id, data FROM item_originals WHERE compressed = :raw"),
        {"raw": False},
    ).all()
    for item_id, data in rows:
        bind.execute(
            sa.text(
                "UPDATE item_originals SET data = :data, compressed = :done WHERE item_id = :id"
            ),
            {"data": zlib.compress(bytes(data), 1), "done": True, "id": item_id},
        )
    op.drop_index("ix_item_originals_raw", table_name="item_originals")
    with op.batch_alter_table("item_originals", schema=None) as batch_op:
        batch_op.drop_column("compressed")
