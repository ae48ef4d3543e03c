"""A file nested deeper than any export is refused by name, on any line, and nothing is stored.

A crafted file (a line of 100,000 open brackets) used to crash format detection with Python's
RecursionError instead of a message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk.core.items import Platform
from desk.services.importing import ImportRefused, ImportSource
from desk.store.tables import Item
from tests.conftest import Staffed

DEPTH = 100_000
GOOD = json.dumps(
    {
        "platform": "x",
        "account": "@ExampleshirePolice",
        "kind": "mention",
        "id": "n1",
        "author_id": "a1",
        "author_handle": "@a1",
        "text": "hello",
        "posted_at": "2026-11-26T08:00:00Z",
    }
)
ACTIVITY = json.dumps(
    {
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create",
        "id": "https://example.social/activities/1",
        "actor": "https://example.social/users/a1",
        "object": {
            "type": "Note",
            "id": "https://example.social/notes/1",
            "content": "hi",
            "published": "2026-11-26T08:00:00Z",
        },
    }
)
ARRAYS = "[" * DEPTH + "]" * DEPTH
OBJECTS = '{"x":' * DEPTH + "1" + "}" * DEPTH

FILES = {
    "a whole document of arrays": ("deep.json", ARRAYS, None),
    "a first line of objects": ("deep.jsonl", '{"data":' + OBJECTS + "}\n", 1),
    "a JSON Lines file's second line": ("later.jsonl", GOOD + "\n" + '{"a":' + ARRAYS + "}\n", 2),
    "an activity stream's second line": (
        "stream.jsonl",
        ACTIVITY + "\n" + '{"type":"Create","object":' + ARRAYS + "}\n",
        2,
    ),
}


@pytest.mark.parametrize("shape", FILES, ids=list(FILES))
def test_a_deeply_nested_file_is_refused_with_a_message_and_nothing_is_stored(
    staffed: Staffed, tmp_path: Path, shape: str
) -> None:
    name, text, line = FILES[shape]
    d = staffed.desk
    d.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        d.importer.import_file(
            staffed.admin_token, ImportSource(path, account="@ExampleshirePolice")
        )
    message = str(refused.value)
    # Desk's own words, or the JSON Lines validator's ("recursion limit exceeded at column 206")
    assert name in message and ("nested too deeply" in message or "recursion limit" in message)
    if line is not None:
        assert f"line {line}" in message
    with d.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 0
