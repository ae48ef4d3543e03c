"""The queue as a table: counted in SQL, fetched a page at a time, never loaded whole.

``rowCount`` is ``desk.queue.count`` for the current filter. Counting is linear in what it
counts (a tenth of a second and more at a million cases), so with a worker a new filter shows
its first rows first (:data:`FIRST_ROWS`, a screenful or two: a short read), with those rows
as a provisional count (:attr:`is_counted` is False); who else is viewing those cases and the
count follow, the rows beyond them are then inserted, and the rest of the first page is read.
A refresh of the same filter (F5, the timer) counts first, so that the scroll bar never jumps.
Rows come in pages of ``page_size`` into a small window of pages (least recently shown are
evicted): a page
following one in the window is fetched by key (``after=`` its last row), any other (a jump:
the scroll bar dragged to the end) by ``offset=``, and the pages after it by key again. With a
:class:`~desk.gui.workers.Worker`, fetches run off the GUI thread and a row not yet fetched
shows as "Loading…" for a moment; without one (tests, scripts) they run at once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desk.core.clock import Clock
from desk.core.queue_filter import QueueFilter
from desk.gui.formatting import age_text, clock_time, span_text
from desk.gui.labels import platform_label, priority_label, risk_words, status_label
from desk.gui.workers import Worker
from desk.services.case_views import QueueKey, QueueRow
from desk.services.desk import Desk

log = logging.getLogger(__name__)
_CONTEXT = "QueueModel"

(
    COL_PRIORITY,
    COL_AGE,
    COL_PLATFORM,
    COL_ACCOUNT,
    COL_AUTHOR,
    COL_TEXT,
    COL_RISK,
    COL_STATUS,
    COL_OWNER,
) = range(9)
HEADERS: tuple[Any, ...] = (  # Any: QT_TRANSLATE_NOOP is typed as object
    QT_TRANSLATE_NOOP("QueueModel", "Priority"),
    QT_TRANSLATE_NOOP("QueueModel", "Age"),
    QT_TRANSLATE_NOOP("QueueModel", "Platform"),
    QT_TRANSLATE_NOOP("QueueModel", "Account"),
    QT_TRANSLATE_NOOP("QueueModel", "Author"),
    QT_TRANSLATE_NOOP("QueueModel", "Text"),
    QT_TRANSLATE_NOOP("QueueModel", "Risk"),
    QT_TRANSLATE_NOOP("QueueModel", "Status"),
    QT_TRANSLATE_NOOP("QueueModel", "Owner"),
)
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's case id (int), or None if not fetched
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's QueueRow, or None if not fetched

PAGE_SIZE = 200
MAX_PAGES = 5
FIRST_ROWS = 64
"""Rows a new filter reads before anything else: two screenfuls of a full-HD window."""
OPEN_FOR_TARGET = frozenset({"new", "triage"})  # a target is met once a case is actioned
SOON_SHARE = 0.2
SOON_AT_LEAST = timedelta(minutes=5)
PAST_MARK = "▲"
SOON_MARK = "△"
OVERDUE_MARK = "⚑"  # an escalation past its deadline without acknowledgement
WELSH_MARK = "CY"
NOT_ASSESSED_COLOURS = ("#fff8e1", "#6d4c00")  # no rule matched and nobody has assessed it

# Colours help; the words (P1, ▲, △) say the same thing without them.
PRIORITY_COLOURS: dict[int, tuple[str, str]] = {  # background, text
    1: ("#b3261e", "#ffffff"),
    2: ("#f6c58f", "#4a2600"),
    3: ("#d4e3f7", "#0b3d7a"),
    4: ("#e6e8eb", "#30343a"),
}
PAST_COLOURS = ("#f9d6d2", "#7a0000")
SOON_COLOURS = ("#ffe8a3", "#4d3800")


DISPLAY = Qt.ItemDataRole.DisplayRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
FONT = Qt.ItemDataRole.FontRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_SERVED = frozenset(
    {
        DISPLAY,
        BACKGROUND,
        FOREGROUND,
        FONT,
        ALIGNMENT,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.AccessibleTextRole,
        CASE_ID_ROLE,
        ROW_ROLE,
    }
)
_CENTRED = int(Qt.AlignmentFlag.AlignCenter)
_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: str) -> QBrush:
    """Return one shared brush per colour (making brushes on every paint is slow)."""
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class TargetState(Enum):
    """Where a case stands against its response target."""

    MET = "met"  # actioned, escalated or closed: no longer counting
    OK = "ok"
    SOON = "soon"  # within 20% of the target (or 5 minutes) of missing it
    PAST = "past"


def target_state(row: QueueRow, now: datetime) -> TargetState:
    """Tell whether ``row`` is on time, about to miss its target, or past it."""
    if row.status not in OPEN_FOR_TARGET:
        return TargetState.MET
    remaining = row.due_at - now
    if remaining < timedelta(0):
        return TargetState.PAST
    margin = max((row.due_at - row.opened_at) * SOON_SHARE, SOON_AT_LEAST)
    return TargetState.SOON if remaining <= margin else TargetState.OK


def first_line(text: str) -> str:
    """Return the first non-empty line of ``text``."""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


class QueueSource:
    """What the model reads, for the session the window holds now (the token can change)."""

    def __init__(self, desk: Desk, token: Callable[[], str]) -> None:
        self.desk = desk
        self.token = token

    def count(self, flt: QueueFilter) -> int:
        """Return how many cases the filter shows."""
        return self.desk.queue.count(self.token(), flt)

    def page(
        self, flt: QueueFilter, after: QueueKey | None, limit: int, offset: int
    ) -> list[QueueRow]:
        """Return one page of rows in queue order."""
        return self.desk.queue.page(self.token(), flt, after=after, limit=limit, offset=offset)

    def page_before(self, flt: QueueFilter, before: QueueKey | None, limit: int) -> list[QueueRow]:
        """Return the rows just before ``before`` (None: the end), in queue order."""
        return self.desk.queue.page(
            self.token(), flt, before=before, from_end=before is None, limit=limit
        )

    def viewers(self, case_ids: list[int]) -> dict[int, list[str]]:
        """Return who else is looking at each case now."""
        if not case_ids:
            return {}
        return self.desk.cases.viewers(self.token(), case_ids)


@dataclass(frozen=True)
class _Page:
    rows: list[QueueRow]
    viewers: dict[int, list[str]]


@dataclass(frozen=True)
class _Cells:
    """One row as painted: text, font and brushes per column."""

    row: QueueRow
    texts: list[str]
    fonts: list[QFont | None]
    backgrounds: list[QBrush | None]
    foregrounds: list[QBrush | None]


@dataclass(frozen=True)
class _Refreshed:
    count: int | None  # None: not counted yet (the first page of a new filter was full)
    page_no: int
    pages: list[_Page]  # the page holding the anchor row, and the one after it
    viewers_later: bool = False  # the first page of a new filter: who is viewing comes next


class QueueModel(QAbstractTableModel):
    """The triage queue, highest priority first, then oldest; fetched lazily by pages."""

    refreshed = Signal()  # the rows were replaced (a filter, F5 or the timer)
    counted = Signal()  # the exact count arrived (after the first page, for a new filter)
    case_updated = Signal(int)  # one case's row was replaced after an action on it
    fetch_failed = Signal(object)  # the exception a background fetch raised

    def __init__(
        self,
        source: QueueSource,
        clock: Clock,
        me: str,
        worker: Worker | None = None,
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
        parent: Any = None,
        first_rows: int = FIRST_ROWS,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.clock = clock
        self.me = me
        self.worker = worker
        self.page_size = page_size
        self.first_rows = max(1, min(first_rows, page_size))
        self.max_pages = max(2, max_pages)
        self._filter = QueueFilter()
        self._count = 0
        self._counted = True  # rowCount is the exact count (not the first page's rows)
        self._counting = False  # the count of a new filter is on its way
        self._pages: OrderedDict[int, list[QueueRow]] = OrderedDict()
        self._viewers: dict[int, list[str]] = {}
        self._flagged: frozenset[int] = frozenset()  # cases with an overdue escalation
        self._shown: dict[int, _Cells] = {}  # case id → cells as painted (fetched rows only)
        self._pending: set[int] = set()
        self._waiting: set[int] = set()  # pages to fetch by key once the page before arrives
        self._generation = 0
        self._refreshing = False
        self._now = clock.now()
        self._bold = QFont()
        self._bold.setBold(True)

    # what is shown ------------------------------------------------------------------------

    @property
    def queue_filter(self) -> QueueFilter:
        """The filter the rows are shown for."""
        return self._filter

    @property
    def loading(self) -> bool:
        """Tell whether a refresh has been asked for and not yet answered (rows and count)."""
        return self._refreshing or self._counting

    @property
    def is_counted(self) -> bool:
        """Tell whether ``rowCount`` is the exact count (not the first page's rows, for now)."""
        return self._counted

    @property
    def cached_row_count(self) -> int:
        """How many rows are held in memory now (at most ``page_size * max_pages``)."""
        return sum(len(rows) for rows in self._pages.values())

    @property
    def window_rows(self) -> int:
        """The most rows the model ever holds."""
        return self.page_size * self.max_pages

    def cached_pages(self) -> list[int]:
        """Return the numbers of the pages held now (least recently shown first)."""
        return list(self._pages)

    def row_at(self, row: int, fetch: bool = True) -> QueueRow | None:
        """Return the case in ``row``, or None while its page is being fetched."""
        if not 0 <= row < self._count:
            return None
        page_no, at = divmod(row, self.page_size)
        rows = self._pages.get(page_no)
        if rows is None:
            if fetch:
                self._request(page_no)
                rows = self._pages.get(page_no)  # fetched at once without a worker
            if rows is None:
                return None
        else:
            self._pages.move_to_end(page_no)
            if at >= len(rows) and fetch and page_no * self.page_size + len(rows) < self._count:
                self._request(page_no)  # a page read short (a new filter's first rows)
                rows = self._pages.get(page_no, rows)
        return rows[at] if at < len(rows) else None

    def case_id_at(self, row: int) -> int | None:
        """Return the case id in ``row`` (None while not fetched)."""
        found = self.row_at(row)
        return found.case_id if found else None

    def row_of(self, case_id: int) -> int | None:
        """Return the row showing ``case_id`` if it is among the fetched rows."""
        for page_no, rows in self._pages.items():
            for at, found in enumerate(rows):
                if found.case_id == case_id:
                    return page_no * self.page_size + at
        return None

    def viewers_of(self, case_id: int) -> list[str]:
        """Return who else is looking at ``case_id`` (as last fetched)."""
        return self._viewers.get(case_id, [])

    # changing what is shown ---------------------------------------------------------------

    def set_filter(self, flt: QueueFilter) -> None:
        """Show the queue for ``flt``, from the top (its first page first, then the count)."""
        self._filter = flt
        self._refresh(0, count_first=self.worker is None)

    def refresh(self, anchor_row: int = 0) -> None:
        """Count again and fetch the page holding ``anchor_row``; then replace every row.

        Rows already shown stay until the answer comes, so nothing flickers.
        """
        self._refresh(anchor_row, count_first=True)

    def _refresh(self, anchor_row: int, count_first: bool) -> None:
        self._generation += 1
        generation = self._generation
        flt = self._filter
        page_no = max(0, anchor_row) // self.page_size
        size, first_rows = self.page_size, self.first_rows
        source = self.source

        def job() -> _Refreshed:
            if not count_first:  # a new filter: its first rows now; viewers, count after them
                rows = source.page(flt, None, first_rows, 0)
                counted = None if len(rows) == first_rows else len(rows)
                return _Refreshed(counted, 0, [_Page(rows, {})], viewers_later=True)
            count = source.count(flt)
            first = min(page_no, max(0, count - 1) // size)
            pages = []
            if first and count - first * size <= size:  # the last page: read from the end
                rows = source.page_before(flt, None, count - first * size)
            else:
                rows = source.page(flt, None, size, first * size)
            pages.append(_Page(rows, source.viewers([r.case_id for r in rows])))
            if len(rows) == size and (first + 1) * size < count:  # the view may show both
                more = source.page(flt, rows[-1].key, size, 0)
                pages.append(_Page(more, source.viewers([r.case_id for r in more])))
            return _Refreshed(count, first, pages)

        self._refreshing = True
        self._counting = False  # the answer to an older count is not wanted now
        if self.worker is None:
            self._refreshed(generation, job())
        else:
            self.worker.run(
                job,
                lambda result: self._refreshed(generation, result),
                lambda exc: self._failed(generation, None, exc),
                context=self,
            )

    def _refreshed(self, generation: int, result: _Refreshed) -> None:
        if generation != self._generation:
            return  # a newer refresh was asked for
        self.beginResetModel()
        self._now = self.clock.now()
        self._counted = result.count is not None
        self._counting = not self._counted
        self._count = (
            result.count if result.count is not None else sum(len(p.rows) for p in result.pages)
        )
        self._pages.clear()
        self._viewers.clear()
        self._shown.clear()
        self._pending.clear()
        self._waiting.clear()
        for number, page in enumerate(result.pages, start=result.page_no):
            self._pages[number] = page.rows
            self._viewers.update(page.viewers)
        self._refreshing = False
        self.endResetModel()
        self.refreshed.emit()
        if result.viewers_later or not self._counted:
            # once the first screen is painted: until then its thread has the interpreter
            QTimer.singleShot(0, self, lambda: self._follow_up(generation, result))

    def _follow_up(self, generation: int, result: _Refreshed) -> None:
        """Ask for what a new filter's first page came without: who is viewing, the count."""
        if generation != self._generation:
            return
        if result.viewers_later:
            self._fetch_viewers(generation, [r.case_id for p in result.pages for r in p.rows])
        if not self._counted:
            self._fetch_count(generation)

    def _fetch_viewers(self, generation: int, case_ids: list[int]) -> None:
        """Ask who else is viewing the first page's cases (after showing it)."""
        assert self.worker is not None
        source = self.source

        def arrived(viewers: dict[int, list[str]]) -> None:
            if generation == self._generation and viewers:
                self._viewers.update(viewers)
                for case_id in viewers:
                    self._shown.pop(case_id, None)
                self._changed_column(COL_OWNER)

        self.worker.run(
            lambda: source.viewers(case_ids),
            arrived,
            lambda exc: log.info("viewers not read: %s", type(exc).__name__),
            context=self,
        )

    def _fetch_count(self, generation: int) -> None:
        """Count the rows of the filter shown, off the GUI thread; then add (or drop) rows."""
        assert self.worker is not None
        flt, source = self._filter, self.source
        self.worker.run(
            lambda: source.count(flt),
            lambda count: self._count_arrived(generation, count),
            lambda exc: self._failed(generation, -1, exc),
            context=self,
        )

    def _count_arrived(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        shown = self._count
        if count > shown:
            self.beginInsertRows(QModelIndex(), shown, count - 1)
            self._count = count
            self.endInsertRows()
        elif count < shown:  # cases left the view between the page and the count
            self.beginRemoveRows(QModelIndex(), count, shown - 1)
            self._count = count
            self.endRemoveRows()
        self._counted = True
        self._counting = False
        self.counted.emit()
        held = self._pages.get(0)
        if held is not None and len(held) < min(self.page_size, count):
            self._request(0)  # the rest of the first page, after the new filter's first rows

    def update_row(self, row: QueueRow) -> None:
        """Replace a fetched case's row (after an action on it) without fetching again."""
        for page_no, rows in self._pages.items():
            for at, found in enumerate(rows):
                if found.case_id == row.case_id:
                    rows[at] = row
                    self._shown.pop(row.case_id, None)
                    number = page_no * self.page_size + at
                    self.dataChanged.emit(
                        self.index(number, 0), self.index(number, len(HEADERS) - 1)
                    )
                    self.case_updated.emit(row.case_id)
                    return

    def set_viewers(self, viewers: dict[int, list[str]]) -> None:
        """Replace who is viewing the fetched cases (the presence refresh)."""
        self._viewers = {
            case_id: names for case_id, names in viewers.items() if self.row_of(case_id) is not None
        }
        self._shown.clear()
        self._changed_column(COL_OWNER)

    def set_flagged(self, case_ids: frozenset[int]) -> None:
        """Mark the cases whose escalation is past its deadline unacknowledged (⚑ in Status)."""
        if case_ids == self._flagged:
            return
        self._flagged = case_ids
        self._shown.clear()
        self._changed_column(COL_STATUS)

    def is_flagged(self, case_id: int) -> bool:
        """Tell whether the case shows the overdue-escalation flag."""
        return case_id in self._flagged

    def fetched_case_ids(self) -> list[int]:
        """Return the ids of every fetched case."""
        return [r.case_id for rows in self._pages.values() for r in rows]

    def tick(self) -> None:
        """Bring ages and target colours up to date (no fetching)."""
        self._now = self.clock.now()
        self._shown.clear()
        self._changed_column(COL_AGE)

    def _changed_column(self, column: int) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, column), self.index(self._count - 1, column))

    # fetching -----------------------------------------------------------------------------

    def _request(self, page_no: int) -> None:
        if page_no in self._pending or page_no in self._waiting:
            return
        after: QueueKey | None = None
        offset = 0
        before = self._pages.get(page_no - 1) if page_no > 0 else None
        if page_no == 0:
            pass
        elif before is not None and len(before) == self.page_size:
            after = before[-1].key  # keyset: the rows after the last one shown
        elif page_no - 1 in self._pending:
            self._waiting.add(page_no)  # fetch by key once that page is here
            return
        else:
            offset = page_no * self.page_size  # a jump: start there, then by key
        flt, size, source = self._filter, self.page_size, self.source
        # a jump near the end reads backwards from the end (or before the page after it)
        # by key, which costs what the first page does; an offset walks the index to it
        backwards, upto, held = False, None, self._pages.get(page_no + 1)
        if offset and held:
            backwards, upto = True, held[0].key
        elif offset and self._counted and self._count - offset <= 2 * size:
            backwards, size = True, self._count - offset

        def job() -> _Page:
            if backwards:
                rows = source.page_before(flt, upto, size)[: self.page_size]
            else:
                rows = source.page(flt, after, size, offset)
            return _Page(rows, source.viewers([r.case_id for r in rows]))

        generation = self._generation
        if self.worker is None:
            self._store(page_no, job())
            return
        self._pending.add(page_no)
        self.worker.run(
            job,
            lambda page: self._arrived(generation, page_no, page),
            lambda exc: self._failed(generation, page_no, exc),
            context=self,
        )

    def _arrived(self, generation: int, page_no: int, page: _Page) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page_no)
        self._store(page_no, page)
        first = page_no * self.page_size
        last = min(self._count, first + self.page_size) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))
        if page_no + 1 in self._waiting:
            self._waiting.discard(page_no + 1)
            self._request(page_no + 1)

    def _store(self, page_no: int, page: _Page) -> None:
        self._pages[page_no] = page.rows
        self._pages.move_to_end(page_no)
        self._viewers.update(page.viewers)
        for found in page.rows:
            self._shown.pop(found.case_id, None)
        while len(self._pages) > self.max_pages:
            _gone, rows = self._pages.popitem(last=False)
            for found in rows:
                self._viewers.pop(found.case_id, None)
                self._shown.pop(found.case_id, None)

    def _failed(self, generation: int, page_no: int | None, exc: Exception) -> None:
        """A fetch failed: ``page_no`` is None for a refresh, -1 for the count."""
        if generation == self._generation:
            if page_no is None:
                self._refreshing = False
            elif page_no < 0:
                self._counting = False  # the first page's rows stay, uncounted; F5 counts
            else:
                self._pending.discard(page_no)
                self._waiting.discard(page_no + 1)
        log.info("queue fetch failed: %s", type(exc).__name__)
        self.fetch_failed.emit(exc)

    # the Qt model -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return how many cases the filter shows (a table has no children)."""
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return _tr(str(HEADERS[section]))
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return a cell's text, tooltip, font and colours.

        Painting asks about seven roles for every visible cell, so the common ones come from
        a per-row cache of ready-made texts, fonts and brushes (rebuilt on each tick).
        """
        if role not in _SERVED or not index.isValid():
            return None
        number = index.row()
        if not 0 <= number < self._count:
            return None
        column = index.column()
        found = self.row_at(number)
        if found is None:
            if role == DISPLAY and column == COL_TEXT:
                return _tr("Loading…")
            return None
        cells = self._shown.get(found.case_id)
        if cells is None or cells.row is not found:
            cells = self._shown[found.case_id] = self._cells(found)
        if role == DISPLAY:
            return cells.texts[column]
        if role == BACKGROUND:
            return cells.backgrounds[column]
        if role == FOREGROUND:
            return cells.foregrounds[column]
        if role == FONT:
            return cells.fonts[column]
        if role == ALIGNMENT:
            return _CENTRED if column == COL_PRIORITY else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(found, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible(found, column)
        if role == CASE_ID_ROLE:
            return found.case_id
        return found  # ROW_ROLE

    def _cells(self, row: QueueRow) -> _Cells:
        columns = range(len(HEADERS))
        colours = [self._colours(row, c) for c in columns]
        return _Cells(
            row=row,
            texts=[self._text(row, c) for c in columns],
            fonts=[self._font(row, c) for c in columns],
            backgrounds=[_brush(c[0]) if c else None for c in colours],
            foregrounds=[_brush(c[1]) if c else None for c in colours],
        )

    # cells --------------------------------------------------------------------------------

    def owner_text(self, row: QueueRow) -> str:
        """Return the Owner cell: the owner (or 'you') and who else is viewing."""
        owner = row.owner or ""
        if row.owner and row.owner == self.me:
            owner = _tr("{name} (you)").format(name=row.owner)
        viewers = self._viewers.get(row.case_id, [])
        if viewers:
            seeing = _tr("{names} viewing").format(names=", ".join(viewers))
            return f"{owner} · {seeing}" if owner else seeing
        return owner

    def _age(self, row: QueueRow) -> str:
        age = age_text(self._now - row.opened_at)
        state = target_state(row, self._now)
        if state is TargetState.PAST:
            return f"{PAST_MARK} {age}"
        if state is TargetState.SOON:
            return f"{SOON_MARK} {age}"
        return age

    def _text(self, row: QueueRow, column: int) -> str:
        if column == COL_PRIORITY:
            return priority_label(row.priority)
        if column == COL_AGE:
            return self._age(row)
        if column == COL_PLATFORM:
            return platform_label(row.platform)
        if column == COL_ACCOUNT:
            return row.account
        if column == COL_AUTHOR:
            return row.author
        if column == COL_TEXT:
            text = first_line(row.summary) or _tr("(no text: media only)")
            if row.item_count > 1:
                text = _tr("[{n} items] {text}").format(n=row.item_count, text=text)
            return f"{WELSH_MARK} · {text}" if row.language == "cy" else text
        if column == COL_RISK:
            if row.risk:
                return risk_words(row.risk)
            # no rule matched: that is not "no risk" until a person has looked
            return _tr("not yet assessed") if row.grade is None else _tr("assessed: no rule")
        if column == COL_STATUS:
            if row.case_id in self._flagged:
                return _tr("{status} · {flag} ack overdue").format(
                    status=status_label(row.status), flag=OVERDUE_MARK
                )
            return status_label(row.status)
        if column == COL_OWNER:
            return self.owner_text(row)
        return ""

    def _tooltip(self, row: QueueRow, column: int) -> str | None:
        if column == COL_TEXT:
            parts = []
            if row.language == "cy":
                parts.append(_tr("Cymraeg (Welsh)"))
            if row.item_count > 1:
                parts.append(_tr("{n} items in this case").format(n=row.item_count))
            parts.append(row.summary)
            return "\n".join(parts)
        if column == COL_AGE:
            return self._target_tooltip(row)
        if column == COL_PRIORITY:
            return _tr("Priority {p} · case #{id}").format(
                p=priority_label(row.priority), id=row.case_id
            )
        if column == COL_STATUS and row.case_id in self._flagged:
            return _tr("An escalation on this case is past its deadline and not acknowledged.")
        if column in (COL_ACCOUNT, COL_AUTHOR, COL_RISK, COL_OWNER):
            return self._text(row, column) or None
        return None

    def _target_tooltip(self, row: QueueRow) -> str:
        arrived = _tr("Arrived {time}").format(time=clock_time(row.opened_at))
        target = span_text(row.due_at - row.opened_at)
        state = target_state(row, self._now)
        if state is TargetState.MET:
            return _tr("{arrived} · target {target} · met").format(arrived=arrived, target=target)
        if state is TargetState.PAST:
            return _tr("{arrived} · PAST TARGET ({target}) by {late}").format(
                arrived=arrived, target=target, late=span_text(self._now - row.due_at)
            )
        left = span_text(row.due_at - self._now)
        if state is TargetState.SOON:
            return _tr("{arrived} · target {target} · ABOUT TO MISS: {left} left").format(
                arrived=arrived, target=target, left=left
            )
        return _tr("{arrived} · target {target} · {left} left").format(
            arrived=arrived, target=target, left=left
        )

    def _accessible(self, row: QueueRow, column: int) -> str:
        text = self._text(row, column)
        if column == COL_AGE:
            state = target_state(row, self._now)
            if state is TargetState.PAST:
                return _tr("{age}, past target").format(age=age_text(self._now - row.opened_at))
            if state is TargetState.SOON:
                return _tr("{age}, about to miss target").format(
                    age=age_text(self._now - row.opened_at)
                )
        return text

    def _font(self, row: QueueRow, column: int) -> QFont | None:
        if column == COL_PRIORITY:
            return self._bold
        if column == COL_STATUS and row.case_id in self._flagged:
            return self._bold
        if column == COL_AGE and target_state(row, self._now) is TargetState.PAST:
            return self._bold
        return None

    def _colours(self, row: QueueRow, column: int) -> tuple[str, str] | None:
        if column == COL_PRIORITY:
            return PRIORITY_COLOURS.get(row.priority)
        if column == COL_AGE:
            state = target_state(row, self._now)
            if state is TargetState.PAST:
                return PAST_COLOURS
            if state is TargetState.SOON:
                return SOON_COLOURS
        if column == COL_RISK and not row.risk and row.grade is None:
            return NOT_ASSESSED_COLOURS
        return None
