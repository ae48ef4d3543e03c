"""The queue window's model, measured in a child process under Qt (offscreen).

``desk_window`` is the app with the N-item queue open: Desk opened, a ``QApplication``, the
queue window's own :class:`~desk.gui.queue_model.QueueModel` with a worker pool as the window
has, in a ``QTableView`` set up as the window sets it up (fixed row height). In it:

- **queue_open**: from creating the model to the first screenful of rows ready (its cells'
  texts read), against the raw ``SELECT`` of that screenful; and, as a part, to the count.
- **filter_search**: a model showing the open cases is given the search filter (as the
  filter bar does), to the first screenful, against the raw FTS5 query.
- **scroll**: the table scrolled to the end (a jump, as dragging the scroll bar) and back to
  the top, each time to the visible rows fetched and painted, against the raw keyset
  ``SELECT`` of the last and the first screenful; and a page down at a time from the top.
- the peak RSS of all that.

``raw_window`` is the limit for memory: a ``QApplication`` with an empty table shown, reading
the same screenfuls with plain ``sqlite3``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import raw
from bench.keyring_memory import install
from bench.timing import memory_mb

TIMEOUT = 300.0  # seconds for anything to arrive: a hang fails the child, not the bench


def _qt() -> Any:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["bench"])
    wake = QTimer(app)  # a wait for events never blocks for long, whatever happens
    wake.setInterval(100)
    wake.start()
    return app


def wait_until(done: Callable[[], bool], what: str) -> None:
    """Handle Qt's events (the worker's answers) until ``done()``; fail after TIMEOUT."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.perf_counter() + TIMEOUT
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"waited {TIMEOUT:.0f} s for {what}")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _counted(model: Any) -> bool:
    # the model before the first page came ahead of the count had no is_counted
    return bool(getattr(model, "is_counted", True)) and not model.loading


def _on_first_screenful(model: Any, rows: int, started: float) -> dict[str, Any]:
    """Read the first screenful's cells the moment the model has its rows, as a view paints.

    A view paints right after the model's reset, before the zero-timer follow-ups the model
    starts (who is viewing, the count) run; reading the cells later, after waiting for events,
    would also time those threads' work, which the window does not wait for. The answer gets
    ``ids`` (the case ids read) and ``seconds`` from ``started``.
    """
    answer: dict[str, Any] = {}

    def refreshed() -> None:
        shown = min(rows, model.rowCount())
        if "seconds" in answer or any(model.row_at(r, fetch=False) is None for r in range(shown)):
            return
        answer["ids"] = _read_cells(model, 0, rows)
        answer["seconds"] = time.perf_counter() - started

    model.refreshed.connect(refreshed)
    return answer


def _read_cells(model: Any, first: int, rows: int) -> list[int]:
    """Read every cell's text of ``rows`` rows from ``first`` (as painting would); their ids."""
    from desk.gui.queue_model import CASE_ID_ROLE, HEADERS

    ids = []
    for r in range(first, min(first + rows, model.rowCount())):
        for c in range(len(HEADERS)):
            model.data(model.index(r, c))
        ids.append(model.data(model.index(r, 0), CASE_ID_ROLE))
    return ids


def _filters(payload: dict[str, Any]) -> tuple[Any, Any]:
    from desk.core.queue_filter import QueueFilter

    view = QueueFilter(statuses=frozenset(payload["statuses"]))
    spec = payload["search"]
    search = QueueFilter(
        statuses=frozenset(payload["statuses"]),
        priorities=frozenset(spec["priorities"]),
        platforms=frozenset(spec["platforms"]),
        search=spec["term"],
    )
    return view, search


def _alternate(
    desk: Callable[[], float], limit: Callable[[], float], runs: int
) -> tuple[list[float], list[float]]:
    """Run each ``runs`` times, alternating which goes first; each returns its own time."""
    desk_times: list[float] = []
    limit_times: list[float] = []
    for run in range(runs):
        if run % 2 == 0:
            desk_times.append(desk())
            limit_times.append(limit())
        else:
            limit_times.append(limit())
            desk_times.append(desk())
    return desk_times, limit_times


def _bare_model_class() -> Any:
    """A table model with nothing of Desk: the rows of one ``SELECT``, each cell ``str()``."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

    from desk.gui.queue_model import HEADERS

    display = Qt.ItemDataRole.DisplayRole
    columns = len(HEADERS)

    class BareModel(QAbstractTableModel):
        def __init__(self, rows: list[tuple[Any, ...]]) -> None:
            super().__init__()
            self.rows = rows

        def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self.rows)

        def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else columns

        def data(self, index: QModelIndex | QPersistentModelIndex, role: int = display) -> Any:
            if role != display:
                return None
            return str(self.rows[index.row()][index.column()])

    return BareModel


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def desk_window(payload: dict[str, Any]) -> dict[str, Any]:
    """Open the profile, then the queue window's model: queue open, filter and search, scroll."""
    from PySide6.QtWidgets import QHeaderView, QTableView

    from desk.core.clock import SystemClock
    from desk.gui.queue_controller import ROW_HEIGHT
    from desk.gui.queue_model import QueueModel, QueueSource
    from desk.gui.workers import Worker
    from desk.paths import resolve_profile
    from desk.services.desk import Desk

    install(payload["keyring"])
    screenful: int = payload["screenful"]
    runs: int = payload["runs"]
    token: str = payload["operator_token"]
    statuses = tuple(payload["statuses"])
    view_filter, search_filter = _filters(payload)
    app = _qt()
    desk = Desk.open(resolve_profile(payload["data_dir"]), SystemClock())
    worker = Worker(max_threads=4)  # as the window's controller has
    conn = raw.connect(Path(payload["db"]))
    source = QueueSource(desk, lambda: token)
    out: dict[str, Any] = {"before": memory_mb()}

    def settle() -> None:
        """Let every job the model started finish, and its answer arrive."""
        from PySide6.QtCore import QCoreApplication

        worker.wait(-1)
        QCoreApplication.processEvents()

    def new_model() -> Any:
        return QueueModel(source, desk.ctx.clock, payload["operator"], worker)

    # --- queue open: a new model on the N-item profile, to the first screenful ---------------
    counts: list[float] = []
    model_ids: list[list[int]] = []

    def open_model() -> float:
        started = time.perf_counter()
        model = new_model()
        first = _on_first_screenful(model, screenful, started)
        model.set_filter(view_filter)
        wait_until(lambda: "seconds" in first, "the first screenful")
        elapsed: float = first["seconds"]
        wait_until(lambda: _counted(model), "the count")
        counts.append(time.perf_counter() - started)
        settle()  # the rest of the first page: not left to run into the next measurement
        model_ids.append(first["ids"])
        out["open_rows"] = model.rowCount()
        model.deleteLater()
        return elapsed

    queue_sql = raw.queue_sql()

    def raw_open() -> float:
        return _timed(lambda: conn.execute(queue_sql, (*statuses, screenful)).fetchall())

    bare_model = _bare_model_class()

    def floor_open() -> float:
        """The least a Python table model can do: the raw SELECT in it, every cell's text."""
        started = time.perf_counter()
        model = bare_model(conn.execute(queue_sql, (*statuses, screenful)).fetchall())
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                model.data(model.index(r, c))
        return time.perf_counter() - started

    out["open_first"] = [open_model(), raw_open()]
    out["open"] = _alternate(open_model, raw_open, runs)
    out["open_count"] = counts[1:]
    out["open_floor"] = _alternate(floor_open, raw_open, runs)
    raw_ids = [r[0] for r in conn.execute(queue_sql, (*statuses, screenful))]
    out["open_same"] = all(ids == raw_ids for ids in model_ids)

    # --- filter and search: the filter bar gives the open model the search filter ------------
    model = new_model()
    search_counts: list[float] = []
    search_ids: list[list[int]] = []

    def show_view() -> None:
        model.set_filter(view_filter)
        wait_until(lambda: _counted(model), "the open cases")
        settle()  # and the rest of its first page: a view someone has been looking at

    def search_model() -> float:
        show_view()  # not timed: the view a search starts from
        started = time.perf_counter()
        first = _on_first_screenful(model, screenful, started)
        model.set_filter(search_filter)
        wait_until(lambda: "seconds" in first, "the search's screenful")
        elapsed: float = first["seconds"]
        model.refreshed.disconnect()
        wait_until(lambda: _counted(model), "the search's count")
        search_counts.append(time.perf_counter() - started)
        settle()
        search_ids.append(first["ids"])
        out["search_rows"] = model.rowCount()
        return elapsed

    search_sql = raw.search_sql()
    search_params = (*statuses, *payload["search_params"])

    def raw_search() -> float:
        return _timed(lambda: conn.execute(search_sql, (*search_params, screenful)).fetchall())

    out["search_first"] = [search_model(), raw_search()]
    out["search"] = _alternate(search_model, raw_search, runs)
    out["search_count"] = search_counts[1:]
    raw_ids = [r[0] for r in conn.execute(search_sql, (*search_params, screenful))]
    out["search_same"] = all(ids == raw_ids for ids in search_ids)

    # --- scroll: a table as the window has it, to the end and back ---------------------------
    table = QTableView()
    rows_header = table.verticalHeader()
    rows_header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # as the queue window
    rows_header.setDefaultSectionSize(ROW_HEIGHT)
    table.setModel(model)
    table.resize(1280, 900)
    table.show()
    most_held = [0]
    painting = [0.0]  # seconds spent painting the table (in the scroll figure's time)
    scroll_painting: list[float] = []

    def visible() -> tuple[int, int]:
        top = max(table.rowAt(0), 0)
        bottom = table.rowAt(table.viewport().height() - 1)
        return top, bottom if bottom >= 0 else model.rowCount() - 1

    def paint() -> None:
        started = time.perf_counter()
        table.viewport().repaint()  # as Qt does after a scroll, or after rows arrive
        painting[0] += time.perf_counter() - started

    def fetched(top: int, bottom: int) -> bool:
        return all(model.row_at(r, fetch=False) is not None for r in (top, bottom))

    def painted() -> list[int]:
        """Paint until the visible rows are fetched and painted; return their case ids."""
        paint()  # asks the model for the visible rows: the missing pages are fetched
        top, bottom = visible()
        if not fetched(top, bottom):
            wait_until(lambda: fetched(top, bottom), "the visible rows")
            paint()
        most_held[0] = max(most_held[0], model.cached_row_count)
        return _read_cells(model, top, bottom - top + 1)

    def scroll() -> float:
        show_view()  # not timed: a fresh view of the open cases, at the top
        table.scrollToTop()
        painted()
        painting[0] = 0.0
        started = time.perf_counter()
        table.scrollToBottom()
        last = painted()
        table.scrollToTop()
        first = painted()
        elapsed = time.perf_counter() - started
        scroll_painting.append(painting[0])
        out["scroll_ends"] = [last[-1] if last else None, first[0] if first else None]
        return elapsed

    last_sql = raw.last_sql()

    def raw_scroll() -> float:
        started = time.perf_counter()
        conn.execute(last_sql, (*statuses, screenful)).fetchall()
        conn.execute(queue_sql, (*statuses, screenful)).fetchall()
        return time.perf_counter() - started

    out["scroll"] = _alternate(scroll, raw_scroll, max(3, runs // 3))
    out["scroll_painting"] = scroll_painting
    out["scroll_raw_ends"] = [
        conn.execute(last_sql, (*statuses, 1)).fetchone()[0],
        conn.execute(queue_sql, (*statuses, 1)).fetchone()[0],
    ]

    # a page down at a time from the top: keyset pages, as a person reading the queue
    show_view()
    table.scrollToTop()
    painted()
    bar = table.verticalScrollBar()
    steps: list[float] = []
    tops: list[int] = []
    shown_rows = visible()[1] - visible()[0] + 1
    step_painting: list[float] = []
    for _step in range(payload["page_steps"]):
        painting[0] = 0.0
        started = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        painted()
        steps.append(time.perf_counter() - started)
        step_painting.append(painting[0])
        row = model.row_at(visible()[0], fetch=False)
        if row is not None:
            tops.append(row.case_id)
    step_sql = raw.after_sql()
    raw_steps = []
    for case_id in tops:  # the raw limit: the screenful from the same first row, by key
        key = raw.key_of(conn, case_id)
        params = (*statuses, *key, shown_rows)
        raw_steps.append(_timed(lambda p=params: conn.execute(step_sql, p).fetchall()))
    out["page_steps"] = [steps, raw_steps]
    out["page_steps_painting"] = step_painting
    out["most_held"] = most_held[0]
    out["window_rows"] = model.window_rows
    out["visible_rows"] = shown_rows

    table.close()
    worker.wait()
    conn.close()
    desk.close()
    app.processEvents()
    out["after"] = memory_mb()
    return out


def raw_window(payload: dict[str, Any]) -> dict[str, Any]:
    """An empty table in a QApplication, and the same screenfuls read with plain sqlite3."""
    from PySide6.QtWidgets import QTableView

    app = _qt()
    table = QTableView()
    table.resize(1280, 900)
    table.show()
    conn = raw.connect(Path(payload["db"]))
    statuses = tuple(payload["statuses"])
    rows = conn.execute(raw.queue_sql(), (*statuses, payload["screenful"])).fetchall()
    rows += conn.execute(raw.last_sql(), (*statuses, payload["screenful"])).fetchall()
    conn.close()
    app.processEvents()
    table.close()
    return {"rows": len(rows), "after": memory_mb()}
