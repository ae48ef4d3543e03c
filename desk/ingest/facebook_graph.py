"""Facebook Graph API comments: ``{"data": [comment, ...], "paging": {...}}``.

Each comment has ``id``, ``message``, ``from{id,name}``, ``created_time`` (such as
``2026-11-26T09:14:03+0000``), and may have ``parent{id}``, ``permalink_url``, ``attachment``
and nested replies (``comments.data``), which are read too. A comment with a parent (or nested
under one) is a reply, and its thread is the parent comment; a top-level comment is a comment,
and its thread is the post (the part of its id before ``_``). Facebook has no handles: the
author's name stands for one. The response does not name the page, so the importer is asked
for the official account. Paging is ignored: import each page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.ingest.detect import load_document
from desk.ingest.errors import ImportRefused
from desk.ingest.source import Source
from desk.ingest.validation import Id, Name, Text, UtcTime, refusal

__all__ = ["Comment", "Response", "read"]


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
    from_: From = Field(alias="from")
    created_time: UtcTime
    parent: Parent | None = None
    permalink_url: str | None = None
    attachment: Attachment | None = None
    comments: Replies | None = None


class Replies(_Lenient):
    """Replies nested under a comment."""

    data: list[Comment] = Field(default_factory=list)


class Response(_Lenient):
    """A Graph API comments response."""

    data: list[Comment]


Comment.model_rebuild()


def _media(comment: Comment) -> tuple[str, ...]:
    attachment = comment.attachment
    if attachment is None:
        return ()
    if attachment.media and attachment.media.image:
        return (attachment.media.image.src,)
    return (attachment.url,) if attachment.url else ()


def _flatten(
    comments: list[Comment], prefix: str, parent: str | None
) -> Iterator[tuple[Comment, str, str | None]]:
    for index, comment in enumerate(comments):
        where = f"{prefix}[{index}]"
        yield comment, where, comment.parent.id if comment.parent else parent
        if comment.comments is not None:
            yield from _flatten(comment.comments.data, f"{where}.comments.data", comment.id)


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each comment (and nested reply), with its JSON path."""
    loaded = source.document if source.document is not None else load_document(source.path)
    document: Any = loaded.value
    if not isinstance(document, dict):
        raise ImportRefused(source.path, "should be a Graph API response object", json_path="$")
    try:
        response = Response.model_validate(document)
    except ValidationError as exc:
        raise refusal(source.path, exc, prefix="$") from None
    for comment, where, parent in _flatten(response.data, "$.data", None):
        media = _media(comment)
        if not comment.message.strip() and not media:
            raise ImportRefused(
                source.path,
                "is empty, and the comment has no attachment",
                json_path=f"{where}.message",
                field="message",
            )
        post = comment.id.split("_", 1)[0] if "_" in comment.id else None
        yield (
            IncomingItem(
                platform=source.platform or Platform.FACEBOOK,
                account=source.account,
                kind=ItemKind.REPLY if parent else ItemKind.COMMENT,
                platform_id=comment.id,
                author=Author(
                    comment.from_.id, comment.from_.name or comment.from_.id, comment.from_.name
                ),
                text=comment.message,
                posted_at=comment.created_time,
                link=comment.permalink_url,
                media=media,
                thread_id=parent or post,
                # the comment's object as the file has it (with any replies nested in it)
                original=loaded.raw(where),
            ),
            where,
        )
