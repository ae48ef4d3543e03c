"""Bluesky as a format of its own, read from app view responses recorded from the real network.

``bluesky-notifications.json`` and ``bluesky-thread.json`` come from atproto.dart's test suite,
``bluesky-thread-quote.json`` from the atproto Python SDK's (tests/ingest/data/SOURCES.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desk.core.items import ItemKind, PassReason, Platform
from desk.ingest import detect_format, read_items
from desk.ingest.bluesky import object_spans
from desk.ingest.json_document import load_json_document
from tests.ingest.helpers import DATA, refusal_of

DataFile = Callable[[str], Path]
FORCE_DID = "did:plc:iijrtk7ocored6zuziwmqq3c"  # the account whose notifications these are
FORCE = "@shinyakato.dev"


def notifications() -> dict:
    """The recorded notifications, parsed, to break one on purpose."""
    return json.loads((DATA / "bluesky-notifications.json").read_text("utf-8"))


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), "utf-8")
    return path


@pytest.mark.parametrize(
    "name", ["bluesky-notifications.json", "bluesky-thread.json", "bluesky-thread-quote.json"]
)
def test_bluesky_is_told_from_the_file(data_file: DataFile, name: str) -> None:
    assert detect_format(data_file(name)) == "bluesky"


def test_notifications_keep_mentions_replies_and_quotes(data_file: DataFile) -> None:
    batch = read_items(data_file("bluesky-notifications.json"))
    assert batch.format == "bluesky"
    kinds = [i.kind for i in batch.items]
    assert (kinds.count(ItemKind.REPLY), kinds.count(ItemKind.MENTION)) == (17, 7)
    # likes, reposts and follows are passed over, each counted with its reason
    assert batch.passed.counts == {
        PassReason.REACTION: 149,
        PassReason.REPOST: 14,
        PassReason.FOLLOW: 13,
    }
    assert batch.passed.first[PassReason.REACTION] == "$.notifications[0]"
    assert all(i.platform is Platform.BLUESKY and i.account is None for i in batch.items)


def test_a_reply_notification(data_file: DataFile) -> None:
    batch = read_items(data_file("bluesky-notifications.json"))
    reply = batch.items[0]
    assert reply.where == "$.notifications[2]"
    assert reply.kind is ItemKind.REPLY
    assert reply.platform_id == (
        "at://did:plc:wpmuup4caccl3a726wdni6wj/app.bsky.feed.post/3k6k4as23yu2g"
    )
    assert reply.author.platform_user_id == "did:plc:wpmuup4caccl3a726wdni6wj"  # the DID
    assert reply.author.handle == "@maccalennon.bsky.social"
    assert reply.text == "あ、なるほどそういうことだったんですね！ご親切にありがとうございます😊"
    assert reply.reply_to == f"at://{FORCE_DID}/app.bsky.feed.post/3k6k42e25xo2i"
    # the conversation is the thread's first post (the replier's own, here)
    assert reply.thread_id == (
        "at://did:plc:wpmuup4caccl3a726wdni6wj/app.bsky.feed.post/3k6k3k3gwjt2q"
    )
    # the DID it replies to is the force's: its handle is learnt from a mention in the file
    assert reply.addressed == (FORCE,)
    assert reply.posted_at == datetime(2023, 9, 4, 4, 0, 35, 516000, tzinfo=UTC)  # createdAt
    assert reply.link == (
        "https://bsky.app/profile/did:plc:wpmuup4caccl3a726wdni6wj/post/3k6k4as23yu2g"
    )
    assert json.loads(reply.original or b"")["uri"] == reply.platform_id


def test_a_reply_further_down_a_thread_names_whom_it_answers_first(data_file: DataFile) -> None:
    batch = read_items(data_file("bluesky-notifications.json"))
    (deep,) = [i for i in batch.items if i.where == "$.notifications[38]"]
    assert deep.kind is ItemKind.REPLY
    assert deep.reply_to == "at://did:plc:oio4hkxaop4ao4wz2pp3f4cr/app.bsky.feed.post/3k6h5wnblxk2g"
    assert deep.thread_id == (
        "at://did:plc:yk4dd2qkboz2yv6tpubpc6co/app.bsky.feed.post/3k67i2ehemv2n"
    )
    # whom it answers first, then the force, whose post is the notification's subject
    assert deep.addressed == ("@mackuba.eu", FORCE)


def test_mentions_and_quotes_are_mentions(data_file: DataFile) -> None:
    batch = read_items(data_file("bluesky-notifications.json"))
    by_place = {i.where: i for i in batch.items}
    mention = by_place["$.notifications[160]"]
    assert mention.kind is ItemKind.MENTION and mention.text.startswith(f"{FORCE} 質問です。")
    assert mention.addressed == (FORCE,) and mention.reply_to is None
    quote = by_place["$.notifications[15]"]
    assert quote.kind is ItemKind.MENTION and quote.text == "Notifications coming soon!"
    assert quote.addressed == (FORCE,)  # the quoted post's author


def test_a_thread_gives_every_post_oldest_first(data_file: DataFile) -> None:
    batch = read_items(data_file("bluesky-thread.json"))
    assert len(batch.items) == 58
    # the thread's first post is blocked from view: passed over, counted
    assert batch.passed.counts == {PassReason.NOT_AN_ITEM: 1}
    assert batch.passed.first[PassReason.NOT_AN_ITEM].endswith(".parent")
    first = batch.items[0]
    assert first.text == "Vouch" and first.author.handle == "@protoninspector.bsky.social"
    # each post replies to the one before it
    for earlier, later in zip(batch.items[:52], batch.items[1:53], strict=True):
        assert later.reply_to == earlier.platform_id
    anchor = next(i for i in batch.items if i.where == "$.thread.post")
    assert anchor.author.handle == "@skeet.computer"
    assert anchor.text == "hellthread hellthread hellthread\n\ndid it work?"
    assert anchor.media and anchor.media[0].startswith("https://")  # the picture's address
    reply = next(i for i in batch.items if i.where == "$.thread.replies[0].post")
    assert reply.text == "Skeetlejuice skeetlejuiCE SKEETLEJUICE"
    assert reply.reply_to == anchor.platform_id
    assert reply.addressed == ("@skeet.computer",)
    assert all(i.thread_id == batch.items[0].thread_id for i in batch.items)


def test_a_quote_with_a_picture_and_no_words(data_file: DataFile) -> None:
    (post,) = read_items(data_file("bluesky-thread-quote.json")).items
    assert post.text == "" and post.kind is ItemKind.MENTION
    assert post.media == (
        "https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:kvwvcn5iqfooopmyzvb4qzba/"
        "bafkreic3cp5ky525vsukjvrzxsc2h3jka2gud74l2hgeatw2rhj2qycnmq@jpeg",
    )
    assert post.author.display_name == "Python SDK"


def test_a_post_record_without_its_time_is_refused_by_path(tmp_path: Path) -> None:
    document = notifications()
    del document["notifications"][3]["record"]["createdAt"]
    refused = refusal_of(lambda: read_items(write(tmp_path / "n.json", document)))
    assert refused.json_path == "$.notifications[3].record.createdAt"
    assert refused.problem == "is missing"


def test_a_uri_that_is_not_at_uri_is_refused(tmp_path: Path) -> None:
    document = notifications()
    document["notifications"][2]["uri"] = "https://bsky.app/post/1"
    refused = refusal_of(lambda: read_items(write(tmp_path / "n.json", document)))
    assert refused.json_path == "$.notifications[2].uri"


def test_a_record_of_another_kind_is_refused(tmp_path: Path) -> None:
    document = notifications()
    document["notifications"][2]["record"]["$type"] = "app.bsky.feed.like"
    refused = refusal_of(lambda: read_items(write(tmp_path / "n.json", document)))
    assert refused.json_path == "$.notifications[2].record"
    assert "app.bsky.feed.post" in refused.problem and "app.bsky.feed.like" in refused.problem


def test_an_empty_post_is_refused(tmp_path: Path) -> None:
    document = notifications()
    document["notifications"][2]["record"]["text"] = "  "
    refused = refusal_of(lambda: read_items(write(tmp_path / "n.json", document)))
    assert refused.json_path == "$.notifications[2].record.text"
    assert "empty" in refused.problem


def test_a_time_without_a_zone_is_refused(tmp_path: Path) -> None:
    document = notifications()
    document["notifications"][2]["record"]["createdAt"] = "2023-10-03T05:54:29"
    refused = refusal_of(lambda: read_items(write(tmp_path / "n.json", document)))
    assert refused.json_path == "$.notifications[2].record.createdAt"
    assert "timezone" in refused.problem


def test_other_and_future_reasons_are_counted(tmp_path: Path) -> None:
    document = notifications()
    document["notifications"][0]["reason"] = "starterpack-joined"
    document["notifications"][1]["reason"] = "something-new"
    batch = read_items(write(tmp_path / "n.json", document))
    assert batch.passed.counts[PassReason.NOT_AN_ITEM] == 1
    assert batch.passed.counts[PassReason.UNSUPPORTED] == 1
    assert batch.passed.first[PassReason.UNSUPPORTED] == "$.notifications[1]"


def test_neither_shape_is_refused(tmp_path: Path) -> None:
    refused = refusal_of(lambda: read_items(write(tmp_path / "x.json", {"a": 1}), fmt="bluesky"))
    assert refused.json_path == "$" and "notifications" in refused.problem


def test_images_in_a_notification_are_kept_as_blob_references(tmp_path: Path) -> None:
    document = notifications()
    record = document["notifications"][2]["record"]
    record["text"] = ""
    record["embed"] = {
        "$type": "app.bsky.embed.images",
        "images": [{"alt": "", "image": {"$type": "blob", "ref": {"$link": "bafkreiabc"}}}],
    }
    batch = read_items(write(tmp_path / "n.json", document))
    assert batch.items[0].media == ("bluesky-blob:bafkreiabc",)


def test_each_post_keeps_its_bytes_as_the_file_has_them(data_file: DataFile) -> None:
    path = data_file("bluesky-thread.json")
    document = load_json_document(path)
    for item in read_items(path).items:
        assert item.where is not None and item.original == document.raw(item.where)


def test_object_spans_see_through_strings() -> None:
    data = '{"a": [{"t": "x}\\"]{,"}, {"t": "é[", "b": {"c": 1}}], "d": {"e": "}"}}'.encode()
    spans = object_spans(data, lambda path: True)
    cut = {path: data[s:e].decode() for path, (s, e) in spans.items()}
    assert cut == {
        "$": data.decode(),
        "$.a[0]": '{"t": "x}\\"]{,"}',
        "$.a[1]": '{"t": "é[", "b": {"c": 1}}',
        "$.a[1].b": '{"c": 1}',
        "$.d": '{"e": "}"}',
    }


def test_a_post_there_twice_is_refused_naming_both_places(tmp_path: Path) -> None:
    document = notifications()
    document["notifications"][3] = document["notifications"][2]
    refused = refusal_of(lambda: read_items(write(tmp_path / "n.json", document)))
    assert refused.json_path == "$.notifications[3].uri"
    assert "already at $.notifications[2]" in refused.problem


@pytest.mark.parametrize(
    "document",
    [
        {"notifications": [{"id": 1, "subject": "a GitHub notification"}]},
        {"thread": "not a post thread"},
        {"type": "Note", "id": "https://m.example/n/1", "content": "an AS note alone"},
    ],
    ids=["other-notifications", "other-thread", "as-note"],
)
def test_lookalikes_are_not_taken_for_bluesky_or_mastodon(tmp_path: Path, document: dict) -> None:
    path = write(tmp_path / "other.json", document)
    refused = refusal_of(lambda: detect_format(path))
    assert "cannot tell its format" in refused.problem
