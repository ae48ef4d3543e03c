"""Recorded Bluesky, Mastodon and ActivityStreams payloads imported into a desk, and again.

Through ``ImportService.import_file`` (what the Import dialog and ``desk-admin import`` call)
and the drop folder: items land on the official account's desk, the force's own posts are kept
as thread context, what is not an item is passed over with its reason, and importing the same
file again adds nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk.core.items import PassReason, Platform
from desk.core.queue_filter import QueueFilter
from desk.services.importing import ImportSource
from desk.store.tables import Item
from tests.conftest import Staffed
from tests.ingest.helpers import DATA

BLUESKY_FORCE = "@shinyakato.dev"  # whose notifications the recorded file holds


def stored(staffed: Staffed) -> int:
    with staffed.desk.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(Item)) or 0


def official(staffed: Staffed, platform: Platform, handle: str) -> None:
    staffed.desk.official_accounts.add(staffed.admin_token, platform, handle, "Police")


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copyfile(DATA / name, target)
    return target


def test_bluesky_notifications_land_on_the_forces_desk(staffed: Staffed, tmp_path: Path) -> None:
    official(staffed, Platform.BLUESKY, BLUESKY_FORCE)
    path = copy("bluesky-notifications.json", tmp_path)
    done = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert done.format == "bluesky"
    assert done.report.added == 24 and stored(staffed) == 24
    assert done.passed.counts[PassReason.REACTION] == 149
    assert done.passed.counts[PassReason.REPOST] == 14
    assert done.passed.counts[PassReason.FOLLOW] == 13
    again = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert again.report.added == 0 and stored(staffed) == 24  # re-importing adds nothing


def test_a_bluesky_thread_keeps_the_forces_post_as_context(
    staffed: Staffed, tmp_path: Path
) -> None:
    # the anchor post's author plays the force: its post is context, the replies are items
    official(staffed, Platform.BLUESKY, "@skeet.computer")
    path = copy("bluesky-thread.json", tmp_path)
    done = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert done.report.own_posts == 1
    assert done.report.added == 4  # the replies under the force's post
    # the 53 posts above it answer one another, not the force; the blocked one is not shown
    assert done.passed.counts == {PassReason.NOT_CONNECTED: 53, PassReason.NOT_AN_ITEM: 1}
    before = stored(staffed)
    again = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert again.report.added == 0 and again.report.own_posts == 0 and stored(staffed) == before


@pytest.mark.parametrize(
    ("name", "handle", "added"),
    [
        ("mastodon-grouped-notifications.json", "@mastodonpy_test", 5),
        ("mastodon-status-reply.json", "@mastodonpy_test_2", 1),
        ("mastodon-conversations.json", "@admin", 1),
    ],
)
def test_mastodon_shapes_land_on_the_forces_desk(
    staffed: Staffed, tmp_path: Path, name: str, handle: str, added: int
) -> None:
    official(staffed, Platform.MASTODON, handle)
    path = copy(name, tmp_path)
    done = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert done.format == "mastodon" and done.report.added == added
    again = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert again.report.added == 0 and stored(staffed) == added


def test_a_mastodon_context_under_the_forces_post(staffed: Staffed, tmp_path: Path) -> None:
    official(staffed, Platform.MASTODON, "@test@mstdn.onosendai.jp")
    path = copy("mastodon-context.json", tmp_path)
    done = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert done.report.own_posts == 1  # the force's post that starts the thread
    assert done.report.added == 2  # the two replies to it
    assert staffed.desk.queue.count(staffed.admin_token, QueueFilter()) >= 1


def test_the_spec_activitystreams_example_with_an_account(staffed: Staffed, tmp_path: Path) -> None:
    # the spec's note is addressed to no one: only --account (the importer's answer) places it
    police = "@ExampleshirePolice@police.example"
    official(staffed, Platform.MASTODON, police)
    path = copy("activitystreams-spec-ex27.json", tmp_path)
    alone = staffed.desk.importer.import_file(staffed.admin_token, path)
    assert alone.report.added == 0
    assert alone.passed.counts == {PassReason.NOT_AN_ITEM: 2, PassReason.NOT_CONNECTED: 1}
    source = ImportSource(path, account=police)
    done = staffed.desk.importer.import_file(staffed.admin_token, source)
    assert done.report.added == 1 and done.passed.counts == {PassReason.NOT_AN_ITEM: 2}
    again = staffed.desk.importer.import_file(
        staffed.admin_token, ImportSource(path, account=police)
    )
    assert again.report.added == 0 and stored(staffed) == 1


def test_a_bluesky_file_dropped_in_the_folder(staffed: Staffed, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    official(staffed, Platform.BLUESKY, BLUESKY_FORCE)
    staffed.desk.settings.set(staffed.admin_token, "drop_folder", str(drop))
    path = copy("bluesky-notifications.json", drop)
    old = staffed.clock.now().timestamp() - 60
    os.utime(path, (old, old))
    (result,) = staffed.desk.drop_folder.scan(staffed.admin_token)
    assert result.report is not None and result.report.added == 24, result.problem
    assert result.filed_as.parent.name == "imported"
