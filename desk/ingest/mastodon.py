"""Mastodon API JSON: a list of Status entities, or a list of notifications carrying statuses.

The author is ``account`` (handle ``@acct``); ``content`` is HTML, turned into text with line
breaks kept; a content warning (``spoiler_text``) is put first, marked "CW:". Visibility
``direct`` is a direct message; ``in_reply_to_id`` makes a reply and is the thread; otherwise
a mention. The official account is the mentioned account the importer named, or the only
mention, or the mentioned account the status replies to; otherwise the file does not say.
Notifications other than ``mention`` (follows, favourites, boosts...) are passed over.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.ingest.detect import load_document
from desk.ingest.errors import ImportRefused
from desk.ingest.html_text import html_to_text
from desk.ingest.json_document import JsonDocument
from desk.ingest.source import Source
from desk.ingest.validation import Id, Name, UtcTime, nfc, refusal, same_account

__all__ = ["Notification", "Status", "read"]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Account(_Lenient):
    """A Mastodon account."""

    id: Id
    username: Name
    acct: Name
    display_name: Name = ""


class Mention(_Lenient):
    """An account a status mentions."""

    id: Id
    username: Name
    acct: Name


class MediaAttachment(_Lenient):
    """A picture or video on a status."""

    id: Id
    type: str = "unknown"
    url: str | None = None
    remote_url: str | None = None


class Status(_Lenient):
    """A Mastodon Status entity."""

    id: Id
    uri: str | None = None
    url: str | None = None
    created_at: UtcTime
    account: Account
    content: str
    spoiler_text: str = ""
    visibility: str = "public"
    in_reply_to_id: Id | None = None
    in_reply_to_account_id: Id | None = None
    media_attachments: list[MediaAttachment] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


class Notification(_Lenient):
    """A Mastodon notification; only ``mention`` notifications carry items."""

    id: Id
    type: str
    created_at: UtcTime
    account: Account
    status: Status | None = None


_STATUSES = TypeAdapter(list[Status])
_NOTIFICATIONS = TypeAdapter(list[Notification])


def _official(status: Status, wanted: str | None) -> str | None:
    handles = [(m.id, f"@{m.acct}") for m in status.mentions]
    if wanted is not None and any(same_account(h, wanted) for _, h in handles):
        return wanted
    if len(handles) == 1:
        return handles[0][1]
    replied = [h for i, h in handles if i == status.in_reply_to_account_id]
    return replied[0] if len(replied) == 1 else None


def _item(source: Source, status: Status, where: str) -> IncomingItem:
    text = html_to_text(status.content)
    if status.spoiler_text.strip():
        text = f"CW: {status.spoiler_text.strip()}\n\n{text}".strip()
    media = tuple(m for m in (a.url or a.remote_url for a in status.media_attachments) if m)
    if not text and not media:
        raise ImportRefused(
            source.path,
            "is empty, and the status has no media",
            json_path=f"{where}.content",
            field="content",
        )
    if status.visibility == "direct":
        kind = ItemKind.DIRECT_MESSAGE
    elif status.in_reply_to_id:
        kind = ItemKind.REPLY
    else:
        kind = ItemKind.MENTION
    return IncomingItem(
        platform=Platform.MASTODON,
        account=_official(status, source.account) or source.account,
        kind=kind,
        platform_id=status.id,
        author=Author(status.account.id, f"@{status.account.acct}", status.account.display_name),
        text=nfc(text),
        posted_at=status.created_at,
        link=status.url or status.uri,
        media=media,
        thread_id=status.in_reply_to_id,
    )


def _is_notifications(document: list[Any]) -> bool:
    first = next((d for d in document if isinstance(d, dict)), {})
    return "content" not in first and ("status" in first or "type" in first)


def _kept(item: IncomingItem, loaded: JsonDocument, index: int) -> IncomingItem:
    """The item with its record's bytes: the list's element (status or notification)."""
    return replace(item, original=loaded.raw(f"$[{index}]"))


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each status (or mention notification), with its JSON path."""
    loaded = source.document if source.document is not None else load_document(source.path)
    document = loaded.value
    if not isinstance(document, list):
        raise ImportRefused(
            source.path, "should be a list of statuses or notifications", json_path="$"
        )
    try:
        if _is_notifications(document):
            notifications = _NOTIFICATIONS.validate_python(document)
            for index, notification in enumerate(notifications):
                if notification.type != "mention" or notification.status is None:
                    source.skipped += 1
                    continue
                where = f"$[{index}].status"
                item = _item(source, notification.status, where)
                yield _kept(item, loaded, index), where
        else:
            for index, status in enumerate(_STATUSES.validate_python(document)):
                item = _item(source, status, f"$[{index}]")
                yield _kept(item, loaded, index), f"$[{index}]"
    except ValidationError as exc:
        raise refusal(source.path, exc, prefix="$") from None
