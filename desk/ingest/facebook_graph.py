"""Facebook Graph API comments: ``{"data": [comment, ...], "paging": {...}}``.

Three shapes are read:

- a comments edge (``/{object-id}/comments``): ``{"data": [comment, ...], "paging": ...}``;
- a feed (``/{page-id}/feed?fields=...,comments``): ``{"data": [post, ...]}``, each post with its
  ``comments`` edge nested in it (``data``, ``paging``, ``summary``);
- one post, photo or album with its comments (``/{post-id}?fields=comments``): an object with a
  ``comments`` edge and no ``data``.

Each comment has ``id``, ``message``, ``from{id,name}``, ``created_time`` (such as
``2026-11-26T09:14:03+0000``), and may have ``parent{id}``, ``permalink_url``, ``attachment``,
``message_tags`` and nested replies (``comments.data``), which are read too. A comment with a
parent (or nested under one) is a reply, and its thread is the parent comment; a top-level
comment is a comment, and its thread is the post (the post it is nested in, else the part of
its id before ``_``). Facebook has no handles: the author's name stands for one. The Graph API
leaves ``from`` out when the page's app may not see the commenter: such a comment is stored
under an "unknown commenter" author keyed by the comment's id
(desk.core.items.unknown_author), and the case says so.

An entry of ``data`` is a post, not a comment, when it has a field only posts have
(``status_type``, ``attachments``, ``full_picture``, ``updated_time``, ``story``...), and the
object of a single-object response is one too. A post that names its author (``from``) is read
as an item (a post by the page itself is the force's own post, kept as thread context); a post
that does not is passed over (UNSUPPORTED): a page's feed leaves ``from`` out of the page's own
posts unless asked, and Desk cannot tell whose it is. The response does not name the page, so
the importer is asked for the official account; a comment by the page itself (its name) is the
force's own post. Paging is ignored: import each page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from desk.core.items import (
    Author,
    IncomingItem,
    ItemKind,
    PassReason,
    Platform,
    unknown_author,
)
from desk.ingest.errors import ImportRefused
from desk.ingest.json_document import load_json_document
from desk.ingest.paths import child, refuse
from desk.ingest.source import Source
from desk.ingest.validation import Id, Name, Text, UtcTime, refusal

__all__ = ["POST_FIELDS", "Comment", "Entry", "Post", "Response", "read"]

# Fields of the Graph API Post (and Photo, Album, Video) node that a Comment never has.
POST_FIELDS = frozenset(
    {
        "status_type",
        "attachments",
        "full_picture",
        "updated_time",
        "story",
        "shares",
        "privacy",
        "is_published",
        "picture",
        "icon",
        "type",
        "to",
        "place",
        "actions",
        "properties",
        "timeline_visibility",
        "promotion_status",
        "call_to_action",
        "name",
        "description",
        "link",
        "caption",
    }
)


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class From(_Lenient):
    """Who wrote the comment."""

    id: Id
    name: Name = ""


class Parent(_Lenient):
    """The comment this one replies to."""

    id: Id


class Image(_Lenient):
    """An attachment's picture."""

    src: str


class AttachmentMedia(_Lenient):
    """An attachment's media."""

    image: Image | None = None


class Attachment(_Lenient):
    """A picture, sticker, video or link on a comment."""

    type: str | None = None
    url: str | None = None
    media: AttachmentMedia | None = None


class Comment(_Lenient):
    """One Graph API comment."""

    id: Id
    message: Text = ""
    # left out when the page's app may not see the commenter
    from_: From | None = Field(default=None, alias="from")
    created_time: UtcTime
    parent: Parent | None = None
    permalink_url: str | None = None
    attachment: Attachment | None = None
    comments: Replies | None = None


class Replies(_Lenient):
    """Replies nested under a comment, or the comments edge nested in a post."""

    data: list[Comment] = Field(default_factory=list)


class Entry(Comment):
    """An entry of ``data``: a comment, or a post (whose time and author may be left out)."""

    created_time: UtcTime | None = None  # type: ignore[assignment]
    full_picture: str | None = None


class Post(Entry):
    """The one post, photo or album of a single-object response, with its comments."""


class Response(_Lenient):
    """A Graph API comments (or feed) response."""

    data: list[Entry]


Comment.model_rebuild()
Entry.model_rebuild()
Post.model_rebuild()


def _media(comment: Comment) -> tuple[str, ...]:
    attachment = comment.attachment
    if isinstance(comment, Entry) and comment.full_picture:
        return (comment.full_picture,)
    if attachment is None:
        return ()
    if attachment.media and attachment.media.image:
        return (attachment.media.image.src,)
    return (attachment.url,) if attachment.url else ()


def _thread(
    comment: Comment, where: str, parent: str | None
) -> Iterator[tuple[Comment, str, str | None]]:
    """The comment and the replies nested under it, each with its JSON path and parent."""
    yield comment, where, comment.parent.id if comment.parent else parent
    if comment.comments is not None:
        for index, reply in enumerate(comment.comments.data):
            yield from _thread(reply, f"{where}.comments.data[{index}]", comment.id)


def _is_post(raw: Any) -> bool:
    """Whether an entry of ``data`` is a post: it has a field no comment has."""
    return isinstance(raw, dict) and bool(POST_FIELDS & raw.keys())


def _entries(source: Source, document: dict[str, Any]) -> list[tuple[Entry, str, bool]]:
    """The response's entries, each with its JSON path and whether it is a post."""
    if not isinstance(document.get("data"), list) and isinstance(document.get("comments"), dict):
        try:
            return [(Post.model_validate(document), "$", True)]
        except ValidationError as exc:
            raise refusal(source.path, exc, prefix="$") from None
    try:
        response = Response.model_validate(document)
    except ValidationError as exc:
        raise refusal(source.path, exc, prefix="$") from None
    raws = document["data"]
    return [
        (entry, f"$.data[{index}]", _is_post(raws[index]))
        for index, entry in enumerate(response.data)
    ]


_Place = tuple[ItemKind, str | None, str | None]  # kind, reply_to, thread_id


def _records(source: Source, document: dict[str, Any]) -> Iterator[tuple[Comment, str, _Place]]:
    """Each comment or post to read: (record, JSON path, (kind, reply_to, thread_id))."""
    for entry, where, is_post in _entries(source, document):
        below = child(where, "comments", "data")
        replies = entry.comments.data if entry.comments is not None else []
        if is_post:
            if entry.from_ is None or entry.created_time is None:
                # whose post it is, the file does not say (a feed leaves the page out)
                source.pass_over(where, PassReason.UNSUPPORTED)
            elif entry.message.strip() or _media(entry):
                yield entry, where, (ItemKind.COMMENT, None, entry.id)
            else:
                source.pass_over(where, PassReason.NOT_AN_ITEM)
            for index, top in enumerate(replies):
                for comment, at, parent in _thread(top, f"{below}[{index}]", None):
                    if parent:
                        yield comment, at, (ItemKind.REPLY, parent, parent)
                    else:
                        yield comment, at, (ItemKind.COMMENT, entry.id, entry.id)
            continue
        if entry.created_time is None:
            raise refuse(source.path, child(where, "created_time"), "is missing")
        for comment, at, parent in _thread(entry, where, None):
            if parent:
                yield comment, at, (ItemKind.REPLY, parent, parent)
            else:
                post = comment.id.split("_", 1)[0] if "_" in comment.id else None
                yield comment, at, (ItemKind.COMMENT, None, post)


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each comment, reply and post naming its author, with its JSON path."""
    loaded = source.document if source.document is not None else load_json_document(source.path)
    document: Any = loaded.value
    if not isinstance(document, dict):
        raise ImportRefused(source.path, "should be a Graph API response object", json_path="$")
    for record, where, (kind, reply_to, thread_id) in _records(source, document):
        media = _media(record)
        if not record.message.strip() and not media:
            raise ImportRefused(
                source.path,
                "is empty, and the comment has no attachment; expected its words or a picture",
                json_path=child(where, "message"),
                field="message",
            )
        by = record.from_
        author = Author(by.id, by.name or by.id, by.name) if by else unknown_author(record.id)
        assert record.created_time is not None  # refused or passed over above
        yield (
            IncomingItem(
                platform=source.platform or Platform.FACEBOOK,
                account=source.account,
                kind=kind,
                platform_id=record.id,
                author=author,
                text=record.message,
                posted_at=record.created_time,
                link=record.permalink_url,
                media=media,
                thread_id=thread_id,
                # the record's object as the file has it (with any replies nested in it)
                original=loaded.raw(where),
                reply_to=reply_to,
                where=where,
            ),
            where,
        )
