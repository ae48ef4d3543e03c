"""How cases and items look on the command line: JSON objects, ages and targets."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TextIO

from desk.cli.output import iso
from desk.core.cases import OPEN_STATUSES
from desk.services.case_views import (
    AssessmentView,
    CaseDetail,
    ItemView,
    MatchView,
    QueueRow,
    TimelineEntry,
)

_OPEN = frozenset(s.value for s in OPEN_STATUSES)


def priority_label(priority: int) -> str:
    """Return a priority as people and scripts write it: ``P1`` to ``P4``."""
    return f"P{priority}"


def duration(delta: timedelta) -> str:
    """Return a span of time in at most two units: ``45s``, ``12m``, ``3h 20m``, ``2d 4h``."""
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    if minutes:
        return f"{minutes}m"
    return f"{secs}s"


def target(row: QueueRow, now: datetime) -> str:
    """Return how a case stands against its response target: ``in 12m``, ``late 5m`` or ``-``."""
    if row.status not in _OPEN:
        return "-"
    if row.due_at < now:
        return f"late {duration(now - row.due_at)}"
    return f"in {duration(row.due_at - now)}"


def item_json(item: ItemView) -> dict[str, Any]:
    """Return one item for scripts."""
    return {
        "id": item.id,
        "platform": item.platform,
        "account": item.account,
        "kind": item.kind,
        "author": item.author_handle,
        "author_name": item.author_name,
        "text": item.text,
        "language": item.language,
        "posted_at": iso(item.posted_at),
        "received_at": iso(item.received_at),
        "link": item.link,
        "media": list(item.media),
        "thread_id": item.thread_id,
        "redacted": item.redacted,
    }


def case_json(row: QueueRow, items: tuple[ItemView, ...]) -> dict[str, Any]:
    """Return one case as ``desk-admin queue --json`` prints it: the row and its items."""
    return {
        "case_id": row.case_id,
        "priority": priority_label(row.priority),
        "status": row.status,
        "risk": list(row.risk),
        "owner": row.owner,
        "opened_at": iso(row.opened_at),
        "due_at": iso(row.due_at),
        "platform": row.platform,
        "account": row.account,
        "author": row.author,
        "summary": row.summary,
        "item_count": row.item_count,
        "language": row.language,
        "kind": row.kind,
        "needs_assessment": row.needs_assessment,
        "items": [item_json(i) for i in items],
    }


def _match_json(match: MatchView) -> dict[str, Any]:
    return {
        "rule": match.rule_id,
        "category": match.category,
        "severity": match.severity,
        "spans": [list(span) for span in match.spans],
        "matched": list(match.matched),
    }


def _timeline_json(entry: TimelineEntry) -> dict[str, Any]:
    return {"at": iso(entry.at), "actor": entry.actor, "kind": entry.kind, "text": entry.text}


def _assessment_json(view: AssessmentView) -> dict[str, Any]:
    return {
        "version": view.version,
        "at": iso(view.at),
        "actor": view.actor,
        "grade": view.grade,
        **view.factors,
    }


def detail_json(detail: CaseDetail) -> dict[str, Any]:
    """Return one case in full, as ``desk-admin case show --json`` prints it."""
    found = case_json(detail.row, ())
    found["items"] = [
        {**item_json(i), "matches": [_match_json(m) for m in i.matches]} for i in detail.items
    ]
    found["thread"] = [item_json(i) for i in detail.thread]
    found["author_items"] = detail.author_items
    found["author_cases"] = list(detail.author_cases)
    found["assessments"] = [_assessment_json(a) for a in detail.assessments]
    found["timeline"] = [_timeline_json(t) for t in detail.timeline]
    found["viewers"] = list(detail.viewers)
    return found


def write_json_array(out: TextIO, elements: Iterable[Any]) -> int:
    """Write ``elements`` as one JSON array, one element a line, as they come; return how many.

    An empty iterable gives ``[]``. Nothing is held in memory but the element being written, so
    a queue of any size streams; the output is still a single JSON document (ASCII only).
    """
    count = 0
    for data in elements:
        out.write(("[\n" if count == 0 else ",\n") + json.dumps(data, ensure_ascii=True))
        count += 1
    out.write("[]\n" if count == 0 else "\n]\n")
    return count
