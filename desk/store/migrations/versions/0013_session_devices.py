"""Sessions know their workstation and who ended them; leavers wait for a review.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("workstation", sa.String(64), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("ended_by", sa.String(64), nullable=True))
    op.create_table(
        "leaver_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("disabled_at", UTCDateTime(), nullable=False),
        sa.Column("disabled_by", sa.String(64), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(64), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_leaver_reviews_account_id_accounts"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_leaver_reviews"),
    )
    op.create_index("ix_leaver_reviews_account_id", "leaver_reviews", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_leaver_reviews_account_id", table_name="leaver_reviews")
    op.drop_table("leaver_reviews")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("ended_by")
        batch_op.drop_column("workstation")
