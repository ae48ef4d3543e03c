"""Escalations, templates, guidelines, replies, moderation; handovers, coverage, QA; people.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desk.store.tables import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coverage_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=True),
        sa.Column("risk_accepted", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_periods")),
    )
    with op.batch_alter_table("coverage_periods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coverage_periods_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "escalation_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("area", sa.String(length=100), server_default="", nullable=False),
        sa.Column("email", sa.String(length=320), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=64), server_default="", nullable=False),
        sa.Column("instructions", sa.Text(), server_default="", nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_targets")),
        sa.UniqueConstraint("kind", "area", name=op.f("uq_escalation_targets_kind")),
    )
    op.create_table(
        "guidelines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("public_text", sa.Text(), nullable=False),
        sa.Column("public_text_cy", sa.Text(), server_default="", nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guidelines")),
        sa.UniqueConstraint("code", name=op.f("uq_guidelines_code")),
    )
    op.create_table(
        "handover_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_start", UTCDateTime(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_notes")),
    )
    with op.batch_alter_table("handover_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_notes_shift_start"), ["shift_start"], unique=False
        )

    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_start", UTCDateTime(), nullable=False),
        sa.Column("shift_end", UTCDateTime(), nullable=False),
        sa.Column("compiled_at", UTCDateTime(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        sa.Column("signed_by", sa.String(length=64), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
        sa.UniqueConstraint("shift_start", name=op.f("uq_handovers_shift_start")),
    )
    op.create_table(
        "templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
        sa.UniqueConstraint("key", name=op.f("uq_templates_key")),
    )
    op.create_table(
        "template_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_cy", sa.Text(), server_default="", nullable=False),
        sa.Column("guideline_code", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("approved_at", UTCDateTime(), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            name=op.f("fk_template_versions_template_id_templates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_versions")),
        sa.UniqueConstraint(
            "template_id", "version", name=op.f("uq_template_versions_template_id")
        ),
    )
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("deadline_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        sa.Column("ack_recorded_by", sa.String(length=64), nullable=True),
        sa.Column("ack_note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_escalations_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["escalation_targets.id"],
            name=op.f("fk_escalations_target_id_escalation_targets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalations_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_escalations_waiting", ["acknowledged_at", "deadline_at"], unique=False
        )
        batch_op.create_index("ix_escalations_created", ["created_at", "kind"], unique=False)

    op.create_table(
        "quality_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("sampled_at", UTCDateTime(), nullable=False),
        sa.Column("sampled_by", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("reviewer", sa.String(length=64), nullable=True),
        sa.Column("thrive_complete", sa.Boolean(), nullable=True),
        sa.Column("grade_justified", sa.Boolean(), nullable=True),
        sa.Column("right_template", sa.Boolean(), nullable=True),
        sa.Column("target_met", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_quality_reviews_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["operator_id"], ["accounts.id"], name=op.f("fk_quality_reviews_operator_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_reviews")),
        sa.UniqueConstraint("case_id", name=op.f("uq_quality_reviews_case_id")),
    )
    with op.batch_alter_table("quality_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quality_reviews_operator_id"), ["operator_id"], unique=False
        )

    op.create_table(
        "replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("official_account_id", sa.Integer(), nullable=False),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("template_key", sa.String(length=64), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decision_note", sa.Text(), server_default="", nullable=False),
        sa.Column("override_by", sa.String(length=64), nullable=True),
        sa.Column("override_reason", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_replies_author_id_authors")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_replies_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["official_account_id"],
            ["official_accounts.id"],
            name=op.f("fk_replies_official_account_id_official_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replies")),
    )
    with op.batch_alter_table("replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_replies_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_replies_status", ["status", "created_at"], unique=False)

    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("guideline_code", sa.String(length=32), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("applied_via", sa.String(length=64), server_default="manual", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["authors.id"], name=op.f("fk_moderation_actions_author_id_authors")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_moderation_actions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_moderation_actions_item_id_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_actions")),
    )
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderation_actions_author_id"), ["author_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_moderation_actions_case_id"), ["case_id"], unique=False
        )

    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("approved_by", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("role_changed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("disabled_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("under_investigation", sa.Boolean(), server_default="0", nullable=False)
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_escalated_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("referred_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("notable", sa.String(length=300), server_default="", nullable=False)
        )


def downgrade() -> None:
    for table, column in (
        ("cases", "notable"),
        ("cases", "referred_at"),
        ("cases", "first_escalated_at"),
        ("accounts", "under_investigation"),
        ("accounts", "disabled_at"),
        ("accounts", "role_changed_at"),
        ("accounts", "approved_by"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
    for table in (
        "moderation_actions",
        "replies",
        "quality_reviews",
        "escalations",
        "template_versions",
        "templates",
        "handovers",
        "handover_notes",
        "guidelines",
        "escalation_targets",
        "coverage_periods",
    ):
        op.drop_table(table)
