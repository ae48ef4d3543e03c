"""Mastodon API JSON, in each shape the API returns statuses in.

- a list of Status entities (a timeline, search results, ``/api/v1/accounts/:id/statuses``);
  a boost (``reblog`` set) is passed over and counted;
- a single Status (``GET /api/v1/statuses/:id``);
- a thread context (``GET /api/v1/statuses/:id/context``: ``{ancestors, descendants}``): every
  status in it;
- notifications (``GET /api/v1/notifications``, a list): ``mention`` and ``quote``
  notifications carry a status; the others (favourites, boosts, follows, polls, edits...) are
  passed over and counted;
- grouped notifications (``GET /api/v2/notifications``: ``{accounts, statuses,
  notification_groups}``): a ``mention`` or ``quote`` group's status is looked up by its
  ``status_id`` in ``statuses``; the other groups are passed over, each notification in them
  counted;
- conversations (``GET /api/v1/conversations``: a list of ``{id, unread, accounts,
  last_status}``): each conversation's last status.

The author is ``account`` (handle ``@acct``); ``content`` is HTML, turned into text with line
breaks kept; a content warning (``spoiler_text``) is put first, marked "CW:". Visibility
``direct`` is a direct message; ``in_reply_to_id`` makes a reply, and is the post it replies
to; otherwise a mention. A status is addressed to the account it replies to, then the accounts
it mentions; the import places it on the first that is an official account, or by its
conversation (the force's own statuses, recognised by their author, are kept as context).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from desk.core.items import Author, IncomingItem, ItemKind, PassReason, Platform
from desk.ingest.errors import ImportRefused
from desk.ingest.html_text import html_to_text
from desk.ingest.json_document import JsonDocument, load_json_document
from desk.ingest.source import Source
from desk.ingest.validation import Id, Name, UtcTime, nfc, refusal

__all__ = ["Notification", "Status", "read", "shape"]

# notification types that carry a status addressed to the account
_ITEM_TYPES = {"mention", "quote"}
# why the other notification types are passed over
_PASSED_TYPES = {
    "favourite": PassReason.REACTION,
    "reaction": PassReason.REACTION,
    "reblog": PassReason.REPOST,
    "follow": PassReason.FOLLOW,
    "follow_request": PassReason.FOLLOW,
    "poll": PassReason.NOT_AN_ITEM,
    "update": PassReason.NOT_AN_ITEM,
    "quoted_update": PassReason.NOT_AN_ITEM,
    "severed_relationships": PassReason.NOT_AN_ITEM,
    "moderation_warning": PassReason.NOT_AN_ITEM,
    "admin.sign_up": PassReason.NOT_AN_ITEM,
    "admin.report": PassReason.NOT_AN_ITEM,
    "annual_report": PassReason.NOT_AN_ITEM,
}


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
    """A Mastodon notification (``/api/v1/notifications``)."""

    id: Id
    type: str
    created_at: UtcTime
    account: Account
    status: dict[str, Any] | None = None


class NotificationGroup(_Lenient):
    """One group of ``/api/v2/notifications`` (notifications of one kind about one status)."""

    group_key: Id
    type: str
    notifications_count: int = Field(default=1, ge=0)
    status_id: Id | None = None


class Conversation(_Lenient):
    """One conversation of ``/api/v1/conversations``."""

    id: Id
    last_status: dict[str, Any] | None = None


def shape(document: Any) -> str | None:
    """Which Mastodon response ``document`` is, or None when it is none of them.

    One of ``statuses``, ``status``, ``context``, ``notifications``, ``grouped_notifications``,
    ``conversations``; an empty list is ``statuses`` (a timeline with nothing in it).
    """
    if isinstance(document, dict):
        if "notification_groups" in document:
            return "grouped_notifications"
        if {"ancestors", "descendants"} & document.keys() and "content" not in document:
            return "context"
        if {"id", "content", "account", "created_at"} <= document.keys():
            return "status"
        return None
    if not isinstance(document, list):
        return None
    first = next((d for d in document if isinstance(d, dict)), None)
    if first is None:
        return "statuses" if not document else None
    if "content" in first and "account" in first:
        return "statuses"
    if "last_status" in first or ("accounts" in first and "unread" in first):
        return "conversations"
    if "type" in first and ("status" in first or "account" in first):
        return "notifications"
    return None


class _Accounts:
    """The ``@acct`` of each account id the file names (to say whom a reply is addressed to)."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}

    def learn(self, value: Any) -> None:
        """Remember every account object (``id``, ``username``, ``acct``) found in ``value``."""
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                ident, acct = node.get("id"), node.get("acct")
                if isinstance(ident, str) and isinstance(acct, str) and "username" in node:
                    self.by_id.setdefault(ident, acct)
                stack.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                stack.extend(v for v in node if isinstance(v, dict | list))


def _addressed(status: Status, accounts: _Accounts) -> tuple[str, ...]:
    """The account the status replies to, then the accounts it mentions, as ``@acct``."""
    found: list[str] = []
    replied = status.in_reply_to_account_id
    if replied is not None:
        acct = next((m.acct for m in status.mentions if m.id == replied), None)
        acct = acct or accounts.by_id.get(replied)
        if acct:
            found.append(f"@{acct}")
    found += [f"@{m.acct}" for m in status.mentions]
    return tuple(dict.fromkeys(found))


def _item(source: Source, status: Status, where: str, accounts: _Accounts) -> IncomingItem:
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
        account=source.account,
        kind=kind,
        platform_id=status.id,
        author=Author(status.account.id, f"@{status.account.acct}", status.account.display_name),
        text=nfc(text),
        posted_at=status.created_at,
        link=status.url or status.uri,
        media=media,
        thread_id=status.in_reply_to_id,
        addressed=_addressed(status, accounts),
        reply_to=status.in_reply_to_id,
        where=where,
    )


def _validate(source: Source, model: type[_Lenient], value: Any, where: str) -> Any:
    if not isinstance(value, dict):
        raise ImportRefused(
            source.path, f"should be an object, not {_kind(value)}", json_path=where
        )
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise refusal(source.path, exc, prefix=where) from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, int | float) else type(value).__name__


class _Reading:
    """One file being read: its document, what it says of accounts, and the source."""

    def __init__(self, source: Source, loaded: JsonDocument) -> None:
        self.source = source
        self.loaded = loaded
        self.accounts = _Accounts()
        self.accounts.learn(loaded.value)

    def status(
        self, value: Any, where: str, kept: str | None = None
    ) -> tuple[IncomingItem, str] | None:
        """The item of the status at ``where`` (its bytes cut at ``kept``), None for a boost."""
        if isinstance(value, dict) and isinstance(value.get("reblog"), dict):
            self.source.pass_over(where, PassReason.REPOST)
            return None
        status: Status = _validate(self.source, Status, value, where)
        item = _item(self.source, status, where, self.accounts)
        return replace(item, original=self.loaded.raw(kept or where)), where

    def statuses(self, values: Any, where: str) -> Iterator[tuple[IncomingItem, str]]:
        """Every status of the list at ``where`` (``$`` or ``$.ancestors``)."""
        if not isinstance(values, list):
            raise ImportRefused(
                self.source.path,
                f"should be a list of statuses, not {_kind(values)}",
                json_path=where,
            )
        for index, value in enumerate(values):
            found = self.status(value, f"{where}[{index}]")
            if found is not None:
                yield found

    def notifications(self) -> Iterator[tuple[IncomingItem, str]]:
        for index, value in enumerate(self.loaded.value):
            where = f"$[{index}]"
            notification: Notification = _validate(self.source, Notification, value, where)
            if notification.type not in _ITEM_TYPES or notification.status is None:
                reason = _PASSED_TYPES.get(notification.type, PassReason.UNSUPPORTED)
                self.source.pass_over(where, reason)
                continue
            found = self.status(notification.status, f"{where}.status", kept=where)
            if found is not None:
                yield found

    def grouped(self) -> Iterator[tuple[IncomingItem, str]]:
        document = self.loaded.value
        statuses = document.get("statuses", [])
        groups = document.get("notification_groups")
        for name, value in (("statuses", statuses), ("notification_groups", groups)):
            if not isinstance(value, list):
                raise ImportRefused(
                    self.source.path,
                    f"should be a list, not {_kind(value)}",
                    json_path=f"$.{name}",
                    field=name,
                )
        places = {s.get("id"): i for i, s in enumerate(statuses) if isinstance(s, dict)}
        for index, value in enumerate(groups):
            where = f"$.notification_groups[{index}]"
            group: NotificationGroup = _validate(self.source, NotificationGroup, value, where)
            if group.type not in _ITEM_TYPES or group.status_id is None:
                reason = _PASSED_TYPES.get(group.type, PassReason.UNSUPPORTED)
                for _ in range(max(group.notifications_count, 1)):
                    self.source.pass_over(where, reason)
                continue
            place = places.get(group.status_id)
            if place is None:
                raise ImportRefused(
                    self.source.path,
                    f"names status {group.status_id!r}, which is not in $.statuses; export the "
                    "response whole",
                    json_path=f"{where}.status_id",
                    field="status_id",
                )
            found = self.status(statuses[place], f"$.statuses[{place}]")
            if found is not None:
                yield found

    def conversations(self) -> Iterator[tuple[IncomingItem, str]]:
        for index, value in enumerate(self.loaded.value):
            where = f"$[{index}]"
            conversation: Conversation = _validate(self.source, Conversation, value, where)
            if conversation.last_status is None:
                self.source.pass_over(where, PassReason.NOT_AN_ITEM)
                continue
            found = self.status(conversation.last_status, f"{where}.last_status", kept=where)
            if found is not None:
                yield found

    def context(self) -> Iterator[tuple[IncomingItem, str]]:
        document = self.loaded.value
        for name in ("ancestors", "descendants"):
            yield from self.statuses(document.get(name, []), f"$.{name}")


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each status the response holds, with its JSON path."""
    loaded = source.document if source.document is not None else load_json_document(source.path)
    kind = shape(loaded.value)
    reading = _Reading(source, loaded)
    if kind == "statuses":
        yield from reading.statuses(loaded.value, "$")
    elif kind == "status":
        found = reading.status(loaded.value, "$")
        if found is not None:
            yield found
    elif kind == "context":
        yield from reading.context()
    elif kind == "notifications":
        yield from reading.notifications()
    elif kind == "grouped_notifications":
        yield from reading.grouped()
    elif kind == "conversations":
        yield from reading.conversations()
    else:
        raise ImportRefused(
            source.path,
            "should be a list of statuses, notifications or conversations, one status, a "
            "thread context ({ancestors, descendants}) or grouped notifications "
            "({notification_groups, statuses}), as the Mastodon API returns them",
            json_path="$",
        )
