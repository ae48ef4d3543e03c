"""The queue as a table: what each row shows, over rows fetched a page at a time.

The paging (counted in SQL, fetched a page at a time, never loaded whole) is
:class:`~desk.gui.queue_paging.PagedQueue`; the words, colours and fonts of each cell are
:class:`~desk.gui.queue_cells.QueueCells`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desk.core.clock import Clock
from desk.gui.queue_cells import (  # re-exported: the queue's columns and rules for a row
    COL_ACCOUNT,
    COL_AGE,
    COL_AUTHOR,
    COL_OWNER,
    COL_PRIORITY,
    COL_RISK,
    COL_STATUS,
    COL_TARGET,
    COL_TEXT,
    HEADER_TIPS,
    HEADERS,
    QueueCells,
    TargetState,
    first_line,
    target_state,
)
from desk.gui.queue_paging import FIRST_ROWS, MAX_PAGES, PAGE_SIZE, PagedQueue
from desk.gui.queue_source import QueueSource
from desk.gui.workers import Worker
from desk.services.case_views import QueueRow

__all__ = [
    "CASE_ID_ROLE",
    "COL_ACCOUNT",
    "COL_AGE",
    "COL_AUTHOR",
    "COL_OWNER",
    "COL_PRIORITY",
    "COL_RISK",
    "COL_STATUS",
    "COL_TARGET",
    "COL_TEXT",
    "FIRST_ROWS",
    "HEADERS",
    "MAX_PAGES",
    "PAGE_SIZE",
    "ROW_ROLE",
    "QueueModel",
    "QueueSource",
    "TargetState",
    "first_line",
    "target_state",
]

log = logging.getLogger(__name__)
_CONTEXT = "QueueModel"

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's case id (int), or None if not fetched
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's QueueRow, or None if not fetched


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


@dataclass(frozen=True)
class _Cells:
    """One row as painted: text, font and brushes per column."""

    row: QueueRow
    texts: list[str]
    fonts: list[QFont | None]
    backgrounds: list[QBrush | None]
    foregrounds: list[QBrush | None]


class QueueModel(PagedQueue):
    """The triage queue, highest priority first, then oldest; fetched lazily by pages."""

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
        super().__init__(source, clock, me, worker, page_size, max_pages, parent, first_rows)
        self._flagged: frozenset[int] = frozenset()  # cases with an overdue escalation
        self.cells = QueueCells(me)

    def _viewers_changed(self) -> None:
        self._changed_column(COL_OWNER)

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

    def tick(self) -> None:
        """Bring ages and target colours up to date (no fetching)."""
        self._now = self.clock.now()
        self._shown.clear()
        self._changed_column(COL_AGE, COL_TARGET)

    def _changed_column(self, column: int, last: int | None = None) -> None:
        if self._count:
            end = column if last is None else last
            self.dataChanged.emit(self.index(0, column), self.index(self._count - 1, end))

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the column titles (and the short ones in full, as tooltips)."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(str(HEADERS[section]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tr(str(HEADER_TIPS[section]))
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
            return self.cells.tooltip(found, column, self._now, *self._state(found))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.cells.accessible(found, column, self._now, *self._state(found))
        if role == CASE_ID_ROLE:
            return found.case_id
        return found  # ROW_ROLE

    def _state(self, row: QueueRow) -> tuple[list[str], bool]:
        return self._viewers.get(row.case_id, []), row.case_id in self._flagged

    def _cells(self, row: QueueRow) -> _Cells:
        columns = range(len(HEADERS))
        now, cells = self._now, self.cells
        viewers, flagged = self._state(row)
        colours = [cells.colours(row, c, now) for c in columns]
        return _Cells(
            row=row,
            texts=[cells.text(row, c, now, viewers, flagged) for c in columns],
            fonts=[cells.font(row, c, now, flagged) for c in columns],
            backgrounds=[_brush(c[0]) if c else None for c in colours],
            foregrounds=[_brush(c[1]) if c else None for c in colours],
        )

    def owner_text(self, row: QueueRow) -> str:
        """Return the Owner cell: the owner (or 'you') and who else is viewing."""
        return self.cells.owner_text(row, self._viewers.get(row.case_id, []))

    def set_account_names(self, names: dict[str, str]) -> None:
        """Show each official account by its short name (handle → name)."""
        self.cells.account_names = dict(names)
        self._shown.clear()
        self._changed_column(COL_ACCOUNT)
