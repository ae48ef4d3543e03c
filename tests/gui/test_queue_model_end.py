"""The queue model jumps to the end by reading backwards, never by offset."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from desk.core.queue_filter import QueueFilter
from desk.gui.queue_model import COL_TEXT, QueueModel, QueueSource
from desk.gui.workers import Worker
from tests.conftest import Staffed
from tests.gui.queue_fixtures import many_cases


class CountingSource(QueueSource):
    """Remembers each page asked for: by offset, and read backwards."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.offsets: list[int] = []
        self.backwards: list[tuple[bool, int]] = []  # (before a key, limit)

    def page(self, flt: QueueFilter, after: Any, limit: int, offset: int) -> Any:
        self.offsets.append(offset)
        return super().page(flt, after, limit, offset)

    def page_before(self, flt: QueueFilter, before: Any, limit: int) -> Any:
        self.backwards.append((before is not None, limit))
        return super().page_before(flt, before, limit)


def test_ctrl_end_shows_the_last_cases_read_from_the_end(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    many_cases(staffed, 1030)
    token = staffed.sign_in(staffed.operator)
    source = CountingSource(staffed.desk, lambda: token)
    model = QueueModel(source, staffed.clock, "jsmith", worker, page_size=100, max_pages=3)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    model.set_filter(QueueFilter())
    qtbot.waitUntil(lambda: model.is_counted and not model.loading)
    assert model.rowCount() == 1030

    view.scrollToBottom()  # what End, Ctrl+End and the scroll bar dragged down come to
    qtbot.waitUntil(lambda: model.row_at(1029, fetch=False) is not None)
    view.scrollTo(model.index(1000 - 5, 0))  # just above the last page: the page before it
    qtbot.waitUntil(lambda: model.row_at(995, fetch=False) is not None)

    assert not any(source.offsets)  # no page of this was found by offset
    assert (False, 30) in source.backwards  # the last page: its 30 rows from the end
    assert (True, 100) in source.backwards  # the page before it, before that page's first key
    expected = staffed.desk.queue.page(token, QueueFilter(), limit=2000)
    for n in (1029, 1000, 999, 990, 900):
        assert model.row_at(n, fetch=False) == expected[n]
        assert model.data(model.index(n, COL_TEXT)) == expected[n].summary


def test_a_jump_near_the_end_reads_the_last_two_pages_backwards(staffed: Staffed) -> None:
    many_cases(staffed, 250)
    token = staffed.sign_in(staffed.operator)
    source = CountingSource(staffed.desk, lambda: token)
    model = QueueModel(source, staffed.clock, "jsmith", None, page_size=40, max_pages=5)
    model.set_filter(QueueFilter())
    assert model.rowCount() == 250
    expected = staffed.desk.queue.page(token, QueueFilter(), limit=1000)
    assert model.row_at(205) == expected[205]  # page 5 of 0-6: the last 50 rows, first 40
    assert source.backwards == [(False, 50)]
    assert model.row_at(249) == expected[249]  # page 6 follows page 5 by key
    assert model.row_at(170) == expected[170]  # page 4 comes before page 5's first key
    assert source.backwards == [(False, 50), (True, 40)]
    assert not any(source.offsets)
