"""Queue pages: by key, by offset (a jump), and both, with and without filters."""

from __future__ import annotations

import pytest

from desk.core.cases import OPEN_STATUSES
from desk.core.items import ItemKind, Platform
from desk.core.queue_filter import QueueFilter
from tests.conftest import Staffed
from tests.services.helpers import item


@pytest.fixture
def busy(staffed: Staffed) -> Staffed:
    d, token = staffed.desk, staffed.admin_token
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    d.official_accounts.add(token, Platform.FACEBOOK, "Exampleshire Police")
    staffed.clock.advance(minutes=30)
    d.importer.store(
        token,
        [
            item(
                f"k{i}",
                "I'm going to kill you" if i % 11 == 0 else f"road message {i}",
                author=f"k{i % 7}",
                thread=f"t{i}",
                minutes=i % 13,
                platform=Platform.X if i % 3 else Platform.FACEBOOK,
                account="@ExampleshirePolice" if i % 3 else "Exampleshire Police",
                kind=ItemKind.COMMENT,
            )
            for i in range(60)
        ],
        "many",
    )
    return staffed


OPEN = frozenset(s.value for s in OPEN_STATUSES)
FILTERS = [
    QueueFilter(),
    QueueFilter(statuses=OPEN),
    QueueFilter(platforms=frozenset({"x"})),
    QueueFilter(priorities=frozenset({4}), search="road"),
    QueueFilter(statuses=OPEN, priorities=frozenset({4}), platforms=frozenset({"x"})),
]


@pytest.mark.parametrize("flt", FILTERS)
def test_a_jump_by_offset_gives_the_rows_there(busy: Staffed, flt: QueueFilter) -> None:
    d, token = busy.desk, busy.admin_token
    everything = [r.case_id for r in d.queue.page(token, flt, limit=1000)]
    assert len(everything) == d.queue.count(token, flt) > 10
    for offset in (0, 1, 7, len(everything) // 2, len(everything) - 1, len(everything), 500):
        page = d.queue.page(token, flt, limit=7, offset=offset)
        assert [r.case_id for r in page] == everything[offset : offset + 7]


@pytest.mark.parametrize("flt", FILTERS)
def test_a_key_and_an_offset_together(busy: Staffed, flt: QueueFilter) -> None:
    d, token = busy.desk, busy.admin_token
    everything = d.queue.page(token, flt, limit=1000)
    after = everything[4].key
    page = d.queue.page(token, flt, after=after, limit=5, offset=3)
    assert [r.case_id for r in page] == [r.case_id for r in everything[8:13]]


def test_rows_of_a_page_equal_the_case_in_full(busy: Staffed) -> None:
    d, token = busy.desk, busy.admin_token
    for row in d.queue.page(token, QueueFilter(), limit=1000):
        assert d.queue.detail(token, row.case_id).row == row


def test_statuses_pages_whatever_their_size(busy: Staffed) -> None:
    d, token = busy.desk, busy.admin_token
    op = busy.sign_in(busy.operator)
    claimed = [r.case_id for r in d.queue.page(token, QueueFilter(), limit=5)]
    for case_id in claimed:
        d.cases.claim(op, case_id)
    triage = d.queue.page(token, QueueFilter(statuses=frozenset({"triage"})), limit=100)
    assert sorted(r.case_id for r in triage) == sorted(claimed)
    everything = [r.case_id for r in d.queue.page(token, QueueFilter(statuses=OPEN), limit=1000)]
    news = [
        r.case_id for r in d.queue.page(token, QueueFilter(statuses=frozenset({"new"})), limit=1000)
    ]
    assert news == [c for c in everything if c not in claimed]


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_the_open_view_is_read_in_queue_order_not_sorted(busy: Staffed) -> None:
    from sqlalchemy import text

    from desk.store import queue_queries

    with busy.desk.ctx.db.read() as s:
        query = (
            queue_queries._where(
                queue_queries._page_rows(), QueueFilter(statuses=OPEN), None, "sqlite"
            )
            .order_by(*queue_queries._ORDER)
            .limit(50)
        )
        compiled = query.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        plan = [r[3] for r in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert any("ix_cases_queue" in step for step in plan)
    assert not any("TEMP B-TREE" in step for step in plan)
