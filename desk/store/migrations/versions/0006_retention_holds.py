"""Retention by record class: legal holds, public appeals, retention reviews.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=64), nullable=False),
        sa.Column("placed_at", UTCDateTime(), nullable=False),
        sa.Column("lifted_by", sa.String(length=64), nullable=True),
        sa.Column("lifted_at", UTCDateTime(), nullable=True),
        sa.Column("lift_reason", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    with op.batch_alter_table("legal_holds", schema=None) as batch_op:
        batch_op.create_index(
            "ix_legal_holds_target", ["target", "target_id", "lifted_at"], unique=False
        )
    op.create_table(
        "retention_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listed_at", UTCDateTime(), nullable=False),
        sa.Column("contents", sa.Text(), nullable=False),
        sa.Column("held", sa.Text(), server_default="{}", nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(length=64), nullable=False),
        sa.Column("approved_at", UTCDateTime(), nullable=False),
        sa.Column("ran_by", sa.String(length=64), nullable=True),
        sa.Column("ran_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_batches")),
    )
    op.create_table(
        "public_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("marked_by", sa.String(length=64), nullable=False),
        sa.Column("marked_at", UTCDateTime(), nullable=False),
        sa.Column("done_how", sa.String(length=16), nullable=True),
        sa.Column("done_by", sa.String(length=64), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_public_appeals_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_appeals")),
    )
    with op.batch_alter_table("public_appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_appeals_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_public_appeals_due", ["done_at", "ends_at"], unique=False)


def downgrade() -> None:
    raise RuntimeError("Desk never downgrades a database: restore the backup made before upgrade")
