"""The bulk import path: chunks, joins across chunks, memory kept flat, nothing partial."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desk.core.clock import ManualClock
from desk.core.errors import InvalidInput
from desk.core.items import Author, IncomingItem, ItemKind
from desk.core.queue_filter import QueueFilter
from desk.core.risk import priority_for
from desk.ingest.errors import ImportCancelled, ImportRefused
from desk.paths import resolve_profile
from desk.sample.generator import generate, official_accounts
from desk.services import importing
from desk.services.desk import Desk
from desk.store import import_writer, tables
from tests.conftest import ADMIN_PASSWORD, START, Staffed, current_code, next_code
from tests.services.helpers import item

THREAT = "I'm going to kill you, I know where you live"


def stream(items: Iterable[IncomingItem]) -> Iterator[IncomingItem]:
    """The items as a generator, as a file is read."""
    yield from items


@pytest.fixture
def ready(staffed: Staffed) -> Staffed:
    for platform, handle in official_accounts():  # @ExampleshirePolice on X among them
        staffed.desk.official_accounts.add(staffed.admin_token, platform, handle)
    return staffed


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(importing, "CHUNK", 3)
    return 3


def second_desk(tmp_path: Path, clock: ManualClock) -> tuple[Desk, str]:
    """Another empty desk with the same official accounts, for comparing two imports."""
    desk = Desk.open(resolve_profile(tmp_path / "second").create(), clock)
    enrol = desk.accounts.new_enrolment("admin")
    desk.accounts.create_first_admin(
        "admin", "Ada", ADMIN_PASSWORD, enrol.seed, current_code(enrol.seed, clock)
    )
    token = desk.signin.sign_in("admin", ADMIN_PASSWORD, next_code(enrol.seed, clock)).token
    for platform, handle in official_accounts():
        desk.official_accounts.add(token, platform, handle)
    return desk, token


def contents(desk: Desk) -> tuple[list[Any], list[Any], list[Any]]:
    """Every case, item and author as stored, authors named rather than numbered."""
    with desk.ctx.db.read() as s:
        authors = {
            a.id: (a.platform, a.platform_user_id, a.handle, a.language)
            for a in s.scalars(select(tables.Author))
        }

        def named(row: Any, table: Any) -> tuple[Any, ...]:
            return tuple(
                authors[getattr(row, k)] if k == "author_id" else getattr(row, k)
                for k in table.__table__.columns.keys()  # noqa: SIM118
            )

        cases = [named(c, tables.Case) for c in s.scalars(select(tables.Case).order_by("id"))]
        items = [named(i, tables.Item) for i in s.scalars(select(tables.Item).order_by("id"))]
    return cases, items, sorted(authors.values())


def rows(staffed: Staffed) -> list[Any]:
    return staffed.desk.queue.page(staffed.admin_token, QueueFilter(), limit=1000)


def test_many_small_chunks_store_what_one_chunk_does(
    ready: Staffed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # dense enough that authors post again within the window, across chunk boundaries, and
    # that cases are forgotten from memory and found again in the database
    start = START - timedelta(hours=8)
    sample = [
        replace(i, author=Author(f"u{n % 23}", f"@user{n % 23}", f"User {n % 23}"))
        for n, i in enumerate(generate(400, seed=3, start=start, span=timedelta(hours=8)))
    ]
    other, token = second_desk(tmp_path, ready.clock)
    try:
        whole = other.importer.store(token, sample, "sample")  # one chunk
        monkeypatch.setattr(importing, "CHUNK", 7)
        chunked = ready.desk.importer.store(ready.admin_token, stream(sample), "sample")
        assert whole == chunked
        assert chunked.cases_joined > 20 and chunked.added == 400
        mine, theirs = contents(ready.desk), contents(other)
        assert mine[0] == theirs[0]  # cases
        assert mine[1] == theirs[1]  # items
        assert mine[2] == theirs[2]  # authors
    finally:
        other.close()


def test_joins_raise_priority_merge_risk_and_follow_the_window(
    ready: Staffed, small_chunks: int
) -> None:
    d = ready.desk
    threat = d.rules.evaluate(THREAT)
    assert threat
    report = d.importer.store(
        ready.admin_token,
        stream(
            [
                item("1", "Is the road still closed?", author="u1", thread="t1", minutes=0),
                item("2", "Any news?", author="u2", thread="t1", minutes=1),
                item("3", "Still waiting", author="u1", thread="t1", minutes=30),
                item("4", "hello", author="u3", thread=None, minutes=31, kind=ItemKind.MENTION),
                item("5", THREAT, author="u1", thread="t1", minutes=60),
                item("6", "back again", author="u1", thread="t1", minutes=200),
                item("7", "and again", author="u1", thread="t1", minutes=210),
                item("8", "Diolch yn fawr am y diweddariad", author="u2", thread="t2", minutes=220),
            ]
        ),
        "joins",
    )
    assert (report.added, report.cases_opened, report.cases_joined) == (8, 5, 3)
    by_summary = {r.summary: r for r in rows(ready)}
    first = by_summary["Is the road still closed?"]
    assert first.item_count == 3 and first.needs_assessment
    assert first.priority == int(priority_for(threat))
    assert set(first.risk) == {m.category for m in threat}
    target = d.importer.targets[priority_for(threat)]
    assert first.due_at == START + timedelta(minutes=60) + target
    assert by_summary["back again"].item_count == 2  # 140 minutes after: a new case
    with d.ctx.db.read() as s:
        language = s.scalar(
            select(tables.Author.language).where(tables.Author.platform_user_id == "u2")
        )
    assert language == "cy"  # the author's latest language


def test_an_item_out_of_order_joins_a_case_already_forgotten(
    ready: Staffed, small_chunks: int
) -> None:
    others = [
        item(f"o{n}", f"other {n}", author=f"x{n}", thread=f"o{n}", minutes=300 + n)
        for n in range(12)
    ]
    late = item("late", "me again", author="u1", thread="t1", minutes=60)
    report = ready.desk.importer.store(
        ready.admin_token,
        stream([item("1", "first", author="u1", thread="t1", minutes=0), *others, late]),
        "out of order",
    )
    assert report.cases_joined == 1
    first = next(r for r in rows(ready) if r.summary == "first")
    assert first.item_count == 2


def test_a_later_import_joins_cases_of_an_earlier_one(ready: Staffed, small_chunks: int) -> None:
    d, token = ready.desk, ready.admin_token
    d.importer.store(token, stream([item("1", "first", author="u1", minutes=0)]), "a")
    report = d.importer.store(
        token,
        stream(
            [
                *(item(f"n{n}", f"new {n}", author=f"z{n}", minutes=n) for n in range(7)),
                item("2", "second", author="u1", minutes=50),
            ]
        ),
        "b",
    )
    assert report.cases_joined == 1
    assert next(r for r in rows(ready) if r.summary == "first").item_count == 2
    again = d.importer.store(token, stream([item("2", "second", author="u1", minutes=50)]), "c")
    assert (again.added, again.duplicates) == (0, 1)


def test_the_audit_entry_names_the_items_added(ready: Staffed, small_chunks: int) -> None:
    d, token = ready.desk, ready.admin_token
    report = d.importer.store(
        token, stream([item(str(n), f"message {n}", author=f"a{n}") for n in range(8)]), "audit"
    )
    entry = d.audit.entries(token, 1, "import.file")[0]
    details = json.loads(entry.details)
    with d.ctx.db.read() as s:
        ids = list(s.scalars(select(tables.Item.id).order_by(tables.Item.id)))
    assert (details["first_item"], details["last_item"]) == (ids[0], ids[-1])
    assert details["total"] == details["added"] == report.added == 8


def test_repeats_in_later_chunks_are_duplicates(ready: Staffed, small_chunks: int) -> None:
    batch = [item(str(n), f"message {n}", author=f"a{n}") for n in range(6)]
    batch.append(item("1", "message 1 again", author="a1"))
    report = ready.desk.importer.store(ready.admin_token, stream(batch), "repeats")
    assert (report.total, report.added, report.duplicates) == (7, 6, 1)


def test_an_error_while_reading_stores_nothing(ready: Staffed, small_chunks: int) -> None:
    def failing() -> Iterator[IncomingItem]:
        for n in range(10):
            yield item(str(n), f"message {n}", author=f"a{n}")
        raise ImportRefused(Path("file.jsonl"), "changed while it was imported", line=11)

    with pytest.raises(ImportRefused, match="changed while"):
        ready.desk.importer.store(ready.admin_token, failing(), "failing")
    assert rows(ready) == []


def test_an_unknown_account_in_a_later_chunk_stores_nothing(
    ready: Staffed, small_chunks: int
) -> None:
    batch = [item(str(n), f"message {n}", author=f"a{n}") for n in range(9)]
    batch.append(item("10", "not ours", account="@Unknown"))
    with pytest.raises(InvalidInput, match="Record 10: '@Unknown'"):
        ready.desk.importer.store(ready.admin_token, stream(batch), "bad")
    assert rows(ready) == []


def test_cancelling_stores_nothing(ready: Staffed, small_chunks: int) -> None:
    seen: list[int] = []
    batch = [item(str(n), f"message {n}", author=f"a{n}") for n in range(30)]
    with pytest.raises(ImportCancelled):
        ready.desk.importer.store(
            ready.admin_token,
            stream(batch),
            "cancelled",
            progress=seen.append,
            cancelled=lambda: len(seen) >= 2,
        )
    assert seen == [3, 6]
    assert rows(ready) == []


def test_stored_times_read_back_as_given(ready: Staffed, small_chunks: int) -> None:
    from datetime import UTC, datetime, timezone

    odd = datetime(2026, 11, 26, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=1)))
    one = item("1", "hello", author="u1")
    d = ready.desk
    d.importer.store(
        ready.admin_token,
        stream([replace(one, received_at=odd, posted_at=odd)]),
        "times",
    )
    row = rows(ready)[0]
    assert row.opened_at == odd and row.opened_at.tzinfo is UTC
    assert d.queue.detail(ready.admin_token, row.case_id).items[0].posted_at == odd


def test_times_are_stored_exactly_as_sqlalchemy_stores_them() -> None:
    from datetime import UTC, datetime, timezone

    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    column = tables.Item.__table__.c.posted_at
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    for moment in (
        datetime(2026, 11, 26, 9, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 9, 0, 1, 5, tzinfo=UTC),
        datetime(999, 1, 2, 3, 4, 5, 999999, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=-7, minutes=-30))),
    ):
        assert import_writer.sqlite_time(moment) == process(moment)
    with pytest.raises(ValueError, match="timezone-aware"):
        import_writer.sqlite_time(datetime(2026, 1, 1))
