"""The queue model: a correct Qt model that never holds more than its window of rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from desk.core.queue_filter import QueueFilter
from desk.gui.queue_cells import SOON_MARK
from desk.gui.queue_model import (
    CASE_ID_ROLE,
    COL_AGE,
    COL_OWNER,
    COL_PRIORITY,
    COL_STATUS,
    COL_TARGET,
    COL_TEXT,
    HEADERS,
    QueueModel,
    QueueSource,
    TargetState,
    target_state,
)
from desk.gui.workers import Worker
from tests.conftest import Staffed
from tests.gui.queue_fixtures import SELF_HARM, WELSH, fill_queue, many_cases


class RecordingSource(QueueSource):
    """A source that remembers how each page was asked for (by key or by offset)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.pages: list[tuple[bool, int]] = []  # (by key, offset)

    def page(self, flt: QueueFilter, after: Any, limit: int, offset: int) -> Any:
        self.pages.append((after is not None, offset))
        return super().page(flt, after, limit, offset)


def make_model(
    staffed: Staffed, token: str, worker: Worker | None = None, **kwargs: Any
) -> tuple[QueueModel, RecordingSource]:
    source = RecordingSource(staffed.desk, lambda: token)
    model = QueueModel(source, staffed.clock, "jsmith", worker, **kwargs)
    return model, source


def test_the_model_passes_qt_model_tests_paging_synchronously(
    qtmodeltester: Any, staffed: Staffed
) -> None:
    fill_queue(staffed)
    token = staffed.sign_in(staffed.operator)
    model, _source = make_model(staffed, token, page_size=2, max_pages=2)
    model.set_filter(QueueFilter())
    assert model.rowCount() == 6
    qtmodeltester.check(model)
    assert model.cached_row_count <= 4


def test_the_model_passes_qt_model_tests_fetching_in_the_background(
    qtbot: QtBot, qtmodeltester: Any, staffed: Staffed, worker: Worker
) -> None:
    fill_queue(staffed)
    token = staffed.sign_in(staffed.operator)
    model, _source = make_model(staffed, token, worker, page_size=2)  # 3 pages; 2 come first
    model.set_filter(QueueFilter())
    qtbot.waitUntil(lambda: not model.loading)
    assert model.data(model.index(5, COL_TEXT)) == "Loading…"  # its page is on the way
    qtbot.waitUntil(lambda: model.row_at(5, fetch=False) is not None)
    qtmodeltester.check(model)


def test_headers_come_from_one_tuple(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator)
    model, _source = make_model(staffed, token)
    shown = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert shown == list(HEADERS)
    assert shown[:3] == ["P", "Age", "Target"] and shown[-1] == "Owner"
    tip = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Priority (P1 most urgent)"


def test_rows_show_p1_first_then_oldest_with_words_not_only_colour(staffed: Staffed) -> None:
    fill_queue(staffed)
    token = staffed.sign_in(staffed.operator)
    model, _source = make_model(staffed, token)
    model.set_filter(QueueFilter())
    rows = [model.row_at(r) for r in range(model.rowCount())]
    assert all(rows)
    keys = [(r.priority, r.opened_at) for r in rows if r]
    assert keys == sorted(keys)
    top = model.index(0, COL_PRIORITY)
    assert model.data(top) == "P1"
    assert model.data(top, Qt.ItemDataRole.FontRole).bold()
    assert model.data(top, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(model.index(0, COL_TEXT)) == SELF_HARM  # the oldest P1
    assert model.data(top, CASE_ID_ROLE) == rows[0].case_id  # type: ignore[union-attr]
    assert model.data(model.index(0, COL_STATUS)) == "New"


def test_welsh_cases_are_marked_cy_and_say_cymraeg(staffed: Staffed) -> None:
    fill_queue(staffed)
    token = staffed.sign_in(staffed.operator)
    model, _source = make_model(staffed, token)
    model.set_filter(QueueFilter(search="diolch"))
    text = model.index(0, COL_TEXT)
    assert model.data(text) == f"CY · {WELSH}"
    assert "Cymraeg" in model.data(text, Qt.ItemDataRole.ToolTipRole)


def test_ages_tick_and_targets_show_amber_then_red_with_a_mark(staffed: Staffed) -> None:
    fill_queue(staffed)
    token = staffed.sign_in(staffed.operator)
    model, source = make_model(staffed, token)
    model.set_filter(QueueFilter(search="tonight"))  # the P1: 15-minute target
    row = model.row_at(0)
    assert row is not None and row.priority == 1
    age = model.index(0, COL_AGE)
    target = model.index(0, COL_TARGET)
    fetches = len(source.pages)

    ten_minutes_old = row.opened_at + timedelta(minutes=10)
    staffed.clock.advance(seconds=(ten_minutes_old - staffed.clock.now()).total_seconds())
    model.tick()
    assert target_state(row, staffed.clock.now()) is TargetState.SOON  # 5 min left of 15
    assert model.data(age) == "10m"
    assert model.data(target) == f"{SOON_MARK} 5 min left"
    assert model.data(target, Qt.ItemDataRole.BackgroundRole).color().name() == "#ffe8a3"
    assert "ABOUT TO MISS" in model.data(target, Qt.ItemDataRole.ToolTipRole)
    assert model.data(target, Qt.ItemDataRole.AccessibleTextRole) == (
        "5 min left, about to miss target"
    )

    staffed.clock.advance(minutes=19)
    model.tick()
    assert model.data(age) == "29m"
    assert model.data(target) == "14 min over"
    assert model.data(target, Qt.ItemDataRole.FontRole).bold()  # not colour alone
    assert "PAST TARGET" in model.data(age, Qt.ItemDataRole.ToolTipRole)
    assert len(source.pages) == fetches  # the ticking fetched nothing


def test_an_actioned_case_has_met_its_target(staffed: Staffed) -> None:
    fill_queue(staffed)
    token = staffed.sign_in(staffed.operator)
    model, _source = make_model(staffed, token)
    model.set_filter(QueueFilter())
    row = model.row_at(0)
    assert row is not None
    later = row.due_at + timedelta(hours=1)
    assert target_state(row, later) is TargetState.PAST
    assert target_state(replace(row, status="actioned"), later) is TargetState.MET


def test_presence_shows_in_the_owner_column(staffed: Staffed) -> None:
    fill_queue(staffed)
    token = staffed.sign_in(staffed.operator)
    admin = staffed.admin_token
    model, _source = make_model(staffed, token)
    model.set_filter(QueueFilter())
    first = model.row_at(0)
    assert first is not None
    staffed.desk.cases.viewing(admin, first.case_id)
    model.set_viewers(staffed.desk.cases.viewers(token, model.fetched_case_ids()))
    assert model.data(model.index(0, COL_OWNER)) == "admin viewing"
    staffed.desk.cases.claim(token, first.case_id)
    model.refresh()
    assert model.data(model.index(0, COL_OWNER)) == "jsmith (you) · admin viewing"


@pytest.mark.parametrize("jump", [False, True], ids=["scrolled", "dragged-to-the-end"])
def test_scrolling_5000_cases_keeps_only_the_window_and_rows_match_the_service(
    qtbot: QtBot, staffed: Staffed, worker: Worker, jump: bool
) -> None:
    many_cases(staffed, 5000)
    token = staffed.sign_in(staffed.operator)
    model, source = make_model(staffed, token, worker)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    model.set_filter(QueueFilter())
    qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == 5000
    bar = view.verticalScrollBar()
    most = 0

    def visible_rows_fetched() -> bool:
        top = view.rowAt(0)
        bottom = view.rowAt(view.viewport().height() - 1)
        bottom = bottom if bottom >= 0 else model.rowCount() - 1
        return all(model.row_at(r, fetch=False) is not None for r in (top, bottom))

    if jump:
        bar.setValue(bar.maximum())  # the scroll bar dragged to the end
        qtbot.waitUntil(visible_rows_fetched)
    else:
        while bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
            qtbot.waitUntil(visible_rows_fetched)
            most = max(most, model.cached_row_count)
    most = max(most, model.cached_row_count)
    assert most <= model.window_rows == 1000

    if jump:
        # the jump to the last page reads it backwards from the end, by key: no offset...
        assert not any(offset for _keyed, offset in source.pages)
    else:
        by_key = sum(1 for keyed, _offset in source.pages if keyed)
        assert by_key >= 20  # ...and scrolling goes on by key
    flt = QueueFilter()
    for n in (4999, 4990, 4850):
        expected = staffed.desk.queue.page(token, flt, limit=1, offset=n)[0]
        assert model.row_at(n, fetch=False) == expected
        assert model.data(model.index(n, COL_TEXT)) == expected.summary
