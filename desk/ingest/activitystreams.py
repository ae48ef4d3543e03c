"""ActivityStreams 2.0: a Collection (or OrderedCollection) of activities, or JSON Lines of them.

Each ``Create`` activity whose object is a ``Note`` becomes an item; other activities (Like,
Announce, Follow, Delete...) and other objects are passed over and counted in
``ImportBatch.skipped``. The actor is the author; ``inReplyTo`` is the thread; ``published``
the time posted; the platform is Mastodon unless the importer says otherwise. The official
account is the ``Mention`` tag naming it: the only one, or the one the importer named, or the
only one also addressed in ``to``; otherwise the file does not say. A note addressed to no
public audience is a direct message; a reply is a reply; anything else a mention.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from desk.core.items import Author, IncomingItem, ItemKind, Platform
from desk.ingest.detect import is_json_lines, load_document
from desk.ingest.errors import ImportRefused
from desk.ingest.html_text import html_to_text
from desk.ingest.source import Source
from desk.ingest.validation import Id, Name, UtcTime, nfc, refusal, same_account

__all__ = ["Activity", "Note", "read"]

PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}


def _as_object(value: Any) -> Any:
    """A bare link stands for an object with that id."""
    return {"id": value} if isinstance(value, str) else value


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


class Actor(_Lenient):
    """Who did it: an object, or just its id."""

    id: Id
    preferred_username: Name | None = Field(default=None, alias="preferredUsername")
    name: Name | None = None
    url: Url = None


class Tag(_Lenient):
    """A tag on a note; Mentions name accounts."""

    type: str = ""
    name: str | None = None
    href: str | None = None


class Attachment(_Lenient):
    """A picture or video attached to a note."""

    type: str = ""
    url: Url = None
    href: str | None = None


class Note(_Lenient):
    """The object of a Create activity."""

    type: str
    id: Id
    content: str | None = None
    content_map: dict[str, str] | None = Field(default=None, alias="contentMap")
    summary: str | None = None
    published: UtcTime | None = None
    in_reply_to: Annotated[Id | None, BeforeValidator(_link_href)] = Field(
        default=None, alias="inReplyTo"
    )
    url: Url = None
    attributed_to: Annotated[Actor | None, BeforeValidator(_as_object)] = Field(
        default=None, alias="attributedTo"
    )
    attachment: Annotated[list[Attachment], BeforeValidator(_as_list)] = Field(default_factory=list)
    tag: Annotated[list[Tag], BeforeValidator(_as_list)] = Field(default_factory=list)
    to: Audience = Field(default_factory=list)
    cc: Audience = Field(default_factory=list)


class Activity(_Lenient):
    """One activity; only ``Create`` of a ``Note`` is read."""

    type: str
    actor: Annotated[Actor | None, BeforeValidator(_as_object)] = None
    object: dict[str, Any] | str | None = None
    published: UtcTime | None = None
    to: Audience = Field(default_factory=list)
    cc: Audience = Field(default_factory=list)


def _handle(actor: Actor) -> str:
    host = urlsplit(actor.id).hostname or ""
    user = actor.preferred_username
    if not user:
        path = urlsplit(actor.id).path.rstrip("/")
        user = path.rsplit("/", 1)[-1].lstrip("@") if path else actor.id
    return f"@{user}@{host}" if host else f"@{user}"


def _official(note: Note, wanted: str | None) -> str | None:
    mentions = [t for t in note.tag if t.type == "Mention" and t.name]
    names = [t.name for t in mentions if t.name]
    if wanted is not None:
        for name in names:
            if same_account(name, wanted):
                return wanted
    if len(names) == 1:
        return names[0]
    addressed = [t.name for t in mentions if t.href and t.href in note.to and t.name]
    return addressed[0] if len(addressed) == 1 else None


def _item(source: Source, activity: Activity, note: Note, where: int | str) -> IncomingItem:
    actor = note.attributed_to or activity.actor
    if actor is None:
        raise _refuse(source, where, "actor", "is missing: who wrote the note?")
    posted = note.published or activity.published
    if posted is None:
        raise _refuse(source, where, "object.published", "is missing")
    audience = set(note.to) | set(note.cc) | set(activity.to) | set(activity.cc)
    if not audience & PUBLIC:
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
        account=_official(note, source.account) or source.account,
        kind=kind,
        platform_id=note.id,
        author=Author(actor.id, _handle(actor), actor.name or ""),
        text=nfc(text),
        posted_at=posted,
        link=note.url or (note.id if note.id.startswith("http") else None),
        media=media,
        thread_id=note.in_reply_to,
    )


def _refuse(source: Source, where: int | str, field: str, problem: str) -> ImportRefused:
    if isinstance(where, int):
        return ImportRefused(source.path, problem, line=where, field=field)
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
                yield json.loads(raw), line, raw  # the line as read, its line break too
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                detail = exc.msg if isinstance(exc, json.JSONDecodeError) else exc.reason
                raise ImportRefused(source.path, f"not valid JSON ({detail})", line=line) from None


def _validate(source: Source, model: type[_Lenient], value: Any, where: int | str) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        if isinstance(where, int):
            raise refusal(source.path, exc, line=where) from None
        raise refusal(source.path, exc, prefix=where) from None


def read(source: Source) -> Iterator[tuple[IncomingItem, int | str]]:
    """Yield the item of each Create-Note activity, with its line or JSON path."""
    for entry, where, raw in _activities(source):
        activity: Activity = _validate(source, Activity, entry, where)
        if activity.type != "Create" or not isinstance(activity.object, dict):
            if activity.type == "Create" and isinstance(activity.object, str):
                raise _refuse(
                    source,
                    where,
                    "object",
                    "is only a link; export the activities with their notes embedded",
                )
            source.skipped += 1
            continue
        if activity.object.get("type") != "Note":
            source.skipped += 1
            continue
        inner = f"{where}.object" if isinstance(where, str) else where
        try:
            note = Note.model_validate(activity.object)
        except ValidationError as exc:
            if isinstance(where, int):
                refused = refusal(source.path, exc, line=where)
                field = f"object.{refused.field}" if refused.field else "object"
                raise ImportRefused(source.path, refused.problem, line=where, field=field) from None
            raise refusal(source.path, exc, prefix=str(inner)) from None
        item = _item(source, activity, note, where)
        yield replace(item, original=raw), where  # the whole activity, as the file has it
