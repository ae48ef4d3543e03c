"""Queue pages read backwards: the last rows of the queue, or the rows before a key."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from desk.core.errors import InvalidInput
from desk.core.queue_filter import QueueFilter
from desk.store import queue_queries
from tests.conftest import Staffed
from tests.services.test_queue_paging import FILTERS, OPEN, busy

__all__ = ["busy"]


@pytest.mark.parametrize("flt", FILTERS)
def test_the_end_of_the_queue_is_its_last_rows_in_queue_order(
    busy: Staffed, flt: QueueFilter
) -> None:
    d, token = busy.desk, busy.admin_token
    everything = d.queue.page(token, flt, limit=1000)
    assert len(everything) > 10
    assert d.queue.page(token, flt, from_end=True, limit=7) == everything[-7:]
    assert d.queue.page(token, flt, from_end=True, limit=1000) == everything


@pytest.mark.parametrize("flt", FILTERS)
def test_the_rows_before_a_key_page_back_to_the_start(busy: Staffed, flt: QueueFilter) -> None:
    d, token = busy.desk, busy.admin_token
    everything = d.queue.page(token, flt, limit=1000)
    pages = [d.queue.page(token, flt, from_end=True, limit=4)]
    while page := d.queue.page(token, flt, before=pages[0][0].key, limit=4):
        pages.insert(0, page)
    assert [r for page in pages for r in page] == everything
    assert d.queue.page(token, flt, before=everything[5].key, limit=3) == everything[2:5]


def test_a_page_is_read_after_a_key_or_before_one_not_both(busy: Staffed) -> None:
    d, token = busy.desk, busy.admin_token
    first = d.queue.page(token, QueueFilter(), limit=5)
    with pytest.raises(InvalidInput, match="not both"):
        d.queue.page(token, QueueFilter(), after=first[0].key, before=first[4].key)
    with pytest.raises(InvalidInput, match="not both"):
        d.queue.page(token, QueueFilter(), offset=3, from_end=True)


def test_an_operator_reads_the_end_of_the_queue_too(busy: Staffed) -> None:
    d = busy.desk
    op = busy.sign_in(busy.operator)
    assert (
        d.queue.page(op, QueueFilter(statuses=OPEN), from_end=True, limit=3)
        == (d.queue.page(op, QueueFilter(statuses=OPEN), limit=1000)[-3:])
    )


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_the_end_of_the_open_view_walks_the_queue_index_backwards(busy: Staffed) -> None:
    """No sort of every open case, no offset: the index read from its end."""
    with busy.desk.ctx.db.read() as s:
        query = (
            queue_queries._where(
                queue_queries._page_rows(), QueueFilter(statuses=OPEN), None, "sqlite"
            )
            .order_by(*(c.desc() for c in queue_queries._ORDER))
            .limit(50)
        )
        compiled = query.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        plan = [r[3] for r in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    assert any("ix_cases_queue" in step for step in plan)
    assert not any("TEMP B-TREE" in step for step in plan)
