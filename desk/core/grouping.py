"""How arriving items become cases: which items share a case, and what joining one changes.

An author's items go to one case per thread (or per direct-message conversation) while they
keep coming: an item joins the author's open case with the same thread key when that case's
last item is no older than the joining window; otherwise it opens a new case.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.core.items import IncomingItem, ItemKind

DEFAULT_JOIN_WINDOW = timedelta(hours=2)
"""How long after a case's last item another item from the same author and thread joins it."""
SUMMARY_LENGTH = 200
MEDIA_ONLY = "(media only)"
"""The summary of an item with no text."""


def thread_key(item: IncomingItem) -> str:
    """Return what groups an author's items into one case: the thread, or the conversation."""
    if item.thread_id:
        return f"thread:{item.thread_id}"
    if item.kind is ItemKind.DIRECT_MESSAGE:
        return "dm"
    return f"item:{item.platform_id}"


def summary_of(text: str) -> str:
    """Return the first line of an item's text, short enough for a queue row."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= SUMMARY_LENGTH else first[: SUMMARY_LENGTH - 1] + "…"


def case_summary(text: str) -> str:
    """Return a case's summary from its first item's text (a marker when it has none)."""
    return summary_of(text) or MEDIA_ONLY


def joins(last_item_at: datetime, received_at: datetime, window: timedelta) -> bool:
    """Tell whether a new item joins an open case of the same author and thread key.

    ``last_item_at`` is when the case's last item came; ``received_at`` the new item's time.
    """
    return received_at - last_item_at <= window


def asks_for_assessment(graded: bool, risky: bool) -> bool:
    """Tell whether a new item in a case asks for a (re-)assessment of it.

    A risky item always does; any item does once the case has a THRIVE grade, since the grade
    was given without it.
    """
    return graded or risky
