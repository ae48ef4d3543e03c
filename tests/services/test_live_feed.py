"""The change feed: which cases changed since a cursor, and the wake-ups that say when to ask."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.services.desk import Desk
from desk.services.live import LiveService
from desk.store.db import Database
from tests.conftest import Staffed
from tests.services.helpers import item

WAIT = 10  # seconds a wake-up may take at most here (it comes within a second: GUI test)


@pytest.fixture
def two_cases(staffed: Staffed) -> tuple[Staffed, list[int]]:
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", "Is the road open yet?", author="u1", minutes=1),
            item("2", "Who do I call about a lost dog?", author="u2", minutes=2),
        ],
        "t",
    )
    return staffed, [r.case_id for r in d.queue.page(admin, QueueFilter())]


def test_changes_since_names_the_cases_changed(two_cases: tuple[Staffed, list[int]]) -> None:
    staffed, (first, second) = two_cases
    d = staffed.desk
    jo = staffed.sign_in(staffed.operator)
    cursor = d.live.cursor(jo)
    nothing = d.live.changes_since(jo, cursor)
    assert not nothing.any and nothing.cursor == cursor

    d.cases.claim(jo, second)
    d.cases.add_note(jo, second, "Called the owner back")
    changes = d.live.changes_since(jo, cursor)
    assert changes.case_ids == (second,)
    assert not changes.queue_changed and not changes.presence_changed
    assert not d.live.changes_since(jo, changes.cursor).any  # each change is told once

    # new items (an import) change the queue as a whole
    d.importer.store(staffed.admin_token, [item("3", "Thanks all", author="u3")], "t2")
    after_import = d.live.changes_since(jo, changes.cursor)
    assert after_import.queue_changed and first not in after_import.case_ids


def test_presence_is_in_the_feed_without_an_audit_entry(
    two_cases: tuple[Staffed, list[int]],
) -> None:
    staffed, (first, _second) = two_cases
    d = staffed.desk
    jo = staffed.sign_in(staffed.operator)
    cursor = d.live.cursor(jo)
    d.cases.viewing(staffed.admin_token, first)
    changes = d.live.changes_since(jo, cursor)
    assert changes.presence_changed and changes.case_ids == () and not changes.queue_changed
    d.cases.viewing(staffed.admin_token, first)  # saying the same again is no change
    assert not d.live.changes_since(jo, changes.cursor).presence_changed
    d.cases.viewing(staffed.admin_token, None)
    assert d.live.changes_since(jo, changes.cursor).presence_changed


def test_a_second_desk_on_the_same_database_is_woken_by_a_claim(
    two_cases: tuple[Staffed, list[int]],
) -> None:
    """The watcher of another Desk (its own engine, as another workstation) wakes on a claim."""
    staffed, (first, _second) = two_cases
    d = staffed.desk
    other = Database(d.ctx.db.url, d.ctx.db.path)  # another engine: another workstation
    woken = threading.Event()
    watch = LiveWatch(d, other, woken)
    try:
        watch.settle()
        jo = staffed.sign_in(staffed.operator)
        woken.clear()
        d.cases.claim(jo, first)
        assert woken.wait(WAIT), "no wake-up after a claim"
        woken.clear()
        d.cases.viewing(jo, first)  # presence, which is not audited, wakes it too
        assert woken.wait(WAIT), "no wake-up after a presence change"
    finally:
        watch.close()
        other.dispose()
    woken.clear()
    d.cases.release(staffed.sign_in(staffed.operator), first)
    assert not woken.wait(1.5), "a closed watch still woke"


class LiveWatch:
    """A watch on ``db`` that sets ``woken``: through the service, as the GUI uses it."""

    def __init__(self, desk: Desk, db: Database, woken: threading.Event) -> None:
        self.woken = woken
        live = LiveService(replace(desk.ctx, db=db), desk.signin)
        self.watch = live.watch(woken.set)

    def settle(self) -> None:
        """Wait until the watcher listens (PostgreSQL wakes once when its LISTEN is in place)."""
        connected = getattr(self.watch, "connected", None)
        if connected is not None:
            assert connected.wait(WAIT), "the listener never connected"
            assert self.woken.wait(WAIT)
        else:
            self.woken.wait(1.2)  # the poll's first look at the file

    def close(self) -> None:
        """Stop the watch."""
        self.watch.close()
