"""The third-party apps register: apps with access to official accounts, and which accounts.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "third_party_apps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("access", sa.Text(), server_default="[]", nullable=False),
        sa.Column("necessity", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("review_due_on", sa.Date(), nullable=False),
        sa.Column("last_review_on", sa.Date(), nullable=True),
        sa.Column("last_reviewed_by", sa.String(64), nullable=True),
        sa.Column("review_note", sa.Text(), server_default="", nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by", sa.String(64), nullable=True),
        sa.Column("revoked_reason", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_third_party_apps"),
    )
    op.create_table(
        "third_party_app_accounts",
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["third_party_apps.id"],
            name="fk_third_party_app_accounts_app_id_third_party_apps",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["official_accounts.id"],
            name="fk_third_party_app_accounts_account_id_official_accounts",
        ),
        sa.PrimaryKeyConstraint("app_id", "account_id", name="pk_third_party_app_accounts"),
    )
    op.create_index(
        "ix_third_party_app_accounts_account_id", "third_party_app_accounts", ["account_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_third_party_app_accounts_account_id", table_name="third_party_app_accounts")
    op.drop_table("third_party_app_accounts")
    op.drop_table("third_party_apps")
