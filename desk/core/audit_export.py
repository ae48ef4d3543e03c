"""The audit log exported: CSV for a spreadsheet, JSON for a script, both marked."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol, TextIO

from desk.core.csv_safety import write_csv
from desk.core.marking import marked

HEADER = ("seq", "at (UTC)", "actor", "action", "object", "details")


class Entry(Protocol):
    """An audit entry as read (AuditView, AuditRecord)."""

    @property
    def seq(self) -> int: ...  # noqa: D102
    @property
    def at(self) -> str: ...  # noqa: D102
    @property
    def actor(self) -> str: ...  # noqa: D102
    @property
    def action(self) -> str: ...  # noqa: D102
    @property
    def object(self) -> str: ...  # noqa: D102
    @property
    def details(self) -> str: ...  # noqa: D102


def details_value(text: str) -> Any:
    """Return an entry's details as data (the stored text when it is not JSON)."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def entry_json(e: Entry) -> dict[str, Any]:
    """Return one entry as plain JSON values."""
    return {
        "seq": e.seq,
        "at": e.at,
        "actor": e.actor,
        "action": e.action,
        "object": e.object,
        "details": details_value(e.details),
    }


def write_audit_csv(out: TextIO, entries: Sequence[Entry], marking: str) -> int:
    """Write entries as marked, formula-safe CSV; return how many."""
    rows = ((e.seq, e.at, e.actor, e.action, e.object, e.details) for e in entries)
    return write_csv(out, HEADER, rows, marking)


def audit_json(
    entries: Sequence[Entry],
    marking: str,
    filters: dict[str, object],
    exported_at: str,
    exported_by: str,
) -> dict[str, Any]:
    """Return the marked JSON export: who, when, which filter, and the entries."""
    return marked(
        {
            "exported_at": exported_at,
            "exported_by": exported_by,
            "filters": filters,
            "entries": [entry_json(e) for e in entries],
        },
        marking,
    )
