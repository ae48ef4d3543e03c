"""Items, cases, authors, official accounts, case timeline, THRIVE, viewers, search.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Full-text search over item text and author: FTS5 over the items table, kept by triggers.
_SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE items_fts USING fts5(text, author_text, content='items', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN "
    "INSERT INTO items_fts(rowid, text, author_text) VALUES (new.id, new.text, new.author_text); END",
    "CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, text, author_text) "
    "VALUES ('delete', old.id, old.text, old.author_text); END",
    "CREATE TRIGGER items_fts_update AFTER UPDATE OF text, author_text ON items BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, text, author_text) "
    "VALUES ('delete', old.id, old.text, old.author_text); "
    "INSERT INTO items_fts(rowid, text, author_text) VALUES (new.id, new.text, new.author_text); END",
)
_PG_SEARCH = (
    "CREATE INDEX ix_items_search ON items USING gin "
    "(to_tsvector('simple', text || ' ' || author_text))"
)


def upgrade() -> None:
    op.create_table(
        "authors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_user_id", sa.String(length=200), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_authors")),
        sa.UniqueConstraint("platform", "platform_user_id", name=op.f("uq_authors_platform")),
    )
    op.create_table(
        "official_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("handle", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("direct_messages", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_accounts")),
        sa.UniqueConstraint("platform", "handle", name=op.f("uq_official_accounts_platform")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("risk", sa.String(length=400), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("official_account_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("thread_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("last_item_at", UTCDateTime(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("first_action_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("grade", sa.String(length=40), nullable=True),
        sa.Column("needs_assessment", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_cases_author_id_authors")
        ),
        sa.ForeignKeyConstraint(
            ["official_account_id"],
            ["official_accounts.id"],
            name=op.f("fk_cases_official_account_id_official_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["accounts.id"], name=op.f("fk_cases_owner_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_joining", ["author_id", "last_item_at"], unique=False)
        batch_op.create_index("ix_cases_owner", ["owner_id", "status"], unique=False)
        batch_op.create_index("ix_cases_fingerprint", ["fingerprint", "status"], unique=False)
        batch_op.create_index("ix_cases_thread", ["thread_key", "status"], unique=False)
        batch_op.create_index(
            "ix_cases_queue", ["priority", "opened_at", "id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_cases_status_queue",
            ["status", "priority", "opened_at", "id", "due_at"],
            unique=False,
        )

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index("ix_case_events_case", ["case_id", "id"], unique=False)

    op.create_table(
        "case_viewers",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("seen_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_viewers_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_case_viewers_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_case_viewers")),
    )
    with op.batch_alter_table("case_viewers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_viewers_case_id"), ["case_id"], unique=False)

    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("official_account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("platform_id", sa.String(length=200), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_text", sa.String(length=400), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=1000), nullable=True),
        sa.Column("media", sa.Text(), nullable=False),
        sa.Column("thread_id", sa.String(length=200), nullable=True),
        sa.Column("thread_title", sa.String(length=300), nullable=True),
        sa.Column("posted_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("matches", sa.Text(), nullable=False),
        sa.Column("redacted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_items_author_id_authors")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_items_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["official_account_id"],
            ["official_accounts.id"],
            name=op.f("fk_items_official_account_id_official_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint(
            "platform", "official_account_id", "platform_id", name=op.f("uq_items_platform")
        ),
    )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_items_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_items_received", ["received_at", "platform"], unique=False)

    op.create_table(
        "thrive_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("threat", sa.Text(), nullable=False),
        sa.Column("harm", sa.Text(), nullable=False),
        sa.Column("risk", sa.Text(), nullable=False),
        sa.Column("investigation", sa.Text(), nullable=False),
        sa.Column("vulnerability", sa.Text(), nullable=False),
        sa.Column("engagement", sa.Text(), nullable=False),
        sa.Column("grade", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_thrive_assessments_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thrive_assessments")),
    )
    with op.batch_alter_table("thrive_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_thrive_assessments_case_id"), ["case_id"], unique=False
        )

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("languages", sa.String(length=40), server_default="en", nullable=False)
        )
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_SEARCH:
            op.execute(statement)
    else:
        op.execute(_PG_SEARCH)


def downgrade() -> None:
    raise RuntimeError("Desk never downgrades a database: restore the backup made before upgrade")
