"""Impersonation watch: look-alike flags on authors, and the suspected fake accounts register.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("impersonation_of", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("impersonation_why", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("impersonation", sa.String(length=400), nullable=True))
    op.create_table(
        "suspect_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("handle_key", sa.String(length=200), nullable=False),
        sa.Column("link", sa.String(length=500), server_default="", nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("resembles_id", sa.Integer(), nullable=True),
        sa.Column("links", sa.Text(), server_default="[]", nullable=False),
        sa.Column("item_ids", sa.Text(), server_default="[]", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=True),
        sa.Column("report_reference", sa.String(length=200), nullable=True),
        sa.Column("reported_by", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("outcome_at", UTCDateTime(), nullable=True),
        sa.Column("outcome_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspect_accounts")),
        sa.UniqueConstraint("platform", "handle_key", name=op.f("uq_suspect_accounts_platform")),
    )


def downgrade() -> None:
    op.drop_table("suspect_accounts")
    with op.batch_alter_table("authors", schema=None) as batch_op:
        batch_op.drop_column("impersonation")
        batch_op.drop_column("impersonation_why")
        batch_op.drop_column("impersonation_of")
