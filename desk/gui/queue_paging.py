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
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QTimer, Signal

from desk.core.clock import Clock
from desk.core.queue_filter import QueueFilter
from desk.gui.queue_source import Page, QueueSource, Refreshed
from desk.gui.workers import Worker
from desk.services.case_views import QueueKey, QueueRow

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_PAGES = 5
FIRST_ROWS = 64
"""Rows a new filter reads before anything else: two screenfuls of a full-HD window."""


class PagedQueue(QAbstractTableModel):
    """The queue's rows, counted and fetched lazily by pages (what each row shows: QueueModel)."""

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
        self._shown: dict[int, Any] = {}  # case id → cells as painted (fetched rows only)
        self._pending: set[int] = set()
        self._waiting: set[int] = set()  # pages to fetch by key once the page before arrives
        self._generation = 0
        self._refreshing = False
        self._now = clock.now()

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
        size, first_rows, source = self.page_size, self.first_rows, self.source

        def job() -> Refreshed:
            return source.refresh(flt, page_no, size, first_rows, count_first)

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

    def _refreshed(self, generation: int, result: Refreshed) -> None:
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

    def _follow_up(self, generation: int, result: Refreshed) -> None:
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
                self._viewers_changed()

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

    def fetched_case_ids(self) -> list[int]:
        """Return the ids of every fetched case."""
        return [r.case_id for rows in self._pages.values() for r in rows]

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

        def job() -> Page:
            if backwards:
                return source.read_page_before(flt, upto, size, self.page_size)
            return source.read_page(flt, after, size, offset)

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

    def _arrived(self, generation: int, page_no: int, page: Page) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page_no)
        self._store(page_no, page)
        first = page_no * self.page_size
        last = min(self._count, first + self.page_size) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        if page_no + 1 in self._waiting:
            self._waiting.discard(page_no + 1)
            self._request(page_no + 1)

    def _store(self, page_no: int, page: Page) -> None:
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

    # what a row says -----------------------------------------------------------------------

    def _viewers_changed(self) -> None:
        """Hook: who is viewing some fetched cases changed."""
