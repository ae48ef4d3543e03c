"""The subject access request register.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subject_access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(300), server_default="", nullable=False),
        sa.Column("regime", sa.String(16), nullable=False),
        sa.Column("received_on", sa.String(10), nullable=False),
        sa.Column("identity_checked_at", UTCDateTime(), nullable=True),
        sa.Column("identity_checked_by", sa.String(64), nullable=True),
        sa.Column("identity_how", sa.Text(), server_default="", nullable=False),
        sa.Column("extension_months", sa.Integer(), server_default="0", nullable=False),
        sa.Column("extension_notice", sa.Text(), server_default="", nullable=False),
        sa.Column("paused_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("paused_since", sa.String(10), nullable=True),
        sa.Column("pause_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("restrictions", sa.Text(), server_default="[]", nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("outcome_note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_access_requests")),
    )
    op.create_index(
        op.f("ix_subject_access_requests_received_on"),
        "subject_access_requests",
        ["received_on"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_subject_access_requests_received_on"), table_name="subject_access_requests"
    )
    op.drop_table("subject_access_requests")
