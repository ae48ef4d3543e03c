"""The queue table and the case pane beside it: filters, selection, the case fetched in full.

The view keeps itself up to date: it listens to the shell's ``case_changed`` and
``cases_changed``, re-reads the queue on a timer (ages, targets, presence), and tells the
shell which case is selected (``case_selected``; ``shell.selected_case()`` gives its row).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QHeaderView

from desk.core.cases import CaseStatus
from desk.core.errors import DeskError, SessionEnded
from desk.core.queue_filter import QueueFilter
from desk.gui.filter_bar import default_filter
from desk.gui.formatting import age_text
from desk.gui.labels import short_account_names
from desk.gui.operations import QueryOp
from desk.gui.queue_cells import status_text, target_samples
from desk.gui.queue_model import (
    COL_ACCOUNT,
    COL_AGE,
    COL_AUTHOR,
    COL_OWNER,
    COL_PRIORITY,
    COL_RISK,
    COL_STATUS,
    COL_TARGET,
    COL_TEXT,
    QueueModel,
    QueueSource,
)
from desk.gui.shell import Shell
from desk.services.case_views import CaseDetail, QueueRow

log = logging.getLogger(__name__)

TICK_MS = 30_000  # ages, targets, presence and the queue itself
VIEWING_DELAY_MS = 400  # say which case is open once the person stops on one
COLUMN_WIDTHS = {  # the Text column takes what is left; Age, Target, Status fit their words
    COL_PRIORITY: 40,
    COL_ACCOUNT: 88,
    COL_AUTHOR: 80,
    COL_RISK: 84,
    COL_OWNER: 64,
}
ROW_HEIGHT = 28
CELL_PADDING = 14  # the cell's margins and the grid line, beside the text


class QueueView(QObject):
    """Drives the queue table, the filter bar and the case pane of one main window."""

    shown_changed = Signal()  # the case shown (or what is known of it) changed

    def __init__(self, shell: Shell, ui: Any, tick_ms: int = TICK_MS) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.ui = ui
        self.table = ui.queueTable
        self.filter_bar = ui.filterBar
        self.pane = ui.casePane
        self.case_id: int | None = None
        self._restore: tuple[int | None, int, int] = (None, -1, 0)
        self._to_top = True
        self._detail_seq = 0
        self._detail_wanted = False
        self._paused = False
        self.model = QueueModel(
            QueueSource(self.desk, lambda: self.shell.token),
            self.desk.ctx.clock,
            shell.actor.username,
            shell.worker,
            parent=self,
        )
        self._setup_table()
        self.filter_bar.filter_changed.connect(self._filter_changed)
        self.filter_bar.finished.connect(self.focus_queue)
        self.pane.escape_pressed.connect(self.focus_queue)
        self.pane.link_activated.connect(shell.open_link)  # web addresses only, in the browser
        shell.set_selection_source(self.selected_row)
        shell.case_changed.connect(self.refresh_case)
        shell.cases_changed.connect(self.refresh_all)
        shell.dialog_closed.connect(self._dialog_closed)

        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(tick_ms)
        self.tick_timer.timeout.connect(self._ticked)
        self._viewing_timer = QTimer(self)
        self._viewing_timer.setSingleShot(True)
        self._viewing_timer.setInterval(VIEWING_DELAY_MS)
        self._viewing_timer.timeout.connect(self._say_viewing)

    # setting up ---------------------------------------------------------------------------

    def _setup_table(self) -> None:
        table, model = self.table, self.model
        table.setModel(model)
        header = table.horizontalHeader()
        header.setMinimumSectionSize(40)
        widths = {
            **COLUMN_WIDTHS,
            COL_AGE: self._fit([age_text(timedelta(hours=23, minutes=58))], bold=False),
            COL_TARGET: self._fit(target_samples()),
            COL_STATUS: self.status_width(),
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # a million rows stay cheap
        rows.setDefaultSectionSize(ROW_HEIGHT)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.installEventFilter(self)  # no type-to-search jumps: letters are shortcuts here
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelAboutToBeReset.connect(self._about_to_reset)
        model.modelReset.connect(self._was_reset)
        model.dataChanged.connect(self._data_changed)
        model.fetch_failed.connect(self._fetch_failed)
        model.counted.connect(self.footer)  # a new filter's count follows its first page

    def status_width(self) -> int:
        """The Status column's width: its longest words, with the overdue flag, fit whole."""
        return self._fit([status_text(s.value, f) for s in CaseStatus for f in (False, True)])

    def _fit(self, samples: list[str], bold: bool = True) -> int:
        """The width that shows each sample whole (in bold: the widest a cell is drawn)."""
        font = self.table.font()
        font.setBold(bold)
        metrics = QFontMetrics(font)
        return max(metrics.horizontalAdvance(text) for text in samples) + CELL_PADDING

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Swallow letters the queue has no shortcut for (Qt would jump to a matching row)."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.text().strip()
            and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        ):
            return True
        return super().eventFilter(watched, event)

    # running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the default view, fetch the official accounts, and start ticking."""
        self._to_top = True
        self.model.set_filter(self.filter_bar.queue_filter())
        self.tick_timer.start()
        self.footer()

    def set_accounts(self, accounts: list[Any]) -> None:
        """Offer the official accounts in the filter bar; show each by its short name."""
        self.filter_bar.set_accounts(accounts)
        self.model.set_account_names(short_account_names(a.handle for a in accounts))

    def pause(self) -> None:
        """Stop ticking (the window is locked)."""
        self._paused = True
        self.tick_timer.stop()
        self._viewing_timer.stop()

    def resume(self) -> None:
        """Tick again after an unlock."""
        self._paused = False
        self.tick_timer.start()

    def _usable(self) -> bool:
        return not (self._paused or self.shell.ended or self.shell.locked)

    def _ticked(self) -> None:
        self.model.tick()
        self.refresh_queue()
        self.refresh_presence()

    def refresh_all(self) -> None:
        """The queue and the case shown, now."""
        self.refresh_queue()
        if self.case_id is not None:
            self.load_detail(self.case_id)

    def refresh_case(self, case_id: int) -> None:
        """A case changed: show it fresh if it is the one shown, and re-read the queue."""
        if case_id == self.case_id:
            self.load_detail(case_id)
        self.refresh_queue()

    # the queue ----------------------------------------------------------------------------

    def _filter_changed(self, flt: QueueFilter) -> None:
        self._to_top = True
        self.model.set_filter(flt)
        self.footer()

    def clear_filters(self) -> None:
        """Esc: back to every open case, and to the queue."""
        if self.filter_bar.queue_filter() != default_filter():
            self.filter_bar.clear()
        self.focus_queue()

    def focus_queue(self) -> None:
        """Put the keyboard focus on the queue (selecting the top case if none is)."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.select(0)

    def _dialog_closed(self) -> None:
        if not self.shell.ended:
            self.shell.window.activateWindow()  # back to the queue, whatever the WM does
            self.focus_queue()

    def refresh_queue(self) -> None:
        """Fetch the queue again where the person is looking, keeping their place."""
        if not self._usable():
            return
        top = self.table.rowAt(0)
        self.model.refresh(anchor_row=max(top, 0))

    def _about_to_reset(self) -> None:
        current = self.table.currentIndex()
        self._restore = (
            self.case_id,
            current.row() if current.isValid() else -1,
            self.table.verticalScrollBar().value(),
        )

    def _was_reset(self) -> None:
        case_id, row, scroll = self._restore
        count = self.model.rowCount()
        self.footer()
        if count == 0:
            self.case_id = None
            if self._usable():
                self._viewing_timer.start()  # no case open now: say so
            self.pane.show_empty(
                self.tr("No cases match these filters. Esc clears them.")
                if self.filter_bar.queue_filter() != default_filter()
                else self.tr("The queue is empty: nothing is waiting for the desk.")
            )
            self.shown_changed.emit()
            return
        if self._to_top:
            self._to_top = False
            self.table.scrollToTop()
            found = self.model.row_of(case_id) if case_id is not None else None
            self.select(found if found is not None and found < 50 else 0)
            return
        self.table.verticalScrollBar().setValue(scroll)
        found = self.model.row_of(case_id) if case_id is not None else None
        if found is None:
            found = min(max(row, 0), count - 1)  # the case left the view: the next one
        self.select(found, scroll=False)

    def select(self, row: int, scroll: bool = True) -> None:
        """Make ``row`` the current row (and scroll to it)."""
        index = self.model.index(row, COL_PRIORITY)
        selection = self.table.selectionModel()
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.table.scrollTo(index)

    def step(self, by: int) -> None:
        """J/K: the next or previous case."""
        count = self.model.rowCount()
        if count == 0:
            return
        current = self.table.currentIndex()
        row = current.row() + by if current.isValid() else 0
        self.select(min(max(row, 0), count - 1))

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, _roles: object = None) -> None:
        current = self.table.currentIndex()
        if current.isValid() and top.row() <= current.row() <= bottom.row():
            row = self.model.row_at(current.row(), fetch=False)
            if row is not None and row.case_id != self.case_id:
                self._show_current()

    def _show_current(self) -> None:
        current = self.table.currentIndex()
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is None:
            return  # its page is on the way; _data_changed comes back here
        if row.case_id != self.case_id:
            self.case_id = row.case_id
            self.pane.show_row(row, self.shell.now(), self.shell.actor.username)
            self.load_detail(row.case_id)
            if self._usable():
                self._viewing_timer.start()
            self.shell.case_selected.emit(row.case_id)
        self.shown_changed.emit()

    def selected_row(self) -> QueueRow | None:
        """Return the freshest row of the case shown (from its detail if fetched)."""
        if self.case_id is None:
            return None
        detail = self.pane.detail
        if detail is not None and detail.row.case_id == self.case_id:
            return detail.row  # type: ignore[no-any-return]
        current = self.table.currentIndex()
        return self.model.row_at(current.row(), fetch=False) if current.isValid() else None

    def footer(self) -> None:
        """Say how many cases the queue shows, in what order, and how many filters are on."""
        label = self.ui.queueFooterLabel
        if self.model.loading and self.model.rowCount() == 0:
            label.setText(self.tr("Loading the queue…"))
            return
        count = self.model.rowCount()
        cases = self.tr("1 case") if count == 1 else self.tr("{n} cases").format(n=f"{count:,}")
        active = self.filter_bar.active_filters()
        flt = self.filter_bar.queue_filter()
        if not self.model.is_counted:
            what = self.tr("Counting… (at least {n} cases)").format(n=f"{count:,}")
        elif flt == default_filter():
            what = self.tr("{cases} open").format(cases=cases)
        elif count == 1:
            what = self.tr("1 case matches")
        else:
            what = self.tr("{cases} match").format(cases=cases)
        parts = [what, self.tr("P1 first, then oldest")]
        if active:
            parts.append(
                self.tr("1 filter on (Esc clears)")
                if active == 1
                else self.tr("{n} filters on (Esc clears)").format(n=active)
            )
        label.setText(" · ".join(parts))

    def _fetch_failed(self, error: Exception) -> None:
        if isinstance(error, DeskError):
            if self._usable() or isinstance(error, SessionEnded):
                self.shell.handle(error)
            return
        log.error("the queue could not be read: %s", type(error).__name__)
        self.shell.notify(self.tr("Desk could not read the queue. Press Ctrl+R to try again."))

    # the case pane ------------------------------------------------------------------------

    def load_detail(self, case_id: int) -> None:
        """Fetch a case in full; only the newest request is ever shown."""
        self._detail_seq += 1
        seq, token, desk = self._detail_seq, self.shell.token, self.desk
        started = (
            QueryOp(self.shell, lambda: desk.queue.detail(token, case_id), key="case detail")
            .success(lambda detail: self._detail_arrived(seq, case_id, detail))
            .failure(lambda exc: self._detail_failed(seq, case_id, exc))
            .run()
        )
        self._detail_wanted = not started  # the answer on its way asks again when it comes

    def _again(self, seq: int) -> bool:
        """Ask for the newest case if a newer request waited; True if this answer is old."""
        stale = seq != self._detail_seq
        if (stale or self._detail_wanted) and self.case_id is not None:
            QTimer.singleShot(0, self, lambda: self._load_wanted())
        return stale

    def _load_wanted(self) -> None:
        if self._detail_wanted and self.case_id is not None:
            self.load_detail(self.case_id)

    def _detail_arrived(self, seq: int, case_id: int, detail: CaseDetail) -> None:
        if self._again(seq):
            return
        self.model.update_row(detail.row)
        if case_id == self.case_id:
            self.pane.show_detail(detail, self.shell.now(), self.shell.actor.username)
            self.shown_changed.emit()

    def _detail_failed(self, seq: int, case_id: int, error: DeskError) -> None:
        if not self._again(seq):
            log.info("case %s not read: %s", case_id, error.code)
            self.shell.notify(error.message)

    def _say_viewing(self) -> None:
        if not self._usable():
            return
        case_id, token, desk = self.case_id, self.shell.token, self.desk
        QueryOp(self.shell, lambda: desk.cases.viewing(token, case_id), key="viewing").quiet().run()

    def refresh_presence(self) -> None:
        """Say again which case is open, and fetch who else is looking at what."""
        if not self._usable():
            return
        self._say_viewing()
        self.refresh_viewers()

    def refresh_viewers(self) -> None:
        """Fetch who else is looking at what (without saying again where this window is)."""
        if not self._usable():
            return
        ids = self.model.fetched_case_ids()
        if self.case_id is not None and self.case_id not in ids:
            ids.append(self.case_id)
        if not ids:
            return
        token, desk = self.shell.token, self.desk
        QueryOp(self.shell, lambda: desk.cases.viewers(token, ids), key="presence").success(
            self._viewers_arrived
        ).quiet().run()

    def _viewers_arrived(self, viewers: dict[int, list[str]]) -> None:
        self.model.set_viewers(viewers)
        if self.case_id is not None:
            self.pane.set_viewers(
                viewers.get(self.case_id, []), self.shell.actor.username, self.shell.now()
            )
