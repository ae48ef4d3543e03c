"""X API v2 responses: ``data`` (a list of posts) with ``includes.users`` for their authors.

Request the posts with ``tweet.fields=created_at,author_id,conversation_id,in_reply_to_user_id,
referenced_tweets,entities,attachments`` and ``expansions=author_id,in_reply_to_user_id,
attachments.media_keys``. A post that ``referenced_tweets`` marks ``replied_to`` is a reply,
and its thread is its ``conversation_id`` (the post that started the conversation), else the
post it replies to; any other post is a mention. Reposts (``retweeted``) are passed over. The
post is addressed to the user it replies to (``in_reply_to_user_id``, looked up in
``includes.users``), then to its mentions: the import places it on the first that is an
official account, or by its conversation (desk.core.conversations); a post by an official
account is the force's own. The API escapes ``&``, ``<`` and ``>`` in ``text`` as ``&amp;``,
``&lt;`` and ``&gt;``; exactly those three are unescaped (a person's "&copy" stays as written).
Media keys missing from ``includes.media`` are kept as ``x-media-key:<key>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from desk.core.items import Author, IncomingItem, ItemKind, PassReason, Platform
from desk.ingest.errors import ImportRefused
from desk.ingest.json_document import load_json_document
from desk.ingest.paths import child
from desk.ingest.source import Source
from desk.ingest.validation import Id, Name, Text, UtcTime, refusal

__all__ = ["Post", "Response", "read", "unescape_x"]

_X_ENTITY = re.compile(r"&(amp|lt|gt);")
_X_CHARS = {"amp": "&", "lt": "<", "gt": ">"}


def unescape_x(text: str) -> str:
    """Undo the X API's escaping of ``&``, ``<`` and ``>`` in a post's text (and nothing else)."""
    if "&" not in text:
        return text
    return _X_ENTITY.sub(lambda m: _X_CHARS[m.group(1)], text)


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Reference(_Lenient):
    """A post this one replies to, quotes or reposts."""

    type: str
    id: Id


class MentionEntity(_Lenient):
    """A user mentioned in the text."""

    username: Name
    id: Id | None = None


class Entities(_Lenient):
    """Entities found in the text."""

    mentions: list[MentionEntity] = Field(default_factory=list)


class Attachments(_Lenient):
    """Media attached to a post."""

    media_keys: list[Id] = Field(default_factory=list)


class Post(_Lenient):
    """One post (tweet)."""

    id: Id
    text: Text
    author_id: Id
    created_at: UtcTime
    conversation_id: Id | None = None
    in_reply_to_user_id: Id | None = None
    referenced_tweets: list[Reference] = Field(default_factory=list)
    entities: Entities | None = None
    attachments: Attachments | None = None


class User(_Lenient):
    """A user in ``includes.users``."""

    id: Id
    username: Name
    name: Name = ""


class Media(_Lenient):
    """A media object in ``includes.media``."""

    media_key: Id
    type: str = ""
    url: str | None = None
    preview_image_url: str | None = None


class Includes(_Lenient):
    """The objects the response expands."""

    users: list[User] = Field(default_factory=list)
    media: list[Media] = Field(default_factory=list)


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class Response(_Lenient):
    """An X API v2 response holding posts."""

    data: Annotated[list[Post], BeforeValidator(_one_or_many)] = Field(default_factory=list)
    includes: Includes = Field(default_factory=Includes)


def _addressed(post: Post, users: dict[str, User]) -> tuple[str, ...]:
    """Whom the post is addressed to, best first: the user it replies to, then its mentions."""
    handles: list[str] = []
    if post.in_reply_to_user_id and post.in_reply_to_user_id in users:
        handles.append(f"@{users[post.in_reply_to_user_id].username}")
    for mention in post.entities.mentions if post.entities else []:
        handle = f"@{mention.username}"
        if handle not in handles:
            handles.append(handle)
    return tuple(handles)


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each post in ``data``, with its JSON path."""
    loaded = source.document if source.document is not None else load_json_document(source.path)
    document = loaded.value
    if not isinstance(document, dict):
        raise ImportRefused(source.path, "should be an X API v2 response object", json_path="$")
    try:
        response = Response.model_validate(document)
    except ValidationError as exc:
        raise refusal(source.path, exc, prefix="$") from None
    users = {u.id: u for u in response.includes.users}
    media = {m.media_key: m for m in response.includes.media}
    single = not isinstance(document.get("data"), list)  # a single-post lookup
    for index, post in enumerate(response.data):
        where = f"$.data[{index}]"
        kinds = {r.type: r.id for r in post.referenced_tweets}
        if "retweeted" in kinds:
            source.pass_over(where, PassReason.REPOST)
            continue
        author = users.get(post.author_id)
        if author is None:
            raise ImportRefused(
                source.path,
                f"user {post.author_id!r} is not in includes.users; export the posts with "
                "expansions=author_id",
                json_path=child(where, "author_id"),
                field="author_id",
            )
        replied_to = kinds.get("replied_to")
        keys = post.attachments.media_keys if post.attachments else []
        attached = tuple(
            (m.url or m.preview_image_url or f"x-media-key:{k}")
            if (m := media.get(k))
            else f"x-media-key:{k}"
            for k in keys
        )
        if not post.text.strip() and not attached:
            raise ImportRefused(
                source.path,
                "is empty, and the post has no media; expected the post's words or media keys",
                json_path=child(where, "text"),
                field="text",
            )
        thread = post.conversation_id if post.conversation_id != post.id else None
        yield (
            IncomingItem(
                platform=Platform.X,
                account=source.account,
                kind=ItemKind.REPLY if replied_to else ItemKind.MENTION,
                platform_id=post.id,
                author=Author(author.id, f"@{author.username}", author.name),
                text=unescape_x(post.text),
                posted_at=post.created_at,
                link=f"https://x.com/{author.username}/status/{post.id}",
                media=attached,
                thread_id=thread or replied_to,
                # the post's own object, cut from the file (not its includes.users entry)
                original=loaded.raw("$.data" if single else where),
                addressed=_addressed(post, users),
                reply_to=replied_to,
                where="$.data" if single else where,
            ),
            where,
        )
