"""THRIVE assessments record the risk categories the operator saw.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("thrive_assessments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("risk_seen", sa.String(length=300), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("thrive_assessments", schema=None) as batch_op:
        batch_op.drop_column("risk_seen")
