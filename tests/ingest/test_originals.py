"""Every reader hands each record's original bytes on with its item (kept as evidence)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.ingest.reader import read_items

DATA = Path(__file__).resolve().parent / "data"


def test_json_lines_items_carry_their_line_exactly() -> None:
    path = DATA / "desk-items.jsonl"
    lines = [line for line in path.read_bytes().splitlines(keepends=True) if line.strip()]
    lines[0] = lines[0].removeprefix(b"\xef\xbb\xbf")
    batch = read_items(path)
    assert [i.original for i in batch.items] == lines
    assert all(i.original_exact for i in batch.items)


def test_csv_items_carry_their_row_exactly() -> None:
    path = DATA / "export.csv"
    rows = path.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)[1:]
    batch = read_items(path)
    assert b"".join(i.original or b"" for i in batch.items) == b"".join(
        r for r in rows if r.strip()
    )


@pytest.mark.parametrize(
    ("name", "account"),
    [
        ("mastodon-statuses.json", None),
        ("mastodon-notifications.json", None),
        ("activitystreams-outbox.json", "@ExampleshirePolice"),
        ("activitystreams.jsonl", "@ExampleshirePolice"),
        ("x-v2.json", None),
        ("facebook-comments.json", "Exampleshire Police"),
    ],
)
def test_whole_documents_carry_each_record_as_canonical_json(
    name: str, account: str | None
) -> None:
    batch = read_items(DATA / name, account=account)
    assert batch.items
    for item in batch.items:
        assert item.original is not None and not item.original_exact
        assert item.platform_id in item.original.decode()
        assert isinstance(json.loads(item.original), dict)
