"""What the records rules say about one case: legal holds standing on it, its public appeals.

Read inside the caller's session (the case detail's, the retention listing's), so the case pane
shows a hold or an appeal with the rest of the case, in one read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk.core.retention import HoldTarget
from desk.services.case_views import AppealNote, HoldNote
from desk.store.tables import CaseEvent, LegalHold, PublicAppeal

APPEAL_EVENT = "appeal"  # the timeline line that marks an appeal keeps its note


def appeal_notes(s: Session, case_ids: Iterable[int]) -> dict[int, str]:
    """Return each appeal's note (a link to the platform post, say) by appeal id.

    The note lives on the case's timeline line that marked the appeal, so it goes when the
    case is purged; the audit keeps only its fingerprint.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    found: dict[int, str] = {}
    rows = s.scalars(
        select(CaseEvent.details).where(CaseEvent.case_id.in_(ids), CaseEvent.kind == APPEAL_EVENT)
    )
    for details in rows:
        try:
            data = json.loads(details or "{}")
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("appeal"), int):
            found[data["appeal"]] = str(data.get("note", ""))
    return found


def case_records(
    s: Session, case_id: int, author_id: int | None
) -> tuple[tuple[HoldNote, ...], tuple[AppealNote, ...]]:
    """Return the legal holds standing on the case or its author, and the case's appeals."""
    on_case = (LegalHold.target == HoldTarget.CASE.value) & (LegalHold.target_id == case_id)
    on_author = (LegalHold.target == HoldTarget.AUTHOR.value) & (
        LegalHold.target_id == (author_id if author_id is not None else -1)
    )
    holds = tuple(
        HoldNote(h.id, h.target == HoldTarget.AUTHOR.value, h.reason, h.placed_by, h.placed_at)
        for h in s.scalars(
            select(LegalHold)
            .where(LegalHold.lifted_at.is_(None), or_(on_case, on_author))
            .order_by(LegalHold.id)
        )
    )
    rows = list(
        s.scalars(
            select(PublicAppeal)
            .where(PublicAppeal.case_id == case_id)
            .order_by(PublicAppeal.ends_at, PublicAppeal.id)
        )
    )
    notes = appeal_notes(s, [case_id]) if rows else {}
    appeals = tuple(
        AppealNote(
            a.id, a.item_id, a.ends_at, notes.get(a.id, ""), a.done_how, a.done_by, a.done_at
        )
        for a in rows
    )
    return holds, appeals
