"""Audit retention checkpoints; the delete trigger lets through only entries one covers.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSE_SQLITE = """
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
{when}BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: delete refused'); END
"""
_COVERED = "WHEN NOT EXISTS (SELECT 1 FROM audit_checkpoints c WHERE OLD.seq <= c.last_seq)\n"
_CUT_ONLY_PG_FN = """
CREATE FUNCTION audit_log_cut_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM audit_checkpoints c WHERE OLD.seq <= c.last_seq) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit entries are append-only: delete refused';
END $$
"""
_TRIGGER_PG = """
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION {fn}()
"""


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("last_at", sa.String(40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("cut_at", sa.String(40), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("run_by", sa.String(64), nullable=False),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
        sa.UniqueConstraint("last_seq", name=op.f("uq_audit_checkpoints_last_seq")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_delete ON audit_log")
        op.execute(_CUT_ONLY_PG_FN)
        op.execute(_TRIGGER_PG.format(fn="audit_log_cut_only"))
    else:
        op.execute("DROP TRIGGER audit_log_no_delete")
        op.execute(_REFUSE_SQLITE.format(when=_COVERED))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_delete ON audit_log")
        op.execute("DROP FUNCTION audit_log_cut_only()")
        op.execute(_TRIGGER_PG.format(fn="audit_log_append_only"))
    else:
        op.execute("DROP TRIGGER audit_log_no_delete")
        op.execute(_REFUSE_SQLITE.format(when=""))
    op.drop_table("audit_checkpoints")
