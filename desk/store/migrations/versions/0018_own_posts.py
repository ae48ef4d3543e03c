"""The force's own posts kept as thread context, never queued.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "own_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("official_account_id", sa.Integer(), nullable=False),
        sa.Column("platform_id", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(1000), nullable=True),
        sa.Column("media", sa.Text(), nullable=False),
        sa.Column("thread_id", sa.String(200), nullable=True),
        sa.Column("reply_to", sa.String(200), nullable=True),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("original", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["official_account_id"],
            ["official_accounts.id"],
            name="fk_own_posts_official_account_id_official_accounts",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_own_posts"),
        sa.UniqueConstraint(
            "platform", "official_account_id", "platform_id", name="uq_own_posts_platform"
        ),
    )
    op.create_index("ix_own_posts_platform_id", "own_posts", ["platform", "platform_id"])
    op.create_index("ix_own_posts_thread", "own_posts", ["platform", "thread_id"])
    op.create_index("ix_items_platform_id", "items", ["platform", "platform_id"])


def downgrade() -> None:
    op.drop_index("ix_items_platform_id", table_name="items")
    op.drop_index("ix_own_posts_thread", table_name="own_posts")
    op.drop_index("ix_own_posts_platform_id", table_name="own_posts")
    op.drop_table("own_posts")
