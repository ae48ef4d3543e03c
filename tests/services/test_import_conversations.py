"""Issue 17: records not addressed to the desk, and the force's own posts.

A record not addressed to an official account no longer refuses the file: it goes to the
desk whose conversation it is in, or is passed over and counted with the reason. Posts by an
official account are the force's own: kept as thread context, never queued.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desk.core.items import PassReason, Platform
from desk.services.importing import ImportSource
from desk.store.tables import Case, CaseEvent, Item, OwnPost
from tests.conftest import Staffed

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"
DEV = "2244994945"  # @TwitterDev, in the X documentation's example
OWN_REPLY = "1296887316556980230"  # @TwitterDev's self-reply (the recorded payload)
OWN_ROOT = "1296887091901718529"  # the post that started its conversation


@pytest.fixture
def dev(staffed: Staffed) -> Staffed:
    staffed.desk.official_accounts.add(
        staffed.admin_token, Platform.X, "@TwitterDev", "Twitter Dev"
    )
    return staffed


def count(staffed: Staffed, table: Any) -> int:
    with staffed.desk.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def post(
    id_: str,
    author: str,
    text: str,
    *,
    reply_to: str | None = None,
    reply_to_user: str | None = None,
    conversation: str | None = None,
    mentions: tuple[str, ...] = (),
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": id_,
        "text": text,
        "author_id": author,
        "created_at": "2026-11-26T09:00:00.000Z",
        "conversation_id": conversation or id_,
        "edit_history_tweet_ids": [id_],
    }
    if reply_to:
        record["referenced_tweets"] = [{"type": "replied_to", "id": reply_to}]
    if reply_to_user:
        record["in_reply_to_user_id"] = reply_to_user
    if mentions:
        record["entities"] = {"mentions": [{"username": m} for m in mentions]}
    return record


USERS = [
    {"id": DEV, "username": "TwitterDev", "name": "Twitter Dev"},
    {"id": "11", "username": "jo_public", "name": "Jo"},
    {"id": "12", "username": "sam_public", "name": "Sam"},
    {"id": "13", "username": "stranger", "name": "Stranger"},
]


def response(tmp_path: Path, name: str, posts: list[dict[str, Any]]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"data": posts, "includes": {"users": USERS}}), "utf-8")
    return path


def test_the_forces_own_self_reply_is_thread_context_never_queued(
    dev: Staffed, tmp_path: Path
) -> None:
    # the X documentation's recorded "Tweet reply": @TwitterDev replying to its own post
    path = tmp_path / "x-v2-docs-tweet-reply.json"
    shutil.copy(DATA / path.name, path)
    done = dev.desk.importer.import_file(dev.admin_token, path)
    assert done.report.own_posts == 1 and done.report.added == 0
    assert count(dev, Item) == 0 and count(dev, Case) == 0  # nothing queued, no "reply"
    with dev.desk.ctx.db.read() as s:
        own = s.scalars(select(OwnPost)).one()
        assert (own.platform_id, own.thread_id, own.reply_to) == (OWN_REPLY, OWN_ROOT, OWN_ROOT)
        assert own.original is not None and b'"1296887316556980230"' in own.original
    again = dev.desk.importer.import_file(dev.admin_token, path)
    assert (again.report.own_posts, again.report.own_posts_known) == (0, 1)
    assert count(dev, OwnPost) == 1


def test_a_conversation_under_the_forces_post_comes_to_its_desk(
    dev: Staffed, tmp_path: Path
) -> None:
    shutil.copy(DATA / "x-v2-docs-tweet-reply.json", tmp_path / "own.json")
    dev.desk.importer.import_file(dev.admin_token, tmp_path / "own.json")
    # a home timeline: replies between members of the public under the force's post, newest
    # first (a reply before the reply it answers), and a post connected to no desk at all
    path = response(
        tmp_path,
        "timeline.json",
        [
            post("903", "12", "@jo_public agreed", reply_to="902", reply_to_user="11",
                 conversation=OWN_ROOT, mentions=("jo_public",)),
            post("902", "11", "@TwitterDev thanks for this", reply_to=OWN_REPLY,
                 reply_to_user=DEV, conversation=OWN_ROOT, mentions=("TwitterDev",)),
            post("904", "13", "@sam_public nothing to do with the force", reply_to="777",
                 reply_to_user="12", conversation="777", mentions=("sam_public",)),
            post("905", "13", "just a thought, no one named"),
        ],
    )  # fmt: skip
    done = dev.desk.importer.import_file(dev.admin_token, path)
    assert done.report.added == 2
    assert done.passed.counts == {PassReason.NOT_CONNECTED: 2}
    assert done.passed.first[PassReason.NOT_CONNECTED] == "$.data[2]"
    assert done.skipped == 2
    with dev.desk.ctx.db.read() as s:
        stored = dict(s.execute(select(Item.platform_id, Item.kind)).all())
    assert stored == {"902": "reply", "903": "reply"}  # on @TwitterDev's desk
    # the case's thread shows the force's post as the force's
    with dev.desk.ctx.db.read() as s:
        case_id = s.scalar(select(Item.case_id).where(Item.platform_id == "902"))
    assert case_id is not None
    detail = dev.desk.queue.detail(dev.admin_token, case_id)
    own = [v for v in detail.thread if v.own]
    assert [(v.platform_id, v.author_handle) for v in own] == [(OWN_REPLY, "@TwitterDev")]
    assert not any(v.own for v in detail.items)
    # importing it again adds nothing, and passes over the same records
    again = dev.desk.importer.import_file(dev.admin_token, path)
    assert again.report.added == 0 and again.report.duplicates == 2
    assert again.passed.counts == {PassReason.NOT_CONNECTED: 2}


def test_a_reply_to_a_post_later_in_the_same_file_finds_its_desk(
    dev: Staffed, tmp_path: Path
) -> None:
    path = response(
        tmp_path,
        "thread.json",
        [
            post("a3", "12", "@jo_public yes", reply_to="a2", reply_to_user="11",
                 conversation="a1", mentions=("jo_public",)),
            post("a2", "11", "@TwitterDev when?", reply_to="a1", reply_to_user=DEV,
                 conversation="a1", mentions=("TwitterDev",)),
            post("a1", DEV, "Road closed on the A38 tonight", conversation="a1"),
            post("a4", DEV, "@jo_public from 10pm", reply_to="a2", reply_to_user="11",
                 conversation="a1", mentions=("jo_public",)),
        ],
    )  # fmt: skip
    done = dev.desk.importer.import_file(dev.admin_token, path)
    assert done.report.added == 2 and done.report.own_posts == 2
    assert done.passed.total == 0
    with dev.desk.ctx.db.read() as s:
        assert set(s.scalars(select(Item.platform_id))) == {"a2", "a3"}
        assert set(s.scalars(select(OwnPost.platform_id))) == {"a1", "a4"}


def test_account_given_says_whose_file_it_is(dev: Staffed, tmp_path: Path) -> None:
    path = response(tmp_path, "search.json", [post("s1", "13", "about the force, unnamed")])
    assert dev.desk.importer.import_file(dev.admin_token, path).passed.total == 1
    done = dev.desk.importer.import_file(dev.admin_token, ImportSource(path, account="@TwitterDev"))
    assert done.report.added == 1 and done.passed.total == 0


def test_a_facebook_comment_without_from_is_an_unknown_commenter(
    staffed: Staffed, tmp_path: Path
) -> None:
    page = "Exampleshire Police (Facebook page)"
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.FACEBOOK, page, page)
    path = tmp_path / "facebook-missing-from.json"
    shutil.copy(DATA / path.name, path)
    done = staffed.desk.importer.import_file(staffed.admin_token, ImportSource(path, account=page))
    assert done.report.added == 1
    with staffed.desk.ctx.db.read() as s:
        case_id = s.scalar(select(Item.case_id))
        note = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)).one()
    assert note.text == (
        "The platform did not say who wrote this (Facebook leaves the commenter out when "
        "the page's app may not see them)."
    )
    assert case_id is not None
    detail = staffed.desk.queue.detail(staffed.admin_token, case_id)
    assert detail.items[0].author_handle == "unknown commenter"
    assert any("did not say who wrote this" in t.text for t in detail.timeline)
    again = staffed.desk.importer.import_file(staffed.admin_token, ImportSource(path, account=page))
    assert again.report.added == 0 and count(staffed, CaseEvent) == 1


def test_the_drop_folder_says_what_it_passed_over(dev: Staffed, folder: Path) -> None:
    path = response(
        folder,
        "timeline.json",
        [
            post("b1", DEV, "Our appeal: have you seen Sam?"),
            post("b2", "11", "@TwitterDev shared", reply_to="b1", reply_to_user=DEV,
                 conversation="b1", mentions=("TwitterDev",)),
            post("b3", "13", "unrelated"),
        ],
    )  # fmt: skip
    old = dev.clock.now().timestamp() - 60
    os.utime(path, (old, old))
    (result,) = dev.desk.drop_folder.scan(dev.admin_token)
    assert result.report is not None and result.report.added == 1
    assert result.report.passed.counts == {PassReason.NOT_CONNECTED: 1}
    note = result.filed_as.with_name(result.filed_as.name + ".passed.txt").read_text("utf-8")
    assert "The force's own posts: 1 kept as thread context" in note
    assert "Passed over 1 record:" in note
    assert "posts addressed to no official account and in no conversation of one: 1" in note
    assert "(first at $.data[2])" in note
