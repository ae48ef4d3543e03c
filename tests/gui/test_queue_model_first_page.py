"""A new filter shows its first rows before its count: counting a million cases takes a while."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from pytestqt.qtbot import QtBot

from desk.core.queue_filter import QueueFilter
from desk.gui.main_window import MainWindow
from desk.gui.queue_model import FIRST_ROWS, QueueModel, QueueSource
from desk.gui.workers import Worker
from tests.conftest import Staffed
from tests.gui.queue_fixtures import MakeWindow, many_cases


class OrderedSource(QueueSource):
    """Remembers what was asked, in order; can pretend cases left the view before the count."""

    def __init__(self, *args: Any, gone: int = 0) -> None:
        super().__init__(*args)
        self.calls: list[str] = []
        self.gone = gone

    def count(self, flt: QueueFilter) -> int:
        self.calls.append("count")
        return super().count(flt) - self.gone

    def page(self, flt: QueueFilter, after: Any, limit: int, offset: int) -> Any:
        self.calls.append("page")
        return super().page(flt, after, limit, offset)


def make(
    staffed: Staffed, worker: Worker | None, gone: int = 0
) -> tuple[QueueModel, OrderedSource]:
    token = staffed.sign_in(staffed.operator)
    source = OrderedSource(staffed.desk, lambda: token, gone=gone)
    return QueueModel(source, staffed.clock, "jsmith", worker, page_size=100), source


def test_a_new_filter_shows_its_first_page_then_the_count_adds_the_rest(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    many_cases(staffed, 1000)
    model, source = make(staffed, worker)
    seen: list[tuple[int, bool]] = []
    inserted: list[tuple[int, int]] = []
    model.refreshed.connect(lambda: seen.append((model.rowCount(), model.is_counted)))
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.set_filter(QueueFilter())
    assert model.loading
    with qtbot.waitSignal(model.counted, timeout=10_000):
        pass
    # the first rows (a short read), shown before anything was counted
    assert seen == [(FIRST_ROWS, False)]
    assert source.calls[:2] == ["page", "count"]
    assert inserted == [(FIRST_ROWS, 999)]
    assert model.rowCount() == 1000 and model.is_counted and not model.loading
    # the rest of the first page is read at once after the count: no row is left blank
    qtbot.waitUntil(lambda: model.row_at(99, fetch=False) is not None)
    expected = staffed.desk.queue.page(source.token(), QueueFilter(), limit=100)
    assert [model.case_id_at(r) for r in range(100)] == [r.case_id for r in expected]


def test_a_refresh_keeps_its_count_first_so_nothing_jumps(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    many_cases(staffed, 1000)
    model, source = make(staffed, worker)
    model.set_filter(QueueFilter())
    qtbot.waitUntil(lambda: not model.loading)
    # the rest of the first page, read after the count, must be in before calls are watched
    qtbot.waitUntil(lambda: model.row_at(99, fetch=False) is not None)
    source.calls.clear()
    counts: list[int] = []
    model.refreshed.connect(lambda: counts.append(model.rowCount()))
    model.refresh(anchor_row=500)  # the timer, or F5, where the person is looking
    qtbot.waitUntil(lambda: not model.loading)
    assert source.calls[0] == "count" and counts == [1000] and model.is_counted


def test_a_short_queue_is_counted_by_its_first_page(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    many_cases(staffed, 40)
    model, source = make(staffed, worker)
    model.set_filter(QueueFilter())
    qtbot.waitUntil(lambda: not model.loading)
    assert model.rowCount() == 40 and model.is_counted
    assert "count" not in source.calls


def test_cases_gone_before_the_count_are_removed(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    many_cases(staffed, 120)
    model, _source = make(staffed, worker, gone=80)  # 40 by the time they are counted
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.set_filter(QueueFilter())
    qtbot.waitUntil(lambda: not model.loading)
    assert removed == [(40, FIRST_ROWS - 1)] and model.rowCount() == 40
    assert model.index(45, 0, QModelIndex()).isValid() is False


def test_without_a_worker_the_count_comes_first(staffed: Staffed) -> None:
    many_cases(staffed, 300)
    model, source = make(staffed, None)
    model.set_filter(QueueFilter())
    assert source.calls[0] == "count"
    assert model.rowCount() == 300 and model.is_counted and not model.loading


def test_the_footer_counts_once_the_count_arrives(
    qtbot: QtBot, staffed: Staffed, make_window: MakeWindow
) -> None:
    many_cases(staffed, 450)
    window: MainWindow
    window, _token = make_window(staffed.operator)
    model = window.queue.model
    qtbot.waitUntil(lambda: not model.loading)
    footer = window.ui.queueFooterLabel
    qtbot.waitUntil(lambda: footer.text().startswith("450 cases open"))
    shown: list[str] = []
    model.refreshed.connect(lambda: shown.append(footer.text()))
    model.set_filter(model.queue_filter)  # the same view again, from the top
    qtbot.waitUntil(lambda: not model.loading)
    assert shown and shown[0].startswith(f"Counting… (at least {FIRST_ROWS} cases)")
    qtbot.waitUntil(lambda: footer.text().startswith("450 cases open"))
