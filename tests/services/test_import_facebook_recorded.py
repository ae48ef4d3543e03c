"""Recorded Facebook Graph responses through the import service: the page's own comment is kept
as its own post, a feed's posts are passed over with their reason, and re-importing adds
nothing (issue 17)."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from desk.core.items import PassReason, Platform
from desk.services.importing import ImportSource
from desk.store.tables import Case, Item, OwnPost
from tests.conftest import Staffed

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"


def _copy(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    shutil.copy(DATA / name, path)
    return path


def _count(staffed: Staffed, table: type) -> int:
    with staffed.desk.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def test_the_pages_own_comment_on_its_album_is_its_own_post(
    staffed: Staffed, tmp_path: Path
) -> None:
    page = "Calcio Illustrato"
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.FACEBOOK, page, page)
    source = ImportSource(_copy(tmp_path, "facebook-graph-album-comments.json"), account=page)
    done = staffed.desk.importer.import_file(staffed.admin_token, source)
    assert (done.report.added, done.report.own_posts) == (0, 1)
    assert done.passed.counts == {PassReason.UNSUPPORTED: 1}  # the album: no author named
    assert (_count(staffed, Item), _count(staffed, Case), _count(staffed, OwnPost)) == (0, 0, 1)
    again = staffed.desk.importer.import_file(staffed.admin_token, source)
    assert (again.report.added, again.report.own_posts) == (0, 0)
    assert _count(staffed, OwnPost) == 1


def test_a_page_feed_queues_nothing_and_says_why(staffed: Staffed, tmp_path: Path) -> None:
    page = "Facebook for Developers"
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.FACEBOOK, page, page)
    source = ImportSource(_copy(tmp_path, "facebook-graph-page-feed.json"), account=page)
    done = staffed.desk.importer.import_file(staffed.admin_token, source)
    assert done.report.added == 0 and done.passed.total == 5
    assert _count(staffed, Case) == 0


def test_recorded_comments_without_from_open_cases_once(staffed: Staffed, tmp_path: Path) -> None:
    page = "Facebook"
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.FACEBOOK, page, page)
    source = ImportSource(_copy(tmp_path, "facebook-graph-comments-no-from.json"), account=page)
    done = staffed.desk.importer.import_file(staffed.admin_token, source)
    assert done.report.added == 5
    with staffed.desk.ctx.db.read() as s:
        case_id = s.scalars(select(Item.case_id)).first()
    assert case_id is not None
    detail = staffed.desk.queue.detail(staffed.admin_token, case_id)
    assert detail.items[0].author_handle == "unknown commenter"
    assert any("did not say who wrote this" in t.text for t in detail.timeline)
    items, cases = _count(staffed, Item), _count(staffed, Case)
    again = staffed.desk.importer.import_file(staffed.admin_token, source)
    assert again.report.added == 0
    assert (_count(staffed, Item), _count(staffed, Case)) == (items, cases)
