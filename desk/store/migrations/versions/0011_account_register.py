"""The official accounts register: its fields, opening/closing requests, security reviews.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REGISTER_COLUMNS = (
    "link",
    "purpose",
    "owning_team",
    "area",
    "administrators",
    "verified",
    "two_factor",
    "login_alerts",
    "managed",
    "credentials_location",
    "opened_on",
    "closed_on",
    "last_review_on",
    "review_due_on",
)


def upgrade() -> None:
    with op.batch_alter_table("official_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link", sa.String(500), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("purpose", sa.String(16), server_default="engagement", nullable=False)
        )
        batch_op.add_column(
            sa.Column("owning_team", sa.String(200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("area", sa.String(120), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("administrators", sa.Text(), server_default="[]", nullable=False)
        )
        for flag in ("verified", "two_factor", "login_alerts", "managed"):
            batch_op.add_column(sa.Column(flag, sa.Boolean(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("credentials_location", sa.String(300), server_default="", nullable=False)
        )
        for day in ("opened_on", "closed_on", "last_review_on", "review_due_on"):
            batch_op.add_column(sa.Column(day, sa.Date(), nullable=True))
    op.create_table(
        "account_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("handle", sa.String(200), nullable=False),
        sa.Column("details", sa.Text(), server_default="{}", nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["official_accounts.id"],
            name="fk_account_requests_account_id_official_accounts",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_account_requests"),
    )
    op.create_index("ix_account_requests_account_id", "account_requests", ["account_id"])
    op.create_index("ix_account_requests_state", "account_requests", ["state"])
    op.create_table(
        "account_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), server_default="", nullable=False),
        sa.Column("actions", sa.Text(), server_default="", nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["official_accounts.id"],
            name="fk_account_reviews_account_id_official_accounts",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_account_reviews"),
    )
    op.create_index("ix_account_reviews_account_id", "account_reviews", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_account_reviews_account_id", table_name="account_reviews")
    op.drop_table("account_reviews")
    op.drop_index("ix_account_requests_state", table_name="account_requests")
    op.drop_index("ix_account_requests_account_id", table_name="account_requests")
    op.drop_table("account_requests")
    with op.batch_alter_table("official_accounts", schema=None) as batch_op:
        for column in reversed(_REGISTER_COLUMNS):
            batch_op.drop_column(column)
