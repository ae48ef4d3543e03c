"""ImportService.import_file: the one way a file comes in, whole or not at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desk.core.errors import SessionEnded, UnknownOfficialAccounts
from desk.core.grouping import DEFAULT_JOIN_WINDOW, joins, thread_key
from desk.core.items import Platform
from desk.services import importing
from desk.services.importing import (
    AccountNeeded,
    ImportCancelled,
    ImportRefused,
    ImportSource,
)
from desk.store.tables import AuditEntry, Item
from tests.conftest import START, Staffed
from tests.services.helpers import item


def write(path: Path, records: list[tuple[str, str | None]]) -> Path:
    """A JSON Lines file with one mention per (platform, account) pair."""
    lines = []
    for number, (platform, account) in enumerate(records):
        record = {
            "platform": platform,
            "kind": "mention",
            "id": f"n{number}",
            "author_id": f"a{number}",
            "author_handle": f"@a{number}",
            "text": f"hello {number}",
            "posted_at": "2026-11-26T08:00:00Z",
        }
        if account is not None:
            record["account"] = account
        lines.append(json.dumps(record) + "\n")
    path.write_text("".join(lines), "utf-8")
    return path


@pytest.fixture
def ready(staffed: Staffed) -> Staffed:
    d = staffed.desk
    d.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice", "Police")
    return staffed


def stored(staffed: Staffed) -> int:
    with staffed.desk.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(Item)) or 0


def test_a_path_is_imported_with_what_was_read(ready: Staffed, tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", [("x", "@ExampleshirePolice")] * 3)
    expected: list[int | None] = []
    done = ready.desk.importer.import_file(ready.admin_token, path, expected=expected.append)
    assert (done.path, done.format, done.skipped) == (path, "jsonl", 0)
    assert (done.report.total, done.report.added, done.report.cases_opened) == (3, 3, 3)
    assert expected == [3]  # the lines, told before storing
    assert stored(ready) == 3


def test_a_checked_file_and_a_chosen_account_go_through_the_same_call(
    ready: Staffed, tmp_path: Path
) -> None:
    path = write(tmp_path / "b.jsonl", [("x", None)] * 2)
    importer = ready.desk.importer
    with pytest.raises(AccountNeeded):
        importer.import_file(ready.admin_token, path)
    assert stored(ready) == 0
    checked = importer.check_file(ImportSource(path, account="@ExampleshirePolice"))
    assert checked.count == 2 and stored(ready) == 0  # checking stores nothing
    assert importer.import_file(ready.admin_token, checked).report.added == 2


def test_importing_needs_the_right_and_a_bad_file_changes_nothing(
    ready: Staffed, tmp_path: Path
) -> None:
    path = write(tmp_path / "c.jsonl", [("x", "@ExampleshirePolice")])
    with pytest.raises(SessionEnded):
        ready.desk.importer.import_file("not-a-session", path)
    with pytest.raises(ImportRefused, match="does not exist"):
        ready.desk.importer.import_file(ready.admin_token, tmp_path / "missing.jsonl")
    with pytest.raises(ImportCancelled):
        ready.desk.importer.import_file(ready.admin_token, path, cancelled=lambda: True)
    assert stored(ready) == 0


@pytest.mark.parametrize("chunk", [2, 5000])
def test_every_unknown_account_is_named_at_once(
    ready: Staffed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(importing, "CHUNK", chunk)  # some unknown accounts in a later chunk
    path = write(
        tmp_path / "d.jsonl",
        [
            ("x", "@ExampleshirePolice"),
            ("x", "@NotOurs"),
            ("x", "@ExampleshirePolice"),
            ("facebook", "Another Force"),
            ("x", "@NotOurs"),
            ("mastodon", "@police@elsewhere.example"),
        ],
    )
    audited = ready.desk.audit.entries(ready.admin_token)
    with pytest.raises(UnknownOfficialAccounts) as refused:
        ready.desk.importer.import_file(ready.admin_token, path)
    assert refused.value.accounts == (
        ("x", "@NotOurs", "line 2"),
        ("facebook", "Another Force", "line 4"),
        ("mastodon", "@police@elsewhere.example", "line 6"),
    )
    message = refused.value.message
    assert message.startswith(
        "3 accounts named in the file are not official accounts: '@NotOurs' on x (first at "
        "line 2), 'Another Force' on facebook (first at line 4), "
        "'@police@elsewhere.example' on mastodon (first at line 6)."
    )
    assert "'desk-admin official-account add facebook Another Force'" in message
    assert stored(ready) == 0
    assert ready.desk.audit.entries(ready.admin_token) == audited  # no import entry either
    with ready.desk.ctx.db.read() as s:
        assert not s.scalar(select(AuditEntry).where(AuditEntry.action == "import.file"))


def test_one_unknown_account_keeps_its_message(ready: Staffed, tmp_path: Path) -> None:
    path = write(tmp_path / "e.jsonl", [("x", "@ExampleshirePolice"), ("x", "@NotOurs")])
    with pytest.raises(UnknownOfficialAccounts) as refused:
        ready.desk.importer.import_file(ready.admin_token, path)
    assert refused.value.message == (
        "Line 2: '@NotOurs' is not an official account on x. An administrator adds it "
        "first ('desk-admin official-account add x @NotOurs')."
    )


def test_the_grouping_rules_live_in_the_core() -> None:
    first = item("1", "hello", thread="post-9")
    assert thread_key(first) == "thread:post-9"
    assert joins(START, START + DEFAULT_JOIN_WINDOW, DEFAULT_JOIN_WINDOW)
    assert not joins(START, START + DEFAULT_JOIN_WINDOW * 1.01, DEFAULT_JOIN_WINDOW)
