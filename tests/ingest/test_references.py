"""Links and media references as imported (issue 15 item 1): kept as they came, never refused
for their scheme, except the item link of Desk's own format, which must be a web address."""

from __future__ import annotations

import json
from pathlib import Path

from desk.ingest import read_items
from tests.ingest.helpers import refusal_of

ODD = ["file:///etc/passwd", "../../x", "smb://host/share", "javascript:alert(1)", "x.jpg"]


def record(**fields: object) -> dict[str, object]:
    """One line of Desk's JSON Lines format."""
    return {
        "platform": "x",
        "account": "@ExampleshirePolice",
        "kind": "reply",
        "id": "1",
        "author_id": "u1",
        "author_handle": "@resident",
        "text": "hello",
        "posted_at": "2026-11-26T09:00:00Z",
        **fields,
    }


def test_media_references_of_any_scheme_are_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(record(media=[*ODD, "HTTPS://ok.example/x"])) + "\n")
    (item,) = read_items(path).items
    assert item.media == (*ODD, "HTTPS://ok.example/x")


def test_an_item_link_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(record(link="file:///etc/passwd")) + "\n")
    refused = refusal_of(lambda: read_items(path))
    assert refused.field == "link"
