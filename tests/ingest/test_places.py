"""Issue 17: refusals name the place (JSON path, line and path, row and column), and X text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk.core.items import PassReason
from desk.ingest import ImportRefused, read_items
from desk.ingest.paths import child, csv_place, json_path, line_path, refuse
from desk.ingest.x_v2 import unescape_x

HEADER = (
    "Platform,Account,Type,Message ID,Author ID,Author Handle,Author Name,Message,Link,Media,"
    "Thread ID,Posted At,Received At"
)


def test_paths_are_written_one_way() -> None:
    assert json_path("$", ["data", 3, "from", "id"]) == "$.data[3].from.id"
    assert child("$[5]", "account", "acct") == "$[5].account.acct"
    assert json_path("$", ["odd key"]) == "$['odd key']"
    assert line_path(3, "$.author_handle") == "line 3: $.author_handle"
    assert csv_place(7, "posted_at") == "row 7, column 'posted_at'"
    refused = refuse(Path("f.json"), "$[5].account.acct", "should be text", expected="a handle")
    assert refused.field == "acct"
    assert refused.message == (
        "Cannot import f.json: at $[5].account.acct, field 'acct': should be text; "
        "expected a handle"
    )


def test_a_json_lines_refusal_names_the_line_and_the_path(tmp_path: Path) -> None:
    good = {
        "platform": "x",
        "account": "@ExampleshirePolice",
        "kind": "mention",
        "id": "1",
        "author_id": "1",
        "author_handle": "@a",
        "text": "hi",
        "posted_at": "2026-11-26T09:00:00Z",
    }
    bad = {**good, "id": "3", "author_handle": 42}
    path = tmp_path / "f.jsonl"
    path.write_text(
        "\n".join(json.dumps(r) for r in (good, {**good, "id": "2"}, bad)) + "\n", "utf-8"
    )
    with pytest.raises(ImportRefused) as caught:
        read_items(path)
    refused = caught.value
    assert (refused.line, refused.json_path, refused.field) == (
        3,
        "$.author_handle",
        "author_handle",
    )
    assert f"Cannot import {path}: line 3: $.author_handle" in refused.message
    assert "should be text, not the number 42" in refused.message


def test_a_csv_refusal_names_the_row_and_the_column(tmp_path: Path) -> None:
    rows = [f"X,@P,Mention,{n},1,@a,,hi {n},,,,2026-11-26T08:00:00Z," for n in range(1, 6)]
    rows.append("X,@P,Mention,6,1,@a,,hi,,,,26 November,")
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    with pytest.raises(ImportRefused) as caught:
        read_items(path)
    refused = caught.value
    assert (refused.row, refused.column, refused.field) == (7, "Posted At", "posted_at")
    assert "row 7, column 'Posted At' (field 'posted_at')" in refused.message
    assert "'26 November' is not a valid time" in refused.message


@pytest.mark.parametrize(
    ("sent", "meant"),
    [
        ("Fish &amp; chips &lt;3 &gt;:(", "Fish & chips <3 >:("),
        ("&amp;lt; is how you write &lt;", "&lt; is how you write <"),  # escaped once only
        (
            "&copy; and &quot;quotes&quot; &#39;stay&#39;",
            "&copy; and &quot;quotes&quot; &#39;stay&#39;",
        ),
        ("&copy 2026 written by a person", "&copy 2026 written by a person"),
        ("no entities at all", "no entities at all"),
    ],
)
def test_x_text_is_unescaped_for_exactly_three_entities(sent: str, meant: str) -> None:
    assert unescape_x(sent) == meant


def test_x_text_is_stored_unescaped(tmp_path: Path) -> None:
    response = {
        "data": [
            {
                "id": "1",
                "text": "@ExampleshirePolice road &amp; path closed &lt;A38&gt; &copy",
                "author_id": "9",
                "created_at": "2026-11-26T08:00:00Z",
                "entities": {"mentions": [{"username": "ExampleshirePolice"}]},
            },
            {
                "id": "2",
                "text": "RT",
                "author_id": "9",
                "created_at": "2026-11-26T08:00:00Z",
                "referenced_tweets": [{"type": "retweeted", "id": "1"}],
            },
        ],
        "includes": {"users": [{"id": "9", "username": "nine", "name": "Nine"}]},
    }
    path = tmp_path / "x.json"
    path.write_text(json.dumps(response), "utf-8")
    batch = read_items(path)
    (item,) = batch.items
    assert item.text == "@ExampleshirePolice road & path closed <A38> &copy"
    assert item.original is not None and b"&amp;" in item.original  # the evidence as received
    assert batch.passed.counts == {PassReason.REPOST: 1}
    assert batch.passed.first == {PassReason.REPOST: "$.data[1]"}


def test_a_facebook_comment_without_from_reads_as_an_unknown_commenter(tmp_path: Path) -> None:
    data = Path(__file__).parent / "data" / "facebook-missing-from.json"
    (item,) = read_items(data, account="Page").items
    assert item.author.platform_user_id == "unknown:1_1"
    assert item.author.handle == "unknown commenter"
