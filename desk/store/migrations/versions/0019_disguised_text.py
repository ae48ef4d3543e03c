"""Items whose text disguises itself are flagged (no schema change: found when shown).

Disguised text (issue 17) is stored exactly as received and found by
``desk.core.disguised_text`` whenever text is shown, so no column is needed; this revision
keeps the chain's numbering.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from collections.abc import Sequence

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
