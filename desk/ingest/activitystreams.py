"""ActivityStreams 2.0: a Collection (or OrderedCollection) of activities, or JSON Lines of them.

Each ``Create`` activity whose object is a ``Note`` becomes an item; other activities are
passed over and counted with the reason: a Like (or other reaction), an Announce (a boost), a
Follow, an Update, Delete, Undo and the like, and anything else Desk does not read (a Create of
an Article, a Question...). ``type`` may be a list, as the specification allows (``["Create",
"prov:Activity"]``): the type Desk knows among them counts. ``actor`` and ``attributedTo`` may
be a link (the actor's IRI), a Link object or an actor object (``preferredUsername``, ``name``,
``url``, ``id``); the note's ``attributedTo`` is the author, else the activity's actor.
``inReplyTo`` is the post it replies to, and its thread; ``published`` the time posted; the
platform is Mastodon unless the importer says otherwise. A note is addressed to the accounts
its ``Mention`` tags name (those also in ``to`` first); the import places it on the first that
is an official account, or by its conversation. A note addressed to people (``to``/``cc``)
but not to the public is a direct message (one addressed to no one is not); a reply is a
reply; anything else a mention. A Create whose object is only a link is refused (export the
activities with their notes embedded).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from desk.core.items import Author, IncomingItem, ItemKind, PassReason, Platform
from desk.ingest.detect import is_json_lines, load_document
from desk.ingest.errors import NESTED_TOO_DEEPLY, ImportRefused
from desk.ingest.html_text import html_to_text
from desk.ingest.source import Source
from desk.ingest.validation import Id, Name, UtcTime, nfc, refusal

__all__ = ["Activity", "Note", "read"]

PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
_AS = ("https://www.w3.org/ns/activitystreams#", "as:")

# why an activity that is not a Create of a Note is passed over
_PASSED_ACTIVITIES = {
    "Like": PassReason.REACTION,
    "Dislike": PassReason.REACTION,
    "EmojiReact": PassReason.REACTION,
    "Announce": PassReason.REPOST,
    "Follow": PassReason.FOLLOW,
    "Update": PassReason.NOT_AN_ITEM,
    "Delete": PassReason.NOT_AN_ITEM,
    "Undo": PassReason.NOT_AN_ITEM,
    "Accept": PassReason.NOT_AN_ITEM,
    "Reject": PassReason.NOT_AN_ITEM,
    "TentativeAccept": PassReason.NOT_AN_ITEM,
    "TentativeReject": PassReason.NOT_AN_ITEM,
    "Add": PassReason.NOT_AN_ITEM,
    "Remove": PassReason.NOT_AN_ITEM,
    "Block": PassReason.NOT_AN_ITEM,
    "Flag": PassReason.NOT_AN_ITEM,
    "Move": PassReason.NOT_AN_ITEM,
}
KNOWN_TYPES = frozenset({"Create", "Note", *_PASSED_ACTIVITIES})
"""The activity and object types Desk knows: among a list of types, the one that counts."""


def one_type(value: Any) -> Any:
    """``type`` as one name: the type Desk knows among a list (else the list's first name).

    A full or ``as:`` prefixed name is the ActivityStreams name (``as:Create`` is ``Create``).
    """
    names = value if isinstance(value, list) else [value]
    names = [
        n.removeprefix(_AS[0]).removeprefix(_AS[1]) if isinstance(n, str) else n for n in names
    ]
    known = [n for n in names if isinstance(n, str) and n in KNOWN_TYPES]
    if known:
        return known[0]
    texts = [n for n in names if isinstance(n, str)]
    if isinstance(value, list):
        return texts[0] if texts else ""
    return names[0]


def _as_actor(value: Any) -> Any:
    """An actor given as its IRI, a Link object or an object: as the object Desk reads.

    A list of actors is its first; a Link's ``href`` is the actor's id; an object without an
    ``id`` is known by its ``url``.
    """
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return {"id": value}
    if isinstance(value, dict):
        if one_type(value.get("type")) in ("Link", "Mention") or (
            "href" in value and "id" not in value
        ):
            return {"id": value.get("href"), "name": value.get("name")}
        if "id" not in value and isinstance(_link_href(value.get("url")), str):
            return {**value, "id": _link_href(value.get("url"))}
    return value


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _link_href(value: Any) -> Any:
    """``url`` may be text, a Link object, or a list of either: keep the first address."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return value.get("href")
    return value


def _ids(value: Any) -> Any:
    return [_link_href(v) if isinstance(v, dict) else v for v in _as_list(value)]


Url = Annotated[str | None, BeforeValidator(_link_href)]
Audience = Annotated[list[str], BeforeValidator(_ids)]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


Type = Annotated[str, BeforeValidator(one_type)]


class Actor(_Lenient):
    """Who did it: an object, a Link to it, or just its id."""

    id: Id
    preferred_username: Name | None = Field(default=None, alias="preferredUsername")
    name: Name | None = None
    url: Url = None


class Tag(_Lenient):
    """A tag on a note; Mentions name accounts."""

    type: Type = ""
    name: str | None = None
    href: str | None = None


class Attachment(_Lenient):
    """A picture or video attached to a note."""

    type: Type = ""
    url: Url = None
    href: str | None = None


class Note(_Lenient):
    """The object of a Create activity."""

    type: Type
    id: Id
    content: str | None = None
    content_map: dict[str, str] | None = Field(default=None, alias="contentMap")
    summary: str | None = None
    published: UtcTime | None = None
    in_reply_to: Annotated[Id | None, BeforeValidator(_link_href)] = Field(
        default=None, alias="inReplyTo"
    )
    url: Url = None
    attributed_to: Annotated[Actor | None, BeforeValidator(_as_actor)] = Field(
        default=None, alias="attributedTo"
    )
    attachment: Annotated[list[Attachment], BeforeValidator(_as_list)] = Field(default_factory=list)
    tag: Annotated[list[Tag], BeforeValidator(_as_list)] = Field(default_factory=list)
    to: Audience = Field(default_factory=list)
    cc: Audience = Field(default_factory=list)


class Activity(_Lenient):
    """One activity; only ``Create`` of a ``Note`` is read."""

    type: Type
    actor: Annotated[Actor | None, BeforeValidator(_as_actor)] = None
    object: dict[str, Any] | list[Any] | str | None = None
    published: UtcTime | None = None
    to: Audience = Field(default_factory=list)
    cc: Audience = Field(default_factory=list)


def _handle(actor: Actor) -> str:
    """``@user@host``: the preferred username, else the last part of the actor's IRI."""
    parts = urlsplit(actor.id)
    host = parts.hostname or ""
    user = actor.preferred_username
    if not user:
        path = parts.path.rstrip("/")
        user = parts.fragment or (path.rsplit("/", 1)[-1].lstrip("@") if path else "")
    if not user:
        user = actor.name or actor.id
    return f"@{user}@{host}" if host and user != actor.id else f"@{user}"


def _author(note: Note, activity: Activity) -> Actor | None:
    """Who wrote the note: ``attributedTo``, told more of by the activity's actor if the same."""
    written, done = note.attributed_to, activity.actor
    if written is None or done is None or written.id != done.id:
        return written or done
    return written.model_copy(
        update={
            "preferred_username": written.preferred_username or done.preferred_username,
            "name": written.name or done.name,
            "url": written.url or done.url,
        }
    )


def _addressed(note: Note) -> tuple[str, ...]:
    """The accounts the note's Mention tags name: those also addressed in ``to`` first."""
    mentions = [t for t in note.tag if t.type == "Mention" and t.name]
    first = [t.name for t in mentions if t.name and t.href and t.href in note.to]
    rest = [t.name for t in mentions if t.name]
    return tuple(dict.fromkeys(n if n.startswith("@") else f"@{n}" for n in first + rest))


def _item(source: Source, activity: Activity, note: Note, where: int | str) -> IncomingItem:
    actor = _author(note, activity)
    if actor is None:
        raise _refuse(source, where, "actor", "is missing: who wrote the note?")
    posted = note.published or activity.published
    if posted is None:
        raise _refuse(source, where, "object.published", "is missing")
    audience = set(note.to) | set(note.cc) | set(activity.to) | set(activity.cc)
    if audience and not audience & PUBLIC:  # addressed to people only (none said: not a DM)
        kind = ItemKind.DIRECT_MESSAGE
    elif note.in_reply_to:
        kind = ItemKind.REPLY
    else:
        kind = ItemKind.MENTION
    html = note.content
    if html is None and note.content_map:
        html = next(iter(note.content_map.values()))
    text = html_to_text(html or "")
    if note.summary:
        text = f"CW: {html_to_text(note.summary)}\n\n{text}".strip()
    media = tuple(m for m in (a.url or a.href for a in note.attachment) if m)
    if not text and not media:
        raise _refuse(source, where, "object.content", "is empty, and the note has no media")
    return IncomingItem(
        platform=source.platform or Platform.MASTODON,
        account=source.account,
        kind=kind,
        platform_id=note.id,
        author=Author(actor.id, _handle(actor), actor.name or ""),
        text=nfc(text),
        posted_at=posted,
        link=note.url or (note.id if note.id.startswith("http") else None),
        media=media,
        thread_id=note.in_reply_to,
        addressed=_addressed(note),
        reply_to=note.in_reply_to,
    )


def _refuse(source: Source, where: int | str, field: str, problem: str) -> ImportRefused:
    if isinstance(where, int):
        return ImportRefused(source.path, problem, line=where, json_path=f"$.{field}", field=field)
    return ImportRefused(source.path, problem, json_path=f"{where}.{field}", field=field)


def _activities(source: Source) -> Iterator[tuple[Any, int | str, bytes]]:
    """Each activity with its line or JSON path, and its bytes as they are in the file."""
    loaded = source.document
    if loaded is None and not is_json_lines(source.path):
        loaded = load_document(source.path)
    if loaded is None:
        yield from _lines(source)
        return
    document = loaded.value
    if isinstance(document, dict) and "type" in document and "object" in document:
        yield document, "$", loaded.raw("$")
        return
    if not isinstance(document, dict):
        raise ImportRefused(
            source.path, "should be an ActivityStreams Collection object", json_path="$"
        )
    key = "orderedItems" if "orderedItems" in document else "items"
    entries = document.get(key, [])
    if not isinstance(entries, list):
        raise ImportRefused(
            source.path, "should be a list of activities", json_path=f"$.{key}", field=key
        )
    for index, entry in enumerate(entries):
        where = f"$.{key}[{index}]"
        yield entry, where, loaded.raw(where)


def _lines(source: Source) -> Iterator[tuple[Any, int | str, bytes]]:
    with source.path.open("rb") as fh:
        for line, raw in enumerate(fh, start=1):
            raw = raw.removeprefix(b"\xef\xbb\xbf") if line == 1 else raw
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                detail = exc.msg if isinstance(exc, json.JSONDecodeError) else exc.reason
                raise ImportRefused(source.path, f"not valid JSON ({detail})", line=line) from None
            except RecursionError:
                raise ImportRefused(source.path, NESTED_TOO_DEEPLY, line=line) from None
            yield value, line, raw  # the line as read, its line break too


def _validate(source: Source, model: type[_Lenient], value: Any, where: int | str) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        if isinstance(where, int):
            raise refusal(source.path, exc, line=where) from None
        raise refusal(source.path, exc, prefix=where) from None


def _place(where: int | str) -> str:
    return f"line {where}" if isinstance(where, int) else where


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each Create-Note activity, with its line or JSON path."""
    for entry, where, raw in _activities(source):
        activity: Activity = _validate(source, Activity, entry, where)
        obj = activity.object
        if isinstance(obj, list) and len(obj) == 1:
            obj = obj[0]  # one object, given as a list
        if activity.type != "Create":
            reason = _PASSED_ACTIVITIES.get(activity.type, PassReason.UNSUPPORTED)
            source.pass_over(_place(where), reason)
            continue
        if isinstance(obj, str):
            raise _refuse(
                source,
                where,
                "object",
                "is only a link; export the activities with their notes embedded",
            )
        if not isinstance(obj, dict) or one_type(obj.get("type")) != "Note":
            source.pass_over(_place(where), PassReason.UNSUPPORTED)
            continue
        inner = f"{where}.object" if isinstance(where, str) else where
        try:
            note = Note.model_validate(obj)
        except ValidationError as exc:
            if isinstance(where, int):
                refused = refusal(source.path, exc, line=where)
                field = f"object.{refused.field}" if refused.field else "object"
                raise ImportRefused(
                    source.path, refused.problem, line=where, json_path=f"$.{field}", field=field
                ) from None
            raise refusal(source.path, exc, prefix=str(inner)) from None
        item = _item(source, activity, note, where)
        # the whole activity, as the file has it
        yield replace(item, original=raw, where=_place(where)), where
