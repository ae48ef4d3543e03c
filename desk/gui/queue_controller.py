"""The queue screen's Case menu: keys and buttons wired to the queue, the pane and the commands.

The main window holds the layout (from ui/main_window.ui); this controller is given the shell
and the generated form and puts together the jobs, each in its own module:
:class:`~desk.gui.queue_view.QueueView` (the table, the filters, the selection and the case
pane), :class:`~desk.gui.case_commands.CaseCommands` (claim, note, THRIVE, close...) and
:class:`~desk.gui.queue_polls.QueuePolls` (counts, surges, the drop folder, imports). Here:
which action does what, and when each action makes sense for the selected case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from desk.core.cases import Outcome, is_open
from desk.core.roles import Action
from desk.gui.case_commands import CaseCommands
from desk.gui.live_updates import LiveUpdates, wire_queue
from desk.gui.operations import QueryOp
from desk.gui.queue_polls import DROP_MS, SURGE_MS, QueuePolls
from desk.gui.queue_view import ROW_HEIGHT, TICK_MS, QueueView
from desk.gui.shell import Shell
from desk.services.case_views import QueueRow

__all__ = ["DROP_MS", "ROW_HEIGHT", "SURGE_MS", "TICK_MS", "QueueController"]


class QueueController(QObject):
    """Drives the queue, the filters, the case pane and the Case menu of one main window."""

    def __init__(
        self,
        shell: Shell,
        ui: Any,
        tick_ms: int = TICK_MS,
        surge_ms: int = SURGE_MS,
        drop_ms: int = DROP_MS,
    ) -> None:
        super().__init__(shell)
        self.shell = shell
        self.ui = ui
        self.view = QueueView(shell, ui, tick_ms)
        self.commands = CaseCommands(shell, ui.casePane)
        self.polls = QueuePolls(shell, ui, tick_ms, surge_ms, drop_ms)
        # other workstations' claims, items, escalations and presence, within a second
        self.live = LiveUpdates(shell)
        wire_queue(self.live, self.view, self.polls)
        self.table = self.view.table
        self.pane = self.view.pane
        self.filter_bar = self.view.filter_bar
        self.model = self.view.model
        self.counts_changed = self.polls.counts_changed
        self._paused = False
        self._setup_actions()
        self.view.shown_changed.connect(self.update_actions)
        shell.permissions_changed.connect(self.update_actions)
        shell.watch_unsaved(self.pane.unsaved_thrive)
        ui.surgeGroupButton.clicked.connect(ui.actionGroupSimilar.trigger)

    # the actions --------------------------------------------------------------------------

    def _redact_action(self) -> QAction:
        """Case → Redact selection… (made here: the menus' .ui file is not Desk's to change)."""
        action = QAction(self.tr("Re&dact selection…"), self.shell.window)
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
        ui, view, commands = self.ui, self.view, self.commands
        self.action_redact = self._redact_action()
        ui.actionNextCase.setShortcuts([QKeySequence("J"), QKeySequence(Qt.Key.Key_Down)])
        ui.actionPreviousCase.setShortcuts([QKeySequence("K"), QKeySequence(Qt.Key.Key_Up)])
        ui.actionClaim.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        connections: list[tuple[QAction, Callable[[], None]]] = [
            (ui.actionNextCase, lambda: view.step(1)),
            (ui.actionPreviousCase, lambda: view.step(-1)),
            (ui.actionClaim, commands.claim),
            (ui.actionRelease, commands.release),
            (ui.actionNote, commands.add_note),
            (ui.actionThrive, self.pane.focus_thrive),
            (ui.actionSaveAssessment, commands.save_assessment),
            (ui.actionCloseCase, commands.close_case),
            (ui.actionReopen, commands.reopen),
            (ui.actionAssign, commands.assign),
            (ui.actionGroupSimilar, commands.group_similar),
            (ui.actionSearch, self.filter_bar.focus_search),
            (ui.actionClearFilters, view.clear_filters),
            (ui.actionRefresh, self.refresh_all),
            (ui.actionImport, self.polls.open_import),
            (self.action_redact, commands.redact),
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
        self.shell.guard(ui.actionImport, Action.IMPORT_ITEMS)

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

    def update_actions(self) -> None:
        """Enable each case action when the role allows it and it makes sense for the case."""
        shell = self.shell
        if self._paused or shell.locked or shell.ended:
            return  # the lock restores them on unlock
        row = self.selected_row()
        me = shell.actor.username
        open_now = row is not None and is_open(row.status)
        state = {
            self.ui.actionClaim: row is not None and row.owner != me,
            self.ui.actionRelease: row is not None and row.owner is not None and open_now,
            self.ui.actionNote: row is not None,
            self.ui.actionThrive: row is not None,
            self.ui.actionSaveAssessment: row is not None,
            self.ui.actionCloseCase: open_now,
            self.ui.actionReopen: row is not None and not open_now,
            self.ui.actionAssign: open_now,
            self.ui.actionGroupSimilar: open_now,
            self.action_redact: row is not None,  # closed cases too: data protection has no end
        }
        works = shell.can(Action.WORK_CASES)
        for action, sensible in state.items():
            needed = Action.REASSIGN_CASES if action is self.ui.actionAssign else Action.WORK_CASES
            allowed = shell.can(needed) and (works or needed is not Action.WORK_CASES)
            action.setEnabled(allowed and sensible)
            action.setToolTip(
                ""
                if allowed
                else self.tr("Your role ({role}) does not include this.").format(
                    role=shell.actor.role.value
                )
            )
        self.ui.surgeGroupButton.setEnabled(self.ui.actionGroupSimilar.isEnabled())

    # running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the default view, fetch the official accounts, and start the polls."""
        self.filter_bar.set_scope(self.shell.actor.scope)  # a scoped person: their areas only
        self.view.start()
        token = self.shell.token
        QueryOp(self.shell, lambda: self.shell.desk.official_accounts.list(token)).success(
            self._accounts_arrived
        ).run()
        self.polls.start()
        self.live.start()
        self.update_actions()

    def _accounts_arrived(self, accounts: list[Any]) -> None:
        self.polls.accounts = list(accounts)
        self.view.set_accounts(list(accounts))

    def pause(self) -> None:
        """Stop the timers and polls (the window is locked)."""
        self._paused = True
        self.view.pause()
        self.polls.pause()
        self.live.pause()

    def resume(self) -> None:
        """Start again after an unlock, fetching what changed meanwhile."""
        self._paused = False
        self.view.resume()
        self.polls.resume()
        self.live.resume()
        self.update_actions()
        self.refresh_all()

    def stop(self) -> None:
        """Stop for good (the window's session ended)."""
        self.pause()
        self.polls.stop()
        self.live.stop()

    def refresh_all(self) -> None:
        """Ctrl+R: the queue, the case, the counts and surges, now."""
        self.view.refresh_all()
        self.polls.refresh_counts()
        self.polls.check_surges()

    # what the other controllers, scripts and tests read -----------------------------------

    @property
    def case_id(self) -> int | None:
        """The case shown in the pane (None when none)."""
        return self.view.case_id

    @property
    def counts(self) -> dict[str, int] | None:
        """The status bar's counts (new, mine, breached), once read."""
        return self.polls.counts

    @property
    def surges(self) -> list[Any]:
        """The surges shown in the banner."""
        return self.polls.surges

    @property
    def import_dialog(self) -> Any:
        """The Import dialog, once opened."""
        return self.polls.import_dialog

    @property
    def dialog(self) -> Any:
        """The dialog opened last through the shell (for tests and screenshots)."""
        return self.shell.dialog

    @property
    def tick_timer(self) -> Any:
        """The timer that re-reads the queue (ages, targets, presence)."""
        return self.view.tick_timer

    def selected_row(self) -> QueueRow | None:
        """Return the freshest row of the case shown (from its detail if fetched)."""
        return self.view.selected_row()

    def notify(self, text: str) -> None:
        """Say what just happened in the status bar."""
        self.shell.notify(text)

    def focus_queue(self) -> None:
        """Put the keyboard focus on the queue."""
        self.view.focus_queue()

    def step(self, by: int) -> None:
        """Move the selection ``by`` rows."""
        self.view.step(by)

    def select(self, row: int) -> None:
        """Select ``row`` of the queue."""
        self.view.select(row)

    def refresh_queue(self) -> None:
        """Fetch the queue again where the person is looking."""
        self.view.refresh_queue()

    def refresh_presence(self) -> None:
        """Say which case is open and fetch who else is viewing what."""
        self.view.refresh_presence()

    def refresh_counts(self) -> None:
        """Read the status bar's counts now."""
        self.polls.refresh_counts()

    def check_surges(self) -> None:
        """Ask whether arrivals are surging now."""
        self.polls.check_surges()

    def open_import(self) -> None:
        """Ctrl+I: the Import dialog."""
        self.polls.open_import()

    def scan_drop_folder(self) -> None:
        """Import what waits in the drop folder now."""
        self.polls.scan_drop_folder()

    def claim(self) -> None:
        """Enter: take the selected case."""
        self.commands.claim()

    def close_case(self) -> None:
        """X: close the selected case with an outcome."""
        self.commands.close_case()

    def redact(self) -> None:
        """Ctrl+Shift+R: redact the selection in the item text."""
        self.commands.redact()

    def close_with(self, outcome: Outcome, note: str = "") -> None:
        """Choose ``outcome`` in the open close dialog and submit it (for scripts)."""
        self.commands.close_with(outcome, note)
