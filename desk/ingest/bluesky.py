"""Bluesky (AT Protocol) JSON, read as its own lexicons define it.

Two responses of the Bluesky app view are read:

- ``app.bsky.notification.listNotifications``: ``{notifications: [...], cursor}``. A
  notification whose ``reason`` is ``mention``, ``reply`` or ``quote`` carries a post (its
  ``record``, an ``app.bsky.feed.post``) and becomes an item; likes, reposts and follows (and
  the other reasons: starter packs, verifications...) are passed over and counted.
- ``app.bsky.feed.getPostThread``: ``{thread: threadViewPost}``, a post with its ``parent``
  chain and its ``replies`` tree. Every post in it is an item (the force's own among them:
  the import recognises them by their author); a ``notFoundPost`` or ``blockedPost`` in the
  tree is passed over and counted.

The item's id is the post's ``at://`` URI; its author is the handle (``@name.bsky.social``),
with the DID as the stable id. A post whose ``record.reply`` is set is a reply, and its thread
is the first post of its conversation (``record.reply.root.uri``) and it replies to
``record.reply.parent.uri``; a quote or mention is a mention. The
accounts a post is addressed to are the author of the post it replies to (or quotes), then the
accounts its mention facets name, as handles: a DID is turned into a handle from the profiles
and mention facets the file itself holds. The link is the post's page on bsky.app.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from desk.core.items import Author, IncomingItem, ItemKind, PassReason, Platform
from desk.ingest.errors import ImportRefused
from desk.ingest.json_document import JsonDocument, load_json_document
from desk.ingest.source import Source
from desk.ingest.validation import Name, UtcTime, nfc, refusal

__all__ = ["FeedPost", "Notification", "PostView", "object_spans", "read"]

POST_TYPE = "app.bsky.feed.post"
THREAD_POST = "app.bsky.feed.defs#threadViewPost"
NOT_FOUND_POST = "app.bsky.feed.defs#notFoundPost"
BLOCKED_POST = "app.bsky.feed.defs#blockedPost"
MENTION_FEATURE = "app.bsky.richtext.facet#mention"
_THREAD_POST_PATH = re.compile(r"\$\.thread(?:\.parent|\.replies\[\d+\])*\.post")
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\],]')

AtUri = Annotated[str, StringConstraints(pattern=r"^at://\S+$", max_length=8192)]
Did = Annotated[str, StringConstraints(pattern=r"^did:[a-z]+:\S+$", max_length=2048)]
Handle = Annotated[str, StringConstraints(min_length=1, max_length=253)]

# why a notification that carries no item is passed over (the lexicon's known reasons)
_PASSED_REASONS = {
    "like": PassReason.REACTION,
    "like-via-repost": PassReason.REACTION,
    "repost": PassReason.REPOST,
    "repost-via-repost": PassReason.REPOST,
    "follow": PassReason.FOLLOW,
    "starterpack-joined": PassReason.NOT_AN_ITEM,
    "verified": PassReason.NOT_AN_ITEM,
    "unverified": PassReason.NOT_AN_ITEM,
    "contact-match": PassReason.NOT_AN_ITEM,
    # a post by an account the force subscribes to: not addressed to the force, not read
    "subscribed-post": PassReason.UNSUPPORTED,
}
_ITEM_REASONS = {"mention": ItemKind.MENTION, "reply": ItemKind.REPLY, "quote": ItemKind.MENTION}


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Profile(_Lenient):
    """``app.bsky.actor.defs#profileViewBasic``: who wrote a post."""

    did: Did
    handle: Handle
    display_name: Name = Field(default="", alias="displayName")


class StrongRef(_Lenient):
    """``com.atproto.repo.strongRef``: a post by its URI and content hash."""

    uri: AtUri
    cid: str = ""


class ReplyRef(_Lenient):
    """``app.bsky.feed.post#replyRef``: the thread's first post and the post replied to."""

    root: StrongRef
    parent: StrongRef


class ByteSlice(_Lenient):
    """Where a facet is in the text, in UTF-8 bytes."""

    byte_start: int = Field(alias="byteStart", ge=0)
    byte_end: int = Field(alias="byteEnd", ge=0)


class Facet(_Lenient):
    """``app.bsky.richtext.facet``: a mention, link or tag in the text."""

    index: ByteSlice
    features: list[dict[str, Any]] = Field(default_factory=list)


class FeedPost(_Lenient):
    """``app.bsky.feed.post``: the post record itself."""

    type: str = Field(default=POST_TYPE, alias="$type")
    text: Annotated[str, StringConstraints(max_length=100_000)]
    created_at: UtcTime = Field(alias="createdAt")
    reply: ReplyRef | None = None
    facets: list[Facet] = Field(default_factory=list)
    embed: dict[str, Any] | None = None


class Notification(_Lenient):
    """``app.bsky.notification.listNotifications#notification``."""

    uri: AtUri
    cid: str = ""
    author: Profile
    reason: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    reason_subject: AtUri | None = Field(default=None, alias="reasonSubject")
    record: dict[str, Any]
    indexed_at: UtcTime = Field(alias="indexedAt")


class PostView(_Lenient):
    """``app.bsky.feed.defs#postView``: a post as the app view shows it."""

    uri: AtUri
    cid: str = ""
    author: Profile
    record: dict[str, Any]
    embed: dict[str, Any] | None = None
    indexed_at: UtcTime | None = Field(default=None, alias="indexedAt")


@dataclass
class _Handles:
    """The handles of the DIDs the file names (profiles and mention facets)."""

    by_did: dict[str, str] = field(default_factory=dict)

    def learn(self, value: Any) -> None:
        """Remember every ``{did, handle}`` profile and mention facet found in ``value``."""
        stack = [value]
        mentioned: dict[str, str] = {}
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                did, handle = node.get("did"), node.get("handle")
                if isinstance(did, str) and isinstance(handle, str) and handle:
                    self.by_did.setdefault(did, handle.removeprefix("@"))
                if isinstance(node.get("text"), str) and isinstance(node.get("facets"), list):
                    for did, written in _facet_mentions(node["text"], node["facets"]):
                        mentioned.setdefault(did, written)
                stack.extend(v for v in node.values() if isinstance(v, dict | list))
            elif isinstance(node, list):
                stack.extend(v for v in node if isinstance(v, dict | list))
        for did, written in mentioned.items():
            if written:
                self.by_did.setdefault(did, written)  # profiles say it better, when they do

    def of(self, did: str | None) -> str | None:
        """The handle of ``did`` as ``@handle``, or None when the file does not say."""
        handle = self.by_did.get(did) if did else None
        return f"@{handle}" if handle else None


def _did_of(uri: str | None) -> str | None:
    """The DID (the repository) of an ``at://`` URI, when the URI names one."""
    if not uri or not uri.startswith("at://did:"):
        return None
    return uri.removeprefix("at://").split("/", 1)[0]


def _facet_mentions(text: str, facets: list[Any]) -> list[tuple[str, str]]:
    """The (DID, handle as written) of each mention facet, in the order of the text."""
    data = text.encode("utf-8")
    found: list[tuple[int, str, str]] = []
    for facet in facets:
        index = facet.get("index") if isinstance(facet, dict) else None
        features = facet.get("features") if isinstance(facet, dict) else None
        if not isinstance(index, dict) or not isinstance(features, list):
            continue
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        for feature in features:
            if not isinstance(feature, dict) or feature.get("$type") != MENTION_FEATURE:
                continue
            if isinstance(feature.get("did"), str):
                written = data[start:end].decode("utf-8", errors="replace").strip().lstrip("@")
                found.append((start, feature["did"], written))
    return [(did, written) for _start, did, written in sorted(found)]


def _mentions(post: FeedPost) -> list[tuple[str, str]]:
    """The (DID, handle as written) of each of the post's mention facets."""
    return _facet_mentions(post.text, [f.model_dump(by_alias=True) for f in post.facets])


def _quoted_uri(embed: dict[str, Any] | None) -> str | None:
    """The URI of the post an ``app.bsky.embed.record`` (or recordWithMedia) quotes."""
    if not isinstance(embed, dict):
        return None
    inner = embed.get("record")
    if isinstance(inner, dict) and isinstance(inner.get("record"), dict):
        inner = inner["record"]  # recordWithMedia: {record: {record: strongRef}}
    uri = inner.get("uri") if isinstance(inner, dict) else None
    return uri if isinstance(uri, str) else None


def _view_media(embed: dict[str, Any] | None) -> list[str]:
    """Web addresses of the pictures, video and link card an embed view shows."""
    if not isinstance(embed, dict):
        return []
    found: list[str] = []
    images = embed.get("images")
    if isinstance(images, list):
        found += [i["fullsize"] for i in images if isinstance(i, dict) and i.get("fullsize")]
    if isinstance(embed.get("playlist"), str):
        found.append(embed["playlist"])  # a video
    external = embed.get("external")
    if isinstance(external, dict) and isinstance(external.get("uri"), str):
        found.append(external["uri"])
    media = embed.get("media")
    if isinstance(media, dict):
        found += _view_media(media)  # recordWithMedia#view
    return [m for m in found if isinstance(m, str) and m.startswith(("https://", "http://"))]


def _record_media(embed: dict[str, Any] | None) -> list[str]:
    """References to the blobs a post record embeds (a notification carries no view of them)."""
    if not isinstance(embed, dict):
        return []
    found: list[str] = []
    images = embed.get("images")
    blobs = (
        [i.get("image") for i in images if isinstance(i, dict)] if isinstance(images, list) else []
    )
    if isinstance(embed.get("video"), dict):
        blobs.append(embed["video"])
    for blob in blobs:
        ref = blob.get("ref") if isinstance(blob, dict) else None
        link = ref.get("$link") if isinstance(ref, dict) else None
        if isinstance(link, str) and link:
            found.append(f"bluesky-blob:{link}")
    external = embed.get("external")
    link = external.get("uri") if isinstance(external, dict) else None
    if isinstance(link, str) and link.startswith(("https://", "http://")):
        found.append(link)
    media = embed.get("media")
    if isinstance(media, dict):
        found += _record_media(media)
    return found


def _link(uri: str) -> str | None:
    """The post's page on bsky.app: ``at://did/app.bsky.feed.post/rkey`` -> its web address."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) == 3 and parts[1] == POST_TYPE:
        return f"https://bsky.app/profile/{parts[0]}/post/{parts[2]}"
    return None


def _addressed(post: FeedPost, handles: _Handles, also: str | None) -> tuple[str, ...]:
    """Whom the post is addressed to: the author it replies to or quotes, then its mentions."""
    found: list[str] = []
    targets = [post.reply.parent.uri if post.reply else None, _quoted_uri(post.embed), also]
    for uri in targets:
        handle = handles.of(_did_of(uri))
        if handle:
            found.append(handle)
    for did, written in _mentions(post):
        handle = handles.of(did) or (f"@{written}" if written else None)
        if handle:
            found.append(handle)
    return tuple(dict.fromkeys(found))


def _post(source: Source, record: Any, where: str) -> FeedPost:
    """Validate a post record, refusing the file at ``where`` when it is not one."""
    if not isinstance(record, dict) or record.get("$type", POST_TYPE) != POST_TYPE:
        kind = record.get("$type") if isinstance(record, dict) else None
        raise ImportRefused(
            source.path,
            f"should be an {POST_TYPE} record, not {kind!r}"
            if kind
            else f"should be an {POST_TYPE} record (an object)",
            json_path=where,
            field="record",
        )
    try:
        return FeedPost.model_validate(record)
    except ValidationError as exc:
        raise refusal(source.path, exc, prefix=where) from None


def _item(
    source: Source,
    *,
    uri: str,
    author: Profile,
    post: FeedPost,
    kind: ItemKind | None,
    media: list[str],
    handles: _Handles,
    also: str | None,
    where: str,
) -> IncomingItem:
    text = post.text
    if not text.strip() and not media and not _quoted_uri(post.embed):
        raise ImportRefused(
            source.path,
            "is empty, and the post has no media and quotes no post",
            json_path=f"{where}.text",
            field="text",
        )
    if kind is None:
        kind = ItemKind.REPLY if post.reply else ItemKind.MENTION
    parent = post.reply.parent.uri if post.reply else None
    root = post.reply.root.uri if post.reply else None
    return IncomingItem(
        platform=Platform.BLUESKY,
        account=source.account,
        kind=kind,
        platform_id=uri,
        author=Author(author.did, f"@{nfc(author.handle)}", author.display_name),
        text=nfc(text),
        posted_at=post.created_at,
        link=_link(uri),
        media=tuple(dict.fromkeys(media)),
        thread_id=root,
        addressed=_addressed(post, handles, also),
        reply_to=parent,
    )


def _validate(source: Source, model: type[_Lenient], value: Any, where: str) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise refusal(source.path, exc, prefix=where) from None


def _notifications(
    source: Source, loaded: JsonDocument, handles: _Handles
) -> Iterator[tuple[IncomingItem, int | str]]:
    entries = loaded.value.get("notifications")
    if not isinstance(entries, list):
        raise ImportRefused(
            source.path,
            "should be a list of notifications",
            json_path="$.notifications",
            field="notifications",
        )
    for index, entry in enumerate(entries):
        where = f"$.notifications[{index}]"
        notification: Notification = _validate(source, Notification, entry, where)
        kind = _ITEM_REASONS.get(notification.reason)
        if kind is None:
            reason = _PASSED_REASONS.get(notification.reason, PassReason.UNSUPPORTED)
            source.pass_over(where, reason)
            continue
        post = _post(source, notification.record, f"{where}.record")
        item = _item(
            source,
            uri=notification.uri,
            author=notification.author,
            post=post,
            kind=ItemKind.REPLY if kind is ItemKind.REPLY and post.reply else kind,
            media=_record_media(post.embed),
            handles=handles,
            also=notification.reason_subject,
            where=f"{where}.record",
        )
        yield _kept(item, loaded, where), where


def _thread_nodes(node: Any, where: str) -> Iterator[tuple[Any, str]]:
    """Every node of a thread, oldest parent first, then the post, then its replies in order."""
    chain: list[tuple[Any, str]] = []
    at, path = node, where
    while isinstance(at, dict):
        chain.append((at, path))
        at, path = at.get("parent"), f"{path}.parent"
    yield from reversed(chain)
    stack: list[tuple[Any, str]] = []
    replies = node.get("replies") if isinstance(node, dict) else None
    if isinstance(replies, list):
        stack.extend((r, f"{where}.replies[{i}]") for i, r in reversed(list(enumerate(replies))))
    while stack:
        reply, path = stack.pop()
        yield reply, path
        more = reply.get("replies") if isinstance(reply, dict) else None
        if isinstance(more, list):
            stack.extend((r, f"{path}.replies[{i}]") for i, r in reversed(list(enumerate(more))))


def _thread(
    source: Source, loaded: JsonDocument, handles: _Handles
) -> Iterator[tuple[IncomingItem, int | str]]:
    root = loaded.value.get("thread")
    if not isinstance(root, dict):
        raise ImportRefused(
            source.path, "should be a thread (an object)", json_path="$.thread", field="thread"
        )
    data = loaded.raw("$")
    spans = object_spans(data, _THREAD_POST_PATH.fullmatch)
    for node, where in _thread_nodes(root, "$.thread"):
        if not isinstance(node, dict):
            raise ImportRefused(
                source.path, "should be a post of the thread (an object)", json_path=where
            )
        kind = node.get("$type", THREAD_POST if "post" in node else None)
        if kind in (NOT_FOUND_POST, BLOCKED_POST) or node.get("notFound") or node.get("blocked"):
            source.pass_over(where, PassReason.NOT_AN_ITEM)  # the server did not show it
            continue
        if kind != THREAD_POST:
            source.pass_over(where, PassReason.UNSUPPORTED)
            continue
        view: PostView = _validate(source, PostView, node.get("post"), f"{where}.post")
        post = _post(source, view.record, f"{where}.post.record")
        item = _item(
            source,
            uri=view.uri,
            author=view.author,
            post=post,
            kind=None,
            media=_view_media(view.embed) or _record_media(post.embed),
            handles=handles,
            also=None,
            where=f"{where}.post.record",
        )
        start, end = spans[f"{where}.post"]
        yield replace(item, original=data[start:end], where=f"{where}.post"), f"{where}.post"


def object_spans(data: bytes, wanted: Callable[[str], object]) -> dict[str, tuple[int, int]]:
    """The byte spans of the objects in the JSON ``data`` whose JSON path is ``wanted``.

    One pass over the bytes (a thread nests each post in the next, so cutting each post out
    from the top again would read the file once per level). Only strings and brackets are
    looked at: a multi-byte UTF-8 character never holds a quote, bracket or comma byte.
    """
    spans: dict[str, tuple[int, int]] = {}
    # per open container: opener, its path, key or index now, expecting a key, start
    stack: list[list[Any]] = []
    for match in _TOKEN.finditer(data):
        token = match.group()
        char = token[:1]
        top = stack[-1] if stack else None
        if char == b'"':
            if top is not None and top[3]:
                top[2], top[3] = json.loads(token), False  # an object's key
        elif char in b"{[":
            if top is None:
                path = "$"
            elif top[0] == b"[":
                path = f"{top[1]}[{top[2]}]"
            else:
                key = str(top[2])
                path = f"{top[1]}.{key}" if key.isidentifier() else f"{top[1]}[{key!r}]"
            stack.append([char, path, 0 if char == b"[" else None, char == b"{", match.start()])
        elif char in b"}]":
            opener, path, _key, _expecting, start = stack.pop()
            if opener == b"{" and wanted(path):
                spans[path] = (start, match.end())
        elif top is not None:  # a comma
            if top[0] == b"[":
                top[2] += 1
            else:
                top[3] = True
    return spans


def _kept(item: IncomingItem, loaded: JsonDocument, where: str) -> IncomingItem:
    """The item with its record's bytes as the file has them (the notification or post view)."""
    return replace(item, original=loaded.raw(where), where=where)


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each post in a notifications list or a post thread, with its path."""
    loaded = source.document if source.document is not None else load_json_document(source.path)
    document = loaded.value
    if not isinstance(document, dict) or not ({"notifications", "thread"} & document.keys()):
        raise ImportRefused(
            source.path,
            "should be a Bluesky notifications list ({notifications: [...]}) or a post thread "
            "({thread: {...}})",
            json_path="$",
        )
    handles = _Handles()
    handles.learn(document)
    if "notifications" in document:
        yield from _notifications(source, loaded, handles)
    else:
        yield from _thread(source, loaded, handles)
