"""Tell an import file's format from its name and first characters (docs/import-format.md).

1. ``.csv`` or ``.tsv``: CSV.
2. Otherwise look at the first character that is not white space:
   - ``{`` on a line that is a whole JSON object by itself: JSON Lines. A record with
     ``"type": "Create"`` (or another activity type) is ActivityStreams; one with
     ``platform`` and ``posted_at`` is Desk's own format. A single-line file holding a whole
     document (``data``, ``orderedItems``...) is read as a document, as below.
   - ``{`` or ``[`` otherwise: one JSON document. An object with ``"type"`` Collection or
     OrderedCollection (or ``orderedItems``) is ActivityStreams; an object with a ``data`` list
     is X API v2 when its entries have ``author_id``/``edit_history_tweet_ids`` or the response
     has ``includes``, and Facebook Graph when they have ``created_time``/``from``/``message``
     or the response has ``paging`` (an object with a ``comments`` edge holding ``data`` is one
     Facebook post with its comments); a list of objects with ``content`` and ``account`` is
     Mastodon statuses, with ``type`` and ``status`` Mastodon notifications, with
     ``last_status`` Mastodon conversations; an object with ``notification_groups`` (grouped
     notifications), ``ancestors``/``descendants`` (a thread context) or a status's ``id``,
     ``content``, ``account`` and ``created_at`` is Mastodon; an object with a
     ``notifications`` list whose entries have a ``reason``, or with a ``thread`` holding a
     ``post``, is Bluesky. An ActivityStreams ``type`` may be a list of types.
   - anything else: CSV when the first line has a comma, semicolon or tab.
3. Anything else, or a document that fits no rule (an empty list, say), is refused with a
   request to name the format.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desk.ingest.errors import NESTED_TOO_DEEPLY, FormatNotRecognised, ImportRefused
from desk.ingest.json_document import JsonDocument, load_json_document

__all__ = ["FORMATS", "detect_format", "is_json_lines", "load_document", "sniff"]

FORMATS = ("jsonl", "csv", "activitystreams", "mastodon", "x_v2", "facebook_graph", "bluesky")

_HEAD = 64 * 1024
_ACTIVITY_TYPES = {
    "Create",
    "Update",
    "Delete",
    "Announce",
    "Like",
    "Follow",
    "Undo",
    "Add",
    "Remove",
    "Flag",
    "Block",
    "Accept",
    "Reject",
}
_COLLECTIONS = {"Collection", "OrderedCollection", "CollectionPage", "OrderedCollectionPage"}


def _not_recognised(path: Path, why: str) -> FormatNotRecognised:
    return FormatNotRecognised(
        path, f"cannot tell its format ({why}); name it with --format: {', '.join(FORMATS)}"
    )


def load_document(path: Path) -> JsonDocument:
    """Parse the whole file as one JSON document, refusing it with line and column if broken.

    The document keeps the file's text, to cut each record's exact bytes from it.
    """
    return load_json_document(path)


def _type(document: dict[str, Any]) -> str | None:
    """An ActivityStreams ``type``: one name, or the activity or collection type in a list."""
    kind = document.get("type")
    names = [
        n.removeprefix("https://www.w3.org/ns/activitystreams#").removeprefix("as:")
        for n in (kind if isinstance(kind, list) else [kind])
        if isinstance(n, str)
    ]
    known = [n for n in names if n in _ACTIVITY_TYPES | _COLLECTIONS]
    if known:
        return known[0]
    return kind if isinstance(kind, str) else None


def _mastodon_or_bluesky(document: dict[str, Any]) -> str | None:
    """A Mastodon response that is an object, or a Bluesky one (S17-B's shapes)."""
    if "notification_groups" in document:
        return "mastodon"  # /api/v2/notifications
    if {"ancestors", "descendants"} & document.keys() and "content" not in document:
        return "mastodon"  # /api/v1/statuses/:id/context
    if {"id", "content", "account", "created_at"} <= document.keys():
        return "mastodon"  # one status
    notifications = document.get("notifications")
    if isinstance(notifications, list) and (
        not notifications or (isinstance(notifications[0], dict) and "reason" in notifications[0])
    ):
        return "bluesky"  # app.bsky.notification.listNotifications
    thread = document.get("thread")
    if isinstance(thread, dict) and (
        "post" in thread or str(thread.get("$type", "")).startswith("app.bsky.feed.defs#")
    ):
        return "bluesky"  # app.bsky.feed.getPostThread
    return None


def sniff(document: Any) -> str | None:
    """The format of a parsed JSON document, or None when it fits no rule."""
    if isinstance(document, dict):
        kind = _type(document)
        if kind in _COLLECTIONS or "orderedItems" in document:
            return "activitystreams"
        if kind in _ACTIVITY_TYPES:
            return "activitystreams"  # a single activity: one JSON Lines record
        data = document.get("data")
        if isinstance(data, dict):
            data = [data]
        if isinstance(data, list):
            first = data[0] if data and isinstance(data[0], dict) else {}
            if {"author_id", "edit_history_tweet_ids", "conversation_id"} & first.keys():
                return "x_v2"
            if {"created_time", "from", "message", "permalink_url"} & first.keys():
                return "facebook_graph"
            if "includes" in document or "result_count" in (document.get("meta") or {}):
                return "x_v2"
            if "paging" in document:
                return "facebook_graph"
            return None
        if "platform" in document and {"posted_at", "author_handle", "kind"} & document.keys():
            return "jsonl"
        comments = document.get("comments")
        if isinstance(comments, dict) and isinstance(comments.get("data"), list):
            return "facebook_graph"  # one Graph API post (photo, album) with its comments
        return _mastodon_or_bluesky(document)
    if isinstance(document, list) and document and isinstance(document[0], dict):
        first = document[0]
        if "content" in first and "account" in first:
            return "mastodon"
        if "type" in first and ("status" in first or "account" in first):
            return "mastodon"
        if "last_status" in first or {"accounts", "unread"} <= first.keys():
            return "mastodon"  # /api/v1/conversations
    return None


def _first_line(path: Path) -> tuple[str, bool]:
    """The first non-blank line (BOM removed), and whether more non-blank lines follow."""
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "", False
    return lines[0].strip(), len(lines) > 1


def is_json_lines(path: Path) -> bool:
    """Whether the first non-blank line is a whole JSON object that is not a collection."""
    try:
        first, _ = _first_line(path)
        record = json.loads(first)
    except (OSError, json.JSONDecodeError, RecursionError):
        return False
    return (
        isinstance(record, dict)
        and sniff(record) in {"jsonl", "activitystreams", None}
        and (_type(record) not in _COLLECTIONS and "orderedItems" not in record)
    )


def detect(path: Path) -> tuple[str, JsonDocument | None]:
    """Return the format of ``path`` and, for a JSON document, the document read whole.

    Raises:
        ImportRefused: the file is empty or cannot be read.
        FormatNotRecognised: the format cannot be told.
    """
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv"}:
        return "csv", None
    try:
        first, more = _first_line(path)
    except OSError as exc:
        raise ImportRefused(path, f"cannot be read ({exc.strerror})") from None
    if not first:
        raise ImportRefused(path, "the file is empty")
    if first.startswith("{"):
        try:
            record = json.loads(first)
        except json.JSONDecodeError:
            record = None
        except RecursionError:  # a crafted line: said as the reader says it, never a crash
            raise ImportRefused(path, NESTED_TOO_DEEPLY, line=1) from None
        if isinstance(record, dict):
            found = sniff(record)
            if found == "activitystreams" and _type(record) in _ACTIVITY_TYPES:
                return "activitystreams", None  # JSON Lines of activities
            if found == "jsonl":
                return "jsonl", None
            if found is not None and not more:
                return found, load_document(path)  # the whole line, to cut records from
            raise _not_recognised(path, "the first line is a JSON object of no known kind")
    if first.startswith(("{", "[")):
        document = load_document(path)
        found = sniff(document.value)
        if found is None or found == "jsonl":
            raise _not_recognised(path, "a JSON document of no known kind")
        return found, document
    if any(sep in first for sep in ",;\t"):
        return "csv", None
    raise _not_recognised(path, "neither JSON nor CSV")


def detect_format(path: Path) -> str:
    """Return the name of the format of ``path`` (one of :data:`FORMATS`).

    Raises:
        ImportRefused: the file is empty or cannot be read.
        FormatNotRecognised: the format cannot be told; ask for one.
    """
    return detect(path)[0]
