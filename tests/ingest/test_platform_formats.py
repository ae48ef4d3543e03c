"""ActivityStreams, Mastodon, X API v2 and Facebook Graph files: mapping and refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desk.core.items import ItemKind, Platform
from desk.ingest import AccountNeeded, read_items
from desk.ingest.html_text import html_to_text
from tests.ingest.helpers import refusal_of

DataFile = Callable[[str], Path]
POLICE = "@ExampleshirePolice"

# --- ActivityStreams --------------------------------------------------------------------------


def test_activitystreams_collection(data_file: DataFile) -> None:
    path = data_file("activitystreams-outbox.json")
    batch = read_items(path, account=POLICE)
    assert batch.format == "activitystreams" and batch.skipped == 1  # the Like
    reply, dm, thanks = batch.items
    assert reply.platform is Platform.MASTODON
    assert reply.kind is ItemKind.REPLY
    assert reply.platform_id == "https://mastodon.example/users/rhys/statuses/111000000000000001"
    assert reply.author.platform_user_id == "https://mastodon.example/users/rhys"
    assert reply.author.handle == "@rhys@mastodon.example"
    assert reply.author.display_name == "Rhys ap Dafydd"
    assert reply.text == (
        "@ExampleshirePolice Is the Teign bridge open again?\nThe diversion is adding an hour"
        "\n\nThanks"
    )
    assert reply.thread_id == (
        "https://police.example/users/ExampleshirePolice/statuses/110999999999999999"
    )
    assert reply.posted_at == datetime(2026, 11, 26, 9, 14, 3, tzinfo=UTC)
    assert reply.link == "https://mastodon.example/@rhys/111000000000000001"
    assert reply.account == POLICE  # the Mention of the account the importer named
    assert dm.kind is ItemKind.DIRECT_MESSAGE
    assert dm.author.handle == "@anon@other.example"
    assert dm.text.startswith("CW: local crime\n\nI know who did the Co-op break in but I don't")
    assert dm.media == ("https://other.example/media/5.jpg",)
    assert thanks.kind is ItemKind.MENTION
    assert thanks.account == POLICE  # two Mentions: the one the importer named


def test_activitystreams_two_mentions_are_placed_by_the_store(data_file: DataFile) -> None:
    # no AccountNeeded: the import places it by whom it addresses, or passes it over
    path = data_file("activitystreams-outbox.json")
    items = read_items(path).items
    assert all(i.account is None for i in items)  # the reader infers none: the store places
    assert items[2].where == "$.orderedItems[3]"
    assert items[2].addressed == (
        "@ExampleshirePolice@police.example",
        "@ExampleshireFire@fire.example",
    )


def test_activitystreams_json_lines(data_file: DataFile) -> None:
    path = data_file("activitystreams.jsonl")
    undecided = [i for i in read_items(path).items if not i.addressed]
    assert [i.where for i in undecided] == ["line 3"]  # a reply, placed by its conversation
    batch = read_items(path, account=POLICE, platform=Platform.BLUESKY)
    assert batch.format == "activitystreams" and batch.skipped == 1  # the Announce
    first, second = batch.items
    assert first.platform is Platform.BLUESKY and first.account == POLICE
    assert first.kind is ItemKind.MENTION and first.author.handle == "@jo@bsky.example"
    assert second.kind is ItemKind.REPLY and second.thread_id == "at://force/post/9"


def test_activitystreams_bad_time_named_by_path(data_file: DataFile) -> None:
    path = data_file("activitystreams-missing-published.json")
    refused = refusal_of(lambda: read_items(path))
    assert refused.json_path == "$.orderedItems[1].object.published"
    assert refused.field == "published"
    assert "'yesterday' is not a valid time" in refused.problem
    assert str(path) in refused.message and "$.orderedItems[1].object.published" in refused.message


def test_activitystreams_link_only_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "links.jsonl"
    path.write_text(
        json.dumps({"type": "Create", "actor": "https://m.example/u/a", "object": "https://x"})
        + "\n",
        encoding="utf-8",
    )
    refused = refusal_of(lambda: read_items(path, fmt="activitystreams"))
    assert refused.line == 1 and refused.field == "object" and "only a link" in refused.problem


def test_activitystreams_bad_json_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl"
    good = {
        "type": "Create",
        "actor": "https://m.example/u/a",
        "to": ["as:Public"],
        "object": {"type": "Note", "id": "n1", "content": "hi", "published": "2026-11-26T09:00Z"},
    }
    path.write_text(json.dumps(good) + "\n" + json.dumps(good)[:-5] + "\n", encoding="utf-8")
    refused = refusal_of(lambda: read_items(path, account=POLICE))
    assert refused.line == 2 and "not valid JSON" in refused.problem


# --- Mastodon ---------------------------------------------------------------------------------


def test_mastodon_statuses(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-statuses.json"))
    assert batch.format == "mastodon"
    reply, dm = batch.items
    assert reply.platform is Platform.MASTODON and reply.kind is ItemKind.REPLY
    assert reply.thread_id == "113512345678800000"
    assert reply.account is None  # the store places it by whom it addresses
    assert reply.addressed[0] == "@ExampleshirePolice@police.example"
    assert reply.reply_to == "113512345678800000"
    assert reply.author.handle == "@ellie" and reply.author.display_name == "Ellie ✨"
    assert reply.text == (
        "@ExampleshirePolice the lights on Fore St & Mill Lane are out again.\n"
        "Somebody will get hurt.\n\nPhoto: https://pics.example/a/very/long/path"
    )
    assert reply.media == ("https://files.mastodon.example/media/1.jpg",)
    assert reply.link == "https://mastodon.example/@ellie/113512345678900001"
    assert dm.kind is ItemKind.DIRECT_MESSAGE
    assert dm.text == "CW: worrying\n\n@ExampleshirePolice my neighbour hasn't been seen for days"
    assert dm.link == "https://other.example/users/x/statuses/2"  # no url: the uri
    assert dm.author.handle == "@x@other.example"


def test_mastodon_notifications_keep_mentions_only(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-notifications.json"))
    assert batch.skipped == 2
    (item,) = batch.items
    assert item.kind is ItemKind.MENTION and item.text.startswith("Thank you @ExampleshirePolice")


def test_mastodon_wrong_type_named_by_path(data_file: DataFile) -> None:
    path = data_file("mastodon-wrong-type.json")
    refused = refusal_of(lambda: read_items(path))
    assert refused.json_path == "$[1].account.acct"
    assert refused.field == "account.acct"
    assert refused.problem == "should be text, not a list"


def test_mastodon_naive_time(tmp_path: Path) -> None:
    statuses = [
        {
            "id": "1",
            "created_at": "2026-11-26T09:20:11",
            "content": "<p>hi</p>",
            "account": {"id": "2", "username": "a", "acct": "a"},
        }
    ]
    path = tmp_path / "statuses.json"
    path.write_text(json.dumps(statuses), encoding="utf-8")
    refused = refusal_of(lambda: read_items(path, account=POLICE))
    assert refused.json_path == "$[0].created_at" and "has no timezone" in refused.problem


# --- X API v2 ---------------------------------------------------------------------------------


def test_x_v2(data_file: DataFile) -> None:
    batch = read_items(data_file("x-v2.json"))
    assert batch.format == "x_v2" and batch.skipped == 1  # the repost
    reply, mention = batch.items
    assert reply.platform is Platform.X and reply.kind is ItemKind.REPLY
    # addressed to the user it replies to (in_reply_to_user_id, looked up), then its mentions;
    # the import places it on the first that is an official account
    assert reply.account is None and reply.addressed[0] == POLICE
    assert reply.reply_to == "1861234567000000000" and reply.where == "$.data[0]"
    assert reply.thread_id == "1861234567000000000"
    assert reply.author.handle == "@tomhayes_devon" and reply.author.display_name == "Tom Hayes"
    assert reply.link == "https://x.com/tomhayes_devon/status/1861234567890124001"
    assert reply.posted_at == datetime(2026, 11, 26, 8, 12, 45, tzinfo=UTC)
    assert mention.kind is ItemKind.MENTION and mention.thread_id is None
    assert mention.addressed == ("@ExampleshireCops_North",)  # the only mention
    assert mention.media == ("https://pbs.twimg.example/media/abc.jpg", "x-media-key:3_missing")


def test_x_v2_author_must_be_included(data_file: DataFile) -> None:
    path = data_file("x-v2-missing-author.json")
    refused = refusal_of(lambda: read_items(path, account=POLICE))
    assert refused.json_path == "$.data[2].author_id" and refused.field == "author_id"
    assert "'99' is not in includes.users" in refused.problem


def test_x_v2_missing_created_at(data_file: DataFile) -> None:
    path = data_file("x-v2-no-created-at.json")
    refused = refusal_of(lambda: read_items(path, account=POLICE))
    assert refused.json_path == "$.data[1].created_at" and refused.problem == "is missing"
    assert str(path) in refused.message


def test_x_v2_truncated(data_file: DataFile) -> None:
    path = data_file("x-v2-truncated.json")
    refused = refusal_of(lambda: read_items(path, fmt="x_v2"))
    assert refused.line is not None and "cut short" in refused.problem
    refused = refusal_of(lambda: read_items(path))
    assert "cut short" in refused.problem


def test_x_v2_single_post_response(tmp_path: Path) -> None:
    response = {
        "data": {
            "id": "5",
            "text": "hello @ExampleshirePolice",
            "author_id": "9",
            "created_at": "2026-11-26T08:00:00Z",
            "entities": {"mentions": [{"username": "ExampleshirePolice"}]},
        },
        "includes": {"users": [{"id": "9", "username": "nine", "name": "Nine"}]},
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    (item,) = read_items(path).items
    assert item.addressed == (POLICE,) and item.author.handle == "@nine"
    assert item.where == "$.data"


# --- Facebook Graph ---------------------------------------------------------------------------


def test_facebook_comments_with_nested_replies(data_file: DataFile) -> None:
    path = data_file("facebook-comments.json")
    with pytest.raises(AccountNeeded) as caught:
        read_items(path)
    assert caught.value.count == 3
    page = "Exampleshire Police (Facebook page)"
    batch = read_items(path, account=page)
    assert batch.format == "facebook_graph"
    top, reply, sticker = batch.items
    assert top.kind is ItemKind.COMMENT and top.thread_id == "1029384756"
    assert top.posted_at == datetime(2026, 11, 26, 9, 14, 3, tzinfo=UTC)
    assert top.author.handle == top.author.display_name == "Sarah Jenkins"
    assert top.author.platform_user_id == "100064211223344"
    assert top.link and top.link.startswith("https://www.facebook.com/")
    assert reply.kind is ItemKind.REPLY and reply.thread_id == "1029384756_5566778899"
    assert sticker.text == "" and sticker.media == ("https://scontent.example/sticker.png",)
    assert {i.account for i in batch.items} == {page}
    assert {i.platform for i in batch.items} == {Platform.FACEBOOK}


@pytest.mark.parametrize(
    ("name", "json_path", "field", "fragment"),
    [
        ("facebook-naive-time.json", "$.data[3].created_time", "created_time", "no timezone"),
    ],
)
def test_facebook_refusals(
    data_file: DataFile, name: str, json_path: str, field: str, fragment: str
) -> None:
    path = data_file(name)
    refused = refusal_of(lambda: read_items(path, account="Page"))
    assert (refused.json_path, refused.field) == (json_path, field)
    assert fragment in refused.problem
    assert str(path) in refused.message and json_path in refused.message


def test_facebook_empty_page_is_an_empty_batch(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text('{"data": [], "paging": {}}', encoding="utf-8")
    assert read_items(path).items == []


def test_facebook_nested_error_path(tmp_path: Path) -> None:
    response = {
        "data": [
            {
                "id": "1_1",
                "created_time": "2026-11-26T09:14:03+0000",
                "from": {"id": "1", "name": "A"},
                "message": "top",
                "comments": {"data": [{"id": "1_2", "from": {"id": "2"}, "message": "x"}]},
            }
        ]
    }
    path = tmp_path / "nested.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    refused = refusal_of(lambda: read_items(path, account="Page"))
    assert refused.json_path == "$.data[0].comments.data[0].created_time"
    assert refused.field == "comments.data[0].created_time"


# --- HTML to text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("line<br>break<br/>again<br />end", "line\nbreak\nagain\nend"),
        ("<p>Fish &amp; chips &lt;3 &#39;ok&#39; &pound;5</p>", "Fish & chips <3 'ok' £5"),
        ("<p>spaces\n   collapse</p>", "spaces collapse"),
        ("<script>alert(1)</script><p>safe</p>", "safe"),
        ("<ul><li>a</li><li>b</li></ul>", "• a\n• b"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
