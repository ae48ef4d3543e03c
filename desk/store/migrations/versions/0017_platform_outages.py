"""Platform and Desk outage log (continuity).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_outages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=True),
        sa.Column("actions", sa.Text(), server_default="", nullable=False),
        sa.Column("paper_cases", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("after_the_fact", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("ended_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_platform_outages"),
    )
    op.create_index("ix_platform_outages_starts_at", "platform_outages", ["starts_at"])


def downgrade() -> None:
    op.drop_index("ix_platform_outages_starts_at", table_name="platform_outages")
    op.drop_table("platform_outages")
