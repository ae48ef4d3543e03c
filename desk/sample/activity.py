"""Pretend a desk has been worked: first actions, closures, escalations and a coverage gap.

The same cases get the same history each time (spread by case id, not by chance).

For the dashboard's screenshots and benchmark only (a demo or benchmark profile): it writes
straight to a SQLite database with set-based SQL, so it is quick on a million items, and it
writes no audit entries (nothing here happened).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, text
from sqlalchemy.orm import Session

from desk.store.db import Database

# minutes to a first action are drawn up to these, per priority: most meet the target
_SPREAD = {1: 24, 2: 80, 3: 300, 4: 1700}
_TARGETS = (
    ("command", "Duty inspector"),
    ("safeguarding", "Safeguarding hub"),
    ("call_for_service", "Force control room"),
    ("intelligence", "Intelligence bureau"),
)


def _changed(s: Session, statement: Any, params: dict[str, Any] | None = None) -> int:
    return int(cast(CursorResult[Any], s.execute(statement, params or {})).rowcount)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def simulate_activity(db: Database, now: datetime, close: bool = True) -> dict[str, int]:
    """Fill in a worked desk's history up to ``now``; return how many rows were touched.

    With ``close``, P3 and P4 cases acted on are closed by the operators (for quality review).
    """
    if not db.is_sqlite:
        raise ValueError("the activity simulation writes SQLite only")
    cutoff = _stamp(now - timedelta(minutes=20))
    latest = _stamp(now - timedelta(minutes=5))  # nothing is done in the future
    counts: dict[str, int] = {}
    with db.write() as s:
        acted = 0
        for priority, spread in _SPREAD.items():
            acted += _changed(
                s,
                text(
                    "UPDATE cases SET first_action_at = min(:latest, "
                    "strftime('%Y-%m-%d %H:%M:%S.000000', opened_at, "
                    "printf('+%d minutes', 1 + (id * 2654435761 + 17) % 1000003 % :spread))) "
                    "WHERE priority = :p AND first_action_at IS NULL AND opened_at < :cutoff "
                    "AND (id * 40503 + 7) % 100 < 88"
                ),
                {"spread": spread, "p": priority, "cutoff": cutoff, "latest": latest},
            )
        counts["acted"] = acted
        operators = [
            r[0] for r in s.execute(text("SELECT id FROM accounts WHERE role = 'operator'"))
        ]
        counts["closed"] = 0
        for i, operator in enumerate(operators if close else []):
            counts["closed"] += _changed(
                s,
                text(
                    "UPDATE cases SET status = 'closed', outcome = 'no_action', "
                    "closed_at = strftime('%Y-%m-%d %H:%M:%S.000000', first_action_at, "
                    "'+3 minutes'), owner_id = :owner, claimed_at = opened_at "
                    "WHERE first_action_at IS NOT NULL AND status = 'new' AND priority >= 3 "
                    "AND id % :n = :i"
                ),
                {"owner": operator, "n": len(operators), "i": i},
            )
        for kind, name in _TARGETS:
            s.execute(
                text(
                    "INSERT OR IGNORE INTO escalation_targets (kind, name, area, email, phone, "
                    "instructions, active) VALUES (:k, :n, '', '', '', '', 1)"
                ),
                {"k": kind, "n": name},
            )
        counts["escalated"] = _changed(
            s,
            text(
                "INSERT INTO escalations (case_id, target_id, kind, urgency, summary, body, "
                "created_at, created_by, deadline_at, acknowledged_at, acknowledged_by, "
                "ack_recorded_by, ack_note) "
                "SELECT c.id, t.id, t.kind, 'immediate', c.summary, '', c.first_action_at, "
                "'demo', strftime('%Y-%m-%d %H:%M:%S.000000', c.first_action_at, '+15 minutes'),"
                " CASE WHEN (c.id * 7919) % 10 < 8 THEN min(:now, "
                "strftime('%Y-%m-%d %H:%M:%S.000000', c.first_action_at, "
                "printf('+%d minutes', 2 + (c.id * 104729) % 25))) END, "
                "NULL, NULL, '' "
                "FROM cases c JOIN escalation_targets t ON t.area = '' AND t.kind = "
                "CASE c.id % 4 WHEN 0 THEN 'command' WHEN 1 THEN 'safeguarding' "
                "WHEN 2 THEN 'call_for_service' ELSE 'intelligence' END "
                "WHERE c.priority <= 2 AND c.first_action_at IS NOT NULL "
                "AND c.first_escalated_at IS NULL"
            ),
            {"now": _stamp(now)},
        )
        s.execute(
            text(
                "UPDATE escalations SET acknowledged_by = 'Insp 1234 Jones', "
                "ack_recorded_by = 'demo' WHERE acknowledged_at IS NOT NULL "
                "AND acknowledged_by IS NULL"
            )
        )
        s.execute(
            text(
                "UPDATE cases SET first_escalated_at = first_action_at, status = 'escalated' "
                "WHERE first_escalated_at IS NULL AND id IN (SELECT case_id FROM escalations) "
                "AND status != 'closed'"
            )
        )
        gap_start = (now - timedelta(hours=7)).replace(minute=0, second=0, microsecond=0)
        s.execute(
            text(
                "INSERT INTO coverage_periods (starts_at, ends_at, reason, platform, "
                "risk_accepted, recorded_at, recorded_by) VALUES (:a, :b, 'platform_outage', "
                "'x', 'X unavailable; Facebook and Instagram still monitored', :a, 'demo')"
            ),
            {"a": _stamp(gap_start), "b": _stamp(gap_start + timedelta(minutes=90))},
        )
        counts["coverage"] = 1
    return counts
