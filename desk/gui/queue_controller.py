"""The queue screen's behaviour: filters → model, selection → case pane, keys → services.

The main window holds the layout (from ui/main_window.ui); this controller wires it up:
every Case-menu action, the timers (live ages, counts and presence every 30 s, surges every
minute, the drop folder every 15 s), and what happens after each action (the row, the pane,
the counts and the queue are fetched again). Reads that could take a moment run on the worker;
actions are short writes made through the services directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QMessageBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from desk.core.cases import CaseStatus, Outcome
from desk.core.errors import Conflict, DeskError, ReauthenticationRequired, SessionEnded
from desk.core.queue_filter import QueueFilter
from desk.core.roles import Action, may
from desk.core.surge import Surge
from desk.gui.case_dialogs import ChoiceDialog, CloseDialog, RedactDialog, TextEntryDialog
from desk.gui.case_pane import ItemSelection
from desk.gui.filter_bar import default_filter
from desk.gui.import_dialog import ImportDialog
from desk.gui.labels import outcome_label, platform_label
from desk.gui.messages import set_message, show_message
from desk.gui.queue_model import (
    COL_ACCOUNT,
    COL_AGE,
    COL_AUTHOR,
    COL_OWNER,
    COL_PLATFORM,
    COL_PRIORITY,
    COL_RISK,
    COL_STATUS,
    COL_TEXT,
    QueueModel,
    QueueSource,
    first_line,
)
from desk.services.case_views import CaseDetail, QueueRow
from desk.services.drop_folder import DropResult
from desk.services.importing import ImportReport

if TYPE_CHECKING:
    from desk.gui.main_window import MainWindow

log = logging.getLogger(__name__)

TICK_MS = 30_000  # ages, counts, presence and the queue itself
SURGE_MS = 60_000
DROP_MS = 15_000
VIEWING_DELAY_MS = 400  # say which case is open once the person stops on one
NOTICE_MS = 20_000
COLUMN_WIDTHS = {  # the Text column takes what is left
    COL_PRIORITY: 66,
    COL_AGE: 78,
    COL_PLATFORM: 82,
    COL_ACCOUNT: 104,
    COL_AUTHOR: 104,
    COL_RISK: 126,
    COL_STATUS: 74,
    COL_OWNER: 96,
}
ROW_HEIGHT = 28


class ElidingDelegate(QStyledItemDelegate):
    """Shortens a cell's text in the middle: every account starts 'Exampleshire Police…'."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # type: ignore[override]
        """Elide in the middle instead of at the end."""
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


class QueueController(QObject):
    """Drives the queue, the filters, the case pane and the Case menu of one main window."""

    case_selected = Signal(int)  # the case shown in the pane changed
    case_changed = Signal(int)  # an action on the case succeeded
    case_refused = Signal(int, str)  # an action on the case was refused, with the reason
    counts_changed = Signal()

    def __init__(
        self,
        window: MainWindow,
        tick_ms: int = TICK_MS,
        surge_ms: int = SURGE_MS,
        drop_ms: int = DROP_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.desk = window.desk
        self.worker = window.worker
        self.ui = window.ui
        self.table = window.ui.queueTable
        self.filter_bar = window.ui.filterBar
        self.pane = window.ui.casePane
        self.case_id: int | None = None
        self.counts: dict[str, int] | None = None
        self.surges: list[Surge] = []
        self.accounts: list[Any] = []  # official accounts, fetched in start()
        self.dialog: Any = None  # the case dialog open now (for tests and screenshots)
        self.import_dialog: ImportDialog | None = None
        self._restore: tuple[int | None, int, int] = (None, -1, 0)
        self._to_top = True
        self._detail_seq = 0
        self._detail_in_flight = False
        self._counts_busy = False
        self._surges_busy = False
        self._drop_busy = False
        self._paused = False

        self.model = QueueModel(
            QueueSource(self.desk, lambda: self.window.token),
            self.desk.ctx.clock,
            window.actor.username,
            self.worker,
            parent=self,
        )
        self._setup_table()
        self._setup_actions()
        self.filter_bar.filter_changed.connect(self._filter_changed)
        self.filter_bar.finished.connect(self.focus_queue)
        self.pane.escape_pressed.connect(self.focus_queue)
        self.ui.surgeBanner.hide()
        self.ui.surgeGroupButton.clicked.connect(self.ui.actionGroupSimilar.trigger)

        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self._ticked)
        self._surge_timer = QTimer(self)
        self._surge_timer.setInterval(surge_ms)
        self._surge_timer.timeout.connect(self.check_surges)
        self._drop_timer = QTimer(self)
        self._drop_timer.setInterval(drop_ms)
        self._drop_timer.timeout.connect(self.scan_drop_folder)
        self._viewing_timer = QTimer(self)
        self._viewing_timer.setSingleShot(True)
        self._viewing_timer.setInterval(VIEWING_DELAY_MS)
        self._viewing_timer.timeout.connect(self._say_viewing)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(NOTICE_MS)
        self._notice_timer.timeout.connect(lambda: self.window.notice_label.setText(""))

    # setting up ---------------------------------------------------------------------------

    def _official_accounts(self) -> list[Any]:
        outcome = self.window.calls.call(self.desk.official_accounts.list, self.window.token)
        return list(outcome.value or [])

    def _setup_table(self) -> None:
        table, model = self.table, self.model
        table.setModel(model)
        header = table.horizontalHeader()
        header.setMinimumSectionSize(48)
        for column, width in COLUMN_WIDTHS.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # a million rows stay cheap
        rows.setDefaultSectionSize(ROW_HEIGHT)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._middle = ElidingDelegate(table)
        table.setItemDelegateForColumn(COL_ACCOUNT, self._middle)
        table.installEventFilter(self)  # no type-to-search jumps: letters are shortcuts here
        table.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelAboutToBeReset.connect(self._about_to_reset)
        model.modelReset.connect(self._was_reset)
        model.dataChanged.connect(self._data_changed)
        model.fetch_failed.connect(self._fetch_failed)
        model.counted.connect(self._footer)  # a new filter's count follows its first page

    def _redact_action(self) -> QAction:
        """Case → Redact selection… (made here: the menus' .ui file is not Desk's to change)."""
        action = QAction(self.tr("Re&dact selection…"), self.window)
        action.setObjectName("actionRedact")
        action.setIconText(self.tr("Redact selection"))  # on the button under the item text
        action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        action.setStatusTip(
            self.tr("Replace the personal data selected in the item text with [redacted].")
        )
        menu = self.ui.menuCase
        entries = menu.actions()
        after = entries.index(self.ui.actionSaveAssessment)
        before = entries[after + 1] if after + 1 < len(entries) else None
        if before is None:
            menu.addAction(action)
        else:
            menu.insertAction(before, action)  # with the note and THRIVE: writing on the case
        return action

    def _setup_actions(self) -> None:
        ui = self.ui
        self.action_redact = self._redact_action()
        ui.actionNextCase.setShortcuts([QKeySequence("J"), QKeySequence(Qt.Key.Key_Down)])
        ui.actionPreviousCase.setShortcuts([QKeySequence("K"), QKeySequence(Qt.Key.Key_Up)])
        ui.actionClaim.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        connections: list[tuple[QAction, Callable[[], None]]] = [
            (ui.actionNextCase, lambda: self.step(1)),
            (ui.actionPreviousCase, lambda: self.step(-1)),
            (ui.actionClaim, self.claim),
            (ui.actionRelease, self.release),
            (ui.actionNote, self.add_note),
            (ui.actionThrive, self.pane.focus_thrive),
            (ui.actionSaveAssessment, self.save_assessment),
            (ui.actionCloseCase, self.close_case),
            (ui.actionReopen, self.reopen),
            (ui.actionAssign, self.assign),
            (ui.actionGroupSimilar, self.group_similar),
            (ui.actionSearch, self.filter_bar.focus_search),
            (ui.actionClearFilters, self.clear_filters),
            (ui.actionRefresh, self.refresh_all),
            (ui.actionImport, self.open_import),
            (self.action_redact, self.redact),
        ]
        for action, slot in connections:
            action.triggered.connect(slot)
        self.pane.add_actions(
            [  # in the order a desk uses them
                ui.actionClaim,
                ui.actionRelease,
                ui.actionAssign,
                ui.actionNote,
                ui.actionCloseCase,
                ui.actionReopen,
                ui.actionGroupSimilar,
            ]
        )
        self.pane.add_thrive_action(ui.actionSaveAssessment)
        self.pane.add_text_action(self.action_redact)
        # the same actions on a right click, for people with a mouse in hand
        menu_actions: list[QAction | None] = [
            ui.actionClaim,
            ui.actionRelease,
            ui.actionAssign,
            None,
            ui.actionNote,
            ui.actionThrive,
            ui.actionCloseCase,
            ui.actionReopen,
            ui.actionGroupSimilar,
        ]
        for entry in menu_actions:
            if entry is None:
                separator = QAction(self.table)
                separator.setSeparator(True)
                self.table.addAction(separator)
            else:
                self.table.addAction(entry)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

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

    def case_actions(self) -> list[QAction]:
        """Return the actions that work on the selected case."""
        ui = self.ui
        return [
            ui.actionClaim,
            ui.actionRelease,
            ui.actionNote,
            ui.actionThrive,
            ui.actionSaveAssessment,
            ui.actionCloseCase,
            ui.actionReopen,
            ui.actionAssign,
            ui.actionGroupSimilar,
            self.action_redact,
        ]

    # running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the default view and start the timers."""
        self.accounts = self._official_accounts()
        self.filter_bar.set_accounts(self.accounts)
        if self.window.ended:
            return  # the session ended while asking
        self._to_top = True
        self.model.set_filter(self.filter_bar.queue_filter())
        self.refresh_counts()
        self.check_surges()
        self._resume_timers()
        self.update_actions()
        self._footer()

    def _resume_timers(self) -> None:
        self._tick.start()
        self._surge_timer.start()
        if self._may(Action.IMPORT_ITEMS):
            self._drop_timer.start()

    def pause(self) -> None:
        """Stop the timers (the window is locked)."""
        self._paused = True
        for timer in (self._tick, self._surge_timer, self._drop_timer, self._viewing_timer):
            timer.stop()

    def resume(self) -> None:
        """Start again after an unlock, fetching what changed meanwhile."""
        self._paused = False
        self._resume_timers()
        self.refresh_all()

    def stop(self) -> None:
        """Stop for good (the window's session ended)."""
        self.pause()
        self._notice_timer.stop()

    def _ticked(self) -> None:
        self.model.tick()
        self.refresh_queue()
        self.refresh_counts()
        self.refresh_presence()

    def refresh_all(self) -> None:
        """Ctrl+R: the queue, the case, the counts and surges, now."""
        self.refresh_queue()
        self.refresh_counts()
        self.check_surges()
        if self.case_id is not None:
            self._load_detail(self.case_id)

    def _may(self, action: Action) -> bool:
        return may(self.window.actor.role, action)

    def _usable(self) -> bool:
        return not (self.window.ended or self.window.locked or self._paused)

    # the queue ----------------------------------------------------------------------------

    def _filter_changed(self, flt: QueueFilter) -> None:
        self._to_top = True
        self.model.set_filter(flt)
        self._footer()

    def clear_filters(self) -> None:
        """Esc: back to every open case, and to the queue."""
        if self.filter_bar.queue_filter() != default_filter():
            self.filter_bar.clear()
        self.focus_queue()

    def focus_queue(self) -> None:
        """Put the keyboard focus on the queue (selecting the top case if none is)."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self._select(0)

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
        self._footer()
        if count == 0:
            self.case_id = None
            if self._usable():
                self._viewing_timer.start()  # no case open now: say so
            self.pane.show_empty(
                self.tr("No cases match these filters. Esc clears them.")
                if self.filter_bar.queue_filter() != default_filter()
                else self.tr("The queue is empty: nothing is waiting for the desk.")
            )
            self.update_actions()
            return
        if self._to_top:
            self._to_top = False
            self.table.scrollToTop()
            found = self.model.row_of(case_id) if case_id is not None else None
            self._select(found if found is not None and found < 50 else 0)
            return
        self.table.verticalScrollBar().setValue(scroll)
        found = self.model.row_of(case_id) if case_id is not None else None
        if found is None:
            found = min(max(row, 0), count - 1)  # the case left the view: the next one
        self._select(found, scroll=False)

    def _select(self, row: int, scroll: bool = True) -> None:
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
        self._select(min(max(row, 0), count - 1))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
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
            self.pane.show_row(row, self.now(), self.window.actor.username)
            self._load_detail(row.case_id)
            if self._usable():
                self._viewing_timer.start()
            self.case_selected.emit(row.case_id)
        self.update_actions()

    def selected_row(self) -> QueueRow | None:
        """Return the freshest row of the case shown (from its detail if fetched)."""
        detail = self.pane.detail
        if detail is not None and detail.row.case_id == self.case_id:
            return detail.row
        current = self.table.currentIndex()
        return self.model.row_at(current.row(), fetch=False) if current.isValid() else None

    def now(self) -> datetime:
        """The desk's time now."""
        return self.desk.ctx.clock.now()

    def _footer(self) -> None:
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
                self.window.calls.handle(error)
            return
        log.error("the queue could not be read: %s", type(error).__name__)
        self.notify(self.tr("Desk could not read the queue. Press Ctrl+R to try again."))

    # the case pane ------------------------------------------------------------------------

    def _load_detail(self, case_id: int) -> None:
        """Fetch a case in full; only the newest request is ever shown."""
        self._detail_seq += 1
        if self._detail_in_flight:
            return  # the answer on its way starts the newest request when it comes
        self._fetch_detail(self._detail_seq, case_id)

    def _fetch_detail(self, seq: int, case_id: int) -> None:
        self._detail_in_flight = True
        token, desk = self.window.token, self.desk
        self.worker.run(
            lambda: desk.queue.detail(token, case_id),
            lambda detail: self._detail_arrived(seq, case_id, detail),
            lambda exc: self._detail_failed(seq, case_id, exc),
            context=self,
        )

    def _detail_arrived(self, seq: int, case_id: int, detail: CaseDetail) -> None:
        self._detail_in_flight = False
        if seq != self._detail_seq:
            if self.case_id is not None:
                self._fetch_detail(self._detail_seq, self.case_id)
            return
        self.model.update_row(detail.row)
        if case_id == self.case_id:
            self.pane.show_detail(detail, self.now(), self.window.actor.username)
            self.update_actions()

    def _detail_failed(self, seq: int, case_id: int, error: Exception) -> None:
        self._detail_in_flight = False
        if seq != self._detail_seq and self.case_id is not None:
            self._fetch_detail(self._detail_seq, self.case_id)
            return
        if isinstance(error, (SessionEnded, ReauthenticationRequired)):
            self.window.calls.handle(error)
        elif isinstance(error, DeskError):
            self.notify(error.message)
        else:
            log.error("case %s could not be read: %s", case_id, type(error).__name__)
            self.notify(
                self.tr("Desk could not read case #{id}. Press Ctrl+R to try again.").format(
                    id=case_id
                )
            )

    def _say_viewing(self) -> None:
        case_id, token, desk = self.case_id, self.window.token, self.desk
        if not self._usable():
            return
        self.worker.run(
            lambda: desk.cases.viewing(token, case_id),
            lambda _none: None,
            lambda exc: log.info("presence not recorded: %s", type(exc).__name__),
            context=self,
        )

    def refresh_presence(self) -> None:
        """Say again which case is open, and fetch who else is looking at what."""
        if not self._usable():
            return
        self._say_viewing()
        ids = self.model.fetched_case_ids()
        if self.case_id is not None and self.case_id not in ids:
            ids.append(self.case_id)
        if not ids:
            return
        token, desk = self.window.token, self.desk
        self.worker.run(
            lambda: desk.cases.viewers(token, ids),
            self._viewers_arrived,
            lambda exc: log.info("presence not read: %s", type(exc).__name__),
            context=self,
        )

    def _viewers_arrived(self, viewers: dict[int, list[str]]) -> None:
        self.model.set_viewers(viewers)
        if self.case_id is not None:
            self.pane.set_viewers(
                viewers.get(self.case_id, []), self.window.actor.username, self.now()
            )

    # actions: what is allowed now ---------------------------------------------------------

    def update_actions(self) -> None:
        """Enable each case action when the role allows it and it makes sense for the case."""
        if self.window.locked or self.window.ended:
            return  # the lock restores them on unlock
        role = self.window.actor.role
        works = may(role, Action.WORK_CASES)
        row = self.selected_row() if self.case_id is not None else None
        me = self.window.actor.username
        is_open = row is not None and row.status != CaseStatus.CLOSED.value
        state = {
            self.ui.actionClaim: row is not None and row.owner != me,
            self.ui.actionRelease: row is not None and row.owner is not None and is_open,
            self.ui.actionNote: row is not None,
            self.ui.actionThrive: row is not None,
            self.ui.actionSaveAssessment: row is not None,
            self.ui.actionCloseCase: is_open,
            self.ui.actionReopen: row is not None and not is_open,
            self.ui.actionAssign: is_open,
            self.ui.actionGroupSimilar: is_open,
            self.action_redact: row is not None,  # closed cases too: data protection has no end
        }
        for action, sensible in state.items():
            needed = Action.REASSIGN_CASES if action is self.ui.actionAssign else Action.WORK_CASES
            allowed = may(role, needed) and (works or needed is not Action.WORK_CASES)
            action.setEnabled(allowed and sensible)
            action.setToolTip(
                ""
                if allowed
                else self.tr("Your role ({role}) does not include this.").format(role=role.value)
            )
        self.ui.surgeGroupButton.setEnabled(self.ui.actionGroupSimilar.isEnabled())

    # actions: doing -----------------------------------------------------------------------

    def notify(self, text: str) -> None:
        """Say what just happened in the status bar (for 20 seconds)."""
        self.window.notice_label.setText(text)
        self.window.notice_label.setToolTip(text)
        self._notice_timer.start()

    def _refused(self, case_id: int, message: str, box: bool = True) -> None:
        """A calm word about a refusal: status bar (and a message box), then fresh data."""
        self.notify(message)
        if box:
            show_message(self.window, self.tr("Not done"), message, QMessageBox.Icon.Information)
        self.case_refused.emit(case_id, message)
        self._after_action(case_id)

    def _after_action(self, case_id: int) -> None:
        if case_id == self.case_id:
            self._load_detail(case_id)
        self.refresh_queue()
        self.refresh_counts()

    def _act(self, case_id: int, call: Callable[[], object], done: str) -> bool:
        try:
            call()
        except Conflict as exc:
            self._refused(case_id, exc.message)
            return False
        except DeskError as exc:
            self.window.calls.handle(exc)
            return False
        self.notify(done)
        self.case_changed.emit(case_id)
        self._after_action(case_id)
        return True

    def _in_dialog(self, dialog: Any, case_id: int, call: Callable[[], object], done: str) -> None:
        """Make a dialog's service call: close it when done, or show the refusal inside it."""
        try:
            call()
        except (SessionEnded, ReauthenticationRequired) as exc:
            dialog.reject()
            self.window.calls.handle(exc)
            return
        except DeskError as exc:
            dialog.refuse(exc.message)
            self.notify(exc.message)
            if isinstance(exc, Conflict):
                self.case_refused.emit(case_id, exc.message)
                self._after_action(case_id)
            return
        dialog.finish()
        self.notify(done)
        self.case_changed.emit(case_id)
        self._after_action(case_id)

    def _open(self, dialog: Any, name: str) -> None:
        dialog.setObjectName(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: Any) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if not self.window.ended:
            self.window.activateWindow()  # back to the queue, whatever the window manager does
            self.focus_queue()

    def _case(self) -> QueueRow | None:
        row = self.selected_row()
        if row is None:
            self.notify(self.tr("Select a case first (J and K move through the queue)."))
        return row

    def claim(self) -> None:
        """Enter: take the selected case."""
        row = self._case()
        if row is None:
            return
        token, case_id = self.window.token, row.case_id
        self._act(
            case_id,
            lambda: self.desk.cases.claim(token, case_id),
            self.tr("You claimed case #{id}.").format(id=case_id),
        )

    def release(self) -> None:
        """R: give the case back to the queue."""
        row = self._case()
        if row is None:
            return
        token, case_id = self.window.token, row.case_id
        self._act(
            case_id,
            lambda: self.desk.cases.release(token, case_id),
            self.tr("Case #{id} released to the queue.").format(id=case_id),
        )

    def _with_text(
        self,
        name: str,
        title: str,
        prompt: str,
        button: str,
        call: Callable[[int, str], object],
        done: str,
    ) -> None:
        """Ask for a text about the selected case, then ``call(case_id, text)`` in the dialog.

        ``title`` and ``done`` may name the case as ``{id}``.
        """
        row = self._case()
        if row is None:
            return
        case_id = row.case_id
        dialog = TextEntryDialog(title.format(id=case_id), prompt, button, self.window)
        dialog.submitted.connect(
            lambda text: self._in_dialog(
                dialog, case_id, lambda: call(case_id, text), done.format(id=case_id)
            )
        )
        self._open(dialog, name)

    def add_note(self) -> None:
        """N: a note on the case's timeline."""
        self._with_text(
            "noteDialog",
            self.tr("Note on case #{id}"),
            self.tr("The note goes on the case's timeline and the audit record."),
            self.tr("Add note"),
            lambda case_id, text: self.desk.cases.add_note(self.window.token, case_id, text),
            self.tr("Note added to case #{id}."),
        )

    def save_assessment(self) -> None:
        """Ctrl+S: save the THRIVE fields as a new version of the case's assessment."""
        row = self._case()
        if row is None:
            return
        case_id, values = row.case_id, self.pane.thrive_values()
        label = self.pane.ui.thriveStatusLabel
        try:
            version = self.desk.cases.assess(self.window.token, case_id, values)
        except (SessionEnded, ReauthenticationRequired) as exc:
            self.window.calls.handle(exc)
            return
        except DeskError as exc:
            set_message(label, exc.message)
            self.notify(exc.message)
            return
        self.pane.assessment_saved()
        self.notify(
            self.tr("THRIVE version {v} saved on case #{id}.").format(v=version, id=case_id)
        )
        self.case_changed.emit(case_id)
        self._after_action(case_id)

    def thrive_missing(self, row: QueueRow) -> bool:
        """Tell whether the case needs a (new) THRIVE assessment before it can be closed."""
        return (bool(row.risk) and row.grade is None) or row.needs_assessment

    def close_case(self) -> None:
        """X: close with an outcome (a risky case needs THRIVE first)."""
        row = self._case()
        if row is None:
            return
        case_id = row.case_id
        if self.thrive_missing(row):
            message = self.tr(
                "Case #{id} matched a risk rule: record a THRIVE assessment before closing "
                "it. The THRIVE fields are ready for you (T)."
            ).format(id=case_id)
            self.notify(message)
            show_message(
                self.window, self.tr("THRIVE first"), message, QMessageBox.Icon.Information
            )
            self.pane.focus_thrive()
            return
        dialog = CloseDialog(
            self.tr("Close case #{id}").format(id=case_id),
            self.tr(
                "{summary}\nChoose what was done. The outcome and note go on the timeline."
            ).format(summary=f"#{case_id} · {row.author}: {first_line(row.summary)[:120]}"),
            self.tr("Close case"),
            parent=self.window,
        )
        dialog.submitted.connect(
            lambda outcome, note: self._in_dialog(
                dialog,
                case_id,
                lambda: self.desk.cases.close(self.window.token, case_id, outcome, note),
                self.tr("Case #{id} closed: {outcome}.").format(
                    id=case_id, outcome=outcome_label(outcome)
                ),
            )
        )
        self._open(dialog, "closeDialog")

    def reopen(self) -> None:
        """O: re-open a closed case (it becomes yours)."""
        self._with_text(
            "reopenDialog",
            self.tr("Re-open case #{id}"),
            self.tr("Why is the case re-opened? The reason goes on the timeline; you own it then."),
            self.tr("Re-open"),
            lambda case_id, text: self.desk.cases.reopen(self.window.token, case_id, text),
            self.tr("Case #{id} re-opened."),
        )

    def assign(self) -> None:
        """A: give the case to someone (supervisors)."""
        row = self._case()
        if row is None:
            return
        case_id = row.case_id
        outcome = self.window.calls.call(self.desk.cases.assignable, self.window.token)
        if not outcome.ok or outcome.value is None:
            return
        choices = []
        for username, name, languages in outcome.value:
            text = f"{username} — {name}"
            if "cy" in languages:
                text += self.tr(" · Cymraeg")
            choices.append((text, username))
        prompt = self.tr("Give case #{id} to:").format(id=case_id)
        if row.language == "cy":
            prompt += " " + self.tr("(the case is in Welsh: Welsh speakers are marked)")
        dialog = ChoiceDialog(
            self.tr("Assign case #{id}").format(id=case_id),
            prompt,
            choices,
            self.tr("Assign"),
            self.window,
        )
        dialog.submitted.connect(
            lambda username: self._in_dialog(
                dialog,
                case_id,
                lambda: self.desk.cases.reassign(self.window.token, case_id, str(username)),
                self.tr("Case #{id} assigned to {name}.").format(id=case_id, name=username),
            )
        )
        self._open(dialog, "assignDialog")

    def group_similar(self) -> None:
        """G: find open cases like this one and close them together with one outcome."""
        row = self._case()
        if row is None:
            return
        case_id, token = row.case_id, self.window.token
        found = self.window.calls.call(self.desk.surges.similar, token, case_id)
        if not found.ok or found.value is None:
            return
        ids = list(found.value)
        if case_id not in ids:
            ids.insert(0, case_id)
        if len(ids) < 2:
            message = self.tr(
                "No other open case is like case #{id} (same thread, or near-identical text)."
            ).format(id=case_id)
            self.notify(message)
            show_message(
                self.window, self.tr("Group similar"), message, QMessageBox.Icon.Information
            )
            return
        items = self.window.calls.call(self.desk.queue.items_for, token, ids)
        lines = []
        for other in ids:
            first = (items.value or {}).get(other, ())
            text = first_line(first[0].text) if first else ""
            who = first[0].author_handle if first else ""
            lines.append(f"#{other} · {who}: {text[:90]}")
        dialog = CloseDialog(
            self.tr("Close {n} similar cases together").format(n=len(ids)),
            self.tr(
                "{n} open cases on {platform} share a thread or say nearly the same as case "
                "#{id}. Close them together with one outcome: each gets its own timeline line "
                "and audit entry. Unclaimed ones become yours."
            ).format(n=len(ids), platform=platform_label(row.platform), id=case_id),
            self.tr("Close {n} cases").format(n=len(ids)),
            cases=lines,
            parent=self.window,
        )
        dialog.submitted.connect(
            lambda outcome, note: self._in_dialog(
                dialog,
                case_id,
                lambda: self.desk.surges.close_group(self.window.token, ids, outcome, note),
                self.tr("{n} cases closed together: {outcome}.").format(
                    n=len(ids), outcome=outcome_label(outcome)
                ),
            )
        )
        self._open(dialog, "groupDialog")

    def redact(self) -> None:
        """Ctrl+Shift+R: replace the personal data selected in the item text, saying why."""
        row = self._case()
        if row is None:
            return
        case_id = row.case_id
        picked = self.pane.item_selection()
        if isinstance(picked, str):
            self.notify(picked)
            show_message(
                self.window, self.tr("Redact selection"), picked, QMessageBox.Icon.Information
            )
            return
        count = len(picked.text)
        chars = (
            self.tr("1 character")
            if count == 1
            else self.tr("{n} characters").format(n=f"{count:,}")
        )
        ids = [r.item_id for r in self.pane.item_ranges]
        where = (
            self.tr("item {k} of {n}").format(k=ids.index(picked.item_id) + 1, n=len(ids))
            if len(ids) > 1 and picked.item_id in ids
            else self.tr("the item")
        )
        dialog = RedactDialog(
            self.tr("Redact from case #{id}").format(id=case_id),
            self.tr(
                "{chars} of {where} in case #{id} will be replaced by “[redacted]” in the "
                "stored text, everywhere Desk shows or searches it."
            ).format(chars=chars, where=where, id=case_id),
            picked.text,
            self.window,
        )
        dialog.submitted.connect(
            lambda reason: self._in_dialog(
                dialog,
                case_id,
                lambda: self._redact(case_id, picked, reason),
                self.tr("Redacted {chars} in case #{id}.").format(chars=chars, id=case_id),
            )
        )
        self._open(dialog, "redactDialog")

    def _redact(self, case_id: int, picked: ItemSelection, reason: str) -> None:
        """Redact, unless the item changed since it was selected (the offsets would be wrong)."""
        token = self.window.token
        detail = self.desk.queue.detail(token, case_id)
        now = next((i for i in detail.items if i.id == picked.item_id), None)
        if now is None or now.text != picked.item_text:
            raise Conflict(
                self.tr(
                    "The item's text changed after you selected it (someone may have redacted "
                    "it). Cancel, then select the text again."
                )
            )
        self.desk.cases.redact(token, picked.item_id, picked.start, picked.end, reason)

    def close_with(self, outcome: Outcome, note: str = "") -> None:
        """Choose ``outcome`` in the open close dialog and submit it (for scripts)."""
        dialog = self.dialog
        if isinstance(dialog, CloseDialog):
            dialog.choose(outcome)
            dialog.ui.noteEdit.setPlainText(note)
            dialog.ok_button.click()

    # counts, surges, imports --------------------------------------------------------------

    def refresh_counts(self) -> None:
        """Fetch the status bar's counts (new, mine, past target)."""
        if self._counts_busy or not self._usable():
            return
        self._counts_busy = True
        token, desk = self.window.token, self.desk

        def done(counts: dict[str, int]) -> None:
            self._counts_busy = False
            self.counts = counts
            self.counts_changed.emit()

        def failed(exc: Exception) -> None:
            self._counts_busy = False
            log.info("counts not read: %s", type(exc).__name__)

        self.worker.run(lambda: desk.queue.status_counts(token), done, failed, context=self)

    def check_surges(self) -> None:
        """Ask whether arrivals are surging; show or hide the banner."""
        if self._surges_busy or not self._usable():
            return
        self._surges_busy = True
        token, desk = self.window.token, self.desk

        def done(surges: list[Surge]) -> None:
            self._surges_busy = False
            self.show_surges(surges)

        def failed(exc: Exception) -> None:
            self._surges_busy = False
            log.info("surges not checked: %s", type(exc).__name__)

        self.worker.run(lambda: desk.surges.surges(token), done, failed, context=self)

    def show_surges(self, surges: list[Surge]) -> None:
        """Show the surge banner for the biggest surge (or hide it)."""
        self.surges = surges
        banner = self.ui.surgeBanner
        if not surges:
            banner.hide()
            return
        ranked = sorted(surges, key=lambda s: (s.platform == "all", -s.multiple))
        top = ranked[0]
        where = (
            self.tr("across the desk")
            if top.platform == "all"
            else self.tr("on {platform}").format(platform=platform_label(top.platform))
        )
        text = self.tr("⚠ Surge: {multiple}x normal arrivals {where} in the last 15 min").format(
            multiple=f"{top.multiple:.1f}", where=where
        )
        if top.baseline < 1:
            text += " " + self.tr("({n} items; usually fewer than one).").format(n=top.arrivals)
        else:
            text += " " + self.tr("({n} items; usually about {usual}).").format(
                n=top.arrivals, usual=f"{top.baseline:.0f}"
            )
        others = [s for s in ranked[1:] if s.platform != "all"]
        if others:
            text += " " + self.tr("Also: {list}.").format(
                list=", ".join(f"{platform_label(s.platform)} {s.multiple:.1f}x" for s in others)
            )
        self.ui.surgeLabel.setText(text)
        banner.show()

    def open_import(self) -> None:
        """Ctrl+I: the Import dialog."""
        if self.import_dialog is None:
            dialog = ImportDialog(
                self.desk, self.worker, lambda: self.window.token, self.accounts, self.window
            )
            dialog.setObjectName("importDialog")
            dialog.imported.connect(self._imported)
            dialog.service_refused.connect(self.window.calls.handle)
            self.import_dialog = dialog
        self.import_dialog.show()
        self.import_dialog.raise_()
        self.import_dialog.activateWindow()

    def _imported(self, report: ImportReport) -> None:
        self.notify(
            self.tr("Imported {name}: {added} added, {dupes} already here.").format(
                name=report.source.rsplit("/", 1)[-1], added=report.added, dupes=report.duplicates
            )
        )
        self.refresh_queue()
        self.refresh_counts()

    def scan_drop_folder(self) -> None:
        """Import what waits in the drop folder (off the GUI thread); say what happened."""
        if self._drop_busy or not self._usable() or not self._may(Action.IMPORT_ITEMS):
            return
        if self.desk.drop_folder.folder() is None:
            return
        self._drop_busy = True
        token, desk = self.window.token, self.desk

        def failed(exc: Exception) -> None:
            self._drop_busy = False
            if isinstance(exc, DeskError):
                self.notify(self.tr("Drop folder: {problem}").format(problem=exc.message))
            else:
                log.error("drop folder scan failed: %s", type(exc).__name__)

        self.worker.run(lambda: desk.drop_folder.scan(token), self._dropped, failed, context=self)

    def _dropped(self, results: list[DropResult]) -> None:
        self._drop_busy = False
        if not results:
            return
        lines = []
        for result in results:
            if result.report is not None:
                lines.append(
                    self.tr("Drop folder: {name} imported ({n} added)").format(
                        name=result.name, n=result.report.added
                    )
                )
            else:
                lines.append(
                    self.tr("Drop folder: {name} refused: {problem}").format(
                        name=result.name, problem=result.problem
                    )
                )
        for line in lines:
            log.info("%s", line)
        self.notify(" · ".join(lines))
        self.refresh_queue()
        self.refresh_counts()
