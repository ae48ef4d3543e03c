"""ActivityStreams as the specification allows it: types as lists, actors as links or objects.

``activitystreams-spec-ex*.json`` are the AS2 specification's own examples, as the W3C's
activitystreams repository extracts them for its tests (tests/ingest/data/SOURCES.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from desk.core.items import ItemKind, PassReason
from desk.ingest import detect_format, read_items
from tests.ingest.helpers import refusal_of

DataFile = Callable[[str], Path]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def note(number: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "type": "Note",
        "id": f"https://m.example/notes/{number}",
        "content": f"<p>note {number}</p>",
        "published": "2026-11-26T09:00:00Z",
        "to": [PUBLIC],
        **extra,
    }


def lines(path: Path, *activities: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in activities), "utf-8")
    return path


def test_the_spec_editing_history_example(data_file: DataFile) -> None:
    # "type": ["Create", "prov:Activity"], the note's "type": ["Note", "prov:Entity"], the
    # note's attributedTo a bare IRI and the activity's actor an object with that id
    path = data_file("activitystreams-spec-ex27.json")
    assert detect_format(path) == "activitystreams"
    batch = read_items(path)
    (item,) = batch.items
    assert item.platform_id == "http://example.org/entry/20150101000000"
    assert item.text == "Remember... all I'm offering is the trooth. Nothing more."
    assert item.author.platform_user_id == "http://example.org/#eric"
    assert item.author.handle == "@eric@example.org"
    assert item.author.display_name == "Eric"  # told by the activity's actor
    assert item.posted_at == datetime(2015, 1, 1, tzinfo=UTC)  # the activity's published
    assert item.kind is ItemKind.MENTION  # addressed to no one in particular: not a DM
    # the Update and the Delete ("type" lists too) are passed over, counted with the reason
    assert batch.passed.counts == {PassReason.NOT_AN_ITEM: 2}
    assert batch.passed.first[PassReason.NOT_AN_ITEM] == "$.items[1]"


def test_the_spec_like_with_a_type_list_is_passed_over(data_file: DataFile) -> None:
    path = data_file("activitystreams-spec-ex20.json")  # "type": ["Like", "schema:LikeAction"]
    assert detect_format(path) == "activitystreams"
    batch = read_items(path)
    assert batch.items == [] and batch.passed.counts == {PassReason.REACTION: 1}


def test_a_spec_note_without_an_id_is_refused_by_path(data_file: DataFile) -> None:
    refused = refusal_of(lambda: read_items(data_file("activitystreams-spec-ex17.json")))
    assert refused.json_path == "$.object.id" and refused.problem == "is missing"


@pytest.mark.parametrize(
    ("actor", "user_id", "handle", "name"),
    [
        ("https://m.example/users/amy", "https://m.example/users/amy", "@amy@m.example", ""),
        (
            {"type": "Link", "href": "https://m.example/users/amy", "name": "Amy"},
            "https://m.example/users/amy",
            "@amy@m.example",
            "Amy",
        ),
        (
            {"type": "Person", "url": "https://m.example/@amy", "name": "Amy"},
            "https://m.example/@amy",
            "@amy@m.example",
            "Amy",
        ),
        (
            {
                "type": ["Person", "vcard:Individual"],
                "id": "https://m.example/u/7",
                "preferredUsername": "amy",
            },
            "https://m.example/u/7",
            "@amy@m.example",
            "",
        ),
        (["https://m.example/users/amy"], "https://m.example/users/amy", "@amy@m.example", ""),
    ],
    ids=["iri", "link", "object-with-url", "object-type-list", "list"],
)
def test_an_actor_may_be_a_link_or_an_object(
    tmp_path: Path, actor: Any, user_id: str, handle: str, name: str
) -> None:
    path = lines(tmp_path / "a.jsonl", {"type": "Create", "actor": actor, "object": note()})
    (item,) = read_items(path).items
    assert (item.author.platform_user_id, item.author.handle) == (user_id, handle)
    assert item.author.display_name == name


def test_attributed_to_may_be_a_link_object(tmp_path: Path) -> None:
    by = {"type": "Link", "href": "https://m.example/users/bo"}
    path = lines(
        tmp_path / "a.jsonl",
        {"type": "Create", "actor": "https://m.example/users/amy", "object": note(attributedTo=by)},
    )
    (item,) = read_items(path).items
    assert item.author.handle == "@bo@m.example"


def test_unsupported_activities_are_passed_over_with_their_reason(tmp_path: Path) -> None:
    actor = "https://m.example/users/amy"
    path = lines(
        tmp_path / "a.jsonl",
        {"type": "as:Create", "actor": actor, "object": note(1)},
        {"type": "Announce", "actor": actor, "object": "https://m.example/notes/9"},
        {"type": ["Like", "schema:LikeAction"], "actor": actor, "object": note(2)},
        {"type": "Follow", "actor": actor, "object": "https://police.example/users/p"},
        {"type": "Undo", "actor": actor, "object": {"type": "Like"}},
        {"type": "Create", "actor": actor, "object": {**note(3), "type": "Article"}},
        {"type": "Arrive", "actor": actor, "location": "Exeter"},
    )
    batch = read_items(path)
    assert [i.platform_id for i in batch.items] == ["https://m.example/notes/1"]
    assert batch.passed.counts == {
        PassReason.REPOST: 1,
        PassReason.REACTION: 1,
        PassReason.FOLLOW: 1,
        PassReason.NOT_AN_ITEM: 1,
        PassReason.UNSUPPORTED: 2,
    }
    assert batch.passed.first[PassReason.UNSUPPORTED] == "line 6"


def test_mentions_addressed_in_to_come_first(tmp_path: Path) -> None:
    police = "https://police.example/users/ExampleshirePolice"
    tags = [
        {"type": "Mention", "href": "https://fire.example/users/f", "name": "@Fire@fire.example"},
        {"type": "Mention", "href": police, "name": "@ExampleshirePolice@police.example"},
    ]
    path = lines(
        tmp_path / "a.jsonl",
        {
            "type": "Create",
            "actor": "https://m.example/users/amy",
            "object": note(tag=tags, to=[police], cc=[]),
        },
    )
    (item,) = read_items(path).items
    assert item.kind is ItemKind.DIRECT_MESSAGE  # addressed to people, not the public
    assert item.addressed == ("@ExampleshirePolice@police.example", "@Fire@fire.example")
    assert item.account is None


def test_a_bad_type_is_refused_naming_the_line_and_path(tmp_path: Path) -> None:
    path = lines(
        tmp_path / "a.jsonl",
        {"type": "Create", "actor": "https://m.example/users/amy", "object": note()},
        {"type": 7, "actor": "https://m.example/users/amy", "object": note(2)},
    )
    refused = refusal_of(lambda: read_items(path))
    assert refused.line == 2 and refused.json_path == "$.type"
