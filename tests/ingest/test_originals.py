"""Every reader hands each record's original bytes on with its item (kept as evidence).

For the formats read as one JSON document, the bytes are the record's own element, cut from
the file: the tests cut it again with an independent byte scanner (tests/ingest/json_cut.py)
and compare bytes and SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desk.ingest.json_document import load_json_document
from desk.ingest.reader import check_items, read_items, stream_items
from tests.ingest.json_cut import cut, elements

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


def _statuses(data: bytes) -> dict[str, str]:
    return {json.loads(cut(data, p))["id"]: p for p in elements(data, "$")}


def _notifications(data: bytes) -> dict[str, str]:
    found = {}
    for path in elements(data, "$"):
        record = json.loads(cut(data, path))
        if record["type"] == "mention":
            found[record["status"]["id"]] = path  # the whole notification is the record
    return found


def _activities(data: bytes) -> dict[str, str]:
    found = {}
    for path in elements(data, "$.orderedItems"):
        record = json.loads(cut(data, path))
        if record["type"] == "Create" and record["object"].get("type") == "Note":
            found[record["object"]["id"]] = path
    return found


def _posts(data: bytes) -> dict[str, str]:
    found = {}
    for path in elements(data, "$.data"):
        post = json.loads(cut(data, path))
        if not any(r["type"] == "retweeted" for r in post.get("referenced_tweets", [])):
            found[post["id"]] = path
    return found


def _comments(data: bytes, where: str = "$.data") -> dict[str, str]:
    found = {}
    for path in elements(data, where):
        comment = json.loads(cut(data, path))
        found[comment["id"]] = path
        if "comments" in comment:
            found |= _comments(data, f"{path}.comments.data")
    return found


# file, the account to give, and where each item's record is (platform id -> JSON path)
DOCUMENTS: list[tuple[str, str | None, Callable[[bytes], dict[str, str]]]] = [
    ("mastodon-statuses.json", None, _statuses),
    ("mastodon-notifications.json", None, _notifications),
    ("activitystreams-outbox.json", "@ExampleshirePolice", _activities),
    ("x-v2.json", None, _posts),
    ("facebook-comments.json", "Exampleshire Police", _comments),
]


def _as_exported(data: bytes) -> bytes:
    """The same document as another tool might write it: a BOM and Windows line breaks."""
    return b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")


def _assert_cut_exactly(path: Path, account: str | None, where: Any) -> None:
    data = path.read_bytes()
    places = where(data)
    batch = read_items(path, account=account)
    assert len(batch.items) == len(places) > 0
    for item in batch.items:
        expected = cut(data, places[item.platform_id])
        assert item.original == expected, item.platform_id
        assert hashlib.sha256(item.original).hexdigest() == hashlib.sha256(expected).hexdigest()
        assert item.original_exact
        assert data.count(expected) >= 1 and not expected[:1].isspace()


@pytest.mark.parametrize(("name", "account", "where"), DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
@pytest.mark.parametrize("variant", ["as-is", "bom-crlf"])
def test_whole_documents_keep_each_record_as_cut_from_the_file(
    tmp_path: Path,
    name: str,
    account: str | None,
    where: Callable[[bytes], dict[str, str]],
    variant: str,
) -> None:
    data = (DATA / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(_as_exported(data) if variant == "bom-crlf" else data)
    _assert_cut_exactly(path, account, where)


TRICKY_X = (
    # odd spacing, escapes, brackets and quotes inside strings, multi-byte characters, tabs,
    # a key repeated (the last wins, as in json), includes before data
    '{"includes" : {"users":[{"id":"9","username":"r\\u00e9sident","name":"Ren\\u00e9e \\ud83d\\ude00"}'
    ',{"id":"7","username":"ExampleshirePolice"}]},\n'
    '  "meta": {"result_count": 3},\n'
    '  "data":[\t{ "id" :"1", "text":"[not] {an} \\"array\\" \\u00e9t\\u00e9 \\u2014 caf\u00e9 🚓",'
    '"author_id":"9","created_at":"2026-11-26T08:00:00Z","in_reply_to_user_id":"7",'
    '"referenced_tweets":[{"type":"replied_to","id":"0"}], "text": "über] \\\\ }{ ✓"}'
    ' ,\r\n{"id":"2","text":"@ExampleshirePolice 😩 still shut?","author_id":"9",'
    '"created_at":"2026-11-26T08:05:00Z","entities":{"mentions":[{"username":"ExampleshirePolice"}]},'
    '"extra": [1, 2.5e3, true, null, {"deep": [[], {}]}]}  ,\n'
    '{"id":"3","text":"RT","author_id":"9","created_at":"2026-11-26T08:06:00Z",'
    '"referenced_tweets":[{"type":"retweeted","id":"1"}]}]\n}\n'
)


def test_a_tricky_document_is_cut_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "tricky.json"
    path.write_bytes(TRICKY_X.encode("utf-8"))
    data = path.read_bytes()
    assert data.decode("utf-8") == TRICKY_X  # the raw emoji stay as their four bytes
    _assert_cut_exactly(path, None, _posts)
    items = read_items(path).items
    assert [i.text for i in items] == ["über] \\ }{ ✓", "@ExampleshirePolice 😩 still shut?"]


def test_a_single_post_response_keeps_the_post(tmp_path: Path) -> None:
    post = (
        b'{"data": {"id": "5", "text": "hello \xc3\xa9", "author_id": "9",\r\n'
        b' "created_at": "2026-11-26T08:00:00Z"},\n "includes": {"users": '
        b'[{"id": "9", "username": "someone"}]}}'
    )
    path = tmp_path / "one.json"
    path.write_bytes(post)
    (item,) = read_items(path, "x_v2", account="@ExampleshirePolice").items
    assert (
        item.original == cut(post, "$.data") == post[post.index(b'{"id"') : post.index(b"},") + 1]
    )
    one_line = tmp_path / "one-line.json"  # told from its only line
    one_line.write_bytes(post.replace(b"\r\n", b""))
    (item,) = read_items(one_line, account="@ExampleshirePolice").items
    assert item.original == cut(one_line.read_bytes(), "$.data")


def test_json_lines_of_activities_keep_each_line() -> None:
    path = DATA / "activitystreams.jsonl"
    lines = [line for line in path.read_bytes().splitlines(keepends=True) if line.strip()]
    kept = [i.original for i in read_items(path, account="@ExampleshirePolice").items]
    assert kept and all(k in lines for k in kept)


def test_every_reading_keeps_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(_as_exported((DATA / "x-v2.json").read_bytes()))
    whole = [i.original for i in read_items(path).items]
    assert [i.original for i in check_items(path).items()] == whole
    assert [i.original for i in stream_items(path).items()] == whole


def test_a_document_cuts_any_path_and_refuses_one_it_does_not_have(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    data = (DATA / "facebook-comments.json").read_bytes()
    path.write_bytes(data)
    document = load_json_document(path)
    for where in ("$", "$.data", "$.data[0].comments.data[0]", "$.data[1].from.name"):
        assert document.raw(where) == cut(data, where)
    with pytest.raises(ValueError, match="no value"):
        document.raw("$.data[99]")
    with pytest.raises(ValueError, match="not a JSON path"):
        document.raw("data[0]")
