"""A leaver's review: which of their actions a supervisor reads, and how a row is put."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

# a leaver under investigation: the actions of this long before they were disabled are listed
REVIEW_PERIOD = timedelta(days=30)
# the columns of the review as listed and exported (times in UTC)
COLUMNS = ("time (UTC)", "action", "object", "case")


def review_window(disabled_at: datetime) -> tuple[datetime, datetime]:
    """Return the period reviewed: from 30 days before disabling (inclusive) until it (exclusive).

    The disabling itself (and the sessions it ended) is at ``disabled_at``, recorded by the
    administrator: it is not one of the leaver's actions.
    """
    return disabled_at - REVIEW_PERIOD, disabled_at


def case_of(obj: str, details: str) -> int | None:
    """Return the case an audit entry is about: its object ``case:N``, else a ``case`` detail."""
    if obj.startswith("case:"):
        number = obj.removeprefix("case:")
        return int(number) if number.isdigit() else None
    try:
        values = json.loads(details) if details else {}
    except ValueError:
        return None
    if not isinstance(values, dict):
        return None
    for key in ("case", "case_id"):
        value = values.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None
