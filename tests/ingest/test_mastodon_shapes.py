"""Mastodon's current response shapes, read from responses recorded from real servers.

Grouped notifications, conversations, a single status and a thread context come from
Mastodon.py's recorded test cassettes and bigbone's test assets (tests/ingest/data/SOURCES.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.core.items import ItemKind, PassReason, Platform
from desk.ingest import detect_format, read_items
from tests.ingest.helpers import DATA, refusal_of

DataFile = Callable[[str], Path]


@pytest.mark.parametrize(
    "name",
    [
        "mastodon-grouped-notifications.json",
        "mastodon-grouped-favourites.json",
        "mastodon-conversations.json",
        "mastodon-context.json",
        "mastodon-context-empty.json",
        "mastodon-status-reply.json",
    ],
)
def test_each_shape_is_told_as_mastodon(data_file: DataFile, name: str) -> None:
    assert detect_format(data_file(name)) == "mastodon"


def test_grouped_notifications_give_the_mentions(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-grouped-notifications.json"))
    assert batch.format == "mastodon" and batch.skipped == 0
    assert [i.text for i in batch.items] == [
        f"@mastodonpy_test hey how you doing - {n}!" for n in (9, 8, 7, 6, 5)
    ]
    first = batch.items[0]
    assert first.platform is Platform.MASTODON and first.kind is ItemKind.MENTION
    assert first.platform_id == "117020579970985201"
    assert first.author.handle == "@admin"
    assert first.author.platform_user_id == "117020565693913441"
    assert first.addressed == ("@mastodonpy_test",)
    assert first.account is None  # the import places it by whom it addresses
    assert first.where == "$.statuses[0]"
    assert first.link == "http://localhost:3000/@admin/117020579970985201"
    # the evidence is the status as the server sent it
    assert json.loads(first.original or b"")["id"] == "117020579970985201"


def test_grouped_favourites_are_passed_over_one_per_notification(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-grouped-favourites.json"))
    assert batch.items == []
    assert batch.passed.counts == {PassReason.REACTION: 2}  # one group of two favourites
    assert batch.passed.first[PassReason.REACTION] == "$.notification_groups[0]"


def test_a_mention_group_whose_status_is_missing_is_refused(tmp_path: Path) -> None:
    document = json.loads((DATA / "mastodon-grouped-notifications.json").read_text("utf-8"))
    document["statuses"] = document["statuses"][1:]  # the first group's status is gone
    path = tmp_path / "grouped.json"
    path.write_text(json.dumps(document), "utf-8")
    refused = refusal_of(lambda: read_items(path))
    assert refused.json_path == "$.notification_groups[0].status_id"
    assert "117020579970985201" in refused.problem and "$.statuses" in refused.problem


def test_a_bad_status_in_grouped_notifications_is_named_by_its_path(tmp_path: Path) -> None:
    document = json.loads((DATA / "mastodon-grouped-notifications.json").read_text("utf-8"))
    document["statuses"][2]["account"]["acct"] = 42
    path = tmp_path / "grouped.json"
    path.write_text(json.dumps(document), "utf-8")
    refused = refusal_of(lambda: read_items(path))
    assert refused.json_path == "$.statuses[2].account.acct"
    assert "should be text" in refused.problem


def test_conversations_give_each_last_status(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-conversations.json"))
    to_admin, to_test = batch.items
    assert to_admin.kind is ItemKind.DIRECT_MESSAGE and to_admin.text == "@admin ilu bby ;3"
    assert to_admin.addressed == ("@admin",) and to_admin.where == "$[0].last_status"
    assert to_test.kind is ItemKind.DIRECT_MESSAGE
    assert to_test.reply_to == "117020588315335369"  # a reply within the conversation
    # the evidence is the whole conversation, participants and all
    assert json.loads(to_admin.original or b"")["id"] == "15"


def test_a_conversation_without_a_last_status_is_passed_over(tmp_path: Path) -> None:
    document = json.loads((DATA / "mastodon-conversations.json").read_text("utf-8"))
    document[1]["last_status"] = None
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(document), "utf-8")
    batch = read_items(path)
    assert len(batch.items) == 1
    assert batch.passed.counts == {PassReason.NOT_AN_ITEM: 1}
    assert batch.passed.first[PassReason.NOT_AN_ITEM] == "$[1]"


def test_a_thread_context_gives_every_status(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-context.json"))
    root, reply, later = batch.items
    assert [i.where for i in batch.items] == [
        "$.ancestors[0]",
        "$.ancestors[1]",
        "$.descendants[0]",
    ]
    assert root.author.handle == "@test@mstdn.onosendai.jp" and root.reply_to is None
    assert root.media == (
        "https://media.mstdn.jp/images/media_attachments/files/000/443/773/original/"
        "f1e20bf4332c4cf0.jpeg",
    )
    assert reply.kind is ItemKind.REPLY and reply.reply_to == "6884492"
    # replied to: the account of in_reply_to_account_id, found among the mentions
    assert reply.addressed == ("@test@mstdn.onosendai.jp",)
    assert later.reply_to == "6886100"


def test_an_empty_context_imports_nothing(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-context-empty.json"))
    assert batch.items == [] and batch.skipped == 0


def test_a_single_status(data_file: DataFile) -> None:
    (item,) = read_items(data_file("mastodon-status-reply.json")).items
    assert item.kind is ItemKind.REPLY and item.text == "@mastodonpy_test_2 same!"
    assert item.addressed == ("@mastodonpy_test_2",) and item.where == "$"
    assert item.reply_to == item.thread_id == "117020583245459824"


def test_the_account_given_is_the_account(data_file: DataFile) -> None:
    batch = read_items(data_file("mastodon-status-reply.json"), account="@mastodonpy_test_2")
    assert batch.items[0].account == "@mastodonpy_test_2"


def test_boosts_in_a_timeline_are_passed_over(tmp_path: Path) -> None:
    status = json.loads((DATA / "mastodon-status-reply.json").read_text("utf-8"))
    boost = {**status, "id": "1", "content": "", "reblog": status}
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps([boost, status]), "utf-8")
    batch = read_items(path)
    assert [i.platform_id for i in batch.items] == [status["id"]]
    assert batch.passed.counts == {PassReason.REPOST: 1}
    assert batch.passed.first[PassReason.REPOST] == "$[0]"


def test_v1_notification_types_are_passed_over_with_their_reason(tmp_path: Path) -> None:
    status = json.loads((DATA / "mastodon-status-reply.json").read_text("utf-8"))
    account = status["account"]
    base = {"created_at": "2026-08-01T13:52:21.549Z", "account": account}
    notes = [
        {**base, "id": "1", "type": "reblog", "status": status},
        {**base, "id": "2", "type": "poll", "status": status},
        {**base, "id": "3", "type": "quote", "status": status},
        {**base, "id": "4", "type": "follow_request"},
        {**base, "id": "5", "type": "something_new"},
    ]
    path = tmp_path / "notifications.json"
    path.write_text(json.dumps(notes), "utf-8")
    batch = read_items(path)
    assert [i.where for i in batch.items] == ["$[2].status"]  # a quote carries a status
    assert batch.passed.counts == {
        PassReason.REPOST: 1,
        PassReason.NOT_AN_ITEM: 1,
        PassReason.FOLLOW: 1,
        PassReason.UNSUPPORTED: 1,
    }


def test_no_known_shape_is_refused_with_what_is_read(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"ancestors": "none"}), "utf-8")
    refused = refusal_of(lambda: read_items(path, fmt="mastodon"))
    assert refused.json_path == "$.ancestors" and "list of statuses" in refused.problem
    path.write_text(json.dumps({"hello": 1}), "utf-8")
    refused = refusal_of(lambda: read_items(path, fmt="mastodon"))
    assert refused.json_path == "$" and "grouped notifications" in refused.problem
