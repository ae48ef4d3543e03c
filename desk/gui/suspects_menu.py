"""Supervisor → Suspected fake accounts…: opens the register and runs its service calls.

Also reminds communications and supervisors of reports to platforms left without an outcome
too long: a poller asks the service, and each new reminder is a notice that stays until Done.
The window itself is :mod:`desk.gui.suspects_window`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog

from desk.core.roles import Action
from desk.core.subject_access import local_day
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.labels import platform_label
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.poller import Poller
from desk.gui.shell import Shell
from desk.gui.suspect_dialogs import EvidenceDialog, OutcomeDialog, ReportDialog, SuspectDialog
from desk.gui.suspects_window import SuspectsWindow, day_text, local_moment
from desk.services.impersonation import FlaggedAuthor, Reminder, SuspectView

REMINDER_MS = 15 * 60_000
FROM_CASE_SHORTCUT = "Ctrl+Shift+F"  # F: fake


class SuspectsMenu(QObject):
    """Supervisor → Suspected fake accounts…, and the reminders of reports left unanswered."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow, interval_ms: int = REMINDER_MS) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.window: SuspectsWindow | None = None
        self.dialog: QDialog | None = None
        self.reminded: set[tuple[int, datetime]] = set()
        self.action = QAction(self.tr("Suspected &fake accounts…"), shell.window)
        self.action.setObjectName("actionSuspectedFakeAccounts")
        self.action.setStatusTip(
            self.tr("Accounts impersonating the force: evidence, reports to platforms, outcomes.")
        )
        ui.menuSupervisor.addAction(self.action)
        self.action.triggered.connect(lambda: self.open())
        # everyone who reads the queue sees the register; its buttons follow the role
        shell.guard(self.action, Action.VIEW_QUEUE)
        self.action_from_case = QAction(
            self.tr("Add the author as a suspected &fake account…"), shell.window
        )
        self.action_from_case.setObjectName("actionSuspectFromCase")
        self.action_from_case.setShortcut(QKeySequence(FROM_CASE_SHORTCUT))
        self.action_from_case.setStatusTip(
            self.tr("The selected case's author pretends to be the force: add it to the register.")
        )
        ui.menuCase.addAction(self.action_from_case)
        self.action_from_case.triggered.connect(lambda: self.add_from_case())
        shell.guard(self.action_from_case, Action.FLAG_FAKE_ACCOUNTS)
        desk = self.desk
        self.poller = Poller(
            shell,
            f"fake account reminders {id(self)}",
            interval_ms,
            lambda: desk.impersonation.reminders(shell.token),
            self._reminders_arrived,
            when=lambda: shell.can(Action.MANAGE_FAKE_ACCOUNTS),
        )
        self.poller.start(now=shell.can(Action.MANAGE_FAKE_ACCOUNTS))

    def _reminders_arrived(self, reminders: list[Reminder]) -> None:
        for reminder in reminders:
            key = (reminder.suspect_id, reminder.reported_at)
            if key not in self.reminded:
                self.reminded.add(key)
                self.shell.notify(
                    self.tr("Suspected fake account: {text}").format(text=reminder.text),
                    to_do=True,
                )

    def open(self) -> SuspectsWindow:
        """Show the register."""
        can = self.shell.can
        window = SuspectsWindow(
            can(Action.FLAG_FAKE_ACCOUNTS), can(Action.MANAGE_FAKE_ACCOUNTS), self.shell.window
        )
        window.refresh_requested.connect(self.refresh)
        window.add_requested.connect(self.open_add)
        window.evidence_requested.connect(self.open_evidence)
        window.report_requested.connect(self.open_report)
        window.outcome_requested.connect(self.open_outcome)
        window.finished.connect(lambda _result: self._closed(window))
        self.window = window
        self.shell.open_dialog(window, "suspectedFakeAccountsWindow")
        self.refresh()
        return window

    def _closed(self, window: SuspectsWindow) -> None:
        if self.window is window:
            self.window = None

    def refresh(self, then: str = "", select: int | None = None) -> None:
        """Read the register, the flagged authors and the reminders again."""
        window = self.window
        if window is None:
            return
        desk, token = self.desk, self.shell.token
        open_only = not window.show_closed.isChecked()

        def show(found: tuple[list[SuspectView], list[FlaggedAuthor], list[Reminder]]) -> None:
            if self.window is window:
                window.set_register(*found)
                if select is not None:
                    window.select(select)
                if then:
                    window.say(then)

        QueryOp(
            self.shell,
            lambda: (
                desk.impersonation.suspects(token, open_only=open_only),
                desk.impersonation.flagged(token),
                desk.impersonation.reminders(token),
            ),
        ).success(show).run()

    def _suspect(self, suspect_id: int) -> SuspectView | None:
        window = self.window
        return next((v for v in window.suspects if v.id == suspect_id), None) if window else None

    def _show(self, dialog: QDialog, name: str) -> None:
        dialog.setObjectName(name)
        self.dialog = dialog
        dialog.open()

    def _run(self, dialog: Any, call: Any, said: Any) -> None:
        ChangeOp(self.shell, call).in_dialog(dialog).done(said).success(
            lambda view: self.refresh(said(view), view.id)
        ).run()

    def open_add(self, flagged: FlaggedAuthor | None) -> None:
        """Ask for a new suspect (from a flagged author, or typed)."""
        if self.window is None:
            return
        dialog = (
            SuspectDialog(
                flagged.platform,
                flagged.handle,
                flagged.author_id,
                flagged.impersonates,
                self.window,
            )
            if flagged is not None
            else SuspectDialog(parent=self.window)
        )
        self._ask_suspect(dialog)
        self._show(dialog, "suspectDialog")

    def add_from_case(self) -> SuspectDialog | None:
        """Ask to add the selected case's author (Case menu), with what Desk flagged it as."""
        row = self.shell.require_case()
        if row is None:
            return None
        dialog = SuspectDialog(
            row.platform, row.author, None, row.impersonates or "", self.shell.window
        )
        self._ask_suspect(dialog)
        self.dialog = dialog
        self.shell.open_dialog(dialog, "suspectDialog")
        return dialog

    def _ask_suspect(self, dialog: SuspectDialog) -> None:
        desk, token = self.desk, self.shell.token

        def said(view: SuspectView) -> str:
            return self.tr("Added {handle} (#{id}): report it to the platform.").format(
                handle=view.handle, id=view.id
            )

        dialog.submitted.connect(
            lambda values: self._run(
                dialog, lambda: desk.impersonation.add_suspect(token, **values), said
            )
        )

    def open_evidence(self, suspect_id: int) -> None:
        """Ask for more evidence on a suspect."""
        view = self._suspect(suspect_id)
        if view is None:
            return
        dialog = EvidenceDialog(
            self.tr("More evidence on {handle} (#{id}).").format(handle=view.handle, id=view.id),
            self.window,
        )
        desk, token = self.desk, self.shell.token
        said = self.tr("Added evidence to {handle}.").format(handle=view.handle)
        dialog.submitted.connect(
            lambda values: self._run(
                dialog,
                lambda: desk.impersonation.add_evidence(token, suspect_id, **values),
                lambda _v: said,
            )
        )
        self._show(dialog, "suspectEvidenceDialog")

    def open_report(self, suspect_id: int) -> None:
        """Ask for the report's reference and day."""
        view = self._suspect(suspect_id)
        if view is None:
            return
        today = local_day(self.shell.now())
        dialog = ReportDialog(
            self.tr("{handle} on {platform} (#{id}).").format(
                handle=view.handle, platform=platform_label(view.platform), id=view.id
            ),
            today,
            self.window,
        )
        desk, token = self.desk, self.shell.token
        said = self.tr("Recorded the report of {handle}.").format(handle=view.handle)
        dialog.submitted.connect(
            lambda reference, day: self._run(
                dialog,
                lambda: desk.impersonation.record_report(
                    token, suspect_id, reference, local_moment(day, today)
                ),
                lambda _v: said,
            )
        )
        self._show(dialog, "suspectReportDialog")

    def open_outcome(self, suspect_id: int) -> None:
        """Ask what the platform did."""
        view = self._suspect(suspect_id)
        if view is None:
            return
        dialog = OutcomeDialog(
            self.tr("{handle} was reported on {day} (reference {ref}).").format(
                handle=view.handle, day=day_text(view.reported_at), ref=view.report_reference
            ),
            self.window,
        )
        desk, token = self.desk, self.shell.token
        said = self.tr("Recorded the platform's outcome for {handle}.").format(handle=view.handle)
        dialog.submitted.connect(
            lambda outcome: self._run(
                dialog,
                lambda: desk.impersonation.record_outcome(token, suspect_id, outcome),
                lambda _v: said,
            )
        )
        self._show(dialog, "suspectOutcomeDialog")
