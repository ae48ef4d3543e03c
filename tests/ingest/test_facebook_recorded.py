"""Facebook Graph responses recorded from the real server (tests/ingest/data/SOURCES.md):
comments without ``from``, with a photo attachment, a page's feed of posts and one album with
its comments edge, read as the Graph API gives them (issue 17)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from desk.core.items import ItemKind, PassReason, Platform
from desk.ingest import read_items
from tests.ingest.helpers import refusal_of

DataFile = Callable[[str], Path]

PAGE = "Exampleshire Police (Facebook page)"


def test_comments_the_server_sent_without_from_are_unknown_commenters(
    data_file: DataFile,
) -> None:
    batch = read_items(data_file("facebook-graph-comments-no-from.json"), account=PAGE)
    assert batch.format == "facebook_graph" and len(batch.items) == 5
    first = batch.items[0]
    assert first.text == "رائع" and first.kind is ItemKind.COMMENT
    assert first.platform_id == "10158658755326729_10158658759266729"
    assert first.posted_at == datetime(2019, 8, 9, 14, 2, 43, tzinfo=UTC)
    # each commenter is unknown on their own: one author per comment, not one for all
    authors = {i.author.platform_user_id for i in batch.items}
    assert len(authors) == 5 and all(a.startswith("unknown:") for a in authors)
    assert {i.author.handle for i in batch.items} == {"unknown commenter"}
    assert {i.thread_id for i in batch.items} == {"10158658755326729"}
    assert first.link == (
        "https://www.facebook.com/facebook/photos/a.10150629589136729/10158658755326729/"
        "?type=3&comment_id=10158658759266729"
    )
    assert batch.items[4].text == "🤘🏴\u200d☠️"  # stored exactly as received
    assert {i.account for i in batch.items} == {PAGE}


def test_a_photo_comment_keeps_its_picture_and_its_author(data_file: DataFile) -> None:
    batch = read_items(data_file("facebook-graph-comments-attachment.json"), account=PAGE)
    photo, other, *_ = batch.items
    assert photo.author.handle == "Commenter One"
    assert photo.author.platform_user_id == "100000000000001"
    assert photo.text == "Good job!😏"
    assert len(photo.media) == 1 and photo.media[0].startswith("https://scontent.xx.fbcdn.net/")
    assert other.author.handle == "Commenter Two" and other.media == ()
    assert [i.where for i in batch.items] == [f"$.data[{n}]" for n in range(5)]
    assert {i.kind for i in batch.items} == {ItemKind.COMMENT}


def test_a_page_feed_is_posts_not_comments(data_file: DataFile) -> None:
    """Before: each of the page's five posts was queued as a comment by an unknown commenter."""
    batch = read_items(data_file("facebook-graph-page-feed.json"), account=PAGE)
    assert batch.format == "facebook_graph"
    assert batch.items == []
    assert batch.passed.counts == {PassReason.UNSUPPORTED: 5}
    assert "first at $.data[0]" in batch.passed.lines()[0]


def test_comments_nested_in_a_feed_post_are_read_on_that_post(
    data_file: DataFile, tmp_path: Path
) -> None:
    # the recorded feed, asked for with from and the comments themselves (the edge was empty)
    feed = json.loads(data_file("facebook-graph-page-feed.json").read_text("utf-8"))
    post = feed["data"][0]
    post["from"] = {"name": "Facebook for Developers", "id": "19292868552"}
    post["comments"]["data"] = [
        {
            "id": "10158349356748553_1",
            "created_time": "2021-07-09T20:00:00+0000",
            "message": "Where is the case study?",
            "comments": {
                "data": [
                    {
                        "id": "10158349356748553_2",
                        "created_time": "2021-07-09T20:05:00+0000",
                        "from": {"name": "Facebook for Developers", "id": "19292868552"},
                        "message": "Here: https://fb.me/Ninja-Van-Success-Story",
                        "parent": {"id": "10158349356748553_1"},
                    }
                ],
                "paging": {"cursors": {"before": "a", "after": "b"}},
            },
        }
    ]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    batch = read_items(path, account=PAGE)
    own, question, answer = batch.items
    assert own.platform_id == "19292868552_10158349356748553" and own.where == "$.data[0]"
    assert own.author.handle == "Facebook for Developers" and own.thread_id == own.platform_id
    assert own.media and own.media[0].startswith("https://scontent-ssn1-1.xx.fbcdn.net/")
    assert question.kind is ItemKind.COMMENT and question.author.handle == "unknown commenter"
    assert (question.reply_to, question.thread_id) == (own.platform_id, own.platform_id)
    assert question.where == "$.data[0].comments.data[0]"
    assert answer.kind is ItemKind.REPLY and answer.reply_to == question.platform_id
    assert answer.where == "$.data[0].comments.data[0].comments.data[0]"
    assert batch.passed.counts == {PassReason.UNSUPPORTED: 4}  # the other posts name no author


def test_one_album_with_its_comments_edge(data_file: DataFile) -> None:
    batch = read_items(data_file("facebook-graph-album-comments.json"), account=PAGE)
    assert batch.format == "facebook_graph"
    (comment,) = batch.items
    assert comment.author.handle == "Calcio Illustrato"
    assert comment.text == "E loro due li riconoscete?"
    assert (comment.reply_to, comment.thread_id) == ("817655031603811", "817655031603811")
    assert comment.where == "$.comments.data[0]" and comment.platform is Platform.FACEBOOK
    # the album itself names no author or time: passed over, not refused
    assert batch.passed.counts == {PassReason.UNSUPPORTED: 1}


def test_a_broken_comment_under_a_post_is_refused_at_its_path(tmp_path: Path) -> None:
    document = {
        "id": "1_2",
        "comments": {"data": [{"id": "2_3", "message": "no time"}]},
    }
    path = tmp_path / "post.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    refused = refusal_of(lambda: read_items(path, account=PAGE))
    assert (refused.json_path, refused.field) == ("$.comments.data[0].created_time", "created_time")
    assert str(path) in refused.message
